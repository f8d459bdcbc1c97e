//! The catalog in a real browser. The sample site is built, served by a
//! small static server on 127.0.0.1, and walked by `tests/browser/e2e.mjs`
//! in Debian's Chromium; the script reports what it saw as JSON and this
//! file holds the values that are right for the sample repository.
//!
//! The walk needs node, Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`)
//! and `npm ci` run in `tests/browser`. Without them the test says what is
//! missing and passes, except when `CI` is set: there it fails, so the
//! browser check cannot drop out of CI unnoticed. Screenshots are kept in
//! `target/browser-screenshots/` for people to look at.

mod support;

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

/// A static file server for one folder, on a free loopback port, for as
/// long as the value lives.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                // One thread per connection: Chromium opens several at once
                // and may hold one open without sending anything.
                std::thread::spawn(move || {
                    let _ = serve(&root, stream);
                });
            }
        });
        Server {
            addr,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one request and closes the connection.
fn serve(root: &Path, stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (status, content_type, body) = if method != "GET" && method != "HEAD" {
        (
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"".to_vec(),
        )
    } else {
        match site_file(root, target).and_then(|p| std::fs::read(&p).ok().map(|b| (p, b))) {
            Some((path, bytes)) => ("200 OK", content_type(&path), bytes),
            None => (
                "404 Not Found",
                "text/html; charset=utf-8",
                std::fs::read(root.join("404.html")).unwrap_or_default(),
            ),
        }
    };
    let mut out = stream;
    // `nosniff` makes Chromium refuse a script or style sheet served with
    // the wrong type, so a wrong type here fails the walk.
    write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        out.write_all(&body)?;
    }
    out.flush()
}

/// The file a request target names under `root`, or `None` for anything
/// that is not a plain file of the site: a path leaving the root, a hidden
/// file (the site's marker), a folder.
fn site_file(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?.strip_prefix('/')?;
    let path = if path.is_empty() { "index.html" } else { path };
    let mut file = root.to_path_buf();
    for part in percent_decode(path)?.split('/') {
        if part.is_empty() || part.starts_with('.') || part.contains('\\') {
            return None;
        }
        file.push(part);
    }
    file.is_file().then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "gif" => "image/gif",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "zip" => "application/zip",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Builds the sample site into `out`. No tenant: the walk checks the plain
/// catalog.
fn build_sample(out: &Path) {
    let connectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("connectors");
    build(&connectors, out, &["--no-tenant"]);
}

/// `build REPO --out OUT` with `more` arguments, which must succeed.
fn build(repo: &Path, out: &Path, more: &[&str]) {
    let mut args = vec![
        "build",
        repo.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(more);
    let result = support::run(&args);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// One plain HTTP/1.1 request; the status line, the `Content-Type` and
/// the body.
fn get(server: &Server, target: &str) -> (String, String, Vec<u8>) {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a blank line after the headers");
    let head = String::from_utf8(response[..split].to_vec()).unwrap();
    let status = head.lines().next().unwrap().to_string();
    let content_type = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Type: "))
        .unwrap_or("")
        .to_string();
    (status, content_type, response[split + 4..].to_vec())
}

#[test]
fn the_test_server_serves_site_files_with_their_types_and_a_404_page() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    build_sample(&site);
    let server = Server::start(&site);

    let (status, kind, body) = get(&server, "/");
    assert_eq!(
        (status.as_str(), kind.as_str()),
        ("HTTP/1.1 200 OK", "text/html; charset=utf-8")
    );
    assert_eq!(body, std::fs::read(site.join("index.html")).unwrap());
    for (target, expected) in [
        ("/index.html?q=archive", "text/html; charset=utf-8"),
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/assets/catalog.js", "text/javascript; charset=utf-8"),
        ("/catalog.json", "application/json"),
        ("/downloads/acme.chatter.zip", "application/zip"),
    ] {
        let (status, kind, _) = get(&server, target);
        assert_eq!(
            (status.as_str(), kind.as_str()),
            ("HTTP/1.1 200 OK", expected),
            "{target}"
        );
    }
    let not_found = std::fs::read(site.join("404.html")).unwrap();
    for target in [
        "/no-such-page.html",
        "/.connector-catalog-site",
        "/../Cargo.toml",
        "/connectors/%2e%2e/index.html",
        "/connectors",
    ] {
        let (status, kind, body) = get(&server, target);
        assert_eq!(
            (status.as_str(), kind.as_str(), body == not_found),
            ("HTTP/1.1 404 Not Found", "text/html; charset=utf-8", true),
            "{target}"
        );
    }
}

/// Where node, Chromium and the driver are, or `None` (after saying why)
/// when one is missing outside CI.
fn browser_tools() -> Option<(PathBuf, PathBuf)> {
    let browser_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var_os("CHROMIUM_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let mut missing = Vec::new();
    let node_runs = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_runs {
        missing.push("node is not on PATH".to_string());
    }
    if !chromium.is_file() {
        missing.push(format!(
            "no Chromium at {} (install Debian's chromium or set CHROMIUM_PATH)",
            chromium.display()
        ));
    }
    if !browser_dir
        .join("node_modules/playwright-core/package.json")
        .is_file()
    {
        missing.push(format!(
            "playwright-core is not installed (run `npm ci` in {})",
            browser_dir.display()
        ));
    }
    if missing.is_empty() {
        return Some((browser_dir.join("e2e.mjs"), chromium));
    }
    let message = format!("the browser test cannot run: {}", missing.join("; "));
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        panic!("{message}");
    }
    eprintln!("skipped: {message}");
    None
}

#[test]
fn the_index_searches_filters_and_leads_to_connector_and_component_pages() {
    let Some((script, chromium)) = browser_tools() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    build_sample(&site);
    let server = Server::start(&site);
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
    if shots.exists() {
        std::fs::remove_dir_all(&shots).unwrap();
    }

    let output = Command::new("node")
        .arg(&script)
        .arg(server.url())
        .arg(&shots)
        .env("CHROMIUM_PATH", &chromium)
        .output()
        .expect("run node");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "e2e.mjs printed no report ({e}); stdout: {}; stderr: {stderr}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    assert_eq!(output.status.code(), Some(0), "{stderr}\n{report:#}");
    drop(server);

    let all = [
        "acme.chatter",
        "acme.cloudsuite.drive",
        "acme.cloudsuite.mail",
        "acme.ledger",
        "acme.microblog",
        "acme.notebook",
        "acme.tasker",
        "acme.utilities",
        "community.weatherly",
    ];
    // The walk's inputs, so a change in the script shows here first.
    assert_eq!(
        report["inputs"],
        json!({
            "query": "archive",
            "auth": "oauth2",
            "category": "communication",
            "missing_page": "no-such-page.html",
            "folded_query": "Comm\u{fa}nity\u{2013}maintained",
            "phone_pages": [
                "index.html",
                "connectors/acme.cloudsuite.mail.html",
                "components/acme.cloudsuite.mail.SendEmail.html"
            ],
        })
    );
    assert_eq!(
        report["index"],
        json!({
            "title": "Connector catalog",
            "h1": "Connectors",
            "form_visible": true,
            "all_names": all,
            "count": "9 connectors",
            "query": "",
        })
    );

    // "archive" is in no description: only ArchiveChannel (chatter) and
    // ArchiveEmail (cloudsuite.mail) match it, through their names.
    let searched = json!({
        "count": "2 of 9 connectors",
        "visible": ["acme.chatter", "acme.cloudsuite.mail"],
        "query": "?q=archive",
        "controls": {"q": "archive", "category": "", "auth": "", "triggers": false},
        "no_results_visible": false,
    });
    assert_eq!(report["search"], searched);
    let mut reloaded = searched.clone();
    reloaded["url"] = json!(format!(
        "{}index.html?q=archive",
        report["base"].as_str().unwrap()
    ));
    assert_eq!(report["search_reload"], reloaded);

    // oauth2 alone keeps chatter and both CloudSuite modules; the
    // communication category then drops the drive.
    assert_eq!(
        report["auth"],
        json!({
            "count": "3 of 9 connectors",
            "visible": ["acme.chatter", "acme.cloudsuite.drive", "acme.cloudsuite.mail"],
            "query": "?auth=oauth2",
            "controls": {"q": "", "category": "", "auth": "oauth2", "triggers": false},
            "no_results_visible": false,
        })
    );
    let filtered = json!({
        "count": "2 of 9 connectors",
        "visible": ["acme.chatter", "acme.cloudsuite.mail"],
        "query": "?category=communication&auth=oauth2",
        "controls": {"q": "", "category": "communication", "auth": "oauth2", "triggers": false},
        "no_results_visible": false,
    });
    assert_eq!(report["auth_category"], filtered);
    let mut reloaded = filtered.clone();
    reloaded["url"] = json!(format!(
        "{}index.html?category=communication&auth=oauth2",
        report["base"].as_str().unwrap()
    ));
    assert_eq!(report["filter_reload"], reloaded);

    assert_eq!(report["empty"]["count"], "0 of 9 connectors");
    assert_eq!(report["empty"]["visible"], json!([]));
    assert_eq!(report["empty"]["no_results_visible"], true);
    // "Commúnity–maintained" finds Weatherly's "Community-maintained".
    assert_eq!(report["folded"]["visible"], json!(["community.weatherly"]));
    assert_eq!(report["reset"]["visible"], json!(all));
    assert_eq!(report["reset"]["query"], "");

    // At 375 pixels no page scrolls sideways.
    assert_eq!(
        report["phone_widths"],
        json!({
            "index.html": 375,
            "connectors/acme.cloudsuite.mail.html": 375,
            "components/acme.cloudsuite.mail.SendEmail.html": 375
        })
    );
    // Without JavaScript: every card, and no search form that would do
    // nothing.
    assert_eq!(
        report["no_script"],
        json!({"form_visible": false, "visible_cards": 9})
    );

    assert_eq!(
        report["missing"],
        json!({"status": 404, "title": "Not found · Connector catalog", "h1": "Page not found"})
    );

    assert_eq!(report["connector"]["clicked_card"], "acme.chatter");
    assert_eq!(report["connector"]["path"], "/connectors/acme.chatter.html");
    assert_eq!(report["connector"]["title"], "Chatter · Connector catalog");
    assert_eq!(report["connector"]["h1"], "Chatter");
    assert_eq!(
        report["connector"]["download"],
        "../downloads/acme.chatter.zip"
    );
    assert_eq!(
        report["component"]["path"],
        "/components/acme.chatter.channels.ArchiveChannel.html"
    );
    assert_eq!(
        report["component"]["title"],
        "Archive Channel · Chatter · Connector catalog"
    );
    assert_eq!(report["component"]["h1"], "Archive Channel");
    assert_eq!(
        report["component"]["breadcrumbs"],
        json!(["Connectors", "Chatter", "Archive Channel"])
    );
    assert_eq!(
        report["component"]["input_rows"],
        json!([[
            "channelId",
            "Channel",
            "string (select)",
            "yes",
            "",
            "loaded at run time",
            ""
        ]])
    );

    let names: Vec<String> = [
        "index.png",
        "index-dark.png",
        "connector.png",
        "component.png",
    ]
    .iter()
    .map(|n| shots.join(n).display().to_string())
    .collect();
    assert_eq!(report["screenshots"], json!(names));
    for name in &names {
        let bytes = std::fs::read(name).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{name}");
    }
}

#[test]
fn with_a_tenant_the_installation_and_update_filters_keep_the_cards_they_name() {
    let Some((script, chromium)) = browser_tools() else {
        return;
    };
    let script = script.with_file_name("tenant.mjs");
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let snapshot = root.join("tenant/sample-snapshot.json");
    build(
        &root.join("connectors"),
        &site,
        &["--tenant", snapshot.to_str().unwrap()],
    );
    let server = Server::start(&site);
    // Its own folder: the other walk empties `target/browser-screenshots`
    // when it starts, and the two run at the same time.
    let shots = root.join("target/browser-screenshots-tenant");
    let output = Command::new("node")
        .arg(&script)
        .arg(server.url())
        .arg(&shots)
        .env("CHROMIUM_PATH", &chromium)
        .output()
        .expect("run node");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("tenant.mjs printed no report ({e}); stderr: {stderr}"));
    assert_eq!(output.status.code(), Some(0), "{stderr}\n{report:#}");
    drop(server);

    // The sample tenant: chatter (undeclared), ledger and notebook break.
    let breaking = json!(["acme.chatter", "acme.ledger", "acme.notebook"]);
    assert_eq!(report["breaking"]["visible"], breaking);
    assert_eq!(report["breaking"]["count"], "3 of 9 connectors");
    assert_eq!(report["breaking"]["query"], "?update=breaking");
    assert_eq!(report["breaking_reload"]["visible"], breaking);
    assert_eq!(report["breaking_reload"]["update"], "breaking");
    assert_eq!(
        report["not_installed"]["visible"],
        json!(["community.weatherly"])
    );
    assert_eq!(report["not_installed"]["query"], "?installed=not-installed");
    assert_eq!(report["upgrade"]["h1"], "Upgrade report for acme-prod");
    assert_eq!(
        report["upgrade"]["sections"],
        json!([
            "acme.chatter",
            "acme.cloudsuite.drive",
            "acme.cloudsuite.mail",
            "acme.faxline",
            "acme.ledger",
            "acme.notebook",
            "acme.tasker",
            "acme.utilities",
            "community.weatherly"
        ])
    );
    assert_eq!(report["access"]["h1"], "Access control on acme-prod");
    assert_eq!(report["access"]["generic_rows"], 1);
    assert_eq!(
        report["screenshots"],
        json!(["tenant-index.png", "tenant-upgrade.png"])
    );
    assert_eq!(
        report["phone_widths"],
        json!({"access.html": 375, "upgrade.html": 375, "connectors/acme.chatter.html": 375})
    );
}

/// Every connector page of the real corpus, and every fifth component
/// page, fits a phone's 375 pixels: its long OAuth scope URLs, unbroken
/// component names and links in descriptions wrap instead of widening the
/// page.
#[test]
fn the_corpus_pages_fit_a_phone() {
    let Some((script, chromium)) = browser_tools() else {
        return;
    };
    let Some(corpus) = support::corpus() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    build(&corpus, &site, &["--no-tenant"]);
    let listed = |folder: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(site.join(folder))
            .unwrap()
            .map(|e| format!("{folder}/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        names.sort();
        names
    };
    let mut pages = vec!["index.html".to_string()];
    pages.extend(listed("connectors"));
    pages.extend(listed("components").into_iter().step_by(5));
    assert_eq!(pages.len(), 1 + 155 + 264);

    let server = Server::start(&site);
    let output = Command::new("node")
        .arg(script.with_file_name("widths.mjs"))
        .arg(server.url())
        .args(&pages)
        .env("CHROMIUM_PATH", &chromium)
        .output()
        .expect("run node");
    drop(server);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("widths.mjs printed no report ({e}); stderr: {stderr}"));
    let widths: BTreeMap<String, u64> = serde_json::from_value(report["widths"].clone())
        .unwrap_or_else(|e| panic!("no widths in the report ({e}): {report:#}"));
    let wide: Vec<(&String, &u64)> = widths.iter().filter(|(_, w)| **w != 375).collect();
    assert_eq!(widths.len(), pages.len());
    assert_eq!(wide, Vec::<(&String, &u64)>::new());
}
