//! delphi-report: regenerates and audits the tables of fuzzy Delphi studies and coded interviews as reports in the study's languages.
//!
//! Data flow: `config` (study.yaml) -> `ingest` (files into polars, then domain types) ->
//! `analysis` (pure computations) -> `report` (model, templates, Markdown, HTML) -> `output` (atomic writes);
//! `drift` compares a committed report folder with a fresh build for `check`, `catalog` finds the studies
//! and report folders `--all` covers.

pub mod analysis;
pub mod catalog;
pub mod config;
pub mod digest;
pub mod domain;
pub mod drift;
pub mod error;
pub mod ingest;
pub mod nearest;
pub mod number;
pub mod output;
pub mod pdf;
pub mod report;
pub mod scaffold;

use std::path::Path;

use anyhow::{Context, Result};

use analysis::audit::{audit, AuditInput};
use analysis::demographics::AttributeSpec;
use analysis::fuzzy::screen_with;
use analysis::published_in_text::{audit_counts, audit_shares, Panel, StudyCounts};
use analysis::qualitative::QualitativeAnalysis;
use analysis::rounds::{trajectories, Trajectory};
use analysis::sensitivity::{sweep, Verdicts};
use analysis::Status;
pub use domain::Lang;
pub use report::manifest::Stamp;
use report::model::ReportInput;
use report::ReportFiles;

/// A finished build: the study's id (its report folder name) and every report file, in memory.
pub struct BuiltReport {
    /// The study's id, the name of its report folder.
    pub study_id: String,
    /// Every report file by its path in the report folder.
    pub files: ReportFiles,
}

/// Largest sample size for which the audit lists the sizes that fit the printed percentages.
pub const MAX_SAMPLE_SIZE: u64 = 100;

/// Reads a study folder, computes its screening and audits, and renders every report file in memory,
/// with no build stamp (no commit, no timestamp).
pub fn build_report(study_folder: &Path) -> Result<BuiltReport> {
    build_report_with(study_folder, &[], &Stamp::default(), None)
}

/// As [`build_report`], with the settings `overrides` gives (`--set`) in place of study.yaml's,
/// recording them and `stamp` in the manifest (and the timestamp in the workbooks), and reporting
/// progress while a large ratings file is counted.
pub fn build_report_with(
    study_folder: &Path,
    overrides: &[config::Override],
    stamp: &Stamp,
    progress: Option<ingest::stream::Progress>,
) -> Result<BuiltReport> {
    let mut study = config::Study::load_with(study_folder, overrides)?;
    let data = ingest::load_with_progress(&study, progress)?;
    ingest::resolve_threshold(&mut study, &data)?;
    let analysis = analyse(&study, &data)?;
    let input = analysis.report_input(&study, &data);
    let files = report::render_all(&input, stamp).context("rendering the report")?;
    Ok(BuiltReport {
        study_id: study.id().to_string(),
        files,
    })
}

/// What was computed from a study's data: the screening, its rounds and sensitivity, the audits of
/// the published numbers, and the qualitative analyses.
pub struct Analysis {
    /// The screening of the last round.
    pub screening: Vec<analysis::fuzzy::ScreeningRow>,
    /// Every indicator across the rounds; empty for a single round.
    pub trajectories: Vec<Trajectory>,
    /// Every indicator's verdict at each threshold of `Study::sensitivity_thresholds`.
    pub sensitivity: Vec<Verdicts>,
    /// The audit of the published counts and screening tables, when the study has either.
    pub table_audit: Option<analysis::audit::Audit>,
    /// The sample percentages the publication prints, checked against the panels.
    pub(crate) shares_audit: Option<Vec<analysis::published_in_text::ShareSetAudit>>,
    /// The counts the publication prints in its text, checked against the study.
    pub(crate) counts_audit: Option<Vec<analysis::published_in_text::CountAudit>>,
    /// Which scale, method and column reading reproduce the printed screening table, when there is one.
    pub(crate) identification: Option<analysis::identify::Identification>,
    /// Demographics, coding and the link from concepts to indicators.
    pub(crate) qualitative: QualitativeAnalysis,
}

impl Analysis {
    /// The view of study, data and analysis that the report reads.
    pub fn report_input<'a>(
        &'a self,
        study: &'a config::Study,
        data: &'a analysis::StudyData,
    ) -> ReportInput<'a> {
        ReportInput {
            study,
            data,
            screening: &self.screening,
            trajectories: &self.trajectories,
            sensitivity: &self.sensitivity,
            table_audit: self.table_audit.as_ref(),
            shares_audit: self.shares_audit.as_deref(),
            counts_audit: self.counts_audit.as_deref(),
            identification: self.identification.as_ref(),
            qualitative: &self.qualitative,
        }
    }
}

/// Every cell, table, figure and value the study's document can name, in the built-in report's order
/// (each cell, then its tables and figures), each with a one-line description: what
/// `delphi-report cells` prints.
pub fn document_names(study_folder: &Path) -> Result<Vec<report::Entry>> {
    let (study, data) = ingest::load_folder(study_folder)?;
    let analysis = analyse(&study, &data)?;
    report::document_names(&analysis.report_input(&study, &data))
}

/// Renders the study's own documents (none without `document:` in study.yaml) as a build would, so that
/// an unknown name or a syntax error is found without writing anything: each document's path and the
/// number of cells, tables, figures and front pages it places.
pub fn check_documents(
    study: &config::Study,
    data: &analysis::StudyData,
    analysis: &Analysis,
) -> Result<Vec<(String, usize)>> {
    report::check_documents(&analysis.report_input(study, data))
}

/// Reads a study folder and ranks every candidate scale (the presets and the study's own), aggregation,
/// defuzzification and, when the publication prints its counts table, reading of that table's columns,
/// by the printed screening rows each reproduces.
pub fn identify(study_folder: &Path) -> Result<analysis::identify::Identification> {
    let (study, data) = ingest::load_folder(study_folder)?;
    identify_loaded(&study, &data)
}

/// Where [`identify_loaded`] puts the study's own scale among the candidates (named `study.yaml`).
pub const STUDY_SCALE: usize = 0;

/// [`identify`] on a loaded study. Pure: no I/O.
pub fn identify_loaded(
    study: &config::Study,
    data: &analysis::StudyData,
) -> Result<analysis::identify::Identification> {
    use analysis::identify::{identify, CandidateScale, PrintedRow};
    let printed = data.published_screening.as_ref().ok_or_else(|| {
        error::InputError::key(
            &study.file(),
            "data.published.screening",
            "identify needs a printed screening table",
        )
    })?;
    // The printed counts, whose columns may be read in any order; else the ratings' own counts.
    let (counts, permute) = match &data.published_counts {
        Some(table) => (table, true),
        None => (&data.counts, false),
    };
    let rows: Vec<PrintedRow> = data
        .indicators
        .iter()
        .filter_map(|indicator| {
            let row = printed.iter().find(|r| r.indicator == indicator.id)?;
            let counts = counts.rows.iter().find(|r| r.indicator == indicator.id)?;
            Some(PrintedRow {
                counts: counts.counts.clone(),
                means: row.means(),
            })
        })
        .collect();
    // The study's own scale first, at STUDY_SCALE.
    let mut scales = vec![CandidateScale {
        name: config::STUDY_FILE.into(),
        levels: study.scale().to_vec(),
    }];
    scales.extend(
        config::presets::ScalePreset::ALL
            .iter()
            .map(|preset| CandidateScale {
                name: preset.name().into(),
                levels: preset.levels(),
            }),
    );
    Ok(identify(scales, &rows, study.threshold(), permute))
}

/// The top `top` combinations of an identification as a Markdown table, ties said as ties; column
/// readings name the printed columns by `column_names` (the counts table's headers).
pub fn identification_table(
    found: &analysis::identify::Identification,
    column_names: &[String],
    top: usize,
) -> String {
    let mut out = format!(
        "{} printed rows; {} combinations tried ({} column readings per scale).\n\n",
        found.rows,
        found.ranked.len(),
        found.readings
    );
    out.push_str(
        "| Rank | Scale | Aggregation | Defuzzification | Columns read as | Rows reproduced |\n",
    );
    out.push_str("|---|---|---|---|---|---|\n");
    for entry in found.ranked.iter().take(top) {
        let reading = if entry.reads_as_printed() {
            "as printed".to_string()
        } else {
            let moved: Vec<String> = entry
                .reading
                .iter()
                .enumerate()
                .filter(|(column, level)| column != *level)
                .map(|(column, &level)| {
                    let name = column_names
                        .get(column)
                        .cloned()
                        .unwrap_or_else(|| format!("column {}", column + 1));
                    format!("{name} as level {}", level + 1)
                })
                .collect();
            moved.join(", ")
        };
        out.push_str(&format!(
            "| {}{} | {} | {} | {} | {} | {} of {} |\n",
            entry.rank,
            if entry.tied { " (tie)" } else { "" },
            found.scales[entry.scale].name,
            entry.aggregation.name(),
            entry.defuzzification.name(),
            reading,
            entry.reproduced,
            found.rows
        ));
    }
    if let Some(best) = found.ranked.first() {
        let tied = found
            .ranked
            .iter()
            .filter(|r| r.reproduced == best.reproduced)
            .count();
        out.push('\n');
        out.push_str(&if tied > 1 {
            format!(
                "{tied} combinations tie for rank 1, each reproducing {} of {} rows.\n",
                best.reproduced, found.rows
            )
        } else {
            format!(
                "Rank 1 is unique: {} of {} rows.\n",
                best.reproduced, found.rows
            )
        });
    }
    out
}

/// Screens every indicator and audits every published number. Pure: no I/O.
pub fn analyse(study: &config::Study, data: &analysis::StudyData) -> Result<Analysis> {
    if study.threshold_pending() {
        anyhow::bail!(
            "the relative threshold has not been worked out: load the study with ingest::load_folder or call ingest::resolve_threshold"
        );
    }
    let panel = u64::from(study.delphi_experts());
    let mut screened_rounds = Vec::with_capacity(data.rounds.len());
    for round in &data.rounds {
        screened_rounds.push(
            screen_with(
                study.method(),
                study.scale(),
                &round.counts,
                round.weights.as_ref(),
                panel,
            )
            .map_err(anyhow::Error::msg)?,
        );
    }
    let screening = screened_rounds.pop().unwrap_or_default();
    let trajectories = if screened_rounds.is_empty() {
        Vec::new()
    } else {
        screened_rounds.push(screening.clone());
        trajectories(&screened_rounds, study.max_change())
    };
    let sensitivity = sweep(
        &screening,
        study.sensitivity_thresholds(),
        study.method().decision,
    );
    let has_published_tables =
        data.published_counts.is_some() || data.published_screening.is_some();
    let table_audit = has_published_tables.then(|| {
        audit(&AuditInput {
            scale: study.scale(),
            indicators: &data.indicators,
            panel_size: panel,
            threshold: study.threshold(),
            method: *study.method(),
            data_counts: &data.counts,
            screening: &screening,
            published_counts: data.published_counts.as_ref(),
            published_counts_are_ratings: data.published_counts_are_ratings,
            published_screening: data.published_screening.as_deref(),
            experts: data.rounds.last().and_then(|r| r.experts.as_ref()),
        })
    });
    let mut panels = Vec::new();
    if let Some(interviewees) = study.panels().interviewees {
        panels.push((Panel::Interviewees, u64::from(interviewees)));
    }
    // The Delphi panel, and both panels together, only for a study with ratings.
    if study.has_ratings() {
        panels.push((Panel::Delphi, panel));
        if let Some(interviewees) = study.panels().interviewees {
            panels.push((Panel::Both, u64::from(interviewees) + panel));
        }
    }
    let shares_audit = data
        .published_demographics
        .as_ref()
        .map(|sets| audit_shares(sets, &panels, MAX_SAMPLE_SIZE));
    let decided = |status| {
        screening
            .iter()
            .filter(|r| r.result.is_some_and(|s| s.status == status))
            .count() as u64
    };
    let study_counts = StudyCounts {
        indicators: data.indicators.len() as u64,
        components: data.components.len() as u64,
        accepted: decided(Status::Accepted),
        rejected: decided(Status::Rejected),
    };
    let counts_audit = data
        .published_coding_counts
        .as_ref()
        .map(|counts| audit_counts(counts, study_counts));
    let identification = match data.published_screening {
        Some(_) => Some(identify_loaded(study, data)?),
        None => None,
    };
    // The sample's panels and attributes in report order, as the analysis layer takes them.
    let sample: Option<(Vec<String>, Vec<AttributeSpec>)> = study.demographics().map(|config| {
        let panels = config.panels.iter().map(|p| p.id.clone()).collect();
        let attributes = config
            .attributes
            .iter()
            .map(|a| AttributeSpec {
                id: a.id.clone(),
                categories: a.categories.iter().map(|c| c.id.clone()).collect(),
            })
            .collect();
        (panels, attributes)
    });
    let qualitative = QualitativeAnalysis::compute(
        sample
            .as_ref()
            .map(|(panels, attributes)| (panels.as_slice(), attributes.as_slice())),
        data,
        &screening,
    );
    Ok(Analysis {
        screening,
        trajectories,
        sensitivity,
        table_audit,
        shares_audit,
        counts_audit,
        identification,
        qualitative,
    })
}
