//! End-to-end benchmark: synthetic long ratings from 10^3 to 10^7, timed per stage with peak memory,
//! against the polars floor (scan + count) and a pandas peer. Run with
//! `cargo bench --features bench-floor --bench pipeline` (the feature compiles polars' lazy engine for the floor).
//!
//! Each measurement runs in a child process (this binary re-invoked with `--child ...`) so that its
//! peak resident memory (VmHWM) is its own.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use polars::prelude::*;

/// (indicators, experts): ratings = indicators x experts, from 10^3 to 10^7.
const SIZES: [(usize, usize); 5] = [
    (20, 50),
    (100, 100),
    (200, 500),
    (500, 2_000),
    (1_000, 10_000),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--child-pipeline") => child_pipeline(Path::new(&args[1])),
        Some("--child-floor") => child_floor(Path::new(&args[1])),
        // `cargo bench --features bench-floor --bench pipeline -- --audit-only`: the audit's searches
        // alone, printed, RESULTS.md left as it is.
        _ if args.iter().any(|a| a == "--audit-only") => print!("{}", audit_figures()),
        _ => {
            // `cargo bench` passes `--bench`; `--quick` stops at 10^5 ratings.
            let quick = args.iter().any(|a| a == "--quick");
            run(quick);
        }
    }
}

fn bench_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data")
}

/// Writes a synthetic study with `indicators x experts` long ratings. Deterministic: a fixed LCG.
fn generate_study(folder: &Path, indicators: usize, experts: usize) {
    fs::create_dir_all(folder).unwrap();
    let reference = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/htsme-2024/study.yaml"),
    )
    .unwrap();
    let scale_start = reference.find("scale:").unwrap();
    let scale_end = reference.find("method:").unwrap();
    let study = format!(
        "# SYNTHETIC benchmark study: {indicators} indicators x {experts} experts.\n\
         id: bench\ntitle: {{en: Synthetic benchmark, fa: محک مصنوعی}}\npanels: {{delphi_experts: {experts}}}\n{}\
         method: {{aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}}\n\
         data:\n  components: components.csv\n  indicators: indicators.csv\n  ratings: {{shape: long, path: ratings.csv}}\n",
        &reference[scale_start..scale_end]
    );
    fs::write(folder.join("study.yaml"), study).unwrap();
    let components = 10.min(indicators);
    let mut text = String::from("id,name_fa,name_en,name_en_source\n");
    for c in 0..components {
        writeln!(text, "C{c},مولفه {c},Component {c},paper").unwrap();
    }
    fs::write(folder.join("components.csv"), text).unwrap();
    let mut text = String::from("id,component,name_fa,name_en,name_en_source\n");
    for i in 0..indicators {
        writeln!(
            text,
            "I{i:04},C{},شاخص {i},Indicator {i},translation",
            i % components
        )
        .unwrap();
    }
    fs::write(folder.join("indicators.csv"), text).unwrap();
    let mut file = std::io::BufWriter::new(fs::File::create(folder.join("ratings.csv")).unwrap());
    writeln!(file, "expert,indicator,rating").unwrap();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for e in 0..experts {
        for i in 0..indicators {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            // Skewed towards the upper levels, as real panels are.
            let rating = [1, 2, 3, 3, 4, 4, 4, 5, 5, 5][(state >> 33) as usize % 10];
            writeln!(file, "E{e:05},I{i:04},{rating}").unwrap();
        }
    }
    file.flush().unwrap();
}

fn peak_rss_kib() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The whole pipeline, stage by stage; prints `ingest compute render write total peak_kib`.
fn child_pipeline(study_folder: &Path) {
    let start = Instant::now();
    let study = delphi_report::config::Study::load(study_folder).unwrap();
    let data = delphi_report::ingest::load(&study).unwrap();
    let ingested = Instant::now();
    let analysis = delphi_report::analyse(&study, &data).unwrap();
    let computed = Instant::now();
    let files = delphi_report::report::render_all(
        &analysis.report_input(&study, &data),
        &delphi_report::Stamp::default(),
    )
    .unwrap();
    let rendered = Instant::now();
    let out = study_folder.join("out");
    delphi_report::output::write_report(&out, study.id(), &files).unwrap();
    let written = Instant::now();
    println!(
        "{} {} {} {} {} {}",
        (ingested - start).as_secs_f64(),
        (computed - ingested).as_secs_f64(),
        (rendered - computed).as_secs_f64(),
        (written - rendered).as_secs_f64(),
        (written - start).as_secs_f64(),
        peak_rss_kib()
    );
}

/// The floor: polars alone scanning the file and counting per indicator and level.
fn child_floor(ratings: &Path) {
    let start = Instant::now();
    let counts = LazyCsvReader::new(PlRefPath::try_from_path(ratings).unwrap())
        .with_has_header(true)
        .finish()
        .unwrap()
        .group_by([col("indicator"), col("rating")])
        .agg([len()])
        .collect_with_engine(Engine::Streaming)
        .unwrap()
        .unwrap_single();
    assert!(counts.height() > 0);
    println!("{} {}", start.elapsed().as_secs_f64(), peak_rss_kib());
}

fn run_child(args: &[&str]) -> Vec<f64> {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect()
}

/// The run with the median `key` (its other figures come with it).
fn median_by<T>(mut runs: Vec<T>, key: impl Fn(&T) -> f64) -> T {
    runs.sort_by(|a, b| key(a).total_cmp(&key(b)));
    let middle = runs.len() / 2;
    runs.swap_remove(middle)
}

fn pandas_python() -> Option<PathBuf> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/.venv/bin/python");
    python.exists().then_some(python)
}

fn run_pandas(python: &Path, ratings: &Path, out: &Path) -> (f64, u64) {
    fs::create_dir_all(out).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peer_pandas.py");
    let start = Instant::now();
    let output = Command::new(python)
        .arg(script)
        .arg(ratings)
        .arg(out)
        .output()
        .unwrap();
    let wall = start.elapsed().as_secs_f64();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = String::from_utf8_lossy(&output.stdout);
    let peak = line
        .split("\"peak_kib\": ")
        .nth(1)
        .and_then(|v| v.trim().trim_end_matches('}').parse().ok())
        .unwrap_or(0);
    (wall, peak)
}

/// Least-squares slope of log(time) against log(ratings).
fn fitted_exponent(points: &[(f64, f64)]) -> f64 {
    let logs: Vec<(f64, f64)> = points.iter().map(|(x, y)| (x.ln(), y.ln())).collect();
    let n = logs.len() as f64;
    let (mx, my) = (
        logs.iter().map(|p| p.0).sum::<f64>() / n,
        logs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let num: f64 = logs.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let den: f64 = logs.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    num / den
}

fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        })
        .map(|kib| format!("{:.0} GiB", kib as f64 / 1_048_576.0))
        .unwrap_or_default();
    format!("{cpu}, {cores} cores available, {memory} memory")
}

/// Median seconds of `runs` calls of `work`.
fn median_seconds(runs: usize, mut work: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

/// The audit's searches (issue 14): dropped respondents on a SYNTHETIC 60-expert panel whose printed
/// table was computed without its first expert (60 singles and 1770 pairs, 48 indicators), the whole
/// audit of that study, and `identify` on the reference study (3 five-level scales x 3 aggregations x
/// 4 defuzzifications x 120 column readings). Targets: under 2 s each (the whole audit's too: its joint
/// feasibility searches took 7 to 8 s until the count vectors were searched by value).
fn audit_figures() -> String {
    use delphi_report::analysis::audit::{audit, AuditInput};
    use delphi_report::analysis::feasibility::PrintedMeans;
    use delphi_report::analysis::fuzzy::{screen_counts, screen_with};
    use delphi_report::analysis::respondents::{search, PrintedIndicator};
    use delphi_report::analysis::{
        CountsRow, CountsTable, ExpertRatings, Indicator, PrintedCell, PublishedScreeningRow,
    };
    use delphi_report::domain::{Lang, Method, Names};
    use delphi_report::number::{Exact, Printed};

    const EXPERTS: usize = 60;
    const INDICATORS: usize = 48;
    let scale = delphi_report::config::presets::ScalePreset::FivePointQuarters.levels();
    let method = Method::paper(Exact::new(1, 2).unwrap());
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut cells = Vec::with_capacity(EXPERTS * INDICATORS);
    for _ in 0..EXPERTS * INDICATORS {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        cells.push([1u8, 2, 3, 3, 4, 4, 4, 5, 5, 5][(state >> 33) as usize % 10]);
    }
    let names: Vec<String> = (0..EXPERTS).map(|e| format!("E{e:02}")).collect();
    let ratings = ExpertRatings::new(names, INDICATORS, cells.clone()).unwrap();
    let counts_of = |from: usize| -> Vec<Vec<u64>> {
        (0..INDICATORS)
            .map(|i| {
                let mut c = vec![0u64; 5];
                for e in from..EXPERTS {
                    c[usize::from(cells[e * INDICATORS + i] - 1)] += 1;
                }
                c
            })
            .collect()
    };
    let everyone = counts_of(0);
    let printed_means: Vec<PrintedMeans> = counts_of(1)
        .iter()
        .map(|c| {
            let s = screen_counts(&method, &scale, c, None).unwrap();
            let p = |v: delphi_report::number::Num| {
                Some(Printed::parse(&v.round_half_away(3)).unwrap())
            };
            PrintedMeans {
                l: p(s.fuzzy.l),
                m: p(s.fuzzy.m),
                u: p(s.fuzzy.u),
                crisp: p(s.crisp),
                status: Some(s.status),
            }
        })
        .collect();
    let printed: Vec<PrintedIndicator> = printed_means
        .iter()
        .enumerate()
        .map(|(position, means)| PrintedIndicator {
            position,
            means: PrintedMeans {
                status: None,
                ..*means
            },
            counts: None,
        })
        .collect();
    let mut exact = None;
    let search_s = median_seconds(5, || {
        let found = search(&method, &scale, &ratings, &everyone, &printed, true);
        exact = found.exact().map(|c| c.experts.clone());
    });
    assert_eq!(exact, Some(vec!["E00".to_string()]));

    // The whole audit of the same study, through its public input.
    let indicators: Vec<Indicator> = (0..INDICATORS)
        .map(|i| Indicator {
            id: format!("I{i:02}"),
            number: i + 1,
            component: "c".into(),
            name: Names::of(&[
                (Lang::EN, format!("Indicator {i}")),
                (Lang::FA, format!("شاخص {i}")),
            ]),
            translated: Vec::new(),
        })
        .collect();
    let table = CountsTable {
        levels: scale.iter().map(|l| l.id.clone()).collect(),
        rows: indicators
            .iter()
            .zip(&everyone)
            .map(|(i, c)| CountsRow {
                indicator: i.id.clone(),
                counts: c.clone(),
            })
            .collect(),
    };
    let cell = |p: Option<Printed>| {
        let text = p.map(|p| p.canonical()).unwrap_or_default();
        PrintedCell { value: p, text }
    };
    let published: Vec<PublishedScreeningRow> = indicators
        .iter()
        .zip(&printed_means)
        .map(|(i, m)| PublishedScreeningRow {
            indicator: i.id.clone(),
            l: cell(m.l),
            m: cell(m.m),
            u: cell(m.u),
            crisp: cell(m.crisp),
            status: m.status,
        })
        .collect();
    let screening = screen_with(&method, &scale, &table, None, EXPERTS as u64).unwrap();
    let audit_s = median_seconds(5, || {
        let audited = audit(&AuditInput {
            scale: &scale,
            indicators: &indicators,
            panel_size: EXPERTS as u64,
            threshold: method.threshold,
            method,
            data_counts: &table,
            screening: &screening,
            published_counts: None,
            published_counts_are_ratings: false,
            published_screening: Some(&published),
            experts: Some(&ratings),
        });
        assert!(matches!(&audited.respondents, Some(Ok(s)) if s.exact().is_some()));
    });

    let reference = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/htsme-2024");
    let study = delphi_report::config::Study::load(&reference).unwrap();
    let data = delphi_report::ingest::load(&study).unwrap();
    let mut combinations = 0;
    let identify_s = median_seconds(5, || {
        combinations = delphi_report::identify_loaded(&study, &data)
            .unwrap()
            .ranked
            .len();
    });
    let verdict = |s: f64| if s < 2.0 { "met" } else { "NOT met" };
    format!(
        "Audit searches (issue 14), median of 5 runs:\n\n\
         - dropped respondents, 60 experts x 48 indicators (60 singles + 1770 pairs, removed and \
         duplicated): {:.3} s, {} (target < 2 s); the whole audit of that study (count vectors of 60 \
         ratings, panel sizes, respondents): {:.3} s, {} (target < 2 s)\n\
         - identify on the reference study ({combinations} combinations): {:.3} s, {} (target < 2 s)\n",
        search_s,
        verdict(search_s),
        audit_s,
        verdict(audit_s),
        identify_s,
        verdict(identify_s)
    )
}

fn run(quick: bool) {
    // Self-check of the fit: y = 3 x^1.5 at x = 10, 100, 1000 has slope 1.5 exactly.
    let power_law: Vec<(f64, f64)> = [10.0f64, 100.0, 1000.0]
        .iter()
        .map(|&x| (x, 3.0 * x.powf(1.5)))
        .collect();
    assert!((fitted_exponent(&power_law) - 1.5).abs() < 1e-9);
    let root = bench_root();
    let binary = env!("CARGO_BIN_EXE_delphi-report");
    let mut report = String::new();
    writeln!(report, "# Benchmark results\n").unwrap();
    writeln!(
        report,
        "Command: `cargo bench --features bench-floor --bench pipeline` (release profile). Machine: {}.\n",
        machine()
    )
    .unwrap();

    // The reference study end to end, as a user runs it: the release binary, every output.
    let out = root.join("reference-out");
    let reference = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/htsme-2024");
    let mut walls: Vec<f64> = (0..21)
        .map(|_| {
            let start = Instant::now();
            let status = Command::new(binary)
                .args([
                    "build-report",
                    "--study",
                    reference.to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                ])
                .stdout(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            start.elapsed().as_secs_f64()
        })
        .collect();
    walls.sort_by(f64::total_cmp);
    writeln!(
        report,
        "Reference study (`build-report`, all outputs, process start included): median of 21 runs **{:.1} ms** (min {:.1}, max {:.1}); target < 50 ms.\n",
        walls[10] * 1e3,
        walls[0] * 1e3,
        walls[20] * 1e3
    )
    .unwrap();
    eprintln!("reference study: {:.1} ms", walls[10] * 1e3);
    let audit = audit_figures();
    eprint!("{audit}");
    writeln!(report, "{audit}").unwrap();

    let python = pandas_python();
    writeln!(report, "| ratings | CSV MiB | ingest s | compute s | render s | write s | total s | peak MiB | polars floor s | floor peak MiB | total / floor | pandas s | pandas peak MiB | pandas / ours |").unwrap();
    writeln!(
        report,
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    .unwrap();
    let mut points = Vec::new();
    let mut ingest_points = Vec::new();
    let mut largest = None;
    for &(indicators, experts) in SIZES.iter().filter(|(i, e)| !quick || i * e <= 100_000) {
        let ratings = indicators * experts;
        let folder = root.join(format!("study-{ratings}"));
        if !folder.join("ratings.csv").exists() {
            generate_study(&folder, indicators, experts);
        }
        let csv = folder.join("ratings.csv");
        let csv_mib = fs::metadata(&csv).unwrap().len() as f64 / 1_048_576.0;
        let runs = if ratings >= 1_000_000 { 5 } else { 7 };
        // Ours, the floor and the peer take turns, so that a slow moment of a shared machine does not
        // fall on one of them only.
        let (mut ours_runs, mut floor_runs, mut pandas_runs) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..runs {
            ours_runs.push(run_child(&["--child-pipeline", folder.to_str().unwrap()]));
            floor_runs.push(run_child(&["--child-floor", csv.to_str().unwrap()]));
            if let Some(python) = &python {
                pandas_runs.push(run_pandas(python, &csv, &folder.join("pandas-out")));
            }
        }
        let ours = median_by(ours_runs, |run| run[4]);
        let floor = median_by(floor_runs, |run| run[0]);
        let (pandas_s, pandas_peak) = if pandas_runs.is_empty() {
            (f64::NAN, 0)
        } else {
            median_by(pandas_runs, |run| run.0)
        };
        ingest_points.push((ratings as f64, ours[0]));
        if ratings == 10_000_000 {
            largest = Some((ours[4] / floor[0], ours[5] / 1024.0, csv_mib));
        }
        points.push((ratings as f64, ours[4]));
        writeln!(
            report,
            "| {ratings} | {csv_mib:.1} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.0} | {:.3} | {:.0} | {:.2} | {:.3} | {:.0} | {:.2} |",
            ours[0], ours[1], ours[2], ours[3], ours[4], ours[5] / 1024.0, floor[0], floor[1] / 1024.0,
            ours[4] / floor[0], pandas_s, pandas_peak as f64 / 1024.0, pandas_s / ours[4]
        )
        .unwrap();
        eprintln!(
            "{ratings} ratings: ours {:.3} s, floor {:.3} s, pandas {:.3} s",
            ours[4], floor[0], pandas_s
        );
    }
    let large = |points: &[(f64, f64)]| -> Vec<(f64, f64)> {
        points.iter().copied().filter(|(r, _)| *r >= 1e5).collect()
    };
    writeln!(
        report,
        "\nFitted exponent of time against ratings (log-log least squares; the synthetic studies grow in \
         indicators too, which the report's size follows): total {:.2} over all sizes, {:.2} from 10^5 \
         ratings up; ingest alone {:.2} over all sizes, {:.2} from 10^5 up.",
        fitted_exponent(&points),
        fitted_exponent(&large(&points)),
        fitted_exponent(&ingest_points),
        fitted_exponent(&large(&ingest_points)),
    )
    .unwrap();
    let verdict = |met: bool| if met { "met" } else { "NOT met" };
    writeln!(report, "\nTargets:\n").unwrap();
    writeln!(
        report,
        "- reference study end to end under 50 ms: {:.1} ms, {}",
        walls[10] * 1e3,
        verdict(walls[10] < 0.050)
    )
    .unwrap();
    if let Some((ratio, peak_mib, csv_mib)) = largest {
        writeln!(
            report,
            "- 10^7 ratings under 2x the polars floor: {ratio:.2}x, {}\n- peak memory below the input \
             file's size at 10^7 ratings: {peak_mib:.0} MiB against {csv_mib:.0} MiB, {}",
            verdict(ratio < 2.0),
            verdict(peak_mib < csv_mib)
        )
        .unwrap();
    }
    if python.is_none() {
        writeln!(
            report,
            "\nThe pandas peer was skipped: run `benches/setup-peer.sh` first."
        )
        .unwrap();
    }
    print!("{report}");
    fs::write(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/RESULTS.md"),
        report,
    )
    .unwrap();
}
