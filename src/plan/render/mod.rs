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
    if s.upgrade > 0 {
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
    if s.downgrade > 0 {
        parts.push(format!(
            "{} downgrade{} ({} refused)",
            s.downgrade,
            plural(s.downgrade),
            s.refused
        ));
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

/// One word for the kind of change, with the verdict.
pub fn verdict(c: &ConnectorPlan) -> String {
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

/// Control characters (escape sequences included) replaced by spaces.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
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
