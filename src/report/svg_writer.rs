//! A small SVG writer: rectangles, lines and text with escaped content and fixed-precision coordinates,
//! so the same figure is the same bytes on every run.

use std::fmt::Write as _;

/// Escapes text for XML character data and attribute values.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            other => out.push(other),
        }
    }
    out
}

/// Where a text's x coordinate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
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

/// An SVG document under construction.
pub struct Svg {
    width: f64,
    height: f64,
    title: String,
    body: String,
}

fn n(value: f64) -> String {
    format!("{value:.1}")
}

impl Svg {
    pub fn new(width: f64, height: f64, title: &str) -> Svg {
        Svg {
            width,
            height,
            title: title.to_string(),
            body: String::new(),
        }
    }

    pub fn rect(
        &mut self,
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        fill: &str,
        stroke: Option<(&str, f64)>,
    ) {
        let stroke = stroke
            .map(|(colour, w)| {
                format!(
                    " stroke=\"{}\" stroke-width=\"{}\"",
                    escape_xml(colour),
                    n(w)
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{stroke}/>",
            n(x),
            n(y),
            n(width),
            n(height),
            escape_xml(fill)
        );
    }

    pub fn line(&mut self, from: (f64, f64), to: (f64, f64), stroke: &str, width: f64) {
        let _ = writeln!(
            self.body,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>",
            n(from.0),
            n(from.1),
            n(to.0),
            n(to.1),
            escape_xml(stroke),
            n(width)
        );
    }

    pub fn text(&mut self, x: f64, y: f64, text: &str, anchor: Anchor, size: f64, bold: bool) {
        let weight = if bold { " font-weight=\"bold\"" } else { "" };
        let _ = writeln!(
            self.body,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"{}\"{weight}>{}</text>",
            n(x),
            n(y),
            anchor.name(),
            n(size),
            escape_xml(text)
        );
    }

    /// The finished document; `lang` and `rtl` set the language and direction of its text.
    pub fn finish(self, lang: &str, rtl: bool) -> String {
        let direction = if rtl { " direction=\"rtl\"" } else { "" };
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
             lang=\"{lang}\"{direction} font-family=\"system-ui, Tahoma, 'Noto Sans', 'Noto Sans Arabic', sans-serif\" role=\"img\">\n\
             <title>{title}</title>\n{body}</svg>\n",
            w = n(self.width),
            h = n(self.height),
            lang = escape_xml(lang),
            title = escape_xml(&self.title),
            body = self.body
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut svg = Svg::new(10.0, 10.0, "a < b & \"c\"");
        svg.text(1.0, 2.0, "<script>x</script>", Anchor::Start, 12.0, false);
        svg.rect(0.0, 0.0, 1.0, 1.0, "\"red", None);
        let out = svg.finish("en", false);
        assert!(
            out.contains("<title>a &lt; b &amp; &quot;c&quot;</title>"),
            "{out}"
        );
        assert!(
            out.contains(">&lt;script&gt;x&lt;/script&gt;</text>"),
            "{out}"
        );
        assert!(out.contains("fill=\"&quot;red\""), "{out}");
        assert!(!out.contains("<script"), "{out}");
    }

    #[test]
    fn coordinates_have_one_decimal() {
        let mut svg = Svg::new(100.0, 50.0, "t");
        svg.line((0.0, 1.0 / 3.0), (2.25, 4.0), "#000", 1.0);
        let out = svg.finish("fa", true);
        assert!(out.contains("x1=\"0.0\" y1=\"0.3\" x2=\"2.2\""), "{out}");
        assert!(out.contains("direction=\"rtl\""), "{out}");
    }
}
