//! The framework figure: each component a box linked to its indicators, each indicator marked ✓
//! accepted (a blue circle), ✗ rejected (a red square) or ? undecided (a grey circle): shape, colour
//! and sign all differ, so the marks are told apart in grey print and by colour-blind readers.

use crate::domain::TextDirection;
use crate::report::figure::palette;
use crate::report::figure::writer::{
    Anchor, Paint, Svg, TextStyle, FIGURE_WIDTH, FONT_SIZE, GLYPH_WIDTH,
};
use crate::report::figure::{chars_in, wrap_label};
use crate::report::model::FrameworkChart;

const WIDTH: f64 = FIGURE_WIDTH;
const MARGIN: f64 = 10.0;
const LINE_HEIGHT: f64 = 13.0;
/// An indicator's row: its lines and this much space.
const ROW_PADDING: f64 = 5.0;
const GAP: f64 = 10.0;
/// Where the first component starts, under the legend.
const TOP: f64 = 34.0;
const BOX_START: f64 = MARGIN;
const BOX_WIDTH: f64 = 200.0;
const BOX_PADDING: f64 = 8.0;
/// Where the indicators' marks are centred, from the start edge.
const INDICATOR_X: f64 = 250.0;
/// Where an indicator's name starts.
const NAME_X: f64 = INDICATOR_X + 14.0;
/// A mark's circle radius (a square mark is as wide) and its sign's size.
const MARK_RADIUS: f64 = 7.0;
const MARK_SIZE: f64 = 11.0;

/// Draws the mark of a verdict centred at `centre`.
fn mark(svg: &mut Svg, centre: (f64, f64), accepted: Option<bool>) {
    let (sign, fill) = match accepted {
        Some(true) => ("✓", palette::ACCEPTED),
        Some(false) => ("✗", palette::REJECTED),
        None => ("?", palette::MUTED),
    };
    if accepted == Some(false) {
        let side = 2.0 * MARK_RADIUS - 1.0;
        svg.rect(
            centre.0 - side / 2.0,
            centre.1 - side / 2.0,
            side,
            side,
            Paint {
                corner: Some(2.0),
                ..Paint::filled(fill)
            },
        );
    } else {
        svg.circle(centre, MARK_RADIUS, fill);
    }
    svg.text(
        centre.0,
        centre.1 + MARK_SIZE * 0.36,
        sign,
        TextStyle {
            size: Some(MARK_SIZE),
            bold: true,
            fill: Some(palette::BACKGROUND),
            ..TextStyle::anchored(Anchor::Middle)
        },
    );
}

/// Draws the framework on a new writer; `id` prefixes the ids inside the SVG.
pub(crate) fn draw(chart: &FrameworkChart, id: &str, dir: TextDirection) -> Svg {
    let name_chars = chars_in(WIDTH - MARGIN - NAME_X, FONT_SIZE);
    let box_chars = chars_in(BOX_WIDTH - 2.0 * BOX_PADDING, FONT_SIZE);
    // Lay out first: names wrap, so the height follows from the lines.
    let mut blocks = Vec::new();
    let mut y = TOP;
    for component in &chart.components {
        let box_lines = wrap_label(&component.name, box_chars);
        let mut rows = Vec::new();
        let mut row_top = y;
        for indicator in &component.indicators {
            let lines = wrap_label(
                &format!("{}. {}", indicator.number, indicator.name),
                name_chars,
            );
            let height = lines.len().max(1) as f64 * LINE_HEIGHT + ROW_PADDING;
            rows.push((row_top, lines, indicator.accepted));
            row_top += height;
        }
        let box_min = box_lines.len().max(1) as f64 * LINE_HEIGHT + 2.0 * BOX_PADDING;
        let block = (row_top - y).max(box_min);
        blocks.push((y, block, box_lines, rows));
        y += block + GAP;
    }
    let mut svg = Svg::new(id, WIDTH, y + 6.0, dir);
    let plain = TextStyle::default();
    // Legend: the marks as drawn, each with its word.
    let mut legend_x = MARGIN + MARK_RADIUS;
    for (accepted, label) in [
        (Some(true), &chart.accepted_label),
        (Some(false), &chart.rejected_label),
    ] {
        mark(&mut svg, (legend_x, 14.0), accepted);
        svg.text(legend_x + MARK_RADIUS + 6.0, 18.0, label, plain);
        legend_x +=
            MARK_RADIUS + 6.0 + label.chars().count() as f64 * FONT_SIZE * GLYPH_WIDTH + 28.0;
    }
    for (top, block, box_lines, rows) in &blocks {
        let box_height = block - 4.0;
        let box_y = top + 2.0;
        let box_middle = box_y + box_height / 2.0;
        svg.rect(
            BOX_START,
            box_y,
            BOX_WIDTH,
            box_height,
            Paint {
                corner: Some(3.0),
                ..Paint::outlined(palette::PANEL, palette::AXIS)
            },
        );
        let first_baseline =
            box_middle - (box_lines.len() as f64 - 1.0) * LINE_HEIGHT / 2.0 + FONT_SIZE * 0.36;
        svg.text_lines(
            BOX_START + BOX_PADDING,
            first_baseline,
            LINE_HEIGHT,
            box_lines,
            TextStyle {
                bold: true,
                ..plain
            },
        );
        for (row_top, lines, accepted) in rows {
            // The mark sits on the first line of the name.
            let centre_y = row_top + (LINE_HEIGHT + ROW_PADDING) / 2.0;
            svg.line(
                (BOX_START + BOX_WIDTH, box_middle),
                (INDICATOR_X - MARK_RADIUS - 3.0, centre_y),
                palette::MUTED,
                1.0,
                None,
            );
            mark(&mut svg, (INDICATOR_X, centre_y), *accepted);
            svg.text_lines(
                NAME_X,
                centre_y + FONT_SIZE * 0.36,
                LINE_HEIGHT,
                lines,
                plain,
            );
        }
    }
    svg
}
