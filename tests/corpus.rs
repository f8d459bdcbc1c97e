//! `check` against the real Appmixer connectors repository.
//!
//! The corpus is not part of this project; it is read from
//! `../shared/corpus/appmixer-connectors` beside the crate. Without it these
//! tests print why and pass, except under CI (the `CI` variable is set),
//! where a missing corpus is a broken setup and fails them.
//!
//! Every place asserted here was checked by hand in the corpus file it
//! names: the line is the one holding the key, the column that of its first
//! character (the indentation plus one). The counts agree with
//! `FORMAT.md` (155 connectors, 1,319 components, 16 unversioned changelogs,
//! four component names that differ from their path).

use connector_catalog::scan::{scan, Repository};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_connector-catalog");

/// The corpus folder, or `None` (with a note on stderr) when it is absent
/// outside CI.
fn corpus() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/appmixer-connectors");
    if path.is_dir() {
        return Some(path);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "the real corpus is missing at {} and CI is set; these tests must run in CI",
            path.display()
        );
    }
    eprintln!(
        "skipped: the real corpus is not at {} (../shared is absent)",
        path.display()
    );
    None
}

/// Runs `check <corpus> <extra...>` with `envs` added; the exit code and
/// stdout.
fn check(corpus: &Path, extra: &[&str], envs: &[(&str, &str)]) -> (i32, String) {
    let out = Command::new(BIN)
        .arg("check")
        .arg(corpus)
        .args(extra)
        .envs(envs.iter().copied())
        .output()
        .expect("the binary runs");
    assert!(
        out.stderr.is_empty(),
        "check wrote to stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code().expect("the binary exits, not killed"),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
    )
}

fn check_json(corpus: &Path) -> (i32, Value) {
    let (code, stdout) = check(corpus, &["--format", "json"], &[]);
    (
        code,
        serde_json::from_str(&stdout).expect("the report is JSON"),
    )
}

/// One diagnostic as the JSON report writes it.
fn diagnostic(path: &str, line: u32, column: u32, code: &str, message: &str) -> Value {
    json!({
        "path": path,
        "line": line,
        "column": column,
        "severity": "warning",
        "code": code,
        "message": message,
    })
}

/// The report's diagnostics with the given code.
fn with_code<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics is a list")
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

#[test]
fn json_report_counts_the_whole_corpus() {
    let Some(corpus) = corpus() else { return };
    let (code, report) = check_json(&corpus);

    assert_eq!(code, 0);
    assert_eq!(report["connectors"], 155);
    assert_eq!(report["components"], 1319);
    assert_eq!(report["failed"], json!([]));
    assert_eq!(
        report["auth_types"],
        json!({"apiKey": 70, "none": 31, "oauth": 2, "oauth2": 51, "pwd": 1})
    );
    assert_eq!(
        report["summary"],
        json!({"errors": 0, "warnings": 19, "infos": 16})
    );
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 35);
}

#[test]
fn json_report_counts_each_code() {
    let Some(corpus) = corpus() else { return };
    let (_, report) = check_json(&corpus);

    let mut counts = std::collections::BTreeMap::new();
    for d in report["diagnostics"].as_array().unwrap() {
        *counts
            .entry(d["code"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    let expected: std::collections::BTreeMap<String, i32> = [
        ("auth-unresolved", 1),
        ("breaking-not-major", 2),
        ("changelog-unversioned", 16),
        ("component-name-mismatch", 4),
        ("duplicate-key", 6),
        ("icon-rejected", 5),
        ("version-behind-changelog", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(counts, expected);
}

#[test]
fn version_behind_changelog_in_wordpress() {
    let Some(corpus) = corpus() else { return };
    let (_, report) = check_json(&corpus);
    // Line 3 is `    "version": "1.0.1",`; the changelog also holds 1.1.0.
    assert_eq!(
        with_code(&report, "version-behind-changelog"),
        [&diagnostic(
            "appmixer/wordpress/bundle.json",
            3,
            16,
            "version-behind-changelog",
            "version 1.0.1 is lower than the newest changelog entry 1.1.0; bump `version` \
             or fix the changelog",
        )]
    );
}

#[test]
fn an_icon_whose_base64_does_not_decode_is_reported_where_it_is() {
    let Some(corpus) = corpus() else { return };
    let (_, report) = check_json(&corpus);
    // leadspicker's icons are WebP images labelled PNG (their data starts
    // `RIFF....WEBP`); nexl's CreateTask icon holds `..` at character
    // 39,024 of its data.
    let webp = |path: &str, line: u32| {
        diagnostic(
            path,
            line,
            13,
            "icon-rejected",
            "icon `data:image/png;base64,UklGRjIeAABXRUJQVl` is declared image/png but its \
             bytes are not a PNG, JPEG or GIF image; it was dropped",
        )
    };
    let rejected: Vec<Value> = with_code(&report, "icon-rejected")
        .into_iter()
        .cloned()
        .collect();
    assert_eq!(
        rejected,
        [
            webp("appmixer/leadspicker/core/OnProjectMessageSent/component.json", 54),
            webp(
                "appmixer/leadspicker/core/apps_salesbooster_api_get_project_sent_messages/component.json",
                77
            ),
            webp(
                "appmixer/leadspicker/core/apps_salesbooster_api_get_project_simple_list/component.json",
                63
            ),
            webp("appmixer/leadspicker/service.json", 7),
            diagnostic(
                "appmixer/nexl/core/CreateTask/component.json",
                59,
                13,
                "icon-rejected",
                "icon `data:image/png;base64,iVBORw0KGgoAAAANSU` has base64 data that does not \
                 decode; it was dropped",
            ),
        ]
    );
}

#[test]
fn breaking_changes_under_minor_releases_in_smartsheet_and_teams() {
    let Some(corpus) = corpus() else { return };
    let (_, report) = check_json(&corpus);
    let breaking = with_code(&report, "breaking-not-major");
    let of = |path: &str| -> Vec<&Value> {
        breaking
            .iter()
            .copied()
            .filter(|d| d["path"] == path)
            .collect()
    };

    // 2.0.1 is the first release of major 2 (the changelog goes from
    // 1.0.1 to 2.0.1), so its breaking entries are declared; 2.0.5 is a
    // patch. The key `"2.0.5": [` sits on line 15; the entry quoted is the
    // first breaking one, cut after 80 characters.
    assert_eq!(
        of("appmixer/smartsheet/bundle.json"),
        [&diagnostic(
            "appmixer/smartsheet/bundle.json",
            15,
            9,
            "breaking-not-major",
            "changelog 2.0.5 announces a breaking change but is not a major release \
             (\"Breaking change: Updated the input ports of AddRowsToSheet to fix the \
             display of…\"); breaking changes need 3.0.0",
        )]
    );
    assert_eq!(
        of("appmixer/microsoft/teams/bundle.json"),
        [&diagnostic(
            "appmixer/microsoft/teams/bundle.json",
            11,
            9,
            "breaking-not-major",
            "changelog 1.2.1 announces a breaking change but is not a major release \
             (\"Breaking: Updated Scopes for 'ListChannels' and 'ListTeams' components to \
             less p…\"); breaking changes need 2.0.0",
        )]
    );
}

#[test]
fn duplicate_keys_in_plivo_and_google_drive() {
    let Some(corpus) = corpus() else { return };
    let (_, report) = check_json(&corpus);

    let plivo = "appmixer/plivo/calls/GatherCallInput/component.json";
    let drive = "appmixer/google/drive/GetFileMetadata/component.json";
    let duplicate = |path: &str, key: &str, first: u32, second: u32| {
        diagnostic(
            path,
            second,
            21,
            "duplicate-key",
            &format!("duplicate key \"{key}\" (lines {first} and {second}); the last one is used"),
        )
    };
    // Sorted by path, then line: google before plivo.
    assert_eq!(
        with_code(&report, "duplicate-key"),
        [
            &duplicate(drive, "mimeType", 68, 175),
            &duplicate(drive, "description", 73, 180),
            &duplicate(drive, "starred", 78, 185),
            &duplicate(drive, "trashed", 83, 190),
            &duplicate(plivo, "voice", 31, 36),
            &duplicate(plivo, "language", 32, 40),
        ]
    );
}

#[test]
fn four_component_names_differ_from_their_path() {
    let Some(corpus) = corpus() else { return };
    let (_, report) = check_json(&corpus);

    let case_only = |folder: &str, written: &str| {
        diagnostic(
            &format!("appmixer/line/core/{folder}/component.json"),
            2,
            13,
            "component-name-mismatch",
            &format!(
                "component name `appmixer.line.core.{written}` differs from its path \
                 `appmixer/line/core/{folder}`, which implies `appmixer.line.core.{folder}` \
                 (only in letter case)"
            ),
        )
    };
    assert_eq!(
        with_code(&report, "component-name-mismatch"),
        [
            &case_only("GetNumberofFollowers", "GetNumberOfFollowers"),
            &case_only(
                "GetNumberofMessageDeliveries",
                "GetNumberOfMessageDeliveries"
            ),
            &case_only("LeaveGrouporRoom", "LeaveGroupOrRoom"),
            &diagnostic(
                "appmixer/plivo/numbers/ListFromNumbers/component.json",
                2,
                13,
                "component-name-mismatch",
                "component name `appmixer.plivo.sms.ListFromNumbers` differs from its path \
                 `appmixer/plivo/numbers/ListFromNumbers`, which implies \
                 `appmixer.plivo.numbers.ListFromNumbers`",
            ),
        ]
    );
}

#[test]
fn deepai_auth_service_has_no_auth_js() {
    let Some(corpus) = corpus() else { return };
    let (_, report) = check_json(&corpus);
    // Line 10 is `    "authConfig": {`; deepai has quota.js but no auth.js.
    assert_eq!(
        with_code(&report, "auth-unresolved"),
        [&diagnostic(
            "appmixer/deepai/computervision/ImageSimilarity/component.json",
            10,
            19,
            "auth-unresolved",
            "auth service `appmixer:deepai` has no auth.js in `appmixer/deepai` or its parent",
        )]
    );
}

#[test]
fn text_report_starts_with_the_first_places_and_ends_with_the_summary() {
    let Some(corpus) = corpus() else { return };
    let (code, stdout) = check(&corpus, &[], &[]);
    assert_eq!(code, 0);

    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 36, "35 diagnostics and the summary");
    assert_eq!(
        lines[..3],
        [
            "appmixer/apify/bundle.json:4:18: info[changelog-unversioned]: changelog is a plain \
             list without versions; it is kept as is",
            "appmixer/blackboard/bundle.json:4:18: info[changelog-unversioned]: changelog is a \
             plain list without versions; it is kept as is",
            "appmixer/clearbit/bundle.json:4:18: info[changelog-unversioned]: changelog is a \
             plain list without versions; it is kept as is",
        ]
    );
    assert_eq!(
        lines[35],
        "155 connectors, 1319 components (auth: apiKey 70, none 31, oauth 2, oauth2 51, \
         pwd 1); 0 errors, 19 warnings, 16 infos"
    );
    assert!(stdout.ends_with("16 infos\n"));
}

/// The whole scan result, as `catalog.json` would serialize it, computed in
/// a rayon pool of `threads` threads.
fn scan_with_threads(corpus: &Path, threads: usize) -> String {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let repo: Repository = pool.install(|| scan(corpus)).expect("the corpus scans");
    serde_json::to_string(&repo).expect("the scan serializes")
}

#[test]
fn scan_is_the_same_on_one_and_two_threads() {
    let Some(corpus) = corpus() else { return };

    let one = scan_with_threads(&corpus, 1);
    let two = scan_with_threads(&corpus, 2);
    assert!(
        one.len() > 1_000_000,
        "the serialized scan is the whole corpus"
    );
    assert!(one == two, "the scan differs between one and two threads");

    // The binary reads the pool size from the environment.
    let report = |threads: &str| {
        check(
            &corpus,
            &["--format", "json"],
            &[("RAYON_NUM_THREADS", threads)],
        )
    };
    let (one_code, one_report) = report("1");
    let (two_code, two_report) = report("2");
    assert_eq!((one_code, two_code), (0, 0));
    assert_eq!(one_report, two_report);
}
