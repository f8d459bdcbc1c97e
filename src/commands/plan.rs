//! `plan`: scan the repository, read the snapshot, print the plan; with
//! `--out`, also save the JSON plan for a later `apply`.

use crate::cli::{PlanArgs, ReportFormat};
use crate::commands::{print, scan_repo, write_atomically, RunError};
use crate::plan::model::{Plan, PlanOptions};
use crate::plan::render;
use crate::tenant;

pub fn run(args: &PlanArgs) -> Result<u8, RunError> {
    let snapshot = tenant::load(&args.tenant).map_err(|e| RunError::Other(e.to_string()))?;
    let repo = scan_repo(&args.repo.repo)?;
    let errors = repo
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .count();
    if errors > 0 {
        eprintln!(
            "note: the scan found {errors} errors; connectors that failed it are left as they are \
             (run `connector-catalog check {}`)",
            args.repo.repo.display()
        );
    }

    let options = PlanOptions {
        lockdown: args.lockdown,
        allow_downgrade: args.allow_downgrade,
    };
    let plan = crate::plan::plan(
        &repo,
        &args.repo.repo.display().to_string(),
        &snapshot,
        options,
    );

    if let Some(out) = &args.out {
        write_atomically(out, json(&plan).as_bytes())?;
        eprintln!("saved the JSON plan to {}", out.display());
    }
    let text = match args.format {
        ReportFormat::Text => render::text::plan(&plan),
        ReportFormat::Json => json(&plan),
        ReportFormat::Markdown => render::markdown::plan(&plan),
    };
    print(&text)?;
    if plan.summary.failed > 0 {
        eprintln!(
            "error: {} connector{} failed the repository scan and could not be planned; see the \
             warnings in the plan and run `check`",
            plan.summary.failed,
            if plan.summary.failed == 1 { "" } else { "s" }
        );
    }
    Ok(exit_code(&plan))
}

fn json(plan: &Plan) -> String {
    let mut text = serde_json::to_string_pretty(plan).expect("a plan serializes");
    text.push('\n');
    text
}

/// 0 nothing to do, 2 changes without a break, 3 breaking changes; 1
/// when a connector could not be planned because it failed the scan.
pub fn exit_code(plan: &Plan) -> u8 {
    if plan.summary.failed > 0 {
        1
    } else if plan.summary.breaking > 0 {
        3
    } else if plan.summary.has_changes() {
        2
    } else {
        0
    }
}
