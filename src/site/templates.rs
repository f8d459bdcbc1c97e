//! The built-in templates and assets, and loading overrides.
//!
//! Templates are compiled into the binary so `build` works from any folder;
//! `--templates DIR` replaces any of them by a file of the same name.
//! Autoescaping is on for every template: manifest text reaches HTML only
//! escaped, or through the sanitizer as a `*_html` field.

use std::path::Path;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    (
        "connector.html",
        include_str!("../../templates/connector.html"),
    ),
    (
        "component.html",
        include_str!("../../templates/component.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("access.html", include_str!("../../templates/access.html")),
    ("upgrade.html", include_str!("../../templates/upgrade.html")),
];

/// Static files copied as they are.
pub const ASSETS: &[(&str, &[u8])] = &[
    (
        "assets/style.css",
        include_bytes!("../../templates/assets/style.css"),
    ),
    (
        "assets/catalog.js",
        include_bytes!("../../templates/assets/catalog.js"),
    ),
];

/// How every value a template prints is escaped: as HTML, after the
/// characters that would disrupt the page are made visible (see
/// [`crate::text::for_page`]).
fn escape_for_page(text: &str) -> String {
    tera::escape_html(&crate::text::for_page(text))
}

pub fn load(overrides: Option<&Path>) -> Result<tera::Tera, String> {
    let mut sources: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    if let Some(dir) = overrides {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read templates folder `{}`: {e}", dir.display()))?;
        let mut names: Vec<_> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "html"))
            .collect();
        names.sort();
        for path in names {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read template `{}`: {e}", path.display()))?;
            match sources.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = text,
                None => sources.push((name, text)),
            }
        }
    }
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(escape_for_page);
    tera.add_raw_templates(sources).map_err(|e| {
        let mut m = e.to_string();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            m.push_str(&format!(": {c}"));
            cause = c.source();
        }
        m
    })?;
    Ok(tera)
}
