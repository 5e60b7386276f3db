//! The framework: components with their indicators and verdicts, as a figure.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::analysis::Status;
use crate::domain::InputRole;
use crate::report::i18n::InLanguage;
use crate::report::model::{
    Cell, Chart, Figure, FrameworkChart, FrameworkComponent, FrameworkIndicator,
};

/// The `framework` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "framework",
    title_key: "cell.framework.title",
    description: "The framework of components and indicators with their verdicts, as a figure",
    availability: Availability::Ratings,
    build: |builder| builder.framework_cell(),
};

impl Builder<'_> {
    pub(super) fn framework_cell(&self) -> Result<Cell> {
        let mut cell = self.cell("framework", "cell.framework.title")?;
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Components,
            InputRole::Indicators,
            InputRole::Ratings,
        ])?;
        let data = self.input.data;
        let screening = self.input.screening;
        let accepted = screening
            .iter()
            .filter(|r| r.result.map(|s| s.status) == Some(Status::Accepted))
            .count();
        let rejected = screening
            .iter()
            .filter(|r| r.result.map(|s| s.status) == Some(Status::Rejected))
            .count();
        cell.narrative.push(self.fill(
            if self.grouped() {
                "cell.framework.text"
            } else {
                "cell.framework.text_ungrouped"
            },
            &[
                ("components", &self.int(data.components.len())),
                ("indicators", &self.int(data.indicators.len())),
                ("accepted", &self.int(accepted)),
                ("rejected", &self.int(rejected)),
            ],
        )?);
        let components: Vec<FrameworkComponent> = self
            .groups()
            .iter()
            .map(|component| FrameworkComponent {
                name: component.name.get(self.lang).to_string(),
                indicators: data
                    .indicators
                    .iter()
                    .zip(screening)
                    .filter(|(i, _)| i.component == component.id)
                    .map(|(indicator, row)| FrameworkIndicator {
                        number: self.int(indicator.number),
                        name: indicator.name.get(self.lang).to_string(),
                        accepted: row.result.map(|s| s.status == Status::Accepted),
                    })
                    .collect(),
            })
            .collect();
        let title = self.t(if self.grouped() {
            "cell.framework.figure"
        } else {
            "cell.framework.figure_ungrouped"
        })?;
        cell.figures.push(Figure {
            id: "framework".to_string(),
            file: format!("figures/framework.{}.svg", self.lang.code()),
            caption: title.clone(),
            description: title.clone(),
            chart: Chart::Framework(FrameworkChart {
                accepted_label: self.t("status.accepted")?,
                rejected_label: self.t("status.rejected")?,
                components,
            }),
        });
        cell.notes.push(self.t("cell.framework.note")?);
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::Tiny;

    use crate::report::model::Chart;

    #[test]
    fn the_framework_marks_every_indicator_with_its_decision() {
        let tiny = Tiny::plain();
        let cell = tiny.cell(Lang::EN, "framework");
        assert_eq!(
            cell.narrative,
            ["The 2 components and their 3 indicators, each marked with its screening decision: 2 accepted, 1 rejected."]
        );
        let Chart::Framework(chart) = &cell.figures[0].chart else {
            panic!("the framework figure is a framework chart")
        };
        let marks: Vec<(&str, Vec<Option<bool>>)> = chart
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.indicators.iter().map(|i| i.accepted).collect(),
                )
            })
            .collect();
        assert_eq!(
            marks,
            [
                ("Market", vec![Some(true), Some(false)]),
                ("Technology", vec![Some(true)]),
            ]
        );
    }
}
