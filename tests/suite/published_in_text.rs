//! The printed sample percentages and text counts: read from the study folder, badly formed cells
//! rejected with the file, row and column named, and the audit's outputs absent when nothing is printed.

use crate::common;

use std::fs;
use std::path::Path;

use common::{copy_reference_study, file_text};

fn replace_in(study: &Path, file: &str, from: &str, to: &str) {
    let path = study.join(file);
    let text = fs::read_to_string(&path).unwrap();
    let changed = text.replace(from, to);
    assert_ne!(text, changed, "{from} not found in {file}");
    fs::write(&path, changed).unwrap();
}

fn build_error(study: &Path) -> String {
    let error = match delphi_report::build_report(study) {
        Ok(_) => panic!("the build should fail"),
        Err(error) => error,
    };
    assert_eq!(delphi_report::error::exit_code_for(&error), 3);
    format!("{error:#}")
}

#[test]
fn a_relation_other_than_equal_more_or_less_is_rejected_with_its_cell() {
    let study = copy_reference_study();
    replace_in(
        study.path(),
        "demographics_published.csv",
        ",>,75,",
        ",~,75,",
    );
    let message = build_error(study.path());
    assert!(
        message.contains(
            "demographics_published.csv: row 6 (line 7), column 'relation': expected '=', '>' or '<', found '~'"
        ),
        "{message}"
    );
}

#[test]
fn percentages_above_100_and_inconsistent_sets_are_rejected() {
    let study = copy_reference_study();
    replace_in(
        study.path(),
        "demographics_published.csv",
        ",=,74,",
        ",=,174,",
    );
    let message = build_error(study.path());
    assert!(
        message.contains("demographics_published.csv: row 1 (line 2), column 'percent': expected a whole percentage from 0 to 100, found '174'"),
        "{message}"
    );

    let study = copy_reference_study();
    replace_in(
        study.path(),
        "demographics_published.csv",
        "gender,Gender,جنسیت,yes,women",
        "gender,Gender,جنسیت,no,women",
    );
    let message = build_error(study.path());
    assert!(
        message.contains("row 2 (line 3), column 'set': set 'gender' has other names or another 'exhaustive' value on an earlier row"),
        "{message}"
    );
}

#[test]
fn an_unknown_count_target_is_rejected_with_its_cell() {
    let study = copy_reference_study();
    replace_in(
        study.path(),
        "coding_counts_published.csv",
        ",48,indicators,",
        ",48,codes,",
    );
    let message = build_error(study.path());
    assert!(
        message.contains("coding_counts_published.csv: row 2 (line 3), column 'checked_against': expected indicators, components, accepted, rejected or an empty cell, found 'codes'"),
        "{message}"
    );
}

#[test]
fn a_changed_count_is_a_mismatch_and_studies_printing_neither_have_no_such_outputs() {
    let study = copy_reference_study();
    replace_in(
        study.path(),
        "coding_counts_published.csv",
        ",9,components,",
        ",8,components,",
    );
    let build = delphi_report::build_report(study.path()).unwrap();
    let csv = file_text(&build.files, "tables/coding_counts_audit.csv");
    assert!(
        csv.contains("components,=,8,components,9,mismatch,162"),
        "{csv}"
    );

    let study = copy_reference_study();
    replace_in(
        study.path(),
        "study.yaml",
        "    demographics: demographics_published.csv",
        "",
    );
    replace_in(
        study.path(),
        "study.yaml",
        "    coding_counts: coding_counts_published.csv",
        "",
    );
    let build = delphi_report::build_report(study.path()).unwrap();
    assert!(!build.files.contains_key("tables/demographics_audit.csv"));
    assert!(!build.files.contains_key("tables/coding_counts_audit.csv"));
    assert!(build.files.contains_key("tables/audit.csv"));
    let md = file_text(&build.files, "report.en.md");
    assert!(!md.contains("Audit of the sample and coding figures"));
    assert!(md.contains("Audit of the published tables"));
}
