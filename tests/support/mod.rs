//! Helpers shared by integration tests: small repositories written to a
//! temporary folder, and running the built binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Writes `files` (path relative to the root, content) under a new temp dir.
pub fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    dir
}

/// A minimal valid connector `acme.<name>` with one action component.
pub fn connector(name: &str, label: &str, description: &str) -> Vec<(String, String)> {
    let json = |s: &str| serde_json::to_string(s).unwrap();
    vec![
        (
            format!("acme/{name}/service.json"),
            format!(
                r#"{{"name": "acme.{name}", "label": {}, "category": "test", "description": {}}}"#,
                json(label),
                json(description)
            ),
        ),
        (
            format!("acme/{name}/bundle.json"),
            format!(
                r#"{{"name": "acme.{name}", "version": "1.0.0", "changelog": {{"1.0.0": ["Initial version"]}}}}"#
            ),
        ),
        (
            format!("acme/{name}/Do/component.json"),
            format!(
                r#"{{"name": "acme.{name}.Do", "label": "Do it", "inPorts": [{{"name": "in", "schema": {{"type": "object", "properties": {{"text": {{"type": "string"}}}}, "required": ["text"]}}}}], "outPorts": ["out"]}}"#
            ),
        ),
    ]
}

pub fn write_all(root: &Path, files: &[(String, String)]) {
    for (path, text) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_connector-catalog"))
}

pub fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run connector-catalog")
}

/// The real corpus, when `../shared` is beside the project.
pub fn corpus() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/appmixer-connectors");
    if path.is_dir() {
        Some(path)
    } else if std::env::var_os("CI").is_some() {
        // CI promises ../shared beside the clone; a missing corpus there
        // is a broken set-up, not a reason to pass.
        panic!("the real corpus is not at {} and CI is set", path.display());
    } else {
        eprintln!(
            "skipped: the real corpus is not at {} (../shared is absent)",
            path.display()
        );
        None
    }
}

/// Every file under `root`, relative path to bytes, sorted.
pub fn tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(entry.path()).unwrap()));
        }
    }
    out
}
