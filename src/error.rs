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

/// The most problems one error lists; the rest are counted.
pub const MAX_LISTED_PROBLEMS: usize = 20;

/// A problem with one input file, located as precisely as the reader could, with any further problems
/// the same reading found.
///
/// `row` counts data rows from 1 (the header is not a row); `line` is the physical line in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: PathBuf,
    pub row: Option<usize>,
    pub line: Option<usize>,
    /// The column of a table, or the key of a YAML file (shown as `key '...'`: YAML has no columns).
    pub column: Option<String>,
    /// The worksheet, when the file is a workbook (`row` is then the spreadsheet's own row number).
    pub sheet: Option<Box<str>>,
    /// Boxed: keeps `InputError` (an `Err` in most of the crate) within clippy's size limit.
    pub message: Box<str>,
    /// Problems found after this one in the same reading (boxed: most errors have none).
    pub further: Option<Box<Further>>,
}

/// The problems after the first: up to `MAX_LISTED_PROBLEMS - 1` listed, the rest counted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Further {
    pub listed: Vec<InputError>,
    pub unlisted: usize,
    /// Some problem (listed or not) is in another file than the first.
    pub other_files: bool,
}

/// Problems collected while reading an input, so that one run reports them all (up to
/// `MAX_LISTED_PROBLEMS`) instead of only the first.
#[derive(Debug, Default)]
pub struct Problems {
    listed: Vec<InputError>,
    total: usize,
    other_files: bool,
}

impl Problems {
    pub fn new() -> Problems {
        Problems::default()
    }

    /// Adds a problem (and the problems it already carries).
    pub fn push(&mut self, mut error: InputError) {
        let further = error.further.take();
        if self
            .listed
            .first()
            .is_some_and(|first| first.file != error.file)
        {
            self.other_files = true;
        }
        self.total += 1;
        if self.listed.len() < MAX_LISTED_PROBLEMS {
            self.listed.push(error);
        }
        if let Some(further) = further {
            self.total += further.unlisted;
            self.other_files |= further.other_files;
            for error in further.listed {
                self.push(error);
            }
        }
    }

    /// The value of `result`, or `None` with its error added.
    pub fn check<T>(&mut self, result: Result<T, InputError>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Problems found so far (listed or not).
    pub fn len(&self) -> usize {
        self.total
    }

    /// `Ok` when there was no problem; otherwise the first, carrying the others.
    pub fn into_result(self) -> Result<(), InputError> {
        let total = self.total;
        let mut listed = self.listed.into_iter();
        let Some(mut first) = listed.next() else {
            return Ok(());
        };
        let rest: Vec<InputError> = listed.collect();
        if total > 1 {
            first.further = Some(Box::new(Further {
                unlisted: total - 1 - rest.len(),
                listed: rest,
                other_files: self.other_files,
            }));
        }
        Err(first)
    }
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
            message: message.into().into_boxed_str(),
            further: None,
        }
    }

    /// How many problems the error reports: itself and the further ones, listed or not.
    pub fn problems(&self) -> usize {
        1 + self
            .further
            .as_ref()
            .map_or(0, |f| f.listed.len() + f.unlisted)
    }

    /// The error without its further problems: one located line.
    fn fmt_one(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
            if is_yaml(&self.file) {
                write!(f, ", key '{column}'")?;
            } else {
                write!(f, ", column '{column}'")?;
            }
        }
        write!(f, ": {}", self.message)
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
    /// One located line; several problems as a count, then one located line each.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(further) = &self.further else {
            return self.fmt_one(f);
        };
        let total = self.problems();
        if !further.other_files {
            write!(f, "{total} problems in {}", self.file.display())?;
        } else {
            write!(f, "{total} problems")?;
        }
        if further.unlisted > 0 {
            write!(f, ", the first {} listed", further.listed.len() + 1)?;
        }
        write!(f, ":\n  ")?;
        self.fmt_one(f)?;
        for error in &further.listed {
            write!(f, "\n  ")?;
            error.fmt_one(f)?;
        }
        if further.unlisted > 0 {
            write!(f, "\n  ... and {} more", further.unlisted)?;
        }
        Ok(())
    }
}

/// Whether a file is YAML (a configuration of keys, not a table of columns).
fn is_yaml(file: &Path) -> bool {
    file.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
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
    fn several_problems_are_listed_up_to_the_limit_and_the_rest_counted() {
        let mut problems = Problems::new();
        assert!(problems.is_empty());
        for row in 1..=25 {
            problems.push(InputError::cell(Path::new("r.csv"), row, "A", "bad"));
        }
        let error = problems.into_result().unwrap_err();
        assert_eq!(error.problems(), 25);
        let text = error.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "25 problems in r.csv, the first 20 listed:");
        assert_eq!(lines[1], "  r.csv: row 1 (line 2), column 'A': bad");
        assert_eq!(lines[20], "  r.csv: row 20 (line 21), column 'A': bad");
        assert_eq!(lines[21], "  ... and 5 more");
        // One problem reads as before; a YAML file has keys, not columns.
        let mut one = Problems::new();
        one.push(InputError::column(Path::new("study.yaml"), "scale", "none"));
        assert_eq!(
            one.into_result().unwrap_err().to_string(),
            "study.yaml, key 'scale': none"
        );
        // A problem that carries others is flattened into the list.
        let mut outer = Problems::new();
        outer.push(error);
        outer.push(InputError::file(Path::new("s.csv"), "empty"));
        let error = outer.into_result().unwrap_err();
        assert_eq!(error.problems(), 26);
        assert!(error
            .to_string()
            .starts_with("26 problems, the first 20 listed:"));
    }

    #[test]
    fn input_errors_deep_in_a_chain_map_to_the_input_exit_code() {
        let error = anyhow::Error::new(InputError::file(Path::new("a.csv"), "empty"))
            .context("reading the study");
        assert_eq!(exit_code_for(&error), EXIT_INPUT);
        assert_eq!(exit_code_for(&anyhow::anyhow!("disk full")), EXIT_OUTPUT);
    }
}
