//! Reading one `component.json` into a [`Component`].
//!
//! Port lists mix bare strings and objects, option lists come in two shapes,
//! and auth hides under `authConfig` once; all of it is normalized here so
//! no later stage sees the raw variety.

use crate::diag::Severity;
use crate::json::{Node, Value};
use crate::scan::fields::{field_set, output_variables};
use crate::scan::model::{Component, ComponentAuth, ComponentKind, InPort, OutPort, Quota};
use crate::scan::source::Source;
use std::collections::BTreeMap;

/// Keys that are rare and shown raw rather than interpreted.
const RAW_KEYS: &[&str] = &["dependencies", "state", "config"];

/// Builds a component from its manifest. `expected` is the name its folder
/// implies; a different `name` is reported, and the manifest's name is kept
/// because that is how the platform identifies it. The returned icon field
/// holds the raw data URI; the scan replaces it with an icon id.
pub fn read(root: &Node, src: &mut Source, folder: &str, expected: &str) -> Option<Component> {
    if root.as_object().is_none() {
        src.report(
            root.offset,
            Severity::Error,
            "manifest-shape",
            format!("expected an object, found {}", root.kind()),
        );
        return None;
    }
    let name = match root.get("name") {
        Some(n) => match n.as_str() {
            Some(s) => s.to_string(),
            None => {
                src.report(
                    n.offset,
                    Severity::Error,
                    "manifest-shape",
                    format!("`name` must be a string, found {}", n.kind()),
                );
                expected.to_string()
            }
        },
        None => {
            src.report(
                root.offset,
                Severity::Error,
                "manifest-shape",
                "`name` is missing".into(),
            );
            expected.to_string()
        }
    };
    if name != expected {
        let how = if name.eq_ignore_ascii_case(expected) {
            " (only in letter case)"
        } else {
            ""
        };
        let at = root.get("name").map_or(root.offset, |n| n.offset);
        src.report(
            at,
            Severity::Warning,
            "component-name-mismatch",
            format!("component name `{name}` differs from its path `{folder}`, which implies `{expected}`{how}"),
        );
    }

    let label = root
        .str_at("label")
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| name.rsplit('.').next().unwrap_or(&name).to_string());
    let description = root.str_at("description").map(str::to_string);
    let deprecated = says_deprecated(&label) || description.as_deref().is_some_and(says_deprecated);

    let version = root.get("version").and_then(|v| match v.as_str() {
        Some(s) => match crate::scan::version::parse_strict(s) {
            Ok(_) => Some(s.to_string()),
            Err(reason) => {
                src.report(
                    v.offset,
                    Severity::Error,
                    "version-invalid",
                    format!("`version` is invalid: {reason}"),
                );
                None
            }
        },
        None => {
            src.report(
                v.offset,
                Severity::Error,
                "version-invalid",
                format!("`version` must be a string, found {}", v.kind()),
            );
            None
        }
    });

    let in_ports = ports(root.get("inPorts"), src)
        .into_iter()
        .map(|port| match port {
            Port::Bare(name) => InPort {
                name,
                fields: Default::default(),
            },
            Port::Object(node) => InPort {
                name: node.str_at("name").unwrap_or("in").to_string(),
                fields: field_set(
                    node.get("schema"),
                    node.get("inspector"),
                    node.get("source").is_some(),
                ),
            },
        })
        .collect::<Vec<_>>();
    let out_ports = ports(root.get("outPorts"), src)
        .into_iter()
        .map(|port| match port {
            Port::Bare(name) => OutPort {
                name,
                variables: Vec::new(),
                dynamic: false,
            },
            Port::Object(node) => OutPort {
                name: node.str_at("name").unwrap_or("out").to_string(),
                variables: output_variables(node),
                dynamic: node.get("source").is_some(),
            },
        })
        .collect();
    let properties = root
        .get("properties")
        .filter(|p| p.as_object().is_some())
        .map(|p| {
            field_set(
                p.get("schema"),
                p.get("inspector"),
                p.get("source").is_some(),
            )
        });

    // A flag the platform reads as a boolean: `"tick": "true"` is not one,
    // and reading it as false would silently turn a trigger into an action.
    for flag in ["private", "tick", "webhook", "trigger"] {
        if let Some(v) = root.get(flag).filter(|v| v.as_bool().is_none()) {
            src.report(
                v.offset,
                Severity::Error,
                "manifest-shape",
                format!("`{flag}` must be true or false, found {}", v.kind()),
            );
        }
    }
    if let Some(a) = root.get("auth").filter(|a| a.as_object().is_none()) {
        src.report(
            a.offset,
            Severity::Error,
            "manifest-shape",
            format!(
                "`auth` must be an object with a `service`, found {}",
                a.kind()
            ),
        );
    }

    let private = root.is_true("private");
    let kind = if root.is_true("webhook") || root.is_true("trigger") {
        ComponentKind::WebhookTrigger
    } else if root.is_true("tick") {
        ComponentKind::PollingTrigger
    } else if in_ports.is_empty() && !private {
        // No input port and no flag: something pushes events to it
        // (listeners, message queues), which behaves as a webhook does.
        ComponentKind::WebhookTrigger
    } else {
        ComponentKind::Action
    };

    let auth = root
        .get("auth")
        .or_else(|| root.get("authConfig"))
        .and_then(|a| {
            let service = a.str_at("service")?.to_string();
            let scopes = a
                .get("scope")
                .and_then(Node::as_array)
                .map(|s| {
                    s.iter()
                        .filter_map(Node::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            Some(ComponentAuth {
                service,
                scopes,
                auth_type: None,
            })
        });
    let quota = root.get("quota").and_then(|q| {
        q.as_object()?;
        let resources = match q.get("resources").map(|r| &r.value) {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        Some(Quota {
            manager: q.str_at("manager").map(str::to_string),
            resources,
        })
    });
    let extra: BTreeMap<String, serde_json::Value> = RAW_KEYS
        .iter()
        .filter_map(|k| root.get(k).map(|v| (k.to_string(), v.to_serde())))
        .collect();

    Some(Component {
        name,
        path: folder.to_string(),
        label,
        description,
        icon: root.str_at("icon").map(str::to_string),
        version,
        kind,
        private,
        deprecated,
        auth,
        quota,
        in_ports,
        out_ports,
        properties,
        extra,
    })
}

enum Port<'a> {
    Bare(String),
    Object(&'a Node),
}

/// A port list: strings and objects, in any mix.
fn ports<'a>(list: Option<&'a Node>, src: &mut Source) -> Vec<Port<'a>> {
    let Some(list) = list else { return Vec::new() };
    let Some(items) = list.as_array() else {
        src.report(
            list.offset,
            Severity::Error,
            "manifest-shape",
            format!("a port list must be an array, found {}", list.kind()),
        );
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match &item.value {
            Value::String(name) => Some(Port::Bare(name.clone())),
            Value::Object(_) => Some(Port::Object(item)),
            _ => {
                src.report(
                    item.offset,
                    Severity::Error,
                    "manifest-shape",
                    format!(
                        "a port must be a string or an object, found {}",
                        item.kind()
                    ),
                );
                None
            }
        })
        .collect()
}

/// Deprecation is only textual in manifests.
fn says_deprecated(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("deprecated") || lower.contains("legacy")
}
