//! The screening summarised: accepted and rejected indicators, per component, and the crisp values as a figure.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::analysis::Status;
use crate::domain::DecisionRule;
use crate::domain::InputRole;
use crate::number::without_trailing_zeros;
use crate::report::i18n::InLanguage;
use crate::report::model::{
    Bar, BarChart, BarGroup, BarStyle, Cell, Chart, Figure, LegendEntry, Table, Tick,
    DISPLAY_DECIMALS,
};
use crate::report::render::escape_markdown;

/// The `summary` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "summary",
    title_key: "cell.summary.title",
    description: "How many indicators are accepted and rejected, per component, with the crisp values as a figure",
    availability: Availability::Ratings,
    build: |builder| builder.summary_cell(),
};

impl Builder<'_> {
    pub(super) fn summary_cell(&self) -> Result<Cell> {
        let study = self.input.study;
        let combined = study.method().decision == DecisionRule::ThresholdAndConsensus;
        let mut cell = self.cell("summary", "cell.summary.title")?;
        let screened: Vec<_> = self
            .input
            .screening
            .iter()
            .filter_map(|r| r.result.map(|s| (r.indicator.as_str(), s.status)))
            .collect();
        let accepted = screened
            .iter()
            .filter(|(_, s)| *s == Status::Accepted)
            .count();
        let rejected: Vec<String> = screened
            .iter()
            .filter(|(_, s)| *s == Status::Rejected)
            .map(|(id, _)| -> Result<String> {
                let mut item = format!(
                    "{} ({})",
                    escape_markdown(&self.indicator_name(id)),
                    self.indicator_number(id)
                );
                if combined {
                    let shortfalls = self
                        .input
                        .screening
                        .iter()
                        .find(|r| r.indicator == *id)
                        .and_then(|r| r.result)
                        .map(|s| s.shortfalls(study.threshold(), study.method().decision))
                        .unwrap_or_default();
                    item = self.fill(
                        "cell.summary.rejected_item",
                        &[
                            ("name", &escape_markdown(&self.indicator_name(id))),
                            ("number", &self.indicator_number(id)),
                            (
                                "reason",
                                &escape_markdown(&self.shortfalls_text(&shortfalls)?),
                            ),
                        ],
                    )?;
                }
                Ok(item)
            })
            .collect::<Result<_>>()?;
        let grouped = self.grouped();
        cell.method.push(self.fill(
            if grouped {
                "cell.summary.method"
            } else {
                "cell.summary.method_ungrouped"
            },
            &[("threshold", &self.threshold_text())],
        )?);
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Components,
            InputRole::Indicators,
            InputRole::Ratings,
        ])?;
        cell.narrative.push(self.fill(
            "cell.summary.text",
            &[
                ("threshold", &self.threshold_text()),
                ("accepted", &self.int(accepted)),
                ("rejected", &self.int(rejected.len())),
                ("total", &self.int(self.input.screening.len())),
            ],
        )?);
        cell.narrative.push(if rejected.is_empty() {
            self.t("cell.summary.none_rejected")?
        } else if combined {
            // Items carry comma-separated reasons: separate the items more strongly.
            self.fill(
                "cell.summary.rejected_list",
                &[("list", &rejected.join(&self.t("list.strong_separator")?))],
            )?
        } else {
            self.fill(
                "cell.summary.rejected_list",
                &[("list", &self.join(&rejected)?)],
            )?
        });
        let unscreened: Vec<String> = self
            .input
            .screening
            .iter()
            .filter(|r| r.result.is_none())
            .map(|r| self.indicator_number(&r.indicator))
            .collect();
        if !unscreened.is_empty() {
            cell.narrative.push(self.fill(
                "cell.summary.no_responses",
                &[("list", &self.join(&unscreened)?)],
            )?);
        }
        // Per component; for a study without components, one row of every indicator.
        let mut rows = Vec::new();
        for component in &self.groups() {
            let members: Vec<_> = self
                .input
                .data
                .indicators
                .iter()
                .zip(self.input.screening)
                .filter(|(i, _)| i.component == component.id)
                .map(|(_, r)| r.result.map(|s| s.status))
                .collect();
            let count = |status| members.iter().filter(|s| **s == Some(status)).count();
            let mut row = Vec::new();
            if grouped {
                row.push(component.name.get(self.lang).to_string());
            }
            row.extend([
                self.int(members.len()),
                self.int(count(Status::Accepted)),
                self.int(count(Status::Rejected)),
            ]);
            rows.push(row);
        }
        let mut headers = Vec::new();
        if grouped {
            headers.push(self.t("col.component")?);
        }
        headers.extend([
            self.t("col.indicators")?,
            self.t("col.accepted")?,
            self.t("col.rejected")?,
        ]);
        cell.tables.push(Table {
            id: "components-summary".to_string(),
            caption: self.t(if grouped {
                "cell.summary.caption"
            } else {
                "cell.summary.caption_ungrouped"
            })?,
            headers,
            rows,
        });
        cell.figures.push(self.crisp_figure()?);
        Ok(cell)
    }

    /// Crisp value of every indicator, grouped by component (one group for a study without
    /// components), against the threshold.
    fn crisp_figure(&self) -> Result<Figure> {
        let threshold = self.input.study.threshold().to_f64();
        let grouped = self.grouped();
        let mut groups = Vec::new();
        for component in &self.groups() {
            let mut bars = Vec::new();
            for (indicator, row) in self
                .input
                .data
                .indicators
                .iter()
                .zip(self.input.screening)
                .filter(|(i, _)| i.component == component.id)
            {
                let label = self.fill(
                    "figure.crisp.bar",
                    &[
                        ("number", &self.int(indicator.number)),
                        ("name", indicator.name.get(self.lang)),
                    ],
                )?;
                bars.push(match row.result {
                    Some(result) => Bar {
                        label,
                        value: Some(result.crisp.to_f64()),
                        value_label: self.num(&result.crisp.round_half_away(DISPLAY_DECIMALS)),
                        style: match result.status {
                            Status::Accepted => BarStyle::Accepted,
                            Status::Rejected => BarStyle::Rejected,
                        },
                    },
                    None => Bar {
                        label,
                        value: None,
                        value_label: self.status_text(None)?,
                        style: BarStyle::Missing,
                    },
                });
            }
            if !bars.is_empty() {
                groups.push(BarGroup {
                    label: component.name.get(self.lang).to_string(),
                    bars,
                });
            }
        }
        // The axis spans the scale's values: 0 to 1, or a raw-score scale's own range.
        let (low, high) = self.scale_range();
        let (low, high) = (low.to_f64(), high.to_f64());
        let ticks = (0..=4)
            .map(|quarter| {
                let value = low + (high - low) * f64::from(quarter) / 4.0;
                Tick {
                    value,
                    label: self.num(&format!("{value:.2}")),
                }
            })
            .collect();
        Ok(Figure {
            id: "crisp".to_string(),
            caption: self.fill(
                if grouped {
                    "figure.crisp.caption"
                } else {
                    "figure.crisp.caption_ungrouped"
                },
                &[("threshold", &self.threshold_text())],
            )?,
            file: format!("figures/crisp.{}.svg", self.lang.code()),
            description: self.fill(
                if grouped {
                    "figure.crisp.description"
                } else {
                    "figure.crisp.description_ungrouped"
                },
                &[
                    ("indicators", &self.int(self.input.screening.len())),
                    ("components", &self.int(groups.len())),
                    ("threshold", &self.threshold_text()),
                    (
                        "from",
                        &self.num(&without_trailing_zeros(&format!("{low}"))),
                    ),
                    ("to", &self.num(&without_trailing_zeros(&format!("{high}")))),
                ],
            )?,
            chart: Chart::Bars(BarChart {
                axis_label: self.t("figure.crisp.axis")?,
                min: low,
                max: high,
                ticks,
                reference: Some(Tick {
                    value: threshold,
                    label: self.fill(
                        "figure.crisp.threshold",
                        &[("threshold", &self.threshold_text())],
                    )?,
                }),
                groups,
                legend: vec![
                    LegendEntry {
                        style: BarStyle::Accepted,
                        label: self.t("status.accepted")?,
                    },
                    LegendEntry {
                        style: BarStyle::Rejected,
                        label: self.t("status.rejected")?,
                    },
                ],
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    use crate::report::model::Chart;

    #[test]
    fn the_summary_counts_decisions_per_component_and_draws_the_crisp_values() {
        let tiny = Tiny::plain();
        let cell = tiny.cell(Lang::EN, "summary");
        assert_eq!(
            cell.narrative,
            [
                "At the threshold 0.5, **2** of 3 indicators are accepted and **1** rejected.",
                "Rejected: Export incentives (2).",
            ]
        );
        let table = &cell.tables[0];
        assert_eq!(table.id, "components-summary");
        assert_eq!(
            rows(table),
            ["Market | 2 | 1 | 1", "Technology | 1 | 1 | 0"]
        );
        let figure = &cell.figures[0];
        assert_eq!(figure.id, "crisp");
        assert_eq!(figure.file, "figures/crisp.en.svg");
        let Chart::Bars(chart) = &figure.chart else {
            panic!("the crisp values are bars")
        };
        let bars: Vec<(&str, &str)> = chart
            .groups
            .iter()
            .flat_map(|g| &g.bars)
            .map(|b| (b.label.as_str(), b.value_label.as_str()))
            .collect();
        assert_eq!(
            bars,
            [
                ("1. Distribution networks", "0.833"),
                ("2. Export incentives", "0.389"),
                ("3. Patents", "0.611"),
            ]
        );
        assert_eq!(chart.reference.as_ref().map(|r| r.value), Some(0.5));
        let persian = tiny.cell(Lang::FA, "summary");
        assert_eq!(persian.figures[0].file, "figures/crisp.fa.svg");
        assert_eq!(rows(&persian.tables[0])[0], "بازار | ۲ | ۱ | ۱");
    }
}
