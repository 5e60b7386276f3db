//! The report's method identification cell: the scales, aggregations, defuzzifications and readings of
//! the printed counts' columns ranked by the printed screening rows they reproduce (`identify`), and
//! where this study's own configuration stands among them.

use anyhow::{anyhow, Result};

use super::{Availability, Builder, CellSpec};
use crate::analysis::identify::{Identification, Ranked, AGGREGATIONS, DEFUZZIFICATIONS};
use crate::domain::InputRole;
use crate::domain::{Aggregation, Defuzzification};
use crate::number::DOUBLE_ULPS;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};

/// Combinations the cell's table shows; `tables/identify.csv` holds every one.
pub(super) const TOP: usize = 10;

/// The `identify` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "identify",
    title_key: "cell.identify.title",
    description: "Scales, aggregations, defuzzifications and column readings ranked by the printed screening rows they reproduce",
    availability: Availability::Identification,
    build: |builder| builder.identify_cell(),
};

impl Builder<'_> {
    pub(super) fn identify_cell(&self) -> Result<Cell> {
        let found: &Identification = self
            .input
            .identification
            .ok_or_else(|| anyhow!("the identify cell needs a printed screening table"))?;
        let study = self.input.study;
        let mut cell = self.cell("identify", "cell.identify.title")?;
        let permuted = found.readings > 1;
        let counts_table = self.int(study.tables().counts.number);
        let tried: Vec<String> = (0..found.scales.len())
            .filter(|&s| found.ranked.iter().any(|r| r.scale == s))
            .map(|s| format!("`{}`", found.scales[s].name))
            .collect();
        let readings = if permuted {
            self.fill(
                "cell.identify.readings",
                &[
                    ("readings", &self.int(found.readings)),
                    ("counts_table", &counts_table),
                ],
            )?
        } else {
            String::new()
        };
        cell.narrative.push(self.fill(
            "cell.identify.text",
            &[
                (
                    "screening_table",
                    &self.int(study.tables().screening.number),
                ),
                ("levels", &self.int(study.scale().len())),
                ("scales", &self.join(&tried)?),
                ("aggregations", &self.int(AGGREGATIONS.len())),
                ("defuzzifications", &self.int(DEFUZZIFICATIONS.len())),
                ("readings", &readings),
                ("combinations", &self.int(found.ranked.len())),
                ("rows", &self.int(found.rows)),
            ],
        )?);
        let counts = if permuted {
            self.fill(
                "cell.identify.counts_printed",
                &[("counts_table", &counts_table)],
            )?
        } else {
            self.t("cell.identify.counts_data")?
        };
        cell.method.push(self.fill(
            "cell.identify.method",
            &[
                ("ulps", &self.int(DOUBLE_ULPS)),
                ("threshold", &self.threshold_text()),
                ("counts", &counts),
            ],
        )?);
        if study.method().weighted {
            cell.method.push(self.t("cell.identify.unweighted")?);
        }
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Indicators,
            InputRole::Ratings,
            InputRole::PublishedCounts,
            InputRole::PublishedScreening,
        ])?;
        if found.ranked.is_empty() {
            // No printed row holds a number (statuses only, say): there is nothing to rank.
            cell.notes.push(self.fill(
                "cell.identify.nothing",
                &[(
                    "screening_table",
                    &self.int(study.tables().screening.number),
                )],
            )?);
            return Ok(cell);
        }

        let mut headers = vec![
            self.t("col.rank")?,
            self.t("col.scale")?,
            self.t("col.aggregation")?,
            self.t("col.defuzzification")?,
        ];
        if permuted {
            headers.push(self.t("col.columns_read_as")?);
        }
        headers.push(self.t("col.rows_reproduced")?);
        let mut rows = Vec::new();
        for entry in found.ranked.iter().take(TOP) {
            let rank = self.int(entry.rank);
            let mut row = vec![
                if entry.tied {
                    self.fill("cell.identify.tie", &[("rank", &rank)])?
                } else {
                    rank
                },
                if entry.scale == crate::STUDY_SCALE {
                    self.t("cell.identify.study_scale")?
                } else {
                    found.scales[entry.scale].name.clone()
                },
                self.aggregation_name(entry.aggregation)?,
                self.defuzzification_name(entry.defuzzification)?,
            ];
            if permuted {
                row.push(self.reading_text(entry)?);
            }
            row.push(self.of_rows(entry.reproduced, found.rows)?);
            rows.push(row);
        }
        cell.tables.push(Table {
            id: "identify".to_string(),
            caption: self.fill(
                "cell.identify.caption",
                &[
                    ("top", &self.int(rows.len())),
                    ("combinations", &self.int(found.ranked.len())),
                ],
            )?,
            headers,
            rows,
        });

        if let Some(best) = found.ranked.first() {
            let tied = found.tied_at_top();
            cell.notes.push(if tied > 1 {
                self.fill(
                    "cell.identify.top_tied",
                    &[
                        ("count", &self.int(tied)),
                        ("reproduced", &self.of_rows(best.reproduced, found.rows)?),
                    ],
                )?
            } else {
                self.fill(
                    "cell.identify.top_unique",
                    &[("reproduced", &self.of_rows(best.reproduced, found.rows)?)],
                )?
            });
            // The study's own scale is the first candidate (`identify_loaded`), read as printed.
            let as_printed: Vec<usize> = (0..study.scale().len()).collect();
            let configured = found.find(
                crate::STUDY_SCALE,
                study.method().aggregation,
                study.method().defuzzification,
                &as_printed,
            );
            if let Some(configured) = configured {
                let reading = if permuted {
                    self.fill(
                        "cell.identify.configured_reading",
                        &[("counts_table", &counts_table)],
                    )?
                } else {
                    String::new()
                };
                let values = [
                    (
                        "aggregation",
                        self.aggregation_name(configured.aggregation)?,
                    ),
                    (
                        "defuzzification",
                        self.defuzzification_name(configured.defuzzification)?,
                    ),
                    ("reading", reading),
                    ("rank", self.int(configured.rank)),
                    ("others", self.int(tied.saturating_sub(1))),
                    (
                        "reproduced",
                        self.of_rows(configured.reproduced, found.rows)?,
                    ),
                    ("best", self.of_rows(best.reproduced, found.rows)?),
                ];
                let values: Vec<(&str, &str)> =
                    values.iter().map(|(k, v)| (*k, v.as_str())).collect();
                cell.notes.push(self.fill(
                    match (configured.rank, configured.tied) {
                        (1, false) => "cell.identify.configured_unique",
                        (1, true) => "cell.identify.configured_tied",
                        _ => "cell.identify.configured_lower",
                    },
                    &values,
                )?);
            }
            for group in found.identical_scales() {
                let names: Vec<String> = group
                    .iter()
                    .map(|&s| format!("`{}`", found.scales[s].name))
                    .collect();
                cell.notes
                    .push(self.fill("cell.identify.identical", &[("list", &self.join(&names)?)])?);
            }
        }
        let listed = found.ranked.iter().filter(|r| r.reproduced > 0).count();
        let rest = found.ranked.len() - listed;
        cell.notes.push(if rest == 0 {
            self.t("cell.identify.csv")?
        } else {
            self.fill(
                "cell.identify.csv_partial",
                &[
                    ("listed", &self.int(listed)),
                    ("combinations", &self.int(found.ranked.len())),
                    ("rest", &self.int(rest)),
                    ("rank", &self.int(listed + 1)),
                ],
            )?
        });
        Ok(cell)
    }

    fn aggregation_name(&self, aggregation: Aggregation) -> Result<String> {
        self.t(&format!("name.aggregation.{}", aggregation.name()))
    }

    fn defuzzification_name(&self, defuzzification: Defuzzification) -> Result<String> {
        self.t(&format!("name.defuzzification.{}", defuzzification.name()))
    }

    /// "32 of 48" in the reader's language.
    fn of_rows(&self, reproduced: usize, rows: usize) -> Result<String> {
        self.fill(
            "cell.identify.of_rows",
            &[("n", &self.int(reproduced)), ("rows", &self.int(rows))],
        )
    }

    /// How a combination reads the printed counts' columns: as printed, or each moved column with
    /// the level it is read as (the printed columns are the scale's levels in order).
    fn reading_text(&self, entry: &Ranked) -> Result<String> {
        if entry.reads_as_printed() {
            return self.t("cell.identify.as_printed");
        }
        let scale = &self.input.study.scale();
        let label = |level: usize| {
            scale
                .get(level)
                .map(|l| l.label.get(self.lang).to_string())
                .unwrap_or_else(|| self.int(level + 1))
        };
        let moved: Vec<String> = entry
            .reading
            .iter()
            .enumerate()
            .filter(|(column, level)| column != *level)
            .map(|(column, &level)| {
                self.fill(
                    "cell.identify.moved",
                    &[("column", &label(column)), ("level", &label(level))],
                )
            })
            .collect::<Result<_>>()?;
        self.join(&moved)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn the_studys_own_method_is_found_among_every_candidate() {
        let tiny = Tiny::rich();
        let cell = tiny.cell(Lang::EN, "identify");
        let table = &cell.tables[0];
        assert_eq!(table.id, "identify");
        // 1 scale x 3 aggregations x 4 defuzzifications. The arithmetic mean and the centroid give I1
        // (0.833) and I2 (0.389) as printed; I3's printed 0.621 is no candidate's. A geometric mean of
        // I2's lower vertices (0, 0, 0.5) is 0, so it reproduces only I1, as min / geometric / max
        // does; (l + 2m + u) / 4 gives I1 (0.5 + 2 + 1) / 4 = 0.875: none.
        assert_eq!(
            &rows(table)[..4],
            [
                "1 | study.yaml (this study) | arithmetic mean | centroid | 2 of 3",
                "2 (tie) | study.yaml (this study) | geometric mean | centroid | 1 of 3",
                "2 (tie) | study.yaml (this study) | min / geometric mean / max | centroid | 1 of 3",
                "4 (tie) | study.yaml (this study) | arithmetic mean | alpha-cut mean | 0 of 3",
            ]
        );
        assert_eq!(
            cell.notes[0],
            "**Rank 1 is unique**: it reproduces 2 of 3 printed rows."
        );
        assert!(
            cell.narrative[0].contains("12 combinations in all"),
            "{}",
            cell.narrative[0]
        );
        assert_eq!(
            Tiny::plain().missing("identify"),
            Some("the study has no printed screening table (data.published.screening)")
        );
    }
}
