//! Finding what a repository holds, for `--all`: every study folder (a folder with study.yaml) under
//! the study roots, and every report folder with the study its manifest names.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::config::{Study, STUDY_FILE};
use crate::error::InputError;
use crate::report::manifest::MANIFEST_FILE;

/// Where `--all` looks for study folders, relative to the working directory.
pub const STUDY_ROOTS: &[&str] = &["data", "examples"];

/// How deep below a root a study folder may be.
const MAX_DEPTH: usize = 8;

/// A study folder and the id its study.yaml gives it (its report folder's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundStudy {
    /// The study folder (holding study.yaml).
    pub folder: PathBuf,
    /// The study's id.
    pub id: String,
}

/// Every study folder under `roots` (missing roots are skipped), in path order. A study folder's own
/// subfolders are not searched; hidden folders (`.name`) are skipped. Two studies with one id are an
/// error, since they would write the same report folder.
pub fn find_studies(roots: &[PathBuf]) -> Result<Vec<FoundStudy>> {
    let mut folders = Vec::new();
    for root in roots {
        if root.is_dir() {
            collect_study_folders(root, 0, &mut folders)?;
        }
    }
    folders.sort();
    let mut studies: Vec<FoundStudy> = Vec::new();
    for folder in folders {
        let id = Study::load(&folder)?.id().to_string();
        if let Some(other) = studies.iter().find(|s| s.id == id) {
            return Err(InputError::file(
                &folder.join(STUDY_FILE),
                format!(
                    "the study id '{id}' is also the id of {}; each study needs its own id (its report folder's name)",
                    other.folder.display()
                ),
            )
            .into());
        }
        studies.push(FoundStudy { folder, id });
    }
    Ok(studies)
}

fn collect_study_folders(folder: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<()> {
    if folder.join(STUDY_FILE).is_file() {
        out.push(folder.to_path_buf());
        return Ok(());
    }
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    for entry in fs::read_dir(folder).map_err(|e| cannot_list(folder, e))? {
        let entry = entry.map_err(|e| cannot_list(folder, e))?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let kind = entry.file_type().map_err(|e| cannot_list(folder, e))?;
        if !hidden && kind.is_dir() {
            collect_study_folders(&entry.path(), depth + 1, out)?;
        }
    }
    Ok(())
}

/// A folder `--all` must search (a study root, the reports folder) that cannot be listed: the
/// repository's content is the input of `--all`.
fn cannot_list(folder: &Path, error: std::io::Error) -> InputError {
    InputError::file(folder, format!("cannot list the folder: {error}"))
}

/// A committed report folder and the study id its manifest names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFolder {
    /// The report folder.
    pub folder: PathBuf,
    /// The id of the study its manifest names.
    pub study: String,
}

/// Every report folder directly under `out_root` (none when it does not exist), in path order. A
/// folder without a readable manifest, or whose manifest names a study other than its own name, is an
/// error: nothing could rebuild it in place.
pub fn find_reports(out_root: &Path) -> Result<Vec<ReportFolder>> {
    if !out_root.is_dir() {
        return Ok(Vec::new());
    }
    let mut folders = Vec::new();
    for entry in fs::read_dir(out_root).map_err(|e| cannot_list(out_root, e))? {
        let entry = entry.map_err(|e| cannot_list(out_root, e))?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let kind = entry.file_type().map_err(|e| cannot_list(out_root, e))?;
        if !hidden && kind.is_dir() {
            folders.push(entry.path());
        }
    }
    folders.sort();
    let mut reports = Vec::new();
    for folder in folders {
        let manifest = folder.join(MANIFEST_FILE);
        let bytes = fs::read(&manifest).map_err(|e| {
            InputError::file(
                &manifest,
                format!("cannot read the manifest that names this report's study: {e}"),
            )
        })?;
        let study = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v.get("study").and_then(|s| s.as_str()).map(String::from))
            .ok_or_else(|| {
                InputError::file(&manifest, "expected JSON with the study's id as \"study\"")
            })?;
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if study != name {
            return Err(InputError::file(
                &manifest,
                format!(
                    "names the study '{study}', whose reports belong in {}, not in this folder",
                    out_root.join(&study).display()
                ),
            )
            .into());
        }
        reports.push(ReportFolder { folder, study });
    }
    Ok(reports)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn study_yaml(id: &str) -> String {
        // A SYNTHETIC minimal configuration: only its id matters here.
        format!(
            "id: {id}\ntitle: {{en: T, fa: ت}}\npanels: {{delphi_experts: 3}}\nscale: {{preset: five-point-quarters}}\n\
             method: {{aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}}\n\
             data: {{components: c.csv, indicators: i.csv, ratings: {{shape: counts, path: r.csv}}}}\n"
        )
    }

    #[test]
    fn studies_are_found_under_every_root_and_ids_must_be_unique() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (folder, id) in [
            ("data/a", "a"),
            ("examples/deep/b", "b"),
            ("data/.hidden", "h"),
        ] {
            fs::create_dir_all(root.join(folder)).unwrap();
            fs::write(root.join(folder).join(STUDY_FILE), study_yaml(id)).unwrap();
        }
        fs::create_dir_all(root.join("data/a/nested")).unwrap();
        fs::write(root.join("data/a/nested").join(STUDY_FILE), study_yaml("n")).unwrap();
        let roots = [
            root.join("data"),
            root.join("examples"),
            root.join("absent"),
        ];
        let found = find_studies(&roots).unwrap();
        let ids: Vec<&str> = found.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, vec!["a", "b"]);
        assert_eq!(found[1].folder, root.join("examples/deep/b"));

        fs::create_dir_all(root.join("examples/copy")).unwrap();
        fs::write(root.join("examples/copy").join(STUDY_FILE), study_yaml("a")).unwrap();
        let error = format!("{:#}", find_studies(&roots).unwrap_err());
        assert!(
            error.contains("examples/copy/study.yaml") && error.contains("'a'"),
            "{error}"
        );
    }

    #[test]
    fn report_folders_name_their_study_in_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        assert_eq!(find_reports(&out).unwrap(), Vec::new());
        fs::create_dir_all(out.join("a")).unwrap();
        fs::create_dir_all(out.join(".a.staging-x")).unwrap();
        fs::write(out.join("a").join(MANIFEST_FILE), r#"{"study": "a"}"#).unwrap();
        assert_eq!(
            find_reports(&out).unwrap(),
            vec![ReportFolder {
                folder: out.join("a"),
                study: "a".into()
            }]
        );
        fs::create_dir_all(out.join("b")).unwrap();
        let error = format!("{:#}", find_reports(&out).unwrap_err());
        assert!(error.contains("b/manifest.json"), "{error}");
        fs::write(out.join("b").join(MANIFEST_FILE), r#"{"study": "c"}"#).unwrap();
        let error = format!("{:#}", find_reports(&out).unwrap_err());
        assert!(error.contains("names the study 'c'"), "{error}");
    }
}
