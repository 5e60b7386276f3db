//! REFI-QDA project exchange files (`.qdpx`, QDA-XML project schema 1.0 as used by REFI-QDA 1.5): a zip
//! holding the project XML (`project.qde`, or another `.qde` name) and the plain text of each source under
//! `sources/` (or `Sources/`). Read: the codebook (nested codes), text sources with their selections and
//! codings, and cases with their variables. Pictures, PDFs, audio, video, notes, sets and graphs are left out.
//!
//! Real exports bend the standard, so elements are matched by local name whatever their namespace
//! prefix, a byte-order mark is dropped from source text, and selection offsets are counted in UTF-16
//! units (or code points) with a CRLF line end counting as two, then checked against the text: an offset
//! past the end, inside a character or between CR and LF is an error naming the file and the selection.
//! Only XML's predefined entities and character references are expanded; a document that declares its
//! own entities is refused, so that entity expansion cannot blow up.

use std::collections::HashMap;
use std::path::Path;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::{split_names, Origin, RawCoding, RawSegment};
use crate::analysis::coding::{Uncounted, UncountedReason};
use crate::config::{OffsetUnit, SourceTexts};
use crate::domain::InputRole;
use crate::error::{InputError, Problems};
use crate::ingest::archive::Archive;
use crate::ingest::demographics::QdaCase;
use crate::ingest::table::{decode_text, input_file, read_file};

/// The project as its XML states it, before source texts are read.
#[derive(Debug, Default)]
struct Project {
    /// Code guid -> path of names from the root of the codebook.
    codes: Vec<(String, Vec<String>)>,
    variables: HashMap<String, String>,
    cases: Vec<QdaCase>,
    sources: Vec<TextSource>,
    /// For every coding on a picture, PDF, audio or video source: that source's name.
    media_codings: Vec<String>,
}

/// Source elements of the standard other than text sources; their codings are counted as left out.
const MEDIA_SOURCES: [&str; 4] = ["PictureSource", "PDFSource", "AudioSource", "VideoSource"];

#[derive(Debug, Default)]
struct TextSource {
    name: String,
    plain_text_path: Option<String>,
    content: Option<String>,
    selections: Vec<Selection>,
    /// Codings of the whole source (a `Coding` directly under `TextSource`): code guids.
    whole: Vec<String>,
    line: usize,
}

#[derive(Debug, Default)]
struct Selection {
    guid: String,
    start: String,
    end: String,
    codes: Vec<String>,
    line: usize,
}

/// How a project is read: the unit of its offsets, whether its source texts must be in the archive,
/// and the separator that writes hierarchy into code names (ATLAS.ti's `::`), if any.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReadOptions<'a> {
    pub(crate) unit: OffsetUnit,
    pub(crate) texts: SourceTexts,
    pub(crate) separator: Option<&'a str>,
}

pub(crate) fn read(
    folder: &Path,
    relative: &Path,
    options: ReadOptions,
) -> Result<RawCoding, InputError> {
    let unit = options.unit;
    let path = folder.join(relative);
    let bytes = read_file(&path)?;
    let mut input = input_file(relative, InputRole::CodedSegmentsRefiQda, &bytes);
    let mut archive = Archive::open(&path, bytes)?;
    let qde_name = find_project_xml(&path, archive.names())?;
    let qde_path = path.join(&qde_name);
    let xml = decode_text(&qde_path, &archive.read(&qde_name)?)?;
    let mut project = parse_project(&qde_path, &xml)?;
    if let Some(separator) = options.separator {
        // Hierarchy written into names (`Coke::diet Coke`) is split below the XML's own nesting.
        for (_, path) in &mut project.codes {
            *path = path
                .iter()
                .flat_map(|name| split_names(name, separator))
                .collect();
        }
    }

    let code_paths: HashMap<&str, &Vec<String>> = project
        .codes
        .iter()
        .map(|(guid, path)| (guid.as_str(), path))
        .collect();
    let mut documents = Vec::new();
    let mut segments = Vec::new();
    // Every selection's and coding's problem, in one error (the XML itself must first parse).
    let mut problems = Problems::new();
    for source in &project.sources {
        let (text, text_path) = source_text(&mut archive, &path, &qde_path, source, options.texts)?;
        documents.push(source.name.clone());
        let code_path = |guid: &str, line: usize| -> Result<Vec<String>, InputError> {
            code_paths.get(guid).map(|p| p.to_vec()).ok_or_else(|| {
                InputError::at_line(
                    &qde_path,
                    line,
                    format!("CodeRef targets '{guid}', which is not a code of the codebook"),
                )
            })
        };
        for guid in &source.whole {
            let Some(path) = problems.check(code_path(guid, source.line)) else {
                continue;
            };
            segments.push(RawSegment {
                document: source.name.clone(),
                text: text.clone(),
                span: Some("whole".into()),
                start: Some(0),
                path,
                origin: Origin::Line {
                    file: qde_path.clone(),
                    line: source.line,
                },
            });
        }
        for selection in &source.selections {
            let selected = select(text.as_deref(), selection, unit).map_err(|problem| {
                InputError::at_line(
                    &qde_path,
                    selection.line,
                    format!(
                        "selection {} of source '{}' ({}): {problem}",
                        selection.guid, source.name, text_path
                    ),
                )
            });
            let Some(selected) = problems.check(selected) else {
                continue;
            };
            for guid in &selection.codes {
                let Some(path) = problems.check(code_path(guid, selection.line)) else {
                    continue;
                };
                segments.push(RawSegment {
                    document: source.name.clone(),
                    text: selected.map(str::to_string),
                    span: Some(format!(
                        "{}-{}",
                        selection.start.trim(),
                        selection.end.trim()
                    )),
                    // `select` has checked that the offset is a whole number.
                    start: selection.start.trim().parse().ok(),
                    path,
                    origin: Origin::Line {
                        file: qde_path.clone(),
                        line: selection.line,
                    },
                });
            }
        }
    }
    problems.into_result()?;
    input.rows = segments.len() + project.media_codings.len();
    let mut uncounted = Vec::new();
    if !project.media_codings.is_empty() {
        let mut names: Vec<String> = Vec::new();
        for name in &project.media_codings {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        uncounted.push(Uncounted {
            reason: UncountedReason::NonTextSource,
            codings: project.media_codings.len(),
            names,
        });
    }
    Ok(RawCoding {
        uncounted,
        documents,
        codebook: project.codes.into_iter().map(|(_, p)| p).collect(),
        segments,
        cases: project.cases,
        cases_file: qde_path,
        inputs: vec![input],
    })
}

/// The one `.qde` file at the root of the archive (any name), or the only one anywhere.
fn find_project_xml(path: &Path, names: &[String]) -> Result<String, InputError> {
    let qde: Vec<&String> = names
        .iter()
        .filter(|n| n.to_lowercase().ends_with(".qde"))
        .collect();
    let at_root: Vec<&&String> = qde.iter().filter(|n| !n.contains('/')).collect();
    match (at_root.as_slice(), qde.as_slice()) {
        ([one], _) => Ok((**one).clone()),
        ([], [one]) => Ok((*one).clone()),
        ([], []) => Err(InputError::file(
            path,
            "no project XML (.qde) in the archive; is this a REFI-QDA project (.qdpx)?",
        )),
        _ => Err(InputError::file(
            path,
            format!(
                "several project XML files ({}); expected one",
                qde.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// The plain text of a source and a description of where it came from, for error messages. With
/// `SourceTexts::Optional`, a text the project does not hold is `None` rather than an error.
fn source_text(
    archive: &mut Archive,
    path: &Path,
    qde_path: &Path,
    source: &TextSource,
    texts: SourceTexts,
) -> Result<(Option<String>, String), InputError> {
    if let Some(content) = &source.content {
        return Ok((Some(content.clone()), "PlainTextContent".to_string()));
    }
    let missing = |error: InputError| match texts {
        SourceTexts::Required => Err(error),
        SourceTexts::Optional => Ok((None, "text not available".to_string())),
    };
    let Some(reference) = &source.plain_text_path else {
        return missing(InputError::at_line(
            qde_path,
            source.line,
            format!(
                "text source '{}' has neither PlainTextContent nor plainTextPath",
                source.name
            ),
        ));
    };
    let Some(file) = reference.strip_prefix("internal://") else {
        return missing(InputError::at_line(
            qde_path,
            source.line,
            format!(
                "text source '{}' points outside the project ('{reference}'); only internal:// sources can be read",
                source.name
            ),
        ));
    };
    // The standard says `sources/`; some programs write `Sources/`. Match the folder without case.
    let entry = archive
        .names()
        .iter()
        .find(|name| {
            name.split_once('/')
                .is_some_and(|(dir, rest)| dir.eq_ignore_ascii_case("sources") && rest == file)
        })
        .cloned();
    let Some(entry) = entry else {
        return missing(InputError::at_line(
            qde_path,
            source.line,
            format!(
                "text source '{}': no entry sources/{file} (or Sources/{file}) in the archive \
                 (set coding.segments.texts: optional to count its codings without the text)",
                source.name
            ),
        ));
    };
    let bytes = archive.read(&entry)?;
    let text = decode_text(&path.join(&entry), &bytes)?;
    Ok((Some(text), entry))
}

/// The text a selection covers, after checking its offsets against the text; without the text, only
/// that the offsets are whole numbers in order.
fn select<'t>(
    text: Option<&'t str>,
    selection: &Selection,
    unit: OffsetUnit,
) -> Result<Option<&'t str>, String> {
    let parse = |value: &str, name: &str| -> Result<usize, String> {
        value
            .trim()
            .parse::<usize>()
            .map_err(|_| format!("{name} '{value}' is not a whole number"))
    };
    let start = parse(&selection.start, "startPosition")?;
    let end = parse(&selection.end, "endPosition")?;
    if start > end {
        return Err(format!("startPosition {start} is after endPosition {end}"));
    }
    let Some(text) = text else {
        return Ok(None);
    };
    let start_byte =
        byte_offset(text, start, unit).map_err(|e| format!("startPosition {start}: {e}"))?;
    let end_byte = byte_offset(text, end, unit).map_err(|e| format!("endPosition {end}: {e}"))?;
    Ok(Some(&text[start_byte..end_byte]))
}

/// The byte index of the `offset`-th unit of `text`, or why it does not fall on a character boundary.
pub(crate) fn byte_offset(text: &str, offset: usize, unit: OffsetUnit) -> Result<usize, String> {
    let mut units = 0;
    let mut previous = None;
    for (byte, c) in text.char_indices() {
        if units == offset {
            if previous == Some('\r') && c == '\n' {
                return Err(
                    "falls between the CR and the LF of a line end; the export may count CRLF as one character"
                        .into(),
                );
            }
            return Ok(byte);
        }
        if units > offset {
            return Err(inside_character(unit));
        }
        units += match unit {
            OffsetUnit::Utf16 => c.len_utf16(),
            OffsetUnit::Utf8 => c.len_utf8(),
            OffsetUnit::CodePoints => 1,
        };
        previous = Some(c);
    }
    match units.cmp(&offset) {
        std::cmp::Ordering::Equal => Ok(text.len()),
        std::cmp::Ordering::Greater => Err(inside_character(unit)),
        std::cmp::Ordering::Less => Err(format!(
            "is past the end of the text ({units} {})",
            match unit {
                OffsetUnit::Utf16 => "UTF-16 units",
                OffsetUnit::Utf8 => "UTF-8 bytes",
                OffsetUnit::CodePoints => "characters",
            }
        )),
    }
}

/// Why an offset inside a character is refused, in the words of its unit.
fn inside_character(unit: OffsetUnit) -> String {
    match unit {
        OffsetUnit::Utf8 => "falls inside a character that takes several UTF-8 bytes".into(),
        _ => "falls inside a character that takes two UTF-16 units".into(),
    }
}

/// Line numbers of byte positions in a text.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    fn line(&self, byte: u64) -> usize {
        self.0.partition_point(|&newline| (newline as u64) < byte) + 1
    }
}

fn local_name(element: &BytesStart) -> String {
    element.local_name().as_ref().to_string()
}

/// The attributes of an element by local name, entity references resolved (predefined ones only).
fn attributes(
    element: &BytesStart,
    at: &dyn Fn(String) -> InputError,
) -> Result<HashMap<String, String>, InputError> {
    let mut map = HashMap::new();
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|e| at(format!("malformed attribute: {e}")))?;
        let name = attribute.key.local_name().as_ref().to_string();
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| {
                at(format!(
                    "attribute '{name}': {e} (only XML's predefined entities are expanded)"
                ))
            })?;
        map.insert(name, value.into_owned());
    }
    Ok(map)
}

/// What the parser is inside of, outermost first.
fn parse_project(file: &Path, xml: &str) -> Result<Project, InputError> {
    let lines = Lines::new(xml);
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut project = Project::default();
    let mut stack: Vec<String> = Vec::new();
    let mut code_stack: Vec<String> = Vec::new();
    let mut case: Option<QdaCase> = None;
    let mut value_ref: Option<String> = None;
    let mut capture: Option<String> = None;
    let mut source: Option<TextSource> = None;
    let mut selection: Option<Selection> = None;
    // The picture, PDF, audio or video source being read, by name.
    let mut media: Option<String> = None;
    loop {
        let position = reader.buffer_position();
        let line = lines.line(position);
        let at = |message: String| InputError::at_line(file, line, message);
        let event = reader.read_event().map_err(|e| {
            InputError::at_line(
                file,
                lines.line(reader.error_position()),
                format!("not well-formed XML: {e}"),
            )
        })?;
        match event {
            Event::Eof => break,
            Event::DocType(doctype) if doctype.contains("ENTITY") => {
                return Err(at(
                    "the document declares its own entities; they are not expanded, so it is refused"
                        .into(),
                ));
            }
            Event::Start(ref element) | Event::Empty(ref element) => {
                let empty = matches!(event, Event::Empty(_));
                let name = local_name(element);
                let parent = stack.last().map(String::as_str).unwrap_or_default();
                let attrs = attributes(element, &at)?;
                let required = |key: &str| -> Result<String, InputError> {
                    attrs
                        .get(key)
                        .cloned()
                        .ok_or_else(|| at(format!("element {name} has no {key} attribute")))
                };
                let in_codebook = stack.iter().any(|s| s == "CodeBook");
                match (name.as_str(), parent) {
                    ("Code", "Codes" | "Code") if in_codebook => {
                        code_stack.push(
                            required("name")?
                                .split_whitespace()
                                .collect::<Vec<_>>()
                                .join(" "),
                        );
                        project.codes.push((required("guid")?, code_stack.clone()));
                        if empty {
                            code_stack.pop();
                        }
                    }
                    ("Variable", "Variables") => {
                        project
                            .variables
                            .insert(required("guid")?, required("name")?);
                    }
                    ("Case", "Cases") => {
                        case = Some(QdaCase {
                            name: attrs.get("name").cloned().unwrap_or(required("guid")?),
                            variables: Vec::new(),
                            line,
                        });
                        if empty {
                            project.cases.extend(case.take());
                        }
                    }
                    ("VariableRef", "VariableValue") if case.is_some() => {
                        value_ref = Some(required("targetGUID")?);
                    }
                    (
                        "TextValue" | "BooleanValue" | "IntegerValue" | "FloatValue" | "DateValue"
                        | "DateTimeValue",
                        "VariableValue",
                    ) if case.is_some() => {
                        capture = Some(String::new());
                        if empty {
                            capture = None;
                        }
                    }
                    (kind, "Sources") if MEDIA_SOURCES.contains(&kind) && !empty => {
                        media = Some(attrs.get("name").cloned().unwrap_or(required("guid")?));
                    }
                    ("CodeRef", "Coding") if media.is_some() => {
                        project.media_codings.extend(media.clone());
                    }
                    ("TextSource", "Sources") => {
                        source = Some(TextSource {
                            name: attrs.get("name").cloned().unwrap_or(required("guid")?),
                            plain_text_path: attrs.get("plainTextPath").cloned(),
                            line,
                            ..TextSource::default()
                        });
                        if empty {
                            project.sources.extend(source.take());
                        }
                    }
                    ("PlainTextContent", "TextSource") if source.is_some() => {
                        capture = Some(String::new());
                        if empty {
                            if let Some(source) = source.as_mut() {
                                source.content = Some(String::new());
                            }
                            capture = None;
                        }
                    }
                    ("PlainTextSelection", "TextSource") if source.is_some() => {
                        selection = Some(Selection {
                            guid: required("guid")?,
                            start: required("startPosition")?,
                            end: required("endPosition")?,
                            codes: Vec::new(),
                            line,
                        });
                        if empty {
                            if let (Some(source), Some(done)) = (source.as_mut(), selection.take())
                            {
                                source.selections.push(done);
                            }
                        }
                    }
                    ("CodeRef", "Coding") => {
                        let target = required("targetGUID")?;
                        let coding_parent = stack
                            .len()
                            .checked_sub(2)
                            .and_then(|i| stack.get(i))
                            .map(String::as_str);
                        match (coding_parent, selection.as_mut(), source.as_mut()) {
                            (Some("PlainTextSelection"), Some(selection), _) => {
                                selection.codes.push(target)
                            }
                            (Some("TextSource"), None, Some(source)) => source.whole.push(target),
                            _ => {}
                        }
                    }
                    _ => {}
                }
                if !empty {
                    stack.push(name);
                }
            }
            Event::End(ref element) => {
                let name = element.local_name().as_ref().to_string();
                stack.pop();
                let parent = stack.last().map(String::as_str).unwrap_or_default();
                match (name.as_str(), parent) {
                    ("Code", _)
                        if !code_stack.is_empty() && stack.iter().any(|s| s == "CodeBook") =>
                    {
                        code_stack.pop();
                    }
                    ("Case", "Cases") => project.cases.extend(case.take()),
                    ("VariableValue", _) => {
                        value_ref = None;
                    }
                    (
                        "TextValue" | "BooleanValue" | "IntegerValue" | "FloatValue" | "DateValue"
                        | "DateTimeValue",
                        "VariableValue",
                    ) => {
                        if let (Some(case), Some(variable), Some(value)) =
                            (case.as_mut(), value_ref.as_ref(), capture.take())
                        {
                            let variable = project
                                .variables
                                .get(variable)
                                .cloned()
                                .ok_or_else(|| {
                                    at(format!(
                                        "VariableRef targets '{variable}', which is not a variable of the project"
                                    ))
                                })?;
                            case.variables.push((variable, value));
                        }
                    }
                    ("PlainTextContent", "TextSource") => {
                        if let Some(source) = source.as_mut() {
                            source.content = capture.take();
                        }
                    }
                    ("PlainTextSelection", "TextSource") => {
                        if let (Some(source), Some(done)) = (source.as_mut(), selection.take()) {
                            source.selections.push(done);
                        }
                    }
                    ("TextSource", "Sources") => project.sources.extend(source.take()),
                    (kind, "Sources") if MEDIA_SOURCES.contains(&kind) => media = None,
                    _ => {}
                }
            }
            Event::Text(text) => {
                if let Some(buffer) = capture.as_mut() {
                    buffer.push_str(&text.xml10_content());
                }
            }
            Event::CData(text) => {
                if let Some(buffer) = capture.as_mut() {
                    buffer.push_str(&text.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => resolve_predefined_entity(&reference)
                        .map(str::to_string)
                        .ok_or_else(|| {
                            at(format!(
                                "entity '&{};' is not one of XML's predefined entities; custom entities are not expanded",
                                &*reference
                            ))
                        })?,
                    Err(e) => return Err(at(format!("bad character reference: {e}"))),
                };
                if let Some(buffer) = capture.as_mut() {
                    buffer.push_str(&resolved);
                }
            }
            _ => {}
        }
    }
    Ok(project)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_utf16_units_and_crlf_as_two() {
        // "a😀b\r\nc": a=0, 😀=1..3 (two UTF-16 units), b=3, CR=4, LF=5, c=6, end=7.
        let text = "a😀b\r\nc";
        let utf16 = OffsetUnit::Utf16;
        assert_eq!(byte_offset(text, 0, utf16), Ok(0));
        assert_eq!(byte_offset(text, 3, utf16), Ok(5));
        assert_eq!(byte_offset(text, 6, utf16), Ok(8));
        assert_eq!(byte_offset(text, 7, utf16), Ok(9));
        assert!(byte_offset(text, 2, utf16)
            .unwrap_err()
            .contains("inside a character"));
        assert!(byte_offset(text, 5, utf16)
            .unwrap_err()
            .contains("between the CR and the LF"));
        assert!(byte_offset(text, 8, utf16)
            .unwrap_err()
            .contains("past the end of the text (7 UTF-16 units)"));
        // In code points the emoji is one: b=2, c=5, end=6.
        assert_eq!(byte_offset(text, 2, OffsetUnit::CodePoints), Ok(5));
        assert_eq!(byte_offset(text, 6, OffsetUnit::CodePoints), Ok(9));
        // In UTF-8 bytes the emoji is four: b=5, CR=6, c=8, end=9; offset 3 falls inside it.
        assert_eq!(byte_offset(text, 5, OffsetUnit::Utf8), Ok(5));
        assert_eq!(byte_offset(text, 9, OffsetUnit::Utf8), Ok(9));
        assert!(byte_offset(text, 3, OffsetUnit::Utf8)
            .unwrap_err()
            .contains("several UTF-8 bytes"));
    }

    #[test]
    fn namespaces_are_ignored_and_custom_entities_refused() {
        let xml = r#"<?xml version="1.0"?>
<q:Project xmlns:q="urn:QDA-XML:project:1.0" name="p">
  <q:CodeBook><q:Codes>
    <q:Code guid="c1" name="A &amp; B" isCodable="false"><q:Code guid="c2" name="x" isCodable="true"/></q:Code>
  </q:Codes></q:CodeBook>
</q:Project>"#;
        let project = parse_project(Path::new("p.qde"), xml).unwrap();
        assert_eq!(
            project.codes,
            vec![
                ("c1".to_string(), vec!["A & B".to_string()]),
                ("c2".to_string(), vec!["A & B".to_string(), "x".to_string()])
            ]
        );
        let bomb = r#"<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<Project name="&b;"/>"#;
        let error = parse_project(Path::new("p.qde"), bomb).unwrap_err();
        assert!(
            error.message.contains("declares its own entities"),
            "{error}"
        );
        let undeclared = r#"<Project name="p"><Sources><TextSource guid="s" name="s"><PlainTextContent>&x;</PlainTextContent></TextSource></Sources></Project>"#;
        let error = parse_project(Path::new("p.qde"), undeclared).unwrap_err();
        assert!(
            error.message.contains("custom entities are not expanded"),
            "{error}"
        );
    }
}
