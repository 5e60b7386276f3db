//! The audit cell's table of printed values that are not a plain match, grouped by cause: values of
//! one table with one verdict and one diagnosis, in the same columns of each of their rows, are one
//! table row naming the rows and columns (a shifted block of nine rows is one line, not 36).
//! `tables/audit.csv` keeps one line per audited value.

use anyhow::Result;

use crate::analysis::audit::{AuditedTable, Column, Finding, ValueAudit, Verdict};
use crate::report::findings::Wording;

/// Printed values with one cause: one table, one verdict, the same findings (up to a shifted
/// block's row-by-row source), and the same `columns` in each of `rows`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ValueGroup<'a> {
    pub table: AuditedTable,
    pub verdict: Verdict,
    /// Printed row numbers, ascending.
    pub rows: Vec<usize>,
    /// The columns of every row, in the audit's order.
    pub columns: Vec<&'a Column>,
    /// The values, rows by columns, in the audit's order.
    pub values: Vec<&'a ValueAudit>,
}

impl ValueGroup<'_> {
    /// The findings the group's values share (the first value's: the others say the same cause).
    fn findings(&self) -> &[Finding] {
        &self.values[0].findings
    }
}

/// Do two values' findings name one cause? They do when equal, except that a shifted block names
/// each row's own source: there the block (first, last, offset) is the cause.
fn same_cause(a: &[Finding], b: &[Finding]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|pair| match pair {
            (
                Finding::ShiftedBlock {
                    first,
                    last,
                    offset,
                    ..
                },
                Finding::ShiftedBlock {
                    first: other_first,
                    last: other_last,
                    offset: other_offset,
                    ..
                },
            ) => (first, last, offset) == (other_first, other_last, other_offset),
            (one, other) => one == other,
        })
}

/// The values that are not a plain match, grouped by cause, in the order of each group's first value.
/// `values` is the audit's list: tables in order, each in row order.
pub(super) fn group_values(values: &[ValueAudit]) -> Vec<ValueGroup<'_>> {
    // First within a printed row: its values with one verdict and cause.
    let mut in_rows: Vec<ValueGroup> = Vec::new();
    for value in values.iter().filter(|v| v.verdict != Verdict::Match) {
        let same_row = in_rows
            .iter_mut()
            .rev()
            .take_while(|g| g.table == value.table && g.rows == [value.row])
            .find(|g| g.verdict == value.verdict && same_cause(g.findings(), &value.findings));
        match same_row {
            Some(group) => {
                group.columns.push(&value.column);
                group.values.push(value);
            }
            None => in_rows.push(ValueGroup {
                table: value.table,
                verdict: value.verdict,
                rows: vec![value.row],
                columns: vec![&value.column],
                values: vec![value],
            }),
        }
    }
    // Then across rows: rows with one cause in the same columns.
    let mut groups: Vec<ValueGroup> = Vec::new();
    for row in in_rows {
        let same = groups.iter_mut().find(|g| {
            g.table == row.table
                && g.verdict == row.verdict
                && g.columns == row.columns
                && same_cause(g.findings(), row.findings())
        });
        match same {
            Some(group) => {
                group.rows.extend(row.rows);
                group.values.extend(row.values);
            }
            None => groups.push(row),
        }
    }
    groups
}

/// The table's rows, one per group: table number (as `table_number` writes it), rows (as
/// ranges), columns, printed and reproduced (for a group of one value), verdict, diagnosis.
pub(super) fn group_rows(
    wording: &Wording,
    groups: &[ValueGroup],
    table_number: impl Fn(AuditedTable) -> String,
) -> Result<Vec<Vec<String>>> {
    let mut rows = Vec::new();
    for group in groups {
        let numbers: Vec<u64> = group.rows.iter().map(|&r| r as u64).collect();
        let columns: Vec<String> = group
            .columns
            .iter()
            .map(|c| wording.column(c))
            .collect::<Result<_>>()?;
        let (printed, reproduced) = match group.values.as_slice() {
            [value] => (
                wording.cell_value(&value.column, &value.published)?,
                wording.cell_value(&value.column, &value.reproduced)?,
            ),
            _ => (String::new(), String::new()),
        };
        let diagnosis = match group.values.len() {
            1 => wording.diagnosis(group.findings())?,
            _ => wording.run_diagnosis(group.findings(), &group.rows)?,
        };
        rows.push(vec![
            table_number(group.table),
            wording.number_ranges(&numbers)?,
            wording.names(&columns)?,
            printed,
            reproduced,
            wording.verdict(group.verdict)?,
            diagnosis,
        ]);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::feasibility::Measure;
    use crate::domain::Lang;
    use crate::domain::ScaleLevel;
    use crate::report::i18n::{localize_number, Strings};

    /// A hand-made audited value of the screening table (Table 7 below).
    fn value(
        row: usize,
        measure: Measure,
        published: &str,
        reproduced: &str,
        verdict: Verdict,
        findings: Vec<Finding>,
    ) -> ValueAudit {
        ValueAudit {
            table: AuditedTable::Screening,
            row,
            indicator: format!("I{row}"),
            column: Column::Measure(measure),
            published: published.into(),
            reproduced: reproduced.into(),
            verdict,
            findings,
        }
    }

    fn shifted(row: usize) -> Vec<Finding> {
        vec![Finding::ShiftedBlock {
            first: 3,
            last: 5,
            offset: -1,
            source: row - 1,
        }]
    }

    /// A tiny audit of five rows: empty l cells in rows 1, 2 and 4; rows 3-5 shifted by one
    /// (printed row k shows reproduced row k - 1) in l and crisp, except that row 4's l is not
    /// printed and its crisp is also infeasible; row 2's crisp one digit off.
    fn audit() -> Vec<ValueAudit> {
        use Measure::{Crisp, L};
        use Verdict::{Infeasible, Match, Mismatch, NotPublished};
        let empty = || vec![Finding::NotPublished];
        let mut with_infeasible = vec![Finding::Unproducible {
            ratings: 15,
            below: Some("0.672".into()),
            above: Some("0.678".into()),
        }];
        with_infeasible.extend(shifted(4));
        vec![
            value(1, L, "", "0.300", NotPublished, empty()),
            value(1, Crisp, "0.500", "0.500", Match, vec![]),
            value(2, L, "", "0.400", NotPublished, empty()),
            value(
                2,
                Crisp,
                "0.617",
                "0.611",
                Mismatch,
                vec![Finding::OneDigitDiffers {
                    reproduced: "0.611".into(),
                }],
            ),
            value(3, L, "0.400", "0.500", Mismatch, shifted(3)),
            value(3, Crisp, "0.611", "0.700", Mismatch, shifted(3)),
            value(4, L, "", "0.600", NotPublished, empty()),
            value(4, Crisp, "0.673", "0.800", Infeasible, with_infeasible),
            value(5, L, "0.600", "0.700", Mismatch, shifted(5)),
            value(5, Crisp, "0.800", "0.900", Mismatch, shifted(5)),
        ]
    }

    #[test]
    fn values_with_one_cause_are_one_group_whatever_the_shifted_rows_source() {
        let values = audit();
        let groups = group_values(&values);
        let summary: Vec<(Verdict, Vec<usize>, Vec<&str>, usize)> = groups
            .iter()
            .map(|g| {
                (
                    g.verdict,
                    g.rows.clone(),
                    g.columns.iter().map(|c| c.name()).collect(),
                    g.values.len(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                // The empty cells: one group listing their rows.
                (Verdict::NotPublished, vec![1, 2, 4], vec!["l"], 3),
                (Verdict::Mismatch, vec![2], vec!["crisp"], 1),
                // Rows 3 and 5 of the block, in both columns (each row names its own source).
                (Verdict::Mismatch, vec![3, 5], vec!["l", "crisp"], 4),
                // Row 4's crisp has a second finding: a distinct diagnosis, kept apart.
                (Verdict::Infeasible, vec![4], vec!["crisp"], 1),
            ]
        );
        // Every value that is not a plain match is in exactly one group.
        let grouped: usize = groups.iter().map(|g| g.values.len()).sum();
        assert_eq!(
            grouped,
            values
                .iter()
                .filter(|v| v.verdict != Verdict::Match)
                .count()
        );
        // A finding that differs (another block) splits rows that would otherwise share one.
        let other_block = |row: usize| {
            vec![Finding::ShiftedBlock {
                first: 5,
                last: 6,
                offset: 1,
                source: row + 1,
            }]
        };
        let split = [
            value(3, Measure::L, "0.4", "0.5", Verdict::Mismatch, shifted(3)),
            value(
                5,
                Measure::L,
                "0.6",
                "0.7",
                Verdict::Mismatch,
                other_block(5),
            ),
        ];
        assert_eq!(group_values(&split).len(), 2);
        // So do the columns: rows are merged only when they hold the same columns.
        let columns = [
            value(3, Measure::L, "0.4", "0.5", Verdict::Mismatch, shifted(3)),
            value(3, Measure::M, "0.5", "0.6", Verdict::Mismatch, shifted(3)),
            value(4, Measure::L, "0.5", "0.6", Verdict::Mismatch, shifted(4)),
        ];
        let groups = group_values(&columns);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].rows, [3]);
        assert_eq!(groups[1].rows, [4]);
    }

    fn rows_of(lang: Lang, values: &[ValueAudit]) -> Vec<Vec<String>> {
        let strings = Strings::builtin().unwrap();
        let scale: Vec<ScaleLevel> = Vec::new();
        let wording = Wording {
            lang,
            strings: &strings,
            scale: &scale,
        };
        let seven = localize_number(lang, "7");
        group_rows(&wording, &group_values(values), |_| seven.clone()).unwrap()
    }

    fn rows(lang: Lang) -> Vec<Vec<String>> {
        rows_of(lang, &audit())
    }

    #[test]
    fn a_group_names_its_rows_as_ranges_and_shows_numbers_only_for_a_single_value() {
        assert_eq!(
            rows(Lang::EN),
            [
                [
                    "7",
                    "1–2, 4",
                    "l",
                    "",
                    "",
                    "not published",
                    "The cells are empty in the published table."
                ],
                [
                    "7",
                    "2",
                    "Crisp",
                    "0.617",
                    "0.611",
                    "mismatch",
                    "One digit differs from the reproduced 0.611."
                ],
                [
                    "7",
                    "3, 5",
                    "l, Crisp",
                    "",
                    "",
                    "mismatch",
                    "Printed rows 3-5 show reproduced rows 2-4 (printed row k shows reproduced row k - 1)."
                ],
                [
                    "7",
                    "4",
                    "Crisp",
                    "0.673",
                    "0.800",
                    "infeasible",
                    "No 15 ratings on the scale give this value at its printed precision; the nearest values they can give are 0.672 and 0.678; printed rows 3-5 each equal the reproduction of the row at a constant offset (printed row k shows reproduced row k - 1); this row shows reproduced row 3."
                ],
            ]
        );
        // One row of a block in two columns keeps its own source; one empty cell shows the
        // reproduced value it is compared with.
        let one_row = rows_of(
            Lang::EN,
            &[
                value(3, Measure::L, "0.4", "0.5", Verdict::Mismatch, shifted(3)),
                value(3, Measure::M, "0.5", "0.6", Verdict::Mismatch, shifted(3)),
                value(
                    9,
                    Measure::U,
                    "",
                    "0.9",
                    Verdict::NotPublished,
                    vec![Finding::NotPublished],
                ),
            ],
        );
        assert_eq!(
            one_row[0][1..],
            [
                "3",
                "l, m",
                "",
                "",
                "mismatch",
                "Printed rows 3-5 each equal the reproduction of the row at a constant offset (printed row k shows reproduced row k - 1); this row shows reproduced row 2."
            ]
        );
        assert_eq!(
            one_row[1][1..],
            [
                "9",
                "u",
                "",
                "0.9",
                "not published",
                "The cell is empty in the published table; the reproduced value is shown for reference."
            ]
        );
        let fa = rows(Lang::FA);
        assert_eq!(
            fa[0],
            [
                "۷",
                "۱ تا ۲، ۴",
                "l",
                "",
                "",
                "چاپ‌نشده",
                "این خانه‌ها در جدول چاپ‌شده خالی‌اند."
            ]
        );
        assert_eq!(
            fa[2][6],
            "سطرهای چاپ‌شدهٔ ۳ تا ۵ سطرهای بازتولیدشدهٔ ۲ تا ۴ را نشان می‌دهند (سطر چاپ‌شدهٔ k سطر بازتولیدشدهٔ k − ۱ را)."
        );
        assert_eq!(fa[3][3..6], ["۰٫۶۷۳", "۰٫۸۰۰", "ناممکن"]);
        // A right-to-left mark after each comma: "l" reads first from the right, not "Crisp".
        assert_eq!(fa[2][2], "l،\u{200f} میانگین قطعی");
    }
}
