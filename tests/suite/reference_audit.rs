//! The audit of the reference study (Rezvani et al. 2024): every printed value of Tables 6 and 7 has a
//! verdict, every value that is not a plain match has a diagnosis, and the known findings of
//! `data/htsme-2024/README.md` are found. Expected figures were computed independently by hand and with
//! a short Python script using exact fractions (`fractions.Fraction`) over all 3876 count vectors.

use crate::common;

use std::time::Instant;

use delphi_report::analysis::audit::{audit, AuditInput};
use delphi_report::analysis::fuzzy::screen;
use delphi_report::ingest::load_folder;

use common::{file_text, read_csv, reference_study};

/// `tables/audit.csv` parsed with its quoted last field (`detail` may hold commas).
fn audit_rows() -> Vec<Vec<String>> {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let text = file_text(&build.files, "tables/audit.csv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "table,row,column,published,reproduced,verdict,detail"
    );
    lines
        .map(|line| {
            let mut fields: Vec<String> = line.splitn(7, ',').map(String::from).collect();
            let detail = fields.pop().unwrap();
            fields.push(
                detail
                    .strip_prefix('"')
                    .and_then(|d| d.strip_suffix('"'))
                    .map_or(detail.clone(), |d| d.replace("\"\"", "\"")),
            );
            fields
        })
        .collect()
}

fn row<'a>(rows: &'a [Vec<String>], table: &str, number: &str, column: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r[0] == table && r[1] == number && r[2] == column)
        .unwrap_or_else(|| panic!("no audit row {table},{number},{column}"))
}

#[test]
fn every_printed_value_has_a_verdict_and_every_non_match_a_diagnosis() {
    let all_rows = audit_rows();
    // 48 responses checks (Table 6 is the ratings input) + 48 x 5 printed values of Table 7, then
    // one panel-size row per printed column (Table 6 responses, Table 7 l, m, u, crisp).
    assert_eq!(all_rows.len(), 48 + 240 + 5);
    let (rows, panel_rows) = all_rows.split_at(48 + 240);
    assert!(panel_rows.iter().all(|r| r[1] == "panel"));
    let count = |table: &str, verdict: &str| {
        rows.iter()
            .filter(|r| r[0] == table && r[5] == verdict)
            .count()
    };
    assert_eq!((count("6", "match"), count("6", "mismatch")), (47, 1));
    assert_eq!(count("7", "match"), 171);
    assert_eq!(count("7", "match-by-rounding"), 0);
    assert_eq!(count("7", "mismatch"), 52);
    assert_eq!(count("7", "infeasible"), 3);
    assert!(rows.iter().all(|r| r[1] != "panel"));
    assert_eq!(count("7", "not-published"), 14);
    for r in rows {
        assert_eq!(r[6].is_empty(), r[5] == "match", "{r:?}");
        assert!(!r[6].to_lowercase().contains("error"), "{r:?}");
        assert!(r.iter().all(|f| f.is_ascii()), "ASCII only: {r:?}");
    }
    // Deterministic order: Table 6 rows 1..48, then Table 7 rows 1..48 with l, m, u, crisp, status.
    assert_eq!(rows[0][..3], ["6", "1", "responses"]);
    assert_eq!(rows[48][..3], ["7", "1", "l"]);
    assert_eq!(rows[52][..3], ["7", "1", "status"]);
    assert_eq!(rows[287][..3], ["7", "48", "status"]);
}

#[test]
fn the_known_findings_of_the_reference_study_are_diagnosed() {
    let rows = audit_rows();
    // Row 1: Table 6 sums to 8; Table 7's row is producible by 15 ratings (5 vectors: the printed
    // m = 37/60, u = 49/60, crisp 0.606 = 109/180 force L = 23/60), nearest at L1 distance 7.
    assert_eq!(
        row(&rows, "6", "1", "responses")[3..6],
        ["8", "15", "mismatch"]
    );
    let row1 = &row(&rows, "7", "1", "m")[6];
    assert!(row1.starts_with("Its counts row has 8 responses, not 15; 5 count vectors of 15 ratings give every printed value of the row; nearest to the printed counts (1, 1, 0, 3, 3): (1, 1, 6, 4, 3) at L1 distance 7, (1, 2, 4, 5, 3) at L1 distance 7, (1, 3, 2, 6, 3) at L1 distance 7."), "{row1}");
    // Row 4: crisp 0.673 is no k/180 (121/180 = 0.672, 122/180 = 0.678).
    assert_eq!(
        row(&rows, "7", "4", "crisp")[3..],
        [
            "0.673",
            "0.672",
            "infeasible",
            "No 15 ratings on the scale give this value at its printed precision; the nearest values they can give are 0.672 and 0.678; one digit differs from the reproduced 0.672."
        ]
    );
    // Row 21: l 0.523 is no k/60 (31/60 = 0.517, 32/60 = 0.533); (0.523 + 0.783 + 0.933) / 3 = 0.746.
    assert_eq!(
        row(&rows, "7", "21", "l")[3..],
        [
            "0.523",
            "0.533",
            "infeasible",
            "No 15 ratings on the scale give this value at its printed precision; the nearest values they can give are 0.517 and 0.533; one digit differs from the reproduced 0.533; the printed crisp is inconsistent with the printed (l + m + u) / 3 = 0.746."
        ]
    );
    // Row 6: crisp 0.573 is no k/180; m and u equal rows 10 and 30, whose crisp is 103/180 = 0.572.
    assert_eq!(row(&rows, "7", "6", "crisp")[5], "infeasible");
    assert_eq!(row(&rows, "7", "6", "m")[6], "Every printed value of this row but crisp equals the reproduction of rows 10 and 30, whose crisp is 0.572.");
    // Row 10 prints the values of row 38 (0, 0, 5, 2, 8); row 18 those of rows 10 and 30.
    assert_eq!(
        row(&rows, "7", "10", "crisp")[6],
        "Every printed value of this row equals the reproduction of row 38."
    );
    assert_eq!(
        row(&rows, "7", "18", "l")[6],
        "Every printed value of this row equals the reproduction of rows 10 and 30."
    );
    // Rows 26-34 print rows 25-33.
    for printed in 26..=34 {
        let detail = &row(&rows, "7", &printed.to_string(), "crisp")[6];
        assert_eq!(
            detail,
            &format!("Printed rows 26-34 each equal the reproduction of the row at a constant offset (printed row k shows reproduced row k - 1); this row shows reproduced row {}.", printed - 1)
        );
    }
    // Row 25 matches no row; 5 vectors give it (found by hand in feasibility.rs), nearest (1, 1, 7, 4, 2).
    assert_eq!(row(&rows, "7", "25", "u")[6], "The printed values equal the reproduction of no row; 5 count vectors of 15 ratings give every printed value of the row; nearest to the printed counts (2, 2, 6, 3, 2): (1, 1, 7, 4, 2) at L1 distance 4, (1, 2, 5, 5, 2) at L1 distance 4, (1, 0, 9, 3, 2) at L1 distance 6.");
    // Statuses all match: no decision changes.
    assert!(rows
        .iter()
        .filter(|r| r[0] == "7" && r[2] == "status")
        .all(|r| r[5] == "match"));
}

#[test]
fn the_panel_sizes_that_fit_each_printed_column_are_inferred() {
    let rows = audit_rows();
    let panel = |table: &str, column: &str| row(&rows, table, "panel", column).to_vec();
    // Table 6: row 1 adds up to 8, the other 47 rows to 15; no single panel fits every row.
    assert_eq!(panel("6", "responses")[3..6], ["15", "", "mismatch"]);
    // m and u are k/60 for 15 ratings: every printed m and u fits 15.
    let m = panel("7", "m");
    assert_eq!(m[5], "match");
    assert!(m[4].starts_with("15 30 45 60 "), "{m:?}");
    // l: 0.523 (row 21) fits no k/60, so 15 gives 33 of the 34 printed l; the smallest panel that
    // gives all is 75 (0.523 = 157/300 rounded; a Python loop over k/(4n) agrees).
    let l = panel("7", "l");
    assert_eq!(
        l[3..6],
        ["15", "75 120 130 150 160 165 175 195", "infeasible"]
    );
    assert_eq!(
        l[6],
        "The stated panel of 15 gives 33 of the 34 printed values; 8 panel sizes from 1 to 200 give them all."
    );
    // crisp: 0.673 and 0.573 are no k/180, so 15 gives 46 of 48.
    let crisp = panel("7", "crisp");
    assert_eq!(crisp[5], "infeasible");
    assert!(crisp[6].starts_with("The stated panel of 15 gives 46 of the 48 printed values"));
}

#[test]
fn the_audit_cell_leads_with_one_line_per_finding() {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let md = file_text(&build.files, "report.en.md");
    let start = md
        .find("## Cell 9 · Audit of the published tables")
        .unwrap();
    let cell = &md[start..];
    let findings = &cell[..cell.find("### Method").unwrap()];
    let lines: Vec<&str> = findings.lines().filter(|l| l.starts_with("- ")).collect();
    assert_eq!(
        lines,
        [
            "- Table 6: printed counts that do not add up to the panel's 15 responses: row 1 (8).",
            "- Table 7, row 6: every printed value but crisp equals the reproduction of rows 10 and 30, whose crisp is 0.572.",
            "- Table 7, row 10: every printed value equals the reproduction of row 38.",
            "- Table 7, row 18: every printed value equals the reproduction of rows 10 and 30.",
            "- Table 7: printed rows 26-34 show reproduced rows 25-33 (printed row k shows reproduced row k - 1).",
            "- Table 7, row 21: the printed l 0.523 cannot come from 15 ratings on the scale (the nearest they give: 0.517 and 0.533).",
            "- Table 7, row 4: the printed crisp 0.673 cannot come from 15 ratings on the scale (the nearest they give: 0.672 and 0.678).",
            "- Table 7, row 6: the printed crisp 0.573 cannot come from 15 ratings on the scale (the nearest they give: 0.572 and 0.578).",
            "- Table 7, row 25: the printed values equal the reproduction of no row.",
            "- Table 7, row 21: the printed crisp value is inconsistent with the printed (l + m + u) / 3.",
        ]
    );
    // The 16 inconsistent rows (1, 4, 6, 10, 18, 21, 25, 26-34) are all named, the nine shifted
    // rows in one line.
    assert!(cell.contains("Rows with a mismatch or an infeasible value: 1, 4, 6, 10, 18, 21, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34."), "{cell}");
    let fa = file_text(&build.files, "report.fa.md");
    assert!(fa.contains("**یافته‌ها**، هر علت در یک سطر:"), "{fa}");
    assert!(
        fa.contains("- جدول ۷: سطرهای چاپ‌شدهٔ ۲۶ تا ۳۴ سطرهای بازتولیدشدهٔ ۲۵ تا ۳۳ را نشان می‌دهند"),
        "{fa}"
    );
}

#[test]
fn the_audit_table_gives_one_row_per_cause_and_the_csv_one_line_per_value() {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let md = file_text(&build.files, "report.en.md");
    let caption = "**Printed values that are not a plain match, with a diagnosis; values with one cause share a row**";
    let table = &md[md.find(caption).unwrap()..];
    let table = &table[..table.find("\n\n**").unwrap()];
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.starts_with("| "))
        .skip(1)
        .collect();
    // The 70 values that are not a plain match (1 of Table 6, 69 of Table 7): 11 causes.
    let not_plain = audit_rows()
        .iter()
        .filter(|r| r[1] != "panel" && r[5] != "match")
        .count();
    assert_eq!(not_plain, 70);
    assert_eq!(rows.len(), 11, "{table}");
    // The shifted block (36 values) and the empty l cells (14 values) are one row each; a single
    // value keeps its printed and reproduced numbers.
    assert!(rows.contains(&"| 7 | 26–34 | l, m, u, Crisp |  |  | mismatch | Printed rows 26-34 show reproduced rows 25-33 (printed row k shows reproduced row k - 1). |"), "{table}");
    assert!(
        rows.contains(
            &"| 7 | 1–14 | l |  |  | not published | The cells are empty in the published table. |"
        ),
        "{table}"
    );
    assert!(rows.contains(&"| 7 | 4 | Crisp | 0.673 | 0.672 | infeasible | No 15 ratings on the scale give this value at its printed precision; the nearest values they can give are 0.672 and 0.678; one digit differs from the reproduced 0.672. |"), "{table}");
    // The Persian table groups the same way.
    let fa = file_text(&build.files, "report.fa.md");
    assert!(fa.contains("| ۷ | ۲۶ تا ۳۴ | l،\u{200f} m،\u{200f} u،\u{200f} میانگین قطعی |  |  | نامطابق | سطرهای چاپ‌شدهٔ ۲۶ تا ۳۴ سطرهای بازتولیدشدهٔ ۲۵ تا ۳۳ را نشان می‌دهند"), "{fa}");
}

#[test]
fn the_printed_percentages_fit_no_stated_panel_and_the_counts_are_checked_or_left_unchecked() {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let (header, sets) = read_csv(&file_text(&build.files, "tables/demographics_audit.csv"));
    assert_eq!(header[..3], ["set", "printed", "exhaustive"]);
    let by_set = |id: &str| sets.iter().find(|s| s[0] == id).unwrap().clone();
    // Gender 74/26: no n of 11, 15 or 26 gives both (8/11 = 72.7%, 11/15 = 73.3%, 19/26 = 73.1%);
    // the smallest n that does is 19 (14/19 = 73.7%, 5/19 = 26.3%).
    let gender = by_set("gender");
    assert_eq!(gender[3..9], ["11", "no", "15", "no", "26", "no"]);
    assert!(gender[9].starts_with("19 23 27 31 34 35 "), "{}", gender[9]);
    // Education 9/50/41: 50% needs an even n; the smallest is 22 (2 + 11 + 9).
    let education = by_set("education");
    assert_eq!(education[3..9], ["11", "no", "15", "no", "26", "no"]);
    assert!(education[9].starts_with("22 32 34 44 "), "{}", education[9]);
    // More than 75% with 6-15 years: 9 of 11, 12 of 15, 20 of 26.
    assert_eq!(
        by_set("experience")[3..9],
        ["11", "yes", "15", "yes", "26", "yes"]
    );
    // 49% aged 30-40: 5/11 = 45.5%, 6/11 = 54.5%; 7/15 = 46.7%; 13/26 = 50%: none; smallest n is 35 (17/35 = 48.6%).
    let age = by_set("age");
    assert_eq!(age[3..9], ["11", "no", "15", "no", "26", "no"]);
    assert!(age[9].starts_with("35 37 39 "), "{}", age[9]);

    let (_, counts) = read_csv(&file_text(&build.files, "tables/coding_counts_audit.csv"));
    let results: Vec<(&str, &str)> = counts
        .iter()
        .map(|c| (c[0].as_str(), c[5].as_str()))
        .collect();
    assert_eq!(
        results,
        [
            ("initial_codes", "unchecked"),
            ("concepts", "match"),
            ("components", "match"),
            ("accepted", "match"),
            ("rejected", "match")
        ]
    );
}

#[test]
fn the_persian_audit_cell_uses_persian_words_and_digits() {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let md = file_text(&build.files, "report.fa.md");
    assert!(md.contains("ممیزی جدول‌های چاپ‌شده"), "{md}");
    assert!(
        md.contains("| ۷ | ۴ | میانگین قطعی | ۰٫۶۷۳ | ۰٫۶۷۲ | ناممکن |"),
        "{md}"
    );
    assert!(
        md.contains("| جنسیت | آقا: ۷۴٪، خانم: ۲۶٪ | بله | خیر | خیر | خیر |"),
        "{md}"
    );
    assert!(md.contains("| کد اولیه | ۳۳۱ | ۳۷۱ |"), "{md}");
    assert!(md.contains("سنجیده‌نشده"), "{md}");
}

#[test]
fn the_reference_audit_runs_well_under_a_second() {
    // 48 rows, 15 ratings, 5 levels: 3876 count vectors searched once, filtered per row.
    let (study, data) = load_folder(&reference_study()).unwrap();
    let screening = screen(study.scale(), &data.counts, 15, study.threshold()).unwrap();
    let started = Instant::now();
    let audited = audit(&AuditInput {
        scale: study.scale(),
        indicators: &data.indicators,
        panel_size: 15,
        threshold: study.threshold(),
        method: *study.method(),
        data_counts: &data.counts,
        screening: &screening,
        published_counts: data.published_counts.as_ref(),
        published_counts_are_ratings: data.published_counts_are_ratings,
        published_screening: data.published_screening.as_deref(),
        experts: None,
    });
    let elapsed = started.elapsed();
    assert_eq!(audited.search, Ok(3876));
    assert!(elapsed.as_secs_f64() < 1.0, "audit took {elapsed:?}");
    eprintln!("reference audit: {elapsed:?}");
}

#[test]
fn the_reports_own_table7_fed_back_as_the_printed_table_is_all_plain_matches() {
    // Issue 14: the screening CSV (table7.csv) writes every value at full f64 precision; read back as
    // the printed Table 7 it gave 29 false "infeasible" verdicts when its digits were taken as a
    // decimal rounding.
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let table7 = file_text(&build.files, &common::numbered_tables(&reference_study()).1);
    let (header, rows) = read_csv(&table7);
    assert_eq!(
        header,
        ["indicator", "component", "l", "m", "u", "crisp", "status"]
    );
    let mut printed = String::from("indicator,l,m,u,crisp,status\n");
    for row in &rows {
        let mut fields = row.clone();
        fields.remove(1);
        printed.push_str(&fields.join(","));
        printed.push('\n');
    }
    assert!(printed.contains("I01,0.46875,0.6875,0.84375,0.6666666666666666,accepted"));
    let study = common::copy_reference_study();
    std::fs::write(study.path().join("table7_published.csv"), printed).unwrap();
    let build = delphi_report::build_report(study.path()).unwrap();
    let audit = file_text(&build.files, "tables/audit.csv");
    let verdicts: Vec<&str> = audit
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("7,") && !l.starts_with("7,panel,"))
        .map(|l| l.split(',').nth(5).unwrap())
        .collect();
    assert_eq!(verdicts.len(), 240);
    assert!(verdicts.iter().all(|v| *v == "match"), "{audit}");
    // Row 1 is computed from its 8 responses (l = 15/32 = 0.46875, no k/60), so the l column does not
    // fit the stated 15: said once, as a panel-size row, not as a verdict on a value.
    assert!(audit.contains("\n7,panel,l,15,"), "{audit}");
}
