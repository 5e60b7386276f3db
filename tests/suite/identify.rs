//! Issue 14, method identification: `delphi-report identify` ranks scales, aggregations,
//! defuzzifications and readings of the printed counts' columns by the printed rows they reproduce.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Command;

use delphi_report::domain::{Aggregation, Defuzzification};

use common::{copy_reference_study, file_text, read_csv, reference_study};

#[test]
fn on_the_reference_study_it_finds_the_configured_scale_method_and_the_recorded_column_reading() {
    let found = delphi_report::identify(&reference_study()).unwrap();
    // Every five-level scale (the study's, five-point-quarters, five-point-fifths) x 3 x 4 x 5! = 120.
    assert_eq!((found.rows, found.readings), (48, 120));
    assert_eq!(found.ranked.len(), 3 * 3 * 4 * 120);
    // The study's scale and the five-point-quarters preset are the same table: a tie for rank 1, with
    // the arithmetic mean, the centroid and Table 6's columns read as transcribed (data/htsme-2024/
    // README.md, judgment 1). 32 rows: the 48 less the 16 the audit finds inconsistent.
    let top: Vec<(&str, Aggregation, Defuzzification, bool, usize, usize, bool)> = found.ranked
        [..3]
        .iter()
        .map(|r| {
            (
                found.scales[r.scale].name.as_str(),
                r.aggregation,
                r.defuzzification,
                r.reads_as_printed(),
                r.reproduced,
                r.rank,
                r.tied,
            )
        })
        .collect();
    let (am, centroid) = (Aggregation::ArithmeticMean, Defuzzification::Centroid);
    assert_eq!(top[0], ("study.yaml", am, centroid, true, 32, 1, true));
    assert_eq!(
        top[1],
        ("five-point-quarters", am, centroid, true, 32, 1, true)
    );
    assert!(top[2].4 < 32 && top[2].5 == 3);
    // Reading the first block's extracted order (high and very high exchanged) reproduces far fewer.
    let swapped = found
        .ranked
        .iter()
        .find(|r| {
            r.scale == 0
                && r.aggregation == am
                && r.defuzzification == centroid
                && r.reading == [0, 1, 2, 4, 3]
        })
        .unwrap();
    assert!(swapped.reproduced < 16, "{swapped:?}");
}

#[test]
fn the_command_prints_the_top_ten_and_says_ties_are_ties() {
    let out = Command::new(env!("CARGO_BIN_EXE_delphi-report"))
        .args(["identify", "--study", reference_study().to_str().unwrap()])
        .output()
        .unwrap();
    common::assert_succeeded(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| Rank"))
        .collect();
    assert_eq!(rows.len(), 10, "{text}");
    assert_eq!(
        rows[0],
        "| 1 (tie) | study.yaml | arithmetic-mean | centroid | as printed | 32 of 48 |"
    );
    assert!(
        text.contains("2 combinations tie for rank 1, each reproducing 32 of 48 rows."),
        "{text}"
    );
}

#[test]
fn without_a_printed_screening_table_identify_says_what_it_needs() {
    let study = copy_reference_study();
    let yaml = fs::read_to_string(study.path().join("study.yaml")).unwrap();
    fs::write(
        study.path().join("study.yaml"),
        yaml.replace("    screening: table7_published.csv\n", ""),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_delphi-report"))
        .args(["identify", "--study", study.path().to_str().unwrap()])
        .output()
        .unwrap();
    // Bad input (exit 3), naming the key that is missing.
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "study.yaml, key 'data.published.screening': identify needs a printed screening table"
        ),
        "{stderr}"
    );
}

/// SYNTHETIC: a paper that prints no scale. Its Table 7 was computed (3 decimals) from the
/// five-point-fifths scale, the arithmetic mean and the graded mean (l + 4m + u) / 6; its Table 6
/// prints the high and very high columns exchanged. The analyst's study.yaml guesses the quarters
/// scale and the centroid, and reads Table 6 as printed.
fn paper_without_a_printed_scale() -> tempfile::TempDir {
    use delphi_report::analysis::fuzzy::{aggregate, defuzzify};
    use delphi_report::config::presets::ScalePreset;
    use delphi_report::number::Exact;
    let true_counts: [[u64; 5]; 6] = [
        [0, 1, 2, 6, 6],
        [1, 1, 4, 3, 6],
        [0, 0, 6, 5, 4],
        [2, 2, 6, 3, 2],
        [0, 2, 5, 6, 2],
        [3, 2, 5, 3, 2],
    ];
    let fifths = ScalePreset::FivePointFifths.levels();
    let half = Exact::new(1, 2).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| fs::write(dir.path().join(name), text).unwrap();
    write(
        "study.yaml",
        "# SYNTHETIC test study: a paper that prints no scale (tests/suite/identify.rs)
id: no-printed-scale
title: {en: A paper without its scale (SYNTHETIC), fa: مقاله‌ای بی طیف (ساختگی)}
panels: {delphi_experts: 15}
scale: {preset: five-point-quarters}
method: {aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}
data:
  components: components.csv
  indicators: indicators.csv
  ratings: {shape: counts, path: table6_published.csv}
  published: {counts: table6_published.csv, screening: table7_published.csv}
",
    );
    write(
        "components.csv",
        "id,name_fa,name_en,name_en_source\nC1,مولفه,Component,paper\n",
    );
    let mut indicators = String::from("id,component,name_fa,name_en,name_en_source\n");
    let mut counts = String::from("indicator,very_low,low,medium,high,very_high\n");
    let mut screening = String::from("indicator,l,m,u,crisp,status\n");
    for (i, c) in true_counts.iter().enumerate() {
        let id = format!("I{}", i + 1);
        indicators.push_str(&format!(
            "{id},C1,شاخص {},Indicator {},paper\n",
            i + 1,
            i + 1
        ));
        // Printed with high and very high exchanged.
        counts.push_str(&format!(
            "{id},{},{},{},{},{}\n",
            c[0], c[1], c[2], c[4], c[3]
        ));
        let tfn = aggregate(Aggregation::ArithmeticMean, &fifths, c, None).unwrap();
        let crisp = defuzzify(Defuzzification::GradedMean, &tfn).unwrap();
        let status = if crisp.cmp_exact(half).is_lt() {
            "rejected"
        } else {
            "accepted"
        };
        screening.push_str(&format!(
            "{id},{},{},{},{},{status}\n",
            tfn.l.round_half_away(3),
            tfn.m.round_half_away(3),
            tfn.u.round_half_away(3),
            crisp.round_half_away(3)
        ));
    }
    write("indicators.csv", &indicators);
    write("table6_published.csv", &counts);
    write("table7_published.csv", &screening);
    dir
}

#[test]
fn for_a_paper_that_prints_no_scale_the_report_names_the_planted_scale_method_and_column_order() {
    let study = paper_without_a_printed_scale();
    let build = delphi_report::build_report(study.path()).unwrap();
    let en = file_text(&build.files, "report.en.md");
    let cell = en
        .split("\n## Cell ")
        .find(|c| {
            c.lines()
                .next()
                .unwrap_or("")
                .ends_with("· Method identification")
        })
        .expect("an identification cell");
    // Rank 1 is the planted combination alone: all 6 rows, high and very high read exchanged.
    assert!(
        cell.contains("| 1 | five-point-fifths | arithmetic mean | graded mean | High as Very high, Very high as High | 6 of 6 |"),
        "{cell}"
    );
    assert!(
        cell.contains("**Rank 1 is unique**: it reproduces 6 of 6 printed rows."),
        "{cell}"
    );
    // The analyst's guess is said not to be the print's method.
    assert!(
        cell.contains("**This study's configuration (the scale of `study.yaml`, arithmetic mean, centroid, Table 1 read as printed) is not at rank 1**: it is at rank "),
        "{cell}"
    );
    let (header, rows) = read_csv(&file_text(&build.files, "tables/identify.csv"));
    assert_eq!(
        header,
        [
            "rank",
            "tied",
            "scale",
            "aggregation",
            "defuzzification",
            "columns_read_as",
            "reproduced",
            "rows"
        ]
    );
    assert_eq!(
        rows[0],
        [
            "1",
            "no",
            "five-point-fifths",
            "arithmetic-mean",
            "graded-mean",
            "very_low low medium very_high high",
            "6",
            "6"
        ]
    );
    assert!(rows.iter().all(|r| r[6] != "0"));
    let fa = file_text(&build.files, "report.fa.md");
    assert!(fa.contains("شناسایی روش"), "{fa}");
    assert!(
        fa.contains("| ۱ | five-point-fifths | میانگین حسابی | میانگین درجه‌بندی‌شده | «زیاد» به‌عنوان «بسیار زیاد»، «بسیار زیاد» به‌عنوان «زیاد» | ۶ از ۶ |"),
        "{fa}"
    );
}

#[test]
fn the_reference_report_says_its_configuration_ties_for_rank_1() {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let en = file_text(&build.files, "report.en.md");
    assert!(
        en.contains("This study's configuration (the scale of `study.yaml`, arithmetic mean, centroid, Table 6 read as printed) is at rank 1, tied with 1 other combination: 32 of 48 printed rows."),
        "{en}"
    );
    assert!(en.contains(
        "The scales `study.yaml`, `five-point-quarters` hold the same triangular numbers"
    ));
    // Only the combinations that reproduce a row are listed; the file says which reading each is.
    let (_, rows) = read_csv(&file_text(&build.files, "tables/identify.csv"));
    assert_eq!(rows.len(), 38);
    assert_eq!(
        rows[0],
        [
            "1",
            "yes",
            "study.yaml",
            "arithmetic-mean",
            "centroid",
            "very_low low medium high very_high",
            "32",
            "48"
        ]
    );
    // A study without a printed screening table has no identification.
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/synthetic-three-rounds");
    let build = delphi_report::build_report(&example).unwrap();
    assert!(!build.files.contains_key("tables/identify.csv"));
    assert!(!file_text(&build.files, "report.en.md").contains("Method identification"));
}

#[test]
fn a_printed_table_of_statuses_only_leaves_nothing_to_rank() {
    let study = copy_reference_study();
    let path = study.path().join("table7_published.csv");
    let text = fs::read_to_string(&path).unwrap();
    let mut lines = text.lines();
    let mut statuses_only = format!("{}\n", lines.next().unwrap());
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        statuses_only.push_str(&format!("{},,,,,{}\n", fields[0], fields[5]));
    }
    fs::write(&path, statuses_only).unwrap();
    let build = delphi_report::build_report(study.path()).unwrap();
    let en = file_text(&build.files, "report.en.md");
    assert!(
        en.contains("No row of the printed Table 7 prints a number with its counts, so there is nothing to rank."),
        "{en}"
    );
    assert_eq!(
        file_text(&build.files, "tables/identify.csv"),
        "rank,tied,scale,aggregation,defuzzification,columns_read_as,reproduced,rows\n"
    );
}
