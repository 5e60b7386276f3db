//! Figures drawn from hand-made data: where bars, cells and points land, escaping, mirroring.

use super::saturation::count_ticks;
use super::*;
use crate::report::model::{
    Bar, BarChart, BarGroup, BarStyle, CountTick, FrameworkChart, FrameworkComponent,
    FrameworkIndicator, LegendEntry, SaturationChart, SaturationPoint, Tick, VerdictGrid,
    VerdictRow,
};

fn figure(id: &str, chart: Chart) -> Figure {
    Figure {
        id: id.into(),
        caption: "Figure 1. <caption> & more".into(),
        file: format!("figures/{id}.en.svg"),
        description: "bars".into(),
        chart,
    }
}

fn bar_figure(label: &str) -> Figure {
    figure(
        "crisp",
        Chart::Bars(BarChart {
            axis_label: "Crisp value".into(),
            min: 0.0,
            max: 1.0,
            ticks: vec![
                Tick {
                    value: 0.0,
                    label: "0".into(),
                },
                Tick {
                    value: 1.0,
                    label: "1".into(),
                },
            ],
            reference: Some(Tick {
                value: 0.5,
                label: "threshold 0.5".into(),
            }),
            groups: vec![BarGroup {
                label: "Group <A>".into(),
                bars: vec![
                    Bar {
                        label: label.into(),
                        value: Some(0.75),
                        value_label: "0.750".into(),
                        style: BarStyle::Accepted,
                    },
                    Bar {
                        label: "low".into(),
                        value: Some(0.25),
                        value_label: "0.250".into(),
                        style: BarStyle::Rejected,
                    },
                ],
            }],
            legend: vec![LegendEntry {
                style: BarStyle::Accepted,
                label: "accepted".into(),
            }],
        }),
    )
}

#[test]
fn every_data_text_of_a_bar_chart_is_escaped() {
    let svg = draw(
        &bar_figure("1. a <script>alert(1)</script> & b"),
        Lang::EN,
        Embedding::Standalone,
    );
    assert!(!svg.contains("<script"), "{svg}");
    assert!(svg.contains("&lt;script&gt;"), "{svg}");
    assert!(svg.contains("Group &lt;A&gt;"), "{svg}");
    assert!(svg.contains("&lt;caption&gt; &amp; more"), "{svg}");
}

#[test]
fn bars_and_threshold_sit_at_their_values() {
    // Plot starts at 12 + 400 + 12 = 424 and is 280 wide: 0.75 -> width 210, threshold 0.5 -> x 564.
    // Rows start under the header (40) and the group's line (22): a one-line row is 13 + 2 * 5 high,
    // its bar 10 high in the middle (62 + 6.5); the plot ends after two rows, the axis 4 below (112).
    let svg = draw(&bar_figure("a"), Lang::EN, Embedding::Standalone);
    assert!(
        svg.contains(
            r##"<rect x="424" y="68.5" width="210" height="10" fill="#2f6f9f" stroke="#2f6f9f"/>"##
        ),
        "{svg}"
    );
    assert!(
        svg.contains(r##"<line x1="564" y1="34" x2="564" y2="112" stroke="#1b1b1b" stroke-width="1.5" stroke-dasharray="5 3"/>"##),
        "{svg}"
    );
    assert!(
        svg.contains(r##"width="70" height="10" fill="url(#crisp-hatch)" stroke="#c0504d"/>"##),
        "rejected bars are hatched: {svg}"
    );
    // Each value is written after the threshold line, with a halo: where the two cross, the
    // value covers the line, not the line the value.
    let line = svg.find(r#"stroke-dasharray="5 3""#).unwrap();
    let values: Vec<usize> = svg
        .match_indices(r#"paint-order="stroke""#)
        .map(|(at, _)| at)
        .collect();
    assert_eq!(values.len(), 2, "{svg}");
    assert!(values.iter().all(|&at| at > line), "{svg}");
    // Each on a patch of background: the 0.75 bar ends at 634, its value starts at 638 and the
    // patch at 636, 2 + 5 * 11 * 0.55 + 2 = 34.25 wide ("0.750"); the baseline is at 77.5, the
    // patch from 2 px above the text's top (77.5 - 11 - 1 = 65.5) to 4 px below the baseline.
    assert!(
        svg.contains(r##"<rect x="636" y="65.5" width="34.25" height="16" fill="#ffffff"/>"##),
        "{svg}"
    );
}

#[test]
fn a_right_to_left_bar_chart_is_mirrored() {
    // Mirrored: the 0.75 bar spans 780 - 424 - 210 = 146 to 356; the threshold is at 780 - 564 = 216.
    let svg = draw(&bar_figure("a"), Lang::FA, Embedding::InlineHtml);
    assert!(
        svg.contains(r#"<rect x="146" y="68.5" width="210""#),
        "{svg}"
    );
    assert!(svg.contains(r#"<line x1="216" y1="34" x2="216""#), "{svg}");
    // Row labels start 20 from the right edge (baseline 62 + 5 + 10), and keep their `start` anchor.
    assert!(
        svg.contains(r#"<text x="760" y="77" text-anchor="start"><tspan x="760" y="77">a</tspan>"#),
        "{svg}"
    );
    assert!(svg.contains(r#"direction="rtl""#), "{svg}");
    assert!(!svg.contains("http"), "inline SVG names no URL: {svg}");
}

#[test]
fn long_labels_wrap_at_spaces_and_are_never_cut() {
    assert_eq!(wrap_label("one two three", 7), vec!["one two", "three"]);
    assert_eq!(
        wrap_label("one two three four", 7),
        vec!["one two", "three", "four"]
    );
    assert_eq!(wrap_label("abcdefghij", 5), vec!["abcdefghij"]);
    assert_eq!(wrap_label("short", 40), vec!["short"]);
    // 100 units of 10-unit text at 0.55 of the size per glyph: 18 characters.
    assert_eq!(chars_in(100.0, 10.0), 18);
}

fn verdict_figure() -> Figure {
    figure(
        "sensitivity",
        Chart::Verdicts(VerdictGrid {
            axis_label: "Threshold".into(),
            thresholds: vec!["0.5".into(), "0.6".into()],
            study_column: Some(0),
            accepted_label: "accepted".into(),
            rejected_label: "rejected".into(),
            rows: vec![
                VerdictRow {
                    label: "No. 2 (0.55)".into(),
                    crisp: 0.55,
                    accepted: vec![true, false],
                },
                VerdictRow {
                    label: "No. 1 (0.65)".into(),
                    crisp: 0.65,
                    accepted: vec![true, true],
                },
            ],
        }),
    )
}

#[test]
fn verdict_rows_run_from_the_highest_crisp_value_and_cells_show_the_verdicts() {
    let svg = draw(&verdict_figure(), Lang::EN, Embedding::Standalone);
    let first = svg.find("No. 1 (0.65)").unwrap();
    let second = svg.find("No. 2 (0.55)").unwrap();
    assert!(first < second, "highest crisp first");
    // Labels are 12 characters: 12 * 7 + 16 = 100 wide; the grid starts there and shares the rest of
    // the 780-unit figure less 20: two cells of 330.
    // Three accepted cells (1: both, 2: the first) and one empty cell, plus the legend swatches.
    assert_eq!(svg.matches(r##"fill="#2f6f9f""##).count(), 4, "{svg}");
    assert_eq!(svg.matches(r##"fill="#e4e7eb""##).count(), 2, "{svg}");
    assert!(
        svg.contains(r##"<rect x="431" y="41" width="328" height="16" fill="#2f6f9f"/>"##),
        "{svg}"
    );
    assert!(
        svg.contains(r##"<rect x="100" y="40" width="330" height="36" fill="none" stroke="#1b1b1b" stroke-width="2"/>"##),
        "the study's column is outlined: {svg}"
    );
}

#[test]
fn the_persian_verdict_grid_is_mirrored() {
    // Width 780. The row labels end 8 before the grid: at 780 - 92 = 688.
    let svg = draw(&verdict_figure(), Lang::FA, Embedding::Standalone);
    assert!(svg.contains(r#"lang="fa" direction="rtl""#), "{svg}");
    assert!(
        svg.contains(r#"<text x="688" y="53" text-anchor="end">No. 1 (0.65)</text>"#),
        "{svg}"
    );
    assert!(
        svg.contains(r##"<rect x="21" y="41" width="328" height="16" fill="#2f6f9f"/>"##),
        "{svg}"
    );
}

#[test]
fn saturation_bars_and_line_follow_the_counts() {
    // Three interviews: new codes 2, 1, 0; cumulative 2, 3, 3. Axis max 3 with a tick of 1.
    // Plot height 220 from y=30: cumulative 3 sits at y=30, 2 at 30 + 220/3 = 103.33.
    assert_eq!(count_ticks(3), vec![0, 1, 2, 3]);
    assert_eq!(count_ticks(11), vec![0, 2, 4, 6, 8, 10, 12]);
    assert_eq!(count_ticks(26), vec![0, 5, 10, 15, 20, 25, 30]);
    assert_eq!(count_ticks(0), vec![0, 1]);
    let steps = [(2, 2), (1, 3), (0, 3)]
        .iter()
        .enumerate()
        .map(|(index, (new, all))| SaturationPoint {
            document: format!("D{}", index + 1),
            new_codes: *new,
            cumulative: *all,
        })
        .collect();
    let chart = SaturationChart {
        x_axis: "Interview".into(),
        y_axis: "Codes".into(),
        new_codes_label: "New".into(),
        cumulative_label: "All".into(),
        ticks: count_ticks(3)
            .into_iter()
            .map(|value| CountTick {
                value,
                label: value.to_string(),
            })
            .collect(),
        steps,
    };
    let english = draw(
        &figure("saturation", Chart::Saturation(chart.clone())),
        Lang::EN,
        Embedding::Standalone,
    );
    // The plot is 780 - 56 - 20 = 704 wide (the minimum), a step of 234.67: centres at 56 + 117.33 =
    // 173.33, 408, 642.67.
    assert!(
        english.contains(r#"points="173.33,103.33 408,30 642.67,30""#),
        "{english}"
    );
    // Three bars, one legend swatch, the background.
    assert_eq!(english.matches("<rect").count(), 3 + 1 + 1);
    assert!(english.contains(">D3</tspan></text>"), "{english}");
    // Mirrored about the middle of the 780-unit figure.
    let persian = draw(
        &figure("saturation", Chart::Saturation(chart)),
        Lang::FA,
        Embedding::Standalone,
    );
    assert!(
        persian.contains(r#"points="606.67,103.33 372,30 137.33,30""#),
        "{persian}"
    );
}

#[test]
fn framework_marks_follow_the_verdicts_and_mirror_in_persian() {
    let chart = FrameworkChart {
        accepted_label: "accepted".into(),
        rejected_label: "rejected".into(),
        components: vec![FrameworkComponent {
            name: "Component & one".into(),
            indicators: vec![
                FrameworkIndicator {
                    number: "1".into(),
                    name: "first".into(),
                    accepted: Some(true),
                },
                FrameworkIndicator {
                    number: "2".into(),
                    name: "second".into(),
                    accepted: None,
                },
            ],
        }],
    };
    let english = draw(
        &figure("framework", Chart::Framework(chart.clone())),
        Lang::EN,
        Embedding::Standalone,
    );
    assert!(
        english.contains(">Component &amp; one</tspan></text>"),
        "{english}"
    );
    assert!(
        // Rows from y=34, 13 + 5 high; a mark centred on its first line: 34 + 9 = 43, then 61.
        english.contains(r##"<circle cx="250" cy="43" r="7" fill="#2f6f9f"/>"##),
        "{english}"
    );
    assert!(
        english.contains(r##"<circle cx="250" cy="61" r="7" fill="#8c959f"/>"##),
        "{english}"
    );
    let persian = draw(
        &figure("framework", Chart::Framework(chart)),
        Lang::FA,
        Embedding::Standalone,
    );
    // The box from 10 to 210 lands at 780 - 210 = 570; the marks at 780 - 250 = 530.
    assert!(
        persian.contains(r#"<rect x="570" y="36" width="200" height="32" rx="3""#),
        "{persian}"
    );
    assert!(
        persian.contains(r##"<circle cx="530" cy="43" r="7" fill="#2f6f9f"/>"##),
        "{persian}"
    );
}
