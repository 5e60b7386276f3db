//! The experts' agreement on every indicator: mean vertex distance, share of experts close to the group, consensus.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::analysis::Status;
use crate::domain::{Aggregation, DecisionRule, InputRole};
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};

/// The `agreement` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "agreement",
    title_key: "cell.agreement.title",
    description: "Expert agreement per indicator: mean distance, agreeing experts, consensus",
    availability: Availability::Screened,
    build: |builder| builder.agreement_cell(),
};

impl Builder<'_> {
    pub(super) fn agreement_cell(&self) -> Result<Cell> {
        let study = self.input.study;
        let method = study.method();
        let mut cell = self.cell("agreement", "cell.agreement.title")?;
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Indicators,
            InputRole::Ratings,
            InputRole::Weights,
        ])?;
        let limits: [(&str, &str); 2] = [
            ("distance", &self.exact_text(method.max_distance)),
            ("agreement", &self.percent(method.min_agreement)),
        ];
        cell.method.push(self.fill("cell.agreement.text", &limits)?);
        if method.aggregation != Aggregation::ArithmeticMean || method.weighted {
            cell.method.push(self.t("cell.agreement.group_number")?);
        }
        let screened: Vec<_> = self
            .input
            .data
            .indicators
            .iter()
            .zip(self.input.screening)
            .filter_map(|(indicator, row)| row.result.map(|s| (indicator, s)))
            .collect();
        if method.decision == DecisionRule::Threshold {
            let combined_accepted = screened
                .iter()
                .filter(|(_, s)| {
                    s.status_at(study.threshold(), DecisionRule::ThresholdAndConsensus)
                        == Status::Accepted
                })
                .count();
            cell.narrative.push(self.fill(
                "cell.agreement.informative",
                &[
                    ("threshold", &self.threshold_text()),
                    ("distance", &self.exact_text(method.max_distance)),
                    ("agreement", &self.percent(method.min_agreement)),
                    ("accepted", &self.int(combined_accepted)),
                    ("total", &self.int(screened.len())),
                ],
            )?);
        }
        let mut rows = Vec::new();
        for (indicator, screened) in &screened {
            let agreement = screened.agreement;
            rows.push(vec![
                self.int(indicator.number),
                indicator.name.get(self.lang).to_string(),
                self.value(agreement.mean_distance),
                self.fill(
                    "agreement.count",
                    &[
                        ("agreeing", &self.int(agreement.agreeing)),
                        ("responses", &self.int(agreement.responses)),
                    ],
                )?,
                self.percent(agreement.share),
                self.yes_no(agreement.close)?,
                self.yes_no(agreement.consensus)?,
            ]);
        }
        cell.tables.push(Table {
            id: "agreement".to_string(),
            caption: self.t("cell.agreement.caption")?,
            headers: vec![
                self.t("col.number")?,
                self.t("col.indicator")?,
                self.t("col.mean_distance")?,
                self.t("col.agreeing")?,
                self.t("col.agreement_percent")?,
                self.fill("col.close", &limits)?,
                self.fill("col.consensus", &limits)?,
            ],
            rows,
        });
        let consensus = screened
            .iter()
            .filter(|(_, s)| s.agreement.consensus)
            .count();
        let close = screened.iter().filter(|(_, s)| s.agreement.close).count();
        cell.notes.push(self.fill(
            "cell.agreement.summary",
            &[
                ("consensus", &self.int(consensus)),
                ("close", &self.int(close)),
                ("total", &self.int(screened.len())),
                ("distance", &self.exact_text(method.max_distance)),
                ("agreement", &self.percent(method.min_agreement)),
            ],
        )?);
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn the_agreement_cell_measures_vertex_distances() {
        let tiny = Tiny::plain();
        let cell = tiny.cell(Lang::EN, "agreement");
        let table = &cell.tables[0];
        assert_eq!(table.id, "agreement");
        // I2: group (1/6, 1/3, 2/3); a low rating is sqrt(6/108) = 0.236 away, a high one
        // sqrt(6/27) = 0.471: mean (2 * 0.236 + 0.471) / 3 = 0.314, nobody within 0.2.
        assert_eq!(
            rows(table),
            [
                "1 | Distribution networks | 0.000 | 3 of 3 | 100 | yes | yes",
                "2 | Export incentives | 0.314 | 0 of 3 | 0 | no | no",
                "3 | Patents | 0.314 | 0 of 3 | 0 | no | no",
            ]
        );
        // The study decides by the threshold alone: the combined rule is shown as information.
        assert!(
            cell.narrative[0].contains("1 of 3 indicators would be accepted"),
            "{}",
            cell.narrative[0]
        );
    }
}
