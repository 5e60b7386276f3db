//! Command line: parses arguments, runs one subcommand, prints the error chain and returns an exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use delphi_report::catalog::{find_reports, find_studies, FoundStudy, STUDY_ROOTS};
use delphi_report::config::Override;
use delphi_report::drift::diff_reports;
use delphi_report::drift::format::{render, Format, StudyCheck};
use delphi_report::error::{exit_code_for, InputError, EXIT_DRIFT};
use delphi_report::ingest::stream::Progress;
use delphi_report::output::{read_tree, write_report};
use delphi_report::report::manifest::{recorded_overrides, MANIFEST_FILE};
use delphi_report::report::ReportFiles;
use delphi_report::scaffold::{ScaffoldOptions, StudyKind};
use delphi_report::{Lang, Stamp};

/// Regenerates and audits the tables of fuzzy Delphi studies and coded interviews as reports in English, Persian or both.
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
        /// Rebuild every study found under data/ and examples/ (a study is a folder with study.yaml).
        #[arg(long, conflicts_with = "study")]
        all: bool,
        /// Override a setting of study.yaml for this build: a dotted key and a YAML value, such as
        /// method.threshold=0.6 or method.decision=threshold-and-consensus (repeatable). The report
        /// says what was set, manifest.json records it, and `check` rebuilds with it.
        #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override, conflicts_with = "all")]
        set: Vec<Override>,
        #[command(flatten)]
        stamp: StampArgs,
        /// Also print each HTML page to report.<lang>.pdf (an export, not checked; needs Chromium).
        #[arg(long)]
        pdf: bool,
        #[command(flatten)]
        browser: BrowserArg,
    },
    /// Rebuilds in memory and fails (exit 1) if the committed reports differ, saying what changed:
    /// decisions that flip, table cells, other files. The build stamp (commit, timestamp) is taken from
    /// the committed manifest.json.
    Check(CheckArgs),
    /// Prints the built report.<lang>.html pages to report.<lang>.pdf with a headless Chromium-family
    /// browser (A4, no header or footer). PDFs are exports: not in the manifest, not compared by check.
    Pdf {
        #[command(flatten)]
        at: Locations,
        #[command(flatten)]
        browser: BrowserArg,
        /// Seconds since 1970-01-01 UTC: the PDFs' creation and modification dates.
        #[arg(long, env = "SOURCE_DATE_EPOCH")]
        source_date_epoch: Option<u64>,
    },
    /// Checks a study folder (configuration, every data file, the study's documents) and computes it,
    /// without writing anything.
    Validate {
        #[command(flatten)]
        at: StudyFolder,
        /// Override a setting of study.yaml, as for build-report (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override)]
        set: Vec<Override>,
    },
    /// Ranks every preset scale and the study's own, every aggregation and defuzzification and, when a
    /// printed counts table is given, every reading of its columns, by the printed screening rows each
    /// reproduces at printed precision; prints the top 10.
    Identify(StudyFolder),
    /// Lists every cell, table, figure and value the study's document can name, one per line: the
    /// kind, the id (what `{{ cell("<id>") }}` and the others take) and a one-line description.
    Cells(StudyFolder),
    /// Creates a new study folder: a commented study.yaml, headers-only data files and a README; with
    /// --from-survey, a study whose indicators are the export's questions.
    Init {
        /// The folder to create (or an empty folder to fill).
        dir: PathBuf,
        /// A survey export (.csv, or .xlsx): every question column becomes an indicator, metadata
        /// columns (timestamp, e-mail, name, start and end time, id) are ignored, and the answers found
        /// are matched to the preset scales. The export is copied into the new folder.
        #[arg(long, value_name = "EXPORT")]
        from_survey: Option<PathBuf>,
        /// The worksheet of an .xlsx export (the first one when absent).
        #[arg(long, requires = "from_survey")]
        sheet: Option<String>,
        /// What the study has: ratings (a fuzzy Delphi study: indicators, scale, method, ratings),
        /// coding (coded interviews and a codebook) or both.
        #[arg(
            long,
            value_enum,
            default_value = "ratings",
            conflicts_with = "from_survey"
        )]
        kind: KindArg,
        /// The report languages, comma-separated, the primary one first (default: en,fa).
        #[arg(long, value_delimiter = ',', value_parser = parse_language)]
        languages: Vec<Lang>,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    at: Locations,
    /// Check every study found under data/ and examples/ against its report folder under <out>
    /// (each report folder's manifest names its study).
    #[arg(long, conflicts_with = "study")]
    all: bool,
    /// text (for a terminal), markdown (for $GITHUB_STEP_SUMMARY or a pull-request comment) or json
    /// (schema in the README).
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// The most cells (and rows, decisions) listed per table; the rest are counted.
    #[arg(long, default_value_t = 50)]
    max_cells: usize,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum KindArg {
    Ratings,
    Coding,
    Both,
}

/// A language of the languages table, by its code.
fn parse_language(code: &str) -> Result<Lang, String> {
    Lang::from_code(code.trim()).ok_or_else(|| {
        format!(
            "unknown language '{code}'; the languages are {}",
            Lang::known_codes()
        )
    })
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Text,
    Markdown,
    Json,
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

/// The browser that prints PDFs.
#[derive(clap::Args)]
struct BrowserArg {
    /// A Chromium-family browser (default: chromium, chromium-browser or google-chrome on PATH).
    #[arg(long, env = "DELPHI_REPORT_BROWSER")]
    browser: Option<PathBuf>,
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

fn parse_override(text: &str) -> Result<Override, String> {
    Override::parse(text)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::BuildReport {
            at,
            all,
            set,
            stamp,
            pdf,
            browser,
        } => build_report(
            &at,
            all,
            &set,
            &Stamp {
                source_date_epoch: stamp.source_date_epoch,
                git_commit: stamp.git_commit,
            },
            pdf.then_some(&browser),
        ),
        Command::Pdf {
            at,
            browser,
            source_date_epoch,
        } => pdf(&at, &browser, source_date_epoch),
        Command::Check(args) => check(&args),
        Command::Validate { at, set } => validate(&at, &set),
        Command::Identify(at) => identify(&at),
        Command::Cells(at) => cells(&at),
        Command::Init {
            dir,
            from_survey,
            sheet,
            kind,
            languages,
        } => {
            let options = ScaffoldOptions {
                kind: match kind {
                    KindArg::Ratings => StudyKind::Ratings,
                    KindArg::Coding => StudyKind::Coding,
                    KindArg::Both => StudyKind::Both,
                },
                languages: if languages.is_empty() {
                    Lang::defaults()
                } else {
                    languages
                },
            };
            init(&dir, from_survey.as_deref(), sheet.as_deref(), &options)
        }
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

/// Builds one study in memory, with a progress bar while a large ratings file is read.
fn build_in_memory(
    study: &Path,
    overrides: &[Override],
    stamp: &Stamp,
) -> Result<delphi_report::BuiltReport> {
    let (bar, progress) = progress_bar();
    let build = delphi_report::build_report_with(study, overrides, stamp, Some(progress));
    bar.finish_and_clear();
    build
}

/// The study folders `--all` covers, found under the study roots of the working directory.
fn all_studies() -> Result<Vec<FoundStudy>> {
    let roots: Vec<PathBuf> = STUDY_ROOTS.iter().map(PathBuf::from).collect();
    let studies = find_studies(&roots)?;
    if studies.is_empty() {
        return Err(InputError::file(
            Path::new("."),
            format!(
                "no study folder (a folder holding study.yaml) under {}",
                STUDY_ROOTS.join(" or ")
            ),
        )
        .into());
    }
    Ok(studies)
}

fn build_report(
    at: &Locations,
    all: bool,
    set: &[Override],
    stamp: &Stamp,
    pdf: Option<&BrowserArg>,
) -> Result<u8> {
    // Find the browser before building, so that a missing one fails before anything is written.
    let browser = pdf
        .map(|b| delphi_report::pdf::find_browser(b.browser.as_deref()))
        .transpose()?;
    let folders = if all {
        all_studies()?.into_iter().map(|s| s.folder).collect()
    } else {
        vec![at.study.clone()]
    };
    // Every study is built before any is written, so that bad input in one leaves all reports as
    // they were.
    let mut builds = Vec::with_capacity(folders.len());
    for folder in &folders {
        builds.push(build_in_memory(folder, set, stamp)?);
    }
    for build in &builds {
        let folder = write_report(&at.out, &build.study_id, &build.files)?;
        println!("wrote {} files to {}", build.files.len(), folder.display());
        if let Some(browser) = &browser {
            print_pdfs(&folder, browser, stamp.source_date_epoch)?;
        }
    }
    Ok(0)
}

fn pdf(at: &Locations, browser: &BrowserArg, source_date_epoch: Option<u64>) -> Result<u8> {
    let browser = delphi_report::pdf::find_browser(browser.browser.as_deref())?;
    let study = delphi_report::config::Study::load(&at.study)?;
    print_pdfs(&at.out.join(study.id()), &browser, source_date_epoch)?;
    Ok(0)
}

fn print_pdfs(
    folder: &std::path::Path,
    browser: &std::path::Path,
    epoch: Option<u64>,
) -> Result<()> {
    for written in delphi_report::pdf::export(folder, browser, epoch)? {
        println!("wrote {}", written.display());
    }
    Ok(())
}

/// Rebuilds one study and compares it with its committed report folder under `out`.
fn check_study(study_folder: &Path, out: &Path) -> Result<StudyCheck> {
    let study_id = delphi_report::config::Study::load(study_folder)?
        .id()
        .to_string();
    let report_folder = out.join(&study_id);
    let report_folder_missing = !report_folder.is_dir();
    let committed = if report_folder_missing {
        ReportFiles::new()
    } else {
        read_tree(&report_folder)?
    };
    // The stamp is the one thing the inputs do not determine: reuse the committed one, so that a
    // recorded commit or timestamp never counts as drift while every other byte is compared. The
    // settings `--set` overrode are rebuilt as recorded.
    let manifest = committed
        .get(MANIFEST_FILE)
        .and_then(|bytes| std::str::from_utf8(bytes).ok());
    let stamp = manifest
        .and_then(|text| Stamp::from_manifest(text).ok())
        .unwrap_or_default();
    let overrides = match manifest {
        Some(text) => recorded_overrides(text)
            .map_err(|e| InputError::file(&report_folder.join(MANIFEST_FILE), format!("{e:#}")))?,
        None => Vec::new(),
    };
    let build = build_in_memory(study_folder, &overrides, &stamp)?;
    Ok(StudyCheck {
        study: study_id,
        study_folder: study_folder.display().to_string(),
        report_folder: report_folder.display().to_string(),
        report_folder_missing,
        diff: diff_reports(&committed, &build.files),
    })
}

fn check(args: &CheckArgs) -> Result<u8> {
    let out = &args.at.out;
    let mut checks = Vec::new();
    if args.all {
        let studies = all_studies()?;
        // Every report folder must belong to a study found: a report whose study is gone is stale.
        for report in find_reports(out)? {
            if !studies.iter().any(|s| s.id == report.study) {
                let found: Vec<&str> = studies.iter().map(|s| s.id.as_str()).collect();
                return Err(InputError::file(
                    &report.folder.join(MANIFEST_FILE),
                    format!(
                        "names the study '{}', which no study folder under {} has (found: {})",
                        report.study,
                        STUDY_ROOTS.join(" or "),
                        found.join(", ")
                    ),
                )
                .into());
            }
        }
        for study in &studies {
            checks.push(check_study(&study.folder, out)?);
        }
    } else {
        checks.push(check_study(&args.at.study, out)?);
    }
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Json => Format::Json,
    };
    print!("{}", render(&checks, format, args.max_cells));
    if checks.iter().any(StudyCheck::drifted) {
        Ok(EXIT_DRIFT)
    } else {
        Ok(0)
    }
}

/// `1 indicator`, `2 indicators`: a count with its noun in the right number.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn validate(at: &StudyFolder, set: &[Override]) -> Result<u8> {
    let (study, data) = delphi_report::ingest::load_folder_with(&at.study, set)?;
    let analysis = delphi_report::analyse(&study, &data)?;
    let mut parts = Vec::new();
    if study.has_ratings() {
        let grouped = if data.components.is_empty() {
            "(no components)".to_string()
        } else {
            format!(
                "in {}",
                count(data.components.len(), "component", "components")
            )
        };
        parts.push(format!(
            "{} {grouped}, {} of ratings, panel of {}",
            count(data.indicators.len(), "indicator", "indicators"),
            count(data.rounds.len(), "round", "rounds"),
            study.delphi_experts()
        ));
    }
    if let Some(coded) = &data.coding {
        parts.push(format!(
            "{} in {}, {} in the codebook",
            count(coded.segments.len(), "coding", "codings"),
            count(coded.documents.len(), "document", "documents"),
            count(coded.codes.len(), "code", "codes"),
        ));
    }
    println!(
        "{}: study '{}' ({}), {}",
        at.study.display(),
        study.id(),
        study
            .languages()
            .iter()
            .map(|l| l.code())
            .collect::<Vec<_>>()
            .join(", "),
        parts.join("; ")
    );
    for input in &data.inputs {
        println!(
            "  read {} ({}): {}",
            input.path,
            input.role,
            // A document is text: its size is in lines, a table's in data rows.
            if input.role.is_text() {
                count(input.rows, "line", "lines")
            } else {
                count(input.rows, "row", "rows")
            }
        );
    }
    // The study's documents are rendered too: every name they use must be one the study has.
    for (path, parts) in delphi_report::check_documents(&study, &data, &analysis)? {
        println!("  document {path}: {parts} parts placed, every name known");
    }
    let incomplete: Vec<String> = analysis
        .screening
        .iter()
        .filter(|r| !r.complete)
        .map(|r| {
            format!(
                "{} ({})",
                r.indicator,
                count(r.responses as usize, "response", "responses")
            )
        })
        .collect();
    if !incomplete.is_empty() {
        println!(
            "  note: {} not have {} responses; {} computed from what {}: {}",
            count(incomplete.len(), "indicator does", "indicators do"),
            study.delphi_experts(),
            if incomplete.len() == 1 {
                "it is"
            } else {
                "they are"
            },
            if incomplete.len() == 1 {
                "it has"
            } else {
                "they have"
            },
            incomplete.join(", ")
        );
    }
    if study.has_ratings() {
        let accepted = analysis
            .screening
            .iter()
            .filter(|r| {
                r.result
                    .is_some_and(|s| s.status == delphi_report::analysis::Status::Accepted)
            })
            .count();
        println!(
            "valid: {accepted} of {} accepted at threshold {}",
            count(analysis.screening.len(), "indicator", "indicators"),
            study.threshold().to_f64()
        );
    } else {
        println!("valid: the coded interviews are read (no ratings to screen)");
    }
    Ok(0)
}

fn identify(at: &StudyFolder) -> Result<u8> {
    let (study, data) = delphi_report::ingest::load_folder(&at.study)?;
    let found = delphi_report::identify_loaded(&study, &data)?;
    let columns: Vec<String> = study.scale().iter().map(|l| l.id.clone()).collect();
    print!(
        "{}",
        delphi_report::identification_table(&found, &columns, 10)
    );
    Ok(0)
}

fn cells(at: &StudyFolder) -> Result<u8> {
    let names = delphi_report::document_names(&at.study)?;
    let width = names
        .iter()
        .map(|n| n.id.chars().count())
        .max()
        .unwrap_or(0);
    for name in &names {
        println!(
            "{:<6}  {:<width$}  {}",
            name.kind.name(),
            name.id,
            name.description
        );
    }
    Ok(0)
}

fn init(
    dir: &Path,
    from_survey: Option<&Path>,
    sheet: Option<&str>,
    options: &ScaffoldOptions,
) -> Result<u8> {
    let written = match from_survey {
        Some(export) => {
            delphi_report::scaffold::init_from_survey(export, dir, sheet, &options.languages)?
        }
        None => delphi_report::scaffold::init(dir, options)?,
    };
    for path in &written {
        println!("wrote {}", path.display());
    }
    if from_survey.is_some() {
        println!(
            "next: choose the scale in {0}/study.yaml (its comments list the presets that read the answers), then `delphi-report validate --study {0}`",
            dir.display()
        );
    } else {
        println!(
            "next: fill in the files, then `delphi-report validate --study {0}` and `delphi-report build-report --study {0}`",
            dir.display()
        );
    }
    Ok(0)
}
