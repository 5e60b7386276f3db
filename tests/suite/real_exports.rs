//! Issue 20, "Real QDA and survey exports read right": the patterns real MAXQDA, ATLAS.ti and LimeSurvey
//! exports showed, reproduced on SYNTHETIC fixtures written here (no real study, person or file).

use crate::common;

use std::fs;
use std::path::Path;

use common::{copy_reference_study, xlsx_bytes, XlsxCell};
use delphi_report::domain::InputRole;
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
    let input = data
        .inputs
        .iter()
        .find(|i| i.role == InputRole::Ratings)
        .unwrap();
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
    let input = data
        .inputs
        .iter()
        .find(|i| i.role == InputRole::Ratings)
        .unwrap();
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
    let input = data
        .inputs
        .iter()
        .find(|i| i.role == InputRole::Ratings)
        .unwrap();
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

/// The reference study with coded data added: the `coding` block gets `segments` (and any other keys).
fn study_with_coding(files: &[(&str, Vec<u8>)], coding_keys: &str) -> tempfile::TempDir {
    let study = copy_reference_study();
    for (name, bytes) in files {
        fs::write(study.path().join(name), bytes).unwrap();
    }
    let yaml = fs::read_to_string(study.path().join("study.yaml")).unwrap();
    let yaml = yaml.replacen(
        "coding:\n  published:",
        &format!("coding:\n{coding_keys}  published:"),
        1,
    );
    fs::write(study.path().join("study.yaml"), yaml).unwrap();
    study
}

/// The Markdown of one cell of a report: from its heading to the next cell's.
fn cell<'a>(report: &'a str, title: &str) -> &'a str {
    let start = report
        .find(&format!("· {title}\n")) // the heading, not its line in the contents
        .unwrap_or_else(|| panic!("no cell {title}"));
    let rest = &report[start..];
    let end = rest.find("\n## Cell ").unwrap_or(rest.len());
    &rest[..end]
}

fn text_cells(rows: &[&[&str]]) -> Vec<Vec<XlsxCell>> {
    rows.iter()
        .map(|r| r.iter().map(|c| XlsxCell::Text(c.to_string())).collect())
        .collect()
}

// Points 1 and 8, the MAXQDA 24 English XLSX pattern: the same word coded at paragraphs 3 and 10 of one
// document, and the span at paragraph 3 carrying two codes. The first passage shows the two codes of
// its span, not the code of the same text elsewhere.
#[test]
fn a_maxqda_xlsx_export_groups_passages_by_span_and_names_its_sheet_and_row_in_errors() {
    let header: &[&str] = &[
        "Color",
        "Document group",
        "Document name",
        "Code",
        "Beginning",
        "End",
        "Segment",
        "Created by",
    ];
    let rows: Vec<&[&str]> = vec![
        header,
        &[
            "#ff0000",
            "Interviews",
            "A1",
            "Networking > Active participation > Joining business forums",
            "3",
            "3",
            "METAPHER",
            "T",
        ],
        &[
            "#ff0000",
            "Interviews",
            "A1",
            "Networking > Active participation > Joining business forums",
            "10",
            "10",
            "METAPHER",
            "T",
        ],
        &[
            "#ff0000",
            "Interviews",
            "A1",
            "Networking > Active participation > Deliberate networking",
            "3",
            "3",
            "METAPHER",
            "T",
        ],
        &[
            "#ff0000",
            "Interviews",
            "A2",
            "Resources > Financial resources > Capital",
            "1",
            "2",
            "Money matters.",
            "T",
        ],
        &["", "", "", "", "", "", "", ""],
    ];
    let xlsx = xlsx_bytes(&[("Coded Segments", text_cells(&rows))]);
    let study = study_with_coding(
        &[("segments.xlsx", xlsx)],
        "  segments: {format: maxqda, path: segments.xlsx}\n",
    );
    let build = delphi_report::build_report(study.path()).unwrap();
    let en = common::file_text(&build.files, "report.en.md");
    let initial = cell(&en, "Initial coding");
    assert!(
        initial.contains("| A1 | METAPHER | Joining business forums; Deliberate networking |"),
        "{initial}"
    );
    assert!(
        !initial.contains("Joining business forums; Joining business forums"),
        "{initial}"
    );
    // The matrix still counts every coding: Joining business forums twice in A1.
    let matrix = cell(&en, "Codes by interview");
    assert!(
        matrix.contains(
            "| Networking | Active participation | Joining business forums | 2 | 0 | 2 |"
        ),
        "{matrix}"
    );

    // An empty document name on data row 2 is spreadsheet row 3 of sheet 'Coded Segments'.
    let mut broken = rows.clone();
    let row: &[&str] = &[
        "#ff0000",
        "Interviews",
        "",
        "Resources > Financial resources > Capital",
        "1",
        "1",
        "x",
        "T",
    ];
    broken[2] = row;
    fs::write(
        study.path().join("segments.xlsx"),
        xlsx_bytes(&[("Coded Segments", text_cells(&broken))]),
    )
    .unwrap();
    let error = delphi_report::build_report(study.path()).err().unwrap();
    let text = format!("{error:#}");
    assert!(
        text.contains(
            "segments.xlsx, sheet 'Coded Segments': row 3, column 'Document name': empty cell"
        ),
        "{text}"
    );
}

// Point 5 on the MAXQDA XLSX pattern with 9 flat codes, under issue 13's level rule: with the default
// levels the codes are components coded themselves, so their 18 codings are counted at that level and
// said to be; with `coding.levels: [code]` they are the last level and nothing needs saying.
#[test]
fn a_maxqda_export_with_flat_codes_counts_them_at_their_own_level_and_says_so() {
    let mut rows: Vec<Vec<String>> = vec![["Document name", "Code", "Beginning", "End", "Segment"]
        .iter()
        .map(|s| s.to_string())
        .collect()];
    for code in 1..=9 {
        for document in ["D1", "D2"] {
            rows.push(vec![
                document.into(),
                format!("Code {code}"),
                code.to_string(),
                code.to_string(),
                format!("passage {code}"),
            ]);
        }
    }
    let refs: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    let xlsx = xlsx_bytes(&[("Sheet1", text_cells(&slices))]);
    let study = study_with_coding(
        &[("flat.xlsx", xlsx.clone())],
        "  segments: {format: maxqda, path: flat.xlsx}\n",
    );
    let build = delphi_report::build_report(study.path()).unwrap();
    let en = common::file_text(&build.files, "report.en.md");
    let counts = cell(&en, "Codes per level");
    assert!(
        counts.contains("18 codings sit on codes above the last analysis level (Initial code) and are counted at the code's own level: Code 1 (Component, 2 codings); Code 2 (Component, 2 codings);"),
        "{counts}"
    );
    // By hand: 9 components defined and used, no concept, no initial code; 18 segments; 2 interviewees
    // (the printed and framework columns are the reference study's).
    assert!(
        counts.contains("| Components | 9 | 9 | 9 | 9 |"),
        "{counts}"
    );
    assert!(
        counts.contains("| Initial codes | 331 | – | 0 | 0 |"),
        "{counts}"
    );
    assert!(
        counts.contains("| Coded segments | – | – | – | 18 |"),
        "{counts}"
    );
    assert!(
        counts.contains("| Interviewees | 11 | – | 2 | 2 |"),
        "{counts}"
    );
    let matrix = cell(&en, "Codes by interview");
    assert!(
        matrix.contains("| Code 1 | – | – | 1 | 1 | 2 |"),
        "{matrix}"
    );
    assert!(matrix.contains("| Total |  |  | 9 | 9 | 18 |"), "{matrix}");
    assert!(build.files.contains_key("figures/saturation.en.svg"));
    let saturation = cell(&en, "Saturation");
    assert!(
        saturation.contains("| 1 | D1 | 9 | 9 | 9 |"),
        "{saturation}"
    );

    // One analysis level: the nine codes are its codes; no sentence about the rule.
    let study = study_with_coding(
        &[("flat.xlsx", xlsx)],
        "  segments: {format: maxqda, path: flat.xlsx}\n  levels: [code]\n",
    );
    let build = delphi_report::build_report(study.path()).unwrap();
    let en = common::file_text(&build.files, "report.en.md");
    let counts = cell(&en, "Codes per level");
    assert!(!counts.contains("analysis level"), "{counts}");
    assert!(counts.contains("| code | – | – | 9 | 9 |"), "{counts}");
    assert!(!counts.contains("| Components |"), "{counts}");
    let matrix = cell(&en, "Codes by interview");
    assert!(matrix.contains("| Code 9 | 1 | 1 | 2 |"), "{matrix}");
    assert!(cell(&en, "Concepts and their initial codes")
        .contains("The code tree is analysed at one level (code, `coding.levels`)"));
}

// Point 7, the MAXQDA 24 German CSV pattern: `;`, a byte-order mark, multi-line quoted memos,
// no-break spaces in cells, and a trailing row of separators then a blank line. Errors after a memo
// that spans lines name the right line.
#[test]
fn a_german_maxqda_csv_with_memos_over_lines_and_trailing_empty_rows_reads_right() {
    let header = "Farbe;Kommentar;Dokumentgruppe;Dokumentname;Code;Anfang;Ende;Gewicht;Segment";
    let body = [
        "#ff0000;\"Erste Zeile\nzweite Zeile; mit Semikolon\";Interviews;A1;Networking > Active participation > Joining business forums;1;1;0;Wir nehmen teil.",
        "#ff0000;;Interviews;A1\u{a0};Networking >\u{a0}Active participation > Deliberate networking;1;1;0;Wir nehmen teil.",
        "#ff0000;;Interviews;A2;Resources > Financial resources > Capital;2;2;0;Kapital.",
    ];
    let text = format!(
        "\u{feff}{header}\r\n{}\r\n;;;;;;;;\r\n\r\n",
        body.join("\r\n")
    );
    let study = study_with_coding(
        &[("segmente.csv", text.into_bytes())],
        "  segments: {format: maxqda, path: segmente.csv}\n",
    );
    let (_, data) = load_folder(study.path()).unwrap();
    let coded = data.coding.unwrap();
    // The no-break space after A1 is white space: one document A1, one passage with two codes.
    assert_eq!(coded.documents, vec!["A1", "A2"]);
    assert_eq!(coded.segments.len(), 3);
    assert_eq!(coded.segments[0].passage, coded.segments[1].passage);
    assert_eq!(
        coded.codes[coded.segments[1].code].path,
        vec![
            "Networking",
            "Active participation",
            "Deliberate networking"
        ]
    );
    let input = data
        .inputs
        .iter()
        .find(|i| i.role == InputRole::CodedSegmentsMaxqda)
        .unwrap();
    assert_eq!(input.rows, 3, "the empty rows are not segments");

    // Data row 3 starts on line 5: the memo of row 1 spans lines 2 and 3.
    let broken = format!(
        "{header}\n{}\n{}\n#ff0000;;Interviews;;Resources > Financial resources > Capital;2;2;0;Kapital.\n",
        body[0], body[1]
    );
    fs::write(study.path().join("segmente.csv"), broken).unwrap();
    let error = load_folder(study.path()).unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with("segmente.csv: row 3 (line 5), column 'Dokumentname': empty cell; expected the document name"),
        "{error}"
    );
}

/// A `.qdpx` archive of one project XML and the given source entries.
fn qdpx(xml: &str, sources: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer
        .start_file("project.qde", SimpleFileOptions::default())
        .unwrap();
    writer.write_all(xml.as_bytes()).unwrap();
    for (name, text) in sources {
        writer
            .start_file(*name, SimpleFileOptions::default())
            .unwrap();
        writer.write_all(text.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// A SYNTHETIC ATLAS.ti 8-style REFI-QDA project: a flat codebook whose names carry the hierarchy
/// (`Networking::Active participation::Joining business forums`), three text sources (T3 uncoded),
/// a picture and a PDF source with codings, and source texts referred to by `plainTextPath` but absent
/// from the archive (no `sources/` folder). 14 codings: 7 on text, 5 on the picture, 2 on the PDF.
fn atlas_project() -> String {
    let code =
        |guid: &str, name: &str| format!(r#"<Code guid="{guid}" name="{name}" isCodable="true"/>"#);
    let coding = |guid: &str, target: &str| {
        format!(r#"<Coding guid="{guid}"><CodeRef targetGUID="{target}"/></Coding>"#)
    };
    let selection = |guid: &str, start: u32, end: u32, codes: &[&str]| {
        let codings: String = codes
            .iter()
            .enumerate()
            .map(|(i, c)| coding(&format!("{guid}-c{i}"), c))
            .collect();
        format!(
            r#"<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}">{codings}</PlainTextSelection>"#
        )
    };
    let picture_codings: String = (0..5)
        .map(|i| {
            format!(
                r#"<PictureSelection guid="p{i}" firstX="0" firstY="0" secondX="1" secondY="1">{}</PictureSelection>"#,
                coding(&format!("pc{i}"), "k1")
            )
        })
        .collect();
    let pdf_codings: String = (0..2)
        .map(|i| {
            format!(
                r#"<PDFSelection guid="f{i}" page="1" firstX="0" firstY="0" secondX="1" secondY="1">{}</PDFSelection>"#,
                coding(&format!("fc{i}"), "k2")
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<!-- SYNTHETIC: written for the tests in the shape ATLAS.ti 8 exports. -->
<Project xmlns="urn:QDA-XML:project:1.0" name="synthetic atlas">
  <CodeBook><Codes>
    {}
    {}
    {}
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="t1" name="T1" plainTextPath="internal://t1.txt">
      {}
      {}
    </TextSource>
    <TextSource guid="t2" name="T2" plainTextPath="internal://t2.txt">
      {}
      {}
      {}
    </TextSource>
    <TextSource guid="t3" name="T3" plainTextPath="internal://t3.txt"/>
    <PictureSource guid="pic" name="Photo 1" path="internal://pic.png">{picture_codings}</PictureSource>
    <PDFSource guid="pdf" name="Brochure" path="internal://doc.pdf">{pdf_codings}</PDFSource>
  </Sources>
</Project>
"#,
        code(
            "k1",
            "Networking::Active participation::Joining business forums"
        ),
        code(
            "k2",
            "Networking::Active participation::Deliberate networking"
        ),
        code("k3", "Resources::Financial resources::Capital"),
        selection("s1", 0, 10, &["k1", "k2"]),
        selection("s2", 20, 30, &["k1"]),
        selection("s3", 0, 5, &["k3", "k1"]),
        selection("s4", 8, 12, &["k2"]),
        selection("s5", 20, 25, &["k3"]),
    )
}

// Points 2, 4, 5 and 6 on the ATLAS.ti pattern: `::` in names split into a hierarchy, codings on the
// picture and the PDF counted apart and named, the uncoded source defined but not used, and the
// missing texts refused by default and accepted with `texts: optional`.
#[test]
fn an_atlas_style_project_with_hierarchy_in_names_media_codings_and_no_texts() {
    let bytes = qdpx(&atlas_project(), &[]);
    let strict = study_with_coding(
        &[("atlas.qdpx", bytes.clone())],
        "  segments: {format: qdpx, path: atlas.qdpx}\n  hierarchy_separator: \"::\"\n",
    );
    let error = load_folder(strict.path()).unwrap_err();
    assert!(
        error.to_string().contains("text source 'T1': no entry sources/t1.txt (or Sources/t1.txt) in the archive (set coding.segments.texts: optional"),
        "{error}"
    );

    let study = study_with_coding(
        &[("atlas.qdpx", bytes)],
        "  segments: {format: qdpx, path: atlas.qdpx, texts: optional}\n  hierarchy_separator: \"::\"\n",
    );
    let (_, data) = load_folder(study.path()).unwrap();
    let coded = data.coding.as_ref().unwrap();
    // By hand: 3 codes -> 2 components, 2 concepts, 3 initial codes; 7 text codings in T1 (3) and T2 (4).
    let counts = delphi_report::analysis::coding::counts(coded);
    assert_eq!(
        (
            counts.level(1).defined,
            counts.level(2).defined,
            counts.level(3).defined
        ),
        (2, 2, 3)
    );
    assert_eq!(counts.segments, 7);
    assert_eq!((counts.documents, counts.documents_used), (3, 2));
    assert!(coded.segments.iter().all(|s| s.text.is_none()));
    // s1 carries two codes: one passage; s3 as well.
    let passages: Vec<usize> = coded.segments.iter().map(|s| s.passage).collect();
    assert_eq!(passages, vec![0, 0, 1, 2, 2, 3, 4]);

    let build = delphi_report::build_report(study.path()).unwrap();
    let en = common::file_text(&build.files, "report.en.md");
    let counts_cell = cell(&en, "Codes per level");
    assert!(
        counts_cell.contains("7 codings on picture, PDF, audio or video sources are not counted (Photo 1; Brochure): only text sources are analysed."),
        "{counts_cell}"
    );
    assert!(
        counts_cell.contains("| Interviewees | 11 | – | 3 | 2 |"),
        "{counts_cell}"
    );
    assert!(
        counts_cell.contains("Documents in the coded data: 3 defined, 2 with codings. The others (T3) are defined but not coded"),
        "{counts_cell}"
    );
    let initial = cell(&en, "Initial coding");
    assert!(
        initial.contains("| T1 | (text not available: the export holds no text for this source) | Joining business forums; Deliberate networking |"),
        "{initial}"
    );
    // The matrix and the curve show the two coded documents only.
    let matrix = cell(&en, "Codes by interview");
    assert!(
        matrix.contains(
            "| Networking | Active participation | Joining business forums | 2 | 1 | 3 |"
        ),
        "{matrix}"
    );
    assert!(
        !matrix.contains("| T3 |") && !matrix.contains(" T3 "),
        "{matrix}"
    );
    let saturation = cell(&en, "Saturation");
    assert!(
        saturation.contains("| 2 | T2 | 4 | 1 | 3 |"),
        "{saturation}"
    );
    // Point 9: the cells that read the project list it.
    for title in [
        "Initial coding",
        "Concepts and their initial codes",
        "Codes by interview",
    ] {
        assert!(cell(&en, title).contains("atlas.qdpx"), "{title}");
    }
    // The Persian report says the same with Persian digits.
    let fa = common::file_text(&build.files, "report.fa.md");
    assert!(fa.contains("۷ کدگذاری روی منابع تصویری"), "{fa}");
}

// Point 3 on the MAXQDA 24.7 .qdpx pattern: a codebook and sources, no coding at all.
#[test]
fn a_codebook_only_project_says_so_once_per_coding_cell_and_draws_no_empty_table() {
    let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<!-- SYNTHETIC: a codebook-only project, as MAXQDA 24.7 exports one before any coding. -->
<Project xmlns="urn:QDA-XML:project:1.0" name="codebook only">
  <CodeBook><Codes>
    <Code guid="a" name="Networking" isCodable="true">
      <Code guid="b" name="Active participation" isCodable="true">
        <Code guid="c" name="Joining business forums" isCodable="true"/>
        <Code guid="d" name="Deliberate networking" isCodable="true"/>
      </Code>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="t1" name="Interview 1"><PlainTextContent>Hello.</PlainTextContent></TextSource>
  </Sources>
</Project>
"#;
    let study = study_with_coding(
        &[("codebook.qdpx", qdpx(xml, &[]))],
        "  segments: {format: qdpx, path: codebook.qdpx}\n",
    );
    let build = delphi_report::build_report(study.path()).unwrap();
    for (report, sentence) in [
        (
            "report.en.md",
            "The coded data hold no coding (initial codes defined: 2; documents: 1; passages coded with an initial code: none)",
        ),
        (
            "report.fa.md",
            "دادهٔ کدگذاری‌شده هیچ کدگذاری‌ای ندارد (کدهای اولیهٔ تعریف‌شده: ۲؛ سندها: ۱؛",
        ),
    ] {
        let text = common::file_text(&build.files, report);
        assert_eq!(text.matches(sentence).count(), 5, "{report}");
    }
    let en = common::file_text(&build.files, "report.en.md");
    assert!(!cell(&en, "Initial coding").contains("First coded passage"));
    assert!(!cell(&en, "Concepts and their initial codes")
        .contains("| Networking | Active participation |"));
    assert!(!cell(&en, "Codes by interview").contains("| Total |"));
    assert!(!build.files.contains_key("figures/saturation.en.svg"));
    assert!(!build.files.contains_key("figures/saturation.fa.svg"));
}

// Point 7 for the project's own CSV: blank lines and rows of separators, inside and at the end, are
// skipped; the data are those of the fixture (tests/fixtures/qda, SYNTHETIC).
#[test]
fn the_project_csv_skips_empty_rows() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/qda");
    let text = fs::read_to_string(fixtures.join("segments.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(3, ",,");
    lines.insert(5, "");
    let messy = format!("{}\n\n\n", lines.join("\n"));
    let load = |csv: &str| {
        let study = study_with_coding(
            &[("segments.csv", csv.as_bytes().to_vec())],
            "  segments: {format: project-csv, path: segments.csv}\n",
        );
        load_folder(study.path()).unwrap().1.coding.unwrap()
    };
    let clean = load(&text);
    assert_eq!(clean.segments.len(), 7);
    assert_eq!(load(&messy), clean);
}
