//! The project's own CSV of coded segments: `document,segment,code`, one row per segment and code.

use std::path::Path;

use super::{split_code_path_with, Origin, RawCoding, RawSegment};
use crate::domain::InputRole;
use crate::error::{InputError, Problems};
use crate::ingest::table::CsvTable;

/// Reads `document,segment,code`; `code` is the path `Component > Concept > Initial code`.
/// Documents are taken in the order they first appear: the interview order.
/// Adjacent rows of one document with the same segment text are one passage carrying several codes.
pub(crate) fn read(
    folder: &Path,
    relative: &Path,
    separator: Option<&str>,
) -> Result<RawCoding, InputError> {
    let table = CsvTable::read(folder, relative, InputRole::CodedSegments)?;
    table.require_exact_columns(&["document", "segment", "code"])?;
    // Every empty cell of the file, in one error.
    let mut problems = Problems::new();
    let documents = table.texts("document", "the document (interviewee) name", &mut problems)?;
    let codes = table.texts(
        "code",
        "a code path such as 'Component > Concept > Code'",
        &mut problems,
    )?;
    problems.into_result()?;
    let texts: Vec<String> = table
        .text_column("segment")?
        .iter()
        .map(|t| t.unwrap_or_default().to_string())
        .collect();
    let segments = (0..table.height())
        .map(|row| RawSegment {
            document: documents[row].clone(),
            text: Some(texts[row].clone()),
            span: None,
            start: None,
            path: split_code_path_with(&codes[row], separator),
            origin: Origin::Row {
                file: table.path.clone(),
                row: table.places[row].row,
                line: table.places[row].line,
                sheet: None,
                column: "code".into(),
            },
        })
        .collect();
    Ok(RawCoding {
        segments,
        inputs: vec![table.input],
        ..RawCoding::default()
    })
}
