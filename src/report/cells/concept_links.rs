//! Concepts linked to indicators, counted per component.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::analysis::qualitative::LinkSource;
use crate::domain::InputRole;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};

/// The `concept-links` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "concept-links",
    title_key: "cell.links.title",
    description: "Per component: indicators, verdicts, linked concepts, initial codes and segments",
    availability: Availability::RatingsAndCoding,
    build: |builder| builder.links_cell(),
};

impl Builder<'_> {
    pub(super) fn links_cell(&self) -> Result<Cell> {
        let mut cell = self.cell("concept-links", "cell.links.title")?;
        cell.inputs = self.coded_inputs(&[
            InputRole::Components,
            InputRole::Indicators,
            InputRole::Ratings,
            InputRole::PublishedConcepts,
        ])?;
        let qualitative = self.input.qualitative;
        if qualitative.link_source == LinkSource::CodedData {
            // Links from coded data with no coding count no segment: say so, as every coding cell does.
            self.coded_with_codings(&mut cell)?;
        }
        // Per component, or for a study without components, for its indicators as one group.
        let grouped = self.grouped();
        let (per_component, ungrouped) = match qualitative.link_source {
            LinkSource::CodedData => ("cell.links.coded", "cell.links.coded_ungrouped"),
            LinkSource::PrintedSample => ("cell.links.printed", "cell.links.printed_ungrouped"),
            LinkSource::None => ("cell.links.none", "cell.links.none_ungrouped"),
        };
        cell.narrative
            .push(self.t(if grouped { per_component } else { ungrouped })?);
        let linked = qualitative.link_source != LinkSource::None;
        let rows = qualitative
            .links
            .iter()
            .map(|link| {
                let or_dash = |value: usize| if linked { self.int(value) } else { self.dash() };
                let mut row = Vec::new();
                if grouped {
                    row.push(self.component_name(&link.component));
                }
                row.extend([
                    self.int(link.indicators),
                    self.int(link.accepted),
                    self.int(link.rejected),
                    or_dash(link.linked_concepts),
                    or_dash(link.initial_codes),
                    // A printed sample of concepts comes with no segments to count.
                    link.segments
                        .filter(|_| qualitative.link_source == LinkSource::CodedData)
                        .map_or_else(|| self.dash(), |s| self.int(s)),
                ]);
                row
            })
            .collect();
        let mut headers = Vec::new();
        if grouped {
            headers.push(self.t("col.component")?);
        }
        headers.extend([
            self.t("col.indicators")?,
            self.t("col.accepted")?,
            self.t("col.rejected")?,
            self.t("col.linked_concepts")?,
            self.t("col.initial_codes_count")?,
            self.t("col.segments")?,
        ]);
        cell.tables.push(Table {
            id: "concept-links".to_string(),
            caption: self.t(if grouped {
                "cell.links.caption"
            } else {
                "cell.links.caption_ungrouped"
            })?,
            headers,
            rows,
        });
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn components_are_linked_to_the_codes_behind_their_indicators() {
        let tiny = Tiny::rich();
        let cell = tiny.cell(Lang::EN, "concept-links");
        let table = &cell.tables[0];
        assert_eq!(table.id, "concept-links");
        // Partners became I1 (Market): 1 concept, 2 initial codes, 3 segments; nothing for Technology.
        assert_eq!(
            rows(table),
            [
                "Market | 2 | 1 | 1 | 1 | 2 | 3",
                "Technology | 1 | 1 | 0 | 0 | 0 | 0",
            ]
        );
        // A qualitative part with nothing that links concepts to indicators: the cell says so and
        // leaves the code columns empty.
        let unlinked = Tiny::qualitative_without_data();
        let cell = unlinked.cell(Lang::EN, "concept-links");
        assert_eq!(cell.narrative, [unlinked.text(Lang::EN, "cell.links.none")]);
        assert_eq!(rows(&cell.tables[0])[0], "Market | 2 | 1 | 1 | – | – | –");
        // A ratings-only study has no qualitative part to link: no cell that would only say so.
        assert_eq!(
            Tiny::plain().missing("concept-links"),
            Some("the study has no coded interviews and no printed coding (coding:, data.published.coding_counts)")
        );
    }
}
