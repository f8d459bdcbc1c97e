//! `output-variable-removed`: a variable later components read is gone.

use super::{common_listed_out_ports, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "output-variable-removed",
    summary: "An output variable was removed from a port",
    bump: Bump::Major,
    affects: Affects::Field,
    explanation: "Later components that map the variable into their inputs receive nothing in its \
        place, silently. Only flows that reference the variable, or something inside it, are hit. \
        Variables are the option values a port lists (`meta`, `meta.size`) or its schema's top \
        level properties; properties nested inside an option's schema are not compared, and \
        neither are ports whose variables are computed at run time.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (before, after) in common_listed_out_ports(old, new) {
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
    use crate::plan::rules::testing::{assert_only, flow_hits};
    use serde_json::json;

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

    /// A flow whose second component reads `meta.size` from the first.
    fn reading_meta_size() -> serde_json::Value {
        json!({
            "flowId": "f", "userId": "u", "stage": "running",
            "flow": {
                "s": {"type": "acme.x.Get"},
                "r": {"type": "acme.y.Log", "source": {"in": {"s": ["out"]}},
                      "config": {"transform": {"in": {"s": {"out": {"type": "json2new",
                          "lambda": {"text": "{{{$.s.out.meta.size}}}"}}}}}}}
            }
        })
    }

    #[test]
    fn a_nested_option_value_is_found_and_hits_its_readers() {
        let before = r#"{"name": "acme.x.Get", "inPorts": ["in"], "outPorts": [{"name": "out",
            "options": [{"label": "Name", "value": "meta.name"},
                        {"label": "Size", "value": "meta.size"}]}]}"#;
        let after = before.replace(
            r#",
                        {"label": "Size", "value": "meta.size"}"#,
            "",
        );
        assert_only(
            Some(before),
            Some(&after),
            "output-variable-removed",
            "outPorts.out.meta.size",
        );
        assert_eq!(
            flow_hits(before, &after, reading_meta_size()),
            [(
                "output-variable-removed".to_string(),
                "outPorts.out.meta.size".to_string()
            )]
        );
    }

    #[test]
    fn a_removed_parent_hits_flows_that_read_inside_it() {
        let before = r#"{"name": "acme.x.Get", "inPorts": ["in"], "outPorts": [{"name": "out",
            "options": [{"label": "Id", "value": "id"},
                        {"label": "Meta", "value": "meta", "schema": {"type": "object"}}]}]}"#;
        let after = before.replace(
            r#",
                        {"label": "Meta", "value": "meta", "schema": {"type": "object"}}"#,
            "",
        );
        assert_eq!(
            flow_hits(before, &after, reading_meta_size()),
            [(
                "output-variable-removed".to_string(),
                "outPorts.out.meta".to_string()
            )]
        );
    }
}
