//! What access-control rules mean for a connector: which rules reach it,
//! whether every user sees it, and which rule is the generic `user * *`.
//!
//! Matching is by component-name prefix, as the tenant does it. This module
//! only reads rules; proposing new ones is the plan's business.

use crate::tenant::model::AclRule;
use serde::{Deserialize, Serialize};

/// How much of a connector a rule reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reach {
    /// Every component of the connector, present and future.
    Whole,
    /// Only the components under a narrower prefix (a module or one
    /// component).
    Part,
}

/// The role every signed-in user has.
pub const EVERY_USER: &str = "user";

impl AclRule {
    /// The generic rule: role `user`, resource `*`. While it exists every
    /// user sees every installed connector, new ones included.
    pub fn is_generic(&self) -> bool {
        self.role == EVERY_USER && self.resource == "*"
    }

    /// Does the rule let its role use public components? `private` alone
    /// covers only helpers that flows cannot place.
    pub fn grants_public(&self) -> bool {
        self.attributes.is_empty()
            || self
                .attributes
                .iter()
                .any(|a| a == "non-private" || a == "*")
    }

    /// How much of connector `name` this rule reaches, if anything.
    ///
    /// A resource is a prefix with a trailing `*`: `acme.chat*` reaches
    /// `acme.chatter` whole, by accident of spelling, exactly as the tenant
    /// would match it.
    pub fn reach(&self, name: &str) -> Option<Reach> {
        let prefix = self.resource.strip_suffix('*').unwrap_or(&self.resource);
        let components = format!("{name}.");
        if components.starts_with(prefix) {
            Some(Reach::Whole)
        } else if prefix.starts_with(&components) {
            Some(Reach::Part)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(role: &str, resource: &str) -> AclRule {
        AclRule {
            role: role.into(),
            resource: resource.into(),
            action: vec!["*".into()],
            attributes: vec!["non-private".into()],
        }
    }

    #[test]
    fn prefixes_reach_whole_connectors_or_parts() {
        assert_eq!(rule("user", "*").reach("acme.chatter"), Some(Reach::Whole));
        assert_eq!(
            rule("user", "acme*").reach("acme.chatter"),
            Some(Reach::Whole)
        );
        assert_eq!(
            rule("user", "acme.chatter.*").reach("acme.chatter"),
            Some(Reach::Whole)
        );
        assert_eq!(
            rule("user", "acme.chatter.messages*").reach("acme.chatter"),
            Some(Reach::Part)
        );
        assert_eq!(rule("user", "acme.ledger*").reach("acme.chatter"), None);
    }

    #[test]
    fn a_bare_name_prefix_also_reaches_longer_names() {
        // The reason lockdown rules end in `.*`: `appmixer.canva*` would
        // also let users into `appmixer.canvas`.
        assert_eq!(
            rule("user", "acme.chat*").reach("acme.chatter"),
            Some(Reach::Whole)
        );
        assert_eq!(rule("user", "acme.chat.*").reach("acme.chatter"), None);
    }

    #[test]
    fn only_user_star_is_generic() {
        assert!(rule("user", "*").is_generic());
        assert!(!rule("admin", "*").is_generic());
        assert!(!rule("user", "acme*").is_generic());
    }
}
