//! Faults: concurrent builds into one output folder, and builds killed midway. SYNTHETIC variants of the
//! reference study (titles changed) so that each build's report is told apart from the others'.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

use common::copy_reference_study;

fn spawn_build(study: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_delphi-report"))
        .args(["build-report", "--study", study.to_str().unwrap()])
        .args(["--out", out.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// The reference study with its English title suffixed by `tag`.
fn study_tagged(tag: &str) -> tempfile::TempDir {
    let study = copy_reference_study();
    let yaml = study.path().join("study.yaml");
    let text = fs::read_to_string(&yaml).unwrap().replacen(
        "en: Components that precede the internationalization pattern of high-tech SMEs",
        &format!("en: Components that precede the internationalization pattern of high-tech SMEs ({tag})"),
        1,
    );
    fs::write(&yaml, text).unwrap();
    study
}

/// The report folder each study gives when built alone.
fn reference_report(study: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    assert!(spawn_build(study, out.path()).wait().unwrap().success());
    common::tree(&out.path().join("htsme-2024"))
}

#[test]
fn two_builds_at_once_leave_one_complete_report() {
    let (a, b) = (study_tagged("A"), study_tagged("B"));
    let (report_a, report_b) = (reference_report(a.path()), reference_report(b.path()));
    assert_ne!(report_a, report_b);
    let out = tempfile::tempdir().unwrap();
    for round in 0..8 {
        let first = spawn_build(a.path(), out.path());
        let second = spawn_build(b.path(), out.path());
        for child in [first, second] {
            let result = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&result.stderr);
            assert!(!stderr.contains("panicked"), "{stderr}");
            // A build that loses the race may fail as an output error; it must not corrupt the folder.
            assert!(
                matches!(result.status.code(), Some(0 | 4)),
                "round {round}: {stderr}"
            );
        }
        let report = common::tree(&out.path().join("htsme-2024"));
        assert!(
            report == report_a || report == report_b,
            "round {round}: a mixed or partial report"
        );
        // Both builds finished: neither left a staging or retired folder behind.
        let leftovers: Vec<_> = fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|name| name != "htsme-2024")
            .collect();
        assert!(
            leftovers.is_empty(),
            "round {round}: folders left: {leftovers:?}"
        );
    }
}

#[test]
fn a_build_killed_midway_leaves_the_previous_report_or_the_new_one_whole() {
    let (old, new) = (study_tagged("old"), study_tagged("new"));
    let (report_old, report_new) = (reference_report(old.path()), reference_report(new.path()));
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("htsme-2024");
    let mut outcomes = BTreeMap::new();
    for delay_ms in (0..300).step_by(15) {
        // Start each round from the old report.
        assert!(spawn_build(old.path(), out.path())
            .wait()
            .unwrap()
            .success());
        let mut child = spawn_build(new.path(), out.path());
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        assert!(
            folder.is_dir(),
            "killed after {delay_ms} ms: no report folder"
        );
        let report = common::tree(&folder);
        let outcome = if report == report_old {
            "previous"
        } else if report == report_new {
            "new"
        } else {
            panic!("killed after {delay_ms} ms: a half-written report folder")
        };
        *outcomes.entry(outcome).or_insert(0) += 1;
    }
    eprintln!("outcomes of the killed builds: {outcomes:?}");
}
