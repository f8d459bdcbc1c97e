//! `enum-value-added`: one more choice for an input.

use super::{common_fields, field_title, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "enum-value-added",
    summary: "A value was added to an input's list of choices",
    bump: Bump::Minor,
    affects: Affects::Field,
    explanation: "Flows keep the value they picked; the new one is there for new configurations.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (group, b, f) in common_fields(old, new) {
        // Going from free input to a list restricts; from a list to a
        // longer list extends. Only the second is this rule.
        if b.dynamic || f.dynamic || b.choices.is_empty() {
            continue;
        }
        for choice in &f.choices {
            if !b.choices.iter().any(|c| c.value == choice.value) {
                hits.push(Hit::new(
                    format!("{group}.{}", f.name),
                    format!(
                        "input {} in {group} also accepts {}",
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
    fn a_currency_more() {
        let before = r#"{"name": "acme.x.Pay", "inPorts": [{"name": "in",
            "schema": {"properties": {"c": {"type": "string", "enum": ["EUR", "USD"]}}}}]}"#;
        let after = before.replace("\"USD\"", "\"USD\", \"CZK\"");
        assert_only(
            Some(before),
            Some(&after),
            "enum-value-added",
            "inPorts.in.c",
        );
    }
}
