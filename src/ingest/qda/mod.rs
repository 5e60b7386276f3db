//! Coded interviews from QDA software: the project's own CSV, MAXQDA's "Coded Segments" export (CSV or
//! XLSX) and REFI-QDA projects (`.qdpx`), each read into one format-free shape, then checked against the
//! optional codebook (names in each report language) and assembled into the analysis layer's `CodedData`.

pub(crate) mod maxqda;
pub(crate) mod project_csv;
pub(crate) mod qdpx;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::analysis::coding::{CodeNode, CodedData, CodedSegment, Uncounted};
use crate::analysis::Indicator;
use crate::config::{fold_label, SegmentsFile, SegmentsFormat};
use crate::domain::{InputFile, InputRole, Lang, Names};
use crate::error::{InputError, Problems};
use crate::ingest::demographics::QdaCase;
use crate::ingest::names;
use crate::ingest::table::CsvTable;
use qdpx::ReadOptions;

/// Where a segment was read, so that an error about it names the file and the row or line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A row of a table and the column at fault: a CSV data row (counted from 1, header excluded) and its
    /// line when known, or a spreadsheet's own row number and its sheet.
    Row {
        file: PathBuf,
        row: usize,
        line: Option<usize>,
        sheet: Option<String>,
        column: String,
    },
    /// A line of an XML file.
    Line { file: PathBuf, line: usize },
}

impl Origin {
    pub(crate) fn error(&self, message: impl Into<String>) -> InputError {
        match self {
            Origin::Row {
                file,
                row,
                line,
                sheet,
                column,
            } => InputError {
                line: *line,
                sheet: sheet.as_deref().map(Box::from),
                ..InputError::record(file, *row, column, message)
            },
            Origin::Line { file, line } => InputError::at_line(file, *line, message),
        }
    }
}

/// One coded segment as an export states it: document, text and the code's path of names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawSegment {
    pub(crate) document: String,
    /// The passage's text; `None` when the source text is not available.
    pub(crate) text: Option<String>,
    /// Where the passage is in its document (`start-end` offsets or paragraphs), when the export says:
    /// segments of one document with the same span and text are one passage. Without a span, adjacent
    /// rows of one document with the same text are one passage.
    pub(crate) span: Option<String>,
    /// Where the passage begins (a character offset or a paragraph number), when the export says.
    pub(crate) start: Option<u64>,
    pub(crate) path: Vec<String>,
    pub(crate) origin: Origin,
}

/// What an importer read, before the codebook is applied.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawCoding {
    /// Documents in interview order (a format that lists documents gives all of them, coded or not).
    pub(crate) documents: Vec<String>,
    /// Code paths the export defines itself (a REFI-QDA codebook), parents first.
    pub(crate) codebook: Vec<Vec<String>>,
    pub(crate) segments: Vec<RawSegment>,
    /// Codings the importer read but does not count (codings on non-text sources).
    pub(crate) uncounted: Vec<Uncounted>,
    /// Cases and their variables (REFI-QDA), with the file they were read from.
    pub(crate) cases: Vec<QdaCase>,
    pub(crate) cases_file: PathBuf,
    pub(crate) inputs: Vec<InputFile>,
}

/// Coded data ready for analysis, with the cases that may feed the demographics.
#[derive(Debug, Clone)]
pub struct LoadedCoding {
    /// The codes, documents and coded segments.
    pub data: CodedData,
    pub(crate) cases: Vec<QdaCase>,
    pub(crate) cases_file: PathBuf,
    pub(crate) inputs: Vec<InputFile>,
}

/// Splits a code path written with `>` (MAXQDA, the project CSV) or, failing that, `\` (older MAXQDA).
pub(crate) fn split_code_path(text: &str) -> Vec<String> {
    let separator = if text.contains('>') { ">" } else { "\\" };
    split_names(text, separator)
}

/// Splits a code path at `separator` (`coding.hierarchy_separator`), or as `split_code_path` does.
pub(crate) fn split_code_path_with(text: &str, separator: Option<&str>) -> Vec<String> {
    match separator {
        Some(separator) => split_names(text, separator),
        None => split_code_path(text),
    }
}

/// The names of a path joined by `separator`, white space runs (no-break spaces too) as one space.
pub(crate) fn split_names(text: &str, separator: &str) -> Vec<String> {
    text.split(separator)
        .map(|part| part.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Reads the coded segments a study names, in its format, and applies the codebook if there is one.
/// `separator` (`coding.hierarchy_separator`) splits code names into a path where the export writes
/// hierarchy into names; `levels` is the number of analysis levels (`coding.levels`).
pub fn load(
    folder: &Path,
    segments: &SegmentsFile,
    codebook: Option<&Path>,
    separator: Option<&str>,
    levels: usize,
    indicators: &[Indicator],
    langs: &[Lang],
) -> Result<LoadedCoding, InputError> {
    let separator = separator.filter(|s| !s.is_empty());
    let mut raw = match segments.format {
        SegmentsFormat::ProjectCsv => project_csv::read(folder, &segments.path, separator)?,
        SegmentsFormat::Maxqda => maxqda::read(folder, &segments.path, separator)?,
        SegmentsFormat::Qdpx => qdpx::read(
            folder,
            &segments.path,
            ReadOptions {
                unit: segments.offsets,
                texts: segments.texts,
                separator,
            },
        )?,
    };
    let codebook = match codebook {
        Some(relative) => {
            let table = CsvTable::read(folder, relative, InputRole::Codebook)?;
            let entries = read_codebook(&table, indicators, levels, langs)?;
            raw.inputs.push(table.input);
            Some(entries)
        }
        None => None,
    };
    let data = assemble(&raw, codebook, levels)?;
    Ok(LoadedCoding {
        data,
        cases: raw.cases,
        cases_file: raw.cases_file,
        inputs: raw.inputs,
    })
}

/// Reads `code,name_<code>...[,name_<code>_source...][,indicator]`: one row per code of any depth,
/// `code` being its path as coded (`Component > Concept > Initial code`), with a name in each report
/// language (`name_<code>_source`: `paper`, `translation` or `coded`). Only a concept (a code at the
/// level above the last of `levels`) links to an indicator. Every problem is reported in one error.
pub(crate) fn read_codebook(
    table: &CsvTable,
    indicators: &[Indicator],
    levels: usize,
    langs: &[Lang],
) -> Result<Vec<CodeNode>, InputError> {
    let mut optional = names::source_columns("name");
    optional.push("indicator".to_string());
    names::require_columns(table, &["code"], &["name"], langs, &optional)?;
    let has_indicator = table.column_names().iter().any(|c| c == "indicator");
    let mut problems = Problems::new();
    let paths = table.texts(
        "code",
        "a code path such as 'Component > Concept > Code'",
        &mut problems,
    )?;
    let code_names = names::read(table, "name", "name", langs, &mut problems)?;
    let translated = names::translated(table, "name", langs, &["coded"], &mut problems)?;
    let links = if has_indicator {
        table.optional_texts("indicator")?
    } else {
        vec![String::new(); table.height()]
    };
    let mut nodes: Vec<CodeNode> = Vec::with_capacity(paths.len());
    let mut keys: HashMap<Vec<String>, usize> = HashMap::new();
    for row in 0..paths.len() {
        if paths[row].is_empty() {
            continue;
        }
        let at = |column: &str, message: String| table.at(row + 1, column, message);
        let path = split_code_path(&paths[row]);
        if path.iter().any(String::is_empty) {
            problems.push(at(
                "code",
                format!(
                    "'{}' has an empty name; expected names joined by '>'",
                    paths[row]
                ),
            ));
            continue;
        }
        let key = path_key(&path);
        if let Some(first) = keys.get(&key) {
            problems.push(at(
                "code",
                format!(
                    "'{}' appears twice (first on row {})",
                    paths[row],
                    table.file_row(first + 1)
                ),
            ));
            continue;
        }
        if path.len() > 1 && !keys.contains_key(&key[..path.len() - 1]) {
            problems.push(at(
                "code",
                format!(
                    "the parent '{}' of this code needs a row of its own above it",
                    path[..path.len() - 1].join(" > ")
                ),
            ));
        }
        let indicator = match links[row].as_str() {
            "" => None,
            id if levels < 2 || path.len() != levels - 1 => {
                problems.push(at(
                    "indicator",
                    format!(
                        "only a concept (a code at the level above the last, a path of {} names) becomes an indicator; found '{id}' on a code of depth {}",
                        levels.saturating_sub(1),
                        path.len()
                    ),
                ));
                None
            }
            id if !indicators.iter().any(|i| i.id == id) => {
                problems.push(at("indicator", format!("unknown indicator id '{id}'")));
                None
            }
            id => Some(id.to_string()),
        };
        keys.insert(key, row);
        nodes.push(CodeNode {
            path,
            name: code_names[row].clone(),
            untranslated: false,
            translated: translated[row].clone(),
            indicator,
        });
    }
    problems.into_result()?;
    Ok(nodes)
}

/// The form in which code names are compared across files: see `config::fold_label`.
fn path_key(path: &[String]) -> Vec<String> {
    path.iter().map(|name| fold_label(name)).collect()
}

/// A code known only by its name as coded: the same text in both languages.
fn coded_node(path: &[String]) -> CodeNode {
    let name = path.last().cloned().unwrap_or_default();
    CodeNode {
        path: path.to_vec(),
        name: Names::uniform(&name),
        untranslated: true,
        translated: Vec::new(),
        indicator: None,
    }
}

/// Orders codes parents first, siblings in the order they were first met.
fn tree_order(nodes: Vec<CodeNode>) -> Vec<CodeNode> {
    let keys: Vec<Vec<String>> = nodes.iter().map(|n| path_key(&n.path)).collect();
    let first_of = |prefix: &[String]| {
        keys.iter()
            .position(|k| k.len() >= prefix.len() && k[..prefix.len()] == *prefix)
            .unwrap_or(usize::MAX)
    };
    let mut keyed: Vec<(Vec<usize>, CodeNode)> = nodes
        .into_iter()
        .zip(&keys)
        .map(|(node, key)| ((1..=key.len()).map(|d| first_of(&key[..d])).collect(), node))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, node)| node).collect()
}

/// Applies the codebook to what an importer read: every segment's code must be, when a codebook is
/// given, one of its codes. Codes of any depth enter the tree; each coding is counted on its code, or on
/// the code's ancestor at the last of `levels` analysis levels when the code is deeper.
pub(crate) fn assemble(
    raw: &RawCoding,
    codebook: Option<Vec<CodeNode>>,
    levels: usize,
) -> Result<CodedData, InputError> {
    let authoritative = codebook.is_some();
    let mut nodes: Vec<CodeNode> = codebook.unwrap_or_default();
    let mut index: HashMap<Vec<String>, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (path_key(&n.path), i))
        .collect();
    fn add_with_parents(
        nodes: &mut Vec<CodeNode>,
        index: &mut HashMap<Vec<String>, usize>,
        path: &[String],
    ) {
        for depth in 1..=path.len() {
            let key = path_key(&path[..depth]);
            if let std::collections::hash_map::Entry::Vacant(slot) = index.entry(key) {
                slot.insert(nodes.len());
                nodes.push(coded_node(&path[..depth]));
            }
        }
    }
    // Every code the export defines enters the tree, however deep: none vanishes from the counts.
    for path in raw
        .codebook
        .iter()
        .filter(|p| !p.iter().any(String::is_empty))
    {
        add_with_parents(&mut nodes, &mut index, path);
    }
    // Every segment's problem, in one error.
    let mut problems = Problems::new();
    for segment in &raw.segments {
        let path = &segment.path;
        if path.is_empty() || path.iter().any(String::is_empty) {
            problems.push(segment.origin.error(format!(
                "code '{}' has an empty name in its path (names joined by '>')",
                path.join(" > ")
            )));
            continue;
        }
        if authoritative && !index.contains_key(&path_key(path)) {
            problems.push(segment.origin.error(format!(
                "code '{}' is not in the codebook",
                path.join(" > ")
            )));
            continue;
        }
        add_with_parents(&mut nodes, &mut index, path);
    }
    problems.into_result()?;
    let counted = &raw.segments;
    let uncounted = raw.uncounted.clone();
    let codes = tree_order(nodes);
    let positions: HashMap<Vec<String>, usize> = codes
        .iter()
        .enumerate()
        .map(|(i, n)| (path_key(&n.path), i))
        .collect();
    // Every document the export names is defined, also one whose codings are all set aside.
    let mut documents: Vec<String> = raw.documents.clone();
    for segment in &raw.segments {
        if !documents.contains(&segment.document) {
            documents.push(segment.document.clone());
        }
    }
    let levels = levels.max(1);
    let mut segments: Vec<CodedSegment> = Vec::with_capacity(counted.len());
    // Passages by (document, span, text) when the export gives spans.
    let mut passages: HashMap<(usize, &str, Option<&str>), usize> = HashMap::new();
    let mut passage_count = 0;
    let mut previous: Option<&RawSegment> = None;
    for segment in counted {
        let document = documents
            .iter()
            .position(|d| *d == segment.document)
            .unwrap_or_default();
        let passage = match &segment.span {
            Some(span) => *passages
                .entry((document, span.as_str(), segment.text.as_deref()))
                .or_insert_with(|| {
                    passage_count += 1;
                    passage_count - 1
                }),
            None => match (previous, segments.last()) {
                (Some(before), Some(last))
                    if before.span.is_none()
                        && before.document == segment.document
                        && before.text == segment.text =>
                {
                    last.passage
                }
                _ => {
                    passage_count += 1;
                    passage_count - 1
                }
            },
        };
        let key = path_key(&segment.path);
        segments.push(CodedSegment {
            document,
            code: positions[&key[..key.len().min(levels)]],
            coded: positions[&key],
            passage,
            start: segment.start,
            text: segment.text.clone(),
        });
        previous = Some(segment);
    }
    Ok(CodedData {
        documents,
        codes,
        segments,
        uncounted,
        levels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_paths_split_on_angle_brackets_or_backslashes() {
        assert_eq!(
            split_code_path("Networking > Active  participation>Joining"),
            vec!["Networking", "Active participation", "Joining"]
        );
        assert_eq!(
            split_code_path(r"Networking\Active participation\Joining"),
            vec!["Networking", "Active participation", "Joining"]
        );
        assert_eq!(split_code_path("Single"), vec!["Single"]);
    }

    fn segment(document: &str, path: &str, row: usize) -> RawSegment {
        RawSegment {
            document: document.into(),
            text: Some(String::new()),
            span: None,
            start: None,
            path: split_code_path(path),
            origin: Origin::Row {
                file: "s.csv".into(),
                row,
                line: None,
                sheet: None,
                column: "code".into(),
            },
        }
    }

    #[test]
    fn codes_are_ordered_parents_first_and_segments_point_at_initial_codes() {
        let raw = RawCoding {
            segments: vec![
                segment("D1", "N > a > x", 1),
                segment("D1", "R > c > w", 2),
                segment("D2", "N > b > z", 3),
                segment("D2", "N > a > y", 4),
            ],
            ..RawCoding::default()
        };
        let data = assemble(&raw, None, 3).unwrap();
        let paths: Vec<String> = data.codes.iter().map(|c| c.path.join(">")).collect();
        assert_eq!(
            paths,
            vec!["N", "N>a", "N>a>x", "N>a>y", "N>b", "N>b>z", "R", "R>c", "R>c>w"]
        );
        assert_eq!(data.documents, vec!["D1", "D2"]);
        let coded: Vec<(usize, String)> = data
            .segments
            .iter()
            .map(|s| (s.document, data.codes[s.code].path.join(">")))
            .collect();
        assert_eq!(coded[3], (1, "N>a>y".to_string()));
        assert!(data.codes.iter().all(|c| c.untranslated));
    }

    #[test]
    fn codes_of_any_depth_enter_the_tree_and_codings_are_counted_once_by_the_level_rule() {
        let raw = RawCoding {
            codebook: vec![split_code_path("N > a > x > unused > deeper")],
            segments: vec![
                segment("D1", "N > a > x", 1),
                segment("D1", "N > a", 2),
                segment("D2", "N > a > x > deep", 3),
                segment("D2", "N", 4),
            ],
            ..RawCoding::default()
        };
        let data = assemble(&raw, None, 3).unwrap();
        let paths: Vec<String> = data.codes.iter().map(|c| c.path.join(">")).collect();
        assert_eq!(
            paths,
            vec![
                "N",
                "N>a",
                "N>a>x",
                "N>a>x>unused",
                "N>a>x>unused>deeper",
                "N>a>x>deep"
            ]
        );
        // Counted on: x itself, the concept a, x (deep folded up), the component N; as coded: their own.
        let counted: Vec<(&str, &str)> = data
            .segments
            .iter()
            .map(|s| {
                (
                    data.codes[s.code].path.last().unwrap().as_str(),
                    data.codes[s.coded].path.last().unwrap().as_str(),
                )
            })
            .collect();
        assert_eq!(
            counted,
            vec![("x", "x"), ("a", "a"), ("x", "deep"), ("N", "N")]
        );
        assert!(data.uncounted.is_empty());
        assert_eq!(data.levels, 3);
    }

    #[test]
    fn an_empty_name_in_a_code_path_is_an_error_naming_its_row() {
        let raw = RawCoding {
            segments: vec![segment("D1", "N > a > x", 1), segment("D1", "N >  > x", 2)],
            ..RawCoding::default()
        };
        let error = assemble(&raw, None, 3).unwrap_err();
        assert_eq!(error.row, Some(2));
        assert!(error.message.contains("has an empty name"), "{error}");
    }

    #[test]
    fn passages_are_told_apart_by_span_or_else_by_adjacent_equal_text() {
        let spanned = |document: &str, path: &str, span: &str, text: &str| RawSegment {
            span: Some(span.into()),
            text: Some(text.into()),
            ..segment(document, path, 1)
        };
        // The same word coded at two places of D1, one span of D1 with two codes, and D2's span with
        // the same offsets (another document, so another passage).
        let raw = RawCoding {
            segments: vec![
                spanned("D1", "N > a > x", "3-3", "METAPHER"),
                spanned("D1", "N > a > y", "5-5", "other"),
                spanned("D1", "N > a > x", "10-10", "METAPHER"),
                spanned("D1", "N > a > y", "3-3", "METAPHER"),
                spanned("D2", "N > a > x", "3-3", "METAPHER"),
            ],
            ..RawCoding::default()
        };
        let passages: Vec<usize> = assemble(&raw, None, 3)
            .unwrap()
            .segments
            .iter()
            .map(|s| s.passage)
            .collect();
        assert_eq!(passages, vec![0, 1, 2, 0, 3]);
        // Without spans (the project CSV): adjacent rows of one document with the same text.
        let texted = |document: &str, path: &str, text: &str| RawSegment {
            text: Some(text.into()),
            ..segment(document, path, 1)
        };
        let raw = RawCoding {
            segments: vec![
                texted("D1", "N > a > x", "t"),
                texted("D1", "N > a > y", "t"),
                texted("D1", "N > a > x", "u"),
                texted("D1", "N > a > y", "t"),
                texted("D2", "N > a > y", "t"),
            ],
            ..RawCoding::default()
        };
        let passages: Vec<usize> = assemble(&raw, None, 3)
            .unwrap()
            .segments
            .iter()
            .map(|s| s.passage)
            .collect();
        assert_eq!(passages, vec![0, 0, 1, 2, 3]);
    }

    #[test]
    fn with_a_codebook_every_coded_path_must_be_in_it() {
        let raw = RawCoding {
            segments: vec![segment("D1", "N > a > x", 1), segment("D1", "N > a > q", 2)],
            ..RawCoding::default()
        };
        let codebook: Vec<CodeNode> = ["N", "N > a", "N > a > x"]
            .iter()
            .map(|p| coded_node(&split_code_path(p)))
            .collect();
        let error = assemble(&raw, Some(codebook), 3).unwrap_err();
        assert_eq!(error.row, Some(2));
        assert!(error.message.contains("not in the codebook"), "{error}");
    }
}
