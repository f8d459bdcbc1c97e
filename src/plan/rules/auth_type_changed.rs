//! `auth-type-changed`: the same service now signs in another way.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "auth-type-changed",
    summary: "The auth type changed (for example API key to OAuth)",
    bump: Bump::Major,
    affects: Affects::Component,
    explanation: "The type comes from the service's auth.js. Accounts connected the old way (an \
        API key, a password) cannot be used the new way (an OAuth grant): every owner must \
        reconnect. Without auth types in the snapshot this rule cannot see the change.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    let before = old.auth.as_ref().and_then(|a| a.auth_type.as_deref());
    let after = new.auth.as_ref().and_then(|a| a.auth_type.as_deref());
    if let (Some(before), Some(after)) = (before, after) {
        if before != after {
            hits.push(Hit::new(
                "auth.type",
                format!("auth type changed from {before} to {after}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::{assert_pair, component};

    #[test]
    fn api_key_then_oauth2() {
        let manifest =
            r#"{"name": "acme.x.Get", "inPorts": ["in"], "auth": {"service": "acme:x"}}"#;
        let before = component(manifest, &[("acme/x", "apiKey")]);
        let after = component(manifest, &[("acme/x", "oauth2")]);
        assert_pair(&[before], &[after], "auth-type-changed", "auth.type");
    }
}
