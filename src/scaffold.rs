//! `init`: a new study folder with a commented study.yaml, headers-only data files and a README, for
//! a study of ratings (the fuzzy Delphi part), of coded interviews, or of both, written in the report
//! languages chosen; or (`init --from-survey`, in `from_survey`) one scaffolded from a survey export.

mod from_survey;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::domain::Lang;
use crate::error::OutputError;

const STUDY_YAML: &str = include_str!("../templates/scaffold/study.yaml");
const DELPHI_YAML: &str = include_str!("../templates/scaffold/delphi.yaml");
const CODING_YAML: &str = include_str!("../templates/scaffold/coding.yaml");
const DOCUMENT_YAML: &str = include_str!("../templates/scaffold/document.yaml");
const README: &str = include_str!("../templates/scaffold/README.md");
const README_FROM_SURVEY: &str = include_str!("../templates/scaffold/README-from-survey.md");

pub use from_survey::init_from_survey;

/// The parts of a new study: its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StudyKind {
    /// The experts' ratings of indicators: a fuzzy Delphi study.
    Ratings,
    /// Coded interviews only.
    Coding,
    /// Coded interviews and a Delphi round.
    Both,
}

impl StudyKind {
    fn has_ratings(self) -> bool {
        self != StudyKind::Coding
    }

    fn has_coding(self) -> bool {
        self != StudyKind::Ratings
    }

    fn describe(self) -> &'static str {
        match self {
            StudyKind::Ratings => "a fuzzy Delphi study",
            StudyKind::Coding => "a study of coded interviews",
            StudyKind::Both => "a study of coded interviews and a fuzzy Delphi round",
        }
    }
}

/// What `init` scaffolds: the kind of study and its report languages (the primary one first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldOptions {
    /// Ratings, coded interviews, or both.
    pub kind: StudyKind,
    /// The report languages, the primary one first.
    pub languages: Vec<Lang>,
}

impl Default for ScaffoldOptions {
    /// A fuzzy Delphi study in the languages table's default languages.
    fn default() -> Self {
        ScaffoldOptions {
            kind: StudyKind::Ratings,
            languages: Lang::defaults(),
        }
    }
}

impl ScaffoldOptions {
    /// `name_en,name_fa`: the name columns of the study's languages.
    fn name_columns(&self) -> String {
        self.languages
            .iter()
            .map(|l| format!("name_{}", l.code()))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// `{en: ..., fa: ...}`: a text in each of the study's languages, to fill in.
    fn names_example(&self) -> String {
        let texts: Vec<String> = self
            .languages
            .iter()
            .map(|l| format!("{}: ...", l.code()))
            .collect();
        format!("{{{}}}", texts.join(", "))
    }
}

/// The scale block of the plain scaffold: a preset chosen, the alternative commented.
fn default_scale(options: &ScaffoldOptions) -> String {
    let label = |low: bool| {
        let texts: Vec<String> = options
            .languages
            .iter()
            .map(|l| {
                let key = if low {
                    "scale_level.low"
                } else {
                    "scale_level.high"
                };
                format!("{}: {}", l.code(), l.text(key).unwrap_or_default())
            })
            .collect();
        format!("{{{}}}", texts.join(", "))
    };
    format!(
        "  # A preset: four-point-thirds, five-point-quarters, five-point-fifths or seven-point-tenths
  # (their tables are in the README), or write the levels yourself instead of `preset`:
  #   levels:
  #     - {{id: low,  label: {}, tfn: [0, 0, 0.5]}}
  #     - {{id: high, label: {}, tfn: [\"1/3\", 1, 1]}}   # fractions in quotes
  preset: five-point-quarters
",
        label(true),
        label(false)
    )
}

/// The ratings entry of the plain scaffold.
const DEFAULT_RATINGS: &str = "  # One round of ratings. Shapes: long (expert,indicator,rating), wide (expert,<indicator ids>),
  # counts (indicator,<level ids>) or survey (a Google Forms / Microsoft Forms export, .csv or .xlsx).
  ratings: {shape: long, path: ratings.csv}
";

/// The components entry of a scaffold with a components file.
const COMPONENTS_ENTRY: &str = "  components: components.csv     # optional: id,{name_columns}; without it, no `component` column\n";

/// A YAML key and its value followed by a comment in the column the template's comments start at.
fn commented(line: &str, comment: &str) -> String {
    let pad = " ".repeat(33usize.saturating_sub(line.chars().count()).max(1));
    format!("{line}{pad}# {comment}")
}

/// study.yaml from the templates: the id, the languages and title, the panels, and the blocks of the
/// study's parts. The ratings entry (which may hold survey headers, any text) is put in last, so
/// nothing in it is read as a placeholder.
fn study_yaml(
    id: &str,
    options: &ScaffoldOptions,
    experts: usize,
    scale: &str,
    components: bool,
    ratings: &str,
) -> String {
    let codes: Vec<&str> = options.languages.iter().map(|l| l.code()).collect();
    let languages = codes.join(", ");
    let title: Vec<String> = options
        .languages
        .iter()
        .map(|l| {
            commented(
                &format!(
                    "  {}: \"{}\"",
                    l.code(),
                    l.text("scaffold.title").unwrap_or_default()
                ),
                &format!("the report title in {}", l.name()),
            )
        })
        .collect();
    let mut panels = Vec::new();
    if options.kind.has_ratings() {
        panels.push(commented(
            &format!("  delphi_experts: {experts}"),
            "experts of the Delphi panel: the responses every indicator should have",
        ));
    }
    panels.push(if options.kind.has_coding() {
        commented(
            "  interviewees: 10",
            "the interviewees of the qualitative part",
        )
    } else {
        commented(
            "  # interviewees: 10",
            "optional: interviewees of a qualitative part",
        )
    });
    let names = options.names_example();
    let coding = if options.kind.has_coding() {
        CODING_YAML.replace("{name_columns}", &options.name_columns())
    } else {
        String::new()
    };
    let delphi = if options.kind.has_ratings() {
        let components = if components {
            COMPONENTS_ENTRY.replace("{name_columns}", &options.name_columns())
        } else {
            String::new()
        };
        DELPHI_YAML
            .replace("{{names}}", &names)
            .replace("{name_columns}", &options.name_columns())
            .replace("{components}", &components)
            .replace("{scale}", scale)
            .replace("{ratings}", ratings)
    } else {
        String::new()
    };
    let languages = commented(
        &format!("languages: [{languages}]"),
        &format!(
            "the report languages, the first the primary one (of {})",
            Lang::known_codes()
        ),
    );
    // Aligned with the comments below it whatever the id's length.
    let id_line = commented(
        &format!("id: {id}"),
        &format!("names the report folder: reports/{id}/ (letters, digits, '-', '_')"),
    );
    STUDY_YAML
        .replace("{{names}}", &names)
        .replace("{id_line}", &id_line)
        .replace("{languages}", &languages)
        .replace("{title}", &title.join("\n"))
        .replace("{panels}", &panels.join("\n"))
        .replace("{coding}", &coding)
        .replace("{document}", &document_block(options))
        .replace("{delphi}", &delphi)
}

/// The `document` block of study.yaml: a document per report language, `report.<code>.md`.
fn document_block(options: &ScaffoldOptions) -> String {
    let files: Vec<String> = options
        .languages
        .iter()
        .map(|l| format!("report.{}.md", l.code()))
        .collect();
    let entries: Vec<String> = options
        .languages
        .iter()
        .zip(&files)
        .map(|(lang, file)| format!("  {}: {file}", lang.code()))
        .collect();
    // "report.en.md starts", "report.en.md and report.fa.md start".
    let files_start = match files.as_slice() {
        [one] => format!("{one} starts"),
        [first @ .., last] => format!("{} and {last} start", first.join(", ")),
        [] => String::new(),
    };
    DOCUMENT_YAML
        .replace("{files_start}", &files_start)
        .replace("{entries}", &entries.join("\n"))
}

/// The files of a new study, relative to its folder, with their contents.
pub(crate) fn scaffold_files(id: &str, options: &ScaffoldOptions) -> Vec<(String, String)> {
    let names = options.name_columns();
    let mut files: Vec<(&str, String)> = vec![(
        "study.yaml",
        study_yaml(
            id,
            options,
            3,
            &default_scale(options),
            true,
            DEFAULT_RATINGS,
        ),
    )];
    let mut rows = Vec::new();
    if options.kind.has_ratings() {
        files.push(("components.csv", format!("id,{names}\n")));
        files.push(("indicators.csv", format!("id,component,{names}\n")));
        files.push(("ratings.csv", "expert,indicator,rating\n".to_string()));
        rows.push(format!("| `components.csv` | optional: one row per component, `id,{names}`; without it, delete `data.components` in study.yaml and the `component` column |"));
        rows.push(format!(
            "| `indicators.csv` | one row per indicator: `id,component,{names}` |"
        ));
        rows.push("| `ratings.csv` | one row per rating: `expert,indicator,rating`; a rating is a level number (1..k), a level id, or its label in any report language |".to_string());
    }
    if options.kind.has_coding() {
        files.push(("segments.csv", "document,segment,code\n".to_string()));
        files.push(("codebook.csv", format!("code,{names}\n")));
        rows.push("| `segments.csv` | one row per coded segment: `document,segment,code`, the code as its path from the root (`Component > Concept > Initial code`) |".to_string());
        rows.push(format!("| `codebook.csv` | optional: one row per code of any depth, parents first: `code,{names}` (and `indicator` for a concept that became one) |"));
    }
    let mut table = format!(
        "| `study.yaml` | title{} (each key is commented) |\n",
        if options.kind.has_ratings() {
            ", panel size, scale, method and threshold"
        } else {
            " and interviewees"
        }
    );
    for row in rows {
        table.push_str(&row);
        table.push('\n');
    }
    let codes: Vec<&str> = options.languages.iter().map(|l| l.code()).collect();
    files.push((
        "README.md",
        README
            .replace("{kind}", options.kind.describe())
            .replace("{languages}", &codes.join(", "))
            .replace("{files}", table.trim_end())
            .replace("{id}", id),
    ));
    files
        .into_iter()
        .map(|(name, text)| (name.to_string(), text))
        .chain(documents(&options.languages))
        .collect()
}

/// The document of each report language, `report.<code>.md`: the built-in report's, for the author
/// to edit (study.yaml's `document:` names them).
pub(crate) fn documents(languages: &[Lang]) -> Vec<(String, String)> {
    languages
        .iter()
        .map(|lang| {
            (
                format!("report.{}.md", lang.code()),
                crate::report::document::BUILTIN_DOCUMENT.to_string(),
            )
        })
        .collect()
}

/// A study id from a folder name: letters, digits, '-' and '_' kept, anything else as '-'.
pub(crate) fn study_id(folder: &Path) -> String {
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "study".to_string()
    } else {
        id
    }
}

/// Creates `folder` (or fills an empty one) with the scaffold; refuses a folder that holds anything.
pub fn init(folder: &Path, options: &ScaffoldOptions) -> Result<Vec<PathBuf>> {
    prepare_folder(folder)?;
    let id = study_id(folder);
    let files: Vec<(String, Vec<u8>)> = scaffold_files(&id, options)
        .into_iter()
        .map(|(name, text)| (name.to_string(), text.into_bytes()))
        .collect();
    write_files(folder, &files)
}

/// Creates `folder`, or accepts it when it exists and is empty.
fn prepare_folder(folder: &Path) -> Result<()> {
    if folder.exists() {
        let mut entries = std::fs::read_dir(folder).with_context(|| {
            OutputError::new(format!("{}: cannot read the folder", folder.display()))
        })?;
        if entries.next().is_some() {
            bail!(OutputError::new(format!(
                "{}: the folder is not empty; init writes only into a new or empty folder",
                folder.display()
            )));
        }
    }
    std::fs::create_dir_all(folder).with_context(|| {
        OutputError::new(format!("{}: cannot create the folder", folder.display()))
    })
}

/// Writes `files` (names relative to `folder`) and returns their paths.
fn write_files(folder: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (name, content) in files {
        let path = folder.join(name);
        std::fs::write(&path, content).with_context(|| {
            OutputError::new(format!("{}: cannot write the file", path.display()))
        })?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_made_from_folder_names() {
        assert_eq!(
            study_id(Path::new("studies/My study 2025")),
            "My-study-2025"
        );
        assert_eq!(study_id(Path::new("پژوهش")), "study");
        assert_eq!(study_id(Path::new("a_b-c")), "a_b-c");
    }

    fn load(files: &[(String, String)]) -> crate::config::Study {
        let yaml = &files[0].1;
        crate::config::Study::from_yaml_with(
            Path::new("demo"),
            Path::new("demo/study.yaml"),
            yaml,
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}\n{yaml}"))
    }

    #[test]
    fn the_scaffold_configuration_loads() {
        let files = scaffold_files("demo", &ScaffoldOptions::default());
        let study = load(&files);
        assert_eq!(study.id(), "demo");
        assert_eq!(study.scale().len(), 5);
        assert_eq!(study.languages(), [Lang::EN, Lang::FA]);
        assert!(study.has_ratings() && !study.has_coding());
        assert!(
            files[0].1.contains("  fa: \"عنوان پژوهش\""),
            "{}",
            files[0].1
        );
    }

    #[test]
    fn the_document_block_says_starts_of_one_file_and_start_of_two() {
        let one = ScaffoldOptions {
            languages: vec![Lang::EN],
            ..ScaffoldOptions::default()
        };
        assert!(document_block(&one).contains("report.en.md starts as the built-in report"));
        let two = ScaffoldOptions {
            languages: vec![Lang::FA, Lang::EN],
            ..ScaffoldOptions::default()
        };
        assert!(document_block(&two)
            .contains("report.fa.md and report.en.md start as the built-in report"));
    }

    #[test]
    fn the_readme_s_table_of_files_is_one_table() {
        for kind in [StudyKind::Ratings, StudyKind::Coding, StudyKind::Both] {
            let options = ScaffoldOptions {
                kind,
                ..ScaffoldOptions::default()
            };
            let files = scaffold_files("demo", &options);
            let readme = &files
                .iter()
                .find(|(name, _)| name == "README.md")
                .unwrap()
                .1;
            let start = readme.find("| file | fill in |").unwrap();
            let table: Vec<&str> = readme[start..]
                .lines()
                .take_while(|line| !line.is_empty())
                .collect();
            // Header, rule, study.yaml, the kind's files, the document: no blank line splits it.
            assert!(
                table.last().unwrap().starts_with("| `report.<code>.md` |"),
                "{readme}"
            );
            assert!(table.len() >= 5, "{readme}");
        }
    }

    #[test]
    fn the_id_line_s_comment_lines_up_with_the_others_whatever_the_id_s_length() {
        for id in ["demo", "newstudy", "a-much-longer-study-id-2025"] {
            let files = scaffold_files(id, &ScaffoldOptions::default());
            let yaml = &files[0].1;
            let column = |start: &str| {
                let line = yaml.lines().find(|l| l.starts_with(start)).unwrap();
                line.find(" # ").map(|at| line[..at].chars().count())
            };
            let id_column = column("id: ").unwrap();
            assert!(
                id_column == column("languages: ").unwrap() || id_column > 32,
                "{id}: {yaml}"
            );
        }
    }

    #[test]
    fn each_kind_in_each_language_scaffolds_a_loading_study_with_its_files() {
        for kind in [StudyKind::Ratings, StudyKind::Coding, StudyKind::Both] {
            for languages in [vec![Lang::EN], vec![Lang::FA], vec![Lang::FA, Lang::EN]] {
                let options = ScaffoldOptions {
                    kind,
                    languages: languages.clone(),
                };
                let files = scaffold_files("demo", &options);
                let study = load(&files);
                assert_eq!(study.languages(), languages);
                assert_eq!(study.has_ratings(), kind != StudyKind::Coding);
                assert_eq!(study.has_coding(), kind != StudyKind::Ratings);
                let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
                assert_eq!(names.contains(&"ratings.csv"), study.has_ratings());
                assert_eq!(names.contains(&"segments.csv"), study.has_coding());
                // Only the study's languages' columns.
                let header = &files
                    .iter()
                    .find(|(n, _)| {
                        n.ends_with(".csv") && *n != "ratings.csv" && *n != "segments.csv"
                    })
                    .unwrap()
                    .1;
                for lang in Lang::all() {
                    assert_eq!(
                        header.contains(&format!("name_{}", lang.code())),
                        languages.contains(&lang),
                        "{header}"
                    );
                }
            }
        }
    }
}
