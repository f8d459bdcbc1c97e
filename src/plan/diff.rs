//! `diff`: the breaking-change rules between two states of a repository,
//! for connector authors reviewing a pull request.
//!
//! Unlike the planner it knows no tenant: it compares manifests as they
//! are in both folders and says whether the version bump declares what
//! the findings require.

use crate::plan::compare::{compare, required};
use crate::plan::model::{Bump, ConnectorDiff, Diff, DiffSummary, PLAN_FORMAT_VERSION};
use crate::plan::planner::{broken, changelog_between};
use crate::scan::{version, Connector, Repository};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Compares `old` with `new`; the labels name the folders in the report.
pub fn diff(old: &Repository, old_label: &str, new: &Repository, new_label: &str) -> Diff {
    let before = by_name(old);
    let after = by_name(new);
    let broken: HashSet<&str> = broken(old).into_iter().chain(broken(new)).collect();
    let names: BTreeSet<&str> = before.keys().chain(after.keys()).copied().collect();

    let connectors: Vec<ConnectorDiff> = names
        .iter()
        .filter_map(|name| {
            connector(
                name,
                before.get(name).copied(),
                after.get(name).copied(),
                broken.contains(name),
            )
        })
        .collect();
    Diff {
        format_version: PLAN_FORMAT_VERSION,
        old: old_label.to_string(),
        new: new_label.to_string(),
        summary: DiffSummary {
            connectors: names.len(),
            changed: connectors.len(),
            under_declared: connectors.iter().filter(|c| !c.ok && !c.failed).count(),
            failed: connectors.iter().filter(|c| c.failed).count(),
        },
        connectors,
    }
}

/// The connectors of a repository by name. Two folders with one name are
/// reported by the scan; the first by path stands here.
fn by_name(repo: &Repository) -> BTreeMap<&str, &Connector> {
    let mut out = BTreeMap::new();
    for c in &repo.connectors {
        out.entry(c.name.as_str()).or_insert(c);
    }
    out
}

/// The diff of one connector, or `None` when nothing the rules or the
/// version can see changed.
fn connector(
    name: &str,
    old: Option<&Connector>,
    new: Option<&Connector>,
    failed: bool,
) -> Option<ConnectorDiff> {
    let label = new.or(old).map_or(name, |c| c.label.as_str()).to_string();
    let mut diff = ConnectorDiff {
        name: name.to_string(),
        label,
        old_version: old.and_then(|c| c.version.clone()),
        new_version: new.and_then(|c| c.version.clone()),
        declared: Bump::None,
        required: Bump::None,
        ok: true,
        failed: false,
        changelog: Vec::new(),
        findings: Vec::new(),
    };

    // A connector that failed the scan on either side is missing parts
    // (a component it could not read would look removed): say so and do
    // not judge it.
    if failed {
        diff.failed = true;
        diff.ok = false;
        return Some(diff);
    }
    match (old, new) {
        // A new connector has no earlier release to be compatible with.
        (None, Some(_)) => return Some(diff),
        // Removing a connector breaks every flow that uses it; there is
        // no version left to declare that, so it is never `ok`.
        (Some(o), None) => {
            diff.findings = compare(&o.components, &[]);
            diff.required = Bump::Major;
            diff.ok = false;
            return Some(diff);
        }
        _ => {}
    }
    let (o, n) = (old?, new?);

    diff.findings = compare(&o.components, &n.components);
    let versions = (
        diff.old_version.as_deref().map(version::parse_strict),
        diff.new_version.as_deref().map(version::parse_strict),
    );
    if let (Some(Ok(a)), Some(Ok(b))) = versions {
        diff.declared = Bump::between(&a, &b).unwrap_or(Bump::None);
        diff.changelog = changelog_between(&n.changelog, &a, &b);
        let same = a.cmp_precedence(&b) == std::cmp::Ordering::Equal;
        if diff.findings.is_empty() && same {
            return None;
        }
        // A version that goes backwards declares nothing and is never
        // right.
        if b.cmp_precedence(&a) == std::cmp::Ordering::Less {
            diff.required = required(&diff.findings).max(Bump::Patch);
            diff.ok = false;
            return Some(diff);
        }
    }
    diff.required = required(&diff.findings);
    diff.ok = diff.declared >= diff.required;
    Some(diff)
}
