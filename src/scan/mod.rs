//! Scanning a connectors repository into a [`Repository`].
//!
//! Three phases: walk the tree once (one folder per connector at a time, in
//! parallel), read every `auth.js` in parallel, then parse every manifest
//! in parallel, interning icons as they are met, and assemble connectors.
//! The result is sorted, so it is the same whatever the number of threads.
//! A broken file fails only its own connector; every problem becomes a
//! [`Diagnostic`] with a place, never a panic.
//!
//! `benches/scan.rs` measures the scan against a bare `serde_json` parse of
//! the same manifests; the parallel walk, the icon handling and the string
//! loop of the JSON reader came out of profiling it.

mod auth;
mod bundle;
mod component;
mod fields;
pub mod icon;
pub mod model;
mod name;
mod source;
pub mod version;
mod walk;

pub use auth::KNOWN_TYPES;
pub use model::*;
pub use name::name_problem;

use crate::diag::{Diagnostic, Severity};
use rayon::prelude::*;
use source::Source;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Mutex, PoisonError};
use walk::Tree;

/// Scans the repository at `root`. Fails only when `root` itself cannot be
/// read; everything below it is reported as diagnostics.
pub fn scan(root: &Path) -> std::io::Result<Repository> {
    let meta = std::fs::metadata(root)?;
    if !meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            "not a folder",
        ));
    }
    std::fs::read_dir(root)?;
    let tree = walk::walk(root);
    let mut diagnostics = tree.diagnostics.clone();

    let auth_results: Vec<(String, Option<String>, Vec<Diagnostic>)> = tree
        .auth_js
        .par_iter()
        .map(|dir| read_auth(root, dir))
        .collect();
    let mut auth_types: HashMap<String, String> = HashMap::new();
    for (dir, ty, diags) in auth_results {
        diagnostics.extend(diags);
        if let Some(ty) = ty {
            auth_types.insert(dir, ty);
        }
    }

    let jobs = jobs(&tree);
    let icons = Icons::default();
    let outcomes: Vec<Outcome> = jobs
        .par_iter()
        .map(|job| run_job(root, &tree, &auth_types, &icons, job))
        .collect();

    let mut repo = assemble(&tree, outcomes, icons, &mut diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    repo.diagnostics = diagnostics;
    Ok(repo)
}

enum Job {
    Connector(String),
    Component(String),
    Service(String),
}

// Components are the bulk of the jobs; boxing them would cost one
// allocation each for no gain, the vector of outcomes is short-lived.
#[allow(clippy::large_enum_variant)]
enum Outcome {
    Connector(Box<Connector>, Vec<Diagnostic>),
    Component(String, Option<Component>, Vec<Diagnostic>),
    Service(ParentService, Vec<Diagnostic>),
}

fn jobs(tree: &Tree) -> Vec<Job> {
    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend(tree.bundles.iter().cloned().map(Job::Connector));
    jobs.extend(tree.components.iter().cloned().map(Job::Component));
    jobs.extend(
        tree.services
            .iter()
            .filter(|dir| !tree.bundles.contains(*dir))
            .cloned()
            .map(Job::Service),
    );
    jobs
}

fn join(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

fn read_source(root: &Path, rel: String, diags: &mut Vec<Diagnostic>) -> Option<Source> {
    match Source::read(&root.join(&rel), rel) {
        Ok(src) => Some(src),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

fn read_auth(root: &Path, dir: &str) -> (String, Option<String>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let Some(mut src) = read_source(root, join(dir, "auth.js"), &mut diags) else {
        return (dir.to_string(), None, diags);
    };
    let ty = auth::declared_type(&src.text);
    match &ty {
        Some(t) if KNOWN_TYPES.contains(&t.as_str()) => {}
        Some(t) => src.report(
            0,
            Severity::Warning,
            "auth-type-unknown",
            format!("auth type `{t}` is not one of {}", KNOWN_TYPES.join(", ")),
        ),
        None => src.report(
            0,
            Severity::Warning,
            "auth-type-unknown",
            "no `type:` entry outside comments declares the auth type; it is unknown".into(),
        ),
    }
    diags.append(&mut src.diagnostics);
    (dir.to_string(), ty, diags)
}

/// Distinct icons met so far, by the id of their data URI, and the reasons
/// of those refused. Every job checks its icons as soon as it has them:
/// the copies of one icon (each component of a connector often carries the
/// same bytes) are then checked once and dropped at once rather than held
/// to the end of the scan, and hashing and checking run on every thread.
#[derive(Default)]
struct Icons(Mutex<IconTable>);

#[derive(Default)]
struct IconTable {
    kept: BTreeMap<String, Icon>,
    refused: HashMap<String, String>,
}

impl Icons {
    /// Checks a data URI, unless it was checked already, and stores it when
    /// it is kept. Returns its id, or why it was refused.
    fn accept(&self, data: String) -> Result<String, String> {
        let id = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(data.as_bytes()));
        {
            let table = self.lock();
            if table.kept.contains_key(&id) {
                return Ok(id);
            }
            if let Some(why) = table.refused.get(&id) {
                return Err(why.clone());
            }
        }
        // Checked without the lock: decoding a large icon takes a while.
        let checked = icon::check(data);
        let mut table = self.lock();
        match checked {
            Ok(data) => {
                table.kept.entry(id.clone()).or_insert_with(|| Icon {
                    media_type: icon::declared_type(&data)
                        .unwrap_or("image/svg+xml")
                        .to_string(),
                    data_uri: data,
                });
                Ok(id)
            }
            Err(why) => {
                table.refused.insert(id, why.clone());
                Err(why)
            }
        }
    }

    // Nothing panics while holding the lock, so a poisoned one still holds
    // whole entries.
    fn lock(&self) -> std::sync::MutexGuard<'_, IconTable> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn into_inner(self) -> BTreeMap<String, Icon> {
        self.0
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .kept
    }
}

/// Moves the `icon` string out of a manifest's tree, with its offset. Icons
/// are the largest strings by far; moving spares a copy of each.
fn take_icon(node: &mut crate::json::Node) -> Option<(u32, String)> {
    let icon = node.get_mut("icon")?;
    match &mut icon.value {
        crate::json::Value::String(uri) => Some((icon.offset, std::mem::take(uri))),
        _ => None,
    }
}

fn run_job(
    root: &Path,
    tree: &Tree,
    auth_types: &HashMap<String, String>,
    icons: &Icons,
    job: &Job,
) -> Outcome {
    match job {
        Job::Connector(dir) => {
            let (connector, diags) = read_connector(root, tree, icons, dir);
            Outcome::Connector(Box::new(connector), diags)
        }
        Job::Component(dir) => {
            let mut diags = Vec::new();
            let component =
                read_source(root, join(dir, "component.json"), &mut diags).and_then(|mut src| {
                    let mut node = src.parse_json();
                    let icon = node.as_mut().and_then(take_icon);
                    let expected = dir.replace('/', ".");
                    let mut component = node
                        .as_ref()
                        .and_then(|n| component::read(n, &mut src, dir, &expected))
                        .filter(|c| {
                            let at = node.as_ref().and_then(|n| n.get("name"));
                            name_is_safe("component", &c.name, at.map(|n| n.offset), &mut src)
                        });
                    if let (Some(c), Some(node)) = (component.as_mut(), node.as_ref()) {
                        c.icon = icon.and_then(|(at, uri)| checked_icon(uri, at, icons, &mut src));
                        if let Some(auth) = c.auth.as_mut() {
                            auth.auth_type = resolve_auth(&auth.service, auth_types);
                            if auth.auth_type.is_none() {
                                let at = node
                                    .get("auth")
                                    .or_else(|| node.get("authConfig"))
                                    .map_or(0, |a| a.offset);
                                src.report(
                                    at,
                                    Severity::Warning,
                                    "auth-unresolved",
                                    format!(
                                        "auth service `{}` has no auth.js in `{}` or its parent",
                                        auth.service,
                                        auth.service.replace(':', "/")
                                    ),
                                );
                            }
                        }
                    }
                    diags.append(&mut src.diagnostics);
                    component
                });
            Outcome::Component(dir.clone(), component, diags)
        }
        Job::Service(dir) => {
            let mut diags = Vec::new();
            let descriptor =
                read_source(root, join(dir, "service.json"), &mut diags).and_then(|mut src| {
                    let d = src.parse_json().map(|n| bundle::read_descriptor(&n));
                    diags.append(&mut src.diagnostics);
                    d
                });
            let name = descriptor
                .as_ref()
                .and_then(|d| d.name.clone())
                .unwrap_or_else(|| dir.replace('/', "."));
            let label = descriptor
                .as_ref()
                .and_then(|d| d.label.clone())
                .unwrap_or_else(|| last_part(&name));
            Outcome::Service(
                ParentService {
                    name,
                    label,
                    path: dir.clone(),
                    auth_type: auth_types.get(dir).cloned(),
                },
                diags,
            )
        }
    }
}

/// `appmixer:google:gmail` names the folder `appmixer/google/gmail`; when it
/// has no `auth.js`, the parent folder's is used (modules share their
/// vendor's account).
fn resolve_auth(service: &str, auth_types: &HashMap<String, String>) -> Option<String> {
    let mut dir = service.replace(':', "/");
    loop {
        if let Some(ty) = auth_types.get(&dir) {
            return Some(ty.clone());
        }
        match dir.rfind('/') {
            Some(at) => dir.truncate(at),
            None => return None,
        }
    }
}

/// Keeps only data URIs of PNG, JPEG, GIF or safe SVG images and
/// returns the icon's id; anything else (remote URLs, other types, bytes
/// that are not the image declared, SVGs with script or outside
/// references) is dropped with a warning at `at`.
fn checked_icon(uri: String, at: u32, icons: &Icons, src: &mut Source) -> Option<String> {
    let shown: String = uri.chars().take(40).collect();
    match icons.accept(uri) {
        Ok(id) => Some(id),
        Err(why) => {
            src.report(
                at,
                Severity::Warning,
                "icon-rejected",
                format!("icon `{shown}` {why}; it was dropped"),
            );
            None
        }
    }
}

/// The media type of an acceptable icon data URI, as it declares it.
pub fn icon_media_type(uri: &str) -> Option<&'static str> {
    icon::declared_type(uri)
}

fn last_part(name: &str) -> String {
    name.rsplit('.').next().unwrap_or(name).to_string()
}

fn read_connector(
    root: &Path,
    tree: &Tree,
    icons: &Icons,
    dir: &str,
) -> (Connector, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let fallback_name = dir.replace('/', ".");
    let mut connector = Connector {
        name: fallback_name.clone(),
        path: dir.to_string(),
        descriptor: None,
        parent: tree.parent_service(dir),
        label: last_part(&fallback_name),
        category: None,
        description: None,
        icon: None,
        version: None,
        changelog: Changelog::None,
        engine: None,
        auth_type: "none".into(),
        auth_service: None,
        components: Vec::new(),
        failed: true,
    };

    let has_service = tree.services.contains(dir);
    let has_module = tree.modules.contains(dir);
    let (kind, file) = match (has_service, has_module) {
        (true, false) => (Some(DescriptorKind::Service), Some("service.json")),
        (false, true) => (Some(DescriptorKind::Module), Some("module.json")),
        (true, true) => {
            diags.push(Diagnostic::whole_file(
                join(dir, "module.json"),
                Severity::Error,
                "descriptor",
                "both service.json and module.json are present; service.json is used".into(),
            ));
            (Some(DescriptorKind::Service), Some("service.json"))
        }
        (false, false) => {
            diags.push(Diagnostic::whole_file(
                join(dir, "bundle.json"),
                Severity::Error,
                "descriptor",
                "no service.json or module.json beside bundle.json".into(),
            ));
            (None, None)
        }
    };
    connector.descriptor = kind;
    let mut descriptor_src = file.and_then(|f| read_source(root, join(dir, f), &mut diags));
    let descriptor = descriptor_src.as_mut().and_then(|src| {
        let mut node = src.parse_json()?;
        let icon = take_icon(&mut node).and_then(|(at, uri)| checked_icon(uri, at, icons, src));
        Some((bundle::read_descriptor(&node), icon))
    });

    let mut name_checked = false;
    if let Some(mut src) = read_source(root, join(dir, "bundle.json"), &mut diags) {
        if let Some(bundle) = src
            .parse_json()
            .and_then(|n| bundle::read_bundle(&n, &mut src))
        {
            connector.failed = false;
            if let Some(name) = bundle.name.clone() {
                connector.name = name;
                name_checked = true;
                if !name_is_safe(
                    "connector",
                    &connector.name,
                    Some(bundle.name_offset),
                    &mut src,
                ) {
                    connector.failed = true;
                }
            }
            if let (Some(bundle_name), Some(desc_name)) = (
                &bundle.name,
                descriptor.as_ref().and_then(|(d, _)| d.name.as_ref()),
            ) {
                if bundle_name != desc_name {
                    src.report(
                        bundle.name_offset,
                        Severity::Warning,
                        "name-mismatch",
                        format!("bundle.json names the connector `{bundle_name}` but {} names it `{desc_name}`", file.unwrap_or("the descriptor")),
                    );
                }
            }
            connector.version = bundle.version;
            connector.changelog = bundle.changelog;
            connector.engine = bundle.engine;
        }
        diags.append(&mut src.diagnostics);
    }
    if let Some(src) = descriptor_src.as_mut() {
        diags.append(&mut src.diagnostics);
    }
    if let Some((d, icon)) = descriptor {
        if connector.failed {
            if let Some(name) = d.name {
                connector.name = name;
            }
        }
        if let Some(label) = d.label.filter(|l| !l.trim().is_empty()) {
            connector.label = label;
        }
        connector.category = d.category;
        connector.description = d.description;
        connector.icon = icon;
    }
    // A name from the descriptor or the folder path is published as well,
    // even by a failed connector (in the list of failures).
    if !name_checked {
        let mut src = Source::new(join(dir, "bundle.json"), String::new());
        if !name_is_safe("connector", &connector.name, None, &mut src) {
            connector.failed = true;
        }
        diags.append(&mut src.diagnostics);
    }
    (connector, diags)
}

/// Checks a name that becomes a file name of the site and of zips; an
/// unsafe one is reported at `at` (the whole file when `None`).
fn name_is_safe(what: &str, name: &str, at: Option<u32>, src: &mut Source) -> bool {
    let Some(why) = name_problem(name) else {
        return true;
    };
    let consequence = if what == "connector" {
        "the connector fails"
    } else {
        "the component is left out"
    };
    src.report(
        at.unwrap_or(0),
        Severity::Error,
        "name-invalid",
        format!(
            "{what} name `{}` cannot be used as a file name: {why}; {consequence}",
            name::shown(name)
        ),
    );
    false
}

/// A tenant knows connectors by name: two folders with one name would
/// publish over each other, and so would names that differ only in letter
/// case on a case-insensitive file system (their pages and zips share a
/// file). The first by path stands; the others fail.
fn fail_duplicate_names(connectors: &mut [Connector], diagnostics: &mut Vec<Diagnostic>) {
    let mut by_path: Vec<usize> = (0..connectors.len()).collect();
    by_path.sort_by(|&a, &b| connectors[a].path.cmp(&connectors[b].path));
    let mut first_of: HashMap<String, usize> = HashMap::new();
    for i in by_path {
        let Some(&j) = first_of.get(&connectors[i].name.to_lowercase()) else {
            first_of.insert(connectors[i].name.to_lowercase(), i);
            continue;
        };
        let (name, other) = (&connectors[i].name, &connectors[j]);
        let message = if *name == other.name {
            format!(
                "connector name `{name}` is also used by `{}`; names must be unique, the tenant \
                 knows connectors by name",
                other.path
            )
        } else {
            format!(
                "connector name `{name}` differs only in letter case from `{}` of `{}`; names \
                 must differ in more than case, a case-insensitive file system holds one page \
                 and one zip for both",
                other.name, other.path
            )
        };
        connectors[i].failed = true;
        diagnostics.push(Diagnostic::whole_file(
            format!("{}/bundle.json", connectors[i].path),
            Severity::Error,
            "duplicate-connector",
            message,
        ));
    }
}

/// Fails the connectors that hold a file or folder whose name is not
/// UTF-8 (the walk reported each): the connector's own folder, or a parent
/// service's, whose files every module below it packs too. `connectors` is
/// keyed by path.
fn fail_bad_names(tree: &Tree, connectors: &mut BTreeMap<String, Connector>) {
    for folder in &tree.bad_names {
        if let Some(owner) = tree.owning_connector(folder) {
            if let Some(connector) = connectors.get_mut(&owner) {
                connector.failed = true;
            }
            continue;
        }
        for connector in connectors.values_mut() {
            let borrows = connector.parent.as_deref().is_some_and(|parent| {
                folder == parent || folder.starts_with(&format!("{parent}/"))
            });
            if borrows {
                connector.failed = true;
            }
        }
    }
}

/// Two components of one connector with one name (a copied folder whose
/// `component.json` was not renamed), or names that differ only in letter
/// case, would share a page. The first by path is kept, the others are left
/// out.
fn drop_duplicate_components(connector: &mut Connector, diagnostics: &mut Vec<Diagnostic>) {
    let mut components = std::mem::take(&mut connector.components);
    components.sort_by(|a, b| a.path.cmp(&b.path));
    let mut first_of: HashMap<String, (String, String)> = HashMap::new();
    for component in components {
        let key = component.name.to_lowercase();
        let Some((name, path)) = first_of.get(&key) else {
            first_of.insert(key, (component.name.clone(), component.path.clone()));
            connector.components.push(component);
            continue;
        };
        let how = if *name == component.name {
            String::new()
        } else {
            format!(" (as `{name}`, differing only in letter case)")
        };
        diagnostics.push(Diagnostic::whole_file(
            join(&component.path, "component.json"),
            Severity::Error,
            "duplicate-component",
            format!(
                "component name `{}` is also used by `{path}`{how}; this one is left out, \
                 rename it",
                component.name
            ),
        ));
    }
}

/// The most frequent value, ties broken by the smallest, so the choice does
/// not depend on order.
fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_insert(0) += 1;
    }
    let best = counts.values().copied().max()?;
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(v, _)| v.to_string())
}

fn assemble(
    tree: &Tree,
    outcomes: Vec<Outcome>,
    icons: Icons,
    diagnostics: &mut Vec<Diagnostic>,
) -> Repository {
    let mut connectors: BTreeMap<String, Connector> = BTreeMap::new();
    let mut services = Vec::new();
    let mut components: Vec<(String, Component)> = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Connector(c, d) => {
                diagnostics.extend(d);
                connectors.insert(c.path.clone(), *c);
            }
            Outcome::Component(dir, c, d) => {
                diagnostics.extend(d);
                if let Some(c) = c {
                    components.push((dir, c));
                }
            }
            Outcome::Service(s, d) => {
                diagnostics.extend(d);
                services.push(s);
            }
        }
    }

    for (dir, component) in components {
        match tree.owning_connector(&dir).and_then(|owner| connectors.get_mut(&owner)) {
            Some(connector) => connector.components.push(component),
            None => diagnostics.push(Diagnostic::whole_file(
                join(&dir, "component.json"),
                Severity::Warning,
                "orphan-component",
                "component.json is not inside any connector (no bundle.json above it); it is ignored".into(),
            )),
        }
    }

    fail_bad_names(tree, &mut connectors);
    let mut connectors: Vec<Connector> = connectors.into_values().collect();
    for connector in &mut connectors {
        drop_duplicate_components(connector, diagnostics);
        connector
            .components
            .sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.path.cmp(&b.path)));
        let resolved = connector
            .components
            .iter()
            .filter_map(|c| c.auth.as_ref()?.auth_type.as_deref());
        connector.auth_type = most_common(resolved).unwrap_or_else(|| "none".into());
        connector.auth_service = most_common(
            connector
                .components
                .iter()
                .filter_map(|c| Some(c.auth.as_ref()?.service.as_str())),
        );
    }
    connectors.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.path.cmp(&b.path)));
    services.sort_by(|a, b| a.path.cmp(&b.path));
    fail_duplicate_names(&mut connectors, diagnostics);

    // Icons of components that belong to no connector were interned too;
    // only the icons something refers to are kept.
    let used: BTreeSet<&str> = connectors
        .iter()
        .flat_map(|c| {
            let own = c.icon.as_deref();
            own.into_iter()
                .chain(c.components.iter().filter_map(|x| x.icon.as_deref()))
        })
        .collect();
    let mut icons = icons.into_inner();
    icons.retain(|id, _| used.contains(id.as_str()));
    Repository {
        connectors,
        services,
        icons,
        diagnostics: Vec::new(),
    }
}

/// Reads one component manifest given as text (for example one the tenant
/// holds, from a snapshot) with the same rules as the scan. `folder` is the
/// path it would have in a repository (`appmixer/slack/list/Send`), and
/// `auth_types` maps auth service folders to their auth type. Returns the
/// component (icon left as its raw data URI) and the diagnostics, which name
/// `label` as their path.
pub fn read_component_manifest(
    text: &str,
    label: &str,
    folder: &str,
    auth_types: &HashMap<String, String>,
) -> (Option<Component>, Vec<Diagnostic>) {
    let mut src = Source::new(label.to_string(), text.to_string());
    let component = src.parse_json().and_then(|node| {
        let mut c = component::read(&node, &mut src, folder, &folder.replace('/', "."))?;
        if let Some(auth) = c.auth.as_mut() {
            auth.auth_type = resolve_auth(&auth.service, auth_types);
        }
        Some(c)
    });
    (component, src.diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Icons are interned while manifests are read, before anyone knows
    /// whether a component belongs to a connector; only the icons of what
    /// the repository lists are kept, each once.
    #[test]
    fn only_icons_in_use_are_kept_once_each() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let (png, gif, svg) = (
            "data:image/png;base64,iVBORw0KGgo=",
            "data:image/gif;base64,R0lGODlh",
            "data:image/svg+xml;base64,PHN2Zy8+",
        );
        write(
            "acme/mail/service.json",
            &format!(r#"{{"name": "acme.mail", "icon": "{png}"}}"#),
        );
        write("acme/mail/bundle.json", r#"{"name": "acme.mail"}"#);
        for name in ["Send", "Read"] {
            write(
                &format!("acme/mail/{name}/component.json"),
                &format!(r#"{{"name": "acme.mail.{name}", "icon": "{gif}", "inPorts": ["in"]}}"#),
            );
        }
        write(
            "acme/Orphan/component.json",
            &format!(r#"{{"name": "acme.Orphan", "icon": "{svg}"}}"#),
        );

        let repo = scan(dir.path()).unwrap();
        let kept: Vec<&str> = repo.icons.values().map(|i| i.data_uri.as_str()).collect();
        assert_eq!(kept.len(), 2);
        assert!(kept.contains(&png) && kept.contains(&gif));

        let mail = &repo.connectors[0];
        let uri_of = |id: &Option<String>| repo.icons[id.as_ref().unwrap()].data_uri.as_str();
        assert_eq!(uri_of(&mail.icon), png);
        assert_eq!(uri_of(&mail.components[0].icon), gif);
        assert_eq!(mail.components[0].icon, mail.components[1].icon);
        assert_eq!(
            repo.icons[mail.icon.as_ref().unwrap()].media_type,
            "image/png"
        );
    }
}
