//! `input-removed`: an input flows may have set is gone.

use super::{common_input_groups, field, field_title, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "input-removed",
    summary: "An input was removed (input port field or property)",
    bump: Bump::Major,
    affects: Affects::Field,
    explanation: "Flows that set the input lose what it did: the value is dropped without a \
        warning, so the component behaves differently from what its owner configured. Only flows \
        whose configuration sets the field are hit.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (group, before, after) in common_input_groups(old, new) {
        // The new side's inspector is loaded at run time: the field may
        // still be there.
        if after.dynamic {
            continue;
        }
        for f in &before.fields {
            if field(after, &f.name).is_none() {
                hits.push(Hit::new(
                    format!("{group}.{}", f.name),
                    format!("input {} removed from {group}", field_title(f)),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn a_property_that_is_gone() {
        let before = r#"{"name": "acme.x.New", "tick": true,
            "properties": {"schema": {"properties": {"folder": {"type": "string"},
                                                     "depth": {"type": "integer"}}}}}"#;
        let after = r#"{"name": "acme.x.New", "tick": true,
            "properties": {"schema": {"properties": {"folder": {"type": "string"}}}}}"#;
        assert_only(
            Some(before),
            Some(after),
            "input-removed",
            "properties.depth",
        );
    }
}
