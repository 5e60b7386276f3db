//! Experts' ratings in four shapes (counts per level, long, wide, survey export), all reduced to counts
//! (and weight sums) per indicator and level.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::analysis::{CountsRow, CountsTable, Indicator, Round};
use crate::config::{RatingsFile, RatingsShape, STUDY_FILE};
use crate::domain::ScaleLevel;
use crate::domain::{InputFile, InputRole};
use crate::error::{InputError, Problems};
use crate::ingest::stream::{read_long_ratings, Progress};
use crate::ingest::survey::{normalize, read_survey};
use crate::ingest::table::{ascii_digits, parse_count, CsvTable};
use crate::ingest::tally::Tally;
use crate::ingest::weights::ExpertWeights;

/// Turns a rating as written (level number 1..k, level id, English or Persian label, or an answer text
/// the study maps to a level) into a level index.
pub(crate) struct RatingReader<'a> {
    scale: &'a [ScaleLevel],
    /// Each level's id and labels (normalised by `survey::normalize`), with the level.
    names: Vec<(String, usize)>,
    /// Extra answer texts (normalised) and their level.
    answers: Vec<(String, usize)>,
}

impl<'a> RatingReader<'a> {
    pub(crate) fn new(scale: &'a [ScaleLevel]) -> Self {
        RatingReader::with_answers(scale, Vec::new())
    }

    /// A reader that also knows the given answer texts (normalised by `survey::normalize`).
    pub(crate) fn with_answers(scale: &'a [ScaleLevel], answers: Vec<(String, usize)>) -> Self {
        let names = scale
            .iter()
            .enumerate()
            .flat_map(|(index, level)| {
                std::iter::once(normalize(&level.id))
                    .chain(level.label.iter().map(|(_, label)| normalize(label)))
                    .map(move |name| (name, index))
            })
            .collect();
        RatingReader {
            scale,
            names,
            answers,
        }
    }

    /// The 0-based level index, or `None` when the text names no level. Ids, labels and answer
    /// texts are compared as `survey::normalize` writes them (case, spacing and the letters
    /// keyboards write two ways do not matter).
    pub(crate) fn level_of(&self, text: &str) -> Option<usize> {
        let text = ascii_digits(text.trim());
        if let Ok(number) = text.parse::<usize>() {
            return (1..=self.scale.len()).contains(&number).then(|| number - 1);
        }
        let normal = normalize(&text);
        self.names
            .iter()
            .chain(&self.answers)
            .find(|(name, _)| *name == normal)
            .map(|(_, level)| *level)
    }

    /// What a rating may be, for error messages.
    pub(crate) fn expected(&self) -> String {
        let ids: Vec<&str> = self.scale.iter().map(|l| l.id.as_str()).collect();
        format!(
            "a level number from 1 to {} or a level name ({})",
            self.scale.len(),
            ids.join(", ")
        )
    }
}

/// Reads one round's ratings file in its configured shape into counts (and weight sums, when `weights`
/// is given) per indicator and level, with its provenance. `key` is the file's study.yaml key.
///
/// Long files can be large (one row per rating): they are streamed, never held in memory whole.
pub(crate) fn read(
    folder: &Path,
    file: &RatingsFile,
    key: &str,
    scale: &[ScaleLevel],
    indicators: &[Indicator],
    weights: Option<&ExpertWeights>,
    progress: Option<Progress>,
) -> Result<(Round, InputFile), InputError> {
    let relative = file.path.as_path();
    match file.shape {
        RatingsShape::Long => {
            let path = folder.join(relative);
            if super::workbook::is_workbook(&path) {
                return Err(InputError::file(
                    &path,
                    "long ratings are streamed from CSV; save the worksheet as CSV (UTF-8)",
                ));
            }
            let long = read_long_ratings(&path, scale, indicators, weights, progress)?;
            Ok((
                long.round,
                InputFile::new(InputRole::Ratings, relative, long.rows, long.sha256),
            ))
        }
        RatingsShape::Counts | RatingsShape::Wide | RatingsShape::Survey => {
            let table =
                CsvTable::read_sheet(folder, relative, InputRole::Ratings, file.sheet.as_deref())?;
            let round = match (&file.shape, &file.survey) {
                (RatingsShape::Counts, _) => Round {
                    counts: counts_from_counts(&table, scale, indicators)?,
                    weights: None,
                    experts: None,
                },
                (RatingsShape::Survey, Some(columns)) => read_survey(
                    &table,
                    columns,
                    &folder.join(STUDY_FILE),
                    key,
                    scale,
                    indicators,
                    weights,
                )?,
                (RatingsShape::Survey, None) => {
                    return Err(InputError::key(
                        &folder.join(STUDY_FILE),
                        &format!("{key}.survey"),
                        "shape `survey` needs a `survey` block",
                    ))
                }
                _ => round_from_wide(&table, scale, indicators, weights)?,
            };
            Ok((round, table.input))
        }
    }
}

fn empty_table(scale: &[ScaleLevel], indicators: &[Indicator]) -> CountsTable {
    CountsTable {
        levels: scale.iter().map(|l| l.id.clone()).collect(),
        rows: indicators
            .iter()
            .map(|i| CountsRow {
                indicator: i.id.clone(),
                counts: vec![0; scale.len()],
            })
            .collect(),
    }
}

fn indicator_positions(indicators: &[Indicator]) -> HashMap<&str, usize> {
    indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| (ind.id.as_str(), i))
        .collect()
}

/// `indicator,<level id>...`: one row per indicator holding the number of experts per level. Every
/// problem of the file is reported in one error.
pub(crate) fn counts_from_counts(
    table: &CsvTable,
    scale: &[ScaleLevel],
    indicators: &[Indicator],
) -> Result<CountsTable, InputError> {
    let mut columns = vec!["indicator"];
    columns.extend(scale.iter().map(|l| l.id.as_str()));
    table.require_exact_columns(&columns)?;
    let positions = indicator_positions(indicators);
    let mut problems = Problems::new();
    let ids = table.texts("indicator", "an indicator id", &mut problems)?;
    let mut result = empty_table(scale, indicators);
    let mut seen_at: Vec<Option<usize>> = vec![None; indicators.len()];
    // The position of each row's indicator; `None` for a row whose id is empty, unknown or repeated.
    let mut row_positions: Vec<Option<usize>> = Vec::with_capacity(ids.len());
    for (row_index, id) in ids.iter().enumerate() {
        let row = row_index + 1;
        let position = match positions.get(id.as_str()) {
            _ if id.is_empty() => None,
            None => {
                problems.push(table.at(row, "indicator", format!("unknown indicator id '{id}'")));
                None
            }
            Some(&position) => match seen_at[position] {
                Some(first) => {
                    problems.push(table.at(
                        row,
                        "indicator",
                        format!(
                            "indicator '{id}' already has a row (row {})",
                            table.file_row(first)
                        ),
                    ));
                    None
                }
                None => {
                    seen_at[position] = Some(row);
                    Some(position)
                }
            },
        };
        row_positions.push(position);
    }
    // Cells row by row, so that the problems listed are the first ones in the file.
    let columns: Vec<Vec<String>> = scale
        .iter()
        .map(|level| table.optional_texts(&level.id))
        .collect::<Result<_, _>>()?;
    for (row_index, position) in row_positions.iter().enumerate() {
        for (level_index, level) in scale.iter().enumerate() {
            let text = &columns[level_index][row_index];
            match parse_count(text) {
                Some(count) => {
                    if let Some(position) = position {
                        result.rows[*position].counts[level_index] = count;
                    }
                }
                None => problems.push(table.at(
                    row_index + 1,
                    &level.id,
                    format!("expected a whole number of experts (0 or more), found '{text}'"),
                )),
            }
        }
    }
    // Indicators without a row: one problem naming them (a header-only file lacks every one).
    let missing: Vec<&str> = (0..seen_at.len())
        .filter(|&i| seen_at[i].is_none())
        .map(|i| indicators[i].id.as_str())
        .collect();
    match missing.as_slice() {
        [] => {}
        [one] => problems.push(InputError::column(
            &table.path,
            "indicator",
            format!("indicator '{one}' has no row; every indicator needs one"),
        )),
        many => {
            let shown: Vec<String> = many.iter().take(10).map(|id| format!("'{id}'")).collect();
            let more = if many.len() > shown.len() {
                format!(" and {} more", many.len() - shown.len())
            } else {
                String::new()
            };
            problems.push(InputError::column(
                &table.path,
                "indicator",
                format!(
                    "{} indicators have no row ({}{more}); every indicator needs one",
                    many.len(),
                    shown.join(", ")
                ),
            ));
        }
    }
    problems.into_result()?;
    Ok(result)
}

/// `expert,<indicator id>...`: one row per expert, an empty cell being a rating the expert did not give;
/// the counts per level, with the weight sums per level when `weights` is given. Every problem of the
/// file is reported in one error.
pub(crate) fn round_from_wide(
    table: &CsvTable,
    scale: &[ScaleLevel],
    indicators: &[Indicator],
    weights: Option<&ExpertWeights>,
) -> Result<Round, InputError> {
    let mut columns = vec!["expert"];
    columns.extend(indicators.iter().map(|i| i.id.as_str()));
    table.require_exact_columns(&columns)?;
    let mut problems = Problems::new();
    let experts = table.texts("expert", "an expert id", &mut problems)?;
    let mut first_row_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, expert) in experts.iter().enumerate() {
        if expert.is_empty() {
            continue;
        }
        if let Some(first) = first_row_of.insert(expert, index + 1) {
            problems.push(table.at(
                index + 1,
                "expert",
                format!(
                    "expert '{expert}' has two rows (first at row {}); expected one row per expert",
                    table.file_row(first)
                ),
            ));
        }
    }
    let mut units = Vec::with_capacity(experts.len());
    for (index, expert) in experts.iter().enumerate() {
        units.push(match weights {
            Some(w) if !expert.is_empty() => match w.units_of(expert) {
                Some(units) => units,
                None => {
                    problems.push(table.relocate(w.missing(
                        &table.path,
                        index + 1,
                        "expert",
                        expert,
                    )));
                    0
                }
            },
            _ => 0,
        });
    }
    let reader = RatingReader::new(scale);
    let mut tally = Tally::new(indicators.len(), scale.len(), weights.is_some());
    // Fully empty rows were dropped when the table was read; a row with an id and no rating is a mistake.
    let mut rated = vec![false; table.height()];
    let columns: Vec<Vec<String>> = indicators
        .iter()
        .map(|indicator| table.optional_texts(&indicator.id))
        .collect::<Result<_, _>>()?;
    // Row by row, so that the problems listed are the first ones in the file.
    for index in 0..table.height() {
        for (position, indicator) in indicators.iter().enumerate() {
            let text = &columns[position][index];
            if text.is_empty() {
                continue;
            }
            rated[index] = true;
            match reader.level_of(text) {
                Some(level) => tally.add(index, position, level, units[index]),
                None => problems.push(table.at(
                    index + 1,
                    &indicator.id,
                    format!("expected {}, found '{text}'", reader.expected()),
                )),
            }
        }
        if !rated[index] && !experts[index].is_empty() {
            problems.push(table.at(
                index + 1,
                "expert",
                format!(
                    "expert '{}' rated no indicator; remove the row or fill in the ratings",
                    experts[index]
                ),
            ));
        }
    }
    problems.into_result()?;
    Ok(tally.finish(scale, indicators, Some(experts.to_vec())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fuzzy::tests::quarter_scale;

    #[test]
    fn ratings_are_read_by_number_id_or_label_in_either_language() {
        let mut scale = quarter_scale();
        scale[4].id = "very_high".into();
        scale[4].label = crate::domain::Names::of(&[
            (crate::domain::Lang::EN, "Very high"),
            (crate::domain::Lang::FA, "بسیار زیاد"),
        ]);
        let reader = RatingReader::new(&scale);
        assert_eq!(reader.level_of("5"), Some(4));
        assert_eq!(reader.level_of("۵"), Some(4));
        assert_eq!(reader.level_of("very_high"), Some(4));
        assert_eq!(reader.level_of(" VERY HIGH "), Some(4));
        assert_eq!(reader.level_of("بسیار زیاد"), Some(4));
        assert_eq!(reader.level_of("1"), Some(0));
        assert_eq!(reader.level_of("0"), None);
        assert_eq!(reader.level_of("6"), None);
        assert_eq!(reader.level_of("4.5"), None);
        assert_eq!(reader.level_of("huge"), None);
        // The label as another keyboard writes it: Arabic yeh (U+064A), a zero-width non-joiner
        // for the space, doubled spaces.
        assert_eq!(reader.level_of("بسيار زياد"), Some(4));
        assert_eq!(reader.level_of("بسیار\u{200C}زیاد"), Some(4));
        assert_eq!(reader.level_of("بسیار   زیاد"), Some(4));
        assert_eq!(reader.level_of("زیاد"), None);
    }
}
