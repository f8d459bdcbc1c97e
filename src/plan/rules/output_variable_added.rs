//! `output-variable-added`: a port offers one more variable.

use super::{common_listed_out_ports, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "output-variable-added",
    summary: "An output variable was added to a port",
    bump: Bump::Minor,
    affects: Affects::Field,
    explanation: "Later components may start using the variable; nothing that exists changes.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (before, after) in common_listed_out_ports(old, new) {
        for v in &after.variables {
            if !before.variables.iter().any(|b| b.value == v.value) {
                hits.push(Hit::new(
                    format!("outPorts.{}.{}", after.name, v.value),
                    format!(
                        "output variable \"{}\" added to port {}",
                        v.value, after.name
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
    fn one_more_option() {
        let before = r#"{"name": "acme.x.Get", "inPorts": ["in"], "outPorts": [{"name": "out",
            "options": [{"label": "Total", "value": "total"}]}]}"#;
        let after = r#"{"name": "acme.x.Get", "inPorts": ["in"], "outPorts": [{"name": "out",
            "options": [{"label": "Total", "value": "total"}, {"label": "Paid", "value": "paidAt"}]}]}"#;
        assert_only(
            Some(before),
            Some(after),
            "output-variable-added",
            "outPorts.out.paidAt",
        );
    }
}
