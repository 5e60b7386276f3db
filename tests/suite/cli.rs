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
    common::assert_succeeded(&built);
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
    common::assert_succeeded(&created);
    for file in [
        "study.yaml",
        "components.csv",
        "indicators.csv",
        "ratings.csv",
        "README.md",
        "report.en.md",
        "report.fa.md",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    // The documents start as the built-in report's, for the author to edit.
    let document = fs::read_to_string(dir.join("report.en.md")).unwrap();
    assert!(
        document.contains("{{ front() }}\n{{ cell(\"study\") }}\n"),
        "{document}"
    );
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
    common::assert_succeeded(&built);
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

    // The study's documents, as init wrote them, give the built-in report: without `document:`
    // every file but the manifest (which records the documents as inputs) is the same.
    common::edit_file(&dir.join("study.yaml"), |yaml| {
        let start = yaml.find("\ndocument:").unwrap();
        yaml[..start + 1].to_string()
    });
    let built_in = out.join("built-in");
    let rebuilt = run(&[
        "build-report",
        "--study",
        dir_arg,
        "--out",
        built_in.to_str().unwrap(),
    ]);
    common::assert_succeeded(&rebuilt);
    let (authored, built_in) = (
        common::tree(&out.join("my-study")),
        common::tree(&built_in.join("my-study")),
    );
    assert_eq!(
        authored.keys().collect::<Vec<_>>(),
        built_in.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &authored {
        // The manifest records the documents; the inputs table lists them; the workbooks and Word
        // documents hold the inputs table too.
        let differs = path == "manifest.json"
            || path.starts_with("report.")
            || path.starts_with("tables/tables.");
        assert_eq!(bytes == &built_in[path], !differs, "{path}");
    }
    // In the Markdown, the documents' rows of the inputs table are new, and the lines that count the
    // inputs or digest them change (study.yaml lost its `document:` block); nothing else.
    for lang in ["en", "fa"] {
        let name = format!("report.{lang}.md");
        let text = |files: &std::collections::BTreeMap<String, Vec<u8>>| {
            String::from_utf8(files[&name].clone()).unwrap()
        };
        let (authored, built_in) = (text(&authored), text(&built_in));
        let authored: Vec<&str> = authored
            .lines()
            .filter(|l| !l.starts_with("| report.en.md |") && !l.starts_with("| report.fa.md |"))
            .collect();
        let built_in: Vec<&str> = built_in.lines().collect();
        assert_eq!(authored.len(), built_in.len(), "{lang}");
        let changed: Vec<(&str, &str)> = authored
            .iter()
            .zip(&built_in)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (*a, *b))
            .collect();
        assert_eq!(changed.len(), 3, "{lang}: {changed:#?}");
        assert!(
            changed
                .iter()
                .all(|(line, _)| line.contains("SHA-256") || line.starts_with("| study.yaml |")),
            "{changed:#?}"
        );
    }
}

/// Each kind of error has its own exit code (README, "Exit codes"; `error.rs`): bad input 3, an output
/// that cannot be written 4, an internal error 5, and none of them leaves a partial report.
#[test]
fn each_kind_of_error_exits_with_its_own_code() {
    let stderr =
        |output: &std::process::Output| String::from_utf8_lossy(&output.stderr).to_string();

    // Input (3): a counts table with a cell that is not a number names file, row and column.
    let bad = copy_reference_study();
    common::replace_once(&bad.path().join("table6_published.csv"), "I01,", "I01,x");
    let out = tempfile::tempdir().unwrap();
    let args = |study: &std::path::Path| {
        vec![
            "build-report".to_string(),
            "--study".to_string(),
            study.display().to_string(),
            "--out".to_string(),
            out.path().display().to_string(),
        ]
    };
    let run_args = |args: Vec<String>| run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let input = run_args(args(bad.path()));
    assert_eq!(input.status.code(), Some(3), "{}", stderr(&input));
    assert!(
        stderr(&input).contains("table6_published.csv: row 1 (line 2), column"),
        "{}",
        stderr(&input)
    );

    // Output (4): the output folder is a file, so nothing can be written under it.
    let blocked = tempfile::tempdir().unwrap();
    let file = blocked.path().join("reports");
    fs::write(&file, "not a folder").unwrap();
    let output = run(&[
        "build-report",
        "--study",
        reference_study().to_str().unwrap(),
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot create the output folder"),
        "{}",
        stderr(&output)
    );

    // Internal (5): exact arithmetic the tool cannot do. SYNTHETIC scale: every vertex is a fraction
    // over its own prime near 10^6 (each within the limits study.yaml allows), so the sum l + m + u of
    // the crisp value needs a denominator beyond 128 bits.
    let huge = copy_reference_study();
    let primes = [
        999_983, 999_979, 999_961, 999_959, 999_953, 999_931, 999_917, 999_907, 999_883, 999_863,
        999_853, 999_809, 999_773, 999_769, 999_763,
    ];
    let quarters = [[0, 0, 1], [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 4]];
    let ids = ["very_low", "low", "medium", "high", "very_high"];
    let mut levels = String::new();
    for (level, (id, vertices)) in ids.iter().zip(quarters).enumerate() {
        let tfn: Vec<String> = vertices
            .iter()
            .enumerate()
            .map(|(v, &q)| {
                let prime = primes[level * 3 + v];
                format!("\"{}/{prime}\"", q * prime / 4)
            })
            .collect();
        levels.push_str(&format!(
            "    - {{id: {id}, label: {{en: L{level}, fa: L{level}}}, tfn: [{}]}}\n",
            tfn.join(", ")
        ));
    }
    common::edit_file(&huge.path().join("study.yaml"), |yaml| {
        let start = yaml.find("  levels:\n").unwrap() + "  levels:\n".len();
        let end = yaml.find("\nmethod:").unwrap();
        format!("{}{levels}{}", &yaml[..start], &yaml[end..])
    });
    let internal = run_args(args(huge.path()));
    assert_eq!(internal.status.code(), Some(5), "{}", stderr(&internal));
    assert!(
        stderr(&internal).contains("indicator I01: the ratings are too large to compute exactly"),
        "{}",
        stderr(&internal)
    );
    assert!(
        !stderr(&internal).contains("panicked"),
        "{}",
        stderr(&internal)
    );
    // No failed build wrote a report.
    assert!(!out.path().join("htsme-2024").exists());
}
