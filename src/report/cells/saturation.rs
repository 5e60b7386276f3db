//! Saturation: new and cumulative codes interview by interview, as a table and a figure.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::report::figure::saturation::count_ticks;
use crate::report::i18n::InLanguage;
use crate::report::model::{
    Cell, Chart, CountTick, Figure, SaturationChart, SaturationPoint, Table,
};

/// The `saturation` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "saturation",
    title_key: "cell.saturation.title",
    description: "New and cumulative codes per interview, as a table and a figure",
    availability: Availability::Coding,
    build: |builder| builder.saturation_cell(),
};

impl Builder<'_> {
    pub(super) fn saturation_cell(&self) -> Result<Cell> {
        let mut cell = self.cell("saturation", "cell.saturation.title")?;
        cell.inputs = self.coded_inputs(&[])?;
        let (Some(_), Some(results)) = (self.coded(), self.input.qualitative.coding.as_ref())
        else {
            cell.narrative.push(self.t("cell.saturation.none")?);
            return Ok(cell);
        };
        let Some(data) = self.coded_with_codings(&mut cell)? else {
            return Ok(cell);
        };
        cell.narrative.push(self.t("cell.saturation.text")?);
        self.uncoded_documents_note(&mut cell, data)?;
        if results.rule.folded_codings() > 0 || !results.rule.above.is_empty() {
            cell.notes.push(self.fill(
                "cell.saturation.level_rule",
                &[
                    ("level", &self.level_name(data.levels, false)?),
                    ("above", &self.int(results.rule.above.len())),
                ],
            )?);
        }
        let rows = results
            .saturation
            .iter()
            .enumerate()
            .map(|(index, step)| {
                vec![
                    self.int(index + 1),
                    data.documents[step.document].clone(),
                    self.int(step.segments),
                    self.int(step.new_codes),
                    self.int(step.cumulative),
                ]
            })
            .collect();
        cell.tables.push(Table {
            id: "saturation".to_string(),
            caption: self.t("cell.saturation.caption")?,
            headers: self.headers(&[
                "col.interview_order",
                "col.document",
                "col.segments",
                "col.new_codes",
                "col.cumulative_codes",
            ])?,
            rows,
        });
        let steps: Vec<SaturationPoint> = results
            .saturation
            .iter()
            .map(|s| SaturationPoint {
                document: data.documents[s.document].clone(),
                new_codes: s.new_codes,
                cumulative: s.cumulative,
            })
            .collect();
        let most = steps.iter().map(|s| s.cumulative).max().unwrap_or(0);
        let ticks = count_ticks(most)
            .into_iter()
            .map(|value| CountTick {
                value,
                label: self.int(value),
            })
            .collect();
        let title = self.t("cell.saturation.figure")?;
        let chart = SaturationChart {
            x_axis: self.t("col.interview_order")?,
            y_axis: self.t("figure.initial_codes")?,
            new_codes_label: self.t("col.new_codes")?,
            cumulative_label: self.t("col.cumulative_codes")?,
            ticks,
            steps,
        };
        cell.figures.push(Figure {
            id: "saturation".to_string(),
            file: format!("figures/saturation.{}.svg", self.lang.code()),
            description: title.clone(),
            caption: title,
            chart: Chart::Saturation(chart),
        });
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    use crate::report::model::Chart;

    #[test]
    fn saturation_counts_new_codes_interview_by_interview() {
        let tiny = Tiny::rich();
        let cell = tiny.cell(Lang::EN, "saturation");
        let table = &cell.tables[0];
        assert_eq!(table.id, "saturation");
        // A1 brings both initial codes; A2 only repeats Trade fairs.
        assert_eq!(rows(table), ["1 | A1 | 2 | 2 | 2", "2 | A2 | 1 | 0 | 2"]);
        let Chart::Saturation(chart) = &cell.figures[0].chart else {
            panic!("the saturation figure is a saturation chart")
        };
        let steps: Vec<(usize, usize)> = chart
            .steps
            .iter()
            .map(|s| (s.new_codes, s.cumulative))
            .collect();
        assert_eq!(steps, [(2, 2), (0, 2)]);
        // A ratings-only study has no saturation cell; one with a qualitative part but no data for it
        // says what the study folder lacks.
        assert!(Tiny::plain().missing("saturation").is_some());
        let plain = Tiny::qualitative_without_data();
        let cell = plain.cell(Lang::EN, "saturation");
        assert_eq!(
            cell.narrative,
            [plain.text(Lang::EN, "cell.saturation.none")]
        );
        assert!(cell.figures.is_empty());
    }
}
