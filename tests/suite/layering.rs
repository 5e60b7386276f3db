//! The architecture's layering, checked on the source text: `report` never imports `ingest`,
//! `analysis` never imports `config`, no stage imports what `lib.rs` defines or re-exports (lib runs
//! the stages), `analysis` and `report` read no file (`std::fs`), and no polars type appears in a
//! public signature outside `ingest`.
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

/// Each `.rs` file under `src/`, by path relative to `src/`, with its unit tests cut off; files that
/// are unit-test modules themselves (declared after `#[cfg(test)]`, such as the SYNTHETIC
/// `report/cells/tiny.rs`) are left out.
fn library_sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let sources: Vec<(String, String)> = tree(&src)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("sources are UTF-8")))
        .collect();
    let test_only = test_only_files(&sources);
    sources
        .into_iter()
        .filter(|(path, _)| !test_only.contains(path))
        .map(|(path, text)| {
            let production = production(&text).to_string();
            (path, production)
        })
        .collect()
}

/// The files of modules declared under `#[cfg(test)]` (`#[cfg(test)]` then `mod name;`): in the
/// folder of the declaring `mod.rs`, or of `<parent>.rs`.
fn test_only_files(sources: &[(String, String)]) -> Vec<String> {
    let mut files = Vec::new();
    for (path, text) in sources {
        let folder = match path.strip_suffix("mod.rs") {
            Some(folder) => folder.to_string(),
            None => format!("{}/", path.trim_end_matches(".rs")),
        };
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for pair in lines.windows(2) {
            let declared = pair[1]
                .strip_prefix("pub(crate) ")
                .or(pair[1].strip_prefix("pub(super) "))
                .unwrap_or(pair[1]);
            if let (true, Some(name)) = (
                pair[0] == "#[cfg(test)]",
                declared
                    .strip_prefix("mod ")
                    .and_then(|rest| rest.strip_suffix(';')),
            ) {
                files.push(format!("{folder}{name}.rs"));
            }
        }
    }
    files
}

/// The stages `lib.rs` runs; none may import from `lib.rs` (that would run back up the layers).
const STAGES: [&str; 5] = ["config", "domain", "ingest", "analysis", "report"];

/// The names `lib.rs` defines or re-exports: what `crate::<name>` reaches in lib itself.
fn lib_items(lib: &str) -> Vec<String> {
    let mut items = Vec::new();
    for line in lib.lines() {
        let line = line.trim_start();
        let name = if let Some(rest) = line.strip_prefix("pub use ") {
            rest.trim_end_matches(';').rsplit("::").next()
        } else {
            ["pub fn ", "pub struct ", "pub enum "]
                .iter()
                .find_map(|keyword| line.strip_prefix(keyword))
                .and_then(|rest| {
                    rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                })
        };
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            items.push(name.to_string());
        }
    }
    items
}

/// Whether `line` reaches `item` in lib: `crate::item` or `crate::{..., item, ...}`.
fn imports_lib_item(line: &str, item: &str) -> bool {
    let is_word_end = |rest: &str| {
        !rest
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    };
    let direct = line
        .match_indices(&format!("crate::{item}"))
        .any(|(at, found)| is_word_end(&line[at + found.len()..]));
    let grouped = line.find("crate::{").is_some_and(|at| {
        line[at + "crate::{".len()..]
            .split('}')
            .next()
            .unwrap_or_default()
            .split(',')
            .any(|name| name.trim() == item)
    });
    direct || grouped
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
    let lib = sources
        .iter()
        .find(|(path, _)| path == "lib.rs")
        .map_or_else(Vec::new, |(_, text)| lib_items(text));
    for (path, text) in sources {
        let in_stage = STAGES
            .iter()
            .any(|stage| path.starts_with(&format!("{stage}/")) || *path == format!("{stage}.rs"));
        if in_stage {
            for (index, line) in text.lines().enumerate() {
                if let Some(item) = lib.iter().find(|item| imports_lib_item(line, item)) {
                    violations.push(format!(
                        "src/{path}:{}: `{item}` from lib: {}",
                        index + 1,
                        line.trim()
                    ));
                }
            }
        }
        if path.starts_with("report/") {
            violations.extend(lines_with(path, text, "crate::ingest"));
        }
        if path.starts_with("analysis/") {
            violations.extend(lines_with(path, text, "crate::config"));
        }
        // Files are read by ingest (and written by output): the computations and the rendering
        // touch none, so every file a report depends on is one ingest listed among its inputs.
        if path.starts_with("analysis/") || path.starts_with("report/") {
            violations.extend(lines_with(path, text, "std::fs"));
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
        (
            "lib.rs".to_string(),
            "pub use domain::Lang;\npub struct BuiltReport {\npub fn analyse(study: &Study) {\n"
                .to_string(),
        ),
        (
            "ingest/names.rs".to_string(),
            "use crate::Lang;\nuse crate::domain::Lang;\nuse crate::{domain, Lang};\nuse crate::Language;\n"
                .to_string(),
        ),
        (
            "main.rs".to_string(),
            "use delphi_report::analyse;\nlet x = crate::analyse(s);\n".to_string(),
        ),
        (
            "report/document.rs".to_string(),
            "let text = std::fs::read_to_string(path)?;\n".to_string(),
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
            "src/ingest/names.rs:1: `Lang` from lib: use crate::Lang;".to_string(),
            "src/ingest/names.rs:3: `Lang` from lib: use crate::{domain, Lang};".to_string(),
            "src/report/document.rs:1: let text = std::fs::read_to_string(path)?;".to_string(),
        ]
    );
    assert_eq!(
        lib_items("pub use domain::Lang;\npub struct BuiltReport {\npub fn analyse(s: &S) {\n"),
        ["Lang", "BuiltReport", "analyse"]
    );
    // A unit-test module's own file is not read: the SYNTHETIC cells' fixtures may use anything.
    let declared = vec![(
        "report/cells/mod.rs".to_string(),
        "mod study;\n#[cfg(test)]\nmod tiny;\n".to_string(),
    )];
    assert_eq!(test_only_files(&declared), ["report/cells/tiny.rs"]);
    assert!(library_sources()
        .iter()
        .all(|(path, _)| path != "report/cells/tiny.rs"));
}
