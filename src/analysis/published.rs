//! The publication's qualitative tables as printed: study design, a sample of initial coding, and
//! concepts with their initial codes. Plain data; Persian as printed, English marked as translation.

use crate::domain::Names;

/// One cell of the study design table: a phase (row of the printed table) and a field (its column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesignCell {
    pub phase: String,
    pub phase_label: Names,
    pub field: String,
    pub field_label: Names,
    pub value: Names,
}

/// A row of the printed sample of initial coding: who said it, what they said, how it was coded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitialCodingRow {
    pub number: usize,
    pub interviewee: String,
    pub narrative: Names,
    pub codes: Vec<Names>,
}

/// How a printed concept was matched to a Delphi indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkBasis {
    /// The concept and the indicator carry the same name.
    SameName,
    /// A transcriber's judgment, recorded in the study folder's README.
    Judgment,
}

/// A row of the printed table of concepts (secondary codes) and their initial codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedConcept {
    pub number: usize,
    pub concept: Names,
    pub codes: Vec<Names>,
    /// The indicator the concept became, with how the link was made; `None` when not linked.
    pub indicator: Option<(String, LinkBasis)>,
}

/// Everything the publication prints about its coding; each part may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublishedCodingTables {
    pub design: Vec<DesignCell>,
    pub initial_coding: Vec<InitialCodingRow>,
    pub concepts: Vec<PrintedConcept>,
}
