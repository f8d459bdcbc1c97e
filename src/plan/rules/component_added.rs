//! `component-added`: something new to place in flows.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "component-added",
    summary: "A component was added",
    bump: Bump::Minor,
    affects: Affects::Component,
    explanation: "New functionality; no existing flow uses it. Private helpers are not counted.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    if let (None, Some(new)) = (pair.old, pair.new) {
        if !new.private {
            hits.push(Hit::new("", format!("\"{}\" was added", new.label)));
        }
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
}
