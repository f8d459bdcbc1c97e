//! `component-label-changed`: a component shows under another name.

use super::{Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "component-label-changed",
    summary: "A component's label changed",
    bump: Bump::Patch,
    affects: Affects::Component,
    explanation: "Only what the designer shows changes; flows identify components by name and \
        keep working. Owners may not recognize the component at first sight.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    if old.label != new.label {
        hits.push(Hit::new(
            "label",
            format!("label changed from \"{}\" to \"{}\"", old.label, new.label),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::assert_only;

    #[test]
    fn renamed_in_the_designer() {
        let before = r#"{"name": "acme.x.Send", "label": "Send", "inPorts": ["in"]}"#;
        let after = r#"{"name": "acme.x.Send", "label": "Send Message", "inPorts": ["in"]}"#;
        assert_only(
            Some(before),
            Some(after),
            "component-label-changed",
            "label",
        );
    }
}
