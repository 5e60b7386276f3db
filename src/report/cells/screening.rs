//! The fuzzy screening of every indicator: fuzzy mean, crisp value and decision (the publication's screening table).

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::domain::InputRole;
use crate::domain::{Aggregation, DecisionRule, Defuzzification};
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table, DISPLAY_DECIMALS};

/// The `screening` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "screening",
    title_key: "cell.screening.title",
    description: "Fuzzy means, crisp values and the decision for every indicator",
    availability: Availability::Ratings,
    build: |builder| builder.screening_cell(),
};

impl Builder<'_> {
    pub(super) fn screening_cell(&self) -> Result<Cell> {
        let study = self.input.study;
        let combined = study.method().decision == DecisionRule::ThresholdAndConsensus;
        let mut cell = self.cell("screening", "cell.screening.title")?;
        cell.narrative.push(if self.input.table_audit.is_some() {
            self.t("cell.screening.text")?
        } else {
            self.fill(
                "cell.screening.text_unpublished",
                &[("decimals", &self.int(DISPLAY_DECIMALS))],
            )?
        });
        // The paper's method has its formulas written out; any other refers to the method cell's.
        let paper_method = study.method().aggregation == Aggregation::ArithmeticMean
            && study.method().defuzzification == Defuzzification::Centroid;
        cell.method.push(self.fill(
            if paper_method {
                "cell.screening.method"
            } else {
                "cell.screening.method_other"
            },
            &[
                ("method_cell", &self.cell_reference("method")?),
                ("threshold", &self.threshold_text()),
                ("decimals", &self.int(DISPLAY_DECIMALS)),
                (
                    "formula",
                    &self.t(&format!(
                        "formula.{}",
                        study.method().defuzzification.name()
                    ))?,
                ),
            ],
        )?);
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Indicators,
            InputRole::Ratings,
        ])?;
        let mut rows = Vec::new();
        for (indicator, row) in self.input.data.indicators.iter().zip(self.input.screening) {
            let mut cells = vec![self.int(indicator.number), self.marked_name(indicator)];
            match row.result {
                Some(result) => {
                    for value in [result.fuzzy.l, result.fuzzy.m, result.fuzzy.u, result.crisp] {
                        cells.push(self.num(&value.round_half_away(DISPLAY_DECIMALS)));
                    }
                    cells.push(self.status_text(Some(result.status))?);
                    if combined {
                        cells.push(self.shortfalls_text(
                            &result.shortfalls(study.threshold(), study.method().decision),
                        )?);
                    }
                }
                None => {
                    cells.extend(std::iter::repeat_n(String::new(), 4));
                    cells.push(self.status_text(None)?);
                    if combined {
                        cells.push(String::new());
                    }
                }
            }
            rows.push(cells);
        }
        let mut headers = vec![
            self.t("col.number")?,
            self.t("col.indicator")?,
            self.t("col.l")?,
            self.t("col.m")?,
            self.t("col.u")?,
            self.t("col.crisp")?,
            self.t("col.status")?,
        ];
        if combined {
            headers.push(self.t("col.reason")?);
        }
        cell.tables.push(Table {
            id: "screening".to_string(),
            caption: self.table_caption(
                study.tables().screening.number,
                study.tables().screening.caption.get(self.lang),
            )?,
            headers,
            rows,
        });
        cell.notes
            .extend(self.reversed_note("cell.screening.reversed_note")?);
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn the_screening_cell_reproduces_the_screening_table() {
        let tiny = Tiny::plain();
        let cell = tiny.cell(Lang::EN, "screening");
        let table = &cell.tables[0];
        assert_eq!(table.id, "screening");
        assert_eq!(
            table.caption,
            "Table 2. Fuzzy means and crisp values of the experts' ratings"
        );
        // Hand-computed in the fixture's header: crisp 2.5/3, 3.5/9 and 5.5/9.
        assert_eq!(
            rows(table),
            [
                "1 | Distribution networks | 0.500 | 1.000 | 1.000 | 0.833 | accepted",
                "2 | Export incentives | 0.167 | 0.333 | 0.667 | 0.389 | rejected",
                "3 | Patents | 0.333 | 0.667 | 0.833 | 0.611 | accepted",
            ]
        );
        // The method refers to the method cell by its number in the document.
        assert!(cell.method[0].contains("of cell 2:"), "{}", cell.method[0]);
        let persian = tiny.cell(Lang::FA, "screening");
        assert_eq!(
            rows(&persian.tables[0])[1],
            "۲ | مشوق‌های صادراتی | ۰٫۱۶۷ | ۰٫۳۳۳ | ۰٫۶۶۷ | ۰٫۳۸۹ | رد"
        );
    }
}
