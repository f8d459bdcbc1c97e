//! The catalog website: what `build` writes, that untrusted manifest text
//! arrives escaped or sanitized, that output is deterministic, that every
//! internal link resolves, and that a failed build leaves the old site.

mod support;

use connector_catalog::site::links;
use std::path::Path;
use support::{connector, run, write_all};

fn build(repo: &Path, out: &Path) -> std::process::Output {
    run(&[
        "build",
        repo.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn sample_site_has_a_page_per_connector_and_component() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let result = build(Path::new("connectors"), &out);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&result.stderr)
            .lines()
            .last()
            .unwrap()
            .split(" into ")
            .next()
            .unwrap(),
        "built 63 pages (9 connectors, 52 components), 85 files"
    );
    let connectors = std::fs::read_dir(out.join("connectors")).unwrap().count();
    let components = std::fs::read_dir(out.join("components")).unwrap().count();
    let zips = std::fs::read_dir(out.join("downloads")).unwrap().count();
    assert_eq!((connectors, components, zips), (9, 52, 9));
    let index = read(&out.join("index.html"));
    assert_eq!(index.matches("<li class=\"card\"").count(), 9);
    assert!(out.join("404.html").is_file());
    assert!(
        !out.join("sitemap.xml").exists(),
        "a sitemap needs --base-url"
    );
}

#[test]
fn every_internal_link_of_the_sample_site_resolves() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert_eq!(build(Path::new("connectors"), &out).status.code(), Some(0));
    assert_eq!(links::check(&out).unwrap(), vec![]);
}

#[test]
fn every_internal_link_of_the_corpus_site_resolves() {
    let Some(corpus) = support::corpus() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let result = build(&corpus, &out);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert_eq!(
        std::fs::read_dir(out.join("connectors")).unwrap().count(),
        155
    );
    assert_eq!(
        std::fs::read_dir(out.join("components")).unwrap().count(),
        1319
    );
    assert_eq!(links::check(&out).unwrap(), vec![]);
}

#[test]
fn the_same_input_builds_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(build(Path::new("connectors"), &a).status.code(), Some(0));
    assert_eq!(build(Path::new("connectors"), &b).status.code(), Some(0));
    let (ta, tb) = (support::tree(&a), support::tree(&b));
    assert_eq!(ta.len(), 86);
    assert!(ta == tb, "two builds of the same input differ");
}

#[test]
fn sitemap_and_canonical_links_come_with_base_url() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let result = run(&[
        "build",
        "connectors",
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        "https://catalog.example.test/",
    ]);
    assert_eq!(result.status.code(), Some(0));
    let sitemap = read(&out.join("sitemap.xml"));
    assert_eq!(sitemap.matches("<url>").count(), 62, "every page but 404");
    assert!(
        sitemap.contains("<loc>https://catalog.example.test/connectors/acme.chatter.html</loc>")
    );
    let page = read(&out.join("connectors/acme.chatter.html"));
    assert!(page.contains("<link rel=\"canonical\" href=\"https:&#x2F;&#x2F;catalog.example.test&#x2F;connectors&#x2F;acme.chatter.html\">"));
}

/// A repository whose manifests try every injection the site must stop.
fn hostile_repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = connector(
        "evil",
        "<img src=x onerror=alert(1)>",
        "x\" onmouseover=\"alert(1)",
    );
    files.extend(connector(
        "raw",
        "Raw",
        "<p>Intro</p><script>alert(1)</script><iframe src=\"https://e.test\"></iframe><b onclick=\"alert(1)\">bold</b><label><p>unclosed",
    ));
    files.extend(connector("tasks", "Tasks", "- [x]\t\t\n\\\n-"));
    files.extend(connector("stars", "Stars", &format!("/{}", "*".repeat(32))));
    files.push((
        "acme/raw/bundle.json".into(),
        r#"{"name": "acme.raw", "version": "1.0.0", "changelog": {"1.0.0": ["See [docs](javascript:alert(1)) and [home](https://example.test)"]}}"#.into(),
    ));
    files.push((
        "acme/evil/Do/component.json".into(),
        r#"{"name": "acme.evil.Do", "label": "<script>alert(2)</script>", "icon": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "inPorts": ["in"], "outPorts": ["out"]}"#.into(),
    ));
    files.push((
        "acme/raw/Do/component.json".into(),
        r#"{"name": "acme.raw.Do", "label": "Do", "icon": "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9hZD0iYWxlcnQoMSkiLz4=", "inPorts": ["in"]}"#.into(),
    ));
    write_all(tmp.path(), &files);
    tmp
}

fn hostile_site() -> (tempfile::TempDir, tempfile::TempDir) {
    let repo = hostile_repo();
    let out = tempfile::tempdir().unwrap();
    let result = build(repo.path(), &out.path().join("site"));
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    (repo, out)
}

#[test]
fn a_label_with_markup_is_escaped_wherever_it_shows() {
    let (_repo, out) = hostile_site();
    let site = out.path().join("site");
    for page in [
        "index.html",
        "connectors/acme.evil.html",
        "components/acme.evil.Do.html",
    ] {
        let html = read(&site.join(page));
        assert!(!html.contains("<img src=x"), "{page} has the raw label");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{page} lacks the escaped label"
        );
    }
    let component = read(&site.join("components/acme.evil.Do.html"));
    assert!(!component.contains("<script>alert(2)"));
    assert!(component.contains("<h1>&lt;script&gt;alert(2)&lt;&#x2F;script&gt;</h1>"));
}

#[test]
fn a_description_inside_an_attribute_stays_inside_it() {
    let (_repo, out) = hostile_site();
    let html = read(&out.path().join("site/connectors/acme.evil.html"));
    assert!(
        html.contains("<meta name=\"description\" content=\"x&quot; onmouseover=&quot;alert(1)\">"),
        "{html}"
    );
    for page in ["index.html", "connectors/acme.evil.html"] {
        let html = read(&out.path().join("site").join(page));
        assert_eq!(
            tags_with_attribute(&html, "onmouseover"),
            Vec::<String>::new(),
            "{page}"
        );
    }
    // In element text the quote is harmless and stays as written.
    assert!(html.contains("<p>x\" onmouseover=\"alert(1)</p>"));
}

/// Tags (`<...>`) that carry the attribute `name`: what an injection that
/// escaped its attribute would produce.
fn tags_with_attribute(html: &str, name: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open..open + close + 1];
        let mut in_quote = None;
        let mut attrs = String::new();
        for c in tag.chars() {
            match (in_quote, c) {
                (None, '"' | '\'') => in_quote = Some(c),
                (Some(q), c) if c == q => in_quote = None,
                (None, c) => attrs.push(c),
                _ => {}
            }
        }
        if attrs
            .split_whitespace()
            .any(|a| a.starts_with(&format!("{name}=")))
        {
            found.push(tag.to_string());
        }
        rest = &rest[open + close + 1..];
    }
    found
}

#[test]
fn a_javascript_link_in_a_changelog_is_not_a_link() {
    let (_repo, out) = hostile_site();
    let site = out.path().join("site");
    for (path, bytes) in support::tree(&site) {
        if path.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap().to_lowercase();
            assert!(
                !html.contains("javascript:"),
                "{path} carries a javascript: URL"
            );
        }
    }
    let html = read(&site.join("connectors/acme.raw.html"));
    assert!(html.contains(
        "See <a rel=\"noopener noreferrer nofollow\">docs</a> and <a href=\"https://example.test\" rel=\"noopener noreferrer nofollow\">home</a>"
    ));
}

#[test]
fn raw_html_in_a_description_is_sanitized_and_the_page_stays_whole() {
    let (_repo, out) = hostile_site();
    let html = read(&out.path().join("site/connectors/acme.raw.html"));
    assert!(html.contains(
        "<section class=\"prose\" aria-label=\"Description\"><p>Intro</p><b>bold</b><p>unclosed</p></section>"
    ), "{html}");
    for bad in ["<script>", "<iframe", "onclick"] {
        assert!(!html.contains(bad), "{bad} survived");
    }
    assert!(html.contains("<h2 id=\"changelog\">Changelog</h2>"));
    assert!(html.trim_end().ends_with("</html>"));
}

#[test]
fn markdown_that_once_crashed_renderers_does_not_take_the_build_down() {
    let (_repo, out) = hostile_site();
    let site = out.path().join("site");
    assert!(read(&site.join("connectors/acme.tasks.html"))
        .contains("<section class=\"prose\" aria-label=\"Description\"><ul>"));
    assert!(read(&site.join("connectors/acme.stars.html"))
        .contains(&format!("<p>/{}</p>", "*".repeat(32))));
}

#[test]
fn icons_that_are_not_images_are_dropped_and_svg_is_never_inlined() {
    let (_repo, out) = hostile_site();
    let site = out.path().join("site");
    let evil = read(&site.join("components/acme.evil.Do.html"));
    assert!(
        !evil.contains("<img class=\"icon"),
        "a text/html icon was kept"
    );
    let icons: Vec<String> = std::fs::read_dir(site.join("icons"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(icons.len(), 1);
    assert!(icons[0].ends_with(".svg"));
    let raw = read(&site.join("components/acme.raw.Do.html"));
    assert!(raw.contains(&format!(
        "<img class=\"icon icon-lg\" src=\"..&#x2F;icons&#x2F;{}\"",
        icons[0]
    )));
    for (path, bytes) in support::tree(&site) {
        if path.ends_with(".html") {
            assert!(
                !String::from_utf8(bytes).unwrap().contains("<svg"),
                "{path} inlines an SVG"
            );
        }
    }
}

#[test]
fn a_failed_connector_is_left_out_and_noted_on_the_index() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = connector("good", "Good", "fine");
    files.extend(connector("broken", "Broken", "bad"));
    files.push((
        "acme/broken/bundle.json".into(),
        "{\"name\": \"acme.broken\", \"changelog\": {\"1.0.0\": [\"a\" \"b\"]}}".into(),
    ));
    write_all(tmp.path(), &files);
    let out = tmp.path().join("out");
    let result = build(tmp.path(), &out);
    assert_eq!(result.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&result.stderr)
        .contains("warning: connector `acme/broken` failed the scan and is left out of the site"));
    let index = read(&out.join("index.html"));
    assert_eq!(index.matches("<li class=\"card\"").count(), 1);
    assert!(index.contains("<li><code>acme&#x2F;broken</code>: acme&#x2F;broken&#x2F;bundle.json:1:53: expected `,` or `]` after an array element, found `&quot;` (a comma is missing between two elements)</li>"), "{index}");
    assert!(!out.join("connectors/acme.broken.html").exists());
}

#[test]
fn deny_warnings_refuses_to_build_and_keeps_the_previous_site() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = connector("one", "One", "fine");
    write_all(tmp.path(), &files);
    let out = tmp.path().join("out");
    assert_eq!(build(tmp.path(), &out).status.code(), Some(0));
    let before = support::tree(&out);
    files.push((
        "acme/one/bundle.json".into(),
        r#"{"name": "acme.one", "version": "1.0.0", "changelog": {"1.1.0": ["x"]}}"#.into(),
    ));
    write_all(tmp.path(), &files);
    let result = run(&[
        "build",
        tmp.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--deny-warnings",
    ]);
    assert_eq!(result.status.code(), Some(1));
    assert!(support::tree(&out) == before, "the previous site changed");
}

#[test]
fn no_connector_at_all_fails_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("empty")).unwrap();
    let result = build(&tmp.path().join("empty"), &tmp.path().join("out"));
    assert_eq!(result.status.code(), Some(1));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn two_components_whose_pages_differ_only_in_case_fail_the_build_naming_both() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = connector("dup", "Dup", "x");
    files.push((
        "acme/dup/do/component.json".into(),
        r#"{"name": "acme.dup.do", "inPorts": ["in"]}"#.into(),
    ));
    write_all(tmp.path(), &files);
    let out = tmp.path().join("out");
    let result = build(tmp.path(), &out);
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&result.stderr).trim_end().lines().last().unwrap(),
        "error: two sources map to one output path `components/acme.dup.do.html`: acme/dup/Do and acme/dup/do"
    );
    assert!(!out.exists(), "nothing is written when the build fails");
}

#[test]
fn template_overrides_replace_the_built_in_ones() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("404.html"), "{% extends \"base.html\" %}{% block main %}<h1>Lost: {{ page.cards | length }}</h1>{% endblock main %}").unwrap();
    let out = tmp.path().join("site");
    let result = run(&[
        "build",
        "connectors",
        "--out",
        out.to_str().unwrap(),
        "--templates",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(read(&out.join("404.html")).contains("<h1>Lost: 9</h1>"));
}

#[test]
fn catalog_json_lists_every_connector_and_component_in_its_documented_shape() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert_eq!(build(Path::new("connectors"), &out).status.code(), Some(0));
    let catalog: serde_json::Value =
        serde_json::from_str(&read(&out.join("catalog.json"))).unwrap();
    assert_eq!(catalog["format_version"], 1);
    assert_eq!(catalog["failed"], serde_json::json!([]));
    let connectors = catalog["connectors"].as_array().unwrap();
    assert_eq!(connectors.len(), 9);
    let components: usize = connectors
        .iter()
        .map(|c| c["components"].as_array().unwrap().len())
        .sum();
    assert_eq!(components, 52);

    let tasker = connectors
        .iter()
        .find(|c| c["name"] == "acme.tasker")
        .unwrap();
    let mut head = tasker.clone();
    head.as_object_mut().unwrap().remove("components");
    assert_eq!(
        head,
        serde_json::json!({
            "name": "acme.tasker", "label": "Tasker", "category": "productivity",
            "description": "Task lists for small teams.", "version": "1.1.0", "engine": ">=6.0",
            "auth_type": "apiKey", "auth_service": "acme:tasker",
            "scopes": ["projects:read", "tasks:read", "tasks:write", "webhooks:write"],
            "path": "acme/tasker", "url": "connectors/acme.tasker.html",
            "download": "downloads/acme.tasker.zip",
            "changelog": [
                {"version": "1.1.0", "entries": [{"text": "TaskCompleted webhook trigger.", "breaking": false}]},
                {"version": "1.0.0", "entries": [{"text": "Initial release.", "breaking": false}]}
            ]
        })
    );
    assert_eq!(
        tasker["components"][2],
        serde_json::json!({
            "name": "acme.tasker.projects.TaskCompleted", "label": "Task Completed",
            "description": "", "kind": "webhook-trigger", "private": false, "deprecated": false,
            "version": null, "url": "components/acme.tasker.projects.TaskCompleted.html",
            "auth": {"service": "acme:tasker", "scopes": ["tasks:read", "webhooks:write"], "type": "apiKey"},
            "quota": [],
            "inputs": [{"port": "properties", "dynamic": false,
                        "fields": [{"name": "projectId", "label": "Project", "type": "string", "required": false}]}],
            "outputs": [{"port": "out", "dynamic": false, "variables": ["id", "completedBy", "completedAt"]}]
        })
    );
    // The unversioned changelog is one release without a version.
    let notebook = connectors
        .iter()
        .find(|c| c["name"] == "acme.notebook")
        .unwrap();
    assert_eq!(notebook["changelog"].as_array().unwrap().len(), 1);
    assert_eq!(notebook["changelog"][0]["version"], serde_json::Value::Null);
}
