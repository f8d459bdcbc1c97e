//! `input-port-removed`: a port other components feed into is gone.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "input-port-removed",
    summary: "An input port was removed",
    bump: Bump::Major,
    affects: Affects::Field,
    explanation: "Flows that connect another component to this port lose the connection and the \
        component no longer receives those messages. Only flows that wire something into the port \
        are hit.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for port in &old.in_ports {
        if !new.in_ports.iter().any(|p| p.name == port.name) {
            hits.push(Hit::new(
                format!("inPorts.{}", port.name),
                format!("input port \"{}\" removed", port.name),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn one_of_two_ports_is_gone() {
        let before = r#"{"name": "acme.x.Merge", "inPorts": ["in", "extra"]}"#;
        let after = r#"{"name": "acme.x.Merge", "inPorts": ["in"]}"#;
        assert_only(
            Some(before),
            Some(after),
            "input-port-removed",
            "inPorts.extra",
        );
    }
}
