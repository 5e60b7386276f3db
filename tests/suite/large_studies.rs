//! Studies far larger than the reference: they build, whatever the size of their figures. Regression
//! tests for the Word report's PNG fallbacks, which refused any figure longer than 4000 pixels, so that
//! every study of more than about 160 indicators failed to build.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::Read;

/// The longest side a figure's PNG fallback may have (`report::raster::MAX_SIDE`), in pixels.
const MAX_SIDE: u32 = 4_000;

/// A SYNTHETIC study written for the test: `indicators` indicators in `components` components, rated
/// by 3 experts (long ratings: medium and high in turn, so that every crisp value, 7/12 or 2/3, lies
/// in the default sensitivity sweep from 0.5 to 0.8 and changes verdict in it), and `interviews` coded
/// interviews, each bringing one new initial code. With 300 indicators and 90 interviews every figure
/// is longer than [`MAX_SIDE`] units: the crisp values, the framework and the sensitivity grid grow with
/// the indicators (18 to 23 units each), the saturation curve with the interviews (56 units each).
fn synthetic_study(indicators: usize, components: usize, interviews: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let study = format!(
        "# SYNTHETIC: {indicators} indicators in {components} components, 3 experts, {interviews} \
         coded interviews, written by tests/suite/large_studies.rs.\n\
         id: large\n\
         title: {{en: A large synthetic study, fa: پژوهش مصنوعی بزرگ}}\n\
         panels: {{delphi_experts: 3, interviewees: {interviews}}}\n\
         scale: {{preset: five-point-quarters}}\n\
         method: {{aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}}\n\
         data:\n  components: components.csv\n  indicators: indicators.csv\n  \
         ratings: {{shape: long, path: ratings.csv}}\n\
         coding:\n  segments: {{format: project-csv, path: segments.csv}}\n"
    );
    fs::write(path.join("study.yaml"), study).unwrap();
    let mut text = String::from("id,name_fa,name_en,name_en_source\n");
    for c in 0..components {
        writeln!(text, "C{c:02},مولفه {c},Component {c},paper").unwrap();
    }
    fs::write(path.join("components.csv"), text).unwrap();
    let mut text = String::from("id,component,name_fa,name_en,name_en_source\n");
    let mut ratings = String::from("expert,indicator,rating\n");
    for i in 0..indicators {
        writeln!(
            text,
            "I{i:03},C{:02},شاخص {i},Indicator {i},translation",
            i % components
        )
        .unwrap();
        for e in 0..3 {
            writeln!(ratings, "E{e},I{i:03},{}", 3 + (i + e) % 2).unwrap();
        }
    }
    fs::write(path.join("indicators.csv"), text).unwrap();
    fs::write(path.join("ratings.csv"), ratings).unwrap();
    let mut segments = String::from("document,segment,code\n");
    for d in 0..interviews {
        for code in [0, d + 1] {
            writeln!(
                segments,
                "A{d:03},Passage {code} of A{d:03},Component {} > Concept {} > Code {code}",
                code % components,
                code % indicators
            )
            .unwrap();
        }
    }
    fs::write(path.join("segments.csv"), segments).unwrap();
    dir
}

/// Width, height and RGB pixels of a PNG (8-bit RGB or 8-bit palette, not interlaced, any of the five
/// filters).
fn decode_png(png: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let (mut at, mut header, mut palette, mut data) = (8, None, None, Vec::new());
    while at < png.len() {
        let length = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        let kind = &png[at + 4..at + 8];
        let body = &png[at + 8..at + 8 + length];
        match kind {
            b"IHDR" => header = Some(body.to_vec()),
            b"PLTE" => palette = Some(body.to_vec()),
            b"IDAT" => data.extend_from_slice(body),
            _ => {}
        }
        at += 12 + length;
    }
    let header = header.expect("an IHDR chunk");
    let width = u32::from_be_bytes(header[0..4].try_into().unwrap());
    let height = u32::from_be_bytes(header[4..8].try_into().unwrap());
    let per_pixel = match header[8..] {
        [8, 2, 0, 0, 0] => 3,
        [8, 3, 0, 0, 0] => 1,
        _ => panic!(
            "not 8-bit RGB or palette, or interlaced: {:?}",
            &header[8..]
        ),
    };
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(data.as_slice())
        .read_to_end(&mut raw)
        .unwrap();
    let row = width as usize * per_pixel;
    assert_eq!(raw.len(), (row + 1) * height as usize);
    let mut previous = vec![0u8; row];
    let mut pixels = Vec::with_capacity((width * height) as usize);
    for line in raw.chunks_exact(row + 1) {
        let mut current = line[1..].to_vec();
        for i in 0..row {
            let left = if i >= per_pixel {
                current[i - per_pixel]
            } else {
                0
            };
            let up = previous[i];
            let upper_left = if i >= per_pixel {
                previous[i - per_pixel]
            } else {
                0
            };
            let predicted = match line[0] {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => {
                    let p = i16::from(left) + i16::from(up) - i16::from(upper_left);
                    let (pa, pb, pc) = (
                        (p - i16::from(left)).abs(),
                        (p - i16::from(up)).abs(),
                        (p - i16::from(upper_left)).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        left
                    } else if pb <= pc {
                        up
                    } else {
                        upper_left
                    }
                }
                other => panic!("PNG filter type {other}"),
            };
            current[i] = current[i].wrapping_add(predicted);
        }
        match &palette {
            Some(palette) if per_pixel == 1 => pixels.extend(current.iter().map(|&index| {
                let at = 3 * index as usize;
                [palette[at], palette[at + 1], palette[at + 2]]
            })),
            _ => pixels.extend(current.chunks_exact(3).map(|p| [p[0], p[1], p[2]])),
        }
        previous = current;
    }
    (width, height, pixels)
}

/// The `width` and `height` attributes of an SVG's root element.
fn svg_size(svg: &str) -> (f64, f64) {
    let root = &svg[svg.find("<svg").unwrap()..];
    let root = &root[..root.find('>').unwrap()];
    let attribute = |name: &str| -> f64 {
        let start = root.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        root[start..start + root[start..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    (attribute("width"), attribute("height"))
}

#[test]
fn a_study_of_300_indicators_builds_with_every_figure_and_its_png_fallback_within_limits() {
    let study = synthetic_study(300, 12, 90);
    let files = delphi_report::build_report(study.path()).unwrap().files;
    for lang in ["en", "fa"] {
        let figures: BTreeMap<String, String> = files
            .iter()
            .filter_map(|(name, bytes)| {
                let id = name
                    .strip_prefix("figures/")?
                    .strip_suffix(&format!(".{lang}.svg"))?;
                Some((id.to_string(), String::from_utf8(bytes.clone()).unwrap()))
            })
            .collect();
        assert_eq!(
            figures.keys().collect::<Vec<_>>(),
            ["crisp", "framework", "saturation", "sensitivity"],
            "{lang}"
        );
        let docx = &files[&format!("report.{lang}.docx")];
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx.as_slice())).unwrap();
        let mut part = |name: &str| {
            let mut bytes = Vec::new();
            archive
                .by_name(name)
                .unwrap_or_else(|_| panic!("report.{lang}.docx has no {name}"))
                .read_to_end(&mut bytes)
                .unwrap();
            bytes
        };
        let relationships = String::from_utf8(part("word/_rels/document.xml.rels")).unwrap();
        for (id, svg) in &figures {
            let (width, height) = svg_size(svg);
            // The SYNTHETIC study makes every figure longer than a PNG may be: each is drawn smaller.
            assert!(
                width.max(height) > f64::from(MAX_SIDE),
                "{lang} {id}: {width} x {height}"
            );
            // The SVG is the figure's file itself, exact.
            assert_eq!(&part(&format!("word/media/{id}.svg")), svg.as_bytes());
            let (png_width, png_height, pixels) =
                decode_png(&part(&format!("word/media/{id}.png")));
            // Its longest side is the largest allowed, and the shape is the figure's within a pixel.
            let scale = f64::from(MAX_SIDE) / width.max(height);
            assert_eq!(png_width.max(png_height), MAX_SIDE, "{lang} {id}");
            assert!(
                (f64::from(png_width) - width * scale).abs() <= 1.0
                    && (f64::from(png_height) - height * scale).abs() <= 1.0,
                "{lang} {id}: {png_width} x {png_height} pixels for {width} x {height}"
            );
            // Something is drawn: a share of the pixels is not white.
            let painted = pixels.iter().filter(|p| **p != [255, 255, 255]).count();
            assert!(
                painted * 100 > pixels.len(),
                "{lang} {id}: {painted} of {} pixels painted",
                pixels.len()
            );
            assert!(
                relationships.contains(&format!("Target=\"media/{id}.png\""))
                    && relationships.contains(&format!("Target=\"media/{id}.svg\"")),
                "{lang} {id}: {relationships}"
            );
        }
    }
}
