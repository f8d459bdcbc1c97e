//! Packing connectors into the zips a tenant installs.
//!
//! The layout: the vendor folder at the root (`appmixer/slack/...`); a
//! module connector also carries its parent service's own files but not its
//! sibling modules. Dependencies, build output, lock files, test flows and
//! hidden files are left out. Symbolic links are neither followed nor
//! stored, every entry name is checked to stay inside the archive root, and
//! entries are written sorted with a fixed time and mode, so the same input
//! always gives the same bytes.

use crate::scan::Connector;
use std::io::{Cursor, Write};
use std::path::{Component as PathPart, Path};
use walkdir::WalkDir;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A tenant refuses archives larger than this.
pub const TENANT_LIMIT: usize = 10 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: refused: the entry would escape the archive root")]
    Escapes { path: String },
    #[error("cannot write zip for {name}: {message}")]
    Zip { name: String, message: String },
}

/// One packed connector.
#[derive(Debug, Clone)]
pub struct Packed {
    pub name: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub entries: Vec<String>,
}

/// Is this file or folder left out of zips?
pub fn is_excluded(name: &str, is_dir: bool) -> bool {
    if name.starts_with('.') {
        return true;
    }
    if is_dir {
        return name == "node_modules" || name == "artifacts";
    }
    name == "package-lock.json" || (name.starts_with("test-flow") && name.ends_with(".json"))
}

/// The files a connector's zip holds, as `/`-separated paths relative to the
/// repository root, sorted.
pub fn entries(repo_root: &Path, connector: &Connector) -> Result<Vec<String>, PackError> {
    let mut files = Vec::new();
    collect(repo_root, &connector.path, connector, &mut files)?;
    if let Some(parent) = &connector.parent {
        collect(repo_root, parent, connector, &mut files)?;
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn collect(
    root: &Path,
    dir: &str,
    connector: &Connector,
    out: &mut Vec<String>,
) -> Result<(), PackError> {
    let start = root.join(dir);
    let walker = WalkDir::new(&start)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let name = e.file_name().to_string_lossy();
            if is_excluded(&name, e.file_type().is_dir()) {
                return false;
            }
            // Inside a parent service, other connectors (sibling modules) are
            // not ours; our own folder is collected on its own.
            if e.file_type().is_dir() && e.path().join("bundle.json").exists() {
                return rel(root, e.path()).is_some_and(|r| r == connector.path)
                    && dir == connector.path;
            }
            true
        });
    for entry in walker {
        let entry = entry.map_err(|e| PackError::Read {
            path: e
                .path()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("walk failed")),
        })?;
        // Links are skipped, not followed: their targets may lie anywhere.
        if entry.path_is_symlink() || !entry.file_type().is_file() {
            continue;
        }
        let path = rel(root, entry.path()).ok_or_else(|| PackError::Escapes {
            path: entry.path().display().to_string(),
        })?;
        out.push(path);
    }
    Ok(())
}

fn rel(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    safe_entry_name(rel)
}

/// A zip entry name for a relative path, or `None` when the path is not a
/// plain downward path (`..`, absolute, or a Windows prefix).
pub fn safe_entry_name(rel: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for part in rel.components() {
        match part {
            PathPart::Normal(p) => parts.push(p.to_str()?.to_string()),
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Packs one connector into zip bytes.
pub fn pack(repo_root: &Path, connector: &Connector) -> Result<Packed, PackError> {
    let entries = entries(repo_root, connector)?;
    let zip_error = |e: zip::result::ZipError| PackError::Zip {
        name: connector.name.clone(),
        message: e.to_string(),
    };
    // 1980-01-01 is the earliest time a zip can hold; a fixed time keeps the
    // archive's bytes a function of the files' contents alone.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for entry in &entries {
        if safe_entry_name(Path::new(entry)).as_deref() != Some(entry.as_str()) {
            return Err(PackError::Escapes {
                path: entry.clone(),
            });
        }
        let data = std::fs::read(repo_root.join(entry)).map_err(|source| PackError::Read {
            path: entry.clone(),
            source,
        })?;
        zip.start_file(entry.as_str(), options).map_err(zip_error)?;
        zip.write_all(&data).map_err(|e| PackError::Zip {
            name: connector.name.clone(),
            message: e.to_string(),
        })?;
    }
    let bytes = zip.finish().map_err(zip_error)?.into_inner();
    Ok(Packed {
        name: connector.name.clone(),
        file_name: format!("{}.zip", connector.name),
        bytes,
        entries,
    })
}
