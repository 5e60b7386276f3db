//! Documents: Markdown with minijinja expressions that place the report's parts, in the author's
//! order. The built-in report is one (`templates/document.md`); a study's own, named by `document:`
//! in study.yaml, is another, read from the study folder. Both go through [`render`], which checks every
//! name against what the study has and gives the document's segments in order; `report::cells`
//! builds them into the numbered report.
//!
//! A document can call `front()`, `cell("<id>")`, `table("<id>")`, `figure("<id>")`,
//! `value("<name>")` and `available("<cell id>")`, and read `title`, `citation`, `study_id` and
//! `lang`. It reads nothing else: `include` and `import` read files inside the study folder only, and
//! there is no environment, clock or network. An unknown name, a cell the study does not have, a part
//! placed twice and a syntax error are input errors naming the document's file, line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, ErrorKind, UndefinedBehavior};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::cells::Kind;
use crate::domain::IncludedText;
use crate::error::InputError;
use crate::nearest::nearest;

/// The built-in report as a document: the front page, then every cell the study has.
pub(crate) const BUILTIN_DOCUMENT: &str = include_str!("../../templates/document.md");

/// Where the built-in document lives in the repository, for errors and the manifest.
pub(crate) const BUILTIN_DOCUMENT_PATH: &str = "templates/document.md";

/// Brackets around the index of a placed part in the rendered text: Unicode noncharacters, which no
/// document may contain.
const MARK_OPEN: char = '\u{FDD0}';
const MARK_CLOSE: char = '\u{FDD1}';

/// One part of a rendered document, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// The author's Markdown between placed parts.
    Text(String),
    Front,
    Cell(String),
    Table(String),
    Figure(String),
}

/// What a document may name, for one study.
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    /// Every registered cell, in the built-in order.
    pub(crate) cells: Vec<CellNames>,
    /// Every value by name, in the reader's language; `None` when the study has no such value.
    pub(crate) values: Vec<(&'static str, Option<String>)>,
}

/// A cell, why the study does not have it (`None` when it does), and its tables and figures.
#[derive(Debug, Clone)]
pub(crate) struct CellNames {
    pub(crate) id: &'static str,
    pub(crate) missing: Option<&'static str>,
    pub(crate) tables: Vec<String>,
    pub(crate) figures: Vec<String>,
}

/// The study's metadata a document can read, ready for Markdown.
#[derive(Debug, Clone, Default)]
pub(crate) struct Metadata {
    /// The study's title, escaped for Markdown.
    pub(crate) title: String,
    /// The formatted citation (trusted Markdown), empty when the study gives none.
    pub(crate) citation: String,
    pub(crate) study_id: String,
    pub(crate) lang: &'static str,
}

/// A document to render: its text, the file errors name, the folder its includes are named in, and
/// what it may include as `ingest` read it (`None`: no includes, as for the built-in document).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Source<'a> {
    pub(crate) text: &'a str,
    pub(crate) file: &'a Path,
    pub(crate) folder: Option<&'a Path>,
    pub(crate) includes: Option<&'a BTreeMap<String, IncludedText>>,
}

impl Source<'_> {
    /// The template name minijinja knows the document by: its file name, whose `.md` extension
    /// means no HTML escaping (the output is Markdown).
    fn name(&self) -> String {
        self.file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document.md".into())
    }
}

/// What the document's functions share while it renders: the names, and the parts placed so far.
struct Recorder {
    names: Names,
    placed: Vec<Segment>,
    /// `kind:id` of every cell, table and figure placed (with the tables and figures of placed cells),
    /// with how it was placed.
    taken: BTreeMap<String, String>,
    /// The files included so far, in the order first read.
    included: Vec<IncludedFile>,
}

impl Recorder {
    fn ids(&self, kind: Kind) -> Vec<&str> {
        match kind {
            Kind::Cell => self.names.cells.iter().map(|c| c.id).collect(),
            Kind::Table => self
                .names
                .cells
                .iter()
                .flat_map(|c| c.tables.iter().map(String::as_str))
                .collect(),
            Kind::Figure => self
                .names
                .cells
                .iter()
                .flat_map(|c| c.figures.iter().map(String::as_str))
                .collect(),
            Kind::Value => self.names.values.iter().map(|(n, _)| *n).collect(),
        }
    }

    /// The error for a name of `kind` the study does not have: the nearest names of that kind, and the
    /// kind it is when it names something else.
    fn unknown(&self, kind: Kind, id: &str) -> minijinja::Error {
        let ids = self.ids(kind);
        let mut message = format!("no {} '{id}'", kind.name());
        let other = [Kind::Cell, Kind::Table, Kind::Figure, Kind::Value]
            .into_iter()
            .find(|k| *k != kind && self.ids(*k).contains(&id));
        if let Some(other) = other {
            message.push_str(&format!(
                "; '{id}' is a {0}: write {0}(\"{id}\")",
                other.name()
            ));
        } else {
            let near = nearest(id, &ids, 3);
            if !near.is_empty() {
                message.push_str(&format!("; nearest: {}", near.join(", ")));
            }
        }
        message.push_str(&format!(
            " (`delphi-report cells` lists every {} of the study)",
            kind.name()
        ));
        invalid(message)
    }

    /// Records `segment`, which takes `keys` (`kind:id`, the part itself first, then the parts it
    /// holds, each with how it is placed: "", " in cell 'x'", " on its own"); an error if one is taken
    /// already.
    fn place(
        &mut self,
        segment: Segment,
        keys: Vec<(String, String)>,
    ) -> Result<String, minijinja::Error> {
        for (index, (key, _)) in keys.iter().enumerate() {
            let Some(placed) = self.taken.get(key) else {
                continue;
            };
            let (kind, id) = key.split_once(':').unwrap_or(("part", key));
            let message = if index == 0 {
                format!("the {kind} '{id}' is already in the document{placed}")
            } else {
                let (_, holder) = keys[0].0.split_once(':').unwrap_or(("", &keys[0].0));
                format!(
                    "cell '{holder}' holds the {kind} '{id}', which is already in the document{placed}"
                )
            };
            return Err(invalid(format!("{message}; a part appears once")));
        }
        self.taken.extend(keys);
        self.placed.push(segment);
        Ok(format!("{MARK_OPEN}{}{MARK_CLOSE}", self.placed.len() - 1))
    }

    fn cell(&self, id: &str) -> Result<&CellNames, minijinja::Error> {
        self.names
            .cells
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| self.unknown(Kind::Cell, id))
    }

    /// The cell holding table (or figure) `id`.
    fn owner(&self, kind: Kind, id: &str) -> Result<&CellNames, minijinja::Error> {
        self.names
            .cells
            .iter()
            .filter(|c| c.missing.is_none())
            .find(|c| match kind {
                Kind::Table => c.tables.iter().any(|t| t == id),
                _ => c.figures.iter().any(|f| f == id),
            })
            .ok_or_else(|| self.unknown(kind, id))
    }
}

/// The recorder, for one function call.
fn lock(
    recorder: &Mutex<Recorder>,
) -> Result<std::sync::MutexGuard<'_, Recorder>, minijinja::Error> {
    recorder
        .lock()
        .map_err(|_| invalid("the document's state is unavailable".into()))
}

fn invalid(message: String) -> minijinja::Error {
    minijinja::Error::new(ErrorKind::InvalidOperation, message)
}

/// The keys a cell takes: its own, then its tables' and figures' (placed in it).
fn cell_keys(cell: &CellNames) -> Vec<(String, String)> {
    let inside = format!(" in cell '{}'", cell.id);
    let mut keys = vec![(format!("cell:{}", cell.id), String::new())];
    keys.extend(
        cell.tables
            .iter()
            .map(|t| (format!("table:{t}"), inside.clone())),
    );
    keys.extend(
        cell.figures
            .iter()
            .map(|f| (format!("figure:{f}"), inside.clone())),
    );
    keys
}

/// Renders a document: its segments in order, every name checked against `names`.
pub(crate) fn render(
    source: &Source,
    names: &Names,
    metadata: &Metadata,
) -> Result<Rendered, InputError> {
    if let Some((line, column)) = position_of(source.text, |c| c == MARK_OPEN || c == MARK_CLOSE) {
        return Err(located(
            source.file,
            line,
            column,
            "the character U+FDD0 or U+FDD1 is reserved; remove it",
        ));
    }
    let recorder = Arc::new(Mutex::new(Recorder {
        names: names.clone(),
        placed: Vec::new(),
        taken: BTreeMap::new(),
        included: Vec::new(),
    }));
    let env = environment(source, &recorder)?;
    let name = source.name();
    let rendered = env
        .get_template(&name)
        .and_then(|template| {
            template.render(minijinja::context! {
                title => &metadata.title,
                citation => &metadata.citation,
                study_id => &metadata.study_id,
                lang => metadata.lang,
            })
        })
        .map_err(|error| input_error(&error, source))?;
    let recorder = recorder
        .lock()
        .map_err(|_| InputError::file(source.file, "rendering the document failed"))?;
    Ok(Rendered {
        segments: split(&rendered, &recorder.placed, source.file)?,
        included: recorder.included.clone(),
    })
}

/// A rendered document: its segments in order, and the files it included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rendered {
    pub(crate) segments: Vec<Segment>,
    pub(crate) included: Vec<IncludedFile>,
}

/// A file a document included, by its path in the study folder, with its SHA-256: the manifest
/// records it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub(crate) struct IncludedFile {
    pub(crate) path: String,
    pub(crate) sha256: String,
}

/// The environment a document renders in: strict, its functions, includes from the study folder only.
fn environment(
    source: &Source,
    recorder: &Arc<Mutex<Recorder>>,
) -> Result<Environment<'static>, InputError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let syntax = SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .map_err(|e| InputError::file(source.file, e.to_string()))?;
    env.set_syntax(syntax);
    let includes = source.includes.cloned();
    {
        let recorder = Arc::clone(recorder);
        env.set_loader(move |name| {
            let text = load_include(includes.as_ref(), name)?;
            if let Some(text) = &text {
                let file = IncludedFile {
                    path: name.to_string(),
                    sha256: crate::digest::sha256_hex(text.as_bytes()),
                };
                let mut recorder = lock(&recorder)?;
                if !recorder.included.contains(&file) {
                    recorder.included.push(file);
                }
            }
            Ok(text)
        });
    }
    {
        let recorder = Arc::clone(recorder);
        env.add_function("front", move || -> Result<String, minijinja::Error> {
            let mut recorder = lock(&recorder)?;
            recorder.place(
                Segment::Front,
                vec![("front page:front".into(), String::new())],
            )
        });
    }
    {
        let recorder = Arc::clone(recorder);
        env.add_function(
            "cell",
            move |id: String| -> Result<String, minijinja::Error> {
                let mut recorder = lock(&recorder)?;
                let cell = recorder.cell(&id)?.clone();
                if let Some(reason) = cell.missing {
                    return Err(invalid(format!(
                        "the study has no cell '{id}': {reason} (write {{% if available(\"{id}\") %}}...{{% endif %}} around it to place it only when the study has it)"
                    )));
                }
                recorder.place(Segment::Cell(id), cell_keys(&cell))
            },
        );
    }
    for kind in [Kind::Table, Kind::Figure] {
        let recorder = Arc::clone(recorder);
        env.add_function(
            kind.name(),
            move |id: String| -> Result<String, minijinja::Error> {
                let mut recorder = lock(&recorder)?;
                recorder.owner(kind, &id)?;
                let segment = match kind {
                    Kind::Table => Segment::Table(id.clone()),
                    _ => Segment::Figure(id.clone()),
                };
                let key = format!("{}:{id}", kind.name());
                recorder.place(segment, vec![(key, " on its own".into())])
            },
        );
    }
    {
        let recorder = Arc::clone(recorder);
        env.add_function(
            "value",
            move |name: String| -> Result<String, minijinja::Error> {
                let recorder = lock(&recorder)?;
                match recorder.names.values.iter().find(|(n, _)| *n == name) {
                    Some((_, Some(value))) => Ok(value.clone()),
                    Some((_, None)) => Err(invalid(format!(
                        "the study has no value '{name}' (it depends on data the study does not have)"
                    ))),
                    None => Err(recorder.unknown(Kind::Value, &name)),
                }
            },
        );
    }
    {
        let recorder = Arc::clone(recorder);
        env.add_function(
            "available",
            move |id: String| -> Result<bool, minijinja::Error> {
                let recorder = lock(&recorder)?;
                Ok(recorder.cell(&id)?.missing.is_none())
            },
        );
    }
    env.add_template_owned(source.name(), source.text.to_string())
        .map_err(|error| input_error(&error, source))?;
    Ok(env)
}

/// A file a document includes, as `ingest` read it before the build (`ingest::document` holds the
/// rules: a plain relative path to a UTF-8 file inside the study folder, no larger than
/// `MAX_INCLUDE_BYTES`). A name `ingest` did not see, one built while rendering, is refused: it
/// would be read without being listed among the report's inputs.
fn load_include(
    includes: Option<&BTreeMap<String, IncludedText>>,
    name: &str,
) -> Result<Option<String>, minijinja::Error> {
    let Some(includes) = includes else {
        return Err(invalid(format!(
            "cannot include '{name}': this document has no study folder to include from"
        )));
    };
    match includes.get(name) {
        Some(IncludedText::Text(text)) => Ok(Some(text.clone())),
        Some(IncludedText::Missing) => Ok(None),
        Some(IncludedText::Refused(why)) => Err(invalid(why.clone())),
        None => Err(invalid(format!(
            "cannot include '{name}': name an included file by a quoted path ({{% include \"part.md\" %}}), so that it is read before the build and listed among the report's inputs"
        ))),
    }
}

/// The author's Markdown between placed parts, ready to join the report: without blank lines at its
/// ends, ending with one newline, its raw HTML shown as text unless `allow_html` (an `&lt;` for each
/// `<` of a tag); and the text of its level-2 headings, which open sections of the page.
pub(crate) fn author_text(text: &str, allow_html: bool) -> (String, Vec<String>) {
    let start = text
        .char_indices()
        .take_while(|(_, c)| c.is_whitespace())
        .filter(|(_, c)| *c == '\n')
        .last()
        .map_or(0, |(at, _)| at + 1);
    let mut markdown = text[start..].trim_end().to_string();
    markdown.push('\n');
    if !allow_html {
        let html: Vec<std::ops::Range<usize>> = Parser::new_ext(&markdown, Options::ENABLE_TABLES)
            .into_offset_iter()
            .filter(|(event, _)| matches!(event, Event::Html(_) | Event::InlineHtml(_)))
            .map(|(_, range)| range)
            .collect();
        for range in html.into_iter().rev() {
            let escaped = markdown[range.clone()].replace('<', "&lt;");
            markdown.replace_range(range, &escaped);
        }
    }
    let mut headings = Vec::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(&markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => headings.extend(heading.take()),
            Event::Text(text) | Event::Code(text) => {
                if let Some(heading) = &mut heading {
                    heading.push_str(&text);
                }
            }
            _ => {}
        }
    }
    (markdown, headings)
}

/// The id of the page section a heading of the author's opens: its words in lower case joined by `-`
/// (letters and digits of any script), unique among `taken`, which it joins.
pub(crate) fn section_id(heading: &str, taken: &mut BTreeSet<String>) -> String {
    let mut id = String::new();
    for c in heading.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            id.push(c);
        } else if (c.is_whitespace() || c == '-') && !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let mut base = match id.trim_end_matches('-') {
        "" => "section".to_string(),
        trimmed => trimmed.to_string(),
    };
    // The page's own anchors start so: an author's heading never takes one.
    if ["table-", "figure-", "input-"]
        .iter()
        .any(|p| base.starts_with(p))
    {
        base = format!("section-{base}");
    }
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// The rendered text cut at the marks of the placed parts.
fn split(rendered: &str, placed: &[Segment], file: &Path) -> Result<Vec<Segment>, InputError> {
    let mut segments = Vec::new();
    let mut seen = BTreeSet::new();
    let mut rest = rendered;
    while let Some(open) = rest.find(MARK_OPEN) {
        segments.push(Segment::Text(rest[..open].to_string()));
        let after = &rest[open + MARK_OPEN.len_utf8()..];
        let close = after.find(MARK_CLOSE);
        let index = close.and_then(|close| after[..close].parse::<usize>().ok());
        let (Some(close), Some(segment)) = (close, index.and_then(|i| placed.get(i))) else {
            return Err(InputError::file(
                file,
                "a placed part was changed by a filter; write {{ cell(\"<id>\") }} (and table, figure, front) on its own",
            ));
        };
        if !seen.insert(index) {
            return Err(InputError::file(
                file,
                format!("{segment:?} is written twice; a part can appear once"),
            ));
        }
        segments.push(segment.clone());
        rest = &after[close + MARK_CLOSE.len_utf8()..];
    }
    if rest.contains(MARK_CLOSE) {
        return Err(InputError::file(
            file,
            "a placed part was changed by a filter",
        ));
    }
    segments.push(Segment::Text(rest.to_string()));
    segments.retain(|s| !matches!(s, Segment::Text(text) if text.trim().is_empty()));
    Ok(segments)
}

/// The line and column (from 1, in characters) of the first character of `text` that `wanted` matches.
fn position_of(text: &str, wanted: impl Fn(char) -> bool) -> Option<(usize, usize)> {
    let offset = text.find(wanted)?;
    Some(line_and_column(text, offset))
}

/// The line and column (from 1, in characters) of byte `offset` of `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |start| start.chars().count())
        + 1;
    (line, column)
}

fn located(file: &Path, line: usize, column: usize, message: impl Into<String>) -> InputError {
    InputError {
        line: Some(line),
        field: Some(crate::error::Field::Position(column)),
        ..InputError::file(file, message)
    }
}

/// A minijinja error as an input error naming the document (or the file it includes), the line and
/// the column.
fn input_error(error: &minijinja::Error, source: &Source) -> InputError {
    let main = source.name();
    let file: PathBuf = match (error.name(), source.folder) {
        (Some(name), Some(folder)) if name != main => folder.join(name),
        _ => source.file.to_path_buf(),
    };
    let detail = error.detail().unwrap_or_default().to_string();
    let message = match error.kind() {
        ErrorKind::SyntaxError => format!("syntax error: {detail}"),
        ErrorKind::UndefinedError => format!(
            "undefined name{}; a document knows front(), cell(), table(), figure(), value(), available(), title, citation, study_id and lang",
            if detail.is_empty() { String::new() } else { format!(" ({detail})") }
        ),
        ErrorKind::TemplateNotFound => format!("{detail} (not found in the study folder)"),
        ErrorKind::UnknownFunction => format!(
            "{detail}; a document can call front(), cell(), table(), figure(), value() and available()"
        ),
        _ if detail.is_empty() => error.kind().to_string(),
        _ => detail,
    };
    let position = match (error.range(), error.template_source()) {
        (Some(range), Some(text)) => Some(line_and_column(text, range.start)),
        _ => error.line().map(|line| (line, 0)),
    };
    match position {
        Some((line, 0)) => InputError::at_line(&file, line, message),
        Some((line, column)) => located(&file, line, column, message),
        None => InputError::file(&file, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three cells: `summary` (table `components-summary`, figure `crisp`), `screening` (table
    /// `screening`) and `rounds`, which the study lacks; two values, one of which it lacks.
    fn names() -> Names {
        let cell = |id, missing, tables: &[&str], figures: &[&str]| CellNames {
            id,
            missing,
            tables: tables.iter().map(|t| t.to_string()).collect(),
            figures: figures.iter().map(|f| f.to_string()).collect(),
        };
        Names {
            cells: vec![
                cell("summary", None, &["components-summary"], &["crisp"]),
                cell("screening", None, &["screening"], &[]),
                cell(
                    "rounds",
                    Some("the study has one round of ratings"),
                    &[],
                    &[],
                ),
            ],
            values: vec![
                ("accepted-count", Some("47".into())),
                ("stable-count", None),
            ],
        }
    }

    fn metadata() -> Metadata {
        Metadata {
            title: "A \\*study\\*".into(),
            citation: String::new(),
            study_id: "demo".into(),
            lang: "en",
        }
    }

    fn render_text(text: &str) -> Result<Vec<Segment>, InputError> {
        let source = Source {
            text,
            file: Path::new("study/report.en.md"),
            folder: None,
            includes: None,
        };
        render(&source, &names(), &metadata()).map(|rendered| rendered.segments)
    }

    fn error(text: &str) -> String {
        render_text(text).unwrap_err().to_string()
    }

    #[test]
    fn a_document_is_the_authors_text_and_the_parts_it_places_in_order() {
        let segments = render_text(
            "# {{ title }}\n\n{{ value(\"accepted-count\") }} accepted.\n\n{{ cell(\"screening\") }}\n\
             {{ figure(\"crisp\") }}\n{% if available(\"rounds\") %}{{ cell(\"rounds\") }}{% endif %}\
             Study {{ study_id }} in {{ lang }}.\n{{ front() }}\n",
        )
        .unwrap();
        assert_eq!(
            segments,
            [
                Segment::Text("# A \\*study\\*\n\n47 accepted.\n\n".into()),
                Segment::Cell("screening".into()),
                Segment::Figure("crisp".into()),
                Segment::Text("\nStudy demo in en.\n".into()),
                Segment::Front,
            ]
        );
    }

    #[test]
    fn an_unknown_name_is_an_error_at_its_line_and_column_with_the_nearest_names() {
        assert_eq!(
            error("Intro.\n\nSee {{ cell(\"sumary\") }}.\n"),
            "study/report.en.md: line 3, column 8: no cell 'sumary'; nearest: summary, rounds, screening \
             (`delphi-report cells` lists every cell of the study)"
        );
        assert_eq!(
            error("{{ table(\"crisp\") }}"),
            "study/report.en.md: line 1, column 4: no table 'crisp'; 'crisp' is a figure: write figure(\"crisp\") \
             (`delphi-report cells` lists every table of the study)"
        );
        assert!(
            error("{{ value(\"accepted\") }}")
                .contains("no value 'accepted'; nearest: accepted-count"),
            "{}",
            error("{{ value(\"accepted\") }}")
        );
    }

    #[test]
    fn what_the_study_lacks_is_an_error_that_says_why() {
        assert_eq!(
            error("x\n{{ cell(\"rounds\") }}"),
            "study/report.en.md: line 2, column 4: the study has no cell 'rounds': the study has one round of ratings \
             (write {% if available(\"rounds\") %}...{% endif %} around it to place it only when the study has it)"
        );
        assert!(error("{{ value(\"stable-count\") }}")
            .contains("the study has no value 'stable-count'"));
    }

    #[test]
    fn a_part_appears_once() {
        assert!(
            error("{{ cell(\"summary\") }}\n{{ cell(\"summary\") }}")
                == "study/report.en.md: line 2, column 4: the cell 'summary' is already in the document; a part appears once",
            "{}",
            error("{{ cell(\"summary\") }}\n{{ cell(\"summary\") }}")
        );
        // A table of a placed cell cannot also stand alone, in either order.
        assert!(error("{{ cell(\"summary\") }}\n{{ table(\"components-summary\") }}")
            .contains("line 2, column 4: the table 'components-summary' is already in the document in cell 'summary'"));
        assert_eq!(
            error("{{ figure(\"crisp\") }}\n{{ cell(\"summary\") }}"),
            "study/report.en.md: line 2, column 4: cell 'summary' holds the figure 'crisp', which is already \
             in the document on its own; a part appears once"
        );
        assert!(error("{{ front() }}{{ front() }}").contains("already in the document"));
    }

    #[test]
    fn syntax_errors_and_undefined_names_are_located() {
        let syntax = error("# Results\n\n{{ cell(\"summary\") }\n");
        assert!(
            syntax.starts_with("study/report.en.md: line 3, column ")
                && syntax.contains("syntax error"),
            "{syntax}"
        );
        let undefined = error("Title: {{ titel }}\n");
        assert!(
            undefined.starts_with(
                "study/report.en.md: line 1, column 11: undefined name (`titel` is undefined)"
            ),
            "{undefined}"
        );
        let unknown_function = error("{{ include_file(\"x\") }}\n");
        assert!(unknown_function.contains("line 1"), "{unknown_function}");
    }

    #[test]
    fn includes_read_only_inside_the_study_folder() {
        let folder = tempfile::tempdir().unwrap();
        let study = folder.path().join("study");
        std::fs::create_dir(&study).unwrap();
        std::fs::write(
            study.join("part.md"),
            "Included {{ value(\"accepted-count\") }}.\n",
        )
        .unwrap();
        std::fs::write(folder.path().join("secret.md"), "secret\n").unwrap();
        let file = study.join("report.en.md");
        // What a build hands the renderer: the includes ingest read for this text.
        let render_in = |text: &str| {
            let (mut includes, mut order) = (BTreeMap::new(), Vec::new());
            crate::ingest::document::included_texts(&study, text, &mut includes, &mut order);
            let source = Source {
                text,
                file: &file,
                folder: Some(&study),
                includes: Some(&includes),
            };
            render(&source, &names(), &metadata())
        };
        let rendered = render_in("{% include \"part.md\" %}").unwrap();
        assert_eq!(rendered.segments, [Segment::Text("Included 47.\n".into())]);
        assert_eq!(
            rendered.included,
            [IncludedFile {
                path: "part.md".into(),
                sha256: crate::digest::sha256_hex(b"Included {{ value(\"accepted-count\") }}.\n"),
            }]
        );
        for outside in ["../secret.md", "/etc/passwd", "./part.md"] {
            let error = render_in(&format!("Text.\n{{% include \"{outside}\" %}}\n")).unwrap_err();
            assert_eq!(error.file, file);
            assert_eq!(error.line, Some(2), "{error}");
            assert!(
                error.message.contains("inside the study folder only"),
                "{error}"
            );
        }
        let missing = render_in("{% include \"nothing.md\" %}").unwrap_err();
        assert!(missing.to_string().contains("line 1"), "{missing}");
        // A link that leaves the folder is outside too.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(folder.path().join("secret.md"), study.join("link.md"))
                .unwrap();
            let error = render_in("{% include \"link.md\" %}").unwrap_err();
            assert!(
                error.message.contains("inside the study folder only"),
                "{error}"
            );
        }
        // A name built while rendering was never read before the build: refused, so that nothing
        // is read that the inputs do not list.
        let built = render_in("{% set n = \"part\" ~ \".md\" %}{% include n %}").unwrap_err();
        assert!(
            built
                .message
                .contains("name an included file by a quoted path"),
            "{built}"
        );
        // The built-in document has no folder to include from.
        assert!(error("{% include \"part.md\" %}").contains("no study folder"));
    }

    #[test]
    fn reserved_characters_and_mangled_parts_are_errors() {
        assert_eq!(
            error("ok\nbad \u{FDD0} here"),
            "study/report.en.md: line 2, column 5: the character U+FDD0 or U+FDD1 is reserved; remove it"
        );
        // A part cut by the author's expression can no longer be placed.
        assert_eq!(
            error("{{ cell(\"summary\")[1:] }}"),
            "study/report.en.md: a placed part was changed by a filter"
        );
    }

    #[test]
    fn the_authors_html_is_text_unless_allowed() {
        let (text, headings) = author_text(
            "\n\n## Results <b>now</b>\n\n<div>raw</div>\n\nPlain.\n\n\n",
            false,
        );
        assert_eq!(
            text,
            "## Results &lt;b>now&lt;/b>\n\n&lt;div>raw&lt;/div>\n\nPlain.\n"
        );
        assert_eq!(headings, ["Results <b>now</b>"]);
        let (text, _) = author_text("<div>raw</div>\n", true);
        assert_eq!(text, "<div>raw</div>\n");
        // Indentation of the first line is the author's: an indented code block stays one.
        assert_eq!(author_text("\n    code\n", false).0, "    code\n");
    }

    #[test]
    fn section_ids_are_words_unique_and_never_the_pages_own() {
        let mut taken = BTreeSet::from(["summary".to_string()]);
        assert_eq!(
            section_id("Results, in brief", &mut taken),
            "results-in-brief"
        );
        assert_eq!(
            section_id("Results: in brief!", &mut taken),
            "results-in-brief-2"
        );
        assert_eq!(section_id("Summary", &mut taken), "summary-2");
        assert_eq!(section_id("یافته‌ها", &mut taken), "یافتهها");
        assert_eq!(section_id("Table 7", &mut taken), "section-table-7");
        assert_eq!(section_id("!!!", &mut taken), "section");
    }
}
