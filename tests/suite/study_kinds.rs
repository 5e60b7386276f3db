//! Issue 13: a study as its author has it. The SYNTHETIC study folders of tests/fixtures/studies (an
//! English-only study without components, a Persian-only one, one of coded interviews only) build,
//! write only their languages' files, and every output holds the values worked out by hand in
//! tests/fixtures/studies/README.md.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use delphi_report::report::ReportFiles;

use crate::common::{file_text, read_csv, run, zip_part};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/studies")
        .join(name)
}

fn build(name: &str) -> ReportFiles {
    delphi_report::build_report(&fixture(name))
        .unwrap_or_else(|e| panic!("{name}: {e:#}"))
        .files
}

/// Every text the build wrote, the Word and Excel files' XML parts included.
fn all_texts(files: &ReportFiles) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for (path, bytes) in files {
        if path.ends_with(".docx") || path.ends_with(".xlsx") {
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            for index in 0..archive.len() {
                let mut entry = archive.by_index(index).unwrap();
                let name = entry.name().unwrap().to_string();
                if name.ends_with(".xml") || name.ends_with(".rels") || name.ends_with(".svg") {
                    let mut text = String::new();
                    entry.read_to_string(&mut text).unwrap();
                    texts.push((format!("{path}:{name}"), text));
                }
            }
        } else {
            texts.push((path.clone(), String::from_utf8(bytes.clone()).unwrap()));
        }
    }
    texts
}

/// Letters of the Arabic script (Persian text, Persian digits and punctuation).
fn has_arabic_script(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF))
}

fn paths(files: &ReportFiles) -> BTreeSet<&str> {
    files.keys().map(String::as_str).collect()
}

/// The rows of a CSV output by their first field.
fn csv_rows(files: &ReportFiles, name: &str) -> Vec<Vec<String>> {
    read_csv(&file_text(files, name)).1
}

#[test]
fn an_english_only_study_without_components_writes_english_files_only() {
    // The fixture itself holds no Persian text and no components file.
    for file in ["study.yaml", "indicators.csv", "ratings.csv"] {
        let text = std::fs::read_to_string(fixture("english-only").join(file)).unwrap();
        assert!(!has_arabic_script(&text), "{file}");
    }
    assert!(!fixture("english-only").join("components.csv").exists());
    let files = build("english-only");
    assert_eq!(
        paths(&files),
        BTreeSet::from([
            "figures/crisp.en.svg",
            "figures/framework.en.svg",
            "figures/sensitivity.en.svg",
            "manifest.json",
            "report.en.docx",
            "report.en.html",
            "report.en.ipynb",
            "report.en.md",
            "tables/agreement.csv",
            "tables/distances.csv",
            "tables/sensitivity.csv",
            "tables/table1.csv",
            "tables/table2.csv",
            "tables/tables.en.xlsx",
            "tables/threshold.csv",
        ])
    );
    // Not a Persian letter or digit anywhere, in any format.
    for (path, text) in all_texts(&files) {
        assert!(!has_arabic_script(&text), "{path} holds Persian text");
    }

    // Markdown: the values by hand (tests/fixtures/studies/README.md), one group, no "components".
    let markdown = file_text(&files, "report.en.md");
    for row in [
        "| 1 | Access to foreign markets | 0.625 | 0.875 | 1.000 | 0.833 | accepted |",
        "| 2 | Skilled staff | 0.250 | 0.500 | 0.750 | 0.500 | accepted |",
        "| 3 | Patents | 0.063 | 0.250 | 0.500 | 0.271 | rejected |",
        "| No. | Indicator | Very low | Low | Medium | High | Very high | Responses |",
        "| 3 | Patents | 1 | 2 | 1 | 0 | 0 | 4 |",
        "| Indicators | Accepted | Rejected |",
        "| 3 | 2 | 1 |",
    ] {
        assert!(markdown.contains(row), "{row}\n{markdown}");
    }
    assert!(markdown.contains("The study screens 3 indicators, not grouped in components."));
    assert!(!markdown.contains("0 components") && !markdown.contains("1 components"));
    assert!(
        !markdown.contains("report.fa."),
        "a link to a Persian report"
    );
    insta::assert_snapshot!("english_only_report_md", markdown);

    // HTML: English, left to right, no link to another language.
    let html = file_text(&files, "report.en.html");
    assert!(html.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(
        !html.contains("<nav") && !html.contains("hreflang"),
        "a language link"
    );
    assert!(html.contains("Access to foreign markets"));
    // Notebook: nbformat JSON, the cells' headings in its Markdown, the tables in its outputs, and
    // no link to another language.
    let raw = file_text(&files, "report.en.ipynb");
    let notebook: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let sources: String = notebook["cells"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["source"].as_array().cloned().unwrap_or_default())
        .filter_map(|line| line.as_str().map(String::from))
        .collect();
    assert!(sources.contains("## Cell 5 · Fuzzy Delphi screening"));
    assert!(
        raw.contains("<td>Patents</td>") && raw.contains("0.271"),
        "{raw}"
    );
    assert!(!raw.contains("report.fa."));
    // Word: the texts, left to right paragraphs, English runs.
    let word = zip_part(&files["report.en.docx"], "word/document.xml");
    assert!(word.contains("Skilled staff") && !word.contains("<w:bidi/>"));
    assert!(zip_part(&files["report.en.docx"], "docProps/core.xml")
        .contains("<dc:language>en</dc:language>"));
    // Workbook: the names, sheets left to right.
    let workbook = &files["tables/tables.en.xlsx"];
    assert!(zip_part(workbook, "xl/sharedStrings.xml").contains("Patents"));
    assert!(!zip_part(workbook, "xl/worksheets/sheet1.xml").contains("rightToLeft"));
    // Figure: English, left to right, every indicator with its crisp value.
    let crisp = file_text(&files, "figures/crisp.en.svg");
    assert!(crisp.contains(r#"lang="en" direction="ltr""#), "{crisp}");
    for label in ["Access to foreign markets", "0.833", "0.271"] {
        assert!(crisp.contains(label), "{label}");
    }
    // CSV: full precision, and an empty component.
    assert_eq!(
        csv_rows(&files, "tables/table2.csv"),
        [
            [
                "I1",
                "",
                "0.625",
                "0.875",
                "1.0",
                "0.8333333333333334",
                "accepted"
            ],
            ["I2", "", "0.25", "0.5", "0.75", "0.5", "accepted"],
            [
                "I3",
                "",
                "0.0625",
                "0.25",
                "0.5",
                "0.2708333333333333",
                "rejected"
            ],
        ]
    );
    // Manifest: the study's one language and its strings only.
    let manifest: serde_json::Value =
        serde_json::from_str(&file_text(&files, "manifest.json")).unwrap();
    assert_eq!(
        manifest["parameters"]["languages"],
        serde_json::json!(["en"])
    );
    let templates: Vec<&str> = manifest["templates"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["path"].as_str())
        .collect();
    assert!(templates.contains(&"templates/strings/en.yaml"));
    assert!(!templates.contains(&"templates/strings/fa.yaml"));
}

#[test]
fn a_persian_only_study_writes_persian_files_only() {
    for file in ["study.yaml", "components.csv", "indicators.csv"] {
        let text = std::fs::read_to_string(fixture("persian-only").join(file)).unwrap();
        assert!(!text.contains("name_en") && !text.contains("en:"), "{file}");
    }
    let files = build("persian-only");
    let written = paths(&files);
    assert!(written.iter().all(|p| !p.contains(".en.")), "{written:?}");
    for path in [
        "report.fa.md",
        "report.fa.html",
        "report.fa.ipynb",
        "report.fa.docx",
        "tables/tables.fa.xlsx",
        "figures/crisp.fa.svg",
    ] {
        assert!(written.contains(path), "{path}");
    }
    let markdown = file_text(&files, "report.fa.md");
    assert!(markdown.starts_with("<div dir=\"rtl\" lang=\"fa\">\n"));
    // By hand: I1 13/18, I2 1/6, I3 and I4 1/2; Persian digits and decimal separator.
    for row in [
        "| ۱ | سرمایهٔ مالی | ۰٫۳۳۳ | ۰٫۸۳۳ | ۱٫۰۰۰ | ۰٫۷۲۲ | تأیید |",
        "| ۲ | ساختمان اداری | ۰٫۰۰۰ | ۰٫۰۰۰ | ۰٫۵۰۰ | ۰٫۱۶۷ | رد |",
        "| ۴ | شرکای خارجی | ۰٫۱۶۷ | ۰٫۵۰۰ | ۰٫۸۳۳ | ۰٫۵۰۰ | تأیید |",
        "| ۱ | منابع | سرمایهٔ مالی | ۰ | ۱ | ۲ | ۳ |",
        "| ۴ | شبکه‌ها | شرکای خارجی | ۱ | ۱ | ۱ | ۳ |",
    ] {
        assert!(markdown.contains(row), "{row}\n{markdown}");
    }
    // No English fixed text and no link to an English report.
    for english in ["Cell ", "Key findings", "accepted", "report.en."] {
        assert!(!markdown.contains(english), "{english}");
    }
    insta::assert_snapshot!("persian_only_report_md", markdown);
    let html = file_text(&files, "report.fa.html");
    assert!(html.contains(r#"<html lang="fa" dir="rtl">"#));
    assert!(!html.contains("<nav") && !html.contains("hreflang"));
    let word = zip_part(&files["report.fa.docx"], "word/document.xml");
    assert!(word.contains("<w:bidi/>") && word.contains("<w:bidiVisual/>"));
    assert!(word.contains("شرکای خارجی"));
    assert!(
        zip_part(&files["tables/tables.fa.xlsx"], "xl/worksheets/sheet1.xml")
            .contains(r#"rightToLeft="1""#)
    );
    let crisp = file_text(&files, "figures/crisp.fa.svg");
    assert!(crisp.contains(r#"lang="fa" direction="rtl""#));
    assert!(crisp.contains("۰٫۷۲۲"));
    assert_eq!(
        csv_rows(&files, "tables/table2.csv")
            .iter()
            .map(|r| (r[0].as_str(), r[5].as_str(), r[6].as_str()))
            .collect::<Vec<_>>(),
        [
            ("I1", "0.7222222222222222", "accepted"),
            ("I2", "0.16666666666666666", "rejected"),
            ("I3", "0.5", "accepted"),
            ("I4", "0.5", "accepted"),
        ]
    );
}

#[test]
fn a_study_of_coded_interviews_only_builds_its_qualitative_cells() {
    let files = build("coding-only");
    let written = paths(&files);
    // No Delphi part: no counts or screening table, no crisp or framework figure.
    for absent in [
        "tables/table1.csv",
        "tables/table2.csv",
        "tables/threshold.csv",
        "tables/agreement.csv",
        "figures/crisp.en.svg",
        "figures/framework.en.svg",
    ] {
        assert!(!written.contains(absent), "{absent}");
    }
    for present in [
        "tables/codes_per_level.csv",
        "tables/code_matrix.csv",
        "tables/saturation.csv",
        "figures/saturation.en.svg",
        "figures/saturation.fa.svg",
        "report.fa.md",
    ] {
        assert!(written.contains(present), "{present}");
    }
    let markdown = file_text(&files, "report.en.md");
    assert!(markdown.starts_with("# Qualitative coding report: SYNTHETIC coded interviews\n"));
    let cells: Vec<&str> = markdown
        .lines()
        .filter_map(|l| l.strip_prefix("## Cell "))
        .collect();
    assert_eq!(
        cells,
        [
            "1 · The study",
            "2 · Inputs",
            "3 · Panels: demographic description",
            "4 · Initial coding",
            "5 · Concepts and their initial codes",
            "6 · Codes per level",
            "7 · Codes by interview",
            "8 · Saturation",
        ]
    );
    // It cites no publication: no design cell to say that nothing printed is there, and no
    // column of what a publication's text states.
    assert!(!markdown.contains("publication"), "{markdown}");
    assert!(markdown.contains("Panels: 2 interviewees in the qualitative part."));
    assert!(markdown.contains("7 codings in 2 coded documents, on 5 codes of the last level."));
    assert!(markdown.contains("it has no Delphi round"));
    // By hand (tests/fixtures/qda/README.md): used 2 components, 4 concepts, 5 of 6 initial codes.
    assert_eq!(
        csv_rows(&files, "tables/codes_per_level.csv"),
        [
            ["component", "1", "2", "2", "0", "0"],
            ["concept", "2", "4", "4", "0", "0"],
            ["initial_code", "3", "6", "5", "7", "7"],
            ["below_last_level", "", "0", "0", "0", "0"],
        ]
    );
    assert_eq!(
        csv_rows(&files, "tables/saturation.csv"),
        [["1", "A1", "4", "4", "4"], ["2", "A2", "3", "1", "5"]]
    );
    // The interviewees' attributes: one woman, one man.
    assert!(
        markdown.contains("| Female | 1 | 50.0 | 1 | 50.0 |"),
        "{markdown}"
    );
    let persian = file_text(&files, "report.fa.md");
    assert!(persian.contains("# گزارش کدگذاری کیفی: مصاحبه‌های کدگذاری‌شدهٔ ساختگی"));
}

#[test]
fn validate_says_what_each_kind_of_study_holds_with_its_numbers_in_the_right_grammar() {
    let text = |name: &str| {
        let output = run(&["validate", "--study", fixture(name).to_str().unwrap()]);
        assert!(output.status.success(), "{name}: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let english = text("english-only");
    assert!(
        english.contains("study 'english-only' (en), 3 indicators (no components), 1 round of ratings, panel of 4"),
        "{english}"
    );
    assert!(english.contains("valid: 2 of 3 indicators accepted at threshold 0.5"));
    let persian = text("persian-only");
    assert!(
        persian.contains("(fa), 4 indicators in 2 components"),
        "{persian}"
    );
    let coding = text("coding-only");
    assert!(
        coding.contains("(en, fa), 7 codings in 2 documents, 12 codes in the codebook"),
        "{coding}"
    );
    assert!(coding.contains("read respondents.csv (respondents): 2 rows"));
}

#[test]
fn init_scaffolds_each_kind_in_the_languages_asked_and_the_coding_kind_builds_once_filled() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("interviews");
    let dir_arg = dir.to_str().unwrap();
    let created = run(&["init", dir_arg, "--kind", "coding", "--languages", "en"]);
    assert!(created.status.success(), "{created:?}");
    let names: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(
            [
                "README.md",
                "codebook.csv",
                "report.en.md",
                "segments.csv",
                "study.yaml"
            ]
            .map(String::from)
        )
    );
    let yaml = std::fs::read_to_string(dir.join("study.yaml")).unwrap();
    assert!(yaml.contains("languages: [en]") && !yaml.contains("delphi_experts:"));
    // The author's document of the one language, the built-in report's, without the Delphi cells.
    assert!(yaml.contains("document:\n  en: report.en.md\n"), "{yaml}");
    assert!(!yaml.contains("fa: report.fa.md"));
    assert!(!has_arabic_script(&yaml), "{yaml}");
    assert_eq!(
        std::fs::read_to_string(dir.join("codebook.csv")).unwrap(),
        "code,name_en\n"
    );
    // Filled with the fixture's coding (the codebook's English names only), it builds.
    std::fs::copy(
        fixture("coding-only").join("segments.csv"),
        dir.join("segments.csv"),
    )
    .unwrap();
    let codebook: String = std::fs::read_to_string(fixture("coding-only").join("codebook.csv"))
        .unwrap()
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            format!("{},{}\n", fields[0], fields[2])
        })
        .collect();
    std::fs::write(dir.join("codebook.csv"), codebook).unwrap();
    let files = delphi_report::build_report(&dir).unwrap().files;
    assert!(paths(&files).iter().all(|p| !p.contains(".fa.")));
    assert!(file_text(&files, "tables/codes_per_level.csv").contains("initial_code,3,6,5,7,7"));
    // An unknown language is a usage error naming the known ones.
    let unknown = run(&[
        "init",
        root.path().join("x").to_str().unwrap(),
        "--languages",
        "de",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("the languages are en, fa"));
}
