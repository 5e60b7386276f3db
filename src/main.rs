//! Command line: parses arguments, runs one subcommand, prints the error chain and returns an exit code.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget};

use delphi_report::error::{exit_code_for, EXIT_DRIFT};
use delphi_report::ingest::stream::Progress;
use delphi_report::output::{compare_trees, write_report, write_tree};

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
    BuildReport(Locations),
    /// Rebuilds into a temporary folder and fails (exit 1) if the committed reports differ.
    Check(Locations),
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::BuildReport(at) => build_report(&at),
        Command::Check(at) => check(&at),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(exit_code_for(&error))
        }
    }
}

/// A spinner on stderr for ingests that take over a second; indicatif hides it when stderr is not a terminal.
fn progress_spinner() -> (ProgressBar, Progress) {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    let shown = bar.clone();
    let started = Instant::now();
    let report: Progress = Arc::new(move |rows| {
        if shown.is_hidden() && started.elapsed() >= Duration::from_secs(1) {
            shown.set_draw_target(ProgressDrawTarget::stderr());
        }
        shown.set_message(format!("counting ratings: {rows} rows"));
        shown.tick();
    });
    (bar, report)
}

fn build(at: &Locations) -> Result<delphi_report::Build> {
    let (bar, progress) = progress_spinner();
    let build = delphi_report::build_with_progress(&at.study, Some(progress));
    bar.finish_and_clear();
    build
}

fn build_report(at: &Locations) -> Result<u8> {
    let build = build(at)?;
    let folder = write_report(&at.out, &build.study_id, &build.files)?;
    println!("wrote {} files to {}", build.files.len(), folder.display());
    Ok(0)
}

fn check(at: &Locations) -> Result<u8> {
    let build = build(at)?;
    let scratch = tempfile::tempdir().context("cannot create a temporary folder")?;
    write_tree(scratch.path(), &build.files)?;
    let committed = at.out.join(&build.study_id);
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
