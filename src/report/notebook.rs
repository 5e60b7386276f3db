//! Jupyter notebooks (nbformat 4.5) from the report model: one Markdown cell per report cell for its
//! narrative, method and inputs, and one code cell holding its outputs as `display_data`.
//!
//! The computation is this tool, not a kernel, so each code cell's source is a comment that names the
//! command which regenerates the output: running it in any kernel does nothing harmful, and reading it
//! says where the numbers come from. `execution_count` is null because no kernel ran the cell.
//! JupyterLab sanitizes untrusted HTML (no `<style>`, no `<svg>`), so direction and language travel as
//! `dir`/`lang` attributes and figures as an `<img>` of the SVG.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::digest::hex;
use crate::domain::Lang;
use crate::report::i18n::Strings;
use crate::report::model::{Block, Cell, Figure, ReportDocument, Table};
use crate::report::render::{
    collapse_blank_lines, markdown_to_html, markdown_to_html_trusted, Renderer,
};

/// Builds the notebook of one language; `svgs` holds each figure's SVG by figure id.
pub(crate) fn notebook(
    renderer: &Renderer,
    strings: &Strings,
    lang: Lang,
    document: &ReportDocument,
    svgs: &BTreeMap<String, String>,
    inputs: &[Value],
) -> Result<String> {
    let mut cells = Vec::new();
    let mut texts = 0;
    for block in &document.blocks {
        match block {
            Block::Front => {
                let title = renderer.head_markdown(document, "notebook_file")?;
                cells.push(markdown_cell(
                    "title",
                    &markdown_cell_source(document, &title),
                ));
            }
            Block::Text { markdown, .. } => {
                texts += 1;
                cells.push(markdown_cell(
                    &format!("text-{texts}"),
                    &author_cell_source(document, markdown),
                ));
            }
            Block::Cell(cell) => {
                let intro = renderer.cell_intro_markdown(cell, &document.labels)?;
                cells.push(markdown_cell(
                    &format!("{}-intro", cell.id),
                    &markdown_cell_source(document, &intro),
                ));
                if cell.has_output() {
                    let source = code_source(strings, lang, document, &cell.heading, &cell.id)?;
                    let outputs = outputs(renderer, document, cell, svgs)?;
                    cells.push(code_cell(&format!("{}-output", cell.id), &source, outputs));
                }
            }
            Block::Table(table) => {
                let source = code_source(strings, lang, document, &table.caption, &table.id)?;
                let outputs = vec![table_output(renderer, document, table)?];
                cells.push(code_cell(&format!("table-{}", table.id), &source, outputs));
            }
            Block::Figure(figure) => {
                let source = code_source(strings, lang, document, &figure.caption, &figure.id)?;
                let outputs = vec![figure_output(renderer, document, figure, svgs)?];
                cells.push(code_cell(
                    &format!("figure-{}", figure.id),
                    &source,
                    outputs,
                ));
            }
        }
    }
    let mut seen = BTreeSet::new();
    for cell in &cells {
        let id = cell["id"].as_str().unwrap_or_default().to_string();
        if !seen.insert(id.clone()) {
            bail!("two notebook cells have the id '{id}'");
        }
    }
    // The cells each input went into, by path, so the body can name its inputs without repeating them.
    let cell_inputs: serde_json::Map<String, Value> = document
        .cells()
        .filter(|cell| !cell.inputs.is_empty())
        .map(|cell| {
            let paths = cell.inputs.iter().map(|input| json!(input.path)).collect();
            (cell.id.clone(), Value::Array(paths))
        })
        .collect();
    let notebook = json!({
        "cells": cells,
        "metadata": {
            "delphi_report": {
                "cell_inputs": cell_inputs,
                "inputs": inputs,
                "study": document.study_id,
                "version": env!("CARGO_PKG_VERSION"),
            },
            "kernelspec": kernelspec(),
            "language_info": language_info(),
            "title": document.title,
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    });
    to_json(&notebook)
}

/// The kernel JupyterLab opens the notebook with, as it writes it back (ipykernel's `python3`).
fn kernelspec() -> Value {
    json!({"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"})
}

/// The kernel's language as ipykernel reports it, less the Python version, which is the reader's
/// machine's: JupyterLab adds `version` on open, the one change `check` ignores (see `drift`).
fn language_info() -> Value {
    json!({
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
    })
}

/// JSON as Jupyter writes it: one-space indent, keys sorted (serde_json's map is ordered), a final newline.
pub(crate) fn to_json(value: &impl Serialize) -> Result<String> {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value.serialize(&mut serializer)?;
    out.push(b'\n');
    Ok(String::from_utf8(out)?)
}

/// Markdown of a right-to-left document wrapped so Jupyter (and GitHub) lay it out right to left.
fn directed_markdown(document: &ReportDocument, markdown: &str) -> String {
    if document.dir.is_right_to_left() {
        format!(
            "<div dir=\"rtl\" lang=\"{}\">\n\n{}\n</div>\n",
            document.lang.code(),
            markdown
        )
    } else {
        markdown.to_string()
    }
}

/// A Markdown cell's source. Jupyter's stylesheet sets `p { text-align: left }`, which beats the
/// `dir` of any wrapper, and its sanitizer keeps `style="text-align: ..."` on the element itself:
/// so a right-to-left cell is written as HTML whose every paragraph carries its alignment.
fn markdown_cell_source(document: &ReportDocument, markdown: &str) -> String {
    if document.dir.is_right_to_left() {
        directed_html(document, &markdown_to_html(markdown))
    } else {
        markdown.to_string()
    }
}

/// HTML of an output wrapped with the document's direction and language; right-to-left paragraphs
/// carry their alignment (see [`markdown_cell_source`]).
fn directed_html(document: &ReportDocument, html: &str) -> String {
    let html = if document.dir.is_right_to_left() {
        html.replace("<p>", RTL_PARAGRAPH)
    } else {
        html.to_string()
    };
    format!(
        "<div dir=\"{}\" lang=\"{}\">\n{}</div>\n",
        document.dir.code(),
        document.lang.code(),
        html
    )
}

/// A paragraph Jupyter lays out right to left.
const RTL_PARAGRAPH: &str = "<p dir=\"rtl\" style=\"text-align: right\">";

/// The comment a code cell holds: what recorded its output and how to regenerate it. It names its part by
/// `heading`, or by the ASCII `id` in a right-to-left notebook (an editor lays a right-to-left comment
/// out of order).
fn code_source(
    strings: &Strings,
    lang: Lang,
    document: &ReportDocument,
    heading: &str,
    id: &str,
) -> Result<String> {
    let heading = if document.dir.is_right_to_left() {
        id
    } else {
        heading
    };
    strings.fill(
        lang,
        "notebook.code",
        &[
            ("heading", heading),
            ("version", env!("CARGO_PKG_VERSION")),
            ("study", &document.study_id),
        ],
    )
}

/// A Markdown cell of the author's text: as written; in a right-to-left notebook, as HTML laid out right
/// to left, the author's own HTML kept only where the study allows it.
fn author_cell_source(document: &ReportDocument, markdown: &str) -> String {
    if document.dir.is_right_to_left() {
        let html = if document.allow_html {
            markdown_to_html_trusted(markdown)
        } else {
            markdown_to_html(markdown)
        };
        directed_html(document, &html)
    } else {
        markdown.to_string()
    }
}

fn table_output(renderer: &Renderer, document: &ReportDocument, table: &Table) -> Result<Value> {
    Ok(display_data(&[
        (
            "text/html",
            directed_html(document, &renderer.table_html(table)?),
        ),
        (
            "text/markdown",
            directed_markdown(document, &renderer.table_markdown(table)?),
        ),
        ("text/plain", plain_table(table)),
    ]))
}

fn figure_output(
    renderer: &Renderer,
    document: &ReportDocument,
    figure: &Figure,
    svgs: &BTreeMap<String, String>,
) -> Result<Value> {
    let Some(svg) = svgs.get(&figure.id) else {
        bail!("figure '{}' has no SVG", figure.id);
    };
    let image = format!(
        "<img src=\"data:image/svg+xml;base64,{}\" alt=\"{}\">",
        base64(svg.as_bytes()),
        crate::report::markup::escape(&figure.description)
    );
    Ok(display_data(&[
        (
            "text/html",
            directed_html(document, &renderer.figure_html(figure, &image)?),
        ),
        ("image/svg+xml", svg.clone()),
        (
            "text/markdown",
            directed_markdown(document, &renderer.figure_markdown(figure)?),
        ),
        (
            "text/plain",
            format!("{}\n{}\n", figure.caption, figure.description),
        ),
    ]))
}

fn outputs(
    renderer: &Renderer,
    document: &ReportDocument,
    cell: &Cell,
    svgs: &BTreeMap<String, String>,
) -> Result<Vec<Value>> {
    let mut outputs = Vec::new();
    for table in &cell.tables {
        outputs.push(table_output(renderer, document, table)?);
    }
    for figure in &cell.figures {
        outputs.push(figure_output(renderer, document, figure, svgs)?);
    }
    if !cell.notes.is_empty() {
        let markdown = collapse_blank_lines(&cell.notes.join("\n\n"));
        outputs.push(display_data(&[
            (
                "text/html",
                directed_html(document, &renderer.notes_html(cell)?),
            ),
            ("text/markdown", directed_markdown(document, &markdown)),
            ("text/plain", plain_markdown(&markdown)),
        ]));
    }
    Ok(outputs)
}

fn display_data(bundle: &[(&str, String)]) -> Value {
    let data: serde_json::Map<String, Value> = bundle
        .iter()
        .map(|(mime, text)| (mime.to_string(), multiline(text)))
        .collect();
    json!({"output_type": "display_data", "data": data, "metadata": {}})
}

/// Text as the list of lines nbformat writes (every line but the last keeps its newline).
fn multiline(text: &str) -> Value {
    Value::Array(
        text.split_inclusive('\n')
            .map(|line| Value::String(line.to_string()))
            .collect(),
    )
}

/// An id from a stable name and the cell's content: the same content always gives the same id, and a
/// change of content gives a new one. nbformat allows `[a-zA-Z0-9-_]`, 1 to 64 characters.
fn cell_id(name: &str, content: &Value) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    let mut hasher = Sha256::new();
    hash_value(&mut hasher, content);
    let digest = hex(&hasher.finalize());
    format!("{name}-{}", &digest[..16])
}

/// Feeds a JSON value's content to `hasher` without serialising it: every string is length-prefixed and
/// every value tagged, so different values feed different bytes.
fn hash_value(hasher: &mut Sha256, value: &Value) {
    let text = |hasher: &mut Sha256, text: &str| {
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    };
    match value {
        Value::Null => hasher.update(b"n"),
        Value::Bool(b) => hasher.update(if *b { b"t" } else { b"f" }),
        Value::Number(number) => {
            hasher.update(b"#");
            text(hasher, &number.to_string());
        }
        Value::String(string) => {
            hasher.update(b"s");
            text(hasher, string);
        }
        Value::Array(items) => {
            hasher.update(b"[");
            hasher.update((items.len() as u64).to_le_bytes());
            for item in items {
                hash_value(hasher, item);
            }
        }
        Value::Object(fields) => {
            hasher.update(b"{");
            hasher.update((fields.len() as u64).to_le_bytes());
            for (key, item) in fields {
                text(hasher, key);
                hash_value(hasher, item);
            }
        }
    }
}

fn markdown_cell(name: &str, source: &str) -> Value {
    let mut cell = json!({
        "cell_type": "markdown",
        "metadata": {},
        "source": multiline(source),
    });
    cell["id"] = Value::String(cell_id(name, &cell));
    cell
}

fn code_cell(name: &str, source: &str, outputs: Vec<Value>) -> Value {
    let mut cell = json!({
        "cell_type": "code",
        "execution_count": null,
        "metadata": {},
        "outputs": outputs,
        "source": multiline(source.trim_end()),
    });
    cell["id"] = Value::String(cell_id(name, &cell));
    cell
}

/// A table as plain text: caption, then columns separated by ` | ` and padded to a common width.
pub(crate) fn plain_table(table: &Table) -> String {
    let columns = table.headers.len();
    let mut widths = vec![0; columns];
    for row in std::iter::once(&table.headers).chain(&table.rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |row: &[String]| {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| {
                let pad = width - cell.chars().count();
                format!("{cell}{}", " ".repeat(pad))
            })
            .collect();
        format!("{}\n", cells.join(" | ").trim_end())
    };
    let mut out = format!("{}\n\n", table.caption);
    out.push_str(&line(&table.headers));
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&format!("{}\n", rule.join("-|-")));
    for row in &table.rows {
        out.push_str(&line(row));
    }
    out
}

/// Trusted Markdown paragraphs as plain text: the text without markup.
fn plain_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph) => out.push_str("\n\n"),
            _ => {}
        }
    }
    format!("{}\n", out.trim_end())
}

/// Standard base64 (RFC 4648, with padding).
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let triple = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (index, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if index <= chunk.len() {
                out.push(char::from(ALPHABET[((triple >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_test_vectors() {
        // RFC 4648, section 10.
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
    }

    #[test]
    fn multiline_text_keeps_newlines_on_every_line_but_the_last() {
        assert_eq!(multiline("a\nb\n"), json!(["a\n", "b\n"]));
        assert_eq!(multiline("a\nb"), json!(["a\n", "b"]));
    }

    #[test]
    fn cell_ids_follow_the_content_and_the_nbformat_pattern() {
        let a = cell_id("screening-output", &json!({"source": "x"}));
        let b = cell_id("screening-output", &json!({"source": "x"}));
        let c = cell_id("screening-output", &json!({"source": "y"}));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.starts_with("screening-output-") && a.len() == 33, "{a}");
        let odd = cell_id("a b/ç", &json!(1));
        assert!(odd.starts_with("a-b--"), "{odd}");
        assert!(odd
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn plain_tables_pad_columns() {
        let table = Table {
            id: "t".into(),
            caption: "T".into(),
            headers: vec!["No.".into(), "Name".into()],
            rows: vec![vec!["1".into(), "alpha".into()]],
        };
        assert_eq!(
            plain_table(&table),
            "T\n\nNo. | Name\n----|------\n1   | alpha\n"
        );
    }
}
