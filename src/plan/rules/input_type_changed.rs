//! `input-type-changed`: an input now takes a different JSON type.

use super::{common_input_groups, field, field_title, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "input-type-changed",
    summary: "An input's type changed",
    bump: Bump::Major,
    affects: Affects::Field,
    explanation: "Values that flows pass in were valid for the old type and may be refused or \
        misread under the new one (a number sent where a string is now expected). Widening a \
        type (`string` to `string|null`) is not a finding. Only flows that set the field are hit.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (group, before, after) in common_input_groups(old, new) {
        for f in &after.fields {
            let Some(b) = field(before, &f.name) else {
                continue;
            };
            let (Some(was), Some(now)) = (&b.schema_type, &f.schema_type) else {
                continue;
            };
            let widened = was.split('|').all(|t| now.split('|').any(|n| n == t));
            if !widened {
                hits.push(Hit::new(
                    format!("{group}.{}", f.name),
                    format!(
                        "input {} in {group} changed type from {was} to {now}",
                        field_title(f)
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::{assert_only, component, findings};

    const BEFORE: &str = r#"{"name": "acme.x.Pay", "inPorts": [{"name": "in",
        "schema": {"properties": {"amount": {"type": "integer"}}}}]}"#;

    #[test]
    fn integer_then_string() {
        let after = BEFORE.replace("integer", "string");
        assert_only(
            Some(BEFORE),
            Some(&after),
            "input-type-changed",
            "inPorts.in.amount",
        );
    }

    #[test]
    fn widening_is_not_a_finding() {
        let after = BEFORE.replace("\"integer\"", "[\"integer\", \"null\"]");
        let (old, new) = (component(BEFORE, &[]), component(&after, &[]));
        assert_eq!(findings(&[old], &[new]), vec![]);
    }
}
