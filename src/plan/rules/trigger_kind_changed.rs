//! `trigger-kind-changed`: a trigger now polls where it listened, or the
//! other way round.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "trigger-kind-changed",
    summary: "A trigger's kind changed (polling, webhook, or to or from an action)",
    bump: Bump::Major,
    affects: Affects::Component,
    explanation: "A polling trigger keeps its own state of what it has seen; a webhook trigger \
        registers a hook when the flow starts. Switching kinds drops that state or the hook, so \
        flows must be stopped and started again and may miss or repeat events in between.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    if old.kind != new.kind && (old.kind.is_trigger() || new.kind.is_trigger()) {
        hits.push(Hit::new(
            "kind",
            format!("changed from {} to {}", old.kind.label(), new.kind.label()),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn polling_then_webhook() {
        let before = r#"{"name": "acme.x.NewThing", "tick": true, "outPorts": ["out"]}"#;
        let after = r#"{"name": "acme.x.NewThing", "webhook": true, "outPorts": ["out"]}"#;
        assert_only(Some(before), Some(after), "trigger-kind-changed", "kind");
    }
}
