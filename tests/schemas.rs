//! The published JSON Schemas (`schemas/`), the sample tenant snapshot
//! (`tenant/sample-snapshot.json`) and the synthetic snapshot generator.
//!
//! The schemas are a contract with people who write snapshots by hand and
//! scripts that read plans, so each is checked against the draft 2020-12
//! meta-schema and against what the reader accepts and refuses. The sample
//! snapshot is the demo tenant of the sample repository: its counts and the
//! findings its older manifests were written to produce are asserted here,
//! so that an edit which loses one of them is noticed.

#[path = "support/snapshot_synth.rs"]
mod snapshot_synth;

use connector_catalog::plan::compare::compare;
use connector_catalog::plan::model::{Bump, PlanOptions};
use connector_catalog::scan::{scan, Repository};
use connector_catalog::tenant::installed::read_components;
use connector_catalog::tenant::{self, Snapshot, Stage};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const SNAPSHOT_SCHEMA: &str = "tenant-snapshot.schema.json";

fn project() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Validates `value` against `schemas/<schema_file>`: one line per
/// problem, `<JSON pointer>: <what is wrong>`, sorted; empty when valid.
fn validate(schema_file: &str, value: &Value) -> Vec<String> {
    let schema = read_json(&project().join("schemas").join(schema_file));
    let validator = jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("{schema_file} does not compile: {e}"));
    let mut errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| {
            let at = e.instance_path().to_string();
            format!("{}: {e}", if at.is_empty() { "/" } else { &at })
        })
        .collect();
    errors.sort();
    errors
}

fn sample_path() -> PathBuf {
    project().join("tenant/sample-snapshot.json")
}

fn fixture(name: &str) -> PathBuf {
    project().join("tests/fixtures/tenant").join(name)
}

#[test]
fn every_schema_is_draft_2020_12_and_describes_every_property() {
    for file in [SNAPSHOT_SCHEMA, "plan.schema.json", "diff.schema.json"] {
        let schema = read_json(&project().join("schemas").join(file));
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{file}"
        );
        if let Err(e) = jsonschema::meta::validate(&schema) {
            panic!("{file} is not a valid draft 2020-12 schema: {e}");
        }
        let mut undocumented = Vec::new();
        undescribed(&schema, "#", &mut undocumented);
        assert_eq!(undocumented, Vec::<String>::new(), "{file}");
    }
}

/// Collects the pointers of properties and definitions that have no
/// `description`.
fn undescribed(schema: &Value, at: &str, out: &mut Vec<String>) {
    for key in ["properties", "$defs"] {
        if let Some(children) = schema.get(key).and_then(Value::as_object) {
            for (name, child) in children {
                let here = format!("{at}/{key}/{name}");
                if child.get("description").is_none() {
                    out.push(here.clone());
                }
                undescribed(child, &here, out);
            }
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = schema.get(key).filter(|c| c.is_object()) {
            undescribed(child, &format!("{at}/{key}"), out);
        }
    }
}

#[test]
fn plan_and_diff_share_their_common_definitions() {
    let plan = read_json(&project().join("schemas/plan.schema.json"));
    let diff = read_json(&project().join("schemas/diff.schema.json"));
    for def in ["bump", "changelogEntry", "finding"] {
        assert_eq!(plan["$defs"][def], diff["$defs"][def], "$defs/{def}");
        assert!(plan["$defs"][def].is_object(), "$defs/{def}");
    }
}

#[test]
fn the_sample_snapshot_loads_with_exact_counts() {
    let file = tenant::load(&sample_path()).expect("the sample snapshot loads");
    let s = &file.snapshot;

    assert_eq!(s.tenant.name, "acme-prod");
    let installed: Vec<(&str, &str, bool)> = s
        .installed
        .iter()
        .map(|i| (i.name.as_str(), i.version.as_str(), i.components.is_some()))
        .collect();
    assert_eq!(
        installed,
        [
            ("acme.chatter", "1.9.0", true),
            ("acme.cloudsuite.drive", "1.0.1", false),
            ("acme.cloudsuite.mail", "1.1.0", true),
            ("acme.faxline", "2.0.0", true),
            ("acme.ledger", "3.1.0", true),
            ("acme.microblog", "1.0.1", false),
            ("acme.notebook", "1.4.0", true),
            ("acme.tasker", "1.0.0", false),
            ("acme.utilities", "1.1.9", false),
        ]
    );
    let manifests: usize = s
        .installed
        .iter()
        .filter_map(|i| i.components.as_ref())
        .map(Vec::len)
        .sum();
    assert_eq!(manifests, 12 + 6 + 3 + 6 + 5);

    assert_eq!(s.flows.len(), 15);
    let running = s.flows.iter().filter(|f| f.stage == Stage::Running).count();
    assert_eq!((running, s.flows.len() - running), (11, 4));
    let placed: usize = s.flows.iter().map(|f| f.flow.len()).sum();
    assert_eq!(placed, 33);

    assert_eq!(s.users.len(), 6);
    let acl = s.acl.as_ref().expect("the sample has access rules");
    assert_eq!(acl.components.len(), 6);
    assert_eq!(acl.components.iter().filter(|r| r.is_generic()).count(), 1);
}

#[test]
fn the_sample_snapshot_matches_its_schema() {
    assert_eq!(
        validate(SNAPSHOT_SCHEMA, &read_json(&sample_path())),
        Vec::<String>::new()
    );
}

#[test]
fn the_schema_and_the_reader_refuse_format_version_2() {
    let path = fixture("format-version-2.json");
    assert_eq!(
        validate(SNAPSHOT_SCHEMA, &read_json(&path)),
        ["/format_version: 1 was expected"]
    );
    let error = tenant::load(&path).unwrap_err().0;
    assert!(
        error.ends_with(
            "$.format_version: format_version 2 is not supported; \
             this connector-catalog reads format_version 1"
        ),
        "{error}"
    );
}

#[test]
fn the_schema_and_the_reader_refuse_a_flow_without_flow_id() {
    let path = fixture("flow-without-id.json");
    assert_eq!(
        validate(SNAPSHOT_SCHEMA, &read_json(&path)),
        ["/flows/0: \"flowId\" is a required property"]
    );
    let error = tenant::load(&path).unwrap_err().0;
    assert!(
        error.ends_with("$.flows[0]: missing field `flowId` (line 11, column 5)"),
        "{error}"
    );
}

#[test]
fn the_schema_and_the_reader_accept_unknown_keys() {
    let path = fixture("unknown-keys.json");
    assert_eq!(
        validate(SNAPSHOT_SCHEMA, &read_json(&path)),
        Vec::<String>::new()
    );
    let s = tenant::load(&path)
        .expect("unknown keys are ignored")
        .snapshot;
    assert_eq!(
        s.flows[0].flow["trigger"].component_type,
        "acme.chatter.messages.NewMessage"
    );
}

#[test]
fn the_sample_tenant_plans_one_of_each_verdict() {
    let repo = scan(&project().join("connectors")).unwrap();
    let snapshot = tenant::load(&sample_path()).unwrap();
    let plan = connector_catalog::plan::plan(&repo, "connectors", &snapshot, Default::default());

    // name, change, breaking, undeclared, by declaration only, flows to stop
    let verdicts: Vec<(&str, &str, bool, bool, bool, usize)> = plan
        .connectors
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.change.as_str(),
                c.breaking,
                c.undeclared_breaking,
                c.breaking_by_declaration_only,
                c.flows_to_stop.len(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("acme.chatter", "minor", true, true, false, 6),
            ("acme.cloudsuite.drive", "minor", false, false, false, 0),
            ("acme.cloudsuite.mail", "minor", false, false, false, 0),
            ("acme.faxline", "orphan", false, false, false, 0),
            ("acme.ledger", "major", true, false, false, 2),
            ("acme.microblog", "none", false, false, false, 0),
            ("acme.notebook", "major", true, false, true, 2),
            ("acme.tasker", "minor", false, false, false, 0),
            ("acme.utilities", "patch", false, false, false, 0),
            ("community.weatherly", "install", false, false, false, 0),
        ]
    );
}

#[test]
fn plans_of_the_sample_tenant_match_their_schema() {
    let repo = scan(&project().join("connectors")).unwrap();
    let snapshot = tenant::load(&sample_path()).unwrap();
    for options in [
        PlanOptions::default(),
        PlanOptions {
            lockdown: true,
            allow_downgrade: true,
        },
    ] {
        let plan = connector_catalog::plan::plan(&repo, "connectors", &snapshot, options);
        let value = serde_json::to_value(&plan).unwrap();
        assert_eq!(
            validate("plan.schema.json", &value),
            Vec::<String>::new(),
            "{options:?}"
        );
    }

    // Objects are closed, so a key the schema does not document is caught.
    let plan =
        connector_catalog::plan::plan(&repo, "connectors", &snapshot, PlanOptions::default());
    let mut value = serde_json::to_value(&plan).unwrap();
    value["connectors"][0]["surprise"] = Value::Bool(true);
    assert_eq!(
        validate("plan.schema.json", &value),
        ["/connectors/0: Additional properties are not allowed ('surprise' was unexpected)"]
    );
}

#[test]
fn a_diff_from_the_sample_tenant_to_the_repository_matches_its_schema() {
    // The tenant's state as a repository: its versions and manifests in
    // place of the repository's, its orphan gone, its missing connector
    // absent.
    let new = scan(&project().join("connectors")).unwrap();
    let snapshot = tenant::load(&sample_path()).unwrap().snapshot;
    let mut old = new.clone();
    old.connectors.retain(|c| c.name != "community.weatherly");
    for connector in &mut old.connectors {
        let (index, installed) = snapshot
            .installed
            .iter()
            .enumerate()
            .find(|(_, i)| i.name == connector.name)
            .expect("installed");
        connector.version = Some(installed.version.clone());
        if let Some(read) = read_components(installed, index) {
            connector.components = read.components;
        }
    }

    let diff = connector_catalog::plan::diff(&old, "tenant", &new, "connectors");
    let value = serde_json::to_value(&diff).unwrap();
    assert_eq!(validate("diff.schema.json", &value), Vec::<String>::new());
    let changed: Vec<(&str, bool)> = diff
        .connectors
        .iter()
        .map(|c| (c.name.as_str(), c.ok))
        .collect();
    assert_eq!(
        changed,
        [
            ("acme.chatter", false),
            ("acme.cloudsuite.drive", true),
            ("acme.cloudsuite.mail", true),
            ("acme.ledger", true),
            ("acme.notebook", true),
            ("acme.tasker", true),
            ("acme.utilities", true),
            ("community.weatherly", true),
        ]
    );
}

/// `<rule> <component> <field>` for every finding between the sample
/// snapshot's manifests of `name` and the sample repository's components.
fn sample_findings(repo: &Repository, snapshot: &Snapshot, name: &str) -> Vec<String> {
    let (index, installed) = snapshot
        .installed
        .iter()
        .enumerate()
        .find(|(_, i)| i.name == name)
        .unwrap_or_else(|| panic!("{name} is installed"));
    let old = read_components(installed, index).expect("manifests");
    assert_eq!(old.problems, Vec::<String>::new(), "{name}");
    let new = &repo.connector(name).expect("in the repository").components;
    compare(&old.components, new)
        .into_iter()
        .map(|f| {
            format!("{} {} {}", f.rule, f.component, f.field)
                .trim_end()
                .to_string()
        })
        .collect()
}

#[test]
fn the_sample_manifests_give_the_designed_findings() {
    let repo = scan(&project().join("connectors")).expect("the sample repository scans");
    let snapshot = tenant::load(&sample_path()).unwrap().snapshot;

    // A minor release that breaks without saying so.
    assert_eq!(
        sample_findings(&repo, &snapshot, "acme.chatter"),
        [
            "oauth-scope-added acme.chatter.channels.CreateChannel auth.scope.users:read",
            "optional-input-added acme.chatter.channels.CreateChannel inPorts.in.members",
            "output-variable-added acme.chatter.messages.NewMessage outPorts.out.author",
            "output-variable-removed acme.chatter.messages.NewMessage outPorts.out.authorName",
            "component-removed acme.chatter.messages.PinMessage",
            "component-deprecated acme.chatter.messages.PostMessage deprecated",
            "component-label-changed acme.chatter.messages.PostMessage label",
            "required-input-added acme.chatter.messages.UpdateMessage inPorts.in.channelId",
            "component-added acme.chatter.users.UserStatusChanged",
        ]
    );

    // A minor release that is what it says.
    assert_eq!(
        sample_findings(&repo, &snapshot, "acme.cloudsuite.mail"),
        ["optional-input-added acme.cloudsuite.mail.SendEmail inPorts.in.sendAt"]
    );

    // A major release with real breaks: another auth type for every
    // component, and an input gone from one action.
    assert_eq!(
        sample_findings(&repo, &snapshot, "acme.ledger"),
        [
            "auth-type-changed acme.ledger.invoices.CreateInvoice auth.type",
            "auth-type-changed acme.ledger.invoices.GetInvoice auth.type",
            "auth-type-changed acme.ledger.invoices.InvoicePaid auth.type",
            "auth-type-changed acme.ledger.payments.NewPayment auth.type",
            "auth-type-changed acme.ledger.payments.RecordPayment auth.type",
            "input-removed acme.ledger.payments.RecordPayment inPorts.in.reference",
        ]
    );

    // A major release whose manifests show nothing that breaks.
    assert_eq!(
        sample_findings(&repo, &snapshot, "acme.notebook"),
        ["input-deprecated acme.notebook.UpdateNote inPorts.in.color"]
    );
}

/// The numbers a synthetic snapshot is judged by.
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    installed: usize,
    with_manifests: usize,
    orphans: usize,
    not_installed: usize,
    up_to_date: usize,
    /// Installed connectors behind the repository by a patch, a minor and
    /// a major release.
    behind: [usize; 3],
    flows: usize,
    running: usize,
    placed: usize,
    users: usize,
    rules: usize,
    findings: usize,
}

fn counts(repo: &Repository, s: &Snapshot) -> Counts {
    let mut c = Counts {
        installed: s.installed.len(),
        with_manifests: 0,
        orphans: 0,
        not_installed: 0,
        up_to_date: 0,
        behind: [0; 3],
        flows: s.flows.len(),
        running: s.flows.iter().filter(|f| f.stage == Stage::Running).count(),
        placed: s.flows.iter().map(|f| f.flow.len()).sum(),
        users: s.users.len(),
        rules: s.acl.as_ref().map_or(0, |a| a.components.len()),
        findings: 0,
    };
    for (index, installed) in s.installed.iter().enumerate() {
        let read = read_components(installed, index);
        if let Some(read) = &read {
            c.with_manifests += 1;
            assert_eq!(read.problems, Vec::<String>::new(), "{}", installed.name);
        }
        let Some(connector) = repo.connector(&installed.name) else {
            c.orphans += 1;
            continue;
        };
        let old = semver::Version::parse(&installed.version).unwrap();
        let new = semver::Version::parse(connector.version.as_deref().unwrap()).unwrap();
        match Bump::between(&old, &new) {
            None => c.up_to_date += 1,
            Some(Bump::Patch) => c.behind[0] += 1,
            Some(Bump::Minor) => c.behind[1] += 1,
            Some(_) => c.behind[2] += 1,
        }
        if let Some(read) = read {
            c.findings += compare(&read.components, &connector.components).len();
        }
    }
    let installed: BTreeSet<&str> = s.installed.iter().map(|i| i.name.as_str()).collect();
    c.not_installed = repo
        .connectors
        .iter()
        .filter(|r| !installed.contains(r.name.as_str()))
        .count();
    c
}

/// Rule ids of every finding between the synthetic manifests and the
/// repository.
fn rules_fired(repo: &Repository, s: &Snapshot) -> BTreeSet<String> {
    let mut fired = BTreeSet::new();
    for (index, installed) in s.installed.iter().enumerate() {
        let (Some(read), Some(connector)) = (
            read_components(installed, index),
            repo.connector(&installed.name),
        ) else {
            continue;
        };
        for f in compare(&read.components, &connector.components) {
            fired.insert(f.rule);
        }
    }
    fired
}

/// Generates twice, checks that both are the same bytes, that they load
/// back as they were and that they match the schema.
fn synth_checked(root: &Path, repo: &Repository, flows: usize, seed: u64) -> Snapshot {
    let s = snapshot_synth::synth_snapshot(root, repo, flows, seed);
    let bytes = serde_json::to_vec_pretty(&s).unwrap();
    let again = serde_json::to_vec_pretty(&snapshot_synth::synth_snapshot(root, repo, flows, seed))
        .unwrap();
    assert!(bytes == again, "the same seed gives the same bytes");

    let loaded = tenant::parse(&bytes, "synthetic").expect("the synthetic snapshot loads");
    assert!(loaded == s, "the synthetic snapshot loads back as it was");
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(validate(SNAPSHOT_SCHEMA, &value), Vec::<String>::new());
    s
}

#[test]
fn a_synthetic_snapshot_of_the_sample_repository_is_stable() {
    let root = project().join("connectors");
    let repo = scan(&root).unwrap();
    let s = synth_checked(&root, &repo, 200, 7);
    assert_eq!(
        counts(&repo, &s),
        Counts {
            installed: 8,
            with_manifests: 3,
            orphans: 1,
            not_installed: 2,
            up_to_date: 3,
            behind: [2, 0, 2],
            flows: 200,
            running: 124,
            placed: 579,
            users: 10,
            rules: 8,
            findings: 2,
        }
    );
    let other = snapshot_synth::synth_snapshot(&root, &repo, 200, 8);
    assert!(other != s, "another seed gives another tenant");
}

/// The real corpus beside the project; its absence skips a test, except
/// in CI, where it must be there.
fn corpus() -> Option<PathBuf> {
    let path = project().join("../shared/corpus/appmixer-connectors");
    if path.is_dir() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the real corpus is missing at {}; CI must have it",
        path.display()
    );
    eprintln!("skipped: the real corpus is not at {}", path.display());
    None
}

#[test]
fn a_synthetic_snapshot_of_the_corpus_is_stable() {
    let Some(root) = corpus() else {
        return;
    };
    let repo = scan(&root).unwrap();
    let s = synth_checked(&root, &repo, 1_000, 42);
    assert_eq!(
        counts(&repo, &s),
        Counts {
            installed: 145,
            with_manifests: 48,
            orphans: 4,
            not_installed: 14,
            up_to_date: 23,
            behind: [41, 25, 52],
            flows: 1_000,
            running: 613,
            placed: 2_871,
            users: 50,
            rules: 25,
            findings: 114,
        }
    );
    let snapshot = tenant::SnapshotFile {
        path: "synthetic.json".into(),
        sha256: "0".repeat(64),
        snapshot: s.clone(),
    };
    let plan = connector_catalog::plan::plan(&repo, "corpus", &snapshot, PlanOptions::default());
    let value = serde_json::to_value(&plan).unwrap();
    assert_eq!(validate("plan.schema.json", &value), Vec::<String>::new());

    let fired: Vec<String> = rules_fired(&repo, &s).into_iter().collect();
    assert_eq!(
        fired,
        [
            "auth-type-changed",
            "component-added",
            "component-removed",
            "oauth-scope-added",
            "optional-input-added",
            "output-variable-removed",
            "required-input-added",
        ]
    );
}
