//! Rendering: the report model through minijinja templates into Markdown, and Markdown into a self-contained HTML page.

use std::collections::BTreeMap;

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

    /// The report as one HTML page, converted from its Markdown; figures are embedded as data URIs so
    /// the page needs no other file.
    pub fn html(&self, document: &ReportDocument, markdown: &str) -> Result<String> {
        let figures: BTreeMap<String, String> = document
            .cells
            .iter()
            .flat_map(|cell| &cell.figures)
            .map(|figure| {
                (
                    figure.file.clone(),
                    format!(
                        "data:image/svg+xml;base64,{}",
                        base64(figure.svg.as_bytes())
                    ),
                )
            })
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
    markdown_to_html_with_figures(markdown, &BTreeMap::new())
}

/// Like [`markdown_to_html`]; images whose link is a key of `figures` get the value (a data URI)
/// instead, and any other image link is dropped (the page loads nothing from elsewhere).
pub fn markdown_to_html_with_figures(markdown: &str, figures: &BTreeMap<String, String>) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES);
    let mut in_cell = false;
    let events = parser.map(move |event| match event {
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::from(figures.get(dest_url.as_ref()).cloned().unwrap_or_default()),
            title,
            id,
        }),
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

/// Standard base64 (RFC 4648) with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
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
    fn base64_matches_the_rfc_4648_test_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
        assert_eq!(base64(b"fooba"), "Zm9vYmE=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn figures_are_embedded_and_other_images_dropped() {
        let mut figures = BTreeMap::new();
        figures.insert(
            "figures/a.svg".to_string(),
            "data:image/svg+xml;base64,PHN2Zy8+".to_string(),
        );
        let html = markdown_to_html_with_figures(
            "![A](figures/a.svg)\n\n![B](https://example.org/x.png)\n",
            &figures,
        );
        assert!(
            html.contains("<img src=\"data:image/svg+xml;base64,PHN2Zy8+\" alt=\"A\""),
            "{html}"
        );
        assert!(!html.contains("example.org"), "{html}");
    }
}
