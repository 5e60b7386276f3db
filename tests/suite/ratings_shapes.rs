//! The three ratings shapes (counts, long, wide) give identical Tables 6 and 7.
//!
//! The long and wide files here are SYNTHETIC: the reference paper publishes only counts, so these tests
//! invent one expert per rating (E01, E02, ...) that reproduces each printed count exactly.

use crate::common;

use std::fs;
use std::path::Path;

use common::{copy_reference_study, file_text, read_csv, reference_study};

const LEVEL_IDS: [&str; 5] = ["very_low", "low", "medium", "high", "very_high"];
const LEVEL_LABELS_FA: [&str; 5] = ["بسیار کم", "کم", "متوسط", "زیاد", "بسیار زیاد"];
const LEVEL_LABELS_EN: [&str; 5] = ["Very low", "Low", "Medium", "High", "Very high"];

/// The reference counts as (indicator, counts per level).
fn reference_counts() -> Vec<(String, Vec<usize>)> {
    let text = fs::read_to_string(reference_study().join("table6_published.csv")).unwrap();
    let (_, rows) = read_csv(&text);
    rows.into_iter()
        .map(|r| {
            (
                r[0].clone(),
                r[1..].iter().map(|c| c.parse().unwrap()).collect(),
            )
        })
        .collect()
}

/// Synthetic experts: indicator i's ratings go, level by level, to experts E01, E02, ... in turn.
/// Ratings are written in a different spelling per level, to exercise every accepted form.
fn synthetic_ratings() -> Vec<(String, String, String)> {
    let mut ratings = Vec::new();
    for (indicator, counts) in reference_counts() {
        let mut expert = 0;
        for (level, &count) in counts.iter().enumerate() {
            for _ in 0..count {
                expert += 1;
                let written = match level % 4 {
                    0 => (level + 1).to_string(),
                    1 => LEVEL_LABELS_FA[level].to_string(),
                    2 => LEVEL_LABELS_EN[level].to_string(),
                    _ => LEVEL_IDS[level].to_string(),
                };
                ratings.push((format!("E{expert:02}"), indicator.clone(), written));
            }
        }
    }
    ratings
}

fn set_shape(study: &Path, shape: &str, file: &str) {
    let yaml = fs::read_to_string(study.join("study.yaml")).unwrap();
    let replaced = yaml.replace(
        "ratings: {shape: counts, path: table6_published.csv}",
        &format!("ratings: {{shape: {shape}, path: {file}}}"),
    );
    assert_ne!(yaml, replaced, "study.yaml ratings line not found");
    fs::write(study.join("study.yaml"), replaced).unwrap();
}

/// The reference study with `bytes` as its long ratings: the build's error chain, which must fail.
fn long_ratings_error(bytes: impl AsRef<[u8]>) -> String {
    let study = copy_reference_study();
    fs::write(study.path().join("ratings_long.csv"), bytes).unwrap();
    set_shape(study.path(), "long", "ratings_long.csv");
    match delphi_report::build_report(study.path()) {
        Ok(_) => panic!("the build should fail"),
        Err(error) => format!("{error:#}"),
    }
}

fn tables(study: &Path) -> (String, String) {
    let build = delphi_report::build_report(study).unwrap();
    let (counts, screening) = common::numbered_tables(study);
    (
        file_text(&build.files, &counts),
        file_text(&build.files, &screening),
    )
}

#[test]
fn long_and_wide_ratings_give_the_same_tables_as_the_printed_counts() {
    let from_counts = tables(&reference_study());

    let long_study = copy_reference_study();
    let mut long = String::from("expert,indicator,rating\n");
    for (expert, indicator, rating) in synthetic_ratings() {
        long.push_str(&format!("{expert},{indicator},{rating}\n"));
    }
    fs::write(long_study.path().join("ratings_long.csv"), long).unwrap();
    set_shape(long_study.path(), "long", "ratings_long.csv");
    let from_long = tables(long_study.path());

    let wide_study = copy_reference_study();
    let indicators: Vec<String> = reference_counts().into_iter().map(|(id, _)| id).collect();
    let ratings = synthetic_ratings();
    let mut wide = format!("expert,{}\n", indicators.join(","));
    for expert in 1..=15 {
        let name = format!("E{expert:02}");
        let cells: Vec<String> = indicators
            .iter()
            .map(|ind| {
                ratings
                    .iter()
                    .find(|(e, i, _)| *e == name && i == ind)
                    .map(|(_, _, r)| r.clone())
                    .unwrap_or_default() // row 1 has 8 responses: experts 9..15 left it blank
            })
            .collect();
        wide.push_str(&format!("{name},{}\n", cells.join(",")));
    }
    fs::write(wide_study.path().join("ratings_wide.csv"), wide).unwrap();
    set_shape(wide_study.path(), "wide", "ratings_wide.csv");
    let from_wide = tables(wide_study.path());

    assert_eq!(from_long.0, from_counts.0, "Table 6 from long ratings");
    assert_eq!(from_long.1, from_counts.1, "Table 7 from long ratings");
    assert_eq!(from_wide.0, from_counts.0, "Table 6 from wide ratings");
    assert_eq!(from_wide.1, from_counts.1, "Table 7 from wide ratings");
    // The comparison is not vacuous: the tables hold the 48 indicators.
    assert_eq!(from_counts.1.lines().count(), 49);
}

#[test]
fn a_rating_outside_the_scale_is_named_by_file_row_and_column() {
    let message = long_ratings_error("expert,indicator,rating\nE01,I01,5\nE02,I01,6\n");
    assert!(message.contains("ratings_long.csv: row 2 (line 3), column 'rating': expected a level number from 1 to 5"), "{message}");
    assert!(message.contains("found '6'"), "{message}");
}

#[test]
fn a_duplicate_expert_indicator_pair_is_rejected() {
    let message = long_ratings_error("expert,indicator,rating\nE01,I01,5\nE02,I01,4\nE01,I01,3\n");
    assert!(
        message.contains(
            "row 3 (line 4), column 'indicator': expert 'E01' rated indicator 'I01' twice"
        ),
        "{message}"
    );
}

#[test]
fn errors_deep_in_a_large_streamed_file_name_their_row() {
    // SYNTHETIC: 48 indicators x 4000 experts = 192,000 ratings, so polars hands the file over in many
    // batches; one bad rating at a known row must still be named by its row in the file.
    let indicators: Vec<String> = reference_counts().into_iter().map(|(id, _)| id).collect();
    let mut long = String::from("expert,indicator,rating\n");
    let mut row = 0;
    let bad_row = 150_001;
    for expert in 0..4000 {
        for indicator in &indicators {
            row += 1;
            let rating = if row == bad_row {
                "7".to_string()
            } else {
                ((row % 5) + 1).to_string()
            };
            long.push_str(&format!("X{expert},{indicator},{rating}\n"));
        }
    }
    let message = long_ratings_error(long);
    assert!(
        message.contains("row 150001 (line 150002), column 'rating'"),
        "{message}"
    );
    assert!(message.contains("found '7'"), "{message}");
}

#[test]
fn invalid_utf8_in_a_long_file_is_located_by_line_even_while_polars_reads_it() {
    let mut bytes = b"expert,indicator,rating\nE01,I01,5\n".to_vec();
    bytes.extend_from_slice(b"E02,I01,\xff\n");
    let message = long_ratings_error(bytes);
    assert!(
        message.contains("ratings_long.csv: line 3: the file is not valid UTF-8"),
        "{message}"
    );
}

#[test]
fn fuzz_long_ratings_file_compressed_magic_is_an_error_not_a_panic() {
    // Regression for a crash found by tests/fuzz.rs (FUZZ_CASES=120000): polars panics on a file that
    // starts like a zlib stream ("x^") when built without its `decompress` feature.
    let message = long_ratings_error("x^pert,indicator,rating\nE01,I01,5\n");
    assert!(
        message.contains("ratings_long.csv: the file starts like a zlib-compressed stream"),
        "{message}"
    );
}
