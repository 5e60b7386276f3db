//! Printed against reproduced: which rows of a published screening table the data reproduces to the printed digit.

use crate::analysis::fuzzy::ScreeningRow;
use crate::analysis::{PrintedCell, PublishedScreeningRow, Status};
use crate::number::{Exact, RoundingRule};

/// The columns of a screening table, in print order.
pub const SCREENING_COLUMNS: [&str; 5] = ["l", "m", "u", "crisp", "status"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CellVerdict {
    /// The reproduced value, rounded half away from zero at the printed precision, equals the print.
    Match,
    /// It does not.
    Differs,
    /// The source has no value here (lost in extraction or never printed).
    NotPrinted,
    /// There is nothing reproduced to compare with (the indicator had no responses).
    NotReproduced,
}

/// One cell of the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellComparison {
    pub column: &'static str,
    pub printed: String,
    /// The reproduced value at the printed precision (3 decimals when nothing was printed).
    pub reproduced: String,
    pub verdict: CellVerdict,
}

/// One indicator's printed row against its reproduced row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowComparison {
    pub indicator: String,
    pub cells: Vec<CellComparison>,
}

impl RowComparison {
    /// The printed and reproduced rows agree when no printed cell differs.
    pub fn agrees(&self) -> bool {
        self.cells
            .iter()
            .all(|c| matches!(c.verdict, CellVerdict::Match | CellVerdict::NotPrinted))
    }

    pub fn differing_columns(&self) -> Vec<&'static str> {
        self.cells
            .iter()
            .filter(|c| c.verdict == CellVerdict::Differs)
            .map(|c| c.column)
            .collect()
    }
}

/// Decimals used to show a reproduced value when the print has none to compare with.
pub const DEFAULT_DECIMALS: u32 = 3;

/// Compares every published row with the reproduced row of the same indicator.
/// Published rows for indicators that were not reproduced compare as `NotReproduced`.
pub fn compare_screening(
    published: &[PublishedScreeningRow],
    reproduced: &[ScreeningRow],
) -> Vec<RowComparison> {
    published
        .iter()
        .map(|printed| {
            let screened = reproduced
                .iter()
                .find(|r| r.indicator == printed.indicator)
                .and_then(|r| r.result);
            let numbers = [
                ("l", &printed.l, screened.map(|s| s.fuzzy.l)),
                ("m", &printed.m, screened.map(|s| s.fuzzy.m)),
                ("u", &printed.u, screened.map(|s| s.fuzzy.u)),
                ("crisp", &printed.crisp, screened.map(|s| s.crisp)),
            ];
            let mut cells: Vec<CellComparison> = numbers
                .into_iter()
                .map(|(column, cell, exact)| compare_number(column, cell, exact))
                .collect();
            cells.push(compare_status(printed.status, screened.map(|s| s.status)));
            RowComparison {
                indicator: printed.indicator.clone(),
                cells,
            }
        })
        .collect()
}

fn compare_number(
    column: &'static str,
    cell: &PrintedCell,
    exact: Option<Exact>,
) -> CellComparison {
    let decimals = cell.value.map_or(DEFAULT_DECIMALS, |p| p.decimals);
    let reproduced = exact
        .map(|e| e.round_half_away(decimals))
        .unwrap_or_default();
    let verdict = match (cell.value, exact) {
        (None, _) => CellVerdict::NotPrinted,
        (Some(_), None) => CellVerdict::NotReproduced,
        (Some(printed), Some(exact))
            if printed.is_rounding_of(exact, RoundingRule::HalfAwayFromZero) =>
        {
            CellVerdict::Match
        }
        (Some(_), Some(_)) => CellVerdict::Differs,
    };
    CellComparison {
        column,
        printed: cell.text.clone(),
        reproduced,
        verdict,
    }
}

fn compare_status(printed: Option<Status>, reproduced: Option<Status>) -> CellComparison {
    let verdict = match (printed, reproduced) {
        (None, _) => CellVerdict::NotPrinted,
        (Some(_), None) => CellVerdict::NotReproduced,
        (Some(p), Some(r)) if p == r => CellVerdict::Match,
        (Some(_), Some(_)) => CellVerdict::Differs,
    };
    CellComparison {
        column: "status",
        printed: printed.map(|s| s.as_str().to_string()).unwrap_or_default(),
        reproduced: reproduced
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fuzzy::{screen, tests::quarter_scale};
    use crate::analysis::{CountsRow, CountsTable};
    use crate::number::Printed;

    fn cell(text: &str) -> PrintedCell {
        PrintedCell {
            text: text.to_string(),
            value: if text.is_empty() {
                None
            } else {
                Some(Printed::parse(text).unwrap())
            },
        }
    }

    fn published(indicator: &str, values: [&str; 4], status: Status) -> PublishedScreeningRow {
        PublishedScreeningRow {
            indicator: indicator.into(),
            l: cell(values[0]),
            m: cell(values[1]),
            u: cell(values[2]),
            crisp: cell(values[3]),
            status: Some(status),
        }
    }

    #[test]
    fn rows_agree_to_the_printed_digit_and_missing_cells_do_not_count_against_them() {
        let scale = quarter_scale();
        // (1, 2, 5, 4, 3): l = 0.3667, m = 0.600, u = 0.800, crisp = 0.5889 (see fuzzy.rs).
        let counts = CountsTable {
            levels: vec![],
            rows: vec![CountsRow {
                indicator: "A".into(),
                counts: vec![1, 2, 5, 4, 3],
            }],
        };
        let reproduced = screen(&scale, &counts, 15, Exact::new(1, 2).unwrap()).unwrap();

        let exact = compare_screening(
            &[published(
                "A",
                ["0.367", "0.600", "0.800", "0.589"],
                Status::Accepted,
            )],
            &reproduced,
        );
        assert!(exact[0].agrees());

        let lost = compare_screening(
            &[published(
                "A",
                ["", "0.600", "0.800", "0.589"],
                Status::Accepted,
            )],
            &reproduced,
        );
        assert!(lost[0].agrees());
        assert_eq!(lost[0].cells[0].verdict, CellVerdict::NotPrinted);
        assert_eq!(lost[0].cells[0].reproduced, "0.367");

        // Fewer printed decimals are compared at their own precision: 0.3667 -> "0.37".
        let coarse = compare_screening(
            &[published(
                "A",
                ["0.37", "0.6", "0.8", "0.59"],
                Status::Accepted,
            )],
            &reproduced,
        );
        assert!(coarse[0].agrees());

        let typo = compare_screening(
            &[published(
                "A",
                ["0.367", "0.600", "0.800", "0.598"],
                Status::Rejected,
            )],
            &reproduced,
        );
        assert!(!typo[0].agrees());
        assert_eq!(typo[0].differing_columns(), vec!["crisp", "status"]);
        assert_eq!(typo[0].cells[3].reproduced, "0.589");

        let unknown = compare_screening(
            &[published(
                "Z",
                ["0.367", "0.600", "0.800", "0.589"],
                Status::Accepted,
            )],
            &reproduced,
        );
        assert_eq!(unknown[0].cells[0].verdict, CellVerdict::NotReproduced);
        assert!(!unknown[0].agrees());
    }
}
