//! `component-removed`: a component flows could use is gone.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "component-removed",
    summary: "A component that flows can use was removed",
    bump: Bump::Major,
    affects: Affects::Component,
    explanation: "Flows that use the component fail each time it should run: a trigger keeps \
        failing, an action's messages are retried and then land in the dead-letter queue. Owners \
        must replace the component before the upgrade. Private helpers are not counted: flows \
        never place them.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    if let (Some(old), None) = (pair.old, pair.new) {
        if !old.private {
            hits.push(Hit::new("", format!("\"{}\" was removed", old.label)));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn a_public_component_that_is_gone() {
        let before = r#"{"name": "acme.x.Send", "inPorts": ["in"]}"#;
        assert_only(Some(before), None, "component-removed", "");
    }

    #[test]
    fn a_private_helper_that_is_gone_is_not_a_finding() {
        let before = r#"{"name": "acme.x.ListThings", "private": true, "inPorts": ["in"]}"#;
        let old = vec![crate::plan::rules::testing::component(before, &[])];
        assert_eq!(crate::plan::rules::testing::findings(&old, &[]), vec![]);
    }
}
