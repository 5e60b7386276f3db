//! Reads one worksheet of an `.xlsx` workbook (calamine) into a polars frame of text columns, the same
//! shape as a CSV table: the first row of the sheet's used range is the header. Fully empty rows are
//! dropped; errors give the spreadsheet's own row number (as the program shows it) and the sheet name.

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use polars_core::prelude::*;

use crate::error::InputError;
use crate::ingest::table::{non_empty_rows, Place};

/// A worksheet read as text columns, with the spreadsheet row of each frame row.
pub struct Sheet {
    pub name: String,
    pub frame: DataFrame,
    pub places: Vec<Place>,
}

/// An error at a row of a worksheet, numbered as the spreadsheet program numbers it.
fn sheet_error(
    path: &Path,
    sheet: &str,
    row: usize,
    column: Option<&str>,
    message: String,
) -> InputError {
    InputError {
        row: Some(row),
        column: column.map(str::to_string),
        sheet: Some(Box::from(sheet)),
        ..InputError::file(path, message)
    }
}

/// Whether a path names a workbook rather than a CSV file.
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"))
}

/// A cell as text: whole numbers without a decimal point (`3`, not `3.0`), dates as calamine writes
/// them, errors refused; `None` for an empty cell.
fn cell_text(cell: &Data) -> Result<Option<String>, String> {
    Ok(match cell {
        Data::Empty => None,
        Data::Error(e) => return Err(format!("the cell holds a spreadsheet error ({e})")),
        Data::String(text) if text.trim().is_empty() => None,
        other => Some(other.to_string()),
    })
}

/// The sheet `sheet` (or the first) of the workbook at `path`, as text columns named by its first row.
pub fn read_sheet(path: &Path, sheet: Option<&str>) -> Result<Sheet, InputError> {
    let mut workbook: Xlsx<_> = open_workbook(path)
        .map_err(|e| InputError::file(path, format!("not a readable .xlsx workbook: {e}")))?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .cloned()
            .ok_or_else(|| {
                InputError::file(
                    path,
                    format!(
                        "no worksheet named '{wanted}'; the workbook has {}",
                        names.join(", ")
                    ),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| InputError::file(path, "the workbook has no worksheet"))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| InputError::file(path, format!("cannot read worksheet '{name}': {e}")))?;
    // The used range may start below row 1; spreadsheet rows are numbered from 1.
    let header_row = range.start().map_or(1, |(row, _)| row as usize + 1);
    let mut rows = range.rows();
    let header_cells = rows.next().ok_or_else(|| {
        InputError::file(
            path,
            format!("worksheet '{name}' is empty; expected a header row and data rows"),
        )
    })?;
    let mut headers: Vec<String> = Vec::with_capacity(header_cells.len());
    for (index, cell) in header_cells.iter().enumerate() {
        let text = cell_text(cell)
            .map_err(|e| {
                sheet_error(
                    path,
                    &name,
                    header_row,
                    None,
                    format!("header cell {}: {e}", index + 1),
                )
            })?
            .unwrap_or_default();
        let text = text.trim().to_string();
        if text.is_empty() {
            return Err(sheet_error(
                path,
                &name,
                header_row,
                None,
                format!(
                    "header cell {} is empty; every column needs a name",
                    index + 1
                ),
            ));
        }
        if headers.contains(&text) {
            return Err(sheet_error(
                path,
                &name,
                header_row,
                Some(&text),
                "the header names this column twice".to_string(),
            ));
        }
        headers.push(text);
    }
    let mut columns: Vec<Vec<Option<String>>> = vec![Vec::new(); headers.len()];
    for (row_index, row) in rows.enumerate() {
        for (column, values) in columns.iter_mut().enumerate() {
            let value = row
                .get(column)
                .map(cell_text)
                .transpose()
                .map_err(|e| {
                    sheet_error(
                        path,
                        &name,
                        header_row + 1 + row_index,
                        Some(&headers[column]),
                        e,
                    )
                })?
                .flatten();
            values.push(value);
        }
    }
    let height = columns.first().map_or(0, Vec::len);
    let columns: Vec<Column> = headers
        .iter()
        .zip(columns)
        .map(|(name, values)| Column::new(name.as_str().into(), values))
        .collect();
    let frame = DataFrame::new(height, columns)
        .map_err(|e| InputError::file(path, format!("worksheet '{name}': {e}")))?;
    let keep = non_empty_rows(&frame);
    let places: Vec<Place> = (0..height)
        .filter(|&index| keep[index])
        .map(|index| Place {
            row: header_row + 1 + index,
            line: None,
        })
        .collect();
    let frame = if places.len() == height {
        frame
    } else {
        let mask: BooleanChunked = keep.iter().copied().collect();
        frame
            .filter(&mask)
            .map_err(|e| InputError::file(path, format!("worksheet '{name}': {e}")))?
    };
    Ok(Sheet {
        name,
        frame,
        places,
    })
}
