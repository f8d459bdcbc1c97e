//! `build`: scan, then render and write the catalog site. Progress and
//! timings go to stderr; the site goes to files.

use crate::cli::BuildArgs;
use crate::commands::check::Summary;
use crate::commands::{scan_repo, RunError};
use crate::site::{self, Options};
use std::io::IsTerminal;
use std::time::Instant;

pub fn run(args: &BuildArgs) -> Result<u8, RunError> {
    let start = Instant::now();
    let repo_root = &args.repo.repo;
    let repo = scan_repo(repo_root)?;
    let scan_time = start.elapsed();

    let summary = Summary::of(&repo.diagnostics);
    if repo.connectors.iter().all(|c| c.failed) {
        eprintln!(
            "error: no connector to publish in `{}` (no readable bundle.json found)",
            repo_root.display()
        );
        return Ok(1);
    }
    if summary.errors + summary.warnings > 0 {
        eprintln!(
            "note: the scan found {} errors and {} warnings; run `connector-catalog check {}` for details",
            summary.errors,
            summary.warnings,
            repo_root.display()
        );
        if args.deny_warnings {
            eprintln!("error: not building because of --deny-warnings; the previous site is left as it was");
            return Ok(1);
        }
    }

    let tenant = match tenant_snapshot(args) {
        Some(path) => {
            let snapshot =
                crate::tenant::load(&path).map_err(|e| RunError::Other(e.to_string()))?;
            let options = crate::plan::model::PlanOptions {
                lockdown: true,
                allow_downgrade: false,
            };
            let plan =
                crate::plan::plan(&repo, &repo_root.display().to_string(), &snapshot, options);
            let names: Vec<&str> = repo
                .connectors
                .iter()
                .filter(|c| !c.failed)
                .map(|c| c.name.as_str())
                .collect();
            eprintln!(
                "tenant {} from {}: {}",
                snapshot.snapshot.tenant.name,
                path.display(),
                crate::plan::render::summary_line(&plan.summary)
            );
            Some(site::tenant::TenantSite::new(
                &snapshot.snapshot,
                &plan,
                &names,
            ))
        }
        None => None,
    };

    let opts = Options {
        out: args.out.clone(),
        templates: args.templates.clone(),
        base_url: args.base_url.clone(),
        progress: std::io::stderr().is_terminal(),
        tenant,
    };
    let built = site::build(repo_root, &repo, &opts).map_err(|e| RunError::Other(e.to_string()))?;
    for path in &built.skipped {
        eprintln!("warning: connector `{path}` failed the scan and is left out of the site");
    }
    eprintln!(
        "built {} pages ({} connectors, {} components), {} files into {} in {:.2} s",
        built.pages,
        built.connectors,
        built.components,
        built.files,
        args.out.display(),
        start.elapsed().as_secs_f64()
    );
    if args.timings {
        let total = start.elapsed().as_secs_f64();
        let mut phases = vec![("scan", scan_time)];
        phases.extend(built.phases.iter().copied());
        for (name, time) in phases {
            let secs = time.as_secs_f64();
            eprintln!(
                "  {name:<13} {:>8.1} ms  {:>5.1} %",
                secs * 1000.0,
                100.0 * secs / total
            );
        }
        eprintln!("  {:<13} {:>8.1} ms", "total", total * 1000.0);
    }
    Ok(0)
}

/// The repository's default folder; the sample tenant goes with it.
const DEFAULT_REPO: &str = "./connectors";
const SAMPLE_TENANT: &str = "./tenant/sample-snapshot.json";

/// The snapshot to show: `--tenant`, or the sample one when the repository
/// is the default sample and the file is there, so that `build` with no
/// arguments shows the whole product.
fn tenant_snapshot(args: &BuildArgs) -> Option<std::path::PathBuf> {
    if args.no_tenant {
        return None;
    }
    if let Some(path) = &args.tenant {
        return Some(path.clone());
    }
    let sample = std::path::Path::new(SAMPLE_TENANT);
    (args.repo.repo == std::path::Path::new(DEFAULT_REPO) && sample.is_file())
        .then(|| sample.to_path_buf())
}
