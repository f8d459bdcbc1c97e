//! The upgrade plan as plain data: what `plan --format json` prints, what
//! `--out` saves, what the site's upgrade report renders and what a later
//! `apply` will carry out (flows to stop by id, zips to publish,
//! notifications to send).
//!
//! Field names are a contract documented by `schemas/plan.schema.json`;
//! the flow and notification objects keep the tenant API's own spelling
//! (`flowId`, `userId`) so they can be sent as they are.

use crate::tenant::AclRule;
use serde::{Deserialize, Serialize};

/// The layout of the plan document; bumped only on incompatible changes.
pub const PLAN_FORMAT_VERSION: u64 = 1;

/// A semantic version bump, smallest first so that `max` picks the
/// largest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// The bump from `old` to `new`, or `None` when `new` is not higher.
    /// The major number alone decides a major, also below 1.0.0: the
    /// tenant stops flows only when the major number changes. Build
    /// metadata takes no part, as semver precedence says.
    pub fn between(old: &semver::Version, new: &semver::Version) -> Option<Bump> {
        if new.cmp_precedence(old) != std::cmp::Ordering::Greater {
            return None;
        }
        Some(if new.major != old.major {
            Bump::Major
        } else if new.minor != old.minor {
            Bump::Minor
        } else {
            Bump::Patch
        })
    }
}

/// What happens to one connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Installed at the repository's version.
    None,
    Patch,
    Minor,
    Major,
    /// The tenant has a higher version than the repository.
    Downgrade,
    /// In the repository, not on the tenant.
    Install,
    /// On the tenant, no longer in the repository.
    Orphan,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::None => "none",
            Change::Patch => "patch",
            Change::Minor => "minor",
            Change::Major => "major",
            Change::Downgrade => "downgrade",
            Change::Install => "install",
            Change::Orphan => "orphan",
        }
    }

    pub fn is_upgrade(self) -> bool {
        matches!(self, Change::Patch | Change::Minor | Change::Major)
    }
}

/// How the findings of a connector were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Detection {
    /// The snapshot carries the installed manifests: exact comparison.
    Manifests,
    /// Versions and changelog markers only.
    Changelog,
}

/// One thing a rule found about one component.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub bump: Bump,
    pub component: String,
    /// `inPorts.<port>.<field>`, `properties.<field>`, `outPorts.<port>`,
    /// `outPorts.<port>.<variable>`, `auth.*`, `kind`, ..., or empty for
    /// the whole component.
    pub field: String,
    pub message: String,
    /// Stable across runs and releases of this tool: a hash of rule,
    /// component and field, never of the message.
    pub fingerprint: String,
}

/// A changelog entry shown in a plan or a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangelogEntry {
    pub version: String,
    pub text: String,
    pub breaking: bool,
}

/// The whole plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub format_version: u64,
    pub tenant: TenantRef,
    /// The repository folder as given on the command line.
    pub repository: String,
    pub snapshot: SnapshotRef,
    pub options: PlanOptions,
    pub summary: Summary,
    /// Sorted by name.
    pub connectors: Vec<ConnectorPlan>,
    pub access: Access,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRef {
    pub name: String,
    pub api: Option<String>,
    pub captured: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotRef {
    pub path: String,
    /// SHA-256 of the snapshot file's bytes: `apply` refuses a plan whose
    /// snapshot no longer matches the tenant.
    pub sha256: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOptions {
    pub lockdown: bool,
    pub allow_downgrade: bool,
}

/// Counts for the summary line and for CI.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Patch, minor and major upgrades.
    pub upgrade: usize,
    /// Upgrades (and allowed downgrades) that break.
    pub breaking: usize,
    /// Breaking upgrades whose version says minor or patch.
    pub undeclared_breaking: usize,
    pub install: usize,
    pub orphan: usize,
    pub downgrade: usize,
    /// Downgrades left out because `--allow-downgrade` was not given.
    pub refused: usize,
    /// Connectors whose repository copy failed the scan (an unreadable
    /// bundle or component, an invalid version): not planned.
    pub failed: usize,
    pub up_to_date: usize,
    /// Distinct flows, however many connectors stop them.
    pub flows_to_stop: usize,
    /// Distinct owners of those flows.
    pub owners_to_notify: usize,
    /// One per flow and connector that stops it.
    pub notifications: usize,
}

/// What the plan says about one connector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectorPlan {
    pub name: String,
    pub label: String,
    /// The tenant's version; `null` for an install.
    pub installed: Option<String>,
    /// The repository's version; `null` for an orphan.
    pub target: Option<String>,
    pub change: Change,
    /// Running flows that use it will be stopped.
    pub breaking: bool,
    /// A downgrade left as it is (no `--allow-downgrade`).
    pub refused: bool,
    /// The repository's copy failed the scan: not planned, `change` is
    /// `none`, `warnings` say why. `plan` exits 1.
    pub failed: bool,
    /// `null` for installs and orphans, which are not compared.
    pub detection: Option<Detection>,
    /// The largest bump the findings require.
    pub required: Bump,
    /// Findings (or changelog markers) break, but the version is not a
    /// major one.
    pub undeclared_breaking: bool,
    /// A major version whose manifests show no break.
    pub breaking_by_declaration_only: bool,
    /// Entries after the installed version up to the target, by semver.
    pub changelog: Vec<ChangelogEntry>,
    pub findings: Vec<Finding>,
    /// Every flow that uses the connector, running first.
    pub flows: Vec<FlowUse>,
    pub flows_running: usize,
    pub flows_stopped: usize,
    /// Running flows to stop before publishing, for a breaking change.
    pub flows_to_stop: Vec<FlowToStop>,
    pub owners: Vec<Owner>,
    pub notifications: Vec<Notification>,
    /// The zip to publish for an upgrade or install.
    pub publish: Option<Publish>,
    /// For an install: who will see it.
    pub install: Option<InstallAccess>,
    /// For an orphan: what its flows would go through without it.
    pub orphan: Option<OrphanImpact>,
    /// Things the plan could not do or had to assume.
    pub warnings: Vec<String>,
}

/// A flow that uses a connector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowUse {
    #[serde(rename = "flowId")]
    pub flow_id: String,
    pub name: String,
    #[serde(rename = "userId")]
    pub user_id: String,
    pub email: Option<String>,
    pub stage: crate::tenant::Stage,
    /// The connector's components it places, sorted, once each.
    pub components: Vec<String>,
}

/// A running flow the upgrade stops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowToStop {
    #[serde(rename = "flowId")]
    pub flow_id: String,
    pub name: String,
    #[serde(rename = "userId")]
    pub user_id: String,
    pub email: Option<String>,
    /// Fingerprints of the breaking findings whose component or field
    /// the flow uses; empty when it is stopped only because the connector's
    /// upgrade breaks as a whole (a major version, a changelog marker).
    pub hit_by: Vec<String>,
}

/// Someone whose flows stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    #[serde(rename = "userId")]
    pub user_id: String,
    pub email: Option<String>,
    pub flows: usize,
}

/// The `WEBHOOK_FLOW_STOPPED` payload, one per flow to stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    #[serde(rename = "userId")]
    pub user_id: String,
    pub email: Option<String>,
    pub title: String,
    pub created: String,
    #[serde(rename = "flowId")]
    pub flow_id: String,
    #[serde(rename = "flowName")]
    pub flow_name: String,
    pub additional: NotificationDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationDetail {
    pub module: String,
    #[serde(rename = "moduleLabel")]
    pub module_label: String,
    pub reason: String,
}

/// A connector zip to send to `POST /components`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publish {
    /// `<name>.zip`, as `pack` names it.
    pub zip: String,
    /// The connector folder in the repository.
    pub path: String,
}

/// Who sees a connector the moment it is installed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallAccess {
    /// `null` when the snapshot has no access rules.
    pub visible_to_every_user: Option<bool>,
    /// The generic `user *` rule is what lets everyone in.
    pub by_generic_rule: bool,
    /// Rules that reach the whole connector.
    pub rules: Vec<AclRule>,
}

/// What happens to the flows of a connector that is no longer in the
/// repository, should it be removed from the tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrphanImpact {
    /// Components flows use, by kind as the installed manifests say; all
    /// in `unknown` when the snapshot has no manifests for it.
    pub triggers: Vec<String>,
    pub actions: Vec<String>,
    pub unknown: Vec<String>,
    pub consequences: Vec<String>,
}

/// Access rules, now and as proposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    /// `false` when the snapshot has no access rules.
    pub known: bool,
    pub generic_rule: bool,
    pub rules: usize,
    /// With `--lockdown`: the whole list to `POST /acl/components`.
    pub lockdown: Option<Lockdown>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockdown {
    pub rules: Vec<AclRule>,
    pub removed: Vec<AclRule>,
    pub added: Vec<AclRule>,
}

/// What `diff` reports: the rules between two states of a repository, for
/// connector authors. Documented by `schemas/diff.schema.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    pub format_version: u64,
    /// The old and new repository folders as given on the command line.
    pub old: String,
    pub new: String,
    pub summary: DiffSummary,
    /// Changed, added and removed connectors, sorted by name.
    pub connectors: Vec<ConnectorDiff>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffSummary {
    /// Connectors in either repository.
    pub connectors: usize,
    /// Connectors listed: version or manifests changed, added or removed.
    pub changed: usize,
    /// Connectors whose declared bump is lower than the findings require.
    pub under_declared: usize,
    /// Connectors that failed the scan on either side: not compared.
    pub failed: usize,
}

/// One connector between two repository states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectorDiff {
    pub name: String,
    pub label: String,
    /// `null` for a connector the new state adds.
    pub old_version: Option<String>,
    /// `null` for a connector the new state removes.
    pub new_version: Option<String>,
    /// The bump the versions say; `none` when the version did not rise.
    pub declared: Bump,
    /// The largest bump the findings require.
    pub required: Bump,
    /// `declared` is at least `required`, and neither side failed.
    pub ok: bool,
    /// One side failed the scan (`check` says why): not compared.
    pub failed: bool,
    pub changelog: Vec<ChangelogEntry>,
    pub findings: Vec<Finding>,
}
