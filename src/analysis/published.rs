//! The publication's qualitative tables as printed: study design, a sample of initial coding, and
//! concepts with their initial codes. Plain data; Persian as printed, English marked as translation.

use crate::domain::Names;

/// One cell of the study design table: a phase (row of the printed table) and a field (its column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DesignCell {
    pub(crate) phase: String,
    pub(crate) phase_label: Names,
    pub(crate) field: String,
    pub(crate) field_label: Names,
    pub(crate) value: Names,
}

/// A row of the printed sample of initial coding: who said it, what they said, how it was coded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InitialCodingRow {
    pub(crate) number: usize,
    pub(crate) interviewee: String,
    pub(crate) narrative: Names,
    pub(crate) codes: Vec<Names>,
}

/// How a printed concept was matched to a Delphi indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkBasis {
    /// The concept and the indicator carry the same name.
    SameName,
    /// A transcriber's judgment, recorded in the study folder's README.
    Judgment,
}

/// A row of the printed table of concepts (secondary codes) and their initial codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PrintedConcept {
    pub(crate) number: usize,
    pub(crate) concept: Names,
    pub(crate) codes: Vec<Names>,
    /// The indicator the concept became, with how the link was made; `None` when not linked.
    pub(crate) indicator: Option<(String, LinkBasis)>,
}

/// Everything the publication prints about its coding; each part may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PublishedCodingTables {
    pub(crate) design: Vec<DesignCell>,
    pub(crate) initial_coding: Vec<InitialCodingRow>,
    pub(crate) concepts: Vec<PrintedConcept>,
}
