//! Issue 17, Word and PDF for publication: the .docx files read back by python-docx and converted by
//! LibreOffice, their Persian right-to-left markup, their determinism, and the PDF exports printed by
//! Chromium. Tests that need a tool skip with a notice when it is missing, unless CI requires it
//! (REQUIRE_DOCX_PYTHON=1, REQUIRE_LIBREOFFICE=1, REQUIRE_CHROMIUM=1).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::events::Event;
use quick_xml::Reader;

use delphi_report::report::ReportFiles;
use delphi_report::Stamp;

use common::{chromium, file_text, on_path, read_csv, reference_study, zip_part};

fn build() -> ReportFiles {
    delphi_report::build_report(&reference_study())
        .unwrap()
        .files
}

fn write_files(files: &ReportFiles) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    delphi_report::output::write_tree(dir.path(), files).unwrap();
    dir
}

fn persian_digits(ascii: &str) -> String {
    ascii
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(0x06F0 + (c as u32 - '0' as u32)).unwrap(),
            '.' => '\u{066B}',
            other => other,
        })
        .collect()
}

/// Table 7's crisp values from its CSV file, rounded half away from zero to the printed 3 decimals.
fn crisp_values(files: &ReportFiles) -> Vec<String> {
    let screening = common::numbered_tables(&reference_study()).1;
    let (header, rows) = read_csv(&file_text(files, &screening));
    let crisp = header.iter().position(|h| h == "crisp").unwrap();
    rows.iter()
        .map(|row| {
            let value: f64 = row[crisp].parse().unwrap();
            format!("{:.3}", (value * 1000.0).round() / 1000.0)
        })
        .collect()
}

/// The tables of an HTML page: each one's number of rows (header included).
fn html_table_rows(html: &str) -> Vec<usize> {
    html.split("<table")
        .skip(1)
        .map(|rest| {
            rest[..rest.find("</table>").unwrap()]
                .matches("<tr")
                .count()
        })
        .collect()
}

/// Each run of document.xml: whether its properties say right to left, and its text.
fn runs(document_xml: &str) -> Vec<(bool, String)> {
    let mut reader = Reader::from_str(document_xml);
    let mut runs = Vec::new();
    let mut current: Option<(bool, String)> = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == "w:r" => current = Some((false, String::new())),
            Event::Empty(e) if e.name().as_ref() == "w:rtl" => {
                if let Some(run) = current.as_mut() {
                    run.0 = true;
                }
            }
            Event::Text(text) => {
                if let Some(run) = current.as_mut() {
                    run.1.push_str(&text.xml10_content());
                }
            }
            Event::End(e) if e.name().as_ref() == "w:r" => runs.extend(current.take()),
            Event::Eof => break,
            _ => {}
        }
    }
    runs
}

fn is_arabic_script(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

#[test]
fn the_persian_word_document_is_right_to_left_throughout() {
    let files = build();
    let fa = zip_part(&files["report.fa.docx"], "word/document.xml");
    let tables = fa.matches("<w:tbl>").count();
    // 19 output and method tables; the cells' inputs are file names, their digests in one table.
    assert_eq!(tables, 19, "every table of the page is a Word table");
    assert_eq!(
        fa.matches("<w:tblPr><w:tblStyle w:val=\"ReportTable\"/><w:bidiVisual/>")
            .count(),
        tables
    );
    assert_eq!(fa.matches("<w:tblHeader/>").count(), tables);
    assert_eq!(
        fa.matches("<w:p>").count(),
        fa.matches("<w:bidi/>").count() - 1,
        "every paragraph and the section"
    );
    let fa_runs = runs(&fa);
    assert!(fa_runs.len() > 2_500, "{} runs", fa_runs.len());
    for (rtl, text) in &fa_runs {
        // A run with Persian words is right to left; a code span (a formula, a YAML key) is one
        // left-to-right run even when it holds Persian digits.
        if text
            .chars()
            .any(|c| is_arabic_script(c) && c.is_alphabetic())
        {
            assert!(rtl, "a Persian run without w:rtl: {text:?}");
        } else if !rtl && !text.is_empty() {
            // The runs left to right are Latin words, ASCII numbers and formulas (a picture run has
            // no text).
            assert!(
                text.chars().any(|c| c.is_alphanumeric()),
                "a left-to-right run of neutrals only: {text:?}"
            );
        }
    }
    // The formula of the method reads left to right as one run inside the Persian sentence.
    assert!(fa_runs.iter().any(|(rtl, t)| !rtl && t == "l = Σ lᵢ / n"));
    // Persian digits in Table 7, numbers at the right-hand edge (the start of a Persian line).
    assert!(fa.contains(r#"<w:bidi/><w:jc w:val="left"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="18"/><w:szCs w:val="18"/><w:rtl/><w:lang w:bidi="fa-IR"/></w:rPr><w:t xml:space="preserve">۰٫۴۸۹</w:t>"#));
    // Complex-script bold wherever there is bold.
    assert_eq!(
        fa.matches("<w:b/>").count(),
        fa.matches("<w:b/><w:bCs/>").count()
    );
    assert!(fa.matches("<w:b/>").count() > 36);

    let en = zip_part(&files["report.en.docx"], "word/document.xml");
    assert_eq!(en.matches("<w:tbl>").count(), 19);
    assert!(!en.contains("<w:bidiVisual/>") && !en.contains("<w:bidi/>"));
    assert!(en.contains(r#"<w:jc w:val="right"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="18"/><w:szCs w:val="18"/><w:lang w:val="en-US"/></w:rPr><w:t xml:space="preserve">0.489</w:t>"#));
    // The Persian link text of the English report is a right-to-left run.
    assert!(runs(&en).iter().any(|(rtl, t)| *rtl && t == "گزارش فارسی"));
}

#[test]
fn word_documents_are_byte_identical_and_dated_only_by_source_date_epoch() {
    let first = build();
    let second = build();
    for lang in ["en", "fa"] {
        let name = format!("report.{lang}.docx");
        assert!(
            first[&name] == second[&name],
            "{name} differs between two builds"
        );
        let mut archive =
            zip::ZipArchive::new(std::io::Cursor::new(first[&name].as_slice())).unwrap();
        let names: Vec<String> = archive
            .file_names()
            .map(|n| n.unwrap().to_string())
            .collect();
        assert_eq!(names[0], "[Content_Types].xml");
        for index in 0..archive.len() {
            let entry = archive.by_index(index).unwrap();
            let time = entry.last_modified().unwrap();
            assert_eq!(
                (time.year(), time.month(), time.day()),
                (1980, 1, 1),
                "{:?}",
                entry.name()
            );
        }
        // Three figures, each as PNG and SVG.
        assert_eq!(
            names
                .iter()
                .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
                .count(),
            3
        );
        assert_eq!(
            names
                .iter()
                .filter(|n| n.starts_with("word/media/") && n.ends_with(".svg"))
                .count(),
            3
        );
        let core = zip_part(&first[&name], "docProps/core.xml");
        assert!(!core.contains("dcterms:created"), "{core}");
        assert!(core.contains("<dc:creator>delphi-report</dc:creator>"));
    }
    let stamped = delphi_report::build_report_with(
        &reference_study(),
        &[],
        &Stamp {
            source_date_epoch: Some(1_700_000_000),
            git_commit: None,
        },
        None,
    )
    .unwrap()
    .files;
    let core = zip_part(&stamped["report.fa.docx"], "docProps/core.xml");
    // 1700000000 is 2023-11-14T22:13:20Z.
    assert!(
        core.contains(
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">2023-11-14T22:13:20Z</dcterms:created>"#
        ),
        "{core}"
    );
    assert_eq!(
        zip_part(&stamped["report.fa.docx"], "word/document.xml"),
        zip_part(&first["report.fa.docx"], "word/document.xml")
    );
}

/// The Python interpreter with python-docx: $DOCX_PYTHON, else python3.
fn docx_python() -> Option<String> {
    common::python_with(&["DOCX_PYTHON"], "docx")
}

#[test]
fn python_docx_reads_every_table_and_table_7_crisp_values() {
    let Some(python) = docx_python() else {
        common::skip_unless_required(
            "REQUIRE_DOCX_PYTHON",
            "python-docx is not installed (.ci/run installs it; set DOCX_PYTHON)",
        );
        return;
    };
    let files = build();
    let dir = write_files(&files);
    let documents: Vec<PathBuf> = ["en", "fa"]
        .iter()
        .map(|l| dir.path().join(format!("report.{l}.docx")))
        .collect();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/read_docx.py");
    let output = Command::new(&python)
        .arg(script)
        .args(&documents)
        .output()
        .unwrap();
    common::assert_succeeded(&output);
    let read: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let crisp = crisp_values(&files);
    for (lang, path, caption) in [
        (
            "en",
            &documents[0],
            "Table 7. Mean of the experts' views in the fuzzy Delphi technique",
        ),
        (
            "fa",
            &documents[1],
            "جدول ۷. میانگین دیدگاه‌های خبرگان در تکنیک دلفی فازی",
        ),
    ] {
        let document = &read[path.to_str().unwrap()];
        let tables = document["tables"].as_array().unwrap();
        // The same tables as the HTML page, each with as many rows.
        let rows: Vec<usize> = tables
            .iter()
            .map(|t| t["rows"].as_array().unwrap().len())
            .collect();
        assert_eq!(
            rows,
            html_table_rows(&file_text(&files, &format!("report.{lang}.html"))),
            "{lang}"
        );
        let table7 = tables
            .iter()
            .find(|t| t["caption"] == caption)
            .unwrap_or_else(|| panic!("{lang}: no Table 7"));
        let table7: Vec<Vec<String>> = serde_json::from_value(table7["rows"].clone()).unwrap();
        let column = 5; // No., indicator, l, m, u, crisp, status
        let found: Vec<String> = table7[1..].iter().map(|row| row[column].clone()).collect();
        let expected: Vec<String> = match lang {
            "en" => crisp.clone(),
            _ => crisp.iter().map(|v| persian_digits(v)).collect(),
        };
        assert_eq!(found, expected, "{lang}");
        assert_eq!(found.len(), 48);
        let title = document["title"].as_str().unwrap();
        assert!(
            title.starts_with(if lang == "en" {
                "Fuzzy Delphi screening report"
            } else {
                "گزارش غربالگری دلفی فازی"
            }),
            "{title}"
        );
        let paragraphs = document["paragraphs"].as_array().unwrap();
        assert!(paragraphs.iter().any(|p| p["style"] == "Heading 1"));
        // Each figure is a picture paragraph followed by its caption, the page's <figcaption>.
        let figure_captions: Vec<&str> = paragraphs
            .windows(2)
            .filter(|pair| pair[0]["style"] == "Figure" && pair[1]["style"] == "Caption")
            .map(|pair| pair[1]["text"].as_str().unwrap())
            .collect();
        let html = file_text(&files, &format!("report.{lang}.html"));
        let page_captions: Vec<String> = html
            .split("<figcaption>")
            .skip(1)
            .map(|rest| rest[..rest.find("</figcaption>").unwrap()].replace("&#39;", "'"))
            .collect();
        assert_eq!(figure_captions, page_captions, "{lang}");
        assert_eq!(figure_captions.len(), 3);
    }
    assert_eq!(crisp[47], "0.489", "row 48 of the reference study");
}

fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

fn pdf_pages(pdf: &Path) -> usize {
    let output = Command::new("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap()
}

/// Converts a .docx to PDF with LibreOffice headless, in a fresh profile.
pub(crate) fn libreoffice_pdf(docx: &Path, out: &Path) -> PathBuf {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(out)
        .arg(docx)
        .output()
        .unwrap();
    let pdf = out.join(docx.with_extension("pdf").file_name().unwrap());
    assert!(
        pdf.is_file(),
        "LibreOffice did not convert {}: {}",
        docx.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    pdf
}

#[test]
fn libreoffice_converts_both_word_documents_with_their_tables() {
    if !(on_path("soffice") && on_path("pdftotext")) {
        common::skip_unless_required(
            "REQUIRE_LIBREOFFICE",
            "LibreOffice (soffice) or pdftotext is missing (Debian: apt-get install libreoffice-writer-nogui poppler-utils)",
        );
        return;
    }
    let files = build();
    let dir = write_files(&files);
    let out = tempfile::tempdir().unwrap();
    for (lang, expected) in [
        (
            "en",
            [
                "Table 7. Mean of the experts",
                "Table 6. Report of the experts",
                "0.489",
                "Rejected",
            ],
        ),
        // "شاخص" (indicator), which pdftotext gives as presentation forms or plain letters
        // depending on the font LibreOffice picked; checked below.
        ("fa", ["جدول", "۰٫۴۸۹", "۰٫۶۶۷", "شاخص"]),
    ] {
        let pdf = libreoffice_pdf(&dir.path().join(format!("report.{lang}.docx")), out.path());
        let text = pdf_text(&pdf);
        for wanted in expected {
            let found = text.contains(wanted) || (wanted == "شاخص" && text.contains("ﺷﺎﺧﺺ"));
            assert!(found, "report.{lang}.pdf (LibreOffice) lacks {wanted:?}");
        }
        eprintln!(
            "report.{lang}.docx: {} pages in LibreOffice",
            pdf_pages(&pdf)
        );
    }
}

#[test]
fn chromium_prints_both_pages_to_dated_pdfs() {
    let Some(browser) = chromium() else {
        common::skip_unless_required(
            "REQUIRE_CHROMIUM",
            "chromium is not on PATH (Debian: apt-get install chromium)",
        );
        return;
    };
    if !on_path("pdftotext") {
        common::skip_unless_required(
            "REQUIRE_CHROMIUM",
            "pdftotext is missing (Debian: apt-get install poppler-utils)",
        );
        return;
    }
    let files = build();
    let dir = write_files(&files);
    let written =
        delphi_report::pdf::export(dir.path(), Path::new(&browser), Some(1_700_000_000)).unwrap();
    assert_eq!(
        written,
        vec![
            dir.path().join("report.en.pdf"),
            dir.path().join("report.fa.pdf")
        ]
    );
    let en = pdf_text(&written[0]);
    assert!(en.contains("Table 7. Mean of the experts"), "{en}");
    let fa = pdf_text(&written[1]);
    assert!(
        fa.contains("ﮔﺰارش ﻏﺮﺑﺎﻟﮕﺮی دﻟﻔﯽ ﻓﺎزی") || fa.contains("گزارش غربالگری دلفی فازی"),
        "{fa}"
    );
    for pdf in &written {
        let bytes = std::fs::read(pdf).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains("/CreationDate (D:20231114221320"),
            "{}",
            pdf.display()
        );
        assert!(
            text.contains("/ModDate (D:20231114221320"),
            "{}",
            pdf.display()
        );
        let info = Command::new("pdfinfo").arg(pdf).output().unwrap();
        assert!(
            String::from_utf8_lossy(&info.stdout).contains("(A4)"),
            "{}",
            pdf.display()
        );
        eprintln!("{}: {} pages in Chromium", pdf.display(), pdf_pages(pdf));
    }
    // PDFs beside the report are exports: the folder read back (what check compares) is still the build.
    assert_eq!(delphi_report::output::read_tree(dir.path()).unwrap(), files);
}

#[test]
fn without_a_browser_the_pdf_command_says_how_to_install_one() {
    let output = Command::new(env!("CARGO_BIN_EXE_delphi-report"))
        .args(["pdf", "--study"])
        .arg(reference_study())
        .env("PATH", "")
        .env_remove("DELPHI_REPORT_BROWSER")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no Chromium-family browser found on PATH"),
        "{stderr}"
    );
    assert!(
        stderr.contains("apt-get install chromium") && stderr.contains("DELPHI_REPORT_BROWSER"),
        "{stderr}"
    );
    let named = Command::new(env!("CARGO_BIN_EXE_delphi-report"))
        .args(["pdf", "--browser", "/nonexistent/chrome", "--study"])
        .arg(reference_study())
        .output()
        .unwrap();
    assert_eq!(named.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&named.stderr).contains("/nonexistent/chrome does not run"));
}
