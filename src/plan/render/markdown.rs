//! Plans and diffs as Markdown that fits one pull-request comment: a
//! summary, a table, then one collapsible section per connector that
//! changes. When the whole would pass [`LIMIT`] characters, sections are
//! dropped from the end and a notice says how many and where to find them.
//!
//! Texts from manifests and snapshots are escaped: a changelog entry must
//! not become a link, an image, a table cell break or raw HTML in someone's
//! review page.

use super::{plural, summary_line, verdict, versions};
use crate::plan::model::*;
use std::fmt::Write;

/// The most a comment may hold, with room to spare under the 65,536 that
/// code-hosting sites accept.
pub const LIMIT: usize = 65_000;

/// Flows listed per connector before "and N more".
const FLOWS_SHOWN: usize = 20;

/// Escapes text for Markdown and the HTML it may contain; line breaks
/// become spaces so one entry stays on its line or table cell.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Links and images need `[`; emphasis, code, headings, tables
            // and strikethrough need the others.
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // A mention would notify whoever has that handle.
            '@' => out.push_str("&#64;"),
            c if super::is_hidden(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Versions with an arrow that reads well once rendered.
fn versions_md(c: &ConnectorPlan) -> String {
    escape(&versions(c)).replace(" -&gt; ", " → ")
}

pub fn plan(p: &Plan) -> String {
    let mut head = String::new();
    let _ = writeln!(
        head,
        "## Upgrade plan for tenant {}\n",
        escape(&p.tenant.name)
    );
    let _ = writeln!(
        head,
        "Repository {}, snapshot captured {} (sha256 `{}`).\n",
        escape(&p.repository),
        escape(&p.tenant.captured),
        &p.snapshot.sha256
    );
    let _ = writeln!(head, "**{}**\n", escape(&summary_line(&p.summary)));

    let changed: Vec<&ConnectorPlan> = p
        .connectors
        .iter()
        .filter(|c| c.change != Change::None || !c.warnings.is_empty())
        .collect();
    let rows: Vec<String> = changed
        .iter()
        .map(|c| {
            format!(
                "| {} | {} | {} | {} |\n",
                escape(&c.name),
                versions_md(c),
                escape(&verdict(c)),
                c.flows_to_stop.len()
            )
        })
        .collect();
    let sections: Vec<String> = changed.iter().map(|c| section(c)).collect();
    assemble(Report {
        head,
        table: "| Connector | Versions | Change | Flows to stop |\n|---|---|---|---:|\n",
        rows,
        sections,
        tail: access(&p.access),
        full: "the JSON plan (`plan --format json`)",
    })
}

/// A Markdown report before it is fitted into one comment.
struct Report {
    head: String,
    /// The table's header lines, and one line per connector.
    table: &'static str,
    rows: Vec<String>,
    /// One collapsible section per connector, in table order.
    sections: Vec<String>,
    tail: String,
    /// Where the whole report is, for the truncation notice.
    full: &'static str,
}

/// The head, as much of the table and of the sections as fits under
/// [`LIMIT`], a notice of what was cut, and the tail. The table gets at
/// most half the room; a section too long on its own is replaced by its
/// summary line, so one huge connector does not hide the others.
fn assemble(r: Report) -> String {
    // Room for the notices, whatever the numbers in them.
    let budget = LIMIT.saturating_sub(r.tail.len() + 600);
    let mut out = r.head;

    let mut rows_shown = 0;
    if !r.rows.is_empty() {
        out.push_str(r.table);
        let table_budget = out.len() + budget / 2;
        for row in &r.rows {
            if out.len() + row.len() > table_budget {
                break;
            }
            out.push_str(row);
            rows_shown += 1;
        }
        if rows_shown < r.rows.len() {
            let _ = writeln!(
                out,
                "| … | {} more in {} | | |",
                r.rows.len() - rows_shown,
                r.full
            );
        }
        out.push('\n');
    }

    let (mut whole, mut shortened) = (0, 0);
    for s in &r.sections {
        if out.len() + s.len() <= budget {
            out.push_str(s);
            whole += 1;
            continue;
        }
        let summary = s.lines().next().unwrap_or_default();
        let short = format!(
            "{summary}\n\nToo long for one comment; {} has it.\n\n</details>\n\n",
            r.full
        );
        if out.len() + short.len() > budget {
            break;
        }
        out.push_str(&short);
        shortened += 1;
    }
    let left_out = r.sections.len() - whole - shortened;
    if left_out + shortened > 0 || rows_shown < r.rows.len() {
        let _ = writeln!(
            out,
            "> **Truncated** to stay under {LIMIT} characters: {} of {} table rows shown, {} \
             sections shortened, {} left out; {} has everything.\n",
            rows_shown,
            r.rows.len(),
            shortened,
            left_out,
            r.full
        );
    }
    if out.len() + r.tail.len() <= LIMIT {
        out.push_str(&r.tail);
    }
    out
}

fn section(c: &ConnectorPlan) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<details><summary><b>{}</b> {} · {}</summary>\n",
        escape(&c.name),
        versions_md(c),
        escape(&verdict(c))
    );
    for w in &c.warnings {
        let _ = writeln!(s, "- ⚠️ {}", escape(w));
    }
    if !c.warnings.is_empty() {
        s.push('\n');
    }
    if !c.changelog.is_empty() {
        s.push_str("Changelog:\n\n");
        for e in &c.changelog {
            let mark = if e.breaking { " **breaking**" } else { "" };
            let _ = writeln!(s, "- `{}`{mark} {}", e.version, escape(&e.text));
        }
        s.push('\n');
    }
    match c.detection {
        Some(Detection::Manifests) if c.findings.is_empty() => {
            s.push_str("Findings: none (installed manifests compared).\n\n");
        }
        Some(Detection::Manifests) => {
            s.push_str("Findings (installed manifests compared):\n\n");
            s.push_str("| Rule | Component | Field | Finding |\n|---|---|---|---|\n");
            for f in &c.findings {
                let rule = if f.bump == Bump::Major {
                    format!("**{}**", escape(&f.rule))
                } else {
                    escape(&f.rule)
                };
                let _ = writeln!(
                    s,
                    "| {rule} | {} | {} | {} |",
                    escape(&f.component),
                    escape(&f.field),
                    escape(&f.message)
                );
            }
            s.push('\n');
        }
        Some(Detection::Changelog) => {
            let _ = writeln!(
                s,
                "Findings: not compared (no installed manifests in the snapshot); by version and \
                 changelog this requires a {} release.\n",
                c.required.as_str()
            );
        }
        None => {}
    }
    if let Some(install) = &c.install {
        let line = match install.visible_to_every_user {
            Some(true) if install.by_generic_rule => {
                "Every user sees it the moment it lands (generic rule `user *`)."
            }
            Some(true) => "Every user sees it the moment it lands.",
            Some(false) => "Hidden from users until an access rule grants it.",
            None => "Who sees it is unknown: the snapshot has no access rules.",
        };
        let _ = writeln!(s, "{line}\n");
    }
    if let Some(orphan) = &c.orphan {
        let used: Vec<String> = orphan
            .triggers
            .iter()
            .chain(&orphan.actions)
            .chain(&orphan.unknown)
            .map(|n| escape(n))
            .collect();
        if !used.is_empty() {
            let _ = writeln!(s, "Flows use: {}.\n", used.join(", "));
        }
        for consequence in &orphan.consequences {
            let _ = writeln!(s, "- If it is removed, {}.", escape(consequence));
        }
        s.push('\n');
    }
    if !c.flows.is_empty() {
        let _ = writeln!(
            s,
            "Flows: {} running, {} stopped.\n",
            c.flows_running, c.flows_stopped
        );
    }
    if !c.flows_to_stop.is_empty() {
        let _ = writeln!(
            s,
            "Stops {} running flow{}, notifies {} owner{}:\n",
            c.flows_to_stop.len(),
            plural(c.flows_to_stop.len()),
            c.owners.len(),
            plural(c.owners.len())
        );
        for f in c.flows_to_stop.iter().take(FLOWS_SHOWN) {
            let owner = f.email.as_deref().unwrap_or(&f.user_id);
            let why = if f.hit_by.is_empty() {
                "uses nothing a finding names".to_string()
            } else {
                format!("hit by {}", escape(&super::hit_rules(c, &f.hit_by)))
            };
            let _ = writeln!(
                s,
                "- {} ({}), owner {}: {why}",
                escape(&f.name),
                escape(&f.flow_id),
                escape(owner)
            );
        }
        if c.flows_to_stop.len() > FLOWS_SHOWN {
            let _ = writeln!(s, "- and {} more", c.flows_to_stop.len() - FLOWS_SHOWN);
        }
        s.push('\n');
    }
    s.push_str("</details>\n\n");
    s
}

fn access(a: &Access) -> String {
    let mut s = String::new();
    if !a.known {
        s.push_str("Access: the snapshot has no access rules.\n");
        return s;
    }
    let _ = writeln!(
        s,
        "Access: {} rule{}; {}.",
        a.rules,
        plural(a.rules),
        if a.generic_rule {
            "the generic rule `user *` lets every user use every connector, new ones included"
        } else {
            "no generic rule, so new connectors stay hidden until granted"
        }
    );
    if let Some(l) = &a.lockdown {
        let _ = writeln!(
            s,
            "\nLockdown proposal: remove {} generic rule{}, add {} per-connector rule{} \
             (full list in the JSON plan under `access.lockdown.rules`).",
            l.removed.len(),
            plural(l.removed.len()),
            l.added.len(),
            plural(l.added.len())
        );
    }
    s
}

pub fn diff(d: &Diff) -> String {
    let mut head = String::new();
    let _ = writeln!(
        head,
        "## Connector changes: {} → {}\n",
        escape(&d.old),
        escape(&d.new)
    );
    let _ = writeln!(head, "**{}**\n", super::diff_summary_line(&d.summary));
    let rows: Vec<String> = d
        .connectors
        .iter()
        .map(|c| {
            format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                escape(&c.name),
                escape(c.old_version.as_deref().unwrap_or("—")),
                escape(c.new_version.as_deref().unwrap_or("—")),
                c.declared.as_str(),
                c.required.as_str(),
                if c.failed {
                    "**failed the scan**"
                } else if c.ok {
                    "ok"
                } else {
                    "**under-declared**"
                }
            )
        })
        .collect();
    let sections: Vec<String> = d
        .connectors
        .iter()
        .filter(|c| !c.findings.is_empty())
        .map(|c| {
            let mut s = format!(
                "<details><summary><b>{}</b>: {} finding{}</summary>\n\n\
                 | Rule | Component | Field | Finding |\n|---|---|---|---|\n",
                escape(&c.name),
                c.findings.len(),
                plural(c.findings.len())
            );
            for f in &c.findings {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} |",
                    escape(&f.rule),
                    escape(&f.component),
                    escape(&f.field),
                    escape(&f.message)
                );
            }
            s.push_str("\n</details>\n\n");
            s
        })
        .collect();
    assemble(Report {
        head,
        table: "| Connector | Old | New | Declared | Required | |\n|---|---|---|---|---|---|\n",
        rows,
        sections,
        tail: String::new(),
        full: "`diff --format json`",
    })
}
