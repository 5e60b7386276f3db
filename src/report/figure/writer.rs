//! The one SVG writer: shapes and text with every value escaped, one coordinate format, the palette's
//! background, the font stack, and the one mirroring rule for right-to-left figures.
//!
//! Mirroring rule: figures are drawn in reading-order coordinates (x measured from where a line of text
//! starts). In a right-to-left figure the writer mirrors every x about the middle (`width - x`; a box
//! from `x` of width `w` lands at `width - x - w`), and the root carries `direction="rtl"`, under which a
//! text's `start` is its right end: so anchors stay as drawn and text still reads away from its anchor.

use std::fmt::Write;

use crate::domain::TextDirection;
use crate::number::without_trailing_zeros;
use crate::report::figure::palette;
use crate::report::markup::escape;

/// The font stack of the shipped languages' figures (their `css_fonts`, quoted for an attribute):
/// system fonts first, then fonts with Persian letters; the tests' figures use it.
#[cfg(test)]
pub(crate) const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Tahoma, 'Noto Sans', 'Noto Sans Arabic', 'DejaVu Sans', sans-serif";
/// The text size a figure's text has unless it says otherwise.
pub(crate) const FONT_SIZE: f64 = 11.0;
/// The width every figure is drawn at: the page shows it at the text column's width (1,152 px at a
/// 1280 px window, 1.48 times; 680 px on A4), so the same units give the same text size in every figure.
pub(crate) const FIGURE_WIDTH: f64 = 780.0;
/// Average advance of a glyph as a share of the font size: conservative for Latin and Persian text.
pub(crate) const GLYPH_WIDTH: f64 = 0.55;

/// A coordinate or length at most two decimals, without trailing zeros: `12`, `12.35`, `0.5`.
pub(crate) fn coordinate(value: f64) -> String {
    without_trailing_zeros(&format!("{value:.2}"))
}

/// Where an SVG goes: its own file (which needs the SVG namespace) or inline in an HTML page (where
/// the HTML parser supplies it, and a page must name no other URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Embedding {
    Standalone,
    InlineHtml,
}

/// Which end of a text its `x` anchors, in the text's reading direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// How a text is set; the default is the figure's size and ink, anchored at its start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextStyle<'a> {
    pub(crate) anchor: Anchor,
    /// `None`: the figure's `FONT_SIZE`.
    pub(crate) size: Option<f64>,
    /// `None`: the figure's ink.
    pub(crate) fill: Option<&'a str>,
    pub(crate) bold: bool,
    /// A background-coloured outline that keeps the text readable over lines.
    pub(crate) halo: bool,
}

impl Default for TextStyle<'_> {
    fn default() -> Self {
        TextStyle {
            anchor: Anchor::Start,
            size: None,
            fill: None,
            bold: false,
            halo: false,
        }
    }
}

impl<'a> TextStyle<'a> {
    pub(crate) fn anchored(anchor: Anchor) -> TextStyle<'a> {
        TextStyle {
            anchor,
            ..TextStyle::default()
        }
    }

    fn attributes(&self) -> String {
        let mut out = format!(" text-anchor=\"{}\"", self.anchor.name());
        if let Some(size) = self.size {
            let _ = write!(out, " font-size=\"{}\"", coordinate(size));
        }
        if let Some(fill) = self.fill {
            let _ = write!(out, " fill=\"{}\"", escape(fill));
        }
        if self.bold {
            out.push_str(" font-weight=\"bold\"");
        }
        if self.halo {
            let _ = write!(
                out,
                " stroke=\"{}\" stroke-width=\"3\" paint-order=\"stroke\"",
                palette::BACKGROUND
            );
        }
        out
    }
}

/// The fill and outline of a shape.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Paint<'a> {
    /// `None`: no fill attribute (the figure's ink for a circle, as SVG inherits it).
    pub(crate) fill: Option<&'a str>,
    pub(crate) stroke: Option<&'a str>,
    pub(crate) stroke_width: Option<f64>,
    /// Radius of a rectangle's rounded corners.
    pub(crate) corner: Option<f64>,
}

impl<'a> Paint<'a> {
    pub(crate) fn filled(fill: &'a str) -> Paint<'a> {
        Paint {
            fill: Some(fill),
            ..Paint::default()
        }
    }

    pub(crate) fn outlined(fill: &'a str, stroke: &'a str) -> Paint<'a> {
        Paint {
            fill: Some(fill),
            stroke: Some(stroke),
            ..Paint::default()
        }
    }

    fn attributes(&self) -> String {
        let mut out = String::new();
        if let Some(corner) = self.corner {
            let _ = write!(out, " rx=\"{}\"", coordinate(corner));
        }
        if let Some(fill) = self.fill {
            let _ = write!(out, " fill=\"{}\"", escape(fill));
        }
        if let Some(stroke) = self.stroke {
            let _ = write!(out, " stroke=\"{}\"", escape(stroke));
        }
        if let Some(width) = self.stroke_width {
            let _ = write!(out, " stroke-width=\"{}\"", coordinate(width));
        }
        out
    }
}

/// What a figure says to readers who cannot see it, and the language of its text.
pub(crate) struct Heading<'a> {
    pub(crate) lang: &'a str,
    /// The font stack, CSS syntax with single quotes.
    pub(crate) font_family: &'a str,
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
}

/// An SVG figure being drawn. `id` prefixes the ids inside it so that several figures share a page.
pub(crate) struct Svg {
    id: String,
    width: f64,
    height: f64,
    dir: TextDirection,
    defs: String,
    body: String,
}

impl Svg {
    pub(crate) fn new(id: &str, width: f64, height: f64, dir: TextDirection) -> Svg {
        Svg {
            id: id.to_string(),
            width,
            height,
            dir,
            defs: String::new(),
            body: String::new(),
        }
    }

    /// The mirroring rule for a point: a reading-order x as drawn.
    pub(crate) fn x(&self, reading_x: f64) -> f64 {
        if self.dir.is_right_to_left() {
            self.width - reading_x
        } else {
            reading_x
        }
    }

    /// The mirroring rule for a span: the drawn left edge of `width` starting at reading-order `x`.
    pub(crate) fn span_x(&self, reading_x: f64, width: f64) -> f64 {
        if self.dir.is_right_to_left() {
            self.width - reading_x - width
        } else {
            reading_x
        }
    }

    /// A diagonal hatch in `colour` (a tint with stripes), defined once; returns the fill that uses it.
    pub(crate) fn hatch(&mut self, colour: &str) -> String {
        let id = format!("{}-hatch", escape(&self.id));
        if self.defs.is_empty() {
            let colour = escape(colour);
            let _ = write!(
                self.defs,
                r#"<pattern id="{id}" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="4" height="4" fill="{colour}" fill-opacity="0.25"/><line x1="0" y1="0" x2="0" y2="4" stroke="{colour}" stroke-width="2"/></pattern>"#
            );
        }
        format!("url(#{id})")
    }

    pub(crate) fn rect(&mut self, x: f64, y: f64, width: f64, height: f64, paint: Paint) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}"{}/>"#,
            coordinate(self.span_x(x, width)),
            coordinate(y),
            coordinate(width),
            coordinate(height),
            paint.attributes()
        );
    }

    /// A straight line; `dashes` is an SVG dash array such as `5 3`.
    pub(crate) fn line(
        &mut self,
        from: (f64, f64),
        to: (f64, f64),
        stroke: &str,
        width: f64,
        dashes: Option<&str>,
    ) {
        let dashes = dashes
            .map(|d| format!(" stroke-dasharray=\"{}\"", escape(d)))
            .unwrap_or_default();
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"{dashes}/>"#,
            coordinate(self.x(from.0)),
            coordinate(from.1),
            coordinate(self.x(to.0)),
            coordinate(to.1),
            escape(stroke),
            coordinate(width)
        );
    }

    pub(crate) fn polyline(&mut self, points: &[(f64, f64)], stroke: &str, width: f64) {
        let points: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{},{}", coordinate(self.x(*x)), coordinate(*y)))
            .collect();
        let _ = writeln!(
            self.body,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="{}"/>"#,
            points.join(" "),
            escape(stroke),
            coordinate(width)
        );
    }

    pub(crate) fn circle(&mut self, centre: (f64, f64), radius: f64, fill: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{}"/>"#,
            coordinate(self.x(centre.0)),
            coordinate(centre.1),
            coordinate(radius),
            escape(fill)
        );
    }

    pub(crate) fn text(&mut self, x: f64, y: f64, content: &str, style: TextStyle) {
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}"{}>{}</text>"#,
            coordinate(self.x(x)),
            coordinate(y),
            style.attributes(),
            escape(content)
        );
    }

    /// Lines of one text, the first on baseline `y`, each `line_height` below the one before.
    pub(crate) fn text_lines(
        &mut self,
        x: f64,
        y: f64,
        line_height: f64,
        lines: &[String],
        style: TextStyle,
    ) {
        let x = coordinate(self.x(x));
        let _ = write!(
            self.body,
            r#"<text x="{x}" y="{}"{}>"#,
            coordinate(y),
            style.attributes()
        );
        for (index, line) in lines.iter().enumerate() {
            let _ = write!(
                self.body,
                r#"<tspan x="{x}" y="{}">{}</tspan>"#,
                coordinate(y + index as f64 * line_height),
                escape(line)
            );
        }
        let _ = writeln!(self.body, "</text>");
    }

    /// Opens a group of shapes; `tooltip` is shown when the pointer rests on any of them.
    pub(crate) fn begin_group(&mut self, tooltip: Option<&str>) {
        let _ = writeln!(self.body, "<g>");
        if let Some(tooltip) = tooltip {
            let _ = writeln!(self.body, "<title>{}</title>", escape(tooltip));
        }
    }

    pub(crate) fn end_group(&mut self) {
        let _ = writeln!(self.body, "</g>");
    }

    /// The finished document: accessible name and description, language and direction, font, ink and
    /// a background, then what was drawn.
    pub(crate) fn finish(self, heading: &Heading, embedding: Embedding) -> String {
        let namespace = match embedding {
            Embedding::Standalone => r#" xmlns="http://www.w3.org/2000/svg""#,
            Embedding::InlineHtml => "",
        };
        let (w, h) = (coordinate(self.width), coordinate(self.height));
        let id = escape(&self.id);
        let lang = escape(heading.lang);
        let direction = self.dir.code();
        // A font stack quotes names with single quotes; only markup characters need escaping.
        let font_family = heading
            .font_family
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;");
        let mut svg = String::new();
        let _ = writeln!(
            svg,
            r#"<svg{namespace} width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" xml:lang="{lang}" lang="{lang}" direction="{direction}" font-family="{font_family}" font-size="{}" fill="{}">"#,
            coordinate(FONT_SIZE),
            palette::INK,
        );
        let _ = writeln!(
            svg,
            r#"<title id="{id}-title">{}</title>"#,
            escape(heading.title)
        );
        let _ = writeln!(
            svg,
            r#"<desc id="{id}-desc">{}</desc>"#,
            escape(heading.description)
        );
        if !self.defs.is_empty() {
            let _ = writeln!(svg, "<defs>{}</defs>", self.defs);
        }
        let _ = writeln!(
            svg,
            r#"<rect width="{w}" height="{h}" fill="{}"/>"#,
            palette::BACKGROUND
        );
        svg.push_str(&self.body);
        svg.push_str("</svg>\n");
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADING: Heading = Heading {
        lang: "en",
        font_family: FONT_FAMILY,
        title: "a < b & \"c\"",
        description: "it's <desc>",
    };

    #[test]
    fn coordinates_have_at_most_two_decimals_and_no_trailing_zeros() {
        assert_eq!(coordinate(12.0), "12");
        assert_eq!(coordinate(12.346), "12.35");
        assert_eq!(coordinate(0.5), "0.5");
        assert_eq!(coordinate(1.0 / 3.0), "0.33");
        assert_eq!(coordinate(-0.001), "0");
        assert_eq!(coordinate(100.0), "100");
    }

    #[test]
    fn a_document_is_written_exactly_with_every_text_escaped() {
        let mut svg = Svg::new("f<1>", 100.0, 50.5, TextDirection::LeftToRight);
        svg.text(
            10.0,
            20.0,
            "<script>x</script>",
            TextStyle::anchored(Anchor::Middle),
        );
        svg.rect(1.0, 2.0, 3.0, 4.0, Paint::filled("\"red"));
        let out = svg.finish(&HEADING, Embedding::Standalone);
        assert_eq!(
            out,
            concat!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50.5" viewBox="0 0 100 50.5" role="img" aria-labelledby="f&lt;1&gt;-title f&lt;1&gt;-desc" xml:lang="en" lang="en" direction="ltr" font-family="system-ui, -apple-system, 'Segoe UI', Tahoma, 'Noto Sans', 'Noto Sans Arabic', 'DejaVu Sans', sans-serif" font-size="11" fill="#1b1b1b">"##,
                "\n",
                r#"<title id="f&lt;1&gt;-title">a &lt; b &amp; &quot;c&quot;</title>"#,
                "\n",
                r#"<desc id="f&lt;1&gt;-desc">it&#39;s &lt;desc&gt;</desc>"#,
                "\n",
                r##"<rect width="100" height="50.5" fill="#ffffff"/>"##,
                "\n",
                r#"<text x="10" y="20" text-anchor="middle">&lt;script&gt;x&lt;/script&gt;</text>"#,
                "\n",
                r#"<rect x="1" y="2" width="3" height="4" fill="&quot;red"/>"#,
                "\n</svg>\n"
            )
        );
    }

    #[test]
    fn right_to_left_mirrors_points_and_spans_and_keeps_anchors() {
        let mut svg = Svg::new("m", 200.0, 10.0, TextDirection::RightToLeft);
        svg.rect(10.0, 0.0, 30.0, 5.0, Paint::filled("#000"));
        svg.line((10.0, 1.0), (50.5, 2.0), "#111", 1.5, Some("5 3"));
        svg.circle((20.0, 3.0), 2.0, "#222");
        svg.polyline(&[(0.0, 1.0), (100.0, 2.0)], "#333", 2.0);
        svg.text(
            12.0,
            8.0,
            "متن",
            TextStyle {
                bold: true,
                size: Some(13.0),
                ..TextStyle::default()
            },
        );
        let out = svg.finish(
            &Heading {
                lang: "fa",
                font_family: FONT_FAMILY,
                title: "t",
                description: "d",
            },
            Embedding::InlineHtml,
        );
        let body: Vec<&str> = out.lines().skip(4).collect();
        assert_eq!(
            body,
            [
                r##"<rect x="160" y="0" width="30" height="5" fill="#000"/>"##,
                r##"<line x1="190" y1="1" x2="149.5" y2="2" stroke="#111" stroke-width="1.5" stroke-dasharray="5 3"/>"##,
                r##"<circle cx="180" cy="3" r="2" fill="#222"/>"##,
                r##"<polyline points="200,1 100,2" fill="none" stroke="#333" stroke-width="2"/>"##,
                r#"<text x="188" y="8" text-anchor="start" font-size="13" font-weight="bold">متن</text>"#,
                "</svg>",
            ]
        );
        assert!(
            out.starts_with(r#"<svg width="200""#),
            "inline SVG has no namespace: {out}"
        );
        assert!(out.contains(r#"lang="fa" direction="rtl""#), "{out}");
    }

    #[test]
    fn a_hatch_is_defined_once_and_lines_of_text_share_their_x() {
        let mut svg = Svg::new("crisp", 50.0, 50.0, TextDirection::LeftToRight);
        assert_eq!(svg.hatch("#c0504d"), "url(#crisp-hatch)");
        assert_eq!(svg.hatch("#c0504d"), "url(#crisp-hatch)");
        svg.begin_group(Some("full <label>"));
        svg.text_lines(
            4.0,
            10.0,
            13.0,
            &["one".to_string(), "two".to_string()],
            TextStyle {
                halo: true,
                ..TextStyle::default()
            },
        );
        svg.end_group();
        let out = svg.finish(&HEADING, Embedding::Standalone);
        assert_eq!(out.matches("<pattern").count(), 1, "{out}");
        assert!(out.contains(concat!(
            "<g>\n<title>full &lt;label&gt;</title>\n",
            r##"<text x="4" y="10" text-anchor="start" stroke="#ffffff" stroke-width="3" paint-order="stroke"><tspan x="4" y="10">one</tspan><tspan x="4" y="23">two</tspan></text>"##,
            "\n</g>\n"
        )), "{out}");
    }
}
