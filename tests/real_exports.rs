//! Issue 20, "Real QDA and survey exports read right": the patterns real MAXQDA, ATLAS.ti and LimeSurvey
//! exports showed, reproduced on SYNTHETIC fixtures written here (no real study, person or file).

mod common;

use std::fs;
use std::path::Path;

use common::{copy_reference_study, xlsx_bytes, XlsxCell};
use delphi_report::ingest::load_folder;

/// Counts per indicator and level of a study's (only) round.
fn counts_of(folder: &Path) -> Vec<Vec<u64>> {
    let (_, data) = load_folder(folder).unwrap_or_else(|e| panic!("{e}"));
    data.counts.rows.iter().map(|r| r.counts.clone()).collect()
}

fn set_ratings(study: &Path, entry: &str) {
    let yaml = fs::read_to_string(study.join("study.yaml")).unwrap();
    let replaced = yaml.replace(
        "ratings: {shape: counts, path: table6_published.csv}",
        &format!("ratings: {entry}"),
    );
    assert_ne!(yaml, replaced, "study.yaml ratings line not found");
    fs::write(study.join("study.yaml"), replaced).unwrap();
}

/// The reference Table 6 as (header, rows of cells).
fn table6(study: &Path) -> (String, Vec<String>) {
    let text = fs::read_to_string(study.join("table6_published.csv")).unwrap();
    let mut lines = text.lines().map(String::from);
    let header = lines.next().unwrap();
    (header, lines.collect())
}

/// SYNTHETIC wide and long ratings that reproduce Table 6's counts: expert E01.. in turn per level.
fn synthetic_ratings(study: &Path) -> Vec<(String, String, usize)> {
    let (_, rows) = table6(study);
    let mut ratings = Vec::new();
    for row in rows {
        let cells: Vec<&str> = row.split(',').collect();
        let mut expert = 0;
        for (level, count) in cells[1..].iter().enumerate() {
            for _ in 0..count.parse::<usize>().unwrap() {
                expert += 1;
                ratings.push((format!("E{expert:02}"), cells[0].to_string(), level + 1));
            }
        }
    }
    ratings
}

// Point 7: fully empty rows (a trailing blank line above all) are skipped by every ratings reader.
#[test]
fn blank_and_empty_rows_are_skipped_in_counts_wide_and_long_ratings() {
    let reference = counts_of(&common::reference_study());

    // Counts: a blank line, a row of separators and a row of empty quotes inside, blank lines at the end.
    let study = copy_reference_study();
    let (header, rows) = table6(study.path());
    let mut text = format!("{header}\n");
    for (index, row) in rows.iter().enumerate() {
        text.push_str(row);
        text.push('\n');
        match index {
            3 => text.push('\n'),
            10 => text.push_str(",,,,,\n"),
            20 => text.push_str("\"\",\"\",,  ,,\r\n"),
            _ => {}
        }
    }
    text.push_str("\n\n");
    fs::write(study.path().join("table6_published.csv"), &text).unwrap();
    assert_eq!(counts_of(study.path()), reference, "counts with empty rows");

    // Wide: one row per expert, a trailing blank line (the LimeSurvey pattern).
    let study = copy_reference_study();
    let ratings = synthetic_ratings(study.path());
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.split(',').next().unwrap().to_string())
        .collect();
    let experts: Vec<String> = (1..=15).map(|e| format!("E{e:02}")).collect();
    let mut wide = format!("expert,{}\n", ids.join(","));
    for expert in &experts {
        let cells: Vec<String> = ids
            .iter()
            .map(|id| {
                ratings
                    .iter()
                    .find(|(e, i, _)| e == expert && i == id)
                    .map(|(_, _, level)| level.to_string())
                    .unwrap_or_default()
            })
            .collect();
        wide.push_str(&format!("{expert},{}\n", cells.join(",")));
    }
    fs::write(study.path().join("wide.csv"), format!("{wide}\n")).unwrap();
    set_ratings(study.path(), "{shape: wide, path: wide.csv}");
    assert_eq!(
        counts_of(study.path()),
        reference,
        "wide with a trailing blank line"
    );
    let (_, data) = load_folder(study.path()).unwrap();
    let input = data.inputs.iter().find(|i| i.role == "ratings").unwrap();
    assert_eq!(input.rows, 15, "the blank line is no 16th expert");

    // A row that is empty except for its id is still an error, named by its row and line.
    fs::write(
        study.path().join("wide.csv"),
        format!("{wide}\nE16{}\n", ",".repeat(ids.len())),
    )
    .unwrap();
    let error = load_folder(study.path()).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{}: row 17 (line 18), column 'expert': expert 'E16' rated no indicator; remove the row or fill in the ratings",
            study.path().join("wide.csv").display()
        )
    );

    // Long: blank lines inside and at the end; an error after a blank line still names its own line.
    let study = copy_reference_study();
    let mut long = String::from("expert,indicator,rating\n");
    for (index, (expert, indicator, level)) in ratings.iter().enumerate() {
        long.push_str(&format!("{expert},{indicator},{level}\n"));
        if index == 5 {
            long.push_str(",,\n\n");
        }
    }
    fs::write(study.path().join("long.csv"), format!("{long}\n\n")).unwrap();
    set_ratings(study.path(), "{shape: long, path: long.csv}");
    assert_eq!(counts_of(study.path()), reference, "long with blank lines");
    let (_, data) = load_folder(study.path()).unwrap();
    let input = data.inputs.iter().find(|i| i.role == "ratings").unwrap();
    assert_eq!(input.rows, ratings.len());
    fs::write(
        study.path().join("long.csv"),
        format!("{long}\nE01,I01,9\n"),
    )
    .unwrap();
    let error = load_folder(study.path()).unwrap_err();
    // Header, ratings, the two empty records after row 6, the blank line: the bad row is record
    // ratings + 4, on line ratings + 5.
    let (row, line) = (ratings.len() + 4, ratings.len() + 5);
    assert!(
        error
            .to_string()
            .contains(&format!(": row {row} (line {line}), column 'rating'")),
        "{error}"
    );
}

// Point 8: errors in XLSX files give the spreadsheet's own row number and the sheet name.
#[test]
fn xlsx_errors_give_the_spreadsheet_row_and_sheet_and_empty_rows_are_skipped() {
    let study = copy_reference_study();
    let (header, rows) = table6(study.path());
    let text_row = |line: &str| -> Vec<XlsxCell> {
        line.split(',')
            .map(|c| match c.parse::<f64>() {
                Ok(n) => XlsxCell::Number(n),
                Err(_) => XlsxCell::Text(c.to_string()),
            })
            .collect()
    };
    let mut sheet = vec![text_row(&header)];
    for (index, row) in rows.iter().enumerate() {
        sheet.push(text_row(row));
        if index == 1 {
            // A row of empty cells, as a spreadsheet leaves after a deleted entry.
            sheet.push((0..6).map(|_| XlsxCell::Text(" ".into())).collect());
        }
    }
    sheet.push((0..6).map(|_| XlsxCell::Empty).collect());
    let good = xlsx_bytes(&[("Notes", vec![]), ("Table 6", sheet.clone())]);
    fs::write(study.path().join("table6.xlsx"), good).unwrap();
    set_ratings(
        study.path(),
        "{shape: counts, path: table6.xlsx, sheet: Table 6}",
    );
    let reference = counts_of(&common::reference_study());
    assert_eq!(counts_of(study.path()), reference);

    // Data row 4 (I04) sits on spreadsheet row 6: the header is row 1 and the empty row is row 4.
    sheet[5][4] = XlsxCell::Text("many".into());
    fs::write(
        study.path().join("table6.xlsx"),
        xlsx_bytes(&[("Notes", vec![]), ("Table 6", sheet)]),
    )
    .unwrap();
    let error = load_folder(study.path()).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{}, sheet 'Table 6': row 6, column 'high': expected a whole number of experts (0 or more), found 'many'",
            study.path().join("table6.xlsx").display()
        )
    );
}

/// A SYNTHETIC LimeSurvey-style export of Table 6: metadata columns, one question per indicator (the
/// first header over 3,000 characters), answers as level numbers, 15 respondents, and the trailing
/// blank line LimeSurvey writes. Returns the CSV and the `survey` block of study.yaml.
fn limesurvey_export(study: &Path) -> (String, String) {
    let ratings = synthetic_ratings(study);
    let (_, rows) = table6(study);
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.split(',').next().unwrap().to_string())
        .collect();
    let header_of = |index: usize, id: &str| {
        if index == 0 {
            format!(
                "{id}. {}",
                "How important is this factor for you? ".repeat(80)
            )
        } else {
            format!("{id}. How important is this factor?")
        }
    };
    let headers: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| header_of(i, id))
        .collect();
    assert!(headers[0].len() > 3000);
    let quoted = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    let mut csv = format!(
        "\"id\",\"submitdate\",\"lastpage\",{}\n",
        headers
            .iter()
            .map(|h| quoted(h))
            .collect::<Vec<_>>()
            .join(",")
    );
    for expert in 1..=15 {
        let name = format!("E{expert:02}");
        let answers: Vec<String> = ids
            .iter()
            .map(|id| {
                ratings
                    .iter()
                    .find(|(e, i, _)| *e == name && i == id)
                    .map(|(_, _, level)| quoted(&level.to_string()))
                    .unwrap_or_else(|| "\"\"".to_string())
            })
            .collect();
        csv.push_str(&format!(
            "\"{expert}\",\"2025-01-0{} 10:00:00\",\"3\",{}\n",
            expert % 9 + 1,
            answers.join(",")
        ));
    }
    csv.push('\n');
    let mut block = String::from("survey:\n      expert_column: id\n      ignore: [submitdate, lastpage]\n      questions:\n");
    for (header, id) in headers.iter().zip(&ids) {
        // An explicit key: YAML's implicit keys stop at 1,024 characters.
        block.push_str(&format!("        ? {}\n        : {id}\n", quoted(header)));
    }
    (csv, block)
}

// Point 7 for surveys: LimeSurvey's trailing blank line is not a 16th respondent, with or without an
// expert column; a response holding only its id is an error naming its row and line.
#[test]
fn a_limesurvey_export_with_a_trailing_blank_line_and_long_headers_reads_fifteen_respondents() {
    let study = copy_reference_study();
    let (csv, block) = limesurvey_export(study.path());
    fs::write(study.path().join("limesurvey.csv"), &csv).unwrap();
    set_ratings(
        study.path(),
        &format!("\n    shape: survey\n    path: limesurvey.csv\n    {block}"),
    );
    let reference = counts_of(&common::reference_study());
    assert_eq!(counts_of(study.path()), reference);
    let (_, data) = load_folder(study.path()).unwrap();
    let input = data.inputs.iter().find(|i| i.role == "ratings").unwrap();
    assert_eq!(input.rows, 15);

    // Without the expert column (respondents numbered by row), still 15.
    let yaml = fs::read_to_string(study.path().join("study.yaml")).unwrap();
    fs::write(
        study.path().join("study.yaml"),
        yaml.replace(
            "expert_column: id\n      ignore: [submitdate, lastpage]",
            "ignore: [id, submitdate, lastpage]",
        ),
    )
    .unwrap();
    assert_eq!(counts_of(study.path()), reference);
    fs::write(study.path().join("study.yaml"), yaml).unwrap();

    // A 16th response with an id and a date but no answer, after the blank line.
    let empty_answers = vec!["\"\""; 48].join(",");
    fs::write(
        study.path().join("limesurvey.csv"),
        format!("{csv}\"16\",\"2025-01-09 10:00:00\",\"3\",{empty_answers}\n"),
    )
    .unwrap();
    let error = load_folder(study.path()).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{}: row 17 (line 18), column 'id': respondent '16' answered no question; remove the row or fill in its answers",
            study.path().join("limesurvey.csv").display()
        )
    );
}
