//! Checking that every internal link and anchor of a built site resolves.
//!
//! Reads the written HTML back, so it checks what users get, not what the
//! renderer meant to write. External links (with a scheme) are not
//! followed: the check needs no network.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A link that does not resolve: the page it is on and its target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenLink {
    pub page: String,
    pub target: String,
    pub reason: String,
}

/// Values of `href="..."` and `src="..."` attributes in a page.
fn targets(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(crate::site::markup::decode_entities(&rest[..end]));
                rest = &rest[end..];
            }
        }
    }
    out
}

fn ids(html: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = html;
    while let Some(at) = rest.find(" id=\"") {
        rest = &rest[at + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(crate::site::markup::decode_entities(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// Checks every HTML page under `root`; returns the broken links, sorted.
pub fn check(root: &Path) -> std::io::Result<Vec<BrokenLink>> {
    let mut pages: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut files: BTreeSet<PathBuf> = BTreeSet::new();
    for entry in WalkDir::new(root).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        if rel.extension().is_some_and(|e| e == "html") {
            pages.insert(rel.clone(), std::fs::read_to_string(entry.path())?);
        }
        files.insert(rel);
    }
    let anchors: BTreeMap<&PathBuf, BTreeSet<String>> =
        pages.iter().map(|(p, html)| (p, ids(html))).collect();

    let mut broken = Vec::new();
    for (page, html) in &pages {
        for target in targets(html) {
            if target.contains("://")
                || target.starts_with("mailto:")
                || target.starts_with("data:")
            {
                continue;
            }
            let (path_part, fragment) = match target.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (target.as_str(), None),
            };
            let path_part = path_part.split('?').next().unwrap_or_default();
            let resolved = if path_part.is_empty() {
                Some(page.clone())
            } else {
                normalize(&page.parent().unwrap_or(Path::new("")).join(path_part))
            };
            let report = |reason: &str| BrokenLink {
                page: page.display().to_string(),
                target: target.clone(),
                reason: reason.into(),
            };
            let Some(resolved) = resolved else {
                broken.push(report("leaves the site root"));
                continue;
            };
            let resolved = if path_part.ends_with('/') || (resolved.as_os_str().is_empty()) {
                resolved.join("index.html")
            } else {
                resolved
            };
            if !files.contains(&resolved) {
                broken.push(report("no such file"));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let known = anchors
                    .get(&resolved)
                    .is_some_and(|ids| ids.contains(fragment));
                if !known {
                    broken.push(report("no such anchor"));
                }
            }
        }
    }
    broken.sort();
    Ok(broken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_files_and_anchors_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("c")).unwrap();
        std::fs::write(dir.path().join("index.html"), "<a href=\"c&#x2F;a.html#v2\">ok</a><a href=\"c/a.html#v1\">x</a><a href=\"c/b.html\">y</a><a href=\"https://e.test\">z</a>").unwrap();
        std::fs::write(dir.path().join("c/a.html"), "<h2 id=\"v2\">v2</h2><a href=\"../index.html\">up</a><a href=\"../../out.html\">out</a>").unwrap();
        let broken = check(dir.path()).unwrap();
        let got: Vec<(&str, &str, &str)> = broken
            .iter()
            .map(|b| (b.page.as_str(), b.target.as_str(), b.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("c/a.html", "../../out.html", "leaves the site root"),
                ("index.html", "c/a.html#v1", "no such anchor"),
                ("index.html", "c/b.html", "no such file"),
            ]
        );
    }
}
