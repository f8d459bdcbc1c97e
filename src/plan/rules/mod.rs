//! The breaking-change rules: the catalogue of what can change between two
//! versions of a component and what each change costs the flows that use it.
//!
//! Each rule lives in its own file as data (a stable id, a one-line summary,
//! the version bump it requires, which flows it hits, an explanation users
//! read) plus a small check that looks at one component before and after.
//! Adding a rule means adding a file and a line to [`RULES`]; the engine in
//! `plan::compare` runs whatever the table holds. Ids are a contract with
//! scripts and with the fingerprints of findings: never rename or reuse one.

use crate::plan::model::Bump;
use crate::scan::{Component, Field, FieldSet, OutPort};
use serde::Serialize;

mod auth_added;
mod auth_service_changed;
mod auth_type_changed;
mod component_added;
mod component_deprecated;
mod component_label_changed;
mod component_made_private;
mod component_removed;
mod enum_value_added;
mod enum_value_removed;
mod input_deprecated;
mod input_made_required;
mod input_port_added;
mod input_port_removed;
mod input_removed;
mod input_type_changed;
mod oauth_scope_added;
mod optional_input_added;
mod output_port_added;
mod output_port_removed;
mod output_variable_added;
mod output_variable_removed;
mod output_variable_type_changed;
mod required_input_added;
mod trigger_kind_changed;

/// Every rule, breaking ones first; `rules` lists them in this order.
pub const RULES: &[Rule] = &[
    component_removed::RULE,
    component_made_private::RULE,
    required_input_added::RULE,
    input_made_required::RULE,
    input_removed::RULE,
    input_port_removed::RULE,
    input_type_changed::RULE,
    enum_value_removed::RULE,
    output_port_removed::RULE,
    output_variable_removed::RULE,
    output_variable_type_changed::RULE,
    auth_added::RULE,
    auth_service_changed::RULE,
    auth_type_changed::RULE,
    oauth_scope_added::RULE,
    trigger_kind_changed::RULE,
    component_added::RULE,
    optional_input_added::RULE,
    input_port_added::RULE,
    output_port_added::RULE,
    output_variable_added::RULE,
    enum_value_added::RULE,
    component_deprecated::RULE,
    input_deprecated::RULE,
    component_label_changed::RULE,
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// One rule. Serializes to what `rules --format json` prints.
#[derive(Debug, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub summary: &'static str,
    /// The smallest version bump a release with this change should carry.
    pub bump: Bump,
    pub affects: Affects,
    /// What happens to flows and what an admin or author should do.
    pub explanation: &'static str,
    #[serde(skip)]
    pub check: fn(&Pair, &mut Vec<Hit>),
}

/// Which running flows a finding of the rule hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Affects {
    /// Every flow that uses the component.
    Component,
    /// Only flows whose configuration uses the named field, port or output
    /// variable.
    Field,
}

/// One component before and after; either side may be missing.
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    pub old: Option<&'a Component>,
    pub new: Option<&'a Component>,
}

/// What a check found: the field (empty for the whole component) and a
/// sentence about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub field: String,
    pub message: String,
}

impl Hit {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Hit {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl Pair<'_> {
    /// Both sides, when the component exists before and after and flows
    /// could place it before. A private helper is never placed: it serves
    /// its connector's own inspectors, which ship in the same release, so
    /// nothing about it breaks a flow. Going public is `component-added`.
    pub fn both(&self) -> Option<(&Component, &Component)> {
        let (old, new) = (self.old?, self.new?);
        (!old.private).then_some((old, new))
    }
}

/// A group of input fields: one input port (`inPorts.in`) or the
/// component's `properties`.
pub struct InputGroup<'a> {
    pub path: String,
    pub fields: &'a FieldSet,
}

static NO_FIELDS: FieldSet = FieldSet {
    fields: Vec::new(),
    dynamic: false,
};

/// A component's input groups. `properties` is always there (empty when
/// the manifest has none), so properties that appear later are compared
/// against nothing rather than skipped.
pub fn input_groups(c: &Component) -> Vec<InputGroup<'_>> {
    let mut groups: Vec<InputGroup> = c
        .in_ports
        .iter()
        .map(|p| InputGroup {
            path: format!("inPorts.{}", p.name),
            fields: &p.fields,
        })
        .collect();
    groups.push(InputGroup {
        path: "properties".into(),
        fields: c.properties.as_ref().unwrap_or(&NO_FIELDS),
    });
    groups
}

/// Input groups present on both sides, matched by path. An input port that
/// exists on one side only is the port rules' business (`input-port-removed`,
/// `input-port-added`, and `required-input-added` for a new port's fields).
pub fn common_input_groups<'a>(
    old: &'a Component,
    new: &'a Component,
) -> Vec<(String, &'a FieldSet, &'a FieldSet)> {
    let new_groups = input_groups(new);
    input_groups(old)
        .into_iter()
        .filter_map(|o| {
            let n = new_groups.iter().find(|n| n.path == o.path)?;
            Some((o.path, o.fields, n.fields))
        })
        .collect()
}

/// Input fields present before and after, in the new order: the group's
/// path (`inPorts.in`, `properties`), the field before and the field after.
pub fn common_fields<'a>(
    old: &'a Component,
    new: &'a Component,
) -> Vec<(String, &'a Field, &'a Field)> {
    let mut out = Vec::new();
    for (group, before, after) in common_input_groups(old, new) {
        for f in &after.fields {
            if let Some(b) = field(before, &f.name) {
                out.push((group.clone(), b, f));
            }
        }
    }
    out
}

/// The field of this name in a set.
pub fn field<'a>(set: &'a FieldSet, name: &str) -> Option<&'a Field> {
    set.fields.iter().find(|f| f.name == name)
}

/// Output ports present on both sides, matched by name, whose variables
/// both sides list: a port whose variables are computed at run time on
/// either side has none to compare.
pub fn common_listed_out_ports<'a>(
    old: &'a Component,
    new: &'a Component,
) -> Vec<(&'a OutPort, &'a OutPort)> {
    old.out_ports
        .iter()
        .filter(|o| !o.dynamic)
        .filter_map(|o| Some((o, new.out_ports.iter().find(|n| n.name == o.name)?)))
        .filter(|(_, n)| !n.dynamic)
        .collect()
}

/// Does a flow that never set this input fail? Only when it is required
/// and has no default to fall back on (a schema `default`, or else the
/// inspector's `defaultValue`). A `null` default gives a required input
/// no value, so it does not count.
pub fn must_be_set(f: &Field) -> bool {
    f.required && f.default.as_ref().is_none_or(serde_json::Value::is_null)
}

/// Does every value of type `narrow` also fit type `wide`? Both are JSON
/// Schema type names, `|`-joined for unions; every integer is a number.
pub fn type_accepts(wide: &str, narrow: &str) -> bool {
    narrow.split('|').all(|n| {
        wide.split('|')
            .any(|w| w == n || (w == "number" && n == "integer"))
    })
}

/// A type the scanner could not name: a schema given only as `oneOf` or
/// `anyOf` alternatives. Nothing can be said about a change to or from it
/// (the alternatives in real manifests mostly keep the old type and add
/// another shape), so type rules leave it alone.
pub fn type_is_opaque(t: &str) -> bool {
    t.split('|').any(|t| t == "oneOf" || t == "anyOf")
}

/// How a field is called in messages: its label when it has one.
pub fn field_title(f: &Field) -> String {
    match &f.label {
        Some(label) if label != &f.name => format!("\"{}\" ({label})", f.name),
        _ => format!("\"{}\"", f.name),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Before/after fixtures for rule tests: tiny manifests in, findings out.

    use crate::scan::{read_component_manifest, Component};
    use std::collections::HashMap;

    /// Reads a manifest; `auth` maps auth service folders to auth types.
    pub fn component(json: &str, auth: &[(&str, &str)]) -> Component {
        let value: serde_json::Value = serde_json::from_str(json).expect("fixture is JSON");
        let name = value["name"].as_str().expect("fixture has a name");
        let auth: HashMap<String, String> = auth
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let (c, diags) = read_component_manifest(json, "fixture", &name.replace('.', "/"), &auth);
        assert!(diags.is_empty(), "{diags:?}");
        c.expect("fixture reads")
    }

    /// `(rule, component, field)` of every finding between two sets of
    /// manifests.
    pub fn findings(old: &[Component], new: &[Component]) -> Vec<(String, String, String)> {
        crate::plan::compare::compare(old, new)
            .into_iter()
            .map(|f| (f.rule, f.component, f.field))
            .collect()
    }

    /// Asserts that going from `before` to `after` (one manifest each, or
    /// none) gives exactly one finding: this rule on this field.
    pub fn assert_only(before: Option<&str>, after: Option<&str>, rule: &str, field: &str) {
        let old: Vec<Component> = before.map(|j| component(j, &[])).into_iter().collect();
        let new: Vec<Component> = after.map(|j| component(j, &[])).into_iter().collect();
        assert_pair(&old, &new, rule, field);
    }

    /// `(rule, field)` of the breaking findings between two manifests that
    /// hit a flow, as the planner decides it. The flow places the component
    /// under whatever ids it likes; its other components read from them.
    pub fn flow_hits(before: &str, after: &str, flow: serde_json::Value) -> Vec<(String, String)> {
        let (old, new) = (component(before, &[]), component(after, &[]));
        let found = crate::plan::compare::compare(&[old], std::slice::from_ref(&new));
        let flow: crate::tenant::Flow = serde_json::from_value(flow).expect("fixture is a flow");
        let ids = flow
            .flow
            .iter()
            .filter(|(_, c)| c.component_type == new.name)
            .map(|(id, _)| id.as_str())
            .collect();
        let flow_use = crate::plan::flows::Use {
            flow: &flow,
            component_ids: ids,
        };
        let hit = flow_use.hit_by(&found);
        found
            .into_iter()
            .filter(|f| hit.contains(&f.fingerprint))
            .map(|f| (f.rule, f.field))
            .collect()
    }

    pub fn assert_pair(old: &[Component], new: &[Component], rule: &str, field: &str) {
        let name = old.first().or(new.first()).expect("one side").name.clone();
        assert_eq!(
            findings(old, new),
            vec![(rule.to_string(), name, field.to_string())]
        );
        assert!(super::rule(rule).is_some(), "{rule} is in RULES");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_breaking_rules_come_first() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        assert!(ids
            .iter()
            .all(|id| id.chars().all(|c| c.is_ascii_lowercase() || c == '-')));
        let first_minor = RULES.iter().position(|r| r.bump != Bump::Major).unwrap();
        assert!(RULES[first_minor..].iter().all(|r| r.bump != Bump::Major));
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }

    #[test]
    fn every_rule_explains_itself_in_one_line_and_more() {
        for r in RULES {
            assert!(
                !r.summary.contains('\n') && r.summary.len() <= 80,
                "{}",
                r.id
            );
            assert!(r.explanation.len() > r.summary.len(), "{}", r.id);
        }
    }

    #[test]
    fn integers_fit_numbers_and_unions_take_their_members() {
        assert!(type_accepts("number", "integer"));
        assert!(type_accepts("string|null", "string"));
        assert!(type_accepts("null|number", "integer|null"));
        assert!(!type_accepts("integer", "number"));
        assert!(!type_accepts("string", "string|null"));
        assert!(type_is_opaque("oneOf") && !type_is_opaque("object"));
    }

    #[test]
    fn changes_to_a_private_helper_are_not_findings() {
        let before = testing::component(
            r#"{"name": "acme.x.ListThings", "private": true, "auth": {"service": "acme:x"},
                "inPorts": ["in"], "outPorts": ["things"]}"#,
            &[],
        );
        let after = testing::component(
            r#"{"name": "acme.x.ListThings", "private": true,
                "auth": {"service": "acme:x", "scope": ["things:read"]},
                "inPorts": [{"name": "in", "schema": {"properties": {"cursor": {"type": "string"}},
                "required": ["cursor"]}}], "outPorts": ["items"]}"#,
            &[],
        );
        assert_eq!(testing::findings(&[before], &[after]), vec![]);
    }

    #[test]
    fn an_unchanged_component_gives_nothing() {
        let c = testing::component(
            r#"{"name": "acme.x.Do", "auth": {"service": "acme:x", "scope": ["a"]},
                "inPorts": [{"name": "in", "schema": {"properties": {"a": {"type": "string"}},
                "required": ["a"]}}], "outPorts": [{"name": "out", "options": [{"value": "id"}]}]}"#,
            &[],
        );
        assert_eq!(
            testing::findings(std::slice::from_ref(&c), std::slice::from_ref(&c)),
            vec![]
        );
    }
}
