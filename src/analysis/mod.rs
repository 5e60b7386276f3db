//! Pure computations over plain domain types: no I/O, no polars, no templates.

pub mod aggregates;
pub mod audit;
pub mod coding;
pub mod demographics;
pub mod feasibility;
pub mod fuzzy;
pub mod published;
pub mod rounds;
pub mod sensitivity;

use crate::config::Bilingual;

/// A component (dimension) of the framework, grouping indicators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub id: String,
    pub name: Bilingual,
    /// True when the English name is our translation rather than the publication's.
    pub name_en_is_translation: bool,
}

/// An indicator screened by the Delphi panel, in the publication's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub id: String,
    /// 1-based position, the row number the publication prints.
    pub number: usize,
    pub component: String,
    pub name: Bilingual,
    pub name_en_is_translation: bool,
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
