//! Helpers shared by the integration tests: the CLI runner, the reference study's location and
//! study-folder copies, a CSV reader, an XLSX builder, a .qdpx builder, tool lookups and a tree walk.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

pub(crate) fn reference_study() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/htsme-2024")
}

/// Copies the reference study into a fresh temporary folder so a test may change it.
pub(crate) fn copy_reference_study() -> tempfile::TempDir {
    copy_study(&reference_study())
}

/// Copies the study folder `from` (its files; a study folder holds no subfolder a test needs)
/// into a fresh temporary folder.
pub(crate) fn copy_study(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_files(from, dir.path());
    dir
}

/// Copies the files directly in `from` (not its subfolders) into the existing folder `to`.
pub(crate) fn copy_files(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// A SYNTHETIC survey export for the reference study's 48 indicators: a `Timestamp` column, then one question
/// per indicator ("Q1?" .. "Q48?"); 15 respondents answering level numbers. Header first.
pub(crate) fn survey_export_rows() -> Vec<Vec<String>> {
    let mut header = vec!["Timestamp".to_string()];
    header.extend((1..=48).map(|q| format!("Q{q}?")));
    let mut rows = vec![header];
    for r in 1..=15 {
        let mut row = vec![format!("2025-01-{r:02}")];
        row.extend((1..=48).map(|q| ((r + q) % 5 + 1).to_string()));
        rows.push(row);
    }
    rows
}

/// Study mutator: points the study's ratings at the survey export `file` (`.csv` or `.xlsx`) laid out as
/// [`survey_export_rows`], with `Time*` ignored and question "Qk?" mapped to indicator Ik.
pub(crate) fn use_survey_export(dir: &Path, file: &str) {
    let mut block = format!(
        "ratings:\n    shape: survey\n    path: {file}\n    survey:\n      ignore: [\"Time*\"]\n      questions:\n"
    );
    for q in 1..=48 {
        block.push_str(&format!("        \"Q{q}?\": I{q:02}\n"));
    }
    replace_once(
        &dir.join("study.yaml"),
        "ratings: {shape: counts, path: table6_published.csv}\n",
        &block,
    );
}

/// A Python interpreter that imports every one of `modules`: the first of the environment
/// `variables` that is set (a tool's own, then the CI venv's), else python3; `None` when it lacks a
/// module or cannot run.
pub(crate) fn python_with(variables: &[&str], modules: &str) -> Option<String> {
    let python = variables
        .iter()
        .find_map(|variable| std::env::var(variable).ok())
        .unwrap_or_else(|| "python3".to_string());
    let probe = std::process::Command::new(&python)
        .args(["-c", &format!("import {modules}")])
        .output()
        .ok()?;
    probe.status.success().then_some(python)
}

/// One part of a zip archive (a .docx or .xlsx) as text; a missing part fails the test naming it.
pub(crate) fn zip_part(archive: &[u8], part: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(archive)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut archive
            .by_name(part)
            .unwrap_or_else(|_| panic!("the archive has no {part}")),
        &mut text,
    )
    .unwrap();
    text
}

/// Study mutator: rewrites the text file at `path` through `change`.
pub(crate) fn edit_file(path: &Path, change: impl Fn(String) -> String) {
    let text = fs::read_to_string(path).unwrap();
    fs::write(path, change(text)).unwrap();
}

/// Study mutator: replaces the first `from` in the text file at `path` with `to`; a `from` that is not
/// there fails the test, so a fixture change cannot silently turn an edit into a no-op.
pub(crate) fn replace_once(path: &Path, from: &str, to: &str) {
    edit_file(path, |text| {
        assert!(text.contains(from), "{} lacks {from:?}", path.display());
        text.replacen(from, to, 1)
    });
}

/// Parses a simple CSV (no quoted separators in the columns used) into header and rows.
pub(crate) fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

/// The CSV paths of the counts and screening tables of the study in `folder`, as the report names them
/// from the numbers its study.yaml gives the tables (`tables/table<N>.csv`).
pub(crate) fn numbered_tables(folder: &Path) -> (String, String) {
    let study = delphi_report::config::Study::load(folder).unwrap();
    let tables = study.tables();
    (
        delphi_report::report::numbered_table_csv(tables.counts.number),
        delphi_report::report::numbered_table_csv(tables.screening.number),
    )
}

pub(crate) fn file_text(files: &delphi_report::report::ReportFiles, name: &str) -> String {
    String::from_utf8(
        files
            .get(name)
            .unwrap_or_else(|| panic!("no file {name}"))
            .clone(),
    )
    .unwrap()
}

/// A cell of a test workbook.
#[derive(Clone)]
pub(crate) enum XlsxCell {
    Text(String),
    Number(f64),
    Empty,
}

fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + (index % 26) as u8));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().collect()
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A minimal .xlsx workbook (inline strings, no styles) with the given sheets, byte-identical for the
/// same content: SYNTHETIC test fixtures, written the way spreadsheet exports lay out their data.
pub(crate) fn xlsx_bytes(sheets: &[(&str, Vec<Vec<XlsxCell>>)]) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let head = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
    let mut types = format!(
        r#"{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
    );
    let mut sheet_list = String::new();
    let mut rels = String::new();
    for (index, (name, _)) in sheets.iter().enumerate() {
        let n = index + 1;
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        sheet_list.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            xml_escape(name)
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
    }
    types.push_str("</Types>");
    let mut put = |name: &str, text: String| {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    put("[Content_Types].xml", types);
    put(
        "_rels/.rels",
        format!(
            r#"{head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        ),
    );
    put(
        "xl/workbook.xml",
        format!(
            r#"{head}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheet_list}</sheets></workbook>"#
        ),
    );
    put(
        "xl/_rels/workbook.xml.rels",
        format!(
            r#"{head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
        ),
    );
    for (index, (_, rows)) in sheets.iter().enumerate() {
        let mut data = String::new();
        for (r, row) in rows.iter().enumerate() {
            data.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, cell) in row.iter().enumerate() {
                let at = format!("{}{}", column_letters(c), r + 1);
                match cell {
                    XlsxCell::Text(text) => data.push_str(&format!(
                        r#"<c r="{at}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                        xml_escape(text)
                    )),
                    XlsxCell::Number(value) => {
                        data.push_str(&format!(r#"<c r="{at}"><v>{value}</v></c>"#))
                    }
                    XlsxCell::Empty => {}
                }
            }
            data.push_str("</row>");
        }
        put(
            &format!("xl/worksheets/sheet{}.xml", index + 1),
            format!(
                r#"{head}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#
            ),
        );
    }
    zip.finish().unwrap().into_inner()
}

/// Runs the delphi-report binary with `args` in the test's working directory.
pub(crate) fn run(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_delphi-report"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs the delphi-report binary with `args` in `dir`, without the build-stamp variables, so that a
/// build there records no timestamp or commit whatever the caller's environment holds.
pub(crate) fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_delphi-report"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("DELPHI_REPORT_GIT_COMMIT")
        .output()
        .unwrap()
}

/// Zips the SYNTHETIC fixture project in tests/fixtures/qda/qdpx into a .qdpx archive, naming the XML `qde_name` and the sources folder `sources_dir`.
pub(crate) fn qdpx_bytes(
    qde_name: &str,
    sources_dir: &str,
    edit: impl Fn(String) -> String,
) -> Vec<u8> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/qda/qdpx");
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    writer.start_file(qde_name, options).unwrap();
    let xml = fs::read_to_string(folder.join("project.qde")).unwrap();
    writer.write_all(edit(xml).as_bytes()).unwrap();
    let mut sources: Vec<_> = fs::read_dir(folder.join("sources"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    sources.sort();
    for source in sources {
        let name = source.file_name().unwrap().to_string_lossy().into_owned();
        writer
            .start_file(format!("{sources_dir}/{name}"), options)
            .unwrap();
        writer.write_all(&fs::read(&source).unwrap()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// True when `variable` is set to 1: CI sets it so that a missing tool fails instead of skipping.
pub(crate) fn required(variable: &str) -> bool {
    std::env::var(variable).is_ok_and(|v| v == "1")
}

/// A test that needs a tool which is `missing` skips (saying so on stderr), unless `variable` requires
/// the tool (CI), in which case it fails.
pub(crate) fn skip_unless_required(variable: &str, missing: &str) {
    assert!(!required(variable), "{variable}=1 but {missing}");
    eprintln!("notice: skipped: {missing}");
}

/// Asserts that a command succeeded, showing its exit code and stderr when it did not.
pub(crate) fn assert_succeeded(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "exit {:?}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Whether a program is on PATH: it starts (`pdftotext --version` exits 1 in poppler 22, so the exit
/// status says nothing).
pub(crate) fn on_path(name: &str) -> bool {
    std::process::Command::new(name)
        .arg("--version")
        .output()
        .is_ok()
}

/// The first Chromium-family browser on PATH.
pub(crate) fn chromium() -> Option<String> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| on_path(name))
        .map(String::from)
}

/// LibreOffice's command, under either of its names.
pub(crate) fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"]
        .into_iter()
        .find(|name| on_path(name))
}

/// Every file under `root`, by relative path with `/`: what a report folder holds on disk (the test's own
/// walk, not the library's `read_tree`, which leaves PDF exports out).
pub(crate) fn tree(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(root).unwrap().to_string_lossy();
                files.insert(relative.replace('\\', "/"), fs::read(&path).unwrap());
            }
        }
    }
    files
}
