//! delphi-report: regenerates and audits the tables of fuzzy Delphi studies as bilingual reports.
//!
//! Data flow: `config` (study.yaml) -> `ingest` (files into polars, then domain types) ->
//! `analysis` (pure computations) -> `report` (model, templates, Markdown, HTML) -> `output` (atomic writes).

pub mod analysis;
pub mod config;
pub mod digest;
pub mod error;
pub mod ingest;
pub mod number;
pub mod output;
pub mod report;

use std::path::Path;

use anyhow::{Context, Result};

use analysis::compare::compare_screening;
use analysis::fuzzy::screen;
pub use report::manifest::Stamp;
use report::model::Results;
use report::ReportFiles;

/// The languages every report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fa,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fa => "fa",
        }
    }
}

/// A finished build: the study's id (its report folder name) and every report file.
pub struct Build {
    pub study_id: String,
    pub files: ReportFiles,
}

/// Reads a study folder, computes its screening and comparison, and renders every report file in memory,
/// with no build stamp (no commit, no timestamp).
pub fn build(study_folder: &Path) -> Result<Build> {
    build_with(study_folder, &Stamp::default())
}

/// As [`build`], recording `stamp` in the manifest (and the timestamp in the workbooks).
pub fn build_with(study_folder: &Path, stamp: &Stamp) -> Result<Build> {
    let study = config::Study::load(study_folder)?;
    let data = ingest::load(&study)?;
    let panel = u64::from(study.config.panels.delphi_experts);
    let screening =
        screen(&study.scale, &data.counts, panel, study.threshold).map_err(anyhow::Error::msg)?;
    let comparison = data
        .published_screening
        .as_ref()
        .map(|published| compare_screening(published, &screening));
    let results = Results {
        study: &study,
        data: &data,
        screening: &screening,
        comparison: comparison.as_deref(),
    };
    let files = report::render_all(&results, stamp).context("rendering the report")?;
    Ok(Build {
        study_id: study.config.id.clone(),
        files,
    })
}
