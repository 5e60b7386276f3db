//! The SYNTHETIC worked example `examples/synthetic-three-rounds`: its data files are generated here from
//! a design table (counts per indicator, level and round), and the whole pipeline is checked on it:
//! survey exports (Google Forms CSV, Microsoft Forms XLSX), expert agreement and the combined rule,
//! rounds and the stop rule, and the sensitivity sweep. Every expert and rating is invented.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{file_text, read_csv, xlsx_bytes, XlsxCell};
use delphi_report::analysis::fuzzy::Shortfall;
use delphi_report::analysis::Status;
use delphi_report::number::{Exact, Num};

const LEVEL_IDS: [&str; 7] = [
    "very_low",
    "low",
    "medium_low",
    "medium",
    "medium_high",
    "high",
    "very_high",
];
/// How the Google Forms grid labels its answers; two of them are mapped in study.yaml.
const FORM_LABELS: [&str; 7] = [
    "Very low",
    "Low",
    "Fairly low",
    "Medium",
    "Fairly high",
    "High",
    "Very high",
];
const QUESTION: &str = "How important is each factor for entering a foreign market?";
/// (id, component, English name, Persian name)
const INDICATORS: [(&str, &str, &str, &str); 8] = [
    (
        "I1",
        "C1",
        "Access to foreign distribution networks",
        "دسترسی به شبکه‌های توزیع خارجی",
    ),
    (
        "I2",
        "C1",
        "Knowledge of foreign customers",
        "شناخت مشتریان خارجی",
    ),
    (
        "I3",
        "C1",
        "Export pricing flexibility",
        "انعطاف قیمت‌گذاری صادراتی",
    ),
    (
        "I4",
        "C1",
        "Government export incentives",
        "مشوق‌های صادراتی دولت",
    ),
    ("I5", "C2", "Patented technology", "فناوری ثبت‌شده"),
    (
        "I6",
        "C2",
        "Product adaptation capability",
        "توان انطباق محصول",
    ),
    (
        "I7",
        "C2",
        "International experience of managers",
        "تجربهٔ بین‌المللی مدیران",
    ),
    (
        "I8",
        "C2",
        "Size of the domestic market",
        "اندازهٔ بازار داخلی",
    ),
];

/// Experts per level (VL, L, ML, M, MH, H, VH) for each indicator in rounds 1, 2 and 3; see the
/// example's README for what each row is meant to show.
const DESIGN: [[[usize; 7]; 3]; 8] = [
    [
        [0, 0, 0, 2, 3, 3, 2],
        [0, 0, 0, 0, 2, 5, 3],
        [0, 0, 0, 0, 0, 6, 4],
    ],
    [
        [0, 0, 3, 2, 0, 2, 3],
        [0, 0, 2, 2, 0, 2, 4],
        [0, 0, 3, 3, 0, 2, 2],
    ],
    [
        [0, 0, 0, 3, 5, 2, 0],
        [0, 0, 0, 1, 7, 2, 0],
        [0, 0, 0, 0, 8, 2, 0],
    ],
    [
        [0, 0, 4, 4, 2, 0, 0],
        [0, 0, 3, 5, 2, 0, 0],
        [0, 0, 3, 5, 2, 0, 0],
    ],
    [
        [0, 0, 0, 4, 4, 2, 0],
        [0, 0, 0, 3, 5, 2, 0],
        [0, 0, 0, 2, 5, 2, 1],
    ],
    [
        [0, 2, 4, 3, 1, 0, 0],
        [0, 0, 3, 4, 3, 0, 0],
        [0, 0, 0, 5, 5, 0, 0],
    ],
    [
        [0, 0, 0, 0, 0, 4, 6],
        [0, 0, 0, 0, 0, 3, 7],
        [0, 0, 0, 0, 0, 3, 7],
    ],
    [
        [0, 3, 3, 3, 1, 0, 0],
        [0, 2, 4, 3, 1, 0, 0],
        [0, 1, 5, 3, 1, 0, 0],
    ],
];
const EXPERTS: usize = 10;

fn example_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/synthetic-three-rounds")
}

/// The level (0-based) expert `expert` gives indicator `indicator` in `round`: the indicator's ratings
/// in ascending order, dealt to the experts from a different starting expert per indicator.
fn level(indicator: usize, round: usize, expert: usize) -> usize {
    let ratings: Vec<usize> = DESIGN[indicator][round]
        .iter()
        .enumerate()
        .flat_map(|(level, &count)| std::iter::repeat_n(level, count))
        .collect();
    assert_eq!(ratings.len(), EXPERTS);
    ratings[(expert + 3 * indicator) % EXPERTS]
}

fn quoted(fields: &[String]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
        .collect();
    format!("{}\n", quoted.join(","))
}

/// Every generated data file of the example, by name.
fn example_files() -> Vec<(&'static str, Vec<u8>)> {
    let mut components = String::from("id,name_fa,name_en,name_en_source\n");
    components.push_str("C1,دسترسی به بازار,Market access,paper\n");
    components.push_str("C2,توانمندی‌های بنگاه,Firm capabilities,paper\n");
    let mut indicators = String::from("id,component,name_fa,name_en,name_en_source\n");
    for (id, component, en, fa) in INDICATORS {
        indicators.push_str(&format!("{id},{component},{fa},{en},paper\n"));
    }

    // Round 1: Google Forms quotes every field; grid questions are "Question [row]".
    let mut header = vec!["Timestamp".to_string(), "Email Address".to_string()];
    header.extend(
        INDICATORS
            .iter()
            .map(|(_, _, en, _)| format!("{QUESTION} [{en}]")),
    );
    let mut google = quoted(&header);
    for expert in 0..EXPERTS {
        let mut row = vec![
            format!("2025/01/12 {:02}:{:02}:05", 9 + expert / 4, 7 * expert % 60),
            format!("e{:02}@example.org", expert + 1),
        ];
        row.extend((0..INDICATORS.len()).map(|i| FORM_LABELS[level(i, 0, expert)].to_string()));
        google.push_str(&quoted(&row));
    }

    // Round 2: Microsoft Forms, one column per question, rating answers as numbers.
    let text = |t: String| XlsxCell::Text(t);
    let mut rows = Vec::new();
    let mut header: Vec<XlsxCell> = ["ID", "Start time", "Completion time", "Email", "Name"]
        .iter()
        .map(|h| text(h.to_string()))
        .collect();
    header.extend(INDICATORS.iter().map(|(_, _, en, _)| text(en.to_string())));
    rows.push(header);
    for expert in 0..EXPERTS {
        let mut row = vec![
            XlsxCell::Number((expert + 1) as f64),
            text(format!("1/20/25 10:{:02}:11", 2 * expert)),
            text(format!("1/20/25 10:{:02}:48", 2 * expert + 1)),
            text(format!("e{:02}@example.org", expert + 1)),
            text(format!("Expert {:02}", expert + 1)),
        ];
        row.extend(
            (0..INDICATORS.len()).map(|i| XlsxCell::Number((level(i, 1, expert) + 1) as f64)),
        );
        rows.push(row);
    }
    let workbook = xlsx_bytes(&[("Form1", rows)]);

    // Round 3: long, level ids.
    let mut long = String::from("expert,indicator,rating\n");
    for expert in 0..EXPERTS {
        for (i, (id, ..)) in INDICATORS.iter().enumerate() {
            long.push_str(&format!(
                "E{:02},{id},{}\n",
                expert + 1,
                LEVEL_IDS[level(i, 2, expert)]
            ));
        }
    }
    vec![
        ("components.csv", components.into_bytes()),
        ("indicators.csv", indicators.into_bytes()),
        ("round1_google_forms.csv", google.into_bytes()),
        ("round2_microsoft_forms.xlsx", workbook),
        ("round3_long.csv", long.into_bytes()),
    ]
}

#[test]
#[ignore = "writes the example's data files; run with --ignored regenerate"]
fn regenerate_example_data() {
    for (name, bytes) in example_files() {
        fs::write(example_folder().join(name), bytes).unwrap();
    }
}

#[test]
fn committed_example_data_is_what_the_design_generates() {
    for (name, bytes) in example_files() {
        let committed = fs::read(example_folder().join(name)).unwrap();
        assert!(
            committed == bytes,
            "{name} differs from the design; run `cargo test --test worked_example -- --ignored regenerate`"
        );
    }
}

fn q(num: i128, den: i128) -> Exact {
    Exact::new(num, den).unwrap()
}

#[test]
fn the_three_rounds_are_read_from_their_exports_as_designed() {
    let (_, data) = delphi_report::ingest::load_folder(&example_folder()).unwrap();
    assert_eq!(data.rounds.len(), 3);
    for (round_index, round) in data.rounds.iter().enumerate() {
        for (indicator, row) in round.counts.rows.iter().enumerate() {
            let expected: Vec<u64> = DESIGN[indicator][round_index]
                .iter()
                .map(|&c| c as u64)
                .collect();
            assert_eq!(
                row.counts,
                expected,
                "round {} {}",
                round_index + 1,
                row.indicator
            );
        }
    }
}

#[test]
fn agreement_decisions_and_reasons_match_hand_computations() {
    let (study, data) = delphi_report::ingest::load_folder(&example_folder()).unwrap();
    let analysis = delphi_report::analyse(&study, &data).unwrap();
    let result = |id: &str| {
        analysis
            .screening
            .iter()
            .find(|r| r.indicator == id)
            .unwrap()
            .result
            .unwrap()
    };
    let reasons = |id: &str| result(id).shortfalls(study.threshold(), study.method().decision);
    // I1, round 3: six H (.7, .9, 1) and four VH (.9, 1, 1): mean (.78, .94, 1), crisp 2.72 / 3 = 68/75.
    assert_eq!(result("I1").crisp, Num::Exact(q(68, 75)));
    assert_eq!(result("I1").status, Status::Accepted);
    // I2: 3 ML, 3 M, 2 H, 2 VH: mean (.44, .62, .76), crisp 1.82 / 3 = 91/150 = 0.607 >= 0.6. Sums of
    // squares: ML .2856, M .0376, H .2036, VH .4136; only M is within 3 * 0.2² = 0.12: 3 of 10 agree.
    // Mean d = (3 √(.2856/3) + 3 √(.0376/3) + 2 √(.2036/3) + 2 √(.4136/3)) / 10 = 0.2525 > 0.2.
    let i2 = result("I2");
    assert_eq!(i2.crisp, Num::Exact(q(91, 150)));
    assert_eq!((i2.agreement.agreeing, i2.agreement.share), (3, q(3, 10)));
    assert!((i2.agreement.mean_distance.to_f64() - 0.2525).abs() < 5e-5);
    assert_eq!(
        reasons("I2"),
        vec![Shortfall::TooDistant, Shortfall::TooFewAgree]
    );
    // I4: 3 ML, 5 M, 2 MH: crisp 12/25 = 0.48 < 0.6; 8 of 10 agree.
    assert_eq!(result("I4").crisp, Num::Exact(q(12, 25)));
    assert_eq!(reasons("I4"), vec![Shortfall::BelowThreshold]);
    // I5: 2 M, 5 MH, 2 H, 1 VH: mean (.54, .73, .89), crisp 0.72. Sums of squares: M .1466 (out),
    // MH .0026, H .0666 (in), VH .2146 (out): 7 of 10 agree, 70% < 75%; mean d 0.115 <= 0.2.
    let i5 = result("I5");
    assert_eq!(i5.crisp, Num::Exact(q(18, 25)));
    assert_eq!(i5.agreement.agreeing, 7);
    assert!(i5.agreement.close);
    assert_eq!(reasons("I5"), vec![Shortfall::TooFewAgree]);
    // I6: 5 M, 5 MH: mean (.4, .6, .8), crisp exactly 0.6 = the threshold (accepted); every
    // distance is √(3 × 0.01 / 3) = 0.1.
    let i6 = result("I6");
    assert_eq!(i6.crisp, Num::Exact(q(3, 5)));
    assert_eq!(i6.status, Status::Accepted);
    assert!((i6.agreement.mean_distance.to_f64() - 0.1).abs() < 1e-12);
    // I8: L, 5 ML, 3 M, MH: crisp 23/60 = 0.383.
    assert_eq!(reasons("I8"), vec![Shortfall::BelowThreshold]);
    let accepted: Vec<&str> = analysis
        .screening
        .iter()
        .filter(|r| r.result.unwrap().status == Status::Accepted)
        .map(|r| r.indicator.as_str())
        .collect();
    assert_eq!(accepted, ["I1", "I3", "I6", "I7"]);
}

#[test]
fn stability_and_sensitivity_match_hand_computations() {
    let (study, data) = delphi_report::ingest::load_folder(&example_folder()).unwrap();
    let analysis = delphi_report::analyse(&study, &data).unwrap();
    let stable: Vec<(&str, Option<bool>)> = analysis
        .trajectories
        .iter()
        .map(|t| (t.indicator.as_str(), t.stable))
        .collect();
    // Only I2 moves by more than 0.1 from round 2 to 3: 91/150 - 18/25 = -17/150 = -0.113.
    assert_eq!(
        stable,
        [
            ("I1", Some(true)),
            ("I2", Some(false)),
            ("I3", Some(true)),
            ("I4", Some(true)),
            ("I5", Some(true)),
            ("I6", Some(true)),
            ("I7", Some(true)),
            ("I8", Some(true)),
        ]
    );
    assert_eq!(
        analysis.trajectories[1].changes[1],
        Some(Num::Exact(q(-17, 150)))
    );
    // I6 moves from 1/2 to 3/5: exactly 0.1, stable because the rule is inclusive. In f64,
    // 0.6 - 0.5 is 0.09999999999999998 and (0.4 + 0.6 + 0.8) / 3 is 0.6 only by luck of rounding.
    assert_eq!(
        analysis.trajectories[5].changes[1],
        Some(Num::Exact(q(1, 10)))
    );
    // Thresholds 0.5, 0.55, ..., 0.8. I3 (crisp 11/15 = 0.733) is accepted up to 0.7; I6 (0.6) up
    // to 0.6; every other indicator keeps its verdict.
    assert_eq!(study.sensitivity_thresholds().len(), 7);
    let flipping: Vec<&str> = analysis
        .sensitivity
        .iter()
        .filter(|v| v.flips())
        .map(|v| v.indicator.as_str())
        .collect();
    assert_eq!(flipping, ["I3", "I6"]);
    let last =
        |index: usize| analysis.sensitivity[index].last_accepted(study.sensitivity_thresholds());
    assert_eq!(last(2), Some(q(7, 10)));
    assert_eq!(last(5), Some(q(3, 5)));
}

#[test]
fn the_report_shows_agreement_rounds_and_sensitivity_in_both_languages() {
    let build = delphi_report::build_report(&example_folder()).unwrap();
    let en = file_text(&build.files, "report.en.md");
    assert!(en.contains("## Cell 7 · Rounds and stability"), "{en}");
    assert!(en.contains("**7** of 8 indicators are stable"), "{en}");
    assert!(
        en.contains("Not yet stable: Knowledge of foreign customers (2)."),
        "{en}"
    );
    assert!(en.contains("## Cell 8 · Expert agreement"), "{en}");
    assert!(
        en.contains("| 5 | Patented technology | 0.115 | 7 of 10 | 70 | yes | no |"),
        "{en}"
    );
    assert!(
        en.contains("Rejected: Knowledge of foreign customers (2: mean distance above 0.2, fewer than 75% of experts agree); Government export incentives (4: crisp below 0.6);"),
        "{en}"
    );
    assert!(
        en.contains("## Cell 9 · Sensitivity to the threshold"),
        "{en}"
    );
    assert!(en.contains("**2** change verdict"), "{en}");
    assert!(en.contains("![Verdict of each indicator"), "{en}");
    let fa = file_text(&build.files, "report.fa.md");
    assert!(fa.contains("دورها و پایداری"), "{fa}");
    assert!(
        fa.contains("| ۵ | فناوری ثبت‌شده | ۰٫۱۱۵ | ۷ از ۱۰ | ۷۰ | بله | خیر |"),
        "{fa}"
    );
    let svg = file_text(&build.files, "figures/sensitivity.fa.svg");
    assert!(svg.contains("ردیف ۶ (۰٫۶۰۰)"), "{svg}");
    let (header, rows) = read_csv(&file_text(&build.files, "tables/rounds.csv"));
    assert_eq!(header.last().unwrap(), "stable");
    assert_eq!(rows[1].last().unwrap(), "no");
    let screening = common::numbered_tables(&example_folder()).1;
    let (header, rows) = read_csv(&file_text(&build.files, &screening));
    assert_eq!(header.last().unwrap(), "reason");
    assert_eq!(rows[1].last().unwrap(), "mean-distance agreement");
    // I2's experts per level, with the distances of the hand computation above.
    let (_, rows) = read_csv(&file_text(&build.files, "tables/distances.csv"));
    let i2: Vec<(String, String, f64, String)> = rows
        .iter()
        .filter(|r| r[0] == "I2")
        .map(|r| {
            (
                r[2].clone(),
                r[3].clone(),
                r[4].parse().unwrap(),
                r[5].clone(),
            )
        })
        .collect();
    let expected = [
        ("medium_low", "3", 0.308545, "no"),
        ("medium", "3", 0.111952, "yes"),
        ("high", "2", 0.260512, "no"),
        ("very_high", "2", 0.371304, "no"),
    ];
    assert_eq!(i2.len(), expected.len());
    for (found, (level, experts, distance, agrees)) in i2.iter().zip(expected) {
        assert_eq!(
            (found.0.as_str(), found.1.as_str(), found.3.as_str()),
            (level, experts, agrees)
        );
        assert!((found.2 - distance).abs() < 1e-6, "{found:?}");
    }
    let (header, _) = read_csv(&file_text(&build.files, "tables/sensitivity.csv"));
    assert_eq!(
        header[3..],
        ["0.5", "0.55", "0.6", "0.65", "0.7", "0.75", "0.8"]
    );
}

// The committed report folder is checked with every other one in committed_reports.rs.
