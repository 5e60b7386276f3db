//! What the qualitative cells share: the coded interviews and their inputs, the names of the code
//! tree's levels, the notes on the level rule and on uncoded documents, and printed texts.

use anyhow::Result;

use super::Builder;
use crate::analysis::coding::{CodedData, LevelRule};
use crate::config::PublishedTable;
use crate::domain::InputRole;
use crate::domain::Lang;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, CellInput};

/// The input roles of the coded interviews, whichever format they came in, with the study's configuration.
const CODED_DATA_ROLES: [InputRole; 5] = [
    InputRole::Configuration,
    InputRole::CodedSegments,
    InputRole::CodedSegmentsMaxqda,
    InputRole::CodedSegmentsRefiQda,
    InputRole::Codebook,
];

impl Builder<'_> {
    /// The inputs of a cell that reads the coded interviews, and the files in `extra`.
    pub(super) fn coded_inputs(&self, extra: &[InputRole]) -> Result<Vec<CellInput>> {
        let mut roles = CODED_DATA_ROLES.to_vec();
        roles.extend_from_slice(extra);
        self.inputs_for(&roles)
    }

    pub(super) fn coded(&self) -> Option<&CodedData> {
        self.input.data.coding.as_ref()
    }

    /// The analysis levels of the code tree (`coding.levels`), from the root.
    pub(super) fn code_levels(&self) -> Vec<String> {
        self.input.study.code_levels()
    }

    /// The name of analysis level `depth` (from 1): the report's own words for the default levels,
    /// the name as configured for others. `plural` for a row of counts, else a column of names.
    pub(super) fn level_name(&self, depth: usize, plural: bool) -> Result<String> {
        let levels = self.code_levels();
        let id = levels
            .get(depth.wrapping_sub(1))
            .cloned()
            .unwrap_or_default();
        let key = match (id.as_str(), plural) {
            ("component", false) => "col.component",
            ("component", true) => "level.components",
            ("concept", false) => "col.concept",
            ("concept", true) => "level.concepts",
            ("initial_code", false) => "col.initial_code",
            ("initial_code", true) => "level.initial_codes",
            _ => return Ok(id),
        };
        self.t(key)
    }

    /// A code by its path of names as coded (`Networking > Active participation`).
    pub(super) fn code_path(&self, data: &CodedData, code: usize) -> String {
        data.codes[code].path.join(" > ")
    }

    /// The sentences saying what the level rule did: codes below the last level (every one, with the
    /// codings folded up from them) and codes above it that carry codings.
    pub(super) fn level_rule_notes(
        &self,
        cell: &mut Cell,
        data: &CodedData,
        rule: &LevelRule,
    ) -> Result<()> {
        let last = self.level_name(data.levels, false)?;
        if !rule.deeper.is_empty() {
            let names: Vec<String> = rule
                .deeper
                .iter()
                .map(|c| {
                    self.fill(
                        "cell.coding.deeper_item",
                        &[
                            ("code", &self.code_path(data, c.code)),
                            ("n", &self.int(c.codings)),
                            ("ancestor", data.codes[c.counted_as].name.get(self.lang)),
                        ],
                    )
                })
                .collect::<Result<_>>()?;
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            cell.notes.push(self.fill(
                "cell.coding.deeper",
                &[
                    ("codes", &self.int(rule.deeper.len())),
                    ("level", &last),
                    ("n", &self.int(rule.folded_codings())),
                    ("names", &self.code_list(&names)?),
                ],
            )?);
        }
        if !rule.above.is_empty() {
            let names: Vec<String> = rule
                .above
                .iter()
                .map(|c| {
                    self.fill(
                        "cell.coding.above_item",
                        &[
                            ("code", &self.code_path(data, c.code)),
                            ("n", &self.int(c.codings)),
                            (
                                "level",
                                &self.level_name(data.codes[c.code].level(), false)?,
                            ),
                        ],
                    )
                })
                .collect::<Result<_>>()?;
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            cell.notes.push(self.fill(
                "cell.coding.above",
                &[
                    ("n", &self.int(rule.above_codings())),
                    ("level", &last),
                    ("names", &self.code_list(&names)?),
                ],
            )?);
        }
        Ok(())
    }

    /// Coded data that hold at least one counted coding; for coded data with none, the one sentence
    /// that says so goes into `cell` and `None` is returned, so that no empty table or zero figure is drawn.
    pub(super) fn coded_with_codings(&self, cell: &mut Cell) -> Result<Option<&CodedData>> {
        let Some(data) = self.coded() else {
            return Ok(None);
        };
        if !data.segments.is_empty() {
            return Ok(Some(data));
        }
        let codes = data
            .codes
            .iter()
            .filter(|c| c.level() == data.levels)
            .count();
        cell.narrative.push(self.fill(
            "cell.coding.no_codings",
            &[
                ("codes", &self.int(codes)),
                ("documents", &self.int(data.documents.len())),
            ],
        )?);
        Ok(None)
    }

    /// The sentence naming the documents with no coding, when there are any.
    pub(super) fn uncoded_documents_note(&self, cell: &mut Cell, data: &CodedData) -> Result<()> {
        let uncoded: Vec<&str> = (0..data.documents.len())
            .filter(|&d| !data.is_coded(d))
            .map(|d| data.documents[d].as_str())
            .collect();
        if !uncoded.is_empty() {
            cell.notes.push(self.fill(
                "cell.coding.uncoded_documents",
                &[
                    ("used", &self.int(data.documents.len() - uncoded.len())),
                    ("defined", &self.int(data.documents.len())),
                    ("names", &self.code_list(&uncoded)?),
                ],
            )?);
        }
        Ok(())
    }

    pub(super) fn published_table(
        &self,
        pick: fn(&crate::config::PublishedCoding) -> &Option<PublishedTable>,
    ) -> Option<&PublishedTable> {
        self.input
            .study
            .coding()
            .and_then(|c| c.published.as_ref())
            .and_then(|p| pick(p).as_ref())
    }

    /// A printed text: numbers in Persian digits in the Persian report, anything else as it is.
    pub(super) fn printed(&self, text: &str) -> String {
        if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
            self.num(text)
        } else {
            text.to_string()
        }
    }

    pub(super) fn code_list(&self, codes: &[&str]) -> Result<String> {
        Ok(codes.join(&self.t("list.codes_separator")?))
    }

    pub(super) fn dash(&self) -> String {
        "–".to_string()
    }

    /// The note that a transcribed table's texts in the report's language are our translations:
    /// shown in a language in which the study's indicator names are translations (the publication
    /// did not print in it).
    pub(super) fn translation_note(&self, cell: &mut Cell, key: &str) -> Result<()> {
        if self.names_translated() {
            cell.notes.push(self.t(key)?);
        }
        Ok(())
    }

    /// Whether the study's indicator names in the report's language are (some of them) our
    /// translations.
    pub(super) fn names_translated(&self) -> bool {
        self.input
            .data
            .indicators
            .iter()
            .any(|i| i.translated.contains(&self.lang))
    }

    /// The language the publication printed in, as far as the data say: the first of the study's
    /// languages in which no indicator name is a translation (the report's own when every one has
    /// some).
    pub(super) fn printed_language(&self) -> Lang {
        let translated = |lang: &Lang| {
            self.input
                .data
                .indicators
                .iter()
                .any(|i| i.translated.contains(lang))
        };
        self.input
            .study
            .languages()
            .iter()
            .copied()
            .find(|lang| !translated(lang))
            .unwrap_or(self.lang)
    }

    pub(super) fn indicator_label(&self, id: &str) -> String {
        format!("{}. {}", self.indicator_number(id), self.indicator_name(id))
    }
}
