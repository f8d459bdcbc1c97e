//! The catalog website: what `build` writes, that untrusted manifest text
//! arrives escaped or sanitized, that output is deterministic, that every
//! internal link resolves, and that a failed build leaves the old site.

mod support;

use connector_catalog::site::links;
use std::path::Path;
use support::{connector, run, write_all};

/// Builds without a tenant: `connectors` is the sample repository, which
/// would otherwise bring the sample tenant.
fn build(repo: &Path, out: &Path) -> std::process::Output {
    build_with(repo, out, &[])
}

/// `build REPO --out OUT --no-tenant` and `more` arguments.
fn build_with(repo: &Path, out: &Path, more: &[&str]) -> std::process::Output {
    let mut args = vec![
        "build",
        repo.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-tenant",
    ];
    args.extend_from_slice(more);
    run(&args)
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
        "built 63 pages (9 connectors, 52 components), 86 files"
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
    assert_eq!(ta.len(), 87);
    assert!(ta == tb, "two builds of the same input differ");
}

#[test]
fn sitemap_and_canonical_links_come_with_base_url() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let result = build_with(
        Path::new("connectors"),
        &out,
        &["--base-url", "https://catalog.example.test/"],
    );
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
        r#"{"name": "acme.raw.Do", "label": "Do", "icon": "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciPjxjaXJjbGUgcj0iMSIvPjwvc3ZnPg==", "inPorts": ["in"]}"#.into(),
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
        // The summary ends the paragraph with a full stop.
        html.contains(
            "<meta name=\"description\" content=\"x&quot; onmouseover=&quot;alert(1).\">"
        ),
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
    let repo = tmp.path().join("repo");
    let mut files = connector("good", "Good", "fine");
    files.extend(connector("broken", "Broken", "bad"));
    files.push((
        "acme/broken/bundle.json".into(),
        "{\"name\": \"acme.broken\", \"changelog\": {\"1.0.0\": [\"a\" \"b\"]}}".into(),
    ));
    write_all(&repo, &files);
    let out = tmp.path().join("out");
    let result = build(&repo, &out);
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
    let repo = tmp.path().join("repo");
    let mut files = connector("one", "One", "fine");
    write_all(&repo, &files);
    let out = tmp.path().join("out");
    assert_eq!(build(&repo, &out).status.code(), Some(0));
    let before = support::tree(&out);
    files.push((
        "acme/one/bundle.json".into(),
        r#"{"name": "acme.one", "version": "1.0.0", "changelog": {"1.1.0": ["x"]}}"#.into(),
    ));
    write_all(&repo, &files);
    let result = run(&[
        "build",
        repo.to_str().unwrap(),
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
fn of_two_components_whose_pages_differ_only_in_case_the_first_is_published() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let mut files = connector("dup", "Dup", "x");
    files.push((
        "acme/dup/do/component.json".into(),
        r#"{"name": "acme.dup.do", "inPorts": ["in"]}"#.into(),
    ));
    write_all(&repo, &files);
    let out = tmp.path().join("out");
    let result = build(&repo, &out);
    assert_eq!(result.status.code(), Some(0));
    let pages: Vec<String> = std::fs::read_dir(out.join("components"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(pages, ["acme.dup.Do.html"]);
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

/// Writes one connector `acme.<name>` into `repo`.
fn one_connector(repo: &Path, name: &str) {
    write_all(repo, &connector(name, "One", "fine"));
}

fn stderr_of(result: &std::process::Output) -> String {
    String::from_utf8_lossy(&result.stderr)
        .trim_end()
        .to_string()
}

#[test]
fn an_out_folder_holding_the_repository_is_refused_and_the_repository_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let nest = tmp.path().join("nest");
    one_connector(&tmp.path().join("repo"), "one");
    assert_eq!(
        build(&tmp.path().join("repo"), &nest).status.code(),
        Some(0)
    );
    let inner = nest.join("myrepo");
    one_connector(&inner, "one");

    let result = build(&inner, &nest);
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(
        stderr_of(&result),
        format!(
            "error: refusing to build into `{}`: the repository `{}` lies inside it, and \
             replacing the site would delete it; choose an --out folder that holds none of \
             the inputs",
            nest.display(),
            inner.display()
        )
    );
    assert!(inner.join("acme/one/bundle.json").is_file());
}

#[test]
fn templates_or_a_snapshot_inside_the_out_folder_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    std::fs::create_dir_all(out.join("t")).unwrap();
    std::fs::copy("tenant/sample-snapshot.json", out.join("snap.json")).unwrap();
    let spelled = format!("{}/../site/t", out.display());
    for (option, path, what) in [
        ("--templates", spelled.as_str(), "--templates folder"),
        (
            "--tenant",
            out.join("snap.json").to_str().unwrap(),
            "tenant snapshot",
        ),
    ] {
        let result = run(&[
            "build",
            "connectors",
            "--out",
            out.to_str().unwrap(),
            option,
            path,
        ]);
        assert_eq!(result.status.code(), Some(2));
        assert_eq!(
            stderr_of(&result),
            format!(
                "error: refusing to build into `{}`: the {what} `{path}` lies inside it, and \
                 replacing the site would delete it; choose an --out folder that holds none of \
                 the inputs",
                out.display()
            )
        );
    }
    assert!(out.join("snap.json").is_file() && out.join("t").is_dir());
}

#[test]
fn an_out_folder_inside_the_repository_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    one_connector(&repo, "one");
    let out = repo.join("acme/site");
    let result = build(&repo, &out);
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(
        stderr_of(&result),
        format!(
            "error: refusing to build into `{}`: it lies inside the repository `{}`, where each \
             scan would read the sites before it and zips could pack them; choose an --out \
             folder outside the repository",
            out.display(),
            repo.display()
        )
    );
    assert!(!out.exists());
}

#[test]
fn a_base_url_that_is_not_an_absolute_http_url_is_refused_saying_why() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let cases = [
        (
            "javascript:alert(1)",
            "its scheme is `javascript`, not http or https",
        ),
        (
            "data:text/html,x",
            "its scheme is `data`, not http or https",
        ),
        (
            "catalog.example.test",
            "it has no scheme (http:// or https://)",
        ),
        (
            "ftp://catalog.example.test",
            "its scheme is `ftp`, not http or https",
        ),
        ("https://catalog.example.test/?a=1", "it has a query (`?`)"),
        (
            "https://catalog.example.test/#top",
            "it has a fragment (`#`)",
        ),
        (
            "https://user:pw@catalog.example.test/",
            "it holds credentials (`user@`), which would be published",
        ),
        ("https://catalog.example.test/a b", "it holds a space"),
        ("https:///docs", "it has no host"),
        (
            "https://catalog.example.test:99999/",
            "`99999` is not a port",
        ),
    ];
    for (url, why) in cases {
        let result = run(&[
            "build",
            "connectors",
            "--out",
            out.to_str().unwrap(),
            "--base-url",
            url,
        ]);
        assert_eq!(result.status.code(), Some(2), "{url}");
        assert_eq!(
            stderr_of(&result),
            format!(
                "error: invalid --base-url `{url}`: {why}; give the absolute http or https URL \
                 the site is published at, such as https://catalog.example.test/"
            )
        );
    }
    assert!(!out.exists());
    for url in [
        "http://localhost:8080",
        "https://[::1]/catalog/",
        "HTTPS://docs.example.test/a/b",
    ] {
        let result = build_with(Path::new("connectors"), &out, &["--base-url", url]);
        assert_eq!(
            result.status.code(),
            Some(0),
            "{url}: {}",
            stderr_of(&result)
        );
    }
}

#[test]
fn the_404_page_links_absolutely_with_a_base_url_and_relatively_without() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let result = build_with(
        Path::new("connectors"),
        &out,
        &["--base-url", "https://catalog.example.test/docs/"],
    );
    assert_eq!(result.status.code(), Some(0));
    let page = read(&out.join("404.html"));
    let root = "https:&#x2F;&#x2F;catalog.example.test&#x2F;docs&#x2F;";
    assert!(
        page.contains(&format!(
            "<link rel=\"stylesheet\" href=\"{root}assets/style.css\">"
        )),
        "{page}"
    );
    assert!(page.contains(&format!("<a class=\"button\" href=\"{root}index.html\">")));
    // Other pages keep relative links, so the site also works from disk.
    assert!(read(&out.join("index.html"))
        .contains("<link rel=\"stylesheet\" href=\"assets/style.css\">"));

    assert_eq!(build(Path::new("connectors"), &out).status.code(), Some(0));
    let page = read(&out.join("404.html"));
    assert!(page.contains("<link rel=\"stylesheet\" href=\"assets/style.css\">"));
    assert!(page.contains("<a class=\"button\" href=\"index.html\">"));
}

#[test]
fn a_zip_over_the_tenant_limit_is_published_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    one_connector(&repo, "big");
    // Incompressible bytes, stored as they are because of the extension.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let noise: Vec<u8> = (0..11 * 1024 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    std::fs::write(repo.join("acme/big/photo.png"), noise).unwrap();
    let out = tmp.path().join("site");
    let result = build(&repo, &out);
    assert_eq!(result.status.code(), Some(0), "{}", stderr_of(&result));
    let size = std::fs::metadata(out.join("downloads/acme.big.zip"))
        .unwrap()
        .len();
    assert!(size > 10 * 1024 * 1024);
    assert_eq!(
        stderr_of(&result).lines().next().unwrap(),
        format!(
            "warning: {} is {size} bytes; tenants refuse archives over 10 MiB",
            out.join("downloads/acme.big.zip").display()
        )
    );
}

#[test]
fn a_connector_whose_zip_cannot_be_made_is_left_out_and_noted() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    one_connector(&repo, "good");
    one_connector(&repo, "bad");
    std::fs::write(repo.join("acme/bad/x\\..\\..\\evil.js"), "1").unwrap();
    let out = tmp.path().join("site");
    let result = build(&repo, &out);
    assert_eq!(result.status.code(), Some(0), "{}", stderr_of(&result));
    let reason = "acme/bad/x\\..\\..\\evil.js: refused: the name `x\\..\\..\\evil.js` holds a \
                  backslash, which unpacks as a folder separator on Windows";
    assert!(
        stderr_of(&result).contains(&format!(
            "warning: connector `acme/bad` is left out of the site: {reason}"
        )),
        "{}",
        stderr_of(&result)
    );
    let index = read(&out.join("index.html"));
    assert_eq!(index.matches("<li class=\"card\"").count(), 1);
    assert!(index.contains(
        "<li><code>acme&#x2F;bad</code>: acme&#x2F;bad&#x2F;x\\..\\..\\evil.js: refused: the name \
         `x\\..\\..\\evil.js` holds a backslash, which unpacks as a folder separator on Windows</li>"
    ), "{index}");
    assert!(!out.join("connectors/acme.bad.html").exists());
    assert!(!out.join("components/acme.bad.Do.html").exists());
    assert!(!out.join("downloads/acme.bad.zip").exists());
    assert!(out.join("downloads/acme.good.zip").is_file());
    let catalog: serde_json::Value =
        serde_json::from_str(&read(&out.join("catalog.json"))).unwrap();
    assert_eq!(catalog["failed"], serde_json::json!(["acme/bad"]));
    assert_eq!(links::check(&out).unwrap(), vec![]);

    // With --deny-warnings nothing is written.
    let before = support::tree(&out);
    std::fs::remove_file(repo.join("acme/good/Do/component.json")).unwrap();
    let result = run(&[
        "build",
        repo.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--deny-warnings",
    ]);
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(
        stderr_of(&result).lines().last().unwrap(),
        "error: not building because of --deny-warnings; the previous site is left as it was"
    );
    assert!(support::tree(&out) == before, "the previous site changed");
}

#[test]
fn build_connectors_spelled_any_way_uses_the_sample_tenant() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (from, to) in [("connectors", "connectors"), ("tenant", "tenant")] {
        for entry in walkdir::WalkDir::new(root.join(from)) {
            let entry = entry.unwrap();
            let target = tmp
                .path()
                .join(to)
                .join(entry.path().strip_prefix(root.join(from)).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    let absolute = tmp.path().join("connectors");
    for spelling in [
        "connectors",
        "connectors/",
        "./connectors/../connectors",
        absolute.to_str().unwrap(),
    ] {
        let result = std::process::Command::new(support::bin())
            .args(["build", spelling, "--out", "site"])
            .current_dir(tmp.path())
            .output()
            .unwrap();
        assert_eq!(
            result.status.code(),
            Some(0),
            "{spelling}: {}",
            stderr_of(&result)
        );
        assert!(
            stderr_of(&result).starts_with("tenant acme-prod from ./tenant/sample-snapshot.json: "),
            "{spelling}: {}",
            stderr_of(&result)
        );
        assert!(tmp.path().join("site/upgrade.html").is_file(), "{spelling}");
    }
}

#[test]
fn a_failed_build_after_a_killed_one_puts_the_previous_site_back() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert_eq!(build(Path::new("connectors"), &out).status.code(), Some(0));
    let before = support::tree(&out);
    // Killed between the two renames of its swap: no `site`, the previous
    // one moved aside under the pid of a process that has ended.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    std::fs::rename(&out, tmp.path().join(format!(".site.old-{pid}"))).unwrap();
    std::fs::create_dir(tmp.path().join(format!(".site.building-{pid}"))).unwrap();

    let templates = tmp.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("404.html"),
        "{% block main %}{{ missing.x }}{% endblock main %}",
    )
    .unwrap();
    let result = build_with(
        Path::new("connectors"),
        &out,
        &["--templates", templates.to_str().unwrap()],
    );
    assert_eq!(result.status.code(), Some(2), "{}", stderr_of(&result));
    assert!(
        support::tree(&out) == before,
        "the previous site is not back"
    );
    let mut beside: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["site", "templates"]);
}

/// A deployment keeps `current -> releases/7`: building into the link
/// replaces the folder it leads to and leaves the link a link.
#[cfg(unix)]
#[test]
fn an_out_that_is_a_link_stays_a_link_and_the_folder_it_leads_to_gets_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    one_connector(&repo, "one");
    let release = tmp.path().join("releases/7");
    assert_eq!(build(&repo, &release).status.code(), Some(0));
    let current = tmp.path().join("current");
    std::os::unix::fs::symlink("releases/7", &current).unwrap();

    std::fs::remove_dir_all(repo.join("acme/one")).unwrap();
    one_connector(&repo, "two");
    let result = build(&repo, &current);
    assert_eq!(result.status.code(), Some(0), "{}", stderr_of(&result));
    let link = std::fs::symlink_metadata(&current).unwrap();
    assert!(link.file_type().is_symlink());
    assert_eq!(
        std::fs::read_link(&current).unwrap(),
        Path::new("releases/7")
    );
    assert!(release.join("connectors/acme.two.html").is_file());
    assert!(!release.join("connectors/acme.one.html").exists());
    let mut beside: Vec<String> = std::fs::read_dir(tmp.path().join("releases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["7"]);

    let gone = tmp.path().join("gone");
    std::os::unix::fs::symlink(tmp.path().join("nowhere/site"), &gone).unwrap();
    let result = build(&repo, &gone);
    assert_eq!(result.status.code(), Some(2));
    assert_eq!(
        stderr_of(&result),
        format!(
            "error: cannot build into `{}`: it is a link to `{}` that leads nowhere (No such \
             file or directory (os error 2)); create the folder it points to, or give another \
             --out",
            gone.display(),
            tmp.path().join("nowhere/site").display()
        )
    );
    assert!(!tmp.path().join("nowhere").exists());
}

/// A NUL would make every page binary to text tools, and an unclosed
/// right-to-left override reverses the rest of the line it stands in: on a
/// page both show as escapes, in labels and in markdown alike. On stderr a
/// file name cannot recolour the terminal.
#[test]
fn characters_that_would_disrupt_a_page_or_a_terminal_are_shown_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    write_all(
        &repo,
        &connector("one", "abc\u{202e}dcba\0nul", "First\u{202e} line\u{1}."),
    );
    one_connector(&repo, "two");
    std::fs::write(repo.join("acme/two/x\u{1b}[31mRED"), "1").unwrap();
    let out = tmp.path().join("site");
    let result = build(&repo, &out);
    assert_eq!(result.status.code(), Some(0), "{}", stderr_of(&result));

    let page = read(&out.join("connectors/acme.one.html"));
    assert!(
        page.contains("<h1>abc\\u{202e}dcba\\u{0}nul</h1>"),
        "{page}"
    );
    assert!(page.contains("<p>First\\u{202e} line\\u{1}.</p>"), "{page}");
    for file in support::tree(&out) {
        let text = String::from_utf8_lossy(&file.1);
        if file.0.ends_with(".html") {
            assert!(!text.contains(['\0', '\u{1}', '\u{202e}']), "{}", file.0);
        }
    }

    let stderr = stderr_of(&result);
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    assert!(
        stderr.contains(
            "warning: connector `acme/two` is left out of the site: acme/two/x\\u{1b}[31mRED"
        ),
        "{stderr}"
    );
}

/// With no connector to publish nothing is written and the exit code is 1,
/// whatever left them all out; the message says where to look.
#[test]
fn with_no_connector_to_publish_nothing_is_built_and_the_message_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");

    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let result = build(&empty, &out);
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(
        stderr_of(&result),
        format!(
            "error: no connector to publish: no bundle.json found in `{}`",
            empty.display()
        )
    );

    let broken = tmp.path().join("broken");
    one_connector(&broken, "one");
    std::fs::write(
        broken.join("acme/one/bundle.json"),
        "{\"name\": \"acme.one\",",
    )
    .unwrap();
    let result = build(&broken, &out);
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(
        stderr_of(&result),
        format!(
            "error: no connector to publish: all 1 failed the scan; run `connector-catalog check \
             {}` for the reasons",
            broken.display()
        )
    );

    let unpackable = tmp.path().join("unpackable");
    one_connector(&unpackable, "one");
    std::fs::write(unpackable.join("acme/one/a\\b.js"), "1").unwrap();
    let result = build(&unpackable, &out);
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(
        stderr_of(&result).lines().last().unwrap(),
        "error: no connector to publish: every one that passed the scan is left out (see above); \
         the previous site is left as it was"
    );
    assert!(!out.exists());
}

/// Cards and connector pages count components the same way (private
/// helpers apart), cards name their connector, search covers the whole
/// description, and every input or output table says which port it lists.
#[test]
fn cards_pages_and_the_search_index_agree_on_what_a_connector_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let result = build(Path::new("connectors"), &out);
    assert_eq!(result.status.code(), Some(0), "{}", stderr_of(&result));
    let index = read(&out.join("index.html"));
    assert!(index.contains(
        "<span class=\"card-heading\"><span class=\"card-title\">Chatter</span> <code \
         class=\"card-name\">acme.chatter</code></span>"
    ));
    let chatter = &index[index.find("data-name=\"acme.chatter\"").unwrap()..];
    assert!(chatter.contains("<p class=\"card-counts\">3 triggers · 7 actions</p>"));
    let page = read(&out.join("connectors/acme.chatter.html"));
    assert!(page.contains("<h2 id=\"triggers\">Triggers <span class=\"muted\">(3)</span></h2>"));
    assert!(page
        .contains("<h2 id=\"actions\">Actions <span class=\"muted\">(7 + 2 private)</span></h2>"));
    let component = read(&out.join("components/acme.chatter.messages.SendMessage.html"));
    assert!(component.contains("<caption class=\"sr-only\">Fields of input port in</caption>"));
    assert!(component.contains("<caption class=\"sr-only\">Variables of output port out</caption>"));

    let repo = tmp.path().join("repo");
    let long = format!(
        "{} The last word is zebrafinch.",
        "Sends messages. ".repeat(12)
    );
    write_all(&repo, &connector("one", "One", &long));
    let result = build(&repo, &tmp.path().join("long"));
    assert_eq!(result.status.code(), Some(0), "{}", stderr_of(&result));
    let search = read(&tmp.path().join("long/assets/search-index.js"));
    assert!(search.contains("the last word is zebrafinch."), "{search}");
    let index = read(&tmp.path().join("long/index.html"));
    assert!(!index.contains("zebrafinch"));
}

/// A rebuild takes the previous zip of every connector whose files did not
/// change, compresses a changed one again, and never trusts a zip edited
/// since: the site is byte for byte what a fresh build writes.
#[test]
fn a_rebuild_reuses_unchanged_zips_and_writes_what_a_fresh_build_writes() {
    use connector_catalog::site::{self, Options};
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    for name in ["one", "two", "three"] {
        one_connector(&repo, name);
    }
    let out = tmp.path().join("site");
    let build_into = |folder: &Path| {
        let scanned = connector_catalog::scan::scan(&repo).unwrap();
        let opts = Options {
            out: folder.to_path_buf(),
            ..Options::default()
        };
        site::build(&repo, &scanned, &opts).unwrap().zips_reused
    };
    let fresh = |name: &str| {
        let folder = tmp.path().join(name);
        build_into(&folder);
        support::tree(&folder)
    };

    assert_eq!(build_into(&out), 0);
    assert_eq!(build_into(&out), 3);
    assert!(support::tree(&out) == fresh("fresh-1"));

    std::fs::write(
        repo.join("acme/two/Do/component.json"),
        r#"{"name": "acme.two.Do", "label": "Do it now", "inPorts": ["in"], "outPorts": ["out"]}"#,
    )
    .unwrap();
    assert_eq!(build_into(&out), 2);
    assert!(support::tree(&out) == fresh("fresh-2"));

    // Same size, other bytes: only the recorded hash tells.
    let zip = out.join("downloads/acme.one.zip");
    let mut bytes = std::fs::read(&zip).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::remove_file(&zip).unwrap();
    std::fs::write(&zip, &bytes).unwrap();
    assert_eq!(build_into(&out), 2);
    assert!(support::tree(&out) == fresh("fresh-3"));

    // A link where a zip was is never read, even when what it leads to
    // hashes as the index says: it could lead to any file.
    #[cfg(unix)]
    {
        // Moves `path` aside and puts a link to it in its place.
        let link_in_place = |path: &Path, aside: &str| {
            let aside = tmp.path().join(aside);
            std::fs::rename(path, &aside).unwrap();
            std::os::unix::fs::symlink(&aside, path).unwrap();
        };
        link_in_place(&out.join("downloads/acme.three.zip"), "elsewhere.zip");
        assert_eq!(build_into(&out), 2);
        assert!(support::tree(&out) == fresh("fresh-4"));

        // Nor is a linked `downloads` folder, whatever it holds.
        link_in_place(&out.join("downloads"), "downloads-copy");
        assert_eq!(build_into(&out), 0);
        assert!(support::tree(&out) == fresh("fresh-5"));

        // An index that is a FIFO would block the build forever if read.
        let index = out.join(".connector-catalog-zips");
        std::fs::remove_file(&index).unwrap();
        let made = std::process::Command::new("mkfifo").arg(&index).status();
        assert!(made.unwrap().success());
        assert_eq!(build_into(&out), 0);
        assert!(support::tree(&out) == fresh("fresh-6"));
    }
}
