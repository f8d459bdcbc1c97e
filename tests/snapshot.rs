//! Reading a tenant snapshot and saving a plan with `plan --out`, at their
//! edges: shapes serde would accept but the format does not, a plan passed
//! as a snapshot, byte-order marks, odd format versions, hostile text in
//! messages, and paths that are not regular files.
//!
//! Each test gives a small input and asserts the exact outcome: the
//! snapshot read, or the whole message and exit code of the refusal.

mod support;

use connector_catalog::tenant::{self, AclRule, Stage};
use serde_json::{json, Value};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

/// A snapshot's opening up to the tenant, for cases that add one key.
const HEAD: &str =
    r#"{"format_version": 1, "tenant": {"name": "a", "captured": "2026-01-01T00:00:00Z"}"#;

/// The message refusing `text` (labelled `s.json`).
fn error(text: &str) -> String {
    tenant::parse(text.as_bytes(), "s.json").unwrap_err().0
}

/// The message refusing [`HEAD`] followed by `rest`.
fn error_after_head(rest: &str) -> String {
    error(&format!("{HEAD}{rest}"))
}

fn flow_with(flow: &str) -> String {
    format!(
        r#", "flows": [{{"flowId": "f", "userId": "u", "stage": "running", "flow": {flow}}}]}}"#
    )
}

#[test]
fn structs_are_read_only_from_objects() {
    assert_eq!(
        error(r#"{"format_version": 1, "tenant": ["a", null, "x"]}"#),
        "s.json: $.tenant: invalid type: sequence, expected an object (line 1, column 32)"
    );
    assert_eq!(
        error_after_head(r#", "installed": [["acme.a", "1.0.0"]]}"#),
        "s.json: $.installed[0]: invalid type: sequence, expected an object (line 1, column 97)"
    );
    assert_eq!(
        error_after_head(r#", "flows": [["f", "", "u", "running"]]}"#),
        "s.json: $.flows[0]: invalid type: sequence, expected an object (line 1, column 93)"
    );
    assert_eq!(
        error_after_head(&flow_with(r#"{"c": ["acme.a.Do"]}"#)),
        "s.json: $.flows[0].flow.c: invalid type: sequence, expected an object (line 1, column 158)"
    );
    assert_eq!(
        error_after_head(&flow_with("[]")),
        "s.json: $.flows[0].flow: invalid type: sequence, expected an object (line 1, column 152)"
    );
    assert_eq!(
        error_after_head(r#", "users": [["u"]]}"#),
        "s.json: $.users[0]: invalid type: sequence, expected an object (line 1, column 93)"
    );
    assert_eq!(
        error_after_head(r#", "acl": {"components": [["user", "*"]]}}"#),
        "s.json: $.acl.components[0]: invalid type: sequence, expected an object (line 1, column 106)"
    );
    assert_eq!(
        error_after_head(r#", "acl": [["user", "*"]]}"#),
        "s.json: $.acl[0]: invalid type: sequence, expected an object (line 1, column 91)"
    );
    assert_eq!(
        error_after_head(
            r#", "installed": [{"name": "acme.a", "version": "1.0.0", "authTypes": []}]}"#
        ),
        "s.json: $.installed[0].authTypes: invalid type: sequence, expected an object \
         (line 1, column 149)"
    );
}

#[test]
fn wrong_types_are_named_in_the_words_of_json() {
    assert_eq!(
        error(r#"{"format_version": 1, "tenant": "x"}"#),
        "s.json: $.tenant: invalid type: string \"x\", expected an object (line 1, column 35)"
    );
    assert_eq!(
        error_after_head(&flow_with(r#"{"c": 7}"#)),
        "s.json: $.flows[0].flow.c: invalid type: integer `7`, expected an object \
         (line 1, column 159)"
    );
    assert_eq!(
        error_after_head(r#", "installed": {}}"#),
        "s.json: $.installed: invalid type: map, expected an array of objects (line 1, column 96)"
    );
    assert_eq!(
        error_after_head(r#", "acl": 5}"#),
        "s.json: $.acl: invalid type: integer `5`, expected an object or an array of access \
         rules (line 1, column 91)"
    );
    assert_eq!(
        error_after_head(
            r#", "flows": [{"flowId": "f", "userId": "u", "stage": {"is": "running"}}]}"#
        ),
        "s.json: $.flows[0].stage: expected \"running\" or \"stopped\", found an object \
         (line 1, column 151)"
    );
}

#[test]
fn acl_is_read_in_the_apis_list_form_and_in_the_keyed_form() {
    let rules = r#"[{"role": "user", "resource": "*", "action": ["*"], "attributes": ["non-private"]},
                    {"role": "ann@example.test", "resource": "acme.a*"}]"#;
    let listed = tenant::parse(format!(r#"{HEAD}, "acl": {rules}}}"#).as_bytes(), "s.json")
        .unwrap()
        .acl;
    let keyed = tenant::parse(
        format!(r#"{HEAD}, "acl": {{"components": {rules}}}}}"#).as_bytes(),
        "s.json",
    )
    .unwrap()
    .acl;
    let expected = vec![
        AclRule {
            role: "user".into(),
            resource: "*".into(),
            action: vec!["*".into()],
            attributes: vec!["non-private".into()],
        },
        AclRule {
            role: "ann@example.test".into(),
            resource: "acme.a*".into(),
            action: vec![],
            attributes: vec![],
        },
    ];
    assert_eq!(listed.unwrap().components, expected);
    assert_eq!(keyed.unwrap().components, expected);

    // An empty list is the API's answer for a tenant without rules; null
    // is an exporter that could not read them.
    let empty = tenant::parse(format!(r#"{HEAD}, "acl": []}}"#).as_bytes(), "s.json").unwrap();
    assert_eq!(empty.acl.map(|a| a.components.len()), Some(0));
    let unknown = tenant::parse(format!(r#"{HEAD}, "acl": null}}"#).as_bytes(), "s.json").unwrap();
    assert_eq!(unknown.acl, None);
}

#[test]
fn a_byte_order_mark_is_skipped_and_hashed_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.json");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(format!("{HEAD}}}").as_bytes());
    std::fs::write(&path, &bytes).unwrap();

    let file = tenant::load(&path).unwrap();
    assert_eq!(file.snapshot.tenant.name, "a");
    assert_eq!(file.sha256, tenant::sha256_hex(&bytes));

    // Positions count from after the mark, as an editor shows them.
    bytes.truncate(3);
    bytes.extend_from_slice(br#"{"format_version": 1, "tenant": 7}"#);
    assert_eq!(
        tenant::parse(&bytes, "s.json").unwrap_err().0,
        "s.json: $.tenant: invalid type: integer `7`, expected an object (line 1, column 33)"
    );
}

#[test]
fn format_version_is_refused_twice_accepted_as_1_0_and_shown_as_written() {
    assert_eq!(
        error("{\"format_version\": 1,\n  \"format_version\": 1}"),
        "s.json: $.format_version: given twice (line 2, column 18); keep one"
    );

    let decimal = tenant::parse(
        br#"{"format_version": 1.0, "tenant": {"name": "a", "captured": "2026-01-01T00:00:00Z"}}"#,
        "s.json",
    )
    .unwrap();
    assert_eq!(decimal.format_version, 1);

    let unsupported = |found: &str| {
        format!(
            "s.json: $.format_version: format_version {found} is not supported; \
             this connector-catalog reads format_version 1"
        )
    };
    assert_eq!(
        error(r#"{"format_version": 18446744073709551616}"#),
        unsupported("18446744073709551616")
    );
    assert_eq!(
        error("{\"tenant\": 1,\n \"format_version\":   -2.5e3 , \"x\": 1}"),
        unsupported("-2.5e3")
    );
    assert_eq!(
        error(&format!(r#"{{"format_version": 1{}}}"#, "0".repeat(99))),
        unsupported(&format!("1{}… (100 characters)", "0".repeat(39)))
    );
    assert_eq!(error(r#"{"format_version": "1"}"#), unsupported("\"1\""));
    assert_eq!(error(r#"{"format_version": [1]}"#), unsupported("[...]"));
}

#[test]
fn a_plan_is_refused_as_a_snapshot() {
    assert_eq!(
        error(
            r#"{"format_version": 1, "tenant": {"name": "a", "captured": "2026-01-01T00:00:00Z"},
                "repository": "connectors", "connectors": [], "summary": {"upgrade": 0}}"#
        ),
        "s.json: $: this is a plan (it has `connectors` and `summary`), not a tenant \
         snapshot; pass the snapshot the plan was made from"
    );
}

#[test]
fn captured_must_be_an_rfc_3339_date_time() {
    assert_eq!(
        error(r#"{"format_version": 1, "tenant": {"name": "a", "captured": "not a date"}}"#),
        "s.json: $.tenant.captured: \"not a date\" is not an RFC 3339 date-time; write it \
         like \"2026-03-02T08:00:00Z\" (a UTC `Z` or an offset such as `+01:00`) \
         (line 1, column 71)"
    );

    let accepted: Vec<bool> = [
        "2026-03-02T08:00:00Z",
        "2026-03-02T08:00:00.123456+01:00",
        "2024-02-29t23:59:60z",
        "2026-12-31T23:59:59-12:00",
    ]
    .iter()
    .map(|t| tenant::is_rfc3339_date_time(t))
    .collect();
    assert_eq!(accepted, [true; 4]);

    let refused: Vec<bool> = [
        "",
        "2026-03-02",
        "2026-03-02T08:00:00",
        "2026-03-02 08:00:00Z",
        "2026-03-02T08:00Z",
        "2026-02-29T08:00:00Z",
        "2026-13-02T08:00:00Z",
        "2026-03-02T24:00:00Z",
        "2026-03-02T08:00:00.Z",
        "2026-03-02T08:00:00+0100",
        "2026-03-02T08:00:00Z ",
        "+2026-03-02T08:00:00Z",
    ]
    .iter()
    .map(|t| tenant::is_rfc3339_date_time(t))
    .collect();
    assert_eq!(refused, [false; 12]);
}

#[test]
fn an_installed_connector_needs_a_name() {
    assert_eq!(
        error_after_head(r#", "installed": [{"name": "", "version": "1.0.0"}]}"#),
        "s.json: $.installed[0].name: empty; an installed connector has a name such as \
         \"acme.chatter\" (line 1, column 108)"
    );
}

#[test]
fn snapshot_text_in_messages_has_its_control_characters_escaped() {
    let twice = error_after_head(
        r#", "installed": [{"name": "a\u001b[2J", "version": "1.0.0"},
                          {"name": "a\u001b[2J", "version": "1.0.0"}]}"#,
    );
    assert_eq!(
        twice,
        "s.json: $.installed[1].name: \"a\\u{1b}[2J\" is listed twice (first at $.installed[0])"
    );

    let flows = error_after_head(
        r#", "flows": [{"flowId": "f\n\u009b2J", "userId": "u", "stage": "running"},
                      {"flowId": "f\n\u009b2J", "userId": "u", "stage": "running"}]}"#,
    );
    assert_eq!(
        flows,
        "s.json: $.flows[1].flowId: \"f\\n\\u{9b}2J\" is used twice (first at $.flows[0])"
    );

    let captured = error(
        r#"{"format_version": 1, "tenant": {"name": "a", "captured": "\u202e\u001b]0;x\u0007"}}"#,
    );
    assert_eq!(
        captured,
        "s.json: $.tenant.captured: \"\\u{202e}\\u{1b}]0;x\\u{7}\" is not an RFC 3339 \
         date-time; write it like \"2026-03-02T08:00:00Z\" (a UTC `Z` or an offset such as \
         `+01:00`) (line 1, column 83)"
    );

    let key = error_after_head(&flow_with(r#"{"\u001b[2J": 7}"#));
    assert_eq!(
        key,
        "s.json: $.flows[0].flow[\"\\u001b[2J\"]: invalid type: integer `7`, expected an \
         object (line 1, column 167)"
    );

    let long = error_after_head(&format!(
        r#", "users": [{{"id": "{0}"}}, {{"id": "{0}"}}]}}"#,
        "u".repeat(500)
    ));
    assert_eq!(
        long,
        format!(
            "s.json: $.users[1].id: \"{}…\" is used twice (first at $.users[0])",
            "u".repeat(60)
        )
    );

    for message in [twice, flows, captured, key, long] {
        assert!(!message.chars().any(char::is_control), "{message:?}");
    }
}

#[test]
fn a_tenant_that_is_not_a_regular_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let refusal = |path: &Path, kind: &str| {
        format!(
            "{}: cannot read the snapshot: it is {kind}, not a regular file; save the snapshot \
             to a file and pass that",
            path.display()
        )
    };

    // A FIFO with a writer waiting on it: a reader that opened it would get
    // a valid snapshot, so only a refusal passes, and nothing hangs.
    let fifo = dir.path().join("snapshot.fifo");
    mkfifo(&fifo);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let text = format!("{HEAD}}}");
            std::fs::write(&fifo, text).unwrap();
        })
    };
    assert_eq!(
        tenant::load(&fifo).unwrap_err().0,
        refusal(&fifo, "a FIFO (named pipe)")
    );
    let _ = std::fs::read(&fifo);
    writer.join().unwrap();

    // Links are followed: a link to the FIFO is the FIFO.
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(&fifo, "{}").unwrap())
    };
    assert_eq!(
        tenant::load(&link).unwrap_err().0,
        refusal(&link, "a FIFO (named pipe)")
    );
    let _ = std::fs::read(&fifo);
    writer.join().unwrap();

    // A character device; `/dev/null` rather than `/dev/zero`, which a
    // reader without the check would read until memory ran out.
    let null = Path::new("/dev/null");
    assert_eq!(
        tenant::load(null).unwrap_err().0,
        refusal(null, "a character device")
    );
    assert_eq!(
        tenant::load(dir.path()).unwrap_err().0,
        refusal(dir.path(), "a folder")
    );
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
}

/// A folder with `repo/` (acme.mail 1.0.0) and `snapshot.json` that has it
/// installed at 1.0.0, so a plan of it has nothing to do.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    support::write_all(
        &dir.path().join("repo"),
        &support::connector("mail", "Mail", "Mail."),
    );
    std::fs::write(dir.path().join("snapshot.json"), snapshot_text()).unwrap();
    dir
}

fn snapshot_text() -> String {
    let value = json!({
        "format_version": 1,
        "tenant": {"name": "acme", "captured": "2026-01-02T03:04:05Z"},
        "installed": [{"name": "acme.mail", "version": "1.0.0"}]
    });
    serde_json::to_string_pretty(&value).unwrap()
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `plan repo --tenant snapshot.json --out <out>` in `dir`.
fn plan_out(dir: &Path, out: &str) -> Out {
    run(
        dir,
        &["plan", "repo", "--tenant", "snapshot.json", "--out", out],
    )
}

fn run(dir: &Path, args: &[&str]) -> Out {
    let out = Command::new(support::bin())
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// The saved plan's `tenant.name`, proof that a plan was written.
fn saved_tenant(path: &Path) -> Value {
    let plan: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    plan["tenant"]["name"].clone()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn out_saves_a_new_file_readable_by_all_and_keeps_the_mode_it_replaces() {
    let dir = workspace();
    let out = plan_out(dir.path(), "plan.json");
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (0, "saved the JSON plan to plan.json\n")
    );
    assert_eq!(mode(&dir.path().join("plan.json")), 0o644);

    for kept in [0o600, 0o664, 0o640] {
        let path = dir.path().join("plan.json");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(kept)).unwrap();
        std::fs::write(&path, "old").unwrap();
        assert_eq!(plan_out(dir.path(), "plan.json").code, 0);
        assert_eq!(mode(&path), kept);
        assert_eq!(saved_tenant(&path), "acme");
    }

    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(names, ["plan.json", "repo", "snapshot.json"]);
}

#[test]
fn out_refuses_what_is_not_a_regular_file_and_leaves_it_be() {
    let dir = workspace();
    mkfifo(&dir.path().join("pipe"));
    let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("socket")).unwrap();
    std::fs::create_dir(dir.path().join("folder")).unwrap();

    for (name, kind) in [
        ("pipe", "a FIFO (named pipe)"),
        ("socket", "a socket"),
        ("folder", "a folder"),
    ] {
        let out = plan_out(dir.path(), name);
        assert_eq!(out.code, 1, "{name}");
        assert_eq!(
            out.stderr,
            format!(
                "error: cannot write `{name}`: it is {kind}, not a regular file; give the path \
                 of a file to save the plan in\n"
            )
        );
        assert_eq!(out.stdout, "", "refused before the plan is made");
    }
    let types = |name: &str| {
        std::fs::symlink_metadata(dir.path().join(name))
            .unwrap()
            .file_type()
    };
    assert!(types("pipe").is_fifo());
    assert!(types("socket").is_socket());
    assert!(types("folder").is_dir());
}

#[test]
fn out_through_a_symbolic_link_replaces_its_target_and_keeps_the_link() {
    let dir = workspace();
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    let target = dir.path().join("plans/current.json");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("plans/current.json", dir.path().join("latest.json")).unwrap();

    assert_eq!(plan_out(dir.path(), "latest.json").code, 0);
    let link = std::fs::symlink_metadata(dir.path().join("latest.json")).unwrap();
    assert!(link.file_type().is_symlink());
    assert_eq!(saved_tenant(&target), "acme");
    assert_eq!(mode(&target), 0o640);

    // A link to nowhere, or to something that is not a file, is refused.
    std::os::unix::fs::symlink("plans/gone.json", dir.path().join("dangling.json")).unwrap();
    let out = plan_out(dir.path(), "dangling.json");
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            1,
            "error: cannot write `dangling.json`: it is a symbolic link to `plans/gone.json`, \
             which does not exist\n"
        )
    );
    mkfifo(&dir.path().join("pipe"));
    std::os::unix::fs::symlink("pipe", dir.path().join("to-pipe.json")).unwrap();
    let out = plan_out(dir.path(), "to-pipe.json");
    let resolved = dir.path().canonicalize().unwrap().join("pipe");
    assert_eq!(
        (out.code, out.stderr),
        (
            1,
            format!(
                "error: cannot write `to-pipe.json`: it is a symbolic link to a FIFO (named \
                 pipe) (`{}`), not to a regular file\n",
                resolved.display()
            )
        )
    );
}

#[test]
fn out_into_a_missing_folder_names_the_path_given() {
    let dir = workspace();
    let out = plan_out(dir.path(), "x/plan.json");
    assert_eq!(
        (out.code, out.stderr.as_str(), out.stdout.as_str()),
        (
            1,
            "error: cannot write `x/plan.json`: the folder `x` does not exist\n",
            ""
        )
    );
    assert!(!dir.path().join("x").exists());

    std::fs::write(dir.path().join("file"), "").unwrap();
    let out = plan_out(dir.path(), "file/plan.json");
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            1,
            "error: cannot write `file/plan.json`: `file` is not a folder\n"
        )
    );
}

#[test]
fn out_that_is_the_snapshot_is_refused_by_any_name() {
    let dir = workspace();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink("snapshot.json", dir.path().join("link.json")).unwrap();
    std::fs::hard_link(
        dir.path().join("snapshot.json"),
        dir.path().join("hard.json"),
    )
    .unwrap();
    let absolute = dir.path().join("snapshot.json").display().to_string();

    for out in [
        "snapshot.json",
        "./snapshot.json",
        "sub/../snapshot.json",
        absolute.as_str(),
        "link.json",
        "hard.json",
    ] {
        let result = plan_out(dir.path(), out);
        assert_eq!(
            (result.code, result.stderr, result.stdout),
            (
                1,
                format!(
                    "error: cannot write `{out}`: it is the snapshot `snapshot.json` given with \
                     --tenant, which the plan would overwrite; save the plan to another file\n"
                ),
                String::new()
            )
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("snapshot.json")).unwrap(),
        snapshot_text()
    );
}

#[test]
fn a_saved_plan_passed_as_the_tenant_is_named_a_plan() {
    let dir = workspace();
    assert_eq!(plan_out(dir.path(), "plan.json").code, 0);
    let out = run(dir.path(), &["plan", "repo", "--tenant", "plan.json"]);
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (
            1,
            "error: plan.json: $: this is a plan (it has `connectors` and `summary`), not a \
             tenant snapshot; pass the snapshot the plan was made from\n"
        )
    );
}

/// `schemas/tenant-snapshot.schema.json`'s complaints about `value`, one
/// line each, sorted; empty when valid.
fn schema_errors(value: &Value) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/tenant-snapshot.schema.json");
    let schema: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let mut errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    errors.sort();
    errors
}

#[test]
fn the_schema_and_the_reader_agree_on_the_changed_shapes() {
    let base = || {
        json!({"format_version": 1, "tenant": {"name": "a", "captured": "2026-01-01T00:00:00Z"},
               "flows": [{"flowId": "f", "userId": "u", "stage": "stopped"}]})
    };
    let reads = |value: &Value| tenant::parse(value.to_string().as_bytes(), "s.json");

    let mut listed = base();
    listed["acl"] = json!([{"role": "user", "resource": "*"}]);
    assert_eq!(schema_errors(&listed), Vec::<String>::new());
    assert_eq!(reads(&listed).unwrap().acl.unwrap().components.len(), 1);
    assert_eq!(reads(&listed).unwrap().flows[0].stage, Stage::Stopped);

    let mut decimal = base();
    decimal["format_version"] = json!(1.0);
    assert_eq!(schema_errors(&decimal), Vec::<String>::new());
    assert!(reads(&decimal).is_ok());

    let mut undated = base();
    undated["tenant"]["captured"] = json!("not a date");
    assert_eq!(
        schema_errors(&undated),
        [
            r#"/tenant/captured: "not a date" does not match "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$""#
        ]
    );
    assert!(reads(&undated).is_err());

    let mut unnamed = base();
    unnamed["installed"] = json!([{"name": "", "version": "1.0.0"}]);
    assert_eq!(
        schema_errors(&unnamed),
        ["/installed/0/name: \"\" is shorter than 1 character"]
    );
    assert!(reads(&unnamed).is_err());

    let mut positional = base();
    positional["acl"] = json!([["user", "*"]]);
    assert_eq!(
        schema_errors(&positional),
        ["/acl/0: [\"user\",\"*\"] is not of type \"object\""]
    );
    assert!(reads(&positional).is_err());
}
