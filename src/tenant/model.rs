//! The tenant snapshot as plain data: what `snapshot` writes and `plan`
//! reads.
//!
//! Field names follow the tenant's REST API (`flowId`, `userId`, `isActive`)
//! so that a snapshot is a plain dump of what the API returns and a
//! hand-written one looks like the API. Keys the types do not name are
//! ignored, which lets a newer exporter add data without breaking older
//! readers. `schemas/tenant-snapshot.schema.json` documents the same shape.
//!
//! The derived readers are narrowed where serde is more lenient than the
//! format: a struct is read only from a JSON object (serde also fills one
//! from an array), `tenant.captured` must be an RFC 3339 date-time, an
//! installed name must not be empty, and `acl` takes the API's list of
//! rules as well as `{"components": [...]}`. Checks across values (unique
//! names, strict versions) are `load`'s.

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// The only snapshot layout this build reads.
pub const FORMAT_VERSION: u64 = 1;

/// A whole tenant at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(deserialize_with = "format_version")]
    pub format_version: u64,
    #[serde(deserialize_with = "object")]
    pub tenant: TenantInfo,
    #[serde(default, deserialize_with = "objects")]
    pub installed: Vec<Installed>,
    #[serde(default, deserialize_with = "objects")]
    pub flows: Vec<Flow>,
    #[serde(default, deserialize_with = "objects")]
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
    #[serde(deserialize_with = "date_time")]
    pub captured: String,
}

/// One installed connector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Installed {
    #[serde(deserialize_with = "non_empty")]
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
        deserialize_with = "object",
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
    #[serde(default, deserialize_with = "objects_by_key")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<RawJson>,
    /// `properties` and `transform` (how earlier outputs map into inputs),
    /// kept raw for the same reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<RawJson>,
}

/// A JSON value kept as its text, parsed when it is read. Most flows are
/// never looked into (only those a breaking finding may hit), and text
/// takes a fraction of the memory of a parsed tree.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawJson(Box<serde_json::value::RawValue>);

impl RawJson {
    /// The value; `null` for text that does not parse (it came from a
    /// parsed snapshot, so it does).
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_str(self.0.get()).unwrap_or(serde_json::Value::Null)
    }

    /// The JSON text of a value.
    pub fn from_value(value: &serde_json::Value) -> RawJson {
        RawJson(serde_json::value::to_raw_value(value).expect("a JSON value serializes"))
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
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
        let found = match &value {
            serde_json::Value::String(text) if text == "running" => return Ok(Stage::Running),
            serde_json::Value::String(text) if text == "stopped" => return Ok(Stage::Stopped),
            serde_json::Value::String(text) => quote(text),
            serde_json::Value::Array(_) => "an array".into(),
            serde_json::Value::Object(_) => "an object".into(),
            other => other.to_string(),
        };
        Err(serde::de::Error::custom(format!(
            "expected \"running\" or \"stopped\", found {found}"
        )))
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

/// Access control (`GET /acl/components`). Read from the API's own answer,
/// a list of rules, or from `{"components": [...]}`; always written as the
/// latter.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Acl {
    pub components: Vec<AclRule>,
}

impl<'de> Deserialize<'de> for Acl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Keyed {
            #[serde(default, deserialize_with = "objects")]
            components: Vec<AclRule>,
        }

        struct AclVisitor;
        impl<'de> Visitor<'de> for AclVisitor {
            type Value = Acl;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object or an array of access rules")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Acl, A::Error> {
                let keyed = Keyed::deserialize(MapAccessDeserializer::new(map))?;
                Ok(Acl {
                    components: keyed.components,
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Acl, A::Error> {
                let rules = Objects::<AclRule>::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(Acl {
                    components: rules.0,
                })
            }
        }

        deserializer.deserialize_any(AclVisitor)
    }
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

/// `T` read from a JSON object and nothing else: serde's derive also fills
/// a struct from an array by position, so `"tenant": ["a", null, "x"]`
/// would read as a tenant. Going through `deserialize_map` keeps the
/// path-tracking and position-reporting deserializer in charge, so errors
/// inside still name their JSON path, line and column; and the message for
/// a wrong type says "an object" rather than a Rust type name.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }
        deserializer
            .deserialize_map(ObjectVisitor(PhantomData))
            .map(Object)
    }
}

/// An array whose items are each read as [`Object`].
struct Objects<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Objects<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectsVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectsVisitor<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(Object(item)) = seq.next_element()? {
                    items.push(item);
                }
                Ok(items)
            }
        }
        deserializer
            .deserialize_seq(ObjectsVisitor(PhantomData))
            .map(Objects)
    }
}

fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<T, D::Error> {
    Object::deserialize(deserializer).map(|Object(value)| value)
}

fn objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    Objects::deserialize(deserializer).map(|Objects(items)| items)
}

/// An object whose values are each read as [`Object`].
fn objects_by_key<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, T>, D::Error> {
    let map: BTreeMap<String, Object<T>> = object(deserializer)?;
    Ok(map.into_iter().map(|(k, Object(v))| (k, v)).collect())
}

/// The version as a number: `1.0` is the same number as `1` (JSON Schema
/// agrees), so it reads as 1. Which version is supported is `load`'s
/// business; it looks before this runs.
fn format_version<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    struct VersionVisitor;
    impl Visitor<'_> for VersionVisitor {
        type Value = u64;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
            // Exact below 2^53, which is far above any version.
            if v.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&v) {
                Ok(v as u64)
            } else {
                Err(E::invalid_value(de::Unexpected::Float(v), &self))
            }
        }
    }
    deserializer.deserialize_any(VersionVisitor)
}

/// A connector name: an empty one would match no repository connector and
/// could not be told apart in a plan.
fn non_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let name = String::deserialize(deserializer)?;
    if name.is_empty() {
        return Err(de::Error::custom(
            "empty; an installed connector has a name such as \"acme.chatter\"",
        ));
    }
    Ok(name)
}

/// `captured` dates the plan's notifications, so it must be a date-time
/// the tenant and every reader of the plan understand.
fn date_time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    if !is_rfc3339_date_time(&text) {
        return Err(de::Error::custom(format!(
            "{} is not an RFC 3339 date-time; write it like \"2026-03-02T08:00:00Z\" \
             (a UTC `Z` or an offset such as `+01:00`)",
            quote(&text)
        )));
    }
    Ok(text)
}

/// RFC 3339 `date-time`: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of a
/// second, then `Z` or `+HH:MM`/`-HH:MM`. `T` and `Z` may be lower case,
/// as the RFC allows. Second 60 is accepted for a leap second.
pub fn is_rfc3339_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |from: usize, len: usize| -> Option<u32> {
        let part = b.get(from..from + len)?;
        part.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);

    let (Some(year), Some(month), Some(day)) = (digits(0, 4), digits(5, 2), digits(8, 2)) else {
        return false;
    };
    let (Some(hour), Some(minute), Some(second)) = (digits(11, 2), digits(14, 2), digits(17, 2))
    else {
        return false;
    };
    if !(at(4, b'-') && at(7, b'-') && (at(10, b'T') || at(10, b't'))) {
        return false;
    }
    if !(at(13, b':') && at(16, b':')) {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || minute > 59 || second > 60 {
        return false;
    }

    let mut i = 19;
    if at(i, b'.') {
        let fraction = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if fraction == 0 {
            return false;
        }
        i += 1 + fraction;
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            let (Some(h), Some(m)) = (digits(i + 1, 2), digits(i + 4, 2)) else {
                return false;
            };
            at(i + 3, b':') && h <= 23 && m <= 59 && i + 6 == b.len()
        }
        _ => false,
    }
}

/// `text` in double quotes with control characters escaped, cut after 60
/// characters so that one bad value cannot flood a message.
pub(crate) fn quote(text: &str) -> String {
    const KEEP: usize = 60;
    match text.char_indices().nth(KEEP) {
        None => format!("{text:?}"),
        Some((cut, _)) => {
            let quoted = format!("{:?}", &text[..cut]);
            format!("{}…\"", &quoted[..quoted.len() - 1])
        }
    }
}
