//! `output-variable-type-changed`: a variable later components read now
//! holds another kind of value.

use super::{common_listed_out_ports, type_is_opaque, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;
use std::collections::BTreeSet;

pub const RULE: Rule = Rule {
    id: "output-variable-type-changed",
    summary: "An output variable's type changed",
    bump: Bump::Major,
    affects: Affects::Field,
    explanation: "Later components that read the variable were set up for the kind of value it \
        held: a path into an object that is now a string (`meta.size` when `meta` changed) finds \
        nothing, and a list mapped where one value is expected no longer fits. A finding is a new \
        kind of value (object, array, string, number, boolean) among the variable's types. \
        Narrowing is not one, and neither is a variable that may now be `null` or a number that \
        was an integer: readers map those into text and numbers as before. Types given only as \
        `oneOf`/`anyOf`, variables without a type and ports computed at run time are not \
        compared. Only flows that read the variable, or something inside it, are hit.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (before, after) in common_listed_out_ports(old, new) {
        for v in &after.variables {
            let Some(b) = before.variables.iter().find(|b| b.value == v.value) else {
                continue;
            };
            let (Some(was), Some(now)) = (&b.schema_type, &v.schema_type) else {
                continue;
            };
            if type_is_opaque(was) || type_is_opaque(now) || kinds(now).is_subset(&kinds(was)) {
                continue;
            }
            hits.push(Hit::new(
                format!("outPorts.{}.{}", after.name, v.value),
                format!(
                    "output variable \"{}\" of port {} changed type from {was} to {now}",
                    v.value, after.name
                ),
            ));
        }
    }
}

/// The kinds of value a `|`-joined type allows, as readers tell them apart:
/// an integer is a number, and `null` is no kind of its own.
fn kinds(t: &str) -> BTreeSet<&str> {
    t.split('|')
        .filter(|t| *t != "null")
        .map(|t| if t == "integer" { "number" } else { t })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::{assert_only, component, findings, flow_hits};
    use serde_json::json;

    const BEFORE: &str = r#"{"name": "acme.x.Get", "inPorts": ["in"], "outPorts": [{"name": "out",
        "options": [{"label": "Id", "value": "id", "schema": {"type": "string"}},
                    {"label": "Meta", "value": "meta", "schema": {"type": "object",
                        "properties": {"size": {"type": "integer"}}}}]}]}"#;

    fn meta_as(schema: &str) -> String {
        BEFORE.replace(
            r#"{"type": "object",
                        "properties": {"size": {"type": "integer"}}}"#,
            schema,
        )
    }

    #[test]
    fn object_then_string() {
        let after = meta_as(r#"{"type": "string"}"#);
        assert_only(
            Some(BEFORE),
            Some(&after),
            "output-variable-type-changed",
            "outPorts.out.meta",
        );
    }

    #[test]
    fn a_flow_reading_inside_the_variable_is_hit() {
        let after = meta_as(r#"{"type": "string"}"#);
        let flow = json!({
            "flowId": "f", "userId": "u", "stage": "running",
            "flow": {
                "s": {"type": "acme.x.Get"},
                "r": {"type": "acme.y.Log", "source": {"in": {"s": ["out"]}},
                      "config": {"transform": {"in": {"s": {"out": {"type": "json2new",
                          "lambda": {"text": "{{{$.s.out.meta.size}}}"}}}}}}}
            }
        });
        assert_eq!(
            flow_hits(BEFORE, &after, flow),
            [(
                "output-variable-type-changed".to_string(),
                "outPorts.out.meta".to_string()
            )]
        );
    }

    fn id_as(from: &str, to: &str) -> Vec<(String, String, String)> {
        let id = r#""value": "id", "schema": {"type": "string"}"#;
        let before = BEFORE.replace(id, &id.replace(r#""string""#, from));
        let after = BEFORE.replace(id, &id.replace(r#""string""#, to));
        findings(&[component(&before, &[])], &[component(&after, &[])])
    }

    #[test]
    fn nullable_numbers_and_narrowing_are_not_findings() {
        assert_eq!(id_as(r#""string""#, r#"["string", "null"]"#), vec![]);
        assert_eq!(id_as(r#""integer""#, r#""number""#), vec![]);
        assert_eq!(id_as(r#""number""#, r#""integer""#), vec![]);
        assert_eq!(id_as(r#"["array", "string"]"#, r#""array""#), vec![]);
    }

    #[test]
    fn a_new_kind_of_value_is_a_finding() {
        assert_eq!(
            id_as(r#""string""#, r#"["string", "array"]"#),
            vec![(
                "output-variable-type-changed".to_string(),
                "acme.x.Get".to_string(),
                "outPorts.out.id".to_string()
            )]
        );
    }

    #[test]
    fn one_of_and_missing_types_are_not_compared() {
        let one_of = meta_as(r#"{"oneOf": [{"type": "object"}, {"type": "string"}]}"#);
        let untyped = meta_as(r#"{"title": "Meta"}"#);
        let old = component(BEFORE, &[]);
        for after in [one_of, untyped] {
            assert_eq!(
                findings(std::slice::from_ref(&old), &[component(&after, &[])]),
                vec![]
            );
        }
    }
}
