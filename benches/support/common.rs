//! What the benchmarks share: finding the real corpus, medians, and the
//! peak memory a child process reports.
//!
//! Included by each bench target with `#[path]`; a target uses what it
//! needs, hence the allowance for the rest.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::process::ExitCode;
use std::time::Duration;

/// The real corpus beside the project, or the folder named by
/// `CONNECTOR_CATALOG_CORPUS`; `Err` is the exit code to stop with (0
/// after a message when there is none: a benchmark without data is
/// skipped, not failed).
pub fn real_corpus() -> Result<PathBuf, ExitCode> {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let real = std::env::var_os("CONNECTOR_CATALOG_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir.join("../shared/corpus/appmixer-connectors"));
    if !real.is_dir() {
        eprintln!(
            "skipped: no corpus at {}; set CONNECTOR_CATALOG_CORPUS to a connectors repository",
            real.display()
        );
        return Err(ExitCode::SUCCESS);
    }
    Ok(real)
}

pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

pub fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Times in milliseconds, as a list for the log.
pub fn list(times: &[Duration]) -> String {
    let ms: Vec<String> = times.iter().map(|t| format!("{:.1}", millis(*t))).collect();
    format!("{} ms", ms.join(", "))
}

/// `VmHWM` (peak resident set size) of this process, in KiB.
pub fn peak_resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The flag that makes a bench binary run one measured piece of work in a
/// fresh process and report its peak memory: in one process, the second
/// corpus would inherit the first one's high-water mark.
pub const CHILD_FLAG: &str = "--peak-memory-of";

/// The child's side: after its work, prints `vmhwm_kib <n>` for the parent.
pub fn report_peak() -> ExitCode {
    match peak_resident_kib() {
        Some(kib) => {
            println!("vmhwm_kib {kib}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("no VmHWM in /proc/self/status");
            ExitCode::from(2)
        }
    }
}

/// The parent's side: runs this binary with [`CHILD_FLAG`] and `args`, and
/// returns the peak memory the child reported, in KiB. `what` names the
/// child in an error.
pub fn peak_in_child<S: AsRef<OsStr>>(args: &[S], what: &str) -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let output = Command::new(exe).arg(CHILD_FLAG).args(args).output().ok()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let kib = stdout
        .lines()
        .find_map(|l| l.strip_prefix("vmhwm_kib "))
        .and_then(|n| n.trim().parse().ok());
    if kib.is_none() {
        eprintln!(
            "error: the child for {what} reported no peak memory: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    kib
}
