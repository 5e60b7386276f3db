//! The threshold-sensitivity figure: a grid of indicators (rows, highest crisp value first) by
//! thresholds (columns, ascending), a filled cell where the indicator is accepted; the study's threshold
//! column is outlined.

use crate::domain::TextDirection;
use crate::report::figure::palette;
use crate::report::figure::writer::{Anchor, Paint, Svg, TextStyle, FIGURE_WIDTH};
use crate::report::model::{VerdictGrid, VerdictRow};

/// The narrowest cell; cells share the width the labels leave.
const MIN_CELL_W: f64 = 46.0;
const CELL_H: f64 = 18.0;
/// Width allowed per character of a label.
const CHAR_W: f64 = 7.0;
const TOP: f64 = 40.0;

/// Draws the grid on a new writer; `id` prefixes the ids inside the SVG.
pub(crate) fn draw(grid: &VerdictGrid, id: &str, dir: TextDirection) -> Svg {
    let mut ordered: Vec<&VerdictRow> = grid.rows.iter().collect();
    ordered.sort_by(|a, b| b.crisp.total_cmp(&a.crisp));
    let label_w = ordered
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0) as f64
        * CHAR_W
        + 16.0;
    let columns = grid.thresholds.len().max(1) as f64;
    let width = FIGURE_WIDTH.max(label_w + MIN_CELL_W * columns + 20.0);
    let cell_w = (width - label_w - 20.0) / columns;
    let grid_w = cell_w * grid.thresholds.len() as f64;
    let grid_h = CELL_H * ordered.len() as f64;
    let height = TOP + grid_h + 48.0;
    let mut svg = Svg::new(id, width, height, dir);
    let middle = TextStyle::anchored(Anchor::Middle);
    svg.text(label_w + grid_w / 2.0, 16.0, &grid.axis_label, middle);
    for (column, label) in grid.thresholds.iter().enumerate() {
        let centre = label_w + cell_w * column as f64 + cell_w / 2.0;
        let bold = grid.study_column == Some(column);
        svg.text(centre, TOP - 6.0, label, TextStyle { bold, ..middle });
    }
    for (index, row) in ordered.iter().enumerate() {
        let y = TOP + CELL_H * index as f64;
        // Labels end next to the grid.
        svg.text(
            label_w - 8.0,
            y + 13.0,
            &row.label,
            TextStyle::anchored(Anchor::End),
        );
        for (column, accepted) in row.accepted.iter().enumerate() {
            let fill = if *accepted {
                palette::ACCEPTED
            } else {
                palette::EMPTY
            };
            svg.rect(
                label_w + cell_w * column as f64 + 1.0,
                y + 1.0,
                cell_w - 2.0,
                CELL_H - 2.0,
                Paint::filled(fill),
            );
        }
    }
    if let Some(column) = grid.study_column {
        svg.rect(
            label_w + cell_w * column as f64,
            TOP,
            cell_w,
            grid_h,
            Paint {
                stroke_width: Some(2.0),
                ..Paint::outlined("none", palette::INK)
            },
        );
    }
    let legend_y = TOP + grid_h + 24.0;
    let mut offset = 10.0;
    for (label, fill) in [
        (&grid.accepted_label, palette::ACCEPTED),
        (&grid.rejected_label, palette::EMPTY),
    ] {
        svg.rect(
            offset,
            legend_y - 11.0,
            14.0,
            14.0,
            Paint {
                stroke_width: Some(1.0),
                ..Paint::outlined(fill, palette::MUTED)
            },
        );
        svg.text(offset + 20.0, legend_y, label, TextStyle::default());
        offset += 20.0 + label.chars().count() as f64 * CHAR_W + 24.0;
    }
    svg.line(
        (label_w, TOP),
        (label_w, TOP + grid_h),
        palette::MUTED,
        1.0,
        None,
    );
    svg
}
