//! `input-made-required`: an optional input became required.

use super::{common_input_groups, field, field_title, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "input-made-required",
    summary: "An optional input became required",
    bump: Bump::Major,
    affects: Affects::Component,
    explanation: "Flows that left the input empty stop working until their owner fills it in. \
        Flows that already set it are fine, but the plan cannot always see which do (a value may \
        come from an expression), so every flow that uses the component is counted.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (group, before, after) in common_input_groups(old, new) {
        for f in after.fields.iter().filter(|f| f.required) {
            if field(before, &f.name).is_some_and(|b| !b.required) {
                hits.push(Hit::new(
                    format!("{group}.{}", f.name),
                    format!("input {} in {group} is now required", field_title(f)),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn optional_then_required() {
        let before = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
            "schema": {"properties": {"to": {"type": "string"}}}}]}"#;
        let after = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
            "schema": {"properties": {"to": {"type": "string"}}, "required": ["to"]}}]}"#;
        assert_only(
            Some(before),
            Some(after),
            "input-made-required",
            "inPorts.in.to",
        );
    }
}
