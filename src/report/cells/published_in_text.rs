//! The numbers the publication prints in its text (sample percentages, coding counts), checked against the study.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::domain::InputRole;
use crate::report::i18n::localize_digits;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};

/// The `aggregates` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "aggregates",
    title_key: "cell.aggregates.title",
    description: "The percentages and counts the publication prints in its text, checked against the panels and the data",
    availability: Availability::PublishedInText,
    build: |builder| builder.published_in_text_cell(),
};

impl Builder<'_> {
    pub(super) fn published_in_text_cell(&self) -> Result<Cell> {
        let mut cell = self.cell("aggregates", "cell.aggregates.title")?;
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Components,
            InputRole::Indicators,
            InputRole::Ratings,
            InputRole::PublishedDemographics,
            InputRole::PublishedCodingCounts,
        ])?;
        if let Some(sets) = self.input.shares_audit {
            let max_n = sets.first().map_or(0, |s| s.max_n);
            cell.method
                .push(self.fill("cell.aggregates.text", &[("max_n", &self.int(max_n))])?);
            let mut headers = vec![
                self.t("col.set")?,
                self.t("col.printed")?,
                self.t("col.exhaustive")?,
            ];
            if let Some(first) = sets.first() {
                for (panel, n, _) in &first.panels {
                    headers.push(self.fill(
                        "col.panel_n",
                        &[
                            ("n", &self.int(n)),
                            ("panel", &self.t(&format!("panel.{}", panel.as_str()))?),
                        ],
                    )?);
                }
            }
            headers.push(self.fill("col.feasible_n", &[("max_n", &self.int(max_n))])?);
            let answer = |yes: bool| self.t(if yes { "answer.yes" } else { "answer.no" });
            let mut rows = Vec::new();
            for audited in sets {
                let shares: Vec<String> = audited
                    .set
                    .shares
                    .iter()
                    .map(|share| {
                        self.fill(
                            "share.item",
                            &[
                                (
                                    "label",
                                    &localize_digits(self.lang, share.label.get(self.lang)),
                                ),
                                (
                                    "relation",
                                    &self.t(&format!("relation.{}", share.relation.name()))?,
                                ),
                                ("percent", &self.int(share.percent)),
                            ],
                        )
                    })
                    .collect::<Result<_>>()?;
                let mut row = vec![
                    audited.set.label.get(self.lang).to_string(),
                    self.join(&shares)?,
                    answer(audited.set.exhaustive)?,
                ];
                for (_, _, feasible) in &audited.panels {
                    row.push(answer(*feasible)?);
                }
                row.push(self.number_ranges(&audited.feasible_sizes)?);
                rows.push(row);
            }
            cell.tables.push(Table {
                id: "printed-shares".to_string(),
                caption: self.t("cell.aggregates.shares_caption")?,
                headers,
                rows,
            });
        }
        if let Some(counts) = self.input.counts_audit {
            cell.notes.push(self.t("cell.aggregates.counts_text")?);
            let mut rows = Vec::new();
            for audited in counts {
                let target = match audited.count.checked_against {
                    Some(target) => self.t(&format!("target.{}", target.as_str()))?,
                    None => self.t("target.none")?,
                };
                rows.push(vec![
                    localize_digits(self.lang, audited.count.label.get(self.lang)),
                    format!(
                        "{}{}",
                        self.t(&format!("relation.{}", audited.count.relation.name()))?,
                        self.int(audited.count.value)
                    ),
                    self.int(audited.count.source_line),
                    target,
                    audited.study_value.map(|v| self.int(v)).unwrap_or_default(),
                    self.t(&format!("result.{}", audited.result.as_str()))?,
                ]);
            }
            cell.tables.push(Table {
                id: "printed-counts".to_string(),
                caption: self.t("cell.aggregates.counts_caption")?,
                headers: self.headers(&[
                    "col.count",
                    "col.printed",
                    "col.source_line",
                    "col.checked_against",
                    "col.study_value",
                    "col.result",
                ])?,
                rows,
            });
        }
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn printed_counts_are_checked_against_the_study() {
        let tiny = Tiny::rich();
        let cell = tiny.cell(Lang::EN, "aggregates");
        let table = &cell.tables[0];
        assert_eq!(table.id, "printed-counts");
        assert_eq!(
            rows(table),
            ["indicators | 3 | 12 | indicators in the study | 3 | match"]
        );
        assert!(Tiny::plain().missing("aggregates").is_some());
    }
}
