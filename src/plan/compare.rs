//! The diff engine: two sets of components in, findings out.
//!
//! Components are matched by name (never by folder: the platform knows them
//! by name) and every rule of [`rules::RULES`](crate::plan::rules::RULES)
//! looks at every pair. The engine knows nothing about particular changes;
//! deciding what a change means is the rules' job, deciding what a
//! connector's findings mean for a tenant is the planner's.

use crate::plan::model::{Bump, Finding};
use crate::plan::rules::{Hit, Pair, RULES};
use crate::scan::Component;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Every finding between `old` and `new`, sorted by component, field and
/// rule.
pub fn compare(old: &[Component], new: &[Component]) -> Vec<Finding> {
    let mut pairs: BTreeMap<&str, Pair> = BTreeMap::new();
    for c in old {
        pairs
            .entry(&c.name)
            .or_insert(Pair {
                old: None,
                new: None,
            })
            .old = Some(c);
    }
    for c in new {
        pairs
            .entry(&c.name)
            .or_insert(Pair {
                old: None,
                new: None,
            })
            .new = Some(c);
    }

    let mut findings = Vec::new();
    let mut hits: Vec<Hit> = Vec::new();
    for (name, pair) in &pairs {
        for rule in RULES {
            (rule.check)(pair, &mut hits);
            for hit in hits.drain(..) {
                findings.push(Finding {
                    fingerprint: fingerprint(rule.id, name, &hit.field),
                    rule: rule.id.to_string(),
                    bump: rule.bump,
                    component: name.to_string(),
                    field: hit.field,
                    message: hit.message,
                });
            }
        }
    }
    findings.sort_by(|a, b| {
        (&a.component, &a.field, &a.rule, &a.message).cmp(&(
            &b.component,
            &b.field,
            &b.rule,
            &b.message,
        ))
    });
    findings
}

/// The largest bump a set of findings requires.
pub fn required(findings: &[Finding]) -> Bump {
    findings.iter().map(|f| f.bump).max().unwrap_or(Bump::None)
}

/// 16 hex digits of SHA-256 over rule, component and field. Messages are
/// left out so that rewording one does not turn an acknowledged finding
/// into a new one.
pub fn fingerprint(rule: &str, component: &str, field: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [rule, component, field] {
        hasher.update(part.as_bytes());
        // A separator that cannot occur in names keeps `a`+`bc` apart from
        // `ab`+`c`.
        hasher.update([0u8]);
    }
    hasher.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::rules::testing::component;

    #[test]
    fn fingerprints_are_fixed_values() {
        // A change here invalidates every fingerprint users have recorded.
        // The value was computed independently: Python's hashlib over
        // b"component-removed\0acme.x.Send\0\0".
        assert_eq!(
            fingerprint("component-removed", "acme.x.Send", ""),
            "eca7fa2e31dd06e1"
        );
        assert_ne!(fingerprint("a", "bc", ""), fingerprint("ab", "c", ""));
    }

    #[test]
    fn components_are_matched_by_name_and_findings_sorted() {
        let a = component(r#"{"name": "acme.x.A", "inPorts": ["in"]}"#, &[]);
        let b = component(r#"{"name": "acme.x.B", "inPorts": ["in"]}"#, &[]);
        let found: Vec<(String, String)> =
            compare(std::slice::from_ref(&b), std::slice::from_ref(&a))
                .into_iter()
                .map(|f| (f.component, f.rule))
                .collect();
        assert_eq!(
            found,
            [
                ("acme.x.A".to_string(), "component-added".to_string()),
                ("acme.x.B".to_string(), "component-removed".to_string())
            ]
        );
        assert_eq!(required(&compare(&[b], &[a])), Bump::Major);
    }
}
