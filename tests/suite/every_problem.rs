//! Issue 13, item 5: a data file with several problems reports them all in one run (up to 20 listed,
//! the rest counted), each with its file, row, line and column, whichever reader reads it. Each case
//! plants SYNTHETIC problems in a copy of a study and checks every one is named, with exit code 3.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{copy_reference_study, run};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/studies")
        .join(name)
}

/// A copy of a fixture study in a temporary folder.
fn copy_fixture(name: &str) -> tempfile::TempDir {
    crate::common::copy_study(&fixture(name))
}

/// `validate` fails with exit 3 and a message that starts `N problems in <file>` and names every
/// expected location and text.
fn assert_problems(dir: &Path, file: &str, count: usize, expected: &[&str]) {
    let output = run(&["validate", "--study", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr).replace(dir.to_str().unwrap(), "<study>");
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: {count} problems in <study>/{file}")),
        "{stderr}"
    );
    for line in expected {
        assert!(stderr.contains(line), "{line}\n{stderr}");
    }
}

#[test]
fn components_name_every_repeated_id_and_empty_name() {
    let dir = copy_reference_study();
    let components = dir.path().join("components.csv");
    let text = fs::read_to_string(&components).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    // Row 2 repeats row 1's id; row 3 loses its Persian name.
    let first_id = lines[1].split(',').next().unwrap().to_string();
    let second: Vec<&str> = lines[2].splitn(2, ',').collect();
    lines[2] = format!("{first_id},{}", second[1]);
    let mut third: Vec<String> = lines[3].split(',').map(String::from).collect();
    third[1] = String::new();
    lines[3] = third.join(",");
    fs::write(&components, lines.join("\n") + "\n").unwrap();
    assert_problems(
        dir.path(),
        "components.csv",
        2,
        &[
            &format!("components.csv: row 2 (line 3), column 'id': id '{first_id}' appears twice"),
            "components.csv: row 3 (line 4), column 'name_fa': empty cell; expected the Persian name",
        ],
    );
}

#[test]
fn long_ratings_name_every_bad_row_in_file_order() {
    let dir = copy_fixture("english-only");
    let ratings = dir.path().join("ratings.csv");
    let text = fs::read_to_string(&ratings).unwrap();
    let broken = text
        .replacen("E2,I1,high", "E2,I9,high", 1)
        .replacen("E3,I2,medium", "E3,I2,huge", 1)
        .replacen("E4,I3,medium", "E4,I3,", 1);
    assert_ne!(broken, text);
    fs::write(&ratings, broken).unwrap();
    assert_problems(
        dir.path(),
        "ratings.csv",
        3,
        &[
            "ratings.csv: row 2 (line 3), column 'indicator': unknown indicator id 'I9'",
            "ratings.csv: row 7 (line 8), column 'rating': expected",
            "found 'huge'",
            "ratings.csv: row 12 (line 13), column 'rating': empty cell",
        ],
    );
}

#[test]
fn wide_ratings_and_a_codebook_name_every_problem() {
    let dir = copy_fixture("persian-only");
    fs::write(
        dir.path().join("ratings.csv"),
        "expert,I1,I2,I3,I4\nE1,3,1,2,زیاد\nE1,زیاد,9,متوسط,1\nE3,2,1,x,2\n",
    )
    .unwrap();
    assert_problems(
        dir.path(),
        "ratings.csv",
        3,
        &[
            "ratings.csv: row 2 (line 3), column 'expert': expert 'E1' has two rows (first at row 1)",
            "ratings.csv: row 2 (line 3), column 'I2': expected",
            "ratings.csv: row 3 (line 4), column 'I3': expected",
        ],
    );
    let coding = copy_fixture("coding-only");
    let codebook = coding.path().join("codebook.csv");
    let text = fs::read_to_string(&codebook).unwrap();
    fs::write(
        &codebook,
        text.replacen(
            "Networking,شبکه‌سازی,Networking,coded",
            "Networking,,Networking,coded",
            1,
        )
        .replacen(",Capital,coded", ",Capital,guessed", 1),
    )
    .unwrap();
    assert_problems(
        coding.path(),
        "codebook.csv",
        2,
        &[
            "codebook.csv: row 1 (line 2), column 'name_fa': empty cell; expected the Persian name",
            "column 'name_en_source': expected 'paper', 'translation' or 'coded', found 'guessed'",
        ],
    );
}

#[test]
fn respondents_name_every_unknown_category() {
    let dir = copy_fixture("coding-only");
    fs::write(
        dir.path().join("respondents.csv"),
        "respondent,panel,gender\nA1,interview,woman?\nA2,jury,male\n",
    )
    .unwrap();
    assert_problems(
        dir.path(),
        "respondents.csv",
        2,
        &[
            "respondents.csv: row 1 (line 2), column 'gender': 'woman?' is not a configured category",
            "respondents.csv: row 2 (line 3), column 'panel': 'jury' is not a configured category",
        ],
    );
}

#[test]
fn a_refi_qda_project_names_every_bad_selection() {
    // The coding-only study reading the SYNTHETIC fixture project instead of its CSV, with one
    // selection past the end of its text and one ending before it starts.
    let dir = copy_fixture("coding-only");
    let archive = crate::common::qdpx_bytes("project.qde", "sources", |xml| {
        xml.replacen(
            r#"startPosition="49" endPosition="78""#,
            r#"startPosition="49" endPosition="9999""#,
            1,
        )
        .replacen(
            r#"startPosition="80" endPosition="109""#,
            r#"startPosition="80" endPosition="70""#,
            1,
        )
    });
    fs::write(dir.path().join("interviews.qdpx"), archive).unwrap();
    crate::common::replace_once(
        &dir.path().join("study.yaml"),
        "segments: {format: project-csv, path: segments.csv}",
        "segments: {format: qdpx, path: interviews.qdpx}",
    );
    assert_problems(
        dir.path(),
        "interviews.qdpx/project.qde",
        2,
        &[
            "project.qde: line 72: selection 5e000001-0000-4000-8000-000000000002",
            "project.qde: line 77: selection 5e000001-0000-4000-8000-000000000003",
            "startPosition 80 is after endPosition 70",
        ],
    );
}

/// `validate`'s stderr with the study folder written `<study>`, after checking exit code 3.
fn validate_fails(dir: &Path) -> String {
    let output = run(&["validate", "--study", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr).replace(dir.to_str().unwrap(), "<study>");
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    stderr
}

#[test]
fn problems_in_several_files_are_named_in_one_run_and_a_file_that_needs_a_broken_one_waits() {
    // SYNTHETIC breakage of a copy of the reference study: three independent files, one problem
    // each. The indicators need the components, so they are read only once the components are
    // fixed: the planted problem in the indicators file is named in the second run, not the first.
    let dir = copy_reference_study();
    let study = dir.path();
    let edit = |file: &str, from: &str, to: &str| {
        let path = study.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "components.csv",
        "\ncooperative_competition,",
        "\nnetworking,",
    );
    edit("demographics_published.csv", ",=,74,", ",=,seventy-four,");
    edit(
        "table3_design.csv",
        "\nqualitative,بخش کیفی,",
        "\n,بخش کیفی,",
    );
    edit("indicators.csv", "\nI02,networking,", "\nI01,networking,");
    let first = validate_fails(study);
    assert!(
        first.starts_with("error: 3 problems in 3 files:\n"),
        "{first}"
    );
    for (file, line) in [
        (
            "components.csv",
            "row 2 (line 3), column 'id': id 'networking' appears twice",
        ),
        (
            "demographics_published.csv",
            "row 1 (line 2), column 'percent'",
        ),
        ("table3_design.csv", "row 1 (line 2), column 'phase'"),
    ] {
        assert!(
            first.contains(&format!("<study>/{file}: {line}")),
            "{file}\n{first}"
        );
    }
    assert!(!first.contains("indicators.csv"), "{first}");
    // The components fixed: the indicators are read, and their problem named with the others.
    edit(
        "components.csv",
        "\nnetworking,رقابت",
        "\ncooperative_competition,رقابت",
    );
    let second = validate_fails(study);
    assert!(
        second.starts_with("error: 3 problems in 3 files:\n"),
        "{second}"
    );
    assert!(
        second.contains(
            "<study>/indicators.csv: row 2 (line 3), column 'id': id 'I01' appears twice"
        ),
        "{second}"
    );
    assert!(!second.contains("components.csv"), "{second}");
}
