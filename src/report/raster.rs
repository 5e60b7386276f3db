//! The PNG fallback of each figure in the Word report: Word 2016 and later (and Microsoft 365) draw the
//! figure's SVG itself (`asvg:svgBlip`), but a Word picture must also name a raster image for older
//! readers. That fallback is drawn here from our own SVGs' shapes (rectangles, lines, polylines, circles, hatching
//! as a tint), without their text: the labels need a font and Persian shaping, and the crates that do
//! both cost about 90 CPU-seconds of build (measured, see the commit), more than a fallback is worth.
//! The picture's description holds the figure's text alternative.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{anyhow, Context, Result};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::report::docx::FigureImage;

/// Largest fallback drawn, in pixels per side: a longer figure is drawn smaller (its SVG is exact).
pub(crate) const MAX_SIDE: u32 = 4_000;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(f32, f32, f32);

#[cfg(test)]
const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);

/// What a shape inherits from its ancestors (only what our SVGs use).
#[derive(Debug, Clone)]
struct Paint {
    fill: Option<Rgb>,
    fill_opacity: f32,
    stroke: Option<Rgb>,
    stroke_width: f32,
}

/// The figure's SVG, with a PNG fallback of its shapes: one pixel per SVG unit, or fewer when a side
/// would be longer than [`MAX_SIDE`] pixels.
pub(crate) fn figure_image(svg: &str) -> Result<FigureImage> {
    let mut reader = Reader::from_str(svg);
    let mut canvas: Option<Canvas> = None;
    let mut stack: Vec<Paint> = Vec::new();
    // Hatching patterns by id, drawn as a flat tint of their colour.
    let mut patterns: BTreeMap<String, Rgb> = BTreeMap::new();
    let mut pattern: Option<String> = None;
    let (mut width, mut height) = (0.0, 0.0);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| anyhow!("reading the figure's SVG: {e}"))?;
        let (element, empty) = match &event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "pattern" => pattern = None,
                    "svg" | "g" | "text" | "tspan" | "a" => {
                        stack.pop();
                    }
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let attributes = attributes(element)?;
        let number = |name: &str| -> Result<f32> {
            match attributes.get(name) {
                None => Ok(0.0),
                Some(text) => text
                    .trim_end_matches("px")
                    .parse()
                    .with_context(|| format!("attribute {name}=\"{text}\" is not a number")),
            }
        };
        let parent = stack.last().cloned().unwrap_or(Paint {
            fill: Some(Rgb(0.0, 0.0, 0.0)),
            fill_opacity: 1.0,
            stroke: None,
            stroke_width: 1.0,
        });
        let paint = inherit(&parent, &attributes, &patterns)?;
        let name = element.local_name();
        match name.as_ref() {
            "svg" => {
                width = number("width")?;
                height = number("height")?;
                canvas = Some(Canvas::new(width, height)?);
            }
            "pattern" => {
                pattern = attributes.get("id").cloned();
            }
            _ if pattern.is_some() => {
                // The pattern's stroked line is its visible colour.
                if let (Some(id), Some(stroke)) = (&pattern, paint.stroke) {
                    patterns.insert(id.clone(), stroke);
                }
            }
            "rect" => {
                let canvas = canvas.as_mut().context("a shape before <svg>")?;
                let (x, y, w, h) = (
                    number("x")?,
                    number("y")?,
                    number("width")?,
                    number("height")?,
                );
                if let Some(fill) = paint.fill {
                    canvas.rect(x, y, w, h, fill, paint.fill_opacity);
                }
                if let Some(stroke) = paint.stroke {
                    let s = paint.stroke_width;
                    for (x1, y1, x2, y2) in [
                        (x, y, x + w, y),
                        (x + w, y, x + w, y + h),
                        (x, y + h, x + w, y + h),
                        (x, y, x, y + h),
                    ] {
                        canvas.line((x1, y1), (x2, y2), s, stroke, None);
                    }
                }
            }
            "line" => {
                let canvas = canvas.as_mut().context("a shape before <svg>")?;
                if let Some(stroke) = paint.stroke {
                    let dashes = match attributes.get("stroke-dasharray") {
                        Some(text) => {
                            let values: Vec<f32> = text
                                .split([',', ' '])
                                .filter(|v| !v.is_empty())
                                .map(|v| v.parse().unwrap_or(0.0))
                                .collect();
                            (values.len() >= 2 && values[0] + values[1] > 0.0)
                                .then(|| (values[0], values[1]))
                        }
                        None => None,
                    };
                    canvas.line(
                        (number("x1")?, number("y1")?),
                        (number("x2")?, number("y2")?),
                        paint.stroke_width,
                        stroke,
                        dashes,
                    );
                }
            }
            "polyline" => {
                let canvas = canvas.as_mut().context("a shape before <svg>")?;
                if let Some(stroke) = paint.stroke {
                    let points = polyline_points(attributes.get("points").map_or("", |p| p))?;
                    for pair in points.windows(2) {
                        canvas.line(pair[0], pair[1], paint.stroke_width, stroke, None);
                    }
                }
            }
            "circle" => {
                let canvas = canvas.as_mut().context("a shape before <svg>")?;
                if let Some(fill) = paint.fill {
                    canvas.circle(number("cx")?, number("cy")?, number("r")?, fill);
                }
            }
            _ => {}
        }
        if !empty && matches!(name.as_ref(), "svg" | "g" | "text" | "tspan" | "a") {
            stack.push(paint);
        }
    }
    let canvas = canvas.context("the figure has no <svg> element")?;
    Ok(FigureImage {
        png: canvas.png()?,
        drawn_width: f64::from(width),
        drawn_height: f64::from(height),
        svg: svg.to_string(),
    })
}

/// The points of a `polyline`: `x,y` pairs separated by spaces.
fn polyline_points(text: &str) -> Result<Vec<(f32, f32)>> {
    text.split_whitespace()
        .map(|pair| {
            let (x, y) = pair
                .split_once(',')
                .with_context(|| format!("polyline point '{pair}' is not x,y"))?;
            let number = |v: &str| {
                v.parse::<f32>()
                    .with_context(|| format!("polyline point '{pair}' is not a number"))
            };
            Ok((number(x)?, number(y)?))
        })
        .collect()
}

fn attributes(element: &BytesStart) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|e| anyhow!("a bad SVG attribute: {e}"))?;
        let key = attribute.key.local_name().as_ref().to_string();
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| anyhow!("SVG attribute '{key}': {e}"))?;
        out.insert(key, value.into_owned());
    }
    Ok(out)
}

fn inherit(
    parent: &Paint,
    attributes: &BTreeMap<String, String>,
    patterns: &BTreeMap<String, Rgb>,
) -> Result<Paint> {
    let mut paint = parent.clone();
    let colour = |text: &str| -> Result<Option<(Rgb, f32)>> {
        if text == "none" {
            return Ok(None);
        }
        if let Some(id) = text.strip_prefix("url(#").and_then(|t| t.strip_suffix(')')) {
            // A hatch reads as its colour at a third of its strength.
            return Ok(patterns.get(id).map(|c| (*c, 0.35)));
        }
        parse_colour(text).map(|c| Some((c, 1.0)))
    };
    if let Some(text) = attributes.get("fill") {
        match colour(text)? {
            Some((fill, opacity)) => {
                paint.fill = Some(fill);
                paint.fill_opacity = opacity;
            }
            None => paint.fill = None,
        }
    }
    if let Some(text) = attributes.get("fill-opacity") {
        paint.fill_opacity *= text.parse::<f32>().unwrap_or(1.0).clamp(0.0, 1.0);
    }
    if let Some(text) = attributes.get("stroke") {
        paint.stroke = colour(text)?.map(|(c, _)| c);
    }
    if let Some(text) = attributes.get("stroke-width") {
        paint.stroke_width = text.parse().unwrap_or(1.0);
    }
    Ok(paint)
}

/// `#rrggbb`, `#rgb`, `white` or `black`.
fn parse_colour(text: &str) -> Result<Rgb> {
    let hex = match text {
        "white" => "ffffff",
        "black" => "000000",
        other => other
            .strip_prefix('#')
            .ok_or_else(|| anyhow!("colour '{text}' is not #rrggbb"))?,
    };
    let digits: Vec<u32> = hex
        .chars()
        .map(|c| {
            c.to_digit(16)
                .ok_or_else(|| anyhow!("colour '{text}' is not #rrggbb"))
        })
        .collect::<Result<_>>()?;
    let channel = |high: u32, low: u32| (high * 16 + low) as f32 / 255.0;
    match digits.as_slice() {
        [r1, r2, g1, g2, b1, b2] => {
            Ok(Rgb(channel(*r1, *r2), channel(*g1, *g2), channel(*b1, *b2)))
        }
        [r, g, b] => Ok(Rgb(channel(*r, *r), channel(*g, *g), channel(*b, *b))),
        _ => Err(anyhow!("colour '{text}' is not #rrggbb")),
    }
}

/// An opaque 8-bit RGB canvas, white to begin with, `scale` pixels per SVG unit: one, or fewer when
/// the figure is longer than [`MAX_SIDE`] pixels on a side. Rows are stored as the PNG's scanlines,
/// each after its filter byte, so that encoding copies nothing.
struct Canvas {
    width: u32,
    height: u32,
    scale: f32,
    /// `height` rows of `1 + 3 * width` bytes: the filter byte, then red, green and blue per pixel.
    rows: Vec<u8>,
}

/// Samples per pixel side for lines and circles.
const SAMPLES: usize = 4;

/// PNG filter types (PNG spec, section 9.2).
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

impl Canvas {
    fn new(width: f32, height: f32) -> Result<Canvas> {
        let scale = pixel_scale(width, height)
            .ok_or_else(|| anyhow!("a figure of {width} x {height} is not drawable"))?;
        // At least one pixel, at most MAX_SIDE (the product may round a hair above it).
        let side = |units: f32| {
            (f64::from(units) * scale)
                .ceil()
                .clamp(1.0, f64::from(MAX_SIDE)) as u32
        };
        let (pixels_wide, pixels_high) = (side(width), side(height));
        let stride = 1 + 3 * pixels_wide as usize;
        let mut rows = vec![255u8; stride * pixels_high as usize];
        for row in rows.chunks_exact_mut(stride) {
            row[0] = FILTER_NONE;
        }
        Ok(Canvas {
            width: pixels_wide,
            height: pixels_high,
            scale: scale as f32,
            rows,
        })
    }

    fn stride(&self) -> usize {
        1 + 3 * self.width as usize
    }

    fn blend(&mut self, x: u32, y: u32, colour: Rgb, alpha: f32) {
        if x >= self.width || y >= self.height || alpha <= 0.0 {
            return;
        }
        let at = y as usize * self.stride() + 1 + 3 * x as usize;
        blend(&mut self.rows[at..at + 3], colour, alpha);
    }

    /// An axis-aligned rectangle, each pixel covered by exactly the area it shares with it.
    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, colour: Rgb, opacity: f32) {
        let s = self.scale;
        let (x, y, x2, y2) = (x * s, y * s, (x + w) * s, (y + h) * s);
        let columns = span(x, x2, self.width);
        // The share of each column the rectangle covers, the same on every row.
        let cover_x: Vec<f32> = columns
            .clone()
            .map(|px| (x2.min(px as f32 + 1.0) - x.max(px as f32)).max(0.0))
            .collect();
        let stride = self.stride();
        // What a fully covered pixel becomes: the colour itself, whatever was under it. A row that the
        // rectangle covers from top to bottom is copied from one row of it (a figure's background is
        // one such rectangle over every pixel).
        let mut solid = [0u8; 3];
        blend(&mut solid, colour, 1.0);
        let whole_columns = cover_x.iter().all(|&cover| cover * opacity >= 1.0);
        let full_row = if whole_columns {
            solid.repeat(cover_x.len())
        } else {
            Vec::new()
        };
        for py in span(y, y2, self.height) {
            let cover_y = (y2.min(py as f32 + 1.0) - y.max(py as f32)).max(0.0);
            let start = py as usize * stride + 1 + 3 * columns.start as usize;
            let row = &mut self.rows[start..start + 3 * cover_x.len()];
            if whole_columns && cover_y >= 1.0 {
                row.copy_from_slice(&full_row);
                continue;
            }
            for (pixel, cover) in row.chunks_exact_mut(3).zip(&cover_x) {
                let alpha = cover * cover_y * opacity;
                if alpha >= 1.0 {
                    pixel.copy_from_slice(&solid);
                } else {
                    blend(pixel, colour, alpha);
                }
            }
        }
    }

    /// A segment of the given width (butt ends), optionally dashed, by supersampling.
    fn line(
        &mut self,
        (x1, y1): (f32, f32),
        (x2, y2): (f32, f32),
        width: f32,
        colour: Rgb,
        dashes: Option<(f32, f32)>,
    ) {
        // A solid horizontal or vertical line (grid lines, rules, box sides) is a rectangle, each
        // pixel covered by the exact area it shares with it.
        if dashes.is_none() && width > 0.0 && (x1 == x2) != (y1 == y2) {
            let half = width / 2.0;
            if x1 == x2 {
                self.rect(x1 - half, y1.min(y2), width, (y2 - y1).abs(), colour, 1.0);
            } else {
                self.rect(x1.min(x2), y1 - half, (x2 - x1).abs(), width, colour, 1.0);
            }
            return;
        }
        let s = self.scale;
        let ((x1, y1), (x2, y2), width) = ((x1 * s, y1 * s), (x2 * s, y2 * s), width * s);
        let dashes = dashes.map(|(on, off)| (on * s, off * s));
        let (dx, dy) = (x2 - x1, y2 - y1);
        let length = (dx * dx + dy * dy).sqrt();
        if length == 0.0 || width <= 0.0 {
            return;
        }
        let half = width / 2.0;
        let (ux, uy) = (dx / length, dy / length);
        let canvas_width = self.width;
        let xs = span(x1.min(x2) - half, x1.max(x2) + half, canvas_width);
        let ys = span(y1.min(y2) - half, y1.max(y2) + half, self.height);
        // On a row, the band within `half` of a slanted line spans `half / |uy|` either side of the
        // line's centre; pixels outside it (one pixel of margin for rounding) hold no sample.
        let row_columns = |py: u32| {
            if uy.abs() < 1e-3 {
                return xs.clone();
            }
            let centre = |y: f32| x1 + (y - y1) * ux / uy;
            let (top, bottom) = (centre(py as f32), centre(py as f32 + 1.0));
            let reach = half / uy.abs() + 1.0;
            let band = span(
                top.min(bottom) - reach,
                top.max(bottom) + reach,
                canvas_width,
            );
            let start = band.start.max(xs.start);
            start..band.end.min(xs.end).max(start)
        };
        self.supersample(ys, row_columns, colour, |x, y| {
            let (x, y) = (x - x1, y - y1);
            let along = x * ux + y * uy;
            let across = (x * uy - y * ux).abs();
            let on_dash = dashes.is_none_or(|(on, off)| along.rem_euclid(on + off) < on);
            (0.0..=length).contains(&along) && across <= half && on_dash
        });
    }

    fn circle(&mut self, cx: f32, cy: f32, r: f32, colour: Rgb) {
        let s = self.scale;
        let (cx, cy, r) = (cx * s, cy * s, r * s);
        let xs = span(cx - r, cx + r, self.width);
        let ys = span(cy - r, cy + r, self.height);
        self.supersample(
            ys,
            |_| xs.clone(),
            colour,
            |x, y| {
                let (x, y) = (x - cx, y - cy);
                x * x + y * y <= r * r
            },
        );
    }

    /// Paints each pixel of the rows `ys`, in the columns `xs` gives for its row, in `colour`, by the
    /// share of its `SAMPLES` x `SAMPLES` sample points (in canvas coordinates) that `covers` holds
    /// for: the one supersampling of lines and dots.
    fn supersample(
        &mut self,
        ys: std::ops::Range<u32>,
        xs: impl Fn(u32) -> std::ops::Range<u32>,
        colour: Rgb,
        covers: impl Fn(f32, f32) -> bool,
    ) {
        for py in ys {
            for px in xs(py) {
                let mut inside = 0;
                for sy in 0..SAMPLES {
                    for sx in 0..SAMPLES {
                        let x = px as f32 + (sx as f32 + 0.5) / SAMPLES as f32;
                        let y = py as f32 + (sy as f32 + 0.5) / SAMPLES as f32;
                        if covers(x, y) {
                            inside += 1;
                        }
                    }
                }
                self.blend(px, py, colour, inside as f32 / (SAMPLES * SAMPLES) as f32);
            }
        }
    }

    fn png(self) -> Result<Vec<u8>> {
        let (width, height) = (self.width, self.height);
        encode_scanlines(width, height, self.rows)
    }
}

/// The pixels from `low` to `high` (pixel coordinates) cover, clipped to `0..limit`.
fn span(low: f32, high: f32, limit: u32) -> std::ops::Range<u32> {
    let start = low.floor().max(0.0) as u32;
    let end = (high.ceil().max(0.0) as u32).min(limit);
    start..end.max(start)
}

/// Paints `colour` over one RGB pixel with coverage `alpha`; a covered pixel takes the colour itself.
fn blend(pixel: &mut [u8], colour: Rgb, alpha: f32) {
    if alpha <= 0.0 {
        return;
    }
    let a = alpha.min(1.0);
    for (channel, target) in pixel.iter_mut().zip([colour.0, colour.1, colour.2]) {
        // Between the old byte and the target, so within 0..=255: rounded half up.
        let old = f32::from(*channel);
        *channel = (old + (target * 255.0 - old) * a + 0.5) as u8;
    }
}

/// An opaque 8-bit RGB PNG of `rgb` (row by row, 3 bytes a pixel); the canvas encodes its own rows.
#[cfg(test)]
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

    #[test]
    fn shapes_are_drawn_with_their_inherited_colours_and_text_is_left_out() {
        // 4 x 2 pixels: a rect at x 0..1.5 over both rows in the root's black (pixel 1 half covered:
        // 255 * 0.5 = 127.5, rounded 128), a red one from its group at (3, 0), an unpainted one, and
        // text drawn nowhere.
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2" fill="#000000"><rect x="0" y="0" width="1.5" height="2"/><g fill="#ff0000"><rect x="3" y="0" width="1" height="1"/></g><text x="2" y="2">۴۸</text><rect x="3" y="1" width="1" height="1" fill="none" stroke="none"/></svg>"##;
        let image = figure_image(svg).unwrap();
        let (width, height, pixels) = pixels(&image.png);
        assert_eq!((width, height), (4, 2));
        assert_eq!(
            pixels,
            vec![
                [0, 0, 0],
                [128, 128, 128],
                [255, 255, 255],
                [255, 0, 0],
                [0, 0, 0],
                [128, 128, 128],
                [255, 255, 255],
                [255, 255, 255],
            ]
        );
        assert_eq!(image.png, figure_image(svg).unwrap().png);
        assert_eq!(image.svg, svg);
    }

    #[test]
    fn a_polyline_is_drawn_segment_by_segment() {
        // A black line 1 wide centred on y 0.5 from x 0 to 3 covers row 0 and leaves row 1 white.
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="3" height="2"><polyline points="0,0.5 3,0.5" fill="none" stroke="#000000" stroke-width="1"/></svg>"##;
        let (_, _, pixels) = pixels(&figure_image(svg).unwrap().png);
        assert_eq!(pixels[..3], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
        assert_eq!(
            pixels[3..],
            [[255, 255, 255], [255, 255, 255], [255, 255, 255]]
        );
        assert!(polyline_points("1,2 x").is_err());
    }

    #[test]
    fn a_hatched_bar_is_a_tint_of_its_pattern_colour() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><defs><pattern id="h" width="4" height="4"><line x1="0" y1="0" x2="0" y2="4" stroke="#ff0000" stroke-width="2"/></pattern></defs><rect width="1" height="1" fill="url(#h)"/></svg>"##;
        let (_, _, pixels) = pixels(&figure_image(svg).unwrap().png);
        // Red at 0.35 over white: green and blue 255 * 0.65 = 165.75, rounded 166.
        assert_eq!(pixels, vec![[255, 166, 166]]);
        assert!(parse_colour("#12345").is_err());
        assert_eq!(parse_colour("#fff").unwrap(), WHITE);
    }
}
