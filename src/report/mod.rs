//! From analysis input to report files: the model, then Markdown, HTML, notebooks, figures, CSV and
//! XLSX tables and Word documents in each of the study's languages, and the manifest that hashes them.

mod cells;
pub(crate) mod document;
pub(crate) mod docx;
pub(crate) mod figure;
pub(crate) mod findings;
pub mod i18n;
pub mod manifest;
pub(crate) mod markup;
pub(crate) mod model;
pub(crate) mod notebook;
pub(crate) mod raster;
pub(crate) mod render;
pub(crate) mod tables;
pub(crate) mod xlsx;

use std::collections::BTreeMap;

use anyhow::{Context, Result};

use crate::domain::Lang;
use manifest::{Stamp, MANIFEST_FILE};
use model::ReportInput;

pub use cells::{Entry, Kind};

/// Every cell, table, figure and value the study's document can name, with a one-line description
/// in English: each cell of the built-in report followed by its tables and figures, then the values.
pub(crate) fn document_names(input: &ReportInput) -> Result<Vec<Entry>> {
    cells::catalogue(
        input.study.languages()[0],
        &i18n::Strings::builtin()?,
        input,
    )
}

/// The study's own documents rendered and assembled in every language, as a build would: each one's
/// path and the number of parts it places.
pub(crate) fn check_documents(input: &ReportInput) -> Result<Vec<(String, usize)>> {
    let strings = i18n::Strings::builtin()?;
    let mut checked = Vec::new();
    for authored in &input.data.documents {
        let document = cells::build(authored.lang, &strings, input)?;
        let parts = document
            .blocks
            .iter()
            .filter(|b| !matches!(b, model::Block::Text { .. }))
            .count();
        checked.push((authored.path.clone(), parts));
    }
    Ok(checked)
}

/// Report files by path relative to the study's report folder, in a fixed order.
pub type ReportFiles = BTreeMap<String, Vec<u8>>;

/// Report files from `(path, text)` pairs, for unit tests.
#[cfg(test)]
pub(crate) fn test_files(pairs: &[(&str, &str)]) -> ReportFiles {
    pairs
        .iter()
        .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
        .collect()
}

/// The CSV file of a table the study numbers as its publication does (`tables.counts.number`,
/// `tables.screening.number` in study.yaml): `tables/table<N>.csv`. The reference study's Tables 6 and
/// 7 are `tables/table6.csv` and `tables/table7.csv`; a study without numbers gets tables 1 and 2.
pub fn numbered_table_csv(number: u32) -> String {
    format!("tables/table{number}.csv")
}

/// Renders every report file for each of the study's languages, then the manifest of them all.
pub fn render_all(input: &ReportInput, stamp: &Stamp) -> Result<ReportFiles> {
    let strings = i18n::Strings::builtin()?;
    let renderer =
        render::Renderer::with_page_templates(&input.data.page_templates, input.study.folder())?;
    let languages = input.study.languages();
    // The languages and the CSV tables share nothing but read-only inputs: they render side by side.
    let (reports, csv_tables) = std::thread::scope(|scope| {
        let others: Vec<_> = languages[1..]
            .iter()
            .map(|lang| {
                let job = scope.spawn(|| render_language(*lang, input, &strings, &renderer, stamp));
                (lang, job)
            })
            .collect();
        let csv_tables = scope.spawn(|| csv_files(input, &strings));
        let failed = |what: String| anyhow::anyhow!("rendering {what} failed");
        let mut reports = vec![render_language(
            languages[0],
            input,
            &strings,
            &renderer,
            stamp,
        )];
        for (lang, job) in others {
            reports.push(
                job.join()
                    .unwrap_or_else(|_| Err(failed(format!("the {} report", lang.name())))),
            );
        }
        let csv_tables = csv_tables
            .join()
            .unwrap_or_else(|_| Err(failed("the CSV tables".to_string())));
        (reports, csv_tables)
    });
    let mut files = ReportFiles::new();
    // The files the documents included, each once.
    let mut included = Vec::new();
    for report in reports {
        let (mut report_files, report_included) = report?;
        files.append(&mut report_files);
        included.extend(report_included);
    }
    files.append(&mut csv_tables?);
    included.sort();
    included.dedup();
    let built_in = |path: &str, text: &str| render::UsedTemplate {
        path: path.to_string(),
        text: text.to_string(),
        from_study: false,
    };
    let mut templates: Vec<render::UsedTemplate> = renderer.templates().to_vec();
    // The languages table, and the strings file of each of the study's languages.
    templates.push(built_in(
        "templates/languages.yaml",
        crate::domain::language::LANGUAGES_YAML,
    ));
    for lang in languages {
        templates.push(built_in(
            &format!("templates/strings/{}.yaml", lang.code()),
            &lang.language().strings_source,
        ));
    }
    // The built-in document, unless the study's own (an input, hashed among the inputs) replaces it.
    if input.data.documents.is_empty() {
        templates.push(built_in(
            document::BUILTIN_DOCUMENT_PATH,
            document::BUILTIN_DOCUMENT,
        ));
    }
    templates.sort_by(|a, b| (&a.path, a.from_study).cmp(&(&b.path, b.from_study)));
    let manifest = manifest::manifest(input, &templates, &included, stamp, &files)?;
    files.insert(MANIFEST_FILE.into(), manifest.into_bytes());
    Ok(files)
}

/// The CSV tables, in both languages' shared form (ASCII digits, English words).
fn csv_files(input: &ReportInput, strings: &i18n::Strings) -> Result<ReportFiles> {
    let mut files = ReportFiles::new();
    let numbers = input.study.tables();
    // The counts and screening tables, and the threshold, for a study with ratings.
    if input.study.has_ratings() {
        files.insert(
            numbered_table_csv(numbers.counts.number),
            tables::counts_csv(input).into_bytes(),
        );
        files.insert(
            numbered_table_csv(numbers.screening.number),
            tables::screening_csv(input).into_bytes(),
        );
        files.insert(
            "tables/threshold.csv".into(),
            tables::threshold_csv(input).into_bytes(),
        );
    }
    if input.screening.iter().any(|r| r.result.is_some()) {
        files.insert(
            "tables/agreement.csv".into(),
            tables::agreement_csv(input).into_bytes(),
        );
        files.insert(
            "tables/distances.csv".into(),
            tables::distances_csv(input).into_bytes(),
        );
        files.insert(
            "tables/sensitivity.csv".into(),
            tables::sensitivity_csv(input).into_bytes(),
        );
    }
    if let Some(csv) = tables::rounds_csv(input) {
        files.insert("tables/rounds.csv".into(), csv.into_bytes());
    }
    if let Some(csv) = tables::audit_csv(input, strings)? {
        files.insert("tables/audit.csv".into(), csv.into_bytes());
    }
    if let Some(csv) = tables::identify_csv(input) {
        files.insert("tables/identify.csv".into(), csv.into_bytes());
    }
    if let Some(csv) = tables::demographics_csv(input) {
        files.insert("tables/demographics_audit.csv".into(), csv.into_bytes());
    }
    if let Some(csv) = tables::coding_counts_csv(input) {
        files.insert("tables/coding_counts_audit.csv".into(), csv.into_bytes());
    }
    // The coding input, for every study with coded data.
    for (path, csv) in [
        (
            "tables/codes_per_level.csv",
            tables::codes_per_level_csv(input),
        ),
        ("tables/code_matrix.csv", tables::code_matrix_csv(input)),
        ("tables/saturation.csv", tables::saturation_csv(input)),
    ] {
        if let Some(csv) = csv {
            files.insert(path.into(), csv.into_bytes());
        }
    }
    Ok(files)
}

/// Every file of one language: figures, Markdown, HTML, notebook, workbook and Word document; and the
/// files its document included.
fn render_language(
    lang: Lang,
    input: &ReportInput,
    strings: &i18n::Strings,
    renderer: &render::Renderer,
    stamp: &Stamp,
) -> Result<(ReportFiles, Vec<document::IncludedFile>)> {
    let mut files = ReportFiles::new();
    let code = lang.code();
    let document = cells::build(lang, strings, input)?;
    // Each figure's SVG by figure id: standalone (its file, the notebook) and inline (the page).
    let mut svgs = BTreeMap::new();
    let mut inline_svgs = BTreeMap::new();
    let mut images = BTreeMap::new();
    for figure in document.figures() {
        let standalone = figure::draw(figure, lang, figure::Embedding::Standalone);
        let inline = figure::draw(figure, lang, figure::Embedding::InlineHtml);
        files.insert(figure.file.clone(), standalone.clone().into_bytes());
        let image = raster::figure_image(&standalone)
            .with_context(|| format!("drawing {} as PNG", figure.file))?;
        images.insert(figure.id.clone(), image);
        svgs.insert(figure.id.clone(), standalone);
        inline_svgs.insert(figure.id.clone(), inline);
    }
    let markdown = renderer.markdown(&document)?;
    let html = renderer.html(&document, &markdown, &inline_svgs)?;
    let notebook = notebook::notebook(
        renderer,
        strings,
        lang,
        &document,
        &svgs,
        &manifest::input_records(input),
    )
    .with_context(|| format!("building report.{code}.ipynb"))?;
    let workbook = xlsx::workbook(&document, stamp.source_date_epoch)
        .with_context(|| format!("building tables/tables.{code}.xlsx"))?;
    let word = docx::document(&document, &images, stamp.source_date_epoch)
        .with_context(|| format!("building report.{code}.docx"))?;
    files.insert(format!("report.{code}.md"), markdown.text.into_bytes());
    files.insert(format!("report.{code}.html"), html.into_bytes());
    files.insert(format!("report.{code}.ipynb"), notebook.into_bytes());
    files.insert(format!("tables/tables.{code}.xlsx"), workbook);
    files.insert(format!("report.{code}.docx"), word);
    Ok((files, document.included))
}
