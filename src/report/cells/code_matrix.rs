//! The code x document matrix of the coded interviews.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};

/// The `code-matrix` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "code-matrix",
    title_key: "cell.matrix.title",
    description: "Codings of every code in every document",
    availability: Availability::Coding,
    build: |builder| builder.matrix_cell(),
};

impl Builder<'_> {
    pub(super) fn matrix_cell(&self) -> Result<Cell> {
        let mut cell = self.cell("code-matrix", "cell.matrix.title")?;
        cell.inputs = self.coded_inputs(&[])?;
        let (Some(_), Some(results)) = (self.coded(), self.input.qualitative.coding.as_ref())
        else {
            cell.narrative.push(self.t("cell.matrix.none")?);
            return Ok(cell);
        };
        let Some(data) = self.coded_with_codings(&mut cell)? else {
            return Ok(cell);
        };
        cell.narrative.push(self.t("cell.matrix.text")?);
        self.uncoded_documents_note(&mut cell, data)?;
        let mut headers = (1..=data.levels)
            .map(|depth| self.level_name(depth, false))
            .collect::<Result<Vec<_>>>()?;
        headers.extend(
            results
                .matrix
                .documents
                .iter()
                .map(|&d| data.documents[d].clone()),
        );
        headers.push(self.t("col.total")?);
        let name_at = |path: &[String]| -> String {
            data.codes
                .iter()
                .find(|c| c.path == path)
                .map(|c| c.name.get(self.lang).to_string())
                .unwrap_or_default()
        };
        let mut rows = Vec::new();
        let mut totals = vec![0u64; results.matrix.documents.len()];
        for row in &results.matrix.rows {
            let code = &data.codes[row.code];
            // A code above the last level, coded itself, has a dash at the levels below it.
            let mut cells: Vec<String> = (1..=data.levels)
                .map(|depth| match depth.cmp(&code.level()) {
                    std::cmp::Ordering::Less => name_at(&code.path[..depth]),
                    std::cmp::Ordering::Equal => code.name.get(self.lang).to_string(),
                    std::cmp::Ordering::Greater => self.dash(),
                })
                .collect();
            for (index, count) in row.per_document.iter().enumerate() {
                totals[index] += count;
                cells.push(self.int(count));
            }
            cells.push(self.int(row.total()));
            rows.push(cells);
        }
        let mut total_row = vec![self.t("col.total")?];
        total_row.extend(std::iter::repeat_n(String::new(), data.levels - 1));
        total_row.extend(totals.iter().map(|t| self.int(t)));
        total_row.push(self.int(totals.iter().sum::<u64>()));
        rows.push(total_row);
        cell.tables.push(Table {
            id: "code-matrix".to_string(),
            caption: self.t("cell.matrix.caption")?,
            headers,
            rows,
        });
        if results.rule.folded_codings() > 0 || !results.rule.above.is_empty() {
            cell.notes.push(self.fill(
                "cell.matrix.level_rule",
                &[("level", &self.level_name(data.levels, false)?)],
            )?);
        }
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn the_matrix_counts_segments_per_code_and_document() {
        let tiny = Tiny::rich();
        let cell = tiny.cell(Lang::EN, "code-matrix");
        let table = &cell.tables[0];
        assert_eq!(table.id, "code-matrix");
        assert_eq!(
            table.headers,
            ["Component", "Concept", "Initial code", "A1", "A2", "Total"]
        );
        assert_eq!(
            rows(table),
            [
                "Networking | Partners | Trade fairs | 1 | 1 | 2",
                "Networking | Partners | Agents | 1 | 0 | 1",
                "Total |  |  | 2 | 1 | 3",
            ]
        );
        // A ratings-only study has no code-matrix cell; one with a qualitative part but no data for it
        // says what the study folder lacks.
        assert!(Tiny::plain().missing("code-matrix").is_some());
        let plain = Tiny::qualitative_without_data();
        let cell = plain.cell(Lang::EN, "code-matrix");
        assert_eq!(cell.narrative, [plain.text(Lang::EN, "cell.matrix.none")]);
    }
}
