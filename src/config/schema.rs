//! The document `study.yaml` as written: its top-level keys (with the checks of `id` and the panel
//! size), and the small sections that need no validation of their own (citation, panels, table labels).
//! Each other section has its own module with its schema and its validation (`scale`, `method`, `data`,
//! `qualitative`).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::data::DataFiles;
use super::document::DocumentConfig;
use super::method::MethodConfig;
use super::qualitative::{CodingConfig, DemographicsConfig};
use super::scale::ScaleConfig;
use crate::domain::{Lang, Names};
use crate::error::InputError;

/// `study.yaml` as written by the researcher.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StudyConfig {
    /// Short identifier; the report folder is `reports/<id>/`.
    pub(super) id: String,
    /// Title of the study, used as the report title.
    pub(super) title: Names,
    /// The report languages, the first the primary one (`[en]`, `[fa]`, `[en, fa]`); the languages
    /// table's defaults (`[en, fa]`) when absent. Only these are written, and only their texts needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) languages: Option<Vec<Lang>>,
    /// The publication the study reproduces, if any.
    #[serde(default)]
    pub(super) citation: Option<Citation>,
    /// Panel sizes as the study reports them.
    #[serde(default)]
    pub(super) panels: Panels,
    /// The linguistic scale and its triangular fuzzy numbers: required with ratings, absent without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) scale: Option<ScaleConfig>,
    /// How ratings become a screening decision: required with ratings, absent without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) method: Option<MethodConfig>,
    /// Data files, relative to the study folder.
    #[serde(default)]
    pub(super) data: DataFiles,
    /// Numbers and captions of the tables, as the publication prints them.
    #[serde(default)]
    pub(super) tables: TableLabels,
    /// Who the respondents were (optional).
    #[serde(default)]
    pub(super) demographics: Option<DemographicsConfig>,
    /// The qualitative coding that produced the indicators (optional).
    #[serde(default)]
    pub(super) coding: Option<CodingConfig>,
    /// The author's own document, one Markdown file per report language (optional: the built-in
    /// report otherwise). Not written when absent, so older manifests read the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) document: Option<DocumentConfig>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Citation {
    pub(crate) authors: Vec<Names>,
    pub(crate) year: u32,
    pub(crate) title: Names,
    pub(crate) journal: Names,
    #[serde(default)]
    pub(crate) volume: Option<String>,
    #[serde(default)]
    pub(crate) issue: Option<String>,
    #[serde(default)]
    pub(crate) pages: Option<String>,
    #[serde(default)]
    pub(crate) doi: Option<String>,
}

/// Panel sizes as the study reports them (`panels`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Panels {
    /// Interviewees of the qualitative part, if the study had one.
    #[serde(default)]
    pub(crate) interviewees: Option<u32>,
    /// Experts of the Delphi round: the number of responses every indicator should have. Required
    /// with ratings, absent without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delphi_experts: Option<u32>,
}

/// Numbers and captions of the counts and screening tables (`tables`); each number names the table's CSV file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TableLabels {
    /// The counts table (the reference study's Table 6).
    pub counts: TableLabel,
    /// The screening table (the reference study's Table 7).
    pub screening: TableLabel,
}

/// A table's number and caption as the publication prints them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TableLabel {
    /// The table's number.
    pub number: u32,
    pub(crate) caption: Names,
}

impl Default for TableLabels {
    fn default() -> Self {
        TableLabels {
            counts: TableLabel {
                number: 1,
                caption: Names::fixed_text("tables.counts.caption"),
            },
            screening: TableLabel {
                number: 2,
                caption: Names::fixed_text("tables.screening.caption"),
            },
        }
    }
}

impl TableLabels {
    /// The two tables need two numbers: each names its CSV file (`tables/table<N>.csv`).
    pub(super) fn validate(&self, file: &Path) -> Result<(), InputError> {
        if self.counts.number == self.screening.number {
            return Err(InputError::key(
                file,
                "tables.screening.number",
                format!(
                    "{} is also tables.counts.number; each table needs its own number (it names its file tables/table<number>.csv)",
                    self.screening.number
                ),
            ));
        }
        Ok(())
    }
}

impl StudyConfig {
    /// The top-level keys: a panel of at least one expert (when given), an id that can name a folder.
    pub(super) fn validate_identity(&self, file: &Path) -> Result<(), InputError> {
        if self.panels.delphi_experts == Some(0) {
            return Err(InputError::key(
                file,
                "panels.delphi_experts",
                "expected at least one expert",
            ));
        }
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(InputError::key(
                file,
                "id",
                format!(
                    "expected letters, digits, '-' or '_' (it names the report folder), found '{}'",
                    self.id
                ),
            ));
        }
        Ok(())
    }
}
