//! Concepts and the initial codes under them, from the coded data and as printed, linked to the indicators.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::analysis::coding::{self, CodedData};
use crate::analysis::published::LinkBasis;
use crate::domain::InputRole;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};

/// The `concepts` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "concepts",
    title_key: "cell.concepts.title",
    description: "Concepts with their codes and segments, linked to indicators",
    availability: Availability::Coding,
    build: |builder| builder.concepts_cell(),
};

impl Builder<'_> {
    pub(super) fn concepts_cell(&self) -> Result<Cell> {
        let mut cell = self.cell("concepts", "cell.concepts.title")?;
        cell.inputs = self.coded_inputs(&[
            InputRole::PublishedConcepts,
            InputRole::Indicators,
            InputRole::Ratings,
        ])?;
        if let Some(data) = self.coded_with_codings(&mut cell)? {
            self.coded_concepts(&mut cell, data)?;
            if data.codes.iter().any(|c| c.untranslated) {
                cell.notes.push(self.t("cell.concepts.untranslated")?);
            }
        }
        let printed = &self.input.data.published_coding.concepts;
        if let (Some(label), false) = (self.published_table(|p| &p.concepts), printed.is_empty()) {
            cell.narrative.push(self.fill(
                "cell.concepts.printed",
                &[
                    ("table", &self.int(label.number)),
                    ("rows", &self.int(printed.len())),
                ],
            )?);
            let statuses = self.input.screening;
            let mut rows = Vec::new();
            for concept in printed {
                let codes: Vec<&str> = concept.codes.iter().map(|c| c.get(self.lang)).collect();
                let (indicator, basis, status) = match &concept.indicator {
                    Some((id, basis)) => (
                        self.indicator_label(id),
                        self.t(match basis {
                            LinkBasis::SameName => "link.same_name",
                            LinkBasis::Judgment => "link.judgment",
                        })?,
                        self.status_text(
                            statuses
                                .iter()
                                .find(|r| &r.indicator == id)
                                .and_then(|r| r.result.map(|s| s.status)),
                        )?,
                    ),
                    None => (self.dash(), self.dash(), self.dash()),
                };
                rows.push(vec![
                    self.int(concept.number),
                    concept.concept.get(self.lang).to_string(),
                    self.code_list(&codes)?,
                    indicator,
                    basis,
                    status,
                ]);
            }
            cell.tables.push(Table {
                id: "concepts-printed".to_string(),
                caption: self.table_caption(label.number, label.caption.get(self.lang))?,
                headers: self.headers(&[
                    "col.number",
                    "col.concept",
                    "col.initial_codes",
                    "col.indicator",
                    "col.link_basis",
                    "col.status",
                ])?,
                rows,
            });
            self.translation_note(&mut cell, "cell.qualitative.translation_note")?;
            cell.notes.push(self.t("cell.concepts.link_note")?);
        }
        if cell.tables.is_empty() && self.coded().is_none() {
            cell.narrative.push(self.t("cell.concepts.none")?);
        }
        Ok(cell)
    }

    /// The concepts table of the coded data: every code at the level above the last, with the codes of
    /// the last level under it, its ancestors in the columns before it.
    fn coded_concepts(&self, cell: &mut Cell, data: &CodedData) -> Result<()> {
        let Some(depth) = data.concept_level() else {
            cell.narrative.push(self.fill(
                "cell.concepts.one_level",
                &[("level", &self.level_name(1, false)?)],
            )?);
            return Ok(());
        };
        cell.narrative.push(self.t("cell.concepts.coded")?);
        let mut rows = Vec::new();
        for (index, concept) in data.codes.iter().enumerate() {
            if concept.level() != depth {
                continue;
            }
            let mut row: Vec<String> = (1..depth)
                .map(|ancestor| {
                    data.codes
                        .iter()
                        .find(|c| c.path[..] == concept.path[..ancestor])
                        .map(|c| c.name.get(self.lang).to_string())
                        .unwrap_or_default()
                })
                .collect();
            let children = coding::concept_children(data, index);
            let names: Vec<&str> = children
                .iter()
                .map(|&i| data.codes[i].name.get(self.lang))
                .collect();
            // Codings counted on the concept itself or on a code under it, each once.
            let segments = data
                .segments
                .iter()
                .filter(|s| data.codes[s.code].path.starts_with(&concept.path))
                .count();
            row.extend([
                concept.name.get(self.lang).to_string(),
                self.code_list(&names)?,
                self.int(segments),
                concept
                    .indicator
                    .as_deref()
                    .map(|id| self.indicator_label(id))
                    .unwrap_or_else(|| self.dash()),
            ]);
            rows.push(row);
        }
        let mut headers = (1..depth)
            .map(|d| self.level_name(d, false))
            .collect::<Result<Vec<_>>>()?;
        let last_is_initial_code = self
            .code_levels()
            .get(data.levels - 1)
            .is_some_and(|l| l == "initial_code");
        let codes_header = if last_is_initial_code {
            self.t("col.initial_codes")?
        } else {
            self.level_name(data.levels, true)?
        };
        headers.extend([
            self.level_name(depth, false)?,
            codes_header,
            self.t("col.segments")?,
            self.t("col.indicator")?,
        ]);
        cell.tables.push(Table {
            id: "concepts-coded".to_string(),
            caption: self.t("cell.concepts.coded_caption")?,
            headers,
            rows,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn concepts_list_their_codes_segments_and_indicator() {
        let tiny = Tiny::rich();
        let cell = tiny.cell(Lang::EN, "concepts");
        let table = &cell.tables[0];
        assert_eq!(table.id, "concepts-coded");
        // Partners holds Trade fairs (2 segments) and Agents (1), and became indicator 1.
        assert_eq!(
            rows(table),
            ["Networking | Partners | Trade fairs; Agents | 3 | 1. Distribution networks"]
        );
        // A ratings-only study has no concepts cell; one with a qualitative part but no data for it
        // says what the study folder lacks.
        assert!(Tiny::plain().missing("concepts").is_some());
        let plain = Tiny::qualitative_without_data();
        let cell = plain.cell(Lang::EN, "concepts");
        assert_eq!(cell.narrative, [plain.text(Lang::EN, "cell.concepts.none")]);
    }
}
