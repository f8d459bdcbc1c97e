//! `auth-added`: a component that needed no account now needs one.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "auth-added",
    summary: "A component that needed no account now needs one",
    bump: Bump::Major,
    affects: Affects::Component,
    explanation: "Flows that use the component have no account selected for it, so it cannot run \
        until each owner connects an account and picks it in the flow.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    if let (None, Some(auth)) = (&old.auth, &new.auth) {
        hits.push(Hit::new(
            "auth",
            format!("now needs an account of {}", auth.service),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn no_auth_then_auth() {
        let before = r#"{"name": "acme.x.Get", "inPorts": ["in"]}"#;
        let after = r#"{"name": "acme.x.Get", "inPorts": ["in"], "auth": {"service": "acme:x"}}"#;
        assert_only(Some(before), Some(after), "auth-added", "auth");
    }
}
