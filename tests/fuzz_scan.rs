//! Property tests: no manifest, however broken, makes the reader panic.
//!
//! Inputs come in two kinds. Arbitrary bytes and strings find what nobody
//! thought of; mutations of realistic manifests (written here, in the shape
//! of the Appmixer ones) reach the code behind a successful parse, which
//! random bytes almost never do. A mutation truncates, splices, inserts
//! odd bytes or JSON fragments, repeats keys, nests values deeply, adds
//! byte-order marks, or swaps a string for an awkward one (huge versions,
//! lone surrogates, control characters). Each property also checks what
//! must hold of any result: diagnostics point inside the file, the parser
//! agrees with `serde_json` except where it is lenient on purpose, and a
//! scan lists one connector per `bundle.json` whatever their contents.
//!
//! Case counts are small by default, so `cargo test` stays quick in a debug
//! build. `PROPTEST_CASES=N` sets the count of the in-memory properties to
//! N and that of the repository scan, which writes files, to N / 20.
//! Inputs that failed are saved in `fuzz_scan.proptest-regressions` beside
//! this file and tried first on later runs.

use connector_catalog::diag::Diagnostic;
use connector_catalog::json::{self, Node, Value};
use connector_catalog::scan::{read_component_manifest, scan, Repository};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{FileFailurePersistence, TestRunner};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// The case count of the repository scan: `default`, or a twentieth of
/// `PROPTEST_CASES`. (The `proptest!` macro applies `PROPTEST_CASES` as it
/// is to the in-memory properties; this one writes files for each case, so
/// it runs outside the macro to take a share.)
fn scan_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.trim().parse::<u32>().ok())
        .map_or(default, |n| (n / 20).max(1))
}

/// Failing inputs are kept beside this file and replayed first on the next
/// run; the default place is looked up from `src/lib.rs` and would warn.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fuzz_scan.proptest-regressions"
        )))),
        ..ProptestConfig::default()
    }
}

// Seeds: one file of each kind, as hand-edited manifests look, with the
// variety the scanner normalizes (bare and object ports, both option
// shapes, a dynamic source, `authConfig`, big schema bounds, escapes).

const COMPONENT_ACTION: &str = r#"{
    "name": "acme.mail.SendEmail",
    "author": "Acme <dev@acme.test>",
    "description": "<p>Send an <b>email</b> to one or more recipients.</p>",
    "version": "1.0.2",
    "private": false,
    "auth": {
        "service": "acme:mail",
        "scope": ["mail.send", "mail.read"]
    },
    "quota": {
        "manager": "acme:mail",
        "resources": "messages"
    },
    "inPorts": [
        {
            "name": "in",
            "schema": {
                "type": "object",
                "properties": {
                    "to": { "type": "string", "format": "email" },
                    "subject": { "type": "string", "description": "Subject line" },
                    "priority": { "type": "string", "enum": ["low", "normal", "high"] },
                    "retries": { "type": "integer", "minimum": 0, "maximum": 340282366920938463463374607431768211456 },
                    "attachments": {
                        "type": ["array", "null"],
                        "items": { "anyOf": [{ "type": "string" }, { "type": "object", "properties": { "id": { "type": "string" } } }] }
                    },
                    "legacyCc": { "type": "string", "deprecated": true }
                },
                "required": ["to"]
            },
            "inspector": {
                "inputs": {
                    "to": { "type": "text", "label": "To", "index": 1, "tooltip": "Who gets it." },
                    "subject": { "type": "text", "label": "Subject", "index": 2 },
                    "priority": {
                        "type": "select",
                        "index": 3,
                        "options": [{ "label": "Low", "value": "low" }, { "content": "Normal", "value": "normal" }]
                    },
                    "folder": {
                        "type": "select",
                        "index": 4.5,
                        "source": {
                            "url": "/component/acme/mail/ListFolders?outPort=out",
                            "data": { "transform": "./ListFolders#toSelectArray" }
                        }
                    }
                }
            }
        }
    ],
    "outPorts": [
        {
            "name": "out",
            "options": [
                { "label": "Message ID", "value": "id", "schema": { "type": "string" } },
                { "label": "Thread", "value": "threadId" }
            ]
        },
        "error"
    ],
    "properties": {
        "schema": { "properties": { "format": { "type": "string", "default": "html" } } },
        "inspector": { "inputs": { "format": { "type": "select", "options": ["html", "text"] } } }
    },
    "dependencies": { "nodemailer": "^6.9.0" },
    "icon": "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="
}
"#;

const COMPONENT_TRIGGER: &str = r#"{
    "name": "acme.mail.NewMessage",
    "label": "New message (r\u00e9sum\u00e9 \ud83d\ude00)",
    "description": "Fires for each new message.\nPolls every minute.",
    "tick": true,
    "authConfig": { "service": "acme:mail" },
    "properties": {
        "schema": { "properties": { "folder": { "type": "string" } }, "required": ["folder"] },
        "inspector": { "inputs": { "folder": { "type": "select", "index": 1, "source": { "url": "/component/acme/mail/ListFolders?outPort=out" } } } }
    },
    "outPorts": [
        { "name": "out", "source": { "url": "/component/acme/mail/MessageSchema?outPort=out" } }
    ],
    "state": { "persistent": true },
    "icon": "data:image/png;base64,iVBORw0KGgo="
}
"#;

const COMPONENT_MODULE: &str = r#"{
    "name": "acme.office.docs.CreateDocument",
    "auth": { "service": "acme:office", "scope": ["docs"] },
    "inPorts": ["in"],
    "outPorts": [{ "name": "out", "schema": { "properties": { "id": { "type": "string", "title": "Document ID" } } } }]
}
"#;

const BUNDLE: &str = r#"{
    "name": "acme.mail",
    "version": "2.1.0",
    "engine": ">=6.0",
    "changelog": {
        "1.0.0": ["Initial version."],
        "1.0.10": ["Fixed attachments larger than 10 MB."],
        "1.0.9": ["Non-breaking change to labels."],
        "2.0.0": ["(breaking change) New auth scopes; reconnect the account."],
        "2.1.0": ["Added the priority input."]
    }
}
"#;

const BUNDLE_MODULE: &str = r#"{
    "name": "acme.office.docs",
    "version": "1.0.0",
    "changelog": ["Initial version", "Added CreateDocument"]
}
"#;

const SERVICE: &str = r#"{
    "name": "acme.mail",
    "label": "Acme Mail",
    "category": "communication",
    "description": "Send and receive mail.",
    "icon": "data:image/svg+xml;base64,PHN2Zy8+"
}
"#;

const PARENT_SERVICE: &str = r#"{
    "name": "acme.office",
    "label": "Acme Office"
}
"#;

const MODULE: &str = r#"{
    "name": "acme.office.docs",
    "label": "Docs",
    "category": "productivity"
}
"#;

const AUTH_JS: &str = "'use strict';\n\nmodule.exports = {\n    type: 'oauth2',\n    \
                       definition: { scope: ['mail.send'] }\n};\n";

/// Every seed text, for the in-memory properties.
const SEEDS: &[&str] = &[
    COMPONENT_ACTION,
    COMPONENT_TRIGGER,
    COMPONENT_MODULE,
    BUNDLE,
    BUNDLE_MODULE,
    SERVICE,
    PARENT_SERVICE,
    MODULE,
];

/// Fragments inserted at random places: structure, escapes, odd characters
/// and bytes that are not UTF-8 at all.
const SNIPPETS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\"",
    b"\\",
    b"\\u",
    b"\\ud800",
    b"\\udc00",
    b"\\ud83d\\ude00",
    b"\\ud800\\u0041",
    b"\\u00",
    b"\\x41",
    b"'single'",
    b"null",
    b"tru",
    b"-",
    b"0.",
    b"1e",
    b"1e999999",
    b"-0.0E-0",
    b"18446744073709551616",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xFE\xFF",
    b"\x00",
    b"\x1f",
    b"\t\r\n",
    b"\xE2\x80\xA8",
    b"\xE2\x80\xAE",
    b"\xCC\x81",
    b"\xF0\x9F\x98\x80",
    b"\xEF\xBF\xBD",
    b"\xFF",
    b"\xC0\x80",
    b"\xE2\x82",
    b"\xED\xA0\x80",
    b"/*",
    b"//",
];

/// Strings that replace a string's contents: versions that are almost
/// right or out of range, breaking markers, icons of every kind, and
/// characters that need care.
const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "1.0.0",
    "2.0.0",
    "0.0.0",
    "18446744073709551615.0.1",
    "18446744073709551615.18446744073709551615.18446744073709551615",
    "18446744073709551616.0.0",
    "1.0.0-beta.1+build.5",
    "1.0.0-",
    "v1.0.0",
    "V2",
    "1.2",
    "1.02.0",
    " 1.0.0",
    "1.0.0.0",
    "Breaking: everything changed",
    "BREAKING CHANGE",
    "breaking change - x",
    "non-breaking",
    "Deprecated",
    "Legacy",
    "acme:mail",
    "acme:",
    ":",
    "acme:mail:nested:deep",
    "acme.mail.SendEmail",
    "acme.mail",
    ".",
    "..",
    "data:",
    "data:image/png",
    "data:image/png;base64,",
    "data:IMAGE/JPG;x,y",
    "data:text/html,<script>alert(1)</script>",
    "javascript:alert(1)",
    "https://example.invalid/icon.png",
    "\\u0000",
    "\\ud800",
    "\\udfff\\ud800",
    "\\\"",
    "\\\\",
    "\\n\\t",
    "\u{feff}",
    "\u{202e}rtl",
    "e\u{301}\u{301}\u{301}",
    "\u{10ffff}",
    "😀",
    "ｆｕｌｌ",
    "in",
    "out",
    "type",
    "required",
    "properties",
];

/// Values inserted as object members: every JSON kind, and the shapes the
/// scanner expects somewhere else.
const ODD_VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1.5e308",
    "340282366920938463463374607431768211456",
    "\"\"",
    "\"x\"",
    "\"2.0.0\"",
    "[]",
    "{}",
    "[\"in\", {\"name\": \"out\"}, 3, null]",
    "{\"service\": \"acme:mail\", \"scope\": \"one\"}",
    "{\"service\": 5}",
    "{\"3.0.1\": [\"Breaking: x\"], \"18446744073709551615.0.1\": [\"Breaking: y\"]}",
    "{\"1.0.0\": \"one entry\", \"1.0.1\": [1, null]}",
    "{\"properties\": {\"a\": {\"type\": 1}}, \"required\": true}",
    "{\"inputs\": {\"a\": {\"index\": \"x\", \"options\": [1, {\"value\": null}]}}}",
    "[{\"label\": 1, \"value\": {}}]",
];

const KEYS: &[&str] = &[
    "name",
    "label",
    "version",
    "changelog",
    "description",
    "icon",
    "auth",
    "authConfig",
    "service",
    "scope",
    "quota",
    "resources",
    "tick",
    "webhook",
    "trigger",
    "private",
    "inPorts",
    "outPorts",
    "properties",
    "schema",
    "inspector",
    "inputs",
    "options",
    "source",
    "type",
    "required",
    "enum",
    "index",
    "default",
    "dependencies",
    "state",
    "config",
    "engine",
];

/// One change to a document. Places are [`Index`]es, resolved against the
/// document as it is when the change applies.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(Index),
    Delete(Index, usize),
    InsertBytes(Index, Vec<u8>),
    InsertSnippet(Index, usize),
    /// Copies a slice of the document to another place.
    Splice(Index, usize, Index),
    /// Replaces the contents of the n-th quoted string.
    ReplaceString(Index, usize),
    /// Adds `"key": value` at the start (`false`) or end (`true`) of the
    /// n-th object; at the end it is the value that wins.
    AddMember(Index, bool, usize, usize),
    /// Puts a value nested `depth` arrays or objects deep after the n-th
    /// colon, as a member of its own, so the document stays valid.
    Nest(Index, usize, bool),
    /// Appends opening brackets that never close.
    Unclosed(usize),
    ByteOrderMark(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let depth = prop_oneof![
        1usize..=140,
        Just(126),
        Just(127),
        Just(128),
        Just(129),
        Just(5000)
    ];
    prop_oneof![
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), 1usize..64).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, b)| Mutation::InsertBytes(at, b)),
        (any::<Index>(), 0..SNIPPETS.len()).prop_map(|(at, s)| Mutation::InsertSnippet(at, s)),
        (any::<Index>(), 1usize..200, any::<Index>())
            .prop_map(|(from, n, to)| Mutation::Splice(from, n, to)),
        (any::<Index>(), 0..ODD_STRINGS.len()).prop_map(|(at, s)| Mutation::ReplaceString(at, s)),
        (
            any::<Index>(),
            any::<bool>(),
            0..KEYS.len(),
            0..ODD_VALUES.len()
        )
            .prop_map(|(at, end, k, v)| Mutation::AddMember(at, end, k, v)),
        (any::<Index>(), depth, any::<bool>()).prop_map(|(at, d, o)| Mutation::Nest(at, d, o)),
        prop_oneof![Just(129usize), Just(100_000)].prop_map(Mutation::Unclosed),
        (1usize..=2).prop_map(Mutation::ByteOrderMark),
    ]
}

/// Byte offsets just after each occurrence of `byte`.
fn after_each(doc: &[u8], byte: u8) -> Vec<usize> {
    doc.iter()
        .enumerate()
        .filter(|(_, b)| **b == byte)
        .map(|(i, _)| i + 1)
        .collect()
}

fn insert(doc: &mut Vec<u8>, at: usize, bytes: &[u8]) {
    doc.splice(at..at, bytes.iter().copied());
}

impl Mutation {
    fn apply(&self, doc: &mut Vec<u8>) {
        let place = |at: &Index, doc: &[u8]| at.index(doc.len() + 1);
        match self {
            Mutation::Truncate(at) => doc.truncate(place(at, doc)),
            Mutation::Delete(at, n) => {
                let start = place(at, doc);
                let end = (start + n).min(doc.len());
                doc.drain(start..end);
            }
            Mutation::InsertBytes(at, bytes) => insert(doc, place(at, doc), bytes),
            Mutation::InsertSnippet(at, s) => insert(doc, place(at, doc), SNIPPETS[*s]),
            Mutation::Splice(from, n, to) => {
                let start = place(from, doc);
                let copy = doc[start..(start + n).min(doc.len())].to_vec();
                insert(doc, place(to, doc), &copy);
            }
            Mutation::ReplaceString(at, s) => {
                // Quotes taken pairwise approximate string literals; after
                // other mutations they may not be, which is fine here.
                let quotes = after_each(doc, b'"');
                if quotes.len() >= 2 {
                    let pair = at.index(quotes.len() / 2);
                    let (open, close) = (quotes[2 * pair], quotes[2 * pair + 1] - 1);
                    doc.splice(open..close, ODD_STRINGS[*s].bytes());
                }
            }
            Mutation::AddMember(at, end, k, v) => {
                let member = format!("\"{}\": {}", KEYS[*k], ODD_VALUES[*v]);
                if *end {
                    let closes: Vec<usize> = after_each(doc, b'}').iter().map(|i| i - 1).collect();
                    if !closes.is_empty() {
                        let close = closes[at.index(closes.len())];
                        insert(doc, close, format!(", {member}").as_bytes());
                    }
                } else {
                    let opens = after_each(doc, b'{');
                    if !opens.is_empty() {
                        let open = opens[at.index(opens.len())];
                        insert(doc, open, format!("{member}, ").as_bytes());
                    }
                }
            }
            Mutation::Nest(at, depth, objects) => {
                let colons = after_each(doc, b':');
                if !colons.is_empty() {
                    let colon = colons[at.index(colons.len())];
                    let nested = if *objects {
                        format!("{}0{}", "{\"a\":".repeat(*depth), "}".repeat(*depth))
                    } else {
                        format!("{}0{}", "[".repeat(*depth), "]".repeat(*depth))
                    };
                    insert(doc, colon, format!(" {nested}, \"nest\":").as_bytes());
                }
            }
            Mutation::Unclosed(depth) => doc.extend(std::iter::repeat_n(b'[', *depth)),
            Mutation::ByteOrderMark(n) => {
                for _ in 0..*n {
                    insert(doc, 0, b"\xEF\xBB\xBF");
                }
            }
        }
    }
}

fn mutated(seed: &str, mutations: &[Mutation]) -> Vec<u8> {
    let mut doc = seed.as_bytes().to_vec();
    for m in mutations {
        m.apply(&mut doc);
    }
    doc
}

/// A seed and one to four mutations of it.
fn mutated_seed() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(SEEDS),
        prop::collection::vec(mutation(), 1..=4),
    )
        .prop_map(|(seed, ms)| mutated(seed, &ms))
}

/// Text the parser may see: a mutated seed (made UTF-8 where it was not),
/// arbitrary bytes, or an arbitrary string.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => mutated_seed().prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        1 => prop::collection::vec(any::<u8>(), 0..256)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        1 => any::<String>(),
        1 => "[\\[\\]{}\",:0-9a-z\\\\ \\n\u{feff}\u{fffd}\u{1f600}]{0,64}",
    ]
}

/// Nesting depth of the deepest array or object, brackets inside strings
/// not counted. Only used to tell when `serde_json`'s own limit applies.
fn max_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Every offset of a parsed tree, with the place of each member key.
fn offsets(node: &Node, out: &mut Vec<u32>) {
    out.push(node.offset);
    match &node.value {
        Value::Array(items) => items.iter().for_each(|n| offsets(n, out)),
        Value::Object(members) => {
            for m in members {
                out.push(m.key_offset);
                offsets(&m.value, out);
            }
        }
        _ => {}
    }
}

/// Checks one parse: offsets fall on character boundaries inside the text,
/// and the verdict and the value agree with `serde_json`, save for what
/// this reader accepts on purpose (a byte-order mark, lone surrogates,
/// numbers beyond `f64`, and one level more of nesting).
fn check_parse(text: &str) -> Result<(), TestCaseError> {
    let ours = json::parse(text);
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let theirs = serde_json::from_str::<serde_json::Value>(body);
    match (&ours, &theirs) {
        (Ok(parsed), _) => {
            let mut all = Vec::new();
            offsets(&parsed.root, &mut all);
            for at in all {
                prop_assert!((at as usize) < text.len(), "offset {at} is past the end");
                prop_assert!(
                    text.is_char_boundary(at as usize),
                    "offset {at} splits a char"
                );
            }
        }
        (Err(e), _) => {
            prop_assert!(e.offset as usize <= text.len(), "error offset past the end");
            prop_assert!(text.is_char_boundary(e.offset as usize));
            prop_assert!(!e.message.is_empty());
        }
    }
    match (ours, theirs) {
        (Ok(parsed), Ok(value)) => prop_assert_eq!(parsed.root.to_serde(), value),
        (Err(e), Ok(_)) => {
            return Err(TestCaseError::fail(format!(
                "serde_json accepts what we refuse: {e:?}"
            )))
        }
        (Ok(_), Err(e)) => {
            // serde_json calls a lone leading surrogate followed by
            // anything but an escape "unexpected end of hex escape".
            let e = e.to_string();
            let lenient = e.contains("surrogate")
                || e.contains("hex escape")
                || e.contains("number out of range")
                || (e.contains("recursion limit") && max_depth(body) == 128);
            prop_assert!(lenient, "we accept what serde_json refuses: {}", e);
        }
        (Err(_), Err(_)) => {}
    }
    Ok(())
}

/// Diagnostics of one file name it, and point at a line it has.
fn check_diagnostics(diags: &[Diagnostic], path: &str, text: &str) -> Result<(), TestCaseError> {
    let lines = text.split('\n').count() as u32;
    for d in diags {
        prop_assert_eq!(&d.path, path);
        prop_assert!(
            d.line >= 1 && d.line <= lines,
            "line {} of {}",
            d.line,
            lines
        );
        prop_assert!(d.column >= 1);
        prop_assert!(!d.message.is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(12_000))]

    #[test]
    fn parse_never_panics(text in text()) {
        check_parse(&text)?;
    }

    #[test]
    fn component_reader_never_panics(
        text in text(),
        folder in prop_oneof![
            Just("acme/mail/SendEmail".to_string()),
            Just(String::new()),
            "[a-z/.\u{e9}\u{1f600} ]{0,24}",
        ],
    ) {
        let auth_types = HashMap::from([
            ("acme/mail".to_string(), "oauth2".to_string()),
            ("acme".to_string(), "apiKey".to_string()),
        ]);
        let (component, diags) =
            read_component_manifest(&text, "tenant:SendEmail", &folder, &auth_types);
        check_diagnostics(&diags, "tenant:SendEmail", &text)?;
        if let Some(c) = component {
            prop_assert_eq!(&c.path, &folder);
            // The manifest's own name wins whenever it is a string.
            let parsed = json::parse(&text).expect("a component came from a parse");
            if let Some(name) = parsed.root.str_at("name") {
                prop_assert_eq!(c.name.as_str(), name);
            }
        }
    }
}

/// The files of the seed repository: a service connector with two
/// components and its own `auth.js`, and a module connector below a parent
/// service, whose component borrows the parent's auth.
fn seed_files(folder: &str) -> Vec<(String, &'static str)> {
    [
        ("acme/mail/service.json", SERVICE),
        ("acme/mail/bundle.json", BUNDLE),
        ("acme/mail/auth.js", AUTH_JS),
        ("acme/mail/SendEmail/component.json", COMPONENT_ACTION),
        ("acme/office/service.json", PARENT_SERVICE),
        ("acme/office/auth.js", AUTH_JS),
        ("acme/office/docs/module.json", MODULE),
        ("acme/office/docs/bundle.json", BUNDLE_MODULE),
        (
            "acme/office/docs/CreateDocument/component.json",
            COMPONENT_MODULE,
        ),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t))
    .chain([(
        format!("acme/mail/{folder}/component.json"),
        COMPONENT_TRIGGER,
    )])
    .collect()
}

fn write_repo(root: &Path, files: &[(String, Vec<u8>)]) {
    for (path, bytes) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }
}

#[test]
fn the_seed_repository_scans_clean_but_for_its_plain_changelog() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(String, Vec<u8>)> = seed_files("NewMessage")
        .into_iter()
        .map(|(p, t)| (p, t.as_bytes().to_vec()))
        .collect();
    write_repo(dir.path(), &files);
    let repo = scan(dir.path()).unwrap();

    let lines: Vec<String> = repo.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "acme/office/docs/bundle.json:4:18: info[changelog-unversioned]: changelog is a plain \
          list without versions; it is kept as is"
        ]
    );
    let names: Vec<(&str, &str, Vec<&str>)> = repo
        .connectors
        .iter()
        .map(|c| {
            let components = c.components.iter().map(|x| x.name.as_str()).collect();
            (c.name.as_str(), c.auth_type.as_str(), components)
        })
        .collect();
    assert_eq!(
        names,
        [
            (
                "acme.mail",
                "oauth2",
                vec!["acme.mail.NewMessage", "acme.mail.SendEmail"]
            ),
            (
                "acme.office.docs",
                "oauth2",
                vec!["acme.office.docs.CreateDocument"]
            ),
        ]
    );
    let releases: Vec<&str> = repo.connectors[0]
        .changelog
        .releases()
        .iter()
        .map(|r| r.version.as_str())
        .collect();
    assert_eq!(releases, ["1.0.0", "1.0.9", "1.0.10", "2.0.0", "2.1.0"]);
}

/// Found by `scan_never_panics_on_a_mutated_repository`: the largest major
/// version semver allows overflowed when the message named the next one.
#[test]
fn a_breaking_change_under_the_largest_major_names_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = "{\n    \"name\": \"acme.mail\",\n    \
                  \"version\": \"18446744073709551615.0.1\",\n    \"changelog\": {\n        \
                  \"18446744073709551615.0.1\": [\"Breaking: removed Send\"]\n    }\n}\n";
    let files = [
        (
            "acme/mail/service.json".to_string(),
            SERVICE.as_bytes().to_vec(),
        ),
        (
            "acme/mail/bundle.json".to_string(),
            bundle.as_bytes().to_vec(),
        ),
    ];
    write_repo(dir.path(), &files);
    let repo = scan(dir.path()).unwrap();

    // The key opens line 5 after eight spaces.
    let lines: Vec<String> = repo.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "acme/mail/bundle.json:5:9: warning[breaking-not-major]: changelog \
          18446744073709551615.0.1 announces a breaking change but is not a major release \
          (\"Breaking: removed Send\"); breaking changes need 18446744073709551616.0.0"
        ]
    );
    assert_eq!(
        repo.connectors[0].version.as_deref(),
        Some("18446744073709551615.0.1")
    );
}

/// Folder names for the trigger component: plain, accented, combining,
/// right-to-left, hidden or skipped (then it is not scanned at all).
const FOLDERS: &[&str] = &[
    "NewMessage",
    "Nouveau\u{301}",
    "ｆｕｌｌ",
    "a b",
    "\u{202e}txt",
    "😀",
    ".hidden",
    "node_modules",
];

/// The seed repository with some files mutated, as (path, bytes).
fn mutated_repo() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    (
        prop::sample::select(FOLDERS),
        prop::collection::vec(
            prop::option::weighted(0.3, prop::collection::vec(mutation(), 1..=3)),
            10,
        ),
    )
        .prop_map(|(folder, changes)| {
            seed_files(folder)
                .into_iter()
                .zip(changes)
                .map(|((path, text), change)| {
                    let bytes = match change {
                        Some(ms) => mutated(text, &ms),
                        None => text.as_bytes().to_vec(),
                    };
                    (path, bytes)
                })
                .collect()
        })
}

fn check_scan(repo: &Repository, files: &[(String, Vec<u8>)]) -> Result<(), TestCaseError> {
    // A connector per bundle.json, readable or not.
    prop_assert_eq!(repo.connectors.len(), 2);
    let written: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for d in &repo.diagnostics {
        prop_assert!(
            written.contains(d.path.as_str()),
            "{} was not written",
            d.path
        );
        let bytes = &files.iter().find(|(p, _)| *p == d.path).unwrap().1;
        let lines = bytes.split(|b| *b == b'\n').count() as u32;
        prop_assert!(
            d.line >= 1 && d.line <= lines,
            "{}: line {} of {}",
            d,
            d.line,
            lines
        );
        prop_assert!(d.column >= 1);
    }
    prop_assert!(repo.diagnostics.windows(2).all(|w| w[0] < w[1]));
    prop_assert!(repo.component_count() <= 3);
    serde_json::to_string(repo).map_err(|e| TestCaseError::fail(e.to_string()))?;
    Ok(())
}

#[test]
fn scan_never_panics_on_a_mutated_repository() {
    let mut runner = TestRunner::new(config(scan_cases(500)));
    let outcome = runner.run(&mutated_repo(), |files| {
        let dir = tempfile::tempdir().unwrap();
        write_repo(dir.path(), &files);
        let repo = scan(dir.path()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_scan(&repo, &files)
    });
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
