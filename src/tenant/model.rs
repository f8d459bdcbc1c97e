//! The tenant snapshot as plain data: what `snapshot` writes and `plan`
//! reads.
//!
//! Field names follow the tenant's REST API (`flowId`, `userId`, `isActive`)
//! so that a snapshot is a plain dump of what the API returns and a
//! hand-written one looks like the API. Keys the types do not name are
//! ignored, which lets a newer exporter add data without breaking older
//! readers. `schemas/tenant-snapshot.schema.json` documents the same shape.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

/// The only snapshot layout this build reads.
pub const FORMAT_VERSION: u64 = 1;

/// A whole tenant at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format_version: u64,
    pub tenant: TenantInfo,
    #[serde(default)]
    pub installed: Vec<Installed>,
    #[serde(default)]
    pub flows: Vec<Flow>,
    #[serde(default)]
    pub users: Vec<User>,
    /// Absent when the exporter could not read the rules (they need an
    /// admin token); the plan then says it cannot tell who sees what.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Acl>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantInfo {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
    /// When the snapshot was taken (RFC 3339). The plan dates its
    /// notifications with it, so the same snapshot always gives the same
    /// plan.
    pub captured: String,
}

/// One installed connector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Installed {
    pub name: String,
    /// The version in the stored zip's `bundle.json`.
    pub version: String,
    /// The component manifests the tenant holds (`GET /apps/components`),
    /// as it returns them. With them the plan compares manifests exactly;
    /// without them it falls back to versions and changelog markers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<serde_json::Value>>,
    /// Auth type per auth service (`acme:chatter` → `oauth2`), read from
    /// the `auth.js` files of the stored zip. The API does not report auth
    /// types, so without this the plan cannot see an auth type change.
    #[serde(
        default,
        rename = "authTypes",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub auth_types: BTreeMap<String, String>,
}

/// A flow record, reduced to what the plan reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    #[serde(rename = "flowId")]
    pub flow_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "userId")]
    pub user_id: String,
    pub stage: Stage,
    /// Components by their id inside the flow.
    #[serde(default)]
    pub flow: BTreeMap<String, FlowComponent>,
}

/// One component placed in a flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowComponent {
    /// The component name, e.g. `appmixer.slack.list.SendChannelMessage`.
    #[serde(rename = "type")]
    pub component_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Which components' output ports feed which input port:
    /// `{"in": {"<componentId>": ["out"]}}`. Kept raw: the plan reads it
    /// leniently, and an odd shape here must not make a snapshot unreadable.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub source: serde_json::Value,
    /// `properties` and `transform` (how earlier outputs map into inputs),
    /// kept raw for the same reason.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub config: serde_json::Value,
}

/// Whether a flow runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Running,
    Stopped,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Running => "running",
            Stage::Stopped => "stopped",
        }
    }
}

// Written by hand so that a wrong stage says what was expected and what was
// found, in the words of the snapshot format rather than serde's.
impl<'de> Deserialize<'de> for Stage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        match value.as_str() {
            Some("running") => Ok(Stage::Running),
            Some("stopped") => Ok(Stage::Stopped),
            _ => Err(serde::de::Error::custom(format!(
                "expected \"running\" or \"stopped\", found {value}"
            ))),
        }
    }
}

/// A user account (`GET /users`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<String>,
    #[serde(default, rename = "isActive", skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
}

/// Access control (`GET /acl/components`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Acl {
    #[serde(default)]
    pub components: Vec<AclRule>,
}

/// One rule: who (`role`) may use which components (`resource`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AclRule {
    /// A user scope (`user`, `admin`, custom), an email address or an email
    /// domain.
    pub role: String,
    /// A component-name prefix with a trailing `*`, or `*` for all.
    pub resource: String,
    #[serde(default)]
    pub action: Vec<String>,
    #[serde(default)]
    pub attributes: Vec<String>,
}
