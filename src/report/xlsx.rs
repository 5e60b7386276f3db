//! The report's tables as an Excel workbook per language, one sheet per table, for authors who paste
//! tables into a manuscript.
//!
//! Numbers are written as numbers with the displayed precision as their format. The workbook is
//! byte-identical across runs: the zip entries carry rust_xlsxwriter's fixed 1980-01-01 time, and the
//! document's creation date is `SOURCE_DATE_EPOCH` when given, else that same fixed 1980-01-01.

use anyhow::{anyhow, Context, Result};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook};

use crate::report::model::{ReportDocument, Table};

/// Excel's limit on sheet names.
const SHEET_NAME_MAX: usize = 31;
/// Column width bounds, in characters.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// One workbook holding every table of the document (method tables, then outputs, in cell order).
pub fn workbook(document: &ReportDocument, source_date_epoch: Option<u64>) -> Result<Vec<u8>> {
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
    let caption_format = Format::new().set_bold();
    let header_format = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Thin);
    let text_format = Format::new().set_text_wrap();
    // One number format per number of decimals, made once: a new Format per cell cost an allocation each.
    let mut number_formats: Vec<Format> = Vec::new();
    let mut names = Vec::new();
    for cell in &document.cells {
        let tables: Vec<&Table> = cell.method_tables.iter().chain(&cell.tables).collect();
        for (index, table) in tables.iter().enumerate() {
            let name = if tables.len() == 1 {
                cell.label.clone()
            } else {
                format!("{} ({})", cell.label, index + 1)
            };
            let name = sheet_name(&name, &names);
            names.push(name.clone());
            let sheet = workbook.add_worksheet();
            sheet.set_name(&name)?;
            sheet.set_right_to_left(document.dir == "rtl");
            sheet.write_string_with_format(0, 0, &table.caption, &caption_format)?;
            let header_row = 2;
            let mut widths = vec![MIN_WIDTH; table.headers.len()];
            for (column, header) in table.headers.iter().enumerate() {
                sheet.write_string_with_format(header_row, col(column)?, header, &header_format)?;
                widths[column] = widths[column].max(header.chars().count());
            }
            for (offset, row) in table.rows.iter().enumerate() {
                let row_index = header_row + 1 + u32::try_from(offset)?;
                for (column, text) in row.iter().enumerate() {
                    match parse_number(text) {
                        Some((value, decimals)) => {
                            while number_formats.len() <= decimals {
                                let made = number_formats.len();
                                number_formats
                                    .push(Format::new().set_num_format(number_format(made)));
                            }
                            sheet.write_number_with_format(
                                row_index,
                                col(column)?,
                                value,
                                &number_formats[decimals],
                            )?;
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
                    if let Some(width) = widths.get_mut(column) {
                        *width = (*width).max(text.chars().count());
                    }
                }
            }
            for (column, width) in widths.iter().enumerate() {
                sheet.set_column_width(col(column)?, (*width).min(MAX_WIDTH) as f64 + 2.0)?;
            }
            sheet.set_freeze_panes(header_row + 1, 0)?;
            sheet.set_repeat_rows(header_row, header_row)?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

fn col(index: usize) -> Result<u16> {
    u16::try_from(index).context("too many columns for a worksheet")
}

/// A valid, unique sheet name: forbidden characters replaced, cut to Excel's 31 characters.
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
    let clean = clean.trim_matches('\'').to_string();
    let mut candidate: String = clean.chars().take(SHEET_NAME_MAX).collect();
    let mut counter = 2;
    while taken
        .iter()
        .any(|t| t.to_lowercase() == candidate.to_lowercase())
    {
        let suffix = format!(" {counter}");
        let keep = SHEET_NAME_MAX - suffix.chars().count();
        candidate = format!("{}{suffix}", clean.chars().take(keep).collect::<String>());
        counter += 1;
    }
    candidate
}

/// A displayed number (ASCII or Persian digits, `.` or `٫`, `-` or `−`) as its value and decimals;
/// None for any other text. Digits beyond what an f64 holds exactly stay text.
pub fn parse_number(text: &str) -> Option<(f64, usize)> {
    let ascii: String = text
        .chars()
        .map(|c| match c {
            '\u{06F0}'..='\u{06F9}' => {
                char::from_u32('0' as u32 + (c as u32 - 0x06F0)).unwrap_or(c)
            }
            '\u{066B}' => '.',
            '\u{2212}' => '-',
            other => other,
        })
        .collect();
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
        assert_eq!(sheet_name("Cell 4", &[]), "Cell 4");
        assert_eq!(sheet_name("a/b:c", &[]), "a-b-c");
        let long = "x".repeat(40);
        assert_eq!(sheet_name(&long, &[]).chars().count(), 31);
        let taken = vec!["cell 4".to_string()];
        assert_eq!(sheet_name("Cell 4", &taken), "Cell 4 2");
    }
}
