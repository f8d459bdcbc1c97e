//! Rendering plans and diffs for people: text for terminals, Markdown for
//! pull-request comments. JSON is the model itself, serialized by the
//! commands.
//!
//! Every text here may come from a manifest or a snapshot (labels,
//! changelog entries, flow names), so the Markdown renderer escapes it;
//! the terminal renderer strips control characters so a crafted name
//! cannot move the cursor or recolour the terminal.

pub mod markdown;
pub mod text;

use crate::plan::model::{Change, ConnectorPlan, Summary};

/// The summary sentence shared by text and Markdown.
pub fn summary_line(s: &Summary) -> String {
    let mut upgrade = format!("{} to upgrade", s.upgrade);
    let downgrades = s.downgrade - s.refused;
    if downgrades > 0 {
        upgrade.push_str(&format!(" and {downgrades} to downgrade"));
    }
    if s.upgrade + downgrades > 0 {
        upgrade.push_str(&format!(" ({} breaking", s.breaking));
        if s.undeclared_breaking > 0 {
            upgrade.push_str(&format!(", {} undeclared", s.undeclared_breaking));
        }
        upgrade.push(')');
    }
    let mut parts = vec![
        upgrade,
        format!("{} to install", s.install),
        format!("{} orphaned", s.orphan),
    ];
    if s.refused > 0 {
        parts.push(format!(
            "{} downgrade{} refused",
            s.refused,
            plural(s.refused)
        ));
    }
    if s.failed > 0 {
        parts.push(format!("{} not planned (failed the scan)", s.failed));
    }
    parts.push(format!("{} up to date", s.up_to_date));
    format!(
        "{}; {} flow{} to stop; {} owner{} to notify.",
        parts.join(", "),
        s.flows_to_stop,
        plural(s.flows_to_stop),
        s.owners_to_notify,
        plural(s.owners_to_notify)
    )
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The diff's summary sentence.
pub fn diff_summary_line(s: &crate::plan::model::DiffSummary) -> String {
    let mut line = format!(
        "{} of {} connectors changed, {} under-declared",
        s.changed, s.connectors, s.under_declared
    );
    if s.failed > 0 {
        line.push_str(&format!(", {} not compared (failed the scan)", s.failed));
    }
    line.push('.');
    line
}

/// One word for the kind of change, with the verdict.
pub fn verdict(c: &ConnectorPlan) -> String {
    if c.failed {
        return "not planned: failed the repository scan".into();
    }
    match c.change {
        Change::None => "up to date".into(),
        Change::Install => "install".into(),
        Change::Orphan => "orphan: no longer in the repository".into(),
        Change::Downgrade if c.refused => "downgrade refused".into(),
        change => {
            let mut v = change.as_str().to_string();
            if c.undeclared_breaking {
                v.push_str(", BREAKING (undeclared: the findings require a major version)");
            } else if c.breaking_by_declaration_only {
                v.push_str(", breaking by declaration only (the manifests show no break)");
            } else if c.breaking {
                v.push_str(", BREAKING");
            }
            v
        }
    }
}

/// The connector's versions: `1.0.0 -> 2.0.0`, or the one side there is.
pub fn versions(c: &ConnectorPlan) -> String {
    match (&c.installed, &c.target) {
        (Some(a), Some(b)) if a == b => a.clone(),
        (Some(a), Some(b)) => format!("{a} -> {b}"),
        (Some(a), None) => a.clone(),
        (None, Some(b)) => b.clone(),
        (None, None) => "?".into(),
    }
}

/// Control characters (escape sequences included) and the invisible
/// characters that reorder or hide text (bidirectional overrides,
/// zero-width marks, line and paragraph separators) replaced by spaces, so
/// a crafted name can neither drive the terminal nor disguise itself.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if is_hidden(c) { ' ' } else { c })
        .collect()
}

/// Characters that control or reorder rather than show.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2069}'
            | '\u{FEFF}')
}

/// The rule ids behind a list of fingerprints, once each, in order.
pub(crate) fn hit_rules(c: &ConnectorPlan, fingerprints: &[String]) -> String {
    let mut ids: Vec<&str> = Vec::new();
    for fp in fingerprints {
        if let Some(f) = c.findings.iter().find(|f| &f.fingerprint == fp) {
            if !ids.contains(&f.rule.as_str()) {
                ids.push(&f.rule);
            }
        }
    }
    ids.join(", ")
}
