//! Issue 15: the author's own document. The SYNTHETIC example `examples/synthetic-results-section` is
//! a results section in both languages with the authors' narrative, two cells in their order (summary
//! before method), one table, one figure and values in the prose; its Markdown is checked line by line,
//! its HTML by section, its notebooks by cell and by nbformat. Bad documents fail with the file, line
//! and column, exit 3, and leave the previous report as it was.

use std::path::{Path, PathBuf};

use crate::common::{file_text, run};
use crate::formats::{nbformat_python, validate};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/synthetic-results-section")
}

fn build() -> delphi_report::report::ReportFiles {
    delphi_report::build_report(&example()).unwrap().files
}

/// The example copied into a temporary folder, with `report.en.md` replaced by `document`.
fn study_with_document(document: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study");
    std::fs::create_dir(&study).unwrap();
    crate::common::copy_files(&example(), &study);
    std::fs::write(study.join("report.en.md"), document).unwrap();
    (dir, study)
}

/// The lines of `text` from the one equal to `first` up to (not including) the one equal to `end`.
fn lines_between<'a>(text: &'a str, first: &str, end: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| *l == first)
        .unwrap_or_else(|| panic!("no line '{first}'"));
    let stop = lines[start..]
        .iter()
        .position(|l| *l == end)
        .map_or(lines.len(), |at| start + at);
    lines[start..stop].to_vec()
}

#[test]
fn the_authors_text_comes_first_with_its_values_then_the_cells_in_its_order() {
    let files = build();
    let en = file_text(&files, "report.en.md");
    assert_eq!(
        lines_between(&en, "# Results: SYNTHETIC example: a results section written around the computed cells", "## Cell 1 · Screening summary"),
        [
            "# Results: SYNTHETIC example: a results section written around the computed cells",
            "",
            "*This section is the authors' text; every number in it is computed from the data files. The study is",
            "SYNTHETIC: no real experts or indicators stand behind it.*",
            "",
            "## The screening",
            "",
            // Worked out in the example's README: 4 of 6 accepted at 0.6.
            "A panel of 12 experts rated 6 indicators in",
            "2 components on a five-point scale. At the threshold of",
            "0.6, 4 indicators were accepted",
            "(66.7% of those rated) and 2 rejected.",
            "",
        ]
    );
    let headings: Vec<&str> = en.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## The screening",
            "## Cell 1 · Screening summary",
            "## How robust is the decision?",
            "## Method",
            "## Cell 2 · Method",
        ]
    );
    // The table and the figure stand where the authors put them, numbered in their order.
    assert_eq!(
        lines_between(
            &en,
            "The crisp value of every indicator, with the fuzzy mean it comes from:",
            "## How robust is the decision?"
        ),
        [
            "The crisp value of every indicator, with the fuzzy mean it comes from:",
            "",
            "**Table 2. Fuzzy means and crisp values of the experts' ratings**",
            "",
            "| No. | Indicator | l | m | u | Crisp | Status |",
            "|---|---|---|---|---|---|---|",
            "| 1 | Online sales to foreign customers | 0.563 | 0.813 | 0.958 | 0.778 | accepted |",
            "| 2 | Customer data analytics | 0.438 | 0.688 | 0.896 | 0.674 | accepted |",
            "| 3 | Payment system security | 0.250 | 0.479 | 0.708 | 0.479 | rejected |",
            "| 4 | Knowledge of foreign competitors | 0.500 | 0.750 | 0.917 | 0.722 | accepted |",
            "| 5 | Market research before entry | 0.375 | 0.625 | 0.833 | 0.611 | accepted |",
            "| 6 | Presence at domestic trade fairs | 0.167 | 0.375 | 0.625 | 0.389 | rejected |",
            "",
        ]
    );
    assert!(
        en.contains("*Figure 1. Crisp value of each indicator"),
        "the summary's figure comes first"
    );
    assert!(en.contains("![Verdict of each indicator whose verdict changes, by threshold"));
    assert!(en.contains("*Figure 2. Verdict of each indicator whose verdict changes"));
    // No inputs table in this document: the cells name their files without links to one.
    assert!(
        en.contains("**Inputs:** `study.yaml`, `components.csv`, `indicators.csv`, `counts.csv`")
    );
    assert!(!en.contains("](#input-"));
    // The document's comment is not part of the report; nothing of the built-in front page is.
    assert!(!en.contains("SYNTHETIC example of an author's document"));
    assert!(!en.contains("## Key findings"));

    let fa = file_text(&files, "report.fa.md");
    assert_eq!(
        lines_between(&fa, "## غربالگری", "## بخش ۱: خلاصهٔ غربالگری"),
        [
            "## غربالگری",
            "",
            "هیئتی از ۱۲ خبره، ۶ شاخص را در",
            "۲ مولفه بر طیفی پنج‌سطحی ارزیابی کردند. با آستانهٔ",
            "۰٫۶، ۴ شاخص تأیید شد",
            "(۶۶٫۷ درصد از شاخص‌های ارزیابی‌شده) و ۲ شاخص رد شد.",
            "",
        ]
    );
    assert!(fa.starts_with("<div dir=\"rtl\" lang=\"fa\">\n\n# یافته‌ها: "));
    assert!(fa.ends_with("\n\n</div>\n"));
    let fa_headings: Vec<&str> = fa.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(fa_headings[1], "## بخش ۱: خلاصهٔ غربالگری");
    assert_eq!(fa_headings[4], "## بخش ۲: روش");
    assert!(fa.contains("**جدول ۲. میانگین فازی و قطعی دیدگاه‌های خبرگان**"));
}

#[test]
fn the_page_has_a_section_per_heading_and_draws_the_figures_inline() {
    let files = build();
    let html = file_text(&files, "report.en.html");
    let sections: Vec<&str> = html
        .lines()
        .filter(|l| l.starts_with("<section "))
        .collect();
    assert_eq!(
        sections,
        [
            r#"<section class="text" id="the-screening">"#,
            r#"<section class="cell" id="summary">"#,
            r#"<section class="text" id="how-robust-is-the-decision">"#,
            r#"<section class="text" id="method-2">"#,
            r#"<section class="cell" id="method">"#,
        ]
    );
    // The numbered table keeps its anchor (the contents would link to it).
    assert!(html.contains(
        "<table><caption id=\"table-2\">Table 2. Fuzzy means and crisp values of the experts&#39; ratings</caption>"
    ));
    assert!(html.contains("<figure id=\"figure-sensitivity\">\n<svg"));
    assert!(html.contains("<figure id=\"figure-crisp\">\n<svg"));
    assert!(html.contains("<p>A panel of 12 experts rated 6 indicators in\n2 components"));
    let fa = file_text(&files, "report.fa.html");
    assert!(
        fa.contains(r#"<section class="text" id="غربالگری">"#),
        "{fa}"
    );
    assert!(fa.contains("<td><bdi>۰٫۷۷۸</bdi></td>"));
}

#[test]
fn the_notebook_has_a_cell_per_block_of_text_and_per_placed_part() {
    let files = build();
    for lang in ["en", "fa"] {
        let notebook: serde_json::Value =
            serde_json::from_str(&file_text(&files, &format!("report.{lang}.ipynb"))).unwrap();
        let ids: Vec<&str> = notebook["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().rsplit_once('-').unwrap().0)
            .collect();
        // Ids are a name and a digest of the content: the names, in order. The method cell shows no
        // output (its scale table is part of its method), so it has no code cell.
        assert_eq!(
            ids,
            [
                "text-1",
                "summary-intro",
                "summary-output",
                "text-2",
                "table-screening",
                "text-3",
                "figure-sensitivity",
                "text-4",
                "method-intro",
            ],
            "{lang}"
        );
    }
    let Some(python) = nbformat_python() else {
        crate::common::skip_unless_required(
            "REQUIRE_NBFORMAT",
            "the nbformat package cannot be imported",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = ["en", "fa"]
        .iter()
        .map(|lang| {
            let path = dir.path().join(format!("report.{lang}.ipynb"));
            std::fs::write(&path, &files[&format!("report.{lang}.ipynb")]).unwrap();
            path
        })
        .collect();
    let valid = validate(&python, &paths);
    crate::common::assert_succeeded(&valid);
    assert_eq!(
        String::from_utf8_lossy(&valid.stdout)
            .matches("valid nbformat 4.5")
            .count(),
        2
    );
}

#[test]
fn the_document_is_an_input_and_the_built_in_one_is_not_a_template_of_this_report() {
    let files = build();
    let manifest: serde_json::Value =
        serde_json::from_str(&file_text(&files, "manifest.json")).unwrap();
    let documents: Vec<(&str, u64)> = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["role"] == "document")
        .map(|i| (i["path"].as_str().unwrap(), i["rows"].as_u64().unwrap()))
        .collect();
    let lines = |name: &str| {
        std::fs::read_to_string(example().join(name))
            .unwrap()
            .lines()
            .count() as u64
    };
    assert_eq!(
        documents,
        [
            ("report.en.md", lines("report.en.md")),
            ("report.fa.md", lines("report.fa.md"))
        ]
    );
    let templates = manifest["templates"].to_string();
    assert!(!templates.contains("templates/document.md"), "{templates}");
    assert!(templates.contains("templates/parts.md.j2"));
}

/// Builds the study with `document` as its English document into a fresh output folder: the exit
/// code, stderr, and whether the output folder was written.
fn build_with_document(document: &str) -> (Option<i32>, String, bool) {
    let (dir, study) = study_with_document(document);
    let out = dir.path().join("out");
    let built = run(&[
        "build-report",
        "--study",
        study.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    (
        built.status.code(),
        String::from_utf8_lossy(&built.stderr).into_owned(),
        out.join("synthetic-results-section").exists(),
    )
}

#[test]
fn an_unknown_id_fails_with_the_file_line_column_and_the_nearest_ids() {
    let (code, stderr, written) =
        build_with_document("# Results\n\nSee below.\n\n{{ cell(\"sumary\") }}\n");
    assert_eq!(code, Some(3), "{stderr}");
    assert!(!written);
    assert!(
        stderr
            .contains("study/report.en.md: line 5, column 4: no cell 'sumary'; nearest: summary,"),
        "{stderr}"
    );
    let (code, stderr, _) = build_with_document("{{ value(\"accepted\") }}\n");
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains("line 1, column 4: no value 'accepted'; nearest: accepted-count"),
        "{stderr}"
    );
    // A cell the study does not have (one round of ratings) says why.
    let (code, stderr, _) = build_with_document("text\n\n{{ cell(\"rounds\") }}\n");
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains(
            "line 3, column 4: the study has no cell 'rounds': the study has one round of ratings"
        ),
        "{stderr}"
    );
}

#[test]
fn a_syntax_error_fails_with_the_file_and_line() {
    let (code, stderr, written) =
        build_with_document("# Results\n\n{% if available(\"rounds\") %}\nNo end.\n");
    assert_eq!(code, Some(3), "{stderr}");
    assert!(!written);
    assert!(
        stderr.contains("study/report.en.md: line ") && stderr.contains("syntax error"),
        "{stderr}"
    );
    let (code, stderr, _) = build_with_document("Text {{ cell(\"summary\") }\n");
    assert_eq!(code, Some(3));
    assert!(
        stderr.contains("study/report.en.md: line 1, column "),
        "{stderr}"
    );
}

#[test]
fn an_include_outside_the_study_folder_fails_with_the_file_and_line() {
    let (code, stderr, written) =
        build_with_document("# Results\n\n{% include \"../secret.md\" %}\n");
    assert_eq!(code, Some(3), "{stderr}");
    assert!(!written);
    assert!(
        stderr.contains("study/report.en.md: line 3, column ")
            && stderr.contains("cannot include '../secret.md': a document includes files inside the study folder only"),
        "{stderr}"
    );
    // Inside the folder, an include is part of the document.
    let (dir, study) =
        study_with_document("# Results\n\n{% include \"part.md\" %}\n\n{{ cell(\"inputs\") }}\n");
    std::fs::write(
        study.join("part.md"),
        "Accepted: {{ value(\"accepted-count\") }}.\n",
    )
    .unwrap();
    let files = delphi_report::build_report(&study).unwrap().files;
    assert!(file_text(&files, "report.en.md").starts_with("# Results\n\nAccepted: 4.\n"));
    // The included file is an input: listed in the inputs table (its lines as rows) and in the
    // manifest's inputs with its role, so the combined digest covers it.
    let part_digest =
        delphi_report::digest::sha256_hex(b"Accepted: {{ value(\"accepted-count\") }}.\n");
    assert!(
        file_text(&files, "report.en.md").contains(&format!(
            "| part.md | a file the author's document includes | 1 line | {part_digest} |"
        )),
        "{}",
        file_text(&files, "report.en.md")
    );
    // The manifest hashes what the document included.
    let manifest: serde_json::Value =
        serde_json::from_str(&file_text(&files, "manifest.json")).unwrap();
    let inputs = manifest["inputs"].as_array().unwrap();
    assert!(
        inputs.iter().any(|i| i["path"] == "part.md"
            && i["role"] == "document include"
            && i["sha256"] == part_digest.as_str()),
        "{inputs:?}"
    );
    assert_eq!(
        manifest["included"],
        serde_json::json!([{
            "path": "part.md",
            "sha256": delphi_report::digest::sha256_hex(b"Accepted: {{ value(\"accepted-count\") }}.\n"),
        }])
    );
    drop(dir);
}

#[test]
fn the_authors_html_is_shown_as_text_unless_the_study_allows_it() {
    let document =
        "# Results\n\nA <mark>marked</mark> word.\n\n<div class=\"note\">A note.</div>\n";
    let (_dir, study) = study_with_document(document);
    let files = delphi_report::build_report(&study).unwrap().files;
    let html = file_text(&files, "report.en.html");
    assert!(
        html.contains("A &lt;mark&gt;marked&lt;/mark&gt; word."),
        "{html}"
    );
    assert!(!html.contains("<mark>") && !html.contains("<div class=\"note\">"));
    let md = file_text(&files, "report.en.md");
    assert!(md.contains("A &lt;mark>marked&lt;/mark> word."), "{md}");
    crate::common::edit_file(&study.join("study.yaml"), |yaml| {
        yaml.replace(
            "  fa: report.fa.md\n",
            "  fa: report.fa.md\n  allow_html: true\n",
        )
    });
    let files = delphi_report::build_report(&study).unwrap().files;
    let html = file_text(&files, "report.en.html");
    assert!(html.contains("A <mark>marked</mark> word."), "{html}");
    assert!(html.contains("<div class=\"note\">A note.</div>"), "{html}");
    // Data never passes as HTML, allowed or not: the cells' texts are escaped as before.
    assert!(!html.contains("<script"));
}

#[test]
fn cells_lists_every_name_the_study_has_with_its_kind_and_a_description() {
    let listed = run(&["cells", "--study", example().to_str().unwrap()]);
    crate::common::assert_succeeded(&listed);
    let stdout = String::from_utf8_lossy(&listed.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        &lines[..3],
        [
            "cell    study               The study: its panels, the indicators and components it screens, what the report reproduces",
            "cell    method              The method: the fuzzy scale, aggregation, defuzzification, the decision rule and its threshold",
            "table   scale               Linguistic scale and triangular fuzzy numbers",
        ]
    );
    let ids: Vec<(&str, &str)> = lines
        .iter()
        .map(|line| {
            let mut words = line.split_whitespace();
            (words.next().unwrap(), words.next().unwrap())
        })
        .collect();
    for used in [
        ("cell", "summary"),
        ("cell", "method"),
        ("table", "screening"),
        ("figure", "sensitivity"),
        ("value", "accepted-count"),
        ("value", "accepted-percent"),
    ] {
        assert!(ids.contains(&used), "{used:?}");
    }
    // One round, nothing printed, no interviewees: no rounds or audit cell, no such values.
    for absent in [
        ("cell", "rounds"),
        ("cell", "audit"),
        ("value", "stable-count"),
        ("value", "interviewee-count"),
    ] {
        assert!(!ids.contains(&absent), "{absent:?}");
    }
    // The reference study has its printed tables audited.
    let reference = run(&[
        "cells",
        "--study",
        crate::common::reference_study().to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&reference.stdout);
    assert!(
        stdout.lines().any(|l| l.starts_with("cell    audit ")),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|l| l.starts_with("table   counts ")
            && l.ends_with("Table 6. Report of the experts' opinions in the first-round survey")),
        "{stdout}"
    );
    // A study that does not load is bad input.
    let missing = run(&["cells", "--study", "no/such/folder"]);
    assert_eq!(missing.status.code(), Some(3));
}

#[test]
fn validate_renders_the_documents_and_names_what_they_place() {
    let valid = run(&["validate", "--study", example().to_str().unwrap()]);
    assert_eq!(valid.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&valid.stdout);
    // summary, the screening table, the sensitivity figure, method.
    assert!(
        stdout.contains("  document report.en.md: 4 parts placed, every name known\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  document report.fa.md: 4 parts placed, every name known\n"),
        "{stdout}"
    );
    let (_dir, study) = study_with_document("{{ figure(\"crisp-figure\") }}\n");
    let invalid = run(&["validate", "--study", study.to_str().unwrap()]);
    assert_eq!(invalid.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&invalid.stderr);
    assert!(
        stderr.contains("report.en.md: line 1, column 4: no figure 'crisp-figure'; nearest: crisp"),
        "{stderr}"
    );
}
