//! Words into WordprocessingML runs: a text is cut where its script changes direction, so that each
//! run is either right-to-left (Arabic or Hebrew script: `w:rtl` and complex-script font, size, bold,
//! italic) or left-to-right (Latin letters, ASCII digits, formulas), and Word never has to guess.

use crate::domain::Lang;
use crate::report::markup;

/// The font of code (setting names, paths, digests), in every language.
pub(crate) const CODE_FONT: &str = "Courier New";

/// How a report's runs are written: its direction, its fonts and the language tag of the runs of
/// each direction, all from the languages table (`word` of each entry). Word (Windows, macOS) has
/// Times New Roman with Arabic and Persian glyphs; LibreOffice substitutes it through fontconfig and
/// takes Persian glyphs from Noto Naskh Arabic or DejaVu Sans (README, "Word report").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WordStyle {
    /// The report's paragraphs run right to left.
    pub rtl: bool,
    pub latin_font: String,
    pub complex_font: String,
    /// The language tag of left-to-right runs, and of right-to-left ones.
    pub ltr_lang: String,
    pub rtl_lang: String,
}

impl WordStyle {
    /// The style of a report in `lang` whose study is also written in `others`. A run in the
    /// report's own direction is in its language; a run in the other direction is in the study's
    /// first other language of that direction (a Persian name in the English report), else in the
    /// table's first (an English formula in a Persian-only report).
    pub(crate) fn new(lang: Lang, others: &[Lang]) -> WordStyle {
        let tag = |rtl: bool| {
            std::iter::once(lang)
                .chain(others.iter().copied())
                .chain(Lang::all())
                .find(|l| l.dir().is_right_to_left() == rtl)
                .unwrap_or(lang)
                .language()
                .word
                .lang
                .clone()
        };
        let word = &lang.language().word;
        WordStyle {
            rtl: lang.dir().is_right_to_left(),
            latin_font: word.latin_font.clone(),
            complex_font: word.complex_font.clone(),
            ltr_lang: tag(false),
            rtl_lang: tag(true),
        }
    }
}

/// How a run looks, apart from its direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Look {
    pub(crate) bold: bool,
    pub(crate) italic: bool,
    pub(crate) code: bool,
    /// Font size in half-points; None keeps the paragraph style's.
    pub(crate) half_points: Option<u32>,
}

/// True for the right-to-left scripts: Arabic (letters, Persian digits and Arabic punctuation such as
/// ، ؛ ؟, which belong to the right-to-left text around them) and Hebrew.
pub(crate) fn is_rtl_script(c: char) -> bool {
    matches!(c as u32,
        0x0590..=0x05FF | 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB1D..=0xFDFF
        | 0xFE70..=0xFEFF)
}

/// True for characters that are strongly left to right here: letters of other scripts and ASCII digits.
fn is_left_to_right(c: char) -> bool {
    !is_rtl_script(c) && (c.is_alphabetic() || c.is_ascii_digit())
}

/// `text` cut into (piece, right_to_left) runs. In a right-to-left paragraph every stretch from a
/// left-to-right character to the last one before Arabic script is a left-to-right run (so `l = Σ lᵢ / n`
/// stays one run); in a left-to-right paragraph the same holds for stretches of Arabic script.
pub(crate) fn direction_runs(text: &str, paragraph_rtl: bool) -> Vec<(&str, bool)> {
    let foreign = |c: char| {
        if paragraph_rtl {
            is_left_to_right(c)
        } else {
            is_rtl_script(c)
        }
    };
    let native = |c: char| {
        if paragraph_rtl {
            is_rtl_script(c)
        } else {
            is_left_to_right(c)
        }
    };
    let mut runs = Vec::new();
    let mut native_start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !foreign(c) {
            i += 1;
            continue;
        }
        // A foreign stretch: up to its last foreign character before a native one.
        let mut end = start + c.len_utf8();
        let mut j = i + 1;
        while j < chars.len() && !native(chars[j].1) {
            if foreign(chars[j].1) {
                end = chars[j].0 + chars[j].1.len_utf8();
            }
            j += 1;
        }
        if native_start < start {
            runs.push((&text[native_start..start], paragraph_rtl));
        }
        runs.push((&text[start..end], !paragraph_rtl));
        native_start = end;
        i = chars.partition_point(|(offset, _)| *offset < end);
    }
    if native_start < text.len() {
        runs.push((&text[native_start..], paragraph_rtl));
    }
    runs
}

/// The runs of `text` in a paragraph of the report's direction.
pub(crate) fn runs(out: &mut String, text: &str, look: Look, style: &WordStyle) {
    for (piece, rtl) in direction_runs(text, style.rtl) {
        run(out, piece, look, rtl, style);
    }
}

/// One run, right to left or not; its properties in the order the schema requires (CT_RPr).
pub(crate) fn run(out: &mut String, text: &str, look: Look, rtl: bool, style: &WordStyle) {
    out.push_str("<w:r><w:rPr>");
    let font = if look.code {
        CODE_FONT
    } else {
        &style.latin_font
    };
    let complex = if look.code {
        CODE_FONT
    } else {
        &style.complex_font
    };
    out.push_str(&format!(
        r#"<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{complex}"/>"#
    ));
    if look.bold {
        out.push_str("<w:b/><w:bCs/>");
    }
    if look.italic {
        out.push_str("<w:i/><w:iCs/>");
    }
    if let Some(size) = look.half_points {
        out.push_str(&format!(
            r#"<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#
        ));
    }
    if rtl {
        out.push_str(&format!(
            r#"<w:rtl/><w:lang w:bidi="{}"/>"#,
            markup::escape(&style.rtl_lang)
        ));
    } else {
        out.push_str(&format!(
            r#"<w:lang w:val="{}"/>"#,
            markup::escape(&style.ltr_lang)
        ));
    }
    out.push_str("</w:rPr>");
    // Line breaks and tabs inside a text become <w:br/> and <w:tab/>; spaces are kept as written.
    let mut piece = String::new();
    let flush = |out: &mut String, piece: &mut String| {
        if !piece.is_empty() {
            out.push_str(&format!(
                r#"<w:t xml:space="preserve">{}</w:t>"#,
                markup::escape(piece)
            ));
            piece.clear();
        }
    };
    for c in text.chars() {
        match c {
            '\n' => {
                flush(out, &mut piece);
                out.push_str("<w:br/>");
            }
            '\t' => {
                flush(out, &mut piece);
                out.push_str("<w:tab/>");
            }
            other => piece.push(other),
        }
    }
    flush(out, &mut piece);
    out.push_str("</w:r>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_text_keeps_formulas_and_names_in_left_to_right_runs() {
        // The Persian semicolon ends the formula's run.
        assert_eq!(
            direction_runs("u = Σ uᵢ / n؛ n شمار", true),
            vec![
                ("u = Σ uᵢ / n", false),
                ("؛ ", true),
                ("n", false),
                (" شمار", true)
            ]
        );
        assert_eq!(
            direction_runs("تجمیع: l = Σ lᵢ / n و m", true),
            vec![
                ("تجمیع: ", true),
                ("l = Σ lᵢ / n", false),
                (" و ", true),
                ("m", false)
            ]
        );
        // Persian digits and the Persian decimal separator are right-to-left text.
        assert_eq!(direction_runs("۰٫۴۸۹", true), vec![("۰٫۴۸۹", true)]);
        assert_eq!(
            direction_runs("نسخهٔ 0.1.0 از `htsme-2024`.", true),
            vec![
                ("نسخهٔ ", true),
                ("0.1.0", false),
                (" از `", true),
                ("htsme-2024", false),
                ("`.", true)
            ]
        );
        assert_eq!(
            direction_runs("study.yaml", true),
            vec![("study.yaml", false)]
        );
        assert_eq!(direction_runs("", true), Vec::<(&str, bool)>::new());
    }

    #[test]
    fn runs_of_the_other_direction_take_the_studys_language_of_that_direction() {
        let persian = WordStyle::new(Lang::FA, &[]);
        assert!(persian.rtl);
        assert_eq!(
            (persian.ltr_lang.as_str(), persian.rtl_lang.as_str()),
            ("en-US", "fa-IR")
        );
        let english = WordStyle::new(Lang::EN, &[Lang::FA]);
        assert!(!english.rtl);
        assert_eq!(
            (english.ltr_lang.as_str(), english.rtl_lang.as_str()),
            ("en-US", "fa-IR")
        );
        assert!(is_rtl_script('\u{05D0}') && is_rtl_script('ف') && !is_rtl_script('a'));
    }

    #[test]
    fn english_text_isolates_persian_words() {
        assert_eq!(
            direction_runs("See گزارش فارسی (fa).", false),
            vec![("See ", false), ("گزارش فارسی", true), (" (fa).", false)]
        );
        assert_eq!(
            direction_runs("Table 7. 0.489", false),
            vec![("Table 7. 0.489", false)]
        );
    }

    #[test]
    fn runs_carry_complex_script_properties() {
        let mut out = String::new();
        run(
            &mut out,
            "مقدار <قطعی>",
            Look {
                bold: true,
                italic: true,
                code: false,
                half_points: Some(18),
            },
            true,
            &WordStyle::new(Lang::FA, &[Lang::EN]),
        );
        assert_eq!(
            out,
            r#"<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:b/><w:bCs/><w:i/><w:iCs/><w:sz w:val="18"/><w:szCs w:val="18"/><w:rtl/><w:lang w:bidi="fa-IR"/></w:rPr><w:t xml:space="preserve">مقدار &lt;قطعی&gt;</w:t></w:r>"#
        );
    }
}
