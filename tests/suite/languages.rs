//! A report language is data: an entry of the languages table and a strings file. A SYNTHETIC test
//! language (tests/fixtures/languages/zz.yaml) registered at run time builds a report with its own
//! direction, digits, plural rule, fonts and links; and no production code outside the table names a
//! particular language (checked on the source text, as `layering` checks the stages).

use std::fs;
use std::path::Path;

use crate::common::{file_text, tree, zip_part};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The English strings with each `{n|one|other}` cut to its last form (the test language's plural
/// rule is `invariant`) and a title of its own.
fn testish_strings() -> String {
    let english = fs::read_to_string(root().join("templates/strings/en.yaml")).unwrap();
    let mut out = String::with_capacity(english.len());
    let mut rest = english.as_str();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let inside = &rest[open + 1..close];
        match inside.split_once('|') {
            Some((name, forms)) => {
                let other = forms.rsplit('|').next().unwrap_or_default();
                out.push_str(&format!("{{{name}|{other}}}"));
            }
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out.replace(
        "doc.title: \"Fuzzy Delphi screening report: {title}\"",
        "doc.title: \"ZZ report: {title}\"",
    )
}

#[test]
fn a_test_language_of_one_entry_and_one_strings_file_builds_a_report() {
    let entry = fs::read_to_string(root().join("tests/fixtures/languages/zz.yaml")).unwrap();
    let strings = testish_strings();
    assert!(
        strings.contains("{indicators|indicators}"),
        "one plural form"
    );
    let zz = delphi_report::domain::language::register(&entry, &strings).unwrap();
    assert_eq!(zz.code(), "zz");
    // The English-only SYNTHETIC study, written in English and in the test language.
    let dir = tempfile::tempdir().unwrap();
    for file in ["study.yaml", "indicators.csv", "ratings.csv"] {
        fs::copy(
            root()
                .join("tests/fixtures/studies/english-only")
                .join(file),
            dir.path().join(file),
        )
        .unwrap();
    }
    crate::common::replace_once(
        &dir.path().join("study.yaml"),
        "languages: [en]\ntitle: {en: \"SYNTHETIC English-only panel\"}",
        "languages: [en, zz]\ntitle: {en: \"SYNTHETIC English-only panel\", zz: \"ZZ panel\"}",
    );
    fs::write(
        dir.path().join("indicators.csv"),
        "id,name_en,name_zz\nI1,Access to foreign markets,zz-markets\nI2,Skilled staff,zz-staff\nI3,Patents,zz-patents\n",
    )
    .unwrap();
    let files = delphi_report::build_report(dir.path()).unwrap().files;
    for path in [
        "report.zz.md",
        "report.zz.html",
        "report.zz.ipynb",
        "report.zz.docx",
        "tables/tables.zz.xlsx",
        "figures/crisp.zz.svg",
        "report.en.md",
    ] {
        assert!(files.contains_key(path), "{path}");
    }
    assert!(files.keys().all(|p| !p.contains(".fa.")));
    let markdown = file_text(&files, "report.zz.md");
    // Right to left, its title, its digits and point, its plural form, its names.
    assert!(markdown.starts_with("<div dir=\"rtl\" lang=\"zz\">\n\n# ZZ report: ZZ panel\n"));
    assert!(
        markdown.contains(
            "| ３ | zz-patents | ０．０６３ | ０．２５０ | ０．５００ | ０．２７１ | rejected |"
        ),
        "{markdown}"
    );
    assert!(markdown.contains("**１** rejected"), "{markdown}");
    assert!(markdown.contains("[English report](report.en.md)"));
    assert!(file_text(&files, "report.en.md").contains("[Testish report](report.zz.md)"));
    let html = file_text(&files, "report.zz.html");
    assert!(html.contains(r#"<html lang="zz" dir="rtl">"#));
    assert!(html.contains(r#"font-family: "Noto Serif", serif;"#));
    let word = &files["report.zz.docx"];
    assert!(zip_part(word, "word/document.xml").contains("<w:bidi/>"));
    let styles = zip_part(word, "word/styles.xml");
    assert!(styles.contains(r#"w:ascii="Noto Serif""#) && styles.contains(r#"w:bidi="zz-ZZ""#));
    assert!(
        zip_part(&files["tables/tables.zz.xlsx"], "xl/worksheets/sheet1.xml")
            .contains(r#"rightToLeft="1""#)
    );
    let figure = file_text(&files, "figures/crisp.zz.svg");
    assert!(figure.contains(r#"lang="zz" direction="rtl""#) && figure.contains("０．８３３"));
    let manifest: serde_json::Value =
        serde_json::from_str(&file_text(&files, "manifest.json")).unwrap();
    assert_eq!(
        manifest["parameters"]["languages"],
        serde_json::json!(["en", "zz"])
    );
    assert!(manifest["templates"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["path"] == "templates/strings/zz.yaml"));
}

/// Each `.rs` file under `src/`, by path relative to `src/`, with its unit tests cut off; test-only
/// modules kept in files of their own are left out.
fn production_sources() -> Vec<(String, String)> {
    tree(&root().join("src"))
        .into_iter()
        .filter(|(path, _)| {
            path.ends_with(".rs") && !path.ends_with("/tests.rs") && path != "report/cells/tiny.rs"
        })
        .map(|(path, bytes)| {
            let text = String::from_utf8(bytes).unwrap();
            let production = text
                .find("#[cfg(test)]")
                .map_or(text.as_str(), |at| &text[..at]);
            (path, production.to_string())
        })
        .collect()
}

/// What names a particular language: its handle, its code or tag as a literal, its columns, its
/// digits.
const LANGUAGE_NAMES: [&str; 12] = [
    "Lang::EN", "Lang::FA", "\"en\"", "\"fa\"", "en-US", "fa-IR", "name_en", "name_fa", "_en\"",
    "_fa\"", "\\u{06F", "\\u{066B",
];

/// Where a particular language is named on purpose: the table itself, the language of the CSV
/// tables' words, and input reading, which accepts Persian and Arabic digits in data files.
const ALLOWED: [(&str, &str); 3] = [
    ("domain/language.rs", ""),
    ("report/tables.rs", "const CSV_LANGUAGE: Lang = Lang::EN;"),
    ("ingest/table.rs", "'\\u{06F0}'..='\\u{06F9}'"),
];

fn language_names(sources: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in sources {
        for (index, line) in text.lines().enumerate() {
            let code = line.trim();
            if code.starts_with("//") {
                continue;
            }
            let allowed = ALLOWED
                .iter()
                .any(|(file, allowed)| path == file && code.contains(allowed));
            if !allowed && LANGUAGE_NAMES.iter().any(|name| code.contains(name)) {
                found.push(format!("src/{path}:{}: {code}", index + 1));
            }
        }
    }
    found
}

#[test]
fn no_code_outside_the_languages_table_names_a_particular_language() {
    let found = language_names(&production_sources());
    assert!(
        found.is_empty(),
        "a language named in code (make it a property in templates/languages.yaml):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_language_check_finds_a_language_named_in_code() {
    // SYNTHETIC sources: each line names a language the way code used to.
    let planted = vec![
        (
            "report/render.rs".to_string(),
            "let rtl = lang == Lang::FA;\n// Lang::FA in a comment\nlet x = 1;\n".to_string(),
        ),
        (
            "report/docx/text.rs".to_string(),
            "out.push_str(r#\"<w:lang w:bidi=\"fa-IR\"/>\"#);\n".to_string(),
        ),
        (
            "ingest/mod.rs".to_string(),
            "let names = table.required_texts(\"name_fa\", \"the Persian name\")?;\n".to_string(),
        ),
        (
            "report/tables.rs".to_string(),
            "pub const CSV_LANGUAGE: Lang = Lang::EN;\n".to_string(),
        ),
    ];
    assert_eq!(
        language_names(&planted),
        [
            "src/report/render.rs:1: let rtl = lang == Lang::FA;",
            "src/report/docx/text.rs:1: out.push_str(r#\"<w:lang w:bidi=\"fa-IR\"/>\"#);",
            "src/ingest/mod.rs:1: let names = table.required_texts(\"name_fa\", \"the Persian name\")?;",
        ]
    );
}
