//! Issue 16, the pages as Chromium prints them to PDF: Table 7 at full size (its text as large as the
//! print stylesheet sets it, the table as wide as the A4 text column, not the page shrunk to fit a
//! wide element) and every figure on the same page as its caption, in both languages. Read back
//! with poppler: `pdfinfo -dests` gives the page of each linked element, `pdftotext -bbox-layout`
//! each word's box. Skipped with a notice without Chromium or poppler, unless REQUIRE_CHROMIUM=1.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{chromium, file_text, on_path, required};
use crate::formats::{build, write_files};

/// A4's height in points, as Chromium prints it.
const A4_HEIGHT: f64 = 841.92;

/// A4 less the print stylesheet's margins (`@page { size: A4; margin: 15mm }`), in points.
const TEXT_WIDTH: f64 = 595.28 - 2.0 * 15.0 * 72.0 / 25.4;

/// Prints `page` to a PDF beside it with the code `delphi-report pdf` runs.
fn print(browser: &str, page: &Path) -> PathBuf {
    let pdf = page.with_extension("pdf");
    delphi_report::pdf::print(Path::new(browser), page, &pdf)
        .unwrap_or_else(|e| panic!("{browser} did not print {}: {e:#}", page.display()));
    pdf
}

/// Where every linked element prints, by id: its page (1-based) and its height from the page's
/// bottom in points. Chromium makes each `#id` link target a named destination.
fn destinations(pdf: &Path) -> BTreeMap<String, (usize, f64)> {
    let output = Command::new("pdfinfo")
        .arg("-dests")
        .arg(pdf)
        .output()
        .unwrap();
    assert!(output.status.success());
    // `   7 [ XYZ    0  364 null      ] "table-7"`
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let page = fields.first()?.parse().ok()?;
            let height = fields.get(4)?.parse().ok()?;
            let name = line.rsplit_once(" \"")?.1.strip_suffix('"')?;
            Some((name.to_string(), (page, height)))
        })
        .collect()
}

/// The box of one word of a printed page, in points from the page's top left.
#[derive(Debug)]
struct Word {
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
}

impl Word {
    fn height(&self) -> f64 {
        self.y_max - self.y_min
    }
}

/// The words of every page, from `pdftotext -bbox-layout`.
fn words(pdf: &Path) -> Vec<Vec<Word>> {
    let output = Command::new("pdftotext")
        .arg("-bbox-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(output.status.success());
    let xhtml = String::from_utf8(output.stdout).unwrap();
    let attribute = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..start + tag[start..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    xhtml
        .split("<page ")
        .skip(1)
        .map(|page| {
            page.split("<word ")
                .skip(1)
                .map(|word| {
                    let tag = word.split_once('>').unwrap().0;
                    Word {
                        x_min: attribute(tag, "xMin"),
                        y_min: attribute(tag, "yMin"),
                        x_max: attribute(tag, "xMax"),
                        y_max: attribute(tag, "yMax"),
                    }
                })
                .collect()
        })
        .collect()
}

/// Each page's text in reading order, bidi controls and full stops removed and spaces collapsed,
/// so that a Persian caption reads "شکل ۱ مقدار" whichever way pdftotext placed its full stop.
fn page_texts(pdf: &Path) -> Vec<String> {
    let output = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .split('\u{c}')
        .map(|page| {
            let kept: String = page
                .chars()
                .filter(|&c| c != '.')
                .map(|c| match c {
                    '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' => ' ',
                    other => other,
                })
                .collect();
            kept.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

fn median(mut values: Vec<f64>) -> f64 {
    assert!(!values.is_empty());
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Table 7's words as the report prints them: those below its destination on its first page and,
/// when the table starts low on that page, the whole next page too (48 rows fill it). The
/// destination is a little above the caption, so the words are the caption, the header and the
/// rows, and at most the `Output` heading above them.
fn table7_words(pdf: &Path) -> Vec<Word> {
    let (page, from_bottom) = destinations(pdf)["table-7"];
    let top = A4_HEIGHT - from_bottom;
    let mut pages = words(pdf);
    let mut words: Vec<Word> = std::mem::take(&mut pages[page - 1])
        .into_iter()
        .filter(|w| w.y_min >= top)
        .collect();
    if words.len() <= 100 && page < pages.len() {
        words.append(&mut pages[page]);
    }
    assert!(
        words.len() > 100,
        "{} words below Table 7's caption",
        words.len()
    );
    words
}

/// The page `html` with Table 7 alone in its body: the same stylesheet and fonts, nothing that
/// could make Chromium shrink the page, so it prints at the stylesheet's size.
fn table7_alone(html: &str) -> String {
    let head = &html[..html.find("<body").unwrap()];
    let start = html.find("<table><caption id=\"table-7\"").unwrap();
    let end = start + html[start..].find("</table>").unwrap() + "</table>".len();
    format!(
        "{head}<body><main>{}</main></body></html>",
        &html[start..end]
    )
}

/// How Table 7 prints in `pdf`, against `alone` (the PDF of [`table7_alone`]): the median height of
/// its words over their median height when printed alone (1 at full size; the page shrunk to fit
/// a wide element gives less), and the width its words span over the A4 text column.
fn table7_size(pdf: &Path, alone: &Path) -> (f64, f64) {
    let table = table7_words(pdf);
    let reference = median(words(alone)[0].iter().map(Word::height).collect());
    let height = median(table.iter().map(Word::height).collect());
    let left = table.iter().map(|w| w.x_min).fold(f64::INFINITY, f64::min);
    let right = table.iter().map(|w| w.x_max).fold(0.0, f64::max);
    (height / reference, (right - left) / TEXT_WIDTH)
}

/// Each figure of `html` (whose captions begin with `label`) as `pdf` prints it: its id, the page
/// its top is printed on, and the first page from there that holds its caption (the same page
/// when the figure and its caption print together).
fn figures_with_captions(
    html: &str,
    pdf: &Path,
    label: &str,
) -> Vec<(String, usize, Option<usize>)> {
    let destinations = destinations(pdf);
    let texts = page_texts(pdf);
    html.split("<figure id=\"")
        .skip(1)
        .map(|rest| {
            let id = rest.split('"').next().unwrap().to_string();
            let caption = rest
                .split("<figcaption>")
                .nth(1)
                .unwrap()
                .split("</figcaption>")
                .next()
                .unwrap();
            // "Figure 1. Crisp value ..." -> "Figure 1 Crisp": the label, number and first word.
            let start: Vec<&str> = caption.split_whitespace().take(3).collect();
            assert!(start[0] == label, "{caption}");
            let wanted = start.join(" ").replace('.', "");
            let (page, _) = destinations[&id];
            let caption_page = (page..=texts.len()).find(|&p| texts[p - 1].contains(&wanted));
            (id, page, caption_page)
        })
        .collect()
}

fn tools() -> Option<String> {
    let browser = chromium();
    if browser.is_none() || !on_path("pdftotext") || !on_path("pdfinfo") {
        assert!(
            !required("REQUIRE_CHROMIUM"),
            "REQUIRE_CHROMIUM=1 but chromium, pdftotext or pdfinfo is missing"
        );
        eprintln!("notice: skipped: chromium or poppler is missing (Debian: apt-get install chromium poppler-utils)");
        return None;
    }
    browser
}

#[test]
fn chromium_prints_table_7_at_full_size_and_every_figure_with_its_caption() {
    let Some(browser) = tools() else {
        return;
    };
    let files = build();
    let dir = write_files(&files);
    for (lang, label) in [("en", "Figure"), ("fa", "شکل")] {
        let page = dir.path().join(format!("report.{lang}.html"));
        let pdf = print(&browser, &page);
        let html = file_text(&files, &format!("report.{lang}.html"));
        let alone = dir.path().join(format!("table7.{lang}.html"));
        std::fs::write(&alone, table7_alone(&html)).unwrap();
        let (height, width) = table7_size(&pdf, &print(&browser, &alone));
        // Before issue 16 the English page printed shrunk to 71% (a 1,607 px wide element).
        assert!(
            height >= 0.97,
            "report.{lang}.pdf: Table 7's words are {height:.2} of their height printed alone"
        );
        assert!(
            width >= 0.9,
            "report.{lang}.pdf: Table 7 spans {width:.2} of the A4 text width"
        );
        let figures = figures_with_captions(&html, &pdf, label);
        assert_eq!(figures.len(), 3, "{lang}: {figures:?}");
        for (id, page, caption_page) in &figures {
            assert_eq!(
                Some(*page),
                *caption_page,
                "report.{lang}.pdf: {id} starts on page {page}, its caption is on {caption_page:?}"
            );
        }
        eprintln!(
            "report.{lang}.pdf: Table 7 at {height:.2} of its height alone, {width:.2} of the text width; figures on pages {:?}",
            figures.iter().map(|f| f.1).collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_print_measures_catch_a_shrunk_page_and_a_figure_split_from_its_caption() {
    let Some(browser) = tools() else {
        return;
    };
    // The English page as it was before issue 16, with an element wider than the A4 column:
    // Chromium shrinks the whole page to fit it, and Table 7 with it.
    let files = build();
    let dir = write_files(&files);
    let html = file_text(&files, "report.en.html");
    let alone = dir.path().join("table7.html");
    std::fs::write(&alone, table7_alone(&html)).unwrap();
    let wide = dir.path().join("wide.html");
    std::fs::write(
        &wide,
        html.replacen(
            "<main>",
            r#"<main><div style="width: 1607px; height: 1px"></div>"#,
            1,
        ),
    )
    .unwrap();
    let (height, _) = table7_size(&print(&browser, &wide), &print(&browser, &alone));
    assert!((0.6..0.8).contains(&height), "{height}");
    eprintln!(
        "report.en.html with a 1607 px element: Table 7 printed at {height:.2} of its height alone"
    );

    // A figure taller than the A4 column (as Figure 2 could be before issue 16), without the
    // stylesheet's height limit: it starts on page 2, its caption goes to page 3.
    let split = r##"<!DOCTYPE html><html><head><style>@page { size: A4; margin: 15mm; } figure { margin: 0; }</style></head><body><p><a href="#figure-one">Figure 1</a></p><figure id="figure-one"><svg xmlns="http://www.w3.org/2000/svg" width="100" height="280mm"><rect width="100" height="100"/></svg><figcaption>Figure 1. A tall picture</figcaption></figure></body></html>"##;
    let path = dir.path().join("split.html");
    std::fs::write(&path, split).unwrap();
    let figures = figures_with_captions(split, &print(&browser, &path), "Figure");
    assert_eq!(figures, [("figure-one".to_string(), 2, Some(3))]);
}
