//! Property-based fuzzing of the readers (ratings in counts, long and wide files, survey exports as CSV and
//! XLSX, indicators, study.yaml, .qdpx archives, MAXQDA exports as CSV and XLSX, the project's segments
//! CSV, an author's document): any input, random bytes or a valid file with random byte edits, gives a result or an error that
//! names the file, never a panic. `FUZZ_CASES` sets the cases per target (default 32, so `cargo test` stays quick); longer runs:
//! `FUZZ_CASES=20000 cargo test --test fuzz`.

use crate::common;

use std::fs;
use std::path::Path;

use delphi_report::config::{OffsetUnit, SegmentsFile, SegmentsFormat, SourceTexts};
use delphi_report::domain::Lang;
use delphi_report::ingest::{load_folder, qda};
use proptest::prelude::*;

use common::{copy_reference_study, reference_study};

fn config() -> ProptestConfig {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Either random bytes, or `valid` with up to 8 bytes overwritten, inserted or removed at random places.
fn mutated(valid: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..8);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..400),
        edits.prop_map(move |edits| {
            let mut bytes = valid.clone();
            for (at, byte, kind) in edits {
                let index = at.index(bytes.len().max(1)).min(bytes.len());
                match kind {
                    0 if index < bytes.len() => bytes[index] = byte,
                    1 => bytes.insert(index, byte),
                    _ if index < bytes.len() => {
                        bytes.remove(index);
                    }
                    _ => {}
                }
            }
            bytes
        }),
    ]
}

/// Loads the study with `file` replaced by `bytes`, and screens it when it loads: must not panic, and a
/// load that fails must name a file of the study (`file`, or the one whose check an edit of it broke: a
/// study.yaml whose level id was edited fails on the counts file's header).
fn load_with(folder: &Path, file: &str, bytes: &[u8]) {
    fs::write(folder.join(file), bytes).unwrap();
    match load_folder(folder) {
        Ok((study, data)) => {
            let _ = delphi_report::analyse(&study, &data);
        }
        Err(error) => {
            let message = format!("{error:#}");
            let names_a_file = fs::read_dir(folder).unwrap().any(|entry| {
                let name = entry.unwrap().file_name();
                message.contains(&*name.to_string_lossy())
            });
            // An edited path in study.yaml names a file that is not there: the error names that path.
            let names_a_missing_file = message.contains(": cannot read the file: ");
            assert!(
                names_a_file || names_a_missing_file,
                "the error names no file of the study (edited: {file}): {message}"
            );
        }
    }
}

/// Reads the coded segments `file` (holding `bytes`) in `format`: must not panic, and an error must name
/// the file.
fn load_segments(format: SegmentsFormat, file: &str, bytes: &[u8]) {
    let folder = tempfile::tempdir().unwrap();
    fs::write(folder.path().join(file), bytes).unwrap();
    let segments = SegmentsFile {
        format,
        path: file.into(),
        offsets: OffsetUnit::Utf16,
        texts: SourceTexts::Required,
    };
    if let Err(error) = qda::load(
        folder.path(),
        &segments,
        None,
        None,
        3,
        &[],
        &[Lang::EN, Lang::FA],
    ) {
        let message = format!("{error:#}");
        assert!(
            message.contains(file),
            "the error does not name {file}: {message}"
        );
    }
}

/// The reference study with wide-shape ratings, one row per expert (SYNTHETIC: 15 experts).
fn wide_study() -> tempfile::TempDir {
    let study = copy_reference_study();
    common::replace_once(
        &study.path().join("study.yaml"),
        "ratings: {shape: counts, path: table6_published.csv}",
        "ratings: {shape: wide, path: ratings_wide.csv}",
    );
    study
}

fn wide_ratings() -> Vec<u8> {
    let mut text = String::from("expert");
    for indicator in 1..=48 {
        text.push_str(&format!(",I{indicator:02}"));
    }
    text.push('\n');
    for expert in 1..=15 {
        text.push_str(&format!("E{expert:02}"));
        for indicator in 1..=48 {
            text.push_str(&format!(",{}", (indicator * expert) % 5 + 1));
        }
        text.push('\n');
    }
    text.into_bytes()
}

/// The reference study reading the SYNTHETIC survey export of `common::survey_export_rows` from `file`.
fn survey_study(file: &str) -> tempfile::TempDir {
    let study = copy_reference_study();
    common::use_survey_export(study.path(), file);
    study
}

fn survey_csv() -> Vec<u8> {
    let rows = common::survey_export_rows();
    let lines: Vec<String> = rows.iter().map(|row| row.join(",")).collect();
    (lines.join("\n") + "\n").into_bytes()
}

fn survey_xlsx() -> Vec<u8> {
    let rows = common::survey_export_rows()
        .into_iter()
        .map(|row| row.into_iter().map(common::XlsxCell::Text).collect())
        .collect();
    common::xlsx_bytes(&[("Form1", rows)])
}

fn fixture(name: &str) -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/qda")
            .join(name),
    )
    .unwrap()
}

/// The German MAXQDA fixture as a worksheet, every cell a text.
fn maxqda_xlsx() -> Vec<u8> {
    let text = String::from_utf8(fixture("maxqda_de.csv")).unwrap();
    let rows = text
        .lines()
        .map(|line| {
            line.split(';')
                .map(|cell| common::XlsxCell::Text(cell.trim_matches('"').to_string()))
                .collect()
        })
        .collect();
    common::xlsx_bytes(&[("Liste", rows)])
}

/// A copy of the worked example with an author's document in each language (SYNTHETIC:
/// `examples/synthetic-results-section`).
fn document_study() -> tempfile::TempDir {
    common::copy_study(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/synthetic-results-section"),
    )
}

/// Renders the study's documents as a build would, with `file` holding `bytes`: must not panic,
/// and an error must name the document (or, for bytes that are not UTF-8 text, its file).
fn render_documents_with(folder: &Path, file: &str, bytes: &[u8]) {
    fs::write(folder.join(file), bytes).unwrap();
    let rendered = load_folder(folder)
        .map_err(anyhow::Error::from)
        .and_then(|(study, data)| {
            let analysis = delphi_report::analyse(&study, &data)?;
            delphi_report::check_documents(&study, &data, &analysis)
        });
    if let Err(error) = rendered {
        let message = format!("{error:#}");
        assert!(
            message.contains(file),
            "the error does not name {file}: {message}"
        );
    }
}

fn valid(file: &str) -> Vec<u8> {
    fs::read(reference_study().join(file)).unwrap()
}

/// The reference study with long-shape ratings (SYNTHETIC: three experts per indicator).
fn long_study() -> tempfile::TempDir {
    let study = copy_reference_study();
    let yaml = study.path().join("study.yaml");
    let text = fs::read_to_string(&yaml).unwrap().replace(
        "ratings: {shape: counts, path: table6_published.csv}",
        "ratings: {shape: long, path: ratings_long.csv}",
    );
    fs::write(&yaml, text).unwrap();
    study
}

fn long_ratings() -> Vec<u8> {
    let mut text = String::from("expert,indicator,rating\n");
    for indicator in 1..=48 {
        for expert in 1..=3 {
            text.push_str(&format!(
                "E{expert},I{indicator:02},{}\n",
                (indicator + expert) % 5 + 1
            ));
        }
    }
    text.into_bytes()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_counts_file(bytes in mutated(valid("table6_published.csv"))) {
        let study = copy_reference_study();
        load_with(study.path(), "table6_published.csv", &bytes);
    }

    #[test]
    fn fuzz_long_ratings_file(bytes in mutated(long_ratings())) {
        let study = long_study();
        load_with(study.path(), "ratings_long.csv", &bytes);
    }

    #[test]
    fn fuzz_indicators_file(bytes in mutated(valid("indicators.csv"))) {
        let study = copy_reference_study();
        load_with(study.path(), "indicators.csv", &bytes);
    }

    #[test]
    fn fuzz_study_yaml(bytes in mutated(valid("study.yaml"))) {
        let study = copy_reference_study();
        load_with(study.path(), "study.yaml", &bytes);
    }

    #[test]
    fn fuzz_qdpx_archive(bytes in mutated(crate::common::qdpx_bytes("project.qde", "sources", |xml| xml))) {
        let folder = tempfile::tempdir().unwrap();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/qda");
        fs::copy(fixtures.join("codebook.csv"), folder.path().join("codebook.csv")).unwrap();
        fs::write(folder.path().join("project.qdpx"), &bytes).unwrap();
        let (_, reference) = load_folder(&reference_study()).unwrap();
        let segments = SegmentsFile {
            format: SegmentsFormat::Qdpx,
            path: "project.qdpx".into(),
            offsets: OffsetUnit::Utf16,
            texts: SourceTexts::Required,
        };
        let _ = qda::load(folder.path(), &segments, Some(Path::new("codebook.csv")), None, 3, &reference.indicators, &[Lang::EN, Lang::FA]);
        // Without the texts, offsets are not checked against them: the same bytes must not panic either.
        let optional = SegmentsFile { texts: SourceTexts::Optional, ..segments };
        let _ = qda::load(folder.path(), &optional, None, Some("::"), 3, &reference.indicators, &[Lang::EN, Lang::FA]);
    }

    #[test]
    fn fuzz_maxqda_csv(bytes in mutated(fixture("maxqda_de.csv"))) {
        load_segments(SegmentsFormat::Maxqda, "segments.csv", &bytes);
    }

    #[test]
    fn fuzz_maxqda_xlsx(bytes in mutated(maxqda_xlsx())) {
        load_segments(SegmentsFormat::Maxqda, "segments.xlsx", &bytes);
    }

    #[test]
    fn fuzz_project_segments_csv(bytes in mutated(fixture("segments.csv"))) {
        load_segments(SegmentsFormat::ProjectCsv, "segments.csv", &bytes);
    }

    #[test]
    fn fuzz_wide_ratings_file(bytes in mutated(wide_ratings())) {
        let study = wide_study();
        load_with(study.path(), "ratings_wide.csv", &bytes);
    }

    #[test]
    fn fuzz_survey_export_csv(bytes in mutated(survey_csv())) {
        let study = survey_study("export.csv");
        load_with(study.path(), "export.csv", &bytes);
    }

    #[test]
    fn fuzz_survey_export_xlsx(bytes in mutated(survey_xlsx())) {
        let study = survey_study("export.xlsx");
        load_with(study.path(), "export.xlsx", &bytes);
    }

    #[test]
    fn fuzz_authors_document(bytes in mutated(fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/synthetic-results-section/report.en.md")
    ).unwrap())) {
        let study = document_study();
        render_documents_with(study.path(), "report.en.md", &bytes);
    }

    // Issue 20: empty rows anywhere in a counts file are skipped, and the counts stay those of the file
    // without them (an error, if any, names a row and line that hold the bad cell).
    #[test]
    fn empty_rows_anywhere_leave_the_counts_unchanged(
        at in prop::collection::vec((any::<prop::sample::Index>(), 0..4u8), 1..6)
    ) {
        let study = copy_reference_study();
        let text = String::from_utf8(valid("table6_published.csv")).unwrap();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        for (index, kind) in at {
            let position = 1 + index.index(lines.len());
            let empty = ["", ",,,,,", "\"\",,,,,", "  ,\t,,,,"][kind as usize];
            lines.insert(position.min(lines.len()), empty.to_string());
        }
        fs::write(study.path().join("table6_published.csv"), lines.join("\n") + "\n").unwrap();
        let (_, edited) = load_folder(study.path()).unwrap();
        let (_, reference) = load_folder(&reference_study()).unwrap();
        prop_assert_eq!(edited.counts, reference.counts);
    }
}
