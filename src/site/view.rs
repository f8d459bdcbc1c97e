//! What the templates see: the scanned data reshaped for display, with
//! every rich text already sanitized (fields ending in `_html`) and every
//! other text left for the template engine to escape.

use crate::scan::{Changelog, Component, Connector, Field, FieldSet, Repository};
use crate::site::markup;
use crate::site::tenant::ConnectorStatus;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize)]
pub struct ConnectorCard {
    pub name: String,
    pub label: String,
    pub category: String,
    pub auth_type: String,
    pub version: Option<String>,
    pub triggers: usize,
    pub actions: usize,
    pub icon: Option<String>,
    pub url: String,
    pub summary: String,
    /// The whole description as plain text, for the search index; the
    /// card shows only its start.
    #[serde(skip)]
    pub description: String,
    /// With a tenant: installed version and update status.
    pub status: Option<CardStatus>,
}

/// A card's badges and filter values on a tenant.
#[derive(Debug, Clone, Serialize)]
pub struct CardStatus {
    pub installed: Option<String>,
    pub installation: &'static str,
    pub update: &'static str,
}

/// The card with the tenant's view of its connector, if any.
pub fn with_status(mut card: ConnectorCard, status: Option<&ConnectorStatus>) -> ConnectorCard {
    card.status = status.map(|s| CardStatus {
        installed: s.installed.clone(),
        installation: s.installation,
        update: s.update,
    });
    card
}

#[derive(Debug, Clone, Serialize)]
pub struct ConnectorPage {
    pub card: ConnectorCard,
    pub description_html: String,
    pub engine: Option<String>,
    pub auth_service: Option<String>,
    pub scopes: Vec<String>,
    pub download: String,
    pub download_size: String,
    pub triggers: Vec<ComponentLink>,
    pub actions: Vec<ComponentLink>,
    pub releases: Vec<ReleaseView>,
    pub unversioned: Vec<EntryView>,
    pub layout: String,
    pub path: String,
    /// With a tenant: version, access rules and flows there.
    pub tenant: Option<ConnectorStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComponentLink {
    pub name: String,
    pub label: String,
    pub url: String,
    pub kind: String,
    pub private: bool,
    pub deprecated: bool,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReleaseView {
    pub version: String,
    pub anchor: String,
    pub breaking: bool,
    pub entries: Vec<EntryView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    pub html: String,
    pub breaking: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComponentPage {
    pub name: String,
    pub label: String,
    pub connector: ConnectorCard,
    pub description_html: String,
    pub kind: String,
    pub is_trigger: bool,
    pub version: Option<String>,
    pub private: bool,
    pub deprecated: bool,
    pub icon: Option<String>,
    pub auth_service: Option<String>,
    pub auth_type: Option<String>,
    pub scopes: Vec<String>,
    pub quota_manager: Option<String>,
    pub quota_resources: Vec<String>,
    pub in_ports: Vec<PortView>,
    pub properties: Option<PortView>,
    pub out_ports: Vec<OutPortView>,
    pub extra: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PortView {
    pub name: String,
    pub dynamic: bool,
    pub fields: Vec<FieldView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    pub name: String,
    pub label: String,
    pub schema_type: String,
    pub widget: String,
    pub required: bool,
    pub default: String,
    pub choices: Vec<String>,
    pub help_html: String,
    pub deprecated: bool,
    pub dynamic: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutPortView {
    pub name: String,
    pub dynamic: bool,
    pub variables: Vec<VariableView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VariableView {
    pub value: String,
    pub label: String,
    pub schema_type: String,
}

/// Where pages live, relative to the site root. Connectors and components
/// each get one page named by their full name.
pub fn connector_url(name: &str) -> String {
    format!("connectors/{name}.html")
}

pub fn component_url(name: &str) -> String {
    format!("components/{name}.html")
}

pub fn zip_url(name: &str) -> String {
    format!("downloads/{name}.zip")
}

/// Changelog anchor of one version, e.g. `v1.2.0`.
pub fn release_anchor(version: &str) -> String {
    format!("v{version}")
}

const SUMMARY_CHARS: usize = 160;

/// The start of a description's plain text, for a card.
fn summary(plain: &str) -> String {
    match plain.char_indices().nth(SUMMARY_CHARS) {
        Some((at, _)) => format!("{}…", &plain[..at]),
        None => plain.to_string(),
    }
}

pub fn card(c: &Connector, icons: &BTreeMap<String, String>) -> ConnectorCard {
    let triggers = c
        .components
        .iter()
        .filter(|x| x.kind.is_trigger() && !x.private)
        .count();
    let actions = c
        .components
        .iter()
        .filter(|x| !x.kind.is_trigger() && !x.private)
        .count();
    let description = markup::plain(c.description.as_deref().unwrap_or_default());
    ConnectorCard {
        name: c.name.clone(),
        label: c.label.clone(),
        category: c.category.clone().unwrap_or_else(|| "uncategorized".into()),
        auth_type: c.auth_type.clone(),
        version: c.version.clone(),
        triggers,
        actions,
        icon: c.icon.as_ref().and_then(|id| icons.get(id).cloned()),
        url: connector_url(&c.name),
        summary: summary(&description),
        description,
        status: None,
    }
}

fn link(c: &Component) -> ComponentLink {
    ComponentLink {
        name: c.name.clone(),
        label: c.label.clone(),
        url: component_url(&c.name),
        kind: c.kind.label().into(),
        private: c.private,
        deprecated: c.deprecated,
        summary: summary(&markup::plain(c.description.as_deref().unwrap_or_default())),
    }
}

/// Every scope any component of the connector requests, sorted.
pub fn scopes(c: &Connector) -> Vec<String> {
    let set: BTreeSet<&str> = c
        .components
        .iter()
        .filter_map(|x| x.auth.as_ref())
        .flat_map(|a| a.scopes.iter().map(String::as_str))
        .collect();
    set.into_iter().map(str::to_string).collect()
}

/// The page of `c`, around the card the index shows for it.
pub fn connector_page(
    repo: &Repository,
    c: &Connector,
    card: ConnectorCard,
    zip_size: Option<usize>,
) -> ConnectorPage {
    let (triggers, actions): (Vec<&Component>, Vec<&Component>) =
        c.components.iter().partition(|x| x.kind.is_trigger());
    let releases = c
        .changelog
        .releases()
        .iter()
        .rev()
        .map(|r| ReleaseView {
            version: r.version.clone(),
            anchor: release_anchor(&r.version),
            breaking: r.entries.iter().any(|e| e.breaking),
            entries: r
                .entries
                .iter()
                .map(|e| EntryView {
                    html: markup::inline(&e.text),
                    breaking: e.breaking,
                })
                .collect(),
        })
        .collect();
    let unversioned = match &c.changelog {
        Changelog::Unversioned(entries) => entries
            .iter()
            .map(|e| EntryView {
                html: markup::inline(&e.text),
                breaking: e.breaking,
            })
            .collect(),
        _ => Vec::new(),
    };
    let layout = match (&c.parent, c.descriptor) {
        (Some(parent), _) => format!(
            "module of the `{}` service",
            repo.services
                .iter()
                .find(|s| &s.path == parent)
                .map_or(parent.as_str(), |s| s.name.as_str())
        ),
        (None, Some(crate::scan::DescriptorKind::Module)) => "module".into(),
        _ => "service".into(),
    };
    ConnectorPage {
        card,
        description_html: markup::rich(c.description.as_deref().unwrap_or_default()),
        engine: c.engine.clone(),
        auth_service: c.auth_service.clone(),
        scopes: scopes(c),
        download: zip_url(&c.name),
        download_size: zip_size.map(human_size).unwrap_or_default(),
        triggers: triggers.into_iter().map(link).collect(),
        actions: actions.into_iter().map(link).collect(),
        releases,
        unversioned,
        layout,
        path: c.path.clone(),
        tenant: None,
    }
}

fn human_size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

fn field_view(f: &Field) -> FieldView {
    FieldView {
        name: f.name.clone(),
        label: f.label.clone().unwrap_or_default(),
        schema_type: f.schema_type.clone().unwrap_or_default(),
        widget: f.widget.clone().unwrap_or_default(),
        required: f.required,
        default: f.default.as_ref().map(compact_json).unwrap_or_default(),
        choices: f.choices.iter().map(|c| c.label.clone()).collect(),
        help_html: f.help.as_deref().map(markup::inline).unwrap_or_default(),
        deprecated: f.deprecated,
        dynamic: f.dynamic,
    }
}

fn compact_json(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn port_view(name: &str, set: &FieldSet) -> PortView {
    PortView {
        name: name.to_string(),
        dynamic: set.dynamic,
        fields: set.fields.iter().map(field_view).collect(),
    }
}

pub fn component_page(
    connector: &Connector,
    c: &Component,
    icons: &BTreeMap<String, String>,
) -> ComponentPage {
    ComponentPage {
        name: c.name.clone(),
        label: c.label.clone(),
        connector: card(connector, icons),
        description_html: markup::rich(c.description.as_deref().unwrap_or_default()),
        kind: c.kind.label().into(),
        is_trigger: c.kind.is_trigger(),
        version: c.version.clone(),
        private: c.private,
        deprecated: c.deprecated,
        icon: c
            .icon
            .as_ref()
            .or(connector.icon.as_ref())
            .and_then(|id| icons.get(id).cloned()),
        auth_service: c.auth.as_ref().map(|a| a.service.clone()),
        auth_type: c.auth.as_ref().and_then(|a| a.auth_type.clone()),
        scopes: c
            .auth
            .as_ref()
            .map(|a| a.scopes.clone())
            .unwrap_or_default(),
        quota_manager: c.quota.as_ref().and_then(|q| q.manager.clone()),
        quota_resources: c
            .quota
            .as_ref()
            .map(|q| q.resources.clone())
            .unwrap_or_default(),
        in_ports: c
            .in_ports
            .iter()
            .map(|p| port_view(&p.name, &p.fields))
            .collect(),
        properties: c.properties.as_ref().map(|p| port_view("properties", p)),
        out_ports: c
            .out_ports
            .iter()
            .map(|p| OutPortView {
                name: p.name.clone(),
                dynamic: p.dynamic,
                variables: p
                    .variables
                    .iter()
                    .map(|v| VariableView {
                        value: v.value.clone(),
                        label: v.label.clone().unwrap_or_default(),
                        schema_type: v.schema_type.clone().unwrap_or_default(),
                    })
                    .collect(),
            })
            .collect(),
        extra: c
            .extra
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    serde_json::to_string_pretty(v).unwrap_or_default(),
                )
            })
            .collect(),
    }
}
