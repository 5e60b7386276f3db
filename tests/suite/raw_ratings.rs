//! Raw ratings in the forms real studies have them: survey exports (CSV and XLSX), expert weights, and
//! methods other than the paper's, end to end. Every study here is SYNTHETIC and tiny, so each number
//! can be checked by hand.

use crate::common;

use std::fs;
use std::path::Path;

use common::{copy_reference_study, file_text, read_csv, xlsx_bytes, XlsxCell};

const STUDY: &str = "# SYNTHETIC test study
id: mini
title: {en: Mini study (SYNTHETIC), fa: پژوهش کوچک ساختگی}
panels: {delphi_experts: 3}
scale: {preset: five-point-quarters}
method: {aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}
data:
  components: components.csv
  indicators: indicators.csv
RATINGS
";

/// A study folder with indicators A and B and the given ratings block and files.
fn study(ratings_block: &str, files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("study.yaml"),
        STUDY.replace("RATINGS", ratings_block),
    )
    .unwrap();
    fs::write(
        dir.path().join("components.csv"),
        "id,name_fa,name_en,name_en_source\nC1,مولفه,Component,paper\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("indicators.csv"),
        "id,component,name_fa,name_en,name_en_source\nA,C1,الف,Alpha,paper\nB,C1,ب,Beta,paper\n",
    )
    .unwrap();
    for (name, bytes) in files {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

fn screening(folder: &Path) -> Vec<Vec<String>> {
    let build = delphi_report::build_report(folder).unwrap();
    read_csv(&file_text(&build.files, &common::numbered_tables(folder).1)).1
}

fn error_of(folder: &Path) -> String {
    format!("{:#}", delphi_report::build_report(folder).err().unwrap())
}

const LONG: &str =
    "expert,indicator,rating\nX,A,high\nY,A,very_low\nZ,A,very_low\nX,B,3\nY,B,3\nZ,B,3\n";

#[test]
fn weights_shape_the_mean_and_need_not_sum_to_one() {
    // A: X (weight 2) rates High (.5, .75, 1); Y and Z (weight 1 each) rate Very low (0, 0, .25).
    // Weighted, total 4: l = 2 * .5 / 4 = .25, m = 2 * .75 / 4 = .375, u = (2 + .25 + .25) / 4 = .625;
    // crisp = 1.25 / 3 = 5/12 = 0.41667. Unweighted it would be (1/6, 1/4, 1/2), crisp 11/36.
    // B: all Medium: (.25, .5, .75), crisp .5 whatever the weights.
    let block = "  ratings: {shape: long, path: ratings.csv}\n  weights: weights.csv";
    let weighted = study(
        block,
        &[
            ("ratings.csv", LONG.into()),
            ("weights.csv", "expert,weight\nX,2\nY,1\nZ,1.0\n".into()),
        ],
    );
    let rows = screening(weighted.path());
    assert_eq!(
        rows[0][2..7],
        ["0.25", "0.375", "0.625", "0.4166666666666667", "rejected"]
    );
    assert_eq!(rows[1][2..7], ["0.25", "0.5", "0.75", "0.5", "accepted"]);
    // The same weights scaled to sum to one give the same numbers.
    let normalised = study(
        block,
        &[
            ("ratings.csv", LONG.into()),
            (
                "weights.csv",
                "expert,weight\nX,0.5\nY,0.25\nZ,0.25\n".into(),
            ),
        ],
    );
    assert_eq!(screening(normalised.path()), rows);
    let build = delphi_report::build_report(weighted.path()).unwrap();
    let report = file_text(&build.files, "report.en.md");
    assert!(
        report.contains("Experts are weighted (`weights.csv`)"),
        "{report}"
    );
    // Unweighted, for comparison.
    let plain = study(
        "  ratings: {shape: long, path: ratings.csv}",
        &[("ratings.csv", LONG.into())],
    );
    assert_eq!(screening(plain.path())[0][5], "0.3055555555555556");
}

#[test]
fn wide_files_and_survey_exports_carry_weights_like_long_files() {
    // The same ratings and weights as above, one row per expert: the same screening.
    let weights = ("weights.csv", b"expert,weight\nX,2\nY,1\nZ,1\n".to_vec());
    let long = study(
        "  ratings: {shape: long, path: ratings.csv}\n  weights: weights.csv",
        &[("ratings.csv", LONG.into()), weights.clone()],
    );
    let wide = study(
        "  ratings: {shape: wide, path: ratings.csv}\n  weights: weights.csv",
        &[
            (
                "ratings.csv",
                b"expert,A,B\nX,high,3\nY,very_low,3\nZ,very_low,3\n".to_vec(),
            ),
            weights.clone(),
        ],
    );
    let survey = study(
        "  weights: weights.csv
  ratings:
    shape: survey
    path: export.csv
    survey:
      expert_column: Who
      questions: {Alpha?: A, Beta?: B}",
        &[
            (
                "export.csv",
                b"Who,Alpha?,Beta?\nX,High,Medium\nY,Very low,Medium\nZ,Very low,Medium\n".to_vec(),
            ),
            weights,
        ],
    );
    let expected = screening(long.path());
    assert_eq!(expected[0][5], "0.4166666666666667");
    assert_eq!(screening(wide.path()), expected);
    assert_eq!(screening(survey.path()), expected);
}

#[test]
fn a_rating_by_an_expert_without_a_weight_is_an_error_naming_the_row() {
    let dir = study(
        "  ratings: {shape: long, path: ratings.csv}\n  weights: weights.csv",
        &[
            ("ratings.csv", LONG.into()),
            ("weights.csv", "expert,weight\nX,2\nY,1\n".into()),
        ],
    );
    let error = error_of(dir.path());
    assert!(
        error.contains("ratings.csv: row 3 (line 4), column 'expert': expert 'Z' has no weight in"),
        "{error}"
    );
    let bad = study(
        "  ratings: {shape: long, path: ratings.csv}\n  weights: weights.csv",
        &[
            ("ratings.csv", LONG.into()),
            ("weights.csv", "expert,weight\nX,2\nY,0\nZ,1\n".into()),
        ],
    );
    let error = error_of(bad.path());
    assert!(
        error.contains(
            "weights.csv: row 2 (line 3), column 'weight': expected a number greater than 0"
        ),
        "{error}"
    );
}

const SURVEY: &str = "  ratings:
    shape: survey
    path: export.csv
    survey:
      expert_column: Email Address
      ignore: [Timestamp]
      questions:
        \"Rate the factors [Alpha]\": A
        \"Rate the factors [Beta]\": B
      answers:
        \"Fairly high\": high";

#[test]
fn a_google_forms_export_is_read_by_question_text_and_answer_labels() {
    // Headers wrap and carry stray spaces in real exports; answers are labels, one of them mapped.
    let export = "\"Timestamp\",\"Email Address\",\"Rate the factors\n [Alpha]\",\"Rate  the factors [Beta]\"\n\
                  \"2025/01/01 10:00:00\",\"x@example.org\",\"Fairly high\",\"Medium\"\n\
                  \"2025/01/01 10:05:00\",\"y@example.org\",\"Very low\",\"medium\"\n\
                  \"2025/01/01 10:09:00\",\"z@example.org\",\"1\",\"\"\n";
    let dir = study(SURVEY, &[("export.csv", export.into())]);
    let (_, data) = delphi_report::ingest::load_folder(dir.path()).unwrap();
    assert_eq!(data.counts.rows[0].counts, [2, 0, 0, 1, 0]);
    // z left Beta empty: two responses, flagged as incomplete.
    assert_eq!(data.counts.rows[1].counts, [0, 0, 2, 0, 0]);
}

#[test]
fn survey_columns_that_are_not_accounted_for_are_errors() {
    let header =
        "\"Timestamp\",\"Email Address\",\"Rate the factors [Alpha]\",\"Rate the factors [Beta]\"";
    // An extra column neither mapped nor ignored.
    let extra = format!("{header},\"Score\"\n\"t\",\"x@example.org\",\"3\",\"3\",\"10\"\n");
    let dir = study(SURVEY, &[("export.csv", extra.into_bytes())]);
    let error = error_of(dir.path());
    assert!(
        error.contains("export.csv, column 'Score': this column is neither a question (data.ratings.survey.questions)"),
        "{error}"
    );
    // A question the file does not have.
    let missing = "\"Timestamp\",\"Email Address\",\"Rate the factors [Alpha]\"\n\"t\",\"x@example.org\",\"3\"\n";
    let dir = study(SURVEY, &[("export.csv", missing.into())]);
    let error = error_of(dir.path());
    assert!(
        error.contains(
            "column 'Rate the factors [Beta]': data.ratings.survey.questions names this column"
        ),
        "{error}"
    );
    // An answer that names no level, located by row and column.
    let answer = format!("{header}\n\"t\",\"x@example.org\",\"3\",\"3\"\n\"t\",\"y@example.org\",\"Rather high\",\"3\"\n");
    let dir = study(SURVEY, &[("export.csv", answer.into_bytes())]);
    let error = error_of(dir.path());
    assert!(
        error.contains("export.csv: row 2 (line 3), column 'Rate the factors [Alpha]': expected a level number from 1 to 5"),
        "{error}"
    );
    assert!(error.contains("found 'Rather high'"), "{error}");
    // The same respondent twice.
    let twice = format!(
        "{header}\n\"t\",\"x@example.org\",\"3\",\"3\"\n\"t\",\"x@example.org\",\"4\",\"3\"\n"
    );
    let dir = study(SURVEY, &[("export.csv", twice.into_bytes())]);
    let error = error_of(dir.path());
    assert!(
        error.contains("respondent 'x@example.org' answered twice (first at row 1)"),
        "{error}"
    );
    // A question mapped to an indicator that does not exist names study.yaml.
    let dir = study(
        &SURVEY.replace("[Beta]\": B", "[Beta]\": Q"),
        &[("export.csv", answer_free(header))],
    );
    let error = error_of(dir.path());
    // Issue 13: a YAML key is named as a key, and both problems of the mapping are reported at once.
    assert!(
        error.contains("study.yaml, key 'data.ratings.survey.questions': 'Rate the factors [Beta]' maps to 'Q'"),
        "{error}"
    );
    assert!(
        error.contains("key 'data.ratings.survey.questions': indicator 'B' has no question"),
        "{error}"
    );
}

fn answer_free(header: &str) -> Vec<u8> {
    format!("{header}\n").into_bytes()
}

#[test]
fn a_microsoft_forms_workbook_is_read_from_the_named_sheet() {
    let text = |t: &str| XlsxCell::Text(t.to_string());
    let workbook = xlsx_bytes(&[
        ("Summary", vec![vec![text("not the answers")]]),
        (
            "Form1",
            vec![
                vec![
                    text("ID"),
                    text("Start time"),
                    text("Email"),
                    text("Alpha"),
                    text("Beta"),
                ],
                vec![
                    XlsxCell::Number(1.0),
                    text("1/1/25 10:00"),
                    text("x@example.org"),
                    XlsxCell::Number(4.0),
                    XlsxCell::Number(3.0),
                ],
                vec![
                    XlsxCell::Number(2.0),
                    text("1/1/25 10:05"),
                    text("y@example.org"),
                    XlsxCell::Number(5.0),
                    XlsxCell::Empty,
                ],
            ],
        ),
    ]);
    let block = "  ratings:
    shape: survey
    path: export.xlsx
    sheet: Form1
    survey:
      expert_column: Email
      ignore: [ID, Start time]
      questions: {Alpha: A, Beta: B}";
    let dir = study(block, &[("export.xlsx", workbook.clone())]);
    let (_, data) = delphi_report::ingest::load_folder(dir.path()).unwrap();
    assert_eq!(data.counts.rows[0].counts, [0, 0, 0, 1, 1]);
    assert_eq!(data.counts.rows[1].counts, [0, 0, 1, 0, 0]);
    assert_eq!(data.inputs.last().unwrap().rows, 2);
    // A sheet that is not there.
    let dir = study(
        &block.replace("sheet: Form1", "sheet: Form2"),
        &[("export.xlsx", workbook.clone())],
    );
    let error = error_of(dir.path());
    assert!(
        error.contains("no worksheet named 'Form2'; the workbook has Summary, Form1"),
        "{error}"
    );
    // A CSV file with a sheet is a mistake, said as such.
    let dir = study(
        &block.replace("export.xlsx", "export.csv"),
        &[("export.csv", b"Email,Alpha,Beta\n".to_vec())],
    );
    assert!(error_of(dir.path()).contains("`sheet` applies to .xlsx workbooks only"));
    // Long ratings are streamed from CSV only.
    let dir = study(
        "  ratings: {shape: long, path: ratings.xlsx}",
        &[("ratings.xlsx", workbook)],
    );
    assert!(error_of(dir.path()).contains("save the worksheet as CSV"));
}

#[test]
fn a_wide_workbook_with_level_ids_is_read_like_a_wide_csv() {
    let text = |t: &str| XlsxCell::Text(t.to_string());
    let workbook = xlsx_bytes(&[(
        "Sheet1",
        vec![
            vec![text("expert"), text("A"), text("B")],
            vec![text("E1"), text("high"), text("medium")],
            vec![text("E2"), text("very_high"), text("medium")],
            vec![text("E3"), XlsxCell::Number(4.0), text("Medium")],
        ],
    )]);
    let from_xlsx = study(
        "  ratings: {shape: wide, path: ratings.xlsx}",
        &[("ratings.xlsx", workbook)],
    );
    let from_csv = study(
        "  ratings: {shape: wide, path: ratings.csv}",
        &[(
            "ratings.csv",
            b"expert,A,B\nE1,high,medium\nE2,very_high,medium\nE3,4,Medium\n".to_vec(),
        )],
    );
    assert_eq!(screening(from_xlsx.path()), screening(from_csv.path()));
}

#[test]
fn geometric_methods_are_reported_as_not_checked_by_the_feasibility_search() {
    // The reference study recomputed with geometric means: the printed values are the arithmetic
    // ones, so they mismatch; the search models only the arithmetic mean, so nothing is called
    // infeasible and the audit says why.
    let study = copy_reference_study();
    let yaml = fs::read_to_string(study.path().join("study.yaml")).unwrap();
    let changed = yaml
        .replace(
            "aggregation: arithmetic-mean",
            "aggregation: geometric-mean",
        )
        .replace("defuzzification: centroid ", "defuzzification: geometric  ");
    assert_ne!(yaml, changed);
    fs::write(study.path().join("study.yaml"), changed).unwrap();
    let build = delphi_report::build_report(study.path()).unwrap();
    let audit = file_text(&build.files, "tables/audit.csv");
    assert!(!audit.contains(",infeasible,"), "{audit}");
    assert!(audit.contains(",mismatch,"));
    let report = file_text(&build.files, "report.en.md");
    assert!(
        report.contains("Feasibility was not searched: not checked for this method"),
        "{report}"
    );
    assert!(report.contains("Means that take roots"), "{report}");
    // Geometric means of counts with a Very low rating (l = 0) have l = 0 exactly: row 1 has one.
    let screening = common::numbered_tables(study.path()).1;
    let (_, rows) = read_csv(&file_text(&build.files, &screening));
    assert_eq!(rows[0][2], "0.0");
}

#[test]
fn the_audit_searches_linear_defuzzifications_with_their_own_formula() {
    // With (l + 2m + u) / 4 the search still runs (3876 count vectors); the consistency check uses the
    // same formula, and its text says which.
    let study = copy_reference_study();
    let yaml = fs::read_to_string(study.path().join("study.yaml")).unwrap();
    fs::write(
        study.path().join("study.yaml"),
        yaml.replace(
            "defuzzification: centroid ",
            "defuzzification: alpha-cut-mean ",
        ),
    )
    .unwrap();
    let build = delphi_report::build_report(study.path()).unwrap();
    let report = file_text(&build.files, "report.en.md");
    assert!(
        report.contains("each of the 3876 ways 15 ratings"),
        "{report}"
    );
    assert!(
        report.contains("printed crisp against printed (l + 2m + u) / 4"),
        "{report}"
    );
}
