//! The author's own documents (`document:` in study.yaml): one Markdown file per report language, read
//! as UTF-8 text and recorded among the inputs (role `document`, its lines as rows), with the files
//! they include by name (role `document include`); and the study's own page templates, the files of
//! its `templates/` folder.

use std::path::Path;

use crate::config::Study;
use crate::domain::{AuthorDocument, InputRole, PageTemplate, MAX_INCLUDE_BYTES};
use crate::error::InputError;
use crate::ingest::table::{input_file, read_file};

/// The largest document, in bytes: a report's text, not a data file.
const MAX_DOCUMENT_BYTES: usize = 4 << 20;

/// The study's documents in report-language order, with their provenance; none without `document:`.
pub(crate) fn read_documents(
    study: &Study,
) -> Result<(Vec<AuthorDocument>, Vec<crate::domain::InputFile>), InputError> {
    let Some(config) = study.document() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut documents = Vec::new();
    let mut inputs = Vec::new();
    for lang in study.languages().iter().copied() {
        let Some(relative) = config.file(lang) else {
            continue;
        };
        let path = study.folder().join(relative);
        if !path.is_file() {
            return Err(InputError::key(
                &study.file(),
                &format!("document.{}", lang.code()),
                format!("'{}' is not a file in the study folder", relative.display()),
            ));
        }
        let bytes = read_file(&path)?;
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(InputError::file(
                &path,
                format!("larger than {MAX_DOCUMENT_BYTES} bytes; a document is the report's text"),
            ));
        }
        let text = crate::error::check_text(&path, &bytes)?.to_string();
        let mut input = input_file(relative, InputRole::Document, &bytes);
        input.rows = text.lines().count();
        documents.push(AuthorDocument {
            lang,
            path: input.path.clone(),
            text,
        });
        inputs.push(input);
    }
    // What the documents include is part of their text: listed among the inputs and in the
    // combined digest, after the documents.
    let mut included = Vec::new();
    for document in &documents {
        included_files(study.folder(), &document.text, &mut included);
    }
    for (name, bytes) in included {
        let mut input = input_file(Path::new(&name), InputRole::DocumentInclude, &bytes);
        input.rows = String::from_utf8_lossy(&bytes).lines().count();
        inputs.push(input);
    }
    Ok((documents, inputs))
}

/// The tags that read another file by name: `{% include "x" %}`, `{% import "x" as m %}`,
/// `{% from "x" import y %}`, `{% extends "x" %}`.
const INCLUDING_TAGS: [&str; 4] = ["include", "import", "from", "extends"];

/// The files `text` names in an including tag by a quoted path, and those they name in turn, added
/// to `found` once each (by path, with their bytes) in the order first named. A name that is not a
/// plain relative path to a UTF-8 file inside `folder` of at most `MAX_INCLUDE_BYTES` is left out:
/// rendering the document fails on it, naming its line and column. A name built while rendering
/// cannot be seen here; the manifest's `included` still lists every file the rendering read.
fn included_files(folder: &Path, text: &str, found: &mut Vec<(String, Vec<u8>)>) {
    let mut pending: Vec<String> = quoted_includes(text);
    while let Some(name) = pending.pop() {
        if found.iter().any(|(seen, _)| *seen == name) {
            continue;
        }
        let Some(bytes) = readable_include(folder, &name) else {
            continue;
        };
        let Ok(included) = std::str::from_utf8(&bytes) else {
            continue;
        };
        // Depth first, in the order named: this file's names (last first, as the stack wants)
        // are read before the rest.
        let inner = quoted_includes(included);
        found.push((name, bytes));
        pending.extend(inner);
    }
}

/// The quoted names of `text`'s including tags, in order, last first (for a stack).
fn quoted_includes(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in text.match_indices("{%") {
        let tag = text[at + 2..].trim_start_matches(['-', '+']).trim_start();
        let keyword: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        if !INCLUDING_TAGS.contains(&keyword.as_str()) {
            continue;
        }
        let rest = tag[keyword.len()..].trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            names.push(rest[1..1 + end].to_string());
        }
    }
    names.reverse();
    names
}

/// The bytes of the file `name` names inside `folder`, when it is a plain relative path (no `..`,
/// no root) to a file whose real path is inside the folder and no larger than `MAX_INCLUDE_BYTES`.
fn readable_include(folder: &Path, name: &str) -> Option<Vec<u8>> {
    let relative = Path::new(name);
    if name.is_empty()
        || !relative
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return None;
    }
    let real_folder = folder.canonicalize().ok()?;
    let real_path = folder.join(relative).canonicalize().ok()?;
    let metadata = std::fs::metadata(&real_path).ok()?;
    if !real_path.starts_with(&real_folder)
        || !metadata.is_file()
        || metadata.len() > MAX_INCLUDE_BYTES
    {
        return None;
    }
    std::fs::read(&real_path).ok()
}

/// The folder of a study's own page templates.
pub(crate) const PAGE_TEMPLATES_FOLDER: &str = "templates";

/// The largest page template, in bytes.
const MAX_TEMPLATE_BYTES: usize = 1 << 20;

/// Every file of the study's `templates/` folder, by name (none when there is no such folder). Only
/// files: a folder inside it is an error, as a name the report does not know will be.
pub(crate) fn read_page_templates(study: &Study) -> Result<Vec<PageTemplate>, InputError> {
    let folder = study.folder().join(PAGE_TEMPLATES_FOLDER);
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let entries = std::fs::read_dir(&folder)
        .map_err(|e| InputError::file(&folder, format!("cannot list the folder: {e}")))?;
    let mut templates = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| InputError::file(&folder, format!("cannot list the folder: {e}")))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !path.is_file() {
            return Err(InputError::file(
                &path,
                "not a file: the study's page templates are files directly in templates/",
            ));
        }
        let bytes = read_file(&path)?;
        if bytes.len() > MAX_TEMPLATE_BYTES {
            return Err(InputError::file(
                &path,
                format!("larger than {MAX_TEMPLATE_BYTES} bytes; a page template is a layout"),
            ));
        }
        let text = crate::error::check_text(&path, &bytes)?.to_string();
        templates.push(PageTemplate {
            path: format!("{PAGE_TEMPLATES_FOLDER}/{name}"),
            name,
            text,
        });
    }
    templates.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(templates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_names_of_every_including_tag_are_found_in_order() {
        let text = "Intro {% include \"a.md\" %} and {%- import 'm.j2' as m %}\n\
                    {% from \"f.j2\" import x %}{% extends \"base.md\" %}\n\
                    {% include name %}{% if x %}{{ \"not.md\" }}{% endif %}{% include \"open";
        let mut names = quoted_includes(text);
        names.reverse();
        assert_eq!(names, ["a.md", "m.j2", "f.j2", "base.md"]);
    }

    #[test]
    fn included_files_are_read_once_depth_first_and_only_inside_the_folder() {
        // SYNTHETIC: a.md includes c.md and b.md; b.md includes a.md again (read once) and a file
        // outside the folder (left out); a missing file and '..' are left out too.
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("study");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(root.path().join("secret.md"), "outside").unwrap();
        std::fs::write(
            folder.join("a.md"),
            "{% include \"c.md\" %}{% include \"b.md\" %}",
        )
        .unwrap();
        std::fs::write(
            folder.join("b.md"),
            "{% include \"a.md\" %}{% include \"../secret.md\" %}",
        )
        .unwrap();
        std::fs::write(folder.join("c.md"), "C").unwrap();
        let mut found = Vec::new();
        included_files(
            &folder,
            "{% include \"a.md\" %}{% include \"missing.md\" %}{% include \"c.md\" %}",
            &mut found,
        );
        let names: Vec<&str> = found.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["a.md", "c.md", "b.md"]);
        assert_eq!(found[1].1, b"C");
    }
}
