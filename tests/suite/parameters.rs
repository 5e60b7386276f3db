//! Issue 15 item 5: `build-report --set KEY=VALUE` overrides a setting of study.yaml for one build.
//! The reference study accepts 47 of its 48 indicators at its threshold 0.5 and 37 at 0.6; the report
//! says what was set, manifest.json records it, and `check` rebuilds with it. A key that does not
//! exist or a value of the wrong type is an error naming the key.

use std::path::Path;

use crate::common::{assert_succeeded, reference_study, run, tree};

/// The summary line of a report's Markdown (the key finding that gives the screening result).
fn summary_line(markdown: &str) -> &str {
    markdown
        .lines()
        .find(|l| l.starts_with("- [Cell 6](#summary): "))
        .unwrap_or_else(|| panic!("no screening finding in {markdown}"))
}

fn build_set(out: &Path, set: &[&str]) -> std::process::Output {
    let mut args = vec![
        "build-report".to_string(),
        "--study".to_string(),
        reference_study().display().to_string(),
        "--out".to_string(),
        out.display().to_string(),
    ];
    for one in set {
        args.push("--set".into());
        args.push(one.to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args)
}

#[test]
fn set_changes_the_accepted_count_and_check_reproduces_the_parameterised_report() {
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/htsme-2024/report.en.md"),
    )
    .unwrap();
    assert!(
        summary_line(&committed).ends_with(
            "At the threshold 0.5, **47** of 48 indicators are accepted and **1** rejected."
        ),
        "{}",
        summary_line(&committed)
    );
    let out = tempfile::tempdir().unwrap();
    assert_succeeded(&build_set(out.path(), &["method.threshold=0.6"]));
    let folder = out.path().join("htsme-2024");
    let report = std::fs::read_to_string(folder.join("report.en.md")).unwrap();
    assert_eq!(
        summary_line(&report),
        "- [Cell 6](#summary): At the threshold 0.6, **37** of 48 indicators are accepted and **11** rejected."
    );
    // The report says what was set, under the title and in the method cell.
    let said = "Set for this build with `--set`, in place of study.yaml: `method.threshold=0.6`.";
    assert_eq!(report.matches(said).count(), 2, "{report}");
    let persian = std::fs::read_to_string(folder.join("report.fa.md")).unwrap();
    assert!(persian.contains("`method.threshold=0.6`"), "{persian}");
    // The manifest records it, and the settings in effect.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(
        manifest["parameters"]["set"],
        serde_json::json!(["method.threshold=0.6"])
    );
    assert_eq!(
        manifest["parameters"]["study_yaml"]["method"]["threshold"],
        0.6
    );
    assert_eq!(manifest["parameters"]["threshold_exact"], "3/5");
    // check rebuilds with the recorded setting: up to date, while a plain build differs.
    let checked = run(&[
        "check",
        "--study",
        reference_study().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(
        checked.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
    let stdout = String::from_utf8_lossy(&checked.stdout);
    assert!(
        stdout.contains("htsme-2024: all ") && stdout.contains(" files are up to date"),
        "{stdout}"
    );
    let plain = delphi_report::build_report(&reference_study())
        .unwrap()
        .files;
    let parameterised = tree(&folder);
    assert_ne!(plain["report.en.md"], parameterised["report.en.md"]);
    assert_ne!(
        plain["tables/table7.csv"],
        parameterised["tables/table7.csv"]
    );
    // Without the recorded setting, check rebuilds at 0.5 and sees the decisions flip back (I10 is
    // accepted at 0.5, rejected at 0.6).
    crate::common::edit_file(&folder.join("manifest.json"), |text| {
        text.replace("   \"method.threshold=0.6\"\n", "")
    });
    let drifted = run(&[
        "check",
        "--study",
        reference_study().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(drifted.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&drifted.stdout);
    assert!(
        stdout.contains("tables/table7.csv I10, status: rejected -> accepted"),
        "{stdout}"
    );
}

#[test]
fn several_settings_apply_in_order_and_the_decision_rule_can_be_set() {
    let out = tempfile::tempdir().unwrap();
    assert_succeeded(&build_set(
        out.path(),
        &[
            "method.threshold=0.6",
            "method.decision=threshold-and-consensus",
        ],
    ));
    let report = std::fs::read_to_string(out.path().join("htsme-2024/report.en.md")).unwrap();
    // The combined rule adds the reason column to the screening table.
    assert!(report.contains("| No. | Indicator | l | m | u | Crisp | Status | Reason |"));
    assert!(report.contains("`method.threshold=0.6`, `method.decision=threshold-and-consensus`"));
}

#[test]
fn an_unknown_key_or_a_wrong_value_is_an_error_naming_the_key_and_writes_nothing() {
    for (set, key, says) in [
        (
            "method.thresold=0.6",
            "key 'method.thresold'",
            "--set method.thresold=0.6: unknown field `thresold`",
        ),
        (
            "method.threshold=high",
            "key 'method.threshold'",
            "invalid type: string \"high\"",
        ),
        (
            "method.decision=maybe",
            "key 'method.decision'",
            "unknown variant `maybe`",
        ),
        (
            "method.threshold=7",
            "key 'method.threshold'",
            "(set by --set method.threshold=7)",
        ),
        ("colour=red", "key 'colour'", "unknown field `colour`"),
    ] {
        let out = tempfile::tempdir().unwrap();
        let failed = build_set(out.path(), &[set]);
        assert_eq!(failed.status.code(), Some(3), "{set}");
        let stderr = String::from_utf8_lossy(&failed.stderr);
        assert!(
            stderr.contains(&format!("study.yaml, {key}: ")) && stderr.contains(says),
            "{set}: {stderr}"
        );
        assert!(!out.path().join("htsme-2024").exists(), "{set}");
    }
    // Not KEY=VALUE, or with --all: a usage error.
    let out = tempfile::tempdir().unwrap();
    assert_eq!(
        build_set(out.path(), &["method.threshold"]).status.code(),
        Some(2)
    );
    let all = run(&["build-report", "--all", "--set", "method.threshold=0.6"]);
    assert_eq!(all.status.code(), Some(2));
}

#[test]
fn validate_takes_the_same_settings() {
    let valid = run(&[
        "validate",
        "--study",
        reference_study().to_str().unwrap(),
        "--set",
        "method.threshold=0.6",
    ]);
    assert_succeeded(&valid);
    assert!(String::from_utf8_lossy(&valid.stdout)
        .contains("valid: 37 of 48 indicators accepted at threshold 0.6"));
}
