//! The component manifests a tenant holds, read with the repository's own
//! component reader so that both sides of a comparison are normalized the
//! same way (ports as objects, one option shape, resolved auth types).

use crate::diag::Severity;
use crate::scan::{read_component_manifest, Component};
use crate::tenant::model::Installed;
use std::collections::HashMap;

/// An installed connector's components, sorted by name, and what could not
/// be read.
#[derive(Debug, Clone, Default)]
pub struct InstalledComponents {
    pub components: Vec<Component>,
    /// One line per manifest the reader refused, naming its JSON path.
    pub problems: Vec<String>,
}

/// Reads the manifests of `installed` (at `$.installed[index]`), or `None`
/// when the snapshot carries none for it.
pub fn read_components(installed: &Installed, index: usize) -> Option<InstalledComponents> {
    let manifests = installed.components.as_ref()?;

    // `authTypes` is keyed by auth service (`acme:chatter`); the reader
    // resolves services through folders (`acme/chatter`) and their parents.
    let auth_types: HashMap<String, String> = installed
        .auth_types
        .iter()
        .map(|(service, ty)| (service.replace(':', "/"), ty.clone()))
        .collect();

    let mut out = InstalledComponents::default();
    let prefix = format!("{}.", installed.name);
    for (j, manifest) in manifests.iter().enumerate() {
        let label = format!("$.installed[{index}].components[{j}]");
        // A manifest that cannot be read is left out of the comparison,
        // with a warning, rather than read half: half a manifest would
        // show changes that are not there (a missing port looks added).
        if !manifest.is_object() {
            out.problems.push(format!(
                "{label}: a component manifest is an object; left out of the comparison"
            ));
            continue;
        }
        let Some(name) = manifest.get("name").and_then(|n| n.as_str()) else {
            out.problems.push(format!(
                "{label}: has no `name`; left out of the comparison"
            ));
            continue;
        };
        if !name.starts_with(&prefix) {
            out.problems.push(format!(
                "{label}: `{}` is not a component of {}; left out of the comparison",
                crate::plan::render::clean(name),
                installed.name
            ));
            continue;
        }
        let folder = name.replace('.', "/");
        let text = manifest.to_string();
        let (component, diagnostics) = read_component_manifest(&text, &label, &folder, &auth_types);
        let errors: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.message.as_str())
            .collect();
        if !errors.is_empty() {
            out.problems.push(format!(
                "{label}: {}; left out of the comparison",
                errors.join("; ")
            ));
            continue;
        }
        match component {
            Some(c) => out.components.push(c),
            None => out
                .problems
                .push(format!("{label}: not a component manifest")),
        }
    }

    // A stored zip may hold several copies of a component; the highest
    // version is the one that runs.
    out.components.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then_with(|| version_key(b).cmp(&version_key(a)))
    });
    out.components
        .dedup_by(|later, first| later.name == first.name);
    Some(out)
}

fn version_key(c: &Component) -> Option<semver::Version> {
    c.version
        .as_deref()
        .and_then(|v| semver::Version::parse(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn installed(components: Vec<serde_json::Value>) -> Installed {
        Installed {
            name: "acme.chat".into(),
            version: "1.0.0".into(),
            components: Some(components),
            auth_types: BTreeMap::from([("acme:chat".to_string(), "apiKey".to_string())]),
        }
    }

    #[test]
    fn manifests_are_read_like_repository_files_with_auth_types() {
        let read = read_components(
            &installed(vec![json!({
                "name": "acme.chat.Send",
                "auth": {"service": "acme:chat"},
                "inPorts": ["in"]
            })]),
            0,
        )
        .unwrap();
        assert!(read.problems.is_empty());
        let auth = read.components[0].auth.as_ref().unwrap();
        assert_eq!(auth.auth_type.as_deref(), Some("apiKey"));
    }

    #[test]
    fn the_highest_copy_wins_and_bad_manifests_are_named() {
        let read = read_components(
            &installed(vec![
                json!({"name": "acme.chat.Send", "version": "1.0.0", "inPorts": ["in"]}),
                json!({"name": "acme.chat.Send", "version": "1.2.0", "inPorts": ["in"]}),
                json!(["not", "an", "object"]),
            ]),
            3,
        )
        .unwrap();
        assert_eq!(read.components.len(), 1);
        assert_eq!(read.components[0].version.as_deref(), Some("1.2.0"));
        assert_eq!(
            read.problems,
            ["$.installed[3].components[2]: a component manifest is an object; left out of the comparison"]
        );
    }

    #[test]
    fn manifests_that_cannot_be_read_whole_are_left_out_not_read_half() {
        let read = read_components(
            &installed(vec![
                json!({}),
                json!({"name": 5}),
                json!({"name": "other.vendor.X", "inPorts": ["in"]}),
                json!({"name": "acme.chat.Send", "inPorts": "notalist"}),
                json!({"name": "acme.chat.Get", "inPorts": ["in"]}),
            ]),
            0,
        )
        .unwrap();
        let names: Vec<&str> = read.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["acme.chat.Get"]);
        assert_eq!(
            read.problems,
            [
                "$.installed[0].components[0]: has no `name`; left out of the comparison",
                "$.installed[0].components[1]: has no `name`; left out of the comparison",
                "$.installed[0].components[2]: `other.vendor.X` is not a component of acme.chat; \
                 left out of the comparison",
                "$.installed[0].components[3]: a port list must be an array, found a string; left \
                 out of the comparison",
            ]
        );
    }

    #[test]
    fn no_manifests_means_none() {
        let mut i = installed(vec![]);
        i.components = None;
        assert!(read_components(&i, 0).is_none());
    }
}
