//! Rendering: the report model through minijinja templates into Markdown and a self-contained HTML page,
//! and the same templates' parts for the notebook cells.

use std::collections::BTreeMap;

use std::collections::HashMap;

use anyhow::{Context, Result};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value};
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::report::model::{Cell, Figure, Labels, ReportDocument, Table};

const REPORT_MD: &str = include_str!("../../templates/report.md.j2");
const PARTS_MD: &str = include_str!("../../templates/parts.md.j2");
const REPORT_HTML: &str = include_str!("../../templates/report.html.j2");
const PARTS_HTML: &str = include_str!("../../templates/parts.html.j2");
const PAGE_CSS: &str = include_str!("../../templates/page.css");

/// Every built-in template by its path in the repository, for the manifest.
pub const TEMPLATES: [(&str, &str); 5] = [
    ("templates/page.css", PAGE_CSS),
    ("templates/parts.html.j2", PARTS_HTML),
    ("templates/parts.md.j2", PARTS_MD),
    ("templates/report.html.j2", REPORT_HTML),
    ("templates/report.md.j2", REPORT_MD),
];

/// Escapes text so that Markdown shows it literally: no emphasis, links, raw HTML or table breaks.
pub fn escape_markdown(text: &str) -> String {
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
pub fn markdown_row(cells: &[String]) -> String {
    let escaped: Vec<String> = cells.iter().map(|c| escape_markdown(c)).collect();
    format!("| {} |", escaped.join(" | "))
}

/// The delimiter row under a Markdown table header of `columns` columns.
pub fn markdown_rule(columns: usize) -> String {
    format!("|{}", "---|".repeat(columns))
}

/// Keeps at most one blank line between blocks and ends the text with one newline, so templates can
/// close every block with a blank line without caring what follows. Lines are right-trimmed.
pub fn collapse_blank_lines(text: &str) -> String {
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

/// The template engine with the built-in templates; undefined variables are errors.
pub struct Renderer {
    env: Environment<'static>,
}

impl Renderer {
    pub fn new() -> Result<Renderer> {
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
        for (path, source) in [
            ("report.md.j2", REPORT_MD),
            ("parts.md.j2", PARTS_MD),
            ("report.html.j2", REPORT_HTML),
            ("parts.html.j2", PARTS_HTML),
        ] {
            env.add_template(path, source)
                .with_context(|| format!("templates/{path}"))?;
        }
        Ok(Renderer { env })
    }

    /// The report as Markdown.
    pub fn markdown(&self, document: &ReportDocument) -> Result<String> {
        let text = self
            .env
            .get_template("report.md.j2")?
            .render(Serde(document))
            .context("rendering templates/report.md.j2")?;
        Ok(collapse_blank_lines(&text))
    }

    /// The report as one self-contained HTML page; `svgs` holds each figure's markup by figure id.
    pub fn html(
        &self,
        document: &ReportDocument,
        svgs: &BTreeMap<String, String>,
    ) -> Result<String> {
        let svgs: BTreeMap<&str, Value> = svgs
            .iter()
            .map(|(id, svg)| (id.as_str(), Value::from_safe_string(svg.clone())))
            .collect();
        let text = self
            .env
            .get_template("report.html.j2")?
            .render(minijinja::context! {
                doc => Serde(document),
                svgs => svgs,
                css => Value::from_safe_string(PAGE_CSS.to_string()),
                version => env!("CARGO_PKG_VERSION"),
            })
            .context("rendering templates/report.html.j2")?;
        Ok(collapse_blank_lines(&text))
    }

    /// Calls one macro of `parts.<md|html>.j2`; the fragment's name picks Markdown or HTML escaping.
    fn part(&self, kind: &str, call: &str, context: Value) -> Result<String> {
        let source = format!("{{% import \"parts.{kind}.j2\" as p %}}{{{{ p.{call} }}}}");
        let text = self
            .env
            .render_named_str(&format!("fragment.{kind}.j2"), &source, context)
            .with_context(|| format!("rendering {call} from templates/parts.{kind}.j2"))?;
        Ok(collapse_blank_lines(&text))
    }

    /// A cell's heading, narrative, method and inputs as Markdown.
    pub fn cell_intro_markdown(&self, cell: &Cell, labels: &Labels) -> Result<String> {
        self.part(
            "md",
            "intro(cell, labels)",
            minijinja::context! { cell => Serde(cell), labels => Serde(labels) },
        )
    }

    pub fn table_markdown(&self, table: &Table) -> Result<String> {
        self.part("md", "table(t)", minijinja::context! { t => Serde(table) })
    }

    pub fn table_html(&self, table: &Table) -> Result<String> {
        self.part(
            "html",
            "table(t)",
            minijinja::context! { t => Serde(table) },
        )
    }

    pub fn figure_markdown(&self, figure: &Figure) -> Result<String> {
        self.part(
            "md",
            "figure(f)",
            minijinja::context! { f => Serde(figure) },
        )
    }

    /// A figure as HTML around `media`, trusted markup we generated (an inline SVG or an `<img>`).
    pub fn figure_html(&self, figure: &Figure, media: &str) -> Result<String> {
        self.part(
            "html",
            "figure(f, media)",
            minijinja::context! {
                f => Serde(figure),
                media => Value::from_safe_string(media.to_string()),
            },
        )
    }

    pub fn notes_html(&self, cell: &Cell) -> Result<String> {
        self.part(
            "html",
            "notes(cell)",
            minijinja::context! { cell => Serde(cell) },
        )
    }
}

/// Plain text of a table cell as HTML: escaped; numbers isolated from the bidirectional algorithm
/// with `<bdi>`; a SHA-256 digest as left-to-right code that may break anywhere.
pub fn table_cell_html(text: &str) -> String {
    if is_number_like(text) {
        format!("<bdi>{}</bdi>", escape_html(text))
    } else if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()) {
        format!("<code dir=\"ltr\" class=\"digest\">{text}</code>")
    } else {
        escape_html(text)
    }
}

/// CommonMark with tables to HTML. Raw HTML in the Markdown is shown as text, never passed through;
/// numbers in table cells are isolated from the bidirectional algorithm with `<bdi>`.
pub fn markdown_to_html(markdown: &str) -> String {
    markdown_to_html_with_figures(markdown, &HashMap::new())
}

/// As `markdown_to_html`, and an image whose address is the file of one of the report's own `figures`
/// is replaced by that figure's SVG, so the page stays one self-contained file. Raw HTML is neutralised
/// before the figures go in, so only the report's own SVG reaches the page.
pub fn markdown_to_html_with_figures(markdown: &str, figures: &HashMap<&str, &str>) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES);
    let mut in_cell = false;
    let events = parser.map(move |event| match event {
        Event::Start(Tag::TableCell) => {
            in_cell = true;
            event
        }
        Event::End(TagEnd::TableCell) => {
            in_cell = false;
            event
        }
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        // Formulas and identifiers read left to right inside right-to-left text.
        Event::Code(code) => Event::InlineHtml(CowStr::from(format!(
            "<code dir=\"ltr\">{}</code>",
            escape_html(&code)
        ))),
        Event::Text(text) if in_cell && is_number_like(&text) => {
            Event::InlineHtml(CowStr::from(format!("<bdi>{}</bdi>", escape_html(&text))))
        }
        other => other,
    });
    let mut in_figure = false;
    let events = events.filter_map(move |event| match event {
        Event::Start(Tag::Image { ref dest_url, .. }) => match figures.get(dest_url.as_ref()) {
            Some(svg) => {
                in_figure = true;
                // Inside HTML an <svg> element is in the SVG namespace without declaring it, and the
                // page then names no external address at all.
                let inline = svg.replacen(r#" xmlns="http://www.w3.org/2000/svg""#, "", 1);
                Some(Event::Html(CowStr::from(inline)))
            }
            None => Some(event),
        },
        Event::End(TagEnd::Image) if in_figure => {
            in_figure = false;
            None
        }
        // The image's alt text: the SVG carries its own title.
        _ if in_figure => None,
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut out, events);
    out
}

/// Digits (any script) with at most separators and signs: the text a bidi isolate should wrap.
fn is_number_like(text: &str) -> bool {
    text.chars().any(|c| c.is_numeric())
        && text.chars().all(|c| {
            c.is_numeric()
                || matches!(
                    c,
                    '.' | ',' | '\u{066B}' | '\u{066C}' | '-' | '\u{2212}' | '+' | '%' | ' '
                )
        })
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
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
    }

    #[test]
    fn numbers_in_table_cells_are_isolated() {
        let html = markdown_to_html("| n | name |\n|---|---|\n| ۰٫۶۱۷ | شبکه |\n");
        assert!(html.contains("<td><bdi>۰٫۶۱۷</bdi></td>"), "{html}");
        assert!(html.contains("<td>شبکه</td>"), "{html}");
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
}
