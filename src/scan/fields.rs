//! Input fields and output variables, normalized from the shapes manifests
//! use: a JSON Schema plus an inspector for inputs, option lists (or a
//! schema, or a run-time `source`) for outputs.

use crate::json::{Node, Value};
use crate::scan::model::{Choice, Field, FieldSet, OutputVariable};

/// Merges a schema's properties with an inspector's inputs. Fields are
/// ordered by the inspector's `index`, then in schema order; inspector-only
/// fields come after the schema's.
pub fn field_set(schema: Option<&Node>, inspector: Option<&Node>, dynamic: bool) -> FieldSet {
    let mut fields: Vec<(Option<f64>, Field)> = Vec::new();
    let required: Vec<&str> = schema
        .and_then(|s| s.get("required"))
        .and_then(Node::as_array)
        .map(|items| items.iter().filter_map(Node::as_str).collect())
        .unwrap_or_default();

    if let Some(props) = schema
        .and_then(|s| s.get("properties"))
        .and_then(Node::as_object)
    {
        for member in props {
            let prop = &member.value;
            let mut field = empty_field(&member.key);
            field.schema_type = schema_type(prop);
            // `required: true` inside a property is a common misplacement;
            // the platform honours it, so do we.
            field.required = required.contains(&member.key.as_str()) || prop.is_true("required");
            field.default = prop.get("default").map(Node::to_serde);
            field.help = prop.str_at("description").map(str::to_string);
            field.label = prop.str_at("title").map(str::to_string);
            field.deprecated = prop.is_true("deprecated");
            if let Some(values) = prop.get("enum").and_then(Node::as_array) {
                field.choices = values.iter().map(choice_from_value).collect();
            }
            fields.push((None, field));
        }
    }

    let inputs = inspector
        .and_then(|i| i.get("inputs"))
        .and_then(Node::as_object);
    for member in inputs.unwrap_or_default() {
        let widget = &member.value;
        let at = match fields.iter().position(|(_, f)| f.name == member.key) {
            Some(at) => at,
            None => {
                fields.push((None, empty_field(&member.key)));
                fields.len() - 1
            }
        };
        let (index, field) = &mut fields[at];
        *index = widget.get("index").and_then(number);
        field.widget = widget.str_at("type").map(str::to_string);
        if let Some(label) = widget.str_at("label") {
            field.label = Some(label.to_string());
        }
        if let Some(tooltip) = widget.str_at("tooltip") {
            field.help = Some(tooltip.to_string());
        }
        if field.default.is_none() {
            field.default = widget.get("defaultValue").map(Node::to_serde);
        }
        if let Some(options) = widget.get("options").and_then(Node::as_array) {
            if field.choices.is_empty() {
                field.choices = options.iter().filter_map(choice_from_option).collect();
            }
        }
        field.dynamic = widget.get("source").is_some();
    }

    // A stable sort keeps schema order among fields without an index.
    fields.sort_by(|(a, _), (b, _)| match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    FieldSet {
        fields: fields.into_iter().map(|(_, f)| f).collect(),
        dynamic,
    }
}

/// Output variables of one port: its `options`, or else its schema's
/// properties.
pub fn output_variables(port: &Node) -> Vec<OutputVariable> {
    if let Some(options) = port.get("options").and_then(Node::as_array) {
        return options
            .iter()
            .filter_map(|o| {
                Some(OutputVariable {
                    value: o.str_at("value")?.to_string(),
                    label: o.str_at("label").map(str::to_string),
                    schema_type: o.get("schema").and_then(schema_type),
                })
            })
            .collect();
    }
    port.get("schema")
        .and_then(|s| s.get("properties"))
        .and_then(Node::as_object)
        .map(|props| {
            props
                .iter()
                .map(|m| OutputVariable {
                    value: m.key.clone(),
                    label: m.value.str_at("title").map(str::to_string),
                    schema_type: schema_type(&m.value),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn empty_field(name: &str) -> Field {
    Field {
        name: name.to_string(),
        label: None,
        schema_type: None,
        widget: None,
        required: false,
        default: None,
        choices: Vec::new(),
        help: None,
        deprecated: false,
        dynamic: false,
    }
}

/// `type` as written (`"string"` or `["string", "null"]` joined with `|`);
/// a schema with only `oneOf`/`anyOf` is reported as such.
fn schema_type(schema: &Node) -> Option<String> {
    match schema.get("type").map(|t| &t.value) {
        Some(Value::String(t)) => Some(t.clone()),
        Some(Value::Array(items)) => {
            let names: Vec<&str> = items.iter().filter_map(Node::as_str).collect();
            (!names.is_empty()).then(|| names.join("|"))
        }
        _ if schema.get("oneOf").is_some() => Some("oneOf".into()),
        _ if schema.get("anyOf").is_some() => Some("anyOf".into()),
        _ => None,
    }
}

fn number(node: &Node) -> Option<f64> {
    match &node.value {
        Value::Number(text) => text.parse().ok(),
        _ => None,
    }
}

fn choice_from_value(value: &Node) -> Choice {
    let label = match &value.value {
        Value::String(s) => s.clone(),
        _ => value.to_serde().to_string(),
    };
    Choice {
        label,
        value: value.to_serde(),
    }
}

/// Inspector options come as `{label, value}` and as `{content, value}`.
fn choice_from_option(option: &Node) -> Option<Choice> {
    let value = option.get("value")?;
    let label = option
        .str_at("label")
        .or_else(|| option.str_at("content"))
        .map(str::to_string)
        .unwrap_or_else(|| choice_from_value(value).label);
    Some(Choice {
        label,
        value: value.to_serde(),
    })
}
