//! Rendering: the report model through minijinja templates into Markdown and a self-contained HTML page,
//! and the same templates' parts for the notebook cells.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value};
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::domain::{language, Lang, PageTemplate};
use crate::error::InputError;
use crate::report::markup;
use crate::report::model::{Block, Cell, Figure, Labels, ReportDocument, Table, TableAnchor};

const REPORT_MD: &str = include_str!("../../templates/report.md.j2");
const PARTS_MD: &str = include_str!("../../templates/parts.md.j2");
const REPORT_HTML: &str = include_str!("../../templates/report.html.j2");
const PARTS_HTML: &str = include_str!("../../templates/parts.html.j2");
const PAGE_CSS: &str = include_str!("../../templates/page.css");

/// Every page template by name, as built in: a study's `templates/` folder may hold a file of the
/// same name to replace one (the README says what each receives).
pub(crate) const TEMPLATES: [(&str, &str); 5] = [
    ("page.css", PAGE_CSS),
    ("parts.html.j2", PARTS_HTML),
    ("parts.md.j2", PARTS_MD),
    ("report.html.j2", REPORT_HTML),
    ("report.md.j2", REPORT_MD),
];

/// A page style sheet (the built-in `templates/page.css` or the study's own) with the font stack of
/// `lang` in place of `{fonts}`; the built-in one's first line, the comment that says so, is left out.
fn page_css(css: &str, lang: crate::domain::Lang) -> String {
    let rules = match css.split_once('\n') {
        Some((first, rules)) if first.starts_with("/*") && first.contains("{fonts}") => rules,
        _ => css,
    };
    rules.replace("{fonts}", &lang.language().css_fonts)
}

/// A template a render used: its path (`templates/<name>`, in the repository or, `from_study`, in the
/// study folder) and its text, for the manifest.
#[derive(Debug, Clone)]
pub(crate) struct UsedTemplate {
    pub(crate) path: String,
    pub(crate) text: String,
    pub(crate) from_study: bool,
}

/// Escapes text so that Markdown shows it literally: no emphasis, links, raw HTML or table breaks.
pub(crate) fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~' | '$' | '#' | '!'
            | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            other => out.push(other),
        }
    }
    out
}

/// One Markdown table row with every cell escaped.
pub(crate) fn markdown_row(cells: &[String]) -> String {
    let escaped: Vec<String> = cells.iter().map(|c| escape_markdown(c)).collect();
    format!("| {} |", escaped.join(" | "))
}

/// The delimiter row under a Markdown table header of `columns` columns.
pub(crate) fn markdown_rule(columns: usize) -> String {
    format!("|{}", "---|".repeat(columns))
}

/// Keeps at most one blank line between blocks and ends the text with one newline, so templates can
/// close every block with a blank line without caring what follows. Lines are right-trimmed.
pub(crate) fn collapse_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = true; // no blank lines at the start
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            if !blank_run {
                out.push('\n');
            }
            blank_run = true;
        } else {
            out.push_str(line);
            out.push('\n');
            blank_run = false;
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The fragments the notebook renders: one macro of `parts.<md|html>.j2` each, compiled once with the
/// templates. The name's extension picks Markdown or HTML escaping.
const FRAGMENTS: [(&str, &str); 8] = [
    (
        "fragment-cell.md.j2",
        r#"{% import "parts.md.j2" as p %}{{ p.intro(cell, labels) }}
{{ p.output(cell, labels) }}"#,
    ),
    (
        "fragment-head.md.j2",
        r#"{% import "parts.md.j2" as p %}{{ p.head(title, preamble, front, others, file_key, separator) }}"#,
    ),
    (
        "fragment-intro.md.j2",
        r#"{% import "parts.md.j2" as p %}{{ p.intro(cell, labels) }}"#,
    ),
    (
        "fragment-table.md.j2",
        r#"{% import "parts.md.j2" as p %}{{ p.table(t) }}"#,
    ),
    (
        "fragment-table.html.j2",
        r#"{% import "parts.html.j2" as p %}{{ p.table(t) }}"#,
    ),
    (
        "fragment-figure.md.j2",
        r#"{% import "parts.md.j2" as p %}{{ p.figure(f) }}"#,
    ),
    (
        "fragment-figure.html.j2",
        r#"{% import "parts.html.j2" as p %}{{ p.figure(f, media) }}"#,
    ),
    (
        "fragment-notes.html.j2",
        r#"{% import "parts.html.j2" as p %}{{ p.notes(cell) }}"#,
    ),
];

/// The template engine with the page templates (the built-in ones, or the study's own of the same
/// names); undefined variables are errors.
pub(crate) struct Renderer {
    env: Environment<'static>,
    /// The page's style sheet.
    css: String,
    /// Every page template, by name, as this renderer uses it.
    templates: Vec<UsedTemplate>,
    /// Where the study's own templates are, for errors in them.
    study_folder: PathBuf,
}

impl Renderer {
    /// The renderer of the built-in templates, each replaced by the study's own of the same name
    /// (`templates/` in `study_folder`). A file there that is no page template's name, or that does
    /// not parse, is an input error naming it.
    pub(crate) fn with_page_templates(
        study: &[PageTemplate],
        study_folder: &Path,
    ) -> Result<Renderer> {
        let names: Vec<&str> = TEMPLATES.iter().map(|(name, _)| *name).collect();
        if let Some(stray) = study.iter().find(|t| !names.contains(&t.name.as_str())) {
            return Err(InputError::file(
                &study_folder.join(&stray.path),
                format!(
                    "not a page template's name; a study's templates/ may hold {} (each replaces the built-in one)",
                    names.join(", ")
                ),
            )
            .into());
        }
        let templates: Vec<UsedTemplate> = TEMPLATES
            .iter()
            .map(
                |(name, text)| match study.iter().find(|t| t.name == *name) {
                    Some(own) => UsedTemplate {
                        path: own.path.clone(),
                        text: own.text.clone(),
                        from_study: true,
                    },
                    None => UsedTemplate {
                        path: format!("templates/{name}"),
                        text: text.to_string(),
                        from_study: false,
                    },
                },
            )
            .collect();
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_syntax(
            SyntaxConfig::builder()
                .keep_trailing_newline(true)
                .trim_blocks(true)
                .lstrip_blocks(true)
                .build()
                .context("template syntax")?,
        );
        env.add_filter("md", |value: String| escape_markdown(&value));
        env.add_filter("md_row", |cells: Vec<String>| markdown_row(&cells));
        env.add_filter("md_rule", |cells: Vec<String>| markdown_rule(cells.len()));
        env.add_filter("md_html", |markdown: String| {
            Value::from_safe_string(markdown_to_html(&markdown))
        });
        env.add_filter("td", |text: String| {
            Value::from_safe_string(table_cell_html(&text))
        });
        let mut renderer = Renderer {
            env,
            css: String::new(),
            templates,
            study_folder: study_folder.to_path_buf(),
        };
        for (name, template) in TEMPLATES
            .iter()
            .map(|(name, _)| *name)
            .zip(renderer.templates.clone())
        {
            if name == "page.css" {
                renderer.css = template.text;
                continue;
            }
            if let Err(error) = renderer.env.add_template_owned(name, template.text) {
                return Err(renderer.failed(error, name));
            }
        }
        for (name, source) in FRAGMENTS {
            renderer
                .env
                .add_template(name, source)
                .map_err(|error| renderer.failed(error, name))?;
        }
        Ok(renderer)
    }

    /// Every page template this renderer uses, for the manifest.
    pub(crate) fn templates(&self) -> &[UsedTemplate] {
        &self.templates
    }

    /// A failed render of `what`: an input error naming the study's own template, file and line, when
    /// the error is in one; else an internal error (a built-in template is the tool's).
    fn failed(&self, error: minijinja::Error, what: &str) -> anyhow::Error {
        let own_template = |name: &str| {
            self.templates
                .iter()
                .find(|t| t.from_study && t.path.rsplit('/').next() == Some(name))
        };
        // The tool's fragments call the macros of parts.<md|html>.j2: a study's parts file without one
        // fails there, and is the file to name.
        let parts_of_fragment = |name: &str| {
            name.strip_prefix("fragment-").and_then(|_| {
                own_template(if name.ends_with(".md.j2") {
                    "parts.md.j2"
                } else {
                    "parts.html.j2"
                })
            })
        };
        if let Some(parts) = error.name().and_then(parts_of_fragment) {
            return InputError::file(
                &self.study_folder.join(&parts.path),
                format!(
                    "{} ({}); the report calls its macros as the built-in file defines them",
                    error.detail().unwrap_or_default(),
                    error.kind()
                ),
            )
            .into();
        }
        let own = error.name().and_then(own_template);
        match own {
            Some(template) => {
                let file = self.study_folder.join(&template.path);
                let message = format!("{} ({})", error.detail().unwrap_or_default(), error.kind());
                let located = match error.line() {
                    Some(line) => InputError::at_line(&file, line, message),
                    None => InputError::file(&file, message),
                };
                located.into()
            }
            None => anyhow::Error::new(error).context(format!("rendering {what}")),
        }
    }

    /// The report as Markdown: each block of the document in order (the author's text as written, the
    /// placed parts through `templates/parts.md.j2`), one blank line apart, inside
    /// `templates/report.md.j2`.
    pub(crate) fn markdown(&self, document: &ReportDocument) -> Result<Markdown> {
        let mut body = String::new();
        let mut blocks = Vec::with_capacity(document.blocks.len());
        for block in &document.blocks {
            let part = match block {
                Block::Text { markdown, .. } => markdown.clone(),
                Block::Front => self.head_markdown(document, "markdown_file")?,
                Block::Cell(cell) => self.cell_markdown(cell, &document.labels)?,
                Block::Table(table) => self.table_markdown(table)?,
                Block::Figure(figure) => self.figure_markdown(figure)?,
            };
            if !body.is_empty() {
                body.push('\n');
            }
            blocks.push(body.len()..body.len() + part.len());
            body.push_str(&part);
        }
        let text = self
            .env
            .get_template("report.md.j2")
            .and_then(|template| {
                template.render(minijinja::context! {
                    lang => document.lang.code(),
                    dir => document.dir.code(),
                    body => body.trim_end_matches('\n'),
                })
            })
            .map_err(|error| self.failed(error, "report.md.j2"))?;
        // Where the body starts in the page: the blocks' ranges move with it.
        let offset = text.find(body.trim_end_matches('\n')).unwrap_or(0);
        let blocks = blocks
            .into_iter()
            .map(|range| range.start + offset..range.end + offset)
            .collect();
        Ok(Markdown { text, blocks })
    }

    /// The report as one self-contained HTML page: its Markdown through pulldown-cmark (see
    /// [`markdown_to_page`]) inside `templates/report.html.j2`. `svgs` holds each figure's inline markup
    /// by figure id.
    pub(crate) fn html(
        &self,
        document: &ReportDocument,
        markdown: &Markdown,
        svgs: &BTreeMap<String, String>,
    ) -> Result<String> {
        let figures: BTreeMap<&str, (&str, &str)> = document
            .figures()
            .filter_map(|f| {
                svgs.get(&f.id)
                    .map(|svg| (f.file.as_str(), (f.id.as_str(), svg.as_str())))
            })
            .collect();
        let sections = sections(document, markdown);
        // The author's own HTML passes only where the study allows it: in the author's text.
        let trusted: Vec<Range<usize>> = if document.allow_html {
            document
                .blocks
                .iter()
                .zip(&markdown.blocks)
                .filter(|(block, _)| matches!(block, Block::Text { .. }))
                .map(|(_, range)| range.clone())
                .collect()
        } else {
            Vec::new()
        };
        let body = markdown_to_page(
            &markdown.text,
            &figures,
            &sections,
            &document.anchors,
            &trusted,
        );
        let text = self
            .env
            .get_template("report.html.j2")
            .and_then(|template| {
                template.render(minijinja::context! {
                    doc => Serde(document),
                    body => Value::from_safe_string(body),
                    css => Value::from_safe_string(page_css(&self.css, document.lang)),
                    version => env!("CARGO_PKG_VERSION"),
                })
            })
            .map_err(|error| self.failed(error, "report.html.j2"))?;
        Ok(collapse_blank_lines(&text))
    }

    /// Renders one of the `FRAGMENTS`.
    fn part(&self, fragment: &str, context: Value) -> Result<String> {
        let text = self
            .env
            .get_template(fragment)
            .and_then(|template| template.render(context))
            .map_err(|error| self.failed(error, fragment))?;
        Ok(collapse_blank_lines(&text))
    }

    /// The top of the report as Markdown: title, citation, preamble, the links to the other
    /// languages' versions (their `file_key` file: `markdown_file`, `notebook_file`), key findings
    /// and contents.
    pub(crate) fn head_markdown(
        &self,
        document: &ReportDocument,
        file_key: &str,
    ) -> Result<String> {
        self.part(
            "fragment-head.md.j2",
            minijinja::context! {
                title => &document.title,
                preamble => &document.preamble,
                front => Serde(&document.front),
                others => Serde(&document.other_languages),
                file_key => file_key,
                separator => &document.labels.list_separator,
            },
        )
    }

    /// A whole cell as Markdown: heading, narrative, method, inputs and output.
    pub(crate) fn cell_markdown(&self, cell: &Cell, labels: &Labels) -> Result<String> {
        self.part(
            "fragment-cell.md.j2",
            minijinja::context! { cell => Serde(cell), labels => Serde(labels) },
        )
    }

    /// A cell's heading, narrative, method and inputs as Markdown.
    pub(crate) fn cell_intro_markdown(&self, cell: &Cell, labels: &Labels) -> Result<String> {
        self.part(
            "fragment-intro.md.j2",
            minijinja::context! { cell => Serde(cell), labels => Serde(labels) },
        )
    }

    pub(crate) fn table_markdown(&self, table: &Table) -> Result<String> {
        self.part(
            "fragment-table.md.j2",
            minijinja::context! { t => Serde(table) },
        )
    }

    pub(crate) fn table_html(&self, table: &Table) -> Result<String> {
        self.part(
            "fragment-table.html.j2",
            minijinja::context! { t => Serde(table) },
        )
    }

    pub(crate) fn figure_markdown(&self, figure: &Figure) -> Result<String> {
        self.part(
            "fragment-figure.md.j2",
            minijinja::context! { f => Serde(figure) },
        )
    }

    /// A figure as HTML around `media`, trusted markup we generated (an inline SVG or an `<img>`).
    pub(crate) fn figure_html(&self, figure: &Figure, media: &str) -> Result<String> {
        self.part(
            "fragment-figure.html.j2",
            minijinja::context! {
                f => Serde(figure),
                media => Value::from_safe_string(media.to_string()),
            },
        )
    }

    pub(crate) fn notes_html(&self, cell: &Cell) -> Result<String> {
        self.part(
            "fragment-notes.html.j2",
            minijinja::context! { cell => Serde(cell) },
        )
    }
}

/// Ids of the front page's sections on the HTML page.
pub(crate) const FINDINGS_ANCHOR: &str = "key-findings";
pub(crate) const CONTENTS_ANCHOR: &str = "contents";

/// A `<section>` the page opens at a second-level heading.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Section<'a> {
    pub(crate) id: &'a str,
    pub(crate) class: &'a str,
}

/// A document's Markdown page and where each of its blocks is in it (in block order).
#[derive(Debug, Clone)]
pub(crate) struct Markdown {
    pub(crate) text: String,
    pub(crate) blocks: Vec<Range<usize>>,
}

/// The sections the page opens at the Markdown's level-2 headings, in order: the front page's two,
/// each cell's (its id), and one for each heading of the author's text (the ids the document gave
/// them).
fn sections<'a>(document: &'a ReportDocument, markdown: &Markdown) -> Vec<Section<'a>> {
    let mut sections = Vec::new();
    let mut front = [FINDINGS_ANCHOR, CONTENTS_ANCHOR].into_iter();
    let mut text_sections: Vec<std::slice::Iter<'a, String>> = document
        .blocks
        .iter()
        .map(|block| match block {
            Block::Text { sections, .. } => sections.iter(),
            _ => [].iter(),
        })
        .collect();
    let events = Parser::new_ext(&markdown.text, Options::ENABLE_TABLES).into_offset_iter();
    for (event, range) in events {
        let Event::Start(Tag::Heading {
            level: pulldown_cmark::HeadingLevel::H2,
            ..
        }) = event
        else {
            continue;
        };
        let block = markdown
            .blocks
            .iter()
            .position(|b| b.contains(&range.start));
        let section = match block.map(|index| (index, &document.blocks[index])) {
            Some((_, Block::Front)) => front.next().map(|id| Section { id, class: "front" }),
            Some((_, Block::Cell(cell))) => Some(Section {
                id: cell.id.as_str(),
                class: "cell",
            }),
            Some((index, Block::Text { .. })) => text_sections[index].next().map(|id| Section {
                id: id.as_str(),
                class: "text",
            }),
            _ => None,
        };
        sections.push(section.unwrap_or(Section {
            id: "section",
            class: "text",
        }));
    }
    sections
}

/// Plain text of a table cell as HTML: escaped; numbers isolated from the bidirectional algorithm
/// with `<bdi>`; a SHA-256 digest as left-to-right code that may break anywhere.
pub(crate) fn table_cell_html(text: &str) -> String {
    if is_number_like(text) && text.contains(' ') {
        // A list of numbers ("1, 2, 3, ..."): isolated, but free to wrap between its items.
        format!("<bdi class=\"list\">{}</bdi>", markup::escape(text))
    } else if is_number_like(text) {
        format!("<bdi>{}</bdi>", markup::escape(text))
    } else if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()) {
        format!("<code dir=\"ltr\" class=\"digest\">{text}</code>")
    } else {
        text_html(text)
    }
}

/// Plain text as HTML, escaped, with each formula in it (`(l + m + u) / ۳`, `d ≤ ۰٫۲`, `L۱`) isolated
/// as left to right: inside right-to-left prose an unisolated formula reads backwards.
pub(crate) fn text_html(text: &str) -> String {
    if !is_right_to_left_prose(text) {
        return markup::escape(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((start, end)) = next_formula(rest) {
        out.push_str(&markup::escape(&rest[..start]));
        out.push_str("<bdi dir=\"ltr\" class=\"formula\">");
        out.push_str(&markup::escape(&rest[start..end]));
        out.push_str("</bdi>");
        rest = &rest[end..];
    }
    out.push_str(&markup::escape(rest));
    out
}

/// True when `text` holds letters of a right-to-left script (Arabic, Hebrew): only there can a
/// formula's order be reversed (in left-to-right prose a formula needs no isolation, and words could
/// not be told from it). A report language's digits and separators are not letters.
fn is_right_to_left_prose(text: &str) -> bool {
    text.chars().any(|c| {
        crate::report::docx::text::is_rtl_script(c)
            && c.is_alphabetic()
            && !language::is_localized_digit(c)
            && !language::is_localized_decimal_separator(c)
    })
}

/// Characters a formula is made of: Latin letters, digits of every report language, sub- and
/// superscripts, Greek letters, operators, brackets and the Latin comma and point.
fn is_formula_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c.is_ascii_whitespace()
        || language::is_localized_digit(c)
        || ('\u{2070}'..='\u{209F}').contains(&c)
        || ('\u{1D62}'..='\u{1D6A}').contains(&c)
        || ('\u{0391}'..='\u{03C9}').contains(&c)
        || language::is_localized_decimal_separator(c)
        || matches!(
            c,
            '²' | '³' | '¹' | '_' | '.' | ',' | '(' | ')' | '[' | ']' | '|'
        )
        || is_operator(c)
}

fn is_operator(c: char) -> bool {
    matches!(
        c,
        '=' | '+'
            | '\u{2212}'
            | '/'
            | '×'
            | '·'
            | '≤'
            | '≥'
            | '<'
            | '>'
            | '√'
            | 'Σ'
            | '∑'
            | '≠'
            | '≈'
    )
}

/// Byte range of the first formula in `text`: a run of formula characters holding a Latin letter
/// and an operator, or a Latin letter followed by a digit (`L۱`); trimmed of spaces, of sentence
/// punctuation and leading relations, and of brackets it does not close.
fn next_formula(text: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    while offset < text.len() {
        let tail = &text[offset..];
        let start = offset + tail.find(is_formula_char)?;
        let end = text[start..]
            .find(|c: char| !is_formula_char(c))
            .map_or(text.len(), |e| start + e);
        let (a, b) = trim_formula(text, start, end);
        let run = &text[a..b];
        let has_letter = run.chars().any(|c| c.is_ascii_alphabetic());
        let has_operator = run.chars().any(is_operator);
        let letter_digit = run
            .chars()
            .zip(run.chars().skip(1))
            .any(|(x, y)| x.is_ascii_alphabetic() && language::is_localized_digit(y));
        if a < b && has_letter && (has_operator || letter_digit) {
            return Some((a, b));
        }
        offset = end.max(start + text[start..].chars().next().map_or(1, char::len_utf8));
    }
    None
}

fn trim_formula(text: &str, mut start: usize, mut end: usize) -> (usize, usize) {
    loop {
        let run = &text[start..end];
        let opens = run.matches(['(', '[']).count();
        let closes = run.matches([')', ']']).count();
        let first = run.chars().next();
        let last = run.chars().next_back();
        if let Some(c) = first.filter(|c| {
            c.is_whitespace()
                || matches!(c, '=' | '≤' | '≥' | '<' | '>' | ',' | '.')
                || (matches!(c, '(' | '[') && opens > closes)
                || matches!(c, ')' | ']')
        }) {
            start += c.len_utf8();
        } else if let Some(c) = last.filter(|c| {
            c.is_whitespace()
                || matches!(c, ',' | '.' | '=')
                || (matches!(c, ')' | ']') && closes > opens)
                || matches!(c, '(' | '[')
        }) {
            end -= c.len_utf8();
        } else {
            return (start, end);
        }
        if start >= end {
            return (start, start);
        }
    }
}

/// CommonMark with tables to HTML, for trusted Markdown fragments (paragraphs of the notebook cells).
/// Raw HTML is shown as text, never passed through; code spans read left to right.
pub(crate) fn markdown_to_html(markdown: &str) -> String {
    fragment_to_html(markdown, false)
}

/// As [`markdown_to_html`], but the Markdown's raw HTML passes: for the author's text of a study that
/// allows its own HTML (`document.allow_html`).
pub(crate) fn markdown_to_html_trusted(markdown: &str) -> String {
    fragment_to_html(markdown, true)
}

fn fragment_to_html(markdown: &str, raw_html_passes: bool) -> String {
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) if !raw_html_passes => Event::Text(raw),
        Event::Code(code) => code_html(&code),
        Event::Text(text) => isolate_formulas(text),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut out, events);
    out
}

/// A text event as it is, or as HTML when it holds a formula to isolate.
fn isolate_formulas(text: CowStr<'_>) -> Event<'_> {
    if is_right_to_left_prose(&text) && next_formula(&text).is_some() {
        Event::InlineHtml(CowStr::from(text_html(&text)))
    } else {
        Event::Text(text)
    }
}

/// Formulas and identifiers read left to right inside right-to-left text.
fn code_html(code: &str) -> Event<'static> {
    Event::InlineHtml(CowStr::from(format!(
        "<code dir=\"ltr\">{}</code>",
        markup::escape(code)
    )))
}

/// The whole report's Markdown as the body of its HTML page, through pulldown-cmark, with what HTML
/// can say and Markdown cannot:
/// - each `##` cell opens a `<section>` whose id is the cell's (`cell_ids`, in order);
/// - a bold paragraph right before a table becomes that table's `<caption>`;
/// - header cells get `scope="col"`; numbers in cells are isolated with `<bdi>`, digests are `<code>`;
/// - an image whose address is one of the report's own figure files (`figures`: file -> (id, inline
///   SVG)) becomes a `<figure>` holding the SVG, with the emphasized paragraph after it as `<figcaption>`;
/// - raw HTML in the Markdown is shown as text: only markup generated here reaches the page, and the
///   author's own HTML where a study allows it (byte ranges `trusted_html` of the Markdown).
pub(crate) fn markdown_to_page(
    markdown: &str,
    figures: &BTreeMap<&str, (&str, &str)>,
    sections: &[Section],
    anchors: &[TableAnchor],
    trusted_html: &[Range<usize>],
) -> String {
    let (events, offsets): (Vec<Event>, Vec<Range<usize>>) =
        Parser::new_ext(markdown, Options::ENABLE_TABLES)
            .into_offset_iter()
            .unzip();
    let trusted = |index: usize| {
        let at = &offsets[index];
        trusted_html
            .iter()
            .any(|range| range.start <= at.start && at.end <= range.end)
    };
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut sections = sections.iter();
    let mut section_open = false;
    let mut in_head = false;
    // Ids for the first cell of each body row of the current table, and the next row and column.
    let mut row_ids: &[String] = &[];
    let mut row = 0;
    let mut column = 0;
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { level, .. })
                if *level == pulldown_cmark::HeadingLevel::H2 =>
            {
                if section_open {
                    out.push(Event::Html("</section>\n".into()));
                }
                let section = sections.next().copied().unwrap_or(Section {
                    id: "cell",
                    class: "cell",
                });
                out.push(Event::Html(
                    format!(
                        "<section class=\"{}\" id=\"{}\">\n",
                        markup::escape(section.class),
                        markup::escape(section.id)
                    )
                    .into(),
                ));
                section_open = true;
                out.push(events[i].clone());
            }
            Event::Start(Tag::Paragraph) => {
                if let Some((caption, next)) = caption_before_table(&events, i) {
                    // Emit the table start, then the caption as its first child, with the table's
                    // id when the contents or the inputs lines link to it.
                    let anchor = anchors.iter().find(|a| a.caption == caption);
                    row_ids = anchor.map_or(&[], |a| a.row_ids.as_slice());
                    row = 0;
                    let id = anchor
                        .map(|a| format!(" id=\"{}\"", markup::escape(&a.id)))
                        .unwrap_or_default();
                    out.push(events[next].clone());
                    out.push(Event::Html(
                        format!("<caption{id}>{}</caption>\n", markup::escape(&caption)).into(),
                    ));
                    i = next + 1;
                    continue;
                }
                if let Some((html, next)) = figure_at(&events, i, figures) {
                    out.push(Event::Html(html.into()));
                    i = next;
                    continue;
                }
                out.push(events[i].clone());
            }
            Event::Start(Tag::TableRow) => {
                column = 0;
                out.push(events[i].clone());
            }
            Event::End(TagEnd::TableRow) => {
                row += 1;
                out.push(events[i].clone());
            }
            Event::Start(Tag::TableHead) => {
                in_head = true;
                out.push(events[i].clone());
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                out.push(events[i].clone());
            }
            Event::Start(Tag::TableCell) => {
                // The cell's plain text, when it is nothing but text.
                let end = (i + 1..events.len())
                    .find(|&j| matches!(events[j], Event::End(TagEnd::TableCell)))
                    .unwrap_or(events.len());
                let inner = &events[i + 1..end];
                let text: Option<String> = inner
                    .iter()
                    .map(|e| match e {
                        Event::Text(t) => Some(t.to_string()),
                        _ => None,
                    })
                    .collect();
                if in_head {
                    out.push(Event::Html("<th scope=\"col\">".into()));
                    match text {
                        Some(text) => out.push(Event::Html(text_html(&text).into())),
                        None => out.extend(inner.iter().cloned().map(neutralise)),
                    }
                    out.push(Event::Html("</th>".into()));
                    i = end + 1;
                    continue;
                }
                column += 1;
                match row_ids.get(row).filter(|_| column == 1) {
                    Some(id) => out.push(Event::Html(
                        format!("<td id=\"{}\">", markup::escape(id)).into(),
                    )),
                    None => out.push(events[i].clone()),
                }
                if let Some(text) = text {
                    out.push(Event::Html(table_cell_html(&text).into()));
                    out.push(Event::End(TagEnd::TableCell));
                    i = end + 1;
                    continue;
                }
            }
            // An image that is not one of the report's figures would load a file from elsewhere: keep
            // its text only.
            Event::Start(Tag::Image { .. }) => {
                let end = (i + 1..events.len())
                    .find(|&j| matches!(events[j], Event::End(TagEnd::Image)))
                    .unwrap_or(events.len());
                out.extend(events[i + 1..end].iter().cloned().map(neutralise));
                i = end + 1;
                continue;
            }
            // The direction wrapper report.md.j2 puts around a right-to-left Markdown report (for
            // Markdown viewers); the page's <html> element already carries dir and lang.
            Event::Html(raw) if is_direction_wrapper(raw) => {}
            Event::Html(_) | Event::InlineHtml(_) if trusted(i) => out.push(events[i].clone()),
            other => out.push(neutralise(other.clone())),
        }
        i += 1;
    }
    if section_open {
        out.push(Event::Html("</section>\n".into()));
    }
    let mut html_out = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut html_out, out.into_iter());
    html_out
}

/// `<div dir="rtl" lang="..">` or `</div>` alone on a line: the wrapper of a right-to-left report.
fn is_direction_wrapper(raw: &str) -> bool {
    let line = raw.trim();
    line == "</div>"
        || (line.starts_with("<div dir=\"rtl\" lang=\"")
            && line.ends_with("\">")
            && line.len() <= 32
            && !line[5..].contains('<'))
}

/// Raw HTML becomes text; code spans read left to right; a link to the other language's Markdown
/// report points at its HTML page instead, tagged with that language (`hreflang`, and `lang` for
/// its text: "گزارش فارسی" on an English page); everything else passes.
fn neutralise(event: Event) -> Event {
    match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Code(code) => code_html(&code),
        Event::Text(text) => isolate_formulas(text),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if dest_url.starts_with("report.") && dest_url.ends_with(".md") => {
            let stem = dest_url.trim_end_matches(".md");
            let html_page = format!("{stem}.html");
            if let Some(lang) = Lang::from_code(stem.trim_start_matches("report.")) {
                let code = lang.code();
                return Event::InlineHtml(
                    format!(r#"<a href="{html_page}" hreflang="{code}" lang="{code}">"#).into(),
                );
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url: html_page.into(),
                title,
                id,
            })
        }
        other => other,
    }
}

/// `**caption**` alone in a paragraph, directly followed by a table: the caption and the table's index.
fn caption_before_table(events: &[Event], start: usize) -> Option<(String, usize)> {
    if !matches!(events.get(start + 1), Some(Event::Start(Tag::Strong))) {
        return None;
    }
    let mut caption = String::new();
    let mut j = start + 2;
    while let Some(Event::Text(text)) = events.get(j) {
        caption.push_str(text);
        j += 1;
    }
    let closes = matches!(events.get(j), Some(Event::End(TagEnd::Strong)))
        && matches!(events.get(j + 1), Some(Event::End(TagEnd::Paragraph)))
        && matches!(events.get(j + 2), Some(Event::Start(Tag::Table(_))));
    closes.then_some((caption, j + 2))
}

/// `![alt](figures/x.svg)` alone in a paragraph, optionally followed by an `*emphasized*` caption
/// paragraph: the `<figure>` markup and the index of the first event after them.
fn figure_at(
    events: &[Event],
    start: usize,
    figures: &BTreeMap<&str, (&str, &str)>,
) -> Option<(String, usize)> {
    let Some(Event::Start(Tag::Image { dest_url, .. })) = events.get(start + 1) else {
        return None;
    };
    let &(id, svg) = figures.get(dest_url.as_ref())?;
    let image_end =
        (start + 2..events.len()).find(|&j| matches!(events[j], Event::End(TagEnd::Image)))?;
    if !matches!(
        events.get(image_end + 1),
        Some(Event::End(TagEnd::Paragraph))
    ) {
        return None;
    }
    let mut next = image_end + 2;
    let mut caption = String::new();
    if matches!(events.get(next), Some(Event::Start(Tag::Paragraph)))
        && matches!(events.get(next + 1), Some(Event::Start(Tag::Emphasis)))
    {
        let mut j = next + 2;
        while let Some(Event::Text(text)) = events.get(j) {
            caption.push_str(text);
            j += 1;
        }
        if matches!(events.get(j), Some(Event::End(TagEnd::Emphasis)))
            && matches!(events.get(j + 1), Some(Event::End(TagEnd::Paragraph)))
        {
            next = j + 2;
        } else {
            caption.clear();
        }
    }
    let figcaption = if caption.is_empty() {
        String::new()
    } else {
        format!("<figcaption>{}</figcaption>\n", markup::escape(&caption))
    };
    Some((
        format!(
            "<figure id=\"figure-{}\">\n{svg}\n{figcaption}</figure>\n",
            markup::escape(id)
        ),
        next,
    ))
}

/// Digits (any script) with at most separators, signs and range dashes (`26–34`), a report
/// language's too: the text a bidi isolate should wrap.
fn is_number_like(text: &str) -> bool {
    text.chars().any(|c| c.is_numeric())
        && text.chars().all(|c| {
            c.is_numeric()
                || matches!(c, '.' | ',' | '-' | '\u{2013}' | '+' | '%' | ' ')
                || language::is_localized_decimal_separator(c)
                || language::is_localized_minus_sign(c)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping_neutralises_markup_in_data() {
        assert_eq!(escape_markdown("a|b"), "a\\|b");
        assert_eq!(escape_markdown("<script>"), "\\<script\\>");
        assert_eq!(
            escape_markdown("[x](javascript:y)"),
            "\\[x\\](javascript:y)"
        );
        assert_eq!(escape_markdown("{{ x }}"), "\\{\\{ x \\}\\}");
        assert_eq!(escape_markdown("0.617"), "0.617");
        let html = markdown_to_html(&format!(
            "| a |\n|---|\n| {} |\n",
            escape_markdown("<b>x|y</b>")
        ));
        assert!(html.contains("&lt;b&gt;x|y&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn raw_html_in_markdown_becomes_text() {
        let html = markdown_to_html("<script>alert(1)</script>\n\ntext <img src=x onerror=y>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        let rtl = page("<div dir=\"rtl\" lang=\"fa\">\n\n# عنوان\n\n</div>\n");
        assert!(
            !rtl.contains("div"),
            "the direction wrapper is the page's job: {rtl}"
        );
    }

    fn page(markdown: &str) -> String {
        let figures = BTreeMap::from([("figures/f.en.svg", ("f", "<svg role=\"img\"></svg>"))]);
        let sections = ["first", "second"].map(|id| Section { id, class: "cell" });
        markdown_to_page(markdown, &figures, &sections, &[], &[])
    }

    #[test]
    fn numbers_in_table_cells_are_isolated() {
        let html = page("| n | name |\n|---|---|\n| ۰٫۶۱۷ | شبکه |\n");
        assert!(html.contains("<td><bdi>۰٫۶۱۷</bdi></td>"), "{html}");
        assert!(html.contains("<td>شبکه</td>"), "{html}");
        assert!(
            html.contains(r#"<th scope="col">n</th><th scope="col">name</th>"#),
            "{html}"
        );
    }

    #[test]
    fn the_page_is_the_markdown_with_sections_captions_and_figures() {
        let markdown = "# Title\n\n[فارسی](report.fa.md)\n\n## Cell 1\n\n**Table 6. Counts \\<b\\>**\n\n| a |\n|---|\n| 1 |\n\n\
                        ## Cell 2\n\n![bars](figures/f.en.svg)\n\n*Figure 1. Crisp values*\n\n<script>x()</script>\n";
        let html = page(markdown);
        assert!(
            html.contains("<section class=\"cell\" id=\"first\">\n<h2>Cell 1</h2>"),
            "{html}"
        );
        assert!(
            html.contains("</section>\n<section class=\"cell\" id=\"second\">"),
            "{html}"
        );
        assert!(html.trim_end().ends_with("</section>"), "{html}");
        assert!(
            html.contains("<table><caption>Table 6. Counts &lt;b&gt;</caption>"),
            "{html}"
        );
        assert!(
            !html.contains("<strong>Table 6"),
            "the caption paragraph is gone: {html}"
        );
        assert!(
            html.contains("<figure id=\"figure-f\">\n<svg role=\"img\"></svg>\n<figcaption>Figure 1. Crisp values</figcaption>\n</figure>"),
            "{html}"
        );
        // The other language's report, tagged with its language (the page's own is another).
        assert!(
            html.contains(r#"<a href="report.fa.html" hreflang="fa" lang="fa">"#),
            "{html}"
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn code_spans_read_left_to_right_and_cells_isolate_numbers_and_digests() {
        let html = markdown_to_html("تجمیع: `l = Σ lᵢ / n` <b>");
        assert!(
            html.contains(r#"<code dir="ltr">l = Σ lᵢ / n</code>"#),
            "{html}"
        );
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert_eq!(table_cell_html("۰٫۴۸۹"), "<bdi>۰٫۴۸۹</bdi>");
        assert_eq!(table_cell_html("a <b> & c"), "a &lt;b&gt; &amp; c");
        let digest = "0123456789abcdef".repeat(4);
        assert_eq!(
            table_cell_html(&digest),
            format!(r#"<code dir="ltr" class="digest">{digest}</code>"#)
        );
    }

    #[test]
    fn blank_line_runs_collapse_to_one() {
        assert_eq!(
            collapse_blank_lines("\n\na  \n\n\n\nb\n| x |\n| y |\n\n\n"),
            "a\n\nb\n| x |\n| y |\n"
        );
    }

    #[test]
    fn images_other_than_the_reports_figures_are_reduced_to_their_text() {
        let html = page("![A](https://example.org/x.png) and ![B](figures/other.svg)\n");
        assert!(
            !html.contains("<img") && !html.contains("example.org"),
            "{html}"
        );
        assert!(html.contains("A and B"), "{html}");
    }

    #[test]
    fn formulas_in_persian_prose_are_isolated_left_to_right() {
        let isolated = |f: &str| format!("<bdi dir=\"ltr\" class=\"formula\">{f}</bdi>");
        assert_eq!(
            text_html("فازی‌زدایی: مقدار قطعی = (l + m + u) / ۳."),
            format!("فازی‌زدایی: مقدار قطعی = {}.", isolated("(l + m + u) / ۳"))
        );
        assert_eq!(
            text_html("n = ۱۱ (مصاحبه‌شوندگان)"),
            format!("{} (مصاحبه‌شوندگان)", isolated("n = ۱۱"))
        );
        assert_eq!(
            text_html("با فاصلهٔ L۱ برابر ۷"),
            format!("با فاصلهٔ {} برابر ۷", isolated("L۱"))
        );
        assert_eq!(
            text_html("هم‌نظر اگر d < ۰٫۲"),
            format!("هم‌نظر اگر {}", isolated("d &lt; ۰٫۲"))
        );
        // No formula: plain Persian, a number, a Latin name without an operator.
        assert_eq!(
            text_html("۱۵ خبره (به شیوهٔ GRIM)"),
            "۱۵ خبره (به شیوهٔ GRIM)"
        );
        // English prose needs no isolation.
        assert_eq!(
            text_html("crisp = (l + m + u) / 3 & more"),
            "crisp = (l + m + u) / 3 &amp; more"
        );
    }

    #[test]
    fn lists_of_numbers_may_wrap_single_numbers_may_not() {
        assert_eq!(
            table_cell_html("1, 2, 3"),
            "<bdi class=\"list\">1, 2, 3</bdi>"
        );
        assert_eq!(table_cell_html("0.617"), "<bdi>0.617</bdi>");
        // A range of rows is one number: it does not break at its dash.
        assert_eq!(table_cell_html("26–34"), "<bdi>26–34</bdi>");
        assert_eq!(
            table_cell_html("1–14, 20"),
            "<bdi class=\"list\">1–14, 20</bdi>"
        );
    }
}
