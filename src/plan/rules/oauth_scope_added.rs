//! `oauth-scope-added`: a component asks for more than accounts granted.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "oauth-scope-added",
    summary: "A component asks for a new OAuth scope (accounts must be reconnected)",
    bump: Bump::Major,
    affects: Affects::Component,
    explanation: "Connected accounts were granted the old scopes only. Calls that need the new \
        scope are refused by the service until each owner reconnects the account and grants it.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    let (Some(before), Some(after)) = (&old.auth, &new.auth) else {
        return;
    };
    // A new service is a new account altogether: `auth-service-changed`.
    if before.service != after.service {
        return;
    }
    for scope in &after.scopes {
        if !before.scopes.contains(scope) {
            hits.push(Hit::new(
                format!("auth.scope.{scope}"),
                format!("asks for the new scope {scope}"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn a_scope_more() {
        let before = r#"{"name": "acme.x.Send", "inPorts": ["in"],
            "auth": {"service": "acme:x", "scope": ["chat:write"]}}"#;
        let after = r#"{"name": "acme.x.Send", "inPorts": ["in"],
            "auth": {"service": "acme:x", "scope": ["chat:write", "files:write"]}}"#;
        assert_only(
            Some(before),
            Some(after),
            "oauth-scope-added",
            "auth.scope.files:write",
        );
    }
}
