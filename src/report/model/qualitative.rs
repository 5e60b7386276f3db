//! The report's qualitative cells: study design, demographics, initial coding, concepts, counts per level,
//! the code x interviewee matrix, the saturation curve, the framework figure, and concepts linked to indicators.
//! Each cell is present in every report; when the study lacks the data for it, the cell says so.

use anyhow::Result;

use super::{
    Builder, Cell, Chart, CountTick, Figure, FrameworkChart, FrameworkComponent,
    FrameworkIndicator, SaturationChart, SaturationPoint, Table,
};
use crate::analysis::coding::{
    self, CodeMatrix, CodedData, CodingCounts, ComponentLink, ConceptCodes, LevelRule,
    SaturationStep, UncountedReason,
};
use crate::analysis::demographics::{self, AttributeSpec, Frequencies};
use crate::analysis::fuzzy::ScreeningRow;
use crate::analysis::published::LinkBasis;
use crate::analysis::Status;
use crate::analysis::StudyData;
use crate::config::{PublishedTable, Study};
use crate::domain::InputRole;
use crate::report::figure::saturation::count_ticks;
use crate::Lang;

/// The input roles of the coded interviews, whichever format they came in, with the study's configuration.
const CODED_DATA_ROLES: [InputRole; 5] = [
    InputRole::Configuration,
    InputRole::CodedSegments,
    InputRole::CodedSegmentsMaxqda,
    InputRole::CodedSegmentsRefiQda,
    InputRole::Codebook,
];

/// Where the concept-to-indicator links of a report come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkSource {
    /// The codebook of the coded data links concepts to indicators.
    CodedData,
    /// The publication's printed table of concepts (a sample), linked by transcription.
    PrintedSample,
    /// Nothing links concepts to indicators.
    None,
}

/// Everything computed from the study's qualitative data, once for both languages.
pub struct QualitativeResults {
    pub demographics: Vec<Frequencies>,
    pub coding: Option<CodingResults>,
    pub links: Vec<ComponentLink>,
    pub link_source: LinkSource,
}

pub struct CodingResults {
    pub counts: CodingCounts,
    /// What the level rule did: codings folded up from below the last level, codings above it.
    pub rule: LevelRule,
    pub matrix: CodeMatrix,
    pub saturation: Vec<SaturationStep>,
    pub concepts: Vec<ConceptCodes>,
}

impl QualitativeResults {
    /// Runs the demographic and coding analyses over a study's data.
    pub fn compute(
        study: &Study,
        data: &StudyData,
        screening: &[ScreeningRow],
    ) -> QualitativeResults {
        let demographics = match study.demographics() {
            Some(config) if !data.respondents.is_empty() => {
                let panels: Vec<String> = config.panels.iter().map(|p| p.id.clone()).collect();
                let attributes: Vec<AttributeSpec> = config
                    .attributes
                    .iter()
                    .map(|a| AttributeSpec {
                        id: a.id.clone(),
                        categories: a.categories.iter().map(|c| c.id.clone()).collect(),
                    })
                    .collect();
                demographics::describe(&panels, &attributes, &data.respondents)
            }
            _ => Vec::new(),
        };
        let coding = data.coding.as_ref().map(|coded| CodingResults {
            counts: coding::counts(coded),
            rule: coding::level_rule(coded),
            matrix: coding::matrix(coded),
            saturation: coding::saturation(coded),
            concepts: coding::concepts(coded),
        });
        let statuses: Vec<Option<Status>> = screening
            .iter()
            .map(|r| r.result.map(|s| s.status))
            .collect();
        let printed: Vec<ConceptCodes> = data
            .published_coding
            .concepts
            .iter()
            .map(|c| ConceptCodes {
                concept: c.concept.clone(),
                indicator: c.indicator.as_ref().map(|(id, _)| id.clone()),
                codes: c.codes.clone(),
                segments: None,
            })
            .collect();
        let (concepts, link_source) = match &coding {
            Some(results) if results.concepts.iter().any(|c| c.indicator.is_some()) => {
                (results.concepts.clone(), LinkSource::CodedData)
            }
            _ if !printed.is_empty() => (printed, LinkSource::PrintedSample),
            _ => (Vec::new(), LinkSource::None),
        };
        let links =
            coding::link_components(&data.components, &data.indicators, &statuses, &concepts);
        QualitativeResults {
            demographics,
            coding,
            links,
            link_source,
        }
    }
}

impl Builder<'_> {
    /// The qualitative cells, numbered from `first`.
    /// The inputs of a cell that reads the coded interviews, and the files in `extra`.
    fn coded_inputs(&self, extra: &[InputRole]) -> Result<Vec<super::CellInput>> {
        let mut roles = CODED_DATA_ROLES.to_vec();
        roles.extend_from_slice(extra);
        self.inputs_for(&roles)
    }

    pub(super) fn qualitative_cells(&self, first: usize) -> Result<Vec<Cell>> {
        let makers: [fn(&Self, usize) -> Result<Cell>; 9] = [
            Self::design_cell,
            Self::demographics_cell,
            Self::initial_coding_cell,
            Self::concepts_cell,
            Self::coding_counts_cell,
            Self::matrix_cell,
            Self::saturation_cell,
            Self::framework_cell,
            Self::links_cell,
        ];
        makers
            .iter()
            .enumerate()
            .map(|(offset, make)| make(self, first + offset))
            .collect()
    }

    fn coded(&self) -> Option<&CodedData> {
        self.results.data.coding.as_ref()
    }

    /// The analysis levels of the code tree (`coding.levels`), from the root.
    fn code_levels(&self) -> Vec<String> {
        self.results.study.code_levels()
    }

    /// The name of analysis level `depth` (from 1): the report's own words for the default levels,
    /// the name as configured for others. `plural` for a row of counts, else a column of names.
    fn level_name(&self, depth: usize, plural: bool) -> Result<String> {
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
    fn code_path(&self, data: &CodedData, code: usize) -> String {
        data.codes[code].path.join(" > ")
    }

    /// The sentences saying what the level rule did: codes below the last level (every one, with the
    /// codings folded up from them) and codes above it that carry codings.
    fn level_rule_notes(&self, cell: &mut Cell, data: &CodedData, rule: &LevelRule) -> Result<()> {
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
    fn coded_with_codings(&self, cell: &mut Cell) -> Result<Option<&CodedData>> {
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
    fn uncoded_documents_note(&self, cell: &mut Cell, data: &CodedData) -> Result<()> {
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

    fn published_table(
        &self,
        pick: fn(&crate::config::PublishedCoding) -> &Option<PublishedTable>,
    ) -> Option<&PublishedTable> {
        self.results
            .study
            .coding()
            .and_then(|c| c.published.as_ref())
            .and_then(|p| pick(p).as_ref())
    }

    /// A printed text: numbers in Persian digits in the Persian report, anything else as it is.
    fn printed(&self, text: &str) -> String {
        if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
            self.num(text)
        } else {
            text.to_string()
        }
    }

    fn code_list(&self, codes: &[&str]) -> Result<String> {
        Ok(codes.join(&self.t("list.codes_separator")?))
    }

    fn dash(&self) -> String {
        "–".to_string()
    }

    /// The note that a transcribed table's texts in the report's language are our translations: for
    /// a language in which the study's indicator names are translations, the publication did not
    /// print in it.
    fn translation_note(&self, cell: &mut Cell, key: &str) -> Result<()> {
        if self.is_translation_language() {
            cell.notes.push(self.t(key)?);
        }
        Ok(())
    }

    /// Whether the study's indicator names in the report's language are translations.
    fn is_translation_language(&self) -> bool {
        self.results
            .data
            .indicators
            .iter()
            .any(|i| i.translated.contains(&self.lang))
    }

    /// The language the publication printed in, as far as the data say: the first of the study's
    /// languages in which no indicator name is a translation.
    fn printed_language(&self) -> Option<Lang> {
        self.results.study.languages().iter().copied().find(|lang| {
            !self
                .results
                .data
                .indicators
                .iter()
                .any(|i| i.translated.contains(lang))
        })
    }

    fn design_cell(&self, number: usize) -> Result<Cell> {
        let mut cell = self.cell("design", number, "cell.design.title")?;
        cell.inputs = self.inputs_for(&[InputRole::Configuration, InputRole::PublishedDesign])?;
        let design = &self.results.data.published_coding.design;
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
            caption: self.table_caption(label.number, label.caption.get(self.lang))?,
            headers,
            rows,
        });
        self.translation_note(&mut cell, "cell.qualitative.translation_note")?;
        Ok(cell)
    }

    fn demographics_cell(&self, number: usize) -> Result<Cell> {
        let mut cell = self.cell("demographics", number, "cell.demographics.title")?;
        cell.inputs = self.coded_inputs(&[InputRole::Respondents])?;
        let tables = &self.results.qualitative.demographics;
        let config = self.results.study.demographics();
        let (Some(config), false) = (config, tables.is_empty()) else {
            cell.narrative.push(self.t("cell.demographics.none")?);
            // The percentages a publication prints are shown, with their feasibility, in the audit cell.
            if self.results.demographics.is_some() {
                cell.narrative.push(self.fill(
                    "cell.demographics.printed_elsewhere",
                    &[("title", &self.t("cell.aggregates.title")?)],
                )?);
            }
            return Ok(cell);
        };
        cell.narrative.push(self.fill(
            "cell.demographics.text",
            &[(
                "respondents",
                &self.int(self.results.data.respondents.len()),
            )],
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

    fn initial_coding_cell(&self, number: usize) -> Result<Cell> {
        let mut cell = self.cell("initial-coding", number, "cell.initial_coding.title")?;
        cell.inputs = self.coded_inputs(&[InputRole::PublishedInitialCoding])?;
        let sample = &self.results.data.published_coding.initial_coding;
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
                caption: self.table_caption(label.number, label.caption.get(self.lang))?,
                headers: vec![
                    self.t("col.interviewee")?,
                    self.t("col.narrative")?,
                    self.t("col.initial_codes")?,
                ],
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
                caption: self.t("cell.initial_coding.coded_caption")?,
                headers: vec![
                    self.t("col.document")?,
                    self.t("col.segment")?,
                    self.t("col.initial_codes")?,
                ],
                rows,
            });
        }
        if cell.tables.is_empty() && self.coded().is_none() {
            cell.narrative.push(self.t("cell.initial_coding.none")?);
        }
        Ok(cell)
    }

    fn indicator_label(&self, id: &str) -> String {
        format!("{}. {}", self.indicator_number(id), self.indicator_name(id))
    }

    fn concepts_cell(&self, number: usize) -> Result<Cell> {
        let mut cell = self.cell("concepts", number, "cell.concepts.title")?;
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
        let printed = &self.results.data.published_coding.concepts;
        if let (Some(label), false) = (self.published_table(|p| &p.concepts), printed.is_empty()) {
            cell.narrative.push(self.fill(
                "cell.concepts.printed",
                &[
                    ("table", &self.int(label.number)),
                    ("rows", &self.int(printed.len())),
                ],
            )?);
            let statuses = self.results.screening;
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
                caption: self.table_caption(label.number, label.caption.get(self.lang))?,
                headers: vec![
                    self.t("col.number")?,
                    self.t("col.concept")?,
                    self.t("col.initial_codes")?,
                    self.t("col.indicator")?,
                    self.t("col.link_basis")?,
                    self.t("col.status")?,
                ],
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
            caption: self.t("cell.concepts.coded_caption")?,
            headers,
            rows,
        });
        Ok(())
    }

    fn coding_counts_cell(&self, number: usize) -> Result<Cell> {
        let mut cell = self.cell("coding-counts", number, "cell.coding_counts.title")?;
        // The printed samples are read for the note on their distinct codes.
        cell.inputs = self.coded_inputs(&[
            InputRole::Components,
            InputRole::Indicators,
            InputRole::PublishedCodingCounts,
            InputRole::PublishedInitialCoding,
            InputRole::PublishedConcepts,
        ])?;
        let data = self.results.data;
        // The counts the text prints come from the study's published counts file (also audited in its own cell).
        let printed_counts = data.published_coding_counts.as_deref().unwrap_or_default();
        let counts = self
            .results
            .qualitative
            .coding
            .as_ref()
            .map(|c| c.counts.clone());
        cell.narrative.push(self.t("cell.coding_counts.text")?);
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
                "component" => self.int(data.components.len()),
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
                opt(self.results.study.panels().interviewees.map(|n| n as usize)),
                self.dash(),
                opt(counts.as_ref().map(|c| c.documents)),
                opt(counts.as_ref().map(|c| c.documents_used)),
            ],
        ]);
        cell.tables.push(Table {
            caption: self.t("cell.coding_counts.caption")?,
            headers: vec![
                self.t("col.level")?,
                self.t("col.printed_text")?,
                self.t("col.framework")?,
                self.t("col.coded_defined")?,
                self.t("col.coded_used")?,
            ],
            rows,
        });
        // Whether the printed counts agree with the framework is the audit's job (the published-figures cell).
        let published = &data.published_coding;
        if !published.initial_coding.is_empty() || !published.concepts.is_empty() {
            // Codes are told apart by their printed words.
            let printed = self.printed_language().unwrap_or(self.lang);
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
            if let Some(results) = self.results.qualitative.coding.as_ref() {
                self.level_rule_notes(&mut cell, coded, &results.rule)?;
            }
        }
        Ok(cell)
    }

    fn matrix_cell(&self, number: usize) -> Result<Cell> {
        let mut cell = self.cell("code-matrix", number, "cell.matrix.title")?;
        cell.inputs = self.coded_inputs(&[])?;
        let (Some(_), Some(results)) = (self.coded(), self.results.qualitative.coding.as_ref())
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

    fn saturation_cell(&self, number: usize) -> Result<Cell> {
        let mut cell = self.cell("saturation", number, "cell.saturation.title")?;
        cell.inputs = self.coded_inputs(&[])?;
        let (Some(_), Some(results)) = (self.coded(), self.results.qualitative.coding.as_ref())
        else {
            cell.narrative.push(self.t("cell.saturation.none")?);
            return Ok(cell);
        };
        let Some(data) = self.coded_with_codings(&mut cell)? else {
            return Ok(cell);
        };
        cell.narrative.push(self.t("cell.saturation.text")?);
        self.uncoded_documents_note(&mut cell, data)?;
        if results.rule.folded_codings() > 0 || !results.rule.above.is_empty() {
            cell.notes.push(self.fill(
                "cell.saturation.level_rule",
                &[
                    ("level", &self.level_name(data.levels, false)?),
                    ("above", &self.int(results.rule.above.len())),
                ],
            )?);
        }
        let rows = results
            .saturation
            .iter()
            .enumerate()
            .map(|(index, step)| {
                vec![
                    self.int(index + 1),
                    data.documents[step.document].clone(),
                    self.int(step.segments),
                    self.int(step.new_codes),
                    self.int(step.cumulative),
                ]
            })
            .collect();
        cell.tables.push(Table {
            caption: self.t("cell.saturation.caption")?,
            headers: vec![
                self.t("col.interview_order")?,
                self.t("col.document")?,
                self.t("col.segments")?,
                self.t("col.new_codes")?,
                self.t("col.cumulative_codes")?,
            ],
            rows,
        });
        let steps: Vec<SaturationPoint> = results
            .saturation
            .iter()
            .map(|s| SaturationPoint {
                document: data.documents[s.document].clone(),
                new_codes: s.new_codes,
                cumulative: s.cumulative,
            })
            .collect();
        let most = steps.iter().map(|s| s.cumulative).max().unwrap_or(0);
        let ticks = count_ticks(most)
            .into_iter()
            .map(|value| CountTick {
                value,
                label: self.int(value),
            })
            .collect();
        let title = self.t("cell.saturation.figure")?;
        let chart = SaturationChart {
            x_axis: self.t("col.interview_order")?,
            y_axis: self.t("figure.initial_codes")?,
            new_codes_label: self.t("col.new_codes")?,
            cumulative_label: self.t("col.cumulative_codes")?,
            ticks,
            steps,
        };
        cell.figures.push(Figure {
            id: "saturation".to_string(),
            file: format!("figures/saturation.{}.svg", self.lang.code()),
            description: title.clone(),
            caption: title,
            chart: Chart::Saturation(chart),
        });
        Ok(cell)
    }

    fn framework_cell(&self, number: usize) -> Result<Cell> {
        let mut cell = self.cell("framework", number, "cell.framework.title")?;
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Components,
            InputRole::Indicators,
            InputRole::Ratings,
        ])?;
        let data = self.results.data;
        let screening = self.results.screening;
        let accepted = screening
            .iter()
            .filter(|r| r.result.map(|s| s.status) == Some(Status::Accepted))
            .count();
        let rejected = screening
            .iter()
            .filter(|r| r.result.map(|s| s.status) == Some(Status::Rejected))
            .count();
        cell.narrative.push(self.fill(
            "cell.framework.text",
            &[
                ("components", &self.int(data.components.len())),
                ("indicators", &self.int(data.indicators.len())),
                ("accepted", &self.int(accepted)),
                ("rejected", &self.int(rejected)),
            ],
        )?);
        let components: Vec<FrameworkComponent> = data
            .components
            .iter()
            .map(|component| FrameworkComponent {
                name: component.name.get(self.lang).to_string(),
                indicators: data
                    .indicators
                    .iter()
                    .zip(screening)
                    .filter(|(i, _)| i.component == component.id)
                    .map(|(indicator, row)| FrameworkIndicator {
                        number: self.int(indicator.number),
                        name: indicator.name.get(self.lang).to_string(),
                        accepted: row.result.map(|s| s.status == Status::Accepted),
                    })
                    .collect(),
            })
            .collect();
        let title = self.t("cell.framework.figure")?;
        cell.figures.push(Figure {
            id: "framework".to_string(),
            file: format!("figures/framework.{}.svg", self.lang.code()),
            caption: title.clone(),
            description: title.clone(),
            chart: Chart::Framework(FrameworkChart {
                accepted_label: self.t("status.accepted")?,
                rejected_label: self.t("status.rejected")?,
                components,
            }),
        });
        cell.notes.push(self.t("cell.framework.note")?);
        Ok(cell)
    }

    fn links_cell(&self, number: usize) -> Result<Cell> {
        let mut cell = self.cell("concept-links", number, "cell.links.title")?;
        cell.inputs = self.coded_inputs(&[
            InputRole::Components,
            InputRole::Indicators,
            InputRole::Ratings,
            InputRole::PublishedConcepts,
        ])?;
        let qualitative = self.results.qualitative;
        if qualitative.link_source == LinkSource::CodedData {
            // Links from coded data with no coding count no segment: say so, as every coding cell does.
            self.coded_with_codings(&mut cell)?;
        }
        cell.narrative.push(self.t(match qualitative.link_source {
            LinkSource::CodedData => "cell.links.coded",
            LinkSource::PrintedSample => "cell.links.printed",
            LinkSource::None => "cell.links.none",
        })?);
        let linked = qualitative.link_source != LinkSource::None;
        let rows = qualitative
            .links
            .iter()
            .map(|link| {
                let or_dash = |value: usize| if linked { self.int(value) } else { self.dash() };
                vec![
                    self.component_name(&link.component),
                    self.int(link.indicators),
                    self.int(link.accepted),
                    self.int(link.rejected),
                    or_dash(link.linked_concepts),
                    or_dash(link.initial_codes),
                    // A printed sample of concepts comes with no segments to count.
                    link.segments
                        .filter(|_| qualitative.link_source == LinkSource::CodedData)
                        .map_or_else(|| self.dash(), |s| self.int(s)),
                ]
            })
            .collect();
        cell.tables.push(Table {
            caption: self.t("cell.links.caption")?,
            headers: vec![
                self.t("col.component")?,
                self.t("col.indicators")?,
                self.t("col.accepted")?,
                self.t("col.rejected")?,
                self.t("col.linked_concepts")?,
                self.t("col.initial_codes_count")?,
                self.t("col.segments")?,
            ],
            rows,
        });
        Ok(cell)
    }
}
