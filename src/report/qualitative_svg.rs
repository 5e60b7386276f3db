//! A small SVG writer and the qualitative figures drawn with it: the saturation curve and the framework
//! (components with their indicators, accepted and rejected marked). Output is deterministic text: fixed
//! number formatting, no ids from counters shared between figures, every text escaped.

use std::fmt::Write;

pub use crate::report::svg_writer::escape_xml;

/// Coordinates at one decimal, the same on every run and platform.
fn n(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == rounded.trunc() {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// Which end of a text its `x` anchors, in the reading direction of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// Style of one text element.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle {
    pub size: f64,
    pub anchor: Anchor,
    pub bold: bool,
    pub fill: &'static str,
    /// Right-to-left text (Persian): the anchor's start is then on the right.
    pub rtl: bool,
}

/// An SVG document being drawn, with a title for screen readers.
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
}

impl Svg {
    pub fn new(width: f64, height: f64) -> Svg {
        Svg {
            width,
            height,
            body: String::new(),
        }
    }

    pub fn rect(&mut self, x: f64, y: f64, width: f64, height: f64, fill: &str, stroke: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{fill}" stroke="{stroke}"/>"#,
            n(x),
            n(y),
            n(width),
            n(height)
        );
    }

    pub fn line(&mut self, from: (f64, f64), to: (f64, f64), stroke: &str, width: f64) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}" stroke-width="{}"/>"#,
            n(from.0),
            n(from.1),
            n(to.0),
            n(to.1),
            n(width)
        );
    }

    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: &str, width: f64) {
        let points: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
            .collect();
        let _ = writeln!(
            self.body,
            r#"<polyline points="{}" fill="none" stroke="{stroke}" stroke-width="{}"/>"#,
            points.join(" "),
            n(width)
        );
    }

    pub fn circle(&mut self, center: (f64, f64), radius: f64, fill: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}"/>"#,
            n(center.0),
            n(center.1),
            n(radius)
        );
    }

    pub fn text(&mut self, x: f64, y: f64, content: &str, style: TextStyle) {
        let anchor = match style.anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let direction = if style.rtl { r#" direction="rtl""# } else { "" };
        let weight = if style.bold {
            r#" font-weight="bold""#
        } else {
            ""
        };
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" font-size="{}" text-anchor="{anchor}" fill="{}"{direction}{weight}>{}</text>"#,
            n(x),
            n(y),
            n(style.size),
            style.fill,
            escape_xml(content)
        );
    }

    /// The finished document; `title` is its accessible name.
    pub fn finish(self, title: &str) -> String {
        format!(
            concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" "#,
                r#"role="img" font-family="system-ui, 'Segoe UI', Tahoma, 'Noto Sans', 'Noto Sans Arabic', sans-serif">"#,
                "\n<title>{title}</title>\n{body}</svg>\n"
            ),
            w = n(self.width),
            h = n(self.height),
            title = escape_xml(title),
            body = self.body
        )
    }
}

/// Shortens a label to at most `max` characters, marking the cut with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}

/// Labels of the saturation figure, already in the report's language.
pub struct SaturationLabels {
    pub title: String,
    pub x_axis: String,
    pub y_axis: String,
    pub new_codes: String,
    pub cumulative: String,
}

/// Bars of new initial codes per successive interview, and the line of distinct codes so far.
/// `numbers` writes a number in the report's language.
pub fn saturation_figure(
    documents: &[String],
    new_codes: &[usize],
    cumulative: &[usize],
    labels: &SaturationLabels,
    rtl: bool,
    numbers: &dyn Fn(usize) -> String,
) -> String {
    let count = documents.len().max(1);
    let (left, right, top, bottom) = (56.0, 20.0, 40.0, 64.0);
    // At least 404 units wide (a 480-unit figure), so that the title and legend fit.
    let plot_width = (56.0 * count as f64).max(404.0);
    let step = plot_width / count as f64;
    let bar = (step * 0.6).min(48.0);
    let plot_height = 220.0;
    let width = left + plot_width + right;
    let height = top + plot_height + bottom;
    let max = cumulative.iter().copied().max().unwrap_or(0).max(1);
    // A round axis maximum: the next multiple of a step of 1, 2, 5, 10, 20, 50...
    let tick = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|t| max / t <= 5)
        .unwrap_or(1000);
    let axis_max = max.div_ceil(tick) * tick;
    let y = |value: usize| top + plot_height - plot_height * value as f64 / axis_max as f64;
    let mut svg = Svg::new(width, height);
    let small = TextStyle {
        size: 11.0,
        anchor: Anchor::Middle,
        bold: false,
        fill: "#1b1b1b",
        rtl,
    };
    svg.text(
        width / 2.0,
        20.0,
        &labels.title,
        TextStyle {
            size: 13.0,
            bold: true,
            ..small
        },
    );
    for value in (0..=axis_max).step_by(tick) {
        svg.line(
            (left, y(value)),
            (left + plot_width, y(value)),
            "#e1e4e8",
            1.0,
        );
        svg.text(
            left - 6.0,
            y(value) + 4.0,
            &numbers(value),
            TextStyle {
                anchor: Anchor::End,
                rtl: false,
                ..small
            },
        );
    }
    svg.line((left, top), (left, top + plot_height), "#57606a", 1.0);
    svg.line(
        (left, top + plot_height),
        (left + plot_width, top + plot_height),
        "#57606a",
        1.0,
    );
    let mut points = Vec::with_capacity(count);
    for (index, document) in documents.iter().enumerate() {
        let center = left + step * (index as f64 + 0.5);
        let new = new_codes.get(index).copied().unwrap_or(0);
        svg.rect(
            center - bar / 2.0,
            y(new),
            bar,
            top + plot_height - y(new),
            "#8cb4e8",
            "#3a6fb0",
        );
        let total = cumulative.get(index).copied().unwrap_or(0);
        points.push((center, y(total)));
        svg.text(
            center,
            top + plot_height + 16.0,
            &shorten(document, 8),
            small,
        );
    }
    svg.polyline(&points, "#b35900", 2.0);
    for point in &points {
        svg.circle(*point, 3.0, "#b35900");
    }
    svg.text(
        left + plot_width / 2.0,
        height - 26.0,
        &labels.x_axis,
        small,
    );
    // The chart reads left to right in both languages; a Persian label in a left-to-right text element
    // still shows its letters right to left.
    svg.text(
        left,
        top - 8.0,
        &labels.y_axis,
        TextStyle {
            anchor: Anchor::Start,
            rtl: false,
            ..small
        },
    );
    // Legend under the axis title.
    let legend_y = height - 8.0;
    svg.rect(left, legend_y - 9.0, 10.0, 10.0, "#8cb4e8", "#3a6fb0");
    svg.text(
        left + 14.0,
        legend_y,
        &labels.new_codes,
        TextStyle {
            anchor: Anchor::Start,
            rtl: false,
            ..small
        },
    );
    let second = left + 200.0;
    svg.line(
        (second, legend_y - 4.0),
        (second + 14.0, legend_y - 4.0),
        "#b35900",
        2.0,
    );
    svg.text(
        second + 18.0,
        legend_y,
        &labels.cumulative,
        TextStyle {
            anchor: Anchor::Start,
            rtl: false,
            ..small
        },
    );
    svg.finish(&labels.title)
}

/// A component of the framework figure and its indicators: (number, name, accepted?) with `None`
/// for an indicator without a decision.
pub struct FrameworkGroup {
    pub component: String,
    pub indicators: Vec<(String, String, Option<bool>)>,
}

/// Labels of the framework figure, already in the report's language.
pub struct FrameworkLabels {
    pub title: String,
    pub accepted: String,
    pub rejected: String,
}

/// Components (boxes) linked to their indicators (rows marked ✓ accepted or ✗ rejected). In a
/// right-to-left report the figure is mirrored: components on the right, text anchored on the right.
pub fn framework_figure(groups: &[FrameworkGroup], labels: &FrameworkLabels, rtl: bool) -> String {
    let (row, gap, top) = (18.0, 10.0, 56.0);
    let width = 900.0;
    let (box_width, indicator_x) = (220.0, 280.0);
    let rows: usize = groups.iter().map(|g| g.indicators.len().max(1)).sum();
    let height = top + rows as f64 * row + groups.len() as f64 * gap + 16.0;
    // Mirror x for a right-to-left figure.
    let x = |value: f64| if rtl { width - value } else { value };
    // With `direction="rtl"` an SVG text's start is its right end, so mirrored positions keep `start`.
    let start = Anchor::Start;
    let mut svg = Svg::new(width, height);
    let style = TextStyle {
        size: 11.0,
        anchor: start,
        bold: false,
        fill: "#1b1b1b",
        rtl,
    };
    svg.text(
        width / 2.0,
        20.0,
        &labels.title,
        TextStyle {
            size: 13.0,
            anchor: Anchor::Middle,
            bold: true,
            ..style
        },
    );
    // Legend.
    svg.circle((x(16.0), 38.0), 6.0, "#1a7f37");
    svg.text(x(26.0), 42.0, &labels.accepted, style);
    svg.circle((x(140.0), 38.0), 6.0, "#cf222e");
    svg.text(x(150.0), 42.0, &labels.rejected, style);
    let mut y = top;
    for group in groups {
        let count = group.indicators.len().max(1) as f64;
        let block = count * row;
        let box_height = (block - 4.0).max(row);
        let box_y = y + (block - box_height) / 2.0;
        let (left, right) = if rtl {
            (x(10.0 + box_width), x(10.0))
        } else {
            (10.0, 10.0 + box_width)
        };
        svg.rect(left, box_y, right - left, box_height, "#f3f5f7", "#57606a");
        svg.text(
            x(18.0),
            box_y + box_height / 2.0 + 4.0,
            &shorten(&group.component, 34),
            TextStyle {
                bold: true,
                ..style
            },
        );
        for (index, (number, name, accepted)) in group.indicators.iter().enumerate() {
            let centre_y = y + row * (index as f64 + 0.5);
            svg.line(
                (x(10.0 + box_width), box_y + box_height / 2.0),
                (x(indicator_x - 10.0), centre_y),
                "#8c959f",
                1.0,
            );
            let (fill, mark) = match accepted {
                Some(true) => ("#1a7f37", "✓"),
                Some(false) => ("#cf222e", "✗"),
                None => ("#8c959f", "?"),
            };
            svg.circle((x(indicator_x), centre_y), 6.0, fill);
            svg.text(
                x(indicator_x),
                centre_y + 3.5,
                mark,
                TextStyle {
                    size: 9.0,
                    anchor: Anchor::Middle,
                    bold: true,
                    fill: "#ffffff",
                    rtl: false,
                },
            );
            svg.text(
                x(indicator_x + 12.0),
                centre_y + 4.0,
                &format!("{number}. {}", shorten(name, 95)),
                style,
            );
        }
        y += block + gap;
    }
    svg.finish(&labels.title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_numbers_are_fixed() {
        let mut svg = Svg::new(10.0, 10.0);
        svg.text(
            1.25,
            2.0,
            "<b>&\"x\"",
            TextStyle {
                size: 10.0,
                anchor: Anchor::Start,
                bold: false,
                fill: "#000",
                rtl: false,
            },
        );
        let out = svg.finish("t<1>");
        assert!(out.contains("&lt;b&gt;&amp;&quot;x&quot;"), "{out}");
        assert!(out.contains("<title>t&lt;1&gt;</title>"), "{out}");
        assert!(out.contains(r#"x="1.3""#), "{out}");
        assert!(!out.contains("<b>"), "{out}");
    }

    #[test]
    fn saturation_bars_and_line_follow_the_counts() {
        // Three interviews: new codes 2, 1, 0; cumulative 2, 3, 3. Axis max 3 with a tick of 1.
        // Plot height 220 from y=40: cumulative 3 sits at y=40, 2 at 40+220/3=113.3.
        let labels = SaturationLabels {
            title: "Saturation".into(),
            x_axis: "Interview".into(),
            y_axis: "Codes".into(),
            new_codes: "New".into(),
            cumulative: "All".into(),
        };
        let documents = vec!["D1".to_string(), "D2".to_string(), "D3".to_string()];
        let svg = saturation_figure(&documents, &[2, 1, 0], &[2, 3, 3], &labels, false, &|v| {
            v.to_string()
        });
        // The plot is 404 wide (the minimum), a step of 134.67: centres at 56 + 67.3 = 123.3, 258, 392.7.
        assert!(
            svg.contains(r#"points="123.3,113.3 258,40 392.7,40""#),
            "{svg}"
        );
        assert_eq!(svg.matches("<rect").count(), 3 + 1);
        assert!(svg.contains(">D3</text>"));
    }
}
