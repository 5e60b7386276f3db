//! End to end on the reference study (Rezvani et al. 2024): Tables 6 and 7 regenerated from data and
//! checked against the printed values.

use crate::common;

use delphi_report::number::{Exact, Printed, RoundingRule};

use common::{file_text, read_csv, reference_study};

/// Rows on which the printed Tables 6 and 7 agree, found by hand (Python, exact fractions) from the
/// transcription; the data README explains the other 16.
const AGREEING_ROWS: [usize; 32] = [
    2, 3, 5, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 19, 20, 22, 23, 24, 35, 36, 37, 38, 39, 40, 41,
    42, 43, 44, 45, 46, 47, 48,
];

/// Exact value of a full-precision CSV number: the f64 is within 1e-12 of a fraction with denominator 180
/// (15 experts x 4 quarter steps x 3 vertices), which the test recovers to compare at the printed digit.
fn exact_from_csv(text: &str, denominator: i128) -> Exact {
    let value: f64 = text.parse().unwrap();
    let numerator = (value * denominator as f64).round();
    assert!(
        (numerator / denominator as f64 - value).abs() < 1e-12,
        "{text} is not k/{denominator}"
    );
    Exact::new(numerator as i128, denominator).unwrap()
}

#[test]
fn table7_reproduces_every_printed_value_on_the_rows_where_the_printed_tables_agree() {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let screening = common::numbered_tables(&reference_study()).1;
    let (header, reproduced) = read_csv(&file_text(&build.files, &screening));
    assert_eq!(
        header,
        ["indicator", "component", "l", "m", "u", "crisp", "status"]
    );
    assert_eq!(reproduced.len(), 48);
    let published_text =
        std::fs::read_to_string(reference_study().join("table7_published.csv")).unwrap();
    let (_, printed) = read_csv(&published_text);

    let mut agreeing = Vec::new();
    for (index, (ours, theirs)) in reproduced.iter().zip(&printed).enumerate() {
        assert_eq!(ours[0], theirs[0], "same indicator order");
        // Row 1 has 8 responses (denominator 8 * 4 * 3 = 96); every other row has 15 (180).
        let denominator = if index == 0 { 96 } else { 180 };
        let mut all_match = true;
        for column in 0..4 {
            let printed_text = &theirs[column + 1];
            if printed_text.is_empty() {
                continue; // lost in the extraction
            }
            let printed = Printed::parse(printed_text).unwrap();
            let exact = exact_from_csv(&ours[column + 2], denominator);
            all_match &= printed.is_rounding_of(exact, RoundingRule::HalfAwayFromZero);
        }
        all_match &= ours[6] == theirs[5];
        if all_match {
            agreeing.push(index + 1);
        }
    }
    assert_eq!(agreeing, AGREEING_ROWS);
}

#[test]
fn the_screening_accepts_47_and_rejects_motivation_as_the_paper_says() {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let screening = common::numbered_tables(&reference_study()).1;
    let (_, rows) = read_csv(&file_text(&build.files, &screening));
    let rejected: Vec<&str> = rows
        .iter()
        .filter(|r| r[6] == "rejected")
        .map(|r| r[0].as_str())
        .collect();
    let accepted = rows.iter().filter(|r| r[6] == "accepted").count();
    assert_eq!(rejected, ["I48"]);
    assert_eq!(accepted, 47);
    // Row 48: counts (3, 2, 5, 3, 2) -> l = 17/60, m = 29/60, u = 42/60, crisp = 22/45 = 0.4889.
    let row48 = &rows[47];
    assert_eq!(
        row48[2..6],
        [
            "0.2833333333333333",
            "0.48333333333333334",
            "0.7",
            "0.4888888888888889"
        ]
    );
}

#[test]
fn table6_csv_holds_the_counts_and_flags_nothing_silently() {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let text = file_text(&build.files, &common::numbered_tables(&reference_study()).0);
    let (header, rows) = read_csv(&text);
    assert_eq!(
        header,
        [
            "indicator",
            "component",
            "very_low",
            "low",
            "medium",
            "high",
            "very_high",
            "responses"
        ]
    );
    assert_eq!(rows[0], ["I01", "networking", "1", "1", "0", "3", "3", "8"]);
    assert_eq!(
        rows[2],
        ["I03", "networking", "0", "0", "1", "5", "9", "15"]
    );
    assert_eq!(rows[47], ["I48", "assets", "3", "2", "5", "3", "2", "15"]);
    let short: Vec<&str> = rows
        .iter()
        .filter(|r| r[7] != "15")
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(short, ["I01"]);
}

#[test]
fn the_english_report_shows_both_tables_the_summary_and_the_audit() {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let md = file_text(&build.files, "report.en.md");
    assert!(
        md.contains("**Table 6. Report of the experts' opinions in the first\\-round survey**")
            || md
                .contains("**Table 6. Report of the experts' opinions in the first-round survey**"),
        "{md}"
    );
    assert!(md.contains("**Table 7. Mean of the experts' views in the fuzzy Delphi technique**"));
    // Row 3 of Table 7 as the paper prints it: 0.633 0.883 0.983 0.833.
    assert!(md.contains("| 3 | Using network relationships in the internationalization process | 0.633 | 0.883 | 0.983 | 0.833 | accepted |"), "{md}");
    assert!(md.contains("**47** of 48 indicators are accepted and **1** rejected"));
    assert!(md.contains("Rejected: Motivation (48)."));
    assert!(md.contains("Rows of Table 7 whose printed values all match (plainly, by rounding, or are not published): **32** of 48. Rows with a mismatch or an infeasible value: 1, 4, 6, 10, 18, 21, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34."), "{md}");
    // Row 4's crisp value: printed 0.673, reproduced 0.672 (121/180); 0.673 is no k/180.
    assert!(md.contains("| 7 | 4 | Crisp | 0.673 | 0.672 | infeasible | No 15 ratings on the scale give this value at its printed precision; the nearest values they can give are 0.672 and 0.678; one digit differs from the reproduced 0.672. |"), "{md}");
    assert!(
        md.contains("1 (8 responses)"),
        "row 1 flagged as incomplete"
    );
    assert!(!md.contains('۰'), "no Persian digits in the English report");
}

#[test]
fn the_persian_report_is_right_to_left_with_persian_digits_names_and_captions() {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let md = file_text(&build.files, "report.fa.md");
    let html = file_text(&build.files, "report.fa.html");
    assert!(html.contains(r#"<html lang="fa" dir="rtl">"#));
    assert!(
        md.contains("**جدول ۶. گزارش نظرات خبرگان در نظرسنجی مرحله اول**"),
        "{md}"
    );
    assert!(md.contains("**جدول ۷. میانگین دیدگاه‌های خبرگان در تکنیک دلفی فازی**"));
    // Row 48: 0.283 0.483 0.700 0.489, rejected.
    assert!(
        md.contains("| ۴۸ | انگیزش | ۰٫۲۸۳ | ۰٫۴۸۳ | ۰٫۷۰۰ | ۰٫۴۸۹ | رد |"),
        "{md}"
    );
    assert!(html.contains("<td><bdi>۰٫۴۸۹</bdi></td>"));
    // No ASCII digits in any table row of the Persian report, except in the inputs table, whose file
    // names and SHA-256 digests are identifiers, not numbers, and in the interviewees' codes (A1..A11),
    // which the paper prints in Latin letters and digits.
    for line in md.lines().filter(|l| l.starts_with('|')) {
        if line.contains("SHA-256") || line.contains(".csv") || line.contains(".yaml") {
            continue;
        }
        let without_interviewees: String = line
            .split(" | ")
            .filter(|cell| {
                let cell = cell.trim_matches(|c| c == '|' || c == ' ');
                !(cell.starts_with('A') && cell[1..].chars().all(|c| c.is_ascii_digit()))
            })
            .collect();
        assert!(
            !without_interviewees.chars().any(|c| c.is_ascii_digit()),
            "ASCII digit in: {line}"
        );
    }
    let en_html = file_text(&build.files, "report.en.html");
    assert!(en_html.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(en_html.contains(r#"href="report.fa.html""#));
    assert!(html.contains(r#"href="report.en.html""#));
}

#[test]
fn html_pages_are_self_contained() {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    for name in ["report.en.html", "report.fa.html"] {
        let html = file_text(&build.files, name);
        for forbidden in [
            "<script", "<link", "<img", "<iframe", "src=", "@import", "http://", "https://",
        ] {
            assert!(!html.contains(forbidden), "{name} contains {forbidden}");
        }
        // CSS and SVG may refer to fragments of the page itself (`url(#crisp-hatch)`), nothing else.
        for (at, _) in html.match_indices("url(") {
            assert!(
                html[at..].starts_with("url(#"),
                "{name} refers to {}",
                &html[at..at + 40]
            );
        }
    }
}

#[test]
fn builds_are_byte_identical() {
    let first = delphi_report::build_report(&reference_study()).unwrap();
    let second = delphi_report::build_report(&reference_study()).unwrap();
    assert_eq!(first.files, second.files);
}

/// The counts and screening tables' CSV files are named by the numbers the study gives them: the
/// reference study's Tables 6 and 7 keep `table6.csv` and `table7.csv`, the worked example (which gives
/// none) writes tables 1 and 2, and a study that says 3 and 9 gets `table3.csv` and `table9.csv`.
#[test]
fn the_tables_csv_files_are_named_by_the_numbers_the_study_gives_its_tables() {
    assert_eq!(
        common::numbered_tables(&reference_study()),
        (
            "tables/table6.csv".to_string(),
            "tables/table7.csv".to_string()
        )
    );
    let example =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/synthetic-three-rounds");
    assert_eq!(
        common::numbered_tables(&example),
        (
            "tables/table1.csv".to_string(),
            "tables/table2.csv".to_string()
        )
    );
    let study = common::copy_reference_study();
    let yaml = study.path().join("study.yaml");
    common::replace_once(&yaml, "    number: 6\n", "    number: 3\n");
    common::replace_once(&yaml, "    number: 7\n", "    number: 9\n");
    let build = delphi_report::build_report(study.path()).unwrap();
    let csv: Vec<&str> = build
        .files
        .keys()
        .map(String::as_str)
        .filter(|p| p.starts_with("tables/table"))
        .collect();
    assert_eq!(
        csv,
        [
            "tables/table3.csv",
            "tables/table9.csv",
            "tables/tables.en.xlsx",
            "tables/tables.fa.xlsx"
        ]
    );
    assert!(file_text(&build.files, "tables/table9.csv")
        .starts_with("indicator,component,l,m,u,crisp,status\n"));
    assert!(
        file_text(&build.files, "tables/table3.csv").starts_with("indicator,component,very_low,")
    );
}
