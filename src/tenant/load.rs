//! Reading a snapshot file: only a regular file, the top level first
//! (the format version, a plan passed by mistake), then the whole document
//! with JSON-path error messages, then the checks serde cannot express
//! (strict versions, duplicate names).
//!
//! An admin fixes a snapshot by hand when an exporter had a bad day, so
//! every refusal names the file, the JSON path and what was expected. The
//! snapshot is untrusted text: whatever a message quotes from it has its
//! control characters escaped, so a crafted name cannot drive the terminal.
//! The file's SHA-256 is kept so that a saved plan says which snapshot it
//! was made from.

use crate::tenant::model::{quote, Snapshot, FORMAT_VERSION};
use serde::de::{
    self, DeserializeSeed, Deserializer as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_path_to_error::Segment;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
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
    let bytes = read_regular_file(path)
        .map_err(|why| refuse(&label, &format!("cannot read the snapshot: {why}")))?;
    let snapshot = parse(&bytes, &label)?;
    Ok(SnapshotFile {
        path: label,
        sha256: sha256_hex(&bytes),
        snapshot,
    })
}

/// The bytes of `path`, which must be a regular file once links are
/// followed: a FIFO would block the read until some writer came, and a
/// device such as `/dev/zero` would be read until memory ran out.
fn read_regular_file(path: &Path) -> Result<Vec<u8>, String> {
    let not_a_file = |kind: &str| {
        format!("it is {kind}, not a regular file; save the snapshot to a file and pass that")
    };
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(not_a_file(file_kind(&meta.file_type())));
    }

    // The handle is checked again because the path may have been replaced
    // between the two looks. A FIFO put there in that moment still blocks
    // the open itself; std offers no non-blocking open without `libc`.
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(not_a_file(file_kind(&meta.file_type())));
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// What a file that is not a regular file is, in words for a message.
pub fn file_kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// Parses snapshot bytes; `label` names the source in messages.
pub fn parse(bytes: &[u8], label: &str) -> Result<Snapshot, SnapshotError> {
    // Editors on Windows save a byte-order mark that JSON does not allow;
    // it carries no meaning in UTF-8.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);

    check_top_level(bytes, label)?;

    let mut de = serde_json::Deserializer::from_slice(bytes);
    let snapshot: Snapshot = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = json_path(e.path().iter());
        refuse(label, &format!("{path}: {}", describe(e.inner())))
    })?;
    de.end().map_err(|e| refuse(label, &describe(&e)))?;

    validate(&snapshot, label)?;
    Ok(snapshot)
}

/// A refusal of `label`, with every control character in the message
/// escaped: messages quote snapshot text, and an escape sequence there
/// would otherwise reach the terminal as a command.
fn refuse(label: &str, what: &str) -> SnapshotError {
    SnapshotError(escape_controls(&format!("{label}: {what}")))
}

/// Control characters and the bidirectional-text controls (which reorder
/// what a terminal shows) as `\u{..}` escapes; everything else as it is.
fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        );
        if c.is_control() || bidi {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// What the first look at the top level found.
#[derive(Default)]
struct TopLevel {
    format_version: Option<Version>,
    /// Keys a plan has at its top level and a snapshot does not.
    connectors: bool,
    summary: bool,
}

/// What `format_version` holds.
enum Version {
    Supported,
    /// Another number; the message shows it as written, found in a second
    /// look (see `written_number`).
    Number,
    /// Not a number at all, already in words.
    Other(String),
}

// Messages of errors the top-level look raises on purpose, to be told
// apart from serde_json's own.
const TWICE: &str = "format_version is given twice";
const FOUND_NUMBER: &str = "found the format_version number";

/// Looks at the top level alone before anything else, so that a file of a
/// future layout is refused for what it is rather than for the first field
/// this build does not understand, and a plan passed as a snapshot is
/// named as such.
fn check_top_level(bytes: &[u8], label: &str) -> Result<(), SnapshotError> {
    let top = look_at_top_level(bytes, false).map_err(|e| {
        let message = e.to_string();
        let what = match e.classify() {
            serde_json::error::Category::Data if message.starts_with(TWICE) => format!(
                "$.format_version: given twice (line {}, column {}); keep one",
                e.line(),
                e.column()
            ),
            serde_json::error::Category::Data => {
                "$: a tenant snapshot is a JSON object".to_string()
            }
            _ => format!("not valid JSON: {}", describe(&e)),
        };
        refuse(label, &what)
    })?;

    if top.connectors && top.summary {
        return Err(refuse(
            label,
            "$: this is a plan (it has `connectors` and `summary`), not a tenant snapshot; \
             pass the snapshot the plan was made from",
        ));
    }
    let found = match top.format_version {
        Some(Version::Supported) => return Ok(()),
        Some(Version::Number) => written_number(bytes),
        Some(Version::Other(found)) => found,
        None => {
            return Err(refuse(
                label,
                &format!(
                    "$.format_version: missing; a tenant snapshot starts with \
                     \"format_version\": {FORMAT_VERSION}"
                ),
            ))
        }
    };
    Err(refuse(
        label,
        &format!(
            "$.format_version: format_version {found} is not supported; \
             this connector-catalog reads format_version {FORMAT_VERSION}"
        ),
    ))
}

/// Reads the top-level object's keys, skipping every value but
/// `format_version`'s. With `stop_at_number`, a `format_version` number
/// other than 1 ends the look with an error placed at that number.
fn look_at_top_level(bytes: &[u8], stop_at_number: bool) -> Result<TopLevel, serde_json::Error> {
    struct TopVisitor {
        stop_at_number: bool,
    }
    impl<'de> Visitor<'de> for TopVisitor {
        type Value = TopLevel;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
            let mut top = TopLevel::default();
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "format_version" if top.format_version.is_some() => {
                        return Err(de::Error::custom(TWICE));
                    }
                    "format_version" => {
                        top.format_version = Some(map.next_value_seed(VersionSeed {
                            stop_at_number: self.stop_at_number,
                        })?);
                        continue;
                    }
                    "connectors" => top.connectors = true,
                    "summary" => top.summary = true,
                    _ => {}
                }
                map.next_value::<IgnoredAny>()?;
            }
            Ok(top)
        }
    }

    let mut de = serde_json::Deserializer::from_slice(bytes);
    let top = (&mut de).deserialize_map(TopVisitor { stop_at_number })?;
    de.end()?;
    Ok(top)
}

struct VersionSeed {
    stop_at_number: bool,
}

impl<'de> DeserializeSeed<'de> for VersionSeed {
    type Value = Version;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Version, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for VersionSeed {
    type Value = Version;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a format version")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Version, E> {
        self.number(v == FORMAT_VERSION)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Version, E> {
        self.number(false)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Version, E> {
        // JSON Schema compares numbers by value, so the schema's `const: 1`
        // accepts `1.0`; so does the reader.
        self.number(v == FORMAT_VERSION as f64)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Version, E> {
        Ok(Version::Other(quote(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Version, E> {
        Ok(Version::Other(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Version, E> {
        Ok(Version::Other("null".into()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Version, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Version::Other("[...]".into()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Version, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Version::Other("{...}".into()))
    }
}

impl VersionSeed {
    fn number<E: de::Error>(self, supported: bool) -> Result<Version, E> {
        match (supported, self.stop_at_number) {
            (true, _) => Ok(Version::Supported),
            (false, false) => Ok(Version::Number),
            (false, true) => Err(E::custom(FOUND_NUMBER)),
        }
    }
}

/// The `format_version` number as the file writes it: serde_json hands
/// over a u64 or an f64 (`18446744073709551616` would print as
/// `1.8446744073709552e+19`), never the text. A second look stops at the
/// number, serde_json reports where, and the text is read backwards from
/// there. Cut short if long; a placeholder if that fails.
fn written_number(bytes: &[u8]) -> String {
    const KEEP: usize = 40;
    let Err(e) = look_at_top_level(bytes, true) else {
        return "(a number)".into();
    };
    if !e.to_string().starts_with(FOUND_NUMBER) || e.line() == 0 {
        return "(a number)".into();
    }
    // serde_json places an error raised while visiting a number at the
    // number's last byte; its columns are 1-based and count bytes.
    let line_start = bytes
        .split_inclusive(|&b| b == b'\n')
        .take(e.line() - 1)
        .map(<[u8]>::len)
        .sum::<usize>();
    let end = (line_start + e.column()).min(bytes.len());
    let start = bytes[..end]
        .iter()
        .rposition(|b| !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
        .map_or(0, |i| i + 1);
    let written = String::from_utf8_lossy(&bytes[start..end]);
    if written.is_empty() {
        "(a number)".into()
    } else if written.len() > KEEP {
        format!("{}… ({} characters)", &written[..KEEP], written.len())
    } else {
        written.into_owned()
    }
}

/// Checks that need more than one value at a time.
fn validate(snapshot: &Snapshot, label: &str) -> Result<(), SnapshotError> {
    let fail = |path: String, what: String| Err(refuse(label, &format!("{path}: {what}")));

    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, installed) in snapshot.installed.iter().enumerate() {
        if let Err(reason) = crate::scan::version::parse_strict(&installed.version) {
            return fail(format!("$.installed[{i}].version"), reason);
        }
        if let Some(first) = seen.insert(&installed.name, i) {
            return fail(
                format!("$.installed[{i}].name"),
                format!(
                    "{} is listed twice (first at $.installed[{first}])",
                    quote(&installed.name)
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
                    "{} is used twice (first at $.flows[{first}])",
                    quote(&flow.flow_id)
                ),
            );
        }
    }

    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, user) in snapshot.users.iter().enumerate() {
        if let Some(first) = seen.insert(&user.id, i) {
            return fail(
                format!("$.users[{i}].id"),
                format!(
                    "{} is used twice (first at $.users[{first}])",
                    quote(&user.id)
                ),
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
        let text = r#"{"format_version": 1, "tenant": {"name": "a", "captured": "2026-01-01T00:00:00Z"},
            "flows": [{"flowId": "f", "userId": "u", "stage": 42}]}"#;
        assert_eq!(
            error(text),
            "snapshot.json: $.flows[0].stage: expected \"running\" or \"stopped\", found 42 (line 2, column 65)"
        );
    }

    #[test]
    fn keys_that_are_not_identifiers_are_bracketed() {
        let text = r#"{"format_version": 1, "tenant": {"name": "a", "captured": "2026-01-01T00:00:00Z"},
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
        let text = r#"{"format_version": 1, "tenant": {"name": "a", "captured": "2026-01-01T00:00:00Z"},
            "installed": [{"name": "acme.a", "version": "v1.0.0"}]}"#;
        assert_eq!(
            error(text),
            "snapshot.json: $.installed[0].version: `v1.0.0` has a `v` prefix; write `1.0.0`"
        );
        let text = r#"{"format_version": 1, "tenant": {"name": "a", "captured": "2026-01-01T00:00:00Z"},
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
            "tenant": {"name": "a", "captured": "2026-01-01T00:00:00Z", "region": "eu"},
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
