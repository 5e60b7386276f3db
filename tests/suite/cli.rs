//! The command line: `build-report` writes the report folder, `check` detects drift, bad input fails cleanly.

use crate::common;

use std::fs;

use common::{copy_reference_study, reference_study, run};

#[test]
fn build_report_writes_every_file_and_check_passes_then_detects_drift() {
    let out = tempfile::tempdir().unwrap();
    let study = reference_study();
    let (study, out_dir) = (study.to_str().unwrap(), out.path().to_str().unwrap());
    let built = run(&["build-report", "--study", study, "--out", out_dir]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let folder = out.path().join("htsme-2024");
    for file in [
        "report.en.md",
        "report.fa.md",
        "report.en.html",
        "report.fa.html",
        "tables/table6.csv",
        "tables/table7.csv",
        "tables/audit.csv",
        "tables/demographics_audit.csv",
        "tables/coding_counts_audit.csv",
    ] {
        assert!(
            fs::metadata(folder.join(file)).unwrap().len() > 100,
            "{file}"
        );
    }

    let clean = run(&["check", "--study", study, "--out", out_dir]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );

    fs::write(folder.join("tables/table7.csv"), "tampered\n").unwrap();
    fs::write(folder.join("stray.txt"), "x").unwrap();
    let drifted = run(&["check", "--study", study, "--out", out_dir]);
    assert_eq!(drifted.status.code(), Some(1));
    // The tampered table has lost its header, so every rebuilt row is an added row; the stray file is named.
    let stdout = String::from_utf8_lossy(&drifted.stdout);
    assert!(
        stdout.contains(
            "tables/table7.csv (rows by indicator): 0 rows changed, 0 cells, 48 rows added"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("  columns removed: tampered\n"), "{stdout}");
    assert!(
        stdout.contains("  stray.txt: not produced by the build\n"),
        "{stdout}"
    );
}

#[test]
fn bad_input_exits_with_the_input_code_names_the_cell_and_leaves_the_previous_report() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap();
    let study = copy_reference_study();
    let study_dir = study.path().to_str().unwrap();
    assert!(
        run(&["build-report", "--study", study_dir, "--out", out_dir])
            .status
            .success()
    );
    let report = out.path().join("htsme-2024/report.en.md");
    let before = fs::read(&report).unwrap();

    let counts = study.path().join("table6_published.csv");
    let text = fs::read_to_string(&counts)
        .unwrap()
        .replace("I03,0,0,1,5,9", "I03,0,0,one,5,9");
    fs::write(&counts, text).unwrap();
    let failed = run(&["build-report", "--study", study_dir, "--out", out_dir]);
    assert_eq!(failed.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("table6_published.csv: row 3 (line 4), column 'medium': expected a whole number of experts (0 or more), found 'one'"), "{stderr}");
    assert_eq!(
        fs::read(&report).unwrap(),
        before,
        "previous report untouched"
    );
}

#[test]
fn a_missing_study_folder_is_a_clear_error() {
    let failed = run(&[
        "build-report",
        "--study",
        "no/such/study",
        "--out",
        "unused",
    ]);
    assert_eq!(failed.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("no/such/study: study folder not found"),
        "{stderr}"
    );
}

#[test]
fn init_scaffolds_a_study_that_builds_once_a_few_rows_are_filled() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("my-study");
    let dir_arg = dir.to_str().unwrap();
    let created = run(&["init", dir_arg]);
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    for file in [
        "study.yaml",
        "components.csv",
        "indicators.csv",
        "ratings.csv",
        "README.md",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    let yaml = fs::read_to_string(dir.join("study.yaml")).unwrap();
    assert!(yaml.contains("id: my-study"), "{yaml}");
    // Not filled yet: validate fails as bad input, naming what is missing.
    let empty = run(&["validate", "--study", dir_arg]);
    assert_eq!(empty.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&empty.stderr);
    assert!(stderr.contains("indicators.csv: no indicators"), "{stderr}");
    // init refuses a folder that is not empty.
    assert_eq!(run(&["init", dir_arg]).status.code(), Some(4));

    // SYNTHETIC rows: two indicators, three experts (the scaffold's panel), threshold 0.7.
    fs::write(
        dir.join("components.csv"),
        "id,name_fa,name_en,name_en_source\nC1,مولفه نمونه,Sample component,paper\n",
    )
    .unwrap();
    fs::write(
        dir.join("indicators.csv"),
        "id,component,name_fa,name_en,name_en_source\nI1,C1,شاخص یک,First indicator,paper\nI2,C1,شاخص دو,Second indicator,paper\n",
    )
    .unwrap();
    // I1: High, High, Very high -> mean (.583, .833, 1), crisp 2.4167 / 3 = 0.806: accepted at 0.7.
    // I2: Medium, Medium, High -> mean (1/3, 7/12, 5/6), crisp 1.75 / 3 = 0.583: rejected.
    fs::write(
        dir.join("ratings.csv"),
        "expert,indicator,rating\nE1,I1,high\nE2,I1,4\nE3,I1,Very high\nE1,I2,medium\nE2,I2,3\nE3,I2,زیاد\n",
    )
    .unwrap();
    let valid = run(&["validate", "--study", dir_arg]);
    assert_eq!(
        valid.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&valid.stderr)
    );
    let stdout = String::from_utf8_lossy(&valid.stdout);
    assert!(
        stdout.contains("valid: 1 of 2 indicators accepted at threshold 0.7"),
        "{stdout}"
    );

    let out = root.path().join("reports");
    let built = run(&[
        "build-report",
        "--study",
        dir_arg,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let report = fs::read_to_string(out.join("my-study/report.en.md")).unwrap();
    assert!(
        report.contains("| 1 | First indicator | 0.583 | 0.833 | 1.000 | 0.806 | accepted |"),
        "{report}"
    );
    assert!(
        report.contains("| 2 | Second indicator | 0.333 | 0.583 | 0.833 | 0.583 | rejected |"),
        "{report}"
    );
    assert!(out.join("my-study/figures/sensitivity.fa.svg").is_file());
}
