//! `required-input-added`: a new input that every flow must fill in.

use super::{common_input_groups, field, field_title, must_be_set, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "required-input-added",
    summary: "A required input was added (input port field or property)",
    bump: Bump::Major,
    affects: Affects::Component,
    explanation: "Existing flows do not set the new input, so the component refuses to run until \
        its owner opens the flow and fills it in. Every flow that uses the component is hit. The \
        required fields of a new input port count too (`inPorts.<port>.<field>`): no existing \
        flow sets them. Give the input a default, or make it optional, to keep the change \
        compatible; a required input with a default is reported as `optional-input-added`.",
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
        for f in after.fields.iter().filter(|f| must_be_set(f)) {
            if field(before, &f.name).is_none() {
                hits.push(Hit::new(
                    format!("{group}.{}", f.name),
                    format!("required input {} added to {group}", field_title(f)),
                ));
            }
        }
    }

    // `input-port-added` reports the port itself, as a minor change.
    for port in &new.in_ports {
        if old.in_ports.iter().any(|p| p.name == port.name) {
            continue;
        }
        for f in port.fields.fields.iter().filter(|f| must_be_set(f)) {
            hits.push(Hit::new(
                format!("inPorts.{}.{}", port.name, f.name),
                format!(
                    "required input {} added with the new input port \"{}\"",
                    field_title(f),
                    port.name
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::{assert_only, component, findings};

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

    #[test]
    fn a_required_input_with_a_default_is_only_optional_input_added() {
        let before = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
            "schema": {"properties": {"text": {"type": "string"}}}}]}"#;
        let schema_default = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
            "schema": {"properties": {"text": {"type": "string"},
                                      "to": {"type": "string", "default": "all"}},
                       "required": ["to"]}}]}"#;
        assert_only(
            Some(before),
            Some(schema_default),
            "optional-input-added",
            "inPorts.in.to",
        );
        let inspector_default = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
            "schema": {"properties": {"text": {"type": "string"}, "to": {"type": "string"}},
                       "required": ["to"]},
            "inspector": {"inputs": {"to": {"type": "text", "defaultValue": "all"}}}}]}"#;
        assert_only(
            Some(before),
            Some(inspector_default),
            "optional-input-added",
            "inPorts.in.to",
        );
    }

    #[test]
    fn a_null_default_is_no_default() {
        let before = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
            "schema": {"properties": {"text": {"type": "string"}}}}]}"#;
        let after = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
            "schema": {"properties": {"text": {"type": "string"},
                                      "to": {"type": "string", "default": null}},
                       "required": ["to"]}}]}"#;
        assert_only(
            Some(before),
            Some(after),
            "required-input-added",
            "inPorts.in.to",
        );
    }

    #[test]
    fn the_required_fields_of_a_new_input_port() {
        let before = r#"{"name": "acme.x.Send", "inPorts": ["in"]}"#;
        let after = r#"{"name": "acme.x.Send", "inPorts": ["in", {"name": "file",
            "schema": {"properties": {"id": {"type": "string"}, "note": {"type": "string"},
                                      "mode": {"type": "string", "default": "copy"}},
                       "required": ["id", "mode"]}}]}"#;
        let (old, new) = (component(before, &[]), component(after, &[]));
        assert_eq!(
            findings(&[old], &[new]),
            [
                ("input-port-added", "inPorts.file"),
                ("required-input-added", "inPorts.file.id"),
            ]
            .map(|(rule, field)| (
                rule.to_string(),
                "acme.x.Send".to_string(),
                field.to_string()
            ))
        );
    }
}
