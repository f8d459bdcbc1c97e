//! `build`: scan, then render and write the catalog site. Progress and
//! timings go to stderr; the site goes to files.

use crate::cli::BuildArgs;
use crate::commands::check::Summary;
use crate::commands::{scan_repo, RunError};
use crate::site::{self, Options};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(args: &BuildArgs) -> Result<u8, RunError> {
    let start = Instant::now();
    let repo_root = &args.repo.repo;
    if let Some(url) = &args.base_url {
        check_base_url(url).map_err(|why| {
            RunError::Other(format!(
                "invalid --base-url `{}`: {why}; give the absolute http or https URL the \
                 site is published at, such as https://catalog.example.test/",
                url.escape_debug()
            ))
        })?;
    }
    let tenant_path = tenant_snapshot(args);
    refuse_overlaps(args, tenant_path.as_deref())?;
    let out = site::output::site_folder(&args.out).map_err(|e| RunError::Other(e.to_string()))?;
    // A build killed mid-swap may have left the previous site aside.
    site::output::recover(&out).map_err(|e| RunError::Other(e.to_string()))?;
    let repo = scan_repo(repo_root)?;
    let scan_time = start.elapsed();

    let summary = Summary::of(&repo.diagnostics);
    if repo.connectors.is_empty() {
        eprintln!(
            "error: no connector to publish: no bundle.json found in `{}`",
            repo_root.display()
        );
        return Ok(1);
    }
    if repo.connectors.iter().all(|c| c.failed) {
        eprintln!(
            "error: no connector to publish: all {} failed the scan; run `connector-catalog \
             check {}` for the reasons",
            repo.connectors.len(),
            repo_root.display()
        );
        return Ok(1);
    }
    if summary.errors + summary.warnings > 0 {
        eprintln!(
            "note: the scan found {} errors and {} warnings; run `connector-catalog check {}` for details",
            summary.errors,
            summary.warnings,
            repo_root.display()
        );
        if args.deny_warnings {
            eprintln!("error: not building because of --deny-warnings; the previous site is left as it was");
            return Ok(1);
        }
    }

    let tenant = match tenant_path {
        Some(path) => {
            let snapshot =
                crate::tenant::load(&path).map_err(|e| RunError::Other(e.to_string()))?;
            let options = crate::plan::model::PlanOptions {
                lockdown: true,
                allow_downgrade: false,
            };
            let plan =
                crate::plan::plan(&repo, &repo_root.display().to_string(), &snapshot, options);
            let names: Vec<&str> = repo
                .connectors
                .iter()
                .filter(|c| !c.failed)
                .map(|c| c.name.as_str())
                .collect();
            let tenant = site::tenant::TenantSite::new(&snapshot.snapshot, plan, &names);
            eprintln!(
                "tenant {} from {}: {}",
                tenant.name,
                path.display(),
                tenant.summary_line
            );
            Some(tenant)
        }
        None => None,
    };

    let opts = Options {
        out: out.clone(),
        templates: args.templates.clone(),
        base_url: args.base_url.clone(),
        progress: std::io::stderr().is_terminal(),
        tenant,
    };
    let fail = |e: site::BuildError| RunError::Other(e.to_string());
    let mut built = site::Built::default();
    let files = site::render(repo_root, &repo, &opts, &mut built).map_err(fail)?;
    let shown = crate::text::for_terminal;
    for path in &built.skipped {
        eprintln!(
            "warning: connector `{}` failed the scan and is left out of the site",
            shown(path)
        );
    }
    for (path, reason) in &built.left_out {
        eprintln!(
            "warning: connector `{}` is left out of the site: {}",
            shown(path),
            shown(reason)
        );
    }
    if built.connectors == 0 {
        eprintln!(
            "error: no connector to publish: every one that passed the scan is left out (see \
             above); the previous site is left as it was"
        );
        return Ok(1);
    }
    if args.deny_warnings && !built.left_out.is_empty() {
        eprintln!(
            "error: not building because of --deny-warnings; the previous site is left as it was"
        );
        return Ok(1);
    }
    site::write(&out, &files, &mut built).map_err(fail)?;
    for (path, size) in &built.large_zips {
        eprintln!(
            "warning: {} is {size} bytes; tenants refuse archives over 10 MiB",
            args.out.join(path).display()
        );
    }
    eprintln!(
        "built {} pages ({} connectors, {} components), {} files into {} in {:.2} s",
        built.pages,
        built.connectors,
        built.components,
        built.files,
        args.out.display(),
        start.elapsed().as_secs_f64()
    );
    if args.timings {
        let total = start.elapsed().as_secs_f64();
        let mut phases = vec![("scan", scan_time)];
        phases.extend(built.phases.iter().copied());
        for (name, time) in phases {
            let secs = time.as_secs_f64();
            eprintln!(
                "  {name:<13} {:>8.1} ms  {:>5.1} %",
                secs * 1000.0,
                100.0 * secs / total
            );
        }
        eprintln!("  {:<13} {:>8.1} ms", "total", total * 1000.0);
        eprintln!(
            "  {} of {} zips taken unchanged from the previous build",
            built.zips_reused, built.connectors
        );
    }
    Ok(0)
}

/// The repository's default folder; the sample tenant goes with it.
const DEFAULT_REPO: &str = "./connectors";
const SAMPLE_TENANT: &str = "./tenant/sample-snapshot.json";

/// The snapshot to show: `--tenant`, or the sample one when the repository
/// is the default sample (however the path to it is spelled) and the file
/// is there, so that `build` with no arguments shows the whole product.
fn tenant_snapshot(args: &BuildArgs) -> Option<PathBuf> {
    if args.no_tenant {
        return None;
    }
    if let Some(path) = &args.tenant {
        return Some(path.clone());
    }
    let sample = Path::new(SAMPLE_TENANT);
    let same = |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let default =
        args.repo.repo == Path::new(DEFAULT_REPO) || same(&args.repo.repo, Path::new(DEFAULT_REPO));
    (default && sample.is_file()).then(|| sample.to_path_buf())
}

/// Why `url` cannot be the address the site is published at, if it
/// cannot: it goes into every canonical link and `sitemap.xml`, so it must
/// be an absolute `http` or `https` URL with a host, and no query,
/// fragment or credentials (which would be published to every reader).
fn check_base_url(url: &str) -> Result<(), String> {
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("it holds {}", describe(c)));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(match url.split_once(':') {
            Some((scheme, _)) if !scheme.is_empty() && !scheme.contains('/') => {
                format!("its scheme is `{scheme}`, not http or https")
            }
            _ => "it has no scheme (http:// or https://)".into(),
        });
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(format!("its scheme is `{scheme}`, not http or https"));
    }
    if rest.contains('?') {
        return Err("it has a query (`?`)".into());
    }
    if rest.contains('#') {
        return Err("it has a fragment (`#`)".into());
    }
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if authority.contains('@') {
        return Err("it holds credentials (`user@`), which would be published".into());
    }
    // An IPv6 host is bracketed and holds colons of its own.
    let split = match authority.find(']') {
        Some(end) if authority.starts_with('[') => end + 1,
        _ => authority.rfind(':').unwrap_or(authority.len()),
    };
    let (host, port) = authority.split_at(split);
    let port = match port.strip_prefix(':') {
        Some(port) => Some(port),
        None if port.is_empty() => None,
        None => return Err(format!("`{authority}` is not a host and port")),
    };
    if host.is_empty() {
        return Err("it has no host".into());
    }
    let host_ok = if let Some(ip6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !ip6.is_empty()
            && ip6
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        host.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
    };
    if !host_ok {
        return Err(format!("`{host}` is not a host name"));
    }
    if let Some(port) = port {
        if port.parse::<u16>().map_or(true, |p| p == 0) {
            return Err(format!("`{port}` is not a port"));
        }
    }
    if let Some(c) = path.chars().find(|c| "\"<>\\^`{|}".contains(*c)) {
        return Err(format!(
            "its path holds `{c}`, which a URL may not hold unescaped"
        ));
    }
    Ok(())
}

fn describe(c: char) -> String {
    if c == ' ' {
        "a space".into()
    } else {
        format!("the character U+{:04X}", u32::from(c))
    }
}

/// The swap deletes what lies inside `--out`, and zips pack what lies
/// inside the repository: refuse, before any work, to build a site over its
/// own inputs or inside the repository. Paths are compared resolved, so no
/// spelling or link hides an overlap.
fn refuse_overlaps(args: &BuildArgs, tenant: Option<&Path>) -> Result<(), RunError> {
    let resolve = |p: &Path| {
        site::output::resolve(p)
            .map_err(|e| RunError::Other(format!("cannot resolve `{}`: {e}", p.display())))
    };
    let out = resolve(&args.out)?;
    let inputs = [
        ("repository", Some(args.repo.repo.as_path())),
        ("--templates folder", args.templates.as_deref()),
        ("tenant snapshot", tenant),
    ];
    for (what, path) in inputs {
        let Some(path) = path else { continue };
        if resolve(path)?.starts_with(&out) {
            return Err(RunError::Other(format!(
                "refusing to build into `{}`: the {what} `{}` lies inside it, and replacing \
                 the site would delete it; choose an --out folder that holds none of the inputs",
                args.out.display(),
                path.display()
            )));
        }
    }
    if out.starts_with(resolve(&args.repo.repo)?) {
        return Err(RunError::Other(format!(
            "refusing to build into `{}`: it lies inside the repository `{}`, where each \
             scan would read the sites before it and zips could pack them; choose an --out \
             folder outside the repository",
            args.out.display(),
            args.repo.repo.display()
        )));
    }
    Ok(())
}
