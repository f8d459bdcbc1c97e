//! The build benchmark: `cargo bench --bench build`, run by hand, prints
//! figures and asserts nothing, so a slow or busy machine never fails it.
//!
//! It builds the catalog site of two repositories: the real corpus
//! (`../shared/corpus/appmixer-connectors` beside the project, or the folder
//! named by `CONNECTOR_CATALOG_CORPUS`) and a synthetic one ten times its
//! size, generated once under `target/bench-corpus/` by the generator the
//! scan benchmark also uses (`support/synth.rs`). A run is what `build`
//! does: scan, then [`site::build`] (icons, zips, pages, search index and
//! catalog, write). Two kinds of run are timed: a rebuild writes over the
//! site of the run before (so replacing the previous site is part of the
//! time, and unchanged files are linked rather than written), and a fresh
//! build writes into a folder that does not exist (the previous site is
//! removed before the clock starts). Times are medians taken after one
//! warm-up run; phase times come from the timings the site module records,
//! so the shares here are the ones `build --timings` prints. Zips, render
//! and search index run side by side, so their shares add up to more than
//! their part of the wall time.
//!
//! CPU time (user and system, all threads) is reported beside the wall
//! time: on a machine other work shares, it shows whether a change saved
//! work or only waited less.
//!
//! Peak memory is measured in a child process per corpus (this binary
//! re-invoked with [`CHILD_FLAG`]) reporting its own `VmHWM` from
//! `/proc/self/status`: in one process the second corpus would inherit the
//! first one's high-water mark. Linux only, for that reason.

#[path = "support/common.rs"]
mod common;
#[path = "support/synth.rs"]
mod synth;

use connector_catalog::scan::scan;
use connector_catalog::site::{self, Built, Options};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// How many times the synthetic corpus repeats the real one.
const COPIES: usize = 10;
const REAL_RUNS: usize = 9;
const SYNTHETIC_RUNS: usize = 5;

// `<this binary> --peak-memory-of <repository> <out>` builds once and
// prints `vmhwm_kib <n>`.
use common::CHILD_FLAG;

/// The phases in the order they run; `scan` is timed here, the others by
/// the site module.
const PHASES: &[&str] = &["scan", "icons", "zips", "render", "search index", "write"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|a| a == CHILD_FLAG) {
        return match (args.get(at + 1), args.get(at + 2)) {
            (Some(root), Some(out)) => child(Path::new(root), Path::new(out)),
            _ => {
                eprintln!("usage: {CHILD_FLAG} <repository> <out>");
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

    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-out");
    let real_figures = measure("real", &real, &out.join("real"), REAL_RUNS);
    let synthetic_label = format!("synthetic x{COPIES}");
    let synthetic_figures = measure(
        &synthetic_label,
        &synthetic.root,
        &out.join(format!("synthetic-x{COPIES}")),
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
    pages: usize,
    files: usize,
    site_bytes: u64,
    wall: Duration,
    cpu: Duration,
    /// A build into a folder that does not exist yet, and its write phase.
    fresh_wall: Duration,
    fresh_write: Duration,
    /// Median of each phase, in [`PHASES`] order.
    phases: Vec<Duration>,
    peak_kib: u64,
}

/// One whole build, timed: the wall time and each phase.
struct Run {
    wall: Duration,
    cpu: Duration,
    phases: Vec<Duration>,
    built: Built,
}

fn build_once(root: &Path, out: &Path) -> Result<Run, String> {
    let cpu_start = cpu_time();
    let start = Instant::now();
    let repo = scan(root).map_err(|e| format!("cannot scan {}: {e}", root.display()))?;
    let scan_time = start.elapsed();
    let opts = Options {
        out: out.to_path_buf(),
        ..Options::default()
    };
    let built = site::build(root, &repo, &opts).map_err(|e| e.to_string())?;
    let wall = start.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_start);
    // Dropping the scanned repository is not part of building.
    drop(repo);

    let mut phases = vec![scan_time];
    for name in &PHASES[1..] {
        let time = built
            .phases
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| format!("the build recorded no `{name}` phase"))?;
        phases.push(time);
    }
    Ok(Run {
        wall,
        cpu,
        phases,
        built,
    })
}

fn measure(label: &str, root: &Path, out: &Path, runs: usize) -> Option<Figures> {
    eprintln!("{label}: warming up");
    let report = |e: String| eprintln!("error: {label}: {e}");
    let warm = build_once(root, out).map_err(report).ok()?;
    let mut results = Vec::with_capacity(runs);
    for _ in 0..runs {
        results.push(build_once(root, out).map_err(report).ok()?);
    }
    let walls: Vec<Duration> = results.iter().map(|r| r.wall).collect();
    eprintln!("{label}: rebuilds {}", common::list(&walls));

    let mut fresh = Vec::with_capacity(runs);
    for _ in 0..runs {
        if let Err(e) = std::fs::remove_dir_all(out) {
            report(format!("cannot remove {}: {e}", out.display()));
            return None;
        }
        fresh.push(build_once(root, out).map_err(report).ok()?);
    }
    let fresh_walls: Vec<Duration> = fresh.iter().map(|r| r.wall).collect();
    eprintln!("{label}: fresh builds {}", common::list(&fresh_walls));
    let write = PHASES.len() - 1;

    let phases = (0..PHASES.len())
        .map(|i| common::median(results.iter().map(|r| r.phases[i]).collect()))
        .collect();
    Some(Figures {
        label: label.to_string(),
        runs,
        connectors: warm.built.connectors,
        components: warm.built.components,
        pages: warm.built.pages,
        files: warm.built.files,
        site_bytes: folder_bytes(out),
        wall: common::median(walls),
        cpu: common::median(results.iter().map(|r| r.cpu).collect()),
        fresh_wall: common::median(fresh_walls),
        fresh_write: common::median(fresh.iter().map(|r| r.phases[write]).collect()),
        phases,
        peak_kib: common::peak_in_child(&[root, out], &root.display().to_string())?,
    })
}

fn folder_bytes(root: &Path) -> u64 {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// The child side: one build, then this process's peak resident memory.
fn child(root: &Path, out: &Path) -> ExitCode {
    if let Err(e) = build_once(root, out) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    common::report_peak()
}

/// User and system time of this process so far, all threads. `/proc`
/// counts it in ticks of 1/100 s on Linux, whatever the kernel's own tick.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The command name (field 2) may hold spaces; count from after it.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15; `fields` starts at field 3.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn print_report(real: &Figures, synthetic: &Figures) {
    let both = [real, synthetic];
    println!();
    println!(
        "build benchmark: {} threads; medians of {} ({}) and {} ({}) runs after a warm-up",
        rayon::current_num_threads(),
        real.runs,
        real.label,
        synthetic.runs,
        synthetic.label
    );

    println!();
    println!(
        "{:<14} {:>10} {:>10} {:>6} {:>6} {:>8} {:>10} {:>8} {:>8} {:>8} {:>9} {:>8}",
        "corpus",
        "connectors",
        "components",
        "pages",
        "files",
        "site MiB",
        "rebuild ms",
        "cpu ms",
        "pages/s",
        "us/page",
        "fresh ms",
        "peak MiB"
    );
    for f in both {
        let secs = f.wall.as_secs_f64();
        println!(
            "{:<14} {:>10} {:>10} {:>6} {:>6} {:>8.1} {:>10.1} {:>8.0} {:>8.0} {:>8.1} {:>9.1} {:>8.1}",
            f.label,
            f.connectors,
            f.components,
            f.pages,
            f.files,
            f.site_bytes as f64 / (1024.0 * 1024.0),
            common::millis(f.wall),
            common::millis(f.cpu),
            f.pages as f64 / secs,
            secs * 1e6 / f.pages as f64,
            common::millis(f.fresh_wall),
            f.peak_kib as f64 / 1024.0
        );
    }

    println!();
    println!(
        "rebuild phases, ms and share of the wall time (zips, render and search index overlap):"
    );
    print!("{:<14}", "");
    for name in PHASES {
        print!(" {name:>16}");
    }
    println!();
    for f in both {
        print!("{:<14}", f.label);
        let wall = f.wall.as_secs_f64();
        for t in &f.phases {
            let cell = format!(
                "{:.1} ({:.0}%)",
                common::millis(*t),
                100.0 * t.as_secs_f64() / wall
            );
            print!(" {cell:>16}");
        }
        println!();
    }
    println!("fresh builds, write phase:");
    for f in both {
        println!(
            "{:<14} {:>8.1} ms ({:.0}% of {:.1} ms)",
            f.label,
            common::millis(f.fresh_write),
            100.0 * f.fresh_write.as_secs_f64() / f.fresh_wall.as_secs_f64(),
            common::millis(f.fresh_wall)
        );
    }

    println!();
    let ratio = |a: f64, b: f64| a / b;
    println!("growth, {} over {}:", synthetic.label, real.label);
    println!(
        "  pages {:.2}x, rebuild {:.2}x, fresh build {:.2}x, time per page {:.2}x, peak memory {:.2}x",
        ratio(synthetic.pages as f64, real.pages as f64),
        ratio(synthetic.wall.as_secs_f64(), real.wall.as_secs_f64()),
        ratio(
            synthetic.fresh_wall.as_secs_f64(),
            real.fresh_wall.as_secs_f64()
        ),
        ratio(
            synthetic.wall.as_secs_f64() / synthetic.pages as f64,
            real.wall.as_secs_f64() / real.pages as f64
        ),
        ratio(synthetic.peak_kib as f64, real.peak_kib as f64)
    );
    for (i, name) in PHASES.iter().enumerate() {
        println!(
            "  {name:<13} {:>6.2}x",
            ratio(
                synthetic.phases[i].as_secs_f64(),
                real.phases[i].as_secs_f64()
            )
        );
    }
}
