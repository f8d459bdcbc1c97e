//! Reading a snapshot file: the format version first, then the whole
//! document with JSON-path error messages, then the checks serde cannot
//! express (strict versions, duplicate names).
//!
//! An admin fixes a snapshot by hand when an exporter had a bad day, so
//! every refusal names the file, the JSON path and what was expected. The
//! file's SHA-256 is kept so that a saved plan says which snapshot it was
//! made from.

use crate::tenant::model::{Snapshot, FORMAT_VERSION};
use serde::Deserialize;
use serde_path_to_error::Segment;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// Why a snapshot was refused; the message is complete and names the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SnapshotError(pub String);

/// A snapshot and where it came from.
#[derive(Debug, Clone)]
pub struct SnapshotFile {
    /// The path as the user gave it.
    pub path: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    pub snapshot: Snapshot,
}

/// Reads and checks the snapshot at `path`.
pub fn load(path: &Path) -> Result<SnapshotFile, SnapshotError> {
    let label = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| SnapshotError(format!("{label}: cannot read the snapshot: {e}")))?;
    let snapshot = parse(&bytes, &label)?;
    Ok(SnapshotFile {
        path: label,
        sha256: sha256_hex(&bytes),
        snapshot,
    })
}

/// Parses snapshot bytes; `label` names the source in messages.
pub fn parse(bytes: &[u8], label: &str) -> Result<Snapshot, SnapshotError> {
    check_format_version(bytes, label)?;

    let mut de = serde_json::Deserializer::from_slice(bytes);
    let snapshot: Snapshot = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = json_path(e.path().iter());
        SnapshotError(format!("{label}: {path}: {}", describe(e.inner())))
    })?;
    de.end()
        .map_err(|e| SnapshotError(format!("{label}: {}", describe(&e))))?;

    validate(&snapshot, label)?;
    Ok(snapshot)
}

/// Looks at `format_version` alone before anything else, so that a file of
/// a future layout is refused for what it is rather than for the first
/// field this build does not understand.
fn check_format_version(bytes: &[u8], label: &str) -> Result<(), SnapshotError> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        format_version: Option<serde_json::Value>,
    }
    let probe: Probe = serde_json::from_slice(bytes).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Data => {
                "$: a tenant snapshot is a JSON object".to_string()
            }
            _ => format!("not valid JSON: {}", describe(&e)),
        };
        SnapshotError(format!("{label}: {what}"))
    })?;
    // serde also fills a struct from an array (`[]` would read as a
    // snapshot without a version), so the shape is checked by hand.
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(SnapshotError(format!(
            "{label}: $: a tenant snapshot is a JSON object"
        )));
    }
    match probe.format_version {
        Some(v) if v.as_u64() == Some(FORMAT_VERSION) => Ok(()),
        Some(v) => Err(SnapshotError(format!(
            "{label}: $.format_version: format_version {v} is not supported; this connector-catalog reads format_version {FORMAT_VERSION}"
        ))),
        None => Err(SnapshotError(format!(
            "{label}: $.format_version: missing; a tenant snapshot starts with \"format_version\": {FORMAT_VERSION}"
        ))),
    }
}

/// Checks that need more than one value at a time.
fn validate(snapshot: &Snapshot, label: &str) -> Result<(), SnapshotError> {
    let fail = |path: String, what: String| Err(SnapshotError(format!("{label}: {path}: {what}")));

    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, installed) in snapshot.installed.iter().enumerate() {
        if let Err(reason) = crate::scan::version::parse_strict(&installed.version) {
            return fail(format!("$.installed[{i}].version"), reason);
        }
        if let Some(first) = seen.insert(&installed.name, i) {
            return fail(
                format!("$.installed[{i}].name"),
                format!(
                    "\"{}\" is listed twice (first at $.installed[{first}])",
                    installed.name
                ),
            );
        }
    }

    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, flow) in snapshot.flows.iter().enumerate() {
        if let Some(first) = seen.insert(&flow.flow_id, i) {
            return fail(
                format!("$.flows[{i}].flowId"),
                format!(
                    "\"{}\" is used twice (first at $.flows[{first}])",
                    flow.flow_id
                ),
            );
        }
    }

    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, user) in snapshot.users.iter().enumerate() {
        if let Some(first) = seen.insert(&user.id, i) {
            return fail(
                format!("$.users[{i}].id"),
                format!("\"{}\" is used twice (first at $.users[{first}])", user.id),
            );
        }
    }
    Ok(())
}

/// serde_json's message with its position moved to the end in words:
/// `expected ... (line 3, column 14)`.
fn describe(e: &serde_json::Error) -> String {
    let full = e.to_string();
    if e.line() == 0 {
        return full;
    }
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    format!("{message} (line {}, column {})", e.line(), e.column())
}

/// `$.flows[3].flow["c-1"].type`: dots for plain keys, brackets for keys
/// that a JSONPath reader would otherwise split.
fn json_path<'a>(segments: impl Iterator<Item = &'a Segment>) -> String {
    let mut path = String::from("$");
    for segment in segments {
        match segment {
            Segment::Seq { index } => path.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                let plain = key
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if plain {
                    path.push('.');
                    path.push_str(key);
                } else {
                    path.push_str(&format!("[{}]", serde_json::Value::from(key.as_str())));
                }
            }
            Segment::Unknown => path.push_str(".?"),
        }
    }
    path
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"format_version": 1,
        "tenant": {"name": "acme", "captured": "2026-01-01T00:00:00Z"}}"#;

    fn error(text: &str) -> String {
        parse(text.as_bytes(), "snapshot.json").unwrap_err().0
    }

    #[test]
    fn a_minimal_snapshot_has_empty_lists_and_no_acl() {
        let s = parse(MINIMAL.as_bytes(), "s.json").unwrap();
        assert_eq!(s.tenant.name, "acme");
        assert!(s.installed.is_empty() && s.flows.is_empty() && s.users.is_empty());
        assert_eq!(s.acl, None);
    }

    #[test]
    fn a_wrong_stage_names_its_path_and_what_was_found() {
        let text = r#"{"format_version": 1, "tenant": {"name": "a", "captured": "x"},
            "flows": [{"flowId": "f", "userId": "u", "stage": 42}]}"#;
        assert_eq!(
            error(text),
            "snapshot.json: $.flows[0].stage: expected \"running\" or \"stopped\", found 42 (line 2, column 65)"
        );
    }

    #[test]
    fn keys_that_are_not_identifiers_are_bracketed() {
        let text = r#"{"format_version": 1, "tenant": {"name": "a", "captured": "x"},
            "flows": [{"flowId": "f", "userId": "u", "stage": "running",
                       "flow": {"c-1": {"type": 7}}}]}"#;
        assert_eq!(
            error(text),
            "snapshot.json: $.flows[0].flow[\"c-1\"].type: invalid type: integer `7`, expected a string (line 3, column 49)"
        );
    }

    #[test]
    fn format_version_is_checked_before_the_rest() {
        let text = r#"{"format_version": 2, "flows": "not even a list"}"#;
        assert_eq!(
            error(text),
            "snapshot.json: $.format_version: format_version 2 is not supported; this connector-catalog reads format_version 1"
        );
        assert_eq!(
            error(r#"{"tenant": {}}"#),
            "snapshot.json: $.format_version: missing; a tenant snapshot starts with \"format_version\": 1"
        );
    }

    #[test]
    fn syntax_errors_and_non_objects_are_refused() {
        assert_eq!(
            error("{\"format_version\": 1,"),
            "snapshot.json: not valid JSON: EOF while parsing a value (line 1, column 21)"
        );
        assert_eq!(
            error("[]"),
            "snapshot.json: $: a tenant snapshot is a JSON object"
        );
    }

    #[test]
    fn versions_must_be_strict_and_names_unique() {
        let text = r#"{"format_version": 1, "tenant": {"name": "a", "captured": "x"},
            "installed": [{"name": "acme.a", "version": "v1.0.0"}]}"#;
        assert_eq!(
            error(text),
            "snapshot.json: $.installed[0].version: `v1.0.0` has a `v` prefix; write `1.0.0`"
        );
        let text = r#"{"format_version": 1, "tenant": {"name": "a", "captured": "x"},
            "installed": [{"name": "acme.a", "version": "1.0.0"},
                          {"name": "acme.a", "version": "1.0.1"}]}"#;
        assert_eq!(
            error(text),
            "snapshot.json: $.installed[1].name: \"acme.a\" is listed twice (first at $.installed[0])"
        );
    }

    #[test]
    fn unknown_keys_are_ignored_everywhere() {
        let text = r#"{"format_version": 1, "exportedBy": "tool 9",
            "tenant": {"name": "a", "captured": "x", "region": "eu"},
            "installed": [{"name": "acme.a", "version": "1.0.0", "label": "A"}],
            "flows": [{"flowId": "f", "userId": "u", "stage": "stopped", "btime": 1,
                       "flow": {"c": {"type": "acme.a.Do", "x": []}}}],
            "users": [{"id": "u", "email": "u@example.test", "plan": "gold"}],
            "acl": {"components": [], "routes": []}}"#;
        let s = parse(text.as_bytes(), "s.json").unwrap();
        assert_eq!(s.flows[0].flow["c"].component_type, "acme.a.Do");
        assert_eq!(s.users[0].email.as_deref(), Some("u@example.test"));
    }

    #[test]
    fn the_hash_is_of_the_bytes() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
