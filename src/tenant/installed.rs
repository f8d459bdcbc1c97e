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
    for (j, manifest) in manifests.iter().enumerate() {
        let label = format!("$.installed[{index}].components[{j}]");
        let name = manifest
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or(&installed.name);
        let folder = name.replace('.', "/");
        let text = manifest.to_string();
        let (component, diagnostics) = read_component_manifest(&text, &label, &folder, &auth_types);
        for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
            out.problems.push(format!("{label}: {}", d.message));
        }
        match component {
            Some(c) => out.components.push(c),
            None if diagnostics.is_empty() => {
                out.problems
                    .push(format!("{label}: not a component manifest"));
            }
            None => {}
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
            ["$.installed[3].components[2]: expected an object, found an array"]
        );
    }

    #[test]
    fn no_manifests_means_none() {
        let mut i = installed(vec![]);
        i.components = None;
        assert!(read_components(&i, 0).is_none());
    }
}
