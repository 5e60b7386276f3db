//! The study configuration (`study.yaml`): typed, validated settings with every path inside the study folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::{
    Aggregation, Bilingual, DecisionRule, Defuzzification, Method, ScaleLevel, ThresholdStatistic,
};
use crate::error::InputError;
use crate::number::{Exact, Num};
use presets::ScalePreset;

pub mod presets;
mod qualitative;
pub use qualitative::{
    fold_label, AttributeConfig, CategoryConfig, CodingConfig, DemographicsConfig, OffsetUnit,
    PublishedCoding, PublishedTable, SegmentsFile, SegmentsFormat, SourceTexts,
    DEFAULT_CODE_LEVELS,
};

/// The file every study folder must hold.
pub const STUDY_FILE: &str = "study.yaml";

/// `study.yaml` as written by the researcher.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StudyConfig {
    /// Short identifier; the report folder is `reports/<id>/`.
    pub id: String,
    /// Title of the study, used as the report title.
    pub title: Bilingual,
    /// The publication the study reproduces, if any.
    #[serde(default)]
    pub citation: Option<Citation>,
    /// Panel sizes as the study reports them.
    pub panels: Panels,
    /// The linguistic scale and its triangular fuzzy numbers.
    pub scale: ScaleConfig,
    /// How ratings become a screening decision.
    pub method: MethodConfig,
    /// Data files, relative to the study folder.
    pub data: DataFiles,
    /// Numbers and captions of the tables, as the publication prints them.
    #[serde(default)]
    pub tables: TableLabels,
    /// Who the respondents were (optional).
    #[serde(default)]
    pub demographics: Option<DemographicsConfig>,
    /// The qualitative coding that produced the indicators (optional).
    #[serde(default)]
    pub coding: Option<CodingConfig>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub authors: Vec<Bilingual>,
    pub year: u32,
    pub title: Bilingual,
    pub journal: Bilingual,
    #[serde(default)]
    pub volume: Option<String>,
    #[serde(default)]
    pub issue: Option<String>,
    #[serde(default)]
    pub pages: Option<String>,
    #[serde(default)]
    pub doi: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Panels {
    /// Interviewees of the qualitative part, if the study had one.
    #[serde(default)]
    pub interviewees: Option<u32>,
    /// Experts of the Delphi round: the number of responses every indicator should have.
    pub delphi_experts: u32,
}

/// Either a built-in preset or levels written out; exactly one of the two.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleConfig {
    /// A built-in scale (`five-point-quarters`, ...); see `config/presets.rs` for the tables and sources.
    #[serde(default)]
    pub preset: Option<ScalePreset>,
    /// Levels from the lowest to the highest.
    #[serde(default)]
    pub levels: Vec<LevelConfig>,
}

/// A vertex as written: a number (`0.25`) or a fraction in quotes (`"1/3"`), held exactly.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum VertexValue {
    Number(f64),
    Fraction(#[serde(serialize_with = "fraction_text")] Exact),
}

fn fraction_text<S: serde::Serializer>(value: &Exact, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_string())
}

impl<'de> Deserialize<'de> for VertexValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = VertexValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number such as 0.25 or a fraction in quotes such as \"1/3\"")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<VertexValue, E> {
                Ok(VertexValue::Number(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<VertexValue, E> {
                Ok(VertexValue::Number(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<VertexValue, E> {
                Ok(VertexValue::Number(v as f64))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<VertexValue, E> {
                parse_fraction(v)
                    .map(VertexValue::Fraction)
                    .map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `a/b` or a plain decimal, exactly.
fn parse_fraction(text: &str) -> Result<Exact, String> {
    match text.split_once('/') {
        Some((num, den)) => {
            let parse = |part: &str| {
                part.trim()
                    .parse::<i128>()
                    .map_err(|_| format!("'{text}' is not a fraction such as 1/3"))
            };
            let (num, den) = (parse(num)?, parse(den)?);
            if den <= 0 || !(-1_000_000..=1_000_000).contains(&num) || den > 1_000_000 {
                return Err(format!(
                    "'{text}': expected a fraction a/b with |a| <= 1000000 and 0 < b <= 1000000"
                ));
            }
            Exact::new(num, den).ok_or_else(|| format!("'{text}' has a zero denominator"))
        }
        None => Exact::parse_decimal(text.trim()),
    }
}

impl VertexValue {
    fn exact(self) -> Result<Exact, String> {
        match self {
            VertexValue::Number(value) => Exact::from_written_f64(value),
            VertexValue::Fraction(value) => Ok(value),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LevelConfig {
    /// Identifier used as the column name in count tables (`very_low`).
    pub id: String,
    /// Label in both languages; raw ratings may use either label, the id or the level number.
    pub label: Bilingual,
    /// Triangular fuzzy number `[l, m, u]` with `l <= m <= u`, any finite numbers (0..1 or raw scores such
    /// as `[3, 3, 3]`); numbers or fractions (`"1/3"`).
    pub tfn: [VertexValue; 3],
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MethodConfig {
    pub aggregation: Aggregation,
    pub defuzzification: Defuzzification,
    /// An indicator is accepted when its crisp value is at least this: a number in the scale's units,
    /// or `{of: mean, factor: 0.8}` / `{of: median, factor: 1}`, relative to the indicators' crisp values.
    pub threshold: ThresholdConfig,
    /// `threshold` (default) or `threshold-and-consensus`.
    #[serde(default)]
    pub decision: DecisionRule,
    /// Expert agreement measured by vertex distance.
    #[serde(default)]
    pub consensus: ConsensusConfig,
    /// Stop rule between rounds.
    #[serde(default)]
    pub stability: StabilityConfig,
    /// Thresholds at which every indicator's verdict is recomputed; by default 0.5 to 0.8 by 0.05 of
    /// the scale's range (0 to 1 for a scale within the unit interval).
    /// Serialised as the default values when not written (they are shares of the range then).
    #[serde(default, serialize_with = "sensitivity_or_default")]
    pub sensitivity: Option<SensitivityConfig>,
}

/// `method.threshold` as written: a number, or a factor times a statistic of the crisp values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ThresholdConfig {
    Fixed(f64),
    Relative(RelativeThresholdConfig),
}

/// `{of: mean, factor: 0.8}`: the threshold is `factor` times the mean (or median) crisp value over
/// every indicator that has responses.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RelativeThresholdConfig {
    pub of: ThresholdStatistic,
    pub factor: f64,
}

impl<'de> Deserialize<'de> for ThresholdConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ThresholdConfig;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a number such as 0.7, or {of: mean, factor: 0.8} or {of: median, factor: 1}",
                )
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ThresholdConfig, E> {
                Ok(ThresholdConfig::Fixed(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ThresholdConfig, E> {
                Ok(ThresholdConfig::Fixed(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ThresholdConfig, E> {
                Ok(ThresholdConfig::Fixed(v as f64))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ThresholdConfig, A::Error> {
                RelativeThresholdConfig::deserialize(serde::de::value::MapAccessDeserializer::new(
                    map,
                ))
                .map(ThresholdConfig::Relative)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The threshold rule, validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ThresholdRule {
    /// The threshold is the number written.
    Fixed,
    /// `factor` times `of` over the crisp values; `statistic` once the data have been screened.
    Relative {
        of: ThresholdStatistic,
        factor: Exact,
        statistic: Option<Num>,
    },
}

impl ThresholdRule {
    pub fn name(self) -> &'static str {
        match self {
            ThresholdRule::Fixed => "fixed",
            ThresholdRule::Relative { .. } => "relative",
        }
    }
}

fn sensitivity_or_default<S: serde::Serializer>(
    value: &Option<SensitivityConfig>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.clone().unwrap_or_default().serialize(serializer)
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsensusConfig {
    /// An expert agrees when the vertex distance of their rating to the group's number is at most this.
    pub max_distance: f64,
    /// The group agrees when at least this share of experts agree.
    pub min_agreement: f64,
}

impl Default for ConsensusConfig {
    fn default() -> Self {
        ConsensusConfig {
            max_distance: 0.2,
            min_agreement: 0.75,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct StabilityConfig {
    /// An indicator is stable when its crisp value moved by at most this since the previous round.
    pub max_change: f64,
}

impl Default for StabilityConfig {
    fn default() -> Self {
        StabilityConfig { max_change: 0.1 }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SensitivityConfig {
    pub from: f64,
    pub to: f64,
    pub step: f64,
}

impl Default for SensitivityConfig {
    fn default() -> Self {
        SensitivityConfig {
            from: 0.5,
            to: 0.8,
            step: 0.05,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DataFiles {
    /// CSV `id,name_fa,name_en,name_en_source`.
    pub components: PathBuf,
    /// CSV `id,component,name_fa,name_en,name_en_source`.
    pub indicators: PathBuf,
    /// The experts' ratings (one round). Give either `ratings` or `rounds`.
    #[serde(default)]
    pub ratings: Option<RatingsFile>,
    /// The experts' ratings of every round, first round first; the last one is screened.
    #[serde(default)]
    pub rounds: Option<Vec<RatingsFile>>,
    /// CSV `expert,weight`: one positive weight per expert; needs ratings that name their expert.
    #[serde(default)]
    pub weights: Option<PathBuf>,
    /// Tables as the publication printed them, for comparison.
    #[serde(default)]
    pub published: Option<PublishedFiles>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RatingsShape {
    /// One row per indicator, one column per scale level id, holding counts.
    Counts,
    /// One row per rating: `expert,indicator,rating`.
    Long,
    /// One row per expert: `expert` then one column per indicator id.
    Wide,
    /// A survey export (Google Forms, Microsoft Forms): one row per respondent, question texts as
    /// headers, mapped to indicators by the `survey` block.
    Survey,
}

impl RatingsShape {
    /// Whether the shape says which expert gave each rating (so expert weights can apply).
    pub fn names_experts(self) -> bool {
        !matches!(self, RatingsShape::Counts)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RatingsFile {
    pub shape: RatingsShape,
    /// A `.csv` file, or a `.xlsx` workbook (counts, wide and survey shapes).
    pub path: PathBuf,
    /// The worksheet of a `.xlsx` file; the first one when absent.
    #[serde(default)]
    pub sheet: Option<String>,
    /// The round's name in reports; "Round k" when absent.
    #[serde(default)]
    pub label: Option<Bilingual>,
    /// How a survey export's columns map to indicators (shape `survey` only).
    #[serde(default)]
    pub survey: Option<SurveyColumns>,
}

/// The columns of a survey export.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyColumns {
    /// The column that identifies the respondent (an e-mail or name column); rows are numbered
    /// `row 1`, `row 2`, ... when absent. Needed for expert weights.
    #[serde(default)]
    pub expert_column: Option<String>,
    /// Metadata columns to skip (`Timestamp`, `Start time`, ...). Every other column must be a question.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Column header as exported -> indicator id. Headers match after trimming and collapsing spaces.
    pub questions: BTreeMap<String, String>,
    /// Answer text -> level id, for answers that are not a level's number, id or label.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedFiles {
    /// Counts per indicator and level, as printed (`indicator,<level ids>`).
    #[serde(default)]
    pub counts: Option<PathBuf>,
    /// Fuzzy means, crisp values and status as printed (`indicator,l,m,u,crisp,status`).
    #[serde(default)]
    pub screening: Option<PathBuf>,
    /// Percentages describing the sample, as printed
    /// (`set,set_en,set_fa,exhaustive,category,category_en,category_fa,relation,percent,source_line`).
    #[serde(default)]
    pub demographics: Option<PathBuf>,
    /// Counts printed in the text, such as initial codes or concepts
    /// (`count,label_en,label_fa,relation,value,checked_against,source_line`).
    #[serde(default)]
    pub coding_counts: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TableLabels {
    pub counts: TableLabel,
    pub screening: TableLabel,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TableLabel {
    pub number: u32,
    pub caption: Bilingual,
}

impl Default for TableLabels {
    fn default() -> Self {
        TableLabels {
            counts: TableLabel {
                number: 1,
                caption: Bilingual {
                    en: "Experts' ratings per indicator".into(),
                    fa: "شمارش نظرات خبرگان برای هر شاخص".into(),
                },
            },
            screening: TableLabel {
                number: 2,
                caption: Bilingual {
                    en: "Fuzzy means and crisp values of the experts' ratings".into(),
                    fa: "میانگین فازی و قطعی دیدگاه‌های خبرگان".into(),
                },
            },
        }
    }
}

/// A loaded, validated study: its configuration and the folder its paths are relative to.
#[derive(Debug, Clone)]
pub struct Study {
    pub folder: PathBuf,
    pub config: StudyConfig,
    pub scale: Vec<ScaleLevel>,
    /// The effective threshold: the number written, or for a relative rule its value once
    /// [`Study::set_relative_threshold`] has run (see `analysis::threshold`).
    pub threshold: Exact,
    /// How the threshold was given.
    pub threshold_rule: ThresholdRule,
    /// The screening method with its exact parameters.
    pub method: Method,
    /// Largest change of crisp value between rounds for an indicator to be stable.
    pub max_change: Exact,
    /// Thresholds of the sensitivity sweep, ascending; the study's threshold is one of them.
    pub sensitivity_thresholds: Vec<Exact>,
    /// Provenance of `study.yaml` itself: its parameters are an input of every computed cell.
    pub source: ConfigSource,
}

/// The configuration text as read: enough to cite it in the report and the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigSource {
    /// Lines of the file.
    pub lines: usize,
    pub sha256: String,
}

/// The largest factor of a relative threshold (`{of: mean, factor: ...}`).
pub const MAX_THRESHOLD_FACTOR: i128 = 10;

/// The most thresholds a sensitivity sweep may have.
pub const MAX_SENSITIVITY_THRESHOLDS: usize = 101;

impl Study {
    /// Reads and validates `<folder>/study.yaml`.
    pub fn load(folder: &Path) -> Result<Study, InputError> {
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
        Study::from_yaml(folder, &file, text)
    }

    /// Parses and validates a configuration text; `file` is used in error messages only.
    pub fn from_yaml(folder: &Path, file: &Path, text: &str) -> Result<Study, InputError> {
        let config: StudyConfig = serde_yaml::from_str(text).map_err(|e| match e.location() {
            Some(at) => InputError::at_line(file, at.line(), e.to_string()),
            None => InputError::file(file, e.to_string()),
        })?;
        let scale = validate_scale(file, &config.scale)?;
        check_geometric_vertices(file, &config.method, &scale)?;
        let in_range = |key: &str, value: f64, (low, high): (Exact, Exact)| {
            let exact =
                Exact::from_written_f64(value).map_err(|e| InputError::column(file, key, e))?;
            if exact < low || exact > high {
                return Err(InputError::column(
                    file,
                    key,
                    format!("expected a number from {low} to {high}, found {value}"),
                ));
            }
            Ok(exact)
        };
        // Thresholds, distances and changes are in the scale's units: 0 to 1 for a scale inside the
        // unit interval (every preset), the scale's own range (and 0) for a raw-score scale.
        let (values, spans) = scale_units(&scale);
        let share = |key: &str, value: f64| in_range(key, value, (Exact::ZERO, Exact::from_int(1)));
        let unit = |key: &str, value: f64| in_range(key, value, values);
        let method_config = &config.method;
        let (threshold, threshold_rule) = match method_config.threshold {
            ThresholdConfig::Fixed(value) => {
                (unit("method.threshold", value)?, ThresholdRule::Fixed)
            }
            ThresholdConfig::Relative(relative) => {
                let factor = Exact::from_written_f64(relative.factor)
                    .map_err(|e| InputError::column(file, "method.threshold.factor", e))?;
                if factor <= Exact::ZERO || factor > Exact::from_int(MAX_THRESHOLD_FACTOR) {
                    return Err(InputError::column(
                        file,
                        "method.threshold.factor",
                        format!(
                            "expected a factor above 0 and at most {MAX_THRESHOLD_FACTOR}, found {}",
                            relative.factor
                        ),
                    ));
                }
                // A placeholder until the crisp values are known (`set_relative_threshold`).
                let rule = ThresholdRule::Relative {
                    of: relative.of,
                    factor,
                    statistic: None,
                };
                (values.0, rule)
            }
        };
        let max_distance = in_range(
            "method.consensus.max_distance",
            method_config.consensus.max_distance,
            spans,
        )?;
        let min_agreement = share(
            "method.consensus.min_agreement",
            method_config.consensus.min_agreement,
        )?;
        let max_change = in_range(
            "method.stability.max_change",
            method_config.stability.max_change,
            spans,
        )?;
        let sensitivity_thresholds = sensitivity_thresholds(
            file,
            method_config.sensitivity.as_ref(),
            values,
            (threshold_rule == ThresholdRule::Fixed).then_some(threshold),
            &unit,
        )?;
        let rounds = config.data.ratings_files();
        if rounds.is_empty() || (config.data.ratings.is_some() && config.data.rounds.is_some()) {
            return Err(InputError::column(
                file,
                "data.ratings",
                "give the ratings either as `ratings` (one round) or as `rounds` (a list, first round first), not both or neither",
            ));
        }
        for (index, round) in rounds.iter().enumerate() {
            let key = ratings_key(&config.data, index);
            match (round.shape, &round.survey) {
                (RatingsShape::Survey, None) => return Err(InputError::column(
                    file,
                    &format!("{key}.survey"),
                    "shape `survey` needs a `survey` block mapping question columns to indicators",
                )),
                (RatingsShape::Survey, Some(_)) | (_, None) => {}
                (_, Some(_)) => {
                    return Err(InputError::column(
                        file,
                        &format!("{key}.survey"),
                        "a `survey` block belongs only to shape `survey`",
                    ))
                }
            }
            if config.data.weights.is_some() {
                let expert_named = round.shape.names_experts()
                    && round
                        .survey
                        .as_ref()
                        .is_none_or(|s| s.expert_column.is_some());
                if !expert_named {
                    return Err(InputError::column(
                        file,
                        "data.weights",
                        format!(
                            "expert weights need ratings that say which expert gave each rating; {key} {}",
                            if round.shape == RatingsShape::Counts {
                                "holds counts per level, which cannot carry weights (use shape long, wide or survey)"
                            } else {
                                "is a survey without `expert_column`"
                            }
                        ),
                    ));
                }
            }
        }
        let method = Method {
            aggregation: method_config.aggregation,
            defuzzification: method_config.defuzzification,
            threshold,
            decision: method_config.decision,
            max_distance,
            min_agreement,
            weighted: config.data.weights.is_some(),
        };
        if config.panels.delphi_experts == 0 {
            return Err(InputError::column(
                file,
                "panels.delphi_experts",
                "expected at least one expert",
            ));
        }
        if config.id.is_empty()
            || !config
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(InputError::column(
                file,
                "id",
                format!(
                    "expected letters, digits, '-' or '_' (it names the report folder), found '{}'",
                    config.id
                ),
            ));
        }
        let round_keys: Vec<String> = (0..rounds.len())
            .map(|index| format!("{}.path", ratings_key(&config.data, index)))
            .collect();
        let mut paths = vec![
            ("data.components", &config.data.components),
            ("data.indicators", &config.data.indicators),
        ];
        paths.extend(
            round_keys
                .iter()
                .map(String::as_str)
                .zip(rounds.iter().map(|r| &r.path)),
        );
        paths.extend(config.data.weights.iter().map(|p| ("data.weights", p)));
        if let Some(published) = &config.data.published {
            paths.extend(
                published
                    .counts
                    .iter()
                    .map(|p| ("data.published.counts", p)),
            );
            paths.extend(
                published
                    .screening
                    .iter()
                    .map(|p| ("data.published.screening", p)),
            );
            paths.extend(
                published
                    .demographics
                    .iter()
                    .map(|p| ("data.published.demographics", p)),
            );
            paths.extend(
                published
                    .coding_counts
                    .iter()
                    .map(|p| ("data.published.coding_counts", p)),
            );
        }
        for (key, path) in paths {
            check_inside_folder(file, key, path)?;
        }
        if let Some(demographics) = &config.demographics {
            demographics.validate(file)?;
        }
        if let Some(coding) = &config.coding {
            coding.validate(file)?;
        }
        Ok(Study {
            folder: folder.to_path_buf(),
            config,
            scale,
            threshold,
            threshold_rule,
            source: ConfigSource {
                lines: text.lines().count(),
                sha256: crate::digest::sha256_hex(text.as_bytes()),
            },
            method,
            max_change,
            sensitivity_thresholds,
        })
    }

    /// Whether the threshold still waits for the crisp values (a relative rule before
    /// [`Study::set_relative_threshold`]).
    pub fn threshold_pending(&self) -> bool {
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
    pub fn set_relative_threshold(&mut self, statistic: Num, threshold: Exact) {
        if let ThresholdRule::Relative { of, factor, .. } = self.threshold_rule {
            self.threshold_rule = ThresholdRule::Relative {
                of,
                factor,
                statistic: Some(statistic),
            };
            self.threshold = threshold;
            self.method.threshold = threshold;
            if !self.sensitivity_thresholds.contains(&threshold) {
                self.sensitivity_thresholds.push(threshold);
                self.sensitivity_thresholds.sort();
            }
        }
    }

    /// A data path resolved against the study folder.
    pub fn path(&self, relative: &Path) -> PathBuf {
        self.folder.join(relative)
    }
}

impl DataFiles {
    /// The ratings file of every round, first round first (one for `ratings`).
    pub fn ratings_files(&self) -> Vec<&RatingsFile> {
        match (&self.ratings, &self.rounds) {
            (Some(one), None) => vec![one],
            (None, Some(rounds)) => rounds.iter().collect(),
            _ => Vec::new(),
        }
    }
}

/// The study.yaml key of round `index` (0-based), for error messages.
fn ratings_key(data: &DataFiles, index: usize) -> String {
    if data.rounds.is_some() {
        format!("data.rounds[{}]", index + 1)
    } else {
        "data.ratings".to_string()
    }
}

/// `from, from + step, ..., to` (inclusive when on the grid) and the study's threshold (when it is
/// known before the data are), ascending.
fn sensitivity_thresholds(
    file: &Path,
    config: Option<&SensitivityConfig>,
    (low, high): (Exact, Exact),
    threshold: Option<Exact>,
    unit: &dyn Fn(&str, f64) -> Result<Exact, InputError>,
) -> Result<Vec<Exact>, InputError> {
    let key = "method.sensitivity";
    let (from, to, step) = match config {
        Some(config) => (
            unit("method.sensitivity.from", config.from)?,
            unit("method.sensitivity.to", config.to)?,
            unit("method.sensitivity.step", config.step)?,
        ),
        None => {
            // The default sweep as shares of the range: unchanged (0.5 to 0.8) on a unit scale.
            let defaults = SensitivityConfig::default();
            let span = high.checked_sub(low);
            let at = |share: f64, offset: Exact| -> Result<Exact, InputError> {
                Exact::from_written_f64(share)
                    .ok()
                    .zip(span)
                    .and_then(|(share, span)| share.checked_mul(span)?.checked_add(offset))
                    .ok_or_else(|| InputError::column(file, key, "the scale's range is too large"))
            };
            (
                at(defaults.from, low)?,
                at(defaults.to, low)?,
                at(defaults.step, Exact::ZERO)?,
            )
        }
    };
    if step <= Exact::ZERO || to < from {
        return Err(InputError::column(
            file,
            key,
            "expected from <= to and a positive step",
        ));
    }
    let mut thresholds = Vec::new();
    let mut value = from;
    while value <= to {
        if thresholds.len() == MAX_SENSITIVITY_THRESHOLDS {
            return Err(InputError::column(
                file,
                key,
                format!("more than {MAX_SENSITIVITY_THRESHOLDS} thresholds; use a larger step"),
            ));
        }
        thresholds.push(value);
        value = value
            .checked_add(step)
            .ok_or_else(|| InputError::column(file, key, "step too fine"))?;
    }
    if let Some(threshold) = threshold.filter(|t| !thresholds.contains(t)) {
        thresholds.push(threshold);
        thresholds.sort();
    }
    Ok(thresholds)
}

fn validate_scale(file: &Path, scale: &ScaleConfig) -> Result<Vec<ScaleLevel>, InputError> {
    match (scale.preset, scale.levels.is_empty()) {
        (Some(preset), true) => return Ok(preset.levels()),
        (Some(_), false) => {
            return Err(InputError::column(
                file,
                "scale",
                "give either `preset` or `levels`, not both",
            ))
        }
        (None, true) => {
            return Err(InputError::column(
                file,
                "scale",
                "no scale chosen; write `preset: <name>` (four-point-thirds, five-point-quarters, five-point-fifths, seven-point-tenths) or the `levels`",
            ))
        }
        (None, false) => {}
    }
    if scale.levels.len() < 2 {
        return Err(InputError::column(
            file,
            "scale.levels",
            "expected at least two levels (or a preset: four-point-thirds, five-point-quarters, five-point-fifths, seven-point-tenths)",
        ));
    }
    let mut seen = BTreeSet::new();
    let mut levels: Vec<ScaleLevel> = Vec::with_capacity(scale.levels.len());
    for (index, level) in scale.levels.iter().enumerate() {
        let key = format!("scale.levels[{}]", index + 1);
        if level.id.is_empty()
            || !level
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(InputError::column(
                file,
                &key,
                format!(
                    "level id '{}' must be letters, digits or '_' (it is a CSV column name)",
                    level.id
                ),
            ));
        }
        if !seen.insert(level.id.clone()) {
            return Err(InputError::column(
                file,
                &key,
                format!("level id '{}' appears twice", level.id),
            ));
        }
        let mut tfn = [Exact::ZERO; 3];
        for (slot, value) in tfn.iter_mut().zip(level.tfn) {
            *slot = value
                .exact()
                .map_err(|e| InputError::column(file, &key, e))?;
        }
        let [l, m, u] = tfn;
        // Any finite vertices (a raw-score scale (k, k, k) as well as 0..1), in order.
        if !(l <= m && m <= u) {
            return Err(InputError::column(
                file,
                &key,
                format!("expected l <= m <= u, found ({l}, {m}, {u})"),
            ));
        }
        if let Some(previous) = levels.last() {
            if m <= previous.tfn[1] {
                return Err(InputError::column(
                    file,
                    &key,
                    "levels must run from lowest to highest: each level's m must exceed the previous one's",
                ));
            }
        }
        levels.push(ScaleLevel {
            id: level.id.clone(),
            label: level.label.clone(),
            tfn,
        });
    }
    Ok(levels)
}

/// The range of a threshold (lowest to highest value) and of a distance or change (0 to the widest
/// span) in the scale's units: 0 to 1 for a scale within the unit interval, else widened to the scale.
fn scale_units(scale: &[ScaleLevel]) -> ((Exact, Exact), (Exact, Exact)) {
    let one = Exact::from_int(1);
    let lowest = scale.iter().map(|l| l.tfn[0]).min().unwrap_or(Exact::ZERO);
    let highest = scale.iter().map(|l| l.tfn[2]).max().unwrap_or(one);
    let low = lowest.min(Exact::ZERO);
    let high = highest.max(one);
    let span = high.checked_sub(low).unwrap_or(one).max(one);
    ((low, high), (Exact::ZERO, span))
}

/// Geometric means and the geometric defuzzification take logarithms or cube roots of products:
/// they need vertices of at least 0.
fn check_geometric_vertices(
    file: &Path,
    method: &MethodConfig,
    scale: &[ScaleLevel],
) -> Result<(), InputError> {
    let geometric = method.aggregation != Aggregation::ArithmeticMean
        || method.defuzzification == Defuzzification::Geometric;
    if !geometric {
        return Ok(());
    }
    match scale
        .iter()
        .position(|level| level.tfn.iter().any(|v| *v < Exact::ZERO))
    {
        Some(index) => Err(InputError::column(
            file,
            &format!("scale.levels[{}]", index + 1),
            format!(
                "a negative vertex cannot be used with aggregation {} and defuzzification {}: geometric means need vertices of 0 or more",
                method.aggregation.name(),
                method.defuzzification.name()
            ),
        )),
        None => Ok(()),
    }
}

/// Data paths are relative and may not climb out of the study folder.
fn check_inside_folder(file: &Path, key: &str, path: &Path) -> Result<(), InputError> {
    let escapes = path
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if escapes || path.as_os_str().is_empty() {
        return Err(InputError::column(
            file,
            key,
            format!(
                "'{}' must be a relative path inside the study folder",
                path.display()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
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

    fn load(text: &str) -> Result<Study, InputError> {
        Study::from_yaml(Path::new("s"), Path::new("s/study.yaml"), text)
    }

    #[test]
    fn a_minimal_study_loads_with_exact_scale_values() {
        let study = load(MINIMAL).unwrap();
        assert_eq!(study.scale.len(), 2);
        assert_eq!(study.scale[0].tfn[2], Exact::new(1, 2).unwrap());
        assert_eq!(study.threshold, Exact::new(1, 2).unwrap());
        assert_eq!(study.config.tables.counts.number, 1);
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
    fn scale_vertices_out_of_order_or_levels_decreasing_are_rejected() {
        let error = load(&MINIMAL.replace("[0.5, 1, 1]", "[0.5, 1, 0.75]")).unwrap_err();
        assert_eq!(error.column.as_deref(), Some("scale.levels[2]"));
        assert!(error.message.contains("expected l <= m <= u"), "{error}");
        let error = load(&MINIMAL.replace("[0.5, 1, 1]", "[0.75, 0.5, 1]")).unwrap_err();
        assert!(error.message.contains("expected l <= m <= u"), "{error}");
        let error = load(&MINIMAL.replace("[0.5, 1, 1]", "[0, 0, 0.5]")).unwrap_err();
        assert!(error.message.contains("lowest to highest"), "{error}");
        let error = load(&MINIMAL.replace("[0.5, 1, 1]", "[0.5, 1, .inf]")).unwrap_err();
        assert_eq!(error.column.as_deref(), Some("scale.levels[2]"));
        assert!(error.message.contains("not a finite number"), "{error}");
    }

    const RAW_SCORES: &str = "  levels:\n    - {id: low, label: {en: Low, fa: کم}, tfn: [1, 1, 1]}\n    - {id: mid, label: {en: Mid, fa: میانه}, tfn: [3, 3, 3]}\n    - {id: high, label: {en: High, fa: زیاد}, tfn: [5, 5, 5]}";

    fn raw_scores(method: &str) -> String {
        let text = MINIMAL.replace(
            "  levels:\n    - {id: low, label: {en: Low, fa: کم}, tfn: [0, 0, 0.5]}\n    - {id: high, label: {en: High, fa: زیاد}, tfn: [0.5, 1, 1]}",
            RAW_SCORES,
        );
        assert_ne!(text, MINIMAL);
        text.replace(
            "method: {aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}",
            method,
        )
    }

    #[test]
    fn a_raw_score_scale_takes_thresholds_and_sweeps_in_its_own_units() {
        let study = load(&raw_scores(
            "method: {aggregation: min-geometric-max, defuzzification: geometric, threshold: 3.5}",
        ))
        .unwrap();
        assert_eq!(study.scale[2].tfn, [Exact::from_int(5); 3]);
        assert_eq!(study.threshold, Exact::new(7, 2).unwrap());
        // The default sweep is 0.5 to 0.8 by 0.05 of the range 0..5: 2.5, 2.75, ..., 4, with 3.5 on it.
        let expected: Vec<Exact> = (10..=16).map(|k| Exact::new(k, 4).unwrap()).collect();
        assert_eq!(study.sensitivity_thresholds, expected);
        // Beyond the scale's highest vertex is refused, naming the range.
        let error = load(&raw_scores(
            "method: {aggregation: min-geometric-max, defuzzification: geometric, threshold: 5.5}",
        ))
        .unwrap_err();
        assert_eq!(error.column.as_deref(), Some("method.threshold"));
        assert!(error.message.contains("from 0 to 5"), "{error}");
        // Negative vertices are fine for arithmetic methods, not for geometric ones.
        let negative = raw_scores(
            "method: {aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0}",
        )
        .replace("[1, 1, 1]", "[-2, -2, -2]");
        let study = load(&negative).unwrap();
        assert_eq!(study.scale[0].tfn[0], Exact::from_int(-2));
        let error =
            load(&negative.replace("defuzzification: centroid", "defuzzification: geometric"))
                .unwrap_err();
        assert_eq!(error.column.as_deref(), Some("scale.levels[1]"));
        assert!(
            error
                .message
                .contains("geometric means need vertices of 0 or more"),
            "{error}"
        );
    }

    #[test]
    fn a_relative_threshold_is_read_and_waits_for_the_crisp_values() {
        let text = MINIMAL.replace("threshold: 0.5}", "threshold: {of: mean, factor: 0.8}}");
        let mut study = load(&text).unwrap();
        assert!(study.threshold_pending());
        assert_eq!(
            study.threshold_rule,
            ThresholdRule::Relative {
                of: ThresholdStatistic::Mean,
                factor: Exact::new(4, 5).unwrap(),
                statistic: None
            }
        );
        // The sweep has the grid only until the threshold is known, then the threshold joins it.
        assert_eq!(study.sensitivity_thresholds.len(), 7);
        study.set_relative_threshold(
            Num::Exact(Exact::new(13, 24).unwrap()),
            Exact::new(13, 30).unwrap(),
        );
        assert!(!study.threshold_pending());
        assert_eq!(study.method.threshold, Exact::new(13, 30).unwrap());
        assert_eq!(study.sensitivity_thresholds[0], Exact::new(13, 30).unwrap());
        let median =
            load(&MINIMAL.replace("threshold: 0.5}", "threshold: {of: median, factor: 1}}"))
                .unwrap();
        assert!(matches!(
            median.threshold_rule,
            ThresholdRule::Relative {
                of: ThresholdStatistic::Median,
                ..
            }
        ));
        for (bad, key, says) in [
            ("{of: mode, factor: 1}", None, "unknown variant `mode`"),
            ("{of: mean}", None, "missing field `factor`"),
            (
                "{of: mean, factor: 0}",
                Some("method.threshold.factor"),
                "above 0",
            ),
            (
                "{of: mean, factor: 11}",
                Some("method.threshold.factor"),
                "at most 10",
            ),
            (
                "{of: mean, factor: 1, base: 2}",
                None,
                "unknown field `base`",
            ),
            ("half", None, "expected a number such as 0.7, or {of: mean"),
        ] {
            let error = load(&MINIMAL.replace("threshold: 0.5}", &format!("threshold: {bad}}}")))
                .unwrap_err();
            assert_eq!(error.column.as_deref(), key, "{bad}: {error}");
            assert!(error.message.contains(says), "{bad}: {error}");
        }
    }

    #[test]
    fn paths_may_not_leave_the_study_folder() {
        let error = load(&MINIMAL.replace("path: r.csv", "path: ../../etc/passwd")).unwrap_err();
        assert_eq!(error.column.as_deref(), Some("data.ratings.path"));
        let error =
            load(&MINIMAL.replace("components: c.csv", "components: /etc/passwd")).unwrap_err();
        assert_eq!(error.column.as_deref(), Some("data.components"));
    }

    #[test]
    fn thresholds_outside_zero_to_one_are_rejected() {
        let error = load(&MINIMAL.replace("threshold: 0.5", "threshold: 1.5")).unwrap_err();
        assert_eq!(error.column.as_deref(), Some("method.threshold"));
    }

    #[test]
    fn a_preset_replaces_the_levels_and_fractions_are_exact() {
        let with_preset = MINIMAL.replace(
            "  levels:\n    - {id: low, label: {en: Low, fa: کم}, tfn: [0, 0, 0.5]}\n    - {id: high, label: {en: High, fa: زیاد}, tfn: [0.5, 1, 1]}",
            "  preset: four-point-thirds",
        );
        assert_ne!(with_preset, MINIMAL);
        let study = load(&with_preset).unwrap();
        assert_eq!(study.scale.len(), 4);
        assert_eq!(study.scale[1].tfn[1], Exact::new(1, 3).unwrap());
        // Both at once is refused.
        let both = MINIMAL.replace("scale:\n", "scale:\n  preset: seven-point-tenths\n");
        let error = load(&both).unwrap_err();
        assert!(
            error.message.contains("either `preset` or `levels`"),
            "{error}"
        );
        // A custom level may use fractions: "1/3" is exactly 1/3, not 0.333.
        let thirds = MINIMAL.replace("[0, 0, 0.5]", "[0, 0, \"1/3\"]");
        assert_eq!(
            load(&thirds).unwrap().scale[0].tfn[2],
            Exact::new(1, 3).unwrap()
        );
        let error = load(&MINIMAL.replace("[0, 0, 0.5]", "[0, 0, \"1/0\"]")).unwrap_err();
        assert!(error.message.contains("1/0"), "{error}");
        // Fractions beyond 1 are vertices like any other (a raw-score scale).
        let beyond = load(&MINIMAL.replace("[0.5, 1, 1]", "[0.5, 1, \"4/3\"]")).unwrap();
        assert_eq!(beyond.scale[1].tfn[2], Exact::new(4, 3).unwrap());
        let error = load(&MINIMAL.replace("[0.5, 1, 1]", "[\"4/3\", 1, 1]")).unwrap_err();
        assert!(error.message.contains("expected l <= m <= u"), "{error}");
    }

    #[test]
    fn existing_configurations_get_the_paper_rule_and_default_parameters() {
        let study = load(MINIMAL).unwrap();
        assert_eq!(study.method, Method::paper(Exact::new(1, 2).unwrap()));
        assert_eq!(study.max_change, Exact::new(1, 10).unwrap());
        // 0.5, 0.55, ..., 0.8: seven thresholds, the study's 0.5 among them.
        let expected: Vec<Exact> = (10..=16).map(|k| Exact::new(k, 20).unwrap()).collect();
        assert_eq!(study.sensitivity_thresholds, expected);
        // A threshold off the grid is added in order.
        let off = load(&MINIMAL.replace("threshold: 0.5", "threshold: 0.62")).unwrap();
        assert_eq!(off.sensitivity_thresholds.len(), 8);
        assert_eq!(off.sensitivity_thresholds[3], Exact::new(62, 100).unwrap());
    }

    #[test]
    fn methods_and_parameters_are_read_and_checked() {
        let text = MINIMAL.replace(
            "method: {aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}",
            "method:\n  aggregation: min-geometric-max\n  defuzzification: graded-mean\n  threshold: 0.7\n  decision: threshold-and-consensus\n  consensus: {max_distance: 0.25, min_agreement: 0.8}\n  stability: {max_change: 0.2}\n  sensitivity: {from: 0.6, to: 0.7, step: 0.1}",
        );
        let study = load(&text).unwrap();
        assert_eq!(study.method.aggregation, Aggregation::MinGeometricMax);
        assert_eq!(study.method.defuzzification, Defuzzification::GradedMean);
        assert_eq!(study.method.decision, DecisionRule::ThresholdAndConsensus);
        assert_eq!(study.method.max_distance, Exact::new(1, 4).unwrap());
        assert_eq!(study.method.min_agreement, Exact::new(4, 5).unwrap());
        assert_eq!(study.max_change, Exact::new(1, 5).unwrap());
        assert_eq!(study.sensitivity_thresholds.len(), 2);
        assert!(!study.method.is_exact());
        let error = load(&text.replace("min_agreement: 0.8", "min_agreement: 80")).unwrap_err();
        assert_eq!(
            error.column.as_deref(),
            Some("method.consensus.min_agreement")
        );
        let error = load(&text.replace("step: 0.1", "step: 0")).unwrap_err();
        assert_eq!(error.column.as_deref(), Some("method.sensitivity"));
        let error = load(&text.replace("graded-mean", "median")).unwrap_err();
        assert!(
            error.message.contains("unknown variant `median`"),
            "{error}"
        );
    }

    #[test]
    fn ratings_come_as_one_file_or_as_rounds_and_weights_need_experts() {
        let rounds = MINIMAL.replace(
            "ratings: {shape: long, path: r.csv}",
            "rounds:\n    - {shape: counts, path: r1.csv}\n    - {shape: long, path: r2.csv, label: {en: Second, fa: دوم}}",
        );
        let study = load(&rounds).unwrap();
        let files = study.config.data.ratings_files();
        assert_eq!(files.len(), 2);
        assert_eq!(files[1].path, Path::new("r2.csv"));
        let both = rounds.replace(
            "  rounds:",
            "  ratings: {shape: long, path: r.csv}\n  rounds:",
        );
        let error = load(&both).unwrap_err();
        assert!(error.message.contains("not both or neither"), "{error}");
        // Weights need raw ratings in every round: counts cannot say who rated what.
        let weighted = rounds.replace("  rounds:", "  weights: w.csv\n  rounds:");
        let error = load(&weighted).unwrap_err();
        assert_eq!(error.column.as_deref(), Some("data.weights"));
        assert!(
            error
                .message
                .contains("data.rounds[1] holds counts per level"),
            "{error}"
        );
        let weighted_long = MINIMAL.replace(
            "ratings: {shape: long, path: r.csv}",
            "ratings: {shape: long, path: r.csv}\n  weights: w.csv",
        );
        assert!(load(&weighted_long).unwrap().method.weighted);
        let error =
            load(&weighted_long.replace("weights: w.csv", "weights: ../w.csv")).unwrap_err();
        assert_eq!(error.column.as_deref(), Some("data.weights"));
    }

    #[test]
    fn a_survey_needs_its_block_and_weights_need_its_expert_column() {
        let survey = MINIMAL.replace(
            "ratings: {shape: long, path: r.csv}",
            "ratings:\n    shape: survey\n    path: export.csv\n    survey:\n      ignore: [Timestamp]\n      questions: {\"Question one?\": A}",
        );
        let study = load(&survey).unwrap();
        let columns = study
            .config
            .data
            .ratings
            .as_ref()
            .unwrap()
            .survey
            .as_ref()
            .unwrap();
        assert_eq!(columns.questions["Question one?"], "A");
        let error = load(&survey.replace(
            "    survey:\n      ignore: [Timestamp]\n      questions: {\"Question one?\": A}\n",
            "",
        ))
        .unwrap_err();
        assert_eq!(error.column.as_deref(), Some("data.ratings.survey"));
        let error = load(&survey.replace("shape: survey", "shape: wide")).unwrap_err();
        assert!(
            error.message.contains("belongs only to shape `survey`"),
            "{error}"
        );
        let weighted = survey.replace("  ratings:", "  weights: w.csv\n  ratings:");
        let error = load(&weighted).unwrap_err();
        assert!(error.message.contains("without `expert_column`"), "{error}");
        let with_column = weighted.replace(
            "ignore: [Timestamp]",
            "expert_column: Email\n      ignore: [Timestamp]",
        );
        assert!(load(&with_column).is_ok());
    }
}
