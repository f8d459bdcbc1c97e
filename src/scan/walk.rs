//! Walking the repository tree once and sorting what it holds.
//!
//! Symbolic links are never followed: a link can point outside the
//! repository or back to an enclosing folder, and the zips never store
//! links either, so a linked file would be missing on the tenant anyway.
//! Every link found is reported, loops and dangling links as such.

use crate::diag::{Diagnostic, Severity};
use std::collections::BTreeSet;
use std::path::Path;
use walkdir::WalkDir;

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
    pub diagnostics: Vec<Diagnostic>,
}

impl Tree {
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

pub fn walk(root: &Path) -> Tree {
    let mut tree = Tree::default();
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_type().is_dir() && is_skipped_dir(&e.file_name().to_string_lossy()))
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let rel = e.path().map(|p| rel_of(root, p)).unwrap_or_default();
                let reason = e
                    .io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string());
                tree.diagnostics.push(diag(
                    rel,
                    Severity::Error,
                    "unreadable",
                    format!("cannot read: {reason}"),
                ));
                continue;
            }
        };
        let rel = rel_of(root, entry.path());
        // The root itself may be a link (a checkout reached through one);
        // walkdir follows it, so it is scanned and not reported.
        if entry.depth() > 0 && entry.path_is_symlink() {
            tree.diagnostics.push(symlink_diagnostic(entry.path(), rel));
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') {
            continue;
        }
        let dir = rel
            .rsplit_once('/')
            .map(|(d, _)| d.to_string())
            .unwrap_or_default();
        match name.as_ref() {
            "bundle.json" => {
                tree.bundles.insert(dir);
            }
            "service.json" => {
                tree.services.insert(dir);
            }
            "module.json" => {
                tree.modules.insert(dir);
            }
            "component.json" => tree.components.push(dir),
            "auth.js" => tree.auth_js.push(dir),
            _ => {}
        }
    }
    tree
}

fn diag(path: String, severity: Severity, code: &str, message: String) -> Diagnostic {
    Diagnostic {
        path,
        line: 1,
        column: 1,
        severity,
        code: code.into(),
        message,
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
    diag(rel, Severity::Warning, "symlink", message)
}
