//! `check`: scan and report. Results go to stdout, nothing else is written.

use crate::cli::{CheckArgs, Format};
use crate::commands::{scan_repo, RunError};
use crate::diag::{Diagnostic, Severity};
use crate::scan::Repository;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// The JSON report of `check --format json`. Field names are a contract
/// with CI scripts; README documents them.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    pub connectors: usize,
    pub components: usize,
    /// Connectors whose bundle could not be read.
    pub failed: Vec<&'a str>,
    pub auth_types: BTreeMap<String, usize>,
    pub summary: Summary,
    pub diagnostics: &'a [Diagnostic],
}

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut s = Summary::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }

    /// 1 when the problems found should fail CI, else 0.
    pub fn exit_code(&self, deny_warnings: bool) -> u8 {
        u8::from(self.errors > 0 || (deny_warnings && self.warnings > 0))
    }
}

pub fn report(repo: &Repository) -> Report<'_> {
    Report {
        connectors: repo.connectors.len(),
        components: repo.component_count(),
        failed: repo
            .connectors
            .iter()
            .filter(|c| c.failed)
            .map(|c| c.name.as_str())
            .collect(),
        auth_types: repo.auth_types(),
        summary: Summary::of(&repo.diagnostics),
        diagnostics: &repo.diagnostics,
    }
}

pub fn run(args: &CheckArgs) -> Result<u8, RunError> {
    let repo = scan_repo(&args.repo.repo)?;
    let report = report(&repo);
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut out, &report)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out)),
        Format::Text => write_text(&mut out, &report),
    };
    // A closed pipe (`| head`) is not a failure of the check.
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(RunError::Other(format!("cannot write the report: {e}")));
        }
    }
    Ok(report.summary.exit_code(args.deny_warnings))
}

fn write_text(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    for d in report.diagnostics {
        writeln!(out, "{d}")?;
    }
    let auth: Vec<String> = report
        .auth_types
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    // Failed connectors have no auth type to count.
    let auth = if auth.is_empty() {
        String::new()
    } else {
        format!(" (auth: {})", auth.join(", "))
    };
    writeln!(
        out,
        "{} connectors, {} components{auth}; {} errors, {} warnings, {} infos",
        report.connectors,
        report.components,
        report.summary.errors,
        report.summary.warnings,
        report.summary.infos
    )?;
    if !report.failed.is_empty() {
        writeln!(out, "failed connectors: {}", report.failed.join(", "))?;
    }
    Ok(())
}
