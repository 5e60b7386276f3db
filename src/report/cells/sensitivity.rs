//! How the decisions change with the threshold: counts per threshold, the indicators that flip, and their figure.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::analysis::sensitivity::{accepted_counts, Verdicts};
use crate::analysis::Status;
use crate::domain::InputRole;
use crate::number::{Exact, Num};
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Chart, Figure, Table, VerdictGrid, VerdictRow};

/// The `sensitivity` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "sensitivity",
    title_key: "cell.sensitivity.title",
    description: "Accepted and rejected counts at each threshold of the sweep, and the indicators whose decision flips",
    availability: Availability::Screened,
    build: |builder| builder.sensitivity_cell(),
};

impl Builder<'_> {
    pub(super) fn sensitivity_cell(&self) -> Result<Cell> {
        let study = self.input.study;
        let thresholds = study.sensitivity_thresholds();
        let verdicts = self.input.sensitivity;
        let mut cell = self.cell("sensitivity", "cell.sensitivity.title")?;
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Indicators,
            InputRole::Ratings,
            InputRole::Weights,
        ])?;
        let threshold_label = |t: &Exact| -> Result<String> {
            if *t == study.threshold() {
                self.fill(
                    "sensitivity.study_threshold",
                    &[("threshold", &self.exact_text(*t))],
                )
            } else {
                Ok(self.exact_text(*t))
            }
        };
        let first = thresholds.first().copied().unwrap_or(study.threshold());
        let last = thresholds.last().copied().unwrap_or(study.threshold());
        cell.method.push(self.fill(
            "cell.sensitivity.text",
            &[
                ("from", &self.exact_text(first)),
                ("to", &self.exact_text(last)),
                ("count", &self.int(thresholds.len())),
                ("threshold", &self.threshold_text()),
                (
                    "rule",
                    &self.t(&format!(
                        "sensitivity.rule.{}",
                        study.method().decision.name()
                    ))?,
                ),
            ],
        )?);
        let accepted = accepted_counts(verdicts, thresholds.len());
        let decided = verdicts
            .iter()
            .filter(|v| v.statuses.iter().any(Option::is_some))
            .count();
        let mut rows = Vec::new();
        for (threshold, count) in thresholds.iter().zip(&accepted) {
            rows.push(vec![
                threshold_label(threshold)?,
                self.int(count),
                self.int(decided - count),
            ]);
        }
        cell.tables.push(Table {
            id: "sensitivity-counts".to_string(),
            caption: self.t("cell.sensitivity.counts_caption")?,
            headers: self.headers(&["col.threshold", "col.accepted", "col.rejected"])?,
            rows,
        });
        let crisp_of = |id: &str| {
            self.input
                .screening
                .iter()
                .find(|r| r.indicator == id)
                .and_then(|r| r.result)
                .map(|s| s.crisp)
        };
        let flipping: Vec<(&crate::analysis::Indicator, &Verdicts)> = self
            .input
            .data
            .indicators
            .iter()
            .zip(verdicts)
            .filter(|(_, v)| v.flips())
            .collect();
        if !flipping.is_empty() {
            let mut headers = vec![
                self.t("col.number")?,
                self.t("col.indicator")?,
                self.t("col.crisp")?,
            ];
            for threshold in thresholds.iter() {
                headers.push(threshold_label(threshold)?);
            }
            let mark = |status: &Option<Status>| -> Result<String> {
                match status {
                    Some(Status::Accepted) => self.t("sensitivity.accepted"),
                    Some(Status::Rejected) => self.t("sensitivity.rejected"),
                    None => Ok(String::new()),
                }
            };
            let mut rows = Vec::new();
            for (indicator, verdict) in &flipping {
                let mut row = vec![
                    self.int(indicator.number),
                    indicator.name.get(self.lang).to_string(),
                    crisp_of(&indicator.id)
                        .map(|c| self.value(c))
                        .unwrap_or_default(),
                ];
                for status in &verdict.statuses {
                    row.push(mark(status)?);
                }
                rows.push(row);
            }
            cell.tables.push(Table {
                id: "sensitivity-flips".to_string(),
                caption: self.t("cell.sensitivity.flips_caption")?,
                headers,
                rows,
            });
            let mut figure_rows = Vec::with_capacity(flipping.len());
            for (indicator, verdict) in &flipping {
                let crisp = crisp_of(&indicator.id);
                figure_rows.push(VerdictRow {
                    label: self.fill(
                        "sensitivity.figure_row",
                        &[
                            ("number", &self.int(indicator.number)),
                            ("crisp", &crisp.map(|c| self.value(c)).unwrap_or_default()),
                        ],
                    )?,
                    crisp: crisp.map(Num::to_f64).unwrap_or(0.0),
                    accepted: verdict
                        .statuses
                        .iter()
                        .map(|s| *s == Some(Status::Accepted))
                        .collect(),
                });
            }
            let column_labels: Vec<String> =
                thresholds.iter().map(|t| self.exact_text(*t)).collect();
            let study_column = thresholds.iter().position(|t| *t == study.threshold());
            let caption = self.t("cell.sensitivity.figure_caption")?;
            let grid = VerdictGrid {
                axis_label: self.t("col.threshold")?,
                thresholds: column_labels,
                study_column,
                accepted_label: self.t("status.accepted")?,
                rejected_label: self.t("status.rejected")?,
                rows: figure_rows,
            };
            cell.figures.push(Figure {
                id: "sensitivity".to_string(),
                description: caption.clone(),
                caption,
                file: format!("figures/sensitivity.{}.svg", self.lang.code()),
                chart: Chart::Verdicts(grid),
            });
        }
        let always = |status: Status| {
            verdicts
                .iter()
                .filter(|v| !v.flips() && v.statuses.iter().flatten().next() == Some(&status))
                .count()
        };
        cell.notes.push(self.fill(
            "cell.sensitivity.summary",
            &[
                ("flips", &self.int(flipping.len())),
                ("always_accepted", &self.int(always(Status::Accepted))),
                ("always_rejected", &self.int(always(Status::Rejected))),
                ("total", &self.int(decided)),
            ],
        )?);
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    use crate::report::model::Chart;

    #[test]
    fn the_sensitivity_cell_sweeps_the_threshold() {
        let tiny = Tiny::plain();
        let cell = tiny.cell(Lang::EN, "sensitivity");
        let counts = &cell.tables[0];
        assert_eq!(counts.id, "sensitivity-counts");
        // Crisp values 0.833, 0.389, 0.611: two accepted up to 0.6, one from 0.65.
        assert_eq!(
            rows(counts),
            [
                "0.5 (study) | 2 | 1",
                "0.55 | 2 | 1",
                "0.6 | 2 | 1",
                "0.65 | 1 | 2",
                "0.7 | 1 | 2",
                "0.75 | 1 | 2",
                "0.8 | 1 | 2",
            ]
        );
        let flips = &cell.tables[1];
        assert_eq!(flips.id, "sensitivity-flips");
        assert_eq!(
            rows(flips),
            ["3 | Patents | 0.611 | ✓ | ✓ | ✓ | ✗ | ✗ | ✗ | ✗"]
        );
        let Chart::Verdicts(grid) = &cell.figures[0].chart else {
            panic!("the sensitivity figure is a verdict grid")
        };
        assert_eq!(grid.study_column, Some(0));
        assert_eq!(
            grid.rows[0].accepted,
            [true, true, true, false, false, false, false]
        );
    }
}
