//! The codes at every level of the code tree, as printed, in the framework and in the coded data.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::analysis::coding::UncountedReason;
use crate::domain::InputRole;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};

/// The `coding-counts` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "coding-counts",
    title_key: "cell.coding_counts.title",
    description: "Codes per level of the code tree: printed, in the framework, defined and used in the coded data",
    availability: Availability::Coding,
    build: |builder| builder.coding_counts_cell(),
};

impl Builder<'_> {
    pub(super) fn coding_counts_cell(&self) -> Result<Cell> {
        let mut cell = self.cell("coding-counts", "cell.coding_counts.title")?;
        // The printed samples are read for the note on their distinct codes.
        cell.inputs = self.coded_inputs(&[
            InputRole::Components,
            InputRole::Indicators,
            InputRole::PublishedCodingCounts,
            InputRole::PublishedInitialCoding,
            InputRole::PublishedConcepts,
        ])?;
        let data = self.input.data;
        // The counts the text prints come from the study's published counts file (also audited in its own cell).
        let printed_counts = data.published_coding_counts.as_deref().unwrap_or_default();
        let counts = self
            .input
            .qualitative
            .coding
            .as_ref()
            .map(|c| c.counts.clone());
        // The columns the study has: what a publication states (only for a study that reproduces
        // one), the framework files (only with a Delphi part), and the coded data.
        let with_printed = self.has_publication();
        let with_framework = self.input.study.has_ratings();
        cell.narrative
            .push(self.t(match (with_printed, with_framework) {
                (true, true) => "cell.coding_counts.text",
                (true, false) => "cell.coding_counts.text_printed",
                (false, true) => "cell.coding_counts.text_framework",
                (false, false) => "cell.coding_counts.text_coded",
            })?);
        let opt = |value: Option<usize>| value.map_or_else(|| self.dash(), |v| self.int(v));
        let printed_of = |id: &str| {
            opt(printed_counts
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.value as usize))
        };
        // One row per analysis level, the last first; without coded data, the configured levels.
        let depths = self
            .coded()
            .map_or_else(|| self.code_levels().len(), |c| c.levels);
        let levels = self.code_levels();
        let mut rows = Vec::new();
        for depth in (1..=depths).rev() {
            let id = levels.get(depth - 1).cloned().unwrap_or_default();
            let printed = match printed_counts.iter().any(|c| c.id == format!("{id}s")) {
                true => printed_of(&format!("{id}s")),
                false => printed_of(&id),
            };
            let framework = match id.as_str() {
                "concept" => self.int(data.indicators.len()),
                // A study without components has none in its framework files, not zero of them.
                "component" if self.grouped() => self.int(data.components.len()),
                _ => self.dash(),
            };
            rows.push(vec![
                self.level_name(depth, true)?,
                printed,
                framework,
                opt(counts.as_ref().map(|c| c.level(depth).defined)),
                opt(counts.as_ref().map(|c| c.level(depth).used)),
            ]);
        }
        // Codes below the last level, when the tree has any: defined, and those carrying codings.
        if let Some(deeper) = counts.as_ref().map(|c| c.deeper).filter(|d| d.defined > 0) {
            rows.push(vec![
                self.fill(
                    "level.deeper",
                    &[("level", &self.level_name(depths, false)?)],
                )?,
                self.dash(),
                self.dash(),
                self.int(deeper.defined),
                self.int(deeper.used),
            ]);
        }
        rows.extend([
            vec![
                self.t("level.segments")?,
                self.dash(),
                self.dash(),
                self.dash(),
                opt(counts.as_ref().map(|c| c.segments)),
            ],
            // Defined: every text source of the coded data; used: those with at least one coding.
            vec![
                self.t("level.interviewees")?,
                opt(self.input.study.panels().interviewees.map(|n| n as usize)),
                self.dash(),
                opt(counts.as_ref().map(|c| c.documents)),
                opt(counts.as_ref().map(|c| c.documents_used)),
            ],
        ]);
        let keep = [true, with_printed, with_framework, true, true];
        let kept = |row: Vec<String>| -> Vec<String> {
            row.into_iter()
                .zip(keep)
                .filter_map(|(value, kept)| kept.then_some(value))
                .collect()
        };
        let headers = self.headers(&[
            "col.level",
            "col.printed_text",
            "col.framework",
            "col.coded_defined",
            "col.coded_used",
        ])?;
        cell.tables.push(Table {
            id: "coding-counts".to_string(),
            caption: self.t("cell.coding_counts.caption")?,
            headers: kept(headers),
            rows: rows.into_iter().map(kept).collect(),
        });
        // Whether the printed counts agree with the framework is the audit's job (the published-figures cell).
        let published = &data.published_coding;
        if !published.initial_coding.is_empty() || !published.concepts.is_empty() {
            // Codes are told apart by their printed words.
            let printed = self.printed_language();
            let distinct = |codes: Vec<&str>| {
                let mut seen: Vec<String> = Vec::new();
                for code in codes {
                    let folded = crate::config::fold_label(code);
                    if !seen.contains(&folded) {
                        seen.push(folded);
                    }
                }
                seen.len()
            };
            let sample_codes = distinct(
                published
                    .initial_coding
                    .iter()
                    .flat_map(|r| r.codes.iter().map(|c| c.get(printed)))
                    .collect(),
            );
            let concept_codes = distinct(
                published
                    .concepts
                    .iter()
                    .flat_map(|r| r.codes.iter().map(|c| c.get(printed)))
                    .collect(),
            );
            cell.notes.push(self.fill(
                "cell.coding_counts.samples",
                &[
                    ("sample_rows", &self.int(published.initial_coding.len())),
                    ("sample_codes", &self.int(sample_codes)),
                    ("concepts", &self.int(published.concepts.len())),
                    ("concept_codes", &self.int(concept_codes)),
                ],
            )?);
        }
        if counts.is_none() {
            cell.notes.push(self.t("cell.coding.no_segments")?);
        }
        if let Some(coded) = self.coded() {
            if coded.segments.is_empty() {
                self.coded_with_codings(&mut cell)?;
            } else {
                self.uncoded_documents_note(&mut cell, coded)?;
            }
            for uncounted in &coded.uncounted {
                let key = match (uncounted.reason, uncounted.codings) {
                    (UncountedReason::NonTextSource, 1) => "cell.coding.uncounted_media.one",
                    (UncountedReason::NonTextSource, _) => "cell.coding.uncounted_media.many",
                };
                let names: Vec<&str> = uncounted.names.iter().map(String::as_str).collect();
                cell.notes.push(self.fill(
                    key,
                    &[
                        ("n", &self.int(uncounted.codings)),
                        ("names", &self.code_list(&names)?),
                    ],
                )?);
            }
            if let Some(results) = self.input.qualitative.coding.as_ref() {
                self.level_rule_notes(&mut cell, coded, &results.rule)?;
            }
        }
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn codes_are_counted_at_every_level() {
        let tiny = Tiny::rich();
        let cell = tiny.cell(Lang::EN, "coding-counts");
        let table = &cell.tables[0];
        assert_eq!(table.id, "coding-counts");
        // Two initial codes under one concept under one component; 3 segments in 2 documents. The
        // framework has 3 indicators (concepts) and 2 components; the text states 2 interviewees.
        assert_eq!(
            rows(table),
            [
                "Initial codes | – | – | 2 | 2",
                "Concepts | – | 3 | 1 | 1",
                "Components | – | 2 | 1 | 1",
                "Coded segments | – | – | – | 3",
                "Interviewees | 2 | – | 2 | 2",
            ]
        );
        // Without coded data the coded columns are dashes and a note says why.
        // A ratings-only study has no coding-counts cell; one with a qualitative part but no data for it
        // says what the study folder lacks.
        assert!(Tiny::plain().missing("coding-counts").is_some());
        let plain = Tiny::qualitative_without_data();
        let cell = plain.cell(Lang::EN, "coding-counts");
        assert_eq!(rows(&cell.tables[0])[0], "Initial codes | – | – | – | –");
        assert!(cell
            .notes
            .contains(&plain.text(Lang::EN, "cell.coding.no_segments")));
    }

    #[test]
    fn a_study_of_its_own_data_has_no_column_of_what_a_publication_states() {
        // Ratings and coded interviews, nothing printed: the framework files and the coded data.
        let own = Tiny::own_data();
        let cell = own.cell(Lang::EN, "coding-counts");
        assert_eq!(
            cell.narrative[0],
            own.text(Lang::EN, "cell.coding_counts.text_framework")
        );
        let table = &cell.tables[0];
        assert_eq!(
            table.headers,
            [
                "Level",
                "Framework files",
                "Coded data: defined",
                "Coded data: used"
            ]
        );
        assert!(
            table.rows.iter().all(|row| row.len() == 4),
            "{:?}",
            table.rows
        );
        // The rich study reproduces a publication: every column.
        let rich = Tiny::rich();
        assert_eq!(
            rich.cell(Lang::EN, "coding-counts").tables[0].headers.len(),
            5
        );
    }
}
