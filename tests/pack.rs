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
    use connector_catalog::pack::{safe_entry_name, BadEntry};
    assert_eq!(
        safe_entry_name(Path::new("acme/x/a.js")),
        Ok("acme/x/a.js".to_string())
    );
    assert_eq!(
        safe_entry_name(Path::new("../etc/passwd")),
        Err(BadEntry::ParentDir)
    );
    assert_eq!(
        safe_entry_name(Path::new("acme/../../x")),
        Err(BadEntry::ParentDir)
    );
    assert_eq!(
        safe_entry_name(Path::new("/etc/passwd")),
        Err(BadEntry::Absolute)
    );
    assert_eq!(safe_entry_name(Path::new("./acme")), Err(BadEntry::CurDir));
    assert_eq!(safe_entry_name(Path::new("")), Err(BadEntry::Empty));
}

#[test]
fn names_an_unzip_tool_could_read_differently_are_refused_saying_why() {
    use connector_catalog::pack::safe_entry_name;
    use std::os::unix::ffi::OsStrExt;
    let reason = |p: &Path| safe_entry_name(p).unwrap_err().to_string();
    assert_eq!(
        reason(Path::new("acme/x/x\\..\\..\\evil.js")),
        "the name `x\\..\\..\\evil.js` holds a backslash, which unpacks as a folder separator on Windows"
    );
    assert_eq!(
        reason(Path::new("acme/x/C:evil.js")),
        "the name `C:evil.js` holds a colon, which Windows reads as a drive or a data stream"
    );
    assert_eq!(
        reason(Path::new("acme/x/a\u{1b}[2Jb.js")),
        "the name `a\\u{1b}[2Jb.js` holds the control character U+001B"
    );
    assert_eq!(
        reason(Path::new(std::ffi::OsStr::from_bytes(b"acme/x/caf\xe9.js"))),
        "the name is not valid UTF-8, so no tenant can be relied on to unpack it as written"
    );
}

#[test]
fn a_file_with_a_backslash_in_its_name_fails_its_connector_naming_the_file() {
    let repo = tempfile::tempdir().unwrap();
    support::write_all(repo.path(), &support::connector("bs", "Bs", "x"));
    std::fs::write(repo.path().join("acme/bs/x\\..\\..\\evil.js"), "1").unwrap();
    let out = tempfile::tempdir().unwrap();
    let result = pack(repo.path().to_str().unwrap(), &["acme.bs"], out.path());
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&result.stderr).trim_end(),
        "error: acme/bs/x\\..\\..\\evil.js: refused: the name `x\\..\\..\\evil.js` holds a backslash, which unpacks as a folder separator on Windows"
    );
    assert_eq!(support::tree(out.path()), vec![]);
}

#[test]
fn a_zip_file_name_that_is_not_one_plain_name_is_refused() {
    use connector_catalog::pack::{check_file_name, BadEntry};
    assert_eq!(check_file_name("acme.chatter.zip"), Ok(()));
    assert_eq!(check_file_name("./../escape3.zip"), Err(BadEntry::CurDir));
    assert_eq!(check_file_name("../escape3.zip"), Err(BadEntry::ParentDir));
    assert_eq!(
        check_file_name("acme/x.zip"),
        Err(BadEntry::NotAFileName("acme/x.zip".into()))
    );

    // Whatever the scan makes of such a name, nothing lands beside --out.
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let mut files = support::connector("esc", "Esc", "x");
    for (path, text) in files.iter_mut() {
        if !path.ends_with("component.json") {
            *text = text.replace("acme.esc", "./../escape3");
        }
    }
    support::write_all(&repo, &files);
    let out = tmp.path().join("out");
    let result = pack(repo.to_str().unwrap(), &[], &out);
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&result.stdout), "");
    let mut beside: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    // Nothing was packed, so not even --out was made.
    assert_eq!(beside, ["repo"]);
}

/// Two folders named `acme.same`: `acme/one` (first by path) and `acme/two`.
fn twin_repo(first_bundle: &str) -> tempfile::TempDir {
    let repo = tempfile::tempdir().unwrap();
    for folder in ["one", "two"] {
        let mut files = support::connector(folder, "Same", "x");
        for (path, text) in files.iter_mut() {
            *text = text.replace(&format!("acme.{folder}"), "acme.same");
            if folder == "one" && path.ends_with("bundle.json") {
                *text = first_bundle.to_string();
            }
        }
        support::write_all(repo.path(), &files);
    }
    repo
}

#[test]
fn of_two_folders_with_one_name_the_one_that_passed_the_scan_is_packed() {
    let repo =
        twin_repo(r#"{"name": "acme.same", "version": "1.0.0", "changelog": {"1.0.0": ["x"]}}"#);
    let out = tempfile::tempdir().unwrap();
    let result = pack(repo.path().to_str().unwrap(), &["acme.same"], out.path());
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert_eq!(
        names(&out.path().join("acme.same.zip")),
        [
            "acme/one/Do/component.json",
            "acme/one/bundle.json",
            "acme/one/service.json"
        ]
    );
}

#[test]
fn when_every_folder_with_the_name_failed_the_scan_says_why() {
    let repo = twin_repo(r#"{"name": "acme.same", "version": "1.0.0" "changelog": {}}"#);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("zips");
    let result = pack(repo.path().to_str().unwrap(), &["acme.same"], &out);
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&result.stderr).trim_end(),
        "error: acme/one: acme/one/bundle.json:1:42: expected `,` or `}` after an object member, found `\"` (a comma is missing between two members); not packed"
    );
    assert!(!out.exists(), "a run that packed nothing left a folder");
}

#[test]
fn an_out_that_is_a_file_is_refused_saying_so() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("afile");
    std::fs::write(&file, "keep").unwrap();
    let result = pack("connectors", &["acme.chatter"], &file);
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&result.stderr).trim_end(),
        format!(
            "error: cannot write zips into `{}`: it is not a folder",
            file.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
}

#[test]
fn a_name_given_twice_is_packed_once() {
    let out = tempfile::tempdir().unwrap();
    let result = pack("connectors", &["acme.chatter", "acme.chatter"], out.path());
    assert_eq!(result.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert_eq!(support::tree(out.path()).len(), 1);
}

#[test]
fn an_out_folder_inside_the_repository_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    support::write_all(&repo, &support::connector("one", "One", "x"));
    let out = repo.join("acme/one/dist");
    let result = pack(repo.to_str().unwrap(), &[], &out);
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&result.stderr).trim_end(),
        format!(
            "error: refusing to write zips to `{}`: it lies inside the repository `{}`, where \
             they would be scanned and, inside a connector folder, packed into later zips; \
             choose an --out folder outside the repository",
            out.display(),
            repo.display()
        )
    );
    assert!(!out.exists());
}

/// The exact bytes of one zip, by hash. The site reuses a previous build's
/// zip when its inputs, the tool's version and `pack::ZIP_LAYOUT` are the
/// same; a change that makes other bytes from the same inputs must bump
/// `ZIP_LAYOUT`, and this test is what says so.
#[test]
fn the_bytes_of_a_zip_are_pinned_so_a_layout_change_is_noticed() {
    let out = tempfile::tempdir().unwrap();
    let result = pack("connectors", &["acme.chatter"], out.path());
    assert_eq!(result.status.code(), Some(0));
    let bytes = std::fs::read(out.path().join("acme.chatter.zip")).unwrap();
    assert_eq!(
        (
            format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&bytes)),
            connector_catalog::pack::ZIP_LAYOUT
        ),
        ("badf66ca01b946e08b7bb5f1e7164e80".to_string(), 1),
        "the zip's bytes changed: if on purpose, bump pack::ZIP_LAYOUT and update this hash"
    );
}
