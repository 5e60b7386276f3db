//! Issue 18: `check` says what changed (decisions, table cells, wording) in text, Markdown and JSON, and
//! `--all` covers every study of a repository.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use common::{replace_once as edit, run_in};

/// The crate root: the repository whose studies and committed reports the tests copy.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A repository-shaped temporary folder: both studies and their committed reports.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in [
        "data/htsme-2024",
        "examples/synthetic-three-rounds",
        "reports/htsme-2024",
        "reports/synthetic-three-rounds",
    ] {
        copy_dir(&root().join(folder), &dir.path().join(folder));
    }
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Moves one rating of I25 from very high to very low: counts (VL, L, M, H, VH) go from
/// (2, 2, 6, 3, 2) to (3, 2, 6, 3, 1), 15 experts either way. By hand, on the quarter-step scale:
///   old l = (6 x .25 + 3 x .5 + 2 x .75) / 15 = 4.5 / 15 = 3/10          -> 0.300
///   old m = (2 x .25 + 6 x .5 + 3 x .75 + 2 x 1) / 15 = 7.75 / 15 = 31/60 -> 0.517
///   old u = (2 x .25 + 2 x .5 + 6 x .75 + 3 + 2) / 15 = 11 / 15          -> 0.733
///   old crisp = (4.5 + 7.75 + 11) / 45 = 31/60 -> 0.517, accepted at 0.5
///   new l = (6 x .25 + 3 x .5 + 1 x .75) / 15 = 3.75 / 15 = 1/4          -> 0.250
///   new m = (2 x .25 + 6 x .5 + 3 x .75 + 1) / 15 = 6.75 / 15 = 9/20     -> 0.450
///   new u = (3 x .25 + 2 x .5 + 6 x .75 + 3 + 1) / 15 = 10.25 / 15 = 41/60 -> 0.683
///   new crisp = (3.75 + 6.75 + 10.25) / 45 = 83/180 = 0.4611... -> 0.461, rejected at 0.5
fn move_one_rating_of_i25(repo: &Path) {
    edit(
        &repo.join("data/htsme-2024/table6_published.csv"),
        "I25,2,2,6,3,2\n",
        "I25,3,2,6,3,1\n",
    );
}

/// The exact fractions above as the nearest doubles (how the tables write them).
const OLD: [(&str, f64, &str); 4] = [
    ("l", 3.0 / 10.0, "0.300"),
    ("m", 31.0 / 60.0, "0.517"),
    ("u", 11.0 / 15.0, "0.733"),
    ("crisp", 31.0 / 60.0, "0.517"),
];
const NEW: [(&str, f64, &str); 4] = [
    ("l", 1.0 / 4.0, "0.250"),
    ("m", 9.0 / 20.0, "0.450"),
    ("u", 41.0 / 60.0, "0.683"),
    ("crisp", 83.0 / 180.0, "0.461"),
];

#[test]
fn a_moved_rating_names_the_indicator_its_numbers_and_the_flipped_decision_in_text() {
    let repo = repository();
    move_one_rating_of_i25(repo.path());
    let output = run_in(repo.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.starts_with("reports/htsme-2024 has drifted from data/htsme-2024: "),
        "{text}"
    );
    // Decisions first, the screening's own first of all.
    assert!(
        text.contains(
            "decisions that flip:\n  tables/table7.csv I25, status: accepted -> rejected\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("  tables/sensitivity.csv I25, 0.5: accepted -> rejected\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "  tables/audit.csv table 7, row 25, column status, verdict: match -> mismatch\n"
        ),
        "{text}"
    );
    assert!(
        text.find("decisions that flip:").unwrap()
            < text.find("tables/table7.csv (rows by").unwrap()
    );
    for ((column, old_full, old), (_, new_full, new)) in OLD.iter().zip(NEW.iter()) {
        let line =
            format!("  I25, {column}: {old} -> {new} (full: {old_full:?} -> {new_full:?})\n");
        assert!(text.contains(&line), "{line}\n{text}");
    }
    assert!(text.contains("  I25, very_low: 2 -> 3\n"), "{text}");
    assert!(text.contains("  I25, very_high: 2 -> 1\n"), "{text}");
    assert!(
        text.contains(
            "manifest.json: input table6_published.csv changed (ratings, published counts)"
        ),
        "{text}"
    );
    assert!(
        text.contains("other files:\n  figures/crisp.en.svg"),
        "{text}"
    );
}

#[test]
fn a_moved_rating_in_markdown_and_json() {
    let repo = repository();
    move_one_rating_of_i25(repo.path());

    let output = run_in(repo.path(), &["check", "--format", "markdown"]);
    assert_eq!(output.status.code(), Some(1));
    let markdown = stdout(&output);
    assert!(
        markdown.starts_with("### delphi-report check: drift in 1 of 1 study\n\n**htsme-2024** (`reports/htsme-2024`, from `data/htsme-2024`): "),
        "{markdown}"
    );
    assert!(
        markdown.contains("| tables/table7.csv | I25 | status | accepted | rejected |\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| I25 | status (decision) | accepted | rejected |  |  |\n"),
        "{markdown}"
    );
    for ((column, old_full, old), (_, new_full, new)) in OLD.iter().zip(NEW.iter()) {
        let row = format!("| I25 | {column} | {old} | {new} | {old_full:?} | {new_full:?} |\n");
        assert!(markdown.contains(&row), "{row}\n{markdown}");
    }

    let output = run_in(repo.path(), &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["drift"], true);
    let study = &json["studies"][0];
    assert_eq!(study["study"], "htsme-2024");
    assert_eq!(study["display_decimals"], 3);
    let first = &study["decisions"][0];
    assert_eq!(first["table"], "tables/table7.csv");
    assert_eq!(first["row"], "I25");
    assert_eq!(first["key"]["indicator"], "I25");
    assert_eq!(first["column"], "status");
    assert_eq!(first["decision"], true);
    assert_eq!(first["old"]["text"], "accepted");
    assert_eq!(first["new"]["text"], "rejected");
    let table7 = study["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["path"] == "tables/table7.csv")
        .unwrap();
    assert_eq!(table7["key"], serde_json::json!(["indicator"]));
    assert_eq!(table7["rows_changed"], 1);
    assert_eq!(table7["cells_changed"], 5);
    for ((column, old_full, old), (_, new_full, new)) in OLD.iter().zip(NEW.iter()) {
        let cell = table7["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"]["indicator"] == "I25" && c["column"] == *column)
            .unwrap_or_else(|| panic!("no cell {column}"));
        assert_eq!(cell["old"]["display"], *old);
        assert_eq!(cell["new"]["display"], *new);
        let full = |v: &Value| v["text"].as_str().unwrap().parse::<f64>().unwrap();
        assert_eq!(full(&cell["old"]), *old_full, "{column}");
        assert_eq!(full(&cell["new"]), *new_full, "{column}");
        assert_eq!(cell["decision"], false);
        assert_eq!(cell["below_display_precision"], false);
    }
    let inputs = study["manifest"]["inputs"].as_array().unwrap();
    assert_eq!(
        inputs,
        &vec![serde_json::json!({
            "path": "table6_published.csv",
            "roles": ["ratings", "published counts"],
            "change": "changed",
        })]
    );
    assert!(study["manifest"]["parameters"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(study["version_bump"], Value::Null);
}

#[test]
fn a_changed_caption_is_a_wording_change_with_no_table_change() {
    let repo = repository();
    edit(
        &repo.path().join("data/htsme-2024/study.yaml"),
        "en: Mean of the experts' views in the fuzzy Delphi technique",
        "en: Mean of the experts' opinions in the fuzzy Delphi technique",
    );
    let output = run_in(repo.path(), &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let json: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let study = &json["studies"][0];
    assert_eq!(study["tables"], serde_json::json!([]));
    assert_eq!(study["decisions"], serde_json::json!([]));
    let files = study["files"].as_array().unwrap();
    let english = files
        .iter()
        .find(|f| f["path"] == "report.en.md")
        .expect("report.en.md changed");
    assert_eq!(english["change"], "changed");
    assert!(english["first_changed_line"]["line"].as_u64().unwrap() > 1);
    // No CSV table is among the changed files.
    assert!(files
        .iter()
        .all(|f| !f["path"].as_str().unwrap().ends_with(".csv")));
    assert_eq!(
        study["manifest"]["parameters"],
        serde_json::json!([{
            "path": "study_yaml.tables.screening.caption.en",
            "old": "Mean of the experts' views in the fuzzy Delphi technique",
            "new": "Mean of the experts' opinions in the fuzzy Delphi technique",
        }])
    );

    let text = stdout(&run_in(repo.path(), &["check"]));
    assert!(text.contains(": no table changes; "), "{text}");
    assert!(text.contains("  report.en.md, line "), "{text}");
}

#[test]
fn a_wording_change_shows_its_first_changed_line() {
    // The committed report holds other words than the build makes, as after a change to the built-in
    // strings: the line is shown around its first difference.
    let repo = repository();
    let committed = repo.path().join("reports/htsme-2024/report.en.md");
    let text = fs::read_to_string(&committed).unwrap();
    let (number, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("Every number below is computed"))
        .unwrap();
    edit(
        &committed,
        "Every number below is computed",
        "All numbers below are computed",
    );
    let output = run_in(repo.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    let position = line.find("Every number").unwrap();
    let before: String = line[..position]
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert!(
        out.contains(&format!(
            "  report.en.md, line {}: `…{before}All numbers",
            number + 1
        )),
        "{out}"
    );
    assert!(out.contains(&format!("-> `…{before}Every number")), "{out}");
    assert!(
        out.contains(": no table changes; 1 other file changes\n"),
        "{out}"
    );
}

#[test]
fn an_added_indicator_is_an_added_row() {
    let repo = repository();
    let study = repo.path().join("data/htsme-2024");
    let mut indicators = fs::read_to_string(study.join("indicators.csv")).unwrap();
    indicators.push_str("I49,networking,شاخص آزمایشی,A synthetic test indicator,translation\n");
    fs::write(study.join("indicators.csv"), indicators).unwrap();
    // SYNTHETIC ratings: 5 high, 10 very high. l = (5 x .5 + 10 x .75) / 15 = 2/3,
    // m = (5 x .75 + 10) / 15 = 11/12, u = 1, crisp = (8/12 + 11/12 + 12/12) / 3 = 31/36: accepted.
    let mut counts = fs::read_to_string(study.join("table6_published.csv")).unwrap();
    counts.push_str("I49,0,0,0,5,10\n");
    fs::write(study.join("table6_published.csv"), counts).unwrap();

    let output = run_in(repo.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains(&format!(
            "  added I49: component=networking, l={:?}, m={:?}, u=1.0, crisp={:?}, status=accepted\n",
            2.0 / 3.0,
            11.0 / 12.0,
            31.0 / 36.0
        )),
        "{text}"
    );
    assert!(
        text.contains("  added I49: component=networking, very_low=0, low=0, medium=0, high=5, very_high=10, responses=15\n"),
        "{text}"
    );

    let json: Value = serde_json::from_str(&stdout(&run_in(
        repo.path(),
        &["check", "--format", "json"],
    )))
    .unwrap();
    let table7 = json["studies"][0]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["path"] == "tables/table7.csv")
        .unwrap();
    assert_eq!(table7["cells_changed"], 0);
    assert_eq!(table7["rows_added"][0]["key"]["indicator"], "I49");
    assert_eq!(table7["rows_added"][0]["values"]["status"], "accepted");
    assert_eq!(table7["rows_removed"], serde_json::json!([]));
}

#[test]
fn all_checks_every_study_and_names_the_one_that_drifted() {
    let repo = repository();
    move_one_rating_of_i25(repo.path());
    let output = run_in(repo.path(), &["check", "--all"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("reports/htsme-2024 has drifted from data/htsme-2024: "),
        "{text}"
    );
    assert!(
        text.contains("reports/synthetic-three-rounds: all 24 files are up to date\n"),
        "{text}"
    );
    assert!(
        text.ends_with("2 studies checked: 1 drifted (htsme-2024)\n"),
        "{text}"
    );

    let json: Value = serde_json::from_str(&stdout(&run_in(
        repo.path(),
        &["check", "--all", "--format", "json"],
    )))
    .unwrap();
    let studies = json["studies"].as_array().unwrap();
    let summary: Vec<(&str, &str, bool)> = studies
        .iter()
        .map(|s| {
            (
                s["study"].as_str().unwrap(),
                s["study_folder"].as_str().unwrap(),
                s["drift"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("htsme-2024", "data/htsme-2024", true),
            (
                "synthetic-three-rounds",
                "examples/synthetic-three-rounds",
                false
            ),
        ]
    );

    let markdown = stdout(&run_in(
        repo.path(),
        &["check", "--all", "--format", "markdown"],
    ));
    assert!(
        markdown.starts_with("### delphi-report check: drift in 1 of 2 studies\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("**synthetic-three-rounds** (`reports/synthetic-three-rounds`, from `examples/synthetic-three-rounds`): all 24 files are up to date.\n"),
        "{markdown}"
    );

    // build-report --all rebuilds both; then everything is up to date.
    let built = run_in(repo.path(), &["build-report", "--all"]);
    common::assert_succeeded(&built);
    assert_eq!(
        stdout(&built),
        "wrote 27 files to reports/htsme-2024\nwrote 24 files to reports/synthetic-three-rounds\n"
    );
    let clean = run_in(repo.path(), &["check", "--all"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(
        stdout(&clean).ends_with("2 studies checked: all up to date\n"),
        "{}",
        stdout(&clean)
    );
}

#[test]
fn all_refuses_a_report_folder_whose_study_is_gone() {
    let repo = repository();
    fs::create_dir_all(repo.path().join("reports/ghost")).unwrap();
    fs::write(
        repo.path().join("reports/ghost/manifest.json"),
        r#"{"study": "ghost"}"#,
    )
    .unwrap();
    let output = run_in(repo.path(), &["check", "--all"]);
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("reports/ghost/manifest.json: names the study 'ghost', which no study folder under data or examples has (found: htsme-2024, synthetic-three-rounds)"),
        "{stderr}"
    );
    assert_eq!(
        run_in(
            repo.path(),
            &["check", "--all", "--study", "data/htsme-2024"]
        )
        .status
        .code(),
        Some(i32::from(delphi_report::error::EXIT_USAGE)),
        "--all and --study exclude each other"
    );
}

#[test]
fn a_version_bump_alone_is_said_in_one_line() {
    // The committed report as an earlier version would have written it: the same bytes but for the
    // version number the reports and the manifest print.
    let fresh = delphi_report::build_report(&common::reference_study())
        .unwrap()
        .files;
    let version = env!("CARGO_PKG_VERSION");
    let committed: delphi_report::report::ReportFiles = fresh
        .iter()
        .map(|(path, bytes)| {
            let bytes = match std::str::from_utf8(bytes) {
                Ok(text) => text.replace(version, "0.0.1-old").into_bytes(),
                Err(_) => bytes.clone(),
            };
            (path.clone(), bytes)
        })
        .collect();
    let diff = delphi_report::drift::diff_reports(&committed, &fresh);
    let bump = diff.version_bump.clone().expect("a version bump");
    assert_eq!(
        (bump.old.as_str(), bump.new.as_str()),
        ("0.0.1-old", version)
    );
    assert!(
        bump.files >= 6,
        "the Markdown, HTML and notebook reports print it"
    );
    let check = delphi_report::drift::format::StudyCheck {
        study: "htsme-2024".into(),
        study_folder: "data/htsme-2024".into(),
        report_folder: "reports/htsme-2024".into(),
        report_folder_missing: false,
        diff,
    };
    use delphi_report::drift::format::{render, Format};
    let checks = [check];
    let text = render(&checks, Format::Text, 50);
    assert_eq!(
        text.lines().next().unwrap(),
        format!(
            "reports/htsme-2024: only the tool version changed (0.0.1-old -> {version}, printed in {} files); nothing else differs",
            bump.files
        )
    );
    let markdown = render(&checks, Format::Markdown, 50);
    assert!(
        markdown.contains(&format!(": only the tool version changed (0.0.1-old → {version}, printed in {} files); nothing else differs.\n", bump.files)),
        "{markdown}"
    );
    let json: Value = serde_json::from_str(&render(&checks, Format::Json, 50)).unwrap();
    let study = &json["studies"][0];
    assert_eq!(study["version_bump"]["old"], "0.0.1-old");
    assert_eq!(study["version_bump"]["new"], version);
    assert_eq!(study["manifest"]["tool_version"]["old"], "0.0.1-old");
    assert_eq!(study["tables"], serde_json::json!([]));
    assert_eq!(study["manifest"]["inputs"], serde_json::json!([]));
}

#[test]
fn a_study_without_a_committed_report_is_drift() {
    let repo = repository();
    fs::remove_dir_all(repo.path().join("reports/htsme-2024")).unwrap();
    let output = run_in(repo.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        "reports/htsme-2024: no committed report (the build of data/htsme-2024 makes 27 files)\n\
         to accept: `delphi-report build-report --study data/htsme-2024` and commit reports/htsme-2024\n"
    );
}
