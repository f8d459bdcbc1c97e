//! A synthetic tenant snapshot for any scanned repository, for tests and
//! benchmarks that need a tenant as large and as varied as a real one.
//!
//! The tenant is an older state of the repository: most connectors are
//! installed at an earlier version (an earlier changelog key when there is
//! one, so patch, minor and major gaps all occur), some are up to date,
//! some are missing, and a few installed ones have invented names the
//! repository no longer has. About a third of the installed connectors
//! carry their component manifests, read from the repository's own
//! `component.json` files and changed the way an older release would
//! differ: a now-required input absent, a since-removed output variable
//! present, a scope fewer, a since-removed component present, another auth
//! type. Flows place components of installed connectors, wired through
//! `source` and `config.transform` lambdas whose templates read earlier
//! outputs, so findings on fields hit some flows and miss others. A few
//! flows belong to users the snapshot no longer lists, as on tenants where
//! accounts were deleted.
//!
//! Everything comes from one seeded generator and ordered collections: the
//! same repository, flow count and seed give the same snapshot, byte for
//! byte. This file stands alone (benches include it with `#[path]`), so it
//! uses only the library, `serde_json` and `semver`.

use connector_catalog::scan::version::parse_strict;
use connector_catalog::scan::{
    read_component_manifest, Component, ComponentKind, Connector, Repository,
};
use connector_catalog::tenant::{
    Acl, AclRule, Flow, FlowComponent, Installed, RawJson, Snapshot, Stage, TenantInfo, User,
    FORMAT_VERSION,
};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// A snapshot of a tenant that runs an older state of `repo` (scanned from
/// `root`) with `flows` flows. Manifests are read from `root`, because a
/// component's `path` is relative to the repository folder.
pub fn synth_snapshot(root: &Path, repo: &Repository, flows: usize, seed: u64) -> Snapshot {
    let mut rng = Rng::new(seed);

    let mut tenant: Vec<Tenanted> = Vec::new();
    for connector in &repo.connectors {
        if let Some(t) = install(root, connector, &mut rng) {
            tenant.push(t);
        }
    }
    let orphans = 1 + repo.connectors.len() / 50;
    for k in 1..=orphans {
        tenant.push(orphan(repo, k, &mut rng));
    }
    tenant.sort_by(|a, b| a.installed.name.cmp(&b.installed.name));

    let users = users(flows);
    let flows = place_flows(&tenant, &users, flows, &mut rng);
    let acl = acl(&tenant, &users, &mut rng);

    Snapshot {
        format_version: FORMAT_VERSION,
        tenant: TenantInfo {
            name: format!("synthetic-{seed}"),
            api: Some(format!("https://api.synthetic-{seed}.example.test")),
            captured: "2026-01-01T00:00:00Z".into(),
        },
        installed: tenant.into_iter().map(|t| t.installed).collect(),
        flows,
        users,
        acl: Some(acl),
    }
}

/// SplitMix64: tiny, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be 0.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn percent(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A UUID-shaped id, as the tenant gives flows and placed components.
    fn uuid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }
}

/// An installed connector and what flows can place from it.
struct Tenanted {
    installed: Installed,
    /// Public components as the tenant has them: the older manifests when
    /// the snapshot carries them, else the repository's.
    placeable: Vec<Component>,
    /// Not in the repository.
    orphan: bool,
}

/// How the tenant has `connector`, or `None` when it is not installed.
fn install(root: &Path, connector: &Connector, rng: &mut Rng) -> Option<Tenanted> {
    // A version the snapshot reader would refuse cannot be installed.
    let current = parse_strict(connector.version.as_deref()?).ok()?;
    if connector.failed || rng.percent(10) {
        return None;
    }
    let version = if rng.percent(15) {
        current.clone()
    } else {
        older_version(connector, &current, rng)
    };
    let behind = version < current;

    let mut installed = Installed {
        name: connector.name.clone(),
        version: version.to_string(),
        components: None,
        auth_types: BTreeMap::new(),
    };
    let mut placeable: Vec<Component> = connector
        .components
        .iter()
        .filter(|c| !c.private)
        .cloned()
        .collect();

    if rng.percent(33) {
        if let Some(mut manifests) = read_manifests(root, connector) {
            if behind {
                make_older(&mut manifests, rng);
            }
            installed.auth_types = auth_types(connector, behind, rng);
            placeable = read_back(&manifests, &installed.auth_types);
            installed.components = Some(manifests);
        }
    }
    Some(Tenanted {
        installed,
        placeable,
        orphan: false,
    })
}

/// An earlier changelog key when there is one, else a version one patch,
/// minor or major release back.
fn older_version(
    connector: &Connector,
    current: &semver::Version,
    rng: &mut Rng,
) -> semver::Version {
    let earlier: Vec<semver::Version> = connector
        .changelog
        .releases()
        .iter()
        .filter_map(|r| parse_strict(&r.version).ok())
        .filter(|v| v < current)
        .collect();
    if !earlier.is_empty() {
        return rng.pick(&earlier).clone();
    }
    let (major, minor, patch) = (current.major, current.minor, current.patch);
    let candidates: Vec<semver::Version> = [
        (patch > 0).then(|| semver::Version::new(major, minor, patch - 1)),
        (minor > 0).then(|| semver::Version::new(major, minor - 1, 0)),
        (major > 0).then(|| semver::Version::new(major - 1, 0, 0)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if candidates.is_empty() {
        current.clone()
    } else {
        rng.pick(&candidates).clone()
    }
}

/// The connector's `component.json` files as JSON, in the scan's order, or
/// `None` when one cannot be read back.
fn read_manifests(root: &Path, connector: &Connector) -> Option<Vec<Value>> {
    connector
        .components
        .iter()
        .map(|c| {
            let text = std::fs::read_to_string(root.join(&c.path).join("component.json")).ok()?;
            serde_json::from_str(&text).ok()
        })
        .collect()
}

/// Turns current manifests into plausible ones of an earlier release.
fn make_older(manifests: &mut Vec<Value>, rng: &mut Rng) {
    for m in manifests.iter_mut() {
        if rng.percent(20) {
            drop_required_input(m, rng);
        }
        if rng.percent(20) {
            add_output_variable(m);
        }
        if rng.percent(20) {
            drop_scope(m);
        }
    }
    // A component added since is absent from the older release.
    if manifests.len() > 1 && rng.percent(15) {
        let at = rng.below(manifests.len());
        manifests.remove(at);
    }
    // A component removed since is still there.
    if rng.percent(30) {
        let public: Vec<&Value> = manifests
            .iter()
            .filter(|m| m.get("private") != Some(&Value::Bool(true)) && m["name"].is_string())
            .collect();
        if !public.is_empty() {
            let mut gone = (*rng.pick(&public)).clone();
            let name = format!("{}V1", gone["name"].as_str().unwrap_or_default());
            gone["name"] = Value::String(name);
            if let Some(label) = gone.get("label").and_then(Value::as_str) {
                gone["label"] = Value::String(format!("{label} (v1)"));
            }
            manifests.push(gone);
        }
    }
}

/// Removes one input that the schema of an input port requires, as if it
/// had been added later.
fn drop_required_input(manifest: &mut Value, rng: &mut Rng) {
    let Some(ports) = manifest.get_mut("inPorts").and_then(Value::as_array_mut) else {
        return;
    };
    for port in ports {
        let required: Vec<String> = port
            .pointer("/schema/required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        if required.is_empty() {
            continue;
        }
        let name = rng.pick(&required).clone();
        if let Some(props) = port
            .pointer_mut("/schema/properties")
            .and_then(Value::as_object_mut)
        {
            props.remove(&name);
        }
        if let Some(list) = port
            .pointer_mut("/schema/required")
            .and_then(Value::as_array_mut)
        {
            list.retain(|v| v.as_str() != Some(&name));
        }
        if let Some(inputs) = port
            .pointer_mut("/inspector/inputs")
            .and_then(Value::as_object_mut)
        {
            inputs.remove(&name);
        }
        return;
    }
}

/// Adds an output variable to the first port that lists its variables, as
/// if a later release had removed it.
fn add_output_variable(manifest: &mut Value) {
    let Some(ports) = manifest.get_mut("outPorts").and_then(Value::as_array_mut) else {
        return;
    };
    for port in ports {
        if let Some(options) = port.get_mut("options").and_then(Value::as_array_mut) {
            if !options.iter().any(|o| o["value"] == "legacyId") {
                options.push(json!({
                    "label": "Legacy ID",
                    "value": "legacyId",
                    "schema": {"type": "string"}
                }));
            }
            return;
        }
    }
}

/// Removes the last OAuth scope, as if a later release had asked for it.
fn drop_scope(manifest: &mut Value) {
    if let Some(scopes) = manifest
        .pointer_mut("/auth/scope")
        .and_then(Value::as_array_mut)
    {
        scopes.pop();
    }
}

/// `authTypes` for the connector's auth services, as the repository
/// resolves them; an older release sometimes had another type.
fn auth_types(connector: &Connector, behind: bool, rng: &mut Rng) -> BTreeMap<String, String> {
    let mut types: BTreeMap<String, String> = connector
        .components
        .iter()
        .filter_map(|c| {
            let auth = c.auth.as_ref()?;
            Some((auth.service.clone(), auth.auth_type.clone()?))
        })
        .collect();
    if behind && rng.percent(20) {
        for ty in types.values_mut() {
            *ty = if ty == "apiKey" { "oauth2" } else { "apiKey" }.to_string();
        }
    }
    types
}

/// The public components of manifests, read as the planner will read them.
fn read_back(manifests: &[Value], auth_types: &BTreeMap<String, String>) -> Vec<Component> {
    let folders: HashMap<String, String> = auth_types
        .iter()
        .map(|(service, ty)| (service.replace(':', "/"), ty.clone()))
        .collect();
    manifests
        .iter()
        .filter_map(|m| {
            let name = m.get("name")?.as_str()?;
            let (c, _) =
                read_component_manifest(&m.to_string(), name, &name.replace('.', "/"), &folders);
            c.filter(|c| !c.private)
        })
        .collect()
}

/// An installed connector the repository does not have; every other one
/// carries manifests, so both ways of judging an orphan's flows occur.
fn orphan(repo: &Repository, k: usize, rng: &mut Rng) -> Tenanted {
    let vendor = repo
        .connectors
        .get(rng.below(repo.connectors.len().max(1)))
        .and_then(|c| c.name.split('.').next())
        .unwrap_or("acme")
        .to_string();
    let mut name = format!("{vendor}.retired{k}");
    while repo.connector(&name).is_some() {
        name.push('x');
    }
    let version = format!("{}.{}.{}", 1 + rng.below(3), rng.below(10), rng.below(10));

    let manifests = vec![
        json!({
            "name": format!("{name}.NewRecord"),
            "label": "New Record",
            "tick": true,
            "auth": {"service": name.replace('.', ":")},
            "outPorts": [{"name": "out", "options": [
                {"label": "Record ID", "value": "id", "schema": {"type": "string"}},
                {"label": "Created at", "value": "createdAt", "schema": {"type": "string"}}
            ]}]
        }),
        json!({
            "name": format!("{name}.CreateRecord"),
            "label": "Create Record",
            "auth": {"service": name.replace('.', ":")},
            "inPorts": [{"name": "in", "schema": {
                "type": "object",
                "properties": {"title": {"type": "string"}, "body": {"type": "string"}},
                "required": ["title"]
            }}],
            "outPorts": [{"name": "out", "options": [
                {"label": "Record ID", "value": "id", "schema": {"type": "string"}}
            ]}]
        }),
    ];
    let auth_types = BTreeMap::from([(name.replace('.', ":"), "apiKey".to_string())]);
    let placeable = read_back(&manifests, &auth_types);
    let with_manifests = k % 2 == 1;
    Tenanted {
        installed: Installed {
            name,
            version,
            components: with_manifests.then_some(manifests),
            auth_types: if with_manifests {
                auth_types
            } else {
                BTreeMap::new()
            },
        },
        placeable,
        orphan: true,
    }
}

/// About one user per 20 flows, at least five; the first is an admin and
/// every fourth has an address in a subdomain that access rules name.
fn users(flows: usize) -> Vec<User> {
    (1..=(flows / 20).max(5))
        .map(|i| {
            let domain = if i % 4 == 0 {
                "ops.example.test"
            } else {
                "example.test"
            };
            let email = format!("user{i:04}@{domain}");
            let mut scope = vec!["user".to_string()];
            if i == 1 {
                scope.push("admin".into());
            } else if i % 7 == 0 {
                scope.push("tester".into());
            }
            User {
                id: format!("u-{i:04}"),
                username: Some(email.clone()),
                email: Some(email),
                scope,
                is_active: Some(i % 11 != 0),
            }
        })
        .collect()
}

/// `count` flows, 60 % running, each placing one to five components.
fn place_flows(tenant: &[Tenanted], users: &[User], count: usize, rng: &mut Rng) -> Vec<Flow> {
    let usable: Vec<&Tenanted> = tenant.iter().filter(|t| !t.placeable.is_empty()).collect();
    if usable.is_empty() {
        return Vec::new();
    }
    (0..count)
        .map(|_| {
            let stage = if rng.percent(60) {
                Stage::Running
            } else {
                Stage::Stopped
            };
            let user_id = if rng.percent(2) {
                format!("u-deleted-{}", rng.below(1000))
            } else {
                rng.pick(users).id.clone()
            };
            let steps = 1 + rng.below(5);
            let placed = place(&usable, steps, rng);
            let name = match (placed.first(), placed.last()) {
                (Some((_, first)), Some((_, last))) if placed.len() > 1 => {
                    format!("{} to {}", first.label, last.label)
                }
                (Some((_, only)), _) => only.label.clone(),
                _ => "Empty flow".into(),
            };
            Flow {
                flow_id: rng.uuid(),
                name,
                user_id,
                stage,
                flow: wire(&placed, rng),
            }
        })
        .collect()
}

/// Picks the components of one flow: a trigger first when the connector
/// has one, then actions, mostly of the same connector.
fn place<'t>(usable: &[&'t Tenanted], steps: usize, rng: &mut Rng) -> Vec<(String, &'t Component)> {
    let mut placed: Vec<(String, &Component)> = Vec::new();
    let mut connector = *rng.pick(usable);
    for step in 0..steps {
        if step > 0 && rng.percent(40) {
            connector = *rng.pick(usable);
        }
        let triggers: Vec<&Component> = connector
            .placeable
            .iter()
            .filter(|c| c.kind.is_trigger())
            .collect();
        let actions: Vec<&Component> = connector
            .placeable
            .iter()
            .filter(|c| c.kind == ComponentKind::Action)
            .collect();
        let component = if step == 0 && !triggers.is_empty() && rng.percent(80) {
            *rng.pick(&triggers)
        } else if !actions.is_empty() {
            *rng.pick(&actions)
        } else if step == 0 {
            rng.pick(&connector.placeable)
        } else {
            break;
        };
        placed.push((rng.uuid(), component));
    }
    placed
}

/// The `flow` object: each component fed by the one before, its inputs
/// filled from constants and from earlier outputs.
fn wire(placed: &[(String, &Component)], rng: &mut Rng) -> BTreeMap<String, FlowComponent> {
    let mut flow = BTreeMap::new();
    for (i, (id, component)) in placed.iter().enumerate() {
        let mut config = Map::new();

        if let Some(props) = component.properties.as_ref() {
            let mut values = Map::new();
            for field in props.fields.iter().take(2) {
                values.insert(field.name.clone(), sample_value(field));
            }
            if !values.is_empty() {
                config.insert("properties".into(), Value::Object(values));
            }
        }

        let mut source = Value::Null;
        let previous = i.checked_sub(1).map(|p| &placed[p]);
        if let (Some((prev_id, prev)), Some(port)) = (previous, component.in_ports.first()) {
            let prev_port = prev.out_ports.first().map_or("out", |p| p.name.as_str());
            source = json!({ &port.name: { prev_id: [prev_port] } });

            let mut lambda = Map::new();
            let mut fields: Vec<&connector_catalog::scan::Field> =
                port.fields.fields.iter().collect();
            fields.sort_by_key(|f| !f.required);
            for field in fields.into_iter().take(3) {
                let value = match earlier_variable(&placed[..i], rng) {
                    Some(template) if rng.percent(50) => Value::String(template),
                    _ => sample_value(field),
                };
                lambda.insert(field.name.clone(), value);
            }
            config.insert(
                "transform".into(),
                json!({ &port.name: { prev_id: { prev_port: {
                    "type": "json2new",
                    "lambda": lambda
                }}}}),
            );
        }

        flow.insert(
            id.clone(),
            FlowComponent {
                component_type: component.name.clone(),
                version: Some(component.version.clone().unwrap_or_else(|| "1.0.0".into())),
                label: Some(component.label.clone()),
                source: (!source.is_null()).then(|| RawJson::from_value(&source)),
                config: (!config.is_empty()).then(|| RawJson::from_value(&Value::Object(config))),
            },
        );
    }
    flow
}

/// `{{{$.<id>.<port>.<variable>}}}` for a random output variable of an
/// earlier component, when one has any.
fn earlier_variable(earlier: &[(String, &Component)], rng: &mut Rng) -> Option<String> {
    let offers: Vec<(&str, &str, &str)> = earlier
        .iter()
        .flat_map(|(id, c)| {
            c.out_ports.iter().flat_map(move |p| {
                p.variables
                    .iter()
                    .map(move |v| (id.as_str(), p.name.as_str(), v.value.as_str()))
            })
        })
        .collect();
    if offers.is_empty() {
        return None;
    }
    let (id, port, variable) = *rng.pick(&offers);
    Some(format!("{{{{{{$.{id}.{port}.{variable}}}}}}}"))
}

/// A plausible constant for a field: its default, its first choice, or a
/// value of its type.
fn sample_value(field: &connector_catalog::scan::Field) -> Value {
    if let Some(default) = &field.default {
        return default.clone();
    }
    if let Some(choice) = field.choices.first() {
        return choice.value.clone();
    }
    match field.schema_type.as_deref().unwrap_or("string") {
        "boolean" => Value::Bool(true),
        "integer" | "number" => json!(10),
        "array" => json!([]),
        "object" => json!({}),
        _ => Value::String(format!("sample {}", field.name)),
    }
}

/// The generic rule and the admin rule; per-connector rules for every
/// tenth connector; rules for three users' addresses, one domain, and the
/// `tester` scope on the orphans.
fn acl(tenant: &[Tenanted], users: &[User], rng: &mut Rng) -> Acl {
    let rule = |role: &str, resource: String| AclRule {
        role: role.to_string(),
        resource,
        action: vec!["*".into()],
        attributes: vec!["non-private".into()],
    };
    let mut rules = vec![
        rule("user", "*".into()),
        AclRule {
            attributes: vec!["*".into()],
            ..rule("admin", "*".into())
        },
    ];
    for (i, t) in tenant.iter().enumerate() {
        if i % 10 == 0 {
            rules.push(rule("user", format!("{}.*", t.installed.name)));
        }
    }
    let emails: BTreeSet<&str> = (0..3)
        .filter_map(|_| rng.pick(users).email.as_deref())
        .collect();
    for email in emails {
        rules.push(rule(
            email,
            format!("{}.*", rng.pick(tenant).installed.name),
        ));
    }
    rules.push(rule(
        "ops.example.test",
        format!("{}*", rng.pick(tenant).installed.name),
    ));
    for t in tenant.iter().filter(|t| t.orphan) {
        rules.push(rule("tester", format!("{}.*", t.installed.name)));
    }
    Acl { components: rules }
}
