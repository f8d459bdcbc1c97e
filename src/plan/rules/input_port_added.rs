//! `input-port-added`: a component takes messages on one more port.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "input-port-added",
    summary: "An input port was added",
    bump: Bump::Minor,
    affects: Affects::Field,
    explanation: "Existing flows wire nothing into the new port; messages keep arriving on the \
        old ports as before. When the new port has required fields without a default, each is \
        also reported as `required-input-added` (major), because no existing flow sets them.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for port in &new.in_ports {
        if !old.in_ports.iter().any(|p| p.name == port.name) {
            hits.push(Hit::new(
                format!("inPorts.{}", port.name),
                format!("input port \"{}\" added", port.name),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn a_port_with_optional_fields_only() {
        let before = r#"{"name": "acme.x.Merge", "inPorts": ["in"]}"#;
        let after = r#"{"name": "acme.x.Merge", "inPorts": ["in", {"name": "extra",
            "schema": {"properties": {"note": {"type": "string"},
                                      "mode": {"type": "string", "default": "append"}},
                       "required": ["mode"]}}]}"#;
        assert_only(
            Some(before),
            Some(after),
            "input-port-added",
            "inPorts.extra",
        );
    }
}
