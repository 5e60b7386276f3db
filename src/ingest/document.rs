//! The author's own documents (`document:` in study.yaml): one Markdown file per report language, read
//! as UTF-8 text and recorded among the inputs (role `document`, its lines as rows); and the study's
//! own page templates, the files of its `templates/` folder.

use crate::config::Study;
use crate::domain::{AuthorDocument, InputRole, PageTemplate};
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
    Ok((documents, inputs))
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
