//! The inputs: every file the report read, with its role, rows and SHA-256, and one digest of them all.

use anyhow::Result;

use super::front::combined_digest;
use super::{Availability, Builder, CellSpec};
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};

/// The `inputs` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "inputs",
    title_key: "cell.inputs.title",
    description: "Every input file with its role, rows and SHA-256, and their combined digest",
    availability: Availability::Always,
    build: |builder| builder.inputs_cell(),
};

impl Builder<'_> {
    pub(super) fn inputs_cell(&self) -> Result<Cell> {
        let mut cell = self.cell("inputs", "cell.inputs.title")?;
        cell.narrative.push(self.t("cell.inputs.text")?);
        let files = self.input_files()?;
        cell.notes.push(self.fill(
            "cell.inputs.combined",
            &[("digest", &combined_digest(&files))],
        )?);
        let separator = self.t("list.separator")?;
        let rows = files
            .into_iter()
            .map(|file| {
                vec![
                    file.path,
                    file.roles.join(&separator),
                    file.rows,
                    file.sha256,
                ]
            })
            .collect();
        cell.tables.push(Table {
            id: "input-files".to_string(),
            caption: self.t("cell.inputs.caption")?,
            headers: self.headers(&["col.file", "col.role", "col.rows", "col.sha256"])?,
            rows,
        });
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::Tiny;

    #[test]
    fn the_inputs_cell_lists_every_file_once_with_a_combined_digest() {
        let tiny = Tiny::plain();
        let cell = tiny.cell(Lang::EN, "inputs");
        let table = &cell.tables[0];
        assert_eq!(table.id, "input-files");
        let files: Vec<String> = table
            .rows
            .iter()
            .map(|r| format!("{} ({})", r[0], r[2]))
            .collect();
        assert_eq!(
            files,
            [
                "study.yaml (13 lines)",
                "components.csv (2)",
                "indicators.csv (3)",
                "counts.csv (3)"
            ]
        );
        // The digest of what `sha256sum` prints for the four files, in the table's order.
        let listing: String = table
            .rows
            .iter()
            .map(|r| format!("{}  {}\n", r[3], r[0]))
            .collect();
        let digest = crate::digest::sha256_hex(listing.as_bytes());
        assert!(
            cell.notes[0].contains(&format!("`{digest}`")),
            "{}",
            cell.notes[0]
        );
    }
}
