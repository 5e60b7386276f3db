//! The only place that reads data files: CSV into polars frames, then into the analysis layer's types.

pub(crate) mod archive;
pub(crate) mod demographics;
pub(crate) mod document;
pub(crate) mod names;
pub(crate) mod published_coding;
pub(crate) mod published_in_text;
pub mod qda;
pub(crate) mod ratings;
pub mod stream;
pub(crate) mod survey;
pub(crate) mod table;
pub(crate) mod tally;
pub(crate) mod weights;
pub(crate) mod workbook;

use std::collections::HashSet;
use std::path::Path;

use crate::analysis::published::PublishedCodingTables;
use crate::analysis::{
    Component, CountsTable, Indicator, PrintedCell, PublishedScreeningRow, Round, Status, StudyData,
};
use crate::config::{RatingsShape, Study};
use crate::domain::{InputRole, Lang};
use crate::error::{InputError, Problems};
use crate::number::Printed;
use table::CsvTable;

/// Reads every data file the study configuration names.
pub fn load(study: &Study) -> Result<StudyData, InputError> {
    load_with_progress(study, None)
}

/// Like [`load`], reporting the bytes of a long ratings file as they are read.
///
/// Every file is read even after another failed, so that one run names the problems of every file
/// (up to `error::MAX_LISTED_PROBLEMS`). A file that needs another one read first is read only when
/// that one was: the indicators need the components, the ratings the indicators and the expert
/// weights, the printed counts and screening tables, the printed concepts and the coded segments the
/// indicators, and respondents taken from the coding cases the coded segments.
pub(crate) fn load_with_progress(
    study: &Study,
    progress: Option<stream::Progress>,
) -> Result<StudyData, InputError> {
    let files = study.data_files();
    let folder = study.folder();
    let mut inputs = Vec::new();
    let mut problems = Problems::new();

    let langs = study.languages();
    let (components, components_read) = match &files.components {
        Some(path) => match problems.check(read_table(folder, path, InputRole::Components, |t| {
            read_components(t, langs)
        })) {
            Some((components, input)) => {
                inputs.push(input);
                (Some(components), true)
            }
            None => (None, false),
        },
        None => (None, true),
    };

    // A study without ratings has no indicators (config::parts): nothing to screen.
    let (indicators, reverse, indicators_read) = match &files.indicators {
        Some(path) if components_read => {
            match problems.check(read_table(folder, path, InputRole::Indicators, |t| {
                let indicators = read_indicators(t, components.as_deref(), langs)?;
                Ok((indicators, read_reverse_flags(t)?))
            })) {
                Some(((indicators, reverse), input)) => {
                    inputs.push(input);
                    (indicators, reverse, true)
                }
                None => (Vec::new(), Vec::new(), false),
            }
        }
        Some(_) => (Vec::new(), Vec::new(), false),
        None => (Vec::new(), Vec::new(), true),
    };
    let components = components.unwrap_or_default();

    let (expert_weights, weights_read) = match &files.weights {
        Some(path) => match problems.check(weights::read_weights(folder, path)) {
            Some((weights, input)) => {
                inputs.push(input);
                (Some(weights), true)
            }
            None => (None, false),
        },
        None => (None, true),
    };
    let ratings_files = files.ratings_files();
    let mut rounds = Vec::with_capacity(ratings_files.len());
    if indicators_read && weights_read {
        for (index, file) in ratings_files.iter().enumerate() {
            let key = files.ratings_key(index);
            let read = ratings::read(
                folder,
                file,
                &key,
                study.scale(),
                &indicators,
                expert_weights.as_ref(),
                progress.clone(),
            );
            if let Some((round, ratings_input)) = problems.check(read) {
                inputs.push(ratings_input);
                rounds.push(reverse_round(round, &reverse));
            }
        }
    }
    // The screened round: the last; none for a study without ratings.
    let last = rounds.last().cloned().unwrap_or(Round {
        counts: CountsTable {
            levels: Vec::new(),
            rows: Vec::new(),
        },
        weights: None,
        experts: None,
    });

    let mut published_screening = None;
    let mut published_counts = None;
    let mut published_counts_are_ratings = false;
    let mut published_demographics = None;
    let mut published_coding_counts = None;
    if let Some(published) = &files.published {
        if let Some(path) = published.counts.as_ref().filter(|_| indicators_read) {
            // When the printed counts are not the ratings file itself, the audit compares them cell by
            // cell with the counts the ratings give; either way it checks each row's responses.
            let read = read_table(folder, path, InputRole::PublishedCounts, |t| {
                ratings::counts_from_counts(t, study.scale(), &indicators)
            });
            if let Some((mut printed, input)) = problems.check(read) {
                // Printed counts are read as the answers were given, like the ratings: reversed alike.
                reverse_counts(&mut printed, &reverse);
                published_counts = Some(printed);
                published_counts_are_ratings = ratings_files
                    .last()
                    .is_some_and(|r| r.shape == RatingsShape::Counts && path == &r.path);
                inputs.push(input);
            }
        }
        if let Some(path) = published.screening.as_ref().filter(|_| indicators_read) {
            let read = read_table(folder, path, InputRole::PublishedScreening, |t| {
                read_published_screening(t, &indicators)
            });
            if let Some((screening, input)) = problems.check(read) {
                published_screening = Some(screening);
                inputs.push(input);
            }
        }
        if let Some(path) = &published.demographics {
            let read = read_table(folder, path, InputRole::PublishedDemographics, |t| {
                published_in_text::read_demographics(t, langs)
            });
            if let Some((demographics, input)) = problems.check(read) {
                published_demographics = Some(demographics);
                inputs.push(input);
            }
        }
        if let Some(path) = &published.coding_counts {
            let read = read_table(folder, path, InputRole::PublishedCodingCounts, |t| {
                published_in_text::read_coding_counts(t, langs)
            });
            if let Some((counts, input)) = problems.check(read) {
                published_coding_counts = Some(counts);
                inputs.push(input);
            }
        }
    }

    let mut coding = None;
    let mut published_coding = PublishedCodingTables::default();
    let mut cases = None;
    if let Some(config) = study.coding() {
        if let Some(segments) = config.segments.as_ref().filter(|_| indicators_read) {
            let loaded = problems.check(qda::load(
                folder,
                segments,
                config.codebook.as_deref(),
                config.hierarchy_separator.as_deref(),
                config.levels().len(),
                &indicators,
                langs,
            ));
            if let Some(loaded) = loaded {
                inputs.extend(loaded.inputs);
                cases = Some((loaded.cases, loaded.cases_file));
                coding = Some(loaded.data);
            }
        }
        if let Some(published) = &config.published {
            if let Some(design) = &published.design {
                let read = read_table(folder, &design.path, InputRole::PublishedDesign, |t| {
                    published_coding::read_design(t, langs)
                });
                if let Some((design, input)) = problems.check(read) {
                    published_coding.design = design;
                    inputs.push(input);
                }
            }
            if let Some(sample) = &published.initial_coding {
                let read = read_table(
                    folder,
                    &sample.path,
                    InputRole::PublishedInitialCoding,
                    |t| published_coding::read_initial_coding(t, langs),
                );
                if let Some((initial_coding, input)) = problems.check(read) {
                    published_coding.initial_coding = initial_coding;
                    inputs.push(input);
                }
            }
            if let Some(concepts) = published.concepts.as_ref().filter(|_| indicators_read) {
                let read = read_table(folder, &concepts.path, InputRole::PublishedConcepts, |t| {
                    published_coding::read_concepts(t, &indicators, langs)
                });
                if let Some((concepts, input)) = problems.check(read) {
                    published_coding.concepts = concepts;
                    inputs.push(input);
                }
            }
        }
    }

    let mut respondents = Vec::new();
    if let Some(config) = study.demographics() {
        let mut respondents_read = true;
        if let Some(path) = &config.respondents {
            let read = read_table(folder, path, InputRole::Respondents, |t| {
                demographics::read_respondents(t, config)
            });
            match problems.check(read) {
                Some((read, input)) => {
                    respondents = read;
                    inputs.push(input);
                }
                None => respondents_read = false,
            }
        }
        if let (Some(panel), Some((cases, file)), true) =
            (&config.cases_panel, &cases, respondents_read)
        {
            let from_cases =
                demographics::respondents_from_cases(file, cases, config, panel, &respondents);
            if let Some(from_cases) = problems.check(from_cases) {
                respondents.extend(from_cases);
            }
        }
    }

    let documents = problems.check(document::read_documents(study));
    let page_templates = problems.check(document::read_page_templates(study));
    problems.into_result()?;
    // Every read succeeded: no problem was found.
    let (documents, document_includes, document_inputs) = documents.unwrap_or_default();
    inputs.extend(document_inputs);
    let page_templates = page_templates.unwrap_or_default();

    let reversed = indicators
        .iter()
        .zip(&reverse)
        .filter(|(_, &reversed)| reversed)
        .map(|(indicator, _)| indicator.id.clone())
        .collect();
    Ok(StudyData {
        components,
        indicators,
        counts: last.counts,
        weights: last.weights,
        rounds,
        published_counts,
        published_counts_are_ratings,
        published_screening,
        published_demographics,
        published_coding_counts,
        respondents,
        coding,
        published_coding,
        inputs,
        reversed,
        documents,
        document_includes,
        page_templates,
    })
}

/// Reads the table at `path` (relative to the study folder) and `read`s it: its value and the input
/// file it came from.
fn read_table<T>(
    folder: &Path,
    path: &Path,
    role: InputRole,
    read: impl FnOnce(&CsvTable) -> Result<T, InputError>,
) -> Result<(T, crate::domain::InputFile), InputError> {
    let table = CsvTable::read(folder, path, role)?;
    let value = read(&table)?;
    Ok((value, table.input))
}

/// The optional `reverse` column of the indicators file: `yes` for a reverse-coded item, empty
/// otherwise; `false` for every indicator when the column is absent.
fn read_reverse_flags(table: &CsvTable) -> Result<Vec<bool>, InputError> {
    if !table
        .column_names()
        .iter()
        .any(|name| name == REVERSE_COLUMN)
    {
        return Ok(vec![false; table.height()]);
    }
    let mut problems = Problems::new();
    let flags = table
        .optional_texts(REVERSE_COLUMN)?
        .iter()
        .enumerate()
        .map(|(index, value)| match value.as_str() {
            "yes" => true,
            "" => false,
            other => {
                problems.push(table.at(
                    index + 1,
                    REVERSE_COLUMN,
                    format!(
                        "expected 'yes' (a reverse-coded item) or an empty cell, found '{other}'"
                    ),
                ));
                false
            }
        })
        .collect();
    problems.into_result()?;
    Ok(flags)
}

/// The indicators file's optional column marking reverse-coded items.
pub(crate) const REVERSE_COLUMN: &str = "reverse";

/// A round with the ratings of reverse-coded indicators reversed: an answer at level `k` of `n`
/// (1-based) counts as level `n + 1 - k`, i.e. rating `k` as `lowest + highest - k`.
fn reverse_round(mut round: Round, reverse: &[bool]) -> Round {
    if !reverse.contains(&true) {
        return round;
    }
    reverse_counts(&mut round.counts, reverse);
    if let Some(weights) = &mut round.weights {
        for (row, _) in weights.rows.iter_mut().zip(reverse).filter(|(_, &r)| r) {
            row.reverse();
        }
    }
    if let Some(experts) = &mut round.experts {
        let levels = round.counts.levels.len();
        for (indicator, _) in reverse.iter().enumerate().filter(|(_, &r)| r) {
            experts.reverse_indicator(indicator, levels);
        }
    }
    round
}

/// Swaps the level columns of the reverse-coded indicators' rows: lowest with highest, and so on.
fn reverse_counts(table: &mut CountsTable, reverse: &[bool]) {
    for (row, _) in table.rows.iter_mut().zip(reverse).filter(|(_, &r)| r) {
        row.counts.reverse();
    }
}

/// Each id once: every repeat is a problem.
fn check_unique_ids(table: &CsvTable, ids: &[String], problems: &mut Problems) {
    let mut seen = HashSet::new();
    for (index, id) in ids.iter().enumerate() {
        if !id.is_empty() && !seen.insert(id.as_str()) {
            problems.push(table.at(index + 1, "id", format!("id '{id}' appears twice")));
        }
    }
}

/// `id,name_<code>...[,name_<code>_source...]`: a name in each of the study's languages.
fn read_components(table: &CsvTable, langs: &[Lang]) -> Result<Vec<Component>, InputError> {
    names::require_columns(
        table,
        &["id"],
        &["name"],
        langs,
        &names::source_columns("name"),
    )?;
    let mut problems = Problems::new();
    let ids = table.texts("id", "a component id", &mut problems)?;
    check_unique_ids(table, &ids, &mut problems);
    let names = names::read(table, "name", "name", langs, &mut problems)?;
    let translated = names::translated(table, "name", langs, &[], &mut problems)?;
    problems.into_result()?;
    Ok(ids
        .into_iter()
        .zip(names)
        .zip(translated)
        .map(|((id, name), translated)| Component {
            id,
            name,
            translated,
        })
        .collect())
}

/// `id[,component],name_<code>...[,name_<code>_source...][,reverse]`: `component` names a row of the
/// components file when the study has one, and is absent when it has none.
fn read_indicators(
    table: &CsvTable,
    components: Option<&[Component]>,
    langs: &[Lang],
) -> Result<Vec<Indicator>, InputError> {
    let fixed: &[&str] = if components.is_some() {
        &["id", "component"]
    } else {
        &["id"]
    };
    let mut optional = names::source_columns("name");
    optional.push(REVERSE_COLUMN.to_string());
    if components.is_none() && table.column_names().iter().any(|name| name == "component") {
        return Err(InputError::column(
            &table.path,
            "component",
            "the study has no components file (data.components), so indicators belong to no component; remove the column or give the components",
        ));
    }
    names::require_columns(table, fixed, &["name"], langs, &optional)?;
    if table.height() == 0 {
        return Err(InputError::file(
            &table.path,
            "no indicators; expected one row per indicator",
        ));
    }
    let mut problems = Problems::new();
    let ids = table.texts("id", "an indicator id", &mut problems)?;
    check_unique_ids(table, &ids, &mut problems);
    let component_ids = match components {
        Some(components) => {
            let ids = table.texts("component", "a component id", &mut problems)?;
            for (index, id) in ids.iter().enumerate() {
                if !id.is_empty() && !components.iter().any(|c| &c.id == id) {
                    problems.push(table.at(
                        index + 1,
                        "component",
                        format!("unknown component id '{id}'"),
                    ));
                }
            }
            ids
        }
        None => vec![String::new(); table.height()],
    };
    let names = names::read(table, "name", "name", langs, &mut problems)?;
    let translated = names::translated(table, "name", langs, &[], &mut problems)?;
    problems.into_result()?;
    Ok(ids
        .into_iter()
        .zip(component_ids)
        .zip(names.into_iter().zip(translated))
        .enumerate()
        .map(|(i, ((id, component), (name, translated)))| Indicator {
            id,
            number: i + 1,
            component,
            name,
            translated,
        })
        .collect())
}

/// `indicator,l,m,u,crisp,status` as printed. Every problem of the file is reported in one error,
/// row by row.
fn read_published_screening(
    table: &CsvTable,
    indicators: &[Indicator],
) -> Result<Vec<PublishedScreeningRow>, InputError> {
    table.require_exact_columns(&["indicator", "l", "m", "u", "crisp", "status"])?;
    let mut problems = Problems::new();
    let ids = table.texts("indicator", "an indicator id", &mut problems)?;
    let columns = ["l", "m", "u", "crisp"];
    let texts: Vec<Vec<String>> = columns
        .iter()
        .map(|name| table.optional_texts(name))
        .collect::<Result<_, _>>()?;
    let statuses = table.optional_texts("status")?;
    let mut seen = HashSet::new();
    let mut rows = Vec::with_capacity(ids.len());
    for (index, id) in ids.iter().enumerate() {
        let row = index + 1;
        if !id.is_empty() && !indicators.iter().any(|i| &i.id == id) {
            problems.push(table.at(row, "indicator", format!("unknown indicator id '{id}'")));
        } else if !id.is_empty() && !seen.insert(id.as_str()) {
            problems.push(table.at(row, "indicator", format!("indicator '{id}' appears twice")));
        }
        let mut cells = Vec::with_capacity(columns.len());
        for (name, column) in columns.iter().zip(&texts) {
            let text = column[index].clone();
            let value = if text.is_empty() {
                None
            } else {
                match Printed::parse(&text) {
                    Ok(value) => Some(value),
                    Err(e) => {
                        problems.push(table.at(
                            row,
                            name,
                            format!("expected a printed decimal such as 0.617: {e}"),
                        ));
                        None
                    }
                }
            };
            cells.push(PrintedCell { text, value });
        }
        let status = match statuses[index].as_str() {
            "" => None,
            "accepted" => Some(Status::Accepted),
            "rejected" => Some(Status::Rejected),
            other => {
                problems.push(table.at(
                    row,
                    "status",
                    format!("expected 'accepted', 'rejected' or an empty cell, found '{other}'"),
                ));
                None
            }
        };
        let [l, m, u, crisp]: [PrintedCell; 4] = match cells.try_into() {
            Ok(cells) => cells,
            Err(_) => continue,
        };
        rows.push(PublishedScreeningRow {
            indicator: id.clone(),
            l,
            m,
            u,
            crisp,
            status,
        });
    }
    problems.into_result()?;
    Ok(rows)
}

/// Reads a study's data given its folder: convenience for tests and tools.
/// A relative threshold is worked out here, so the study comes back ready to analyse.
pub fn load_folder(folder: &Path) -> Result<(Study, StudyData), InputError> {
    load_folder_with(folder, &[])
}

/// As [`load_folder`], with the settings `overrides` gives (`--set`) in place of study.yaml's.
pub fn load_folder_with(
    folder: &Path,
    overrides: &[crate::config::Override],
) -> Result<(Study, StudyData), InputError> {
    let mut study = Study::load_with(folder, overrides)?;
    let data = load(&study)?;
    resolve_threshold(&mut study, &data)?;
    Ok((study, data))
}

/// Works out a relative threshold (`method.threshold: {of: ..., factor: ...}`) from the crisp values
/// of the last round and records it in `study`; nothing to do for a fixed threshold.
pub(crate) fn resolve_threshold(study: &mut Study, data: &StudyData) -> Result<(), InputError> {
    let crate::config::ThresholdRule::Relative { of, factor, .. } = study.threshold_rule() else {
        return Ok(());
    };
    let file = study.file();
    let fail = |message: String| InputError::key(&file, "method.threshold", message);
    let panel = u64::from(study.delphi_experts());
    let last = data
        .rounds
        .last()
        .ok_or_else(|| fail("no ratings".into()))?;
    let screening = crate::analysis::fuzzy::screen_with(
        study.method(),
        study.scale(),
        &last.counts,
        last.weights.as_ref(),
        panel,
    )
    .map_err(fail)?;
    let crisp: Vec<crate::number::Num> = screening
        .iter()
        .filter_map(|row| row.result.map(|r| r.crisp))
        .collect();
    let effective =
        crate::analysis::threshold::effective_threshold(of, factor, &crisp).map_err(fail)?;
    study.set_relative_threshold(effective.statistic, effective.threshold);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{CountsRow, ExpertRatings, LevelWeights};
    use crate::number::Exact;

    #[test]
    fn a_reverse_coded_item_counts_level_k_of_n_as_n_plus_1_minus_k() {
        // SYNTHETIC: three experts rate two indicators on 5 levels; the second is reverse-coded.
        // Levels given (1-based): E1 (1, 1), E2 (2, 4), E3 (5, 3); weights E1 1, E2 2, E3 3.
        // Indicator 2 read as 6 - k: E1 5, E2 2, E3 3.
        let int = |n: i128| Exact::from_int(n);
        let round = Round {
            counts: CountsTable {
                levels: (1..=5).map(|l| format!("l{l}")).collect(),
                rows: vec![
                    CountsRow {
                        indicator: "I1".into(),
                        counts: vec![1, 1, 0, 0, 1],
                    },
                    CountsRow {
                        indicator: "I2".into(),
                        counts: vec![1, 0, 1, 1, 0],
                    },
                ],
            },
            weights: Some(LevelWeights {
                rows: vec![
                    vec![int(1), int(2), int(0), int(0), int(3)],
                    vec![int(1), int(0), int(3), int(2), int(0)],
                ],
            }),
            experts: ExpertRatings::new(
                vec!["E1".into(), "E2".into(), "E3".into()],
                2,
                vec![1, 1, 2, 4, 5, 3],
            ),
        };
        let reversed = reverse_round(round, &[false, true]);
        // Indicator 1 is untouched; indicator 2's counts by level are now levels 5, 2 and 3 once each.
        assert_eq!(reversed.counts.rows[0].counts, [1, 1, 0, 0, 1]);
        assert_eq!(reversed.counts.rows[1].counts, [0, 1, 1, 0, 1]);
        // Weight sums follow the experts: level 2 holds E2's 2, level 3 E3's 3, level 5 E1's 1.
        let weights = reversed.weights.unwrap();
        assert_eq!(weights.rows[0], [int(1), int(2), int(0), int(0), int(3)]);
        assert_eq!(weights.rows[1], [int(0), int(2), int(3), int(0), int(1)]);
        // Each expert's own rating (0-based level): E1 1 -> 5, E2 4 -> 2, E3 3 -> 3.
        let experts = reversed.experts.unwrap();
        let second: Vec<Option<usize>> = (0..3).map(|e| experts.level(e, 1)).collect();
        assert_eq!(second, [Some(4), Some(1), Some(2)]);
        let first: Vec<Option<usize>> = (0..3).map(|e| experts.level(e, 0)).collect();
        assert_eq!(first, [Some(0), Some(1), Some(4)]);
    }
}
