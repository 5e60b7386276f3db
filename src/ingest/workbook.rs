//! The one `.xlsx` reader: opens a workbook from bytes already read, through the archive checks (entry
//! count, entry names, declared size), and reads one worksheet (calamine); every workbook input, tables
//! and MAXQDA exports alike, comes through here. `read_sheet` turns the worksheet into a polars frame of
//! text columns, the same shape as a CSV table: the first row of the sheet's used range is the header.
//! Fully empty rows are dropped; errors give the spreadsheet's own row number (as the program shows it)
//! and the sheet name.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx};
use polars_core::prelude::*;

use crate::error::InputError;
use crate::ingest::archive::Archive;
use crate::ingest::table::{non_empty_rows, Place};

/// One worksheet's used range, with the name and spreadsheet row number of where it starts.
pub(crate) struct Worksheet {
    pub(crate) name: String,
    /// The spreadsheet's number of the first used row (the header), counted from 1.
    pub(crate) header_row: usize,
    range: Range<Data>,
}

impl Worksheet {
    /// The header row's cells and the rows below it; an error when the sheet has no used cell.
    pub(crate) fn header_and_rows(
        &self,
        path: &Path,
    ) -> Result<(&[Data], impl Iterator<Item = &[Data]>), InputError> {
        let mut rows = self.range.rows();
        let header = rows.next().ok_or_else(|| {
            InputError::file(
                path,
                format!(
                    "worksheet '{}' is empty; expected a header row and data rows",
                    self.name
                ),
            )
        })?;
        Ok((header, rows))
    }
}

/// Opens `bytes` (the content of `path`) as a workbook and reads the worksheet `sheet` (the first when
/// `None`). The zip directory is checked before calamine sees the file: a workbook is a zip archive, and
/// calamine inflates whatever its directory says.
pub(crate) fn open_worksheet(
    path: &Path,
    bytes: Vec<u8>,
    sheet: Option<&str>,
) -> Result<Worksheet, InputError> {
    let mut archive = Archive::open(path, bytes)?;
    archive.check_declared_size()?;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(archive.into_bytes()))
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
    Ok(Worksheet {
        name,
        header_row,
        range,
    })
}

/// A worksheet read as text columns, with the spreadsheet row of each frame row.
pub(crate) struct Sheet {
    pub(crate) name: String,
    pub(crate) frame: DataFrame,
    pub(crate) places: Vec<Place>,
}

/// An error at a row of a worksheet, numbered as the spreadsheet program numbers it.
pub(crate) fn sheet_error(
    path: &Path,
    sheet: &str,
    row: usize,
    column: Option<&str>,
    message: String,
) -> InputError {
    InputError {
        row: Some(row),
        field: column.map(|c| crate::error::Field::Column(c.into())),
        sheet: Some(Box::from(sheet)),
        ..InputError::file(path, message)
    }
}

/// Whether a path names a workbook rather than a CSV file.
pub(crate) fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"))
}

/// A cell as text: whole numbers without a decimal point (`3`, not `3.0`), dates as calamine writes
/// them, errors refused; `None` for an empty cell.
pub(crate) fn cell_text(cell: &Data) -> Result<Option<String>, String> {
    Ok(match cell {
        Data::Empty => None,
        Data::Error(e) => return Err(format!("the cell holds a spreadsheet error ({e})")),
        Data::String(text) if text.trim().is_empty() => None,
        other => Some(other.to_string()),
    })
}

/// The sheet `sheet` (or the first) of the workbook `bytes` read from `path`, as text columns named by
/// its first row.
pub(crate) fn read_sheet(
    path: &Path,
    bytes: Vec<u8>,
    sheet: Option<&str>,
) -> Result<Sheet, InputError> {
    let worksheet = open_worksheet(path, bytes, sheet)?;
    let (name, header_row) = (worksheet.name.as_str(), worksheet.header_row);
    let (header_cells, rows) = worksheet.header_and_rows(path)?;
    let mut headers: Vec<String> = Vec::with_capacity(header_cells.len());
    for (index, cell) in header_cells.iter().enumerate() {
        let text = cell_text(cell)
            .map_err(|e| {
                sheet_error(
                    path,
                    name,
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
                name,
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
                name,
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
                        name,
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
        name: name.to_string(),
        frame,
        places,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::archive::zip_of;

    #[test]
    fn a_workbook_passes_the_archive_checks_before_calamine_reads_it() {
        let path = Path::new("ratings.xlsx");
        let leaving = zip_of(&[("../xl/workbook.xml", b"<workbook/>")]);
        let error = open_worksheet(path, leaving, None).err().unwrap();
        assert!(
            error
                .to_string()
                .contains("entry '../xl/workbook.xml' has a name that points outside the archive"),
            "{error}"
        );
        let error = open_worksheet(path, b"not a zip".to_vec(), None)
            .err()
            .unwrap();
        assert!(
            error.to_string().contains("not a readable zip archive"),
            "{error}"
        );
    }
}
