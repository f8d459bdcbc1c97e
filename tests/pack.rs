//! Zips: the layout a tenant installs, the exclusions, links never stored,
//! entries never escaping the archive root, and the same bytes every time.

mod support;

use std::io::Read;
use std::path::Path;
use support::run;

fn names(zip_path: &Path) -> Vec<String> {
    let file = std::fs::File::open(zip_path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
        .collect()
}

fn pack(repo: &str, names: &[&str], out: &Path) -> std::process::Output {
    let mut args = vec!["pack", repo];
    args.extend_from_slice(names);
    args.extend_from_slice(&["--out", out.to_str().unwrap()]);
    run(&args)
}

#[test]
fn a_module_zip_carries_its_parent_service_files_but_not_sibling_modules() {
    let out = tempfile::tempdir().unwrap();
    let result = pack("connectors", &["acme.cloudsuite.mail"], out.path());
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let entries = names(&out.path().join("acme.cloudsuite.mail.zip"));
    let parent: Vec<&str> = entries
        .iter()
        .map(String::as_str)
        .filter(|e| !e.starts_with("acme/cloudsuite/mail/"))
        .collect();
    assert_eq!(
        parent,
        vec![
            "acme/cloudsuite/auth.js",
            "acme/cloudsuite/lib.js",
            "acme/cloudsuite/quota.js",
            "acme/cloudsuite/service.json"
        ]
    );
    assert!(entries.contains(&"acme/cloudsuite/mail/bundle.json".to_string()));
    assert!(entries.contains(&"acme/cloudsuite/mail/SendEmail/component.json".to_string()));
    assert!(!entries
        .iter()
        .any(|e| e.starts_with("acme/cloudsuite/drive/")));
}

#[test]
fn dependencies_lock_files_test_flows_and_hidden_files_are_left_out() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(
        pack("connectors", &["acme.notebook"], out.path())
            .status
            .code(),
        Some(0)
    );
    let entries = names(&out.path().join("acme.notebook.zip"));
    for excluded in [
        "node_modules",
        "package-lock.json",
        "test-flow-basic.json",
        ".eslintrc",
    ] {
        assert!(
            !entries.iter().any(|e| e.contains(excluded)),
            "{excluded} was packed"
        );
    }
    assert!(entries.contains(&"acme/notebook/package.json".to_string()));
    assert!(entries.iter().all(|e| e.starts_with("acme/notebook/")));
    let mut sorted = entries.clone();
    sorted.sort();
    assert_eq!(entries, sorted, "entries are written in sorted order");
}

#[test]
fn packing_twice_gives_the_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    assert_eq!(pack("connectors", &[], a.path()).status.code(), Some(0));
    assert_eq!(pack("connectors", &[], b.path()).status.code(), Some(0));
    let (ta, tb) = (support::tree(a.path()), support::tree(b.path()));
    assert_eq!(ta.len(), 9);
    assert!(ta == tb, "two packs of the same input differ");
}

#[test]
fn symbolic_links_are_neither_followed_nor_stored() {
    let repo = tempfile::tempdir().unwrap();
    support::write_all(repo.path(), &support::connector("linky", "Linky", "x"));
    std::fs::write(repo.path().join("secret.txt"), "outside").unwrap();
    std::os::unix::fs::symlink(
        repo.path().join("secret.txt"),
        repo.path().join("acme/linky/secret.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink("/etc", repo.path().join("acme/linky/etc")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = pack(repo.path().to_str().unwrap(), &[], out.path());
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert_eq!(
        names(&out.path().join("acme.linky.zip")),
        vec![
            "acme/linky/Do/component.json",
            "acme/linky/bundle.json",
            "acme/linky/service.json"
        ]
    );
}

#[test]
fn zipped_files_hold_the_repository_bytes() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(
        pack("connectors", &["acme.chatter"], out.path())
            .status
            .code(),
        Some(0)
    );
    let file = std::fs::File::open(out.path().join("acme.chatter.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    archive
        .by_name("acme/chatter/bundle.json")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(
        text,
        std::fs::read_to_string("connectors/acme/chatter/bundle.json").unwrap()
    );
}

#[test]
fn an_unknown_connector_name_is_a_usage_error() {
    let out = tempfile::tempdir().unwrap();
    let result = pack("connectors", &["acme.nope"], out.path());
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&result.stderr).trim(),
        "error: no connector named `acme.nope` in `connectors`"
    );
}

#[test]
fn entry_names_that_would_escape_the_root_are_refused() {
    use connector_catalog::pack::safe_entry_name;
    assert_eq!(
        safe_entry_name(Path::new("acme/x/a.js")).as_deref(),
        Some("acme/x/a.js")
    );
    assert_eq!(safe_entry_name(Path::new("../etc/passwd")), None);
    assert_eq!(safe_entry_name(Path::new("acme/../../x")), None);
    assert_eq!(safe_entry_name(Path::new("/etc/passwd")), None);
    assert_eq!(safe_entry_name(Path::new("./acme")), None);
}
