//! `input-type-changed`: an input now takes a different JSON type.

use super::{common_fields, field_title, type_accepts, type_is_opaque, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "input-type-changed",
    summary: "An input's type changed",
    bump: Bump::Major,
    affects: Affects::Field,
    explanation: "Values that flows pass in were valid for the old type and may be refused or \
        misread under the new one (a number sent where a string is now expected). Widening is \
        not a finding: every value of the old type still fits (`string` to `string|null`, \
        `integer` to `number`); narrowing (`number` to `integer`) is. A type given only as \
        `oneOf`/`anyOf` alternatives is not compared, because the alternatives are not read. \
        Only flows that set the field are hit.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (group, b, f) in common_fields(old, new) {
        let (Some(was), Some(now)) = (&b.schema_type, &f.schema_type) else {
            continue;
        };
        if type_is_opaque(was) || type_is_opaque(now) || type_accepts(now, was) {
            continue;
        }
        hits.push(Hit::new(
            format!("{group}.{}", f.name),
            format!(
                "input {} in {group} changed type from {was} to {now}",
                field_title(f)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::{assert_only, component, findings};

    const BEFORE: &str = r#"{"name": "acme.x.Pay", "inPorts": [{"name": "in",
        "schema": {"properties": {"amount": {"type": "integer"}}}}]}"#;

    fn nothing_between(before: &str, after: &str) {
        let (old, new) = (component(before, &[]), component(after, &[]));
        assert_eq!(findings(&[old], &[new]), vec![]);
    }

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
        nothing_between(
            BEFORE,
            &BEFORE.replace("\"integer\"", "[\"integer\", \"null\"]"),
        );
        nothing_between(BEFORE, &BEFORE.replace("integer", "number"));
        nothing_between(
            &BEFORE.replace("\"integer\"", "[\"string\", \"array\"]"),
            &BEFORE.replace("\"integer\"", "[\"array\", \"string\", \"null\"]"),
        );
    }

    #[test]
    fn number_then_integer_narrows() {
        let before = BEFORE.replace("integer", "number");
        assert_only(
            Some(&before),
            Some(BEFORE),
            "input-type-changed",
            "inPorts.in.amount",
        );
    }

    #[test]
    fn a_union_that_loses_a_member_narrows() {
        let before = BEFORE.replace("\"integer\"", "[\"string\", \"null\"]");
        let after = BEFORE.replace("integer", "string");
        assert_only(
            Some(&before),
            Some(&after),
            "input-type-changed",
            "inPorts.in.amount",
        );
    }

    #[test]
    fn one_of_alternatives_are_not_compared() {
        let one_of = BEFORE.replace(
            r#"{"type": "integer"}"#,
            r#"{"oneOf": [{"type": "integer"}, {"type": "object"}]}"#,
        );
        nothing_between(BEFORE, &one_of);
        nothing_between(&one_of, BEFORE);
    }
}
