//! What the site shows about one tenant: installed versions and update
//! status per connector, the access rules and whom they let in, flows by
//! stage, and the upgrade plan.
//!
//! Built from a snapshot and the plan made from it, before rendering; the
//! templates read these views and nothing else. The site never talks to a
//! tenant.

use crate::plan::model::{Change, ConnectorPlan, Plan};
use crate::tenant::acl::{Reach, EVERY_USER};
use crate::tenant::{AclRule, Snapshot, Stage, User};
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything tenant-related the site renders.
#[derive(Debug, Clone, Serialize)]
pub struct TenantSite {
    pub name: String,
    pub captured: String,
    pub acl_known: bool,
    pub generic_rule: bool,
    /// Per connector name (repository and installed).
    pub connectors: BTreeMap<String, ConnectorStatus>,
    /// The access-control page.
    pub rules: Vec<RuleView>,
    /// The upgrade report page: the plan as it is.
    pub plan: Plan,
    pub summary_line: String,
}

/// One connector on this tenant.
#[derive(Debug, Clone, Serialize)]
pub struct ConnectorStatus {
    pub installed: Option<String>,
    /// `installed` or `not-installed` (the index filter's values).
    pub installation: &'static str,
    /// `up-to-date`, `update`, `breaking`, `downgrade` or `none` when not
    /// installed (the index filter's values).
    pub update: &'static str,
    pub change: Change,
    pub breaking: bool,
    pub undeclared_breaking: bool,
    /// Rules that reach this connector, whole or in part.
    pub access: Vec<RuleView>,
    pub running: Vec<FlowView>,
    pub stopped: Vec<FlowView>,
    pub flows_to_stop: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlowView {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub components: Vec<String>,
}

/// A connector named on a tenant page; only the repository's have a page
/// of their own (an orphan is known from the snapshot alone).
#[derive(Debug, Clone, Serialize)]
pub struct ConnectorRef {
    pub name: String,
    pub page: bool,
}

/// One access rule, as people read it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    pub role: String,
    pub resource: String,
    pub attributes: String,
    pub generic: bool,
    /// Whom the rule lets in, in words.
    pub who: String,
    /// `whole` or `part` on a connector page; empty on the rules page.
    pub reach: &'static str,
    /// On the rules page: the connectors the rule reaches as a whole.
    pub connectors: Vec<ConnectorRef>,
    /// A `user` rule that adds nothing while the generic rule stands.
    pub shadowed: bool,
}

impl TenantSite {
    /// `names` are the repository's connectors the site publishes. The
    /// plan is kept, not copied: the upgrade report renders it whole.
    pub fn new(snapshot: &Snapshot, plan: Plan, names: &[&str]) -> Self {
        let rules: &[AclRule] = snapshot.acl.as_ref().map_or(&[], |a| &a.components);
        let generic_rule = rules.iter().any(AclRule::is_generic);
        let emails: BTreeMap<&str, &str> = snapshot
            .users
            .iter()
            .filter_map(|u| Some((u.id.as_str(), u.email.as_deref()?)))
            .collect();

        let mut every: Vec<&str> = names.to_vec();
        every.extend(snapshot.installed.iter().map(|i| i.name.as_str()));
        every.sort_unstable();
        every.dedup();

        let plans: BTreeMap<&str, &ConnectorPlan> = plan
            .connectors
            .iter()
            .map(|c| (c.name.as_str(), c))
            .collect();
        let connectors = every
            .iter()
            .map(|name| {
                let status = status(plans.get(name).copied(), name, rules, snapshot, &emails);
                (name.to_string(), status)
            })
            .collect();
        let rule_views = rules
            .iter()
            .map(|r| {
                let mut v = rule_view(r, &snapshot.users, generic_rule, "");
                v.connectors = every
                    .iter()
                    .filter(|n| r.reach(n) == Some(Reach::Whole))
                    .map(|n| ConnectorRef {
                        name: n.to_string(),
                        page: names.contains(n),
                    })
                    .collect();
                v
            })
            .collect();
        TenantSite {
            name: snapshot.tenant.name.clone(),
            captured: snapshot.tenant.captured.clone(),
            acl_known: snapshot.acl.is_some(),
            generic_rule,
            connectors,
            rules: rule_views,
            summary_line: crate::plan::render::summary_line(&plan.summary),
            plan,
        }
    }
}

fn status(
    plan: Option<&ConnectorPlan>,
    name: &str,
    rules: &[AclRule],
    snapshot: &Snapshot,
    emails: &BTreeMap<&str, &str>,
) -> ConnectorStatus {
    let generic = rules.iter().any(AclRule::is_generic);
    let installed = plan.and_then(|p| p.installed.clone());
    let change = plan.map_or(Change::None, |p| p.change);
    let breaking = plan.is_some_and(|p| p.breaking);
    let update = match (&installed, change) {
        (None, _) => "none",
        (Some(_), Change::Downgrade) => "downgrade",
        (Some(_), c) if c.is_upgrade() && breaking => "breaking",
        (Some(_), c) if c.is_upgrade() => "update",
        _ => "up-to-date",
    };
    let access = rules
        .iter()
        .filter_map(|r| {
            let reach = match r.reach(name)? {
                Reach::Whole => "whole",
                Reach::Part => "part",
            };
            Some(rule_view(r, &snapshot.users, generic, reach))
        })
        .collect();

    let mut running = Vec::new();
    let mut stopped = Vec::new();
    for f in plan.map_or(&[][..], |p| p.flows.as_slice()) {
        let view = FlowView {
            id: f.flow_id.clone(),
            name: f.name.clone(),
            owner: emails
                .get(f.user_id.as_str())
                .map_or_else(|| f.user_id.clone(), |e| e.to_string()),
            components: f.components.clone(),
        };
        match f.stage {
            Stage::Running => running.push(view),
            Stage::Stopped => stopped.push(view),
        }
    }
    ConnectorStatus {
        installation: if installed.is_some() {
            "installed"
        } else {
            "not-installed"
        },
        installed,
        update,
        change,
        breaking,
        undeclared_breaking: plan.is_some_and(|p| p.undeclared_breaking),
        access,
        running,
        stopped,
        flows_to_stop: plan.map_or(0, |p| p.flows_to_stop.len()),
    }
}

fn rule_view(r: &AclRule, users: &[User], generic: bool, reach: &'static str) -> RuleView {
    RuleView {
        role: r.role.clone(),
        resource: r.resource.clone(),
        attributes: r.attributes.join(", "),
        generic: r.is_generic(),
        who: who(&r.role, users),
        reach,
        connectors: Vec::new(),
        shadowed: generic && !r.is_generic() && r.role == EVERY_USER,
    }
}

/// Whom a role lets in: every user, users with a scope, one address, or
/// everyone at a domain; with the number of such users in the snapshot.
pub fn who(role: &str, users: &[User]) -> String {
    let count = |f: &dyn Fn(&User) -> bool| users.iter().filter(|u| f(u)).count();
    let n_users = |n: usize| format!("{n} user{}", if n == 1 { "" } else { "s" });
    if role == EVERY_USER {
        return format!("every user ({} in the snapshot)", n_users(users.len()));
    }
    if let Some((local, domain)) = role.split_once('@') {
        if local.is_empty() {
            return domain_view(domain, users);
        }
        let known = users.iter().any(|u| {
            u.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(role))
        });
        return format!(
            "the user {role}{}",
            if known { "" } else { " (not in the snapshot)" }
        );
    }
    if role.contains('.') {
        return domain_view(role, users);
    }
    let n = count(&|u: &User| u.scope.iter().any(|s| s == role));
    format!("users with the {role} scope ({})", n_users(n))
}

fn domain_view(domain: &str, users: &[User]) -> String {
    let suffix = format!("@{}", domain.to_ascii_lowercase());
    let n = users
        .iter()
        .filter(|u| {
            u.email
                .as_deref()
                .is_some_and(|e| e.to_ascii_lowercase().ends_with(&suffix))
        })
        .count();
    format!(
        "everyone at {domain} ({n} user{})",
        if n == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, email: &str, scope: &[&str]) -> User {
        User {
            id: id.into(),
            username: None,
            email: Some(email.into()),
            scope: scope.iter().map(|s| s.to_string()).collect(),
            is_active: Some(true),
        }
    }

    #[test]
    fn roles_are_read_as_scopes_addresses_or_domains() {
        let users = [
            user("1", "ann@example.test", &["user", "admin"]),
            user("2", "bob@ops.example.test", &["user"]),
            user("3", "cy@Example.test", &["user"]),
        ];
        assert_eq!(who("user", &users), "every user (3 users in the snapshot)");
        assert_eq!(who("admin", &users), "users with the admin scope (1 user)");
        assert_eq!(
            who("tester", &users),
            "users with the tester scope (0 users)"
        );
        assert_eq!(who("ann@example.test", &users), "the user ann@example.test");
        assert_eq!(
            who("zed@example.test", &users),
            "the user zed@example.test (not in the snapshot)"
        );
        assert_eq!(
            who("example.test", &users),
            "everyone at example.test (2 users)"
        );
        assert_eq!(
            who("@ops.example.test", &users),
            "everyone at ops.example.test (1 user)"
        );
    }
}
