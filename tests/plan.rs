//! `plan`, `diff` and `rules` from the outside: a tiny repository and a
//! hand-written snapshot per test, the binary run on them, and the exact
//! plan, report or exit code they must give.

mod support;

use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;
use support::bin;

/// A connector `acme.<name>` at `version` with the given changelog and
/// component manifests (name relative to the connector: `Send`).
fn connector(
    root: &Path,
    name: &str,
    version: &str,
    changelog: Value,
    components: &[(&str, Value)],
) {
    let dir = root.join("acme").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let write = |path: &Path, v: &Value| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, serde_json::to_string_pretty(v).unwrap()).unwrap();
    };
    write(
        &dir.join("service.json"),
        &json!({"name": format!("acme.{name}"), "label": name.to_uppercase(),
                "description": "Test connector."}),
    );
    write(
        &dir.join("bundle.json"),
        &json!({"name": format!("acme.{name}"), "version": version, "changelog": changelog}),
    );
    for (component, manifest) in components {
        write(&dir.join(component).join("component.json"), manifest);
    }
}

fn send(required: &[&str]) -> Value {
    json!({
        "name": "acme.mail.Send", "label": "Send",
        "inPorts": [{"name": "in", "schema": {"type": "object",
            "properties": {"to": {"type": "string"}, "subject": {"type": "string"}},
            "required": required}}],
        "outPorts": [{"name": "out", "options": [{"label": "Id", "value": "id"}]}]
    })
}

/// acme.mail at 1.1.0 whose Send now requires `subject`; the tenant holds
/// 1.0.0 where it did not.
fn mail_repo(root: &Path) {
    connector(
        root,
        "mail",
        "1.1.0",
        json!({"1.0.0": ["First."], "1.1.0": ["Subject is now required."]}),
        &[("Send", send(&["to", "subject"]))],
    );
}

fn snapshot(installed: Value, flows: Value, acl: Option<Value>) -> Value {
    let mut s = json!({
        "format_version": 1,
        "tenant": {"name": "acme", "captured": "2026-01-02T03:04:05Z"},
        "installed": installed,
        "flows": flows,
        "users": [{"id": "u-1", "email": "ann@example.test"},
                  {"id": "u-2", "email": "bob@example.test"}]
    });
    if let Some(rules) = acl {
        s["acl"] = json!({"components": rules});
    }
    s
}

fn flow(id: &str, user: &str, stage: &str, flow: Value) -> Value {
    json!({"flowId": id, "name": format!("Flow {id}"), "userId": user, "stage": stage,
           "flow": flow})
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], cwd: &Path) -> Out {
    let out = Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Writes the snapshot, runs `plan repo --tenant snapshot.json --format
/// json` plus `extra`, returns the exit code and the parsed plan.
fn plan_json(dir: &Path, snap: &Value, extra: &[&str]) -> (i32, Value) {
    std::fs::write(
        dir.join("snapshot.json"),
        serde_json::to_vec_pretty(snap).unwrap(),
    )
    .unwrap();
    let mut args = vec![
        "plan",
        "repo",
        "--tenant",
        "snapshot.json",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = run(&args, dir);
    assert!(out.stderr.is_empty() || out.code != 1, "{}", out.stderr);
    let value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", out.stdout, out.stderr));
    (out.code, value)
}

fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("repo")).unwrap();
    dir
}

#[test]
fn a_new_required_input_under_a_minor_is_an_undeclared_break_that_stops_the_flows_using_it() {
    let dir = workspace();
    mail_repo(&dir.path().join("repo"));
    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "1.0.0", "components": [send(&["to"])]}]),
        json!([
            flow(
                "f-1",
                "u-1",
                "running",
                json!({"s": {"type": "acme.mail.Send"}})
            ),
            flow(
                "f-2",
                "u-2",
                "stopped",
                json!({"s": {"type": "acme.mail.Send"}})
            ),
            flow(
                "f-3",
                "u-2",
                "running",
                json!({"x": {"type": "acme.other.Do"}})
            )
        ]),
        None,
    );
    let (code, plan) = plan_json(dir.path(), &snap, &[]);
    assert_eq!(code, 3);

    let c = &plan["connectors"][0];
    assert_eq!(c["name"], "acme.mail");
    assert_eq!(
        (c["installed"].as_str(), c["target"].as_str()),
        (Some("1.0.0"), Some("1.1.0"))
    );
    assert_eq!(c["change"], "minor");
    assert_eq!(c["breaking"], true);
    assert_eq!(c["undeclared_breaking"], true);
    assert_eq!(c["detection"], "manifests");
    assert_eq!(c["required"], "major");
    assert_eq!(
        c["changelog"],
        json!([{"version": "1.1.0", "text": "Subject is now required.", "breaking": false}])
    );
    let f = &c["findings"][0];
    assert_eq!(c["findings"].as_array().unwrap().len(), 1);
    assert_eq!(
        (
            f["rule"].as_str(),
            f["component"].as_str(),
            f["field"].as_str()
        ),
        (
            Some("input-made-required"),
            Some("acme.mail.Send"),
            Some("inPorts.in.subject")
        )
    );
    let fp = f["fingerprint"].as_str().unwrap();
    assert_eq!(fp.len(), 16);

    // The stopped flow is listed but not stopped again; f-3 is another
    // connector's.
    assert_eq!(
        (c["flows_running"].as_u64(), c["flows_stopped"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        c["flows_to_stop"],
        json!([{"flowId": "f-1", "name": "Flow f-1", "userId": "u-1",
                "email": "ann@example.test", "hit_by": [fp]}])
    );
    assert_eq!(
        c["owners"],
        json!([{"userId": "u-1", "email": "ann@example.test", "flows": 1}])
    );
    assert_eq!(
        c["notifications"],
        json!([{
            "userId": "u-1", "email": "ann@example.test", "title": "Flow \"Flow f-1\" stopped",
            "created": "2026-01-02T03:04:05Z", "flowId": "f-1", "flowName": "Flow f-1",
            "additional": {"module": "acme.mail", "moduleLabel": "MAIL",
                "reason": "New non-compatible version 1.1.0 of the module acme.mail will be \
                           installed: acme.mail.Send input \"subject\" in inPorts.in is now required."}
        }])
    );
    assert_eq!(
        c["publish"],
        json!({"zip": "acme.mail.zip", "path": "acme/mail"})
    );
    assert_eq!(
        plan["summary"],
        json!({"upgrade": 1, "breaking": 1, "undeclared_breaking": 1, "install": 0, "orphan": 0,
               "downgrade": 0, "refused": 0, "failed": 0, "up_to_date": 0, "flows_to_stop": 1,
               "owners_to_notify": 1, "notifications": 1})
    );
}

#[test]
fn without_manifests_a_breaking_changelog_marker_decides_and_the_plan_says_so() {
    let dir = workspace();
    connector(
        &dir.path().join("repo"),
        "mail",
        "1.10.0",
        json!({"1.2.0": ["Old."], "1.10.0": ["Breaking: the Send output is renamed."],
               "1.3.0": ["Third."], "1.9.0": ["Ninth."]}),
        &[("Send", send(&["to"]))],
    );
    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "1.2.0"}]),
        json!([]),
        None,
    );
    let (code, plan) = plan_json(dir.path(), &snap, &[]);
    assert_eq!(code, 3);
    let c = &plan["connectors"][0];
    assert_eq!(c["detection"], "changelog");
    assert_eq!(c["findings"], json!([]));
    assert_eq!(c["required"], "major");
    assert_eq!(c["undeclared_breaking"], true);
    // After 1.2.0, up to 1.10.0, by semver precedence rather than file order.
    let versions: Vec<&str> = c["changelog"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["1.3.0", "1.9.0", "1.10.0"]);
    assert_eq!(c["changelog"][2]["breaking"], true);
}

#[test]
fn a_major_without_manifest_changes_is_breaking_by_declaration_only() {
    let dir = workspace();
    connector(
        &dir.path().join("repo"),
        "mail",
        "2.0.0",
        json!({"1.0.0": ["First."], "2.0.0": ["Engine 6."]}),
        &[("Send", send(&["to"]))],
    );
    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "1.0.0", "components": [send(&["to"])]}]),
        json!([flow(
            "f-1",
            "u-2",
            "running",
            json!({"s": {"type": "acme.mail.Send"}})
        )]),
        None,
    );
    let (code, plan) = plan_json(dir.path(), &snap, &[]);
    assert_eq!(code, 3);
    let c = &plan["connectors"][0];
    assert_eq!(c["change"], "major");
    assert_eq!(c["breaking_by_declaration_only"], true);
    assert_eq!(c["undeclared_breaking"], false);
    assert_eq!(c["flows_to_stop"][0]["hit_by"], json!([]));
    assert_eq!(
        c["notifications"][0]["additional"]["reason"],
        "New non-compatible version 2.0.0 of the module acme.mail will be installed: its major \
         version changes."
    );
}

#[test]
fn exit_0_when_up_to_date_and_2_for_changes_that_break_nothing() {
    let dir = workspace();
    mail_repo(&dir.path().join("repo"));
    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "1.1.0"}]),
        json!([]),
        None,
    );
    let (code, plan) = plan_json(dir.path(), &snap, &[]);
    assert_eq!(code, 0);
    assert_eq!(plan["connectors"][0]["change"], "none");
    assert_eq!(plan["summary"]["up_to_date"], 1);

    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "1.0.0"}]),
        json!([]),
        None,
    );
    let (code, plan) = plan_json(dir.path(), &snap, &[]);
    assert_eq!(code, 2);
    assert_eq!(plan["connectors"][0]["change"], "minor");
    assert_eq!(plan["connectors"][0]["breaking"], false);
}

#[test]
fn a_downgrade_is_refused_unless_allowed() {
    let dir = workspace();
    mail_repo(&dir.path().join("repo"));
    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "1.2.0"}]),
        json!([]),
        None,
    );
    let (code, plan) = plan_json(dir.path(), &snap, &[]);
    assert_eq!(code, 0);
    let c = &plan["connectors"][0];
    assert_eq!(
        (c["change"].as_str(), c["refused"].as_bool()),
        (Some("downgrade"), Some(true))
    );
    assert_eq!(c["publish"], Value::Null);
    assert_eq!(
        c["warnings"],
        json!([
            "the tenant has 1.2.0, newer than the repository's 1.1.0; left as it is \
                (--allow-downgrade installs the repository's version)"
        ])
    );

    // Allowed, a minor step back is judged like a minor step forward:
    // nothing in the manifests breaks, so nothing stops.
    let (code, plan) = plan_json(dir.path(), &snap, &["--allow-downgrade"]);
    assert_eq!(code, 2);
    let c = &plan["connectors"][0];
    assert_eq!(
        (c["refused"].as_bool(), c["breaking"].as_bool()),
        (Some(false), Some(false))
    );
    assert_eq!(c["publish"]["zip"], "acme.mail.zip");
    assert_eq!(
        plan["summary"]["downgrade"].as_u64(),
        Some(1),
        "counted as a downgrade, not an upgrade"
    );

    // Back across a major number breaks, as going forward would.
    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "2.0.0"}]),
        json!([]),
        None,
    );
    let (code, plan) = plan_json(dir.path(), &snap, &["--allow-downgrade"]);
    assert_eq!(code, 3);
    assert_eq!(plan["connectors"][0]["breaking"], true);
    assert_eq!(plan["connectors"][0]["undeclared_breaking"], false);
}

#[test]
fn an_orphan_lists_its_flows_and_what_happens_to_them() {
    let dir = workspace();
    mail_repo(&dir.path().join("repo"));
    let fax_trigger = json!({"name": "acme.fax.Received", "tick": true, "outPorts": ["out"]});
    let fax_action = json!({"name": "acme.fax.Send", "inPorts": ["in"]});
    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "1.1.0"},
               {"name": "acme.fax", "version": "2.0.0", "components": [fax_trigger, fax_action]}]),
        json!([flow(
            "f-1",
            "u-1",
            "running",
            json!({"t": {"type": "acme.fax.Received"}, "a": {"type": "acme.fax.Send"}})
        )]),
        None,
    );
    let (code, plan) = plan_json(dir.path(), &snap, &[]);
    assert_eq!(code, 2);
    let c = &plan["connectors"][0];
    assert_eq!(
        (c["name"].as_str(), c["change"].as_str()),
        (Some("acme.fax"), Some("orphan"))
    );
    assert_eq!(c["target"], Value::Null);
    assert_eq!(c["orphan"]["triggers"], json!(["acme.fax.Received"]));
    assert_eq!(c["orphan"]["actions"], json!(["acme.fax.Send"]));
    assert_eq!(c["orphan"]["consequences"].as_array().unwrap().len(), 2);
    assert_eq!(
        c["flows"][0]["components"],
        json!(["acme.fax.Received", "acme.fax.Send"])
    );
    assert_eq!(c["flows_to_stop"], json!([]));
}

#[test]
fn an_install_under_the_generic_rule_is_visible_at_once_and_lockdown_replaces_that_rule() {
    let dir = workspace();
    let repo = dir.path().join("repo");
    mail_repo(&repo);
    connector(&repo, "chat", "1.0.0", json!({"1.0.0": ["First."]}), &[]);
    let generic = json!({"role": "user", "resource": "*", "action": ["*"],
                         "attributes": ["non-private"]});
    let admins = json!({"role": "admin", "resource": "*", "action": ["*"], "attributes": ["*"]});
    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "1.1.0"}]),
        json!([]),
        Some(json!([generic, admins])),
    );
    let (code, plan) = plan_json(dir.path(), &snap, &[]);
    assert_eq!(code, 2);
    let c = &plan["connectors"][0];
    assert_eq!(
        (c["name"].as_str(), c["change"].as_str()),
        (Some("acme.chat"), Some("install"))
    );
    assert_eq!(
        c["install"],
        json!({"visible_to_every_user": true, "by_generic_rule": true,
               "rules": [generic.clone(), admins.clone()]})
    );
    assert_eq!(plan["access"]["lockdown"], Value::Null);

    let (_, plan) = plan_json(dir.path(), &snap, &["--lockdown"]);
    let mail_rule = json!({"role": "user", "resource": "acme.mail.*", "action": ["*"],
                           "attributes": ["non-private"]});
    assert_eq!(
        plan["access"]["lockdown"],
        json!({"rules": [admins, mail_rule.clone()], "removed": [generic], "added": [mail_rule]})
    );

    // Without the generic rule nothing lets users in: the install stays
    // hidden, and lockdown has nothing to replace.
    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "1.1.0"}]),
        json!([]),
        Some(json!([{"role": "admin", "resource": "*"}])),
    );
    let (_, plan) = plan_json(dir.path(), &snap, &["--lockdown"]);
    assert_eq!(
        plan["connectors"][0]["install"]["visible_to_every_user"],
        false
    );
    assert_eq!(plan["access"]["lockdown"]["added"], json!([]));
}

#[test]
fn out_saves_the_json_plan_with_the_snapshots_hash() {
    let dir = workspace();
    mail_repo(&dir.path().join("repo"));
    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "1.0.0"}]),
        json!([]),
        None,
    );
    let bytes = serde_json::to_vec(&snap).unwrap();
    std::fs::write(dir.path().join("snapshot.json"), &bytes).unwrap();
    let out = run(
        &[
            "plan",
            "repo",
            "--tenant",
            "snapshot.json",
            "--out",
            "saved/plan.json",
        ],
        dir.path(),
    );
    // The folder does not exist: an error, exit 1, and no partial file.
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("error: cannot write `saved/plan.json`"),
        "{}",
        out.stderr
    );

    let out = run(
        &[
            "plan",
            "repo",
            "--tenant",
            "snapshot.json",
            "--out",
            "plan.json",
        ],
        dir.path(),
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("Upgrade plan for tenant acme"),
        "{}",
        out.stdout
    );
    let saved: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("plan.json")).unwrap()).unwrap();
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        saved["snapshot"],
        json!({"path": "snapshot.json", "sha256": hex})
    );
    assert_eq!(saved["format_version"], 1);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 3, "{leftovers:?}");
}

#[test]
fn errors_exit_1_with_the_snapshot_path_and_reason() {
    let dir = workspace();
    mail_repo(&dir.path().join("repo"));
    std::fs::write(dir.path().join("snapshot.json"), r#"{"format_version": 7}"#).unwrap();
    let out = run(&["plan", "repo", "--tenant", "snapshot.json"], dir.path());
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "error: snapshot.json: $.format_version: format_version 7 is not supported; this \
         connector-catalog reads format_version 1\n"
    );
    assert_eq!(out.stdout, "");

    let out = run(&["plan", "repo"], dir.path());
    assert_eq!(
        out.code, 1,
        "a missing --tenant is an error, not \"changes\""
    );
    let out = run(
        &["plan", "--tenant", "snapshot.json", "--format", "yaml"],
        dir.path(),
    );
    assert_eq!(out.code, 1);
    let out = run(&["diff", "only-one"], dir.path());
    assert_eq!(out.code, 1);
    let out = run(&["diff", "repo", "nowhere"], dir.path());
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .starts_with("error: cannot read repository `nowhere`"),
        "{}",
        out.stderr
    );
}

#[test]
fn markdown_escapes_manifest_text_and_stays_under_one_comment() {
    let dir = workspace();
    let repo = dir.path().join("repo");
    // 120 connectors, each with a long hostile changelog, all upgraded.
    let entry = format!(
        "<script>alert(1)</script> [x](javascript:alert(1)) | {}",
        "y".repeat(800)
    );
    let mut installed = Vec::new();
    for i in 0..120 {
        let name = format!("c{i:03}");
        connector(
            &repo,
            &name,
            "1.1.0",
            json!({"1.0.0": ["a"], "1.1.0": [entry]}),
            &[],
        );
        installed.push(json!({"name": format!("acme.{name}"), "version": "1.0.0"}));
    }
    let snap = snapshot(json!(installed), json!([]), None);
    std::fs::write(
        dir.path().join("snapshot.json"),
        serde_json::to_vec(&snap).unwrap(),
    )
    .unwrap();
    let out = run(
        &[
            "plan",
            "repo",
            "--tenant",
            "snapshot.json",
            "--format",
            "markdown",
        ],
        dir.path(),
    );
    assert_eq!(out.code, 2);
    let md = out.stdout;
    assert!(md.len() < 65_000, "{}", md.len());
    assert!(!md.contains("<script>"));
    // Every `](` that could close a link text is escaped.
    assert!(md
        .match_indices("](")
        .all(|(at, _)| &md[at - 1..at] == "\\"));
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](javascript:alert(1)) \\|"));
    let shown = md.matches("<details>").count();
    let shortened = md.matches("Too long for one comment").count();
    assert!(shown > 10 && shown < 120, "{shown}");
    assert!(md.contains(&format!(
        "> **Truncated** to stay under 65000 characters: 120 of 120 table rows shown, \
         {shortened} sections shortened, {} left out; the JSON plan (`plan --format json`) has \
         everything.",
        120 - shown
    )));
    // Every connector is still in the table.
    assert_eq!(md.matches("| acme.c").count(), 120);
}

#[test]
fn diff_exits_3_when_the_declared_bump_is_below_the_required_one() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    connector(
        &old,
        "mail",
        "1.0.0",
        json!({"1.0.0": ["First."]}),
        &[("Send", send(&["to"]))],
    );
    mail_repo(&new);
    connector(&new, "chat", "0.1.0", json!({"0.1.0": ["New."]}), &[]);
    let out = run(&["diff", "old", "new", "--format", "json"], dir.path());
    assert_eq!(out.code, 3, "{}", out.stderr);
    let d: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        d["summary"],
        json!({"connectors": 2, "changed": 2, "under_declared": 1, "failed": 0})
    );
    let chat = &d["connectors"][0];
    assert_eq!(
        (chat["name"].as_str(), chat["old_version"].as_str()),
        (Some("acme.chat"), None)
    );
    assert_eq!(chat["ok"], true);
    let mail = &d["connectors"][1];
    assert_eq!(
        (mail["old_version"].as_str(), mail["new_version"].as_str()),
        (Some("1.0.0"), Some("1.1.0"))
    );
    assert_eq!(
        (mail["declared"].as_str(), mail["required"].as_str()),
        (Some("minor"), Some("major"))
    );
    assert_eq!(mail["ok"], false);
    assert_eq!(mail["findings"][0]["rule"], "input-made-required");

    let out = run(&["diff", "old", "new"], dir.path());
    assert!(
        out.stdout.contains(
            "! acme.mail  1.0.0 -> 1.1.0  declared minor, required major  UNDER-DECLARED\n"
        ),
        "{}",
        out.stdout
    );
    assert!(out
        .stdout
        .ends_with("Diff: 2 of 2 connectors changed, 1 under-declared.\n"));

    // The same state on both sides: nothing to say, exit 0.
    let out = run(&["diff", "new", "new"], dir.path());
    assert_eq!(out.code, 0);
}

#[test]
fn rules_lists_every_rule_with_its_bump() {
    let out = run(
        &["rules", "--format", "json"],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    assert_eq!(out.code, 0);
    let rules: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    let ids: Vec<(&str, &str)> = rules
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["bump"].as_str().unwrap()))
        .collect();
    assert_eq!(
        ids,
        [
            ("component-removed", "major"),
            ("component-made-private", "major"),
            ("required-input-added", "major"),
            ("input-made-required", "major"),
            ("input-removed", "major"),
            ("input-port-removed", "major"),
            ("input-type-changed", "major"),
            ("enum-value-removed", "major"),
            ("output-port-removed", "major"),
            ("output-variable-removed", "major"),
            ("output-variable-type-changed", "major"),
            ("auth-added", "major"),
            ("auth-service-changed", "major"),
            ("auth-type-changed", "major"),
            ("oauth-scope-added", "major"),
            ("trigger-kind-changed", "major"),
            ("component-added", "minor"),
            ("optional-input-added", "minor"),
            ("input-port-added", "minor"),
            ("output-port-added", "minor"),
            ("output-variable-added", "minor"),
            ("enum-value-added", "minor"),
            ("component-deprecated", "minor"),
            ("input-deprecated", "minor"),
            ("component-label-changed", "patch"),
        ]
    );
    assert!(rules
        .iter()
        .all(|r| r["summary"].is_string() && r["explanation"].is_string()));
    let text = run(&["rules"], Path::new(env!("CARGO_MANIFEST_DIR"))).stdout;
    assert_eq!(text.lines().count(), 50);
}

#[test]
fn markdown_cuts_the_table_and_shortens_a_huge_section_instead_of_hiding_the_rest() {
    let dir = workspace();
    let repo = dir.path().join("repo");
    // One connector whose section alone passes the limit, one small one.
    let entries: Vec<String> = (0..400)
        .map(|i| format!("Change {i}: {}", "z".repeat(200)))
        .collect();
    connector(
        &repo,
        "big",
        "1.1.0",
        json!({"1.0.0": ["a"], "1.1.0": entries}),
        &[],
    );
    connector(
        &repo,
        "small",
        "1.1.0",
        json!({"1.0.0": ["a"], "1.1.0": ["Small change."]}),
        &[],
    );
    // And 3,000 orphans for a table that cannot fit.
    let mut installed = vec![
        json!({"name": "acme.big", "version": "1.0.0"}),
        json!({"name": "acme.small", "version": "1.0.0"}),
    ];
    installed
        .extend((0..3000).map(|i| json!({"name": format!("zz.gone{i:04}"), "version": "1.0.0"})));
    let snap = snapshot(json!(installed), json!([]), None);
    std::fs::write(
        dir.path().join("snapshot.json"),
        serde_json::to_vec(&snap).unwrap(),
    )
    .unwrap();
    let out = run(
        &[
            "plan",
            "repo",
            "--tenant",
            "snapshot.json",
            "--format",
            "markdown",
        ],
        dir.path(),
    );
    let md = out.stdout;
    assert!(md.len() <= 65_000, "{}", md.len());
    // acme.big is shortened, acme.small still has its whole section.
    assert!(md.contains(
        "<details><summary><b>acme.big</b> 1.0.0 → 1.1.0 · minor</summary>\n\nToo long for one \
         comment; the JSON plan (`plan --format json`) has it.\n\n</details>"
    ));
    assert!(md.contains("- `1.1.0` Small change."));
    let rows = md.matches("| zz.gone").count();
    assert!(rows > 100 && rows < 3000, "{rows}");
    assert!(md.contains(&format!("| … | {} more in the JSON plan", 3002 - 2 - rows)));
}

#[test]
fn a_connector_that_failed_the_scan_is_not_planned_and_plan_exits_1() {
    let dir = workspace();
    let repo = dir.path().join("repo");
    mail_repo(&repo);
    // A missing comma in a component: the component would read as removed.
    std::fs::write(
        repo.join("acme/mail/Send/component.json"),
        "{\"name\": \"acme.mail.Send\" \"x\": 1}",
    )
    .unwrap();
    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "1.0.0"}]),
        json!([]),
        None,
    );
    std::fs::write(
        dir.path().join("snapshot.json"),
        serde_json::to_vec(&snap).unwrap(),
    )
    .unwrap();
    let out = run(
        &[
            "plan",
            "repo",
            "--tenant",
            "snapshot.json",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(out.code, 1);
    let plan: Value = serde_json::from_str(&out.stdout).unwrap();
    let c = &plan["connectors"][0];
    assert_eq!(
        (c["failed"].as_bool(), c["change"].as_str()),
        (Some(true), Some("none"))
    );
    assert_eq!(c["publish"], Value::Null);
    assert_eq!(plan["summary"]["failed"], 1);
    assert_eq!(plan["summary"]["up_to_date"], 0);
    let text = run(&["plan", "repo", "--tenant", "snapshot.json"], dir.path()).stdout;
    assert!(
        text.contains("? acme.mail  1.0.0 -> 1.1.0  not planned: failed the repository scan\n"),
        "{text}"
    );

    // diff does not call it removed either.
    std::fs::create_dir(dir.path().join("old")).unwrap();
    mail_repo(&dir.path().join("old"));
    let out = run(&["diff", "old", "repo", "--format", "json"], dir.path());
    assert_eq!(out.code, 1);
    let d: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(d["connectors"][0]["failed"], true);
    assert_eq!(d["connectors"][0]["findings"], json!([]));
}

#[test]
fn diff_counts_a_removed_connector_as_breaking_and_ignores_build_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    mail_repo(&old);
    connector(
        &old,
        "chat",
        "1.0.0",
        json!({"1.0.0": ["a"]}),
        &[("Post", json!({"name": "acme.chat.Post", "inPorts": ["in"]}))],
    );
    connector(
        &new,
        "mail",
        "1.1.0+build.7",
        json!({"1.0.0": ["First."], "1.1.0": ["x"]}),
        &[("Send", send(&["to", "subject"]))],
    );
    let out = run(&["diff", "old", "new", "--format", "json"], dir.path());
    assert_eq!(out.code, 3);
    let d: Value = serde_json::from_str(&out.stdout).unwrap();
    // 1.1.0 and 1.1.0+build.7 are the same version: no change for mail.
    assert_eq!(d["connectors"].as_array().unwrap().len(), 1);
    let chat = &d["connectors"][0];
    assert_eq!(chat["name"], "acme.chat");
    assert_eq!(
        (chat["required"].as_str(), chat["ok"].as_bool()),
        (Some("major"), Some(false))
    );
    assert_eq!(chat["findings"][0]["rule"], "component-removed");
}

#[test]
fn lockdown_needs_known_rules_and_replaces_every_broad_user_rule() {
    let dir = workspace();
    let repo = dir.path().join("repo");
    mail_repo(&repo);
    connector(&repo, "chat", "1.0.0", json!({"1.0.0": ["First."]}), &[]);
    let installed = json!([{"name": "acme.mail", "version": "1.1.0"}]);

    // No access rules in the snapshot: no proposal (applying one would
    // erase rules nobody has seen).
    let snap = snapshot(installed.clone(), json!([]), None);
    let (_, plan) = plan_json(dir.path(), &snap, &["--lockdown"]);
    assert_eq!(plan["access"]["lockdown"], Value::Null);

    // `user acme*` is as broad as `user *` for acme connectors to come.
    let broad = json!({"role": "user", "resource": "acme*", "action": ["*"], "attributes": ["non-private"]});
    let narrow = json!({"role": "user", "resource": "acme.mail.Send*", "action": ["*"], "attributes": ["non-private"]});
    let snap = snapshot(installed.clone(), json!([]), Some(json!([broad, narrow])));
    let (_, plan) = plan_json(dir.path(), &snap, &["--lockdown"]);
    let mail = json!({"role": "user", "resource": "acme.mail.*", "action": ["*"], "attributes": ["non-private"]});
    assert_eq!(
        plan["access"]["lockdown"],
        json!({"rules": [narrow, mail.clone()], "removed": [broad], "added": [mail]})
    );
    assert_eq!(
        plan["connectors"][0]["install"]["visible_to_every_user"],
        true
    );

    // A rule for private helpers only does not make a connector visible.
    let private = json!({"role": "user", "resource": "acme.chat.*", "attributes": ["private"]});
    let snap = snapshot(installed, json!([]), Some(json!([private])));
    let (_, plan) = plan_json(dir.path(), &snap, &[]);
    assert_eq!(
        plan["connectors"][0]["install"]["visible_to_every_user"],
        false
    );
}

#[test]
fn a_flow_stopped_without_being_hit_is_told_so_and_drift_is_reported() {
    let dir = workspace();
    let repo = dir.path().join("repo");
    mail_repo(&repo);
    let other = json!({"name": "acme.mail.List", "outPorts": ["out"]});
    std::fs::create_dir_all(repo.join("acme/mail/List")).unwrap();
    std::fs::write(
        repo.join("acme/mail/List/component.json"),
        other.to_string(),
    )
    .unwrap();
    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "1.0.0", "components": [send(&["to"]), other]}]),
        json!([flow(
            "f-9",
            "u-1",
            "running",
            json!({"l": {"type": "acme.mail.List"}})
        )]),
        None,
    );
    let (_, plan) = plan_json(dir.path(), &snap, &[]);
    assert_eq!(
        plan["connectors"][0]["notifications"][0]["additional"]["reason"],
        "New non-compatible version 1.1.0 of the module acme.mail will be installed; this flow \
         uses none of the changed components but is stopped with every running flow of the \
         module (among the changes: acme.mail.Send input \"subject\" in inPorts.in is now \
         required)."
    );

    // The same version with other manifests: up to date, with a warning.
    let snap = snapshot(
        json!([{"name": "acme.mail", "version": "1.1.0", "components": [send(&["to"]), other]}]),
        json!([]),
        None,
    );
    let (code, plan) = plan_json(dir.path(), &snap, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        plan["connectors"][0]["warnings"],
        json!([
            "the tenant's manifests differ from the repository's at the same version 1.1.0 \
                (1 finding); the tenant keeps an existing version, so the repository needs a new \
                one for the change to land"
        ])
    );
}
