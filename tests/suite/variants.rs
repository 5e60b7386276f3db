//! Issue 14, method variants end to end through the SYNTHETIC study `tests/fixtures/variants` (see its
//! README): a raw-score scale (each answer k is (k, k, k)), min / geometric mean / max aggregation with
//! the geometric defuzzification, a reverse-coded item and a threshold relative to the panel's crisp
//! values. Every number below is worked out by hand from the fixture's four experts.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{file_text, read_csv, replace_once};

/// The fixture declares no table numbers, so its counts and screening tables are Tables 1 and 2.
const COUNTS_CSV: &str = "tables/table1.csv";
const SCREENING_CSV: &str = "tables/table2.csv";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/variants")
}

/// The fixture copied into a temporary folder, to be changed by a test.
fn copy_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(fixture()).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// A CSV table as rows of fields, header first.
fn table(files: &delphi_report::report::ReportFiles, name: &str) -> Vec<Vec<String>> {
    let (header, mut rows) = read_csv(&file_text(files, name));
    rows.insert(0, header);
    rows
}

/// The screening table's `l, m, u, crisp, status` of each indicator, numbers parsed.
fn screening(files: &delphi_report::report::ReportFiles) -> Vec<(String, [f64; 4], String)> {
    table(files, SCREENING_CSV)[1..]
        .iter()
        .map(|row| {
            let number = |i: usize| row[i].parse::<f64>().unwrap();
            (
                row[0].clone(),
                [number(2), number(3), number(4), number(5)],
                row[6].clone(),
            )
        })
        .collect()
}

/// Within a few ulps: the tool's f64 roots and ours may round differently in the last place.
fn close(found: f64, expected: f64) -> bool {
    (found - expected).abs() <= 4.0 * f64::EPSILON * expected.abs().max(1.0)
}

fn assert_screening(found: &[(String, [f64; 4], String)], expected: &[(&str, [f64; 4], &str)]) {
    assert_eq!(found.len(), expected.len());
    for ((id, values, status), (want_id, want_values, want_status)) in found.iter().zip(expected) {
        assert_eq!(id, want_id);
        for (value, want) in values.iter().zip(want_values) {
            assert!(
                close(*value, *want),
                "{id}: {values:?} against {want_values:?}"
            );
        }
        assert_eq!(status, want_status, "{id}");
    }
}

/// The threshold file's one row: `rule,of,factor,statistic,threshold,threshold_fraction`.
fn threshold_row(files: &delphi_report::report::ReportFiles) -> Vec<String> {
    let rows = table(files, "tables/threshold.csv");
    assert_eq!(
        rows[0],
        [
            "rule",
            "of",
            "factor",
            "statistic",
            "threshold",
            "threshold_fraction"
        ]
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    rows[1].clone()
}

#[test]
fn raw_scores_min_geometric_max_reverse_coding_and_a_relative_mean_threshold_match_a_hand_computation(
) {
    let build = delphi_report::build_report(&fixture()).unwrap();
    let files = &build.files;
    // Ratings of E1..E4 (levels are the raw scores 1..5):
    //   I1 1 4 4 1: l = min = 1, m = (1·4·4·1)^(1/4) = 16^(1/4) = 2, u = max = 4,
    //               crisp = (1·2·4)^(1/3) = 8^(1/3) = 2.
    //   I2 5 2 2 5, reverse-coded: 6 - k gives 1 4 4 1, so I2 is I1 exactly.
    //   I3 3 3 3 3: l = m = u = crisp = 3.
    //   I4 2 4 4 2: l = 2, m = 64^(1/4) = 2√2, u = 4, crisp = (2·2√2·4)^(1/3) = (2^4.5)^(1/3) = 2√2.
    //   I5 1 1 1 2: l = 1, m = 2^(1/4), u = 2, crisp = (2^(1/4)·2)^(1/3) = 2^(5/12) = 1.3348...
    //   I6 1 2 2 2: l = 1, m = 8^(1/4) = 2^(3/4), u = 2, crisp = 2^(7/12) = 1.4983...
    let root2 = 2f64.sqrt();
    let crisp = [
        2.0,
        2.0,
        3.0,
        2.0 * root2,
        2f64.powf(5.0 / 12.0),
        2f64.powf(7.0 / 12.0),
    ];
    // T = 0.8 × mean(crisp) = 0.8 × (7 + 2√2 + 2^(5/12) + 2^(7/12)) / 6 = 1.68821: I5 and I6 fall below.
    let threshold = 0.8 * crisp.iter().sum::<f64>() / 6.0;
    assert!(
        (threshold - 1.688_209_874_105_72).abs() < 1e-12,
        "{threshold}"
    );
    assert_screening(
        &screening(files),
        &[
            ("I1", [1.0, 2.0, 4.0, crisp[0]], "accepted"),
            ("I2", [1.0, 2.0, 4.0, crisp[1]], "accepted"),
            ("I3", [3.0, 3.0, 3.0, crisp[2]], "accepted"),
            ("I4", [2.0, 2.0 * root2, 4.0, crisp[3]], "accepted"),
            ("I5", [1.0, 2f64.powf(0.25), 2.0, crisp[4]], "rejected"),
            ("I6", [1.0, 2f64.powf(0.75), 2.0, crisp[5]], "rejected"),
        ],
    );
    // The unanimous row is exact: 3, not a root's neighbour.
    assert_eq!(table(files, SCREENING_CSV)[3][2..6], ["3.0"; 4]);
    // The counts are after reversal, and both counts and screening say which item was reversed.
    let counts = table(files, COUNTS_CSV);
    assert_eq!(
        counts[0],
        [
            "indicator",
            "component",
            "s1",
            "s2",
            "s3",
            "s4",
            "s5",
            "responses",
            "reversed"
        ]
    );
    assert_eq!(counts[2], ["I2", "C1", "2", "0", "0", "2", "0", "4", "yes"]);
    assert_eq!(counts[1][8], "");
    assert_eq!(table(files, SCREENING_CSV)[2][7], "yes");
    // The effective threshold, at full precision: a mean of f64 crisp values, so no fraction.
    let row = threshold_row(files);
    assert_eq!(row[..3], ["relative", "mean", "0.8"]);
    assert!(close(row[3].parse().unwrap(), threshold / 0.8), "{row:?}");
    assert!(close(row[4].parse().unwrap(), threshold), "{row:?}");
    assert_eq!(row[5], "");

    // The report states each variant with its formula, in both languages.
    let en = file_text(files, "report.en.md");
    for text in [
        "The scale's numbers are raw scores, not shares of 0 to 1: the means, crisp values, threshold, distances and changes are all in its units, from 1 to 5.",
        "Reverse-coded item (Indicator two (reverse-coded) (2)): each rating at level k of the 5 levels is counted as level `k′ = 5 + 1 − k`",
        "Aggregation (Cheng and Lin 2002): l = min lᵢ, m = (Π mᵢ)^(1/n), u = max uᵢ",
        "Defuzzification: crisp = (l × m × u)^(1/3)",
        "`T = 0.8 × mean(crisp)`, 0.8 times the mean crisp value of the 6 indicators with responses. Here mean(crisp) ≈ 2.110262, so T ≈ 1.68821.",
        "Decision: an indicator is accepted when its crisp value is at least 1.68821, otherwise rejected.",
        "`crisp = (l × m × u)^(1/3)`; accepted when `crisp ≥ 1.68821`",
        "| 2 | Indicator two (reverse-coded) † | 1.000 | 2.000 | 4.000 | 2.000 | accepted |",
        "| 2 | First component | Indicator two (reverse-coded) † | 2 | 0 | 0 | 2 | 0 | 4 |",
        "† Reverse-coded item: computed from its ratings reversed (level k of 5 counted as 5 + 1 − k).",
        "from 0 to 5; a dashed vertical line marks the threshold 1.68821",
    ] {
        assert!(en.contains(text), "report.en.md lacks {text:?}");
    }
    // No paragraph on a variant the study does not use.
    assert!(!en.contains("median(crisp)"));
    let fa = file_text(files, "report.fa.md");
    for text in [
        "اعداد طیف نمره‌های خام‌اند",
        "گویهٔ معکوس (شاخص دو (معکوس) (۲))",
        "`k′ = 5 + 1 − k`",
        "l = کمینهٔ lᵢ و m = (Π mᵢ)^(۱/n) و u = بیشینهٔ uᵢ",
        "مقدار قطعی = (l × m × u)^(۱/۳)",
        "`T = 0.8 × mean(crisp)`",
        "پس T ≈ ۱٫۶۸۸۲۱",
        "شاخص دو (معکوس) †",
    ] {
        assert!(fa.contains(text), "report.fa.md lacks {text:?}");
    }
}

#[test]
fn without_the_reverse_mark_the_second_item_is_computed_from_its_raw_answers() {
    let study = copy_fixture();
    replace_once(
        &study.path().join("indicators.csv"),
        "paper,yes\n",
        "paper,\n",
    );
    let build = delphi_report::build_report(study.path()).unwrap();
    // I2 5 2 2 5 unreversed: l = 2, m = (5·2·2·5)^(1/4) = √10, u = 5,
    // crisp = (2·√10·5)^(1/3) = (10^1.5)^(1/3) = √10 = 3.1623.
    let found = screening(&build.files);
    let root10 = 10f64.sqrt();
    assert_screening(
        &found[1..2],
        &[("I2", [2.0, root10, 5.0, root10], "accepted")],
    );
    let en = file_text(&build.files, "report.en.md");
    assert!(!en.contains("Reverse-coded"), "{en}");
    assert!(!en.contains('†'));
    // Without reverse-coded items the tables keep their usual columns.
    assert!(!file_text(&build.files, COUNTS_CSV).contains("reversed"));
    assert!(!file_text(&build.files, SCREENING_CSV).contains("reversed"));
}

#[test]
fn a_median_threshold_puts_the_median_indicators_exactly_on_it() {
    let study = copy_fixture();
    replace_once(
        &study.path().join("study.yaml"),
        "threshold: {of: mean, factor: 0.8}",
        "threshold: {of: median, factor: 1}",
    );
    let build = delphi_report::build_report(study.path()).unwrap();
    // Sorted crisp values 2^(5/12), 2^(7/12), 2, 2, 2√2, 3: the median is the mean of the two middle
    // values, I1's and I2's crisp value itself, so T is that double and both are accepted (crisp ≥ T).
    let found = screening(&build.files);
    let statuses: Vec<&str> = found.iter().map(|(_, _, s)| s.as_str()).collect();
    assert_eq!(
        statuses,
        ["accepted", "accepted", "accepted", "accepted", "rejected", "rejected"]
    );
    let row = threshold_row(&build.files);
    let i1_crisp = &table(&build.files, SCREENING_CSV)[1][5];
    assert_eq!(row[..3], ["relative", "median", "1"]);
    assert_eq!((&row[3], &row[4]), (i1_crisp, i1_crisp));
    let en = file_text(&build.files, "report.en.md");
    assert!(
        en.contains("`T = 1 × median(crisp)`, 1 times the median crisp value of the 6 indicators with responses (the middle value, or the mean of the two middle values when their number is even). Here median(crisp) ≈ 2, so T ≈ 2."),
        "{en}"
    );
}

#[test]
fn an_exact_method_gives_an_exact_relative_threshold() {
    let study = copy_fixture();
    replace_once(
        &study.path().join("study.yaml"),
        "aggregation: min-geometric-max",
        "aggregation: arithmetic-mean",
    );
    replace_once(
        &study.path().join("study.yaml"),
        "defuzzification: geometric ",
        "defuzzification: centroid ",
    );
    let build = delphi_report::build_report(study.path()).unwrap();
    // On (k, k, k) the arithmetic mean and the centroid give each item's mean rating:
    // I1 and I2 (reversed) 10/4 = 5/2, I3 3, I4 12/4 = 3, I5 5/4, I6 7/4.
    // mean = (5/2 + 5/2 + 3 + 3 + 5/4 + 7/4) / 6 = 14 / 6 = 7/3; T = 0.8 × 7/3 = 28/15 = 1.8667.
    let found = screening(&build.files);
    let crisp: Vec<f64> = found.iter().map(|(_, v, _)| v[3]).collect();
    assert_eq!(crisp, [2.5, 2.5, 3.0, 3.0, 1.25, 1.75]);
    assert_eq!(
        threshold_row(&build.files),
        [
            "relative",
            "mean",
            "0.8",
            "2.3333333333333335",
            "1.8666666666666667",
            "28/15"
        ]
    );
    let en = file_text(&build.files, "report.en.md");
    for text in [
        "Here mean(crisp) = 7/3 ≈ 2.333333, so T = 28/15 ≈ 1.866667. Both are exact fractions, since the crisp values are",
        "Decision: an indicator is accepted when its crisp value is at least 1.866667, otherwise rejected.",
        "Computations are exact (rational arithmetic)",
    ] {
        assert!(en.contains(text), "report.en.md lacks {text:?}");
    }
    let fa = file_text(&build.files, "report.fa.md");
    assert!(
        fa.contains("mean(crisp) = ۷/۳ ≈ ۲٫۳۳۳۳۳۳، پس T = ۲۸/۱۵ ≈ ۱٫۸۶۶۶۶۷"),
        "{fa}"
    );
}

#[test]
fn a_fixed_threshold_has_its_row_too() {
    let build = delphi_report::build_report(&common::reference_study()).unwrap();
    assert_eq!(
        threshold_row(&build.files),
        ["fixed", "", "", "", "0.5", "1/2"]
    );
}
