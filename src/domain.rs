//! The study's plain domain types, shared by every stage and owned by none: the report languages and
//! names in them (`language`), scale levels and the screening method. `config` produces them, `ingest`
//! fills the data types, `analysis` and `report` consume them.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::number::Exact;

pub mod language;

pub use language::{Lang, Names, TextDirection};

/// A validated scale level with its fuzzy number held exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleLevel {
    /// The level's id: its column name in counts tables (`very_low`).
    pub id: String,
    pub(crate) label: Names,
    pub(crate) tfn: [Exact; 3],
}

/// How the experts' triangular numbers of one indicator become the group's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregation {
    /// Component-wise arithmetic mean of the experts' triangular numbers (exact).
    ArithmeticMean,
    /// Component-wise geometric mean (f64): `l = (Π lᵢ)^(1/n)`, and so for m and u.
    GeometricMean,
    /// Cheng & Lin (2002): `l = min lᵢ`, `m = (Π mᵢ)^(1/n)`, `u = max uᵢ`.
    MinGeometricMax,
}

impl Aggregation {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Aggregation::ArithmeticMean => "arithmetic-mean",
            Aggregation::GeometricMean => "geometric-mean",
            Aggregation::MinGeometricMax => "min-geometric-max",
        }
    }
}

/// How the group's triangular number becomes one crisp value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Defuzzification {
    /// `(l + m + u) / 3`, the centroid of the triangle.
    Centroid,
    /// `(l + 2m + u) / 4`, the mean of the alpha-cut midpoints.
    AlphaCutMean,
    /// `(l + 4m + u) / 6`, the graded mean integration representation.
    GradedMean,
    /// `(l * m * u)^(1/3)`, the geometric mean of the three vertices (f64).
    Geometric,
}

impl Defuzzification {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Defuzzification::Centroid => "centroid",
            Defuzzification::AlphaCutMean => "alpha-cut-mean",
            Defuzzification::GradedMean => "graded-mean",
            Defuzzification::Geometric => "geometric",
        }
    }

    /// Integer weights `(a, b, c)` of a linear defuzzification `(a l + b m + c u) / (a + b + c)`;
    /// `None` for the geometric one.
    pub(crate) fn linear_weights(self) -> Option<[i128; 3]> {
        match self {
            Defuzzification::Centroid => Some([1, 1, 1]),
            Defuzzification::AlphaCutMean => Some([1, 2, 1]),
            Defuzzification::GradedMean => Some([1, 4, 1]),
            Defuzzification::Geometric => None,
        }
    }
}

/// Which conditions accept an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionRule {
    /// Accepted when crisp >= threshold (the reference paper's rule).
    #[default]
    Threshold,
    /// Accepted when crisp >= threshold, the mean vertex distance <= `consensus.max_distance` and the
    /// share of experts within that distance >= `consensus.min_agreement`.
    ThresholdAndConsensus,
}

impl DecisionRule {
    pub(crate) fn name(self) -> &'static str {
        match self {
            DecisionRule::Threshold => "threshold",
            DecisionRule::ThresholdAndConsensus => "threshold-and-consensus",
        }
    }
}

/// The screening method, validated: what the analysis layer needs to decide every indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    pub(crate) aggregation: Aggregation,
    pub(crate) defuzzification: Defuzzification,
    /// The effective threshold: an indicator is accepted when its crisp value is at least this.
    pub threshold: Exact,
    /// Which conditions accept an indicator.
    pub decision: DecisionRule,
    pub(crate) max_distance: Exact,
    pub(crate) min_agreement: Exact,
    /// Expert weights are applied to the aggregation.
    pub(crate) weighted: bool,
}

impl Method {
    /// The reference paper's method: arithmetic mean, centroid, accepted at `threshold`, unweighted,
    /// with the default consensus parameters (0.2, 75%).
    pub fn paper(threshold: Exact) -> Method {
        Method {
            aggregation: Aggregation::ArithmeticMean,
            defuzzification: Defuzzification::Centroid,
            threshold,
            decision: DecisionRule::Threshold,
            max_distance: Exact::new(1, 5).unwrap_or(Exact::ZERO),
            min_agreement: Exact::new(3, 4).unwrap_or(Exact::ZERO),
            weighted: false,
        }
    }

    /// Whether every value the method produces is an exact rational.
    pub(crate) fn is_exact(&self) -> bool {
        self.aggregation == Aggregation::ArithmeticMean
            && self.defuzzification.linear_weights().is_some()
    }
}

/// The statistic of the indicators' crisp values a relative threshold is a multiple of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ThresholdStatistic {
    Mean,
    Median,
}

impl ThresholdStatistic {
    /// The name study.yaml and `tables/threshold.csv` use.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ThresholdStatistic::Mean => "mean",
            ThresholdStatistic::Median => "median",
        }
    }
}

/// What an input file is for: the role `ingest` records when it reads the file, and the report, the
/// manifest and the notebooks cite. One file may hold several roles (the reference study's Table 6 is
/// both its ratings and the published counts). The name is what `manifest.json` records; the label in
/// each report language is `role.<name>` in `templates/strings.yaml` ([`InputRole::strings_key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InputRole {
    /// `study.yaml` itself: its parameters are an input of every computed cell.
    Configuration,
    /// The author's own document of one language (`document:` in study.yaml).
    Document,
    /// A file an author's document includes (`{% include "part.md" %}`, `import`, `from`).
    DocumentInclude,
    /// The components table.
    Components,
    /// The indicators table.
    Indicators,
    /// The experts' ratings of one round, in any shape.
    Ratings,
    /// The experts' weights.
    Weights,
    /// The publication's counts table, as printed.
    PublishedCounts,
    /// The publication's screening table, as printed.
    PublishedScreening,
    /// The sample percentages the publication prints.
    PublishedDemographics,
    /// The counts the publication prints in its text (initial codes, concepts, ...).
    PublishedCodingCounts,
    /// One row per respondent and panel, with their attributes.
    Respondents,
    /// Coded segments in the project's own CSV.
    CodedSegments,
    /// Coded segments in a MAXQDA export.
    CodedSegmentsMaxqda,
    /// Coded segments in a REFI-QDA project.
    CodedSegmentsRefiQda,
    /// The codebook: code names in each report language and the indicator each concept became.
    Codebook,
    /// The study design summary the publication prints.
    PublishedDesign,
    /// The sample of initial coding the publication prints.
    PublishedInitialCoding,
    /// The concepts and their initial codes as the publication prints them.
    PublishedConcepts,
}

impl InputRole {
    #[cfg(test)]
    /// Every role, in the order the report's inputs table lists files read for them.
    pub(crate) const ALL: [InputRole; 19] = [
        InputRole::Configuration,
        InputRole::Document,
        InputRole::DocumentInclude,
        InputRole::Components,
        InputRole::Indicators,
        InputRole::Ratings,
        InputRole::Weights,
        InputRole::PublishedCounts,
        InputRole::PublishedScreening,
        InputRole::PublishedDemographics,
        InputRole::PublishedCodingCounts,
        InputRole::Respondents,
        InputRole::CodedSegments,
        InputRole::CodedSegmentsMaxqda,
        InputRole::CodedSegmentsRefiQda,
        InputRole::Codebook,
        InputRole::PublishedDesign,
        InputRole::PublishedInitialCoding,
        InputRole::PublishedConcepts,
    ];

    /// The role's name as `manifest.json` and the notebooks' metadata record it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            InputRole::Configuration => "configuration",
            InputRole::Document => "document",
            InputRole::DocumentInclude => "document include",
            InputRole::Components => "components",
            InputRole::Indicators => "indicators",
            InputRole::Ratings => "ratings",
            InputRole::Weights => "weights",
            InputRole::PublishedCounts => "published counts",
            InputRole::PublishedScreening => "published screening",
            InputRole::PublishedDemographics => "published demographics",
            InputRole::PublishedCodingCounts => "published coding counts",
            InputRole::Respondents => "respondents",
            InputRole::CodedSegments => "coded segments",
            InputRole::CodedSegmentsMaxqda => "coded segments (MAXQDA)",
            InputRole::CodedSegmentsRefiQda => "coded segments (REFI-QDA)",
            InputRole::Codebook => "codebook",
            InputRole::PublishedDesign => "published design",
            InputRole::PublishedInitialCoding => "published initial coding",
            InputRole::PublishedConcepts => "published concepts",
        }
    }

    /// Whether a file of this role is text rather than a table: its size is counted in lines
    /// (the author's document and what it includes), not in data rows.
    pub fn is_text(self) -> bool {
        matches!(self, InputRole::Document | InputRole::DocumentInclude)
    }

    /// The key of the role's label in `templates/strings.yaml`.
    pub(crate) fn strings_key(self) -> String {
        format!("role.{}", self.name())
    }
}

impl std::fmt::Display for InputRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for InputRole {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// The largest file an author's document may include, in bytes: what `ingest` records among the
/// inputs and the document's renderer reads are held to the same limit.
pub(crate) const MAX_INCLUDE_BYTES: u64 = 1 << 20;

/// A file an author's document names in an including tag, as `ingest` found it before the build: its
/// text, no such file, or why it may not be included. The document's renderer includes from these
/// only, so every file a report reads is read by `ingest` and listed among its inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncludedText {
    /// The file's text.
    Text(String),
    /// No file of that name in the study folder.
    Missing,
    /// Why the file may not be included (outside the folder, not a file, too large, not UTF-8).
    Refused(String),
}

/// The author's own document of one report language: Markdown with minijinja expressions, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorDocument {
    /// The language the document is written in.
    pub lang: Lang,
    /// Path relative to the study folder, with `/` separators.
    pub path: String,
    /// The document's text, as read.
    pub text: String,
}

/// A page template of the study's own (`templates/<name>` in the study folder), replacing the built-in
/// template of the same name, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageTemplate {
    /// The file's name, the built-in template it replaces (`page.css`, `report.html.j2`, ...).
    pub name: String,
    /// Path relative to the study folder, with `/` separators.
    pub path: String,
    /// The template's text.
    pub text: String,
}

/// Where an input came from: enough to cite it and to detect that it changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InputFile {
    /// What the file is for.
    pub role: InputRole,
    /// Path relative to the study folder, with `/` separators.
    pub path: String,
    /// Data rows read (the header is not counted).
    pub rows: usize,
    /// SHA-256 of the file's bytes, in lowercase hex.
    pub(crate) sha256: String,
}

impl InputFile {
    /// The record of the file at `relative` (to the study folder), read for `role`.
    pub(crate) fn new(role: InputRole, relative: &Path, rows: usize, sha256: String) -> InputFile {
        InputFile {
            role,
            path: relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            rows,
            sha256,
        }
    }
}
