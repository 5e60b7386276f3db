//! Who the respondents were: frequencies of every attribute per panel.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::analysis::demographics;
use crate::domain::InputRole;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};

/// The `demographics` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "demographics",
    title_key: "cell.demographics.title",
    description: "The respondents' attributes counted per panel",
    availability: Availability::Sample,
    build: |builder| builder.demographics_cell(),
};

impl Builder<'_> {
    pub(super) fn demographics_cell(&self) -> Result<Cell> {
        let mut cell = self.cell("demographics", "cell.demographics.title")?;
        cell.inputs = self.coded_inputs(&[InputRole::Respondents])?;
        let tables = &self.input.qualitative.demographics;
        let config = self.input.study.demographics();
        let (Some(config), false) = (config, tables.is_empty()) else {
            cell.narrative.push(self.t("cell.demographics.none")?);
            // The percentages a publication prints are shown, with their feasibility, in the audit cell.
            if self.input.shares_audit.is_some() {
                cell.narrative.push(self.fill(
                    "cell.demographics.printed_elsewhere",
                    &[("title", &self.t("cell.aggregates.title")?)],
                )?);
            }
            return Ok(cell);
        };
        cell.narrative.push(self.fill(
            "cell.demographics.text",
            &[("respondents", &self.int(self.input.data.respondents.len()))],
        )?);
        for (frequencies, attribute) in tables.iter().zip(&config.attributes) {
            let mut headers = vec![attribute.label.get(self.lang).to_string()];
            let mut columns: Vec<String> = config
                .panels
                .iter()
                .map(|p| p.label.get(self.lang).to_string())
                .collect();
            columns.push(self.t("col.overall")?);
            for column in &columns {
                headers.push(self.fill("col.n_of", &[("panel", column)])?);
                headers.push(self.fill("col.percent_of", &[("panel", column)])?);
            }
            let mut rows = Vec::new();
            for row in &frequencies.rows {
                let label = match &row.category {
                    Some(id) => attribute
                        .categories
                        .iter()
                        .find(|c| &c.id == id)
                        .map(|c| c.label.get(self.lang).to_string())
                        .unwrap_or_else(|| id.clone()),
                    None => self.t("col.missing")?,
                };
                let mut cells = vec![label];
                for (count, total) in row.counts.iter().zip(&frequencies.totals) {
                    cells.push(self.int(count));
                    cells.push(match demographics::percent(*count, *total) {
                        Some(p) => self.num(&p.round_half_away(1)),
                        None => self.dash(),
                    });
                }
                rows.push(cells);
            }
            let mut total_row = vec![self.t("col.total")?];
            for total in &frequencies.totals {
                total_row.push(self.int(total));
                total_row.push(if *total == 0 {
                    self.dash()
                } else {
                    self.num("100.0")
                });
            }
            rows.push(total_row);
            cell.tables.push(Table {
                id: format!("demographics-{}", attribute.id),
                caption: self.fill(
                    "cell.demographics.caption",
                    &[("attribute", attribute.label.get(self.lang))],
                )?,
                headers,
                rows,
            });
        }
        cell.notes.push(self.t("cell.demographics.rounding")?);
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn respondents_are_counted_per_category_and_panel() {
        let tiny = Tiny::rich();
        let cell = tiny.cell(Lang::EN, "demographics");
        let table = &cell.tables[0];
        assert_eq!(table.id, "demographics-gender");
        assert_eq!(
            rows(table),
            [
                "Female | 1 | 50.0 | 1 | 50.0",
                "Male | 1 | 50.0 | 1 | 50.0",
                "Missing | 0 | 0.0 | 0 | 0.0",
                "Total | 2 | 100.0 | 2 | 100.0",
            ]
        );
        // A ratings-only study has no demographics cell; one with a qualitative part but no data for it
        // says what the study folder lacks.
        assert!(Tiny::plain().missing("demographics").is_some());
        let plain = Tiny::qualitative_without_data();
        let cell = plain.cell(Lang::EN, "demographics");
        assert_eq!(
            cell.narrative,
            [plain.text(Lang::EN, "cell.demographics.none")]
        );
    }

    #[test]
    fn without_a_demographics_section_only_a_publication_s_study_has_the_cell() {
        // An author's own coded interviews, no demographics section: nothing to describe and no
        // publication whose missing respondents to explain.
        assert_eq!(
            Tiny::own_data().missing("demographics"),
            Some("the study has no respondents (demographics:)")
        );
        // Coded interviews of a publication's study: the cell says what the folder lacks.
        let published = Tiny::published_without_demographics();
        assert_eq!(published.missing("demographics"), None);
        assert!(!published
            .cell(Lang::EN, "demographics")
            .narrative
            .is_empty());
    }
}
