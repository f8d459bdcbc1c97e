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
        plan.change = Change::Install;
        if c.failed {
            plan.warnings.push(failed_warning(c));
            plan.change = Change::None;
            return;
        }
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
            .any(|r| r.role == crate::tenant::acl::EVERY_USER);
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
        if c.failed {
            plan.warnings.push(failed_warning(c));
            return;
        }
        // The snapshot loader has already refused non-strict installed
        // versions; the repository's may still be missing or malformed.
        let (Ok(old), Some(Ok(new))) = (
            version::parse_strict(&installed.version),
            c.version.as_deref().map(version::parse_strict),
        ) else {
            plan.warnings.push(format!(
                "the repository's version of {} is missing or invalid; run `check` for details",
                c.name
            ));
            return;
        };

        let declared = match (Bump::between(&old, &new), Bump::between(&new, &old)) {
            (Some(bump), _) => bump,
            (None, Some(_)) => {
                plan.change = Change::Downgrade;
                plan.refused = !self.options.allow_downgrade;
                if plan.refused {
                    plan.warnings.push(format!(
                        "the tenant has {old}, newer than the repository's {new}; left as it is \
                         (--allow-downgrade installs the repository's version)"
                    ));
                    return;
                }
                Bump::Major
            }
            (None, None) => return,
        };
        if plan.change != Change::Downgrade {
            plan.change = match declared {
                Bump::Major => Change::Major,
                Bump::Minor => Change::Minor,
                _ => Change::Patch,
            };
        }
        plan.publish = Some(publish(c));
        plan.changelog = changelog_between(&c.changelog, &old, &new);
        if matches!(c.changelog, Changelog::Unversioned(_)) {
            plan.warnings.push(
                "the changelog has no versions, so the entries of this upgrade cannot be told apart"
                    .to_string(),
            );
        }

        let marked_breaking = plan.changelog.iter().any(|e| e.breaking);
        match read_components(installed, index) {
            Some(read) => {
                plan.detection = Some(Detection::Manifests);
                plan.warnings.extend(read.problems);
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
        plan.undeclared_breaking = plan.breaking && !major;
        plan.breaking_by_declaration_only =
            major && plan.detection == Some(Detection::Manifests) && plan.required < Bump::Major;
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
    if let Some(f) = plan.findings.iter().find(|f| f.bump == Bump::Major) {
        return format!("{head}: {} {}.", f.component, f.message);
    }
    if let Some(e) = plan.changelog.iter().find(|e| e.breaking) {
        return format!("{head}: {} ({}).", e.text.trim(), e.version);
    }
    format!("{head}: its major version changes.")
}

fn failed_warning(c: &Connector) -> String {
    format!(
        "{} failed the repository scan and is left out of the plan; run `check` for details",
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
    let (low, high) = if old < new { (old, new) } else { (new, old) };
    let mut out = Vec::new();
    for release in changelog.releases() {
        let Ok(v) = version::parse_strict(&release.version) else {
            continue;
        };
        if &v > low && &v <= high {
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
            Change::None => s.up_to_date += usize::from(c.warnings.is_empty()),
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

/// The access rules now and, with `--lockdown`, the list that replaces the
/// generic rule by one rule per installed connector.
fn access(tenant: &crate::tenant::Snapshot, rules: &[AclRule], options: PlanOptions) -> Access {
    let generic: Vec<&AclRule> = rules.iter().filter(|r| r.is_generic()).collect();
    let lockdown = options.lockdown.then(|| {
        // The new rules grant what the generic one granted, connector by
        // connector; `<name>.*` rather than `<name>*` so that a rule for
        // `acme.chat` does not also reach `acme.chatter`.
        let template = generic.first().copied();
        let attributes =
            template.map_or_else(|| vec!["non-private".to_string()], |r| r.attributes.clone());
        let action = template.map_or_else(|| vec!["*".to_string()], |r| r.action.clone());
        let kept: Vec<AclRule> = rules.iter().filter(|r| !r.is_generic()).cloned().collect();
        // Without a generic rule the tenant is locked down already: adding
        // rules now would grant what an admin chose to keep hidden.
        if generic.is_empty() {
            return Lockdown {
                rules: kept,
                removed: Vec::new(),
                added: Vec::new(),
            };
        }
        let mut names: Vec<&str> = tenant.installed.iter().map(|i| i.name.as_str()).collect();
        names.sort_unstable();
        let added: Vec<AclRule> = names
            .into_iter()
            .filter(|name| {
                !kept.iter().any(|r| {
                    r.role == crate::tenant::acl::EVERY_USER && r.reach(name) == Some(Reach::Whole)
                })
            })
            .map(|name| AclRule {
                role: crate::tenant::acl::EVERY_USER.to_string(),
                resource: format!("{name}.*"),
                action: action.clone(),
                attributes: attributes.clone(),
            })
            .collect();
        let mut all = kept;
        all.extend(added.iter().cloned());
        Lockdown {
            rules: all,
            removed: generic.iter().map(|r| (*r).clone()).collect(),
            added,
        }
    });
    Access {
        known: tenant.acl.is_some(),
        generic_rule: !generic.is_empty(),
        rules: rules.len(),
        lockdown,
    }
}
