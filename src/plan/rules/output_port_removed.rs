//! `output-port-removed`: a port later components listen to is gone.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "output-port-removed",
    summary: "An output port was removed",
    bump: Bump::Major,
    affects: Affects::Field,
    explanation: "Components connected to the port stop receiving messages and every variable \
        they took from it is gone. Only flows that connect something to the port, or use one of \
        its variables, are hit.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for port in &old.out_ports {
        if !new.out_ports.iter().any(|p| p.name == port.name) {
            hits.push(Hit::new(
                format!("outPorts.{}", port.name),
                format!("output port \"{}\" removed", port.name),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn the_error_port_is_gone() {
        let before = r#"{"name": "acme.x.Split", "inPorts": ["in"], "outPorts": ["out", "error"]}"#;
        let after = r#"{"name": "acme.x.Split", "inPorts": ["in"], "outPorts": ["out"]}"#;
        assert_only(
            Some(before),
            Some(after),
            "output-port-removed",
            "outPorts.error",
        );
    }
}
