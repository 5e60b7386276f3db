//! The saturation figure: bars of new initial codes per successive interview, and the line of distinct
//! codes so far, on a count axis with round ticks.

use crate::domain::TextDirection;
use crate::report::figure::palette;
use crate::report::figure::writer::{Anchor, Paint, Svg, TextStyle, FIGURE_WIDTH, FONT_SIZE};
use crate::report::figure::{chars_in, wrap_label};
use crate::report::model::SaturationChart;

const LEFT: f64 = 56.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 30.0;
const PLOT_HEIGHT: f64 = 220.0;
const LINE_HEIGHT: f64 = 13.0;
/// The narrowest plot: the figure is as wide as every other.
const MIN_PLOT_WIDTH: f64 = FIGURE_WIDTH - LEFT - RIGHT;

/// The ticks of a count axis reaching `max`: multiples of a round step (1, 2, 5, 10, 20, 50...) from 0
/// to the first multiple at or above `max`, at most six of them beyond zero.
pub(crate) fn count_ticks(max: usize) -> Vec<usize> {
    let max = max.max(1);
    let step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|t| max / t <= 5)
        .unwrap_or(1000);
    (0..=max.div_ceil(step) * step).step_by(step).collect()
}

/// Draws the chart on a new writer; `id` prefixes the ids inside the SVG.
pub(crate) fn draw(chart: &SaturationChart, id: &str, dir: TextDirection) -> Svg {
    let count = chart.steps.len().max(1);
    let plot_width = (56.0 * count as f64).max(MIN_PLOT_WIDTH);
    let step = plot_width / count as f64;
    let bar = (step * 0.6).min(48.0);
    let width = LEFT + plot_width + RIGHT;
    // Document names wrap under their bars; the axis title and the legend follow the longest.
    let names: Vec<Vec<String>> = chart
        .steps
        .iter()
        .map(|p| wrap_label(&p.document, chars_in(step - 4.0, FONT_SIZE)))
        .collect();
    let name_lines = names.iter().map(Vec::len).max().unwrap_or(1).max(1) as f64;
    let axis_title_y = TOP + PLOT_HEIGHT + 16.0 + (name_lines - 1.0) * LINE_HEIGHT + 22.0;
    let legend_y = axis_title_y + 18.0;
    let height = legend_y + 8.0;
    let axis_max = chart.ticks.last().map_or(1, |t| t.value).max(1);
    let y = |value: usize| TOP + PLOT_HEIGHT - PLOT_HEIGHT * value as f64 / axis_max as f64;
    let mut svg = Svg::new(id, width, height, dir);
    let middle = TextStyle::anchored(Anchor::Middle);
    for tick in &chart.ticks {
        let at = y(tick.value);
        svg.line(
            (LEFT, at),
            (LEFT + plot_width, at),
            palette::GRID,
            1.0,
            None,
        );
        svg.text(
            LEFT - 6.0,
            at + 4.0,
            &tick.label,
            TextStyle::anchored(Anchor::End),
        );
    }
    let bottom = TOP + PLOT_HEIGHT;
    svg.line((LEFT, TOP), (LEFT, bottom), palette::AXIS, 1.0, None);
    svg.line(
        (LEFT, bottom),
        (LEFT + plot_width, bottom),
        palette::AXIS,
        1.0,
        None,
    );
    let series = Paint {
        corner: Some(3.0),
        ..Paint::outlined(palette::SERIES_FILL, palette::SERIES_STROKE)
    };
    let mut points = Vec::with_capacity(count);
    for (index, (point, name)) in chart.steps.iter().zip(&names).enumerate() {
        let centre = LEFT + step * (index as f64 + 0.5);
        let top = y(point.new_codes);
        svg.rect(centre - bar / 2.0, top, bar, bottom - top, series);
        points.push((centre, y(point.cumulative)));
        svg.text_lines(centre, bottom + 16.0, LINE_HEIGHT, name, middle);
    }
    svg.polyline(&points, palette::SERIES_LINE, 2.0);
    for point in &points {
        svg.circle(*point, 3.0, palette::SERIES_LINE);
    }
    svg.text(LEFT + plot_width / 2.0, axis_title_y, &chart.x_axis, middle);
    svg.text(LEFT, TOP - 8.0, &chart.y_axis, TextStyle::default());
    // Legend under the axis title.
    svg.rect(LEFT, legend_y - 9.0, 10.0, 10.0, series);
    svg.text(
        LEFT + 14.0,
        legend_y,
        &chart.new_codes_label,
        TextStyle::default(),
    );
    let second = LEFT + 200.0;
    svg.line(
        (second, legend_y - 4.0),
        (second + 14.0, legend_y - 4.0),
        palette::SERIES_LINE,
        2.0,
        None,
    );
    svg.text(
        second + 18.0,
        legend_y,
        &chart.cumulative_label,
        TextStyle::default(),
    );
    svg
}
