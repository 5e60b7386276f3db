//! The author's own documents (`document:` in study.yaml): one Markdown file per report language, read
//! as UTF-8 text and recorded among the inputs (role `document`, its lines as rows), with the files
//! they include by name (role `document include`); and the study's own page templates, the files of
//! its `templates/` folder.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::Study;
use crate::domain::{AuthorDocument, IncludedText, InputRole, PageTemplate, MAX_INCLUDE_BYTES};
use crate::error::InputError;
use crate::ingest::table::{input_file, read_file};

/// The largest document, in bytes: a report's text, not a data file.
const MAX_DOCUMENT_BYTES: usize = 4 << 20;

/// What [`read_documents`] read: the documents, what they include, and the provenance of both.
pub(crate) type ReadDocuments = (
    Vec<AuthorDocument>,
    BTreeMap<String, IncludedText>,
    Vec<crate::domain::InputFile>,
);

/// The study's documents in report-language order, what they include, with their provenance; none
/// without `document:`.
pub(crate) fn read_documents(study: &Study) -> Result<ReadDocuments, InputError> {
    let Some(config) = study.document() else {
        return Ok((Vec::new(), BTreeMap::new(), Vec::new()));
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
    // combined digest, after the documents, in the order first named.
    let mut includes = BTreeMap::new();
    let mut order = Vec::new();
    for document in &documents {
        included_texts(study.folder(), &document.text, &mut includes, &mut order);
    }
    for name in order {
        if let Some(IncludedText::Text(text)) = includes.get(&name) {
            let mut input = input_file(
                Path::new(&name),
                InputRole::DocumentInclude,
                text.as_bytes(),
            );
            input.rows = text.lines().count();
            inputs.push(input);
        }
    }
    Ok((documents, includes, inputs))
}

/// The tags that read another file by name: `{% include "x" %}`, `{% import "x" as m %}`,
/// `{% from "x" import y %}`, `{% extends "x" %}`.
const INCLUDING_TAGS: [&str; 4] = ["include", "import", "from", "extends"];

/// What `text` names in its including tags by a quoted path, and what those files name in turn, each
/// added to `found` once (by name as written, with [`include_check`]'s verdict) and to `order` in the
/// order first named, depth first. A name built while rendering cannot be seen here: rendering refuses
/// it, so every file a report reads is read here and listed among its inputs.
pub(crate) fn included_texts(
    folder: &Path,
    text: &str,
    found: &mut BTreeMap<String, IncludedText>,
    order: &mut Vec<String>,
) {
    let mut pending: Vec<String> = quoted_includes(text);
    while let Some(name) = pending.pop() {
        if found.contains_key(&name) {
            continue;
        }
        let verdict = include_check(folder, &name);
        if let IncludedText::Text(included) = &verdict {
            // This file's names (last first, as the stack wants) are read before the rest.
            pending.extend(quoted_includes(included));
        }
        order.push(name.clone());
        found.insert(name, verdict);
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

/// What a document may include by `name`: a relative path of plain names (no `..`, no root) to a
/// file whose real path is inside `folder` (a link out of it is refused too), no larger than
/// `MAX_INCLUDE_BYTES`, in UTF-8.
fn include_check(folder: &Path, name: &str) -> IncludedText {
    let refused = |why: String| IncludedText::Refused(format!("cannot include '{name}': {why}"));
    let outside = || {
        refused(
            "a document includes files inside the study folder only, named by a relative path without '..'"
                .to_string(),
        )
    };
    let relative = Path::new(name);
    if name.is_empty()
        || !relative
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return outside();
    }
    let (Ok(real_folder), Ok(real_path)) =
        (folder.canonicalize(), folder.join(relative).canonicalize())
    else {
        return IncludedText::Missing;
    };
    if !real_path.starts_with(&real_folder) {
        return outside();
    }
    let metadata = match std::fs::metadata(&real_path) {
        Ok(metadata) => metadata,
        Err(e) => return refused(e.to_string()),
    };
    if !metadata.is_file() {
        return refused("not a file".to_string());
    }
    if metadata.len() > MAX_INCLUDE_BYTES {
        return refused(format!("larger than {MAX_INCLUDE_BYTES} bytes"));
    }
    match std::fs::read(&real_path).map(String::from_utf8) {
        Ok(Ok(text)) => IncludedText::Text(text),
        Ok(Err(_)) => refused("not UTF-8 text".to_string()),
        Err(e) => refused(e.to_string()),
    }
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
        // outside the folder (refused); a missing file is missing.
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
        let (mut found, mut order) = (BTreeMap::new(), Vec::new());
        included_texts(
            &folder,
            "{% include \"a.md\" %}{% include \"missing.md\" %}{% include \"c.md\" %}",
            &mut found,
            &mut order,
        );
        assert_eq!(
            order,
            ["a.md", "c.md", "b.md", "../secret.md", "missing.md"]
        );
        assert_eq!(found["c.md"], IncludedText::Text("C".into()));
        assert_eq!(found["missing.md"], IncludedText::Missing);
        assert!(
            matches!(&found["../secret.md"], IncludedText::Refused(why) if why.contains("inside the study folder only"))
        );
    }
}
