//! The report's figures, drawn with the SVG writer: the sensitivity of verdicts to the threshold.

use crate::report::svg_writer::{Anchor, Svg};
use crate::Lang;

/// One indicator of the sensitivity figure: its label (number and crisp value, already localised),
/// its crisp value (for ordering) and whether it is accepted at each threshold.
#[derive(Debug, Clone)]
pub struct SensitivityRow {
    pub label: String,
    pub crisp: f64,
    pub accepted: Vec<bool>,
}

const ACCEPTED: &str = "#2e7d32";
const REJECTED: &str = "#e4e7eb";
const CELL_W: f64 = 46.0;
const CELL_H: f64 = 18.0;
const CHAR_W: f64 = 7.0;

/// A grid of indicators (rows, highest crisp value first) by thresholds (columns, ascending): a filled
/// cell where the indicator is accepted. The study's threshold column is outlined. For Persian the
/// figure is mirrored: labels on the right, thresholds ascending from right to left.
pub fn sensitivity_figure(
    rows: &[SensitivityRow],
    thresholds: &[String],
    study_column: Option<usize>,
    title: &str,
    axis_label: &str,
    legend: &[String; 2],
    lang: Lang,
) -> String {
    let mut ordered: Vec<&SensitivityRow> = rows.iter().collect();
    ordered.sort_by(|a, b| b.crisp.total_cmp(&a.crisp));
    let rtl = lang == Lang::Fa;
    let label_w = ordered
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0) as f64
        * CHAR_W
        + 16.0;
    let grid_w = CELL_W * thresholds.len() as f64;
    let legend_w = legend.iter().map(|l| l.chars().count()).sum::<usize>() as f64 * CHAR_W + 80.0;
    let width = (label_w + grid_w + 20.0)
        .max(legend_w)
        .max(title.chars().count() as f64 * CHAR_W + 20.0);
    let top = 58.0;
    let height = top + CELL_H * ordered.len() as f64 + 48.0;
    // x of a point measured from the start side (left in English, right in Persian).
    let x = |from_start: f64, w: f64| {
        if rtl {
            width - from_start - w
        } else {
            from_start
        }
    };
    // Under `direction="rtl"` SVG mirrors text anchors itself ("start" is the right edge), so the
    // anchors stay as in English while the coordinates are mirrored.
    let (start, end) = (Anchor::Start, Anchor::End);
    let mut svg = Svg::new(width, height, title);
    svg.text(x(10.0, 0.0), 18.0, title, start, 13.0, true);
    svg.text(
        x(label_w + grid_w / 2.0, 0.0),
        34.0,
        axis_label,
        Anchor::Middle,
        11.0,
        false,
    );
    for (column, label) in thresholds.iter().enumerate() {
        let centre = label_w + CELL_W * column as f64 + CELL_W / 2.0;
        svg.text(
            x(centre, 0.0),
            top - 6.0,
            label,
            Anchor::Middle,
            11.0,
            study_column == Some(column),
        );
    }
    for (index, row) in ordered.iter().enumerate() {
        let y = top + CELL_H * index as f64;
        svg.text(
            x(label_w - 8.0, 0.0),
            y + 13.0,
            &row.label,
            end,
            11.0,
            false,
        );
        for (column, accepted) in row.accepted.iter().enumerate() {
            let fill = if *accepted { ACCEPTED } else { REJECTED };
            svg.rect(
                x(label_w + CELL_W * column as f64 + 1.0, CELL_W - 2.0),
                y + 1.0,
                CELL_W - 2.0,
                CELL_H - 2.0,
                fill,
                None,
            );
        }
    }
    if let Some(column) = study_column {
        svg.rect(
            x(label_w + CELL_W * column as f64, CELL_W),
            top,
            CELL_W,
            CELL_H * ordered.len() as f64,
            "none",
            Some(("#1b1b1b", 2.0)),
        );
    }
    let legend_y = top + CELL_H * ordered.len() as f64 + 24.0;
    let mut offset = 10.0;
    for (label, fill) in legend.iter().zip([ACCEPTED, REJECTED]) {
        svg.rect(
            x(offset, 14.0),
            legend_y - 11.0,
            14.0,
            14.0,
            fill,
            Some(("#9aa3ab", 1.0)),
        );
        svg.text(x(offset + 20.0, 0.0), legend_y, label, start, 11.0, false);
        offset += 20.0 + label.chars().count() as f64 * CHAR_W + 24.0;
    }
    svg.line(
        (x(label_w, 0.0), top),
        (x(label_w, 0.0), top + CELL_H * ordered.len() as f64),
        "#9aa3ab",
        1.0,
    );
    svg.finish(lang.code(), rtl)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<SensitivityRow> {
        vec![
            SensitivityRow {
                label: "No. 2 (0.55)".into(),
                crisp: 0.55,
                accepted: vec![true, false],
            },
            SensitivityRow {
                label: "No. 1 (0.65)".into(),
                crisp: 0.65,
                accepted: vec![true, true],
            },
        ]
    }

    #[test]
    fn rows_run_from_the_highest_crisp_value_and_cells_show_the_verdicts() {
        let legend = ["accepted".to_string(), "rejected".to_string()];
        let svg = sensitivity_figure(
            &rows(),
            &["0.5".into(), "0.6".into()],
            Some(0),
            "Verdicts",
            "Threshold",
            &legend,
            Lang::En,
        );
        let first = svg.find("No. 1 (0.65)").unwrap();
        let second = svg.find("No. 2 (0.55)").unwrap();
        assert!(first < second, "highest crisp first");
        // Three accepted cells (1: both, 2: the first) and one rejected cell, plus the legend swatches.
        assert_eq!(svg.matches(&format!("fill=\"{ACCEPTED}\"")).count(), 4);
        assert_eq!(svg.matches(&format!("fill=\"{REJECTED}\"")).count(), 2);
        assert!(
            svg.contains("stroke=\"#1b1b1b\""),
            "the study's column is outlined"
        );
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    }

    #[test]
    fn the_persian_figure_is_mirrored() {
        let legend = ["تأیید".to_string(), "رد".to_string()];
        let svg = sensitivity_figure(
            &rows(),
            &["۰٫۵".into(), "۰٫۶".into()],
            None,
            "حکم",
            "آستانه",
            &legend,
            Lang::Fa,
        );
        assert!(svg.contains("lang=\"fa\" direction=\"rtl\""), "{svg}");
        assert!(svg.contains(">۰٫۵</text>"), "{svg}");
        // Row labels sit on the right, ending next to the grid: anchored at their end, which RTL
        // text places on the left.
        assert!(
            svg.contains("text-anchor=\"end\" font-size=\"11.0\">No. 1"),
            "{svg}"
        );
    }
}
