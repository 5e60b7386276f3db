//! Word: `report.<lang>.docx`, the report's cells as WordprocessingML written directly (zip + XML), with
//! Persian done the way Word itself writes it: `w:bidi` paragraphs, `w:rtl` runs with complex-script
//! fonts, sizes, bold and italic, `w:bidiVisual` tables, Persian digits, formulas in left-to-right runs.
//!
//! Bytes are deterministic: zip entries dated 1980-01-01, no revision ids, and the document's dates in
//! `docProps/core.xml` only when `SOURCE_DATE_EPOCH` is given.

mod markdown;
mod package;
pub(crate) mod text;

use anyhow::Result;

use crate::domain::Lang;
use crate::report::markup;
use crate::report::model::{Block, Cell, Figure, ReportDocument, Table};
use crate::report::xlsx::parse_number;
use text::{Look, WordStyle};

/// A figure as Word shows it: the SVG (Word 2016 and later) and the PNG every picture must also have.
#[derive(Debug, Clone)]
pub(crate) struct FigureImage {
    pub(crate) png: Vec<u8>,
    /// The size the figure is drawn at, in CSS pixels (1/96 inch).
    pub(crate) drawn_width: f64,
    pub(crate) drawn_height: f64,
    pub(crate) svg: String,
}

/// A4 in twentieths of a point, with 2 cm margins.
const PAGE_WIDTH: u32 = 11_906;
const PAGE_HEIGHT: u32 = 16_838;
const MARGIN: u32 = 1_134;
const TEXT_WIDTH: u32 = PAGE_WIDTH - 2 * MARGIN;
/// English Metric Units per twentieth of a point, and per CSS pixel.
const EMU_PER_TWIP: u64 = 635;
const EMU_PER_PX: f64 = 9_525.0;
/// Table text size in half-points (9 pt).
const TABLE_TEXT: u32 = 18;

/// The Word document of one language; `figures` holds each figure's image by figure id.
pub(crate) fn document(
    document: &ReportDocument,
    figures: &std::collections::BTreeMap<String, FigureImage>,
    source_date_epoch: Option<u64>,
) -> Result<Vec<u8>> {
    let style = word_style(document);
    let mut writer = Writer {
        lang: document.lang,
        rtl: style.rtl,
        style,
        body: String::new(),
        media: Vec::new(),
    };
    for block in &document.blocks {
        match block {
            Block::Front => writer.front(document),
            Block::Text { markdown, .. } => writer.markdown(markdown),
            Block::Cell(cell) => writer.cell(cell, document, figures)?,
            Block::Table(table) => writer.table(table),
            Block::Figure(figure) => writer.captioned_figure(figure, figures)?,
        }
    }
    let body = writer.finish();
    package::package(document, &body, &writer.media, source_date_epoch)
}

/// An image part of the package: its name under `word/media/`, bytes and relationship id.
pub(crate) struct Media {
    pub(crate) name: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) relationship: String,
}

/// The Word style of a report: its language's, with the study's other languages for runs of the
/// other direction.
pub(crate) fn word_style(document: &ReportDocument) -> WordStyle {
    let others: Vec<Lang> = document.other_languages.iter().map(|o| o.lang).collect();
    WordStyle::new(document.lang, &others)
}

struct Writer {
    lang: Lang,
    style: WordStyle,
    rtl: bool,
    body: String,
    media: Vec<Media>,
}

impl Writer {
    /// The front page: title, citation, preamble, the other language's document and the key findings;
    /// the contents are the page's and the notebook's (Word numbers no links).
    fn front(&mut self, document: &ReportDocument) {
        self.paragraph("Title", &document.title, Look::default());
        if !document.front.citation.is_empty() {
            self.markdown(&document.front.citation);
        }
        self.markdown(&document.preamble);
        for other in &document.other_languages {
            self.paragraph(
                "Normal",
                &format!("{}: {}", other.label, other.word_file),
                Look::default(),
            );
        }
        self.paragraph(
            "Heading1",
            &document.front.findings_heading,
            Look::default(),
        );
        let findings: Vec<String> = document
            .front
            .findings
            .iter()
            .flat_map(|f| {
                std::iter::once(format!("- {}", f.text))
                    .chain(f.details.iter().map(|d| format!("  - {d}")))
            })
            .collect();
        self.markdown(&findings.join("\n"));
    }

    /// A figure with its caption under it.
    fn captioned_figure(
        &mut self,
        figure: &Figure,
        figures: &std::collections::BTreeMap<String, FigureImage>,
    ) -> Result<()> {
        let image = figures
            .get(&figure.id)
            .ok_or_else(|| anyhow::anyhow!("figure '{}' has no rendered image", figure.id))?;
        self.figure(&figure.id, &figure.description, image);
        self.paragraph("Caption", &figure.caption, Look::default());
        Ok(())
    }

    fn cell(
        &mut self,
        cell: &Cell,
        document: &ReportDocument,
        figures: &std::collections::BTreeMap<String, FigureImage>,
    ) -> Result<()> {
        let labels = &document.labels;
        self.paragraph("Heading1", &cell.heading, Look::default());
        for paragraph in &cell.narrative {
            self.markdown(paragraph);
        }
        if !cell.method.is_empty() || !cell.method_tables.is_empty() {
            self.paragraph("Heading2", &labels.method, Look::default());
            for paragraph in &cell.method {
                self.markdown(paragraph);
            }
            for table in &cell.method_tables {
                self.table(table);
            }
        }
        if !cell.input_links.is_empty() {
            // Names only: the digests are in the inputs cell's table.
            let files: Vec<String> = cell
                .input_links
                .iter()
                .map(|i| format!("`{}`", i.path.replace('`', "")))
                .collect();
            self.markdown(&format!(
                "**{}:** {}",
                labels.inputs,
                files.join(&labels.list_separator)
            ));
        }
        if cell.has_output() {
            self.paragraph("Heading2", &labels.output, Look::default());
            for table in &cell.tables {
                self.table(table);
            }
            for figure in &cell.figures {
                self.captioned_figure(figure, figures)?;
            }
            for note in &cell.notes {
                self.markdown(note);
            }
        }
        Ok(())
    }

    /// Paragraph properties in schema order (CT_PPr): style, keep-with-next, direction, alignment.
    fn paragraph_start(&mut self, style: &str, align: Option<&str>) {
        self.body.push_str("<w:p><w:pPr>");
        self.body
            .push_str(&format!(r#"<w:pStyle w:val="{style}"/>"#));
        if self.rtl {
            self.body.push_str("<w:bidi/>");
        }
        if let Some(align) = align {
            self.body.push_str(&format!(r#"<w:jc w:val="{align}"/>"#));
        }
        self.body.push_str("</w:pPr>");
    }

    fn paragraph(&mut self, style: &str, text: &str, look: Look) {
        self.paragraph_start(style, None);
        text::runs(&mut self.body, text, look, &self.style);
        self.body.push_str("</w:p>");
    }

    fn markdown(&mut self, source: &str) {
        markdown::paragraphs(&mut self.body, source, self.lang, &self.style);
    }

    /// A caption paragraph (kept with the table), then the table: header row repeated on every page,
    /// rows never split, number cells aligned to the end at their printed precision.
    fn table(&mut self, table: &Table) {
        if !table.caption.is_empty() {
            self.paragraph("Caption", &table.caption, Look::default());
        }
        let columns = table.headers.len().max(1);
        let numeric: Vec<bool> = (0..columns)
            .map(|c| {
                let mut cells = table.rows.iter().filter_map(|r| r.get(c));
                let mut any = false;
                let all = cells.all(|text| {
                    any |= !text.is_empty();
                    text.is_empty() || parse_number(text).is_some()
                });
                all && any
            })
            .collect();
        self.body.push_str("<w:tbl><w:tblPr>");
        self.body.push_str(r#"<w:tblStyle w:val="ReportTable"/>"#);
        if self.rtl {
            self.body.push_str("<w:bidiVisual/>");
        }
        self.body.push_str(
            r#"<w:tblW w:w="5000" w:type="pct"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>"#,
        );
        self.body.push_str("<w:tblGrid>");
        for width in column_widths(table, columns) {
            self.body
                .push_str(&format!(r#"<w:gridCol w:w="{width}"/>"#));
        }
        self.body.push_str("</w:tblGrid>");
        self.body
            .push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        for (column, header) in table.headers.iter().enumerate() {
            let align = numeric.get(column).copied().unwrap_or(false);
            self.table_cell(header, true, align);
        }
        self.body.push_str("</w:tr>");
        for row in &table.rows {
            self.body.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            for (column, is_number) in numeric.iter().enumerate() {
                let text = row.get(column).map_or("", String::as_str);
                let align = *is_number && parse_number(text).is_some();
                self.table_cell(text, false, align);
            }
            self.body.push_str("</w:tr>");
        }
        self.body.push_str("</w:tbl>");
    }

    fn table_cell(&mut self, text: &str, header: bool, number: bool) {
        self.body.push_str("<w:tc><w:tcPr>");
        if header {
            self.body
                .push_str(r#"<w:shd w:val="clear" w:color="auto" w:fill="E7ECF0"/>"#);
        }
        self.body.push_str("</w:tcPr>");
        // In a right-to-left paragraph Word reads "left" as the start and "right" as the end; numbers
        // go to the right-hand edge in both languages (the end in English, the start in Persian).
        let align = number.then_some(if self.rtl { "left" } else { "right" });
        self.paragraph_start("TableText", align);
        let look = Look {
            bold: header,
            half_points: Some(TABLE_TEXT),
            ..Look::default()
        };
        text::runs(&mut self.body, text, look, &self.style);
        self.body.push_str("</w:p></w:tc>");
    }

    /// A figure alone in a centred paragraph, scaled to fit the text width and most of a page.
    fn figure(&mut self, id: &str, description: &str, image: &FigureImage) {
        let index = self.media.len() / 2 + 1;
        let png_rel = format!("rIdImage{index}");
        let svg_rel = format!("rIdImage{index}Svg");
        self.media.push(Media {
            name: format!("{id}.png"),
            bytes: image.png.clone(),
            relationship: png_rel.clone(),
        });
        self.media.push(Media {
            name: format!("{id}.svg"),
            bytes: image.svg.clone().into_bytes(),
            relationship: svg_rel.clone(),
        });
        let max_width = (u64::from(TEXT_WIDTH) * EMU_PER_TWIP) as f64;
        let max_height = (u64::from(PAGE_HEIGHT - 2 * MARGIN - 1_400) * EMU_PER_TWIP) as f64;
        let width = image.drawn_width * EMU_PER_PX;
        let height = image.drawn_height * EMU_PER_PX;
        let scale = (max_width / width).min(max_height / height).min(1.0);
        let cx = (width * scale).round() as u64;
        let cy = (height * scale).round() as u64;
        let description = markup::escape(description);
        self.paragraph_start("Figure", Some("center"));
        self.body.push_str(&format!(
            concat!(
                r#"<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">"#,
                r#"<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>"#,
                r#"<wp:docPr id="{index}" name="{id}" descr="{description}"/>"#,
                r#"<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>"#,
                r#"<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">"#,
                r#"<pic:pic><pic:nvPicPr><pic:cNvPr id="{index}" name="{id}.png" descr="{description}"/><pic:cNvPicPr/></pic:nvPicPr>"#,
                r#"<pic:blipFill><a:blip r:embed="{png_rel}"><a:extLst>"#,
                r#"<a:ext uri="{{96DAC541-7B7A-43D3-8B79-37D633B846F1}}"><asvg:svgBlip r:embed="{svg_rel}"/></a:ext>"#,
                r#"</a:extLst></a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"#,
                r#"<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>"#,
                r#"<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>"#,
                r#"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
            ),
            cx = cx,
            cy = cy,
            index = index,
            id = id,
            description = description,
            png_rel = png_rel,
            svg_rel = svg_rel,
        ));
        self.body.push_str("</w:p>");
    }

    /// The body with the page setup at its end (A4, right to left for Persian).
    fn finish(&self) -> String {
        let bidi = if self.rtl { "<w:bidi/>" } else { "" };
        format!(
            concat!(
                "{body}<w:sectPr><w:pgSz w:w=\"{w}\" w:h=\"{h}\"/>",
                "<w:pgMar w:top=\"{m}\" w:right=\"{m}\" w:bottom=\"{m}\" w:left=\"{m}\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/>",
                "{bidi}</w:sectPr>"
            ),
            body = self.body,
            w = PAGE_WIDTH,
            h = PAGE_HEIGHT,
            m = MARGIN,
            bidi = bidi,
        )
    }
}

/// Width of one character of table text (9 pt), in twentieths of a point, for sharing out the width.
const CHAR_WIDTH: u64 = 100;

/// Column widths in twentieths of a point, summing to the text width. Each column first gets its
/// longest word (so that words are not broken across lines), at least 3 characters; what is left goes to
/// the columns whose texts are longer (up to 28 characters: longer texts wrap), in proportion to what
/// they still want. When even the words do not fit, the words share the width.
fn column_widths(table: &Table, columns: usize) -> Vec<u32> {
    let (minimum, wanted): (Vec<u64>, Vec<u64>) = (0..columns)
        .map(|c| {
            let texts = || {
                std::iter::once(table.headers.get(c))
                    .chain(table.rows.iter().map(|r| r.get(c)))
                    .flatten()
            };
            let longest = texts().map(|t| t.chars().count()).max().unwrap_or(0);
            let longest_word = texts()
                .flat_map(|t| t.split_whitespace())
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0);
            let minimum = longest_word.clamp(3, 28) as u64 + 1;
            let wanted = (longest.min(28) as u64 + 1).max(minimum);
            (minimum * CHAR_WIDTH, wanted * CHAR_WIDTH)
        })
        .unzip();
    let total = u64::from(TEXT_WIDTH);
    let sum = |v: &[u64]| v.iter().sum::<u64>();
    let mut widths: Vec<u64> = if sum(&wanted) <= total || sum(&minimum) >= total {
        // Everything fits, or not even the words do: share in proportion.
        let basis = if sum(&wanted) <= total {
            &wanted
        } else {
            &minimum
        };
        basis.iter().map(|w| total * w / sum(basis)).collect()
    } else {
        let spare = total - sum(&minimum);
        let extra: Vec<u64> = wanted.iter().zip(&minimum).map(|(w, m)| w - m).collect();
        minimum
            .iter()
            .zip(&extra)
            .map(|(m, e)| m + spare * e / sum(&extra))
            .collect()
    };
    let used = sum(&widths);
    if let Some(last) = widths.last_mut() {
        *last += total - used;
    }
    widths.into_iter().map(|w| w as u32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_widths_follow_the_text_and_fill_the_page() {
        let table = Table {
            id: "t".into(),
            caption: String::new(),
            headers: vec!["No.".into(), "Indicator".into(), "Very high".into()],
            rows: vec![vec!["1".into(), "x".repeat(60), "0.617".into()]],
        };
        // Everything fits (wanted 4, 29 and 10 characters of 100 twips: 4300 of 9638): shared in
        // proportion, 9638 * 400 / 4300 = 896, * 2900 / 4300 = 6500, * 1000 / 4300 = 2241, and the
        // 1 twip left by rounding down goes to the last column.
        assert_eq!(column_widths(&table, 3), vec![896, 6500, 2242]);
        // Too wide: nine columns wanting 4 + 8 * 29 = 236 characters, whose words need 4 + 8 * 6 = 52.
        // Each gets its words; the 9638 - 5200 = 4438 twips left go to the eight long columns, 4438 *
        // 2300 / 18400 = 554 each, and the 6 twips of rounding to the last.
        let wide = Table {
            id: "wide".into(),
            caption: String::new(),
            headers: vec!["No.".into(); 9],
            rows: vec![std::iter::once("1".to_string())
                .chain(std::iter::repeat_n("abcde ".repeat(10), 8))
                .collect()],
        };
        let widths = column_widths(&wide, 9);
        assert_eq!(widths[0], 400);
        assert_eq!(&widths[1..8], &[600 + 554; 7]);
        assert_eq!(widths[8], 600 + 554 + 6);
        assert_eq!(widths.iter().sum::<u32>(), TEXT_WIDTH);
    }
}
