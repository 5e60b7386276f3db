//! Snapshots of each cell's Markdown, one snapshot per cell and language, for the reference study and
//! the worked example: a changed cell fails with its own diff instead of a whole report.

use std::path::Path;

use crate::common::file_text;

/// The report's Markdown cut at the level-2 headings that open the cells in both languages
/// (`## Cell 1 · The study`, `## بخش ۱: پژوهش`): ("front", the front page before the first cell:
/// title, key findings, contents), then ("cell-NN", each cell's text) in order.
fn cells(markdown: &str) -> Vec<(String, String)> {
    let mut cells = vec![("front".to_string(), String::new())];
    for line in markdown.split_inclusive('\n') {
        if line.starts_with("## Cell ") || line.starts_with("## بخش ") {
            cells.push((format!("cell-{:02}", cells.len()), String::new()));
        }
        cells.last_mut().unwrap().1.push_str(line);
    }
    cells
}

fn snapshot_cells(study_folder: &str, study: &str) {
    let build =
        delphi_report::build_report(&Path::new(env!("CARGO_MANIFEST_DIR")).join(study_folder))
            .unwrap();
    for lang in ["en", "fa"] {
        let markdown = file_text(&build.files, &format!("report.{lang}.md"));
        let cells = cells(&markdown);
        assert!(
            cells.len() > 5,
            "{study} {lang}: only {} cells",
            cells.len()
        );
        let names: Vec<String> = cells
            .iter()
            .map(|(name, _)| format!("suite__report_cells__{study}__{lang}__{name}.snap"))
            .collect();
        for (name, text) in cells {
            insta::assert_snapshot!(format!("{study}__{lang}__{name}"), text);
        }
        // A cell that is gone leaves no snapshot behind to mislead the next reader.
        let prefix = format!("suite__report_cells__{study}__{lang}__");
        let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/suite/snapshots");
        let stale: Vec<String> = std::fs::read_dir(&snapshots)
            .unwrap()
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|file| file.starts_with(&prefix) && file.ends_with(".snap"))
            .filter(|file| !names.contains(file))
            .collect();
        assert!(
            stale.is_empty(),
            "snapshots of cells the report no longer has: {stale:?}"
        );
    }
}

#[test]
fn reference_study_cells() {
    snapshot_cells("data/htsme-2024", "htsme-2024");
}

#[test]
fn worked_example_cells() {
    snapshot_cells("examples/synthetic-three-rounds", "synthetic-three-rounds");
}
