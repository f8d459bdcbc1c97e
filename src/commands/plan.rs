//! `plan`: scan the repository, read the snapshot, print the plan; with
//! `--out`, also save the JSON plan for a later `apply`.

use crate::cli::{PlanArgs, ReportFormat};
use crate::commands::{output_target, print, scan_repo, write_atomically, RunError};
use crate::plan::model::{Plan, PlanOptions};
use crate::plan::render;
use crate::tenant;
use std::path::Path;

pub fn run(args: &PlanArgs) -> Result<u8, RunError> {
    // A bad `--out` is refused before the scan, not after it.
    if let Some(out) = &args.out {
        refuse_the_snapshot_as_out(out, &args.tenant)?;
        output_target(out)?;
    }

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

/// `--out` naming the snapshot itself, through whatever spelling, symbolic
/// or hard link, would replace the snapshot by the plan made from it.
fn refuse_the_snapshot_as_out(out: &Path, tenant: &Path) -> Result<(), RunError> {
    // Only two existing files can be the same file.
    let (Ok(out_meta), Ok(tenant_meta)) = (std::fs::metadata(out), std::fs::metadata(tenant))
    else {
        return Ok(());
    };
    #[cfg(unix)]
    let same = {
        use std::os::unix::fs::MetadataExt;
        (out_meta.dev(), out_meta.ino()) == (tenant_meta.dev(), tenant_meta.ino())
    };
    #[cfg(not(unix))]
    let same = {
        let _ = (out_meta, tenant_meta);
        matches!(
            (std::fs::canonicalize(out), std::fs::canonicalize(tenant)),
            (Ok(a), Ok(b)) if a == b
        )
    };
    if same {
        return Err(RunError::Other(format!(
            "cannot write `{}`: it is the snapshot `{}` given with --tenant, which the plan \
             would overwrite; save the plan to another file",
            out.display(),
            tenant.display()
        )));
    }
    Ok(())
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
