//! Which flows use which connector, and which of them a finding hits.
//!
//! The tenant has no server-side filter by connector, so flows are matched
//! here by component-name prefix (`acme.chatter.` for `acme.chatter`), the
//! longest connector name winning. Field usage is read from a flow's
//! configuration: `properties`, the `transform` lambdas that fill input
//! fields, the `source` wiring between ports, and the `{{{$.<id>.<port>.
//! <variable>}}}` templates that read earlier outputs. This is a reading of
//! the flow's data, not of its behaviour: a value computed at run time is
//! invisible to it, which is why rules that cannot be judged per field hit
//! every flow using the component.

use crate::plan::model::{Bump, Finding};
use crate::plan::rules::{self, Affects};
use crate::tenant::Flow;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// One flow's use of one connector: the ids of the placed components that
/// belong to it.
#[derive(Debug, Clone)]
pub struct Use<'a> {
    pub flow: &'a Flow,
    pub component_ids: Vec<&'a str>,
}

/// Flows grouped by the connector their components belong to. A flow that
/// uses three connectors appears under each of them once.
pub fn by_connector<'a>(
    flows: &'a [Flow],
    connectors: &HashSet<&str>,
) -> HashMap<String, Vec<Use<'a>>> {
    let mut out: HashMap<String, Vec<Use<'a>>> = HashMap::new();
    for flow in flows {
        let mut uses: HashMap<&str, Vec<&'a str>> = HashMap::new();
        for (id, component) in &flow.flow {
            if let Some(connector) = connector_of(&component.component_type, connectors) {
                uses.entry(connector).or_default().push(id);
            }
        }
        for (connector, component_ids) in uses {
            out.entry(connector.to_string()).or_default().push(Use {
                flow,
                component_ids,
            });
        }
    }
    out
}

/// The connector a component name belongs to: the longest known name
/// followed by a dot.
pub fn connector_of<'n>(component: &'n str, connectors: &HashSet<&str>) -> Option<&'n str> {
    component
        .rmatch_indices('.')
        .map(|(at, _)| &component[..at])
        .find(|prefix| connectors.contains(prefix))
}

impl Use<'_> {
    /// The component names used, sorted, once each.
    pub fn component_names(&self) -> Vec<String> {
        let names: BTreeSet<&str> = self
            .component_ids
            .iter()
            .map(|id| self.flow.flow[*id].component_type.as_str())
            .collect();
        names.into_iter().map(str::to_string).collect()
    }

    /// Fingerprints of the breaking findings (those that require a major)
    /// this flow is hit by, in the findings' order. A deprecation or a new
    /// optional input names a component too, but breaks nothing.
    pub fn hit_by(&self, findings: &[Finding]) -> Vec<String> {
        let mut usage: HashMap<&str, HashSet<String>> = HashMap::new();
        // Parsed on the first field-level finding, once for the flow: the
        // usage of one component reads every other component's wiring.
        let mut parsed: Option<Parsed> = None;
        findings
            .iter()
            .filter(|f| f.bump == Bump::Major)
            .filter(|f| {
                let ids = self
                    .component_ids
                    .iter()
                    .filter(|id| self.flow.flow[**id].component_type == f.component);
                let affects = rules::rule(&f.rule).map_or(Affects::Component, |r| r.affects);
                match affects {
                    Affects::Component => ids.count() > 0,
                    Affects::Field => ids.into_iter().any(|id| {
                        usage
                            .entry(id)
                            .or_insert_with(|| {
                                let parsed = parsed.get_or_insert_with(|| parse(self.flow));
                                usage_in(parsed, id)
                            })
                            .iter()
                            .any(|used| field_covers(&f.field, used))
                    }),
                }
            })
            .map(|f| f.fingerprint.clone())
            .collect()
    }
}

/// Does a finding on `field` concern a flow that uses `used`? A finding on
/// a port concerns every variable read from it.
fn field_covers(field: &str, used: &str) -> bool {
    match used.strip_prefix(field) {
        Some("") => true,
        Some(rest) => rest.starts_with('.') || rest.starts_with('['),
        None => false,
    }
}

/// Each component's `source` and `config`, parsed, by component id.
type Parsed<'a> = BTreeMap<&'a str, (Value, Value)>;

fn parse(flow: &Flow) -> Parsed<'_> {
    flow.flow
        .iter()
        .map(|(id, c)| (id.as_str(), (raw(&c.source), raw(&c.config))))
        .collect()
}

/// Every input field, port and output variable of component `id` that the
/// flow's configuration refers to, spelled as findings spell fields.
pub fn field_usage(flow: &Flow, id: &str) -> HashSet<String> {
    usage_in(&parse(flow), id)
}

fn usage_in(flow: &Parsed, id: &str) -> HashSet<String> {
    let mut used = HashSet::new();
    let Some((source, config)) = flow.get(id) else {
        return used;
    };

    if let Some(props) = config.get("properties").and_then(Value::as_object) {
        used.extend(props.keys().map(|k| format!("properties.{k}")));
    }
    if let Some(ports) = config.get("transform").and_then(Value::as_object) {
        for (port, sources) in ports {
            used.insert(format!("inPorts.{port}"));
            for lambda in lambdas(sources) {
                used.extend(lambda.keys().map(|k| format!("inPorts.{port}.{k}")));
            }
        }
    }
    if let Some(ports) = source.as_object() {
        used.extend(ports.keys().map(|port| format!("inPorts.{port}")));
    }

    for (other_id, (source, config)) in flow {
        if *other_id == id {
            continue;
        }
        outputs_read_by(source, config, id, &mut used);
    }
    used
}

/// What a reader (its `source` and `config`) takes from component `id`:
/// ports it is wired to and variables its templates read.
fn outputs_read_by(source: &Value, config: &Value, id: &str, used: &mut HashSet<String>) {
    if let Some(ports) = source.as_object() {
        for from in ports.values() {
            if let Some(out_ports) = from.get(id).and_then(Value::as_array) {
                used.extend(
                    out_ports
                        .iter()
                        .filter_map(Value::as_str)
                        .map(|p| format!("outPorts.{p}")),
                );
            }
        }
    }
    if let Some(ports) = config.get("transform").and_then(Value::as_object) {
        for sources in ports.values() {
            if let Some(out_ports) = sources.get(id).and_then(Value::as_object) {
                used.extend(out_ports.keys().map(|p| format!("outPorts.{p}")));
            }
        }
    }
    let mut strings = Vec::new();
    collect_strings(config, &mut strings);
    for text in strings {
        templates(text, id, used);
    }
}

/// A component's `source` or `config`, parsed; `null` when absent.
fn raw(value: &Option<crate::tenant::RawJson>) -> Value {
    value
        .as_ref()
        .map_or(Value::Null, crate::tenant::RawJson::value)
}

/// The `lambda` objects under one input port's transform:
/// `{<sourceId>: {<outPort>: {"lambda": {...}}}}`.
fn lambdas(sources: &Value) -> impl Iterator<Item = &serde_json::Map<String, Value>> {
    sources
        .as_object()
        .into_iter()
        .flat_map(|s| s.values())
        .filter_map(Value::as_object)
        .flat_map(|ports| ports.values())
        .filter_map(|p| p.get("lambda").and_then(Value::as_object))
}

fn collect_strings<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

/// Reads `{{{$.<id>.<port>.<variable>}}}` references to component `id`.
fn templates(text: &str, id: &str, used: &mut HashSet<String>) {
    let mut rest = text;
    while let Some(at) = rest.find("{{{$.") {
        rest = &rest[at + 5..];
        let end = rest.find("}}}").unwrap_or(rest.len());
        let reference = &rest[..end];
        if let Some(path) = reference.strip_prefix(id).and_then(|r| r.strip_prefix('.')) {
            let (port, variable) = path.split_once('.').unwrap_or((path, ""));
            used.insert(format!("outPorts.{port}"));
            if !variable.is_empty() {
                used.insert(format!("outPorts.{port}.{variable}"));
            }
        }
        rest = &rest[end..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flow(value: serde_json::Value) -> Flow {
        // From text, as a snapshot is read: raw values need it.
        serde_json::from_str(&value.to_string()).unwrap()
    }

    #[test]
    fn the_longest_connector_name_wins() {
        let names: HashSet<&str> = ["acme.cloud", "acme.cloud.mail"].into_iter().collect();
        assert_eq!(
            connector_of("acme.cloud.mail.Send", &names),
            Some("acme.cloud.mail")
        );
        assert_eq!(connector_of("acme.cloud.Get", &names), Some("acme.cloud"));
        assert_eq!(connector_of("acme.cloudy.Get", &names), None);
    }

    #[test]
    fn usage_covers_properties_lambdas_wiring_and_templates() {
        let f = flow(json!({
            "flowId": "f", "userId": "u", "stage": "running",
            "flow": {
                "t": {"type": "acme.x.NewThing", "config": {"properties": {"folder": "/"}}},
                "a": {"type": "acme.x.Send",
                      "source": {"in": {"t": ["out"]}},
                      "config": {"transform": {"in": {"t": {"out": {"type": "json2new",
                          "lambda": {"text": "Got {{{$.t.out.author.name}}}", "to": "x"}}}}}}}
            }
        }));
        let mut t: Vec<String> = field_usage(&f, "t").into_iter().collect();
        t.sort();
        assert_eq!(
            t,
            [
                "outPorts.out",
                "outPorts.out.author.name",
                "properties.folder"
            ]
        );
        let mut a: Vec<String> = field_usage(&f, "a").into_iter().collect();
        a.sort();
        assert_eq!(a, ["inPorts.in", "inPorts.in.text", "inPorts.in.to"]);
        assert!(field_covers(
            "outPorts.out.author",
            "outPorts.out.author.name"
        ));
        assert!(!field_covers(
            "outPorts.out.auth",
            "outPorts.out.author.name"
        ));
    }
}
