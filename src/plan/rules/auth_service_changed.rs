//! `auth-service-changed`: a component signs in through another service.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "auth-service-changed",
    summary: "A component's auth service changed",
    bump: Bump::Major,
    affects: Affects::Component,
    explanation: "Accounts belong to an auth service. Accounts connected for the old service do \
        not work with the new one, so every flow that uses the component needs its owner to \
        connect a new account and select it.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    if let (Some(before), Some(after)) = (&old.auth, &new.auth) {
        if before.service != after.service {
            hits.push(Hit::new(
                "auth.service",
                format!(
                    "auth service changed from {} to {}",
                    before.service, after.service
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn one_service_then_another() {
        let before = r#"{"name": "acme.x.Get", "inPorts": ["in"], "auth": {"service": "acme:x"}}"#;
        let after = r#"{"name": "acme.x.Get", "inPorts": ["in"], "auth": {"service": "acme:y"}}"#;
        assert_only(
            Some(before),
            Some(after),
            "auth-service-changed",
            "auth.service",
        );
    }
}
