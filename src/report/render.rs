//! Rendering: the report model through minijinja templates into Markdown, and Markdown into a self-contained HTML page.

use std::collections::HashMap;

use anyhow::{Context, Result};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior};
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::report::model::ReportDocument;

const REPORT_MD: &str = include_str!("../../templates/report.md.j2");
const PAGE_HTML: &str = include_str!("../../templates/page.html.j2");
const PAGE_CSS: &str = include_str!("../../templates/page.css");

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
        env.add_template("report.md.j2", REPORT_MD)
            .context("templates/report.md.j2")?;
        env.add_template("page.html.j2", PAGE_HTML)
            .context("templates/page.html.j2")?;
        Ok(Renderer { env })
    }

    /// The report as Markdown.
    pub fn markdown(&self, document: &ReportDocument) -> Result<String> {
        self.env
            .get_template("report.md.j2")?
            .render(Serde(document))
            .context("rendering templates/report.md.j2")
    }

    /// The report as one HTML page, converted from its Markdown.
    pub fn html(&self, document: &ReportDocument, markdown: &str) -> Result<String> {
        let figures: HashMap<&str, &str> = document
            .cells
            .iter()
            .flat_map(|c| &c.figures)
            .map(|f| (f.file.as_str(), f.svg.as_str()))
            .collect();
        let body = markdown_to_html_with_figures(markdown, &figures);
        self.env
            .get_template("page.html.j2")?
            .render(minijinja::context! {
                doc => Serde(document),
                body => minijinja::Value::from_safe_string(body),
                css => minijinja::Value::from_safe_string(PAGE_CSS.to_string()),
            })
            .context("rendering templates/page.html.j2")
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
}
