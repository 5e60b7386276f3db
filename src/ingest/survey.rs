//! Survey exports (Google Forms, Microsoft Forms) as raw ratings: one row per respondent, question texts
//! as column headers mapped to indicators by `study.yaml`, metadata columns skipped by name, answers as
//! level numbers, ids, labels or configured answer texts.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use polars_core::prelude::StringChunked;

use crate::analysis::{Indicator, Round};
use crate::config::SurveyColumns;
use crate::domain::ScaleLevel;
use crate::error::{InputError, Problems};
use crate::ingest::ratings::RatingReader;
use crate::ingest::table::CsvTable;
use crate::ingest::tally::Tally;
use crate::ingest::weights::ExpertWeights;

/// A header, answer or level label as compared: trimmed, runs of white space (line breaks, no-break
/// spaces, a zero-width non-joiner where another writer puts a space) as one space, lower case, and
/// the Arabic-script letters that keyboards write two ways in one form (Arabic yeh and alef maksura
/// as Farsi yeh, Arabic kaf as keheh, alef with hamza as alef; no tatweel). Exports wrap long question
/// texts and add stray spaces, and one panel's answers come from several keyboards. Only comparison
/// uses this: the texts themselves are kept as written.
pub(crate) fn normalize(text: &str) -> String {
    let folded: String = text
        .chars()
        .filter(|c| *c != '\u{0640}')
        .map(|c| match c {
            '\u{200C}' => ' ',
            '\u{064A}' | '\u{0649}' => '\u{06CC}',
            '\u{0643}' => '\u{06A9}',
            '\u{0623}' | '\u{0625}' => '\u{0627}',
            other => other,
        })
        .collect();
    folded
        .split_whitespace()
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
pub(crate) fn read_survey(
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
    // The mapping itself first: every problem of study.yaml's survey block at once.
    let mut problems = Problems::new();
    let question_key = format!("{key}.survey.questions");
    // Question header (normalised) -> indicator position, checked against the indicators.
    let mut questions: BTreeMap<String, usize> = BTreeMap::new();
    let mut asked: Vec<Option<&str>> = vec![None; indicators.len()];
    for (header, id) in &columns.questions {
        let Some(&position) = positions.get(id.trim()) else {
            problems.push(InputError::key(
                config_file,
                &question_key,
                format!("'{header}' maps to '{id}', which is not an indicator id"),
            ));
            continue;
        };
        if let Some(other) = asked[position] {
            problems.push(InputError::key(
                config_file,
                &question_key,
                format!("indicator '{id}' has two questions: '{other}' and '{header}'"),
            ));
            continue;
        }
        asked[position] = Some(header);
        if questions.insert(normalize(header), position).is_some() {
            problems.push(InputError::key(
                config_file,
                &question_key,
                format!("the question '{header}' appears twice"),
            ));
        }
    }
    for (position, _) in asked.iter().enumerate().filter(|(_, a)| a.is_none()) {
        problems.push(InputError::key(
            config_file,
            &question_key,
            format!(
                "indicator '{}' has no question; map one column header to it",
                indicators[position].id
            ),
        ));
    }
    let mut answers = Vec::new();
    for (text, level_id) in &columns.answers {
        match scale.iter().position(|l| l.id == level_id.trim()) {
            Some(level) => answers.push((normalize(text), level)),
            None => problems.push(InputError::key(
                config_file,
                &format!("{key}.survey.answers"),
                format!(
                    "'{text}' maps to '{level_id}', which is not a level id of the scale (its ids, lowest first: {})",
                    scale
                        .iter()
                        .map(|l| l.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
    problems.into_result()?;
    let reader = RatingReader::with_answers(scale, answers);

    // Then the columns: every column of the export accounted for, every question key found.
    let mut problems = Problems::new();
    let ignored: Vec<String> = columns.ignore.iter().map(|c| normalize(c)).collect();
    let expert_column = columns.expert_column.as_deref().map(normalize);
    let headers = table.column_names();
    let mut roles: Vec<(String, ColumnRole)> = Vec::with_capacity(headers.len());
    let mut unmapped: Vec<&str> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for header in &headers {
        let normal = normalize(header);
        if let Some(first) = seen.insert(normal.clone(), header.clone()) {
            problems.push(InputError::column(
                &table.path,
                header,
                format!("two columns have the same header ('{first}'); rename one in the export"),
            ));
            continue;
        }
        // A question named exactly wins over an ignore pattern that also matches it.
        let role = if expert_column.as_deref() == Some(normal.as_str()) {
            ColumnRole::Expert
        } else if let Some(&position) = questions.get(&normal) {
            ColumnRole::Question(position)
        } else if ignored.iter().any(|pattern| glob_matches(pattern, &normal)) {
            ColumnRole::Ignored
        } else {
            unmapped.push(header);
            problems.push(InputError::column(
                &table.path,
                header,
                format!(
                    "this column is neither a question ({key}.survey.questions), the expert column nor an ignored column ({key}.survey.ignore)"
                ),
            ));
            continue;
        };
        roles.push((header.clone(), role));
    }
    for (normal, position) in &questions {
        if !roles
            .iter()
            .any(|(_, role)| matches!(role, ColumnRole::Question(p) if p == position))
        {
            let header = asked[*position].unwrap_or(normal);
            // The hint: the unaccounted column (or, if none, any column) nearest the key as written.
            let candidates: Vec<&str> = if unmapped.is_empty() {
                headers.iter().map(String::as_str).collect()
            } else {
                unmapped.clone()
            };
            let hint = nearest(normal, &candidates)
                .map(|near| format!("; the nearest column header is '{near}'"))
                .unwrap_or_default();
            problems.push(InputError::column(
                &table.path,
                header,
                format!("{key}.survey.questions names this column, but the file has no such header{hint}"),
            ));
        }
    }
    let expert_header = match (&columns.expert_column, &expert_column) {
        (Some(written), Some(normal)) => roles
            .iter()
            .find(|(_, role)| matches!(role, ColumnRole::Expert))
            .map(|(header, _)| header.clone())
            .or_else(|| {
                problems.push(InputError::column(
                    &table.path,
                    written,
                    format!("{key}.survey.expert_column names this column ('{normal}'), but the file has no such header"),
                ));
                None
            }),
        _ => None,
    };
    problems.into_result()?;

    // Then the answers, cell by cell.
    let mut problems = Problems::new();
    // Respondents: the expert column's values, unique; or the row numbers.
    let experts: Vec<String> = match &expert_header {
        Some(header) => {
            let values = table.required_texts(header, "the respondent's id")?;
            let mut first_row: HashMap<&str, usize> = HashMap::new();
            for (index, value) in values.iter().enumerate() {
                if let Some(first) = first_row.insert(value, index + 1) {
                    problems.push(table.at(index + 1,
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
            Some(w) => problems
                .check(w.units_of(expert).ok_or_else(|| {
                    table.relocate(w.missing(
                        &table.path,
                        index + 1,
                        expert_header.as_deref().unwrap_or("expert"),
                        expert,
                    ))
                }))
                .unwrap_or(0),
            None => 0,
        });
    }

    let mut tally = Tally::new(indicators.len(), scale.len(), weights.is_some());
    // Fully empty rows were dropped when the table was read; a row left with no answer is a mistake.
    let mut answered = vec![false; table.height()];
    // Cells are checked row by row, so that the problems listed are the first ones in the file.
    let question_columns: Vec<(&str, usize, &StringChunked)> = roles
        .iter()
        .filter_map(|(header, role)| match role {
            ColumnRole::Question(position) => Some((header.as_str(), *position)),
            _ => None,
        })
        .map(|(header, position)| Ok((header, position, table.text_column(header)?)))
        .collect::<Result<_, InputError>>()?;
    for (index, done) in answered.iter_mut().enumerate() {
        for (header, position, values) in &question_columns {
            let text = values.get(index).map(str::trim).unwrap_or_default();
            if text.is_empty() {
                continue;
            }
            *done = true;
            match reader.level_of(text) {
                Some(level) => tally.add(index, *position, level, units[index]),
                None => problems.push(table.at(
                    index + 1,
                    header,
                    format!(
                        "expected {}, found '{text}' (map other answer texts in {key}.survey.answers)",
                        reader.expected()
                    ),
                )),
            }
        }
        if !*done {
            let column = expert_header
                .clone()
                .or_else(|| asked.iter().flatten().next().map(|h| h.to_string()))
                .unwrap_or_default();
            problems.push(table.at(
                index + 1,
                &column,
                format!(
                    "respondent '{}' answered no question; remove the row or fill in its answers",
                    experts[index]
                ),
            ));
        }
    }
    problems.into_result()?;
    Ok(tally.finish(scale, indicators, Some(experts.to_vec())))
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters (none included) and `?`
/// for any one; both already normalised. Linear in practice: the last `*` is retried, never more.
pub(crate) fn glob_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            // Let the last `*` take one more character and try again.
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// The candidate nearest `wanted` (both compared normalised, without spaces) by edit distance; long
/// headers are compared on their first 600 characters, which is where a typo shows and keeps the cost bounded.
fn nearest<'a>(wanted: &str, candidates: &[&'a str]) -> Option<&'a str> {
    const COMPARED: usize = 600;
    // Spaces are left out: a stray space in an export is the commonest "typo" of all.
    let letters = |text: &str| -> Vec<char> {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .take(COMPARED)
            .collect()
    };
    let wanted = letters(wanted);
    candidates
        .iter()
        .map(|&candidate| {
            let normal = letters(&normalize(candidate));
            (crate::nearest::edit_distance(&wanted, &normal), candidate)
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
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

    #[test]
    fn one_answer_written_on_two_keyboards_compares_equal() {
        // "بسیار زیاد" with Arabic yeh (U+064A), and with a zero-width non-joiner for the space;
        // "تأیید" and "تایید"; "کم" with Arabic kaf (U+0643); a tatweel inside a word.
        let farsi = normalize("بسیار زیاد");
        assert_eq!(normalize("بسيار زياد"), farsi);
        assert_eq!(normalize("بسیار\u{200C}زیاد"), farsi);
        assert_eq!(normalize("تأیید"), normalize("تایید"));
        assert_eq!(normalize("\u{0643}م"), normalize("کم"));
        assert_eq!(normalize("زيـاد"), normalize("زیاد"));
        // Different words stay different.
        assert_ne!(normalize("زیاد"), normalize("بسیار زیاد"));
    }

    #[test]
    fn ignore_patterns_take_a_star_for_any_text_and_a_question_mark_for_one_character() {
        assert!(glob_matches("timestamp", "timestamp"));
        assert!(!glob_matches("timestamp", "timestamps"));
        assert!(glob_matches("your * is:", "your e-mail address is:"));
        assert!(!glob_matches("your * is:", "your is:"));
        assert!(glob_matches("q? time", "q7 time"));
        assert!(!glob_matches("q? time", "q17 time"));
        assert!(glob_matches("*", ""));
        assert!(glob_matches("a*b*c", "aXbYbZc"));
        assert!(!glob_matches("a*b*c", "aXbYbZ"));
        // Brackets are literal (Google Forms grid questions hold them).
        assert!(glob_matches("rate [alpha]", "rate [alpha]"));
        assert!(!glob_matches("rate [alpha]", "rate a"));
    }

    #[test]
    fn the_nearest_header_is_the_one_fewest_edits_away() {
        let headers = [
            "How important is networking?",
            "Timestamp",
            "How important is capital?",
        ];
        assert_eq!(
            nearest("how importnat is capital?", &headers),
            Some("How important is capital?")
        );
        assert_eq!(nearest("x", &[]), None);
    }
}
