//! `catalog.json`: the catalog as data, for scripts and other sites.
//!
//! Its own shape rather than the scan model: stable names documented in
//! README, plain-text descriptions (the HTML ones are for pages), input and
//! output names with their types instead of whole schemas, and no icon
//! data. Written compact: it is for programs, and the corpus's catalog is
//! several megabytes pretty-printed.

use crate::scan::{Changelog, Component, Connector, FieldSet, Repository};
use crate::site::{markup, view};
use serde::Serialize;

/// The layout of `catalog.json`; bumped only on incompatible changes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Catalog<'a> {
    format_version: u32,
    connectors: Vec<ConnectorEntry<'a>>,
    /// Folders of connectors left out because their bundle could not be
    /// read.
    failed: Vec<&'a str>,
}

#[derive(Serialize)]
struct ConnectorEntry<'a> {
    name: &'a str,
    label: &'a str,
    category: Option<&'a str>,
    description: String,
    version: Option<&'a str>,
    engine: Option<&'a str>,
    auth_type: &'a str,
    auth_service: Option<&'a str>,
    scopes: Vec<String>,
    path: &'a str,
    url: String,
    download: String,
    /// Newest first; `null` versions for an unversioned changelog.
    changelog: Vec<Release<'a>>,
    components: Vec<ComponentEntry<'a>>,
}

#[derive(Serialize)]
struct Release<'a> {
    version: Option<&'a str>,
    entries: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    text: &'a str,
    breaking: bool,
}

#[derive(Serialize)]
struct ComponentEntry<'a> {
    name: &'a str,
    label: &'a str,
    description: String,
    /// `action`, `polling-trigger` or `webhook-trigger`.
    kind: crate::scan::ComponentKind,
    private: bool,
    deprecated: bool,
    version: Option<&'a str>,
    url: String,
    auth: Option<Auth<'a>>,
    quota: Vec<&'a str>,
    /// Input fields per input port, then `properties` under the port name
    /// `properties`.
    inputs: Vec<Inputs<'a>>,
    outputs: Vec<Outputs<'a>>,
}

#[derive(Serialize)]
struct Auth<'a> {
    service: &'a str,
    scopes: &'a [String],
    #[serde(rename = "type")]
    auth_type: Option<&'a str>,
}

#[derive(Serialize)]
struct Inputs<'a> {
    port: &'a str,
    /// The inspector is loaded at run time; `fields` may be only part.
    dynamic: bool,
    fields: Vec<Input<'a>>,
}

#[derive(Serialize)]
struct Input<'a> {
    name: &'a str,
    label: Option<&'a str>,
    #[serde(rename = "type")]
    schema_type: Option<&'a str>,
    required: bool,
}

#[derive(Serialize)]
struct Outputs<'a> {
    port: &'a str,
    dynamic: bool,
    variables: Vec<&'a str>,
}

/// The bytes of `catalog.json`.
pub fn render(repo: &Repository, published: &[&Connector]) -> Vec<u8> {
    let catalog = Catalog {
        format_version: FORMAT_VERSION,
        connectors: published.iter().map(|c| connector(c)).collect(),
        failed: repo
            .connectors
            .iter()
            .filter(|c| c.failed)
            .map(|c| c.path.as_str())
            .collect(),
    };
    let mut bytes = serde_json::to_vec(&catalog).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn connector(c: &Connector) -> ConnectorEntry<'_> {
    let changelog = match &c.changelog {
        Changelog::Unversioned(entries) => vec![Release {
            version: None,
            entries: entries.iter().map(|e| entry(&e.text, e.breaking)).collect(),
        }],
        other => other
            .releases()
            .iter()
            .rev()
            .map(|r| Release {
                version: Some(&r.version),
                entries: r
                    .entries
                    .iter()
                    .map(|e| entry(&e.text, e.breaking))
                    .collect(),
            })
            .collect(),
    };
    ConnectorEntry {
        name: &c.name,
        label: &c.label,
        category: c.category.as_deref(),
        description: markup::plain(c.description.as_deref().unwrap_or_default()),
        version: c.version.as_deref(),
        engine: c.engine.as_deref(),
        auth_type: &c.auth_type,
        auth_service: c.auth_service.as_deref(),
        scopes: view::scopes(c),
        path: &c.path,
        url: view::connector_url(&c.name),
        download: view::zip_url(&c.name),
        changelog,
        components: c.components.iter().map(component).collect(),
    }
}

fn entry(text: &str, breaking: bool) -> Entry<'_> {
    Entry { text, breaking }
}

fn component(c: &Component) -> ComponentEntry<'_> {
    let mut inputs: Vec<Inputs> = c
        .in_ports
        .iter()
        .map(|p| inputs_of(&p.name, &p.fields))
        .collect();
    if let Some(properties) = &c.properties {
        inputs.push(inputs_of("properties", properties));
    }
    ComponentEntry {
        name: &c.name,
        label: &c.label,
        description: markup::plain(c.description.as_deref().unwrap_or_default()),
        kind: c.kind,
        private: c.private,
        deprecated: c.deprecated,
        version: c.version.as_deref(),
        url: view::component_url(&c.name),
        auth: c.auth.as_ref().map(|a| Auth {
            service: &a.service,
            scopes: &a.scopes,
            auth_type: a.auth_type.as_deref(),
        }),
        quota: c
            .quota
            .as_ref()
            .map(|q| q.resources.iter().map(String::as_str).collect())
            .unwrap_or_default(),
        inputs,
        outputs: c
            .out_ports
            .iter()
            .map(|p| Outputs {
                port: &p.name,
                dynamic: p.dynamic,
                variables: p.variables.iter().map(|v| v.value.as_str()).collect(),
            })
            .collect(),
    }
}

fn inputs_of<'a>(port: &'a str, set: &'a FieldSet) -> Inputs<'a> {
    Inputs {
        port,
        dynamic: set.dynamic,
        fields: set
            .fields
            .iter()
            .map(|f| Input {
                name: &f.name,
                label: f.label.as_deref(),
                schema_type: f.schema_type.as_deref(),
                required: f.required,
            })
            .collect(),
    }
}
