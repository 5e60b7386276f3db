//! Writing reports: every file of a build is staged in a temporary folder and moved into place only when all are written.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::report::ReportFiles;

/// Writes `files` as `out_root/<study_id>/`, replacing the previous report folder as a whole.
/// On any failure the previous folder is left as it was.
pub fn write_report(out_root: &Path, study_id: &str, files: &ReportFiles) -> Result<PathBuf> {
    fs::create_dir_all(out_root)
        .with_context(|| format!("cannot create the output folder {}", out_root.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{study_id}.staging-"))
        .tempdir_in(out_root)
        .with_context(|| format!("cannot create a staging folder in {}", out_root.display()))?;
    write_tree(staging.path(), files)?;
    let target = out_root.join(study_id);
    // Swapping the two folders in one step leaves no moment without a report folder, should the build be
    // killed; filesystems without RENAME_EXCHANGE fall back to the two renames below.
    #[cfg(target_os = "linux")]
    if target.exists() {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        if renameat_with(CWD, staging.path(), CWD, &target, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous report and removes it when dropped.
            return Ok(target);
        }
    }
    if target.exists() {
        let retired = tempfile::Builder::new()
            .prefix(&format!(".{study_id}.previous-"))
            .tempdir_in(out_root)
            .with_context(|| format!("cannot create a folder in {}", out_root.display()))?;
        let previous = retired.path().join(study_id);
        fs::rename(&target, &previous).with_context(|| {
            format!("cannot move the previous report {} aside", target.display())
        })?;
        if let Err(error) = fs::rename(staging.path(), &target) {
            // Put the previous report back before failing.
            let _ = fs::rename(&previous, &target);
            return Err(error)
                .with_context(|| format!("cannot move the new report into {}", target.display()));
        }
        // `retired` removes the previous report when dropped.
    } else {
        fs::rename(staging.path(), &target)
            .with_context(|| format!("cannot move the new report into {}", target.display()))?;
    }
    Ok(target)
}

/// Writes every file under `root`, creating folders as needed.
pub fn write_tree(root: &Path, files: &ReportFiles) -> Result<()> {
    for (relative, bytes) in files {
        let path = root.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// How a committed report folder differs from a fresh build.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files whose bytes differ.
    pub changed: Vec<String>,
    /// Files the build makes that the folder lacks.
    pub missing: Vec<String>,
    /// Files in the folder that the build does not make.
    pub unexpected: Vec<String>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.unexpected.is_empty()
    }
}

/// Compares two folders file by file (relative paths with `/`).
pub fn compare_trees(expected: &Path, actual: &Path) -> Result<Drift> {
    let wanted = list_files(expected)?;
    let found = if actual.is_dir() {
        list_files(actual)?
    } else {
        BTreeSet::new()
    };
    let mut drift = Drift::default();
    for file in &wanted {
        if !found.contains(file) {
            drift.missing.push(file.clone());
            continue;
        }
        let a = fs::read(expected.join(file))
            .with_context(|| format!("cannot read {}", expected.join(file).display()))?;
        let b = fs::read(actual.join(file))
            .with_context(|| format!("cannot read {}", actual.join(file).display()))?;
        if a != b {
            drift.changed.push(file.clone());
        }
    }
    // PDF exports beside the report are not report files (see `pdf`).
    drift.unexpected = found
        .difference(&wanted)
        .filter(|file| !crate::pdf::is_export(file))
        .cloned()
        .collect();
    Ok(drift)
}

fn list_files(root: &Path) -> Result<BTreeSet<String>> {
    let mut files = BTreeSet::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let folder = root.join(&relative);
        for entry in
            fs::read_dir(&folder).with_context(|| format!("cannot list {}", folder.display()))?
        {
            let entry = entry.with_context(|| format!("cannot list {}", folder.display()))?;
            let name = relative.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                pending.push(name);
            } else {
                let parts: Vec<String> = name
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                files.insert(parts.join("/"));
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> ReportFiles {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn a_report_replaces_the_previous_one_as_a_whole() {
        let out = tempfile::tempdir().unwrap();
        write_report(out.path(), "s", &files(&[("a.md", "one"), ("old.md", "x")])).unwrap();
        let target = write_report(
            out.path(),
            "s",
            &files(&[("a.md", "two"), ("t/b.csv", "b")]),
        )
        .unwrap();
        assert_eq!(fs::read_to_string(target.join("a.md")).unwrap(), "two");
        assert_eq!(fs::read_to_string(target.join("t/b.csv")).unwrap(), "b");
        assert!(!target.join("old.md").exists());
        let leftovers: Vec<_> = fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            leftovers,
            vec![std::ffi::OsString::from("s")],
            "no staging folders left behind"
        );
    }

    #[test]
    fn drift_names_changed_missing_and_unexpected_files() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        write_tree(
            a.path(),
            &files(&[("same", "1"), ("changed", "1"), ("t/missing", "1")]),
        )
        .unwrap();
        write_tree(
            b.path(),
            &files(&[
                ("same", "1"),
                ("changed", "2"),
                ("extra", "1"),
                ("report.en.pdf", "%PDF"),
            ]),
        )
        .unwrap();
        let drift = compare_trees(a.path(), b.path()).unwrap();
        assert_eq!(drift.changed, vec!["changed"]);
        assert_eq!(drift.missing, vec!["t/missing"]);
        // A PDF export beside the report is not drift.
        assert_eq!(drift.unexpected, vec!["extra"]);
        assert!(compare_trees(a.path(), a.path()).unwrap().is_empty());
    }
}
