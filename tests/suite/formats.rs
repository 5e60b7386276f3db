//! The report formats of issue 3: notebooks valid for nbformat 4.5 (checked by the `nbformat` Python
//! package when it is installed), the same cells in every format and language, pages that a real
//! browser loads without a console message, figures, and a manifest whose digests match.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use delphi_report::digest::sha256_hex;
use delphi_report::report::ReportFiles;

use common::{chromium, file_text, reference_study};

pub(crate) fn build() -> ReportFiles {
    delphi_report::build_report(&reference_study())
        .unwrap()
        .files
}

pub(crate) fn write_files(files: &ReportFiles) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    delphi_report::output::write_tree(dir.path(), files).unwrap();
    dir
}

fn notebook(files: &ReportFiles, lang: &str) -> serde_json::Value {
    serde_json::from_str(&file_text(files, &format!("report.{lang}.ipynb"))).unwrap()
}

/// The report cell ids, in order, as the page and the notebook show them.
fn cell_ids(files: &ReportFiles, lang: &str) -> [Vec<String>; 2] {
    let html = file_text(files, &format!("report.{lang}.html"));
    let from_html: Vec<String> = html
        .split(r#"<section class="cell" id=""#)
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect();
    let from_notebook: Vec<String> = notebook(files, lang)["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|cell| {
            let id = cell["id"].as_str().unwrap();
            id.rsplit_once('-')
                .and_then(|(name, _)| name.strip_suffix("-intro"))
                .map(String::from)
        })
        .collect();
    [from_html, from_notebook]
}

#[test]
fn both_languages_carry_every_cell_in_every_format() {
    let files = build();
    let expected = [
        "study",
        "method",
        "inputs",
        "counts",
        "screening",
        "summary",
        "agreement",
        "sensitivity",
        "audit",
        "identify",
        "aggregates",
        "design",
        "demographics",
        "initial-coding",
        "concepts",
        "coding-counts",
        "code-matrix",
        "saturation",
        "framework",
        "concept-links",
    ];
    for lang in ["en", "fa"] {
        for ids in cell_ids(&files, lang) {
            assert_eq!(ids, expected, "{lang}");
        }
    }
    // Markdown has no ids: its cell headings carry the numbered labels.
    for (lang, label) in [("en", "## Cell "), ("fa", "## بخش ")] {
        let md = file_text(&files, &format!("report.{lang}.md"));
        // The front page's two headings (key findings, contents) come before the cells'.
        let headings: Vec<&str> = md.lines().filter(|l| l.starts_with(label)).collect();
        assert_eq!(
            md.lines().filter(|l| l.starts_with("## ")).count(),
            expected.len() + 2,
            "{lang}"
        );
        assert_eq!(headings.len(), expected.len(), "{lang}");
        for (index, heading) in headings.iter().enumerate() {
            let number = delphi_report::report::i18n::localize_number(
                if lang == "en" {
                    delphi_report::Lang::EN
                } else {
                    delphi_report::Lang::FA
                },
                &(index + 1).to_string(),
            );
            assert!(
                heading.starts_with(&format!("{label}{number}")),
                "{heading}"
            );
        }
    }
    // Every computed cell shows its method, and names its inputs with links to the inputs table.
    let md = file_text(&files, "report.en.md");
    // Method: counts, screening, summary, agreement, sensitivity, audit, method identification,
    // printed figures, and the method cell's own formulas.
    assert_eq!(md.matches("### Method").count(), 9, "{md}");
    // Inputs: every cell but the inputs cell itself, which lists them all.
    assert_eq!(md.matches("**Inputs:** ").count(), 19);
    let fa = file_text(&files, "report.fa.md");
    assert_eq!(fa.matches("### روش").count(), 9);
    assert_eq!(fa.matches("**ورودی‌ها:** ").count(), 19);
    // The screening cell read study.yaml, indicators and ratings, not the published tables; the
    // digests are in the inputs cell only.
    let screening = &md[md.find("## Cell 5").unwrap()..md.find("## Cell 6").unwrap()];
    let study_yaml = sha256_hex(&std::fs::read(reference_study().join("study.yaml")).unwrap());
    assert!(
        screening.contains("[study.yaml](#input-study-yaml)"),
        "{screening}"
    );
    assert!(!screening.contains(&study_yaml));
    assert!(screening.contains("[table6\\_published.csv](#input-table6-published-csv)"));
    assert!(!screening.contains("table7\\_published.csv"));
    let inputs = &md[md.find("## Cell 3").unwrap()..md.find("## Cell 4").unwrap()];
    assert!(inputs.contains(&format!(
        "| study.yaml | configuration (scale, threshold, panels) | 89 lines | {study_yaml} |"
    )));
}

#[test]
fn notebooks_have_markdown_cells_and_display_data_in_three_formats() {
    let files = build();
    for lang in ["en", "fa"] {
        let nb = notebook(&files, lang);
        assert_eq!(nb["nbformat"], 4);
        assert_eq!(nb["nbformat_minor"], 5);
        let cells = nb["cells"].as_array().unwrap();
        let mut ids = BTreeSet::new();
        for cell in cells {
            let id = cell["id"].as_str().unwrap();
            assert!(ids.insert(id.to_string()), "duplicate id {id}");
            assert!(
                id.len() <= 64
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            );
            if cell["cell_type"] == "code" {
                assert_eq!(cell["execution_count"], serde_json::Value::Null);
                let outputs = cell["outputs"].as_array().unwrap();
                assert!(!outputs.is_empty());
                for output in outputs {
                    assert_eq!(output["output_type"], "display_data");
                    for mime in ["text/html", "text/markdown", "text/plain"] {
                        assert!(output["data"][mime].is_array(), "{lang} {id}: {mime}");
                    }
                    // JupyterLab strips <style> and inline <svg> from untrusted HTML.
                    let html = output["data"]["text/html"].to_string();
                    assert!(!html.contains("<style") && !html.contains("<svg"), "{id}");
                }
            }
        }
        // Title, 20 intro cells, and an output cell for the 15 cells with a result (not the study,
        // the method (its scale table is part of the method), nor the cells that state why they have
        // no data: demographics, code matrix, saturation).
        assert_eq!(cells.len(), 1 + 20 + 15, "{lang}");
    }
    let fa = file_text(&files, "report.fa.ipynb");
    assert!(fa.contains(r#"<div dir=\"rtl\" lang=\"fa\">"#));
    assert!(fa.contains("<bdi>۰٫۴۸۹</bdi>"));
    assert!(fa.contains("<caption>جدول ۷. میانگین دیدگاه‌های خبرگان در تکنیک دلفی فازی</caption>"));
    assert!(fa.contains("data:image/svg+xml;base64,"));
}

/// The Python interpreter that has `nbformat`, if any: $NBFORMAT_PYTHON, else python3.
pub(crate) fn nbformat_python() -> Option<String> {
    crate::common::python_with(&["NBFORMAT_PYTHON"], "nbformat")
}

pub(crate) fn validate(python: &str, notebooks: &[PathBuf]) -> std::process::Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/validate_notebooks.py");
    Command::new(python)
        .arg(script)
        .args(notebooks)
        .output()
        .unwrap()
}

#[test]
fn notebooks_pass_nbformat_validation() {
    let Some(python) = nbformat_python() else {
        common::skip_unless_required(
            "REQUIRE_NBFORMAT",
            "the nbformat Python package is not installed (.ci/run installs it)",
        );
        return;
    };
    let files = build();
    let dir = write_files(&files);
    let notebooks = [
        dir.path().join("report.en.ipynb"),
        dir.path().join("report.fa.ipynb"),
    ];
    let valid = validate(&python, &notebooks);
    assert!(
        valid.status.success(),
        "{}{}",
        String::from_utf8_lossy(&valid.stdout),
        String::from_utf8_lossy(&valid.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&valid.stdout)
            .matches("valid nbformat 4.5")
            .count(),
        2
    );

    // The validator can fail: a cell without its id, an id nbformat's pattern refuses and an output
    // without text/plain are caught.
    let mut broken = notebook(&files, "en");
    broken["cells"][0].as_object_mut().unwrap().remove("id");
    let broken_path = dir.path().join("broken.ipynb");
    std::fs::write(&broken_path, broken.to_string()).unwrap();
    let refused = validate(&python, std::slice::from_ref(&broken_path));
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("cell 0 has no id"));
    let mut bad_id = notebook(&files, "en");
    bad_id["cells"][0]["id"] = serde_json::json!("not valid!");
    std::fs::write(&broken_path, bad_id.to_string()).unwrap();
    let refused = validate(&python, std::slice::from_ref(&broken_path));
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("NotebookValidationError"));
    let mut thin = notebook(&files, "en");
    let code = thin["cells"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["cell_type"] == "code")
        .unwrap();
    code["outputs"][0]["data"]
        .as_object_mut()
        .unwrap()
        .remove("text/plain");
    std::fs::write(&broken_path, thin.to_string()).unwrap();
    let refused = validate(&python, &[broken_path]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("lacks ['text/plain']"));
}

/// Loads `page` in headless Chromium, which may not reach the network; returns the DOM and the
/// console messages Chromium logged.
fn load_in_chromium(browser: &str, page: &Path) -> (String, Vec<String>) {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Any attempt to reach another host fails and is logged on the console.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{browser} failed on {}",
        page.display()
    );
    let console = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| line.contains(":CONSOLE") || line.contains("Uncaught"))
        .map(String::from)
        .collect();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        console,
    )
}

#[test]
fn chromium_loads_both_pages_without_console_messages() {
    let Some(browser) = chromium() else {
        common::skip_unless_required(
            "REQUIRE_CHROMIUM",
            "chromium is not on PATH (Debian: apt-get install chromium)",
        );
        return;
    };
    let files = build();
    let dir = write_files(&files);
    for (lang, title) in [
        ("en", "Fuzzy Delphi screening report"),
        ("fa", "گزارش غربالگری دلفی فازی"),
    ] {
        let (dom, console) =
            load_in_chromium(&browser, &dir.path().join(format!("report.{lang}.html")));
        assert!(console.is_empty(), "report.{lang}.html: {console:?}");
        assert!(
            dom.contains(title),
            "report.{lang}.html did not load: {dom}"
        );
        assert!(dom.contains(r#"id="audit""#) && dom.contains("<svg"));
    }
    // The check can fail: a page with a script error is caught.
    let bad = dir.path().join("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>",
    )
    .unwrap();
    let (_, console) = load_in_chromium(&browser, &bad);
    assert!(
        console
            .iter()
            .any(|line| line.contains("Uncaught ReferenceError")),
        "{console:?}"
    );
}

#[test]
fn figures_are_svg_files_with_persian_labels_in_the_persian_one() {
    let files = build();
    let en = file_text(&files, "figures/crisp.en.svg");
    let fa = file_text(&files, "figures/crisp.fa.svg");
    for svg in [&en, &fa] {
        assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg""#));
        // 48 bars (47 accepted, 1 hatched) and one dashed threshold line.
        assert_eq!(svg.matches("<g>").count(), 48);
        assert_eq!(
            svg.matches(r#"fill="url(#crisp-hatch)" stroke"#).count(),
            2,
            "legend + bar 48"
        );
        assert_eq!(svg.matches("stroke-dasharray").count(), 1);
    }
    assert!(en.contains(r#"lang="en" direction="ltr""#));
    assert!(en.contains(">threshold 0.5</text>"));
    assert!(en.contains(">0.489</text>"));
    assert!(fa.contains(r#"lang="fa" direction="rtl""#));
    assert!(fa.contains(">آستانه ۰٫۵</text>"));
    assert!(fa.contains(">۰٫۴۸۹</text>"));
    assert!(fa.contains(">شبکه‌سازی</text>"));
    assert!(!fa.contains(">0.489<"));
    // The pages embed the figure; the Markdown refers to the file.
    assert!(
        file_text(&files, "report.fa.html").contains("<figure id=\"figure-crisp\">\n<svg width=")
    );
    assert!(file_text(&files, "report.en.md").contains("](figures/crisp.en.svg)"));
}

#[test]
fn the_manifest_hashes_every_input_template_and_output() {
    let files = build();
    let manifest: serde_json::Value =
        serde_json::from_str(&file_text(&files, "manifest.json")).unwrap();
    assert_eq!(manifest["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest["study"], "htsme-2024");
    assert_eq!(
        manifest["parameters"]["study_yaml"]["method"]["threshold"],
        0.5
    );
    assert_eq!(manifest["parameters"]["display_decimals"], 3);
    let outputs = manifest["outputs"].as_array().unwrap();
    assert_eq!(
        outputs.len(),
        files.len() - 1,
        "every file but the manifest itself"
    );
    for output in outputs {
        let path = output["path"].as_str().unwrap();
        assert_eq!(output["sha256"], sha256_hex(&files[path]), "{path}");
        assert_eq!(output["bytes"], files[path].len());
    }
    let inputs = manifest["inputs"].as_array().unwrap();
    assert_eq!(inputs[0]["path"], "study.yaml");
    for input in inputs {
        let path = input["path"].as_str().unwrap();
        let bytes = std::fs::read(reference_study().join(path)).unwrap();
        assert_eq!(input["sha256"], sha256_hex(&bytes), "{path}");
    }
    let templates: Vec<&str> = manifest["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["path"].as_str().unwrap())
        .collect();
    for template in &templates {
        let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(template)).unwrap();
        let recorded = manifest["templates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["path"] == *template)
            .unwrap();
        assert_eq!(recorded["sha256"], sha256_hex(&bytes), "{template}");
    }
    // The languages table, the strings file of each of the study's languages, the built-in document.
    assert!(templates.contains(&"templates/languages.yaml"));
    assert!(templates.contains(&"templates/strings/en.yaml"));
    assert!(templates.contains(&"templates/strings/fa.yaml"));
    assert!(templates.contains(&"templates/document.md"));
    assert_eq!(templates.len(), 9);
    // Keys are sorted at every level, so the file never reorders.
    let text = file_text(&files, "manifest.json");
    let top: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(" \"") && l.contains("\":"))
        .map(|l| l.trim().split('"').nth(1).unwrap())
        .collect();
    let mut sorted = top.clone();
    sorted.sort();
    assert_eq!(top, sorted);
}

#[test]
fn workbooks_have_one_sheet_per_table_with_numbers_as_numbers() {
    let files = build();
    for lang in ["en", "fa"] {
        let bytes = &files[&format!("tables/tables.{lang}.xlsx")];
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())).unwrap();
        let mut workbook_xml = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("xl/workbook.xml").unwrap(),
            &mut workbook_xml,
        )
        .unwrap();
        // One sheet per table: scale, inputs, Table 6, Table 7, summary, agreement, sensitivity (two),
        // three audit tables, the method identification's best combinations, two tables of printed
        // figures, and the qualitative tables (design, coding sample, concepts, codes per level,
        // concepts to indicators).
        assert_eq!(
            workbook_xml.matches("<sheet ").count(),
            19,
            "{workbook_xml}"
        );
        let mut table7 = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("xl/worksheets/sheet4.xml").unwrap(),
            &mut table7,
        )
        .unwrap();
        // Row 48's crisp value 0.489 is a number cell (no t="s"), not text.
        assert!(table7.contains("<v>0.489</v>"), "{lang}");
        if lang == "fa" {
            assert!(table7.contains(r#"rightToLeft="1""#));
        }
    }
}
