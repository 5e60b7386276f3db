//! `init`: a new study folder with a commented study.yaml, headers-only data files and a README.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

const STUDY_YAML: &str = include_str!("../templates/scaffold/study.yaml");
const README: &str = include_str!("../templates/scaffold/README.md");

/// The files of a new study, relative to its folder, with their contents.
pub fn scaffold_files(id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("study.yaml", STUDY_YAML.replace("{id}", id)),
        (
            "components.csv",
            "id,name_fa,name_en,name_en_source\n".to_string(),
        ),
        (
            "indicators.csv",
            "id,component,name_fa,name_en,name_en_source\n".to_string(),
        ),
        ("ratings.csv", "expert,indicator,rating\n".to_string()),
        ("README.md", README.replace("{id}", id)),
    ]
}

/// A study id from a folder name: letters, digits, '-' and '_' kept, anything else as '-'.
pub fn study_id(folder: &Path) -> String {
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "study".to_string()
    } else {
        id
    }
}

/// Creates `folder` (or fills an empty one) with the scaffold; refuses a folder that holds anything.
pub fn init(folder: &Path) -> Result<Vec<PathBuf>> {
    if folder.exists() {
        let mut entries = std::fs::read_dir(folder)
            .with_context(|| format!("{}: cannot read the folder", folder.display()))?;
        if entries.next().is_some() {
            bail!(
                "{}: the folder is not empty; init writes only into a new or empty folder",
                folder.display()
            );
        }
    }
    std::fs::create_dir_all(folder)
        .with_context(|| format!("{}: cannot create the folder", folder.display()))?;
    let id = study_id(folder);
    let mut written = Vec::new();
    for (name, content) in scaffold_files(&id) {
        let path = folder.join(name);
        std::fs::write(&path, content)
            .with_context(|| format!("{}: cannot write the file", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_made_from_folder_names() {
        assert_eq!(
            study_id(Path::new("studies/My study 2025")),
            "My-study-2025"
        );
        assert_eq!(study_id(Path::new("پژوهش")), "study");
        assert_eq!(study_id(Path::new("a_b-c")), "a_b-c");
    }

    #[test]
    fn the_scaffold_configuration_loads() {
        let files = scaffold_files("demo");
        let yaml = &files[0].1;
        let study =
            crate::config::Study::from_yaml(Path::new("demo"), Path::new("demo/study.yaml"), yaml)
                .unwrap();
        assert_eq!(study.config.id, "demo");
        assert_eq!(study.scale.len(), 5);
    }
}
