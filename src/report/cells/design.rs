//! The qualitative study's design as the publication prints it.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::domain::InputRole;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};

/// The `design` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "design",
    title_key: "cell.design.title",
    description: "The design of the qualitative part as printed (the publication's design table)",
    availability: Availability::PublishedCoding,
    build: |builder| builder.design_cell(),
};

impl Builder<'_> {
    pub(super) fn design_cell(&self) -> Result<Cell> {
        let mut cell = self.cell("design", "cell.design.title")?;
        cell.inputs = self.inputs_for(&[InputRole::Configuration, InputRole::PublishedDesign])?;
        let design = &self.input.data.published_coding.design;
        let Some(label) = self.published_table(|p| &p.design) else {
            cell.narrative.push(self.t("cell.design.none")?);
            return Ok(cell);
        };
        cell.narrative
            .push(self.fill("cell.design.text", &[("table", &self.int(label.number))])?);
        let mut phases: Vec<&str> = Vec::new();
        let mut fields: Vec<&str> = Vec::new();
        for item in design {
            if !phases.contains(&item.phase.as_str()) {
                phases.push(&item.phase);
            }
            if !fields.contains(&item.field.as_str()) {
                fields.push(&item.field);
            }
        }
        let mut headers = vec![self.t("col.design_field")?];
        for phase in &phases {
            let label = design
                .iter()
                .find(|d| d.phase == *phase)
                .map(|d| d.phase_label.get(self.lang).to_string())
                .unwrap_or_default();
            headers.push(label);
        }
        let mut rows = Vec::new();
        for field in &fields {
            let mut row = vec![design
                .iter()
                .find(|d| d.field == *field)
                .map(|d| d.field_label.get(self.lang).to_string())
                .unwrap_or_default()];
            for phase in &phases {
                row.push(
                    design
                        .iter()
                        .find(|d| d.field == *field && d.phase == *phase)
                        .map(|d| self.printed(d.value.get(self.lang)))
                        .unwrap_or_default(),
                );
            }
            rows.push(row);
        }
        cell.tables.push(Table {
            id: "design".to_string(),
            caption: self.table_caption(label.number, label.caption.get(self.lang))?,
            headers,
            rows,
        });
        self.translation_note(&mut cell, "cell.qualitative.translation_note")?;
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn the_design_table_is_shown_as_printed() {
        let tiny = Tiny::rich();
        let cell = tiny.cell(Lang::EN, "design");
        let table = &cell.tables[0];
        assert_eq!(
            (table.id.as_str(), table.caption.as_str()),
            ("design", "Table 3. Design")
        );
        assert_eq!(table.headers, ["Aspect", "Qualitative"]);
        assert_eq!(rows(table), ["Tool | Interviews"]);
        // A ratings-only study has no design cell; one with a qualitative part but no data for it
        // says what the study folder lacks.
        assert!(Tiny::plain().missing("design").is_some());
        let plain = Tiny::coded_without_design();
        let cell = plain.cell(Lang::EN, "design");
        assert_eq!(cell.narrative, [plain.text(Lang::EN, "cell.design.none")]);
        assert!(cell.tables.is_empty());
    }

    #[test]
    fn a_study_of_its_own_data_has_no_design_cell_to_say_nothing_printed() {
        assert_eq!(
            Tiny::own_data().missing("design"),
            Some(
                "the study reproduces no publication (citation:, data.published, coding.published)"
            )
        );
        assert_eq!(Tiny::coded_without_design().missing("design"), None);
    }
}
