//! `component-added`: something new to place in flows.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "component-added",
    summary: "A component was added",
    bump: Bump::Minor,
    affects: Affects::Component,
    explanation: "New functionality; no existing flow uses it. Private helpers are not counted; a \
        helper made public counts as added, since no flow could place it before.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some(new) = pair.new.filter(|n| !n.private) else {
        return;
    };
    match pair.old {
        None => hits.push(Hit::new("", format!("\"{}\" was added", new.label))),
        Some(old) if old.private => hits.push(Hit::new(
            "",
            format!("\"{}\" was a private helper and is now public", new.label),
        )),
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn a_new_action() {
        let after = r#"{"name": "acme.x.Archive", "inPorts": ["in"]}"#;
        assert_only(None, Some(after), "component-added", "");
    }

    #[test]
    fn a_private_helper_made_public() {
        // Without an input port and a flag, the public side reads as a
        // webhook trigger; that is no change of kind for any flow.
        let before = r#"{"name": "acme.x.ListThings", "private": true, "outPorts": ["out"]}"#;
        let after = r#"{"name": "acme.x.ListThings", "outPorts": ["out", "error"]}"#;
        assert_only(Some(before), Some(after), "component-added", "");
    }
}
