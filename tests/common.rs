//! Helpers shared by the integration tests: the reference study's location and study-folder copies.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

pub fn reference_study() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/htsme-2024")
}

/// Copies the reference study into a fresh temporary folder so a test may change it.
pub fn copy_reference_study() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(reference_study()).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// Parses a simple CSV (no quoted separators in the columns used) into header and rows.
pub fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

pub fn file_text(files: &delphi_report::report::ReportFiles, name: &str) -> String {
    String::from_utf8(
        files
            .get(name)
            .unwrap_or_else(|| panic!("no file {name}"))
            .clone(),
    )
    .unwrap()
}
