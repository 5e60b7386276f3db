//! The reference study's qualitative cells: its printed Tables 3, 4 and 5, the counts its text states,
//! the framework figure, and the cells it has no data for, in both languages.

use crate::common;

use common::{file_text, reference_study};

#[test]
fn the_reference_report_shows_the_design_demographics_and_coding_cells_in_both_languages() {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let en = file_text(&build.files, "report.en.md");
    let fa = file_text(&build.files, "report.fa.md");

    // Table 3 as printed: sample sizes 11 and 15, in Persian digits in the Persian report.
    assert!(
        en.contains("**Table 3. Summary of the methods of data collection and analysis**"),
        "{en}"
    );
    assert!(en.contains("| Sample size | 11 | 15 |"), "{en}");
    assert!(fa.contains("| حجم نمونه | ۱۱ | ۱۵ |"), "{fa}");
    assert!(
        fa.contains("| نرم افزار مورد استفاده | Maxqda | Exell |"),
        "{fa}"
    );

    // Demographics: the paper publishes percentages only, and no respondent is invented.
    assert!(
        en.contains("The study publishes no per-respondent data"),
        "{en}"
    );
    assert!(
        fa.contains("این پژوهش دادهٔ تک‌تک پاسخ‌دهندگان را منتشر نکرده است"),
        "{fa}"
    );

    // Table 4: eleven narratives; the first, A2, with its three initial codes.
    assert!(
        en.contains("in Table 4: 11 narratives with the initial codes given to them."),
        "{en}"
    );
    assert!(
        fa.contains("| A2 | واقعیتی که هست بنگاه\u{200C}های رقابتی"),
        "{fa}"
    );
    assert!(
        fa.contains("خلق ارزش مشترک با رقیب؛ افزایش دانش؛ استراتژی مدیریت ریسک |"),
        "{fa}"
    );
    assert!(en.contains("Creating shared value with the competitor; Increasing knowledge; Risk management strategy |"), "{en}");

    // Table 5, row 7: market analysis, linked by its name to indicator 20, accepted.
    assert!(
        en.contains("| 7 | Market analysis | Exploring the market;"),
        "{en}"
    );
    assert!(
        en.contains("| 20. Market analysis | same name | accepted |"),
        "{en}"
    );
    assert!(fa.contains("| ۲۰. تحلیل بازار | هم‌نام | تأیید |"), "{fa}");

    // Counts per level: the text's 331, 48 and 9 beside the framework files' 48 indicators and 9 components.
    assert!(en.contains("| Initial codes | 331 | – | – | – |"), "{en}");
    assert!(en.contains("| Concepts | 48 | 48 | – | – |"), "{en}");
    assert!(en.contains("| Components | 9 | 9 | – | – |"), "{en}");
    // Printed samples, by hand: Table 4 has 3+3+3+3+2+4+3+2+3+2+3 = 31 codes in 11 rows, all distinct;
    // Table 5 has 3+3+3+3+4+4+6+5+5+5+4+4 = 49 codes under 12 concepts.
    assert!(
        en.contains("hold 31 distinct initial codes in 11 narratives"),
        "{en}"
    );
    assert!(
        en.contains("and 49 distinct initial codes under 12 concepts"),
        "{en}"
    );

    // No coded segments: the matrix and the saturation curve say why they are absent.
    assert!(
        en.contains("so the matrix of initial codes by interview cannot be computed"),
        "{en}"
    );
    assert!(en.contains("so the saturation curve (new initial codes per successive interview) cannot be computed"), "{en}");
    assert!(!build.files.contains_key("figures/saturation.en.svg"));

    // The framework figure: 47 indicators accepted and one (48, motivation) rejected, in each language,
    // plus one mark of each in the legend.
    for lang in ["en", "fa"] {
        let svg = file_text(&build.files, &format!("figures/framework.{lang}.svg"));
        assert_eq!(svg.matches(">✓</text>").count(), 47 + 1, "{lang}");
        assert_eq!(svg.matches(">✗</text>").count(), 1 + 1, "{lang}");
    }
    let svg = file_text(&build.files, "figures/framework.en.svg");
    assert!(svg.contains(">48. Motivation</tspan></text>"), "{svg}");
    let html = file_text(&build.files, "report.en.html");
    assert!(
        html.contains(r#"<title id="framework-title">Figure 3. Components and indicators after the fuzzy Delphi screening</title>"#)
    );

    // Concepts to indicators, from the 12 printed concepts (by hand from table5_concepts.csv):
    // networking gets rows 2, 5, 9 (I03, I02, I01) with 3 + 4 + 5 = 12 codes; assets row 12 (I45), 4 codes.
    assert!(
        en.contains("| Networking | 10 | 10 | 0 | 3 | 12 | – |"),
        "{en}"
    );
    assert!(
        en.contains("| Price advantage | 5 | 5 | 0 | 0 | 0 | – |"),
        "{en}"
    );
    assert!(en.contains("| Assets | 4 | 3 | 1 | 1 | 4 | – |"), "{en}");
    assert!(fa.contains("| دارایی‌ها | ۴ | ۳ | ۱ | ۱ | ۴ | – |"), "{fa}");
}

#[test]
fn the_demographics_cell_points_to_the_printed_percentages_and_their_audit() {
    let build = delphi_report::build_report(&reference_study()).unwrap();
    let en = file_text(&build.files, "report.en.md");
    let cell = en
        .split("## Cell ")
        .skip(1) // the front page, whose contents name every cell
        .find(|c| c.contains("Panels: demographic description"))
        .unwrap();
    assert!(
        cell.contains("are shown as printed, with the sample sizes they fit, in the cell “Audit of the sample and coding figures”"),
        "{cell}"
    );
    let fa = file_text(&build.files, "report.fa.md");
    assert!(fa.contains("در بخش «"), "the Persian cell points there too");
}
