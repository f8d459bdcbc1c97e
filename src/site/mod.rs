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
    pub skipped: Vec<String>,
    pub phases: Vec<(&'static str, Duration)>,
}

/// Renders the site into memory: every file with its path. Writing is a
/// separate step so tests and the benchmark can look at the bytes.
pub fn render(
    repo_root: &Path,
    repo: &Repository,
    opts: &Options,
    built: &mut Built,
) -> Result<Vec<OutFile>, BuildError> {
    let published: Vec<&Connector> = repo.connectors.iter().filter(|c| !c.failed).collect();
    built.skipped = repo
        .connectors
        .iter()
        .filter(|c| c.failed)
        .map(|c| c.path.clone())
        .collect();
    let mut files: Vec<OutFile> = Vec::new();

    let t = Instant::now();
    let icon_urls = write_icons(repo, &published, &mut files);
    built.phases.push(("icons", t.elapsed()));

    // Packing and rendering share one number, the zip size a connector
    // page shows, so they run side by side and only connector pages wait
    // for the zips: compression's tail and the serial steps of rendering
    // (templates, cards, the index, the search index) fill each other's
    // idle cores, which took 6 % off a build of the corpus. Each phase is timed over its own span, so the spans of
    // zips, render and search index overlap.
    let t = Instant::now();
    let page_count = published.len() + published.iter().map(|c| c.components.len()).sum::<usize>();
    let progress = progress_bar(opts.progress, page_count as u64);
    let (packed, rest) = rayon::join(
        || {
            let zips = published
                .par_iter()
                .map(|c| crate::pack::pack(repo_root, c))
                .collect::<Result<Vec<_>, _>>();
            (zips, t.elapsed())
        },
        || render_without_zips(repo, &published, &icon_urls, opts, &progress),
    );
    let (zips, zip_time) = packed;
    let zips = zips?;
    let rest = rest?;
    built.phases.push(("zips", zip_time));

    let t = Instant::now();
    let connector_pages: Vec<OutFile> = {
        let zip_sizes: BTreeMap<&str, usize> = zips
            .iter()
            .map(|z| (z.name.as_str(), z.bytes.len()))
            .collect();
        let status = |name: &str| opts.tenant.as_ref().and_then(|t| t.connectors.get(name));
        published
            .par_iter()
            .map(|c| {
                let size = zip_sizes.get(c.name.as_str()).copied();
                let mut page = view::connector_page(repo, c, &icon_urls, size);
                page.card = view::with_status(page.card, status(&c.name));
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
    for z in zips {
        files.push(OutFile {
            path: view::zip_url(&z.name),
            source: z.name,
            bytes: z.bytes,
        });
    }
    files.extend(connector_pages);
    files.extend(rest.pages);
    built.connectors = published.len();
    built.components = published.iter().map(|c| c.components.len()).sum();
    built.pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    built.phases.push(("render", rest.render + t.elapsed()));

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
    built.phases.push(("search index", rest.search_time));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    built.files = files.len();
    Ok(files)
}

/// What [`render_without_zips`] made: the templates, for the connector
/// pages still to come, and the files that did not need the zips.
struct Unzipped {
    tera: tera::Tera,
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
    let mut index = IndexPage::new(repo, &cards);
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
    pages.push(render_page(
        &tera, "404.html", &index, "", "404.html", "404", opts,
    )?);
    if let Some(t) = &opts.tenant {
        for (template, source) in [
            ("access.html", "access rules"),
            ("upgrade.html", "upgrade plan"),
        ] {
            pages.push(render_page(&tera, template, t, "", template, source, opts)?);
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
    let t = Instant::now();
    output::write_site(&opts.out, &files)?;
    built.phases.push(("write", t.elapsed()));
    Ok(built)
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
    fn new(repo: &Repository, cards: &'a [view::ConnectorCard]) -> Self {
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
                let bundle = format!("{}/bundle.json", c.path);
                let reason = repo
                    .diagnostics
                    .iter()
                    .find(|d| d.path == bundle && d.severity == crate::diag::Severity::Error)
                    .map(|d| format!("{}:{}:{}: {}", d.path, d.line, d.column, d.message))
                    .unwrap_or_else(|| "bundle.json could not be read".into());
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
            let mut text = format!("{} {} {}", c.name, c.label, card.summary);
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
