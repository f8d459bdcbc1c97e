//! `oauth-scope-added`: a component asks for more than accounts granted.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "oauth-scope-added",
    summary: "A component asks for a new OAuth scope (accounts must be reconnected)",
    bump: Bump::Major,
    affects: Affects::Component,
    explanation: "Connected accounts were granted the old scopes only. Calls that need the new \
        scope are refused by the service until each owner reconnects the account and grants it. \
        Only OAuth services (`oauth`, `oauth2`) grant scopes: a service whose auth.js declares \
        another type (`apiKey`, `pwd`) is not a finding. A service whose type is unknown (no \
        auth.js, or no known type in it) is counted, since it may be OAuth.",
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
    if !matches!(after.auth_type.as_deref(), None | Some("oauth" | "oauth2")) {
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
    use crate::plan::rules::testing::{assert_only, assert_pair, component, findings};

    const BEFORE: &str = r#"{"name": "acme.x.Send", "inPorts": ["in"],
        "auth": {"service": "acme:x", "scope": ["chat:write"]}}"#;
    const AFTER: &str = r#"{"name": "acme.x.Send", "inPorts": ["in"],
        "auth": {"service": "acme:x", "scope": ["chat:write", "files:write"]}}"#;

    #[test]
    fn a_scope_more_for_an_unknown_auth_type() {
        assert_only(
            Some(BEFORE),
            Some(AFTER),
            "oauth-scope-added",
            "auth.scope.files:write",
        );
    }

    #[test]
    fn a_scope_more_for_oauth() {
        for auth_type in ["oauth", "oauth2"] {
            let auth = [("acme/x", auth_type)];
            assert_pair(
                &[component(BEFORE, &auth)],
                &[component(AFTER, &auth)],
                "oauth-scope-added",
                "auth.scope.files:write",
            );
        }
    }

    #[test]
    fn scopes_mean_nothing_to_api_keys_and_passwords() {
        for auth_type in ["apiKey", "pwd"] {
            let auth = [("acme/x", auth_type)];
            let (old, new) = (component(BEFORE, &auth), component(AFTER, &auth));
            assert_eq!(findings(&[old], &[new]), vec![], "{auth_type}");
        }
    }
}
