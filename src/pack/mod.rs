//! Packing connectors into the zips a tenant installs.
//!
//! The layout: the vendor folder at the root (`appmixer/slack/...`); a
//! module connector also carries its parent service's own files but not its
//! sibling modules. Dependencies, build output, lock files, test flows and
//! hidden files are left out. Symbolic links are neither followed nor
//! stored, every entry name is checked to stay inside the archive root and
//! to mean the same to every unzip tool (no backslash, colon or control
//! character), and entries are written sorted with a fixed time and mode,
//! so the same input always gives the same bytes. Files in formats that are compressed already
//! (images, archives, fonts) are stored as they are: deflating them again
//! costs time and gains nothing (the corpus's PNG and GIF files shrink by
//! 2 %).

use crate::scan::{Connector, Repository};
use std::io::{Cursor, Write};
use std::path::{Component as PathPart, Path};
use walkdir::WalkDir;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A tenant refuses archives larger than this.
pub const TENANT_LIMIT: usize = 10 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("{}: cannot read: {source}", crate::text::for_terminal(.path))]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: refused: {reason}", crate::text::for_terminal(.path))]
    Refused { path: String, reason: BadEntry },
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
                return rel(root, e.path()).is_ok_and(|r| r == connector.path)
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
        let path = rel(root, entry.path())
            .map_err(|(path, reason)| PackError::Refused { path, reason })?;
        out.push(path);
    }
    Ok(())
}

/// The entry name of a file found under `root`, or its path as a reader
/// can show it (relative when possible) and why it cannot be one.
fn rel(root: &Path, path: &Path) -> Result<String, (String, BadEntry)> {
    let shown = path.strip_prefix(root).unwrap_or(path);
    safe_entry_name(shown).map_err(|reason| (shown.display().to_string(), reason))
}

/// Why a path cannot be a zip entry name (or a file name `pack` writes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadEntry {
    #[error("the path is empty")]
    Empty,
    #[error("the path is absolute")]
    Absolute,
    #[error("the path has a drive or network-share prefix")]
    Prefix,
    #[error("the path has a `..` part, which would climb out of the archive root")]
    ParentDir,
    #[error("the path has a `.` part")]
    CurDir,
    #[error("the name is not valid UTF-8, so no tenant can be relied on to unpack it as written")]
    NotUtf8,
    #[error("the name `{0}` holds a backslash, which unpacks as a folder separator on Windows")]
    Backslash(String),
    #[error("the name `{0}` holds a colon, which Windows reads as a drive or a data stream")]
    Colon(String),
    #[error("the name `{name}` holds the control character U+{code:04X}")]
    Control { name: String, code: u32 },
    #[error("`{0}` is not a single file name")]
    NotAFileName(String),
}

/// The zip entry name of a relative path: its parts joined by `/`. Refused
/// are paths that are not plain downward paths (`..`, `.`, absolute, a
/// Windows prefix, empty) and names a tenant or an unzip tool could read
/// differently from how they are written: not UTF-8, or holding a
/// backslash, a colon or a control character.
pub fn safe_entry_name(rel: &Path) -> Result<String, BadEntry> {
    let mut parts = Vec::new();
    for part in rel.components() {
        let name = match part {
            PathPart::Normal(p) => p.to_str().ok_or(BadEntry::NotUtf8)?,
            PathPart::ParentDir => return Err(BadEntry::ParentDir),
            PathPart::CurDir => return Err(BadEntry::CurDir),
            PathPart::RootDir => return Err(BadEntry::Absolute),
            PathPart::Prefix(_) => return Err(BadEntry::Prefix),
        };
        if name.contains('\\') {
            return Err(BadEntry::Backslash(name.into()));
        }
        if name.contains(':') {
            return Err(BadEntry::Colon(name.into()));
        }
        if let Some(c) = name.chars().find(|c| c.is_control()) {
            return Err(BadEntry::Control {
                name: name.escape_default().to_string(),
                code: c.into(),
            });
        }
        parts.push(name);
    }
    if parts.is_empty() {
        return Err(BadEntry::Empty);
    }
    Ok(parts.join("/"))
}

/// Checks that `name` is one plain file name, safe to join to an output
/// folder: what [`safe_entry_name`] accepts, in one part. A connector name
/// such as `../x` would otherwise place its zip outside the folder.
pub fn check_file_name(name: &str) -> Result<(), BadEntry> {
    match safe_entry_name(Path::new(name))? {
        safe if safe == name && !safe.contains('/') => Ok(()),
        _ => Err(BadEntry::NotAFileName(name.escape_default().to_string())),
    }
}

/// Why a connector failed the scan, for messages that leave it out: the
/// first error the scan reported on its `bundle.json` (a syntax error, a
/// missing descriptor, a name another folder has), with its place.
pub fn failure_reason(repo: &Repository, connector: &Connector) -> String {
    let bundle = format!("{}/bundle.json", connector.path);
    repo.diagnostics
        .iter()
        .find(|d| d.path == bundle && d.severity == crate::diag::Severity::Error)
        .map(|d| format!("{}:{}:{}: {}", d.path, d.line, d.column, d.message))
        .unwrap_or_else(|| "bundle.json could not be read".into())
}

/// Is `entry` in a format that is compressed already? Decided by its
/// extension alone.
fn is_compressed(entry: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        "png", "gif", "jpg", "jpeg", "webp", "avif", "ico", "zip", "gz", "tgz", "bz2", "xz", "zst",
        "7z", "woff", "woff2", "mp3", "mp4",
    ];
    let file = entry.rsplit('/').next().unwrap_or(entry);
    file.rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e)))
}

/// Packs one connector into zip bytes.
pub fn pack(repo_root: &Path, connector: &Connector) -> Result<Packed, PackError> {
    let inputs = read_inputs(repo_root, connector)?;
    zip_inputs(connector, &inputs)
}

/// The files of a connector's zip, read: each entry name (sorted) with its
/// bytes. A name that could not be an entry is refused before its file is
/// read.
pub fn read_inputs(
    repo_root: &Path,
    connector: &Connector,
) -> Result<Vec<(String, Vec<u8>)>, PackError> {
    entries(repo_root, connector)?
        .into_iter()
        .map(|entry| {
            safe_entry_name(Path::new(&entry)).map_err(|reason| PackError::Refused {
                path: entry.clone(),
                reason,
            })?;
            let data = std::fs::read(repo_root.join(&entry)).map_err(|source| PackError::Read {
                path: entry.clone(),
                source,
            })?;
            Ok((entry, data))
        })
        .collect()
}

/// Bumped whenever [`zip_inputs`] would write other bytes for the same
/// inputs (new options, another `zip` or deflate version): the site reuses
/// a previous build's zip only when this, the tool's version and every
/// input are the same. `tests/pack.rs` holds the hash of one zip, so a
/// change in the bytes cannot go unnoticed.
pub const ZIP_LAYOUT: u32 = 1;

/// Zips `inputs` (as [`read_inputs`] gives them) for `connector`.
pub fn zip_inputs(
    connector: &Connector,
    inputs: &[(String, Vec<u8>)],
) -> Result<Packed, PackError> {
    let zip_error = |e: zip::result::ZipError| PackError::Zip {
        name: connector.name.clone(),
        message: e.to_string(),
    };
    // 1980-01-01 is the earliest time a zip can hold; a fixed time keeps the
    // archive's bytes a function of the files' contents alone.
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let deflated = stored
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1));
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (entry, data) in inputs {
        let options = if is_compressed(entry) {
            stored
        } else {
            deflated
        };
        zip.start_file(entry.as_str(), options).map_err(zip_error)?;
        zip.write_all(data).map_err(|e| PackError::Zip {
            name: connector.name.clone(),
            message: e.to_string(),
        })?;
    }
    let bytes = zip.finish().map_err(zip_error)?.into_inner();
    Ok(Packed {
        name: connector.name.clone(),
        file_name: format!("{}.zip", connector.name),
        bytes,
        entries: inputs.iter().map(|(entry, _)| entry.clone()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn compressed_formats_are_known_by_extension_in_any_case() {
        let got: Vec<bool> = [
            "acme/a/icon.png",
            "acme/a/ICON.PNG",
            "acme/a/fonts/x.woff2",
            "acme/a/component.json",
            "acme/a/png",
            "acme/a.png/README",
        ]
        .iter()
        .map(|e| is_compressed(e))
        .collect();
        assert_eq!(got, [true, true, true, false, false, false]);
    }

    #[test]
    fn images_are_stored_and_text_is_deflated() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            (
                "acme/pic/service.json",
                r#"{"name": "acme.pic", "label": "Pic"}"#,
            ),
            (
                "acme/pic/bundle.json",
                r#"{"name": "acme.pic", "version": "1.0.0", "changelog": {"1.0.0": ["x"]}}"#,
            ),
            ("acme/pic/icon.png", "\u{89}PNG not really"),
        ];
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        let repo = crate::scan::scan(dir.path()).unwrap();
        let packed = pack(dir.path(), &repo.connectors[0]).unwrap();

        let mut archive = zip::ZipArchive::new(Cursor::new(packed.bytes)).unwrap();
        let methods: Vec<(String, CompressionMethod)> = (0..archive.len())
            .map(|i| {
                let entry = archive.by_index(i).unwrap();
                (entry.name().unwrap().to_string(), entry.compression())
            })
            .collect();
        let expected = [
            ("acme/pic/bundle.json", CompressionMethod::Deflated),
            ("acme/pic/icon.png", CompressionMethod::Stored),
            ("acme/pic/service.json", CompressionMethod::Deflated),
        ];
        let expected: Vec<(String, CompressionMethod)> =
            expected.iter().map(|(n, m)| (n.to_string(), *m)).collect();
        assert_eq!(methods, expected);
        let mut png = Vec::new();
        archive
            .by_name("acme/pic/icon.png")
            .unwrap()
            .read_to_end(&mut png)
            .unwrap();
        assert_eq!(png, "\u{89}PNG not really".as_bytes());
    }
}
