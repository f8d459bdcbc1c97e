//! `optional-input-added`: a new input flows may leave empty.

use super::{common_input_groups, field, field_title, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "optional-input-added",
    summary: "An optional input was added",
    bump: Bump::Minor,
    affects: Affects::Field,
    explanation: "Existing flows leave the input empty and keep working as before.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (group, before, after) in common_input_groups(old, new) {
        for f in after.fields.iter().filter(|f| !f.required) {
            if field(before, &f.name).is_none() {
                hits.push(Hit::new(
                    format!("{group}.{}", f.name),
                    format!("optional input {} added to {group}", field_title(f)),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

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
}
