//! The scan benchmark: `cargo bench --bench scan`, run by hand, prints
//! figures and asserts nothing, so a slow or busy machine never fails it.
//!
//! It scans two repositories: the real corpus (`../shared/corpus/
//! appmixer-connectors` beside the project, or the folder named by
//! `CONNECTOR_CATALOG_CORPUS`) and a synthetic one ten times its size,
//! generated once under `target/bench-corpus/` (see `support/synth.rs`).
//! For each it times [`scan`] against two baselines on one thread that do
//! the least any scanner must. The bare parse parses every manifest the
//! scan parses with `serde_json` into a `Value`, from bytes already in
//! memory; it is the yardstick. Read + parse also walks the tree and reads
//! the files, as the scan has to. Times are medians taken after one warm-up
//! run, so every side reads from the page cache.
//!
//! Peak memory is measured in child processes, one per corpus and side
//! (this binary re-invoked with [`CHILD_FLAG`]), each reporting its own
//! `VmHWM` from `/proc/self/status`; in one process the second corpus would
//! inherit the first one's high-water mark. The baseline child reads and
//! parses one file at a time. Linux only, for that reason.

#[path = "support/common.rs"]
mod common;
#[path = "support/synth.rs"]
mod synth;

use connector_catalog::diag::Severity;
use connector_catalog::scan::{scan, Repository};
use std::ffi::OsStr;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use walkdir::WalkDir;

/// How many times the synthetic corpus repeats the real one.
const COPIES: usize = 10;
const REAL_RUNS: usize = 5;
const SYNTHETIC_RUNS: usize = 3;

// `<this binary> --peak-memory-of scan|baseline <root>` runs one side once
// and prints `vmhwm_kib <n>`.
use common::CHILD_FLAG;

/// The files the scan parses as JSON; the baseline parses the same ones.
const MANIFESTS: &[&str] = &[
    "bundle.json",
    "service.json",
    "module.json",
    "component.json",
];

const MIB: f64 = 1024.0 * 1024.0;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == CHILD_FLAG) {
        return match (args.get(at + 1), args.get(at + 2)) {
            (Some(side), Some(root)) => child(side, Path::new(root)),
            _ => {
                eprintln!("usage: {CHILD_FLAG} scan|baseline <repository>");
                ExitCode::from(2)
            }
        };
    }

    let real = match common::real_corpus() {
        Ok(real) => real,
        Err(code) => return code,
    };
    let synthetic = match synth::synthetic_corpus(&real, COPIES) {
        Ok(s) => s,
        Err(code) => return code,
    };

    let real_figures = measure("real", &real, REAL_RUNS);
    let synthetic_figures = measure(
        &format!("synthetic x{COPIES}"),
        &synthetic.root,
        SYNTHETIC_RUNS,
    );
    let Some((real_figures, synthetic_figures)) = real_figures.zip(synthetic_figures) else {
        return ExitCode::from(2);
    };
    print_report(&real_figures, &synthetic_figures);
    ExitCode::SUCCESS
}

/// Everything measured on one corpus.
struct Figures {
    label: String,
    runs: usize,
    connectors: usize,
    components: usize,
    diagnostics: usize,
    errors: usize,
    manifests: usize,
    manifest_bytes: u64,
    scan: Duration,
    /// `serde_json` parses of bytes already in memory.
    parse: Duration,
    /// Walk, read and parse.
    baseline: Duration,
    scan_peak_kib: u64,
    baseline_peak_kib: u64,
}

fn measure(label: &str, root: &Path, runs: usize) -> Option<Figures> {
    eprintln!("{label}: warming up");
    let repo = match scan(root) {
        Ok(repo) => repo,
        Err(e) => {
            eprintln!("error: cannot scan {}: {e}", root.display());
            return None;
        }
    };
    let (connectors, components, diagnostics) = counts(&repo);
    let errors = repo
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .inspect(|d| eprintln!("{label}: {d}"))
        .count();
    drop(repo);
    let tally = baseline(root);
    eprintln!(
        "{label}: serde_json refuses {} of {} manifests",
        tally.invalid, tally.files
    );
    let loaded = load_manifests(root);
    if loaded.len() != tally.files {
        eprintln!(
            "error: {} manifests loaded, {} read",
            loaded.len(),
            tally.files
        );
        return None;
    }

    let scan_times = time_runs(runs, || {
        let repo = scan(root).expect("the warm-up scan succeeded");
        // Dropping the result is not part of scanning.
        (Instant::now(), black_box(repo))
    });
    eprintln!("{label}: scan {}", common::list(&scan_times));
    let parse_times = time_runs(runs, || {
        let invalid = parse_all(&loaded);
        (Instant::now(), black_box(invalid))
    });
    eprintln!("{label}: bare parse {}", common::list(&parse_times));
    let baseline_times = time_runs(runs, || {
        let tally = baseline(root);
        (Instant::now(), black_box(tally))
    });
    eprintln!("{label}: read + parse {}", common::list(&baseline_times));

    Some(Figures {
        label: label.to_string(),
        runs,
        connectors,
        components,
        diagnostics,
        errors,
        manifests: tally.files,
        manifest_bytes: tally.bytes,
        scan: common::median(scan_times),
        parse: common::median(parse_times),
        baseline: common::median(baseline_times),
        scan_peak_kib: common::peak_in_child(
            &[OsStr::new("scan"), root.as_os_str()],
            &format!("scan of {}", root.display()),
        )?,
        baseline_peak_kib: common::peak_in_child(
            &[OsStr::new("baseline"), root.as_os_str()],
            &format!("baseline of {}", root.display()),
        )?,
    })
}

fn counts(repo: &Repository) -> (usize, usize, usize) {
    (
        repo.connectors.len(),
        repo.component_count(),
        repo.diagnostics.len(),
    )
}

/// Runs `f` `runs` times; `f` returns when its work ended, so whatever it
/// returns is dropped outside the measured time.
fn time_runs<T>(runs: usize, mut f: impl FnMut() -> (Instant, T)) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            let (end, result) = f();
            let took = end - start;
            drop(result);
            took
        })
        .collect()
}

/// What the baseline read.
struct Tally {
    files: usize,
    bytes: u64,
    /// Manifests `serde_json` refused (the corpus has a few on purpose).
    invalid: usize,
}

/// Manifest files below `root`, in walk order. Folders the scan skips
/// (hidden ones, `node_modules`, `artifacts`) are skipped here too, and
/// links are not followed, as the scan does not follow them.
fn manifest_paths(root: &Path) -> impl Iterator<Item = PathBuf> {
    WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(e.file_type().is_dir()
                    && (name.starts_with('.') || name == "node_modules" || name == "artifacts"))
        })
        .filter_map(Result::ok)
        .filter(|entry| {
            entry.file_type().is_file()
                && MANIFESTS.contains(&entry.file_name().to_string_lossy().as_ref())
        })
        .map(walkdir::DirEntry::into_path)
}

/// One thread: walk, read each manifest, strip a byte-order mark, parse it
/// into a `serde_json::Value`, drop it.
fn baseline(root: &Path) -> Tally {
    let mut tally = Tally {
        files: 0,
        bytes: 0,
        invalid: 0,
    };
    for path in manifest_paths(root) {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        tally.files += 1;
        tally.bytes += bytes.len() as u64;
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        if black_box(serde_json::from_slice::<serde_json::Value>(body)).is_err() {
            tally.invalid += 1;
        }
    }
    tally
}

/// Every manifest the baseline reads, in memory, for the bare parse.
fn load_manifests(root: &Path) -> Vec<Vec<u8>> {
    manifest_paths(root)
        .filter_map(|path| std::fs::read(path).ok())
        .collect()
}

/// Parses each manifest into a `serde_json::Value` and drops it; returns
/// how many were refused.
fn parse_all(manifests: &[Vec<u8>]) -> usize {
    manifests
        .iter()
        .filter(|bytes| {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            black_box(serde_json::from_slice::<serde_json::Value>(body)).is_err()
        })
        .count()
}

/// The child side: one run, then this process's peak resident memory.
fn child(side: &str, root: &Path) -> ExitCode {
    match side {
        "scan" => drop(black_box(scan(root))),
        "baseline" => drop(black_box(baseline(root))),
        _ => {
            eprintln!("unknown side `{side}`; expected scan or baseline");
            return ExitCode::from(2);
        }
    }
    common::report_peak()
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "MISSED"
    }
}

fn print_report(real: &Figures, synthetic: &Figures) {
    let both = [real, synthetic];
    println!();
    println!(
        "scan benchmark: {} threads for scan(), 1 for the baselines; medians of {} ({}) and {} \
         ({}) runs after a warm-up",
        rayon::current_num_threads(),
        real.runs,
        real.label,
        synthetic.runs,
        synthetic.label
    );

    println!();
    println!(
        "{:<16} {:>10} {:>10} {:>9} {:>12} {:>11} {:>6}",
        "corpus", "connectors", "components", "manifests", "manifest MiB", "diagnostics", "errors"
    );
    for f in both {
        println!(
            "{:<16} {:>10} {:>10} {:>9} {:>12.1} {:>11} {:>6}",
            f.label,
            f.connectors,
            f.components,
            f.manifests,
            f.manifest_bytes as f64 / MIB,
            f.diagnostics,
            f.errors
        );
    }
    let same_shape = synthetic.connectors == COPIES * real.connectors
        && synthetic.components == COPIES * real.components
        && synthetic.manifests == COPIES * real.manifests
        && synthetic.diagnostics == COPIES * real.diagnostics;
    println!(
        "{:<16} {:>9.2}x {:>9.2}x {:>8.2}x {:>11.2}x {:>10.2}x   ({})",
        "synthetic/real",
        synthetic.connectors as f64 / real.connectors as f64,
        synthetic.components as f64 / real.components as f64,
        synthetic.manifests as f64 / real.manifests as f64,
        synthetic.manifest_bytes as f64 / real.manifest_bytes as f64,
        synthetic.diagnostics as f64 / real.diagnostics.max(1) as f64,
        if same_shape {
            format!("exactly {COPIES} times the real counts")
        } else {
            format!("NOT {COPIES} times the real counts")
        }
    );

    println!();
    println!(
        "{:<16} {:>9} {:>9} {:>11} {:>10} {:>10} {:>10} {:>10}",
        "wall time",
        "scan ms",
        "parse ms",
        "read+parse",
        "scan/parse",
        "scan/r+p",
        "scan us/mf",
        "parse us/mf"
    );
    for f in both {
        let per_manifest = |d: Duration| d.as_secs_f64() * 1e6 / f.manifests as f64;
        println!(
            "{:<16} {:>9.1} {:>9.1} {:>8.1} ms {:>10.2} {:>10.2} {:>10.1} {:>11.1}",
            f.label,
            common::millis(f.scan),
            common::millis(f.parse),
            common::millis(f.baseline),
            f.scan.as_secs_f64() / f.parse.as_secs_f64(),
            f.scan.as_secs_f64() / f.baseline.as_secs_f64(),
            per_manifest(f.scan),
            per_manifest(f.parse)
        );
    }
    println!(
        "{:<16} {:>8.2}x {:>8.2}x {:>10.2}x",
        "synthetic/real",
        synthetic.scan.as_secs_f64() / real.scan.as_secs_f64(),
        synthetic.parse.as_secs_f64() / real.parse.as_secs_f64(),
        synthetic.baseline.as_secs_f64() / real.baseline.as_secs_f64()
    );

    println!();
    println!(
        "{:<16} {:>9} {:>13} {:>17} {:>18}",
        "peak memory", "scan MiB", "read+parse MiB", "scan MiB/mf MiB", "r+p MiB/mf MiB"
    );
    for f in both {
        let size = f.manifest_bytes as f64 / MIB;
        println!(
            "{:<16} {:>9.1} {:>13.1} {:>17.2} {:>18.2}",
            f.label,
            mib(f.scan_peak_kib),
            mib(f.baseline_peak_kib),
            mib(f.scan_peak_kib) / size,
            mib(f.baseline_peak_kib) / size
        );
    }
    let size_ratio = synthetic.manifest_bytes as f64 / real.manifest_bytes as f64;
    let memory_ratio = synthetic.scan_peak_kib as f64 / real.scan_peak_kib as f64;
    println!(
        "{:<16} {:>8.2}x {:>12.2}x   (corpus size {:.2}x; scan memory per size {:.2})",
        "synthetic/real",
        memory_ratio,
        synthetic.baseline_peak_kib as f64 / real.baseline_peak_kib as f64,
        size_ratio,
        memory_ratio / size_ratio
    );

    println!();
    println!("targets:");
    for f in both {
        let ratio = f.scan.as_secs_f64() / f.parse.as_secs_f64();
        println!(
            "  scan/bare parse <= 1.00 on {:<14} {:>7.2}  {}",
            f.label,
            ratio,
            verdict(ratio <= 1.0)
        );
    }
    println!(
        "  synthetic scan has no errors {:>22}  {}",
        synthetic.errors,
        verdict(synthetic.errors == 0)
    );
    println!(
        "  peak scan memory grows no faster than size {:>7.2}  {}",
        memory_ratio / size_ratio,
        verdict(memory_ratio <= size_ratio)
    );
}
