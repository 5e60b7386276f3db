//! The study configuration (`study.yaml`): typed, validated settings with every path inside the study folder.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::InputError;
use crate::number::Exact;

mod qualitative;
pub use qualitative::{
    fold_label, AttributeConfig, CategoryConfig, CodingConfig, DemographicsConfig, OffsetUnit,
    PublishedCoding, PublishedTable, SegmentsFile, SegmentsFormat,
};

/// The file every study folder must hold.
pub const STUDY_FILE: &str = "study.yaml";

/// A text in both report languages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bilingual {
    pub en: String,
    pub fa: String,
}

impl Bilingual {
    pub fn get(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En => &self.en,
            crate::Lang::Fa => &self.fa,
        }
    }
}

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

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleConfig {
    /// Levels from the lowest to the highest.
    pub levels: Vec<LevelConfig>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LevelConfig {
    /// Identifier used as the column name in count tables (`very_low`).
    pub id: String,
    /// Label in both languages; raw ratings may use either label, the id or the level number.
    pub label: Bilingual,
    /// Triangular fuzzy number `[l, m, u]` with `0 <= l <= m <= u <= 1`.
    pub tfn: [f64; 3],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregation {
    /// Component-wise arithmetic mean of the experts' triangular numbers.
    ArithmeticMean,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Defuzzification {
    /// `(l + m + u) / 3`, the centroid of the triangle.
    Centroid,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MethodConfig {
    pub aggregation: Aggregation,
    pub defuzzification: Defuzzification,
    /// An indicator is accepted when its crisp value is at least this.
    pub threshold: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DataFiles {
    /// CSV `id,name_fa,name_en,name_en_source`.
    pub components: PathBuf,
    /// CSV `id,component,name_fa,name_en,name_en_source`.
    pub indicators: PathBuf,
    /// The experts' ratings.
    pub ratings: RatingsFile,
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
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RatingsFile {
    pub shape: RatingsShape,
    pub path: PathBuf,
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
    pub threshold: Exact,
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

/// A validated scale level with its fuzzy number held exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleLevel {
    pub id: String,
    pub label: Bilingual,
    pub tfn: [Exact; 3],
}

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
        let text = std::fs::read_to_string(&file).map_err(|e| {
            InputError::file(&file, format!("cannot read the study configuration: {e}"))
        })?;
        Study::from_yaml(folder, &file, &text)
    }

    /// Parses and validates a configuration text; `file` is used in error messages only.
    pub fn from_yaml(folder: &Path, file: &Path, text: &str) -> Result<Study, InputError> {
        let config: StudyConfig = serde_yaml::from_str(text).map_err(|e| match e.location() {
            Some(at) => InputError::at_line(file, at.line(), e.to_string()),
            None => InputError::file(file, e.to_string()),
        })?;
        let scale = validate_scale(file, &config.scale)?;
        let threshold = Exact::from_written_f64(config.method.threshold)
            .map_err(|e| InputError::column(file, "method.threshold", e))?;
        if threshold < Exact::ZERO || threshold > Exact::from_int(1) {
            return Err(InputError::column(
                file,
                "method.threshold",
                "expected a number from 0 to 1",
            ));
        }
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
        let mut paths = vec![
            ("data.components", &config.data.components),
            ("data.indicators", &config.data.indicators),
            ("data.ratings.path", &config.data.ratings.path),
        ];
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
            source: ConfigSource {
                lines: text.lines().count(),
                sha256: crate::digest::sha256_hex(text.as_bytes()),
            },
        })
    }

    /// A data path resolved against the study folder.
    pub fn path(&self, relative: &Path) -> PathBuf {
        self.folder.join(relative)
    }
}

fn validate_scale(file: &Path, scale: &ScaleConfig) -> Result<Vec<ScaleLevel>, InputError> {
    if scale.levels.len() < 2 {
        return Err(InputError::column(
            file,
            "scale.levels",
            "expected at least two levels",
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
            *slot =
                Exact::from_written_f64(value).map_err(|e| InputError::column(file, &key, e))?;
        }
        let [l, m, u] = tfn;
        if !(Exact::ZERO <= l && l <= m && m <= u && u <= Exact::from_int(1)) {
            return Err(InputError::column(
                file,
                &key,
                format!("expected 0 <= l <= m <= u <= 1, found {:?}", level.tfn),
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
    fn scale_values_outside_the_unit_interval_or_unordered_are_rejected() {
        let error = load(&MINIMAL.replace("[0.5, 1, 1]", "[0.5, 1, 1.5]")).unwrap_err();
        assert!(error.to_string().contains("scale.levels[2]"), "{error}");
        let error = load(&MINIMAL.replace("[0.5, 1, 1]", "[0, 0, 0.5]")).unwrap_err();
        assert!(error.message.contains("lowest to highest"), "{error}");
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
}
