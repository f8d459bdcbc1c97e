//! `optional-input-added`: a new input flows may leave empty.

use super::{common_input_groups, field, field_title, must_be_set, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "optional-input-added",
    summary: "An optional input, or a required one with a default, was added",
    bump: Bump::Minor,
    affects: Affects::Field,
    explanation: "Existing flows leave the input empty and keep working as before. A required \
        input with a default counts here: flows that do not set it get the default. Fields of a \
        new input port are reported with the port (`input-port-added`).",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (group, before, after) in common_input_groups(old, new) {
        for f in after.fields.iter().filter(|f| !must_be_set(f)) {
            if field(before, &f.name).is_some() {
                continue;
            }
            let message = match (&f.default, f.required) {
                (Some(default), true) => format!(
                    "input {} added to {group}: required, but has the default {default}",
                    field_title(f)
                ),
                _ => format!("optional input {} added to {group}", field_title(f)),
            };
            hits.push(Hit::new(format!("{group}.{}", f.name), message));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::compare::compare;
    use crate::plan::rules::testing::{assert_only, component};

    #[test]
    fn a_new_optional_field() {
        let before = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
            "schema": {"properties": {"text": {"type": "string"}}}}]}"#;
        let after = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
            "schema": {"properties": {"text": {"type": "string"}, "cc": {"type": "string"}}}}]}"#;
        assert_only(
            Some(before),
            Some(after),
            "optional-input-added",
            "inPorts.in.cc",
        );
    }

    #[test]
    fn a_required_field_with_a_default_says_so() {
        let before = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
            "schema": {"properties": {"text": {"type": "string"}}}}]}"#;
        let after = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
            "schema": {"properties": {"text": {"type": "string"},
                                      "cc": {"type": "string", "default": "me"}},
                       "required": ["cc"]}}]}"#;
        let found = compare(&[component(before, &[])], &[component(after, &[])]);
        let found: Vec<(&str, &str)> = found
            .iter()
            .map(|f| (f.rule.as_str(), f.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [(
                "optional-input-added",
                "input \"cc\" added to inPorts.in: required, but has the default \"me\""
            )]
        );
    }
}
