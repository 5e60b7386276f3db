//! The package around the document body: content types, relationships, styles, settings, fonts and
//! properties, zipped in a fixed order with every entry dated 1980-01-01.

use std::io::{Cursor, Write};

use anyhow::{Context, Result};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::text::{WordStyle, CODE_FONT};
use super::Media;
use crate::report::manifest::utc_timestamp;
use crate::report::markup;
use crate::report::model::ReportDocument;

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// The namespaces document.xml uses.
const DOCUMENT_NAMESPACES: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" "#,
    r#"xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main""#
);

/// The whole .docx: every part, in a fixed order.
pub(crate) fn package(
    document: &ReportDocument,
    body: &str,
    media: &[Media],
    source_date_epoch: Option<u64>,
) -> Result<Vec<u8>> {
    let style = super::word_style(document);
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        (
            "[Content_Types].xml".into(),
            content_types(media).into_bytes(),
        ),
        ("_rels/.rels".into(), ROOT_RELATIONSHIPS.as_bytes().to_vec()),
        (
            "docProps/core.xml".into(),
            core(&document.title, document.lang.code(), source_date_epoch).into_bytes(),
        ),
        (
            "word/document.xml".into(),
            format!(
                "{XML_HEAD}<w:document {DOCUMENT_NAMESPACES}><w:body>{body}</w:body></w:document>"
            )
            .into_bytes(),
        ),
        (
            "word/_rels/document.xml.rels".into(),
            document_relationships(media).into_bytes(),
        ),
        ("word/styles.xml".into(), styles(&style).into_bytes()),
        ("word/settings.xml".into(), settings(&style).into_bytes()),
        ("word/fontTable.xml".into(), font_table(&style).into_bytes()),
    ];
    for item in media {
        parts.push((format!("word/media/{}", item.name), item.bytes.clone()));
    }
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in &parts {
        zip.start_file(name.as_str(), options)
            .with_context(|| format!("adding {name} to the Word document"))?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

fn content_types(media: &[Media]) -> String {
    let mut out = String::from(XML_HEAD);
    out.push_str(r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#);
    out.push_str(r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#);
    out.push_str(r#"<Default Extension="xml" ContentType="application/xml"/>"#);
    if media.iter().any(|m| m.name.ends_with(".png")) {
        out.push_str(r#"<Default Extension="png" ContentType="image/png"/>"#);
    }
    if media.iter().any(|m| m.name.ends_with(".svg")) {
        out.push_str(r#"<Default Extension="svg" ContentType="image/svg+xml"/>"#);
    }
    for (part, kind) in [
        (
            "/word/document.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        ),
        (
            "/word/styles.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
        ),
        (
            "/word/settings.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
        ),
        (
            "/word/fontTable.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
        ),
        (
            "/docProps/core.xml",
            "application/vnd.openxmlformats-package.core-properties+xml",
        ),
    ] {
        out.push_str(&format!(
            r#"<Override PartName="{part}" ContentType="{kind}"/>"#
        ));
    }
    out.push_str("</Types>");
    out
}

const ROOT_RELATIONSHIPS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#,
    "</Relationships>"
);

fn document_relationships(media: &[Media]) -> String {
    let mut out = String::from(XML_HEAD);
    out.push_str(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    out.push_str(r#"<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#);
    out.push_str(r#"<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>"#);
    out.push_str(r#"<Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>"#);
    for item in media {
        out.push_str(&format!(
            r#"<Relationship Id="{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/{}"/>"#,
            item.relationship,
            markup::escape(&item.name)
        ));
    }
    out.push_str("</Relationships>");
    out
}

/// Title, creator and language; the dates only when the build has a `SOURCE_DATE_EPOCH`.
fn core(title: &str, lang: &str, source_date_epoch: Option<u64>) -> String {
    let mut out = String::from(XML_HEAD);
    out.push_str(concat!(
        r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#,
        r#"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#,
        r#"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
    ));
    out.push_str(&format!(
        "<dc:title>{}</dc:title><dc:creator>delphi-report</dc:creator><dc:language>{lang}</dc:language>",
        markup::escape(title)
    ));
    if let Some(epoch) = source_date_epoch {
        let when = utc_timestamp(epoch);
        out.push_str(&format!(
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>"#
        ));
    }
    out.push_str("</cp:coreProperties>");
    out
}

/// Paragraph and table styles. Persian paragraphs are right to left in every style, so that a
/// paragraph added in Word keeps the direction; complex-script sizes and bold follow the Latin ones.
fn styles(style: &WordStyle) -> String {
    let bidi = if style.rtl { "<w:bidi/>" } else { "" };
    let (lang, bidi_lang) = (
        markup::escape(&style.ltr_lang),
        markup::escape(&style.rtl_lang),
    );
    let paragraph = |id: &str, name: &str, ppr: &str, rpr: &str| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#
        )
    };
    let mut out = String::from(XML_HEAD);
    out.push_str(
        r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    );
    out.push_str(&format!(
        concat!(
            r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{latin}" w:eastAsia="{latin}" w:hAnsi="{latin}" w:cs="{complex}"/>"#,
            r#"<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="{bidi_lang}"/></w:rPr></w:rPrDefault>"#,
            r#"<w:pPrDefault><w:pPr>{bidi}<w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>"#
        ),
        latin = markup::escape(&style.latin_font),
        complex = markup::escape(&style.complex_font),
        lang = lang,
        bidi_lang = bidi_lang,
        bidi = bidi,
    ));
    out.push_str(&format!(
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr>{bidi}</w:pPr></w:style>"#
    ));
    out.push_str(&paragraph(
        "Title",
        "Title",
        &format!(r#"<w:keepNext/>{bidi}<w:spacing w:after="240"/><w:outlineLvl w:val="0"/>"#),
        r#"<w:b/><w:bCs/><w:sz w:val="36"/><w:szCs w:val="36"/>"#,
    ));
    for (id, name, level, size) in [
        ("Heading1", "heading 1", 0, 30),
        ("Heading2", "heading 2", 1, 24),
        ("Heading3", "heading 3", 2, 22),
    ] {
        out.push_str(&paragraph(
            id,
            name,
            &format!(
                r#"<w:keepNext/><w:keepLines/>{bidi}<w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="{level}"/>"#
            ),
            &format!(r#"<w:b/><w:bCs/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#),
        ));
    }
    out.push_str(&paragraph(
        "Caption",
        "caption",
        &format!(r#"<w:keepNext/>{bidi}<w:spacing w:before="200" w:after="80"/>"#),
        r#"<w:b/><w:bCs/><w:sz w:val="20"/><w:szCs w:val="20"/>"#,
    ));
    out.push_str(&paragraph(
        "Figure",
        "Figure",
        &format!(
            r#"<w:keepNext/>{bidi}<w:spacing w:before="200" w:after="0"/><w:jc w:val="center"/>"#
        ),
        "",
    ));
    out.push_str(&paragraph(
        "TableText",
        "Table Text",
        &format!(r#"{bidi}<w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>"#),
        &format!(
            r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#,
            super::TABLE_TEXT
        ),
    ));
    out.push_str(&paragraph(
        "ListParagraph",
        "List Paragraph",
        &format!(r#"{bidi}<w:spacing w:after="60"/>"#),
        "",
    ));
    out.push_str(&paragraph(
        "Code",
        "Code",
        &format!(r#"{bidi}<w:spacing w:after="0"/>"#),
        &format!(
            r#"<w:rFonts w:ascii="{CODE_FONT}" w:hAnsi="{CODE_FONT}" w:cs="{CODE_FONT}"/><w:sz w:val="18"/><w:szCs w:val="18"/>"#
        ),
    ));
    out.push_str(concat!(
        r#"<w:style w:type="table" w:styleId="ReportTable"><w:name w:val="Report Table"/><w:tblPr>"#,
        r#"<w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="57606A"/>"#,
        r#"<w:left w:val="nil"/><w:bottom w:val="single" w:sz="8" w:space="0" w:color="57606A"/>"#,
        r#"<w:right w:val="nil"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="D0D7DE"/>"#,
        r#"<w:insideV w:val="single" w:sz="4" w:space="0" w:color="D0D7DE"/></w:tblBorders>"#,
        r#"<w:tblCellMar><w:left w:w="72" w:type="dxa"/><w:right w:w="72" w:type="dxa"/></w:tblCellMar>"#,
        r#"</w:tblPr></w:style>"#
    ));
    out.push_str("</w:styles>");
    out
}

/// Word's theme languages: the report's right-to-left language when it is one, else Word's own
/// default for complex scripts.
fn settings(style: &WordStyle) -> String {
    let bidi_lang = if style.rtl {
        markup::escape(&style.rtl_lang)
    } else {
        "ar-SA".to_string()
    };
    format!(
        concat!(
            "{head}",
            r#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
            r#"<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>"#,
            r#"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#,
            r#"<w:themeFontLang w:val="{lang}" w:bidi="{bidi_lang}"/>"#,
            "</w:settings>"
        ),
        head = XML_HEAD,
        lang = markup::escape(&style.ltr_lang),
        bidi_lang = bidi_lang,
    )
}

/// The PANOSE classification of fonts the languages table names, for a reader without the font to
/// pick a substitute of the same kind.
const PANOSE: [(&str, &str); 1] = [("Times New Roman", "02020603050405020304")];

/// The fonts the document names, with their character sets so that a reader without one picks a
/// substitute of the same kind.
fn font_table(style: &WordStyle) -> String {
    let mut out = String::from(XML_HEAD);
    out.push_str(
        r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    );
    let mut fonts = vec![style.latin_font.as_str()];
    if style.complex_font != style.latin_font {
        fonts.push(&style.complex_font);
    }
    for font in fonts {
        let panose = PANOSE
            .iter()
            .find(|(name, _)| *name == font)
            .map(|(_, panose)| format!(r#"<w:panose1 w:val="{panose}"/>"#))
            .unwrap_or_default();
        out.push_str(&format!(
            r#"<w:font w:name="{}">{panose}<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#,
            markup::escape(font)
        ));
    }
    out.push_str(&format!(
        r#"<w:font w:name="{CODE_FONT}"><w:panose1 w:val="02070309020205020404"/><w:charset w:val="00"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#
    ));
    out.push_str("</w:fonts>");
    out
}
