//! From analysis results to report files: the model, its Markdown and HTML in both languages, and CSV tables.

pub mod figures;
pub mod findings;
pub mod i18n;
pub mod model;
pub mod render;
pub mod svg;
pub mod tables;

use std::collections::BTreeMap;

use anyhow::Result;

use crate::Lang;
use model::Results;

/// Report files by path relative to the study's report folder, in a fixed order.
pub type ReportFiles = BTreeMap<String, Vec<u8>>;

/// Renders every report file for both languages.
pub fn render_all(results: &Results) -> Result<ReportFiles> {
    let strings = i18n::Strings::builtin()?;
    let renderer = render::Renderer::new()?;
    let mut files = ReportFiles::new();
    for lang in [Lang::En, Lang::Fa] {
        let document = model::build(lang, &strings, results)?;
        let markdown = renderer.markdown(&document)?;
        let html = renderer.html(&document, &markdown)?;
        for figure in document.cells.iter().flat_map(|cell| &cell.figures) {
            files.insert(figure.file.clone(), figure.svg.clone().into_bytes());
        }
        files.insert(format!("report.{}.md", lang.code()), markdown.into_bytes());
        files.insert(format!("report.{}.html", lang.code()), html.into_bytes());
    }
    files.insert(
        "tables/table6.csv".into(),
        tables::counts_csv(results).into_bytes(),
    );
    files.insert(
        "tables/table7.csv".into(),
        tables::screening_csv(results).into_bytes(),
    );
    if results.screening.iter().any(|r| r.result.is_some()) {
        files.insert(
            "tables/agreement.csv".into(),
            tables::agreement_csv(results).into_bytes(),
        );
        files.insert(
            "tables/distances.csv".into(),
            tables::distances_csv(results).into_bytes(),
        );
        files.insert(
            "tables/sensitivity.csv".into(),
            tables::sensitivity_csv(results).into_bytes(),
        );
    }
    if let Some(csv) = tables::rounds_csv(results) {
        files.insert("tables/rounds.csv".into(), csv.into_bytes());
    }
    if let Some(csv) = tables::audit_csv(results, &strings)? {
        files.insert("tables/audit.csv".into(), csv.into_bytes());
    }
    if let Some(csv) = tables::demographics_csv(results) {
        files.insert("tables/demographics_audit.csv".into(), csv.into_bytes());
    }
    if let Some(csv) = tables::coding_counts_csv(results) {
        files.insert("tables/coding_counts_audit.csv".into(), csv.into_bytes());
    }
    Ok(files)
}
