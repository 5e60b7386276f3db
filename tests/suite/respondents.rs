//! Issue 14, planted problems (every study here is SYNTHETIC, generated below): a printed table computed
//! without its first respondent, and one computed with a respondent counted twice. With per-expert
//! ratings the audit names the respondent and the panel the printed values come from.

use crate::common;

use std::fs;

use delphi_report::analysis::fuzzy::screen;
use delphi_report::analysis::{CountsRow, CountsTable};
use delphi_report::config::presets::ScalePreset;
use delphi_report::number::Exact;

use common::file_text;

const EXPERTS: usize = 12;
const INDICATORS: usize = 6;

/// SYNTHETIC ratings: expert e (0-based) gives indicator i level (e^2 + 3i + ei + e div 3) mod 5
/// (0-based). No two experts rate every indicator alike (checked below).
fn level_of(e: usize, i: usize) -> usize {
    (e * e + 3 * i + e * i + e / 3) % 5
}

fn expert_id(e: usize) -> String {
    format!("E{:02}", e + 1)
}

/// The printed screening table of the experts in `panel` (one listed twice counts twice), every value
/// rounded half away from zero at 3 decimals, as `table7_published.csv`.
fn printed_table(panel: &[usize]) -> String {
    let scale = ScalePreset::FivePointQuarters.levels();
    let counts = CountsTable {
        levels: scale.iter().map(|l| l.id.clone()).collect(),
        rows: (0..INDICATORS)
            .map(|i| {
                let mut counts = vec![0u64; 5];
                for &e in panel {
                    counts[level_of(e, i)] += 1;
                }
                CountsRow {
                    indicator: format!("I{}", i + 1),
                    counts,
                }
            })
            .collect(),
    };
    let half = Exact::new(1, 2).unwrap();
    let screened = screen(&scale, &counts, panel.len() as u64, half).unwrap();
    let mut text = String::from("indicator,l,m,u,crisp,status\n");
    for row in screened {
        let s = row.result.unwrap();
        text.push_str(&format!(
            "{},{},{},{},{},{}\n",
            row.indicator,
            s.fuzzy.l.round_half_away(3),
            s.fuzzy.m.round_half_away(3),
            s.fuzzy.u.round_half_away(3),
            s.crisp.round_half_away(3),
            s.status.as_str()
        ));
    }
    text
}

/// A study of the 12 experts' wide ratings, with `printed` as its published Table 7.
fn study(printed: &str) -> tempfile::TempDir {
    study_in(printed, Shape::Wide)
}

enum Shape {
    Wide,
    /// `expert,indicator,rating`, one row per rating, indicators first (the expert order is the
    /// order of first sight).
    Long,
}

fn study_in(printed: &str, shape: Shape) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| fs::write(dir.path().join(name), text).unwrap();
    write(
        "study.yaml",
        "# SYNTHETIC test study
id: planted
title: {en: Planted respondents (SYNTHETIC), fa: پاسخ‌دهندگان کاشته (ساختگی)}
panels: {delphi_experts: 12}
scale: {preset: five-point-quarters}
method: {aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}
data:
  components: components.csv
  indicators: indicators.csv
  ratings: {shape: SHAPE, path: ratings.csv}
  published: {screening: table7_published.csv}
"
        .replace(
            "SHAPE",
            match shape {
                Shape::Wide => "wide",
                Shape::Long => "long",
            },
        )
        .as_str(),
    );
    write(
        "components.csv",
        "id,name_fa,name_en,name_en_source\nC1,مولفه,Component,paper\n",
    );
    let mut indicators = String::from("id,component,name_fa,name_en,name_en_source\n");
    let mut header = String::from("expert");
    for i in 1..=INDICATORS {
        indicators.push_str(&format!("I{i},C1,شاخص {i},Indicator {i},paper\n"));
        header.push_str(&format!(",I{i}"));
    }
    write("indicators.csv", &indicators);
    let mut ratings = String::new();
    match shape {
        Shape::Wide => {
            ratings = header + "\n";
            for e in 0..EXPERTS {
                ratings.push_str(&expert_id(e));
                for i in 0..INDICATORS {
                    ratings.push_str(&format!(",{}", level_of(e, i) + 1));
                }
                ratings.push('\n');
            }
        }
        Shape::Long => {
            ratings.push_str("expert,indicator,rating\n");
            for i in 0..INDICATORS {
                for e in 0..EXPERTS {
                    ratings.push_str(&format!(
                        "{},I{},{}\n",
                        expert_id(e),
                        i + 1,
                        level_of(e, i) + 1
                    ));
                }
            }
        }
    }
    write("ratings.csv", &ratings);
    write("table7_published.csv", printed);
    dir
}

fn respondent_rows(audit_csv: &str) -> Vec<Vec<String>> {
    audit_csv
        .lines()
        .filter(|l| l.starts_with(",respondents,"))
        .map(|l| l.splitn(7, ',').map(String::from).collect())
        .collect()
}

#[test]
fn the_synthetic_experts_all_rate_differently() {
    for a in 0..EXPERTS {
        for b in a + 1..EXPERTS {
            assert!((0..INDICATORS).any(|i| level_of(a, i) != level_of(b, i)));
        }
    }
}

#[test]
fn a_table_computed_without_the_first_respondent_names_that_respondent_and_the_smaller_panel() {
    let without_first: Vec<usize> = (1..EXPERTS).collect();
    let dir = study(&printed_table(&without_first));
    let build = delphi_report::build_report(dir.path()).unwrap();
    let audit = file_text(&build.files, "tables/audit.csv");
    // The printed values disagree with the 12 experts' ratings.
    assert!(
        audit.contains(",mismatch,") || audit.contains(",infeasible,"),
        "{audit}"
    );
    let found = respondent_rows(&audit);
    assert_eq!(found[0][2..6], ["removed", "E01", "24", "match"], "{audit}");
    assert!(
        found[0][6].starts_with("24 of 24 printed values reproduced without E01 (11 respondents)"),
        "{found:?}"
    );
    // Only E01 reproduces them all.
    assert!(
        found.iter().skip(1).all(|r| r[5] == "mismatch"),
        "{found:?}"
    );
    let md = file_text(&build.files, "report.en.md");
    assert!(
        md.contains("- The printed values are those of the ratings without E01: with 11 respondents the data reproduce all 24 printed values"),
        "{md}"
    );
    // 12 singles and C(12, 2) = 66 pairs, removed only: the print fits no larger panel.
    assert!(
        md.contains("every single respondent and every pair was left out (78 sets)"),
        "{md}"
    );
    let fa = file_text(&build.files, "report.fa.md");
    assert!(
        fa.contains("مقادیر چاپ‌شده همان مقادیر نظرات بدون E01 است"),
        "{fa}"
    );
}

#[test]
fn a_table_computed_with_a_respondent_counted_twice_names_that_respondent() {
    let mut twice: Vec<usize> = (0..EXPERTS).collect();
    twice.push(4);
    let dir = study(&printed_table(&twice));
    let build = delphi_report::build_report(dir.path()).unwrap();
    let audit = file_text(&build.files, "tables/audit.csv");
    let found = respondent_rows(&audit);
    assert_eq!(
        found[0][2..6],
        ["duplicated", "E05", "24", "match"],
        "{audit}"
    );
    let md = file_text(&build.files, "report.en.md");
    assert!(
        md.contains("- The printed values are those of the ratings with E05 counted twice: with 13 respondents the data reproduce all 24 printed values"),
        "{md}"
    );
    assert!(md.contains("and counted twice (156 sets)"), "{md}");
}

#[test]
fn long_ratings_name_their_respondents_too() {
    let without_first: Vec<usize> = (1..EXPERTS).collect();
    let dir = study_in(&printed_table(&without_first), Shape::Long);
    let build = delphi_report::build_report(dir.path()).unwrap();
    let found = respondent_rows(&file_text(&build.files, "tables/audit.csv"));
    assert_eq!(found[0][2..6], ["removed", "E01", "24", "match"]);
}

#[test]
fn when_no_respondent_explains_the_print_the_audit_says_so() {
    // Every respondent, with one printed crisp value changed by a typo.
    let everyone: Vec<usize> = (0..EXPERTS).collect();
    let printed = printed_table(&everyone);
    let first_crisp = printed
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(4)
        .unwrap()
        .to_string();
    let typo = printed.replacen(&format!(",{first_crisp},"), ",0.999,", 1);
    assert_ne!(printed, typo);
    let dir = study(&typo);
    let build = delphi_report::build_report(dir.path()).unwrap();
    let md = file_text(&build.files, "report.en.md");
    assert!(
        md.contains("- No single respondent or pair of respondents left out reproduces every printed value: with every respondent once the data reproduce 23 of 24."),
        "{md}"
    );
    assert!(respondent_rows(&file_text(&build.files, "tables/audit.csv")).is_empty());
}

#[test]
fn a_sixty_expert_panel_without_its_first_expert_is_explained_by_that_expert() {
    // The benchmark's SYNTHETIC case (benches/pipeline.rs, audit_figures): 60 experts x 48 indicators
    // from a fixed LCG, printed without E00; 60 singles and 1770 pairs, removed and duplicated.
    use delphi_report::analysis::feasibility::PrintedMeans;
    use delphi_report::analysis::fuzzy::screen_counts;
    use delphi_report::analysis::respondents::{search, PrintedIndicator};
    use delphi_report::analysis::ExpertRatings;
    use delphi_report::domain::Method;
    use delphi_report::number::Printed;
    const N: usize = 60;
    const K: usize = 48;
    let scale = ScalePreset::FivePointQuarters.levels();
    let method = Method::paper(Exact::new(1, 2).unwrap());
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let cells: Vec<u8> = (0..N * K)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            [1u8, 2, 3, 3, 4, 4, 4, 5, 5, 5][(state >> 33) as usize % 10]
        })
        .collect();
    let counts_of = |from: usize| -> Vec<Vec<u64>> {
        (0..K)
            .map(|i| {
                let mut c = vec![0u64; 5];
                for e in from..N {
                    c[usize::from(cells[e * K + i] - 1)] += 1;
                }
                c
            })
            .collect()
    };
    let printed: Vec<PrintedIndicator> = counts_of(1)
        .iter()
        .enumerate()
        .map(|(position, c)| {
            let s = screen_counts(&method, &scale, c, None).unwrap();
            let p = |v: delphi_report::number::Num| {
                Some(Printed::parse(&v.round_half_away(3)).unwrap())
            };
            PrintedIndicator {
                position,
                means: PrintedMeans {
                    l: p(s.fuzzy.l),
                    m: p(s.fuzzy.m),
                    u: p(s.fuzzy.u),
                    crisp: p(s.crisp),
                    status: None,
                },
                counts: None,
            }
        })
        .collect();
    let names = (0..N).map(|e| format!("E{e:02}")).collect();
    let ratings = ExpertRatings::new(names, K, cells.clone()).unwrap();
    let started = std::time::Instant::now();
    let found = search(&method, &scale, &ratings, &counts_of(0), &printed, true);
    eprintln!(
        "60-expert respondent search (this profile): {:?}",
        started.elapsed()
    );
    assert_eq!(found.searched, 2 * (60 + 1770));
    let exact = found.exact().unwrap();
    assert_eq!(
        (exact.experts.clone(), exact.panel),
        (vec!["E00".to_string()], 59)
    );
}
