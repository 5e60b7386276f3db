//! Issue 14, method identification: `delphi-report identify` ranks scales, aggregations,
//! defuzzifications and readings of the printed counts' columns by the printed rows they reproduce.

use crate::common;

use std::fs;
use std::process::Command;

use delphi_report::domain::{Aggregation, Defuzzification};

use common::{copy_reference_study, reference_study};

#[test]
fn on_the_reference_study_it_finds_the_configured_scale_method_and_the_recorded_column_reading() {
    let found = delphi_report::identify(&reference_study()).unwrap();
    // Every five-level scale (the study's, five-point-quarters, five-point-fifths) x 3 x 4 x 5! = 120.
    assert_eq!((found.rows, found.readings), (48, 120));
    assert_eq!(found.ranked.len(), 3 * 3 * 4 * 120);
    // The study's scale and the five-point-quarters preset are the same table: a tie for rank 1, with
    // the arithmetic mean, the centroid and Table 6's columns read as transcribed (data/htsme-2024/
    // README.md, judgment 1). 32 rows: the 48 less the 16 the audit finds inconsistent.
    let top: Vec<(&str, Aggregation, Defuzzification, bool, usize, usize, bool)> = found.ranked
        [..3]
        .iter()
        .map(|r| {
            (
                found.scales[r.scale].name.as_str(),
                r.aggregation,
                r.defuzzification,
                r.reads_as_printed(),
                r.reproduced,
                r.rank,
                r.tied,
            )
        })
        .collect();
    let (am, centroid) = (Aggregation::ArithmeticMean, Defuzzification::Centroid);
    assert_eq!(top[0], ("study.yaml", am, centroid, true, 32, 1, true));
    assert_eq!(
        top[1],
        ("five-point-quarters", am, centroid, true, 32, 1, true)
    );
    assert!(top[2].4 < 32 && top[2].5 == 3);
    // Reading the first block's extracted order (high and very high exchanged) reproduces far fewer.
    let swapped = found
        .ranked
        .iter()
        .find(|r| {
            r.scale == 0
                && r.aggregation == am
                && r.defuzzification == centroid
                && r.reading == [0, 1, 2, 4, 3]
        })
        .unwrap();
    assert!(swapped.reproduced < 16, "{swapped:?}");
}

#[test]
fn the_command_prints_the_top_ten_and_says_ties_are_ties() {
    let out = Command::new(env!("CARGO_BIN_EXE_delphi-report"))
        .args(["identify", "--study", reference_study().to_str().unwrap()])
        .output()
        .unwrap();
    common::assert_succeeded(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Rank"))
        .collect();
    assert_eq!(rows.len(), 10, "{text}");
    assert_eq!(
        rows[0],
        "| 1 (tie) | study.yaml | arithmetic-mean | centroid | as printed | 32 of 48 |"
    );
    assert!(
        text.contains("2 combinations tie for rank 1, each reproducing 32 of 48 rows."),
        "{text}"
    );
}

#[test]
fn without_a_printed_screening_table_identify_says_what_it_needs() {
    let study = copy_reference_study();
    let yaml = fs::read_to_string(study.path().join("study.yaml")).unwrap();
    fs::write(
        study.path().join("study.yaml"),
        yaml.replace("    screening: table7_published.csv\n", ""),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_delphi-report"))
        .args(["identify", "--study", study.path().to_str().unwrap()])
        .output()
        .unwrap();
    // Bad input (exit 3), naming the key that is missing.
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "study.yaml, key 'data.published.screening': identify needs a printed screening table"
        ),
        "{stderr}"
    );
}
