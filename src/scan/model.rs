//! The scanned repository as plain data.
//!
//! Everything later stages need (the site, the zips, the upgrade plan) is
//! here, already normalized: ports are objects, option lists have one shape,
//! changelogs are ordered by semver. These types serialize to the JSON that
//! `catalog.json` publishes; they hold no file handles and no parser state.

use crate::diag::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole repository: connectors sorted by name, parent services sorted by
/// path, each distinct icon once, and every diagnostic sorted by place.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Repository {
    pub connectors: Vec<Connector>,
    pub services: Vec<ParentService>,
    /// Icons by content id; connectors and components refer to these ids.
    pub icons: BTreeMap<String, Icon>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A vendor folder with `service.json` and no `bundle.json`: not installable
/// itself, but its modules may borrow its auth and shared files.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ParentService {
    pub name: String,
    pub label: String,
    pub path: String,
    pub auth_type: Option<String>,
}

/// Which descriptor file a connector has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DescriptorKind {
    Service,
    Module,
}

/// The unit that is versioned, packed, installed and removed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Connector {
    pub name: String,
    /// Folder relative to the repository root, `/`-separated.
    pub path: String,
    pub descriptor: Option<DescriptorKind>,
    /// Path of the parent service folder, for a module connector.
    pub parent: Option<String>,
    pub label: String,
    pub category: Option<String>,
    pub description: Option<String>,
    pub icon: Option<String>,
    pub version: Option<String>,
    pub changelog: Changelog,
    pub engine: Option<String>,
    /// `oauth2`, `apiKey`, `oauth`, `pwd`, or `none`, as the components
    /// resolve it through their auth service.
    pub auth_type: String,
    pub auth_service: Option<String>,
    pub components: Vec<Component>,
    /// The bundle could not be read: the connector is listed but not usable.
    pub failed: bool,
}

/// A changelog, ordered oldest first by semver precedence.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "entries", rename_all = "lowercase")]
pub enum Changelog {
    #[default]
    None,
    Versioned(Vec<Release>),
    Unversioned(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Release {
    pub version: String,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub text: String,
    pub breaking: bool,
}

impl Changelog {
    pub fn releases(&self) -> &[Release] {
        match self {
            Changelog::Versioned(releases) => releases,
            _ => &[],
        }
    }

    pub fn newest(&self) -> Option<&Release> {
        self.releases().last()
    }
}

/// What a component does in a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    Action,
    PollingTrigger,
    WebhookTrigger,
}

impl ComponentKind {
    pub fn is_trigger(self) -> bool {
        self != ComponentKind::Action
    }

    pub fn label(self) -> &'static str {
        match self {
            ComponentKind::Action => "action",
            ComponentKind::PollingTrigger => "polling trigger",
            ComponentKind::WebhookTrigger => "webhook trigger",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    pub name: String,
    /// Folder relative to the repository root.
    pub path: String,
    pub label: String,
    pub description: Option<String>,
    pub icon: Option<String>,
    pub version: Option<String>,
    pub kind: ComponentKind,
    pub private: bool,
    /// The label or description says "Deprecated" or "Legacy".
    pub deprecated: bool,
    pub auth: Option<ComponentAuth>,
    pub quota: Option<Quota>,
    pub in_ports: Vec<InPort>,
    pub out_ports: Vec<OutPort>,
    pub properties: Option<FieldSet>,
    /// Rare keys (`dependencies`, `state`, `config`) kept as they are.
    pub extra: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentAuth {
    /// As written, e.g. `appmixer:google`.
    pub service: String,
    pub scopes: Vec<String>,
    /// Resolved from the service's `auth.js`, when there is one.
    pub auth_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quota {
    pub manager: Option<String>,
    pub resources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InPort {
    pub name: String,
    pub fields: FieldSet,
}

/// Input fields from a schema and its inspector, merged and ordered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldSet {
    pub fields: Vec<Field>,
    /// The inspector is loaded at run time (a `source`), so the fields shown
    /// here may be only part of it.
    pub dynamic: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub label: Option<String>,
    /// JSON Schema type (`string`, `number`, ...), `|`-joined when several.
    pub schema_type: Option<String>,
    /// Inspector widget (`text`, `select`, ...).
    pub widget: Option<String>,
    pub required: bool,
    pub default: Option<serde_json::Value>,
    pub choices: Vec<Choice>,
    pub help: Option<String>,
    pub deprecated: bool,
    /// The widget loads its options from another component.
    pub dynamic: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub label: String,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutPort {
    pub name: String,
    pub variables: Vec<OutputVariable>,
    /// The variables are computed at run time from a `source`.
    pub dynamic: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputVariable {
    pub value: String,
    pub label: Option<String>,
    pub schema_type: Option<String>,
}

/// An icon, stored once however many components use it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Icon {
    /// `image/png`, `image/jpeg`, `image/gif` or `image/svg+xml`: the type of the bytes, which for raster images may
    /// differ from what the manifest declared.
    pub media_type: String,
    /// The data URI as written in the manifest, relabelled with the real
    /// type where a raster image declared another one.
    pub data_uri: String,
}

impl Icon {
    pub fn extension(&self) -> &'static str {
        match self.media_type.as_str() {
            "image/png" => "png",
            "image/jpeg" => "jpg",
            "image/gif" => "gif",
            _ => "svg",
        }
    }
}

impl Repository {
    pub fn connector(&self, name: &str) -> Option<&Connector> {
        self.connectors
            .binary_search_by(|c| c.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.connectors[i])
    }

    pub fn component_count(&self) -> usize {
        self.connectors.iter().map(|c| c.components.len()).sum()
    }

    /// Connectors counted per auth type, `none` included.
    /// Connectors per auth type; connectors that failed are not counted
    /// (their components are unknown, so `none` would be a guess).
    pub fn auth_types(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for c in self.connectors.iter().filter(|c| !c.failed) {
            *counts.entry(c.auth_type.clone()).or_insert(0) += 1;
        }
        counts
    }
}
