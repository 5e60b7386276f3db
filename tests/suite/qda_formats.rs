//! The three coded-data formats (project CSV, MAXQDA export, REFI-QDA project) describing the same SYNTHETIC
//! coding give identical counts, matrix and saturation curve; their quirks are accepted and their faults
//! are reported with the file and position. Fixtures: `tests/fixtures/qda/` (see its README: synthetic).

use crate::common;

use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use delphi_report::analysis::coding::{self, CodedData};
use delphi_report::config::{OffsetUnit, SegmentsFile, SegmentsFormat, SourceTexts};
use delphi_report::domain::Lang;
use delphi_report::error::InputError;
use delphi_report::ingest::load_folder;
use delphi_report::ingest::qda;
use zip::write::SimpleFileOptions;

use common::{copy_reference_study, file_text, reference_study};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/qda")
}

/// A minimal XLSX workbook (one sheet of inline strings) holding the rows of a CSV file.
fn xlsx_bytes(rows: &[Vec<String>]) -> Vec<u8> {
    fn escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }
    let column = |index: usize| char::from(b'A' + index as u8).to_string();
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, value) in row.iter().enumerate() {
            sheet.push_str(&format!(
                r#"<c r="{}{}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                column(c),
                r + 1,
                escape(value)
            ));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Coded Segments" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in files {
        writer
            .start_file(name, SimpleFileOptions::default())
            .unwrap();
        writer.write_all(content.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// The rows of a CSV fixture (quoted fields allowed), with the byte-order mark removed.
fn csv_rows(file: &str, separator: char) -> Vec<Vec<String>> {
    let text = fs::read_to_string(fixtures().join(file)).unwrap();
    let text = text.trim_start_matches('\u{FEFF}');
    let mut rows = Vec::new();
    for line in text.lines() {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = !quoted,
                c if c == separator && !quoted => fields.push(std::mem::take(&mut field)),
                c => field.push(c),
            }
        }
        fields.push(field);
        rows.push(fields);
    }
    rows
}

/// A scratch folder holding the fixtures, plus any extra files.
fn scratch(extra: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    for (name, bytes) in extra {
        fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

fn load(folder: &Path, format: SegmentsFormat, file: &str) -> Result<CodedData, InputError> {
    let (_, reference) = load_folder(&reference_study()).unwrap();
    let segments = SegmentsFile {
        format,
        path: file.into(),
        offsets: OffsetUnit::Utf16,
        texts: SourceTexts::Required,
    };
    qda::load(
        folder,
        &segments,
        Some(Path::new("codebook.csv")),
        None,
        3,
        &reference.indicators,
        &[Lang::EN, Lang::FA],
    )
    .map(|loaded| loaded.data)
}

/// Everything the report computes from coded data, with segment texts, CRLF normalised.
fn summary(data: &CodedData) -> String {
    let texts: Vec<(String, String)> = data
        .segments
        .iter()
        .map(|s| {
            (
                data.documents[s.document].clone(),
                format!(
                    "{} | passage {} | {}",
                    data.codes[s.code].path.join(" > "),
                    s.passage,
                    s.text.as_deref().unwrap_or("(none)").replace("\r\n", "\n")
                ),
            )
        })
        .collect();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        coding::counts(data),
        coding::matrix(data),
        coding::saturation(data),
        coding::concepts(data),
        data.documents,
        texts
    )
}

#[test]
fn project_csv_maxqda_exports_and_qdpx_give_identical_counts() {
    let german = csv_rows("maxqda_de.csv", ';');
    let folder = scratch(&[
        (
            "project.qdpx",
            common::qdpx_bytes("project.qde", "sources", |x| x),
        ),
        ("maxqda_de.xlsx", xlsx_bytes(&german)),
    ]);
    let formats = [
        (SegmentsFormat::ProjectCsv, "segments.csv"),
        (SegmentsFormat::Maxqda, "maxqda_de.csv"),
        (SegmentsFormat::Maxqda, "maxqda_en.csv"),
        (SegmentsFormat::Maxqda, "maxqda_de.xlsx"),
        (SegmentsFormat::Qdpx, "project.qdpx"),
    ];
    let loaded: Vec<(String, CodedData)> = formats
        .iter()
        .map(|(format, file)| {
            let data = load(folder.path(), *format, file).unwrap_or_else(|e| panic!("{file}: {e}"));
            (file.to_string(), data)
        })
        .collect();
    let reference = summary(&loaded[0].1);
    for (file, data) in &loaded[1..] {
        assert_eq!(summary(data), reference, "{file} differs from segments.csv");
    }

    // By hand (fixture README): 7 segments in 2 interviews; 6 initial codes, 4 concepts, 2 components
    // defined; 5 codes, 4 concepts, 2 components used; A1 brings 4 new codes, A2 one more.
    let data = &loaded[0].1;
    let counts = coding::counts(data);
    assert_eq!((counts.segments, counts.documents), (7, 2));
    let defined: Vec<usize> = counts.levels.iter().map(|l| l.defined).collect();
    let used: Vec<usize> = counts.levels.iter().map(|l| l.used).collect();
    assert_eq!(defined, vec![2, 4, 6]);
    assert_eq!(used, vec![2, 4, 5]);
    let steps: Vec<(usize, usize, usize)> = coding::saturation(data)
        .iter()
        .map(|s| (s.segments, s.new_codes, s.cumulative))
        .collect();
    assert_eq!(steps, vec![(4, 4, 4), (3, 1, 5)]);
    // Matrix rows in codebook order: Joining (A1 1, A2 1), Deliberate (1, 0), Cross-border (1, 0),
    // Trust building (0, 0), Capital (1, 1), Skilled staff (0, 1).
    let matrix: Vec<Vec<u64>> = coding::matrix(data)
        .rows
        .iter()
        .map(|r| r.per_document.clone())
        .collect();
    assert_eq!(
        matrix,
        vec![
            vec![1, 1],
            vec![1, 0],
            vec![1, 0],
            vec![0, 0],
            vec![1, 1],
            vec![0, 1]
        ]
    );
    // The UTF-16 offsets of the qdpx land on the right text despite the BOM, the CRLFs and the emoji.
    let qdpx = &loaded[4].1;
    assert_eq!(
        qdpx.segments[2].text.as_deref(),
        Some("سرمایه 😀 مهم\u{200C}ترین منبع ماست.")
    );
    assert_eq!(
        qdpx.segments[3].text.as_deref(),
        Some("با شرکای خارجی شبکه می\u{200C}سازیم.")
    );
    // Names come from the codebook in both languages.
    let capital = &qdpx.codes[qdpx.segments[2].code];
    assert_eq!(
        (capital.name.get(Lang::EN), capital.name.get(Lang::FA)),
        ("Capital", "سرمایه")
    );
    assert!(!capital.untranslated);
}

#[test]
fn qdpx_quirks_are_accepted_another_qde_name_and_capitalised_sources() {
    let folder = scratch(&[
        (
            "standard.qdpx",
            common::qdpx_bytes("project.qde", "sources", |x| x),
        ),
        (
            "quirky.qdpx",
            common::qdpx_bytes("Export 2024.QDE", "Sources", |xml| {
                // A namespace prefix on every element, as some exporters write.
                xml.replace(
                    "<Project xmlns=",
                    "<q:Project xmlns:q=\"urn:QDA-XML:project:1.0\" xmlns:x=",
                )
                .replace("</Project>", "</q:Project>")
                .replace("<Code ", "<q:Code ")
                .replace("</Code>", "</q:Code>")
            }),
        ),
    ]);
    let standard = load(folder.path(), SegmentsFormat::Qdpx, "standard.qdpx").unwrap();
    let quirky = load(folder.path(), SegmentsFormat::Qdpx, "quirky.qdpx").unwrap();
    assert_eq!(summary(&quirky), summary(&standard));
}

#[test]
fn qdpx_offsets_that_do_not_fit_the_text_are_reported_with_file_and_position() {
    let past_end = common::qdpx_bytes("project.qde", "sources", |xml| {
        xml.replace(
            r#"startPosition="55" endPosition="87""#,
            r#"startPosition="55" endPosition="89""#,
        )
    });
    let inside_crlf = common::qdpx_bytes("project.qde", "sources", |xml| {
        xml.replace(
            r#"startPosition="49" endPosition="78""#,
            r#"startPosition="48" endPosition="78""#,
        )
    });
    let inside_emoji = common::qdpx_bytes("project.qde", "sources", |xml| {
        xml.replace(
            r#"startPosition="49" endPosition="78""#,
            r#"startPosition="57" endPosition="78""#,
        )
    });
    let folder = scratch(&[
        ("past_end.qdpx", past_end),
        ("inside_crlf.qdpx", inside_crlf),
        ("inside_emoji.qdpx", inside_emoji),
    ]);
    let error = load(folder.path(), SegmentsFormat::Qdpx, "past_end.qdpx").unwrap_err();
    let text = error.to_string();
    assert!(text.contains("past_end.qdpx/project.qde: line "), "{text}");
    assert!(
        text.contains("selection 5e000001-0000-4000-8000-000000000006 of source 'A2'"),
        "{text}"
    );
    // The text is 34 + 1 + 19 + 1 + 32 + 1 = 88 units long: 88 is its end, 89 is past it.
    assert!(
        text.contains("endPosition 89: is past the end of the text (88 UTF-16 units)"),
        "{text}"
    );
    assert!(
        text.contains("sources/6e0d9b3a-58c2-4f7e-b1d4-0a9c7e2f5b42.txt"),
        "{text}"
    );
    let error = load(folder.path(), SegmentsFormat::Qdpx, "inside_crlf.qdpx").unwrap_err();
    assert!(
        error
            .message
            .contains("startPosition 48: falls between the CR and the LF"),
        "{error}"
    );
    // "سرمایه 😀": the emoji takes units 56 and 57 (49 + 7), so 57 falls inside it.
    let error = load(folder.path(), SegmentsFormat::Qdpx, "inside_emoji.qdpx").unwrap_err();
    assert!(
        error
            .message
            .contains("startPosition 57: falls inside a character"),
        "{error}"
    );
}

#[test]
fn unsafe_archives_and_entity_declarations_are_refused() {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    writer
        .start_file("project.qde", SimpleFileOptions::default())
        .unwrap();
    writer.write_all(b"<Project name=\"p\"/>").unwrap();
    writer
        .start_file("sources/../../outside.txt", SimpleFileOptions::default())
        .unwrap();
    writer.write_all(b"x").unwrap();
    let traversal = writer.finish().unwrap().into_inner();
    let entities = common::qdpx_bytes("project.qde", "sources", |xml| {
        xml.replacen(
            "<Project ",
            "<!DOCTYPE Project [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>\n<Project ",
            1,
        )
    });
    let folder = scratch(&[("traversal.qdpx", traversal), ("entities.qdpx", entities)]);
    let error = load(folder.path(), SegmentsFormat::Qdpx, "traversal.qdpx").unwrap_err();
    assert!(
        error.message.contains("points outside the archive"),
        "{error}"
    );
    let error = load(folder.path(), SegmentsFormat::Qdpx, "entities.qdpx").unwrap_err();
    assert!(
        error.message.contains("declares its own entities"),
        "{error}"
    );
}

#[test]
fn maxqda_exports_without_a_code_column_or_with_an_empty_code_name_name_the_problem() {
    let folder = scratch(&[
        ("no_code.csv", b"Dokumentname;Segment\nA1;text\n".to_vec()),
        (
            "empty_name.csv",
            b"Document name,Code,Segment\nA1,Networking > Active participation > Joining business forums,x\nA2,Networking >  > Joining business forums,y\n"
                .to_vec(),
        ),
    ]);
    let error = load(folder.path(), SegmentsFormat::Maxqda, "no_code.csv").unwrap_err();
    assert_eq!(error.table_column(), Some("code"));
    assert!(error.message.contains("Dokumentname, Segment"), "{error}");
    let error = load(folder.path(), SegmentsFormat::Maxqda, "empty_name.csv").unwrap_err();
    assert_eq!((error.row, error.table_column()), (Some(2), Some("Code")));
    assert!(
        error
            .to_string()
            .contains("empty_name.csv: row 2 (line 3), column 'Code': code 'Networking >  > Joining business forums' has an empty name"),
        "{error}"
    );
}

// Issue 20, point 5, under issue 13's level rule: a coding on a code above the initial codes (a
// component, a concept) is counted at its own level, once, instead of being set aside.
#[test]
fn a_coding_on_a_code_above_the_initial_codes_is_counted_at_its_own_level() {
    let folder = scratch(&[(
        "shallow.csv",
        b"Document name,Code,Segment\nA1,Networking > Active participation > Joining business forums,x\nA2,Networking,y\nA2,Networking,z\nA2,Resources > Financial resources,w\n"
            .to_vec(),
    )]);
    let data = load(folder.path(), SegmentsFormat::Maxqda, "shallow.csv").unwrap();
    assert_eq!(data.segments.len(), 4);
    assert!(data.uncounted.is_empty());
    // By hand: Networking (component) 2 codings, Resources > Financial resources (concept) 1, the
    // initial code 1: 1 + 1 + 2 = 4, each once.
    let counts = coding::counts(&data);
    let counted: Vec<usize> = counts.levels.iter().map(|l| l.counted).collect();
    assert_eq!(counted, vec![2, 1, 1]);
    assert_eq!((counts.documents, counts.documents_used), (2, 2));
    let rule = coding::level_rule(&data);
    let above: Vec<(String, usize)> = rule
        .above
        .iter()
        .map(|c| (data.codes[c.code].path.join(" > "), c.codings))
        .collect();
    assert_eq!(
        above,
        vec![
            ("Networking".to_string(), 2),
            ("Resources > Financial resources".to_string(), 1)
        ]
    );
}

/// The reference study with coded data and demographics added: everything in the report's new cells.
fn study_with_qualitative_data() -> tempfile::TempDir {
    let study = copy_reference_study();
    for file in ["codebook.csv", "respondents.csv"] {
        fs::copy(fixtures().join(file), study.path().join(file)).unwrap();
    }
    fs::write(
        study.path().join("interviews.qdpx"),
        common::qdpx_bytes("project.qde", "sources", |x| x),
    )
    .unwrap();
    let yaml = fs::read_to_string(study.path().join("study.yaml")).unwrap();
    let yaml = yaml.replacen(
        "coding:\n  published:",
        "coding:\n  segments: {format: qdpx, path: interviews.qdpx}\n  codebook: codebook.csv\n  published:",
        1,
    );
    let yaml = format!(
        "{yaml}\ndemographics:\n  respondents: respondents.csv\n  cases_panel: interview\n  panels:\n    - {{id: interview, label: {{en: Interviewees, fa: مصاحبه‌شوندگان}}}}\n    - {{id: delphi, label: {{en: Delphi experts, fa: خبرگان دلفی}}}}\n  attributes:\n    - id: gender\n      label: {{en: Gender, fa: جنسیت}}\n      categories:\n        - {{id: female, label: {{en: Female, fa: زن}}}}\n        - {{id: male, label: {{en: Male, fa: مرد}}}}\n    - id: education\n      label: {{en: Education, fa: تحصیلات}}\n      categories:\n        - {{id: bachelor, label: {{en: Bachelor, fa: کارشناسی}}}}\n        - {{id: master, label: {{en: Master, fa: کارشناسی ارشد}}}}\n        - {{id: phd, label: {{en: PhD, fa: دکتری}}}}\n"
    );
    fs::write(study.path().join("study.yaml"), yaml).unwrap();
    study
}

#[test]
fn a_study_with_coded_data_and_respondents_reports_them_in_both_languages() {
    let study = study_with_qualitative_data();
    let build = delphi_report::build_report(study.path()).unwrap();
    let en = file_text(&build.files, "report.en.md");
    let fa = file_text(&build.files, "report.fa.md");

    // Demographics by hand (fixture README): gender, interviewees A1 (female) and A2 (male): 1 and 1 of 2;
    // Delphi E1, A1 female, E2..E4 male: 2 (40.0%) and 3 (60.0%) of 5; overall six people: 2 (33.3%), 4 (66.7%).
    assert!(
        en.contains("| Female | 1 | 50.0 | 2 | 40.0 | 2 | 33.3 |"),
        "{en}"
    );
    assert!(
        en.contains("| Male | 1 | 50.0 | 3 | 60.0 | 4 | 66.7 |"),
        "{en}"
    );
    // Education: A2 and E3 have none: missing 1 of 2, 1 of 5, 2 of 6; master 1 of 6 = 16.7%.
    assert!(
        en.contains("| Missing | 1 | 50.0 | 1 | 20.0 | 2 | 33.3 |"),
        "{en}"
    );
    assert!(
        en.contains("| Master | 0 | 0.0 | 1 | 20.0 | 1 | 16.7 |"),
        "{en}"
    );
    assert!(
        fa.contains("| زن | ۱ | ۵۰٫۰ | ۲ | ۴۰٫۰ | ۲ | ۳۳٫۳ |"),
        "{fa}"
    );

    // The matrix: Joining business forums coded once in each interview, twice in all.
    assert!(
        en.contains("| Networking | Active participation | Joining business forums | 1 | 1 | 2 |"),
        "{en}"
    );
    assert!(
        fa.contains("| شبکه‌سازی | مشارکت فعالانه | شرکت در همایش‌های کسب و کار | ۱ | ۱ | ۲ |"),
        "{fa}"
    );
    // Saturation: A1 4 segments, 4 new codes; A2 3 segments, 1 new, 5 in all.
    assert!(en.contains("| 2 | A2 | 3 | 1 | 5 |"), "{en}");
    let figure = file_text(&build.files, "figures/saturation.en.svg");
    assert!(
        figure.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{figure}"
    );
    assert!(figure.contains(">A2</tspan></text>"), "{figure}");
    let html = file_text(&build.files, "report.fa.html");
    assert!(html.contains("<svg width="), "the figure is inline");
    assert!(!html.contains("<img"), "no external image");

    // Concepts linked to indicators: networking holds I01 (Active participation: 2 codes, 3 segments)
    // and I02 (Foreign partners: 2 codes, 1 segment); 10 indicators, all accepted in the reference data.
    assert!(
        en.contains("| Networking | 10 | 10 | 0 | 2 | 4 | 4 |"),
        "{en}"
    );
    // Resources: I17 (Capital, 2 segments) and I19 (Skilled staff, 1 segment) of its 3 indicators.
    assert!(en.contains("| Resources | 3 | 3 | 0 | 2 | 2 | 3 |"), "{en}");
    // Counts per level: 6 initial codes defined, 5 used; 7 segments; 2 interviews.
    assert!(en.contains("| Initial codes | 331 | – | 6 | 5 |"), "{en}");
    assert!(en.contains("| Coded segments | – | – | – | 7 |"), "{en}");
}
