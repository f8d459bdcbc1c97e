//! Plans and diffs as terminal text: one block per connector led by a
//! symbol, then a summary line, in the manner of infrastructure plans.
//!
//! Symbols: `~` upgrade, `!` breaking upgrade, `+` install, `-` orphan,
//! `<` downgrade, `=` up to date, `?` not planned (failed the scan). Up-to-date connectors take one line each
//! so that a tenant of hundreds stays readable.

use super::{clean, plural, summary_line, verdict, versions};
use crate::plan::model::*;
use crate::plan::rules;
use std::fmt::Write;

/// How many flows a block lists before it says "and N more".
const FLOWS_SHOWN: usize = 25;

pub fn plan(p: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Upgrade plan for tenant {} (snapshot captured {}) from repository {}",
        clean(&p.tenant.name),
        clean(&p.tenant.captured),
        clean(&p.repository)
    );
    let _ = writeln!(
        out,
        "Snapshot {} sha256:{}",
        clean(&p.snapshot.path),
        p.snapshot.sha256
    );
    out.push('\n');

    for c in &p.connectors {
        connector(&mut out, c);
    }
    access(&mut out, &p.access);
    let _ = writeln!(out, "Plan: {}", summary_line(&p.summary));
    out
}

fn symbol(c: &ConnectorPlan) -> char {
    if c.failed {
        return '?';
    }
    match c.change {
        Change::None => '=',
        Change::Install => '+',
        Change::Orphan => '-',
        Change::Downgrade => '<',
        _ if c.breaking => '!',
        _ => '~',
    }
}

fn connector(out: &mut String, c: &ConnectorPlan) {
    let _ = writeln!(
        out,
        "{} {}  {}  {}",
        symbol(c),
        c.name,
        versions(c),
        verdict(c)
    );
    for w in &c.warnings {
        let _ = writeln!(out, "    warning: {}", clean(w));
    }
    if c.change == Change::None {
        return;
    }

    if !c.changelog.is_empty() {
        out.push_str("    changelog:\n");
        for e in &c.changelog {
            let mark = if e.breaking { '!' } else { ' ' };
            let _ = writeln!(out, "      {mark} {:<9} {}", e.version, clean(&e.text));
        }
    }
    match c.detection {
        Some(Detection::Manifests) if c.findings.is_empty() => {
            out.push_str("    findings: none (installed manifests compared)\n");
        }
        Some(Detection::Manifests) => {
            out.push_str("    findings (installed manifests compared):\n");
            for f in &c.findings {
                let mark = if f.bump == Bump::Major { '!' } else { '+' };
                let place = if f.field.is_empty() {
                    f.component.clone()
                } else {
                    format!("{} {}", f.component, f.field)
                };
                let _ = writeln!(out, "      {mark} {:<28} {}", f.rule, clean(&place));
                let _ = writeln!(out, "          {}  [{}]", clean(&f.message), f.fingerprint);
            }
        }
        Some(Detection::Changelog) => {
            let _ = writeln!(
                out,
                "    findings: not compared (the snapshot has no manifests for it); \
                 judged by version and changelog: requires {}",
                c.required.as_str()
            );
        }
        None => {}
    }

    if let Some(install) = &c.install {
        let who = match install.visible_to_every_user {
            Some(true) if install.by_generic_rule => {
                "visible to every user the moment it lands (generic rule `user *`); \
                 --lockdown keeps it hidden until an admin grants it"
            }
            Some(true) => "visible to every user the moment it lands (a `user` rule reaches it)",
            Some(false) => "hidden from users until an access rule grants it",
            None => "who sees it is unknown: the snapshot has no access rules",
        };
        let _ = writeln!(out, "    access: {who}");
    }
    if let Some(orphan) = &c.orphan {
        for (what, names) in [
            ("triggers", &orphan.triggers),
            ("actions", &orphan.actions),
            ("components of unknown kind", &orphan.unknown),
        ] {
            if !names.is_empty() {
                let _ = writeln!(out, "    flows use {what}: {}", clean(&names.join(", ")));
            }
        }
        for consequence in &orphan.consequences {
            let _ = writeln!(out, "    if it is removed: {consequence}");
        }
    }

    if !c.flows.is_empty() {
        let _ = writeln!(
            out,
            "    flows: {} running, {} stopped",
            c.flows_running, c.flows_stopped
        );
    }
    if !c.flows_to_stop.is_empty() {
        let _ = writeln!(
            out,
            "    stops {} running flow{}:",
            c.flows_to_stop.len(),
            plural(c.flows_to_stop.len())
        );
        for f in c.flows_to_stop.iter().take(FLOWS_SHOWN) {
            let hit = super::hit_rules(c, &f.hit_by);
            let _ = writeln!(
                out,
                "      {}  \"{}\"  owner {}{}{}",
                clean(&f.flow_id),
                clean(&f.name),
                clean(&f.user_id),
                f.email
                    .as_deref()
                    .map(|e| format!(" <{}>", clean(e)))
                    .unwrap_or_default(),
                if hit.is_empty() {
                    "  (uses nothing a finding names)".to_string()
                } else {
                    format!("  hit by {hit}")
                }
            );
        }
        if c.flows_to_stop.len() > FLOWS_SHOWN {
            let _ = writeln!(
                out,
                "      and {} more",
                c.flows_to_stop.len() - FLOWS_SHOWN
            );
        }
        let _ = writeln!(
            out,
            "    notifies {} owner{}",
            c.owners.len(),
            plural(c.owners.len())
        );
    }
}

fn access(out: &mut String, a: &Access) {
    if !a.known {
        out.push_str("Access: the snapshot has no access rules\n");
        return;
    }
    let _ = writeln!(
        out,
        "Access: {} rule{}; {}",
        a.rules,
        plural(a.rules),
        if a.generic_rule {
            "the generic rule `user *` lets every user use every connector, new ones included"
        } else {
            "no generic rule: new connectors stay hidden until granted"
        }
    );
    if let Some(l) = &a.lockdown {
        let _ = writeln!(
            out,
            "Lockdown: remove {} generic rule{}, add {} rule{} (one per installed connector); \
             the full list is under access.lockdown.rules in the JSON plan",
            l.removed.len(),
            plural(l.removed.len()),
            l.added.len(),
            plural(l.added.len())
        );
        for r in &l.added {
            let _ = writeln!(
                out,
                "  + {} {} {}",
                clean(&r.role),
                clean(&r.resource),
                r.attributes.join(",")
            );
        }
    }
}

pub fn diff(d: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Diff {} -> {}", clean(&d.old), clean(&d.new));
    out.push('\n');
    for c in &d.connectors {
        let versions = match (&c.old_version, &c.new_version) {
            (Some(a), Some(b)) if a == b => format!("{a} (unchanged)"),
            (Some(a), Some(b)) => format!("{a} -> {b}"),
            (None, Some(b)) => format!("added at {b}"),
            (Some(a), None) => format!("removed (was {a})"),
            (None, None) => "no version".into(),
        };
        if c.failed {
            let _ = writeln!(
                out,
                "? {}  failed the scan on one side; not compared (run `check`)",
                c.name
            );
            continue;
        }
        let _ = writeln!(
            out,
            "{} {}  {}  declared {}, required {}{}",
            if c.ok { '~' } else { '!' },
            c.name,
            versions,
            c.declared.as_str(),
            c.required.as_str(),
            if c.ok { "" } else { "  UNDER-DECLARED" }
        );
        for f in &c.findings {
            let mark = if f.bump == Bump::Major { '!' } else { '+' };
            let _ = writeln!(
                out,
                "    {mark} {:<28} {} {}",
                f.rule,
                clean(&f.component),
                clean(&f.field)
            );
            let _ = writeln!(out, "        {}", clean(&f.message));
        }
    }
    let _ = writeln!(out, "Diff: {}", super::diff_summary_line(&d.summary));
    out
}

/// `rules` as text: id, bump and summary, then the explanation indented.
pub fn rules() -> String {
    let mut out = String::new();
    for r in rules::RULES {
        let _ = writeln!(out, "{:<29} {:<6} {}", r.id, r.bump.as_str(), r.summary);
        let _ = writeln!(out, "    {}", r.explanation);
    }
    out
}
