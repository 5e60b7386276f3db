//! Figures as SVG: a small writer for the report's bar charts, mirrored for right-to-left languages.
//!
//! The markup is ours; every text that comes from data is XML-escaped. Coordinates are written with two
//! decimals so the file is byte-identical on every platform.

use std::fmt::Write;

use crate::report::model::{BarChart, BarStyle, Figure};

/// Page geometry, in CSS pixels.
const WIDTH: f64 = 780.0;
const MARGIN: f64 = 12.0;
const LABEL_WIDTH: f64 = 400.0;
const GAP: f64 = 12.0;
const PLOT_WIDTH: f64 = 280.0;
const FONT_SIZE: f64 = 11.0;
const LINE_HEIGHT: f64 = 13.0;
const BAR_HEIGHT: f64 = 10.0;
const ROW_PADDING: f64 = 5.0;
const GROUP_HEADER: f64 = 22.0;
const HEADER_HEIGHT: f64 = 40.0;
const AXIS_HEIGHT: f64 = 40.0;
/// Average advance of a glyph as a share of the font size: conservative for Latin and Persian text.
const GLYPH_WIDTH: f64 = 0.55;
/// A label longer than this many lines is cut with an ellipsis (the full text is in its tooltip).
const MAX_LABEL_LINES: usize = 2;

const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Tahoma, 'Noto Sans', 'Noto Sans Arabic', 'DejaVu Sans', sans-serif";
const ACCEPTED_FILL: &str = "#2f6f9f";
const REJECTED_FILL: &str = "#c0504d";
const INK: &str = "#1b1b1b";
const GRID: &str = "#d0d7de";

pub use crate::report::svg_writer::escape_xml;

/// A coordinate with two decimals, without a trailing `.00`.
fn n(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// Splits `text` into at most `max_lines` lines of about `max_chars` characters at spaces; the last
/// line ends with an ellipsis when text was left out.
pub fn wrap_label(text: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let words = text.split_whitespace();
    let mut truncated = false;
    for word in words {
        let needed = if current.is_empty() {
            word.chars().count()
        } else {
            current.chars().count() + 1 + word.chars().count()
        };
        if needed <= max_chars || current.is_empty() && word.chars().count() > max_chars {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
            continue;
        }
        lines.push(std::mem::take(&mut current));
        if lines.len() == max_lines {
            truncated = true;
            break;
        }
        current.push_str(word);
    }
    if !truncated && !current.is_empty() {
        lines.push(current);
    }
    if let Some(last) = lines.last_mut() {
        // A single word longer than a line is cut too.
        if truncated || last.chars().count() > max_chars {
            let keep = max_chars.saturating_sub(1);
            let mut cut: String = last.chars().take(keep).collect();
            cut = cut.trim_end().to_string();
            cut.push('…');
            *last = cut;
        }
    }
    lines
}

/// Horizontal positions of the chart, in left-to-right terms; `x` mirrors them for right-to-left.
struct Frame {
    rtl: bool,
}

impl Frame {
    /// Mirrors a left-to-right x coordinate when the figure reads right to left.
    fn x(&self, ltr_x: f64) -> f64 {
        if self.rtl {
            WIDTH - ltr_x
        } else {
            ltr_x
        }
    }

    /// The x of a value on the axis.
    fn value_x(&self, chart: &BarChart, value: f64) -> f64 {
        let span = chart.max - chart.min;
        let share = if span > 0.0 {
            ((value - chart.min) / span).clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.x(MARGIN + LABEL_WIDTH + GAP + share * PLOT_WIDTH)
    }

    /// A rectangle from ltr `x0` of `width`, mirrored as a whole.
    fn rect_x(&self, ltr_x0: f64, width: f64) -> f64 {
        if self.rtl {
            WIDTH - ltr_x0 - width
        } else {
            ltr_x0
        }
    }
}

/// Where an SVG goes: its own file (which needs the SVG namespace) or inline in an HTML page (where
/// the HTML parser supplies it, and a page must name no other URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Embedding {
    Standalone,
    InlineHtml,
}

/// Draws a figure's bar chart as SVG. `lang` and `rtl` are the report's; the figure's id prefixes the
/// ids inside the SVG so several figures can share a page.
pub fn bar_chart(
    figure: &Figure,
    chart: &BarChart,
    lang: &str,
    rtl: bool,
    embedding: Embedding,
) -> String {
    let frame = Frame { rtl };
    let max_chars = (LABEL_WIDTH / (FONT_SIZE * GLYPH_WIDTH)).floor() as usize;

    // Lay out rows first: the height depends on how labels wrap.
    struct Row<'a> {
        lines: Vec<String>,
        full: &'a str,
        bar: &'a crate::report::model::Bar,
        top: f64,
        height: f64,
    }
    let mut group_tops = Vec::new();
    let mut rows = Vec::new();
    let mut y = HEADER_HEIGHT;
    for group in &chart.groups {
        group_tops.push((y, group.label.as_str()));
        y += GROUP_HEADER;
        for bar in &group.bars {
            let lines = wrap_label(&bar.label, max_chars, MAX_LABEL_LINES);
            let height = (lines.len().max(1) as f64) * LINE_HEIGHT + 2.0 * ROW_PADDING;
            rows.push(Row {
                lines,
                full: &bar.label,
                bar,
                top: y,
                height,
            });
            y += height;
        }
    }
    let plot_bottom = y;
    let height = plot_bottom + AXIS_HEIGHT;
    let direction = if rtl { "rtl" } else { "ltr" };
    let id = escape_xml(&figure.id);

    let mut svg = String::new();
    let namespace = match embedding {
        Embedding::Standalone => r#" xmlns="http://www.w3.org/2000/svg""#,
        Embedding::InlineHtml => "",
    };
    let _ = writeln!(
        svg,
        r#"<svg{namespace} width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" xml:lang="{lang}" lang="{lang}" direction="{direction}" font-family="{font}" font-size="{fs}" fill="{ink}">"#,
        w = n(WIDTH),
        h = n(height),
        lang = escape_xml(lang),
        font = FONT_FAMILY,
        fs = n(FONT_SIZE),
        ink = INK,
    );
    let _ = writeln!(
        svg,
        r#"<title id="{id}-title">{}</title>"#,
        escape_xml(&figure.caption)
    );
    let _ = writeln!(
        svg,
        r#"<desc id="{id}-desc">{}</desc>"#,
        escape_xml(&figure.description)
    );
    let _ = writeln!(
        svg,
        r#"<defs><pattern id="{id}-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="4" height="4" fill="{REJECTED_FILL}" fill-opacity="0.25"/><line x1="0" y1="0" x2="0" y2="4" stroke="{REJECTED_FILL}" stroke-width="2"/></pattern></defs>"#
    );
    let _ = writeln!(
        svg,
        r##"<rect width="{}" height="{}" fill="#ffffff"/>"##,
        n(WIDTH),
        n(height)
    );

    // Legend, at the start of the first line.
    let mut legend_x = MARGIN;
    for entry in &chart.legend {
        let fill = style_fill(entry.style, &id);
        let _ = writeln!(
            svg,
            r#"<rect x="{}" y="10" width="14" height="{}" fill="{fill}" stroke="{}"/>"#,
            n(frame.rect_x(legend_x, 14.0)),
            n(BAR_HEIGHT),
            style_stroke(entry.style),
        );
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="19" text-anchor="start">{}</text>"#,
            n(frame.x(legend_x + 20.0)),
            escape_xml(&entry.label)
        );
        legend_x += 20.0 + estimated_width(&entry.label) + 18.0;
    }

    // Vertical grid at the ticks, then the tick labels and the axis title below the plot.
    let axis_y = plot_bottom + 4.0;
    for tick in &chart.ticks {
        let x = frame.value_x(chart, tick.value);
        let _ = writeln!(
            svg,
            r#"<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{GRID}" stroke-width="1"/>"#,
            x = n(x),
            top = n(HEADER_HEIGHT),
            bottom = n(axis_y),
        );
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            n(x),
            n(axis_y + 12.0),
            escape_xml(&tick.label)
        );
    }
    let axis_middle = frame.value_x(chart, (chart.min + chart.max) / 2.0);
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle" font-weight="bold">{}</text>"#,
        n(axis_middle),
        n(axis_y + 28.0),
        escape_xml(&chart.axis_label)
    );

    // Component groups: a rule and the component's name.
    for (top, label) in &group_tops {
        let _ = writeln!(
            svg,
            r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{GRID}" stroke-width="1"/>"#,
            n(MARGIN),
            n(WIDTH - MARGIN),
            y = n(*top + 2.0),
        );
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="start" font-weight="bold">{}</text>"#,
            n(frame.x(MARGIN)),
            n(*top + 16.0),
            escape_xml(label)
        );
    }

    // One row per bar: its label (wrapped), the bar and its value.
    for row in &rows {
        let _ = writeln!(svg, "<g>");
        let _ = writeln!(svg, "<title>{}</title>", escape_xml(row.full));
        let first_baseline = row.top + ROW_PADDING + FONT_SIZE - 1.0;
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="start">"#,
            n(frame.x(MARGIN + 8.0)),
            n(first_baseline),
        );
        for (index, line) in row.lines.iter().enumerate() {
            let _ = write!(
                svg,
                r#"<tspan x="{}" y="{}">{}</tspan>"#,
                n(frame.x(MARGIN + 8.0)),
                n(first_baseline + index as f64 * LINE_HEIGHT),
                escape_xml(line)
            );
        }
        let _ = writeln!(svg, "</text>");
        let bar_top = row.top + (row.height - BAR_HEIGHT) / 2.0;
        let plot_start = MARGIN + LABEL_WIDTH + GAP;
        let value_end = match row.bar.value {
            Some(value) => {
                let span = chart.max - chart.min;
                let share = if span > 0.0 {
                    ((value - chart.min) / span).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let width = share * PLOT_WIDTH;
                let _ = writeln!(
                    svg,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}"/>"#,
                    n(frame.rect_x(plot_start, width)),
                    n(bar_top),
                    n(width),
                    n(BAR_HEIGHT),
                    style_fill(row.bar.style, &id),
                    style_stroke(row.bar.style),
                );
                plot_start + width
            }
            None => plot_start,
        };
        // A white halo keeps the value readable where it crosses the threshold line.
        let _ = writeln!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="start" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>"##,
            n(frame.x(value_end + 4.0)),
            n(bar_top + BAR_HEIGHT - 1.0),
            escape_xml(&row.bar.value_label)
        );
        let _ = writeln!(svg, "</g>");
    }

    // The reference line (threshold) over the bars, labelled above the plot.
    if let Some(reference) = &chart.reference {
        let x = frame.value_x(chart, reference.value);
        let _ = writeln!(
            svg,
            r#"<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="5 3"/>"#,
            x = n(x),
            top = n(HEADER_HEIGHT - 6.0),
            bottom = n(axis_y),
        );
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            n(x),
            n(HEADER_HEIGHT - 9.0),
            escape_xml(&reference.label)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn estimated_width(text: &str) -> f64 {
    text.chars().count() as f64 * FONT_SIZE * GLYPH_WIDTH
}

fn style_fill(style: BarStyle, id: &str) -> String {
    match style {
        BarStyle::Accepted => ACCEPTED_FILL.to_string(),
        BarStyle::Rejected => format!("url(#{id}-hatch)"),
        BarStyle::Missing => "none".to_string(),
    }
}

fn style_stroke(style: BarStyle) -> &'static str {
    match style {
        BarStyle::Accepted => ACCEPTED_FILL,
        BarStyle::Rejected => REJECTED_FILL,
        BarStyle::Missing => GRID,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Chart;

    fn bars(figure: &Figure) -> &BarChart {
        match &figure.chart {
            Chart::Bars(chart) => chart,
            Chart::Svg(_) => panic!("test figures are bar charts"),
        }
    }
    use crate::report::model::{Bar, BarGroup, LegendEntry, Tick};

    fn figure(label: &str) -> Figure {
        Figure {
            id: "crisp".into(),
            caption: "Figure 1. <caption> & more".into(),
            file: "figures/crisp.en.svg".into(),
            description: "bars".into(),
            chart: Chart::Bars(BarChart {
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
        }
    }

    #[test]
    fn every_data_text_is_escaped() {
        let scripted = figure("1. a <script>alert(1)</script> & b");
        let svg = bar_chart(
            &scripted,
            bars(&scripted),
            "en",
            false,
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
        let svg = bar_chart(
            &figure("a"),
            bars(&figure("a")),
            "en",
            false,
            Embedding::Standalone,
        );
        assert!(svg.contains(r#"<rect x="424" y="#), "{svg}");
        assert!(svg.contains(r#"width="210""#), "{svg}");
        assert!(svg.contains(r#"<line x1="564" y1="34" x2="564""#), "{svg}");
        assert!(
            svg.contains("url(#crisp-hatch)"),
            "rejected bars are hatched"
        );
    }

    #[test]
    fn right_to_left_mirrors_the_plot() {
        // Mirrored: the 0.75 bar spans 780 - 424 - 210 = 146 to 356; the threshold is at 780 - 564 = 216.
        let svg = bar_chart(
            &figure("a"),
            bars(&figure("a")),
            "fa",
            true,
            Embedding::InlineHtml,
        );
        assert!(svg.contains(r#"<rect x="146" y="#), "{svg}");
        assert!(svg.contains(r#"<line x1="216" y1="34" x2="216""#), "{svg}");
        assert!(svg.contains(r#"direction="rtl""#), "{svg}");
        assert!(!svg.contains("http"), "inline SVG names no URL: {svg}");
    }

    #[test]
    fn long_labels_wrap_at_spaces_and_end_with_an_ellipsis() {
        assert_eq!(wrap_label("one two three", 7, 2), vec!["one two", "three"]);
        assert_eq!(
            wrap_label("one two three four", 7, 2),
            vec!["one two", "three…"]
        );
        assert_eq!(wrap_label("abcdefghij", 5, 2), vec!["abcd…"]);
        assert_eq!(wrap_label("short", 40, 2), vec!["short"]);
    }

    #[test]
    fn coordinates_have_at_most_two_decimals() {
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.346), "12.35");
        assert_eq!(n(0.5), "0.5");
        assert_eq!(n(-0.001), "0");
    }
}
