//! The report's tables as an Excel workbook per language, one sheet per table, for authors who paste
//! tables into a manuscript.
//!
//! Numbers are written as numbers with the displayed precision as their format. The workbook is
//! byte-identical across runs: the zip entries carry rust_xlsxwriter's fixed 1980-01-01 time, and the
//! document's creation date is `SOURCE_DATE_EPOCH` when given, else that same fixed 1980-01-01.

use anyhow::{anyhow, Context, Result};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet,
};

use crate::report::model::ReportDocument;

/// Excel's limit on sheet names.
const SHEET_NAME_MAX: usize = 31;
/// Column width bounds, in characters.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 50;
/// Height of one line of 11 pt text, in points.
const LINE_HEIGHT: f64 = 15.0;

/// One workbook holding every table of the document (method tables, then outputs, in cell order).
pub(crate) fn workbook(
    document: &ReportDocument,
    source_date_epoch: Option<u64>,
) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let created = match source_date_epoch {
        Some(epoch) => {
            let seconds = i64::try_from(epoch).context("SOURCE_DATE_EPOCH is too large")?;
            ExcelDateTime::from_timestamp(seconds)
        }
        None => ExcelDateTime::from_ymd(1980, 1, 1),
    }
    .map_err(|e| anyhow!("workbook creation date: {e}"))?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&document.title)
            .set_author("delphi-report")
            .set_creation_datetime(&created),
    );
    let caption_format = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let header_format = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border_bottom(FormatBorder::Thin);
    let text_format = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    // One number format per number of decimals, made once: a new Format per cell cost an allocation each.
    let mut number_formats: Vec<Format> = Vec::new();
    let mut names = Vec::new();
    {
        for table in document.tables() {
            let name = sheet_name(sheet_title(&table.caption), &names);
            names.push(name.clone());
            let sheet = workbook.add_worksheet();
            sheet.set_name(&name)?;
            sheet.set_right_to_left(document.dir.is_right_to_left());
            set_print_layout(sheet);
            let cells: Vec<Vec<Value>> = table
                .rows
                .iter()
                .map(|row| row.iter().map(|text| Value::of(text)).collect())
                .collect();
            let number_columns = number_columns(&cells, table.headers.len());
            let mut widths = vec![MIN_WIDTH; table.headers.len()];
            for (column, header) in table.headers.iter().enumerate() {
                widths[column] = widths[column].max(longest_word(header));
            }
            for row in &table.rows {
                for (column, text) in row.iter().enumerate() {
                    if let Some(width) = widths.get_mut(column) {
                        *width = (*width).max(text.chars().count());
                    }
                }
            }
            let widths: Vec<usize> = widths.iter().map(|w| (*w).min(MAX_WIDTH) + 2).collect();
            for (column, width) in widths.iter().enumerate() {
                sheet.set_column_width(col(column)?, *width as f64)?;
            }

            // The caption spans the table's width and wraps there, so it prints inside the page.
            let last_column = col(widths.len().saturating_sub(1))?;
            if last_column > 0 {
                sheet.merge_range(0, 0, 0, last_column, &table.caption, &caption_format)?;
            } else {
                sheet.write_string_with_format(0, 0, &table.caption, &caption_format)?;
            }
            let total_width: usize = widths.iter().sum();
            sheet.set_row_height(0, row_height(&[(&table.caption, total_width)]))?;

            let header_row = 2;
            for (column, header) in table.headers.iter().enumerate() {
                sheet.write_string_with_format(header_row, col(column)?, header, &header_format)?;
            }
            let header_texts: Vec<(&str, usize)> = table
                .headers
                .iter()
                .map(String::as_str)
                .zip(widths.iter().copied())
                .collect();
            sheet.set_row_height(header_row, row_height(&header_texts))?;

            for (offset, (row, values)) in table.rows.iter().zip(&cells).enumerate() {
                let row_index = header_row + 1 + u32::try_from(offset)?;
                for (column, (text, value)) in row.iter().zip(values).enumerate() {
                    let number = match value {
                        Value::Number(number, decimals) => Some((*number, *decimals, None)),
                        Value::Annotated(number, decimals)
                            if number_columns.get(column) == Some(&true) =>
                        {
                            Some((*number, *decimals, Some(text)))
                        }
                        _ => None,
                    };
                    match number {
                        Some((number, decimals, annotation)) => {
                            while number_formats.len() <= decimals {
                                let made = number_formats.len();
                                number_formats.push(
                                    Format::new()
                                        .set_num_format(number_format(made))
                                        .set_align(FormatAlign::Top),
                                );
                            }
                            sheet.write_number_with_format(
                                row_index,
                                col(column)?,
                                number,
                                &number_formats[decimals],
                            )?;
                            if let Some(annotation) = annotation {
                                // The number column keeps the number; the printed remark
                                // ("8 (expected 15)") rides along as the cell's note.
                                let note = Note::new(annotation.as_str())
                                    .set_author("delphi-report")
                                    .add_author_prefix(false);
                                sheet.insert_note(row_index, col(column)?, &note)?;
                            }
                        }
                        None => {
                            sheet.write_string_with_format(
                                row_index,
                                col(column)?,
                                text,
                                &text_format,
                            )?;
                        }
                    }
                }
                let texts: Vec<(&str, usize)> = row
                    .iter()
                    .map(String::as_str)
                    .zip(widths.iter().copied())
                    .collect();
                sheet.set_row_height(row_index, row_height(&texts))?;
            }
            sheet.set_freeze_panes(header_row + 1, 0)?;
            sheet.set_repeat_rows(header_row, header_row)?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// A4 landscape, as wide as one page and as long as it needs, with narrow margins.
fn set_print_layout(sheet: &mut Worksheet) {
    const A4: u8 = 9;
    sheet
        .set_paper_size(A4)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
}

/// A table cell's text as the workbook stores it.
enum Value {
    Number(f64, usize),
    /// A number followed by a remark in parentheses, as "8 (expected 15)".
    Annotated(f64, usize),
    Text,
}

impl Value {
    fn of(text: &str) -> Value {
        if let Some((value, decimals)) = parse_number(text) {
            return Value::Number(value, decimals);
        }
        let annotated = text
            .split_once(" (")
            .filter(|(_, rest)| rest.ends_with(')'))
            .and_then(|(head, _)| parse_number(head));
        match annotated {
            Some((value, decimals)) => Value::Annotated(value, decimals),
            None => Value::Text,
        }
    }
}

/// Columns whose every non-empty cell is a number, with or without a remark: there the remark
/// moves to a note so the column holds numbers only.
fn number_columns(cells: &[Vec<Value>], columns: usize) -> Vec<bool> {
    (0..columns)
        .map(|column| {
            let values: Vec<&Value> = cells.iter().filter_map(|row| row.get(column)).collect();
            values.iter().any(|v| matches!(v, Value::Number(..)))
                && values.iter().all(|v| !matches!(v, Value::Text))
        })
        .collect()
}

/// Height in points of a row whose cells wrap at their column widths (in characters): LibreOffice
/// shows only one line of a wrapped cell unless the row is given the height.
fn row_height(cells: &[(&str, usize)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| wrapped_lines(text, width.saturating_sub(1).max(1)))
        .max()
        .unwrap_or(1)
        .max(1);
    LINE_HEIGHT * lines as f64
}

/// Lines a text takes when wrapped at word boundaries to `width` characters.
fn wrapped_lines(text: &str, width: usize) -> usize {
    text.split('\n')
        .map(|paragraph| {
            let mut lines = 1;
            let mut used = 0;
            for word in paragraph.split(' ') {
                let length = word.chars().count();
                let needed = if used == 0 { length } else { used + 1 + length };
                if needed <= width {
                    used = needed;
                } else {
                    if used > 0 {
                        lines += 1;
                    }
                    // A word longer than the column breaks across lines of its own.
                    lines += length.saturating_sub(1) / width;
                    used = (length - 1) % width + 1;
                }
            }
            lines
        })
        .sum()
}

fn longest_word(text: &str) -> usize {
    text.split_whitespace()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0)
}

/// The name a table's sheet takes: "Table 7" for a numbered table ("Table 7. Mean of ..."), the
/// caption itself otherwise.
fn sheet_title(caption: &str) -> &str {
    match caption.split_once(". ") {
        Some((number, _))
            if number.chars().count() <= 12
                && number.chars().last().is_some_and(|c| c.is_numeric()) =>
        {
            number
        }
        _ => caption,
    }
}

fn col(index: usize) -> Result<u16> {
    u16::try_from(index).context("too many columns for a worksheet")
}

/// A valid, unique sheet name: forbidden characters replaced, cut at a word to Excel's 31
/// characters (with an ellipsis when cut).
fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim_matches('\'').trim().to_string();
    let fit = |keep: usize| -> String {
        if clean.chars().count() <= keep {
            return clean.clone();
        }
        let cut: String = clean.chars().take(keep - 1).collect();
        let cut = match cut.rfind(' ') {
            Some(space) if space > 0 => cut[..space]
                .trim_end_matches([',', ':', ';', '-'])
                .to_string(),
            _ => cut,
        };
        format!("{cut}…")
    };
    let is_taken = |name: &str| {
        taken
            .iter()
            .any(|t| t.to_lowercase() == name.to_lowercase())
    };
    let mut candidate = fit(SHEET_NAME_MAX);
    // Two long captions that begin alike ("... per component", "... per threshold") keep their last word.
    if is_taken(&candidate) && clean.chars().count() > SHEET_NAME_MAX {
        if let Some((_, last)) = clean.rsplit_once(' ') {
            let room = SHEET_NAME_MAX.saturating_sub(last.chars().count() + 1);
            if room > 8 {
                let head = fit(room);
                let head = head.strip_suffix('…').unwrap_or(&head);
                candidate = format!("{head}… {last}");
            }
        }
    }
    let mut counter = 2;
    while is_taken(&candidate) {
        let suffix = format!(" ({counter})");
        candidate = format!("{}{suffix}", fit(SHEET_NAME_MAX - suffix.chars().count()));
        counter += 1;
    }
    candidate
}

/// A displayed number (in the digits, decimal separator and minus sign of any report language) as
/// its value and decimals; None for any other text. Digits beyond what an f64 holds exactly stay text.
pub(crate) fn parse_number(text: &str) -> Option<(f64, usize)> {
    let ascii = crate::domain::language::ascii_number(text);
    let unsigned = ascii.strip_prefix('-').unwrap_or(&ascii);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits_only = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits_only(whole) || fraction.is_some_and(|f| !digits_only(f)) {
        return None;
    }
    let decimals = fraction.map_or(0, str::len);
    if whole.len() + decimals > 15 {
        return None;
    }
    ascii.parse().ok().map(|value| (value, decimals))
}

fn number_format(decimals: usize) -> String {
    if decimals == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(decimals))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displayed_numbers_parse_in_both_scripts() {
        assert_eq!(parse_number("0.617"), Some((0.617, 3)));
        assert_eq!(parse_number("۰٫۶۱۷"), Some((0.617, 3)));
        assert_eq!(parse_number("۴۸"), Some((48.0, 0)));
        assert_eq!(parse_number("\u{2212}۰٫۵"), Some((-0.5, 1)));
        assert_eq!(parse_number("8 (expected 15)"), None);
        assert_eq!(parse_number("724-749"), None);
        assert_eq!(parse_number("accepted"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("1."), None);
        // A digest made only of digits stays text.
        assert_eq!(parse_number(&"1".repeat(64)), None);
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        assert_eq!(sheet_name("Table 7", &[]), "Table 7");
        assert_eq!(sheet_name("a/b:c", &[]), "a-b-c");
        let long = "x".repeat(40);
        assert_eq!(sheet_name(&long, &[]), format!("{}…", "x".repeat(30)));
        // Cut at a word, marked as cut.
        assert_eq!(
            sheet_name("Accepted and rejected indicators per component", &[]),
            "Accepted and rejected…"
        );
        let first = sheet_name("Accepted and rejected indicators per component", &[]);
        assert_eq!(
            sheet_name("Accepted and rejected indicators per threshold", &[first]),
            "Accepted and… threshold"
        );
        let taken = vec!["table 7".to_string()];
        assert_eq!(sheet_name("Table 7", &taken), "Table 7 (2)");
    }

    #[test]
    fn numbered_tables_name_their_sheet_by_number() {
        assert_eq!(
            sheet_title("Table 7. Mean of the experts' views"),
            "Table 7"
        );
        assert_eq!(sheet_title("جدول ۷. میانگین دیدگاه‌های خبرگان"), "جدول ۷");
        assert_eq!(sheet_title("Codes per level"), "Codes per level");
        // A sentence ending in ". " is no table number.
        assert_eq!(
            sheet_title("Printed values. Their diagnosis"),
            "Printed values. Their diagnosis"
        );
    }

    #[test]
    fn wrapped_lines_count_word_wrapping() {
        // Width 10: "alpha beta" fits (10), "gamma" goes to line 2.
        assert_eq!(wrapped_lines("alpha beta gamma", 10), 2);
        assert_eq!(wrapped_lines("short", 10), 1);
        // A 25-character word at width 10 takes three lines.
        assert_eq!(wrapped_lines(&"x".repeat(25), 10), 3);
        assert_eq!(wrapped_lines("a\nb", 10), 2);
        assert_eq!(row_height(&[("a b", 2), ("one", 10)]), 2.0 * LINE_HEIGHT);
    }

    #[test]
    fn remarks_move_out_of_number_columns_only() {
        let rows = |cells: &[&str]| -> Vec<Vec<Value>> {
            cells.iter().map(|c| vec![Value::of(c)]).collect()
        };
        // Responses: 15, 15, "8 (expected 15)" is a number column.
        assert_eq!(
            number_columns(&rows(&["15", "15", "8 (expected 15)"]), 1),
            [true]
        );
        // A column with words keeps "8 (expected 15)" as text.
        assert_eq!(
            number_columns(&rows(&["15", "accepted", "8 (expected 15)"]), 1),
            [false]
        );
        assert_eq!(number_columns(&rows(&["accepted"]), 1), [false]);
        assert!(matches!(Value::of("۸ (مورد انتظار ۱۵)"), Value::Annotated(v, 0) if v == 8.0));
        assert!(matches!(Value::of("8 (expected 15"), Value::Text));
    }
}
