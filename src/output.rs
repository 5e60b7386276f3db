//! Writing reports: every file of a build is staged in a temporary folder and moved into place only when all are written; reading a committed report folder back for `check`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::error::OutputError;
use crate::report::ReportFiles;

/// Writes `files` as `out_root/<study_id>/`, replacing the previous report folder as a whole.
/// On any failure the previous folder is left as it was.
pub fn write_report(out_root: &Path, study_id: &str, files: &ReportFiles) -> Result<PathBuf> {
    fs::create_dir_all(out_root).with_context(|| {
        OutputError::new(format!(
            "cannot create the output folder {}",
            out_root.display()
        ))
    })?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{study_id}.staging-"))
        .tempdir_in(out_root)
        .with_context(|| {
            OutputError::new(format!(
                "cannot create a staging folder in {}",
                out_root.display()
            ))
        })?;
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
            .with_context(|| {
                OutputError::new(format!("cannot create a folder in {}", out_root.display()))
            })?;
        let previous = retired.path().join(study_id);
        fs::rename(&target, &previous).with_context(|| {
            OutputError::new(format!(
                "cannot move the previous report {} aside",
                target.display()
            ))
        })?;
        if let Err(error) = fs::rename(staging.path(), &target) {
            // Put the previous report back before failing.
            let _ = fs::rename(&previous, &target);
            return Err(error).with_context(|| {
                OutputError::new(format!(
                    "cannot move the new report into {}",
                    target.display()
                ))
            });
        }
        // `retired` removes the previous report when dropped.
    } else {
        fs::rename(staging.path(), &target).with_context(|| {
            OutputError::new(format!(
                "cannot move the new report into {}",
                target.display()
            ))
        })?;
    }
    Ok(target)
}

/// Writes every file under `root`, creating folders as needed.
pub fn write_tree(root: &Path, files: &ReportFiles) -> Result<()> {
    for (relative, bytes) in files {
        let path = root.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| OutputError::new(format!("cannot create {}", parent.display())))?;
        }
        fs::write(&path, bytes)
            .with_context(|| OutputError::new(format!("cannot write {}", path.display())))?;
    }
    Ok(())
}

/// The folder where Jupyter keeps a checkpoint of every notebook it saves (JupyterLab writes
/// `.ipynb_checkpoints/report.fa-checkpoint.ipynb` on Ctrl+S), beside the notebook.
pub const JUPYTER_CHECKPOINTS: &str = ".ipynb_checkpoints";

/// Reads every file under `root` (relative paths with `/`), as a build's files are held.
pub fn read_tree(root: &Path) -> Result<ReportFiles> {
    let mut files = ReportFiles::new();
    // PDF exports beside the report (see `pdf`) and the checkpoints Jupyter writes when a reader
    // saves a notebook are not report files: check ignores them.
    let checkpoint = |file: &str| file.split('/').any(|part| part == JUPYTER_CHECKPOINTS);
    for relative in list_files(root)?
        .into_iter()
        .filter(|file| !crate::pdf::is_export(file) && !checkpoint(file))
    {
        let path = root.join(&relative);
        let bytes = fs::read(&path)
            .with_context(|| OutputError::new(format!("cannot read {}", path.display())))?;
        files.insert(relative, bytes);
    }
    Ok(files)
}

fn list_files(root: &Path) -> Result<BTreeSet<String>> {
    let mut files = BTreeSet::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let folder = root.join(&relative);
        for entry in fs::read_dir(&folder)
            .with_context(|| OutputError::new(format!("cannot list {}", folder.display())))?
        {
            let entry = entry
                .with_context(|| OutputError::new(format!("cannot list {}", folder.display())))?;
            let name = relative.join(entry.file_name());
            let kind = entry
                .file_type()
                .with_context(|| OutputError::new(format!("cannot list {}", folder.display())))?;
            if kind.is_dir() {
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
    use crate::report::test_files as files;

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
    fn a_written_tree_reads_back_as_the_same_files() {
        let dir = tempfile::tempdir().unwrap();
        let written = files(&[("a.md", "1"), ("t/b.csv", "2"), ("t/u/c.svg", "3")]);
        write_tree(dir.path(), &written).unwrap();
        // A PDF export beside the report is not one of its files, nor Jupyter's checkpoint of a
        // notebook saved in JupyterLab.
        fs::write(dir.path().join("report.en.pdf"), "%PDF").unwrap();
        fs::create_dir(dir.path().join(JUPYTER_CHECKPOINTS)).unwrap();
        fs::write(
            dir.path()
                .join(JUPYTER_CHECKPOINTS)
                .join("report.fa-checkpoint.ipynb"),
            "{}",
        )
        .unwrap();
        assert_eq!(read_tree(dir.path()).unwrap(), written);
        assert!(read_tree(&dir.path().join("absent")).is_err());
    }
}
