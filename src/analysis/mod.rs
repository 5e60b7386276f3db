//! Pure computations over plain domain types: no I/O, no polars, no templates.

pub mod audit;
pub mod coding;
pub(crate) mod demographics;
pub mod feasibility;
pub mod fuzzy;
pub(crate) mod identify;
pub(crate) mod panel_size;
pub(crate) mod published;
pub(crate) mod published_in_text;
pub(crate) mod qualitative;
pub mod respondents;
pub(crate) mod rounds;
pub(crate) mod sensitivity;
pub(crate) mod threshold;

use crate::domain::{AuthorDocument, InputFile, Lang, Names, PageTemplate};
use coding::CodedData;
use demographics::Respondent;
use published::PublishedCodingTables;
use published_in_text::{PublishedCount, ShareSet};

/// A component (dimension) of the framework, grouping indicators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub(crate) id: String,
    pub(crate) name: Names,
    /// The languages in which the name is our translation rather than the publication's words.
    pub(crate) translated: Vec<Lang>,
}

/// An indicator screened by the Delphi panel, in the publication's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// The indicator's id, as in the data files (`I01`).
    pub id: String,
    /// 1-based position, the row number the publication prints.
    pub number: usize,
    /// The id of the component the indicator belongs to.
    pub component: String,
    /// The indicator's name in each report language.
    pub name: Names,
    /// The languages in which the name is our translation rather than the publication's words.
    pub translated: Vec<Lang>,
}

/// Number of experts per indicator and scale level (the shape of the paper's Table 6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountsTable {
    /// Scale level ids, lowest first: the order of every `counts` vector.
    pub levels: Vec<String>,
    /// One row per indicator, in indicator order.
    pub rows: Vec<CountsRow>,
}

/// One indicator's experts per scale level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountsRow {
    /// The indicator's id.
    pub indicator: String,
    /// Experts per level, in the table's level order.
    pub counts: Vec<u64>,
}

/// Sum of the weights of the experts per indicator and scale level, parallel to a [`CountsTable`]:
/// `rows[i][k]` is the total weight of the experts who gave indicator `i` level `k`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelWeights {
    pub(crate) rows: Vec<Vec<crate::number::Exact>>,
}

/// One round of ratings, reduced to counts (and weight sums when the study weighs its experts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    /// Experts per indicator and level.
    pub counts: CountsTable,
    /// Sum of the experts' weights per indicator and level, for weighted studies.
    pub weights: Option<LevelWeights>,
    /// Each expert's ratings, when the ratings name their experts (long, wide and survey shapes).
    pub(crate) experts: Option<ExpertRatings>,
}

/// Who rated what: the level each expert gave each indicator, for searches over respondents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertRatings {
    /// Expert ids in the order the ratings file first names them.
    pub(crate) experts: Vec<String>,
    indicators: usize,
    /// Expert-major: `level + 1` of expert e on indicator i at `e * indicators + i`; 0 when not rated.
    cells: Vec<u8>,
}

impl ExpertRatings {
    /// The most levels a scale may have for its ratings to be kept per expert (a level is one byte).
    pub(crate) const MAX_LEVELS: usize = 254;

    /// `cells` as described on the field; `None` when its length does not match.
    pub fn new(experts: Vec<String>, indicators: usize, cells: Vec<u8>) -> Option<ExpertRatings> {
        (cells.len() == experts.len() * indicators).then_some(ExpertRatings {
            experts,
            indicators,
            cells,
        })
    }

    /// The level (0-based) expert `expert` gave indicator `indicator` (both by position), if any.
    pub(crate) fn level(&self, expert: usize, indicator: usize) -> Option<usize> {
        match self.cells.get(expert * self.indicators + indicator) {
            Some(&cell) if cell > 0 => Some(usize::from(cell - 1)),
            _ => None,
        }
    }

    /// Reverses every expert's rating of indicator `indicator` (by position) on a scale of `levels`
    /// levels: level `k` (0-based) becomes `levels - 1 - k`.
    pub(crate) fn reverse_indicator(&mut self, indicator: usize, levels: usize) {
        for expert in 0..self.experts.len() {
            if let Some(cell) = self.cells.get_mut(expert * self.indicators + indicator) {
                if *cell > 0 && usize::from(*cell) <= levels {
                    // cell = k + 1, reversed: (levels - 1 - k) + 1 = levels + 1 - cell.
                    *cell = (levels + 1 - usize::from(*cell)) as u8;
                }
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.experts.len()
    }
}

impl CountsRow {
    pub(crate) fn responses(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Screening status as a publication prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Kept.
    Accepted,
    /// Dropped.
    Rejected,
}

impl Status {
    /// The word the CSV tables write (`accepted`, `rejected`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
        }
    }
}

/// One printed cell: the text exactly as transcribed (empty when the source lost it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedCell {
    /// The cell's text as transcribed.
    pub text: String,
    /// The number the text prints, if it is one.
    pub value: Option<crate::number::Printed>,
}

/// A row of a published screening table (the paper's Table 7), values kept as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedScreeningRow {
    /// The indicator's id.
    pub indicator: String,
    /// The printed l.
    pub l: PrintedCell,
    /// The printed m.
    pub m: PrintedCell,
    /// The printed u.
    pub u: PrintedCell,
    /// The printed crisp value.
    pub crisp: PrintedCell,
    /// The printed decision, if the table prints one.
    pub status: Option<Status>,
}

impl PublishedScreeningRow {
    /// The row's printed values, with its printed decision.
    pub(crate) fn means(&self) -> feasibility::PrintedMeans {
        feasibility::PrintedMeans {
            l: self.l.value,
            m: self.m.value,
            u: self.u.value,
            crisp: self.crisp.value,
            status: self.status,
        }
    }
}

/// Everything a study's data files hold, checked and typed: `ingest` fills it, the analysis and the
/// report read it.
#[derive(Debug, Clone)]
pub struct StudyData {
    /// The components, in the publication's order.
    pub components: Vec<Component>,
    /// The indicators, in the publication's order.
    pub indicators: Vec<Indicator>,
    /// Experts per indicator and level, whatever shape the ratings came in (the last round's).
    pub counts: CountsTable,
    /// Sum of the experts' weights per indicator and level (the last round's), for weighted studies.
    pub weights: Option<LevelWeights>,
    /// Every round of ratings, first round first; the last one is `counts` and `weights`.
    pub rounds: Vec<Round>,
    /// The publication's counts table as printed, if the study has one.
    pub published_counts: Option<CountsTable>,
    /// True when the printed counts table is the ratings file itself (the publication gave counts only).
    pub published_counts_are_ratings: bool,
    /// The publication's screening table as printed, if the study has one.
    pub published_screening: Option<Vec<PublishedScreeningRow>>,
    /// The sample's percentages as printed.
    pub(crate) published_demographics: Option<Vec<ShareSet>>,
    /// Counts printed in the text (codes, concepts, components, ...).
    pub(crate) published_coding_counts: Option<Vec<PublishedCount>>,
    /// Respondents of every panel, from the respondents file and the QDA project's cases.
    pub(crate) respondents: Vec<Respondent>,
    /// Coded interviews, if the study ships them.
    pub coding: Option<CodedData>,
    /// The publication's qualitative tables as printed.
    pub(crate) published_coding: PublishedCodingTables,
    /// Provenance of every file read, in reading order.
    pub inputs: Vec<InputFile>,
    /// Ids of the reverse-coded indicators (`reverse` = `yes` in the indicators file), in indicator
    /// order: their ratings, in every round and in a printed counts table, are already reversed above.
    pub reversed: Vec<String>,
    /// The author's own documents, one per report language, when the study has them
    /// (`document:` in study.yaml); the built-in report otherwise.
    pub documents: Vec<AuthorDocument>,
    /// What the documents name in their including tags, by name as written, and what those files
    /// name in turn.
    pub document_includes: std::collections::BTreeMap<String, crate::domain::IncludedText>,
    /// The study's own page templates (`templates/` in the study folder), by name.
    pub page_templates: Vec<PageTemplate>,
}

impl StudyData {
    /// The groups indicators are shown in: the study's components, or, for a study without
    /// components, one group (id empty, named by the fixed text `group.all_indicators`) of every
    /// indicator.
    pub fn indicator_groups(&self) -> Vec<Component> {
        if !self.components.is_empty() {
            return self.components.clone();
        }
        vec![Component {
            id: String::new(),
            name: Names::fixed_text("group.all_indicators"),
            translated: Vec::new(),
        }]
    }
}
