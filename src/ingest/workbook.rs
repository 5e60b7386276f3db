//! Reads one worksheet of an `.xlsx` workbook (calamine) into a polars frame of text columns, the same
//! shape as a CSV table: the first row of the sheet's used range is the header.

use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use polars::prelude::*;

use crate::error::InputError;

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
pub fn read_sheet(path: &Path, sheet: Option<&str>) -> Result<DataFrame, InputError> {
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
            .map_err(|e| InputError::at_line(path, 1, format!("header cell {}: {e}", index + 1)))?
            .unwrap_or_default();
        let text = text.trim().to_string();
        if text.is_empty() {
            return Err(InputError::at_line(
                path,
                1,
                format!(
                    "worksheet '{name}': header cell {} is empty; every column needs a name",
                    index + 1
                ),
            ));
        }
        if headers.contains(&text) {
            return Err(InputError::column(
                path,
                &text,
                format!("worksheet '{name}': the header names this column twice"),
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
                .map_err(|e| InputError::cell(path, row_index + 1, &headers[column], e))?
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
    DataFrame::new(height, columns)
        .map_err(|e| InputError::file(path, format!("worksheet '{name}': {e}")))
}
