//! Walking the repository tree once and sorting what it holds.
//!
//! Symbolic links are never followed: a link can point outside the
//! repository or back to an enclosing folder, and the zips never store
//! links either, so a linked file would be missing on the tenant anyway.
//! Every link found is reported, loops and dangling links as such.

use crate::diag::{Diagnostic, Severity};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;
use walkdir::{DirEntry, WalkDir};

/// Folders never entered: dependencies, build output, and hidden folders.
pub fn is_skipped_dir(name: &str) -> bool {
    name.starts_with('.') || name == "node_modules" || name == "artifacts"
}

/// Relative folder paths (`/`-separated) of each kind of file found.
#[derive(Debug, Default, Clone)]
pub struct Tree {
    pub bundles: BTreeSet<String>,
    pub services: BTreeSet<String>,
    pub modules: BTreeSet<String>,
    pub components: Vec<String>,
    pub auth_js: Vec<String>,
    /// Folders holding a file or folder whose name is not UTF-8: such a
    /// name cannot be put in a zip or a report faithfully, so the
    /// connectors these folders belong to fail.
    pub bad_names: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Tree {
    /// Adds what another part of the walk found.
    fn merge(&mut self, other: Tree) {
        self.bundles.extend(other.bundles);
        self.services.extend(other.services);
        self.modules.extend(other.modules);
        self.components.extend(other.components);
        self.auth_js.extend(other.auth_js);
        self.bad_names.extend(other.bad_names);
        self.diagnostics.extend(other.diagnostics);
    }

    /// The nearest folder at or above `dir` that holds a `bundle.json`.
    pub fn owning_connector(&self, dir: &str) -> Option<String> {
        ancestors(dir)
            .find(|d| self.bundles.contains(*d))
            .map(str::to_string)
    }

    /// The nearest folder strictly above `dir` with `service.json` and no
    /// `bundle.json`.
    pub fn parent_service(&self, dir: &str) -> Option<String> {
        ancestors(dir)
            .skip(1)
            .find(|d| self.services.contains(*d) && !self.bundles.contains(*d))
            .map(str::to_string)
    }
}

/// `a/b/c`, `a/b`, `a`.
fn ancestors(dir: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(dir), |d| d.rfind('/').map(|at| &d[..at])).filter(|d| !d.is_empty())
}

fn rel_of(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Walks the tree below `root`. Reading folders (a system call or three
/// each) is nearly all of the walk's time, so the folders two levels down,
/// one per connector or vendor module in the usual layouts, are walked in
/// parallel; each of them is walked iteratively, so no depth of nesting
/// can overflow a thread's stack.
pub fn walk(root: &Path) -> Tree {
    let mut tree = Tree::default();
    let mut units = Vec::new();
    let mut entries = walker(root, UNIT_DEPTH);
    while let Some(entry) = entries.next() {
        let skip = has_bad_name(&entry);
        if let Some(entry) = visit(&mut tree, root, entry) {
            if entry.depth() == UNIT_DEPTH && entry.file_type().is_dir() {
                units.push(entry.into_path());
            }
        }
        if skip {
            entries.skip_current_dir();
        }
    }

    let below: Vec<Tree> = units
        .par_iter()
        .map(|unit| {
            let mut tree = Tree::default();
            // The unit itself was visited above.
            let mut entries = walker(unit, usize::MAX);
            while let Some(entry) = entries.next() {
                if matches!(&entry, Ok(e) if e.depth() == 0) {
                    continue;
                }
                let skip = has_bad_name(&entry);
                visit(&mut tree, root, entry);
                if skip {
                    entries.skip_current_dir();
                }
            }
            tree
        })
        .collect();
    for part in below {
        tree.merge(part);
    }
    tree
}

/// Depth of the folders walked in parallel.
const UNIT_DEPTH: usize = 2;

/// Walks `dir` and below, `max_depth` levels deep, in file-name order,
/// without following links and without entering skipped folders. (`dir`
/// itself is entered even when it is a link: the repository may be reached
/// through one.)
fn walker(
    dir: &Path,
    max_depth: usize,
) -> walkdir::FilterEntry<walkdir::IntoIter, fn(&DirEntry) -> bool> {
    fn entered(e: &DirEntry) -> bool {
        e.depth() == 0
            || !(e.file_type().is_dir() && is_skipped_dir(&e.file_name().to_string_lossy()))
    }
    WalkDir::new(dir)
        .follow_links(false)
        .max_depth(max_depth)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(entered as fn(&DirEntry) -> bool)
}

/// Is `entry` a folder (below the walk's start) whose name is not UTF-8?
/// It is reported and not entered: paths below it could only be
/// approximated, and would then name other files or none.
fn has_bad_name(entry: &walkdir::Result<DirEntry>) -> bool {
    matches!(entry, Ok(e) if e.depth() > 0 && e.file_type().is_dir() && e.file_name().to_str().is_none())
}

/// Records one entry of the walk: a manifest, `auth.js`, a link, or an
/// error. Returns the entry when it is neither a link nor an error.
fn visit(tree: &mut Tree, root: &Path, entry: walkdir::Result<DirEntry>) -> Option<DirEntry> {
    let entry = match entry {
        Ok(entry) => entry,
        Err(e) => {
            let rel = e.path().map(|p| rel_of(root, p)).unwrap_or_default();
            let reason = e
                .io_error()
                .map(|io| io.to_string())
                .unwrap_or_else(|| e.to_string());
            tree.diagnostics.push(Diagnostic::whole_file(
                rel,
                Severity::Error,
                "unreadable",
                format!("cannot read: {reason}"),
            ));
            return None;
        }
    };
    // Only the root's own depth is 0, in the walk from the root; it may be
    // a link, which is followed and not reported.
    if entry.depth() > 0 && entry.path_is_symlink() {
        let rel = rel_of(root, entry.path());
        tree.diagnostics.push(symlink_diagnostic(entry.path(), rel));
        return None;
    }
    let name = entry.file_name().to_string_lossy();
    if name.starts_with('.') {
        return Some(entry);
    }
    if entry.depth() > 0 && entry.file_name().to_str().is_none() {
        let folder = entry
            .path()
            .parent()
            .map(|p| rel_of(root, p))
            .filter(|rel| !rel.is_empty())
            .unwrap_or_else(|| ".".into());
        let kind = if entry.file_type().is_dir() {
            "folder"
        } else {
            "file"
        };
        tree.diagnostics.push(Diagnostic::whole_file(
            folder.clone(),
            Severity::Error,
            "name-invalid",
            format!(
                "{kind} name `{name}` is not valid UTF-8 (shown with U+FFFD for the bad bytes); \
                 the connector it belongs to fails and cannot be packed, rename it"
            ),
        ));
        tree.bad_names.push(folder);
        return None;
    }
    // Most entries are neither manifests nor auth.js; no relative path is
    // built for them.
    if let Some(kind) = Found::named(&name) {
        let rel = rel_of(root, entry.path());
        let dir = rel
            .rsplit_once('/')
            .map(|(d, _)| d.to_string())
            .unwrap_or_default();
        match kind {
            Found::Bundle => {
                tree.bundles.insert(dir);
            }
            Found::Service => {
                tree.services.insert(dir);
            }
            Found::Module => {
                tree.modules.insert(dir);
            }
            Found::Component => tree.components.push(dir),
            Found::AuthJs => tree.auth_js.push(dir),
        }
    }
    Some(entry)
}

/// The files the walk records, by name.
enum Found {
    Bundle,
    Service,
    Module,
    Component,
    AuthJs,
}

impl Found {
    fn named(name: &str) -> Option<Found> {
        match name {
            "bundle.json" => Some(Found::Bundle),
            "service.json" => Some(Found::Service),
            "module.json" => Some(Found::Module),
            "component.json" => Some(Found::Component),
            "auth.js" => Some(Found::AuthJs),
            _ => None,
        }
    }
}

fn symlink_diagnostic(path: &Path, rel: String) -> Diagnostic {
    let target = std::fs::read_link(path)
        .map(|t| t.display().to_string())
        .unwrap_or_else(|_| "?".into());
    let message = match std::fs::canonicalize(path) {
        Err(e) => format!("symbolic link to `{target}` cannot be resolved ({e}); skipped"),
        Ok(real) => {
            let here = path.parent().and_then(|p| std::fs::canonicalize(p).ok());
            if here.is_some_and(|h| h.starts_with(&real)) {
                format!(
                    "symbolic link to `{target}` loops back to an enclosing folder; not followed"
                )
            } else {
                format!("symbolic link to `{target}` not followed; links are neither scanned nor packed")
            }
        }
    };
    Diagnostic::whole_file(rel, Severity::Warning, "symlink", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk is split at [`UNIT_DEPTH`]; files, links and skipped
    /// folders above, at and below that depth are all found once.
    #[test]
    fn every_depth_is_walked_once_around_the_parallel_split() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for rel in [
            "component.json",
            "acme/service.json",
            "acme/auth.js",
            "acme/mail/bundle.json",
            "acme/mail/Send/component.json",
            "acme/mail/component.json/readme.md",
            "acme/mail/node_modules/x/component.json",
            "acme/.hidden/component.json",
            "acme/node_modules/component.json",
            "acme/.auth.js",
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "{}").unwrap();
        }
        std::os::unix::fs::symlink("mail", root.join("acme/link")).unwrap();
        std::os::unix::fs::symlink("Send", root.join("acme/mail/link")).unwrap();

        let mut tree = walk(root);
        tree.components.sort();
        assert_eq!(tree.components, ["", "acme/mail", "acme/mail/Send"]);
        assert_eq!(tree.bundles, BTreeSet::from(["acme/mail".to_string()]));
        assert_eq!(tree.services, BTreeSet::from(["acme".to_string()]));
        assert!(tree.modules.is_empty());
        assert_eq!(tree.auth_js, ["acme"]);
        tree.diagnostics.sort();
        let links: Vec<(&str, &str)> = tree
            .diagnostics
            .iter()
            .map(|d| (d.path.as_str(), d.code.as_str()))
            .collect();
        assert_eq!(
            links,
            [("acme/link", "symlink"), ("acme/mail/link", "symlink")]
        );
    }
}
