//! Survey exports (Google Forms, Microsoft Forms) as raw ratings: one row per respondent, question texts
//! as column headers mapped to indicators by `study.yaml`, metadata columns skipped by name, answers as
//! level numbers, ids, labels or configured answer texts.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::analysis::{Indicator, Round};
use crate::config::{ScaleLevel, SurveyColumns};
use crate::error::InputError;
use crate::ingest::ratings::RatingReader;
use crate::ingest::table::CsvTable;
use crate::ingest::weights::{ExpertWeights, Tally};

/// A header or answer as compared: trimmed, runs of white space (line breaks, no-break spaces) as one
/// space, lower case. Exports wrap long question texts and add stray spaces.
pub fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// What a column of the export is.
enum ColumnRole {
    Expert,
    Ignored,
    Question(usize),
}

/// Reads a survey export into counts (and weight sums) per indicator and level.
///
/// `config_file` is study.yaml and `key` the ratings entry, for errors in the mapping itself. Every
/// column must be the expert column, an ignored column or a mapped question, and every indicator must
/// have exactly one question, so that no answer is dropped or counted twice without a word.
pub fn read_survey(
    table: &CsvTable,
    columns: &SurveyColumns,
    config_file: &Path,
    key: &str,
    scale: &[ScaleLevel],
    indicators: &[Indicator],
    weights: Option<&ExpertWeights>,
) -> Result<Round, InputError> {
    let positions: HashMap<&str, usize> = indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| (ind.id.as_str(), i))
        .collect();
    // Question header (normalised) -> indicator position, checked against the indicators.
    let mut questions: BTreeMap<String, usize> = BTreeMap::new();
    let mut asked: Vec<Option<&str>> = vec![None; indicators.len()];
    for (header, id) in &columns.questions {
        let question_key = format!("{key}.survey.questions");
        let &position = positions.get(id.trim()).ok_or_else(|| {
            InputError::column(
                config_file,
                &question_key,
                format!("'{header}' maps to '{id}', which is not an indicator id"),
            )
        })?;
        if let Some(other) = asked[position] {
            return Err(InputError::column(
                config_file,
                &question_key,
                format!("indicator '{id}' has two questions: '{other}' and '{header}'"),
            ));
        }
        asked[position] = Some(header);
        if questions.insert(normalize(header), position).is_some() {
            return Err(InputError::column(
                config_file,
                &question_key,
                format!("the question '{header}' appears twice"),
            ));
        }
    }
    if let Some(missing) = asked.iter().position(Option::is_none) {
        return Err(InputError::column(
            config_file,
            &format!("{key}.survey.questions"),
            format!(
                "indicator '{}' has no question; map one column header to it",
                indicators[missing].id
            ),
        ));
    }
    let mut answers = Vec::new();
    for (text, level_id) in &columns.answers {
        let level = scale
            .iter()
            .position(|l| l.id == level_id.trim())
            .ok_or_else(|| {
                InputError::column(
                    config_file,
                    &format!("{key}.survey.answers"),
                    format!("'{text}' maps to '{level_id}', which is not a level id of the scale"),
                )
            })?;
        answers.push((normalize(text), level));
    }
    let reader = RatingReader::with_answers(scale, answers);

    let ignored: Vec<String> = columns.ignore.iter().map(|c| normalize(c)).collect();
    let expert_column = columns.expert_column.as_deref().map(normalize);
    let headers = table.column_names();
    let mut roles: Vec<(String, ColumnRole)> = Vec::with_capacity(headers.len());
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for header in &headers {
        let normal = normalize(header);
        if let Some(first) = seen.insert(normal.clone(), header.clone()) {
            return Err(InputError::column(
                &table.path,
                header,
                format!("two columns have the same header ('{first}'); rename one in the export"),
            ));
        }
        let role = if expert_column.as_deref() == Some(normal.as_str()) {
            ColumnRole::Expert
        } else if ignored.contains(&normal) {
            ColumnRole::Ignored
        } else if let Some(&position) = questions.get(&normal) {
            ColumnRole::Question(position)
        } else {
            return Err(InputError::column(
                &table.path,
                header,
                format!(
                    "this column is neither a question ({key}.survey.questions), the expert column nor an ignored column ({key}.survey.ignore)"
                ),
            ));
        };
        roles.push((header.clone(), role));
    }
    for (normal, position) in &questions {
        if !roles
            .iter()
            .any(|(_, role)| matches!(role, ColumnRole::Question(p) if p == position))
        {
            let header = asked[*position].unwrap_or(normal);
            return Err(InputError::column(
                &table.path,
                header,
                format!(
                    "{key}.survey.questions names this column, but the file has no such header"
                ),
            ));
        }
    }
    let expert_header = match (&columns.expert_column, &expert_column) {
        (Some(written), Some(normal)) => Some(
            roles
                .iter()
                .find(|(_, role)| matches!(role, ColumnRole::Expert))
                .map(|(header, _)| header.clone())
                .ok_or_else(|| {
                    InputError::column(
                        &table.path,
                        written,
                        format!("{key}.survey.expert_column names this column ('{normal}'), but the file has no such header"),
                    )
                })?,
        ),
        _ => None,
    };

    // Respondents: the expert column's values, unique; or the row numbers.
    let experts: Vec<String> = match &expert_header {
        Some(header) => {
            let values = table.required_texts(header, "the respondent's id")?;
            let mut first_row: HashMap<&str, usize> = HashMap::new();
            for (index, value) in values.iter().enumerate() {
                if let Some(first) = first_row.insert(value, index + 1) {
                    return Err(table.at(index + 1,
                        header,
                        format!("respondent '{value}' answered twice (first at row {}); keep one response per expert", table.file_row(first)),
                    ));
                }
            }
            values
        }
        None => (1..=table.height())
            .map(|row| format!("row {}", table.file_row(row)))
            .collect(),
    };
    let mut units = Vec::with_capacity(experts.len());
    for (index, expert) in experts.iter().enumerate() {
        units.push(match weights {
            Some(w) => w.units_of(expert).ok_or_else(|| {
                table.relocate(w.missing(
                    &table.path,
                    index + 1,
                    expert_header.as_deref().unwrap_or("expert"),
                    expert,
                ))
            })?,
            None => 0,
        });
    }

    let mut tally = Tally::new(indicators.len(), scale.len(), weights.is_some());
    // Fully empty rows were dropped when the table was read; a row left with no answer is a mistake.
    let mut answered = vec![false; table.height()];
    for (header, role) in &roles {
        let ColumnRole::Question(position) = role else {
            continue;
        };
        for (index, value) in table.text_column(header)?.iter().enumerate() {
            let text = value.map(str::trim).unwrap_or_default();
            if text.is_empty() {
                continue;
            }
            answered[index] = true;
            let level = reader.level_of(text).ok_or_else(|| {
                table.at(index + 1,
                    header,
                    format!(
                        "expected {}, found '{text}' (map other answer texts in {key}.survey.answers)",
                        reader.expected()
                    ),
                )
            })?;
            tally.add(index, *position, level, units[index]);
        }
    }
    if let Some(index) = answered.iter().position(|a| !a) {
        let column = expert_header
            .clone()
            .or_else(|| asked.iter().flatten().next().map(|h| h.to_string()))
            .unwrap_or_default();
        return Err(table.at(
            index + 1,
            &column,
            format!(
                "respondent '{}' answered no question; remove the row or fill in its answers",
                experts[index]
            ),
        ));
    }
    Ok(tally.finish(scale, indicators, Some(experts.to_vec())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_whatever_their_spacing_and_case() {
        assert_eq!(
            normalize("  How important is\n the firm's  network?\u{a0}"),
            "how important is the firm's network?"
        );
        assert_eq!(normalize("Very HIGH"), "very high");
    }
}
