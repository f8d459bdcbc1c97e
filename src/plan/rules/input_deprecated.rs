//! `input-deprecated`: a field says it is on its way out.

use super::{common_fields, field_title, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "input-deprecated",
    summary: "An input was marked deprecated",
    bump: Bump::Minor,
    affects: Affects::Field,
    explanation: "The field's schema now says `deprecated: true`. It still works; flows that set \
        it should move to its replacement before a major release removes it.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (group, b, f) in common_fields(old, new) {
        if f.deprecated && !b.deprecated {
            hits.push(Hit::new(
                format!("{group}.{}", f.name),
                format!("input {} in {group} is now deprecated", field_title(f)),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn deprecated_true_appears() {
        let before = r#"{"name": "acme.x.Find", "inPorts": [{"name": "in",
            "schema": {"properties": {"tag": {"type": "string"}}}}]}"#;
        let after = r#"{"name": "acme.x.Find", "inPorts": [{"name": "in",
            "schema": {"properties": {"tag": {"type": "string", "deprecated": true}}}}]}"#;
        assert_only(
            Some(before),
            Some(after),
            "input-deprecated",
            "inPorts.in.tag",
        );
    }
}
