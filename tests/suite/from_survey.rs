//! Issue 13, item 4: `init --from-survey` scaffolds a study from a survey export (CSV or XLSX) that
//! validates once the scale is chosen, then builds. Every export here is SYNTHETIC.

use crate::common;

use std::fs;
use std::path::Path;

use common::{run, XlsxCell};

const METADATA: [&str; 6] = [
    "Timestamp",
    "Email Address",
    "Name",
    "Start time",
    "Completion time",
    "ID",
];

/// 40 question headers of 180 to 400 characters (commas, a quote, a line break among them), the 17th
/// over 1,024 characters: the lengths real Google Forms panels have.
fn long_headers() -> Vec<String> {
    (1..=40)
        .map(|q| {
            let mut text = format!(
                "Q{q}. In your experience, how important is factor number {q} (networks, capital, know-how, \"absorptive capacity\") for a high-tech SME entering its first foreign market?"
            );
            if q == 5 {
                text.push_str("\nPlease answer for the last three years.");
            }
            let target = if q == 17 { 1100 } else { 180 + (q * 37) % 221 };
            while text.chars().count() < target {
                text.push_str(" Consider the whole firm.");
            }
            text.chars().take(target).collect::<String>().trim_end().to_string()
        })
        .collect()
}

/// The answer of respondent `r` (1..15) to question `q` (1..40): a level of five-point-quarters, as a
/// label in the odd questions and as a number in the even ones.
fn answer(r: usize, q: usize) -> String {
    let level = (r * 7 + q * 3) % 5;
    if q % 2 == 1 {
        ["Very low", "Low", "Medium", "High", "Very high"][level].to_string()
    } else {
        (level + 1).to_string()
    }
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn export_csv(headers: &[String]) -> String {
    let mut header: Vec<String> = METADATA.iter().map(|m| quoted(m)).collect();
    header.extend(headers.iter().map(|h| quoted(h)));
    let mut csv = header.join(",") + "\n";
    for r in 1..=15 {
        let mut row = vec![
            format!("2025-03-{r:02} 10:00:00"),
            format!("expert{r}@example.org"),
            format!("Expert {r}"),
            format!("2025-03-{r:02} 09:50:00"),
            format!("2025-03-{r:02} 10:00:00"),
            r.to_string(),
        ];
        row.extend((1..=headers.len()).map(|q| answer(r, q)));
        csv.push_str(&row.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(","));
        csv.push('\n');
    }
    csv
}

fn text_of(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Scaffolds `export` into a new folder, checks that validate names the scale, chooses
/// five-point-quarters, and checks that the study validates with 40 indicators and builds.
fn scaffold_validate_and_build(export: &Path) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let study = root.path().join("panel");
    let study_arg = study.to_str().unwrap();
    let created = run(&["init", "--from-survey", export.to_str().unwrap(), study_arg]);
    assert!(created.status.success(), "{}", text_of(&created));
    let yaml = fs::read_to_string(study.join("study.yaml")).unwrap();
    assert!(yaml.contains("? \"Q1. In your experience"), "{yaml}");
    for column in METADATA {
        assert!(
            yaml.contains(&format!("        - \"{column}\"\n")),
            "{column}"
        );
    }
    assert!(yaml.contains("        : I40\n"));
    assert!(yaml.contains("delphi_experts: 15 "));

    // Before the scale is chosen, validate says that is what is left.
    let before = run(&["validate", "--study", study_arg]);
    assert_eq!(before.status.code(), Some(3), "{}", text_of(&before));
    assert!(
        text_of(&before).contains("'scale': no scale chosen"),
        "{}",
        text_of(&before)
    );

    common::replace_once(
        &study.join("study.yaml"),
        "  # preset: five-point-quarters\n",
        "  preset: five-point-quarters\n",
    );
    let valid = run(&["validate", "--study", study_arg]);
    assert!(valid.status.success(), "{}", text_of(&valid));
    assert!(
        text_of(&valid).contains("40 indicators (no components), 1 round of ratings, panel of 15"),
        "{}",
        text_of(&valid)
    );
    let out = root.path().join("reports");
    let built = run(&[
        "build-report",
        "--study",
        study_arg,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", text_of(&built));
    root
}

#[test]
fn a_google_forms_export_with_forty_long_headers_validates_once_the_scale_is_chosen() {
    let headers = long_headers();
    assert!(headers.iter().filter(|h| h.chars().count() > 1024).count() == 1);
    assert!(headers
        .iter()
        .all(|h| (180..=400).contains(&h.chars().count()) || h.chars().count() > 1024));
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("responses.csv");
    fs::write(&export, export_csv(&headers)).unwrap();
    let root = scaffold_validate_and_build(&export);
    let study = root.path().join("panel");
    // The export is copied, byte for byte; the indicators carry the question texts.
    assert_eq!(
        fs::read(study.join("responses.csv")).unwrap(),
        fs::read(&export).unwrap()
    );
    let indicators = fs::read_to_string(study.join("indicators.csv")).unwrap();
    assert_eq!(indicators.lines().count(), 41);
    // No components: the indicators are one group until the researcher groups them.
    assert!(
        indicators.starts_with("id,name_en,name_fa\n"),
        "{indicators}"
    );
    assert!(indicators.contains("I05,\"Q5. In your experience"));
    assert!(!study.join("components.csv").exists());
    // Counts of the first question, by hand: answer(r, 1) = (7r + 3) % 5 over r = 1..15 gives each
    // level three times.
    let counts_csv = common::numbered_tables(&study).0;
    let counts = fs::read_to_string(root.path().join("reports/panel").join(counts_csv)).unwrap();
    let row = counts.lines().find(|l| l.starts_with("I01,")).unwrap();
    assert!(row.contains(",3,3,3,3,3"), "{row}");
}

#[test]
fn a_microsoft_forms_workbook_scaffolds_the_same_way() {
    let headers = long_headers();
    let mut rows = vec![METADATA
        .iter()
        .map(|m| XlsxCell::Text(m.to_string()))
        .chain(headers.iter().map(|h| XlsxCell::Text(h.clone())))
        .collect::<Vec<_>>()];
    for r in 1..=15 {
        let mut row = vec![
            XlsxCell::Text(format!("2025-03-{r:02} 10:00:00")),
            XlsxCell::Text(format!("expert{r}@example.org")),
            XlsxCell::Text(format!("Expert {r}")),
            XlsxCell::Text(format!("2025-03-{r:02} 09:50:00")),
            XlsxCell::Text(format!("2025-03-{r:02} 10:00:00")),
            XlsxCell::Number(r as f64),
        ];
        row.extend((1..=headers.len()).map(|q| XlsxCell::Text(answer(r, q))));
        rows.push(row);
    }
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("Form1.xlsx");
    fs::write(&export, common::xlsx_bytes(&[("Form1", rows)])).unwrap();
    scaffold_validate_and_build(&export);
}

#[test]
fn answer_texts_no_preset_reads_are_left_to_map_and_validate_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    fs::write(
        &export,
        "Timestamp,How useful is A?,How useful is B?\n1,Extremely useful,Not useful at all\n2,Very high,Extremely useful\n",
    )
    .unwrap();
    let study = dir.path().join("study");
    let study_arg = study.to_str().unwrap();
    let created = run(&["init", "--from-survey", export.to_str().unwrap(), study_arg]);
    assert!(created.status.success(), "{}", text_of(&created));
    let yaml = fs::read_to_string(study.join("study.yaml")).unwrap();
    assert!(
        yaml.contains("  #   \"Very high\" -> very_high\n"),
        "{yaml}"
    );
    assert!(yaml.contains("      # answers:\n      #   \"Extremely useful\": \n      #   \"Not useful at all\": \n"), "{yaml}");
    common::replace_once(
        &study.join("study.yaml"),
        "  # preset: five-point-quarters\n",
        "  preset: five-point-quarters\n",
    );
    let left = text_of(&run(&["validate", "--study", study_arg]));
    assert!(left.contains("3 problems in"), "{left}");
    assert!(
        left.contains("row 1 (line 2), column 'How useful is A?'"),
        "{left}"
    );
    assert!(left.contains("found 'Extremely useful'"), "{left}");
    assert!(
        left.contains("row 2 (line 3), column 'How useful is B?'"),
        "{left}"
    );
    assert!(left.contains("found 'Not useful at all'"), "{left}");
    // Mapping the two texts is all that is left.
    common::replace_once(
        &study.join("study.yaml"),
        "      # answers:\n      #   \"Extremely useful\": \n      #   \"Not useful at all\": \n",
        "      answers:\n        \"Extremely useful\": very_high\n        \"Not useful at all\": very_low\n",
    );
    let valid = run(&["validate", "--study", study_arg]);
    assert!(valid.status.success(), "{}", text_of(&valid));
}

#[test]
fn init_from_survey_refuses_a_folder_that_is_not_empty_and_an_export_without_questions() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    fs::write(&export, "Timestamp,Email\n1,a@b\n").unwrap();
    let study = dir.path().join("study");
    let output = run(&[
        "init",
        "--from-survey",
        export.to_str().unwrap(),
        study.to_str().unwrap(),
    ]);
    // The export is bad input (exit 3), named with what is wrong.
    assert_eq!(output.status.code(), Some(3), "{}", text_of(&output));
    assert!(
        text_of(&output).contains("no question column"),
        "{}",
        text_of(&output)
    );
    assert!(!study.exists());
    let missing = run(&[
        "init",
        "--from-survey",
        "nosuch.csv",
        study.to_str().unwrap(),
    ]);
    assert_eq!(missing.status.code(), Some(3), "{}", text_of(&missing));
    assert!(text_of(&missing).contains("nosuch.csv"));
}

// Issue 13, item 2: ignore patterns, every unmapped column in one error, and a hint for a misspelt key.
#[test]
fn ignore_patterns_match_metadata_and_every_unmapped_column_is_named_with_a_hint_for_a_typo() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("export.csv");
    fs::write(
        &export,
        "Timestamp,Your e-mail is:,Your name is:,How important is capital?,How important is networking?\n1,a,b,3,4\n",
    )
    .unwrap();
    let study = dir.path().join("study");
    let study_arg = study.to_str().unwrap();
    assert!(
        run(&["init", "--from-survey", export.to_str().unwrap(), study_arg])
            .status
            .success()
    );
    let yaml = study.join("study.yaml");
    // The metadata answers "a" and "b" are no level: the preset that reads the rest is suggested.
    common::replace_once(
        &yaml,
        "  # preset: four-point-thirds\n",
        "  preset: four-point-thirds\n",
    );
    // The two "Your ... is:" columns were taken for questions; a pattern ignores both.
    common::replace_once(
        &yaml,
        "        - \"Timestamp\"\n",
        "        - \"Timestamp\"\n        - \"Your * is:\"\n",
    );
    common::edit_file(&yaml, |t| {
        t.replace("        ? \"Your e-mail is:\"\n        : I01\n        ? \"Your name is:\"\n        : I02\n", "")
            .replace(": I03\n", ": I01\n")
            .replace(": I04\n", ": I02\n")
    });
    fs::write(
        study.join("indicators.csv"),
        "id,name_en,name_fa\nI01,a,a\nI02,b,b\n",
    )
    .unwrap();
    let valid = run(&["validate", "--study", study_arg]);
    assert!(valid.status.success(), "{}", text_of(&valid));

    // Without the pattern, both columns are named in one run; a misspelt key gets the nearest header.
    common::replace_once(&yaml, "        - \"Your * is:\"\n", "");
    common::replace_once(
        &yaml,
        "? \"How important is capital?\"",
        "? \"How importnat is capital?\"",
    );
    let output = run(&["validate", "--study", study_arg]);
    assert_eq!(output.status.code(), Some(3));
    let text = text_of(&output);
    assert!(text.contains("4 problems in"), "{text}");
    assert!(
        text.contains("column 'Your e-mail is:': this column is neither a question"),
        "{text}"
    );
    assert!(
        text.contains("column 'Your name is:': this column is neither a question"),
        "{text}"
    );
    assert!(
        text.contains("column 'How important is capital?': this column is neither"),
        "{text}"
    );
    assert!(
        text.contains("column 'How importnat is capital?': data.ratings.survey.questions names this column, but the file has no such header; the nearest column header is 'How important is capital?'"),
        "{text}"
    );
}
