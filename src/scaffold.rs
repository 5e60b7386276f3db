//! `init`: a new study folder with a commented study.yaml, headers-only data files and a README, or
//! (`init --from-survey`, in `from_survey`) one scaffolded from a survey export.

mod from_survey;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::error::OutputError;

const STUDY_YAML: &str = include_str!("../templates/scaffold/study.yaml");
const README: &str = include_str!("../templates/scaffold/README.md");
const README_FROM_SURVEY: &str = include_str!("../templates/scaffold/README-from-survey.md");

pub use from_survey::{init_from_survey, survey_scaffold, SurveyScaffold};

/// The scale block of the plain scaffold: a preset chosen, the alternative commented.
const DEFAULT_SCALE: &str =
    "  # A preset: four-point-thirds, five-point-quarters, five-point-fifths or seven-point-tenths
  # (their tables are in the README), or write the levels yourself instead of `preset`:
  #   levels:
  #     - {id: low,  label: {en: Low,  fa: کم},   tfn: [0, 0, 0.5]}
  #     - {id: high, label: {en: High, fa: زیاد}, tfn: [\"1/3\", 1, 1]}   # fractions in quotes
  preset: five-point-quarters
";

/// The ratings entry of the plain scaffold.
const DEFAULT_RATINGS: &str = "  # One round of ratings. Shapes: long (expert,indicator,rating), wide (expert,<indicator ids>),
  # counts (indicator,<level ids>) or survey (a Google Forms / Microsoft Forms export, .csv or .xlsx).
  ratings: {shape: long, path: ratings.csv}
";

/// study.yaml from the template: the id, the panel size, the scale block and the ratings entry. The
/// ratings entry (which may hold survey headers, any text) is put in last, so nothing in it is read as
/// a placeholder.
fn study_yaml(id: &str, experts: usize, scale: &str, ratings: &str) -> String {
    let experts = experts.to_string();
    // The comment after the panel size stays in its column.
    let pad = " ".repeat(15usize.saturating_sub(experts.len()).max(1));
    STUDY_YAML
        .replace("{id}", id)
        .replace("{experts}{experts_pad}", &format!("{experts}{pad}"))
        .replace("{scale}", scale)
        .replace("{ratings}", ratings)
}

/// The files of a new study, relative to its folder, with their contents.
pub fn scaffold_files(id: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "study.yaml",
            study_yaml(id, 3, DEFAULT_SCALE, DEFAULT_RATINGS),
        ),
        (
            "components.csv",
            "id,name_fa,name_en,name_en_source\n".to_string(),
        ),
        (
            "indicators.csv",
            "id,component,name_fa,name_en,name_en_source\n".to_string(),
        ),
        ("ratings.csv", "expert,indicator,rating\n".to_string()),
        ("README.md", README.replace("{id}", id)),
    ]
}

/// A study id from a folder name: letters, digits, '-' and '_' kept, anything else as '-'.
pub fn study_id(folder: &Path) -> String {
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
pub fn init(folder: &Path) -> Result<Vec<PathBuf>> {
    prepare_folder(folder)?;
    let id = study_id(folder);
    let files: Vec<(String, Vec<u8>)> = scaffold_files(&id)
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

    #[test]
    fn the_scaffold_configuration_loads() {
        let files = scaffold_files("demo");
        let yaml = &files[0].1;
        let study =
            crate::config::Study::from_yaml(Path::new("demo"), Path::new("demo/study.yaml"), yaml)
                .unwrap();
        assert_eq!(study.id(), "demo");
        assert_eq!(study.scale().len(), 5);
    }
}
