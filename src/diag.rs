//! Diagnostics: what the scan found wrong, where, and how bad it is.
//!
//! A diagnostic is plain data so that every output (text lines, JSON for CI,
//! the site's index note) renders the same facts. Codes are stable: scripts
//! filter on them, so a code is never renamed or reused.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a problem is. Errors fail `check`; warnings fail it only with
/// `--deny-warnings`; infos never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem at one place. `path` is relative to the repository root and
/// uses `/`; `line` and `column` are 1-based (1:1 for whole-file problems).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Diagnostic {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub code: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            self.path, self.line, self.column, self.severity, self.code, self.message
        )
    }
}

/// Every diagnostic code, with its severity and what it means; `--help` and
/// README list these.
pub const CODES: &[(&str, Severity, &str)] = &[
    (
        "json-syntax",
        Severity::Error,
        "a manifest is not valid JSON",
    ),
    (
        "json-depth",
        Severity::Error,
        "a manifest nests deeper than the reader accepts",
    ),
    (
        "byte-order-mark",
        Severity::Warning,
        "a manifest starts with a UTF-8 byte-order mark",
    ),
    (
        "duplicate-key",
        Severity::Warning,
        "an object has the same key twice; the last wins",
    ),
    (
        "unreadable",
        Severity::Error,
        "a file or folder could not be read",
    ),
    (
        "symlink",
        Severity::Warning,
        "a symbolic link was not followed",
    ),
    (
        "manifest-shape",
        Severity::Error,
        "a manifest key has the wrong type or is missing",
    ),
    (
        "descriptor",
        Severity::Error,
        "a connector lacks service.json/module.json or has both",
    ),
    (
        "version-invalid",
        Severity::Error,
        "a version is not strict MAJOR.MINOR.PATCH semver",
    ),
    (
        "version-behind-changelog",
        Severity::Warning,
        "`version` is lower than the newest changelog key",
    ),
    (
        "version-not-in-changelog",
        Severity::Info,
        "`version` has no changelog entry of its own",
    ),
    (
        "changelog-unversioned",
        Severity::Info,
        "the changelog is a plain list without versions",
    ),
    (
        "breaking-not-major",
        Severity::Warning,
        "a breaking change is announced under a minor or patch version",
    ),
    (
        "name-mismatch",
        Severity::Warning,
        "bundle and descriptor disagree on the connector name",
    ),
    (
        "component-name-mismatch",
        Severity::Warning,
        "a component's name differs from its path",
    ),
    (
        "auth-unresolved",
        Severity::Warning,
        "a component's auth service has no auth.js",
    ),
    (
        "auth-type-unknown",
        Severity::Warning,
        "auth.js declares no known type",
    ),
    (
        "icon-rejected",
        Severity::Warning,
        "an icon is not a PNG, JPEG, GIF or SVG data URI and was dropped",
    ),
    (
        "orphan-component",
        Severity::Warning,
        "a component.json lies outside every connector",
    ),
    (
        "duplicate-connector",
        Severity::Error,
        "two connector folders have the same name; the second fails",
    ),
];
