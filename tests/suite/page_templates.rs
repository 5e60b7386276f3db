//! Issue 15 item 6: a study's `templates/` folder replaces the built-in page templates of the same
//! names (report.md.j2, report.html.j2, parts.md.j2, parts.html.j2, page.css); the manifest hashes the
//! ones used, marked as the study's. A file there that is no template's name, or a template that fails,
//! is bad input naming the file (and the line).

use std::path::{Path, PathBuf};

use crate::common::{file_text, run};

/// The SYNTHETIC example with `templates/<name>` for each of `templates`, in a temporary folder.
fn study_with_templates(templates: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let study = dir.path().join("study");
    std::fs::create_dir_all(study.join("templates")).unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/synthetic-results-section");
    crate::common::copy_files(&example, &study);
    for (name, text) in templates {
        std::fs::write(study.join("templates").join(name), text).unwrap();
    }
    (dir, study)
}

#[test]
fn the_studys_templates_replace_the_built_in_ones_of_the_same_name() {
    let css = "body { font-family: serif; } /* the study's own */\n";
    let page = "<!DOCTYPE html>\n<html lang=\"{{ doc.lang }}\" dir=\"{{ doc.dir }}\">\n<head><title>{{ doc.title }}</title>\n<style>\n{{ css }}</style></head>\n<body class=\"journal\">\n{{ body }}</body>\n</html>\n";
    let (_dir, study) = study_with_templates(&[("page.css", css), ("report.html.j2", page)]);
    let files = delphi_report::build_report(&study).unwrap().files;
    let html = file_text(&files, "report.en.html");
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head><title>"),
        "{html}"
    );
    assert!(html.contains("<style>\nbody { font-family: serif; } /* the study's own */\n</style>"));
    assert!(html.contains("<body class=\"journal\">\n<h1>Results: SYNTHETIC example"));
    // The built-in page's language link is gone with it; the Markdown keeps its built-in templates.
    assert!(!html.contains("class=\"languages\""));
    assert_eq!(
        file_text(&files, "report.en.md"),
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("reports/synthetic-results-section/report.en.md")
        )
        .unwrap()
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&file_text(&files, "manifest.json")).unwrap();
    let templates: Vec<(String, Option<String>)> = manifest["templates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["path"].as_str().unwrap().to_string(),
                t["from"].as_str().map(str::to_string),
            )
        })
        .collect();
    let study_own = |path: &str| (path.to_string(), Some("study".to_string()));
    let built_in = |path: &str| (path.to_string(), None);
    assert_eq!(
        templates,
        [
            built_in("templates/languages.yaml"),
            study_own("templates/page.css"),
            built_in("templates/parts.html.j2"),
            built_in("templates/parts.md.j2"),
            study_own("templates/report.html.j2"),
            built_in("templates/report.md.j2"),
            built_in("templates/strings/en.yaml"),
            built_in("templates/strings/fa.yaml"),
        ]
    );
    let css_record = &manifest["templates"][1];
    assert_eq!(
        css_record["sha256"],
        delphi_report::digest::sha256_hex(css.as_bytes())
    );
}

#[test]
fn the_markdown_parts_can_be_the_studys_too() {
    // The table macro (used for every table, in the Markdown and the notebook) writes a note under it.
    let builtin = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/parts.md.j2"),
    )
    .unwrap();
    let parts = builtin.replace(
        "{% for row in t.rows %}\n{{ row | md_row }}\n{% endfor %}\n",
        "{% for row in t.rows %}\n{{ row | md_row }}\n{% endfor %}\n\n*({{ t.rows | length }} rows)*\n",
    );
    assert_ne!(
        parts, builtin,
        "the built-in table macro changed: update this test"
    );
    let (_dir, study) = study_with_templates(&[("parts.md.j2", &parts)]);
    let files = delphi_report::build_report(&study).unwrap().files;
    let md = file_text(&files, "report.en.md");
    assert!(md.contains("| 6 | Presence at domestic trade fairs | 0.167 | 0.375 | 0.625 | 0.389 | rejected |\n\n*(6 rows)*\n"), "{md}");
    let notebook = file_text(&files, "report.en.ipynb");
    assert!(notebook.contains("*(6 rows)*"));
}

/// Builds the study through the binary: exit code and stderr.
fn build(study: &Path) -> (Option<i32>, String) {
    let out = study.parent().unwrap().join("out");
    let built = run(&[
        "build-report",
        "--study",
        study.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!out.join("synthetic-results-section").exists());
    (
        built.status.code(),
        String::from_utf8_lossy(&built.stderr).into_owned(),
    )
}

#[test]
fn a_stray_file_or_a_broken_template_is_bad_input_naming_the_file_and_line() {
    let (_dir, study) = study_with_templates(&[("style.css", "body {}\n")]);
    let (code, stderr) = build(&study);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains("templates/style.css: not a page template's name; a study's templates/ may hold page.css, parts.html.j2, parts.md.j2, report.html.j2, report.md.j2"),
        "{stderr}"
    );
    let (_dir, study) = study_with_templates(&[(
        "report.html.j2",
        "<html>\n<body>\n{% if doc.lang %}\n{{ body }}\n</body>\n",
    )]);
    let (code, stderr) = build(&study);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains("templates/report.html.j2: line "),
        "{stderr}"
    );
    assert!(stderr.contains("syntax error"), "{stderr}");
    let (_dir, study) =
        study_with_templates(&[("report.md.j2", "# {{ page_title }}\n\n{{ body }}\n")]);
    let (code, stderr) = build(&study);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains("templates/report.md.j2: line 1: "),
        "{stderr}"
    );
    assert!(stderr.contains("undefined"), "{stderr}");
    // A parts file without a macro the report calls names the study's file.
    let (_dir, study) =
        study_with_templates(&[("parts.md.j2", "{% macro table(t) %}{% endmacro %}\n")]);
    let (code, stderr) = build(&study);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("templates/parts.md.j2: "), "{stderr}");
}
