//! The study configuration (`study.yaml`): its serde schema (`schema` and one module per section) and
//! the validated view every later stage reads, [`Study`], with every path inside the study folder.
//!
//! The document as written stays private to this module: each setting reaches the other stages once,
//! either as a validated value (the scale, the method with its one threshold, the sweep) or through an
//! accessor on [`Study`].

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::domain::{Lang, Method, Names, ScaleLevel};
use crate::error::InputError;
use crate::number::{Exact, Num};
use presets::ScalePreset;
use schema::StudyConfig;

mod data;
mod document;
mod languages;
mod method;
mod overrides;
mod parts;
pub mod presets;
mod qualitative;
mod scale;
mod schema;

pub(crate) use data::{DataFiles, RatingsFile, RatingsShape, SurveyColumns};
pub(crate) use document::DocumentConfig;
pub(crate) use method::ThresholdRule;
pub use overrides::Override;
pub(crate) use parts::Parts;
pub(crate) use qualitative::{
    fold_label, CategoryConfig, CodingConfig, DemographicsConfig, PublishedCoding, PublishedTable,
    DEFAULT_CODE_LEVELS,
};
pub use qualitative::{OffsetUnit, SegmentsFile, SegmentsFormat, SourceTexts};
pub(crate) use schema::Citation;
pub use schema::{Panels, TableLabel, TableLabels};

/// The file every study folder must hold.
pub(crate) const STUDY_FILE: &str = "study.yaml";

/// A loaded, validated study: the folder its paths are relative to, its validated settings, and
/// accessors to the sections the stages read as written (data files, labels, the qualitative part).
#[derive(Debug, Clone)]
pub struct Study {
    folder: PathBuf,
    /// The report languages, the primary one first.
    languages: Vec<Lang>,
    /// Ratings, coded interviews, or both.
    parts: Parts,
    /// The document as written; read only through the accessors below.
    config: StudyConfig,
    scale: Vec<ScaleLevel>,
    /// How the threshold was given; its value is `method.threshold`.
    threshold_rule: ThresholdRule,
    /// The screening method with its exact parameters; `method.threshold` is the effective threshold.
    method: Method,
    max_change: Exact,
    sensitivity_thresholds: Vec<Exact>,
    source: ConfigSource,
    /// The settings `--set` overrode for this build, in the order given.
    overrides: Vec<Override>,
}

/// The configuration text as read: enough to cite it in the report and the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigSource {
    /// Lines of the file.
    pub(crate) lines: usize,
    /// SHA-256 of the file's bytes, in lowercase hex.
    pub(crate) sha256: String,
}

impl Study {
    /// Reads and validates `<folder>/study.yaml`.
    pub fn load(folder: &Path) -> Result<Study, InputError> {
        Study::load_with(folder, &[])
    }

    /// Reads `<folder>/study.yaml` with `overrides` (`--set`) applied, and validates the result.
    pub fn load_with(folder: &Path, overrides: &[Override]) -> Result<Study, InputError> {
        let file = folder.join(STUDY_FILE);
        if !folder.is_dir() {
            return Err(InputError::file(
                folder,
                "study folder not found (expected a folder holding study.yaml)",
            ));
        }
        let bytes = std::fs::read(&file).map_err(|e| {
            InputError::file(&file, format!("cannot read the study configuration: {e}"))
        })?;
        let text = crate::error::check_text(&file, &bytes)?;
        Study::from_yaml_with(folder, &file, text, overrides)
    }

    /// Parses and validates a configuration text, with `overrides` applied to the parsed text before
    /// it is read and validated (an error they cause names the key they set); `file` is used in error
    /// messages only.
    pub(crate) fn from_yaml_with(
        folder: &Path,
        file: &Path,
        text: &str,
        overrides: &[Override],
    ) -> Result<Study, InputError> {
        let config: StudyConfig = serde_yaml::from_str(text).map_err(|e| match e.location() {
            Some(at) => InputError::at_line(file, at.line(), e.to_string()),
            None => InputError::file(file, e.to_string()),
        })?;
        if let Some(set) = overrides.iter().find(|o| o.key == "id") {
            return Err(InputError::key(
                file,
                "id",
                format!("--set {set}: the study's id names its report folder; it cannot be set for one build"),
            ));
        }
        let config = if overrides.is_empty() {
            config
        } else {
            overridden(file, text, overrides)?
        };
        Study::validated(folder, file, text, config, overrides).map_err(|mut error| {
            // A check that fails on a value `--set` gave says so.
            if let Some(set) = overrides.iter().find(|o| {
                error
                    .yaml_key()
                    .is_some_and(|key| key == o.key || key.starts_with(&format!("{}.", o.key)))
            }) {
                error.message = format!("{} (set by --set {set})", error.message).into();
            }
            error
        })
    }

    /// The checks of every section, in the order a study with several problems gets their errors.
    fn validated(
        folder: &Path,
        file: &Path,
        text: &str,
        config: StudyConfig,
        overrides: &[Override],
    ) -> Result<Study, InputError> {
        // The order of the checks is the order of the errors a study with several problems gets.
        let parts = config.validate_parts(file)?;
        // A study without ratings screens nothing: its empty scale and placeholder method are read
        // by no stage (see `has_ratings`).
        let (scale, method) = match (&config.scale, &config.method) {
            (Some(scale), Some(method)) => {
                let scale = scale.validate(file)?;
                let method = method.validate(file, &scale, config.data.weights.is_some())?;
                (scale, method)
            }
            _ => (Vec::new(), method::ValidatedMethod::unused()),
        };
        config.data.validate_ratings(file)?;
        config.validate_identity(file)?;
        config.tables.validate(file)?;
        config.data.check_paths(file)?;
        if let Some(demographics) = &config.demographics {
            demographics.validate(file)?;
        }
        if let Some(coding) = &config.coding {
            coding.validate(file)?;
        }
        let languages = config.validate_languages(file)?;
        config.check_names(file, &languages)?;
        if let Some(document) = &config.document {
            document.validate(file, &languages)?;
        }
        // The default table captions come in every language of the table; the study keeps its own.
        let mut config = config;
        config.tables.counts.caption.retain(&languages);
        config.tables.screening.caption.retain(&languages);
        Ok(Study {
            folder: folder.to_path_buf(),
            languages,
            parts,
            config,
            scale,
            threshold_rule: method.threshold_rule,
            method: method.method,
            max_change: method.max_change,
            sensitivity_thresholds: method.sensitivity_thresholds,
            source: ConfigSource {
                lines: text.lines().count(),
                sha256: crate::digest::sha256_hex(text.as_bytes()),
            },
            overrides: overrides.to_vec(),
        })
    }

    /// The settings `--set` overrode for this build (none for a plain build).
    pub fn overrides(&self) -> &[Override] {
        &self.overrides
    }

    /// The folder every data path is relative to.
    pub(crate) fn folder(&self) -> &Path {
        &self.folder
    }

    /// Where `study.yaml` is, for error messages.
    pub(crate) fn file(&self) -> PathBuf {
        self.folder.join(STUDY_FILE)
    }

    /// Provenance of `study.yaml` itself: its parameters are an input of every computed cell.
    pub(crate) fn source(&self) -> &ConfigSource {
        &self.source
    }

    /// The study's id: its report folder is `reports/<id>/`.
    pub fn id(&self) -> &str {
        &self.config.id
    }

    /// The report languages, the primary one first: only these are written.
    pub fn languages(&self) -> &[Lang] {
        &self.languages
    }

    /// The study's title, the report's title.
    pub(crate) fn title(&self) -> &Names {
        &self.config.title
    }

    /// The publication the study reproduces, if any.
    pub(crate) fn citation(&self) -> Option<&Citation> {
        self.config.citation.as_ref()
    }

    /// Panel sizes as the study reports them.
    pub fn panels(&self) -> &Panels {
        &self.config.panels
    }

    /// The experts of the Delphi panel: the responses every indicator should have (at least one in
    /// a study with ratings; 0 in one without).
    pub fn delphi_experts(&self) -> u32 {
        self.config.panels.delphi_experts.unwrap_or(0)
    }

    /// Whether the study has ratings to screen (the Delphi part). Without them, the scale is empty
    /// and the method, threshold and sweep are placeholders no stage reads.
    pub fn has_ratings(&self) -> bool {
        self.parts.ratings
    }

    /// Whether the study has coded interviews or the publication's tables of its coding.
    pub fn has_coding(&self) -> bool {
        self.parts.coding
    }

    /// The scale's levels, lowest first, with exact vertices (none without ratings).
    pub fn scale(&self) -> &[ScaleLevel] {
        &self.scale
    }

    /// The built-in scale the levels come from, if the study chose one.
    pub(crate) fn scale_preset(&self) -> Option<ScalePreset> {
        self.config.scale.as_ref().and_then(|s| s.preset)
    }

    /// The screening method with its exact parameters.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The effective threshold: the number written, or for a relative rule its value once
    /// [`Study::set_relative_threshold`] has run (see `analysis::threshold`).
    pub fn threshold(&self) -> Exact {
        self.method.threshold
    }

    /// How the threshold was given.
    pub(crate) fn threshold_rule(&self) -> ThresholdRule {
        self.threshold_rule
    }

    /// Largest change of crisp value between rounds for an indicator to be stable.
    pub(crate) fn max_change(&self) -> Exact {
        self.max_change
    }

    /// Thresholds of the sensitivity sweep, ascending; the study's threshold is one of them once known.
    pub fn sensitivity_thresholds(&self) -> &[Exact] {
        &self.sensitivity_thresholds
    }

    /// The data files, relative to the study folder (checked to stay inside it).
    pub(crate) fn data_files(&self) -> &DataFiles {
        &self.config.data
    }

    /// Numbers and captions of the counts and screening tables, as the publication prints them.
    pub fn tables(&self) -> &TableLabels {
        &self.config.tables
    }

    /// Who the respondents were, if the study says.
    pub(crate) fn demographics(&self) -> Option<&DemographicsConfig> {
        self.config.demographics.as_ref()
    }

    /// The qualitative coding that produced the indicators, if any.
    pub(crate) fn coding(&self) -> Option<&CodingConfig> {
        self.config.coding.as_ref()
    }

    /// The author's own document, if the study has one.
    pub fn document(&self) -> Option<&DocumentConfig> {
        self.config.document.as_ref()
    }

    /// The analysis levels of the code tree from the root: `coding.levels`, or the default three.
    pub(crate) fn code_levels(&self) -> Vec<String> {
        match self.coding() {
            Some(coding) => coding.levels(),
            None => DEFAULT_CODE_LEVELS.iter().map(|l| l.to_string()).collect(),
        }
    }

    /// The configuration as written, for the manifest's record of the build's parameters.
    pub(crate) fn as_written(&self) -> impl Serialize + '_ {
        &self.config
    }

    /// Whether the threshold still waits for the crisp values (a relative rule before
    /// [`Study::set_relative_threshold`]).
    pub(crate) fn threshold_pending(&self) -> bool {
        matches!(
            self.threshold_rule,
            ThresholdRule::Relative {
                statistic: None,
                ..
            }
        )
    }

    /// Records the statistic of a relative rule and the effective threshold computed from it
    /// (`analysis::threshold::resolve`), which joins the sensitivity sweep.
    pub(crate) fn set_relative_threshold(&mut self, statistic: Num, threshold: Exact) {
        if let ThresholdRule::Relative { of, factor, .. } = self.threshold_rule {
            self.threshold_rule = ThresholdRule::Relative {
                of,
                factor,
                statistic: Some(statistic),
            };
            self.method.threshold = threshold;
            if !self.sensitivity_thresholds.contains(&threshold) {
                self.sensitivity_thresholds.push(threshold);
                self.sensitivity_thresholds.sort();
            }
        }
    }
}

/// The configuration `text` with `overrides` applied to its YAML tree, read as the schema says; the
/// first override that makes it unreadable is named by its key.
fn overridden(file: &Path, text: &str, overrides: &[Override]) -> Result<StudyConfig, InputError> {
    let mut tree: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| InputError::file(file, e.to_string()))?;
    for set in overrides {
        let fail =
            |message: String| InputError::key(file, &set.key, format!("--set {set}: {message}"));
        set.apply(&mut tree).map_err(fail)?;
        // Read after each one, so that the error is the one the override that breaks it gets.
        if let Err(error) = serde_yaml::from_value::<StudyConfig>(tree.clone()) {
            return Err(fail(error.to_string()));
        }
    }
    serde_yaml::from_value(tree).map_err(|e| InputError::file(file, e.to_string()))
}

/// A minimal configuration and its loader, for the sections' unit tests.
#[cfg(test)]
mod fixtures {
    use std::path::Path;

    use super::Study;
    use crate::error::InputError;

    pub(super) const MINIMAL: &str = r#"
id: demo
title: {en: Demo, fa: نمونه}
panels: {delphi_experts: 3}
scale:
  levels:
    - {id: low, label: {en: Low, fa: کم}, tfn: [0, 0, 0.5]}
    - {id: high, label: {en: High, fa: زیاد}, tfn: [0.5, 1, 1]}
method: {aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}
data:
  components: c.csv
  indicators: i.csv
  ratings: {shape: long, path: r.csv}
"#;

    pub(super) fn load(text: &str) -> Result<Study, InputError> {
        Study::from_yaml_with(Path::new("s"), Path::new("s/study.yaml"), text, &[])
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{load, MINIMAL};
    use crate::number::Exact;

    #[test]
    fn a_minimal_study_loads_with_exact_scale_values() {
        let study = load(MINIMAL).unwrap();
        assert_eq!(study.scale().len(), 2);
        assert_eq!(study.scale()[0].tfn[2], Exact::new(1, 2).unwrap());
        assert_eq!(study.threshold(), Exact::new(1, 2).unwrap());
        assert_eq!(study.tables().counts.number, 1);
        assert_eq!(study.id(), "demo");
        assert_eq!(
            study.code_levels(),
            ["component", "concept", "initial_code"]
        );
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_line() {
        let text = MINIMAL.replace(
            "panels: {delphi_experts: 3}",
            "panels: {delphi_experts: 3}\ncolour: red",
        );
        let error = load(&text).unwrap_err();
        assert!(error.message.contains("unknown field `colour`"), "{error}");
        assert_eq!(error.line, Some(5));
    }

    #[test]
    fn the_two_tables_need_two_numbers() {
        let numbered = |counts: u32, screening: u32| {
            format!(
                "{MINIMAL}tables:\n  counts: {{number: {counts}, caption: {{en: C, fa: ش}}}}\n  screening: {{number: {screening}, caption: {{en: S, fa: غ}}}}\n"
            )
        };
        let study = load(&numbered(6, 7)).unwrap();
        assert_eq!(study.tables().counts.number, 6);
        assert_eq!(study.tables().screening.number, 7);
        let error = load(&numbered(3, 3)).unwrap_err();
        assert_eq!(error.yaml_key(), Some("tables.screening.number"));
        assert!(
            error.message.contains("each table needs its own number"),
            "{error}"
        );
    }

    #[test]
    fn the_id_names_a_folder_and_the_panel_has_an_expert() {
        let error = load(&MINIMAL.replace("id: demo", "id: ../demo")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("id"));
        let error = load(&MINIMAL.replace("delphi_experts: 3", "delphi_experts: 0")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("panels.delphi_experts"));
    }
}
