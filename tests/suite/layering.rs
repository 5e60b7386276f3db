//! The architecture's layering, checked on the source text: `report` never imports `ingest`,
//! `analysis` never imports `config`, and no polars type appears in a public signature outside `ingest`.
//! Unit-test modules (from a file's first `#[cfg(test)]` on) may use any fixture, so they are not read.

use std::path::Path;

use crate::common::tree;

/// Polars names that must not cross the `ingest` boundary.
const POLARS_NAMES: [&str; 6] = [
    "DataFrame",
    "Series",
    "StringChunked",
    "polars::",
    "polars_core::",
    "polars_io::",
];

/// Each `.rs` file under `src/`, by path relative to `src/`, with its unit tests cut off.
fn library_sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    tree(&src)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(path, bytes)| {
            let text = String::from_utf8(bytes).expect("sources are UTF-8");
            (path, production(&text).to_string())
        })
        .collect()
}

/// A file's text before its first `#[cfg(test)]`.
fn production(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |at| &text[..at])
}

/// `path:line: text` for each line of `text` that contains `needle`.
fn lines_with(path: &str, text: &str, needle: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.contains(needle))
        .map(|(index, line)| format!("src/{path}:{}: {}", index + 1, line.trim()))
        .collect()
}

/// The signatures other modules can see: each `pub fn` or `pub(crate) fn` up to its body or `;`, and
/// each `pub` or `pub(crate)` field or item line (most items are `pub(crate)`, and a polars type in one
/// would still leave `ingest`); `pub(super)` and private items stay in their module.
fn public_signatures(text: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index].trim_start();
        if line.starts_with("pub ") || line.starts_with("pub(crate) ") {
            let start = index;
            let mut signature = line.to_string();
            if line.starts_with("pub fn ") || line.starts_with("pub(crate) fn ") {
                while !signature.contains('{')
                    && !signature.contains(';')
                    && index + 1 < lines.len()
                {
                    index += 1;
                    signature.push(' ');
                    signature.push_str(lines[index].trim());
                }
                if let Some(body) = signature.find('{') {
                    signature.truncate(body);
                }
            }
            found.push((start + 1, signature));
        }
        index += 1;
    }
    found
}

fn layering_violations(sources: &[(String, String)]) -> Vec<String> {
    let mut violations = Vec::new();
    for (path, text) in sources {
        if path.starts_with("report/") {
            violations.extend(lines_with(path, text, "crate::ingest"));
        }
        if path.starts_with("analysis/") {
            violations.extend(lines_with(path, text, "crate::config"));
        }
        if !path.starts_with("ingest/") {
            for (line, signature) in public_signatures(text) {
                if POLARS_NAMES.iter().any(|name| signature.contains(name)) {
                    violations.push(format!("src/{path}:{line}: polars in `{signature}`"));
                }
            }
        }
    }
    violations
}

#[test]
fn stages_import_only_what_the_layering_allows() {
    let violations = layering_violations(&library_sources());
    assert!(
        violations.is_empty(),
        "layering broken:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_layering_check_finds_each_kind_of_violation() {
    // SYNTHETIC sources, one per rule, each with a line the check must name.
    let planted = vec![
        (
            "report/model.rs".to_string(),
            "use crate::analysis::StudyData;\nuse crate::ingest::load;\n".to_string(),
        ),
        (
            "analysis/fuzzy.rs".to_string(),
            "use crate::config::Study;\n".to_string(),
        ),
        (
            "report/tables.rs".to_string(),
            "pub fn table(\n    rows: &DataFrame,\n) -> String {\n".to_string(),
        ),
        (
            "ingest/table.rs".to_string(),
            "pub fn frame(&self) -> &DataFrame {\n".to_string(),
        ),
        (
            "scaffold/from_survey.rs".to_string(),
            "pub(crate) fn column(&self) -> &StringChunked;\npub(super) fn inner(f: DataFrame) {}\n"
                .to_string(),
        ),
        (
            "analysis/coding.rs".to_string(),
            "#[cfg(test)]\nmod tests {\n    use crate::config::presets::ScalePreset;\n}\n"
                .to_string(),
        ),
    ];
    let planted: Vec<(String, String)> = planted
        .into_iter()
        .map(|(path, text)| (path, production(&text).to_string()))
        .collect();
    assert_eq!(
        layering_violations(&planted),
        vec![
            "src/report/model.rs:2: use crate::ingest::load;".to_string(),
            "src/analysis/fuzzy.rs:1: use crate::config::Study;".to_string(),
            "src/report/tables.rs:1: polars in `pub fn table( rows: &DataFrame, ) -> String `"
                .to_string(),
            "src/scaffold/from_survey.rs:1: polars in `pub(crate) fn column(&self) -> &StringChunked;`"
                .to_string(),
        ]
    );
}
