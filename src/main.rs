//! Command line: parses arguments, runs one subcommand, prints the error chain and returns an exit code.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use delphi_report::error::{exit_code_for, EXIT_DRIFT};
use delphi_report::ingest::stream::Progress;
use delphi_report::output::{compare_trees, write_report, write_tree};
use delphi_report::report::manifest::MANIFEST_FILE;
use delphi_report::Stamp;

/// Regenerates and audits the tables of fuzzy Delphi studies as bilingual (English and Persian) reports.
#[derive(Parser)]
#[command(name = "delphi-report", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Reads a study folder, computes its tables and writes the reports into <out>/<study id>/.
    BuildReport {
        #[command(flatten)]
        at: Locations,
        #[command(flatten)]
        stamp: StampArgs,
    },
    /// Rebuilds into a temporary folder and fails (exit 1) if the committed reports differ.
    /// The build stamp (commit, timestamp) is taken from the committed manifest.json.
    Check(Locations),
    /// Checks a study folder (configuration and every data file) and computes it, without writing anything.
    Validate(StudyFolder),
    /// Ranks every preset scale and the study's own, every aggregation and defuzzification and, when a
    /// printed counts table is given, every reading of its columns, by the printed screening rows each
    /// reproduces at printed precision; prints the top 10.
    Identify(StudyFolder),
    /// Creates a new study folder: a commented study.yaml, headers-only data files and a README.
    Init {
        /// The folder to create (or an empty folder to fill).
        dir: PathBuf,
    },
}

#[derive(clap::Args)]
struct StudyFolder {
    /// The study folder (holding study.yaml).
    #[arg(long, default_value = "data/htsme-2024")]
    study: PathBuf,
}

#[derive(clap::Args)]
struct Locations {
    /// The study folder (holding study.yaml).
    #[arg(long, default_value = "data/htsme-2024")]
    study: PathBuf,
    /// The folder that holds one report folder per study.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
}

/// What a build may record about itself; nothing unless given.
#[derive(clap::Args)]
struct StampArgs {
    /// Record this git commit in manifest.json (for example "$(git rev-parse HEAD)"). Leave it out for
    /// the committed reports: a commit cannot name itself, so `check` would never match.
    #[arg(long, env = "DELPHI_REPORT_GIT_COMMIT", value_parser = parse_commit)]
    git_commit: Option<String>,
    /// Seconds since 1970-01-01 UTC: the only timestamp a build records (manifest and workbooks).
    #[arg(long, env = "SOURCE_DATE_EPOCH")]
    source_date_epoch: Option<u64>,
}

fn parse_commit(text: &str) -> Result<String, String> {
    Stamp::check_commit(text)
        .map(|()| text.to_string())
        .map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::BuildReport { at, stamp } => build_report(
            &at,
            &Stamp {
                source_date_epoch: stamp.source_date_epoch,
                git_commit: stamp.git_commit,
            },
        ),
        Command::Check(at) => check(&at),
        Command::Validate(at) => validate(&at),
        Command::Identify(at) => identify(&at),
        Command::Init { dir } => init(&dir),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(exit_code_for(&error))
        }
    }
}

/// A progress bar on stderr for ratings files that take over a second to read; indicatif hides it when
/// stderr is not a terminal.
fn progress_bar() -> (ProgressBar, Progress) {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:30}] {binary_bytes}/{binary_total_bytes}, {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("reading ratings");
    let shown = bar.clone();
    let started = Instant::now();
    let report: Progress = Arc::new(move |done, total| {
        if shown.is_hidden() && started.elapsed() >= Duration::from_secs(1) {
            shown.set_draw_target(ProgressDrawTarget::stderr());
        }
        shown.set_length(total);
        shown.set_position(done);
    });
    (bar, report)
}

fn build(at: &Locations, stamp: &Stamp) -> Result<delphi_report::Build> {
    let (bar, progress) = progress_bar();
    let build = delphi_report::build_with(&at.study, stamp, Some(progress));
    bar.finish_and_clear();
    build
}

fn build_report(at: &Locations, stamp: &Stamp) -> Result<u8> {
    let build = build(at, stamp)?;
    let folder = write_report(&at.out, &build.study_id, &build.files)?;
    println!("wrote {} files to {}", build.files.len(), folder.display());
    Ok(0)
}

fn check(at: &Locations) -> Result<u8> {
    let study_id = delphi_report::config::Study::load(&at.study)?.config.id;
    let committed = at.out.join(&study_id);
    // The stamp is the one thing the inputs do not determine: reuse the committed one, so that a
    // recorded commit or timestamp never counts as drift while every other byte is compared.
    let stamp = std::fs::read_to_string(committed.join(MANIFEST_FILE))
        .ok()
        .and_then(|text| Stamp::from_manifest(&text).ok())
        .unwrap_or_default();
    let build = build(at, &stamp)?;
    let scratch = tempfile::tempdir().context("cannot create a temporary folder")?;
    write_tree(scratch.path(), &build.files)?;
    let drift = compare_trees(scratch.path(), &committed)?;
    if drift.is_empty() {
        println!(
            "{}: all {} files are up to date",
            committed.display(),
            build.files.len()
        );
        return Ok(0);
    }
    for file in &drift.changed {
        eprintln!("differs: {}", committed.join(file).display());
    }
    for file in &drift.missing {
        eprintln!("missing: {}", committed.join(file).display());
    }
    for file in &drift.unexpected {
        eprintln!(
            "not produced by the build: {}",
            committed.join(file).display()
        );
    }
    eprintln!(
        "{}: the committed reports have drifted; run `cargo run -- build-report` and commit",
        committed.display()
    );
    Ok(EXIT_DRIFT)
}

fn validate(at: &StudyFolder) -> Result<u8> {
    let study = delphi_report::config::Study::load(&at.study)?;
    let data = delphi_report::ingest::load(&study)?;
    let analysis = delphi_report::analyse(&study, &data)?;
    let config = &study.config;
    println!(
        "{}: study '{}', {} indicators in {} components, {} round(s) of ratings, panel of {}",
        at.study.display(),
        config.id,
        data.indicators.len(),
        data.components.len(),
        data.rounds.len(),
        config.panels.delphi_experts
    );
    for input in &data.inputs {
        println!(
            "  read {} ({}): {} rows",
            input.path, input.role, input.rows
        );
    }
    let incomplete: Vec<String> = analysis
        .screening
        .iter()
        .filter(|r| !r.complete)
        .map(|r| format!("{} ({} responses)", r.indicator, r.responses))
        .collect();
    if !incomplete.is_empty() {
        println!(
            "  note: {} indicator(s) do not have {} responses; they are computed from what they have: {}",
            incomplete.len(),
            config.panels.delphi_experts,
            incomplete.join(", ")
        );
    }
    let accepted = analysis
        .screening
        .iter()
        .filter(|r| {
            r.result
                .is_some_and(|s| s.status == delphi_report::analysis::Status::Accepted)
        })
        .count();
    println!(
        "valid: {accepted} of {} indicators accepted at threshold {}",
        analysis.screening.len(),
        study.threshold.to_f64()
    );
    Ok(0)
}

fn identify(at: &StudyFolder) -> Result<u8> {
    let study = delphi_report::config::Study::load(&at.study)?;
    let data = delphi_report::ingest::load(&study)?;
    let found = delphi_report::identify_loaded(&study, &data)?;
    let columns: Vec<String> = study.scale.iter().map(|l| l.id.clone()).collect();
    print!(
        "{}",
        delphi_report::identification_table(&found, &columns, 10)
    );
    Ok(0)
}

fn init(dir: &std::path::Path) -> Result<u8> {
    let written = delphi_report::scaffold::init(dir)?;
    for path in &written {
        println!("wrote {}", path.display());
    }
    println!(
        "next: fill in the files, then `delphi-report validate --study {0}` and `delphi-report build-report --study {0}`",
        dir.display()
    );
    Ok(0)
}
