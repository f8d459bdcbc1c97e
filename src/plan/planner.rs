//! The planner: a scanned repository and a tenant snapshot in, a
//! [`Plan`] out.
//!
//! It decides, per connector, what kind of change it is, whether it breaks
//! (the rules' findings, or the changelog when the snapshot carries no
//! manifests), which running flows stop and who is told. It performs no
//! I/O and reads no clock: the same repository and snapshot always give the
//! same plan, dated by the snapshot's capture time.

use crate::plan::compare::{compare, required};
use crate::plan::flows::{self, Use};
use crate::plan::model::*;
use crate::scan::{version, Changelog, ComponentKind, Connector, Repository};
use crate::tenant::acl::Reach;
use crate::tenant::installed::read_components;
use crate::tenant::{AclRule, Installed, SnapshotFile, Stage};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// What happens to the flows of a connector removed from the tenant, in
/// the words of the platform's documented behaviour.
const ORPHAN_TRIGGERS: &str = "triggers keep polling and fail on every run; they recover if the \
    connector comes back";
const ORPHAN_ACTIONS: &str = "actions fail to receive messages; after retries with exponential \
    backoff the messages go to the dead-letter queue (GET /unprocessed-messages)";

/// Plans the move of the snapshot's tenant to the repository's state.
/// `repository` is how the repository is named in the plan (the path the
/// user gave).
pub fn plan(
    repo: &Repository,
    repository: &str,
    snapshot: &SnapshotFile,
    options: PlanOptions,
) -> Plan {
    let tenant = &snapshot.snapshot;
    let emails: HashMap<&str, &str> = tenant
        .users
        .iter()
        .filter_map(|u| Some((u.id.as_str(), u.email.as_deref()?)))
        .collect();

    let in_repo: BTreeMap<&str, &Connector> = repo
        .connectors
        .iter()
        .map(|c| (c.name.as_str(), c))
        .collect();
    let installed: BTreeMap<&str, (usize, &Installed)> = tenant
        .installed
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.as_str(), (i, c)))
        .collect();
    let names: BTreeSet<&str> = in_repo.keys().chain(installed.keys()).copied().collect();
    let known: HashSet<&str> = names.iter().copied().collect();
    let uses = flows::by_connector(&tenant.flows, &known);
    let rules: &[AclRule] = tenant.acl.as_ref().map_or(&[], |a| &a.components);

    let context = Context {
        broken: broken(repo),
        emails: &emails,
        captured: &tenant.tenant.captured,
        rules,
        acl_known: tenant.acl.is_some(),
        options,
    };
    let connectors: Vec<ConnectorPlan> = names
        .iter()
        .map(|name| {
            let flows = uses.get(*name).map_or(&[][..], Vec::as_slice);
            let repo_side = in_repo.get(name).copied();
            let tenant_side = installed.get(name).copied();
            context.connector(name, repo_side, tenant_side, flows)
        })
        .collect();

    Plan {
        format_version: PLAN_FORMAT_VERSION,
        tenant: TenantRef {
            name: tenant.tenant.name.clone(),
            api: tenant.tenant.api.clone(),
            captured: tenant.tenant.captured.clone(),
        },
        repository: repository.to_string(),
        snapshot: SnapshotRef {
            path: snapshot.path.clone(),
            sha256: snapshot.sha256.clone(),
        },
        options,
        summary: summarize(&connectors),
        access: access(tenant, rules, options),
        connectors,
    }
}

/// What every connector's planning reads besides its own data.
struct Context<'a> {
    /// Connectors whose repository copy failed the scan.
    broken: HashSet<&'a str>,
    emails: &'a HashMap<&'a str, &'a str>,
    captured: &'a str,
    rules: &'a [AclRule],
    acl_known: bool,
    options: PlanOptions,
}

impl Context<'_> {
    fn connector(
        &self,
        name: &str,
        repo: Option<&Connector>,
        installed: Option<(usize, &Installed)>,
        uses: &[Use],
    ) -> ConnectorPlan {
        let mut plan = ConnectorPlan {
            name: name.to_string(),
            label: repo.map_or_else(|| name.to_string(), |c| c.label.clone()),
            installed: installed.map(|(_, i)| i.version.clone()),
            target: repo.and_then(|c| c.version.clone()),
            change: Change::None,
            breaking: false,
            refused: false,
            failed: false,
            detection: None,
            required: Bump::None,
            undeclared_breaking: false,
            breaking_by_declaration_only: false,
            changelog: Vec::new(),
            findings: Vec::new(),
            flows: self.flow_uses(uses),
            flows_running: 0,
            flows_stopped: 0,
            flows_to_stop: Vec::new(),
            owners: Vec::new(),
            notifications: Vec::new(),
            publish: None,
            install: None,
            orphan: None,
            warnings: Vec::new(),
        };
        plan.flows_running = plan
            .flows
            .iter()
            .filter(|f| f.stage == Stage::Running)
            .count();
        plan.flows_stopped = plan.flows.len() - plan.flows_running;

        match (repo, installed) {
            (Some(c), None) => self.install(&mut plan, c),
            (None, Some((index, i))) => orphan(&mut plan, i, index, uses),
            (Some(c), Some((index, i))) => self.upgrade(&mut plan, c, i, index, uses),
            (None, None) => unreachable!("every name comes from one side or the other"),
        }
        plan
    }

    /// Every flow that uses the connector, running first, then by id.
    fn flow_uses(&self, uses: &[Use]) -> Vec<FlowUse> {
        let mut out: Vec<FlowUse> = uses
            .iter()
            .map(|u| FlowUse {
                flow_id: u.flow.flow_id.clone(),
                name: u.flow.name.clone(),
                user_id: u.flow.user_id.clone(),
                email: self.email(&u.flow.user_id),
                stage: u.flow.stage,
                components: u.component_names(),
            })
            .collect();
        out.sort_by(|a, b| (a.stage, &a.flow_id).cmp(&(b.stage, &b.flow_id)));
        out
    }

    fn email(&self, user_id: &str) -> Option<String> {
        self.emails.get(user_id).map(|e| e.to_string())
    }

    fn install(&self, plan: &mut ConnectorPlan, c: &Connector) {
        if self.broken.contains(c.name.as_str()) {
            return fail(plan, failed_warning(c));
        }
        plan.change = Change::Install;
        plan.publish = Some(publish(c));
        let reaching: Vec<AclRule> = self
            .rules
            .iter()
            .filter(|r| r.reach(&c.name) == Some(Reach::Whole))
            .cloned()
            .collect();
        let generic = self.rules.iter().any(AclRule::is_generic);
        let every_user = reaching
            .iter()
            .any(|r| r.role == crate::tenant::acl::EVERY_USER && r.grants_public());
        plan.install = Some(InstallAccess {
            visible_to_every_user: self.acl_known.then_some(every_user),
            by_generic_rule: generic,
            rules: reaching,
        });
    }

    fn upgrade(
        &self,
        plan: &mut ConnectorPlan,
        c: &Connector,
        installed: &Installed,
        index: usize,
        uses: &[Use],
    ) {
        if self.broken.contains(c.name.as_str()) {
            return fail(plan, failed_warning(c));
        }
        // The snapshot loader has already refused non-strict installed
        // versions; the repository's may still be missing or malformed.
        let (Ok(old), Some(Ok(new))) = (
            version::parse_strict(&installed.version),
            c.version.as_deref().map(version::parse_strict),
        ) else {
            let why = format!(
                "the repository's version of {} is missing or invalid; it is left out of the plan \
                 (run `check` for details)",
                c.name
            );
            return fail(plan, why);
        };

        let manifests = read_components(installed, index);
        let declared = match new.cmp_precedence(&old) {
            Ordering::Greater => {
                let bump = Bump::between(&old, &new).unwrap_or(Bump::Patch);
                plan.change = match bump {
                    Bump::Major => Change::Major,
                    Bump::Minor => Change::Minor,
                    _ => Change::Patch,
                };
                bump
            }
            Ordering::Less => {
                plan.change = Change::Downgrade;
                plan.refused = !self.options.allow_downgrade;
                if plan.refused {
                    plan.warnings.push(format!(
                        "the tenant has {old}, newer than the repository's {new}; left as it is \
                         (--allow-downgrade installs the repository's version)"
                    ));
                    return;
                }
                // Going back is judged by the size of the step, like going
                // forward: back across a major number breaks.
                Bump::between(&new, &old).unwrap_or(Bump::Patch)
            }
            Ordering::Equal => {
                drift(plan, manifests, c, &new);
                return;
            }
        };
        plan.publish = Some(publish(c));
        plan.changelog = changelog_between(&c.changelog, &old, &new);
        if matches!(c.changelog, Changelog::Unversioned(_)) {
            plan.warnings.push(
                "the changelog has no versions, so the entries of this upgrade cannot be told apart"
                    .to_string(),
            );
        }

        let marked_breaking = plan.changelog.iter().any(|e| e.breaking);
        match manifests {
            Some(read) => {
                plan.detection = Some(Detection::Manifests);
                plan.warnings.extend(read.problems);
                if installed.auth_types.is_empty() && c.components.iter().any(|x| x.auth.is_some())
                {
                    plan.warnings.push(
                        "the snapshot has no authTypes for it, so a change of auth type (API key \
                         to OAuth) cannot be seen"
                            .to_string(),
                    );
                }
                plan.findings = compare(&read.components, &c.components);
                plan.required = required(&plan.findings);
            }
            None => {
                plan.detection = Some(Detection::Changelog);
                plan.required = if marked_breaking {
                    Bump::Major
                } else {
                    declared
                };
            }
        }

        let major = declared == Bump::Major;
        plan.breaking = major || plan.required == Bump::Major;
        if plan.change.is_upgrade() {
            plan.undeclared_breaking = plan.breaking && !major;
            plan.breaking_by_declaration_only = major
                && plan.detection == Some(Detection::Manifests)
                && plan.required < Bump::Major;
        }
        if plan.breaking {
            self.stop_flows(plan, uses);
        }
    }

    /// Running flows to stop, their owners and one notification each.
    fn stop_flows(&self, plan: &mut ConnectorPlan, uses: &[Use]) {
        let mut running: Vec<&Use> = uses
            .iter()
            .filter(|u| u.flow.stage == Stage::Running)
            .collect();
        running.sort_by(|a, b| a.flow.flow_id.cmp(&b.flow.flow_id));

        let mut owners: BTreeMap<&str, usize> = BTreeMap::new();
        for u in running {
            let hit_by = u.hit_by(&plan.findings);
            let email = self.email(&u.flow.user_id);
            *owners.entry(&u.flow.user_id).or_default() += 1;
            plan.notifications.push(Notification {
                user_id: u.flow.user_id.clone(),
                email: email.clone(),
                title: format!("Flow \"{}\" stopped", display_name(u)),
                created: self.captured.to_string(),
                flow_id: u.flow.flow_id.clone(),
                flow_name: u.flow.name.clone(),
                additional: NotificationDetail {
                    module: plan.name.clone(),
                    module_label: plan.label.clone(),
                    reason: reason(plan, &hit_by),
                },
            });
            plan.flows_to_stop.push(FlowToStop {
                flow_id: u.flow.flow_id.clone(),
                name: u.flow.name.clone(),
                user_id: u.flow.user_id.clone(),
                email,
                hit_by,
            });
        }
        plan.owners = owners
            .into_iter()
            .map(|(user_id, flows)| Owner {
                user_id: user_id.to_string(),
                email: self.email(user_id),
                flows,
            })
            .collect();
    }
}

fn display_name<'a>(u: &'a Use) -> &'a str {
    if u.flow.name.is_empty() {
        &u.flow.flow_id
    } else {
        &u.flow.name
    }
}

/// The notification's reason: the connector, the new version and the first
/// finding that hits the flow (or why the upgrade breaks at all).
fn reason(plan: &ConnectorPlan, hit_by: &[String]) -> String {
    let target = plan.target.as_deref().unwrap_or("?");
    let head = format!(
        "New non-compatible version {target} of the module {} will be installed",
        plan.name
    );
    let first_hit = hit_by
        .first()
        .and_then(|fp| plan.findings.iter().find(|f| &f.fingerprint == fp));
    if let Some(f) = first_hit {
        let more = match hit_by.len() {
            1 => String::new(),
            n => format!(" (and {} more changes)", n - 1),
        };
        return format!("{head}: {} {}{more}.", f.component, f.message);
    }
    // The flow uses nothing a finding names: it is stopped with the rest
    // of the module's running flows, and the reason must not suggest
    // otherwise.
    if let Some(f) = plan.findings.iter().find(|f| f.bump == Bump::Major) {
        return format!(
            "{head}; this flow uses none of the changed components but is stopped with every \
             running flow of the module (among the changes: {} {}).",
            f.component, f.message
        );
    }
    if let Some(e) = plan.changelog.iter().find(|e| e.breaking) {
        return format!("{head}: {} ({}).", e.text.trim(), e.version);
    }
    if plan.change == Change::Major {
        format!("{head}: its major version changes.")
    } else {
        format!("{head}.")
    }
}

/// Marks a connector as not planned.
fn fail(plan: &mut ConnectorPlan, why: String) {
    plan.failed = true;
    plan.change = Change::None;
    plan.warnings.push(why);
}

/// Same version on both sides: nothing to publish, but manifests that
/// differ mean the tenant runs something else under this version, and a
/// publish cannot fix that (the tenant keeps an existing version).
fn drift(
    plan: &mut ConnectorPlan,
    manifests: Option<crate::tenant::installed::InstalledComponents>,
    c: &Connector,
    version: &semver::Version,
) {
    let Some(read) = manifests else { return };
    let differences = compare(&read.components, &c.components);
    if !differences.is_empty() {
        plan.warnings.push(format!(
            "the tenant's manifests differ from the repository's at the same version {version} \
             ({} finding{}); the tenant keeps an existing version, so the repository needs a new \
             one for the change to land",
            differences.len(),
            if differences.len() == 1 { "" } else { "s" }
        ));
    }
}

fn failed_warning(c: &Connector) -> String {
    format!(
        "{} failed the repository scan (an unreadable bundle or component) and is left out of \
         the plan; run `check` for details",
        c.name
    )
}

fn publish(c: &Connector) -> Publish {
    Publish {
        zip: format!("{}.zip", c.name),
        path: c.path.clone(),
    }
}

/// Releases after `old` up to and including `new`, oldest first, by semver
/// precedence. Keys that are not strict versions were reported by the scan
/// and are left out here.
pub(crate) fn changelog_between(
    changelog: &Changelog,
    old: &semver::Version,
    new: &semver::Version,
) -> Vec<ChangelogEntry> {
    let (low, high) = if old.cmp_precedence(new) == Ordering::Less {
        (old, new)
    } else {
        (new, old)
    };
    let mut out = Vec::new();
    for release in changelog.releases() {
        let Ok(v) = version::parse_strict(&release.version) else {
            continue;
        };
        if v.cmp_precedence(low) == Ordering::Greater && v.cmp_precedence(high) != Ordering::Greater
        {
            out.extend(release.entries.iter().map(|e| ChangelogEntry {
                version: release.version.clone(),
                text: e.text.clone(),
                breaking: e.breaking,
            }));
        }
    }
    out
}

fn orphan(plan: &mut ConnectorPlan, installed: &Installed, index: usize, uses: &[Use]) {
    plan.change = Change::Orphan;
    let kinds: HashMap<String, ComponentKind> = read_components(installed, index)
        .map(|read| {
            read.components
                .into_iter()
                .map(|c| (c.name, c.kind))
                .collect()
        })
        .unwrap_or_default();
    let used: BTreeSet<String> = uses.iter().flat_map(|u| u.component_names()).collect();
    let mut impact = OrphanImpact {
        triggers: Vec::new(),
        actions: Vec::new(),
        unknown: Vec::new(),
        consequences: Vec::new(),
    };
    for name in used {
        match kinds.get(&name) {
            Some(ComponentKind::Action) => impact.actions.push(name),
            Some(_) => impact.triggers.push(name),
            None => impact.unknown.push(name),
        }
    }
    if !impact.triggers.is_empty() || !impact.unknown.is_empty() {
        impact.consequences.push(ORPHAN_TRIGGERS.to_string());
    }
    if !impact.actions.is_empty() || !impact.unknown.is_empty() {
        impact.consequences.push(ORPHAN_ACTIONS.to_string());
    }
    plan.orphan = Some(impact);
}

fn summarize(connectors: &[ConnectorPlan]) -> Summary {
    let mut s = Summary::default();
    let mut flows: HashSet<&str> = HashSet::new();
    let mut owners: HashSet<&str> = HashSet::new();
    for c in connectors {
        match c.change {
            Change::None if c.failed => s.failed += 1,
            Change::None => s.up_to_date += 1,
            Change::Patch | Change::Minor | Change::Major => s.upgrade += 1,
            Change::Downgrade => {
                s.downgrade += 1;
                s.refused += usize::from(c.refused);
            }
            Change::Install => s.install += 1,
            Change::Orphan => s.orphan += 1,
        }
        s.breaking += usize::from(c.breaking);
        s.undeclared_breaking += usize::from(c.undeclared_breaking);
        s.notifications += c.notifications.len();
        flows.extend(c.flows_to_stop.iter().map(|f| f.flow_id.as_str()));
        owners.extend(c.owners.iter().map(|o| o.user_id.as_str()));
    }
    s.flows_to_stop = flows.len();
    s.owners_to_notify = owners.len();
    s
}

impl Summary {
    /// Something would be published or needs an admin's attention.
    pub fn has_changes(&self) -> bool {
        self.upgrade + self.install + self.orphan + (self.downgrade - self.refused) > 0
    }
}

/// The access rules now and, with `--lockdown`, the list that replaces
/// every broad `user` rule (the generic `user *`, and prefixes such as
/// `acme*` that would also reach connectors not installed yet) by one rule
/// per installed connector it reached.
fn access(tenant: &crate::tenant::Snapshot, rules: &[AclRule], options: PlanOptions) -> Access {
    let generic = rules.iter().any(AclRule::is_generic);
    // Without the rules, a proposal would be a list that replaces rules
    // nobody has seen: `apply` would erase them.
    let lockdown = (options.lockdown && tenant.acl.is_some()).then(|| lockdown(tenant, rules));
    Access {
        known: tenant.acl.is_some(),
        generic_rule: generic,
        rules: rules.len(),
        lockdown,
    }
}

fn lockdown(tenant: &crate::tenant::Snapshot, rules: &[AclRule]) -> Lockdown {
    let mut installed: Vec<&str> = tenant.installed.iter().map(|i| i.name.as_str()).collect();
    installed.sort_unstable();
    // A `user` rule is narrow when it names an installed connector's
    // components (`acme.chatter.*`, `acme.chatter.messages.*`); anything
    // wider lets users into what gets installed next.
    let narrow = |r: &AclRule| {
        let prefix = r.resource.strip_suffix('*').unwrap_or(&r.resource);
        installed
            .iter()
            .any(|name| prefix.starts_with(&format!("{name}.")))
    };
    let (removed, kept): (Vec<&AclRule>, Vec<&AclRule>) = rules
        .iter()
        .partition(|r| r.role == crate::tenant::acl::EVERY_USER && !narrow(r));

    let mut added: Vec<AclRule> = Vec::new();
    for name in installed {
        let still = kept.iter().any(|r| {
            r.role == crate::tenant::acl::EVERY_USER && r.reach(name) == Some(Reach::Whole)
        });
        let Some(template) = removed.iter().find(|r| r.reach(name) == Some(Reach::Whole)) else {
            continue;
        };
        if still {
            continue;
        }
        // `<name>.*` rather than `<name>*` so that a rule for `acme.chat`
        // does not also reach `acme.chatter`.
        added.push(AclRule {
            role: crate::tenant::acl::EVERY_USER.to_string(),
            resource: format!("{name}.*"),
            action: template.action.clone(),
            attributes: template.attributes.clone(),
        });
    }
    let mut all: Vec<AclRule> = kept.into_iter().cloned().collect();
    all.extend(added.iter().cloned());
    Lockdown {
        rules: all,
        removed: removed.into_iter().cloned().collect(),
        added,
    }
}

/// Connectors that failed the scan: their bundle, or an error in a file
/// of theirs (a component that could not be read is missing from the
/// model, and would read as removed). An error belongs to the connector
/// with the longest path that contains it; errors of a parent service
/// without a bundle belong to none.
pub(crate) fn broken(repo: &Repository) -> HashSet<&str> {
    let mut out: HashSet<&str> = repo
        .connectors
        .iter()
        .filter(|c| c.failed)
        .map(|c| c.name.as_str())
        .collect();
    for d in &repo.diagnostics {
        if d.severity != crate::diag::Severity::Error {
            continue;
        }
        let owner = repo
            .connectors
            .iter()
            .filter(|c| {
                d.path
                    .strip_prefix(c.path.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
            })
            .max_by_key(|c| c.path.len());
        if let Some(c) = owner {
            out.insert(c.name.as_str());
        }
    }
    out
}
