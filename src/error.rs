//! Input errors that name the file, row and column at fault, and the exit codes the CLI maps them to.

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit code when `check` finds that regenerated reports differ from the committed ones.
pub const EXIT_DRIFT: u8 = 1;
/// Exit code for a bad invocation (clap's own convention).
pub const EXIT_USAGE: u8 = 2;
/// Exit code for bad input: study configuration or data files.
pub const EXIT_INPUT: u8 = 3;
/// Exit code for a failure to write or compare outputs.
pub const EXIT_OUTPUT: u8 = 4;

/// A problem with one input file, located as precisely as the reader could.
///
/// `row` counts data rows from 1 (the header is not a row); `line` is the physical line in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: PathBuf,
    pub row: Option<usize>,
    pub line: Option<usize>,
    pub column: Option<String>,
    /// The worksheet, when the file is a workbook (`row` is then the spreadsheet's own row number).
    pub sheet: Option<Box<str>>,
    pub message: String,
}

impl InputError {
    /// An error about the file as a whole.
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_path_buf(),
            row: None,
            line: None,
            column: None,
            sheet: None,
            message: message.into(),
        }
    }

    /// An error about one column of the file (for example a missing header).
    pub fn column(file: &Path, column: &str, message: impl Into<String>) -> Self {
        InputError {
            column: Some(column.to_string()),
            ..InputError::file(file, message)
        }
    }

    /// An error about one cell of a CSV table whose header is on line 1.
    pub fn cell(file: &Path, row: usize, column: &str, message: impl Into<String>) -> Self {
        InputError {
            row: Some(row),
            line: Some(row + 1),
            column: Some(column.to_string()),
            ..InputError::file(file, message)
        }
    }

    /// An error about one cell of a table whose physical line is unknown (a spreadsheet, or a CSV whose
    /// quoted cells may span lines): `row` counts data rows from 1.
    pub fn record(file: &Path, row: usize, column: &str, message: impl Into<String>) -> Self {
        InputError {
            row: Some(row),
            column: Some(column.to_string()),
            ..InputError::file(file, message)
        }
    }

    /// An error at a line of a text file (YAML, for example), with no notion of columns.
    pub fn at_line(file: &Path, line: usize, message: impl Into<String>) -> Self {
        InputError {
            line: Some(line),
            ..InputError::file(file, message)
        }
    }
}

/// Valid UTF-8, a byte-order mark removed; invalid bytes are reported with their line.
pub fn check_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, InputError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        InputError::at_line(
            path,
            line,
            "the file is not valid UTF-8 text; save it as UTF-8",
        )
    })
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet '{sheet}'")?;
        }
        match (self.row, self.line) {
            (Some(row), Some(line)) => write!(f, ": row {row} (line {line})")?,
            (None, Some(line)) => write!(f, ": line {line}")?,
            (Some(row), None) => write!(f, ": row {row}")?,
            _ => {}
        }
        if let Some(column) = &self.column {
            write!(f, ", column '{column}'")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for InputError {}

/// The exit code for an error chain: input errors anywhere in the chain are the user's data.
pub fn exit_code_for(error: &anyhow::Error) -> u8 {
    if error.chain().any(|cause| cause.is::<InputError>()) {
        EXIT_INPUT
    } else {
        EXIT_OUTPUT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_error_names_file_row_line_and_column() {
        let error = InputError::cell(
            Path::new("data/x.csv"),
            3,
            "high",
            "expected a whole number, found 'abc'",
        );
        assert_eq!(
            error.to_string(),
            "data/x.csv: row 3 (line 4), column 'high': expected a whole number, found 'abc'"
        );
    }

    #[test]
    fn input_errors_deep_in_a_chain_map_to_the_input_exit_code() {
        let error = anyhow::Error::new(InputError::file(Path::new("a.csv"), "empty"))
            .context("reading the study");
        assert_eq!(exit_code_for(&error), EXIT_INPUT);
        assert_eq!(exit_code_for(&anyhow::anyhow!("disk full")), EXIT_OUTPUT);
    }
}
