//! Every figure of the report, drawn at render time from the figure data the model holds: the
//! crisp-value bars, the threshold-sensitivity grid, the saturation curve and the framework. One writer
//! (`writer`: coordinates, escaping, the font stack, the right-to-left mirroring rule) and one palette.

pub(crate) mod bars;
pub(crate) mod framework;
pub(crate) mod saturation;
pub(crate) mod sensitivity;
pub(crate) mod writer;

pub(crate) use writer::Embedding;

use crate::domain::Lang;
use crate::report::model::{Chart, Figure};
use writer::Heading;

/// The colours of every figure.
pub(crate) mod palette {
    /// Text and the threshold line.
    pub(crate) const INK: &str = "#1b1b1b";
    pub(crate) const BACKGROUND: &str = "#ffffff";
    /// Grid lines and rules between groups.
    pub(crate) const GRID: &str = "#d0d7de";
    /// Axes and box outlines.
    pub(crate) const AXIS: &str = "#57606a";
    /// Connectors, swatch outlines, undecided marks.
    pub(crate) const MUTED: &str = "#8c959f";
    /// The fill of a box.
    pub(crate) const PANEL: &str = "#f3f5f7";
    pub(crate) const ACCEPTED: &str = "#2f6f9f";
    pub(crate) const REJECTED: &str = "#c0504d";
    /// A cell with nothing to show (not accepted at that threshold).
    pub(crate) const EMPTY: &str = "#e4e7eb";
    /// A plotted series: its bars (filled light, outlined in the accepted blue) and its line.
    pub(crate) const SERIES_FILL: &str = "#8cb4e8";
    pub(crate) const SERIES_STROKE: &str = ACCEPTED;
    pub(crate) const SERIES_LINE: &str = "#b35900";
}

/// A figure as SVG in `lang`: the chart its data describes, with the figure's caption as its accessible
/// name and its text alternative as its description. Figures of a right-to-left language are mirrored.
pub(crate) fn draw(figure: &Figure, lang: Lang, embedding: Embedding) -> String {
    let dir = lang.dir();
    let svg = match &figure.chart {
        Chart::Bars(chart) => bars::draw(chart, &figure.id, dir),
        Chart::Verdicts(grid) => sensitivity::draw(grid, &figure.id, dir),
        Chart::Saturation(chart) => saturation::draw(chart, &figure.id, dir),
        Chart::Framework(chart) => framework::draw(chart, &figure.id, dir),
    };
    svg.finish(
        &Heading {
            lang: lang.code(),
            font_family: &lang.language().css_fonts.replace('"', "'"),
            title: &figure.caption,
            description: &figure.description,
        },
        embedding,
    )
}

/// Splits `text` into lines of about `max_chars` characters at spaces. Nothing is cut: a word longer
/// than a line has a line of its own.
pub(crate) fn wrap_label(text: &str, max_chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let length = current.chars().count();
        if length > 0 && length + 1 + word.chars().count() > max_chars {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// How many characters of `size`-unit text fit in `width` units, by the writer's glyph estimate.
pub(crate) fn chars_in(width: f64, size: f64) -> usize {
    (width / (size * writer::GLYPH_WIDTH)).floor().max(1.0) as usize
}

#[cfg(test)]
mod tests;
