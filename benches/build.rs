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
//! time, unchanged files are linked rather than written, and the zips of
//! unchanged connectors are taken from it rather than compressed); a fresh
//! build writes into a new folder, on a disk where nothing was deleted
//! nearby just before (see [`run_all`]). Times are medians taken after one
//! warm-up run; phase times come from the timings
//! the site module records, so the shares here are the ones `build
//! --timings` prints. Zips, render and search index run side by side, so
//! their shares add up to more than their part of the wall time.
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
use std::path::{Path, PathBuf};
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
    let corpora = [
        Corpus::new("real", &real, &out, REAL_RUNS),
        Corpus::new(
            &format!("synthetic x{COPIES}"),
            &synthetic.root,
            &out,
            SYNTHETIC_RUNS,
        ),
    ];
    match run_all(&corpora, &out) {
        Ok(figures) => {
            print_report(&figures[0], &figures[1]);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// One repository to build and where its sites go.
struct Corpus {
    label: String,
    root: PathBuf,
    /// The site rebuilt run after run; it outlives the benchmark, so a
    /// later run's first build is a rebuild too.
    site: PathBuf,
    /// Where the fresh builds go, one new folder each; removed at the end.
    fresh: PathBuf,
    runs: usize,
}

impl Corpus {
    fn new(label: &str, root: &Path, out: &Path, runs: usize) -> Corpus {
        let folder = out.join(label.replace(' ', "-"));
        Corpus {
            label: label.to_string(),
            root: root.to_path_buf(),
            site: folder.join("site"),
            // Named after this process, so no earlier run's folder (and no
            // deletion of one) is in the way.
            fresh: folder.join(format!("fresh-{}", std::process::id())),
            runs,
        }
    }

    fn fresh_site(&self, run: usize) -> PathBuf {
        self.fresh.join(run.to_string())
    }
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
    /// A rebuild over the previous site.
    wall: Duration,
    cpu: Duration,
    /// A build into a new folder, nothing deleted since the warm-up.
    fresh_wall: Duration,
    fresh_cpu: Duration,
    fresh_write: Duration,
    /// Creating [`PROBE_FILES`] empty files beside the fresh builds, just
    /// before them.
    probe: Duration,
    /// Median of each phase, in [`PHASES`] order: rebuilds, fresh builds.
    phases: Vec<Duration>,
    fresh_phases: Vec<Duration>,
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
    settle();
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

/// About as many files as a build of the real corpus writes.
const PROBE_FILES: usize = 1800;

/// Creating an empty file takes about 10 us on this machine's quiet disk;
/// three times that means the kernel is checking freed inodes.
const SLOW_CREATE_US: f64 = 30.0;

/// Runs every series, keeping deletions away from the fresh builds. On ext4
/// without a journal (as on this project's machine) the kernel avoids
/// reusing recently freed inodes, and in a block group whose free inodes
/// are mostly such, it checks them one by one for every file it creates
/// (`recently_deleted` in the kernel's `ialloc.c`; `perf` found 43% of a
/// slow file-creating run there, and threads spinning on the directory's
/// lock behind it). New folders tend to land in exactly those groups, which
/// have the most free inodes. So creating a site's files after thousands
/// were deleted nearby can take many times longer than on a quiet disk: the
/// same 1,800 empty files took 16 ms and 450 ms here, and the slowness was
/// seen for many minutes after a large deletion. A benchmark that deletes
/// its last site before each fresh build measures that, not the build; nor
/// may one run's clean-up slow the next run's fresh builds. So nothing is
/// deleted before or during the fresh builds: they go into new folders,
/// which at the end are moved (not deleted) into `trash/`, and a run
/// deletes the trash of the run before only after its own fresh builds.
/// The time to create [`PROBE_FILES`] empty files beside each corpus's
/// fresh builds, just before them, is reported with them: it shows the
/// state of the disk they met.
fn run_all(corpora: &[Corpus], out: &Path) -> Result<Vec<Figures>, String> {
    let pid = std::process::id();
    let trash = out.join("trash");
    let mut warm = Vec::new();
    for c in corpora {
        eprintln!("{}: warming up", c.label);
        warm.push(build_once(&c.root, &c.site)?);
    }
    let mut fresh = Vec::new();
    let mut probes = Vec::new();
    for c in corpora {
        settle();
        probes.push(create_files(&c.fresh.join("probe"))?);
        let runs = (0..c.runs)
            .map(|i| build_once(&c.root, &c.fresh_site(i)))
            .collect::<Result<Vec<_>, _>>()?;
        eprintln!("{}: fresh builds {}", c.label, common::list(&walls(&runs)));
        fresh.push(runs);
    }
    if trash.exists() {
        remove(&trash)?;
    }
    std::fs::create_dir_all(&trash)
        .map_err(|e| format!("cannot create {}: {e}", trash.display()))?;
    let fresh_folders = corpora.iter().map(|c| c.fresh.clone());
    for (i, folder) in fresh_folders.enumerate() {
        let to = trash.join(format!("{pid}-{i}"));
        std::fs::rename(&folder, &to)
            .map_err(|e| format!("cannot move {} to {}: {e}", folder.display(), to.display()))?;
    }

    let mut rebuilds = Vec::new();
    for c in corpora {
        let runs = (0..c.runs)
            .map(|_| build_once(&c.root, &c.site))
            .collect::<Result<Vec<_>, _>>()?;
        eprintln!("{}: rebuilds {}", c.label, common::list(&walls(&runs)));
        rebuilds.push(runs);
    }

    let mut figures = Vec::new();
    for (i, c) in corpora.iter().enumerate() {
        let peak_kib = common::peak_in_child(&[&c.root, &c.site], &c.root.display().to_string())
            .ok_or_else(|| format!("{}: no peak memory", c.label))?;
        let mut f = summarize(c, &warm[i], &rebuilds[i], &fresh[i], peak_kib);
        f.probe = probes[i];
        figures.push(f);
    }
    Ok(figures)
}

/// Writes every dirty page out before a run starts, so no run shares the
/// machine with the write-back of the run before: a fresh build of the
/// synthetic corpus leaves 300 MB for the kernel to write, work that would
/// otherwise land on the next run's clock.
fn settle() {
    let _ = std::process::Command::new("sync").status();
}

fn remove(dir: &Path) -> Result<(), String> {
    std::fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))
}

fn walls(runs: &[Run]) -> Vec<Duration> {
    runs.iter().map(|r| r.wall).collect()
}

/// Creates [`PROBE_FILES`] empty files in the new folder `dir`; the time
/// that took.
fn create_files(dir: &Path) -> Result<Duration, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let start = Instant::now();
    for i in 0..PROBE_FILES {
        let path = dir.join(i.to_string());
        std::fs::File::create(&path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    }
    Ok(start.elapsed())
}

/// The medians of one corpus's rebuilds and fresh builds.
fn summarize(c: &Corpus, warm: &Run, rebuilds: &[Run], fresh: &[Run], peak_kib: u64) -> Figures {
    let median_of =
        |runs: &[Run], f: &dyn Fn(&Run) -> Duration| common::median(runs.iter().map(f).collect());
    let write = PHASES.len() - 1;
    Figures {
        label: c.label.clone(),
        runs: c.runs,
        connectors: warm.built.connectors,
        components: warm.built.components,
        pages: warm.built.pages,
        files: warm.built.files,
        site_bytes: folder_bytes(&c.site),
        wall: median_of(rebuilds, &|r| r.wall),
        cpu: median_of(rebuilds, &|r| r.cpu),
        fresh_wall: median_of(fresh, &|r| r.wall),
        fresh_cpu: median_of(fresh, &|r| r.cpu),
        fresh_write: median_of(fresh, &|r| r.phases[write]),
        probe: Duration::ZERO,
        phases: (0..PHASES.len())
            .map(|i| median_of(rebuilds, &|r| r.phases[i]))
            .collect(),
        fresh_phases: (0..PHASES.len())
            .map(|i| median_of(fresh, &|r| r.phases[i]))
            .collect(),
        peak_kib,
    }
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
        "{:<14} {:>10} {:>10} {:>6} {:>6} {:>8} {:>8}",
        "corpus", "connectors", "components", "pages", "files", "site MiB", "peak MiB"
    );
    for f in both {
        println!(
            "{:<14} {:>10} {:>10} {:>6} {:>6} {:>8.1} {:>8.1}",
            f.label,
            f.connectors,
            f.components,
            f.pages,
            f.files,
            f.site_bytes as f64 / (1024.0 * 1024.0),
            f.peak_kib as f64 / 1024.0
        );
    }

    println!();
    println!(
        "{:<14} {:<30} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "corpus", "build", "wall ms", "cpu ms", "pages/s", "us/page", "write ms"
    );
    for f in both {
        let rows = [
            (
                "rebuild over the previous site",
                f.wall,
                f.cpu,
                f.phases[PHASES.len() - 1],
            ),
            (
                "fresh, into a new folder",
                f.fresh_wall,
                f.fresh_cpu,
                f.fresh_write,
            ),
        ];
        for (what, wall, cpu, write) in rows {
            let secs = wall.as_secs_f64();
            println!(
                "{:<14} {:<30} {:>8.1} {:>8.0} {:>8.0} {:>8.1} {:>9.1}",
                f.label,
                what,
                common::millis(wall),
                common::millis(cpu),
                f.pages as f64 / secs,
                secs * 1e6 / f.pages as f64,
                common::millis(write)
            );
        }
    }
    println!();
    for f in both {
        let per_file = f.probe.as_secs_f64() * 1e6 / PROBE_FILES as f64;
        println!(
            "{:<14} the disk before the fresh builds: {PROBE_FILES} empty files created beside \
             them in {:.1} ms, {per_file:.1} us per file",
            f.label,
            common::millis(f.probe)
        );
        if per_file > SLOW_CREATE_US {
            println!(
                "{:<14} warning: over {SLOW_CREATE_US} us per file means many files were \
                 deleted nearby not long ago (see `run_all`), and the fresh builds paid for \
                 that too; run again later for the build's own figures.",
                ""
            );
        }
    }

    for (kind, wall_of, phases_of) in [
        (
            "rebuild",
            (|f: &Figures| f.wall) as fn(&Figures) -> Duration,
            (|f: &Figures| &f.phases) as fn(&Figures) -> &Vec<Duration>,
        ),
        ("fresh build", |f| f.fresh_wall, |f| &f.fresh_phases),
    ] {
        println!();
        println!(
            "{kind} phases, ms and share of the wall time (zips, render and search index overlap):"
        );
        print!("{:<14}", "");
        for name in PHASES {
            print!(" {name:>16}");
        }
        println!();
        for f in both {
            print!("{:<14}", f.label);
            let wall = wall_of(f).as_secs_f64();
            for t in phases_of(f) {
                let cell = format!(
                    "{:.1} ({:.0}%)",
                    common::millis(*t),
                    100.0 * t.as_secs_f64() / wall
                );
                print!(" {cell:>16}");
            }
            println!();
        }
    }

    println!();
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!("growth, {} over {}:", synthetic.label, real.label);
    println!(
        "  pages {:.2}x; rebuild {:.2}x, fresh build {:.2}x; peak memory {:.2}x",
        synthetic.pages as f64 / real.pages as f64,
        ratio(synthetic.wall, real.wall),
        ratio(synthetic.fresh_wall, real.fresh_wall),
        synthetic.peak_kib as f64 / real.peak_kib as f64
    );
    println!("  {:<13} {:>8} {:>8}", "phase", "rebuild", "fresh");
    for (i, name) in PHASES.iter().enumerate() {
        println!(
            "  {name:<13} {:>7.2}x {:>7.2}x",
            ratio(synthetic.phases[i], real.phases[i]),
            ratio(synthetic.fresh_phases[i], real.fresh_phases[i])
        );
    }
}
