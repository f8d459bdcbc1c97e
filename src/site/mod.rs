//! Building the static catalog website from a scanned repository.
//!
//! Phases, each timed: icons (decode and name by content), zips (one per
//! connector), render (every page, in parallel), search index, and write
//! (staged, then swapped in). Zips are packed while the pages that do not
//! show a zip's size and the search index are rendered, so those three
//! phases overlap in time. Scanning happens before and is timed by the
//! caller. Nothing here reads manifests: pages come from the
//! [`Repository`] alone.

pub mod catalog;
pub mod icons;
pub mod links;
pub mod markup;
pub mod output;
mod templates;
pub mod tenant;
pub mod view;
pub mod zips;

use crate::scan::{Connector, Repository};
use output::OutFile;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub out: PathBuf,
    /// A folder whose templates replace the built-in ones of the same name.
    pub templates: Option<PathBuf>,
    /// Absolute URL the site is published at; enables `sitemap.xml`.
    pub base_url: Option<String>,
    /// Draw a progress bar (only when stderr is a terminal).
    pub progress: bool,
    /// A tenant to show installed versions, access and the upgrade plan
    /// for.
    pub tenant: Option<tenant::TenantSite>,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("template error: {0}")]
    Template(String),
    #[error(transparent)]
    Output(#[from] output::OutputError),
    #[error(transparent)]
    Pack(#[from] crate::pack::PackError),
}

/// What a build did, for the command to report.
#[derive(Debug, Default)]
pub struct Built {
    pub pages: usize,
    pub files: usize,
    pub connectors: usize,
    pub components: usize,
    /// Folders of connectors that failed the scan.
    pub skipped: Vec<String>,
    /// Connectors that passed the scan but are left out of the site, with
    /// why: their zip could not be made, or their pages or zip would share
    /// a file with an earlier connector's.
    pub left_out: Vec<(String, String)>,
    /// Zips over the tenant's upload limit: site path and size in bytes.
    pub large_zips: Vec<(String, usize)>,
    /// Zips taken from the previous build because nothing in them changed
    /// (see [`zips`]).
    pub zips_reused: usize,
    pub phases: Vec<(&'static str, Duration)>,
}

impl Built {
    /// Adds `time` to the phase `name`, so a phase run twice is reported
    /// once with both runs' time.
    fn time(&mut self, name: &'static str, time: Duration) {
        match self.phases.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => *total += time,
            None => self.phases.push((name, time)),
        }
    }
}

/// Renders the site into memory: every file with its path. Writing is a
/// separate step so tests and the benchmark can look at the bytes.
///
/// A connector whose zip cannot be made, or whose pages or zip would share
/// a file with an earlier connector's, is left out and noted on the index
/// page like one that failed the scan: one bad folder does not cost the
/// whole catalog. Zips are packed while the other pages render, so a zip
/// that fails is only known afterwards; the pages are then rendered again
/// without its connector (a rare, slower path).
pub fn render(
    repo_root: &Path,
    repo: &Repository,
    opts: &Options,
    built: &mut Built,
) -> Result<Vec<OutFile>, BuildError> {
    built.skipped = repo
        .connectors
        .iter()
        .filter(|c| c.failed)
        .map(|c| c.path.clone())
        .collect();
    let candidates: Vec<&Connector> = repo.connectors.iter().filter(|c| !c.failed).collect();
    built.left_out = shared_files(&candidates);
    loop {
        let left_out = |c: &Connector| built.left_out.iter().any(|(p, _)| *p == c.path);
        let published: Vec<&Connector> = candidates
            .iter()
            .copied()
            .filter(|c| !left_out(c))
            .collect();
        // The index and catalog.json list the connectors left out as
        // failed; a copy marks them so, only when there are any.
        let marked;
        let shown = if built.left_out.is_empty() {
            repo
        } else {
            let mut copy = repo.clone();
            for c in copy.connectors.iter_mut().filter(|c| left_out(c)) {
                c.failed = true;
            }
            marked = copy;
            &marked
        };
        match render_published(repo_root, shown, &published, opts, built)? {
            Ok(files) => return Ok(files),
            Err(unpacked) => built.left_out.extend(unpacked),
        }
    }
}

/// Connectors whose pages or zip would land on a file an earlier
/// connector (by path) writes, also when the two paths differ only in
/// letter case: they collide on case-insensitive file systems and in zips
/// unpacked there. The later one is left out, with the reason. Paths
/// shared inside one connector are not decided here: they fail the build
/// (see [`output::check_collisions`]).
fn shared_files(candidates: &[&Connector]) -> Vec<(String, String)> {
    let mut by_path = candidates.to_vec();
    by_path.sort_by(|a, b| a.path.cmp(&b.path));
    let mut owner: BTreeMap<String, (&str, String)> = BTreeMap::new();
    let mut left_out = Vec::new();
    for c in by_path {
        let files: Vec<String> = [view::connector_url(&c.name), view::zip_url(&c.name)]
            .into_iter()
            .chain(c.components.iter().map(|x| view::component_url(&x.name)))
            .collect();
        let clash = files.iter().find_map(|f| {
            owner
                .get(&f.to_lowercase())
                .filter(|(path, _)| *path != c.path)
                .map(|(path, theirs)| (f, *path, theirs))
        });
        if let Some((ours, path, theirs)) = clash {
            let reason = if ours == theirs {
                format!("`{ours}` is also written for `{path}`")
            } else {
                format!(
                    "`{ours}` is the same file as `{theirs}` of `{path}` where letter case \
                     is not told apart"
                )
            };
            left_out.push((c.path.clone(), reason));
            continue;
        }
        for f in files {
            owner.entry(f.to_lowercase()).or_insert((&c.path, f));
        }
    }
    left_out
}

/// The files of a site, or the connectors whose zips could not be made,
/// with why.
type Attempt = Result<Vec<OutFile>, Vec<(String, String)>>;

/// The site of `published`, or the connectors whose zips could not be
/// made, with why.
fn render_published(
    repo_root: &Path,
    repo: &Repository,
    published: &[&Connector],
    opts: &Options,
    built: &mut Built,
) -> Result<Attempt, BuildError> {
    let mut files: Vec<OutFile> = Vec::new();

    let t = Instant::now();
    let icon_urls = write_icons(repo, published, &mut files);
    built.time("icons", t.elapsed());

    // Packing and rendering share one number, the zip size a connector
    // page shows, so they run side by side and only connector pages wait
    // for the zips: compression's tail and the serial steps of rendering
    // (templates, cards, the index, the search index) fill each other's
    // idle cores, which took 6 % off a build of the corpus. Each phase is
    // timed over its own span, so the spans of zips, render and search
    // index overlap.
    let t = Instant::now();
    let page_count = published.len() + published.iter().map(|c| c.components.len()).sum::<usize>();
    let progress = progress_bar(opts.progress, page_count as u64);
    let left_out = built.left_out.as_slice();
    let previous = zips::Previous::load(&opts.out);
    let (packed, rest) = rayon::join(
        || {
            let zips: Vec<_> = published
                .par_iter()
                .map(|c| previous.pack(repo_root, c))
                .collect();
            (zips, t.elapsed())
        },
        || render_without_zips(repo, published, left_out, &icon_urls, opts, &progress),
    );
    let (zips, zip_time) = packed;
    built.time("zips", zip_time);
    let unpacked: Vec<(String, String)> = published
        .iter()
        .zip(&zips)
        .filter_map(|(c, z)| z.as_ref().err().map(|e| (c.path.clone(), e.to_string())))
        .collect();
    if !unpacked.is_empty() {
        progress.finish_and_clear();
        return Ok(Err(unpacked));
    }
    let zips: Vec<zips::Zipped> = zips.into_iter().filter_map(Result::ok).collect();
    built.zips_reused = zips.iter().filter(|z| z.reused).count();
    let rest = rest?;

    let t = Instant::now();
    let connector_pages: Vec<OutFile> = {
        let zip_sizes: BTreeMap<&str, usize> = zips
            .iter()
            .map(|z| (z.packed.name.as_str(), z.packed.bytes.len()))
            .collect();
        let status = |name: &str| opts.tenant.as_ref().and_then(|t| t.connectors.get(name));
        published
            .par_iter()
            .zip(rest.cards.par_iter())
            .map(|(c, card)| {
                let size = zip_sizes.get(c.name.as_str()).copied();
                let mut page = view::connector_page(repo, c, card.clone(), size);
                page.tenant = status(&c.name).cloned();
                let file = render_page(
                    &rest.tera,
                    "connector.html",
                    &page,
                    "../",
                    &view::connector_url(&c.name),
                    &c.path,
                    opts,
                );
                progress.inc(1);
                file
            })
            .collect::<Result<_, BuildError>>()?
    };
    progress.finish_and_clear();
    built.large_zips = zips
        .iter()
        .filter(|z| z.packed.bytes.len() > crate::pack::TENANT_LIMIT)
        .map(|z| (view::zip_url(&z.packed.name), z.packed.bytes.len()))
        .collect();
    files.push(zips::index(&zips));
    for z in zips {
        files.push(OutFile {
            path: view::zip_url(&z.packed.name),
            source: z.packed.name,
            bytes: z.packed.bytes,
        });
    }
    files.extend(connector_pages);
    files.extend(rest.pages);
    built.connectors = published.len();
    built.components = published.iter().map(|c| c.components.len()).sum();
    built.pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    built.time("render", rest.render + t.elapsed());

    files.extend(rest.search);
    if let Some(base) = &opts.base_url {
        let sitemap = sitemap(base, &files);
        files.push(sitemap);
    }
    for (path, bytes) in templates::ASSETS {
        files.push(OutFile {
            path: (*path).into(),
            source: format!("built-in {path}"),
            bytes: bytes.to_vec(),
        });
    }
    built.time("search index", rest.search_time);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    built.files = files.len();
    Ok(Ok(files))
}

/// The access-control page and the upgrade report: the tenant's views,
/// and the connectors that passed the scan but are left out of this site
/// (their zip could not be made, say), by name with why. They have no page
/// to link to, and the upgrade report says that their upgrade cannot be
/// applied from this catalog.
#[derive(Serialize)]
struct TenantPage<'a> {
    #[serde(flatten)]
    site: &'a tenant::TenantSite,
    left_out: BTreeMap<&'a str, &'a str>,
}

/// What [`render_without_zips`] made: the templates, for the connector
/// pages still to come, and the files that did not need the zips.
struct Unzipped {
    tera: tera::Tera,
    /// The index's cards, in the order of the published connectors; each
    /// connector page shows its own.
    cards: Vec<view::ConnectorCard>,
    pages: Vec<OutFile>,
    render: Duration,
    search: Vec<OutFile>,
    search_time: Duration,
}

/// Every page but the connector pages (which show their zip's size), then
/// the search index and `catalog.json`.
fn render_without_zips(
    repo: &Repository,
    published: &[&Connector],
    left_out: &[(String, String)],
    icon_urls: &BTreeMap<String, String>,
    opts: &Options,
    progress: &indicatif::ProgressBar,
) -> Result<Unzipped, BuildError> {
    let t = Instant::now();
    let tera = templates::load(opts.templates.as_deref()).map_err(BuildError::Template)?;
    let status = |name: &str| opts.tenant.as_ref().and_then(|t| t.connectors.get(name));
    let cards: Vec<view::ConnectorCard> = published
        .iter()
        .map(|c| view::with_status(view::card(c, icon_urls), status(&c.name)))
        .collect();
    let groups: Vec<Vec<OutFile>> = published
        .par_iter()
        .map(|c| {
            let mut out = Vec::with_capacity(c.components.len());
            for component in &c.components {
                let page = view::component_page(c, component, icon_urls);
                out.push(render_page(
                    &tera,
                    "component.html",
                    &page,
                    "../",
                    &view::component_url(&component.name),
                    &component.path,
                    opts,
                )?);
                progress.inc(1);
            }
            Ok(out)
        })
        .collect::<Result<_, BuildError>>()?;
    let mut pages: Vec<OutFile> = groups.into_iter().flatten().collect();
    let mut index = IndexPage::new(repo, &cards, left_out);
    index.tenant = opts.tenant.is_some();
    pages.push(render_page(
        &tera,
        "index.html",
        &index,
        "",
        "index.html",
        "index",
        opts,
    )?);
    // A static host serves the 404 page at whatever missing path was
    // asked for, where relative links would lead nowhere; with a known base
    // URL its links are absolute.
    let root_404 = opts
        .base_url
        .as_ref()
        .map(|b| format!("{}/", b.trim_end_matches('/')))
        .unwrap_or_default();
    pages.push(render_page(
        &tera, "404.html", &index, &root_404, "404.html", "404", opts,
    )?);
    if let Some(t) = &opts.tenant {
        let page = TenantPage {
            site: t,
            left_out: repo
                .connectors
                .iter()
                .filter_map(|c| {
                    let why = left_out.iter().find(|(path, _)| *path == c.path)?;
                    Some((c.name.as_str(), why.1.as_str()))
                })
                .collect(),
        };
        for (template, source) in [
            ("access.html", "access rules"),
            ("upgrade.html", "upgrade plan"),
        ] {
            pages.push(render_page(
                &tera, template, &page, "", template, source, opts,
            )?);
        }
    }
    let render = t.elapsed();

    let t = Instant::now();
    let search = vec![
        search_index(published, &cards),
        OutFile {
            path: "catalog.json".into(),
            source: "catalog".into(),
            bytes: catalog::render(repo, published),
        },
    ];
    Ok(Unzipped {
        tera,
        cards,
        pages,
        render,
        search,
        search_time: t.elapsed(),
    })
}

/// Renders and writes the site.
pub fn build(repo_root: &Path, repo: &Repository, opts: &Options) -> Result<Built, BuildError> {
    let mut built = Built::default();
    let files = render(repo_root, repo, opts, &mut built)?;
    write(&opts.out, &files, &mut built)?;
    Ok(built)
}

/// Writes rendered files as the whole site at `out` (see [`output`]).
pub fn write(out: &Path, files: &[OutFile], built: &mut Built) -> Result<(), BuildError> {
    let t = Instant::now();
    output::write_site(out, files)?;
    built.time("write", t.elapsed());
    Ok(())
}

fn progress_bar(enabled: bool, len: u64) -> indicatif::ProgressBar {
    if !enabled {
        return indicatif::ProgressBar::hidden();
    }
    // indicatif draws nothing when stderr is not a terminal, so CI logs
    // stay clean without a check here.
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar}")
    {
        bar.set_style(style);
    }
    bar
}

#[derive(Serialize)]
struct PageContext<'a, T: Serialize> {
    root: &'a str,
    /// The tenant's name when the site shows one (adds navigation).
    tenant: Option<&'a str>,
    page: &'a T,
    canonical: Option<String>,
}

fn render_page<T: Serialize>(
    tera: &tera::Tera,
    template: &str,
    page: &T,
    root: &str,
    path: &str,
    source: &str,
    opts: &Options,
) -> Result<OutFile, BuildError> {
    let canonical = opts
        .base_url
        .as_ref()
        .map(|b| format!("{}/{}", b.trim_end_matches('/'), path));
    let context = tera::Context::from_serialize(PageContext {
        root,
        tenant: opts.tenant.as_ref().map(|t| t.name.as_str()),
        page,
        canonical,
    })
    .map_err(|e| BuildError::Template(format!("{template}: {e}")))?;
    let html = tera
        .render(template, &context)
        .map_err(|e| BuildError::Template(template_error(template, &e)))?;
    Ok(OutFile {
        path: path.into(),
        source: source.into(),
        bytes: html.into_bytes(),
    })
}

fn template_error(template: &str, e: &tera::Error) -> String {
    let mut message = format!("{template}: {e}");
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        message.push_str(&format!(": {c}"));
        cause = c.source();
    }
    message
}

/// Icon files, each distinct image once; returns icon id -> site path.
fn write_icons(
    repo: &Repository,
    published: &[&Connector],
    files: &mut Vec<OutFile>,
) -> BTreeMap<String, String> {
    let used: std::collections::BTreeSet<&String> = published
        .iter()
        .flat_map(|c| {
            c.icon
                .iter()
                .chain(c.components.iter().filter_map(|x| x.icon.as_ref()))
        })
        .collect();
    // Icon id, and the file name and bytes when the icon decodes.
    type Decoded = (String, Option<(String, Vec<u8>)>);
    let decoded: Vec<Decoded> = used
        .into_par_iter()
        .map(|id| {
            let file = repo.icons.get(id).and_then(|icon| {
                let bytes = icons::decode(icon)?;
                Some((format!("icons/{}", icons::file_name(&bytes, icon)), bytes))
            });
            (id.clone(), file)
        })
        .collect();
    let mut urls = BTreeMap::new();
    let mut written = std::collections::BTreeSet::new();
    for (id, file) in decoded {
        if let Some((path, bytes)) = file {
            if written.insert(path.clone()) {
                files.push(OutFile {
                    path: path.clone(),
                    source: format!("icon {id}"),
                    bytes,
                });
            }
            urls.insert(id, path);
        }
    }
    urls
}

#[derive(Serialize)]
struct IndexPage<'a> {
    cards: &'a [view::ConnectorCard],
    categories: Vec<(String, usize)>,
    auth_types: Vec<(String, usize)>,
    components: usize,
    failed: Vec<FailedNote>,
    /// Installation and update filters are shown with a tenant.
    tenant: bool,
}

#[derive(Serialize)]
struct FailedNote {
    path: String,
    reason: String,
}

impl<'a> IndexPage<'a> {
    /// `left_out` gives the reason of connectors the build left out after
    /// they passed the scan.
    fn new(
        repo: &Repository,
        cards: &'a [view::ConnectorCard],
        left_out: &[(String, String)],
    ) -> Self {
        let mut categories: BTreeMap<String, usize> = BTreeMap::new();
        let mut auth: BTreeMap<String, usize> = BTreeMap::new();
        for c in cards {
            *categories.entry(c.category.clone()).or_default() += 1;
            *auth.entry(c.auth_type.clone()).or_default() += 1;
        }
        let failed = repo
            .connectors
            .iter()
            .filter(|c| c.failed)
            .map(|c| {
                let reason = left_out
                    .iter()
                    .find(|(path, _)| *path == c.path)
                    .map(|(_, reason)| reason.clone())
                    .unwrap_or_else(|| crate::pack::failure_reason(repo, c));
                FailedNote {
                    path: c.path.clone(),
                    reason,
                }
            })
            .collect();
        IndexPage {
            cards,
            categories: categories.into_iter().collect(),
            auth_types: auth.into_iter().collect(),
            components: repo
                .connectors
                .iter()
                .filter(|c| !c.failed)
                .map(|c| c.components.len())
                .sum(),
            failed,
            tenant: false,
        }
    }
}

/// The browser-side search data, as a script so the site also works when
/// opened from disk (`fetch` of a local JSON file is blocked there).
fn search_index(published: &[&Connector], cards: &[view::ConnectorCard]) -> OutFile {
    #[derive(Serialize)]
    struct Doc<'a> {
        name: &'a str,
        text: String,
    }
    let docs: Vec<Doc> = published
        .iter()
        .zip(cards)
        .map(|(c, card)| {
            let mut text = format!("{} {} {}", c.name, c.label, card.description);
            for x in &c.components {
                text.push(' ');
                text.push_str(&x.name);
                text.push(' ');
                text.push_str(&x.label);
            }
            Doc {
                name: &c.name,
                text: text.to_lowercase(),
            }
        })
        .collect();
    // `</` is escaped so no manifest text can close the script element.
    let json = serde_json::to_string(&docs)
        .unwrap_or_else(|_| "[]".into())
        .replace("</", "<\\/");
    OutFile {
        path: "assets/search-index.js".into(),
        source: "search index".into(),
        bytes: format!("window.CATALOG_INDEX = {json};\n").into_bytes(),
    }
}

fn sitemap(base: &str, files: &[OutFile]) -> OutFile {
    let base = base.trim_end_matches('/');
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut pages: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .collect();
    pages.sort();
    for p in pages {
        xml.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            markup::escape(&format!("{base}/{p}"))
        ));
    }
    xml.push_str("</urlset>\n");
    OutFile {
        path: "sitemap.xml".into(),
        source: "sitemap".into(),
        bytes: xml.into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scanned repository of `acme.one` and `acme.two`, one action each.
    fn two_connectors() -> (tempfile::TempDir, Repository) {
        let dir = tempfile::tempdir().unwrap();
        for name in ["one", "two"] {
            let files = [
                (
                    "service.json",
                    format!(r#"{{"name": "acme.{name}", "label": "{name}"}}"#),
                ),
                (
                    "bundle.json",
                    format!(
                        r#"{{"name": "acme.{name}", "version": "1.0.0", "changelog": {{"1.0.0": ["x"]}}}}"#
                    ),
                ),
                (
                    "Do/component.json",
                    format!(r#"{{"name": "acme.{name}.Do", "inPorts": ["in"]}}"#),
                ),
            ];
            for (path, text) in files {
                let full = dir.path().join("repo/acme").join(name).join(path);
                std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                std::fs::write(full, text).unwrap();
            }
        }
        let repo = crate::scan::scan(&dir.path().join("repo")).unwrap();
        (dir, repo)
    }

    // Names are set after the scan, so these hold whatever the scanner
    // accepts: this is the last check before the file system.
    #[test]
    fn a_component_name_that_climbs_out_fails_the_build_and_writes_nothing() {
        let (dir, mut repo) = two_connectors();
        repo.connectors[1].components[0].name = "../../../escaped/clean".into();
        let opts = Options {
            out: dir.path().join("out/site"),
            ..Options::default()
        };
        let err = build(&dir.path().join("repo"), &repo, &opts).unwrap_err();
        assert_eq!(
            err.to_string(),
            "refusing to build: acme/two/Do would write to \
             `components/../../../escaped/clean.html`, which has a `.` or `..` part; every \
             output path must be a relative path inside the site"
        );
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["repo"]);
    }

    #[test]
    fn of_two_connectors_whose_files_differ_only_in_case_the_later_is_left_out() {
        let (dir, mut repo) = two_connectors();
        repo.connectors[1].name = "acme.ONE".into();
        repo.connectors[1].components[0].name = "acme.ONE.Do".into();
        let opts = Options {
            out: dir.path().join("site"),
            ..Options::default()
        };
        let built = build(&dir.path().join("repo"), &repo, &opts).unwrap();
        assert_eq!(
            built.left_out,
            [(
                "acme/two".to_string(),
                "`connectors/acme.ONE.html` is the same file as `connectors/acme.one.html` of \
                 `acme/one` where letter case is not told apart"
                    .to_string()
            )]
        );
        assert_eq!((built.connectors, built.components), (1, 1));
        let index = std::fs::read_to_string(dir.path().join("site/index.html")).unwrap();
        assert!(index.contains(
            "<li><code>acme&#x2F;two</code>: `connectors&#x2F;acme.ONE.html` is the same file as \
             `connectors&#x2F;acme.one.html` of `acme&#x2F;one` where letter case is not told \
             apart</li>"
        ));
        assert!(!dir.path().join("site/downloads/acme.ONE.zip").exists());
    }
}
