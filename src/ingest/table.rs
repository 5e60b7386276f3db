//! Reads one CSV file (or one worksheet of an `.xlsx` workbook) into a polars frame of text columns, with
//! checks that name the file, row and column.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use polars_core::prelude::*;
use polars_io::prelude::*;

use crate::domain::{InputFile, InputRole};
use crate::error::{InputError, Problems};

/// A CSV file held as text columns: every value is parsed by the caller, who knows what it expects.
/// Fully empty rows (blank lines, rows of separators or empty quotes) are dropped when the table is read;
/// `places` keeps where each remaining row is in the file, so that errors name the row the user sees.
pub(crate) struct CsvTable {
    pub(crate) path: PathBuf,
    pub(crate) frame: DataFrame,
    pub(crate) input: InputFile,
    /// Where each row of `frame` is in the file.
    pub(crate) places: Vec<Place>,
    /// The worksheet the table was read from, for a workbook.
    pub(crate) sheet: Option<String>,
}

/// Where a table row is in its file: for a CSV file its data row (counted from 1, header excluded, empty
/// rows counted) and physical line; for a worksheet the spreadsheet's own row number and no line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) row: usize,
    pub(crate) line: Option<usize>,
}

pub(crate) use crate::digest::sha256_hex;

impl CsvTable {
    /// Reads `folder/relative` as a comma-separated file with a header row.
    pub(crate) fn read(
        folder: &Path,
        relative: &Path,
        role: InputRole,
    ) -> Result<CsvTable, InputError> {
        CsvTable::read_sheet(folder, relative, role, None)
    }

    /// Reads a CSV file, or the worksheet `sheet` (the first when `None`) of an `.xlsx` workbook.
    pub(crate) fn read_sheet(
        folder: &Path,
        relative: &Path,
        role: InputRole,
        sheet: Option<&str>,
    ) -> Result<CsvTable, InputError> {
        let path = folder.join(relative);
        let bytes = read_file(&path)?;
        if super::workbook::is_workbook(&path) {
            let sha256 = sha256_hex(&bytes);
            let sheet = super::workbook::read_sheet(&path, bytes, sheet)?;
            let input = InputFile::new(role, relative, sheet.frame.height(), sha256);
            return Ok(CsvTable {
                path,
                frame: sheet.frame,
                input,
                places: sheet.places,
                sheet: Some(sheet.name),
            });
        }
        if sheet.is_some() {
            return Err(InputError::file(
                &path,
                "`sheet` applies to .xlsx workbooks only; this is read as CSV",
            ));
        }
        let text = check_text(&path, &bytes)?;
        CsvTable::parse(&path, input_file(relative, role, &bytes), text, b',')
    }

    /// Parses `text` (the content of `path`) as a CSV table with a header row and the given separator.
    /// `input` describes the file; its row count is filled in here.
    pub(crate) fn parse(
        path: &Path,
        mut input: InputFile,
        text: &str,
        separator: u8,
    ) -> Result<CsvTable, InputError> {
        if text.trim().is_empty() {
            return Err(InputError::file(
                path,
                "the file is empty; expected a header row and data rows",
            ));
        }
        refuse_compressed(path, text.as_bytes())?;
        let frame = CsvReadOptions::default()
            .with_has_header(true)
            // Every column is read as text; values are parsed by the caller with located errors.
            .with_infer_schema_length(Some(0))
            .map_parse_options(|options| options.with_separator(separator))
            .into_reader_with_file_handle(Cursor::new(text.as_bytes()))
            .finish()
            .map_err(|e| {
                ragged_record(path, text, separator).unwrap_or_else(|| {
                    InputError::file(path, format!("not a readable CSV table: {e}"))
                })
            })?;
        let starts = record_lines(text);
        // Lines are known when the scan finds the records polars read; otherwise rows only.
        let lines_known = starts.len() == frame.height();
        let all_places: Vec<Place> = (0..frame.height())
            .map(|index| Place {
                row: index + 1,
                line: lines_known.then(|| starts[index]),
            })
            .collect();
        let keep = non_empty_rows(&frame);
        let (frame, places) = if keep.iter().all(|k| *k) {
            (frame, all_places)
        } else {
            let mask: BooleanChunked = keep.iter().copied().collect();
            let frame = frame
                .filter(&mask)
                .map_err(|e| InputError::file(path, format!("not a readable CSV table: {e}")))?;
            let places = all_places
                .into_iter()
                .zip(&keep)
                .filter_map(|(place, keep)| keep.then_some(place))
                .collect();
            (frame, places)
        };
        input.rows = frame.height();
        Ok(CsvTable {
            path: path.to_path_buf(),
            frame,
            input,
            places,
            sheet: None,
        })
    }

    /// An error about the cell of data row `row` (counted from 1 in the table as read) and `column`,
    /// naming the row (and line, or worksheet) where that row is in the file.
    pub(crate) fn at(&self, row: usize, column: &str, message: impl Into<String>) -> InputError {
        self.relocate(InputError::cell(&self.path, row, column, message))
    }

    /// The row of the file (CSV data row, or spreadsheet row) where data row `row` (from 1, as read) is.
    pub(crate) fn file_row(&self, row: usize) -> usize {
        row.checked_sub(1)
            .and_then(|index| self.places.get(index))
            .map_or(row, |place| place.row)
    }

    /// An error built with the table's row numbers (from 1, as read), moved to the row, line and
    /// worksheet of the file; errors about other files or without a row pass unchanged.
    pub(crate) fn relocate(&self, mut error: InputError) -> InputError {
        if error.file != self.path {
            return error;
        }
        if let Some(place) = error
            .row
            .and_then(|row| row.checked_sub(1))
            .and_then(|index| self.places.get(index))
        {
            error.row = Some(place.row);
            error.line = place.line;
        }
        if self.sheet.is_some() {
            error.sheet = self.sheet.as_deref().map(Box::from);
        }
        error
    }

    pub(crate) fn height(&self) -> usize {
        self.frame.height()
    }

    pub(crate) fn column_names(&self) -> Vec<String> {
        self.frame
            .get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    /// Fails unless the header holds exactly `expected`, in any order.
    pub(crate) fn require_exact_columns(&self, expected: &[&str]) -> Result<(), InputError> {
        self.require_known_columns::<&str, &str>(expected, &[])
    }

    /// Fails unless the header holds every `required` column and no column but those and `optional`
    /// ones, in any order.
    pub(crate) fn require_known_columns<R: AsRef<str>, O: AsRef<str>>(
        &self,
        required: &[R],
        optional: &[O],
    ) -> Result<(), InputError> {
        let required: Vec<&str> = required.iter().map(AsRef::as_ref).collect();
        self.require_columns(&required)?;
        let found = self.column_names();
        let known =
            |name: &str| required.contains(&name) || optional.iter().any(|o| o.as_ref() == name);
        if let Some(extra) = found.iter().find(|name| !known(name)) {
            return Err(InputError::column(
                &self.path,
                extra,
                format!(
                    "unexpected column; expected the columns {}",
                    required.join(",")
                ),
            ));
        }
        Ok(())
    }

    /// Fails unless every `expected` column is in the header (exactly once).
    pub(crate) fn require_columns(&self, expected: &[&str]) -> Result<(), InputError> {
        let found = self.column_names();
        if let Some(error) = duplicated_column(&self.path, &found) {
            return Err(error);
        }
        for name in expected {
            if !found.iter().any(|f| f == name) {
                return Err(InputError::column(
                    &self.path,
                    name,
                    missing_column_message(&found),
                ));
            }
        }
        Ok(())
    }

    /// The text values of a column (`None` for empty cells).
    pub(crate) fn text_column(&self, name: &str) -> Result<&StringChunked, InputError> {
        self.frame
            .column(name)
            .and_then(|c| c.str())
            .map_err(|e| InputError::column(&self.path, name, e.to_string()))
    }

    /// The non-empty, trimmed value of every row of a column, or an error naming the first empty cell.
    pub(crate) fn required_texts(
        &self,
        name: &str,
        expected: &str,
    ) -> Result<Vec<String>, InputError> {
        self.text_column(name)?
            .iter()
            .enumerate()
            .map(|(index, value)| match value.map(str::trim) {
                Some(text) if !text.is_empty() => Ok(text.to_string()),
                _ => Err(self.at(index + 1, name, format!("empty cell; expected {expected}"))),
            })
            .collect()
    }

    /// The trimmed value of every row of a column; each empty cell is a problem (`empty cell; expected
    /// ...`) and reads as an empty string, so that one reading reports every empty cell.
    pub(crate) fn texts(
        &self,
        name: &str,
        expected: &str,
        problems: &mut Problems,
    ) -> Result<Vec<String>, InputError> {
        let texts = self.optional_texts(name)?;
        for (index, text) in texts.iter().enumerate() {
            if text.is_empty() {
                problems.push(self.at(index + 1, name, format!("empty cell; expected {expected}")));
            }
        }
        Ok(texts)
    }

    /// The trimmed value of every row of a column, empty cells as empty strings.
    pub(crate) fn optional_texts(&self, name: &str) -> Result<Vec<String>, InputError> {
        Ok(self
            .text_column(name)?
            .iter()
            .map(|value| value.map(str::trim).unwrap_or_default().to_string())
            .collect())
    }
}

/// Which rows of a frame of text columns hold something other than white space.
pub(crate) fn non_empty_rows(frame: &DataFrame) -> Vec<bool> {
    let mut keep = vec![false; frame.height()];
    for column in frame.columns() {
        let Ok(values) = column.str() else {
            return vec![true; frame.height()];
        };
        for (index, value) in values.iter().enumerate() {
            if value.is_some_and(|v| !v.trim().is_empty()) {
                keep[index] = true;
            }
        }
    }
    keep
}

/// The physical line on which each data record of a CSV text starts. Quoted fields may hold separators
/// and line breaks; a text that ends with a line break has no record after it.
pub(crate) fn record_lines(text: &str) -> Vec<usize> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut starts = Vec::new();
    let (mut in_quotes, mut line, mut header, mut at_start) = (false, 1, true, true);
    for c in text.chars() {
        if at_start && !header {
            starts.push(line);
        }
        at_start = false;
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' => {
                line += 1;
                if !in_quotes {
                    header = false;
                    at_start = true;
                }
            }
            _ => {}
        }
    }
    starts
}

/// The bytes of a file, or an error naming it.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, InputError> {
    std::fs::read(path).map_err(|e| InputError::file(path, format!("cannot read the file: {e}")))
}

/// Provenance of a file read from `relative` (rows not yet counted).
pub(crate) fn input_file(relative: &Path, role: InputRole, bytes: &[u8]) -> InputFile {
    InputFile::new(role, relative, 0, sha256_hex(bytes))
}

/// Text in UTF-8 (with or without a byte-order mark) or in UTF-16 with its byte-order mark, as
/// spreadsheet programs and QDA exports write it; invalid bytes are reported with their line.
pub(crate) fn decode_text(path: &Path, bytes: &[u8]) -> Result<String, InputError> {
    let utf16 = |rest: &[u8], from: fn([u8; 2]) -> u16| -> Result<String, InputError> {
        if !rest.len().is_multiple_of(2) {
            return Err(InputError::file(
                path,
                "the UTF-16 text has an odd number of bytes",
            ));
        }
        let units = rest.chunks_exact(2).map(|pair| from([pair[0], pair[1]]));
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| InputError::file(path, "the UTF-16 text holds an unpaired surrogate"))
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    check_text(path, bytes).map(str::to_string)
}

pub(crate) use crate::error::check_text;

/// Reads a whole number written with ASCII, Persian or Arabic-Indic digits.
/// polars recognises gzip, zlib and zstd streams by their first bytes and, built without its
/// `decompress` feature, panics on them; such a file is refused here first. (zlib's magic is `x` then
/// 0x01, 0x5e, 0x9c or 0xda, which a text file can start with: no CSV header of ours does.)
pub(crate) fn refuse_compressed(path: &Path, first_bytes: &[u8]) -> Result<(), InputError> {
    let format = match first_bytes {
        [0x1f, 0x8b, ..] => "gzip",
        [0x28, 0xb5, 0x2f, 0xfd, ..] => "zstd",
        [0x78, 0x01 | 0x5e | 0x9c | 0xda, ..] => "zlib",
        _ => return Ok(()),
    };
    Err(InputError::file(
        path,
        format!("the file starts like a {format}-compressed stream; expected a plain CSV text file (decompress it first)"),
    ))
}

pub(crate) fn parse_count(text: &str) -> Option<u64> {
    let ascii = ascii_digits(text.trim());
    if ascii.is_empty() || !ascii.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    ascii.parse().ok()
}

/// Maps Persian (U+06F0..) and Arabic-Indic (U+0660..) digits to ASCII; other characters pass through.
pub(crate) fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            other => other,
        })
        .collect()
}

/// The message for a column the header lacks: what the header holds and, when the header is one
/// column holding semicolons or tabs (a spreadsheet saved with another separator, as Excel does in
/// locales whose decimal mark is a comma), how to save it.
pub(crate) fn missing_column_message(found: &[String]) -> String {
    let mut message = format!("missing column; the header has {}", found.join(","));
    if let [only] = found {
        let separator = [(';', "semicolons"), ('\t', "tabs")]
            .into_iter()
            .find(|(c, _)| only.contains(*c));
        if let Some((_, name)) = separator {
            message.push_str(&format!(
                ", one column: the file is separated by {name}, not commas; save it as comma-separated CSV (in Excel: \"CSV UTF-8 (Comma delimited)\")"
            ));
        }
    }
    message
}

/// A header naming a column twice, which polars reads as `name` and `name_duplicated_0`: reported as
/// such, rather than as whichever expected column then seems missing.
pub(crate) fn duplicated_column(path: &Path, found: &[String]) -> Option<InputError> {
    found.iter().find_map(|name| {
        let (base, number) = name.rsplit_once("_duplicated_")?;
        let is_copy = number.bytes().all(|b| b.is_ascii_digit()) && found.iter().any(|f| f == base);
        is_copy.then(|| {
            InputError::column(
                path,
                base,
                "the header names this column more than once; expected each column once",
            )
        })
    })
}

/// The first record with more fields than the header (polars reports these without a line), located by
/// row and physical line. Quoted fields may hold separators and line breaks.
pub(crate) fn ragged_record(path: &Path, text: &str, separator: u8) -> Option<InputError> {
    let separator = char::from(separator);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut in_quotes, mut fields, mut record, mut line, mut start_line) = (false, 1, 0, 1, 1);
    let mut header_fields = None;
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            c if c == separator && !in_quotes => fields += 1,
            '\n' => {
                line += 1;
                if in_quotes {
                    continue;
                }
                match header_fields {
                    None => header_fields = Some(fields),
                    Some(expected) if fields > expected => {
                        return Some(InputError {
                            row: Some(record),
                            line: Some(start_line),
                            ..InputError::file(
                                path,
                                format!(
                                    "expected {expected} fields as in the header, found {fields}"
                                ),
                            )
                        });
                    }
                    _ => {}
                }
                record += 1;
                start_line = line;
                fields = 1;
            }
            _ => {}
        }
    }
    // The last record, when the file does not end with a line break.
    match header_fields {
        Some(expected) if fields > expected => Some(InputError {
            row: Some(record),
            line: Some(start_line),
            ..InputError::file(
                path,
                format!("expected {expected} fields as in the header, found {fields}"),
            )
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_header_of_one_column_holding_semicolons_or_tabs_says_how_to_save_the_file() {
        let found = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(
            missing_column_message(&found(&["id", "name_en"])),
            "missing column; the header has id,name_en"
        );
        assert!(missing_column_message(&found(&["id;name_en"]))
            .ends_with(", one column: the file is separated by semicolons, not commas; save it as comma-separated CSV (in Excel: \"CSV UTF-8 (Comma delimited)\")"));
        assert!(missing_column_message(&found(&["id\tname_en"]))
            .contains("the file is separated by tabs, not commas"));
        // A header of one column without either is only what it is.
        assert_eq!(
            missing_column_message(&found(&["identifier"])),
            "missing column; the header has identifier"
        );
    }

    use super::*;

    #[test]
    fn compressed_streams_are_refused_before_polars_sees_them() {
        // Found by the long-ratings fuzz target: a file starting 1f 8b made polars panic
        // ("activate 'decompress' feature").
        let path = Path::new("r.csv");
        for (bytes, format) in [
            (&b"\x1f\x8bxx"[..], "gzip"),
            (&b"\x28\xb5\x2f\xfd"[..], "zstd"),
            (&b"x^,y\n"[..], "zlib"),
        ] {
            let error = refuse_compressed(path, bytes).unwrap_err();
            assert!(error.message.contains(format), "{error}");
        }
        assert!(refuse_compressed(path, b"expert,indicator\n").is_ok());
        assert!(refuse_compressed(path, b"x").is_ok());
        let error = CsvTable::parse(
            path,
            InputFile::new(InputRole::Ratings, path, 0, String::new()),
            "x^a,b\n1,2\n",
            b',',
        )
        .err()
        .unwrap();
        assert!(error.message.contains("zlib"), "{error}");
    }

    #[test]
    fn counts_accept_persian_and_arabic_indic_digits_only_as_whole_numbers() {
        assert_eq!(parse_count("15"), Some(15));
        assert_eq!(parse_count(" ۱۵ "), Some(15));
        assert_eq!(parse_count("١٥"), Some(15));
        assert_eq!(parse_count("1.5"), None);
        assert_eq!(parse_count("-1"), None);
        assert_eq!(parse_count(""), None);
        assert_eq!(parse_count("x"), None);
    }

    #[test]
    fn records_start_on_their_lines_and_fully_empty_rows_are_dropped_but_still_numbered() {
        // Header on line 1; row 1 "1,2" on line 2; row 2 a quoted cell over lines 3-4; row 3 blank
        // (line 5); row 4 separators only (line 6); row 5 "5,6" on line 7.
        let text = "a,b\n1,2\n\"x\ny\",3\n\n,\n5,6\n";
        assert_eq!(record_lines(text), vec![2, 3, 5, 6, 7]);
        assert_eq!(record_lines("a,b\n1,2"), vec![2]);
        assert_eq!(record_lines("\u{feff}a,b\r\n1,2\r\n"), vec![2]);
        let table = CsvTable::parse(
            Path::new("t.csv"),
            input_file(Path::new("t.csv"), InputRole::Ratings, text.as_bytes()),
            text,
            b',',
        )
        .unwrap();
        assert_eq!(table.height(), 3);
        assert_eq!(table.input.rows, 3);
        assert_eq!(
            table.places,
            vec![
                Place {
                    row: 1,
                    line: Some(2)
                },
                Place {
                    row: 2,
                    line: Some(3)
                },
                Place {
                    row: 5,
                    line: Some(7)
                },
            ]
        );
        // The third row as read is row 5 of the file, on line 7.
        assert_eq!(
            table.at(3, "a", "bad").to_string(),
            "t.csv: row 5 (line 7), column 'a': bad"
        );
        assert_eq!(table.file_row(3), 5);
    }

    #[test]
    fn sha256_of_a_known_string() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn invalid_utf8_is_located_by_line() {
        let error = check_text(Path::new("x.csv"), b"a,b\n1,2\n\xff,3\n").unwrap_err();
        assert_eq!(error.line, Some(3));
        assert_eq!(
            check_text(Path::new("x.csv"), b"\xEF\xBB\xBFa,b\n").unwrap(),
            "a,b\n"
        );
    }

    // Regression for the bad-input case counts_duplicate_column: polars renames the second copy to
    // `high_duplicated_0`, which used to be reported as the expected column 'medium' missing.
    #[test]
    fn counts_duplicate_column() {
        let text = "indicator,high,high\nI01,1,2\n";
        let table = CsvTable::parse(
            Path::new("c.csv"),
            input_file(Path::new("c.csv"), InputRole::Ratings, text.as_bytes()),
            text,
            b',',
        )
        .unwrap();
        let error = table.require_columns(&["indicator", "medium"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "c.csv, column 'high': the header names this column more than once; expected each column once"
        );
    }

    // Regression for the bad-input case counts_too_many_cells: polars' own error named no line.
    // Header: 2 fields; data row 2 (line 4, after a quoted cell spanning lines 2-3 in row 1) has 3.
    #[test]
    fn counts_too_many_cells() {
        let text = "a,b\n\"x,\ny\",1\n1,2,3\n";
        let error = match CsvTable::parse(
            Path::new("c.csv"),
            input_file(Path::new("c.csv"), InputRole::Ratings, text.as_bytes()),
            text,
            b',',
        ) {
            Err(error) => error,
            Ok(_) => panic!("a ragged row must fail"),
        };
        assert_eq!(
            error.to_string(),
            "c.csv: row 2 (line 4): expected 2 fields as in the header, found 3"
        );
    }
}
