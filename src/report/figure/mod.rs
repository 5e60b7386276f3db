//! Every figure of the report, drawn at render time from the figure data the model holds: the
//! crisp-value bars, the threshold-sensitivity grid, the saturation curve and the framework. One writer
//! (`writer`: coordinates, escaping, the font stack, the right-to-left mirroring rule) and one palette.

pub mod bars;
pub mod framework;
pub mod saturation;
pub mod sensitivity;
pub mod writer;

pub use writer::Embedding;

use crate::report::model::{Chart, Figure};
use crate::Lang;
pub use saturation::count_ticks;
use writer::Heading;

/// The colours of every figure.
pub mod palette {
    /// Text and the threshold line.
    pub const INK: &str = "#1b1b1b";
    pub const BACKGROUND: &str = "#ffffff";
    /// Grid lines and rules between groups.
    pub const GRID: &str = "#d0d7de";
    /// Axes and box outlines.
    pub const AXIS: &str = "#57606a";
    /// Connectors, swatch outlines, undecided marks.
    pub const MUTED: &str = "#8c959f";
    /// The fill of a box.
    pub const PANEL: &str = "#f3f5f7";
    pub const ACCEPTED: &str = "#2f6f9f";
    pub const REJECTED: &str = "#c0504d";
    /// A cell with nothing to show (not accepted at that threshold).
    pub const EMPTY: &str = "#e4e7eb";
    /// A plotted series: its bars (filled light, outlined in the accepted blue) and its line.
    pub const SERIES_FILL: &str = "#8cb4e8";
    pub const SERIES_STROKE: &str = ACCEPTED;
    pub const SERIES_LINE: &str = "#b35900";
}

/// A figure as SVG in `lang`: the chart its data describes, with the figure's caption as its accessible
/// name and its text alternative as its description. Persian figures read right to left.
pub fn draw(figure: &Figure, lang: Lang, embedding: Embedding) -> String {
    let rtl = lang == Lang::Fa;
    let svg = match &figure.chart {
        Chart::Bars(chart) => bars::draw(chart, &figure.id, rtl),
        Chart::Verdicts(grid) => sensitivity::draw(grid, &figure.id, rtl),
        Chart::Saturation(chart) => saturation::draw(chart, &figure.id, rtl),
        Chart::Framework(chart) => framework::draw(chart, &figure.id, rtl),
    };
    svg.finish(
        &Heading {
            lang: lang.code(),
            title: &figure.caption,
            description: &figure.description,
        },
        embedding,
    )
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

/// Shortens a label to at most `max` characters, marking the cut with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

#[cfg(test)]
mod tests;
