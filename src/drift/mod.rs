//! Semantic drift: how a committed report folder differs from a fresh build, by content (tables cell by
//! cell, other files by their first changed line, the manifest by what it records), for `check`.
//!
//! Old is always the committed file, new the rebuilt one. The diff is computed in full; the formats in
//! [`format`] cap what they print.

pub(crate) mod csv;
pub mod format;
pub(crate) mod manifest;
pub(crate) mod table;

use std::collections::BTreeSet;

use crate::report::manifest::MANIFEST_FILE;
use crate::report::model::DISPLAY_DECIMALS;
use crate::report::ReportFiles;

pub(crate) use manifest::ManifestDiff;
pub(crate) use table::{CellChange, TableDiff};

/// How a file differs as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileChangeKind {
    /// Both have it, with different bytes.
    Changed,
    /// The build makes it; the committed folder lacks it.
    Missing,
    /// The committed folder has it; the build does not make it.
    Unexpected,
}

impl FileChangeKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FileChangeKind::Changed => "changed",
            FileChangeKind::Missing => "missing",
            FileChangeKind::Unexpected => "unexpected",
        }
    }
}

/// The first line where two versions of a text file differ (1-based), as excerpts around the first
/// differing character; `None` past the end of that version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FirstChange {
    pub(crate) line: usize,
    pub(crate) old: Option<String>,
    pub(crate) new: Option<String>,
}

/// A file that changed other than through a table diff (wording, layout, figures, workbooks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileChange {
    pub(crate) path: String,
    pub(crate) kind: FileChangeKind,
    /// For changed text files.
    pub(crate) first_change: Option<FirstChange>,
    /// Sizes in bytes, old and new, for changed binary files.
    pub(crate) binary: Option<(usize, usize)>,
    /// Why a CSV table could not be compared cell by cell, when it could not.
    pub(crate) note: Option<String>,
}

/// The tool version went from `old` to `new`, and nothing else changed: every other difference is
/// the version number printed in the reports (and the notebook cell ids that hash their content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionBump {
    /// The committed report's tool version.
    pub old: String,
    /// The fresh build's tool version.
    pub new: String,
    /// Files whose only change is the version.
    pub files: usize,
}

/// Everything that differs between a committed report folder and a fresh build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDiff {
    /// Files the build makes.
    pub(crate) files_compared: usize,
    /// Display precision of the tables (the manifest's `parameters.display_decimals`).
    pub(crate) decimals: u32,
    /// Tables that changed, in [`table::TABLE_ORDER`].
    pub(crate) tables: Vec<TableDiff>,
    /// Other files that changed, are missing or unexpected, in path order.
    pub(crate) files: Vec<FileChange>,
    pub(crate) manifest: ManifestDiff,
    /// Set when the only change is the tool version; `tables`, `files` and `manifest` still hold the
    /// details.
    pub version_bump: Option<VersionBump>,
}

impl ReportDiff {
    pub(crate) fn is_empty(&self) -> bool {
        self.tables.is_empty() && self.files.is_empty() && self.manifest.is_empty()
    }

    /// Every decision cell that changed, most important table first.
    pub(crate) fn decisions(&self) -> Vec<(&TableDiff, &CellChange)> {
        self.tables
            .iter()
            .flat_map(|t| t.cells.iter().filter(|c| c.decision).map(move |c| (t, c)))
            .collect()
    }

    /// Changed cells in all tables.
    pub(crate) fn cells_changed(&self) -> usize {
        self.tables.iter().map(|t| t.cells.len()).sum()
    }
}

fn is_table(path: &str) -> bool {
    path.starts_with("tables/") && path.ends_with(".csv")
}

/// The display precision a manifest records, if it records one.
fn manifest_decimals(bytes: Option<&Vec<u8>>) -> Option<u32> {
    let value: serde_json::Value = serde_json::from_slice(bytes?).ok()?;
    let decimals = value.pointer("/parameters/display_decimals")?.as_u64()?;
    u32::try_from(decimals).ok().filter(|d| *d <= 12)
}

/// Compares the committed report files (`committed`) with a fresh build (`fresh`).
pub fn diff_reports(committed: &ReportFiles, fresh: &ReportFiles) -> ReportDiff {
    let decimals = manifest_decimals(fresh.get(MANIFEST_FILE))
        .or_else(|| manifest_decimals(committed.get(MANIFEST_FILE)))
        .unwrap_or(DISPLAY_DECIMALS);
    let mut tables = Vec::new();
    let mut files = Vec::new();
    let paths: BTreeSet<&String> = committed.keys().chain(fresh.keys()).collect();
    for path in paths {
        if path == MANIFEST_FILE {
            continue;
        }
        let (old, new) = match (committed.get(path), fresh.get(path)) {
            (Some(old), Some(new)) if old == new => continue,
            (Some(old), Some(new)) => (old, new),
            (old, _) => {
                let kind = if old.is_none() {
                    FileChangeKind::Missing
                } else {
                    FileChangeKind::Unexpected
                };
                files.push(FileChange {
                    path: path.clone(),
                    kind,
                    first_change: None,
                    binary: None,
                    note: None,
                });
                continue;
            }
        };
        let texts = (std::str::from_utf8(old), std::str::from_utf8(new));
        let (Ok(old_text), Ok(new_text)) = texts else {
            files.push(FileChange {
                path: path.clone(),
                kind: FileChangeKind::Changed,
                first_change: None,
                binary: Some((old.len(), new.len())),
                note: None,
            });
            continue;
        };
        if path.ends_with(".ipynb") && same_notebook_but_kernel(old_text, new_text) {
            continue;
        }
        let mut note = None;
        if is_table(path) {
            match (csv::parse(old_text), csv::parse(new_text)) {
                (Ok(old_csv), Ok(new_csv)) => {
                    let diff = table::diff_table(path, &old_csv, &new_csv, decimals);
                    if !diff.is_empty() {
                        tables.push(diff);
                        continue;
                    }
                    note = Some("same cells, written differently".to_string());
                }
                (Err(error), _) => note = Some(format!("the committed table is not CSV: {error}")),
                (_, Err(error)) => note = Some(format!("the rebuilt table is not CSV: {error}")),
            }
        }
        files.push(FileChange {
            path: path.clone(),
            kind: FileChangeKind::Changed,
            first_change: Some(first_change_in(path, old_text, new_text)),
            binary: None,
            note,
        });
    }
    let fresh_manifest = fresh.get(MANIFEST_FILE).map(Vec::as_slice);
    let committed_manifest = committed.get(MANIFEST_FILE).map(Vec::as_slice);
    let mut numbered = table::NumberedTables::from_manifest(fresh_manifest);
    if numbered == table::NumberedTables::default() {
        numbered = table::NumberedTables::from_manifest(committed_manifest);
    }
    tables.sort_by_key(|t| table::table_rank(&t.path, &numbered));
    let changed: BTreeSet<&str> = tables
        .iter()
        .map(|t| t.path.as_str())
        .chain(files.iter().map(|f| f.path.as_str()))
        .collect();
    let manifest = manifest::diff_manifests(
        committed.get(MANIFEST_FILE).map(Vec::as_slice),
        fresh.get(MANIFEST_FILE).map(Vec::as_slice),
        &changed,
    );
    let version_bump = version_bump(committed, fresh, &tables, &files, &manifest);
    ReportDiff {
        files_compared: fresh.len(),
        decimals,
        tables,
        files,
        manifest,
        version_bump,
    }
}

/// Whether the only change is the tool version (see [`VersionBump`]).
fn version_bump(
    committed: &ReportFiles,
    fresh: &ReportFiles,
    tables: &[TableDiff],
    files: &[FileChange],
    manifest: &ManifestDiff,
) -> Option<VersionBump> {
    let (old, new) = manifest.tool_version.clone()?;
    if !tables.is_empty() || !manifest.is_only_version() || old.is_empty() {
        return None;
    }
    for file in files {
        if file.kind != FileChangeKind::Changed {
            return None;
        }
        let before = std::str::from_utf8(committed.get(&file.path)?).ok()?;
        let after = std::str::from_utf8(fresh.get(&file.path)?).ok()?;
        let ipynb = file.path.ends_with(".ipynb");
        if normalise(&before.replace(&old, &new), ipynb) != normalise(after, ipynb) {
            return None;
        }
    }
    Some(VersionBump {
        old,
        new,
        files: files.len(),
    })
}

/// Notebook metadata that describes the reader's kernel, not the report: JupyterLab rewrites it on
/// open (it adds the Python version to `language_info`), so a notebook opened and saved unchanged
/// is still the committed report.
const KERNEL_METADATA: [&str; 2] = ["kernelspec", "language_info"];

/// Whether two notebooks are the same JSON once their kernel metadata is set aside.
fn same_notebook_but_kernel(old: &str, new: &str) -> bool {
    let parse = |text: &str| -> Option<serde_json::Value> {
        let mut notebook: serde_json::Value = serde_json::from_str(text).ok()?;
        let metadata = notebook.get_mut("metadata")?.as_object_mut()?;
        for key in KERNEL_METADATA {
            metadata.remove(key);
        }
        Some(notebook)
    };
    matches!((parse(old), parse(new)), (Some(a), Some(b)) if a == b)
}

/// A notebook's cell ids end in 16 hex digits of their content's digest, so a changed version number
/// changes them too: blanked out for the version comparison.
fn normalise(text: &str, ipynb: bool) -> String {
    if !ipynb {
        return text.to_string();
    }
    text.lines()
        .map(|line| if is_cell_id(line) { "\"id\": -" } else { line })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Characters of context shown before the first difference, and the most shown of a line.
const CONTEXT_BEFORE: usize = 40;
const EXCERPT_CHARS: usize = 120;

/// The first line where `old` and `new` differ, as excerpts that start shortly before the first
/// differing character (long HTML lines would otherwise hide it).
pub(crate) fn first_change(old: &str, new: &str) -> FirstChange {
    let mut old_lines = old.split('\n');
    let mut new_lines = new.split('\n');
    let mut line = 0;
    loop {
        line += 1;
        let (a, b) = (old_lines.next(), new_lines.next());
        if a == b && a.is_some() {
            continue;
        }
        let common = match (a, b) {
            (Some(a), Some(b)) => a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count(),
            _ => 0,
        };
        let start = common.saturating_sub(CONTEXT_BEFORE);
        return FirstChange {
            line,
            old: a.map(|text| excerpt(text, start, EXCERPT_CHARS)),
            new: b.map(|text| excerpt(text, start, EXCERPT_CHARS)),
        };
    }
}

/// As [`first_change`], skipping notebook cell ids (they hash their cell's content, so the content's
/// own change is the one worth showing).
fn first_change_in(path: &str, old: &str, new: &str) -> FirstChange {
    if !path.ends_with(".ipynb") {
        return first_change(old, new);
    }
    let (old_lines, new_lines): (Vec<&str>, Vec<&str>) =
        (old.split('\n').collect(), new.split('\n').collect());
    let first = old_lines
        .iter()
        .zip(&new_lines)
        .position(|(a, b)| a != b && !(is_cell_id(a) && is_cell_id(b)));
    match first {
        Some(index) => {
            let mut change = first_change(old_lines[index], new_lines[index]);
            change.line = index + 1;
            change
        }
        None => first_change(old, new),
    }
}

/// `"id": "<name>-<16 hex digits>",`: a notebook cell id, derived from the cell's content.
fn is_cell_id(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("\"id\": \"")
        && trimmed.ends_with("\",")
        && trimmed.len() > 20
        && trimmed[..trimmed.len() - 2]
            .rsplit('-')
            .next()
            .is_some_and(|hex| hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// At most `chars` characters of `line` from character `start`, with `…` where it is cut.
pub(crate) fn excerpt(line: &str, start: usize, chars: usize) -> String {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let total = line.chars().count();
    let mut text: String = line.chars().skip(start).take(chars).collect();
    if start > 0 {
        text.insert(0, '…');
    }
    if start + chars < total {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::test_files as files;

    #[test]
    fn the_first_changed_line_is_shown_around_its_first_difference() {
        let change = first_change("a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(change.line, 2);
        assert_eq!(change.old.as_deref(), Some("b"));
        assert_eq!(change.new.as_deref(), Some("B"));
        let long_old = format!("{}old tail", "x".repeat(200));
        let long_new = format!("{}new tail", "x".repeat(200));
        let change = first_change(&long_old, &long_new);
        assert_eq!(change.line, 1);
        assert_eq!(
            change.old.as_deref(),
            Some(format!("…{}old tail", "x".repeat(40)).as_str())
        );
        let shorter = first_change("a\nb\n", "a\n");
        assert_eq!(shorter.line, 2);
        assert_eq!(shorter.old.as_deref(), Some("b"));
        assert_eq!(shorter.new.as_deref(), Some(""));
        let longer = first_change("a", "a\nb");
        assert_eq!(
            (longer.line, longer.old, longer.new),
            (2, None, Some("b".into()))
        );
    }

    #[test]
    fn a_notebook_shows_its_first_content_change_not_its_cell_ids() {
        let old = "{\n   \"id\": \"title-0123456789abcdef\",\n   \"source\": \"old\"\n}\n";
        let new = "{\n   \"id\": \"title-fedcba9876543210\",\n   \"source\": \"new\"\n}\n";
        let change = first_change_in("report.en.ipynb", old, new);
        assert_eq!(change.line, 3);
        assert_eq!(change.new.as_deref(), Some("   \"source\": \"new\""));
        assert_eq!(first_change_in("report.en.md", old, new).line, 2);
    }

    #[test]
    fn a_notebook_whose_kernel_metadata_changed_is_unchanged_but_its_cells_count() {
        let committed = r#"{"cells": [{"source": "a"}], "metadata": {"kernelspec": {"name": "python3"}, "language_info": {"name": "python"}, "title": "T"}}"#;
        // As JupyterLab saves it: another kernel display name and the reader's Python version.
        let opened = r#"{"cells": [{"source": "a"}], "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)"}, "language_info": {"name": "python", "version": "3.11.7"}, "title": "T"}}"#;
        let edited_cell = opened.replace("\"a\"", "\"b\"");
        let edited_title = opened.replace("\"T\"", "\"U\"");
        let fresh = files(&[("report.en.ipynb", committed)]);
        assert!(diff_reports(&files(&[("report.en.ipynb", opened)]), &fresh).is_empty());
        for changed in [edited_cell, edited_title] {
            let diff = diff_reports(&files(&[("report.en.ipynb", &changed)]), &fresh);
            assert_eq!(diff.files.len(), 1, "{changed}");
        }
        // Markdown with the same text is compared as text, not as a notebook.
        assert!(
            !diff_reports(&files(&[("a.md", opened)]), &files(&[("a.md", committed)])).is_empty()
        );
    }

    #[test]
    fn tables_text_binary_missing_and_unexpected_files_are_told_apart() {
        let committed = files(&[
            ("tables/table7.csv", "indicator,crisp\nI1,0.5\n"),
            ("report.en.md", "# Title\nold words\n"),
            ("same.md", "x"),
            ("stray.txt", "x"),
            ("tables/audit.csv", "table,row\n\"7,1\n"),
        ]);
        let mut fresh = files(&[
            ("tables/table7.csv", "indicator,crisp\nI1,0.4\n"),
            ("report.en.md", "# Title\nnew words\n"),
            ("same.md", "x"),
            ("figures/new.svg", "<svg/>"),
            ("tables/audit.csv", "table,row\n7,1\n"),
        ]);
        fresh.insert("tables/tables.en.xlsx".into(), vec![0xff, 1]);
        let mut committed = committed;
        committed.insert("tables/tables.en.xlsx".into(), vec![0xff]);
        let diff = diff_reports(&committed, &fresh);
        assert_eq!(diff.files_compared, 6);
        assert_eq!(diff.decimals, DISPLAY_DECIMALS);
        assert_eq!(diff.tables.len(), 1);
        assert_eq!(diff.tables[0].cells[0].new.display, "0.400");
        let summary: Vec<(String, &str)> = diff
            .files
            .iter()
            .map(|f| (f.path.clone(), f.kind.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("figures/new.svg".to_string(), "missing"),
                ("report.en.md".to_string(), "changed"),
                ("stray.txt".to_string(), "unexpected"),
                ("tables/audit.csv".to_string(), "changed"),
                ("tables/tables.en.xlsx".to_string(), "changed"),
            ]
        );
        assert_eq!(diff.files[1].first_change.as_ref().unwrap().line, 2);
        assert!(diff.files[3]
            .note
            .as_deref()
            .unwrap()
            .starts_with("the committed table is not CSV: record 2"));
        assert_eq!(diff.files[4].binary, Some((1, 2)));
        assert!(!diff.is_empty());
        assert!(diff_reports(&fresh, &fresh).is_empty());
    }

    #[test]
    fn a_version_bump_alone_is_recognised_even_in_notebook_cell_ids() {
        let manifest = |version: &str| {
            format!(
                r#"{{"tool": {{"name": "delphi-report", "version": "{version}"}}, "outputs": [{{"path": "report.en.md", "sha256": "{version}"}}]}}"#
            )
        };
        let committed = files(&[
            ("manifest.json", &manifest("0.1.0")),
            ("report.en.md", "Generated by delphi-report 0.1.0.\n"),
            (
                "report.en.ipynb",
                "{\n \"cells\": [\n  {\n   \"id\": \"title-0123456789abcdef\",\n   \"source\": \"by 0.1.0\"\n  }\n ]\n}\n",
            ),
        ]);
        let fresh = files(&[
            ("manifest.json", &manifest("0.2.0")),
            ("report.en.md", "Generated by delphi-report 0.2.0.\n"),
            (
                "report.en.ipynb",
                "{\n \"cells\": [\n  {\n   \"id\": \"title-fedcba9876543210\",\n   \"source\": \"by 0.2.0\"\n  }\n ]\n}\n",
            ),
        ]);
        let diff = diff_reports(&committed, &fresh);
        assert_eq!(
            diff.version_bump,
            Some(VersionBump {
                old: "0.1.0".into(),
                new: "0.2.0".into(),
                files: 2
            })
        );
        // Any other change, however small, is not a version bump.
        let mut reworded = fresh.clone();
        reworded.insert(
            "report.en.md".into(),
            b"Generated by delphi-report 0.2.0!\n".to_vec(),
        );
        assert_eq!(diff_reports(&committed, &reworded).version_bump, None);
    }
}
