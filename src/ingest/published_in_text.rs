//! What the publication prints in its running text, as transcribed: the sample's percentages
//! (`data.published.demographics`) and the counts of its coding and screening
//! (`data.published.coding_counts`), with their labels in each report language.

use crate::analysis::published_in_text::{CountTarget, PublishedCount, Relation, Share, ShareSet};
use crate::domain::Lang;
use crate::error::{InputError, Problems};
use crate::ingest::names;
use crate::ingest::table::{parse_count, CsvTable};

/// The columns of the printed percentages besides the labels of sets and categories, which have
/// one column per report language (`set_<code>`, `category_<code>`).
const DEMOGRAPHICS_COLUMNS: [&str; 6] = [
    "set",
    "exhaustive",
    "category",
    "relation",
    "percent",
    "source_line",
];

/// The columns of the printed counts besides their labels (`label_<code>`).
const COUNT_COLUMNS: [&str; 5] = [
    "count",
    "relation",
    "value",
    "checked_against",
    "source_line",
];

fn relation(table: &CsvTable, row: usize, text: &str) -> Result<Relation, InputError> {
    Relation::parse(text).ok_or_else(|| {
        table.at(
            row,
            "relation",
            format!("expected '=', '>' or '<', found '{text}'"),
        )
    })
}

fn whole_number(
    table: &CsvTable,
    row: usize,
    column: &str,
    text: &str,
    expected: &str,
) -> Result<u64, InputError> {
    parse_count(text)
        .ok_or_else(|| table.at(row, column, format!("expected {expected}, found '{text}'")))
}

fn source_line(table: &CsvTable, row: usize, text: &str) -> Result<u32, InputError> {
    let line = whole_number(
        table,
        row,
        "source_line",
        text,
        "the line of the source text (1 or more)",
    )?;
    u32::try_from(line).ok().filter(|&l| l > 0).ok_or_else(|| {
        table.at(
            row,
            "source_line",
            format!("expected the line of the source text (1 or more), found '{text}'"),
        )
    })
}

/// Rows of one set are grouped in order of first appearance; a set's name, labels and `exhaustive`
/// flag must be the same on all its rows. Every problem of the file is reported in one error.
pub(crate) fn read_demographics(
    table: &CsvTable,
    langs: &[Lang],
) -> Result<Vec<ShareSet>, InputError> {
    names::require_columns(
        table,
        &DEMOGRAPHICS_COLUMNS,
        &["set", "category"],
        langs,
        &[],
    )?;
    let mut problems = Problems::new();
    let mut column = |name: &str, expected: &str| table.texts(name, expected, &mut problems);
    let sets = column("set", "a set id such as gender")?;
    let exhaustive = column("exhaustive", "'yes' or 'no'")?;
    let categories = column("category", "a category id")?;
    let relations = column("relation", "'=', '>' or '<'")?;
    let percents = column("percent", "a whole percentage from 0 to 100")?;
    let lines = column("source_line", "the line of the source text")?;
    let set_labels = names::read(table, "set", "name of the set", langs, &mut problems)?;
    let category_labels = names::read(
        table,
        "category",
        "label of the category",
        langs,
        &mut problems,
    )?;

    let mut result: Vec<ShareSet> = Vec::new();
    for index in 0..table.height() {
        let row = index + 1;
        let is_exhaustive = match exhaustive[index].as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            "" => None,
            other => {
                problems.push(table.at(
                    row,
                    "exhaustive",
                    format!("expected 'yes' or 'no', found '{other}'"),
                ));
                None
            }
        };
        let percent = match percents[index].as_str() {
            "" => None,
            text => problems.check(whole_number(
                table,
                row,
                "percent",
                text,
                "a whole percentage from 0 to 100",
            )),
        };
        if let Some(percent) = percent.filter(|p| *p > 100) {
            problems.push(table.at(
                row,
                "percent",
                format!("expected a whole percentage from 0 to 100, found '{percent}'"),
            ));
        }
        let relation = match relations[index].as_str() {
            "" => None,
            text => problems.check(relation(table, row, text)),
        };
        let source_line = match lines[index].as_str() {
            "" => None,
            text => problems.check(source_line(table, row, text)),
        };
        let (Some(is_exhaustive), Some(percent), Some(relation), Some(source_line)) =
            (is_exhaustive, percent, relation, source_line)
        else {
            continue;
        };
        let share = Share {
            category: categories[index].clone(),
            label: category_labels[index].clone(),
            relation,
            percent: percent.min(100) as u32,
            source_line,
        };
        let label = set_labels[index].clone();
        match result.iter_mut().find(|s| s.id == sets[index]) {
            Some(set) => {
                if set.label != label || set.exhaustive != is_exhaustive {
                    problems.push(table.at(row,
                        "set",
                        format!(
                            "set '{}' has other names or another 'exhaustive' value on an earlier row",
                            sets[index]
                        ),
                    ));
                } else if set.shares.iter().any(|s| s.category == share.category) {
                    problems.push(table.at(
                        row,
                        "category",
                        format!(
                            "category '{}' appears twice in set '{}'",
                            share.category, sets[index]
                        ),
                    ));
                } else {
                    set.shares.push(share);
                }
            }
            None => result.push(ShareSet {
                id: sets[index].clone(),
                label,
                exhaustive: is_exhaustive,
                shares: vec![share],
            }),
        }
    }
    problems.into_result()?;
    Ok(result)
}

/// The counts printed in the text, one per row. Every problem of the file is reported in one error.
pub(crate) fn read_coding_counts(
    table: &CsvTable,
    langs: &[Lang],
) -> Result<Vec<PublishedCount>, InputError> {
    names::require_columns(table, &COUNT_COLUMNS, &["label"], langs, &[])?;
    let mut problems = Problems::new();
    let ids = table.texts("count", "a count id such as initial_codes", &mut problems)?;
    let labels = names::read(table, "label", "label", langs, &mut problems)?;
    let relations = table.texts("relation", "'=', '>' or '<'", &mut problems)?;
    let values = table.texts("value", "a whole number", &mut problems)?;
    let targets = table.optional_texts("checked_against")?;
    let lines = table.texts("source_line", "the line of the source text", &mut problems)?;
    let mut result: Vec<PublishedCount> = Vec::new();
    for index in 0..table.height() {
        let row = index + 1;
        if result.iter().any(|c| c.id == ids[index]) {
            problems.push(table.at(
                row,
                "count",
                format!("count '{}' appears twice", ids[index]),
            ));
            continue;
        }
        let checked_against = match targets[index].as_str() {
            "" => Some(None),
            text => match CountTarget::parse(text) {
                Some(target) => Some(Some(target)),
                None => {
                    problems.push(table.at(
                        row,
                        "checked_against",
                        format!(
                            "expected indicators, components, accepted, rejected or an empty cell, found '{text}'"
                        ),
                    ));
                    None
                }
            },
        };
        let relation = match relations[index].as_str() {
            "" => None,
            text => problems.check(relation(table, row, text)),
        };
        let value = match values[index].as_str() {
            "" => None,
            text => problems.check(whole_number(table, row, "value", text, "a whole number")),
        };
        let source_line = match lines[index].as_str() {
            "" => None,
            text => problems.check(source_line(table, row, text)),
        };
        if let (Some(checked_against), Some(relation), Some(value), Some(source_line)) =
            (checked_against, relation, value, source_line)
        {
            result.push(PublishedCount {
                id: ids[index].clone(),
                label: labels[index].clone(),
                relation,
                value,
                checked_against,
                source_line,
            });
        }
    }
    problems.into_result()?;
    Ok(result)
}
