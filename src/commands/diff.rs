//! `diff`: the breaking-change rules between two repository folders.

use crate::cli::{DiffArgs, ReportFormat};
use crate::commands::{print, scan_repo, RunError};
use crate::plan::render;

pub fn run(args: &DiffArgs) -> Result<u8, RunError> {
    // Two folders, scanned one after the other: each scan already uses
    // every core.
    let old = scan_repo(&args.old)?;
    let new = scan_repo(&args.new)?;
    let diff = crate::plan::diff(
        &old,
        &args.old.display().to_string(),
        &new,
        &args.new.display().to_string(),
    );
    let text = match args.format {
        ReportFormat::Text => render::text::diff(&diff),
        ReportFormat::Json => {
            let mut t = serde_json::to_string_pretty(&diff).expect("a diff serializes");
            t.push('\n');
            t
        }
        ReportFormat::Markdown => render::markdown::diff(&diff),
    };
    print(&text)?;
    if diff.summary.failed > 0 {
        eprintln!(
            "error: {} connector{} failed the scan and could not be compared; run `check` on both folders",
            diff.summary.failed,
            if diff.summary.failed == 1 { "" } else { "s" }
        );
        return Ok(1);
    }
    Ok(if diff.summary.under_declared > 0 {
        3
    } else {
        0
    })
}
