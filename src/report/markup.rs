//! The one escaper for markup: text from data made safe inside XML and HTML, as character data or as a
//! quoted attribute value. Every writer (SVG figures, HTML page, Word XML, notebook) reaches it here.

/// Escapes `text` for XML or HTML character data and for a quoted attribute value. Control characters
/// other than tab, line feed and carriage return are not allowed in XML 1.0: they become spaces.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_and_controls_are_neutralised() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jo'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jo&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{1}b\tc\nd"), "a b\tc\nd");
        assert_eq!(escape("نمره ۰٫۵"), "نمره ۰٫۵");
    }
}
