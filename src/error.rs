//! Errors and the exit codes the CLI maps them to. Three kinds, each with its own code:
//!
//! - input (3): [`InputError`], a problem with the study's configuration or data, naming the file and,
//!   as precisely as the reader could, the row, line and [`Field`] (a table's column or a YAML key);
//! - output (4): [`OutputError`], the outputs could not be written or read back (a report folder, a
//!   PDF, a new study folder) or a helper program (the browser that prints PDFs) could not run;
//! - internal (5): anything else, which the tool did not expect: a template or strings bug, or exact
//!   arithmetic that overflows on the study's numbers. Such an error is a bug to report.
//!
//! `check` exits 1 on drift and clap exits 2 on a bad command line; see [`ErrorKind::of`].

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit code when `check` finds that regenerated reports differ from the committed ones.
pub const EXIT_DRIFT: u8 = 1;
/// Exit code for a bad invocation (clap's own convention).
pub const EXIT_USAGE: u8 = 2;
/// Exit code for bad input: study configuration or data files.
pub(crate) const EXIT_INPUT: u8 = 3;
/// Exit code for a failure to write or read back outputs, or to run a helper program.
pub(crate) const EXIT_OUTPUT: u8 = 4;
/// Exit code for an internal error: a bug in the tool (templates, strings) or arithmetic it cannot do.
pub(crate) const EXIT_INTERNAL: u8 = 5;

/// The most problems one error lists; the rest are counted.
pub(crate) const MAX_LISTED_PROBLEMS: usize = 20;

/// A problem with one input file, located as precisely as the reader could, with any further problems
/// the same reading found.
///
/// `row` counts data rows from 1 (the header is not a row); `line` is the physical line in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub(crate) file: PathBuf,
    /// The data row (from 1, the header excluded; a worksheet's own row number), when known.
    pub row: Option<usize>,
    /// The physical line of the file, when known.
    pub line: Option<usize>,
    /// The column of a table or the key of a YAML file.
    pub(crate) field: Option<Field>,
    /// The worksheet, when the file is a workbook (`row` is then the spreadsheet's own row number).
    pub(crate) sheet: Option<Box<str>>,
    /// Boxed: keeps `InputError` (an `Err` in most of the crate) within clippy's size limit.
    pub message: Box<str>,
    /// Problems found after this one in the same reading (boxed: most errors have none).
    pub(crate) further: Option<Box<Further>>,
}

/// The part of a file an error points at besides its row or line: a table's column, or a key of the
/// study's configuration. A YAML file has keys, not columns; a table has columns, not keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Field {
    /// A column of a table (CSV or worksheet), by its header.
    Column(Box<str>),
    /// A key of a YAML file as a path from the root (`method.threshold`, `scale.levels[2]`).
    Key(Box<str>),
    /// A position on a line of a text file (a document), counted in characters from 1.
    Position(usize),
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Column(column) => write!(f, "column '{column}'"),
            Field::Key(key) => write!(f, "key '{key}'"),
            Field::Position(column) => write!(f, "column {column}"),
        }
    }
}

/// The problems after the first: up to `MAX_LISTED_PROBLEMS - 1` listed, the rest counted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Further {
    pub(crate) listed: Vec<InputError>,
    pub(crate) unlisted: usize,
    /// Some problem (listed or not) is in another file than the first.
    pub(crate) other_files: bool,
}

/// Problems collected while reading an input, so that one run reports them all (up to
/// `MAX_LISTED_PROBLEMS`) instead of only the first.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    listed: Vec<InputError>,
    total: usize,
    other_files: bool,
}

impl Problems {
    pub(crate) fn new() -> Problems {
        Problems::default()
    }

    /// Adds a problem (and the problems it already carries).
    pub(crate) fn push(&mut self, mut error: InputError) {
        let further = error.further.take();
        // A file read in two roles (the ratings that are also the printed counts) fails twice alike:
        // one problem, said once.
        if self.listed.contains(&error) {
            return;
        }
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
    pub(crate) fn check<T>(&mut self, result: Result<T, InputError>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    /// Whether no problem was found.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// `Ok` when there was no problem; otherwise the first, carrying the others.
    pub(crate) fn into_result(self) -> Result<(), InputError> {
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
            field: None,
            sheet: None,
            message: message.into().into_boxed_str(),
            further: None,
        }
    }

    /// How many problems the error reports: itself and the further ones, listed or not.
    pub(crate) fn problems(&self) -> usize {
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
        if let Some(field) = &self.field {
            write!(f, ", {field}")?;
        }
        write!(f, ": {}", self.message)
    }

    /// An error about one column of a table (for example a missing header).
    pub(crate) fn column(file: &Path, column: &str, message: impl Into<String>) -> Self {
        InputError {
            field: Some(Field::Column(column.into())),
            ..InputError::file(file, message)
        }
    }

    /// An error about one key of a YAML file (`study.yaml`), as a path from the root.
    pub(crate) fn key(file: &Path, key: &str, message: impl Into<String>) -> Self {
        InputError {
            field: Some(Field::Key(key.into())),
            ..InputError::file(file, message)
        }
    }

    /// The table column the error names, if it names one.
    pub fn table_column(&self) -> Option<&str> {
        match &self.field {
            Some(Field::Column(column)) => Some(column),
            _ => None,
        }
    }

    /// The YAML key the error names, if it names one.
    pub fn yaml_key(&self) -> Option<&str> {
        match &self.field {
            Some(Field::Key(key)) => Some(key),
            _ => None,
        }
    }

    /// An error about one cell of a CSV table whose header is on line 1.
    pub(crate) fn cell(file: &Path, row: usize, column: &str, message: impl Into<String>) -> Self {
        InputError {
            row: Some(row),
            line: Some(row + 1),
            field: Some(Field::Column(column.into())),
            ..InputError::file(file, message)
        }
    }

    /// An error about one cell of a table whose physical line is unknown (a spreadsheet, or a CSV whose
    /// quoted cells may span lines): `row` counts data rows from 1.
    pub(crate) fn record(
        file: &Path,
        row: usize,
        column: &str,
        message: impl Into<String>,
    ) -> Self {
        InputError {
            row: Some(row),
            field: Some(Field::Column(column.into())),
            ..InputError::file(file, message)
        }
    }

    /// An error at a line of a text file (YAML, for example), with no notion of columns.
    pub(crate) fn at_line(file: &Path, line: usize, message: impl Into<String>) -> Self {
        InputError {
            line: Some(line),
            ..InputError::file(file, message)
        }
    }
}

/// What a file that is not UTF-8 is told: most are spreadsheets saved as plain "CSV", which Windows
/// writes in the system's code page (Windows-1256 for Persian and Arabic).
pub(crate) const NOT_UTF8: &str = "the file is not valid UTF-8 text; save it as UTF-8 (from Excel: \"CSV UTF-8 (Comma delimited)\"; its plain \"CSV\" is written in the system's code page, Windows-1256 on a Persian or Arabic Windows)";

/// Valid UTF-8, a byte-order mark removed; invalid bytes are reported with their line.
pub(crate) fn check_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, InputError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        InputError::at_line(path, line, NOT_UTF8)
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
        } else if further.unlisted == 0 {
            // Every problem is listed, so their files are all known.
            let mut files: Vec<&Path> = further.listed.iter().map(|e| e.file.as_path()).collect();
            files.push(&self.file);
            files.sort();
            files.dedup();
            write!(f, "{total} problems in {} files", files.len())?;
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

impl std::error::Error for InputError {}

/// The outputs could not be written or read back, or a helper program could not run. Attach it as
/// the context of the failure (`.with_context(|| OutputError::new(...))`), whose message it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutputError {
    message: Box<str>,
}

impl OutputError {
    /// An output error saying `message` (which names the file or program).
    pub(crate) fn new(message: impl Into<String>) -> OutputError {
        OutputError {
            message: message.into().into_boxed_str(),
        }
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OutputError {}

/// The kind of a failed run, which decides its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// The study's configuration or data: an [`InputError`] anywhere in the chain.
    Input,
    /// Writing or reading back outputs, or running a helper program: an [`OutputError`] in the chain.
    Output,
    /// Anything else: a bug, or arithmetic the tool cannot do exactly on the study's numbers.
    Internal,
}

impl ErrorKind {
    /// The kind of an error chain: input wins over output (bad data found while writing is still bad
    /// data); an error no layer classified is internal.
    pub(crate) fn of(error: &anyhow::Error) -> ErrorKind {
        if error.chain().any(|cause| cause.is::<InputError>()) {
            ErrorKind::Input
        } else if error.downcast_ref::<OutputError>().is_some()
            || error.chain().any(|cause| cause.is::<OutputError>())
        {
            ErrorKind::Output
        } else {
            ErrorKind::Internal
        }
    }

    /// The process exit code of this kind.
    pub(crate) fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Input => EXIT_INPUT,
            ErrorKind::Output => EXIT_OUTPUT,
            ErrorKind::Internal => EXIT_INTERNAL,
        }
    }
}

/// The exit code for an error chain (see [`ErrorKind::of`]).
pub fn exit_code_for(error: &anyhow::Error) -> u8 {
    ErrorKind::of(error).exit_code()
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
        one.push(InputError::key(Path::new("study.yaml"), "scale", "none"));
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
        // The same problem twice (one file read in two roles) is one problem.
        let mut twice = Problems::new();
        twice.push(InputError::file(Path::new("t6.csv"), "the file is empty"));
        twice.push(InputError::file(Path::new("t6.csv"), "the file is empty"));
        assert_eq!(
            twice.into_result().unwrap_err().to_string(),
            "t6.csv: the file is empty"
        );
        // Every problem listed: the files are counted.
        let mut two_files = Problems::new();
        two_files.push(InputError::cell(Path::new("a.csv"), 1, "x", "bad"));
        two_files.push(InputError::cell(Path::new("b.csv"), 2, "y", "bad"));
        two_files.push(InputError::cell(Path::new("a.csv"), 3, "x", "bad"));
        assert_eq!(
            two_files.into_result().unwrap_err().to_string(),
            "3 problems in 2 files:\n  a.csv: row 1 (line 2), column 'x': bad\n  b.csv: row 2 (line 3), column 'y': bad\n  a.csv: row 3 (line 4), column 'x': bad"
        );
    }

    #[test]
    fn a_key_and_a_column_are_told_apart_whatever_the_file() {
        // The kind of field, not the file's extension, decides the wording.
        let key = InputError::key(Path::new("config.txt"), "method.threshold", "bad");
        assert_eq!(key.to_string(), "config.txt, key 'method.threshold': bad");
        assert_eq!(key.yaml_key(), Some("method.threshold"));
        assert_eq!(key.table_column(), None);
        let column = InputError::column(Path::new("table.yaml"), "high", "missing");
        assert_eq!(column.to_string(), "table.yaml, column 'high': missing");
        assert_eq!(column.table_column(), Some("high"));
        assert_eq!(column.yaml_key(), None);
    }

    #[test]
    fn each_kind_of_error_has_its_exit_code() {
        // Input: an InputError anywhere in the chain, even under an output context.
        let error = anyhow::Error::new(InputError::file(Path::new("a.csv"), "empty"))
            .context("reading the study")
            .context(OutputError::new("writing reports/x"));
        assert_eq!(ErrorKind::of(&error), ErrorKind::Input);
        assert_eq!(exit_code_for(&error), 3);
        // Output: an OutputError as the context of an I/O failure, or as the error itself.
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let error = anyhow::Error::new(io).context(OutputError::new("cannot write r/x.md"));
        assert_eq!(exit_code_for(&error.context("building")), 4);
        assert_eq!(exit_code_for(&OutputError::new("no browser").into()), 4);
        // Internal: nothing classified it.
        assert_eq!(exit_code_for(&anyhow::anyhow!("template bug")), 5);
        // The message of an output context is the line the user reads.
        let error = anyhow::Error::new(std::io::Error::other("disk full"))
            .context(OutputError::new("cannot write r/x.md"));
        assert_eq!(format!("{error:#}"), "cannot write r/x.md: disk full");
    }
}
