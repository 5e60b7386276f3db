//! The experts' ratings counted per indicator and level (the publication's counts table).

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::config::RatingsShape;
use crate::domain::InputRole;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};

/// The `counts` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "counts",
    title_key: "cell.counts.title",
    description:
        "The experts' ratings per indicator and scale level, with incomplete responses flagged",
    availability: Availability::Ratings,
    build: |builder| builder.counts_cell(),
};

impl Builder<'_> {
    pub(super) fn counts_cell(&self) -> Result<Cell> {
        let study = self.input.study;
        let panel = u64::from(study.delphi_experts());
        let mut cell = self.cell("counts", "cell.counts.title")?;
        let last_round = study.data_files().ratings_files();
        let shape = match last_round.last().map(|r| r.shape) {
            Some(RatingsShape::Counts) => "shape.counts",
            Some(RatingsShape::Long) => "shape.long",
            Some(RatingsShape::Wide) => "shape.wide",
            Some(RatingsShape::Survey) | None => "shape.survey",
        };
        cell.narrative.push(self.fill(
            "cell.counts.text",
            &[("shape", &self.t(shape)?), ("panel", &self.int(panel))],
        )?);
        cell.method
            .push(self.fill("cell.counts.method", &[("panel", &self.int(panel))])?);
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Components,
            InputRole::Indicators,
            InputRole::Ratings,
        ])?;
        if last_round.len() > 1 {
            cell.narrative.push(self.fill(
                "cell.counts.last_round",
                &[("rounds", &self.int(last_round.len()))],
            )?);
        }
        // The component column only for a study with components.
        let grouped = self.grouped();
        let mut headers = vec![self.t("col.number")?];
        if grouped {
            headers.push(self.t("col.component")?);
        }
        headers.push(self.t("col.indicator")?);
        headers.extend(
            study
                .scale()
                .iter()
                .map(|l| l.label.get(self.lang).to_string()),
        );
        headers.push(self.t("col.responses")?);
        let mut rows = Vec::new();
        let mut incomplete = Vec::new();
        for (indicator, counts) in self
            .input
            .data
            .indicators
            .iter()
            .zip(&self.input.data.counts.rows)
        {
            let mut row = vec![self.int(indicator.number)];
            if grouped {
                row.push(self.component_name(&indicator.component));
            }
            row.push(self.marked_name(indicator));
            row.extend(counts.counts.iter().map(|c| self.int(c)));
            let responses = counts.responses();
            if responses == panel {
                row.push(self.int(responses));
            } else {
                row.push(self.fill(
                    "flag.incomplete",
                    &[
                        ("responses", &self.int(responses)),
                        ("panel", &self.int(panel)),
                    ],
                )?);
                incomplete.push(self.fill(
                    "cell.counts.incomplete_item",
                    &[
                        ("number", &self.int(indicator.number)),
                        ("responses", &self.int(responses)),
                    ],
                )?);
            }
            rows.push(row);
        }
        cell.tables.push(Table {
            id: "counts".to_string(),
            caption: self.table_caption(
                study.tables().counts.number,
                study.tables().counts.caption.get(self.lang),
            )?,
            headers,
            rows,
        });
        cell.notes.push(if incomplete.is_empty() {
            self.fill(
                "cell.counts.all_complete",
                &[
                    ("indicators", &self.int(self.input.data.indicators.len())),
                    ("panel", &self.int(panel)),
                ],
            )?
        } else {
            self.fill(
                "cell.counts.incomplete",
                &[
                    ("count", &self.int(incomplete.len())),
                    ("panel", &self.int(panel)),
                    ("list", &self.join(&incomplete)?),
                ],
            )?
        });
        cell.notes
            .extend(self.reversed_note("cell.counts.reversed_note")?);
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn the_counts_cell_reproduces_the_counts_table() {
        let tiny = Tiny::plain();
        let cell = tiny.cell(Lang::EN, "counts");
        let table = &cell.tables[0];
        assert_eq!(table.id, "counts");
        assert_eq!(table.caption, "Table 1. Experts' ratings per indicator");
        assert_eq!(
            rows(table),
            [
                "1 | Market | Distribution networks | 0 | 3 | 3",
                "2 | Market | Export incentives | 2 | 1 | 3",
                "3 | Technology | Patents | 1 | 2 | 3",
            ]
        );
        assert_eq!(cell.notes, ["All 3 indicators have 3 responses."]);
    }

    #[test]
    fn an_indicator_short_of_responses_is_flagged() {
        let tiny = Tiny::plain_with(|data| data.counts.rows[2].counts = vec![1, 1]);
        let cell = tiny.cell(Lang::EN, "counts");
        let last = &cell.tables[0].rows[2];
        assert_eq!(last[5], "2 (expected 3)", "{last:?}");
        assert!(
            cell.notes[0].contains("3 (2 responses)"),
            "{}",
            cell.notes[0]
        );
    }
}
