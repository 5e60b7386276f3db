//! `init --from-survey`: a study folder scaffolded from a survey export (Google Forms, Microsoft Forms,
//! LimeSurvey): every question column an indicator, metadata columns ignored, the answer texts found
//! matched to the preset scales, and the scale itself left for the researcher to choose.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::config::presets::ScalePreset;
use crate::domain::{InputRole, Lang};
use crate::error::InputError;
use crate::ingest::ratings::RatingReader;
use crate::ingest::survey::normalize;
use crate::ingest::table::CsvTable;

/// Metadata columns the common survey tools write, as compared (normalised by `survey::normalize`):
/// Google Forms, Microsoft Forms, LimeSurvey (codes and full headings), and the usual hand-made ones.
const METADATA_HEADERS: &[&str] = &[
    "timestamp",
    "email",
    "email address",
    "e-mail",
    "e-mail address",
    "name",
    "full name",
    "your name",
    "id",
    "response id",
    "respondent id",
    "start time",
    "end time",
    "completion time",
    "last modified time",
    "submitdate",
    "date submitted",
    "lastpage",
    "last page",
    "startlanguage",
    "start language",
    "seed",
    "startdate",
    "date started",
    "datestamp",
    "date last action",
    "ipaddr",
    "ip address",
    "refurl",
    "referrer url",
    "token",
    "score",
    "total score",
    "interviewtime",
    "total time",
];

/// Headers that identify the respondent: offered (commented) as `expert_column`.
const RESPONDENT_HEADERS: &[&str] = &["email", "email address", "e-mail", "e-mail address"];

/// The most distinct answer texts listed in study.yaml; a column of free text would list hundreds.
const MAX_LISTED_ANSWERS: usize = 60;

/// What init read from an export: the columns sorted into metadata and questions, and the answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SurveyScaffold {
    /// Header of every metadata column, in file order.
    pub(crate) ignored: Vec<String>,
    /// A metadata column that names the respondent (an e-mail column), if the export has one.
    pub(crate) respondent: Option<String>,
    /// Header of every question column, in file order: indicator I01, I02, ...
    pub(crate) questions: Vec<String>,
    /// Every distinct answer text (trimmed), in order of first appearance.
    pub(crate) answers: Vec<String>,
    /// Responses (rows with any answer).
    pub(crate) responses: usize,
}

impl SurveyScaffold {
    /// The indicator id of question `index` (0-based): I01.., wider when there are more than 99.
    pub(crate) fn indicator_id(&self, index: usize) -> String {
        let width = self.questions.len().to_string().len().max(2);
        format!("I{:0width$}", index + 1)
    }

    /// The presets that read every answer (as a level number, id or label), fewest levels first; when
    /// none reads them all, the one that reads most.
    pub(crate) fn fitting_presets(&self) -> (Vec<ScalePreset>, bool) {
        let read = |preset: ScalePreset| {
            let levels = preset.levels();
            let reader = RatingReader::new(&levels);
            self.answers
                .iter()
                .filter(|a| reader.level_of(a).is_some())
                .count()
        };
        let all: Vec<ScalePreset> = ScalePreset::ALL
            .into_iter()
            .filter(|&p| read(p) == self.answers.len())
            .collect();
        if !all.is_empty() {
            return (all, true);
        }
        // `max_by_key` keeps the last of equals: reversed, the first preset wins a tie.
        let best = ScalePreset::ALL
            .into_iter()
            .rev()
            .max_by_key(|&p| (read(p), std::cmp::Reverse(p.levels().len())));
        (best.into_iter().filter(|&p| read(p) > 0).collect(), false)
    }
}

/// Sorts the columns of `table` (a survey export) and collects its answers.
pub(crate) fn survey_scaffold(table: &CsvTable) -> Result<SurveyScaffold> {
    let mut scaffold = SurveyScaffold {
        ignored: Vec::new(),
        respondent: None,
        questions: Vec::new(),
        answers: Vec::new(),
        responses: table.height(),
    };
    let mut seen_answers = std::collections::HashSet::new();
    for header in table.column_names() {
        let normal = normalize(&header);
        if METADATA_HEADERS.contains(&normal.as_str()) {
            if scaffold.respondent.is_none() && RESPONDENT_HEADERS.contains(&normal.as_str()) {
                scaffold.respondent = Some(header.clone());
            }
            scaffold.ignored.push(header);
            continue;
        }
        for value in table.text_column(&header)?.iter().flatten() {
            let text = value.trim();
            if !text.is_empty() && seen_answers.insert(normalize(text)) {
                scaffold.answers.push(text.to_string());
            }
        }
        scaffold.questions.push(header);
    }
    if scaffold.questions.is_empty() {
        return Err(InputError::file(
            &table.path,
            format!(
                "no question column; every column looks like survey metadata ({})",
                scaffold.ignored.join(", ")
            ),
        )
        .into());
    }
    Ok(scaffold)
}

/// The row of a grid question's column, as Google Forms (and LimeSurvey with full headings) write
/// it: `Question [Row]`, the row's text in the last brackets after a space. `None` for any other
/// header, or brackets holding nothing but a code-like word (`Q1 [SQ001]`), which names nothing.
fn grid_row(header: &str) -> Option<&str> {
    let inner = header.strip_suffix(']')?;
    let open = inner.rfind(" [")?;
    let row = inner[open + 2..].trim();
    let code_like = !row.contains(' ') && row.chars().any(|c| c.is_ascii_digit());
    (!row.is_empty() && !code_like && !inner[..open].trim().is_empty()).then_some(row)
}

/// A YAML double-quoted scalar holding `text` exactly: any length (an explicit key `? "..."` has no
/// 1,024-character limit), any character.
pub(crate) fn yaml_quoted(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            // Characters YAML does not print or reads as line breaks, written as escapes.
            c if c.is_control()
                || matches!(
                    c,
                    '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                quoted.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A CSV field, quoted when it holds a separator, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The scale block: no scale chosen (the fuzzy numbers are the researcher's decision), the presets
/// that read the answers found, and what each answer is on the first of them.
fn scale_block(scaffold: &SurveyScaffold) -> String {
    let (presets, all_read) = scaffold.fitting_presets();
    let names: Vec<&str> = presets.iter().map(|p| p.name()).collect();
    let mut block = String::from(
        "  # Choose the scale the survey used: `preset: <name>` (four-point-thirds, five-point-quarters,\n  # five-point-fifths, seven-point-tenths; tables in the README) or `levels:` written out.\n",
    );
    match (presets.first(), all_read) {
        (Some(_), true) => block.push_str(&format!(
            "  # Every answer in the export is a level number, id or label of: {}.\n",
            names.join(", ")
        )),
        (Some(_), false) => block.push_str(&format!(
            "  # No preset reads every answer; {} reads most (map the others in `answers` below).\n",
            names.join(", ")
        )),
        (None, _) => block.push_str(
            "  # No preset reads the answers: map them in `answers` below to the level ids of your scale.\n",
        ),
    }
    if let Some(first) = presets.first() {
        let levels = first.levels();
        let reader = RatingReader::new(&levels);
        block.push_str(&format!(
            "  # The answers found, as {} reads them:\n",
            first.name()
        ));
        for answer in scaffold.answers.iter().take(MAX_LISTED_ANSWERS) {
            let level = reader
                .level_of(answer)
                .map_or("not a level: map it in `answers`".to_string(), |l| {
                    levels[l].id.clone()
                });
            block.push_str(&format!("  #   {} -> {level}\n", yaml_quoted(answer)));
        }
        block.push_str(&format!("  # preset: {}\n", first.name()));
    }
    block
}

/// The ratings entry: the export as a survey, every column accounted for.
fn ratings_block(scaffold: &SurveyScaffold, export_name: &str) -> String {
    let mut block = format!(
        "  # The survey export, one row per respondent, read by `init --from-survey`.\n  ratings:\n    shape: survey\n    path: {}\n    survey:\n",
        yaml_quoted(export_name)
    );
    match &scaffold.respondent {
        Some(column) => block.push_str(&format!(
            "      # expert_column: {}   # optional: names each respondent (needed for weights; the names appear in the report)\n",
            yaml_quoted(column)
        )),
        None => block.push_str("      # expert_column: Email   # optional: the column naming each respondent (needed for weights)\n"),
    }
    block.push_str("      # Metadata columns, skipped. Patterns may use * (any text) and ? (any one character).\n");
    if scaffold.ignored.is_empty() {
        block.push_str("      ignore: []\n");
    } else {
        block.push_str("      ignore:\n");
        for header in &scaffold.ignored {
            block.push_str(&format!("        - {}\n", yaml_quoted(header)));
        }
    }
    block.push_str("      # Column header as exported -> indicator id. Explicit keys (`? \"...\"`), since YAML's plain\n      # keys end at 1,024 characters and question texts run longer.\n      questions:\n");
    for (index, header) in scaffold.questions.iter().enumerate() {
        block.push_str(&format!(
            "        ? {}\n        : {}\n",
            yaml_quoted(header),
            scaffold.indicator_id(index)
        ));
    }
    let (presets, _) = scaffold.fitting_presets();
    let unread: Vec<&String> = match presets.first() {
        Some(first) => {
            let levels = first.levels();
            let reader = RatingReader::new(&levels);
            scaffold
                .answers
                .iter()
                .filter(|a| reader.level_of(a).is_none())
                .collect()
        }
        None => scaffold.answers.iter().collect(),
    };
    if !unread.is_empty() {
        block.push_str("      # Answer texts that are not a level number, id or label -> level id: fill in and uncomment.\n      # answers:\n");
        for answer in unread.iter().take(MAX_LISTED_ANSWERS) {
            block.push_str(&format!("      #   {}: \n", yaml_quoted(answer)));
        }
        if unread.len() > MAX_LISTED_ANSWERS {
            block.push_str(&format!(
                "      #   ... and {} more answer texts (is one of the columns free text? ignore it)\n",
                unread.len() - MAX_LISTED_ANSWERS
            ));
        }
    }
    block
}

/// The files of a study in `languages` scaffolded from `scaffold`, with the export saved as
/// `export_name`. The indicators are in no component until the researcher groups them.
pub(crate) fn survey_files(
    id: &str,
    scaffold: &SurveyScaffold,
    export_name: &str,
    languages: &[Lang],
) -> Vec<(String, String)> {
    let options = super::ScaffoldOptions {
        kind: super::StudyKind::Ratings,
        languages: languages.to_vec(),
    };
    let study = super::study_yaml(
        id,
        &options,
        scaffold.responses,
        &scale_block(scaffold),
        false,
        &ratings_block(scaffold, export_name),
    );
    let mut indicators = format!("id,{}\n", options.name_columns());
    for (index, header) in scaffold.questions.iter().enumerate() {
        // The question text names the indicator in every language until it is shortened or
        // translated; a row of a grid question is named by its row. polars leaves a header's
        // doubled quotes doubled (the survey reader compares them so).
        let name = header.split_whitespace().collect::<Vec<_>>().join(" ");
        let name = csv_field(&grid_row(&name).unwrap_or(&name).replace("\"\"", "\""));
        indicators.push_str(&scaffold.indicator_id(index));
        for _ in languages {
            indicators.push(',');
            indicators.push_str(&name);
        }
        indicators.push('\n');
    }
    let readme = super::README_FROM_SURVEY
        .replace("{name_columns}", &options.name_columns())
        .replace("{export}", export_name)
        .replace("{questions}", &scaffold.questions.len().to_string())
        .replace("{ignored}", &scaffold.ignored.len().to_string())
        .replace("{responses}", &scaffold.responses.to_string())
        .replace("{id}", id);
    let mut files = vec![
        ("study.yaml".to_string(), study),
        ("indicators.csv".to_string(), indicators),
        ("README.md".to_string(), readme),
    ];
    files.extend(
        super::documents(languages)
            .into_iter()
            .map(|(name, text)| (name.to_string(), text)),
    );
    files
}

/// Creates `folder` from the survey export `export` (a `.csv` file, or the worksheet `sheet` of an
/// `.xlsx` workbook, the first when `None`), copying the export into it; the study is written in
/// `languages`.
pub fn init_from_survey(
    export: &Path,
    folder: &Path,
    sheet: Option<&str>,
    languages: &[Lang],
) -> Result<Vec<PathBuf>> {
    let export_name = export
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .ok_or_else(|| InputError::file(export, "not a file name"))?;
    let parent = match export.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let table = CsvTable::read_sheet(parent, Path::new(&export_name), InputRole::Ratings, sheet)?;
    let scaffold = survey_scaffold(&table)?;
    let bytes = std::fs::read(export)
        .map_err(|e| InputError::file(export, format!("cannot read the file: {e}")))?;
    super::prepare_folder(folder)?;
    let id = super::study_id(folder);
    let mut files: Vec<(String, Vec<u8>)> = survey_files(&id, &scaffold, &export_name, languages)
        .into_iter()
        .map(|(name, text)| (name, text.into_bytes()))
        .collect();
    files.push((export_name, bytes));
    super::write_files(folder, &files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // Any header, of any length, survives the round trip through an explicit YAML key.
        #[test]
        fn quoted_keys_read_back_exactly(text in "\\PC{0,40}|[\\x00-\\x7f\u{85}\u{feff}\u{2028}]{0,20}", long in 0usize..1500) {
            let key = format!("{text}{}", "x".repeat(long));
            let yaml = format!("? {}\n: I01\n", yaml_quoted(&key));
            let map: std::collections::BTreeMap<String, String> = serde_yaml::from_str(&yaml).unwrap();
            prop_assert_eq!(map.get(&key).map(String::as_str), Some("I01"));
        }
    }

    #[test]
    fn a_grid_question_s_column_is_named_by_its_row() {
        assert_eq!(
            grid_row("How important is each factor? [Staff training]"),
            Some("Staff training")
        );
        assert_eq!(
            grid_row("اهمیت هر عامل [آموزش کارکنان]"),
            Some("آموزش کارکنان")
        );
        // Brackets inside the row's text: the last pair is the row.
        assert_eq!(grid_row("Rate [A] items [B two]"), Some("B two"));
        for other in [
            "How important is staff training?",
            "Q1 [SQ001]",
            "[Row only]",
            "Question []",
            "Question [row] and more",
        ] {
            assert_eq!(grid_row(other), None, "{other}");
        }
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
    }
}
