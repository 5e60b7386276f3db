//! How `check` prints drift: short text for a terminal, Markdown for a CI job summary or a pull-request
//! comment, JSON for other tools (schema in the README, `schema_version` below). Each list is capped at
//! `max_cells` entries, with a count of what was left out.

use serde_json::{json, Value as Json};

use super::manifest::ManifestDiff;
use super::table::{CellChange, Row, TableDiff, Value};
use super::{FileChange, FileChangeKind, ReportDiff};
use crate::report::render::{escape_markdown, markdown_row, markdown_rule};

/// The version of the JSON output's layout; raised when a field changes meaning or disappears.
pub(crate) const SCHEMA_VERSION: u64 = 1;

/// The output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Plain text, for a terminal.
    #[default]
    Text,
    /// Markdown, for a CI summary or a pull-request comment.
    Markdown,
    /// JSON, for tools (schema in the README).
    Json,
}

/// One study's check: where its data and its committed report are, and how they differ.
#[derive(Debug, Clone)]
pub struct StudyCheck {
    /// The study's id.
    pub study: String,
    /// The study folder as given (or found by `--all`).
    pub study_folder: String,
    /// The committed report folder.
    pub report_folder: String,
    /// The committed report folder does not exist (every file is then missing).
    pub report_folder_missing: bool,
    /// How the committed report differs from a fresh build.
    pub diff: ReportDiff,
}

impl StudyCheck {
    /// Whether the committed report differs from a fresh build, or is missing.
    pub fn drifted(&self) -> bool {
        self.report_folder_missing || !self.diff.is_empty()
    }
}

/// Renders the checks of one or more studies.
pub fn render(checks: &[StudyCheck], format: Format, max_cells: usize) -> String {
    match format {
        Format::Text => text(checks, max_cells),
        Format::Markdown => markdown(checks, max_cells),
        Format::Json => {
            let mut out = serde_json::to_string_pretty(&json_report(checks, max_cells))
                .unwrap_or_else(|_| "{}".to_string());
            out.push('\n');
            out
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The most characters of a text cell shown; longer ones (an audit's diagnosis) are shown from
/// shortly before their first difference.
const CELL_CHARS: usize = 80;

/// A cell's old and new values as shown: at display precision, long texts cut around their first
/// difference, an empty cell as `(empty)`.
fn shown(cell: &CellChange) -> (String, String) {
    let (old, new) = (&cell.old.display, &cell.new.display);
    let start = if old.chars().count() > CELL_CHARS || new.chars().count() > CELL_CHARS {
        let common = old
            .chars()
            .zip(new.chars())
            .take_while(|(a, b)| a == b)
            .count();
        common.saturating_sub(20)
    } else {
        0
    };
    let show = |text: &str| {
        if text.is_empty() {
            "(empty)".to_string()
        } else {
            super::excerpt(text, start, CELL_CHARS)
        }
    };
    (show(old), show(new))
}

/// A changed cell as `0.300 -> 0.250`, with full precision when it says more.
fn cell_change(cell: &CellChange) -> String {
    let (old, new) = shown(cell);
    let mut text = format!("{old} -> {new}");
    if cell.old.is_decimal() || cell.new.is_decimal() {
        text.push_str(&format!(" (full: {} -> {}", cell.old.text, cell.new.text));
        if cell.below_display_precision() {
            text.push_str("; below display precision");
        }
        text.push(')');
    }
    text
}

fn row_values(row: &Row) -> String {
    row.values
        .iter()
        .filter(|(column, _)| !row.key.columns.iter().any(|(key, _)| key == column))
        .map(|(column, value)| format!("{column}={value}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The study's drift in one line: decisions, tables, other files.
fn summary(check: &StudyCheck) -> String {
    let diff = &check.diff;
    let mut parts = Vec::new();
    let decisions = diff.decisions().len();
    if decisions > 0 {
        parts.push(plural(decisions, "decision flips", "decisions flip"));
    }
    if diff.tables.is_empty() {
        parts.push("no table changes".to_string());
    } else {
        let added: usize = diff.tables.iter().map(|t| t.rows_added.len()).sum();
        let removed: usize = diff.tables.iter().map(|t| t.rows_removed.len()).sum();
        parts.push(format!(
            "{} change ({}, {} added, {} removed)",
            plural(diff.tables.len(), "table", "tables"),
            plural(diff.cells_changed(), "cell", "cells"),
            plural(added, "row", "rows"),
            removed
        ));
    }
    if !diff.files.is_empty() {
        parts.push(format!(
            "{} {}",
            plural(diff.files.len(), "other file", "other files"),
            if diff.files.len() == 1 {
                "changes"
            } else {
                "change"
            }
        ));
    }
    parts.join("; ")
}

fn manifest_lines(manifest: &ManifestDiff, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some((old, new)) = &manifest.tool_version {
        lines.push(format!("tool version {old} -> {new}"));
    }
    let show = |value: &Option<Json>| match value {
        Some(v) => v.to_string(),
        None => "(none)".to_string(),
    };
    for change in manifest
        .parameters
        .iter()
        .map(|c| ("parameter", c))
        .chain(manifest.other.iter().map(|c| ("field", c)))
        .take(max)
    {
        lines.push(format!(
            "{} {}: {} -> {}",
            change.0,
            change.1.path,
            show(&change.1.old),
            show(&change.1.new)
        ));
    }
    let hidden = (manifest.parameters.len() + manifest.other.len()).saturating_sub(max);
    if hidden > 0 {
        lines.push(format!("{hidden} more parameters left out"));
    }
    for input in &manifest.inputs {
        let roles = if input.roles.is_empty() {
            String::new()
        } else {
            format!(" ({})", input.roles.join(", "))
        };
        lines.push(format!("input {} {}{roles}", input.path, input.change));
    }
    for template in &manifest.templates {
        lines.push(format!("template {} {}", template.path, template.change));
    }
    for output in &manifest.outputs_unexplained {
        lines.push(format!(
            "the committed digest of {output} does not match the committed file"
        ));
    }
    if let Some(problem) = &manifest.unreadable {
        lines.push(problem.clone());
    }
    lines
}

fn file_line(file: &FileChange) -> String {
    match file.kind {
        FileChangeKind::Missing => format!("{}: missing (the build makes it)", file.path),
        FileChangeKind::Unexpected => format!("{}: not produced by the build", file.path),
        FileChangeKind::Changed => {
            let mut text = file.path.clone();
            if let Some((old, new)) = file.binary {
                text.push_str(&format!(": binary, {old} -> {new} bytes"));
            }
            if let Some(note) = &file.note {
                text.push_str(&format!(" ({note})"));
            }
            if let Some(change) = &file.first_change {
                let side = |s: &Option<String>| match s {
                    Some(s) => format!("`{s}`"),
                    None => "(end of file)".to_string(),
                };
                text.push_str(&format!(
                    ", line {}: {} -> {}",
                    change.line,
                    side(&change.old),
                    side(&change.new)
                ));
            }
            text
        }
    }
}

fn left_out(n: usize, what: &str, max: usize) -> String {
    format!("... {n} more {what} left out (--max-cells {max})")
}

fn text(checks: &[StudyCheck], max: usize) -> String {
    let mut out = String::new();
    for check in checks {
        let diff = &check.diff;
        if !check.drifted() {
            out.push_str(&format!(
                "{}: all {} files are up to date\n",
                check.report_folder, diff.files_compared
            ));
            continue;
        }
        if check.report_folder_missing {
            out.push_str(&format!(
                "{}: no committed report (the build of {} makes {} files)\n",
                check.report_folder, check.study_folder, diff.files_compared
            ));
        } else if let Some(bump) = &diff.version_bump {
            out.push_str(&format!(
                "{}: only the tool version changed ({} -> {}, printed in {}); nothing else differs\n",
                check.report_folder,
                bump.old,
                bump.new,
                plural(bump.files, "file", "files")
            ));
        } else {
            out.push_str(&format!(
                "{} has drifted from {}: {}\n",
                check.report_folder,
                check.study_folder,
                summary(check)
            ));
            let decisions = diff.decisions();
            if !decisions.is_empty() {
                out.push_str("decisions that flip:\n");
                for (table, cell) in decisions.iter().take(max) {
                    out.push_str(&format!(
                        "  {} {}, {}: {} -> {}\n",
                        table.path,
                        cell.row.label(),
                        cell.column,
                        cell.old.display,
                        cell.new.display
                    ));
                }
                if decisions.len() > max {
                    out.push_str(&format!(
                        "  {}\n",
                        left_out(decisions.len() - max, "decisions", max)
                    ));
                }
            }
            for table in &diff.tables {
                text_table(&mut out, table, max);
            }
            let manifest = manifest_lines(&diff.manifest, max);
            if !manifest.is_empty() {
                out.push_str(&format!("manifest.json: {}\n", manifest.join("; ")));
            }
            if !diff.files.is_empty() {
                out.push_str("other files:\n");
                for file in &diff.files {
                    out.push_str(&format!("  {}\n", file_line(file)));
                }
            }
        }
        out.push_str(&format!(
            "to accept: `delphi-report build-report --study {}` and commit {}\n",
            check.study_folder, check.report_folder
        ));
    }
    if checks.len() > 1 {
        out.push_str(&overall(checks));
        out.push('\n');
    }
    out
}

/// One line over every study checked.
fn overall(checks: &[StudyCheck]) -> String {
    let drifted: Vec<&str> = checks
        .iter()
        .filter(|c| c.drifted())
        .map(|c| c.study.as_str())
        .collect();
    if drifted.is_empty() {
        format!(
            "{} checked: all up to date",
            plural(checks.len(), "study", "studies")
        )
    } else {
        format!(
            "{} checked: {} drifted ({})",
            plural(checks.len(), "study", "studies"),
            drifted.len(),
            drifted.join(", ")
        )
    }
}

fn text_table(out: &mut String, table: &TableDiff, max: usize) {
    let decisions = table.cells.iter().filter(|c| c.decision).count();
    let mut head = format!(
        "{} (rows by {}): {} changed, {}",
        table.path,
        table.key.join(" + "),
        plural(table.rows_changed(), "row", "rows"),
        plural(table.cells.len(), "cell", "cells")
    );
    if decisions > 0 {
        head.push_str(&format!(" ({decisions} of them decisions, above)"));
    }
    if !table.rows_added.is_empty() {
        head.push_str(&format!(
            ", {} added",
            plural(table.rows_added.len(), "row", "rows")
        ));
    }
    if !table.rows_removed.is_empty() {
        head.push_str(&format!(
            ", {} removed",
            plural(table.rows_removed.len(), "row", "rows")
        ));
    }
    out.push_str(&head);
    out.push('\n');
    if !table.columns_added.is_empty() {
        out.push_str(&format!(
            "  columns added: {}\n",
            table.columns_added.join(", ")
        ));
    }
    if !table.columns_removed.is_empty() {
        out.push_str(&format!(
            "  columns removed: {}\n",
            table.columns_removed.join(", ")
        ));
    }
    let others: Vec<&CellChange> = table.cells.iter().filter(|c| !c.decision).collect();
    for cell in others.iter().take(max) {
        out.push_str(&format!(
            "  {}, {}: {}\n",
            cell.row.label(),
            cell.column,
            cell_change(cell)
        ));
    }
    if others.len() > max {
        out.push_str(&format!(
            "  {}\n",
            left_out(others.len() - max, "cells", max)
        ));
    }
    for (rows, sign, what) in [
        (&table.rows_added, "added", "added rows"),
        (&table.rows_removed, "removed", "removed rows"),
    ] {
        for row in rows.iter().take(max) {
            out.push_str(&format!(
                "  {sign} {}: {}\n",
                row.key.label(),
                row_values(row)
            ));
        }
        if rows.len() > max {
            out.push_str(&format!("  {}\n", left_out(rows.len() - max, what, max)));
        }
    }
}

fn markdown(checks: &[StudyCheck], max: usize) -> String {
    let mut out = String::new();
    let drifted = checks.iter().filter(|c| c.drifted()).count();
    let title = if drifted == 0 {
        format!(
            "### delphi-report check: {} up to date\n\n",
            if checks.len() == 1 {
                "the report is".to_string()
            } else {
                format!("all {} reports are", checks.len())
            }
        )
    } else {
        format!(
            "### delphi-report check: drift in {drifted} of {}\n\n",
            plural(checks.len(), "study", "studies")
        )
    };
    out.push_str(&title);
    for check in checks {
        let diff = &check.diff;
        let name = format!(
            "**{}** (`{}`, from `{}`)",
            escape_markdown(&check.study),
            check.report_folder.replace('`', "'"),
            check.study_folder.replace('`', "'")
        );
        if !check.drifted() {
            out.push_str(&format!(
                "{name}: all {} files are up to date.\n\n",
                diff.files_compared
            ));
            continue;
        }
        if check.report_folder_missing {
            out.push_str(&format!(
                "{name}: no committed report; the build makes {} files.\n\n",
                diff.files_compared
            ));
            continue;
        }
        if let Some(bump) = &diff.version_bump {
            out.push_str(&format!(
                "{name}: only the tool version changed ({} → {}, printed in {}); nothing else differs.\n\n",
                escape_markdown(&bump.old),
                escape_markdown(&bump.new),
                plural(bump.files, "file", "files")
            ));
            continue;
        }
        out.push_str(&format!("{name}: {}.\n\n", summary(check)));
        let decisions = diff.decisions();
        if !decisions.is_empty() {
            out.push_str("Decisions that flip:\n\n");
            out.push_str(&markdown_row(&strings(&[
                "table",
                "row",
                "column",
                "committed",
                "rebuilt",
            ])));
            out.push('\n');
            out.push_str(&markdown_rule(5));
            out.push('\n');
            for (table, cell) in decisions.iter().take(max) {
                out.push_str(&markdown_row(&[
                    table.path.clone(),
                    cell.row.label(),
                    cell.column.clone(),
                    cell.old.display.clone(),
                    cell.new.display.clone(),
                ]));
                out.push('\n');
            }
            out.push('\n');
            if decisions.len() > max {
                out.push_str(&format!(
                    "{}\n\n",
                    escape_markdown(&left_out(decisions.len() - max, "decisions", max))
                ));
            }
        }
        for table in &diff.tables {
            markdown_table(&mut out, table, max);
        }
        let manifest = manifest_lines(&diff.manifest, max);
        if !manifest.is_empty() {
            out.push_str(&format!(
                "`manifest.json`: {}.\n\n",
                escape_markdown(&manifest.join("; "))
            ));
        }
        if !diff.files.is_empty() {
            out.push_str("Other files:\n\n");
            out.push_str(&markdown_row(&strings(&[
                "file",
                "change",
                "line",
                "committed",
                "rebuilt",
            ])));
            out.push('\n');
            out.push_str(&markdown_rule(5));
            out.push('\n');
            for file in &diff.files {
                let mut change = file.kind.as_str().to_string();
                if let Some((old, new)) = file.binary {
                    change = format!("binary, {old} → {new} bytes");
                }
                if let Some(note) = &file.note {
                    change.push_str(&format!(" ({note})"));
                }
                let (line, old, new) = match &file.first_change {
                    Some(c) => (
                        c.line.to_string(),
                        c.old.clone().unwrap_or_else(|| "(end of file)".into()),
                        c.new.clone().unwrap_or_else(|| "(end of file)".into()),
                    ),
                    None => Default::default(),
                };
                out.push_str(&markdown_row(&[file.path.clone(), change, line, old, new]));
                out.push('\n');
            }
            out.push('\n');
        }
    }
    if checks.len() > 1 {
        out.push_str(&escape_markdown(&overall(checks)));
        out.push_str(".\n");
    }
    out
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn markdown_table(out: &mut String, table: &TableDiff, max: usize) {
    let mut head = format!(
        "`{}` (rows by {}): {} changed, {}",
        table.path,
        escape_markdown(&table.key.join(" + ")),
        plural(table.rows_changed(), "row", "rows"),
        plural(table.cells.len(), "cell", "cells")
    );
    for (rows, what) in [
        (&table.rows_added, "added"),
        (&table.rows_removed, "removed"),
    ] {
        if !rows.is_empty() {
            head.push_str(&format!(", {} {what}", plural(rows.len(), "row", "rows")));
        }
    }
    for (columns, what) in [
        (&table.columns_added, "columns added"),
        (&table.columns_removed, "columns removed"),
    ] {
        if !columns.is_empty() {
            head.push_str(&format!(
                "; {what}: {}",
                escape_markdown(&columns.join(", "))
            ));
        }
    }
    out.push_str(&head);
    out.push_str("\n\n");
    if !table.cells.is_empty() {
        out.push_str(&markdown_row(&strings(&[
            "row",
            "column",
            "committed",
            "rebuilt",
            "committed (full)",
            "rebuilt (full)",
        ])));
        out.push('\n');
        out.push_str(&markdown_rule(6));
        out.push('\n');
        for cell in table.cells.iter().take(max) {
            let full = |v: &Value| {
                if cell.old.is_decimal() || cell.new.is_decimal() {
                    v.text.clone()
                } else {
                    String::new()
                }
            };
            let column = if cell.decision {
                format!("{} (decision)", cell.column)
            } else {
                cell.column.clone()
            };
            let (old, new) = shown(cell);
            out.push_str(&markdown_row(&[
                cell.row.label(),
                column,
                old,
                new,
                full(&cell.old),
                full(&cell.new),
            ]));
            out.push('\n');
        }
        out.push('\n');
        if table.cells.len() > max {
            out.push_str(&format!(
                "{}\n\n",
                escape_markdown(&left_out(table.cells.len() - max, "cells", max))
            ));
        }
    }
    for (rows, what) in [
        (&table.rows_added, "Rows added"),
        (&table.rows_removed, "Rows removed"),
    ] {
        if rows.is_empty() {
            continue;
        }
        let shown: Vec<String> = rows
            .iter()
            .take(max)
            .map(|r| format!("{} ({})", r.key.label(), row_values(r)))
            .collect();
        out.push_str(&format!("{what}: {}", escape_markdown(&shown.join("; "))));
        if rows.len() > max {
            out.push_str(&format!("; {} more left out", rows.len() - max));
        }
        out.push_str(".\n\n");
    }
}

fn json_value(value: &Value) -> Json {
    json!({"text": value.text, "display": value.display})
}

fn json_key(row: &super::table::RowKey) -> Json {
    let key: serde_json::Map<String, Json> = row
        .columns
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    Json::Object(key)
}

fn json_cell(table: &TableDiff, cell: &CellChange) -> Json {
    json!({
        "table": table.path,
        "row": cell.row.label(),
        "key": json_key(&cell.row),
        "occurrence": cell.row.occurrence,
        "column": cell.column,
        "decision": cell.decision,
        "old": json_value(&cell.old),
        "new": json_value(&cell.new),
        "below_display_precision": cell.below_display_precision(),
    })
}

fn json_row(row: &Row) -> Json {
    let values: serde_json::Map<String, Json> = row
        .values
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    json!({"row": row.key.label(), "key": json_key(&row.key), "values": values})
}

fn json_report(checks: &[StudyCheck], max: usize) -> Json {
    let studies: Vec<Json> = checks.iter().map(|c| json_study(c, max)).collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "drift": checks.iter().any(StudyCheck::drifted),
        "max_cells": max,
        "studies": studies,
    })
}

fn json_study(check: &StudyCheck, max: usize) -> Json {
    let diff = &check.diff;
    let decisions = diff.decisions();
    let tables: Vec<Json> = diff
        .tables
        .iter()
        .map(|table| {
            json!({
                "path": table.path,
                "key": table.key,
                "rows_changed": table.rows_changed(),
                "cells_changed": table.cells.len(),
                "cells": table.cells.iter().take(max).map(|c| json_cell(table, c)).collect::<Vec<_>>(),
                "cells_left_out": table.cells.len().saturating_sub(max),
                "rows_added": table.rows_added.iter().take(max).map(json_row).collect::<Vec<_>>(),
                "rows_added_left_out": table.rows_added.len().saturating_sub(max),
                "rows_removed": table.rows_removed.iter().take(max).map(json_row).collect::<Vec<_>>(),
                "rows_removed_left_out": table.rows_removed.len().saturating_sub(max),
                "columns_added": table.columns_added,
                "columns_removed": table.columns_removed,
            })
        })
        .collect();
    let files: Vec<Json> = diff
        .files
        .iter()
        .map(|file| {
            json!({
                "path": file.path,
                "change": file.kind.as_str(),
                "first_changed_line": file.first_change.as_ref().map(|c| json!({
                    "line": c.line, "old": c.old, "new": c.new,
                })),
                "binary": file.binary.map(|(old, new)| json!({"old_bytes": old, "new_bytes": new})),
                "note": file.note,
            })
        })
        .collect();
    let manifest = &diff.manifest;
    let value_change =
        |c: &super::manifest::ValueChange| json!({"path": c.path, "old": c.old, "new": c.new});
    let entry = |e: &super::manifest::EntryChange| json!({"path": e.path, "roles": e.roles, "change": e.change});
    json!({
        "study": check.study,
        "study_folder": check.study_folder,
        "report_folder": check.report_folder,
        "drift": check.drifted(),
        "report_folder_missing": check.report_folder_missing,
        "files_compared": diff.files_compared,
        "display_decimals": diff.decimals,
        "version_bump": diff.version_bump.as_ref().map(|b| json!({"old": b.old, "new": b.new, "files": b.files})),
        "decisions": decisions.iter().take(max).map(|(t, c)| json_cell(t, c)).collect::<Vec<_>>(),
        "decisions_left_out": decisions.len().saturating_sub(max),
        "tables": tables,
        "files": files,
        "manifest": {
            "tool_version": manifest.tool_version.as_ref().map(|(old, new)| json!({"old": old, "new": new})),
            "parameters": manifest.parameters.iter().map(value_change).collect::<Vec<_>>(),
            "other": manifest.other.iter().map(value_change).collect::<Vec<_>>(),
            "inputs": manifest.inputs.iter().map(entry).collect::<Vec<_>>(),
            "templates": manifest.templates.iter().map(entry).collect::<Vec<_>>(),
            "outputs_unexplained": manifest.outputs_unexplained,
            "unreadable": manifest.unreadable,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::csv::parse;
    use crate::drift::manifest::ManifestDiff;
    use crate::drift::table::diff_table;

    /// A SYNTHETIC table of 60 indicators whose crisp value all moved, one of which flips.
    fn big_check() -> StudyCheck {
        let mut old = String::from("indicator,crisp,status\n");
        let mut new = old.clone();
        for i in 0..60 {
            old.push_str(&format!("I{i},0.6{i},accepted\n"));
            let status = if i == 7 { "rejected" } else { "accepted" };
            new.push_str(&format!("I{i},0.7{i},{status}\n"));
        }
        let table = diff_table(
            "tables/table7.csv",
            &parse(&old).unwrap(),
            &parse(&new).unwrap(),
            3,
        );
        StudyCheck {
            study: "s".into(),
            study_folder: "data/s".into(),
            report_folder: "reports/s".into(),
            report_folder_missing: false,
            diff: ReportDiff {
                files_compared: 3,
                decimals: 3,
                tables: vec![table],
                files: Vec::new(),
                manifest: ManifestDiff::default(),
                version_bump: None,
            },
        }
    }

    #[test]
    fn long_diffs_are_capped_with_a_count_of_what_was_left_out() {
        let check = big_check();
        assert_eq!(check.diff.cells_changed(), 61);
        let text = render(std::slice::from_ref(&check), Format::Text, 10);
        assert!(
            text.contains(
                "decisions that flip:\n  tables/table7.csv I7, status: accepted -> rejected\n"
            ),
            "{text}"
        );
        // 60 crisp cells, 10 shown.
        assert_eq!(text.matches(", crisp: ").count(), 10, "{text}");
        assert!(
            text.contains("... 50 more cells left out (--max-cells 10)"),
            "{text}"
        );

        let json: Json =
            serde_json::from_str(&render(std::slice::from_ref(&check), Format::Json, 10)).unwrap();
        let table = &json["studies"][0]["tables"][0];
        assert_eq!(table["cells_changed"], 61);
        assert_eq!(table["cells"].as_array().unwrap().len(), 10);
        assert_eq!(table["cells_left_out"], 51);
        assert_eq!(table["cells"][0]["column"], "status");
        assert_eq!(json["studies"][0]["decisions_left_out"], 0);

        let markdown = render(std::slice::from_ref(&check), Format::Markdown, 10);
        assert!(markdown.contains("51 more cells left out"), "{markdown}");
        // The decision and 9 crisp cells: 10 in all.
        assert_eq!(markdown.matches("\n| I").count(), 10, "{markdown}");
    }

    #[test]
    fn an_identical_report_says_so_in_every_format() {
        let mut check = big_check();
        check.diff.tables.clear();
        assert_eq!(
            render(std::slice::from_ref(&check), Format::Text, 50),
            "reports/s: all 3 files are up to date\n"
        );
        assert!(render(std::slice::from_ref(&check), Format::Markdown, 50)
            .starts_with("### delphi-report check: the report is up to date\n"));
        let json: Json =
            serde_json::from_str(&render(std::slice::from_ref(&check), Format::Json, 50)).unwrap();
        assert_eq!(json["schema_version"], SCHEMA_VERSION);
        assert_eq!(json["drift"], false);
    }
}
