//! Reader-first outputs of issue 16: the workbook as Excel and LibreOffice show and print it, the
//! pages as a browser lays them out, the notebooks as Jupyter opens and saves them.

use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx};

use crate::common::{chromium, required, soffice, zip_part};
use crate::formats::{build, write_files};

/// Index (1-based, as in `xl/worksheets/sheetN.xml`) of the sheet called `name`.
fn sheet_number(names: &[String], name: &str) -> usize {
    names
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no sheet {name}: {names:?}"))
        + 1
}

#[test]
fn workbook_sheets_are_named_after_their_tables_and_hold_numbers_in_number_columns() {
    let files = build();
    for (lang, table6, table7, responses, remark) in [
        ("en", "Table 6", "Table 7", "Responses", "8 (expected 15)"),
        ("fa", "جدول ۶", "جدول ۷", "تعداد پاسخ", "۸ (مورد انتظار ۱۵)"),
    ] {
        let bytes = files[&format!("tables/tables.{lang}.xlsx")].clone();
        let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let names = workbook.sheet_names();
        assert!(names.iter().all(|n| n.chars().count() <= 31), "{names:?}");
        let mut lowered: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
        lowered.sort();
        lowered.dedup();
        assert_eq!(lowered.len(), names.len(), "sheet names repeat: {names:?}");
        assert!(
            !names
                .iter()
                .any(|n| n.starts_with("Cell") || n.starts_with("خانه")),
            "{names:?}"
        );

        // Table 6: caption on row 1, headers on row 3, the 48 indicators below.
        let range = workbook.worksheet_range(table6).unwrap();
        let headers: Vec<String> = (0..range.width())
            .map(|c| range.get((2, c)).unwrap().to_string())
            .collect();
        let column = headers.iter().position(|h| h == responses).unwrap();
        let values: Vec<&Data> = (3..range.height())
            .map(|r| range.get((r, column)).unwrap())
            .collect();
        assert_eq!(values.len(), 48);
        assert!(
            values.iter().all(|v| matches!(v, Data::Float(_))),
            "{lang}: Responses holds text: {values:?}"
        );
        // Row 1 of the paper printed 8 responses of 15: the number, and the remark as its note.
        assert_eq!(values[0], &Data::Float(8.0));
        assert_eq!(values[1], &Data::Float(15.0));
        let number = sheet_number(&names, table6);
        let rels = zip_part(
            &bytes,
            &format!("xl/worksheets/_rels/sheet{number}.xml.rels"),
        );
        let comments = rels
            .split("Target=\"../")
            .find_map(|part| part.split('"').next().filter(|t| t.starts_with("comments")))
            .unwrap();
        let notes = zip_part(&bytes, &format!("xl/{comments}"));
        assert_eq!(notes.matches("<comment ").count(), 1, "{notes}");
        // The note sits on the first indicator's row (row 4) in the Responses column.
        let letter = char::from(b'A' + u8::try_from(column).unwrap());
        assert!(
            notes.contains(&format!(r#"<comment ref="{letter}4""#)),
            "{notes}"
        );
        assert!(notes.contains(remark), "{notes}");

        // Print setup: A4 landscape, one page wide, header row repeated on every page.
        let sheet = zip_part(&bytes, &format!("xl/worksheets/sheet{number}.xml"));
        assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{sheet}");
        assert!(
            sheet.contains(r#"<pageSetup paperSize="9" fitToHeight="0" orientation="landscape""#),
            "{}",
            &sheet[sheet.find("<pageSetup").unwrap()..]
        );
        let book = zip_part(&bytes, "xl/workbook.xml");
        assert!(
            book.contains(&format!(
                "_xlnm.Print_Titles\" localSheetId=\"{}\">",
                number - 1
            )),
            "{book}"
        );
        // Wrapped names get their height: indicator 2's name takes two lines in its column.
        let row5 = &sheet[sheet.find(r#"<row r="5""#).unwrap()..];
        let height: f64 = row5
            .split("ht=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(height >= 30.0, "{lang}: row 5 is {height} pt high");

        let range = workbook.worksheet_range(table7).unwrap();
        assert!(range
            .get((0, 0))
            .unwrap()
            .to_string()
            .ends_with(if lang == "en" {
                "Mean of the experts' views in the fuzzy Delphi technique"
            } else {
                "میانگین دیدگاه‌های خبرگان در تکنیک دلفی فازی"
            }));
    }
}

/// Converts `workbook` to PDF with LibreOffice; returns the pages' texts.
fn print_with_libreoffice(office: &str, workbook: &Path) -> Vec<String> {
    let folder = workbook.parent().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(office)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(folder)
        .arg(workbook)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pdf = workbook.with_extension("pdf");
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(text.status.success());
    String::from_utf8(text.stdout)
        .unwrap()
        .split('\u{c}')
        .map(String::from)
        .filter(|page| !page.trim().is_empty())
        .collect()
}

#[test]
fn libreoffice_prints_the_workbook_one_page_wide_with_the_headers_on_every_page() {
    let Some(office) = soffice() else {
        assert!(
            !required("REQUIRE_LIBREOFFICE"),
            "REQUIRE_LIBREOFFICE=1 but no soffice on PATH"
        );
        eprintln!("notice: skipped: LibreOffice is not on PATH (Debian: apt-get install libreoffice-calc poppler-utils)");
        return;
    };
    let files = build();
    let dir = write_files(&files);
    let pages = print_with_libreoffice(office, &dir.path().join("tables/tables.en.xlsx"));
    // 18 tables; before the print setup LibreOffice printed 49 pages in column strips.
    assert!(pages.len() <= 36, "{} pages", pages.len());
    // Table 6 prints as whole rows: each of its pages holds the indicator and the responses
    // columns (the header repeated), and indicator 48's name and its row's numbers are on one page.
    let table6: Vec<&String> = pages
        .iter()
        .skip_while(|p| !p.starts_with("Table 6."))
        .take_while(|p| !p.starts_with("Table 7."))
        .collect();
    assert!(
        !table6.is_empty() && table6.len() <= 3,
        "{} pages",
        table6.len()
    );
    for page in &table6 {
        assert!(
            page.contains("Indicator") && page.contains("Responses"),
            "{page}"
        );
    }
    // A wrapped indicator name is printed whole, not only its last line.
    let all = pages.join("\n");
    assert!(
        all.contains("The firm's deliberate efforts to discover new collaborations"),
        "{all}"
    );
    assert!(all.contains("(active participation)"));
}

/// Measures a page as Chromium lays it out at 1280x900: a script appended to a copy of the page
/// writes the document's scroll width, and the Persian text outside `<code>`, `<bdi>` and figures
/// that holds a formula (a Latin letter or digit, an operator, a Latin letter or digit; or a Latin
/// letter followed by a Persian digit), into the DOM, which `--dump-dom` returns.
fn measure_in_chromium(browser: &str, page: &Path) -> (u32, Vec<String>) {
    const PROBE: &str = r#"<script>
var found = [];
var formula = /[A-Za-z0-9\u06F0-\u06F9)\u00B2\u2080-\u209F\u1D62-\u1D6A]\s*[=+\u2212\/\u2264\u2265<>]\s*[A-Za-z0-9\u06F0-\u06F9(\u221A\u03A3]|[A-Za-z][\u06F0-\u06F9]/;
var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  var node = walker.currentNode;
  if (node.parentElement.closest('code, bdi, svg, script, style')) continue;
  if (/[\u0600-\u06EF]/.test(node.data) && formula.test(node.data)) found.push(node.data.trim().slice(0, 80));
}
var out = document.createElement('pre');
out.id = 'probe';
out.textContent = 'width=' + document.documentElement.scrollWidth + '\n' + found.join('\n');
document.body.appendChild(out);
</script>"#;
    let html = std::fs::read_to_string(page).unwrap();
    let probed = page.with_extension("probe.html");
    std::fs::write(&probed, html.replace("</body>", &format!("{PROBE}</body>"))).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-background-networking",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--window-size=1280,900",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", probed.display()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{browser} failed on {}",
        page.display()
    );
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    let probe = dom
        .split(r#"<pre id="probe">"#)
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("the probe did not run on {}", page.display()));
    let mut lines = probe.lines();
    let width = lines
        .next()
        .and_then(|l| l.strip_prefix("width="))
        .unwrap()
        .parse()
        .unwrap();
    (width, lines.map(String::from).collect())
}

#[test]
fn chromium_lays_both_pages_out_within_1280_px_with_persian_formulas_isolated() {
    let Some(browser) = chromium() else {
        assert!(
            !required("REQUIRE_CHROMIUM"),
            "REQUIRE_CHROMIUM=1 but no chromium on PATH"
        );
        eprintln!("notice: skipped: chromium is not on PATH (Debian: apt-get install chromium)");
        return;
    };
    let files = build();
    let dir = write_files(&files);
    for lang in ["en", "fa"] {
        let (width, unisolated) =
            measure_in_chromium(&browser, &dir.path().join(format!("report.{lang}.html")));
        // Before issue 16 the English page was 1,600 px wide (a list of sample sizes kept on one line).
        assert!(
            width <= 1280,
            "report.{lang}.html is {width} px wide at 1280"
        );
        assert!(unisolated.is_empty(), "report.{lang}.html: {unisolated:#?}");
    }
    // The probe can fail: a wide element and a bare formula in Persian prose are both caught.
    let bad = dir.path().join("bad.html");
    std::fs::write(
        &bad,
        r#"<!DOCTYPE html><html lang="fa" dir="rtl"><body><p>مقدار قطعی (l + m + u) / ۳ است</p><div style="width:1600px">x</div></body></html>"#,
    )
    .unwrap();
    let (width, unisolated) = measure_in_chromium(&browser, &bad);
    assert!(width > 1280, "{width}");
    assert_eq!(unisolated, ["مقدار قطعی (l + m + u) / ۳ است"]);
}

fn has_arabic_script(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{0600}'..='\u{06EF}').contains(&c) || ('\u{FB50}'..='\u{FEFF}').contains(&c))
}

#[test]
fn notebooks_keep_persian_out_of_code_cells_and_survive_an_nbformat_round_trip() {
    let files = build();
    let notebook: serde_json::Value = serde_json::from_slice(&files["report.fa.ipynb"]).unwrap();
    let cells = notebook["cells"].as_array().unwrap();
    let source = |cell: &serde_json::Value| -> String {
        cell["source"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect()
    };
    let code: Vec<String> = cells
        .iter()
        .filter(|c| c["cell_type"] == "code")
        .map(source)
        .collect();
    assert!(!code.is_empty());
    for text in &code {
        assert!(!has_arabic_script(text), "Persian in a code cell: {text}");
    }
    // Every Persian paragraph of a Markdown cell carries its right alignment.
    let markdown: Vec<String> = cells
        .iter()
        .filter(|c| c["cell_type"] == "markdown")
        .map(source)
        .collect();
    let paragraphs = markdown
        .iter()
        .map(|m| m.matches("<p").count())
        .sum::<usize>();
    let aligned = markdown
        .iter()
        .map(|m| {
            m.matches(r#"<p dir="rtl" style="text-align: right">"#)
                .count()
        })
        .sum::<usize>();
    assert!(
        paragraphs > 20 && aligned == paragraphs,
        "{aligned} of {paragraphs}"
    );

    let Some(python) = crate::formats::nbformat_python() else {
        assert!(
            !required("REQUIRE_NBFORMAT"),
            "REQUIRE_NBFORMAT=1 but no nbformat"
        );
        eprintln!(
            "notice: skipped: the nbformat Python package is not installed (.ci/run installs it)"
        );
        return;
    };
    // Read and written again by nbformat (what Jupyter does on save), each notebook is unchanged,
    // so `check` stays green.
    let dir = write_files(&files);
    for lang in ["en", "fa"] {
        let path = dir.path().join(format!("report.{lang}.ipynb"));
        let output = Command::new(&python)
            .args([
                "-c",
                "import nbformat, sys\nnb = nbformat.read(sys.argv[1], as_version=4)\nnbformat.write(nb, sys.argv[1])",
            ])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            std::fs::read(&path).unwrap() == files[&format!("report.{lang}.ipynb")],
            "nbformat rewrote report.{lang}.ipynb"
        );
    }
}

/// A Python that has nbconvert: $NBCONVERT_PYTHON, else $NBFORMAT_PYTHON, else python3.
fn nbconvert_python() -> Option<String> {
    crate::common::python_with(&["NBCONVERT_PYTHON", "NBFORMAT_PYTHON"], "nbconvert")
}

/// The alignment Chromium computes for each paragraph holding Persian text in `page`.
fn persian_paragraph_alignments(browser: &str, page: &Path) -> Vec<String> {
    const PROBE: &str = r#"<script>
var out = document.createElement('pre');
out.id = 'probe';
out.textContent = Array.from(document.querySelectorAll('p'))
  .filter(function (p) { return /[\u0600-\u06EF]/.test(p.textContent); })
  .map(function (p) { return getComputedStyle(p).textAlign; }).join('\n');
document.body.appendChild(out);
</script>"#;
    let html = std::fs::read_to_string(page).unwrap();
    let probed = page.with_extension("probe.html");
    std::fs::write(&probed, html.replace("</body>", &format!("{PROBE}</body>"))).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .args(["--host-resolver-rules=MAP * ~NOTFOUND"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", probed.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    dom.split(r#"<pre id="probe">"#)
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("the probe did not run on {}", page.display()))
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn nbconvert_lays_persian_paragraphs_out_right_aligned() {
    let (Some(python), Some(browser)) = (nbconvert_python(), chromium()) else {
        assert!(
            !required("REQUIRE_NBCONVERT"),
            "REQUIRE_NBCONVERT=1 but no nbconvert or chromium"
        );
        eprintln!("notice: skipped: nbconvert (pip install nbconvert) or chromium is missing");
        return;
    };
    let files = build();
    let dir = write_files(&files);
    // A control in the form the notebook had before: Markdown inside <div dir="rtl">.
    let control = serde_json::json!({
        "cells": [{"cell_type": "markdown", "id": "control", "metadata": {},
                   "source": ["<div dir=\"rtl\" lang=\"fa\">\n\nمتن فارسی\n</div>\n"]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5
    });
    std::fs::write(dir.path().join("control.ipynb"), control.to_string()).unwrap();
    for (name, expected) in [("report.fa", "right"), ("control", "left")] {
        let output = Command::new(&python)
            .args(["-m", "nbconvert", "--to", "html", "--log-level=ERROR"])
            .arg(dir.path().join(format!("{name}.ipynb")))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let alignments =
            persian_paragraph_alignments(&browser, &dir.path().join(format!("{name}.html")));
        assert!(!alignments.is_empty(), "{name}: no Persian paragraph");
        assert!(
            alignments.iter().all(|a| a == expected),
            "{name}: {alignments:?}"
        );
    }
}

/// The `#` links of a page that name no element id, as Chromium sees the page at 1280x900.
fn broken_anchor_links(browser: &str, page: &Path) -> (usize, Vec<String>) {
    const PROBE: &str = r##"<script>
var links = document.querySelectorAll('a[href^="#"]');
var broken = [];
for (var i = 0; i < links.length; i++) {
  var id = decodeURIComponent(links[i].getAttribute('href').slice(1));
  if (!document.getElementById(id)) broken.push(id);
}
var out = document.createElement('pre');
out.id = 'probe';
out.textContent = 'links=' + links.length + '\n' + broken.join('\n');
document.body.appendChild(out);
</script>"##;
    let html = std::fs::read_to_string(page).unwrap();
    let probed = page.with_extension("links.html");
    std::fs::write(&probed, html.replace("</body>", &format!("{PROBE}</body>"))).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--window-size=1280,900",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", probed.display()))
        .output()
        .unwrap();
    assert!(output.status.success(), "{browser} failed");
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    let probe = dom
        .split(r#"<pre id="probe">"#)
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("the probe did not run on {}", page.display()));
    let mut lines = probe.lines();
    let links = lines
        .next()
        .and_then(|l| l.strip_prefix("links="))
        .unwrap()
        .parse()
        .unwrap();
    (links, lines.map(String::from).collect())
}

#[test]
fn chromium_resolves_every_contents_and_inputs_link_on_both_pages() {
    let Some(browser) = chromium() else {
        assert!(
            !required("REQUIRE_CHROMIUM"),
            "REQUIRE_CHROMIUM=1 but no chromium on PATH"
        );
        eprintln!("notice: skipped: chromium is not on PATH (Debian: apt-get install chromium)");
        return;
    };
    let files = build();
    let dir = write_files(&files);
    for lang in ["en", "fa"] {
        let page = dir.path().join(format!("report.{lang}.html"));
        let html = std::fs::read_to_string(&page).unwrap();
        // The contents link every cell (19), numbered table (6) and figure (3) of the page.
        for anchor in [
            "#study",
            "#audit",
            "#table-7",
            "#figure-crisp",
            "#input-study-yaml",
        ] {
            assert!(
                html.contains(&format!("href=\"{anchor}\"")),
                "{lang}: {anchor}"
            );
        }
        let (links, broken) = broken_anchor_links(&browser, &page);
        assert!(links > 28, "report.{lang}.html has {links} # links");
        assert!(broken.is_empty(), "report.{lang}.html: {broken:?}");
    }
    // The probe can fail: a link to no element is caught.
    let bad = dir.path().join("bad.html");
    std::fs::write(
        &bad,
        r##"<!DOCTYPE html><html><body><a href="#here">a</a><p id="here">x</p><a href="#nowhere">b</a></body></html>"##,
    )
    .unwrap();
    assert_eq!(
        broken_anchor_links(&browser, &bad),
        (2, vec!["nowhere".to_string()])
    );
}

/// Hex runs of 64 characters: SHA-256 digests.
fn digests(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_hexdigit())
        .filter(|w| w.len() == 64)
        .count()
}

#[test]
fn only_the_inputs_cell_and_the_front_page_line_hold_sha256_digests() {
    let files = build();
    for (lang, cell) in [("en", "## Cell "), ("fa", "## بخش ")] {
        let md = crate::common::file_text(&files, &format!("report.{lang}.md"));
        let inputs_start = md.find(&format!("{cell}{}", if lang == "en" { "3" } else { "۳" }));
        let inputs_end = md.find(&format!("{cell}{}", if lang == "en" { "4" } else { "۴" }));
        let (Some(start), Some(end)) = (inputs_start, inputs_end) else {
            panic!("{lang}: no inputs cell");
        };
        let first_cell = md.find(cell).unwrap();
        // The front page: one combined digest. The inputs cell: one per file and the combined one.
        assert_eq!(digests(&md[..first_cell]), 1, "{lang}");
        assert_eq!(digests(&md[start..end]), 11, "{lang}");
        assert_eq!(
            digests(&md[first_cell..start]) + digests(&md[end..]),
            0,
            "{lang}"
        );
        let html = crate::common::file_text(&files, &format!("report.{lang}.html"));
        assert_eq!(digests(&html), 12, "{lang}");
    }
    assert_eq!(
        digests("x 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef."),
        1
    );
}

#[test]
fn each_page_links_the_other_language_once_tagged_with_that_language() {
    let files = build();
    for (lang, other, label) in [("en", "fa", "گزارش فارسی"), ("fa", "en", "English report")]
    {
        let html = crate::common::file_text(&files, &format!("report.{lang}.html"));
        let link = format!(
            r#"<a href="report.{other}.html" hreflang="{other}" lang="{other}">{label}</a>"#
        );
        assert_eq!(
            html.matches(&format!("href=\"report.{other}.html\""))
                .count(),
            1,
            "{lang}"
        );
        assert!(html.contains(&link), "{lang}: no {link}");
        // The front page holds it (the Markdown's link, above the key findings): no second one
        // in a navigation bar.
        assert!(!html.contains("<nav"), "{lang}");
        assert!(
            html.find(&link) < html.find("id=\"key-findings\""),
            "{lang}"
        );
    }
}
