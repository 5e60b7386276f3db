//! The crisp-value figure: horizontal bars in component groups on a value axis, with the threshold as a
//! dashed reference line; rejected bars hatched, indicators without responses outlined only.

use crate::domain::TextDirection;
use crate::report::figure::palette;
use crate::report::figure::writer::{
    Anchor, Paint, Svg, TextStyle, FIGURE_WIDTH, FONT_SIZE, GLYPH_WIDTH,
};
use crate::report::figure::{chars_in, wrap_label};
use crate::report::model::{Bar, BarChart, BarStyle};

/// Geometry, in CSS pixels, in reading order (the writer mirrors it for right-to-left).
const WIDTH: f64 = FIGURE_WIDTH;
const MARGIN: f64 = 12.0;
const LABEL_WIDTH: f64 = 400.0;
const GAP: f64 = 12.0;
const PLOT_WIDTH: f64 = 280.0;
const LINE_HEIGHT: f64 = 13.0;
const BAR_HEIGHT: f64 = 10.0;
const ROW_PADDING: f64 = 5.0;
const GROUP_HEADER: f64 = 22.0;
const HEADER_HEIGHT: f64 = 40.0;
const AXIS_HEIGHT: f64 = 40.0;
/// Where the plot starts, from the start edge.
const PLOT_START: f64 = MARGIN + LABEL_WIDTH + GAP;

/// One bar's row, laid out: its label's lines and where the row is.
struct Row<'a> {
    lines: Vec<String>,
    bar: &'a Bar,
    top: f64,
    height: f64,
}

/// The length along the plot of `value` on the chart's axis, clipped to the axis.
fn plot_length(chart: &BarChart, value: f64) -> f64 {
    let span = chart.max - chart.min;
    let share = if span > 0.0 {
        ((value - chart.min) / span).clamp(0.0, 1.0)
    } else {
        0.0
    };
    share * PLOT_WIDTH
}

/// Draws the chart on a new writer; `id` prefixes the ids inside the SVG.
pub(crate) fn draw(chart: &BarChart, id: &str, dir: TextDirection) -> Svg {
    let max_chars = chars_in(LABEL_WIDTH - 8.0, FONT_SIZE);

    // Lay out rows first: the height depends on how labels wrap.
    let mut group_tops = Vec::new();
    let mut rows = Vec::new();
    let mut y = HEADER_HEIGHT;
    for group in &chart.groups {
        group_tops.push((y, group.label.as_str()));
        y += GROUP_HEADER;
        for bar in &group.bars {
            let lines = wrap_label(&bar.label, max_chars);
            let height = (lines.len().max(1) as f64) * LINE_HEIGHT + 2.0 * ROW_PADDING;
            rows.push(Row {
                lines,
                bar,
                top: y,
                height,
            });
            y += height;
        }
    }
    let plot_bottom = y;
    let mut svg = Svg::new(id, WIDTH, plot_bottom + AXIS_HEIGHT, dir);
    let hatch = svg.hatch(palette::REJECTED);
    let fill = |style: BarStyle| match style {
        BarStyle::Accepted => palette::ACCEPTED.to_string(),
        BarStyle::Rejected => hatch.clone(),
        BarStyle::Missing => "none".to_string(),
    };
    let stroke = |style: BarStyle| match style {
        BarStyle::Accepted => palette::ACCEPTED,
        BarStyle::Rejected => palette::REJECTED,
        BarStyle::Missing => palette::GRID,
    };

    // Legend, at the start of the first line.
    let mut legend_x = MARGIN;
    for entry in &chart.legend {
        svg.rect(
            legend_x,
            10.0,
            14.0,
            BAR_HEIGHT,
            Paint::outlined(&fill(entry.style), stroke(entry.style)),
        );
        svg.text(legend_x + 20.0, 19.0, &entry.label, TextStyle::default());
        legend_x += 20.0 + estimated_width(&entry.label) + 18.0;
    }

    // Vertical grid at the ticks, then the tick labels and the axis title below the plot.
    let axis_y = plot_bottom + 4.0;
    let middle = TextStyle::anchored(Anchor::Middle);
    for tick in &chart.ticks {
        let x = PLOT_START + plot_length(chart, tick.value);
        svg.line((x, HEADER_HEIGHT), (x, axis_y), palette::GRID, 1.0, None);
        svg.text(x, axis_y + 12.0, &tick.label, middle);
    }
    svg.text(
        PLOT_START + plot_length(chart, (chart.min + chart.max) / 2.0),
        axis_y + 28.0,
        &chart.axis_label,
        TextStyle {
            bold: true,
            ..middle
        },
    );

    // Component groups: a rule and the component's name.
    let bold = TextStyle {
        bold: true,
        ..TextStyle::default()
    };
    for (top, label) in &group_tops {
        svg.line(
            (MARGIN, top + 2.0),
            (WIDTH - MARGIN, top + 2.0),
            palette::GRID,
            1.0,
            None,
        );
        svg.text(MARGIN, top + 16.0, label, bold);
    }

    // One row per bar: its label (wrapped) and the bar; its value is written after the threshold
    // line, so that the value's halo covers the line where the two cross.
    let mut values = Vec::with_capacity(rows.len());
    for row in &rows {
        svg.begin_group(Some(&row.bar.label));
        let first_baseline = row.top + ROW_PADDING + FONT_SIZE - 1.0;
        svg.text_lines(
            MARGIN + 8.0,
            first_baseline,
            LINE_HEIGHT,
            &row.lines,
            TextStyle::default(),
        );
        let bar_top = row.top + (row.height - BAR_HEIGHT) / 2.0;
        let value_end = match row.bar.value {
            Some(value) => {
                let width = plot_length(chart, value);
                svg.rect(
                    PLOT_START,
                    bar_top,
                    width,
                    BAR_HEIGHT,
                    Paint::outlined(&fill(row.bar.style), stroke(row.bar.style)),
                );
                PLOT_START + width
            }
            None => PLOT_START,
        };
        values.push((
            value_end + 4.0,
            bar_top + BAR_HEIGHT - 1.0,
            &row.bar.value_label,
        ));
        svg.end_group();
    }

    // The reference line (threshold) over the bars, labelled above the plot.
    if let Some(reference) = &chart.reference {
        let x = PLOT_START + plot_length(chart, reference.value);
        svg.line(
            (x, HEADER_HEIGHT - 6.0),
            (x, axis_y),
            palette::INK,
            1.5,
            Some("5 3"),
        );
        svg.text(x, HEADER_HEIGHT - 9.0, &reference.label, middle);
    }
    // The values over everything, each on a patch of background as wide as its text: where a value
    // crosses the threshold line, the line stops at it (a halo alone leaves the line showing
    // between the glyphs).
    for (x, y, label) in values {
        svg.rect(
            x - 2.0,
            y - FONT_SIZE - 1.0,
            estimated_width(label) + 4.0,
            FONT_SIZE + 5.0,
            Paint::filled(palette::BACKGROUND),
        );
        svg.text(
            x,
            y,
            label,
            TextStyle {
                halo: true,
                ..TextStyle::default()
            },
        );
    }
    svg
}

fn estimated_width(text: &str) -> f64 {
    text.chars().count() as f64 * FONT_SIZE * GLYPH_WIDTH
}
