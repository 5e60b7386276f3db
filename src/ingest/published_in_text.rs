//! What the publication prints in its running text, as transcribed: the sample's percentages
//! (`data.published.demographics`) and the counts of its coding and screening
//! (`data.published.coding_counts`).

use crate::analysis::published_in_text::{CountTarget, PublishedCount, Relation, Share, ShareSet};
use crate::domain::Bilingual;
use crate::error::InputError;
use crate::ingest::table::{parse_count, CsvTable};

const DEMOGRAPHICS_COLUMNS: [&str; 10] = [
    "set",
    "set_en",
    "set_fa",
    "exhaustive",
    "category",
    "category_en",
    "category_fa",
    "relation",
    "percent",
    "source_line",
];

const COUNT_COLUMNS: [&str; 7] = [
    "count",
    "label_en",
    "label_fa",
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
/// flag must be the same on all its rows.
pub(crate) fn read_demographics(table: &CsvTable) -> Result<Vec<ShareSet>, InputError> {
    table.require_exact_columns(&DEMOGRAPHICS_COLUMNS)?;
    let column = |name: &str, expected: &str| table.required_texts(name, expected);
    let sets = column("set", "a set id such as gender")?;
    let sets_en = column("set_en", "the set's English name")?;
    let sets_fa = column("set_fa", "the set's Persian name")?;
    let exhaustive = column("exhaustive", "'yes' or 'no'")?;
    let categories = column("category", "a category id")?;
    let categories_en = column("category_en", "the category's English label")?;
    let categories_fa = column("category_fa", "the category's Persian label")?;
    let relations = column("relation", "'=', '>' or '<'")?;
    let percents = column("percent", "a whole percentage from 0 to 100")?;
    let lines = column("source_line", "the line of the source text")?;

    let mut result: Vec<ShareSet> = Vec::new();
    for index in 0..table.height() {
        let row = index + 1;
        let is_exhaustive = match exhaustive[index].as_str() {
            "yes" => true,
            "no" => false,
            other => {
                return Err(table.at(
                    row,
                    "exhaustive",
                    format!("expected 'yes' or 'no', found '{other}'"),
                ))
            }
        };
        let percent = whole_number(
            table,
            row,
            "percent",
            &percents[index],
            "a whole percentage from 0 to 100",
        )?;
        if percent > 100 {
            return Err(table.at(
                row,
                "percent",
                format!(
                    "expected a whole percentage from 0 to 100, found '{}'",
                    percents[index]
                ),
            ));
        }
        let share = Share {
            category: categories[index].clone(),
            label: Bilingual {
                en: categories_en[index].clone(),
                fa: categories_fa[index].clone(),
            },
            relation: relation(table, row, &relations[index])?,
            percent: percent as u32,
            source_line: source_line(table, row, &lines[index])?,
        };
        let label = Bilingual {
            en: sets_en[index].clone(),
            fa: sets_fa[index].clone(),
        };
        match result.iter_mut().find(|s| s.id == sets[index]) {
            Some(set) => {
                if set.label != label || set.exhaustive != is_exhaustive {
                    return Err(table.at(row,
                        "set",
                        format!(
                            "set '{}' has other names or another 'exhaustive' value on an earlier row",
                            sets[index]
                        ),
                    ));
                }
                if set.shares.iter().any(|s| s.category == share.category) {
                    return Err(table.at(
                        row,
                        "category",
                        format!(
                            "category '{}' appears twice in set '{}'",
                            share.category, sets[index]
                        ),
                    ));
                }
                set.shares.push(share);
            }
            None => result.push(ShareSet {
                id: sets[index].clone(),
                label,
                exhaustive: is_exhaustive,
                shares: vec![share],
            }),
        }
    }
    Ok(result)
}

pub(crate) fn read_coding_counts(table: &CsvTable) -> Result<Vec<PublishedCount>, InputError> {
    table.require_exact_columns(&COUNT_COLUMNS)?;
    let ids = table.required_texts("count", "a count id such as initial_codes")?;
    let labels_en = table.required_texts("label_en", "the English label")?;
    let labels_fa = table.required_texts("label_fa", "the Persian label")?;
    let relations = table.required_texts("relation", "'=', '>' or '<'")?;
    let values = table.required_texts("value", "a whole number")?;
    let targets = table.optional_texts("checked_against")?;
    let lines = table.required_texts("source_line", "the line of the source text")?;
    let mut result: Vec<PublishedCount> = Vec::new();
    for index in 0..table.height() {
        let row = index + 1;
        if result.iter().any(|c| c.id == ids[index]) {
            return Err(table.at(
                row,
                "count",
                format!("count '{}' appears twice", ids[index]),
            ));
        }
        let checked_against = match targets[index].as_str() {
            "" => None,
            text => Some(CountTarget::parse(text).ok_or_else(|| {
                table.at(row,
                    "checked_against",
                    format!(
                        "expected indicators, components, accepted, rejected or an empty cell, found '{text}'"
                    ),
                )
            })?),
        };
        result.push(PublishedCount {
            id: ids[index].clone(),
            label: Bilingual {
                en: labels_en[index].clone(),
                fa: labels_fa[index].clone(),
            },
            relation: relation(table, row, &relations[index])?,
            value: whole_number(table, row, "value", &values[index], "a whole number")?,
            checked_against,
            source_line: source_line(table, row, &lines[index])?,
        });
    }
    Ok(result)
}
