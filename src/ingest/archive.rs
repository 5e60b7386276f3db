//! Zip archives opened defensively, for every reader of one: REFI-QDA projects (`.qdpx`, `qda/qdpx.rs`)
//! and workbooks (`.xlsx`, `workbook.rs`). Bounded entry count and uncompressed size, and no entry name
//! that could point outside the archive. Entries are only ever read into memory.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use crate::error::InputError;

/// Most entries an archive may list; a real project holds one XML file and one file per source, a
/// workbook a few parts per sheet.
pub(crate) const MAX_ENTRIES: usize = 10_000;
/// Most bytes one entry may inflate to.
pub(crate) const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;
/// Most bytes all the entries read from one archive may inflate to together.
pub(crate) const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

/// An opened archive whose every entry name has been checked.
pub(crate) struct Archive {
    path: PathBuf,
    zip: ZipArchive<Cursor<Vec<u8>>>,
    names: Vec<String>,
    inflated: u64,
}

/// True for a relative `/`-separated name with no `..`, no drive, no backslash and no NUL.
pub(crate) fn is_safe_entry_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains(['\\', '\0', ':'])
        && name.split('/').all(|part| part != "..")
}

impl Archive {
    /// Opens `bytes` (the content of `path`) as a zip archive and checks its directory.
    pub(crate) fn open(path: &Path, bytes: Vec<u8>) -> Result<Archive, InputError> {
        let zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| InputError::file(path, format!("not a readable zip archive: {e}")))?;
        if zip.len() > MAX_ENTRIES {
            return Err(InputError::file(
                path,
                format!(
                    "the archive lists {} entries; at most {MAX_ENTRIES} are accepted",
                    zip.len()
                ),
            ));
        }
        let mut names = Vec::with_capacity(zip.len());
        for name in zip.file_names() {
            let name = name.map_err(|e| {
                InputError::file(path, format!("an entry name cannot be read: {e}"))
            })?;
            if !is_safe_entry_name(&name) {
                return Err(InputError::file(
                    path,
                    format!(
                        "entry '{}' has a name that points outside the archive; refusing to read it",
                        name.escape_debug()
                    ),
                ));
            }
            names.push(name.into_owned());
        }
        Ok(Archive {
            path: path.to_path_buf(),
            zip,
            names,
            inflated: 0,
        })
    }

    /// The archive's bytes, handed on to a reader that takes the whole file (a spreadsheet) once the
    /// directory has been checked, so the file is read from disk once.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.zip.into_inner().into_inner()
    }

    /// Entry names, in directory order.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// The uncompressed sizes the directory declares, summed; fails above `MAX_TOTAL_BYTES`.
    /// For archives handed whole to another reader (spreadsheets).
    pub(crate) fn check_declared_size(&mut self) -> Result<(), InputError> {
        let mut total: u64 = 0;
        for index in 0..self.zip.len() {
            let entry = self.zip.by_index_raw(index).map_err(|e| {
                InputError::file(&self.path, format!("entry {index} cannot be read: {e}"))
            })?;
            total = total.saturating_add(entry.size());
        }
        if total > MAX_TOTAL_BYTES {
            return Err(InputError::file(
                &self.path,
                format!(
                    "the archive would inflate to {total} bytes; at most {MAX_TOTAL_BYTES} are accepted"
                ),
            ));
        }
        Ok(())
    }

    /// Reads one entry, inflating at most `MAX_ENTRY_BYTES`, and at most `MAX_TOTAL_BYTES` for the whole
    /// archive, whatever sizes the directory declares.
    pub(crate) fn read(&mut self, name: &str) -> Result<Vec<u8>, InputError> {
        let index = self
            .names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| InputError::file(&self.path, format!("no entry '{name}'")))?;
        let budget = MAX_ENTRY_BYTES.min(MAX_TOTAL_BYTES.saturating_sub(self.inflated));
        let path = self.path.clone();
        let too_big = || {
            InputError::file(
                &path,
                format!(
                    "entry '{name}' inflates past the limit ({MAX_ENTRY_BYTES} bytes per entry, \
                     {MAX_TOTAL_BYTES} per archive); refusing a possible zip bomb"
                ),
            )
        };
        let entry = self
            .zip
            .by_index(index)
            .map_err(|e| InputError::file(&path, format!("entry '{name}' cannot be read: {e}")))?;
        if entry.encrypted() {
            return Err(InputError::file(
                &path,
                format!("entry '{name}' is encrypted"),
            ));
        }
        if entry.size() > budget {
            return Err(too_big());
        }
        let mut bytes = Vec::new();
        entry
            .take(budget + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| InputError::file(&path, format!("entry '{name}' cannot be read: {e}")))?;
        if bytes.len() as u64 > budget {
            return Err(too_big());
        }
        self.inflated += bytes.len() as u64;
        Ok(bytes)
    }
}

/// A zip archive of `entries` (name, bytes), deflated, for the unit tests of its readers.
#[cfg(test)]
pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_that_leave_the_archive_are_refused() {
        assert!(is_safe_entry_name("sources/a.txt"));
        assert!(!is_safe_entry_name("../a.txt"));
        assert!(!is_safe_entry_name("sources/../../a.txt"));
        assert!(!is_safe_entry_name("/etc/passwd"));
        assert!(!is_safe_entry_name(r"sources\..\a.txt"));
        assert!(!is_safe_entry_name("C:/a.txt"));
        let bytes = zip_of(&[("project.qde", b"<Project/>"), ("../evil.txt", b"x")]);
        let error = Archive::open(Path::new("p.qdpx"), bytes).err().unwrap();
        assert!(
            error.message.contains("points outside the archive"),
            "{error}"
        );
    }

    #[test]
    fn an_entry_inflating_past_the_limit_is_refused() {
        // 65 MiB of zeros deflate to well under 1 MiB: the classic bomb shape.
        let zeros = vec![0u8; (MAX_ENTRY_BYTES + 1024 * 1024) as usize];
        let bytes = zip_of(&[("sources/big.txt", &zeros)]);
        assert!(bytes.len() < 1024 * 1024);
        let mut archive = Archive::open(Path::new("p.qdpx"), bytes).unwrap();
        let error = archive.read("sources/big.txt").unwrap_err();
        assert!(error.message.contains("zip bomb"), "{error}");
        let mut archive =
            Archive::open(Path::new("p.qdpx"), zip_of(&[("a.txt", b"hello")])).unwrap();
        assert_eq!(archive.read("a.txt").unwrap(), b"hello");
    }
}
