//! The method: the linguistic scale with its fuzzy numbers, aggregation, defuzzification and the decision rule.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::domain::DecisionRule;
use crate::domain::InputRole;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table, DISPLAY_DECIMALS};
use crate::report::render::escape_markdown;

/// The `method` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "method",
    title_key: "cell.method.title",
    description: "The method: the fuzzy scale, aggregation, defuzzification, the decision rule and its threshold",
    availability: Availability::Ratings,
    build: |builder| builder.method_cell(),
};

impl Builder<'_> {
    pub(super) fn method_cell(&self) -> Result<Cell> {
        let study = self.input.study;
        let mut cell = self.cell("method", "cell.method.title")?;
        cell.narrative.push(self.fill(
            "cell.method.scale",
            &[("levels", &self.int(study.scale().len()))],
        )?);
        cell.method_tables.push(Table {
            id: "scale".to_string(),
            caption: self.t("cell.method.scale_caption")?,
            headers: self.headers(&["col.level", "col.label", "col.l", "col.m", "col.u"])?,
            rows: study
                .scale()
                .iter()
                .enumerate()
                .map(|(index, level)| {
                    let mut row = vec![self.int(index + 1), level.label.get(self.lang).to_string()];
                    row.extend(level.tfn.iter().map(|v| self.num(&v.round_half_away(2))));
                    row
                })
                .collect(),
        });
        if let Some(preset) = study.scale_preset() {
            cell.method.push(self.fill(
                "cell.method.preset",
                &[
                    ("name", preset.name()),
                    ("source", &self.t(&format!("preset.{}", preset.name()))?),
                ],
            )?);
        }
        cell.method.extend(self.raw_scores_paragraph()?);
        cell.method.extend(self.reverse_paragraph()?);
        let method = study.method();
        cell.method
            .push(self.t(&format!("method.aggregation.{}", method.aggregation.name()))?);
        if let Some(path) = &study.data_files().weights {
            cell.method.push(self.fill(
                "cell.method.weights",
                &[("file", &escape_markdown(&path.display().to_string()))],
            )?);
        }
        cell.method.push(self.t(&format!(
            "method.defuzzification.{}",
            method.defuzzification.name()
        ))?);
        cell.method.push(match method.decision {
            DecisionRule::Threshold => self.fill(
                "cell.method.threshold",
                &[("threshold", &self.threshold_text())],
            )?,
            DecisionRule::ThresholdAndConsensus => self.fill(
                "cell.method.combined",
                &[
                    ("threshold", &self.threshold_text()),
                    ("distance", &self.exact_text(method.max_distance)),
                    ("agreement", &self.percent(method.min_agreement)),
                ],
            )?,
        });
        cell.method.extend(self.relative_threshold_paragraph()?);
        cell.method.push(self.fill(
            // "As in the publication" only where there are printed tables to be as.
            if method.is_exact() && self.input.table_audit.is_some() {
                "cell.method.precision"
            } else if method.is_exact() {
                "cell.method.precision_unpublished"
            } else {
                "cell.method.precision_approx"
            },
            &[("decimals", &self.int(DISPLAY_DECIMALS))],
        )?);
        cell.inputs = self.inputs_for(&[InputRole::Configuration])?;
        // The settings of this build that are not study.yaml's come first.
        if let Some(set) = self.parameters_set()? {
            cell.method.insert(0, set);
        }
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn the_method_cell_shows_the_scale_and_the_decision_rule() {
        let tiny = Tiny::plain();
        let cell = tiny.cell(Lang::EN, "method");
        let scale = &cell.method_tables[0];
        assert_eq!(scale.id, "scale");
        assert_eq!(scale.headers, ["Level", "Label", "l", "m", "u"]);
        assert_eq!(
            rows(scale),
            [
                "1 | Low | 0.00 | 0.00 | 0.50",
                "2 | High | 0.50 | 1.00 | 1.00"
            ]
        );
        assert!(
            cell.narrative[0].contains("2-level scale"),
            "{}",
            cell.narrative[0]
        );
        assert!(
            cell.method.contains(
                &"Decision: an indicator is accepted when its crisp value is at least 0.5, otherwise rejected."
                    .to_string()
            ),
            "{:?}",
            cell.method
        );
        let persian = tiny.cell(Lang::FA, "method");
        assert_eq!(
            rows(&persian.method_tables[0])[1],
            "۲ | زیاد | ۰٫۵۰ | ۱٫۰۰ | ۱٫۰۰"
        );
    }
}
