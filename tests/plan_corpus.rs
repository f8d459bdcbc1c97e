//! The plan over the real corpus and a generated tenant of 2,000 flows:
//! its summary pinned, and what every plan must hold checked against the
//! snapshot itself rather than against the planner's own bookkeeping.
//! Skips with a message where `../shared` is absent (fails under CI).

#[path = "support/snapshot_synth.rs"]
mod snapshot_synth;
mod support;

use connector_catalog::plan::model::{Bump, Change, PlanOptions};
use connector_catalog::tenant::{self, Stage};
use std::collections::{BTreeSet, HashMap};

#[test]
fn a_corpus_tenant_plan_is_consistent_with_its_snapshot() {
    let Some(root) = support::corpus() else {
        return;
    };
    let repo = connector_catalog::scan::scan(&root).unwrap();
    let snapshot = snapshot_synth::synth_snapshot(&root, &repo, 2_000, 42);
    let bytes = serde_json::to_vec(&snapshot).unwrap();
    let file = tenant::SnapshotFile {
        path: "synthetic.json".into(),
        sha256: tenant::sha256_hex(&bytes),
        snapshot: tenant::parse(&bytes, "synthetic.json").unwrap(),
    };
    let plan = connector_catalog::plan::plan(&repo, "corpus", &file, PlanOptions::default());

    let flows: HashMap<&str, &tenant::Flow> = snapshot
        .flows
        .iter()
        .map(|f| (f.flow_id.as_str(), f))
        .collect();
    let mut stopped_flows = BTreeSet::new();
    let mut owners = BTreeSet::new();
    for c in &plan.connectors {
        let prefix = format!("{}.", c.name);
        let uses = |f: &tenant::Flow| {
            f.flow
                .values()
                .any(|x| x.component_type.starts_with(&prefix))
        };
        // Every flow listed uses the connector, and every flow using it is
        // listed (no longer connector name shares the prefix in this corpus
        // generator's output; the planner's longest-name rule is tested on
        // its own).
        let listed: BTreeSet<&str> = c.flows.iter().map(|f| f.flow_id.as_str()).collect();
        let expected: BTreeSet<&str> = snapshot
            .flows
            .iter()
            .filter(|f| uses(f))
            .map(|f| f.flow_id.as_str())
            .filter(|id| {
                // A flow of a longer connector name (`a.b.c` under `a.b`)
                // belongs to that one.
                let f = flows[id];
                f.flow.values().any(|x| {
                    x.component_type.starts_with(&prefix)
                        && !plan.connectors.iter().any(|o| {
                            o.name.len() > c.name.len()
                                && x.component_type.starts_with(&format!("{}.", o.name))
                        })
                })
            })
            .collect();
        assert_eq!(listed, expected, "{}", c.name);

        if !c.breaking {
            assert!(c.flows_to_stop.is_empty(), "{}", c.name);
        } else {
            assert!(c.change.is_upgrade() || c.change == Change::Downgrade);
            let running: BTreeSet<&str> = c
                .flows
                .iter()
                .filter(|f| f.stage == Stage::Running)
                .map(|f| f.flow_id.as_str())
                .collect();
            let to_stop: BTreeSet<&str> =
                c.flows_to_stop.iter().map(|f| f.flow_id.as_str()).collect();
            assert_eq!(to_stop, running, "{}", c.name);
        }
        assert_eq!(c.notifications.len(), c.flows_to_stop.len(), "{}", c.name);
        for f in &c.flows_to_stop {
            assert_eq!(flows[f.flow_id.as_str()].stage, Stage::Running);
            for fp in &f.hit_by {
                let finding = c.findings.iter().find(|x| &x.fingerprint == fp).unwrap();
                assert_eq!(finding.bump, Bump::Major);
                assert!(flows[f.flow_id.as_str()]
                    .flow
                    .values()
                    .any(|x| x.component_type == finding.component));
            }
            stopped_flows.insert(f.flow_id.as_str());
            owners.insert(f.user_id.as_str());
        }
        let declared_major = c.change == Change::Major;
        let required_major = c.required == Bump::Major;
        if c.change.is_upgrade() {
            assert_eq!(c.breaking, declared_major || required_major, "{}", c.name);
            assert_eq!(c.undeclared_breaking, !declared_major && required_major);
        }
    }
    assert_eq!(stopped_flows.len(), plan.summary.flows_to_stop);
    assert_eq!(owners.len(), plan.summary.owners_to_notify);

    // Every connector of either side once: 155 in the repository, 4
    // orphans (118 + 14 + 4 + 23 = 159).
    assert_eq!(plan.connectors.len(), 159);
    assert_eq!(
        serde_json::to_value(plan.summary).unwrap(),
        serde_json::json!({
            "upgrade": 118, "breaking": 68, "undeclared_breaking": 16, "install": 14,
            "orphan": 4, "downgrade": 0, "refused": 0, "failed": 0, "up_to_date": 23,
            "flows_to_stop": 748, "owners_to_notify": 111, "notifications": 966
        })
    );

    // The same input, the same plan.
    let again = connector_catalog::plan::plan(&repo, "corpus", &file, PlanOptions::default());
    assert_eq!(again, plan);
}
