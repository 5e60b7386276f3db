//! The optional `demographics` and `coding` sections of `study.yaml`: expert panels, coded interviews and
//! the publication's qualitative tables. Every key here is optional so older study files still load.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::data::check_inside_folder;
use crate::domain::Names;
use crate::error::InputError;

/// Who the respondents were: panels, attributes and their categories, in the order the report lists them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DemographicsConfig {
    /// CSV `respondent,panel,<attribute ids>`: one row per respondent and panel.
    #[serde(default)]
    pub(crate) respondents: Option<PathBuf>,
    /// Panel whose respondents are the cases of a REFI-QDA project (`coding.segments`), if any.
    #[serde(default)]
    pub(crate) cases_panel: Option<String>,
    /// Panels in report order (`interview`, `delphi`, ...).
    #[serde(default)]
    pub(crate) panels: Vec<CategoryConfig>,
    /// Attributes (gender, education, ...) in report order.
    #[serde(default)]
    pub(crate) attributes: Vec<AttributeConfig>,
}

/// An attribute and its categories, in the configured order.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AttributeConfig {
    /// Column name in the respondents file and variable name in a REFI-QDA project.
    pub(crate) id: String,
    pub(crate) label: Names,
    pub(crate) categories: Vec<CategoryConfig>,
}

/// A category (or a panel): its id and labels; data may use the id or either label.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CategoryConfig {
    pub(crate) id: String,
    pub(crate) label: Names,
}

/// The qualitative part: coded interviews and the publication's tables of it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CodingConfig {
    /// Coded segments, in one of the accepted formats.
    #[serde(default)]
    pub(crate) segments: Option<SegmentsFile>,
    /// CSV `code,name_<code>...[,name_<code>_source...][,indicator]`: the codes' names in each report
    /// language and the Delphi indicator each concept became.
    #[serde(default)]
    pub(crate) codebook: Option<PathBuf>,
    /// What the publication prints about its coding.
    #[serde(default)]
    pub(crate) published: Option<PublishedCoding>,
    /// A separator that writes hierarchy into code names, where the export has none in its structure:
    /// `"::"` for ATLAS.ti (`Coke::diet Coke`), `" > "` or `"\\"` for MAXQDA code paths. Code names
    /// are split at it (below any nesting the export has). Default: MAXQDA and project CSV paths split
    /// at `>` (or `\`), REFI-QDA names are not split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) hierarchy_separator: Option<String>,
    /// The analysis levels of the code tree, named from the root (default
    /// `[component, concept, initial_code]`). A coding on a code deeper than the last level is counted
    /// as its ancestor at the last level; a coding on a code above the last level is counted at the
    /// code's own level. The last level is the unit of the matrix and the saturation curve; the level
    /// above it holds the concepts that become Delphi indicators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) levels: Option<Vec<String>>,
}

/// The analysis levels when `coding.levels` is not given.
pub(crate) const DEFAULT_CODE_LEVELS: [&str; 3] = ["component", "concept", "initial_code"];

/// The format of a file of coded segments (`coding.segments.format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SegmentsFormat {
    /// The project's own CSV: `document,segment,code`.
    ProjectCsv,
    /// MAXQDA's "Coded Segments" export: CSV (`;` or `,`) or XLSX, English or German headers.
    Maxqda,
    /// A REFI-QDA project exchange file (`.qdpx`).
    Qdpx,
}

/// How a REFI-QDA project counts selection offsets. Spelled as users write them: `utf16` or `utf-16`,
/// `utf8` or `utf-8`, `code-points` (or `code_points`, `codepoints`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OffsetUnit {
    /// UTF-16 code units, a CRLF line end counting as two (what real exports write).
    #[default]
    #[serde(alias = "utf-16", alias = "UTF-16", alias = "UTF16")]
    Utf16,
    /// UTF-8 bytes, a CRLF line end counting as two.
    #[serde(alias = "utf-8", alias = "UTF-8", alias = "UTF8")]
    Utf8,
    /// Unicode scalar values (code points), a CRLF line end counting as two.
    #[serde(alias = "code_points", alias = "codepoints")]
    CodePoints,
}

/// Whether a REFI-QDA project's source texts must be in its archive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceTexts {
    /// Every text source's text must be readable, and every selection is checked against it.
    #[default]
    Required,
    /// Codings are counted from the offsets and the codebook when a text is missing; its passages are
    /// shown as unavailable.
    Optional,
}

/// The coded segments of the qualitative part (`coding.segments`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentsFile {
    /// The file's format.
    pub format: SegmentsFormat,
    /// The file, relative to the study folder.
    pub path: PathBuf,
    /// Unit of selection offsets in a `.qdpx` (ignored by the other formats).
    #[serde(default)]
    pub offsets: OffsetUnit,
    /// Whether a `.qdpx`'s source texts must be in the archive (ignored by the other formats).
    #[serde(default)]
    pub texts: SourceTexts,
}

/// The publication's own statements and tables about its coding, transcribed as printed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublishedCoding {
    /// The study design summary (`phase,phase_fa,phase_en,field,field_fa,field_en,value_fa,value_en`).
    #[serde(default)]
    pub(crate) design: Option<PublishedTable>,
    /// A sample of initial coding (`row,interviewee,narrative_fa,narrative_en,codes_fa,codes_en`).
    #[serde(default)]
    pub(crate) initial_coding: Option<PublishedTable>,
    /// Concepts with their initial codes (`row,concept_fa,concept_en,codes_fa,codes_en,indicator,link`).
    #[serde(default)]
    pub(crate) concepts: Option<PublishedTable>,
}

/// A transcribed table: its file, and its number and caption as printed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublishedTable {
    pub(crate) path: PathBuf,
    pub(crate) number: u32,
    pub(crate) caption: Names,
}

impl DemographicsConfig {
    /// Ids must be usable as CSV column names and unique; categories must not repeat.
    pub(super) fn validate(&self, file: &Path) -> Result<(), InputError> {
        if let Some(path) = &self.respondents {
            check_inside_folder(file, "demographics.respondents", path)?;
        }
        check_categories(file, "demographics.panels", &self.panels)?;
        if let Some(panel) = &self.cases_panel {
            if !self.panels.iter().any(|p| &p.id == panel) {
                return Err(InputError::key(
                    file,
                    "demographics.cases_panel",
                    format!("'{panel}' is not one of demographics.panels"),
                ));
            }
        }
        let mut seen = BTreeSet::new();
        for (index, attribute) in self.attributes.iter().enumerate() {
            let key = format!("demographics.attributes[{}]", index + 1);
            check_id(file, &key, &attribute.id)?;
            if ["respondent", "panel"].contains(&attribute.id.as_str()) {
                return Err(InputError::key(
                    file,
                    &key,
                    format!("'{}' is a reserved column name", attribute.id),
                ));
            }
            if !seen.insert(attribute.id.as_str()) {
                return Err(InputError::key(
                    file,
                    &key,
                    format!("attribute id '{}' appears twice", attribute.id),
                ));
            }
            check_categories(file, &format!("{key}.categories"), &attribute.categories)?;
        }
        Ok(())
    }
}

impl CodingConfig {
    /// The analysis levels from the root: `coding.levels`, or the default three.
    pub(crate) fn levels(&self) -> Vec<String> {
        match &self.levels {
            Some(levels) => levels.clone(),
            None => DEFAULT_CODE_LEVELS.iter().map(|l| l.to_string()).collect(),
        }
    }

    pub(super) fn validate(&self, file: &Path) -> Result<(), InputError> {
        if let Some(levels) = &self.levels {
            if levels.is_empty() {
                return Err(InputError::key(
                    file,
                    "coding.levels",
                    "the list is empty; name at least one level, such as [component, concept, initial_code]",
                ));
            }
            let mut seen = BTreeSet::new();
            for (index, level) in levels.iter().enumerate() {
                let key = format!("coding.levels[{}]", index + 1);
                check_id(file, &key, level)?;
                if !seen.insert(level.as_str()) {
                    return Err(InputError::key(
                        file,
                        &key,
                        format!("level '{level}' appears twice; every level needs its own name"),
                    ));
                }
            }
        }
        if let Some(segments) = &self.segments {
            check_inside_folder(file, "coding.segments.path", &segments.path)?;
            if segments.texts == SourceTexts::Optional && segments.format != SegmentsFormat::Qdpx {
                return Err(InputError::key(
                    file,
                    "coding.segments.texts",
                    "'optional' applies to REFI-QDA projects (format: qdpx) only; the other formats hold the segment texts themselves",
                ));
            }
        }
        if let Some(separator) = &self.hierarchy_separator {
            if separator.trim().is_empty() {
                return Err(InputError::key(
                    file,
                    "coding.hierarchy_separator",
                    "the separator is empty or only spaces; write the text that joins code names, such as \"::\" or \" > \"",
                ));
            }
        }
        if let Some(codebook) = &self.codebook {
            check_inside_folder(file, "coding.codebook", codebook)?;
        }
        if let Some(published) = &self.published {
            for (key, table) in [
                ("coding.published.design.path", &published.design),
                (
                    "coding.published.initial_coding.path",
                    &published.initial_coding,
                ),
                ("coding.published.concepts.path", &published.concepts),
            ] {
                if let Some(table) = table {
                    check_inside_folder(file, key, &table.path)?;
                }
            }
        }
        Ok(())
    }
}

fn check_id(file: &Path, key: &str, id: &str) -> Result<(), InputError> {
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(InputError::key(
            file,
            key,
            format!("id '{id}' must be letters, digits, '-' or '_'"),
        ));
    }
    Ok(())
}

/// Ids and labels of a category list must each name one category only.
fn check_categories(
    file: &Path,
    key: &str,
    categories: &[CategoryConfig],
) -> Result<(), InputError> {
    let mut names: Vec<(String, usize)> = Vec::new();
    for (index, category) in categories.iter().enumerate() {
        let item = format!("{key}[{}]", index + 1);
        check_id(file, &item, &category.id)?;
        let labels = category.label.iter().map(|(_, text)| text);
        for name in std::iter::once(category.id.as_str()).chain(labels) {
            let folded = fold_label(name);
            if let Some((_, other)) = names.iter().find(|(n, i)| *n == folded && *i != index) {
                return Err(InputError::key(
                    file,
                    &item,
                    format!(
                        "'{name}' also names item {} of {key}; every id and label must name one item",
                        other + 1
                    ),
                ));
            }
            names.push((folded, index));
        }
    }
    Ok(())
}

/// The form in which data values are compared with ids and labels: trimmed, case-folded,
/// zero-width non-joiners and inner runs of spaces ignored.
pub(crate) fn fold_label(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('\u{200C}', "")
        .to_lowercase()
}
