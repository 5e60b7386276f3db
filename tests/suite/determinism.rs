//! Byte-identical rebuilds (issue 3): the binary run twice, seconds apart, under different time zones,
//! locales and working directories writes the same bytes; the workbooks carry no clock time; the
//! only timestamp comes from SOURCE_DATE_EPOCH; a git commit is recorded only on request and never
//! makes `check` fail.

use crate::common;

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use common::reference_study;

/// The binary with a clean stamp environment, in `cwd`, with extra variables.
fn delphi(cwd: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_delphi-report"));
    command
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("DELPHI_REPORT_GIT_COMMIT")
        .args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    assert!(
        output.status.success() || args[0] == "check",
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Every entry of a zip with its DOS modification time as (date, time) words, and the text of
/// `docProps/core.xml`.
fn workbook_times(bytes: &[u8]) -> (Vec<(String, u16, u16)>, String) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut entries = Vec::new();
    for index in 0..archive.len() {
        let file = archive.by_index(index).unwrap();
        let time = file.last_modified().unwrap();
        entries.push((
            file.name().unwrap().to_string(),
            time.datepart(),
            time.timepart(),
        ));
    }
    let mut core = String::new();
    archive
        .by_name("docProps/core.xml")
        .unwrap()
        .read_to_string(&mut core)
        .unwrap();
    (entries, core)
}

#[test]
fn two_builds_in_different_zones_locales_and_folders_are_byte_identical() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let study = reference_study();
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();

    // From the repository root with a relative study path, UTC, the C locale.
    delphi(
        repository,
        &[("TZ", "UTC"), ("LC_ALL", "C"), ("LANG", "C")],
        &[
            "build-report",
            "--study",
            "data/htsme-2024",
            "--out",
            first.path().to_str().unwrap(),
        ],
    );
    // The DOS times in a zip have a resolution of two seconds: wait longer than that, so that any
    // clock time written anywhere would differ between the two builds.
    std::thread::sleep(Duration::from_millis(2_100));
    // From another folder with an absolute study path, Tehran time, a Persian locale.
    delphi(
        elsewhere.path(),
        &[
            ("TZ", "Asia/Tehran"),
            ("LC_ALL", "fa_IR.UTF-8"),
            ("LANG", "fa_IR.UTF-8"),
        ],
        &[
            "build-report",
            "--study",
            study.to_str().unwrap(),
            "--out",
            second.path().to_str().unwrap(),
        ],
    );

    let a = common::tree(&first.path().join("htsme-2024"));
    let b = common::tree(&second.path().join("htsme-2024"));
    let names: Vec<&String> = a.keys().collect();
    assert_eq!(
        names,
        [
            "figures/crisp.en.svg",
            "figures/crisp.fa.svg",
            "figures/framework.en.svg",
            "figures/framework.fa.svg",
            "figures/sensitivity.en.svg",
            "figures/sensitivity.fa.svg",
            "manifest.json",
            "report.en.docx",
            "report.en.html",
            "report.en.ipynb",
            "report.en.md",
            "report.fa.docx",
            "report.fa.html",
            "report.fa.ipynb",
            "report.fa.md",
            "tables/agreement.csv",
            "tables/audit.csv",
            "tables/coding_counts_audit.csv",
            "tables/demographics_audit.csv",
            "tables/distances.csv",
            "tables/identify.csv",
            "tables/sensitivity.csv",
            "tables/table6.csv",
            "tables/table7.csv",
            "tables/tables.en.xlsx",
            "tables/tables.fa.xlsx",
            "tables/threshold.csv",
        ]
    );
    for (name, bytes) in &a {
        assert!(
            b.get(name) == Some(bytes),
            "{name} differs between the builds"
        );
    }
    assert_eq!(a.len(), b.len());

    // The workbooks: every zip entry at the fixed 1980-01-01 00:00 (DOS date 0x0021, time 0), and the
    // document dates fixed too, since no SOURCE_DATE_EPOCH was given.
    for name in ["tables/tables.en.xlsx", "tables/tables.fa.xlsx"] {
        let (entries, core) = workbook_times(&a[name]);
        assert!(entries.len() >= 8, "{name}: {entries:?}");
        for (entry, date, time) in &entries {
            assert_eq!((*date, *time), (0x0021, 0), "{name}: {entry}");
        }
        assert!(
            core.contains(r#"<dcterms:created xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:created>"#),
            "{name}: {core}"
        );
        assert!(core.contains(
            r#"<dcterms:modified xsi:type="dcterms:W3CDTF">1980-01-01T00:00:00Z</dcterms:modified>"#
        ));
    }
    // The Word documents: entries at 1980-01-01 00:00 too, and no document dates without a stamp.
    for name in ["report.en.docx", "report.fa.docx"] {
        let (entries, core) = workbook_times(&a[name]);
        assert!(entries.len() >= 8, "{name}: {entries:?}");
        for (entry, date, time) in &entries {
            assert_eq!((*date, *time), (0x0021, 0), "{name}: {entry}");
        }
        assert!(!core.contains("dcterms:"), "{name}: {core}");
    }
    // No stamp asked for: the manifest records none.
    let manifest: serde_json::Value = serde_json::from_slice(&a["manifest.json"]).unwrap();
    assert_eq!(manifest["build"], serde_json::json!({}));
}

#[test]
fn source_date_epoch_is_the_only_timestamp_and_a_commit_is_recorded_only_on_request() {
    let study = reference_study();
    let study = study.to_str().unwrap();
    let plain = tempfile::tempdir().unwrap();
    let stamped = tempfile::tempdir().unwrap();
    let out_plain = plain.path().to_str().unwrap();
    let out_stamped = stamped.path().to_str().unwrap();
    delphi(
        plain.path(),
        &[],
        &["build-report", "--study", study, "--out", out_plain],
    );
    // 1700000000 is 2023-11-14T22:13:20Z.
    delphi(
        stamped.path(),
        &[("SOURCE_DATE_EPOCH", "1700000000")],
        &[
            "build-report",
            "--study",
            study,
            "--out",
            out_stamped,
            "--git-commit",
            "0123456789abcdef0123456789abcdef01234567",
        ],
    );
    let a = common::tree(&plain.path().join("htsme-2024"));
    let b = common::tree(&stamped.path().join("htsme-2024"));
    let manifest: serde_json::Value = serde_json::from_slice(&b["manifest.json"]).unwrap();
    assert_eq!(
        manifest["build"],
        serde_json::json!({
            "git_commit": "0123456789abcdef0123456789abcdef01234567",
            "source_date_epoch": 1700000000u64,
            "time_utc": "2023-11-14T22:13:20Z",
        })
    );
    let (_, core) = workbook_times(&b["tables/tables.en.xlsx"]);
    assert!(
        core.contains(">2023-11-14T22:13:20Z</dcterms:created>"),
        "{core}"
    );
    let (_, core) = workbook_times(&b["report.fa.docx"]);
    assert!(
        core.contains(">2023-11-14T22:13:20Z</dcterms:modified>"),
        "{core}"
    );
    // Only the manifest, the workbooks and the Word documents (their dates) change with the stamp.
    let changed: Vec<&String> = a.keys().filter(|name| a[*name] != b[*name]).collect();
    assert_eq!(
        changed,
        [
            "manifest.json",
            "report.en.docx",
            "report.fa.docx",
            "tables/tables.en.xlsx",
            "tables/tables.fa.xlsx"
        ]
    );

    // `check` takes the stamp from the committed manifest: a recorded commit is not drift...
    let check = delphi(
        stamped.path(),
        &[],
        &["check", "--study", study, "--out", out_stamped],
    );
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // ...while any other change still is: the manifest lists every output's digest.
    let report = stamped.path().join("htsme-2024/report.en.md");
    let mut text = fs::read_to_string(&report).unwrap();
    text.push('\n');
    fs::write(&report, text).unwrap();
    let check = delphi(
        stamped.path(),
        &[],
        &["check", "--study", study, "--out", out_stamped],
    );
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains(": no table changes; 1 other file changes\n")
            && stdout.contains("\n  report.en.md, line "),
        "{stdout}"
    );

    // A value that is not a commit id is a usage error, not a silent record.
    let refused = Command::new(env!("CARGO_BIN_EXE_delphi-report"))
        .args([
            "build-report",
            "--study",
            study,
            "--out",
            out_plain,
            "--git-commit",
            "HEAD",
        ])
        .output()
        .unwrap();
    assert_eq!(
        refused.status.code(),
        Some(i32::from(delphi_report::error::EXIT_USAGE))
    );
}
