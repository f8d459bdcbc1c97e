//! `check` and the scan behind it, from the outside: each test is a small
//! repository (an `acme/` vendor folder with one or a few connectors) and
//! the exact report it must produce.
//!
//! Plain broken manifests are committed under `tests/fixtures/check/`;
//! what cannot be committed or would be awkward to (byte-order marks,
//! symbolic links, FIFOs, files without permissions, 200-deep nesting) is
//! built in a temporary folder by the test itself. Every line and column
//! asserted here was counted by hand in the fixture.

use connector_catalog::scan::{scan, Changelog, Entry, Repository};
use serde_json::json;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_connector-catalog");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/check")
        .join(name)
}

/// What one run of the binary produced.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run<I, S>(args: I, envs: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new(BIN)
        .args(args)
        .envs(envs.iter().copied())
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().expect("the binary exits, not killed"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// `check <repo> <extra...>`.
fn check(repo: &Path, extra: &[&str]) -> Run {
    let mut args = vec![OsStr::new("check"), repo.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    run(args, &[])
}

/// `check --format json`: the exit code and the parsed report.
fn check_json(repo: &Path) -> (i32, serde_json::Value) {
    let run = check(repo, &["--format", "json"]);
    let report = serde_json::from_str(&run.stdout).expect("the report is JSON");
    (run.code, report)
}

/// Lines joined as the text report writes them.
fn lines(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// The diagnostics of a library scan, as the text report prints them.
fn diagnostic_lines(repo: &Repository) -> Vec<String> {
    repo.diagnostics.iter().map(ToString::to_string).collect()
}

/// Scans on another thread and fails the test instead of hanging with it.
fn scan_within_10s(root: &Path) -> Repository {
    let (tx, rx) = mpsc::channel();
    let root = root.to_path_buf();
    std::thread::spawn(move || tx.send(scan(&root)));
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the scan finishes within 10 s")
        .expect("the repository root is readable")
}

/// A repository written in a temporary folder, for cases that cannot be
/// committed as files.
struct TempRepo {
    dir: tempfile::TempDir,
}

impl TempRepo {
    fn new() -> Self {
        TempRepo {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, contents).unwrap();
        path
    }

    /// A connector `acme.<short>` at `acme/<short>` that reports nothing.
    fn connector(&self, short: &str) {
        self.file(
            &format!("acme/{short}/service.json"),
            format!("{{\n    \"name\": \"acme.{short}\",\n    \"label\": \"Acme {short}\"\n}}\n"),
        );
        self.file(
            &format!("acme/{short}/bundle.json"),
            format!(
                "{{\n    \"name\": \"acme.{short}\",\n    \"version\": \"1.0.0\",\n    \
                 \"changelog\": {{ \"1.0.0\": [\"Initial version\"] }}\n}}\n"
            ),
        );
    }

    /// A component `acme.<short>.<component>` that reports nothing.
    fn component(&self, short: &str, component: &str) -> PathBuf {
        self.file(
            &format!("acme/{short}/{component}/component.json"),
            format!(
                "{{\n    \"name\": \"acme.{short}.{component}\",\n    \"inPorts\": [\"in\"]\n}}\n"
            ),
        )
    }
}

#[test]
fn missing_comma_fails_only_its_connector() {
    let repo = fixture("missing-comma");
    let run = check(&repo, &[]);
    // Line 10 is `            "Fixed the label of Ping"`: 12 spaces, then
    // the second string's opening quote in column 13.
    assert_eq!(
        run.stdout,
        lines(&[
            "acme/broken/bundle.json:10:13: error[json-syntax]: expected `,` or `]` after an array \
             element, found `\"` (a comma is missing between two elements)",
            // The failed connector has no auth type to count.
            "3 connectors, 3 components (auth: none 2); 1 errors, 0 warnings, 0 infos",
            "failed connectors: acme.broken",
        ])
    );
    assert_eq!(run.code, 1);

    let (code, report) = check_json(&repo);
    assert_eq!(code, 1);
    assert_eq!(report["connectors"], 3);
    assert_eq!(report["components"], 3);
    assert_eq!(report["failed"], json!(["acme.broken"]));
    assert_eq!(report["auth_types"], json!({"none": 2}));
}

#[test]
fn trailing_comma_is_reported_at_the_comma() {
    // Line 6 is `            "Initial version",`: 12 spaces and a
    // 17-character string put the comma in column 30.
    let run = check(&fixture("trailing-comma"), &[]);
    assert_eq!(
        run.stdout,
        lines(&[
            "acme/mail/bundle.json:6:30: error[json-syntax]: trailing comma before `]` (this is a \
             trailing comma after the last element; remove it)",
            "1 connectors, 0 components; 1 errors, 0 warnings, 0 infos",
            "failed connectors: acme.mail",
        ])
    );
    assert_eq!(run.code, 1);
}

#[test]
fn byte_order_mark_is_read_and_warned_about() {
    let repo = TempRepo::new();
    repo.connector("mail");
    repo.file(
        "acme/mail/service.json",
        "\u{feff}{\n    \"name\": \"acme.mail\",\n    \"label\": \"Acme Mail\"\n}\n",
    );
    // The mark is not a column: `{"name": ` is 9 characters, so the name's
    // quote is in column 10.
    repo.file(
        "acme/mail/Send/component.json",
        "\u{feff}{\"name\": \"acme.mail.Sent\"}",
    );

    let scanned = scan(repo.path()).unwrap();
    assert_eq!(scanned.connectors[0].label, "Acme Mail");
    assert_eq!(scanned.connectors[0].components[0].name, "acme.mail.Sent");
    assert_eq!(
        diagnostic_lines(&scanned),
        [
            "acme/mail/Send/component.json:1:1: warning[byte-order-mark]: file starts with a UTF-8 \
             byte-order mark; it was read, but remove it",
            "acme/mail/Send/component.json:1:10: warning[component-name-mismatch]: component name \
             `acme.mail.Sent` differs from its path `acme/mail/Send`, which implies \
             `acme.mail.Send`",
            "acme/mail/service.json:1:1: warning[byte-order-mark]: file starts with a UTF-8 \
             byte-order mark; it was read, but remove it",
        ]
    );
}

#[test]
fn version_behind_the_changelog_names_both_versions() {
    // Line 3 is `    "version": "1.0.1",`: the value's quote is in column 16.
    let run = check(&fixture("version-behind"), &[]);
    assert_eq!(
        run.stdout,
        lines(&[
            "acme/mail/bundle.json:3:16: warning[version-behind-changelog]: version 1.0.1 is lower \
             than the newest changelog entry 1.1.0; bump `version` or fix the changelog",
            "1 connectors, 0 components (auth: none 1); 0 errors, 1 warnings, 0 infos",
        ])
    );
    assert_eq!(run.code, 0);
}

#[test]
fn changelog_is_ordered_by_semver_not_by_file_or_string_order() {
    // The file lists 2.0.0, 1.0.1, 1.10.0, 1.9.0.
    let scanned = scan(&fixture("changelog-order")).unwrap();
    let changelog = &scanned.connectors[0].changelog;
    let versions: Vec<&str> = changelog
        .releases()
        .iter()
        .map(|r| r.version.as_str())
        .collect();
    assert_eq!(versions, ["1.0.1", "1.9.0", "1.10.0", "2.0.0"]);
    assert_eq!(changelog.newest().unwrap().version, "2.0.0");
    assert_eq!(
        changelog.releases()[2].entries,
        [Entry {
            text: "Added the Archive component".into(),
            breaking: false,
        }]
    );
    // Its breaking change is under a major release: nothing to report.
    assert_eq!(diagnostic_lines(&scanned), Vec::<String>::new());
}

#[test]
fn changelog_as_a_plain_list_is_kept_with_an_info() {
    let scanned = scan(&fixture("changelog-list")).unwrap();
    assert_eq!(
        scanned.connectors[0].changelog,
        Changelog::Unversioned(vec![
            Entry {
                text: "Initial version".into(),
                breaking: false,
            },
            Entry {
                text: "Added the Search component".into(),
                breaking: false,
            },
        ])
    );
    assert_eq!(scanned.connectors[0].changelog.newest(), None);
    // Line 4 is `    "changelog": [`: the list opens in column 18.
    assert_eq!(
        diagnostic_lines(&scanned),
        [
            "acme/mail/bundle.json:4:18: info[changelog-unversioned]: changelog is a plain list \
          without versions; it is kept as is"
        ]
    );
}

#[test]
fn breaking_change_under_a_minor_or_patch_release_in_every_spelling() {
    // Each key starts in column 9, after 8 spaces. 1.5.0 says
    // `non-breaking` and 2.0.0 is a major release: neither is reported.
    let warning = |line: u32, version: &str, entry: &str| {
        format!(
            "acme/mail/bundle.json:{line}:9: warning[breaking-not-major]: changelog {version} \
             announces a breaking change but is not a major release (\"{entry}\"); breaking \
             changes need 2.0.0"
        )
    };
    let scanned = scan(&fixture("breaking-not-major")).unwrap();
    assert_eq!(
        diagnostic_lines(&scanned),
        [
            warning(
                8,
                "1.1.0",
                "(breaking change) The Send component needs a recipient"
            ),
            warning(
                11,
                "1.2.0",
                "(Breaking Change) The Send component lost its cc field"
            ),
            warning(
                14,
                "1.2.1",
                "Breaking: the Inbox trigger emits one message at a time"
            ),
            warning(17, "1.2.2", "breaking: renamed the folder field"),
            warning(
                20,
                "1.3.0",
                "BREAKING CHANGE the attachment output is a list"
            ),
            warning(23, "1.3.1", "Breaking Change removed the legacy port"),
            warning(26, "1.4.0", "breaking change - the subject is required"),
            warning(
                29,
                "1.4.1",
                "BREAKING CHANGE - signatures moved to properties"
            ),
        ]
    );
    let non_breaking = &scanned.connectors[0].changelog.releases()[9];
    assert_eq!(non_breaking.version, "1.5.0");
    assert_eq!(
        non_breaking.entries,
        [
            Entry {
                text: "Non-breaking change: added a tooltip".into(),
                breaking: false,
            },
            Entry {
                text: "non-breaking: relabelled the Send button".into(),
                breaking: false,
            },
        ]
    );
}

#[test]
fn names_that_differ_from_the_descriptor_or_the_path_are_reported() {
    // Each `name` value starts in column 13 of line 2, after
    // `    "name": `.
    let run = check(&fixture("name-mismatch"), &[]);
    assert_eq!(
        run.stdout,
        lines(&[
            "acme/mail/GetInbox/component.json:2:13: warning[component-name-mismatch]: component \
             name `acme.mail.GetInBox` differs from its path `acme/mail/GetInbox`, which implies \
             `acme.mail.GetInbox` (only in letter case)",
            "acme/mail/SendEmail/component.json:2:13: warning[component-name-mismatch]: component \
             name `acme.mail.SendMail` differs from its path `acme/mail/SendEmail`, which implies \
             `acme.mail.SendEmail`",
            "acme/mail/bundle.json:2:13: warning[name-mismatch]: bundle.json names the connector \
             `acme.mail` but service.json names it `acme.email`",
            "acme/office/docs/bundle.json:2:13: warning[name-mismatch]: bundle.json names the \
             connector `acme.office.docs` but module.json names it `acme.office.doc`",
            "2 connectors, 3 components (auth: none 2); 0 errors, 4 warnings, 0 infos",
        ])
    );
}

#[test]
fn duplicate_key_is_reported_with_both_lines_and_the_last_one_wins() {
    let repo = fixture("duplicate-key");
    let scanned = scan(&repo).unwrap();
    // `"voice"` starts in column 21 of lines 10 and 12 (20 spaces).
    assert_eq!(
        diagnostic_lines(&scanned),
        ["acme/voice/Call/component.json:12:21: warning[duplicate-key]: duplicate key \"voice\" \
          (lines 10 and 12); the last one is used"]
    );
    let fields = &scanned.connectors[0].components[0].in_ports[0]
        .fields
        .fields;
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["say", "voice", "language"]);
    let voice = &fields[1];
    assert_eq!(voice.label.as_deref(), Some("Voice"));
    let choices: Vec<&str> = voice.choices.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(choices, ["MAN", "WOMAN"]);
}

#[test]
fn a_repeated_changelog_key_is_judged_where_its_kept_value_is() {
    // The first "1.1.0" (line 5) is replaced by the second (line 11), whose
    // entry is the breaking one, so both warnings point at line 11.
    let scanned = scan(&fixture("duplicate-changelog-key")).unwrap();
    assert_eq!(
        diagnostic_lines(&scanned),
        [
            "acme/mail/bundle.json:11:9: warning[breaking-not-major]: changelog 1.1.0 announces a \
             breaking change but is not a major release (\"(breaking change) The Send component \
             needs a recipient\"); breaking changes need 2.0.0",
            "acme/mail/bundle.json:11:9: warning[duplicate-key]: duplicate key \"1.1.0\" (lines 5 \
             and 11); the last one is used",
        ]
    );
    let versions: Vec<&str> = scanned.connectors[0]
        .changelog
        .releases()
        .iter()
        .map(|r| r.version.as_str())
        .collect();
    assert_eq!(versions, ["1.0.0", "1.1.0"]);
}

#[test]
fn near_miss_versions_are_refused_as_version_and_as_changelog_key() {
    // In each bundle the `version` value starts at 3:16 and the changelog
    // key at 5:9.
    let run = check(&fixture("version-invalid"), &[]);
    assert_eq!(
        run.stdout,
        lines(&[
            "acme/padded/bundle.json:3:16: error[version-invalid]: `version` is invalid: `1.02.0` \
             has a leading zero in `02`",
            "acme/padded/bundle.json:5:9: error[version-invalid]: changelog key \"1.02.0\" is \
             invalid: `1.02.0` has a leading zero in `02`",
            "acme/prefixed/bundle.json:3:16: error[version-invalid]: `version` is invalid: \
             `v1.2.0` has a `v` prefix; write `1.2.0`",
            "acme/prefixed/bundle.json:5:9: error[version-invalid]: changelog key \"v1.2.0\" is \
             invalid: `v1.2.0` has a `v` prefix; write `1.2.0`",
            "acme/short/bundle.json:3:16: error[version-invalid]: `version` is invalid: `1.2` has \
             2 parts; semver needs MAJOR.MINOR.PATCH",
            "acme/short/bundle.json:5:9: error[version-invalid]: changelog key \"1.2\" is invalid: \
             `1.2` has 2 parts; semver needs MAJOR.MINOR.PATCH",
            "3 connectors, 0 components (auth: none 3); 6 errors, 0 warnings, 0 infos",
        ])
    );
    assert_eq!(run.code, 1);
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_reported_and_never_followed() {
    use std::os::unix::fs::symlink;
    let repo = TempRepo::new();
    repo.connector("x");
    repo.component("x", "Ping");
    symlink("..", repo.path().join("acme/x/loop")).unwrap();
    symlink("b", repo.path().join("acme/a")).unwrap();
    symlink("a", repo.path().join("acme/b")).unwrap();
    // Followed, this link would count Ping twice.
    symlink("Ping", repo.path().join("acme/x/Alias")).unwrap();

    let scanned = scan_within_10s(repo.path());
    assert_eq!(scanned.component_count(), 1);
    assert_eq!(
        diagnostic_lines(&scanned),
        [
            "acme/a:1:1: warning[symlink]: symbolic link to `b` cannot be resolved (Too many \
             levels of symbolic links (os error 40)); skipped",
            "acme/b:1:1: warning[symlink]: symbolic link to `a` cannot be resolved (Too many \
             levels of symbolic links (os error 40)); skipped",
            "acme/x/Alias:1:1: warning[symlink]: symbolic link to `Ping` not followed; links are \
             neither scanned nor packed",
            "acme/x/loop:1:1: warning[symlink]: symbolic link to `..` loops back to an enclosing \
             folder; not followed",
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_repository_reached_through_a_link_is_scanned_without_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("connectors");
    std::os::unix::fs::symlink(fixture("clean"), &link).unwrap();

    let scanned = scan(&link).unwrap();
    assert_eq!(diagnostic_lines(&scanned), Vec::<String>::new());
    assert_eq!(scanned.connectors[0].name, "acme.alpha");
    assert_eq!(scanned.component_count(), 1);
}

#[test]
fn a_folder_named_component_json_is_unreadable() {
    let repo = TempRepo::new();
    repo.connector("x");
    repo.component("x", "Ping");
    fs::create_dir_all(repo.path().join("acme/x/Odd/component.json")).unwrap();

    let scanned = scan_within_10s(repo.path());
    assert_eq!(
        diagnostic_lines(&scanned),
        ["acme/x/Odd/component.json:1:1: error[unreadable]: not a regular file"]
    );
    assert_eq!(scanned.component_count(), 1);
}

#[test]
fn a_component_json_that_is_not_utf8_is_unreadable() {
    let repo = TempRepo::new();
    repo.connector("x");
    repo.component("x", "Ping");
    // `{"name": "acme.x.Bad", "label": "` is 33 bytes; 0xFF comes next.
    repo.file(
        "acme/x/Bad/component.json",
        b"{\"name\": \"acme.x.Bad\", \"label\": \"\xff\"}",
    );

    let scanned = scan_within_10s(repo.path());
    assert_eq!(
        diagnostic_lines(&scanned),
        [
            "acme/x/Bad/component.json:1:1: error[unreadable]: not valid UTF-8 (first bad byte at \
          offset 33)"
        ]
    );
    assert_eq!(scanned.component_count(), 1);
}

#[cfg(unix)]
#[test]
fn a_fifo_named_component_json_is_unreadable_and_does_not_block() {
    let repo = TempRepo::new();
    repo.connector("x");
    repo.component("x", "Ping");
    fs::create_dir_all(repo.path().join("acme/x/Pipe")).unwrap();
    let fifo = repo.path().join("acme/x/Pipe/component.json");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());

    // Opening a FIFO for reading waits for a writer, forever here.
    let scanned = scan_within_10s(repo.path());
    assert_eq!(
        diagnostic_lines(&scanned),
        ["acme/x/Pipe/component.json:1:1: error[unreadable]: not a regular file"]
    );
    assert_eq!(scanned.component_count(), 1);
}

#[cfg(unix)]
#[test]
fn a_manifest_without_read_permission_is_unreadable_unless_the_os_lets_us_read_it() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TempRepo::new();
    repo.connector("x");
    let locked = repo.component("x", "Locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();

    let scanned = scan_within_10s(repo.path());
    // Root (CI runs tests as root) reads files whatever their mode, and so
    // does the scanner then: the file is an ordinary, valid component and
    // there is nothing to report. Only a user the OS refuses sees the error.
    if fs::read(&locked).is_ok() {
        assert_eq!(diagnostic_lines(&scanned), Vec::<String>::new());
        assert_eq!(scanned.component_count(), 1);
    } else {
        assert_eq!(
            diagnostic_lines(&scanned),
            [
                "acme/x/Locked/component.json:1:1: error[unreadable]: cannot read: Permission \
              denied (os error 13)"
            ]
        );
        assert_eq!(scanned.component_count(), 0);
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
}

/// A component whose input schema nests `depth` objects, on line 6:
/// `            "schema": {"a": {"a": ... 1 ...}}`.
fn nested_component(name: &str, depth: usize) -> String {
    format!(
        "{{\n    \"name\": \"{name}\",\n    \"inPorts\": [\n        {{\n            \
         \"name\": \"in\",\n            \"schema\": {}1{}\n        }}\n    ]\n}}\n",
        "{\"a\": ".repeat(depth),
        "}".repeat(depth)
    )
}

#[test]
fn nesting_200_deep_is_refused_without_overflowing_a_small_stack() {
    let repo = TempRepo::new();
    repo.connector("deep");
    repo.component("deep", "Fine");
    repo.file(
        "acme/deep/Deep/component.json",
        nested_component("acme.deep.Deep", 200),
    );
    // The widest document accepted: the root object, the port list, the
    // port, and schema objects up to the cap.
    let deepest_accepted = connector_catalog::json::MAX_DEPTH - 3;
    repo.file(
        "acme/deep/Edge/component.json",
        nested_component("acme.deep.Edge", deepest_accepted),
    );

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .stack_size(256 * 1024)
        .build()
        .unwrap();
    let scanned = pool.install(|| scan(repo.path())).unwrap();

    // Root object, port list and port are levels 1 to 3, so the k-th schema
    // object is level 3 + k and the 126th is the first beyond 128. Line 6
    // has 12 spaces and `"schema": ` before the first `{` (column 23), and
    // each level is the 6 characters `{"a": `: 23 + 6 * 125 = 773.
    assert_eq!(
        diagnostic_lines(&scanned),
        [
            "acme/deep/Deep/component.json:6:773: error[json-depth]: nesting is deeper than 128 \
          levels (the reader refuses such files to stay safe; flatten the schema)"
        ]
    );
    let names: Vec<&str> = scanned.connectors[0]
        .components
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["acme.deep.Edge", "acme.deep.Fine"]);
}

#[test]
fn text_report_is_one_line_per_problem_then_the_summary() {
    let run = check(&fixture("report"), &[]);
    assert_eq!(
        run.stdout,
        lines(&[
            "acme/mail/bundle.json:3:16: warning[version-behind-changelog]: version 1.0.1 is lower \
             than the newest changelog entry 1.1.0; bump `version` or fix the changelog",
            "2 connectors, 1 components (auth: apiKey 1, none 1); 0 errors, 1 warnings, 0 infos",
        ])
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn json_report_has_the_documented_shape() {
    let (code, report) = check_json(&fixture("report"));
    assert_eq!(code, 0);
    assert_eq!(
        report,
        json!({
            "connectors": 2,
            "components": 1,
            "failed": [],
            "auth_types": { "apiKey": 1, "none": 1 },
            "summary": { "errors": 0, "warnings": 1, "infos": 0 },
            "diagnostics": [{
                "code": "version-behind-changelog",
                "severity": "warning",
                "path": "acme/mail/bundle.json",
                "line": 3,
                "column": 16,
                "message": "version 1.0.1 is lower than the newest changelog entry 1.1.0; bump \
                            `version` or fix the changelog",
            }],
        })
    );
}

#[test]
fn clean_repository_exits_0_even_with_deny_warnings() {
    let run = check(&fixture("clean"), &["--deny-warnings"]);
    assert_eq!(
        run.stdout,
        lines(&["1 connectors, 1 components (auth: none 1); 0 errors, 0 warnings, 0 infos"])
    );
    assert_eq!(run.code, 0);
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    assert_eq!(check(&fixture("report"), &[]).code, 0);
    assert_eq!(check(&fixture("report"), &["--deny-warnings"]).code, 1);
}

#[test]
fn infos_never_fail() {
    assert_eq!(
        check(&fixture("changelog-list"), &["--deny-warnings"]).code,
        0
    );
}

#[test]
fn missing_repository_folder_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let run = check(&missing, &[]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "error: cannot read repository `{}`: No such file or directory (os error 2)\n",
            missing.display()
        )
    );
}

#[test]
fn bad_arguments_exit_2() {
    let bad_value = run(["check", "--format", "xml"], &[]);
    assert_eq!(bad_value.code, 2);
    assert_eq!(
        bad_value.stderr.lines().next(),
        Some("error: invalid value 'xml' for '--format <FORMAT>'")
    );
    assert_eq!(run(["check", "--no-such-option"], &[]).code, 2);
}

#[test]
fn check_help_documents_exit_codes_with_an_example() {
    let help = run(["check", "--help"], &[]);
    assert_eq!(help.code, 0);
    let text = help.stdout;
    let exit_codes = "Exit codes:\n\
        \x20 0  clean: no problem of error severity (and no warning with --deny-warnings)\n\
        \x20 1  problems of error severity were found (or warnings, with --deny-warnings)\n\
        \x20 2  the tool could not run: bad arguments, unreadable repository folder\n";
    assert!(text.ends_with(exit_codes), "{text}");
    assert!(
        text.lines().any(|l| l
            == "  connector-catalog check ../shared/corpus/appmixer-connectors --format json > \
                report.json"),
        "{text}"
    );
}

#[test]
fn version_prints_name_and_version() {
    let version = run(["--version"], &[]);
    assert_eq!(
        (version.code, version.stdout.as_str()),
        (0, "connector-catalog 0.1.0\n")
    );
}

#[test]
fn json_report_is_the_same_on_one_thread_and_on_two() {
    // Every fixture above, scanned as one repository.
    let root = fixture("");
    let args = [
        OsStr::new("check"),
        root.as_os_str(),
        OsStr::new("--format"),
        OsStr::new("json"),
    ];
    let one = run(args, &[("RAYON_NUM_THREADS", "1")]);
    let two = run(args, &[("RAYON_NUM_THREADS", "2")]);
    assert_eq!(one.code, 1);
    let report: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    assert_eq!(report["connectors"], 18);
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn the_first_release_of_a_major_is_a_major_release_even_without_its_x_0_0() {
    // The changelog goes from 1.0.1 straight to 2.0.1: 2.0.1 is where
    // major 2 begins, so its breaking entry is declared; 2.0.2 is a patch.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("acme/mail")).unwrap();
    std::fs::write(
        root.join("acme/mail/service.json"),
        r#"{"name": "acme.mail", "label": "Mail"}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("acme/mail/bundle.json"),
        "{\n    \"name\": \"acme.mail\",\n    \"version\": \"2.0.2\",\n    \"changelog\": {\n        \
         \"1.0.1\": [\"First.\"],\n        \"2.0.1\": [\"(breaking) new auth\"],\n        \
         \"2.0.2\": [\"Breaking - renamed a field\", \"No breaking changes elsewhere.\"]\n    }\n}\n",
    )
    .unwrap();
    let scanned = scan(root).unwrap();
    assert_eq!(
        diagnostic_lines(&scanned),
        [
            "acme/mail/bundle.json:7:9: warning[breaking-not-major]: changelog 2.0.2 announces a \
          breaking change but is not a major release (\"Breaking - renamed a field\"); breaking \
          changes need 3.0.0"
        ]
    );
    let entries = &scanned.connectors[0].changelog.releases()[2].entries;
    assert_eq!(
        entries.iter().map(|e| e.breaking).collect::<Vec<_>>(),
        [true, false]
    );
}

#[test]
fn two_folders_with_one_connector_name_fail_the_second() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for folder in ["tasker", "tasker2"] {
        std::fs::create_dir_all(root.join("acme").join(folder)).unwrap();
        std::fs::write(
            root.join("acme").join(folder).join("service.json"),
            r#"{"name": "acme.tasker", "label": "Tasker"}"#,
        )
        .unwrap();
        std::fs::write(
            root.join("acme").join(folder).join("bundle.json"),
            r#"{"name": "acme.tasker", "version": "1.0.0", "changelog": {"1.0.0": ["x"]}}"#,
        )
        .unwrap();
    }
    let scanned = scan(root).unwrap();
    assert_eq!(
        diagnostic_lines(&scanned),
        ["acme/tasker2/bundle.json:1:1: error[duplicate-connector]: connector name `acme.tasker` \
          is also used by `acme/tasker`; names must be unique, the tenant knows connectors by name"]
    );
    let failed: Vec<(&str, bool)> = scanned
        .connectors
        .iter()
        .map(|c| (c.path.as_str(), c.failed))
        .collect();
    assert_eq!(failed, [("acme/tasker", false), ("acme/tasker2", true)]);
}

#[test]
fn control_characters_from_a_manifest_are_escaped_in_the_text_report() {
    let repo = TempRepo::new();
    repo.connector("x");
    repo.file(
        "acme/x/Ping/component.json",
        "{\"name\": \"acme.x.Ping\", \"inPorts\": [\"in\"],\n \
         \"auth\": {\"service\": \"acme:\\u001b[2K\\nacme/x/bundle.json:1:1: error[x]: y\"}}",
    );

    let run = check(repo.path(), &[]);
    assert_eq!(
        run.stdout,
        lines(&[
            "acme/x/Ping/component.json:2:10: warning[auth-unresolved]: auth service \
             `acme:\\u{1b}[2K\\u{a}acme/x/bundle.json:1:1: error[x]: y` has no auth.js in \
             `acme/\\u{1b}[2K\\u{a}acme/x/bundle.json/1/1/ error[x]/ y` or its parent",
            "1 connectors, 1 components (auth: none 1); 0 errors, 1 warnings, 0 infos",
        ])
    );
    let (_, report) = check_json(repo.path());
    assert_eq!(
        report["diagnostics"][0]["message"],
        "auth service `acme:\u{1b}[2K\nacme/x/bundle.json:1:1: error[x]: y` has no auth.js in \
         `acme/\u{1b}[2K\nacme/x/bundle.json/1/1/ error[x]/ y` or its parent"
    );
}

/// Names become file names of the site and of zips (`<name>.html`,
/// `<name>.zip`); one that could leave the output folder fails its
/// connector, or leaves its component out.
#[test]
fn names_that_are_not_safe_file_names_fail_the_connector_or_drop_the_component() {
    let repo = TempRepo::new();
    repo.connector("x");
    repo.component("x", "Ping");
    repo.file(
        "acme/x/Escape/component.json",
        "{\n    \"name\": \"./../escape\",\n    \"inPorts\": [\"in\"]\n}\n",
    );
    repo.file(
        "acme/evil/service.json",
        r#"{"name": "../../../../tmp/x/clean", "label": "Evil"}"#,
    );
    repo.file(
        "acme/evil/bundle.json",
        "{\n  \"version\": \"1.0.0\",\n  \"name\": \"../../../../tmp/x/clean\",\n  \
         \"changelog\": {\"1.0.0\": [\"x\"]}\n}\n",
    );
    repo.component("evil", "Ping");
    // A broken bundle.json names no connector; the folder path does, and
    // it is checked all the same.
    repo.file("acme/a b/service.json", r#"{"label": "Spaced"}"#);
    repo.file("acme/a b/bundle.json", "{");

    let scanned = scan_within_10s(repo.path());
    assert_eq!(
        diagnostic_lines(&scanned),
        [
            "acme/a b/bundle.json:1:1: error[name-invalid]: connector name `acme.a b` cannot be \
             used as a file name: it contains ` `; only ASCII letters, digits, `_` and `-` may \
             stand between the dots; the connector fails",
            "acme/a b/bundle.json:1:2: error[json-syntax]: expected a quoted key, found the end \
             of the file",
            "acme/evil/bundle.json:3:11: error[name-invalid]: connector name \
             `../../../../tmp/x/clean` cannot be used as a file name: it contains `/`; only \
             ASCII letters, digits, `_` and `-` may stand between the dots; the connector fails",
            "acme/x/Escape/component.json:2:13: error[name-invalid]: component name \
             `./../escape` cannot be used as a file name: it contains `/`; only ASCII letters, \
             digits, `_` and `-` may stand between the dots; the component is left out",
            "acme/x/Escape/component.json:2:13: warning[component-name-mismatch]: component \
             name `./../escape` differs from its path `acme/x/Escape`, which implies \
             `acme.x.Escape`",
        ]
    );
    let connectors: Vec<(&str, &str, bool, usize)> = scanned
        .connectors
        .iter()
        .map(|c| {
            (
                c.path.as_str(),
                c.name.as_str(),
                c.failed,
                c.components.len(),
            )
        })
        .collect();
    assert_eq!(
        connectors,
        [
            ("acme/evil", "../../../../tmp/x/clean", true, 1),
            ("acme/a b", "acme.a b", true, 0),
            ("acme/x", "acme.x", false, 1),
        ]
    );
    let (code, report) = check_json(repo.path());
    assert_eq!(code, 1);
    assert_eq!(
        report["failed"],
        json!(["../../../../tmp/x/clean", "acme.a b"])
    );
}

#[test]
fn connector_names_that_differ_only_in_letter_case_fail_the_later_path() {
    let repo = TempRepo::new();
    repo.connector("tasker");
    repo.file(
        "acme/tasker2/service.json",
        r#"{"name": "acme.Tasker", "label": "Tasker"}"#,
    );
    repo.file(
        "acme/tasker2/bundle.json",
        r#"{"name": "acme.Tasker", "version": "1.0.0", "changelog": {"1.0.0": ["x"]}}"#,
    );

    let scanned = scan_within_10s(repo.path());
    assert_eq!(
        diagnostic_lines(&scanned),
        [
            "acme/tasker2/bundle.json:1:1: error[duplicate-connector]: connector name \
          `acme.Tasker` differs only in letter case from `acme.tasker` of `acme/tasker`; names \
          must differ in more than case, a case-insensitive file system holds one page and one \
          zip for both"
        ]
    );
    let failed: Vec<(&str, bool)> = scanned
        .connectors
        .iter()
        .map(|c| (c.path.as_str(), c.failed))
        .collect();
    // Sorted by name: `acme.Tasker` before `acme.tasker`.
    assert_eq!(failed, [("acme/tasker2", true), ("acme/tasker", false)]);
}

#[test]
fn components_of_one_connector_with_one_name_keep_the_first_path() {
    let repo = TempRepo::new();
    repo.connector("x");
    repo.component("x", "Ping");
    // Copied folders whose component.json kept the original's name, once
    // as it was and once with its case changed.
    repo.file(
        "acme/x/Ping2/component.json",
        "{\"name\": \"acme.x.Ping\", \"inPorts\": [\"in\"]}",
    );
    repo.file(
        "acme/x/Ping3/component.json",
        "{\"name\": \"acme.x.PING\", \"inPorts\": [\"in\"]}",
    );

    let scanned = scan_within_10s(repo.path());
    let kept: Vec<(&str, &str)> = scanned.connectors[0]
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.path.as_str()))
        .collect();
    assert_eq!(kept, [("acme.x.Ping", "acme/x/Ping")]);
    let duplicates: Vec<String> = diagnostic_lines(&scanned)
        .into_iter()
        .filter(|l| !l.contains("component-name-mismatch"))
        .collect();
    assert_eq!(
        duplicates,
        [
            "acme/x/Ping2/component.json:1:1: error[duplicate-component]: component name \
             `acme.x.Ping` is also used by `acme/x/Ping`; this one is left out, rename it",
            "acme/x/Ping3/component.json:1:1: error[duplicate-component]: component name \
             `acme.x.PING` is also used by `acme/x/Ping` (as `acme.x.Ping`, differing only in \
             letter case); this one is left out, rename it",
        ]
    );
}

/// A file name that is not UTF-8 cannot be stored in a zip or a report
/// faithfully: the connector that would pack it fails, and folders with
/// such names are not entered.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_fail_the_connector_that_holds_them() {
    use std::os::unix::ffi::OsStrExt;

    let repo = TempRepo::new();
    repo.file("acme/service.json", r#"{"name": "acme", "label": "Acme"}"#);
    repo.connector("x");
    repo.component("x", "Ping");
    repo.connector("y");
    let x = repo.path().join("acme/x");
    fs::write(x.join(OsStr::from_bytes(b"caf\xe9.js")), "").unwrap();
    let bad_dir = x.join(OsStr::from_bytes(b"Bad\xff"));
    fs::create_dir(&bad_dir).unwrap();
    fs::write(
        bad_dir.join("component.json"),
        r#"{"name": "acme.x.Bad", "inPorts": ["in"]}"#,
    )
    .unwrap();

    let scanned = scan_within_10s(repo.path());
    assert_eq!(
        diagnostic_lines(&scanned),
        [
            "acme/x:1:1: error[name-invalid]: file name `caf\u{fffd}.js` is not valid UTF-8 \
             (shown with U+FFFD for the bad bytes); the connector it belongs to fails and \
             cannot be packed, rename it",
            "acme/x:1:1: error[name-invalid]: folder name `Bad\u{fffd}` is not valid UTF-8 \
             (shown with U+FFFD for the bad bytes); the connector it belongs to fails and \
             cannot be packed, rename it",
        ]
    );
    let failed = |scanned: &Repository| -> Vec<(String, bool, usize)> {
        scanned
            .connectors
            .iter()
            .map(|c| (c.path.clone(), c.failed, c.components.len()))
            .collect()
    };
    assert_eq!(
        failed(&scanned),
        [("acme/x".into(), true, 1), ("acme/y".into(), false, 0)]
    );

    // A parent service's files are packed with every module below it.
    fs::write(repo.path().join(OsStr::from_bytes(b"acme/\x80")), "").unwrap();
    let scanned = scan_within_10s(repo.path());
    assert_eq!(
        diagnostic_lines(&scanned)[0],
        "acme:1:1: error[name-invalid]: file name `\u{fffd}` is not valid UTF-8 (shown with \
         U+FFFD for the bad bytes); the connector it belongs to fails and cannot be packed, \
         rename it"
    );
    assert_eq!(
        failed(&scanned),
        [("acme/x".into(), true, 1), ("acme/y".into(), true, 0)]
    );
    assert_eq!(check(repo.path(), &[]).code, 1);
}

/// Icons are written to the site as files a reader may open directly; an
/// SVG opened so runs its script and loads what it refers to. Those, icons
/// whose data does not decode, and bytes that are not the image declared
/// are dropped with a warning; a raster image labelled with another raster
/// type is kept under its real type.
#[test]
fn icons_that_could_run_script_or_are_not_what_they_claim_are_dropped() {
    let repo = TempRepo::new();
    repo.connector("x");
    let icons = [
        (
            "A",
            "data:image/svg+xml,<svg><SCRIPT>alert(1)</SCRIPT></svg>",
        ),
        (
            "B",
            "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' ONLOAD='alert(1)'/>",
        ),
        (
            "C",
            "data:image/svg+xml,<svg><image xlink:href='//evil.test/x.png'/></svg>",
        ),
        (
            "D",
            "data:image/svg+xml,<svg><rect style='fill: url(HTTPS://evil.test/p)'/></svg>",
        ),
        (
            "E",
            "data:image/svg+xml,<svg><foreignObject><p>x</p></foreignObject></svg>",
        ),
        (
            "F",
            "data:image/svg+xml,<svg><a href='JavaScript:alert(1)'>x</a></svg>",
        ),
        (
            "G",
            "data:image/svg+xml,<svg><a href='&#104;ttp://evil.test'>x</a></svg>",
        ),
        ("H", "data:image/png;base64,iVBOR..w0KGgo="),
        ("I", "data:image/png;base64,"),
        ("J", "data:image/png;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"),
        (
            "M",
            "data:image/svg+xml,<svg><use href='data:image/svg+xml;base64,PHN2Zz4=#x'/></svg>",
        ),
        // Kept: a JPEG labelled PNG, and an SVG that refers only to itself
        // and to a file beside it.
        ("K", "data:image/png;base64,/9j/4AAQSkZJRg=="),
        (
            "L",
            "data:image/svg+xml,<?xml version='1.0' encoding='UTF-8'?><svg \
             xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink'>\
             <rect fill='url(#g)'/><use xlink:href='#r'/><image href='d2.png'/></svg>",
        ),
    ];
    for (name, uri) in icons {
        repo.file(
            &format!("acme/x/{name}/component.json"),
            format!(
                "{{\"name\": \"acme.x.{name}\", \"inPorts\": [\"in\"],\n \"icon\": \"{uri}\"}}"
            ),
        );
    }

    let scanned = scan_within_10s(repo.path());
    let svg = "is an SVG that could run script or load outside resources: it has";
    assert_eq!(
        diagnostic_lines(&scanned),
        [
            format!(
                "acme/x/A/component.json:2:10: warning[icon-rejected]: icon \
                 `data:image/svg+xml,<svg><SCRIPT>alert(1)` {svg} a `<script>` element; it was \
                 dropped"
            ),
            format!(
                "acme/x/B/component.json:2:10: warning[icon-rejected]: icon \
                 `data:image/svg+xml,<svg xmlns='http://ww` {svg} an event handler attribute \
                 `onload`; it was dropped"
            ),
            format!(
                "acme/x/C/component.json:2:10: warning[icon-rejected]: icon \
                 `data:image/svg+xml,<svg><image xlink:hre` {svg} a reference to an outside \
                 resource `//evil.test/x.png`; it was dropped"
            ),
            format!(
                "acme/x/D/component.json:2:10: warning[icon-rejected]: icon \
                 `data:image/svg+xml,<svg><rect style='fil` {svg} a reference to an outside \
                 resource `https://evil.test/p`; it was dropped"
            ),
            format!(
                "acme/x/E/component.json:2:10: warning[icon-rejected]: icon \
                 `data:image/svg+xml,<svg><foreignObject><` {svg} a `<foreignObject>` element; \
                 it was dropped"
            ),
            format!(
                "acme/x/F/component.json:2:10: warning[icon-rejected]: icon \
                 `data:image/svg+xml,<svg><a href='JavaScr` {svg} a `javascript:` URL; it was \
                 dropped"
            ),
            format!(
                "acme/x/G/component.json:2:10: warning[icon-rejected]: icon \
                 `data:image/svg+xml,<svg><a href='&#104;t` {svg} a reference to an outside \
                 resource `http://evil.test`; it was dropped"
            ),
            "acme/x/H/component.json:2:10: warning[icon-rejected]: icon \
             `data:image/png;base64,iVBOR..w0KGgo=` has base64 data that does not decode; it \
             was dropped"
                .into(),
            "acme/x/I/component.json:2:10: warning[icon-rejected]: icon \
             `data:image/png;base64,` has no data; it was dropped"
                .into(),
            "acme/x/J/component.json:2:10: warning[icon-rejected]: icon \
             `data:image/png;base64,PHN2ZyBvbmxvYWQ9YW` is declared image/png but its bytes are \
             not a PNG, JPEG or GIF image; it was dropped"
                .into(),
            format!(
                "acme/x/M/component.json:2:10: warning[icon-rejected]: icon \
                 `data:image/svg+xml,<svg><use href='data:` {svg} a nested SVG \
                 `data:image/svg+xml`, which is not screened; it was dropped"
            ),
        ]
    );
    let components = &scanned.connectors[0].components;
    let kept: Vec<(&str, &str)> = components
        .iter()
        .filter_map(|c| {
            let icon = &scanned.icons[c.icon.as_ref()?];
            Some((c.name.as_str(), icon.media_type.as_str()))
        })
        .collect();
    assert_eq!(
        kept,
        [("acme.x.K", "image/jpeg"), ("acme.x.L", "image/svg+xml")]
    );
    let jpeg = &scanned.icons[components[10].icon.as_ref().unwrap()];
    assert_eq!(jpeg.data_uri, "data:image/jpeg;base64,/9j/4AAQSkZJRg==");
    assert_eq!(jpeg.extension(), "jpg");
}

#[test]
fn flags_that_are_not_booleans_and_an_auth_that_is_not_an_object_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("acme/mail/Poll")).unwrap();
    std::fs::write(
        root.join("acme/mail/service.json"),
        r#"{"name": "acme.mail", "label": "Mail"}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("acme/mail/bundle.json"),
        r#"{"name": "acme.mail", "version": "1.0.0", "changelog": {"1.0.0": ["x"]}}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("acme/mail/Poll/component.json"),
        "{\"name\": \"acme.mail.Poll\",\n \"tick\": \"true\",\n \"private\": 1,\n \"auth\": \"acme:mail\",\n \"outPorts\": [\"out\"]}",
    )
    .unwrap();
    let scanned = scan(root).unwrap();
    assert_eq!(
        diagnostic_lines(&scanned),
        [
            "acme/mail/Poll/component.json:2:10: error[manifest-shape]: `tick` must be true or \
             false, found a string",
            "acme/mail/Poll/component.json:3:13: error[manifest-shape]: `private` must be true or \
             false, found a number",
            "acme/mail/Poll/component.json:4:10: error[manifest-shape]: `auth` must be an object \
             with a `service`, found a string",
        ]
    );
}
