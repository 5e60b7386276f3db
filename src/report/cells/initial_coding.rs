//! Initial coding: the publication's printed sample and the first coded passage of every document.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::domain::InputRole;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};

/// The `initial-coding` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "initial-coding",
    title_key: "cell.initial_coding.title",
    description: "Initial coding: the printed sample and the first coded passage of each document",
    availability: Availability::Coding,
    build: |builder| builder.initial_coding_cell(),
};

impl Builder<'_> {
    pub(super) fn initial_coding_cell(&self) -> Result<Cell> {
        let mut cell = self.cell("initial-coding", "cell.initial_coding.title")?;
        cell.inputs = self.coded_inputs(&[InputRole::PublishedInitialCoding])?;
        let sample = &self.input.data.published_coding.initial_coding;
        if let (Some(label), false) = (
            self.published_table(|p| &p.initial_coding),
            sample.is_empty(),
        ) {
            cell.narrative.push(self.fill(
                "cell.initial_coding.printed",
                &[
                    ("table", &self.int(label.number)),
                    ("rows", &self.int(sample.len())),
                ],
            )?);
            let rows = sample
                .iter()
                .map(|row| {
                    let codes: Vec<&str> = row.codes.iter().map(|c| c.get(self.lang)).collect();
                    Ok(vec![
                        row.interviewee.clone(),
                        row.narrative.get(self.lang).to_string(),
                        self.code_list(&codes)?,
                    ])
                })
                .collect::<Result<Vec<_>>>()?;
            cell.tables.push(Table {
                id: "initial-coding-printed".to_string(),
                caption: self.table_caption(label.number, label.caption.get(self.lang))?,
                headers: self.headers(&[
                    "col.interviewee",
                    "col.narrative",
                    "col.initial_codes",
                ])?,
                rows,
            });
            self.translation_note(&mut cell, "cell.qualitative.translation_note")?;
        }
        if let Some(data) = self.coded_with_codings(&mut cell)? {
            cell.narrative.push(self.t("cell.initial_coding.coded")?);
            let mut rows = Vec::new();
            for (index, document) in data.documents.iter().enumerate() {
                let Some(first) = data.first_segment(index) else {
                    continue;
                };
                // The codes of that passage: its span, not its text (the same words coded elsewhere
                // in the document are another passage).
                let codes: Vec<&str> = data
                    .segments
                    .iter()
                    .filter(|s| s.passage == first.passage)
                    .map(|s| data.codes[s.coded].name.get(self.lang))
                    .collect();
                let text = match &first.text {
                    Some(text) => text.clone(),
                    None => self.t("cell.initial_coding.text_unavailable")?,
                };
                rows.push(vec![document.clone(), text, self.code_list(&codes)?]);
            }
            cell.tables.push(Table {
                id: "initial-coding-coded".to_string(),
                caption: self.t("cell.initial_coding.coded_caption")?,
                headers: self.headers(&["col.document", "col.segment", "col.initial_codes"])?,
                rows,
            });
        }
        if cell.tables.is_empty() && self.coded().is_none() {
            cell.narrative.push(self.t("cell.initial_coding.none")?);
        }
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn the_first_coded_passage_of_each_document_is_shown() {
        let tiny = Tiny::rich();
        let cell = tiny.cell(Lang::EN, "initial-coding");
        let table = &cell.tables[0];
        assert_eq!(table.id, "initial-coding-coded");
        assert_eq!(
            rows(table),
            [
                "A1 | We meet buyers at fairs. | Trade fairs",
                "A2 | Fairs matter most. | Trade fairs",
            ]
        );
        // A ratings-only study has no initial-coding cell; one with a qualitative part but no data for it
        // says what the study folder lacks.
        assert!(Tiny::plain().missing("initial-coding").is_some());
        let plain = Tiny::qualitative_without_data();
        let cell = plain.cell(Lang::EN, "initial-coding");
        assert_eq!(
            cell.narrative,
            [plain.text(Lang::EN, "cell.initial_coding.none")]
        );
    }
}
