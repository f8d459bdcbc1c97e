//! The plan benchmark: `cargo bench --bench plan`, run by hand, prints
//! figures and asserts nothing.
//!
//! Over the real corpus (`../shared/corpus/appmixer-connectors`, or the
//! folder named by `CONNECTOR_CATALOG_CORPUS`) it generates tenant
//! snapshots of 10,000, 20,000 and 40,000 flows with the seeded generator
//! the tests use, writes each to a file, and times what `plan` does after
//! the scan: read and check the snapshot, then plan (rules over installed
//! manifests, flows matched to connectors and findings, notifications).
//! The scan is timed once on its own: it does not depend on the tenant.
//! Times are medians after one warm-up run. Linear growth shows as a
//! steady cost per flow.

#[path = "support/common.rs"]
mod common;
#[path = "../tests/support/snapshot_synth.rs"]
mod snapshot_synth;

use connector_catalog::plan::model::PlanOptions;
use connector_catalog::scan::scan;
use connector_catalog::tenant;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const FLOWS: &[usize] = &[10_000, 20_000, 40_000];
const RUNS: usize = 7;
const SEED: u64 = 42;

fn main() -> ExitCode {
    let manifest_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = match common::real_corpus() {
        Ok(real) => real,
        Err(code) => return code,
    };

    let t = Instant::now();
    let repo = match scan(&corpus) {
        Ok(repo) => repo,
        Err(e) => {
            eprintln!("error: cannot scan {}: {e}", corpus.display());
            return ExitCode::from(2);
        }
    };
    let scan_time = t.elapsed();
    let dir = manifest_dir.join("target/bench-plan");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return ExitCode::from(2);
    }

    println!(
        "plan over the real corpus ({} connectors, {} components); scan alone {:.1} ms",
        repo.connectors.len(),
        repo.component_count(),
        ms(scan_time)
    );
    println!(
        "{:>7} {:>9} {:>8} {:>9} {:>9} {:>9} {:>11} {:>9}",
        "flows", "snapshot", "findings", "to stop", "read ms", "plan ms", "total ms", "µs/flow"
    );
    let mut per_flow = Vec::new();
    for &flows in FLOWS {
        let snapshot = snapshot_synth::synth_snapshot(&corpus, &repo, flows, SEED);
        let path = dir.join(format!("snapshot-{flows}.json"));
        let bytes = serde_json::to_vec(&snapshot).expect("a snapshot serializes");
        if let Err(e) = std::fs::write(&path, &bytes) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }

        let mut reads = Vec::new();
        let mut plans = Vec::new();
        let mut last = None;
        for run in 0..=RUNS {
            let t = Instant::now();
            let file = tenant::load(&path).expect("the generated snapshot loads");
            let read = t.elapsed();
            let t = Instant::now();
            let plan =
                connector_catalog::plan::plan(&repo, "corpus", &file, PlanOptions::default());
            let planned = t.elapsed();
            if run > 0 {
                reads.push(read);
                plans.push(planned);
            }
            last = Some(black_box(plan));
        }
        let plan = last.expect("at least one run");
        let findings: usize = plan.connectors.iter().map(|c| c.findings.len()).sum();
        let (read, planned) = (median(&mut reads), median(&mut plans));
        let total = read + planned;
        per_flow.push(total.as_secs_f64() * 1e6 / flows as f64);
        println!(
            "{:>7} {:>7.1}MB {:>8} {:>9} {:>9.1} {:>9.1} {:>11.1} {:>9.2}",
            flows,
            bytes.len() as f64 / 1e6,
            findings,
            plan.summary.flows_to_stop,
            ms(read),
            ms(planned),
            ms(total),
            per_flow.last().copied().unwrap_or_default()
        );
    }
    if let (Some(first), Some(last)) = (per_flow.first(), per_flow.last()) {
        println!(
            "cost per flow at {} flows / at {} flows: {:.2} (1.00 is linear)",
            FLOWS[FLOWS.len() - 1],
            FLOWS[0],
            last / first
        );
    }
    ExitCode::SUCCESS
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
