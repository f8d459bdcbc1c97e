//! `enum-value-removed`: a choice a flow may have picked is gone.

use super::{common_fields, field_title, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "enum-value-removed",
    summary: "A value was removed from an input's list of choices",
    bump: Bump::Major,
    affects: Affects::Field,
    explanation: "Flows that picked the removed value send something the component no longer \
        accepts. Only flows that set the field are hit; choices loaded at run time are not \
        compared.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (group, b, f) in common_fields(old, new) {
        // No choices at all means free input now, which accepts the old
        // values too.
        if b.dynamic || f.dynamic || f.choices.is_empty() {
            continue;
        }
        for choice in &b.choices {
            if !f.choices.iter().any(|c| c.value == choice.value) {
                hits.push(Hit::new(
                    format!("{group}.{}", f.name),
                    format!(
                        "input {} in {group} no longer accepts {}",
                        field_title(f),
                        choice.value
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn a_value_left_the_enum() {
        let before = r#"{"name": "acme.x.Create", "inPorts": [{"name": "in",
            "schema": {"properties": {"v": {"type": "string", "enum": ["public", "secret"]}}}}]}"#;
        let after = before.replace(", \"secret\"", "");
        assert_only(
            Some(before),
            Some(&after),
            "enum-value-removed",
            "inPorts.in.v",
        );
    }
}
