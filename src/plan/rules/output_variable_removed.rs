//! `output-variable-removed`: a variable later components read is gone.

use super::{common_out_ports, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "output-variable-removed",
    summary: "An output variable was removed from a port",
    bump: Bump::Major,
    affects: Affects::Field,
    explanation: "Later components that map the variable into their inputs receive nothing in its \
        place, silently. Only flows that reference the variable are hit. Ports whose variables are \
        computed at run time are not compared.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (before, after) in common_out_ports(old, new) {
        if before.dynamic || after.dynamic {
            continue;
        }
        for v in &before.variables {
            if !after.variables.iter().any(|a| a.value == v.value) {
                hits.push(Hit::new(
                    format!("outPorts.{}.{}", before.name, v.value),
                    format!(
                        "output variable \"{}\" removed from port {}",
                        v.value, before.name
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn a_variable_left_the_options() {
        let before = r#"{"name": "acme.x.Get", "inPorts": ["in"], "outPorts": [{"name": "out",
            "options": [{"label": "Total", "value": "total"}, {"label": "Cents", "value": "cents"}]}]}"#;
        let after = r#"{"name": "acme.x.Get", "inPorts": ["in"], "outPorts": [{"name": "out",
            "options": [{"label": "Total", "value": "total"}]}]}"#;
        assert_only(
            Some(before),
            Some(after),
            "output-variable-removed",
            "outPorts.out.cents",
        );
    }
}
