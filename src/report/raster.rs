//! The PNG fallback of each figure in the Word report: Word 2016 and later (and Microsoft 365) draw the
//! figure's SVG itself (`asvg:svgBlip`), but a Word picture must also name a raster image, and that is
//! what LibreOffice and older readers show. It is drawn here from the figure's SVG by resvg, labels
//! included, with the fonts bundled in `templates/fonts/` (DejaVu Sans: Latin and Arabic script in one
//! font, since resvg's fallback between fonts leaves a mixed label such as "(مشارکت)" unshaped): never
//! the machine's fonts, so the same SVG gives the same pixels on every machine. The pixels are written
//! by our own PNG encoder (a palette when the figure has at most 256 colours).

use std::io::Write;
use std::sync::{Arc, OnceLock};

use anyhow::{anyhow, Result};
use resvg::{tiny_skia, usvg};

use crate::report::docx::FigureImage;

/// Largest fallback drawn, in pixels per side: a longer figure is drawn smaller (its SVG is exact).
pub(crate) const MAX_SIDE: u32 = 4_000;

/// The fonts the previews are drawn with, compiled in (see `templates/fonts/LICENSE.txt`).
const FONTS: [&[u8]; 2] = [
    include_bytes!("../../templates/fonts/DejaVuSans.ttf"),
    include_bytes!("../../templates/fonts/DejaVuSans-Bold.ttf"),
];

/// The SVG reader's settings: only the bundled fonts, DejaVu Sans for any family it does not hold
/// (the figures name system-ui and others first).
fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut fonts = usvg::fontdb::Database::new();
        for font in FONTS {
            fonts.load_font_data(font.to_vec());
        }
        fonts.set_sans_serif_family("DejaVu Sans");
        usvg::Options {
            font_family: "DejaVu Sans".to_string(),
            fontdb: Arc::new(fonts),
            ..usvg::Options::default()
        }
    })
}

/// The figure's SVG, with a PNG fallback of it drawn whole: one pixel per SVG unit, or fewer when a
/// side would be longer than [`MAX_SIDE`] pixels; on white.
pub(crate) fn figure_image(svg: &str) -> Result<FigureImage> {
    let tree = usvg::Tree::from_str(&anchored_for_resvg(svg), options())
        .map_err(|e| anyhow!("reading the figure's SVG: {e}"))?;
    let size = tree.size();
    let (width, height) = (size.width(), size.height());
    let scale = pixel_scale(width, height)
        .ok_or_else(|| anyhow!("a figure of {width} x {height} is not drawable"))?;
    // At least one pixel, at most MAX_SIDE (the product may round a hair above it).
    let side = |units: f32| {
        (f64::from(units) * scale)
            .ceil()
            .clamp(1.0, f64::from(MAX_SIDE)) as u32
    };
    let (pixels_wide, pixels_high) = (side(width), side(height));
    let mut pixmap = tiny_skia::Pixmap::new(pixels_wide, pixels_high)
        .ok_or_else(|| anyhow!("a figure of {pixels_wide} x {pixels_high} pixels"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let scale = scale as f32;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // Opaque on white: each pixel's colour is its first three bytes.
    let mut rgb = Vec::with_capacity(pixmap.data().len() / 4 * 3);
    for pixel in pixmap.data().chunks_exact(4) {
        rgb.extend_from_slice(&pixel[..3]);
    }
    Ok(FigureImage {
        png: encode_png(pixels_wide, pixels_high, &rgb)?,
        drawn_width: f64::from(width),
        drawn_height: f64::from(height),
        svg: svg.to_string(),
    })
}

/// The figure's SVG as resvg should read it. In a right-to-left figure (`direction="rtl"` on the
/// root) a browser lays each text out as a right-to-left paragraph and anchors `text-anchor="start"`
/// at its right end and `end` at its left end, as the SVG specification says. resvg does neither
/// whatever the direction: its paragraphs are left to right ("۱. نام" comes out with the number on
/// the left) and its anchors are those of left-to-right text. So, for resvg only, each text starts
/// with a right-to-left mark (a strong right-to-left character, which makes the paragraph right to
/// left) and `start` and `end` are swapped (`middle` is the same either way). The figure's SVG itself
/// is unchanged.
fn anchored_for_resvg(svg: &str) -> std::borrow::Cow<'_, str> {
    let root_end = svg.find('>').unwrap_or(svg.len());
    if !svg[..root_end].contains(r#" direction="rtl""#) {
        return std::borrow::Cow::Borrowed(svg);
    }
    const HELD: &str = "\u{0}anchor-start\u{0}";
    let swapped = svg
        .replace(r#" text-anchor="start""#, HELD)
        .replace(r#" text-anchor="end""#, r#" text-anchor="start""#)
        .replace(HELD, r#" text-anchor="end""#);
    // A right-to-left mark before the text of every <text> and <tspan> that holds text.
    let mut marked = String::with_capacity(swapped.len() + 256);
    let mut rest = swapped.as_str();
    while let Some(at) = rest.find('<') {
        let (before, tag_on) = rest.split_at(at);
        marked.push_str(before);
        let Some(close) = tag_on.find('>') else {
            marked.push_str(tag_on);
            rest = "";
            break;
        };
        let tag = &tag_on[..=close];
        marked.push_str(tag);
        rest = &tag_on[close + 1..];
        let opens_text =
            (tag.starts_with("<text") || tag.starts_with("<tspan")) && !tag.ends_with("/>");
        if opens_text && !rest.is_empty() && !rest.starts_with('<') {
            marked.push('\u{200F}');
        }
    }
    marked.push_str(rest);
    std::borrow::Cow::Owned(marked)
}

/// PNG filter types (PNG spec, section 9.2): none, and the byte above.
const FILTER_NONE: u8 = 0;
const FILTER_UP: u8 = 2;

/// The zlib level of the PNG's data. Most of a figure's rows repeat the row above (white under white,
/// a box's side under the same side) and are stored as zeros, the others as palette indices. Measured
/// on the reference study's six figures (callgrind of the whole build, both Word documents): level 3
/// takes 237 M instructions for the figures and gives 132.2 KB of .docx, level 2 232 M and 132.9 KB,
/// level 6 282 M and 130.9 KB, level 9 709 M and 126.5 KB; level 1's fixed codes double the PNGs.
const DEFLATE_LEVEL: u32 = 3;

/// Pixels per SVG unit for a figure of `width` x `height` units: 1, or less so that neither side is
/// longer than [`MAX_SIDE`] pixels. `None` for a size that is not a positive number.
fn pixel_scale(width: f32, height: f32) -> Option<f64> {
    let (width, height) = (f64::from(width), f64::from(height));
    if !(width.is_finite() && height.is_finite() && width > 0.0 && height > 0.0) {
        return None;
    }
    Some((f64::from(MAX_SIDE) / width.max(height)).min(1.0))
}

/// An opaque 8-bit RGB PNG of `rgb` (row by row, 3 bytes a pixel).
fn encode_png(width: u32, height: u32, rgb: &[u8]) -> Result<Vec<u8>> {
    let row = width as usize * 3;
    if rgb.len() != row * height as usize {
        return Err(anyhow!("{} bytes for {width} x {height} pixels", rgb.len()));
    }
    let mut scanlines = Vec::with_capacity((row + 1) * height as usize);
    for line in rgb.chunks_exact(row) {
        scanlines.push(FILTER_NONE);
        scanlines.extend_from_slice(line);
    }
    encode_scanlines(width, height, scanlines)
}

/// PNG colour types (PNG spec, section 11.2.2).
const COLOUR_RGB: u8 = 2;
const COLOUR_PALETTE: u8 = 3;

/// The PNG of unfiltered RGB scanlines (each a `FILTER_NONE` byte and its pixels). A figure of at most
/// 256 colours (every figure of the reference study: 30 to 125) is written with a palette of its
/// colours in order of first appearance, one byte a pixel; a figure of more keeps three. A row equal to
/// the one above is filtered by `Up` (all zeros), the others are left unfiltered. One IHDR, the PLTE
/// when there is a palette, one IDAT compressed by flate2 at a fixed level, IEND; no time or text
/// chunks, so the same pixels always give the same bytes.
fn encode_scanlines(width: u32, height: u32, mut scanlines: Vec<u8>) -> Result<Vec<u8>> {
    let stride = 1 + 3 * width as usize;
    if scanlines.len() != stride * height as usize {
        return Err(anyhow!(
            "{} bytes of scanlines for {width} x {height} pixels",
            scanlines.len()
        ));
    }
    let repeats: Vec<bool> = (0..height as usize)
        .map(|y| {
            y > 0
                && scanlines[y * stride + 1..(y + 1) * stride]
                    == scanlines[(y - 1) * stride + 1..y * stride]
        })
        .collect();
    let (colour_type, palette, data) = match indexed(width, &scanlines, &repeats) {
        Some((palette, indices)) => (COLOUR_PALETTE, palette, indices),
        None => {
            for (row, &repeat) in scanlines.chunks_exact_mut(stride).zip(&repeats) {
                if repeat {
                    row[0] = FILTER_UP;
                    row[1..].fill(0);
                }
            }
            (COLOUR_RGB, Vec::new(), scanlines)
        }
    };
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(data.len() / 16),
        flate2::Compression::new(DEFLATE_LEVEL),
    );
    encoder.write_all(&data)?;
    let compressed = encoder.finish()?;
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    // 8 bits, the colour type, deflate, standard filters, no interlace.
    header.extend_from_slice(&[8, colour_type, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    if colour_type == COLOUR_PALETTE {
        chunk(&mut png, b"PLTE", &palette);
    }
    chunk(&mut png, b"IDAT", &compressed);
    chunk(&mut png, b"IEND", &[]);
    Ok(png)
}

/// The palette (RGB triples in order of first appearance) and the scanlines of palette indices (a
/// repeated row as `Up` zeros) of RGB `scanlines`; `None` past 256 colours.
fn indexed(width: u32, scanlines: &[u8], repeats: &[bool]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (stride, indexed_stride) = (1 + 3 * width as usize, 1 + width as usize);
    let mut indices = vec![0u8; indexed_stride * repeats.len()];
    let mut palette: Vec<u8> = Vec::new();
    let mut known: std::collections::HashMap<[u8; 3], u8> = std::collections::HashMap::new();
    // Runs of one colour are the rule: the last colour seen is looked up first.
    let mut last: Option<([u8; 3], u8)> = None;
    for ((row, target), &repeat) in scanlines
        .chunks_exact(stride)
        .zip(indices.chunks_exact_mut(indexed_stride))
        .zip(repeats)
    {
        if repeat {
            target[0] = FILTER_UP;
            continue;
        }
        target[0] = FILTER_NONE;
        for (pixel, index) in row[1..].chunks_exact(3).zip(&mut target[1..]) {
            let colour = [pixel[0], pixel[1], pixel[2]];
            *index = match last {
                Some((seen, at)) if seen == colour => at,
                _ => {
                    let at = match known.get(&colour) {
                        Some(&at) => at,
                        None => {
                            let at = u8::try_from(palette.len() / 3).ok()?;
                            palette.extend_from_slice(&colour);
                            known.insert(colour, at);
                            at
                        }
                    };
                    last = Some((colour, at));
                    at
                }
            };
        }
    }
    Some((palette, indices))
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    png.extend_from_slice(&crc.finalize().to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG's chunks: kind and data, in order.
    fn chunks(png: &[u8]) -> Vec<([u8; 4], Vec<u8>)> {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let mut found = Vec::new();
        let mut at = 8;
        while at < png.len() {
            let length = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            let kind: [u8; 4] = png[at + 4..at + 8].try_into().unwrap();
            let mut crc = crc32fast::Hasher::new();
            crc.update(&png[at + 4..at + 8 + length]);
            let stored = &png[at + 8 + length..at + 12 + length];
            assert_eq!(stored, crc.finalize().to_be_bytes(), "{:?}", kind);
            found.push((kind, png[at + 8..at + 8 + length].to_vec()));
            at += 12 + length;
        }
        found
    }

    /// The colour type and the inflated scanlines of a PNG written here.
    fn scanlines(png: &[u8]) -> (u8, Vec<u8>) {
        let chunks = chunks(png);
        let idat = &chunks.iter().find(|(kind, _)| kind == b"IDAT").unwrap().1;
        let mut raw = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&idat[..]), &mut raw)
            .unwrap();
        (chunks[0].1[9], raw)
    }

    /// The RGB pixels of a PNG written here (RGB or palette; filters None and Up, undone).
    fn pixels(png: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
        let chunks = chunks(png);
        let header = &chunks[0].1;
        let width = u32::from_be_bytes(header[0..4].try_into().unwrap());
        let height = u32::from_be_bytes(header[4..8].try_into().unwrap());
        let (colour_type, raw) = scanlines(png);
        let palette = chunks
            .iter()
            .find(|(kind, _)| kind == b"PLTE")
            .map(|c| &c.1);
        let per_pixel = if colour_type == COLOUR_PALETTE { 1 } else { 3 };
        let row = width as usize * per_pixel;
        let mut rows: Vec<Vec<u8>> = Vec::new();
        for line in raw.chunks_exact(row + 1) {
            let decoded: Vec<u8> = match line[0] {
                FILTER_NONE => line[1..].to_vec(),
                FILTER_UP => {
                    let above = rows.last().cloned().unwrap_or_else(|| vec![0; row]);
                    line[1..]
                        .iter()
                        .zip(&above)
                        .map(|(b, a)| b.wrapping_add(*a))
                        .collect()
                }
                other => panic!("filter type {other}"),
            };
            rows.push(decoded);
        }
        assert_eq!(rows.len(), height as usize);
        let pixels = rows
            .iter()
            .flat_map(|r| match palette {
                Some(palette) => r
                    .iter()
                    .map(|&i| {
                        let at = 3 * i as usize;
                        [palette[at], palette[at + 1], palette[at + 2]]
                    })
                    .collect::<Vec<_>>(),
                None => r.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect(),
            })
            .collect();
        (width, height, pixels)
    }

    #[test]
    fn a_png_of_two_pixels_is_byte_for_byte_the_format() {
        // Red then white: a palette of the two in that order, one byte a pixel.
        let png = encode_png(2, 1, &[255, 0, 0, 255, 255, 255]).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[8..16], b"\x00\x00\x00\x0dIHDR");
        assert_eq!(&png[16..29], &[0, 0, 0, 2, 0, 0, 0, 1, 8, 3, 0, 0, 0]);
        let chunks = chunks(&png);
        let kinds: Vec<&[u8; 4]> = chunks.iter().map(|(kind, _)| kind).collect();
        assert_eq!(kinds, [b"IHDR", b"PLTE", b"IDAT", b"IEND"]);
        assert_eq!(chunks[1].1, [255, 0, 0, 255, 255, 255]);
        assert_eq!(scanlines(&png), (COLOUR_PALETTE, vec![0, 0, 1]));
        assert_eq!(pixels(&png), (2, 1, vec![[255, 0, 0], [255, 255, 255]]));
        assert_eq!(&png[png.len() - 12..png.len() - 4], b"\x00\x00\x00\x00IEND");
        assert!(encode_png(2, 2, &[0; 6]).is_err());
    }

    #[test]
    fn a_figure_of_more_than_256_colours_keeps_three_bytes_a_pixel() {
        // 257 grey-blue pixels in a row, all different: no palette can hold them.
        let rgb: Vec<u8> = (0..257u32)
            .flat_map(|i| [(i / 2) as u8, 7, (i % 256) as u8])
            .collect();
        let png = encode_png(257, 1, &rgb).unwrap();
        assert!(chunks(&png).iter().all(|(kind, _)| kind != b"PLTE"));
        let (colour_type, raw) = scanlines(&png);
        assert_eq!(colour_type, COLOUR_RGB);
        assert_eq!(raw[0], FILTER_NONE);
        assert_eq!(&raw[1..], &rgb[..]);
        // 256 colours still fit.
        assert_eq!(
            scanlines(&encode_png(256, 1, &rgb[..768]).unwrap()).0,
            COLOUR_PALETTE
        );
    }

    #[test]
    fn a_row_equal_to_the_one_above_is_stored_as_zeros_and_others_as_they_are() {
        // 1 x 3 pixels (10, 20, 30), (10, 20, 30), (15, 20, 25): palette entries 0 and 1; the second
        // row repeats the first and is filtered by Up (its difference from the row above: zero);
        // the third is not.
        let png = encode_png(1, 3, &[10, 20, 30, 10, 20, 30, 15, 20, 25]).unwrap();
        assert_eq!(scanlines(&png), (COLOUR_PALETTE, vec![0, 0, 2, 0, 0, 1]));
        assert_eq!(
            pixels(&png).2,
            vec![[10, 20, 30], [10, 20, 30], [15, 20, 25]]
        );
        // The same in RGB, past 256 colours: 257 distinct pixels a row, the second row a repeat.
        let row: Vec<u8> = (0..257u32)
            .flat_map(|i| [(i / 2) as u8, 7, (i % 256) as u8])
            .collect();
        let two_rows = [row.clone(), row.clone()].concat();
        let (colour_type, raw) = scanlines(&encode_png(257, 2, &two_rows).unwrap());
        assert_eq!(colour_type, COLOUR_RGB);
        assert_eq!(raw[1 + 771], FILTER_UP);
        assert!(raw[1 + 771 + 1..].iter().all(|&b| b == 0));
    }

    #[test]
    fn a_figure_longer_than_the_largest_side_is_drawn_smaller_to_fit() {
        // 100 x 8000 units at 4000 / 8000 = 0.5 pixels a unit: 50 x 4000 pixels. The black rect over
        // the lower half (y 4000 to 8000) fills pixel rows 2000 to 3999; a 1-unit line at x 10 to
        // 12 becomes 1 pixel wide at x 5.
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="8000"><rect x="0" y="4000" width="100" height="4000" fill="#000000"/><line x1="11" y1="0" x2="11" y2="2000" stroke="#ff0000" stroke-width="2"/></svg>"##;
        let image = figure_image(svg).unwrap();
        assert_eq!((image.drawn_width, image.drawn_height), (100.0, 8000.0));
        let (width, height, drawn) = pixels(&image.png);
        assert_eq!((width, height), (50, 4000));
        let at = |x: usize, y: usize| drawn[y * 50 + x];
        assert_eq!(at(0, 1999), [255, 255, 255]);
        assert_eq!(at(0, 2000), [0, 0, 0]);
        assert_eq!(at(49, 3999), [0, 0, 0]);
        assert_eq!(at(5, 500), [255, 0, 0]);
        assert_eq!(at(4, 500), [255, 255, 255]);
        assert_eq!(at(6, 500), [255, 255, 255]);
        // Wider than long: 12000 x 100 units at 1/3 pixel a unit, 4000 x 34 (33.3 rounded up).
        assert_eq!(pixel_scale(12_000.0, 100.0), Some(1.0 / 3.0));
        let wide = r##"<svg xmlns="http://www.w3.org/2000/svg" width="12000" height="100"></svg>"##;
        let (width, height, _) = pixels(&figure_image(wide).unwrap().png);
        assert_eq!((width, height), (4000, 34));
        // Figures that fit keep one pixel a unit; a size that is no size is an error, not a panic.
        assert_eq!(pixel_scale(780.0, 4000.0), Some(1.0));
        assert_eq!(pixel_scale(780.0, 4900.0), Some(4000.0 / 4900.0));
        assert_eq!(pixel_scale(0.0, 10.0), None);
        assert_eq!(pixel_scale(f32::NAN, 10.0), None);
        let none = r##"<svg xmlns="http://www.w3.org/2000/svg" width="0" height="10"></svg>"##;
        assert!(figure_image(none).is_err());
    }

    /// The pixels darker than light grey inside `x0..x1` x `y0..y1` of a drawn figure of `width`.
    fn dark_pixels(
        pixels: &[[u8; 3]],
        width: usize,
        (x0, x1): (usize, usize),
        (y0, y1): (usize, usize),
    ) -> usize {
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| pixels[y * width + x].iter().all(|&c| c < 160))
            .count()
    }

    #[test]
    fn shapes_are_drawn_in_their_colours_on_white_and_the_same_svg_gives_the_same_bytes() {
        // 4 x 2 pixels: a rect at x 0..2 over both rows in the root's black, a red one from its
        // group at (3, 0), an unpainted one at (3, 1).
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2" fill="#000000"><rect x="0" y="0" width="2" height="2"/><g fill="#ff0000"><rect x="3" y="0" width="1" height="1"/></g><rect x="3" y="1" width="1" height="1" fill="none" stroke="none"/></svg>"##;
        let image = figure_image(svg).unwrap();
        let (width, height, pixels) = pixels(&image.png);
        assert_eq!((width, height), (4, 2));
        assert_eq!(
            pixels,
            vec![
                [0, 0, 0],
                [0, 0, 0],
                [255, 255, 255],
                [255, 0, 0],
                [0, 0, 0],
                [0, 0, 0],
                [255, 255, 255],
                [255, 255, 255],
            ]
        );
        assert_eq!(image.png, figure_image(svg).unwrap().png);
        assert_eq!(image.svg, svg);
    }

    #[test]
    fn labels_are_drawn_in_latin_and_persian_script_with_the_bundled_fonts() {
        // Two labels on white, 11 px as the figures write them, in a family the bundled fonts do not
        // hold (system-ui first, as the figures name it): ink where each label stands, none elsewhere.
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" font-family="system-ui, sans-serif" font-size="11" fill="#1b1b1b"><text x="10" y="20">Staff training 0.639</text><text x="190" y="50" text-anchor="end" direction="rtl">آموزش کارکنان ۰٫۶۳۹</text></svg>"##;
        let (width, _, drawn) = pixels(&figure_image(svg).unwrap().png);
        let latin = dark_pixels(&drawn, width as usize, (10, 120), (8, 24));
        let persian = dark_pixels(&drawn, width as usize, (80, 190), (38, 54));
        assert!(latin > 40, "{latin} dark pixels where the English label is");
        assert!(
            persian > 40,
            "{persian} dark pixels where the Persian label is"
        );
        assert_eq!(dark_pixels(&drawn, width as usize, (130, 200), (0, 26)), 0);
        assert_eq!(dark_pixels(&drawn, width as usize, (0, 70), (30, 60)), 0);
        // Bold draws more ink than regular: the bold face is there too.
        let bold = svg.replace("<text x=\"10\"", "<text font-weight=\"700\" x=\"10\"");
        let (_, _, bold_pixels) = pixels(&figure_image(&bold).unwrap().png);
        assert!(dark_pixels(&bold_pixels, width as usize, (10, 130), (8, 24)) > latin);
    }

    #[test]
    fn a_hatched_bar_is_drawn_with_its_pattern() {
        // A pattern of red vertical stripes 2 wide every 4: columns 0 and 1 red, 2 and 3 white.
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="2"><defs><pattern id="h" width="4" height="4" patternUnits="userSpaceOnUse"><rect x="0" y="0" width="2" height="4" fill="#ff0000"/></pattern></defs><rect width="8" height="2" fill="url(#h)"/></svg>"##;
        let (_, _, pixels) = pixels(&figure_image(svg).unwrap().png);
        assert_eq!(
            pixels[..4],
            [[255, 0, 0], [255, 0, 0], [255, 255, 255], [255, 255, 255]]
        );
    }
}
