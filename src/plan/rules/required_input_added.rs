//! `required-input-added`: a new input that every flow must fill in.

use super::{common_input_groups, field, field_title, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "required-input-added",
    summary: "A required input was added (input port field or property)",
    bump: Bump::Major,
    affects: Affects::Component,
    explanation: "Existing flows do not set the new input, so the component refuses to run until \
        its owner opens the flow and fills it in. Every flow that uses the component is hit. Give \
        the input a default, or make it optional, to keep the change compatible.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (group, before, after) in common_input_groups(old, new) {
        // An inspector loaded at run time may already have shown the field.
        if before.dynamic {
            continue;
        }
        for f in after.fields.iter().filter(|f| f.required) {
            if field(before, &f.name).is_none() {
                hits.push(Hit::new(
                    format!("{group}.{}", f.name),
                    format!("required input {} added to {group}", field_title(f)),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn a_new_required_port_field() {
        let before = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
            "schema": {"properties": {"text": {"type": "string"}}}}]}"#;
        let after = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
            "schema": {"properties": {"text": {"type": "string"}, "to": {"type": "string"}},
                       "required": ["to"]}}]}"#;
        assert_only(
            Some(before),
            Some(after),
            "required-input-added",
            "inPorts.in.to",
        );
    }

    #[test]
    fn a_new_required_property_where_there_were_none() {
        let before = r#"{"name": "acme.x.New", "tick": true, "outPorts": ["out"]}"#;
        let after = r#"{"name": "acme.x.New", "tick": true, "outPorts": ["out"],
            "properties": {"schema": {"properties": {"folder": {"type": "string"}},
                                      "required": ["folder"]}}}"#;
        assert_only(
            Some(before),
            Some(after),
            "required-input-added",
            "properties.folder",
        );
    }
}
