//! The catalog site with a tenant: badges and filters on the index, the
//! Access Control and Flows sections of connector pages, the access-control
//! page and the upgrade report, built from the sample snapshot; the sample
//! tenant used by `build` with no arguments; hostile snapshot text escaped.

mod support;

use connector_catalog::site::links;
use std::path::Path;
use std::process::Command;
use support::{bin, run};

const SAMPLE: &str = "tenant/sample-snapshot.json";

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn build_with(snapshot: &str, out: &Path) -> std::process::Output {
    build_repo_with("connectors", snapshot, out)
}

/// `build REPO --tenant SNAPSHOT --out OUT`, which must succeed.
fn build_repo_with(repo: &str, snapshot: &str, out: &Path) -> std::process::Output {
    let out = run(&[
        "build",
        repo,
        "--tenant",
        snapshot,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The opening tag of the index card of `name`.
fn card_tag<'a>(index: &'a str, name: &str) -> &'a str {
    let at = index
        .find(&format!("<li class=\"card\" data-name=\"{name}\""))
        .unwrap_or_else(|| panic!("no card for {name}"));
    let end = at + index[at..].find('>').unwrap();
    &index[at..=end]
}

#[test]
fn the_index_shows_installed_versions_update_badges_and_their_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = build_with(SAMPLE, &site);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(
            "tenant acme-prod from tenant/sample-snapshot.json: 7 to upgrade (3 breaking, 1 \
             undeclared), 1 to install, 1 orphaned, 1 up to date; 9 flows to stop; 5 owners to \
             notify.\n"
        ),
        "{stderr}"
    );
    let index = read(&site.join("index.html"));
    assert_eq!(
        card_tag(&index, "acme.ledger"),
        "<li class=\"card\" data-name=\"acme.ledger\" data-category=\"finance\" data-auth=\"pwd\" \
         data-triggers=\"2\" data-installed=\"installed\" data-update=\"breaking\">"
    );
    assert!(card_tag(&index, "acme.utilities")
        .ends_with("data-installed=\"installed\" data-update=\"update\">"));
    assert!(card_tag(&index, "acme.microblog")
        .ends_with("data-installed=\"installed\" data-update=\"up-to-date\">"));
    assert!(card_tag(&index, "community.weatherly")
        .ends_with("data-installed=\"not-installed\" data-update=\"none\">"));
    assert_eq!(
        index
            .matches("<span class=\"badge badge-breaking\">breaking update</span>")
            .count(),
        3
    );
    assert_eq!(
        index
            .matches("<span class=\"badge badge-update\">update available</span>")
            .count(),
        4
    );
    assert!(index.contains("<span class=\"badge badge-installed\">installed v3.1.0</span>"));
    assert!(index.contains("<select id=\"filter-installed\" name=\"installed\">"));
    assert!(index.contains("<select id=\"filter-update\" name=\"update\">"));
    assert!(index.contains("<a href=\"upgrade.html\">Upgrade report</a>"));

    assert_eq!(links::check(&site).unwrap(), vec![]);
}

#[test]
fn a_connector_page_has_its_tenant_status_access_rules_and_flows_by_stage() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    build_with(SAMPLE, &site);
    let page = read(&site.join("connectors/acme.chatter.html"));
    assert!(page.contains("<h2 id=\"on-tenant\">On the acme-prod tenant</h2>"));
    assert!(page.contains("<dt>Installed</dt><dd>1.9.0</dd>"));
    assert!(page.contains(
        "minor upgrade to 1.10.1, breaking although its version says minor; stops 6 running flows."
    ));
    assert!(page.contains("<h2 id=\"access-control\">Access Control</h2>"));
    // The generic rule is called out, and the narrower user rule marked as
    // adding nothing while it stands.
    assert!(page.contains(
        "<tr class=\"generic\"><td><code>user</code> <span class=\"badge badge-breaking\">generic \
         rule</span></td><td><code>*</code></td><td>every user (6 users in the snapshot): every \
         installed connector, new ones included, the moment they are installed</td>"
    ));
    assert!(page.contains("<code>acme.chatter.*</code></td><td>every user (6 users in the snapshot) <span class=\"muted\">(adds nothing while the generic rule stands)</span>"));
    assert!(page.contains(
        "<h2 id=\"flows\">Flows <span class=\"muted\">(6 running, 1 stopped)</span></h2>"
    ));
    assert!(page.contains("<li><strong>Refresh the status message</strong> <code>flow-05</code>, owner dan@example.test"));

    // Without a tenant none of it is there.
    let plain = tmp.path().join("plain");
    let out = run(&[
        "build",
        "connectors",
        "--no-tenant",
        "--out",
        plain.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let page = read(&plain.join("connectors/acme.chatter.html"));
    assert!(!page.contains("Access Control") && !page.contains("upgrade.html"));
    assert!(!plain.join("access.html").exists() && !plain.join("upgrade.html").exists());
}

#[test]
fn the_access_and_upgrade_pages_render_the_rules_and_the_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    build_with(SAMPLE, &site);
    let access = read(&site.join("access.html"));
    assert!(access.contains("<h2 id=\"generic-title\">The generic rule is in place</h2>"));
    assert_eq!(access.matches("<tr class=\"generic\">").count(), 1);
    assert!(access.contains("<td>all 10, and every new one</td>"));
    let upgrade = read(&site.join("upgrade.html"));
    assert!(upgrade.contains(
        "<p><strong>7 to upgrade (3 breaking, 1 undeclared), 1 to install, 1 orphaned, 1 up to \
         date; 9 flows to stop; 5 owners to notify.</strong></p>"
    ));
    for name in [
        "acme.chatter",
        "acme.ledger",
        "acme.faxline",
        "community.weatherly",
    ] {
        assert!(
            upgrade.contains(&format!("<section class=\"plan-item\" id=\"{name}\"")),
            "{name}"
        );
    }
    assert!(
        !upgrade.contains("id=\"acme.microblog\""),
        "up-to-date connectors get no section"
    );
    assert!(upgrade.contains(
        "<code>required-input-added</code> <span class=\"badge badge-breaking\">breaking</span>"
    ));
}

#[test]
fn build_with_no_arguments_uses_the_sample_tenant_and_no_tenant_leaves_it_out() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&root.join("connectors"), &tmp.path().join("connectors"));
    copy_tree(&root.join("tenant"), &tmp.path().join("tenant"));

    let run_in = |args: &[&str]| {
        Command::new(bin())
            .args(args)
            .current_dir(tmp.path())
            .output()
            .unwrap()
    };
    let out = run_in(&["build"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(tmp.path().join("site/upgrade.html").is_file());
    let out = run_in(&["build", "--no-tenant"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!tmp.path().join("site/upgrade.html").exists());
    assert!(tmp.path().join("site/index.html").is_file());
}

#[test]
fn snapshot_text_is_escaped_and_a_bad_snapshot_stops_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    let snapshot = tmp.path().join("hostile.json");
    std::fs::write(
        &snapshot,
        r#"{"format_version": 1,
            "tenant": {"name": "<img src=x onerror=alert(1)>", "captured": "2026-01-01T00:00:00Z"},
            "installed": [{"name": "acme.chatter", "version": "1.0.0"}],
            "flows": [{"flowId": "f<b>", "name": "<script>alert(1)</script>", "userId": "u",
                       "stage": "running", "flow": {"a": {"type": "acme.chatter.messages.SendMessage"}}}],
            "users": [{"id": "u", "email": "<svg onload=alert(1)>@example.test"}],
            "acl": {"components": [{"role": "<iframe>x\" onmouseover=\"alert(1)", "resource": "acme*"}]}}"#,
    )
    .unwrap();
    let site = tmp.path().join("site");
    build_with(snapshot.to_str().unwrap(), &site);
    for page in [
        "index.html",
        "connectors/acme.chatter.html",
        "access.html",
        "upgrade.html",
    ] {
        let html = read(&site.join(page));
        for raw in [
            "<img src=x",
            "<script>alert",
            "<svg onload",
            "<iframe>",
            "<b>",
            "\" onmouseover",
        ] {
            assert!(!html.contains(raw), "{page} holds {raw}");
        }
    }
    let page = read(&site.join("connectors/acme.chatter.html"));
    assert!(page.contains("<strong>&lt;script&gt;alert(1)&lt;&#x2F;script&gt;</strong>"));
    assert_eq!(links::check(&site).unwrap(), vec![]);

    // A snapshot that cannot be read: exit 2, the reason, the old site kept.
    std::fs::write(
        &snapshot,
        r#"{"format_version": 1, "tenant": {"name": "x"}}"#,
    )
    .unwrap();
    let before = support::tree(&site);
    let out = run(&[
        "build",
        "connectors",
        "--tenant",
        snapshot.to_str().unwrap(),
        "--out",
        site.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("hostile.json: $.tenant: missing field `captured`"),
        "{stderr}"
    );
    assert!(
        support::tree(&site) == before,
        "the previous site is untouched"
    );
}

/// Copies the folder `from` to `to`, which must not exist.
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A connector whose zip cannot be made is left out of the site; the
/// tenant pages still name it but link to no page of it, and the upgrade
/// report says why its upgrade cannot be applied from this catalog.
#[test]
fn the_tenant_pages_name_a_connector_left_out_of_the_site_without_linking_it() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("connectors");
    copy_tree(Path::new("connectors"), &repo);
    std::fs::write(repo.join("acme/chatter/x\\evil.js"), "1").unwrap();
    let site = tmp.path().join("site");
    build_repo_with(repo.to_str().unwrap(), SAMPLE, &site);
    assert!(!site.join("connectors/acme.chatter.html").exists());

    let upgrade = read(&site.join("upgrade.html"));
    assert!(
        upgrade.contains(
            "<h2 id=\"h-acme.chatter\">Chatter <span class=\"muted\">1.9.0 → 1.10.1</span></h2>"
        ),
        "{upgrade}"
    );
    assert!(upgrade.contains(
        "<p class=\"notice\">Left out of this catalog, so this upgrade cannot be applied from \
         it: acme&#x2F;chatter&#x2F;x\\evil.js: refused: the name `x\\evil.js` holds a \
         backslash, which unpacks as a folder separator on Windows</p>"
    ));
    assert!(upgrade.contains("<a href=\"connectors/acme.ledger.html\">"));
    let access = read(&site.join("access.html"));
    assert!(!access.contains("connectors/acme.chatter.html"));
    assert_eq!(
        access
            .matches("<li>acme.chatter <span class=\"muted\">(not in this catalog)</span></li>")
            .count(),
        2
    );
    assert_eq!(links::check(&site).unwrap(), vec![]);
}

/// A tenant running a newer version than the catalog's sees the same
/// "tenant is newer" badge on the card and on the connector page.
#[test]
fn a_tenant_ahead_of_the_catalog_is_marked_on_the_card_and_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    let mut snapshot: serde_json::Value = serde_json::from_str(&read(Path::new(SAMPLE))).unwrap();
    let microblog = snapshot["installed"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| i["name"] == "acme.microblog")
        .unwrap();
    microblog["version"] = "9.0.0".into();
    let path = tmp.path().join("ahead.json");
    std::fs::write(&path, snapshot.to_string()).unwrap();
    let site = tmp.path().join("site");
    build_with(path.to_str().unwrap(), &site);

    let index = read(&site.join("index.html"));
    let card = &index[index.find("data-name=\"acme.microblog\"").unwrap()..];
    let card = &card[..card.find("</li>").unwrap()];
    assert!(
        card.contains(
            "<span class=\"badge badge-installed\">installed v9.0.0</span> <span class=\"badge \
         badge-muted\">tenant is newer</span>"
        ),
        "{card}"
    );
    let page = read(&site.join("connectors/acme.microblog.html"));
    assert!(page.contains(
        "<span class=\"badge badge-installed\">installed v9.0.0</span> <span class=\"badge \
         badge-muted\">tenant is newer</span></p>"
    ));
}
