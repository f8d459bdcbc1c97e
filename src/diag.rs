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

impl Diagnostic {
    /// A problem with a file as a whole, placed at 1:1.
    pub fn whole_file(path: String, severity: Severity, code: &str, message: String) -> Self {
        Diagnostic {
            path,
            line: 1,
            column: 1,
            severity,
            code: code.into(),
            message,
        }
    }
}

/// One line of the text report. Paths and messages quote manifest text and
/// file names, which may hold control characters: written raw, an escape
/// sequence could erase lines of the report or a line break forge a
/// diagnostic of its own, so those characters are shown escaped (`\u{1b}`).
/// JSON output escapes them already.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_escaped(f, &self.path)?;
        write!(
            f,
            ":{}:{}: {}[{}]: ",
            self.line, self.column, self.severity, self.code
        )?;
        write_escaped(f, &self.message)
    }
}

/// Writes `text` as [`crate::text::for_terminal`] shows it.
fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str(&crate::text::for_terminal(text))
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
        "an icon is not a PNG, JPEG, GIF or SVG data URI, does not decode, is not the \
         image it declares, or is an SVG that could run script or load outside resources; it \
         was dropped",
    ),
    (
        "orphan-component",
        Severity::Warning,
        "a component.json lies outside every connector",
    ),
    (
        "duplicate-connector",
        Severity::Error,
        "two connector folders have the same name, or names differing only in letter case; \
         the later path fails",
    ),
    (
        "duplicate-component",
        Severity::Error,
        "two components of one connector have the same name, or names differing only in \
         letter case; the later path is left out",
    ),
    (
        "name-invalid",
        Severity::Error,
        "a connector or component name is not dot-separated parts of letters, digits, `_` and \
         `-` (at most 200 characters), or a file name is not UTF-8; the connector fails",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_path_and_message_are_shown_escaped() {
        let d = Diagnostic {
            path: "acme/x\u{1b}[2K/component.json".into(),
            line: 2,
            column: 5,
            severity: Severity::Warning,
            code: "auth-unresolved".into(),
            message: "service `a\r\nb.json:1:1: error[x]: forged\u{7f}\u{9b}\u{202e}` é\t".into(),
        };
        assert_eq!(
            d.to_string(),
            "acme/x\\u{1b}[2K/component.json:2:5: warning[auth-unresolved]: service \
             `a\\u{d}\\u{a}b.json:1:1: error[x]: forged\\u{7f}\\u{9b}\\u{202e}` é\\u{9}"
        );
    }
}
