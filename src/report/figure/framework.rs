//! The framework figure: each component a box linked to its indicators, each indicator marked ✓
//! accepted, ✗ rejected or ? undecided.

use crate::report::figure::palette;
use crate::report::figure::shorten;
use crate::report::figure::writer::{Anchor, Paint, Svg, TextStyle};
use crate::report::model::FrameworkChart;

const WIDTH: f64 = 900.0;
const ROW: f64 = 18.0;
const GAP: f64 = 10.0;
const TOP: f64 = 56.0;
const BOX_START: f64 = 10.0;
const BOX_WIDTH: f64 = 220.0;
/// Where the indicators' marks are centred, from the start edge.
const INDICATOR_X: f64 = 280.0;

/// Draws the framework on a new writer; `id` prefixes the ids inside the SVG.
pub fn draw(chart: &FrameworkChart, id: &str, rtl: bool) -> Svg {
    let rows: usize = chart
        .components
        .iter()
        .map(|c| c.indicators.len().max(1))
        .sum();
    let height = TOP + rows as f64 * ROW + chart.components.len() as f64 * GAP + 16.0;
    let mut svg = Svg::new(id, WIDTH, height, rtl);
    let plain = TextStyle::default();
    svg.text(
        WIDTH / 2.0,
        20.0,
        &chart.title,
        TextStyle {
            size: Some(13.0),
            bold: true,
            ..TextStyle::anchored(Anchor::Middle)
        },
    );
    // Legend.
    svg.circle((16.0, 38.0), 6.0, palette::ACCEPTED);
    svg.text(26.0, 42.0, &chart.accepted_label, plain);
    svg.circle((140.0, 38.0), 6.0, palette::REJECTED);
    svg.text(150.0, 42.0, &chart.rejected_label, plain);
    let mark_style = TextStyle {
        size: Some(9.0),
        bold: true,
        fill: Some(palette::BACKGROUND),
        ..TextStyle::anchored(Anchor::Middle)
    };
    let mut y = TOP;
    for component in &chart.components {
        let block = component.indicators.len().max(1) as f64 * ROW;
        let box_height = (block - 4.0).max(ROW);
        let box_y = y + (block - box_height) / 2.0;
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
        svg.text(
            BOX_START + 8.0,
            box_y + box_height / 2.0 + 4.0,
            &shorten(&component.name, 34),
            TextStyle {
                bold: true,
                ..plain
            },
        );
        for (index, indicator) in component.indicators.iter().enumerate() {
            let centre_y = y + ROW * (index as f64 + 0.5);
            svg.line(
                (BOX_START + BOX_WIDTH, box_y + box_height / 2.0),
                (INDICATOR_X - 10.0, centre_y),
                palette::MUTED,
                1.0,
                None,
            );
            let (fill, mark) = match indicator.accepted {
                Some(true) => (palette::ACCEPTED, "✓"),
                Some(false) => (palette::REJECTED, "✗"),
                None => (palette::MUTED, "?"),
            };
            svg.circle((INDICATOR_X, centre_y), 6.0, fill);
            svg.text(INDICATOR_X, centre_y + 3.5, mark, mark_style);
            svg.text(
                INDICATOR_X + 12.0,
                centre_y + 4.0,
                &format!("{}. {}", indicator.number, shorten(&indicator.name, 95)),
                plain,
            );
        }
        y += block + GAP;
    }
    svg
}
