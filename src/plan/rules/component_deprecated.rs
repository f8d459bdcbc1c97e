//! `component-deprecated`: a component says it is on its way out.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "component-deprecated",
    summary: "A component was marked deprecated",
    bump: Bump::Minor,
    affects: Affects::Component,
    explanation: "Deprecation is only a notice (the label or description says \"Deprecated\" or \
        \"Legacy\"); flows keep working. Owners should plan a move before it is removed.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    if !old.deprecated && new.deprecated {
        hits.push(Hit::new(
            "deprecated",
            format!("\"{}\" is now deprecated", new.label),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn the_description_says_deprecated() {
        let before = r#"{"name": "acme.x.Post", "inPorts": ["in"], "description": "Post."}"#;
        let after = r#"{"name": "acme.x.Post", "inPorts": ["in"],
            "description": "Deprecated: use Send."}"#;
        assert_only(
            Some(before),
            Some(after),
            "component-deprecated",
            "deprecated",
        );
    }
}
