//! MAXQDA's "Coded Segments" export: one row per segment and code, as CSV (`;`, `,` or tab separated;
//! UTF-8 or UTF-16) or XLSX, with English or German headers. Only the document, code and segment
//! columns are used; `Begin`/`End` are paragraph numbers, not character offsets, and are not needed.

use std::path::Path;

use calamine::Data;

use super::{split_code_path_with, Origin, RawCoding, RawSegment};
use crate::domain::InputRole;
use crate::error::{InputError, Problems};
use crate::ingest::table::{decode_text, input_file, read_file, CsvTable, Place};
use crate::ingest::workbook;

/// Header names accepted for each column, compared case-insensitively (English, then German).
const DOCUMENT_HEADERS: &[&str] = &["document name", "document", "dokumentname", "dokument"];
const CODE_HEADERS: &[&str] = &["code", "code path", "codepfad"];
const SEGMENT_HEADERS: &[&str] = &["segment", "coded segment", "codiertes segment"];
/// Where a segment begins and ends (paragraph numbers): optional, they tell passages apart.
const BEGIN_HEADERS: &[&str] = &["beginning", "begin", "anfang"];
const END_HEADERS: &[&str] = &["end", "ende"];

/// A table as text cells: header and rows, whatever file it came from, with where each row is in it.
struct Sheet {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    places: Vec<Place>,
    /// The worksheet's name, for a workbook.
    name: Option<String>,
}

/// Reads the export; `separator` (`coding.hierarchy_separator`) splits the code column, which is
/// otherwise split at `>` or `\`.
pub(crate) fn read(
    folder: &Path,
    relative: &Path,
    separator: Option<&str>,
) -> Result<RawCoding, InputError> {
    let path = folder.join(relative);
    let bytes = read_file(&path)?;
    let mut input = input_file(relative, InputRole::CodedSegmentsMaxqda, &bytes);
    let is_xlsx = relative
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let sheet = if is_xlsx {
        read_xlsx(&path, bytes)?
    } else {
        read_csv(&path, &bytes, &input)?
    };
    input.rows = sheet
        .rows
        .iter()
        .filter(|row| row.iter().any(|c| !c.trim().is_empty()))
        .count();
    let column = |accepted: &[&str], role: &str| -> Result<usize, InputError> {
        sheet
            .header
            .iter()
            .position(|h| accepted.contains(&h.trim().to_lowercase().as_str()))
            .ok_or_else(|| {
                InputError::column(
                    &path,
                    role,
                    format!(
                        "no {role} column; expected a header named one of {} (the header has {})",
                        accepted.join(", "),
                        sheet.header.join(", ")
                    ),
                )
            })
    };
    let document_column = column(DOCUMENT_HEADERS, "document name")?;
    let code_column = column(CODE_HEADERS, "code")?;
    let segment_column = column(SEGMENT_HEADERS, "segment")?;
    let optional_column = |accepted: &[&str]| {
        sheet
            .header
            .iter()
            .position(|h| accepted.contains(&h.trim().to_lowercase().as_str()))
    };
    let span_columns = optional_column(BEGIN_HEADERS).zip(optional_column(END_HEADERS));
    // Every empty cell of the file, in one error.
    let mut problems = Problems::new();
    let mut segments = Vec::with_capacity(sheet.rows.len());
    for (index, row) in sheet.rows.iter().enumerate() {
        let cell = |c: usize| row.get(c).map(|s| s.trim()).unwrap_or_default();
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let at = |c: usize| Origin::Row {
            file: path.clone(),
            row: sheet.places[index].row,
            line: sheet.places[index].line,
            sheet: sheet.name.clone(),
            column: sheet.header[c].clone(),
        };
        let mut complete = true;
        if cell(document_column).is_empty() {
            problems.push(at(document_column).error("empty cell; expected the document name"));
            complete = false;
        }
        if cell(code_column).is_empty() {
            problems.push(at(code_column).error("empty cell; expected the code path"));
            complete = false;
        }
        if !complete {
            continue;
        }
        segments.push(RawSegment {
            document: cell(document_column).to_string(),
            text: Some(row.get(segment_column).cloned().unwrap_or_default()),
            span: span_columns.map(|(begin, end)| format!("{}-{}", cell(begin), cell(end))),
            // The paragraph a segment begins at orders passages; a begin that is no number orders none.
            start: span_columns.and_then(|(begin, _)| cell(begin).parse().ok()),
            path: split_code_path_with(cell(code_column), separator),
            origin: at(code_column),
        });
    }
    problems.into_result()?;
    Ok(RawCoding {
        segments,
        inputs: vec![input],
        ..RawCoding::default()
    })
}

/// The separator of the header line: whichever of `;`, `,` and tab occurs most outside quotes.
fn detect_separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b';', b',', b'\t'][best]
}

fn read_csv(
    path: &Path,
    bytes: &[u8],
    input: &crate::domain::InputFile,
) -> Result<Sheet, InputError> {
    let text = decode_text(path, bytes)?;
    let separator = detect_separator(&text);
    let table = CsvTable::parse(path, input.clone(), &text, separator)?;
    let header = table.column_names();
    let mut columns = Vec::with_capacity(header.len());
    for name in &header {
        columns.push(
            table
                .text_column(name)?
                .iter()
                .map(|v| v.unwrap_or_default().to_string())
                .collect::<Vec<_>>(),
        );
    }
    let rows = (0..table.height())
        .map(|r| columns.iter().map(|c| c[r].clone()).collect())
        .collect();
    Ok(Sheet {
        header,
        rows,
        places: table.places,
        name: None,
    })
}

/// The first worksheet, its first row as the header, read by the one workbook reader (which checks the
/// archive first). A cell holding a spreadsheet error is refused with its row and column.
fn read_xlsx(path: &Path, bytes: Vec<u8>) -> Result<Sheet, InputError> {
    let worksheet = workbook::open_worksheet(path, bytes, None)?;
    let (header_cells, data_rows) = worksheet.header_and_rows(path)?;
    let text = |cell: &Data, row: usize, column: Option<&str>| {
        workbook::cell_text(cell)
            .map(Option::unwrap_or_default)
            .map_err(|e| workbook::sheet_error(path, &worksheet.name, row, column, e))
    };
    let header = header_cells
        .iter()
        .map(|cell| text(cell, worksheet.header_row, None))
        .collect::<Result<Vec<String>, _>>()?;
    let mut rows = Vec::new();
    for (index, cells) in data_rows.enumerate() {
        let row = worksheet.header_row + 1 + index;
        let mut values = Vec::with_capacity(cells.len());
        for (column, cell) in cells.iter().enumerate() {
            values.push(text(cell, row, header.get(column).map(String::as_str))?);
        }
        rows.push(values);
    }
    let places = (0..rows.len())
        .map(|index| Place {
            row: worksheet.header_row + 1 + index,
            line: None,
        })
        .collect();
    Ok(Sheet {
        header,
        rows,
        places,
        name: Some(worksheet.name.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_read_from_the_header_line() {
        assert_eq!(detect_separator("Farbe;Dokumentname;Code;Segment\n"), b';');
        assert_eq!(detect_separator("Color,Document name,Code,Segment\n"), b',');
        assert_eq!(detect_separator("\"a;b\",c,d\n"), b',');
        assert_eq!(detect_separator("a\tb\tc\n"), b'\t');
    }
}
