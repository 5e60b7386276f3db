//! The author's own documents (`document:` in study.yaml): one Markdown file per report language, read
//! as UTF-8 text and recorded among the inputs (role `document`, its lines as rows).

use crate::config::Study;
use crate::domain::{AuthorDocument, InputRole};
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
