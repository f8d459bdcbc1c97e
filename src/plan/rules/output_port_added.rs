//! `output-port-added`: a new port later components may connect to.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "output-port-added",
    summary: "An output port was added",
    bump: Bump::Minor,
    affects: Affects::Field,
    explanation: "Nothing is connected to the new port yet; existing flows are unchanged.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for port in &new.out_ports {
        if !old.out_ports.iter().any(|p| p.name == port.name) {
            hits.push(Hit::new(
                format!("outPorts.{}", port.name),
                format!("output port \"{}\" added", port.name),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn an_error_port_appears() {
        let before = r#"{"name": "acme.x.Split", "inPorts": ["in"], "outPorts": ["out"]}"#;
        let after = r#"{"name": "acme.x.Split", "inPorts": ["in"], "outPorts": ["out", "error"]}"#;
        assert_only(
            Some(before),
            Some(after),
            "output-port-added",
            "outPorts.error",
        );
    }
}
