//! The report's trusted Markdown (narrative, method, notes) as Word paragraphs: paragraphs, bold,
//! italic, code spans, lists and headings. Raw HTML is shown as text; links and images keep their text.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::text::{self, Look, WordStyle};
use crate::domain::Lang;

/// Appends the paragraphs of `source`, in a report in `lang` written as `style` says, to `out`.
pub(crate) fn paragraphs(out: &mut String, source: &str, lang: Lang, style: &WordStyle) {
    let mut state = State {
        out,
        lang,
        style,
        rtl: style.rtl,
        open: false,
        fresh_item: false,
        bold: 0,
        italic: 0,
        lists: Vec::new(),
    };
    for event in Parser::new(source) {
        state.event(event);
    }
    state.close();
}

struct State<'a> {
    out: &'a mut String,
    lang: Lang,
    style: &'a WordStyle,
    rtl: bool,
    /// A paragraph is open.
    open: bool,
    /// The open paragraph is a list item's first, still without its own text.
    fresh_item: bool,
    bold: u32,
    italic: u32,
    /// The next number of each open list (None for bullets).
    lists: Vec<Option<u64>>,
}

impl State<'_> {
    fn open(&mut self, style: &str) {
        self.close();
        self.out.push_str("<w:p><w:pPr>");
        self.out
            .push_str(&format!(r#"<w:pStyle w:val="{style}"/>"#));
        if self.rtl {
            self.out.push_str("<w:bidi/>");
        }
        if !self.lists.is_empty() {
            // Indented from the start by list depth, with the marker hanging.
            let depth = self.lists.len() as u32;
            let side = if self.rtl { "right" } else { "left" };
            self.out.push_str(&format!(
                r#"<w:ind w:{side}="{}" w:hanging="360"/>"#,
                360 * depth + 360
            ));
        }
        self.out.push_str("</w:pPr>");
        self.open = true;
    }

    fn close(&mut self) {
        if self.open {
            self.out.push_str("</w:p>");
            self.open = false;
        }
        self.fresh_item = false;
    }

    fn look(&self, code: bool) -> Look {
        Look {
            bold: self.bold > 0,
            italic: self.italic > 0,
            code,
            half_points: None,
        }
    }

    fn text(&mut self, text: &str, code: bool) {
        if !self.open {
            self.open("Normal");
        }
        self.fresh_item = false;
        let look = self.look(code);
        if code {
            // Code reads left to right even inside Persian text.
            text::run(self.out, text, look, false, self.style);
        } else {
            text::runs(self.out, text, look, self.style);
        }
    }

    fn event(&mut self, event: Event) {
        match event {
            // A list item's first paragraph is the one its marker opened.
            Event::Start(Tag::Paragraph) if !self.fresh_item => {
                let style = if self.lists.is_empty() {
                    "Normal"
                } else {
                    "ListParagraph"
                };
                self.open(style);
            }
            Event::End(TagEnd::Paragraph) if !self.fresh_item => self.close(),
            Event::Start(Tag::Heading { level, .. }) => {
                self.open(if level <= HeadingLevel::H2 {
                    "Heading2"
                } else {
                    "Heading3"
                });
            }
            Event::End(TagEnd::Heading(_)) | Event::End(TagEnd::Item) => self.close(),
            Event::Start(Tag::List(start)) => {
                self.close();
                self.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                self.close();
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.open("ListParagraph");
                let marker = match self.lists.last_mut() {
                    Some(Some(number)) => {
                        let marker = format!("{number}.\t");
                        *number += 1;
                        self.lang.digits(&marker)
                    }
                    _ => "•\t".to_string(),
                };
                let look = self.look(false);
                text::run(self.out, &marker, look, self.rtl, self.style);
                self.fresh_item = true;
            }
            Event::Start(Tag::CodeBlock(_)) => self.open("Code"),
            Event::End(TagEnd::CodeBlock) => self.close(),
            Event::Start(Tag::Strong) => self.bold += 1,
            Event::End(TagEnd::Strong) => self.bold = self.bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => self.italic += 1,
            Event::End(TagEnd::Emphasis) => self.italic = self.italic.saturating_sub(1),
            Event::Text(text) => {
                let code = self.out_in_code_block();
                self.text(&text, code);
            }
            Event::Code(code) => self.text(&code, true),
            Event::Html(raw) | Event::InlineHtml(raw) => self.text(&raw, false),
            Event::SoftBreak => self.text(" ", false),
            Event::HardBreak => self.text("\n", false),
            // Links and images keep their text; block quotes, rules and the rest pass their text.
            _ => {}
        }
    }

    /// True inside a fenced or indented code block (its paragraph has the Code style).
    fn out_in_code_block(&self) -> bool {
        self.open
            && self.out.rfind("<w:p><w:pPr>").is_some_and(|at| {
                self.out[at..].starts_with(r#"<w:p><w:pPr><w:pStyle w:val="Code"/>"#)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(xml: &str) -> Vec<String> {
        xml.split("<w:p>")
            .skip(1)
            .map(|p| {
                p.replace("<w:tab/>", "<w:t xml:space=\"preserve\">\t</w:t>")
                    .split(r#"<w:t xml:space="preserve">"#)
                    .skip(1)
                    .map(|t| t[..t.find("</w:t>").unwrap()].to_string())
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn emphasis_lists_and_raw_html_become_runs_and_paragraphs() {
        let mut out = String::new();
        paragraphs(
            &mut out,
            "A **bold** and *italic* word, `x = 1`, <b>raw</b>.\n\n1. one\n2. two\n\n- item",
            Lang::EN,
            &WordStyle::new(Lang::EN, &[Lang::FA]),
        );
        assert_eq!(
            texts(&out),
            vec![
                "A bold and italic word, x = 1, &lt;b&gt;raw&lt;/b&gt;.",
                "1.\tone",
                "2.\ttwo",
                "•\titem"
            ]
        );
        assert_eq!(out.matches("<w:b/><w:bCs/>").count(), 1);
        assert_eq!(out.matches("<w:i/><w:iCs/>").count(), 1);
        assert!(out.contains(r#"w:ascii="Courier New""#));
        assert_eq!(
            out.matches(r#"<w:pStyle w:val="ListParagraph"/>"#).count(),
            3
        );
    }

    #[test]
    fn persian_paragraphs_are_right_to_left_with_persian_list_numbers() {
        let mut out = String::new();
        paragraphs(
            &mut out,
            "**مقدار** قطعی\n\n3. سوم",
            Lang::FA,
            &WordStyle::new(Lang::FA, &[Lang::EN]),
        );
        assert_eq!(texts(&out), vec!["مقدار قطعی", "۳.\tسوم"]);
        assert_eq!(out.matches("<w:bidi/>").count(), 2);
        assert!(out.contains(r#"<w:ind w:right="720" w:hanging="360"/>"#));
        // Every run is right to left and the bold one bold in the complex script too.
        assert_eq!(
            out.matches("<w:r>").count(),
            out.matches("<w:rtl/>").count()
        );
        assert!(out.contains("<w:b/><w:bCs/>"));
    }
}
