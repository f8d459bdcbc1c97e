//! `input-made-required`: flows that left an input empty now must set it.

use super::{common_fields, field_title, must_be_set, Affects, Hit, Pair, Rule};
use crate::plan::model::Bump;

pub const RULE: Rule = Rule {
    id: "input-made-required",
    summary: "An optional input became required",
    bump: Bump::Major,
    affects: Affects::Component,
    explanation: "Flows that left the input empty stop working until their owner fills it in. \
        Flows that already set it are fine, but the plan cannot always see which do (a value may \
        come from an expression), so every flow that uses the component is counted. An input \
        that becomes required with a default is not a finding: flows that leave it empty get \
        the default. A required input that loses its default is one.",
    check,
};

fn check(pair: &Pair, hits: &mut Vec<Hit>) {
    let Some((old, new)) = pair.both() else {
        return;
    };
    for (group, b, f) in common_fields(old, new) {
        if !must_be_set(f) || must_be_set(b) {
            continue;
        }
        let message = if b.required {
            format!(
                "input {} in {group} is required and no longer has a default",
                field_title(f)
            )
        } else {
            format!("input {} in {group} is now required", field_title(f))
        };
        hits.push(Hit::new(format!("{group}.{}", f.name), message));
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::rules::testing::{assert_only, component, findings};

    const OPTIONAL: &str = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
        "schema": {"properties": {"to": {"type": "string"}}}}]}"#;
    const REQUIRED: &str = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
        "schema": {"properties": {"to": {"type": "string"}}, "required": ["to"]}}]}"#;
    const REQUIRED_WITH_DEFAULT: &str = r#"{"name": "acme.x.Send", "inPorts": [{"name": "in",
        "schema": {"properties": {"to": {"type": "string", "default": "all"}},
                   "required": ["to"]}}]}"#;

    #[test]
    fn optional_then_required() {
        assert_only(
            Some(OPTIONAL),
            Some(REQUIRED),
            "input-made-required",
            "inPorts.in.to",
        );
    }

    #[test]
    fn optional_then_required_with_a_default_is_not_a_finding() {
        let (old, new) = (
            component(OPTIONAL, &[]),
            component(REQUIRED_WITH_DEFAULT, &[]),
        );
        assert_eq!(findings(&[old], &[new]), vec![]);
    }

    #[test]
    fn required_and_its_default_dropped() {
        assert_only(
            Some(REQUIRED_WITH_DEFAULT),
            Some(REQUIRED),
            "input-made-required",
            "inPorts.in.to",
        );
    }
}
