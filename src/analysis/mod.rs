//! Pure computations over plain domain types: no I/O, no polars, no templates.

pub mod audit;
pub mod coding;
pub mod demographics;
pub mod feasibility;
pub mod fuzzy;
pub mod identify;
pub mod panel_size;
pub mod published;
pub mod published_in_text;
pub mod qualitative;
pub mod respondents;
pub mod rounds;
pub mod sensitivity;
pub mod threshold;

use crate::domain::{InputFile, Lang, Names};
use coding::CodedData;
use demographics::Respondent;
use published::PublishedCodingTables;
use published_in_text::{PublishedCount, ShareSet};

/// A component (dimension) of the framework, grouping indicators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub id: String,
    pub name: Names,
    /// The languages in which the name is our translation rather than the publication's words.
    pub translated: Vec<Lang>,
}

/// An indicator screened by the Delphi panel, in the publication's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub id: String,
    /// 1-based position, the row number the publication prints.
    pub number: usize,
    pub component: String,
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountsRow {
    pub indicator: String,
    pub counts: Vec<u64>,
}

/// Sum of the weights of the experts per indicator and scale level, parallel to a [`CountsTable`]:
/// `rows[i][k]` is the total weight of the experts who gave indicator `i` level `k`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelWeights {
    pub rows: Vec<Vec<crate::number::Exact>>,
}

/// One round of ratings, reduced to counts (and weight sums when the study weighs its experts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub counts: CountsTable,
    pub weights: Option<LevelWeights>,
    /// Each expert's ratings, when the ratings name their experts (long, wide and survey shapes).
    pub experts: Option<ExpertRatings>,
}

/// Who rated what: the level each expert gave each indicator, for searches over respondents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertRatings {
    /// Expert ids in the order the ratings file first names them.
    pub experts: Vec<String>,
    indicators: usize,
    /// Expert-major: `level + 1` of expert e on indicator i at `e * indicators + i`; 0 when not rated.
    cells: Vec<u8>,
}

impl ExpertRatings {
    /// The most levels a scale may have for its ratings to be kept per expert (a level is one byte).
    pub const MAX_LEVELS: usize = 254;

    /// `cells` as described on the field; `None` when its length does not match.
    pub fn new(experts: Vec<String>, indicators: usize, cells: Vec<u8>) -> Option<ExpertRatings> {
        (cells.len() == experts.len() * indicators).then_some(ExpertRatings {
            experts,
            indicators,
            cells,
        })
    }

    /// The level (0-based) expert `expert` gave indicator `indicator` (both by position), if any.
    pub fn level(&self, expert: usize, indicator: usize) -> Option<usize> {
        match self.cells.get(expert * self.indicators + indicator) {
            Some(&cell) if cell > 0 => Some(usize::from(cell - 1)),
            _ => None,
        }
    }

    /// Reverses every expert's rating of indicator `indicator` (by position) on a scale of `levels`
    /// levels: level `k` (0-based) becomes `levels - 1 - k`.
    pub fn reverse_indicator(&mut self, indicator: usize, levels: usize) {
        for expert in 0..self.experts.len() {
            if let Some(cell) = self.cells.get_mut(expert * self.indicators + indicator) {
                if *cell > 0 && usize::from(*cell) <= levels {
                    // cell = k + 1, reversed: (levels - 1 - k) + 1 = levels + 1 - cell.
                    *cell = (levels + 1 - usize::from(*cell)) as u8;
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.experts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.experts.is_empty()
    }
}

impl CountsRow {
    pub fn responses(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Screening status as a publication prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Accepted,
    Rejected,
}

impl Status {
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
    pub text: String,
    pub value: Option<crate::number::Printed>,
}

/// A row of a published screening table (the paper's Table 7), values kept as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedScreeningRow {
    pub indicator: String,
    pub l: PrintedCell,
    pub m: PrintedCell,
    pub u: PrintedCell,
    pub crisp: PrintedCell,
    pub status: Option<Status>,
}

/// Everything a study's data files hold, checked and typed: `ingest` fills it, the analysis and the
/// report read it.
#[derive(Debug, Clone)]
pub struct StudyData {
    pub components: Vec<Component>,
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
    pub published_demographics: Option<Vec<ShareSet>>,
    /// Counts printed in the text (codes, concepts, components, ...).
    pub published_coding_counts: Option<Vec<PublishedCount>>,
    /// Respondents of every panel, from the respondents file and the QDA project's cases.
    pub respondents: Vec<Respondent>,
    /// Coded interviews, if the study ships them.
    pub coding: Option<CodedData>,
    /// The publication's qualitative tables as printed.
    pub published_coding: PublishedCodingTables,
    /// Provenance of every file read, in reading order.
    pub inputs: Vec<InputFile>,
    /// Ids of the reverse-coded indicators (`reverse` = `yes` in the indicators file), in indicator
    /// order: their ratings, in every round and in a printed counts table, are already reversed above.
    pub reversed: Vec<String>,
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
