//! `diff`: the breaking-change rules between two states of a repository,
//! for connector authors reviewing a pull request.
//!
//! Unlike the planner it knows no tenant: it compares manifests as they
//! are in both folders and says whether the version bump declares what
//! the findings require.

use crate::plan::compare::{compare, required};
use crate::plan::model::{Bump, ConnectorDiff, Diff, DiffSummary, PLAN_FORMAT_VERSION};
use crate::plan::planner::changelog_between;
use crate::scan::{version, Connector, Repository};
use std::collections::{BTreeMap, BTreeSet};

/// Compares `old` with `new`; the labels name the folders in the report.
pub fn diff(old: &Repository, old_label: &str, new: &Repository, new_label: &str) -> Diff {
    let before = by_name(old);
    let after = by_name(new);
    let names: BTreeSet<&str> = before.keys().chain(after.keys()).copied().collect();

    let connectors: Vec<ConnectorDiff> = names
        .iter()
        .filter_map(|name| connector(name, before.get(name).copied(), after.get(name).copied()))
        .collect();
    Diff {
        format_version: PLAN_FORMAT_VERSION,
        old: old_label.to_string(),
        new: new_label.to_string(),
        summary: DiffSummary {
            connectors: names.len(),
            changed: connectors.len(),
            under_declared: connectors.iter().filter(|c| !c.ok).count(),
        },
        connectors,
    }
}

/// Connectors that failed the scan are left out: their manifests are not
/// known well enough to judge, and `check` reports them.
fn by_name(repo: &Repository) -> BTreeMap<&str, &Connector> {
    repo.connectors
        .iter()
        .filter(|c| !c.failed)
        .map(|c| (c.name.as_str(), c))
        .collect()
}

/// The diff of one connector, or `None` when nothing the rules or the
/// version can see changed.
fn connector(
    name: &str,
    old: Option<&Connector>,
    new: Option<&Connector>,
) -> Option<ConnectorDiff> {
    let label = new.or(old).map_or(name, |c| c.label.as_str()).to_string();
    let old_version = old.and_then(|c| c.version.clone());
    let new_version = new.and_then(|c| c.version.clone());

    // A connector added or removed as a whole has no bump to declare; its
    // components' findings would only restate that.
    let (Some(o), Some(n)) = (old, new) else {
        return Some(ConnectorDiff {
            name: name.to_string(),
            label,
            old_version,
            new_version,
            declared: Bump::None,
            required: Bump::None,
            ok: true,
            changelog: Vec::new(),
            findings: Vec::new(),
        });
    };

    let findings = compare(&o.components, &n.components);
    let versions = (
        old_version.as_deref().map(version::parse_strict),
        new_version.as_deref().map(version::parse_strict),
    );
    let (declared, changelog) = match versions {
        (Some(Ok(a)), Some(Ok(b))) => (
            Bump::between(&a, &b).unwrap_or(Bump::None),
            changelog_between(&n.changelog, &a, &b),
        ),
        _ => (Bump::None, Vec::new()),
    };
    if findings.is_empty() && old_version == new_version {
        return None;
    }
    let required = required(&findings);
    Some(ConnectorDiff {
        name: name.to_string(),
        label,
        old_version,
        new_version,
        declared,
        required,
        ok: declared >= required,
        changelog,
        findings,
    })
}
