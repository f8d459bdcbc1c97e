//! Reading `bundle.json` (name, version, changelog, engine) and the
//! descriptor beside it (`service.json` or `module.json`).
//!
//! Changelog checks live here because they need the bundle's own version:
//! a version behind its newest key, keys that are not strict semver, and
//! breaking changes announced under a minor or patch release.

use crate::diag::Severity;
use crate::json::{Node, Value};
use crate::scan::model::{Changelog, Entry, Release};
use crate::scan::source::Source;
use crate::scan::version::{is_breaking, is_major_release, parse_strict};

/// What `bundle.json` holds, checked.
pub struct Bundle {
    pub name: Option<String>,
    pub name_offset: u32,
    pub version: Option<String>,
    pub changelog: Changelog,
    pub engine: Option<String>,
}

/// What a descriptor holds.
pub struct Descriptor {
    pub name: Option<String>,
    pub label: Option<String>,
    pub category: Option<String>,
    pub description: Option<String>,
}

pub fn read_descriptor(root: &Node) -> Descriptor {
    Descriptor {
        name: root.str_at("name").map(str::to_string),
        label: root.str_at("label").map(str::to_string),
        category: root.str_at("category").map(str::to_string),
        description: root.str_at("description").map(str::to_string),
    }
}

pub fn read_bundle(root: &Node, src: &mut Source) -> Option<Bundle> {
    if root.as_object().is_none() {
        src.report(
            root.offset,
            Severity::Error,
            "manifest-shape",
            format!("expected an object, found {}", root.kind()),
        );
        return None;
    }
    let name = string_field(root, "name", src);
    if name.is_none() && root.get("name").is_none() {
        src.report(
            root.offset,
            Severity::Error,
            "manifest-shape",
            "`name` is missing".into(),
        );
    }
    let version_node = root.get("version");
    let version = string_field(root, "version", src).and_then(|text| {
        check_version(
            &text,
            "`version`",
            version_node.map_or(root.offset, |n| n.offset),
            src,
        )
        .map(|_| text)
    });
    let changelog = match root.get("changelog") {
        None => Changelog::None,
        Some(node) => read_changelog(node, src),
    };

    if let (Some(text), Some(newest)) = (&version, changelog.newest()) {
        let at = version_node.map_or(root.offset, |n| n.offset);
        let (current, latest) = (
            semver::Version::parse(text).ok(),
            semver::Version::parse(&newest.version).ok(),
        );
        if let (Some(current), Some(latest)) = (current, latest) {
            if current < latest {
                src.report(
                    at,
                    Severity::Warning,
                    "version-behind-changelog",
                    format!("version {current} is lower than the newest changelog entry {latest}; bump `version` or fix the changelog"),
                );
            } else if !changelog.releases().iter().any(|r| r.version == *text) {
                src.report(
                    at,
                    Severity::Info,
                    "version-not-in-changelog",
                    format!("version {current} has no changelog entry of its own"),
                );
            }
        }
    }

    Some(Bundle {
        name,
        name_offset: root.get("name").map_or(root.offset, |n| n.offset),
        version,
        changelog,
        engine: root.str_at("engine").map(str::to_string),
    })
}

fn string_field(root: &Node, key: &str, src: &mut Source) -> Option<String> {
    let node = root.get(key)?;
    match node.as_str() {
        Some(s) => Some(s.to_string()),
        None => {
            src.report(
                node.offset,
                Severity::Error,
                "manifest-shape",
                format!("`{key}` must be a string, found {}", node.kind()),
            );
            None
        }
    }
}

fn check_version(text: &str, what: &str, offset: u32, src: &mut Source) -> Option<semver::Version> {
    match parse_strict(text) {
        Ok(v) => Some(v),
        Err(reason) => {
            src.report(
                offset,
                Severity::Error,
                "version-invalid",
                format!("{what} is invalid: {reason}"),
            );
            None
        }
    }
}

fn entries(node: &Node, src: &mut Source) -> Vec<Entry> {
    let items: Vec<&Node> = match &node.value {
        Value::Array(items) => items.iter().collect(),
        Value::String(_) => vec![node],
        _ => {
            src.report(
                node.offset,
                Severity::Error,
                "manifest-shape",
                format!("changelog entries must be strings, found {}", node.kind()),
            );
            return Vec::new();
        }
    };
    items
        .into_iter()
        .filter_map(|item| match item.as_str() {
            Some(text) => Some(Entry {
                text: text.to_string(),
                breaking: is_breaking(text),
            }),
            None => {
                src.report(
                    item.offset,
                    Severity::Error,
                    "manifest-shape",
                    format!("a changelog entry must be a string, found {}", item.kind()),
                );
                None
            }
        })
        .collect()
}

fn read_changelog(node: &Node, src: &mut Source) -> Changelog {
    match &node.value {
        Value::Array(_) => {
            src.report(
                node.offset,
                Severity::Info,
                "changelog-unversioned",
                "changelog is a plain list without versions; it is kept as is".into(),
            );
            Changelog::Unversioned(entries(node, src))
        }
        Value::Object(members) => {
            let mut releases: Vec<(semver::Version, Release, u32)> = Vec::new();
            for member in members {
                let what = format!("changelog key \"{}\"", member.key);
                let Some(version) = check_version(&member.key, &what, member.key_offset, src)
                else {
                    continue;
                };
                let release = Release {
                    version: member.key.clone(),
                    entries: entries(&member.value, src),
                };
                releases.push((version, release, member.key_offset));
            }
            // Semver precedence, never file order or string order.
            releases.sort_by(|a, b| a.0.cmp_precedence(&b.0).then_with(|| a.0.cmp(&b.0)));
            let mut previous_major: Option<u64> = None;
            for (version, release, offset) in &releases {
                // The first release of a major number is a major release
                // even when its `X.0.0` was never written down (a
                // changelog that goes from 3.0.1 to 4.0.1).
                let first_of_major = previous_major.is_some_and(|p| version.major > p);
                previous_major = Some(version.major);
                if is_major_release(version) || first_of_major {
                    continue;
                }
                if let Some(entry) = release.entries.iter().find(|e| e.breaking) {
                    // Semver allows a major of u64::MAX; the next one is
                    // still a number to suggest, so count it in u128.
                    let next_major = u128::from(version.major) + 1;
                    src.report(
                        *offset,
                        Severity::Warning,
                        "breaking-not-major",
                        format!(
                            "changelog {version} announces a breaking change but is not a major release (\"{}\"); breaking changes need {}.0.0",
                            shorten(&entry.text),
                            next_major
                        ),
                    );
                }
            }
            Changelog::Versioned(releases.into_iter().map(|(_, r, _)| r).collect())
        }
        _ => {
            src.report(
                node.offset,
                Severity::Error,
                "manifest-shape",
                format!(
                    "`changelog` must be an object or a list, found {}",
                    node.kind()
                ),
            );
            Changelog::None
        }
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
