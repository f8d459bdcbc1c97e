//! `component-made-private`: a component is hidden from the designer.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "component-made-private",
    summary: "A public component was made private",
    bump: Bump::Major,
    affects: Affects::Component,
    explanation: "A private component is a helper that flows cannot place. Flows that already use \
        it can no longer be edited around it, and new flows cannot use it. Owners should move to \
        the replacement component.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    if let Some((old, new)) = pair.both() {
        if !old.private && new.private {
            hits.push(Hit::new(
                "private",
                format!("\"{}\" is now private", new.label),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn public_then_private() {
        let before = r#"{"name": "acme.x.List", "inPorts": ["in"]}"#;
        let after = r#"{"name": "acme.x.List", "private": true, "inPorts": ["in"]}"#;
        assert_only(
            Some(before),
            Some(after),
            "component-made-private",
            "private",
        );
    }
}
