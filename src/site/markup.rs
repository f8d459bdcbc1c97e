//! Turning untrusted manifest text into safe HTML.
//!
//! Descriptions hold HTML, sometimes markdown, and changelog entries hold
//! markdown links; all of it comes from manifests anyone can edit. Markdown
//! is rendered first (raw HTML passes through it), then the result is
//! sanitized with an allow-list: no scripts, frames, event attributes,
//! images (they would reach outside the site) or non-web URL schemes.

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{html, Options, Parser};
use std::borrow::Cow;
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

fn sanitizer() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = Builder::default();
        // A description's `<h1>` would be a page's second: its text stays,
        // the heading goes.
        b.rm_tags(["img", "h1"])
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .link_rel(Some("noopener noreferrer nofollow"))
            // Relative links in a manifest point into the vendor's own docs,
            // not into this site; kept, they would be dead links here.
            .url_relative(UrlRelative::Deny);
        b
    })
}

/// Renders markdown (with embedded HTML) to sanitized HTML. A string that
/// makes the markdown renderer fail is shown as escaped plain text instead:
/// one bad description must not take the build down.
pub fn rich(text: &str) -> String {
    let text = crate::text::for_page(text);
    let text = &*show_unclosed_comments(&text);
    let rendered = catch_unwind(AssertUnwindSafe(|| {
        let mut options = Options::empty();
        options.insert(Options::ENABLE_TABLES);
        options.insert(Options::ENABLE_STRIKETHROUGH);
        options.insert(Options::ENABLE_TASKLISTS);
        let mut out = String::with_capacity(text.len() + 16);
        html::push_html(&mut out, Parser::new_ext(text, options));
        out
    }));
    match rendered {
        Ok(html) => sanitizer().clean(&html).to_string(),
        Err(_) => format!("<p>{}</p>", escape(text)),
    }
}

/// `text` with every `<!--` that no `-->` closes written as text: Markdown
/// and HTML would hide everything after it, so a stray `<!-- TODO` would
/// silently drop the rest of a description.
fn show_unclosed_comments(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut done = 0;
    let mut from = 0;
    while let Some(at) = text[from..].find("<!--").map(|i| from + i) {
        match text[at + 4..].find("-->") {
            Some(end) => from = at + 4 + end + 3,
            None => {
                out.push_str(&text[done..at]);
                out.push('\\');
                done = at;
                from = at + 4;
            }
        }
    }
    if done == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[done..]);
    Cow::Owned(out)
}

/// Like [`rich`] but for one line: no surrounding paragraph.
pub fn inline(text: &str) -> String {
    let html = rich(text);
    let trimmed = html.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// Plain text of an HTML-or-markdown description, for search and summaries:
/// the sanitized rendering with its tags dropped, so the text of a removed
/// `<script>` does not reappear here.
pub fn plain(text: &str) -> String {
    strip_tags(&rich(text))
}

fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut tag = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                // The end of a paragraph, list item, heading or cell ends a
                // sentence: without a full stop, list items would run into
                // one another once the tags are gone.
                let name = tag.split_whitespace().next().unwrap_or_default();
                let block = matches!(
                    name.to_ascii_lowercase().as_str(),
                    "/p" | "/li"
                        | "/h2"
                        | "/h3"
                        | "/h4"
                        | "/h5"
                        | "/h6"
                        | "/td"
                        | "/th"
                        | "/dd"
                        | "/dt"
                        | "br"
                        | "br/"
                );
                let open = out.trim_end();
                if block && !open.is_empty() && !open.ends_with(['.', '!', '?', ':', ';']) {
                    out.truncate(open.len());
                    out.push('.');
                }
                out.push(' ');
            }
            _ if in_tag => tag.push(c),
            _ => out.push(c),
        }
    }
    let out = decode_entities(&out).replace('\u{a0}', " ");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Attribute values are entity-encoded (the template engine writes `/` as
/// `&#x2F;`); the browser decodes them before resolving, and so do we.
pub fn decode_entities(value: &str) -> String {
    crate::text::decode_references(value)
}

/// Escapes text for HTML element content and quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_frames_and_event_attributes_are_removed() {
        let html = rich("<p onclick=\"x()\">Hi</p><script>alert(1)</script><iframe src=\"https://e.test\"></iframe>");
        assert_eq!(html, "<p>Hi</p>");
    }

    #[test]
    fn javascript_links_lose_their_href() {
        let html = inline("[docs](javascript:alert(1))");
        assert_eq!(html, "<a rel=\"noopener noreferrer nofollow\">docs</a>");
    }

    #[test]
    fn a_description_heading_of_the_first_level_loses_its_tag_not_its_text() {
        assert_eq!(rich("<h1>Big</h1><h2>Small</h2>"), "Big<h2>Small</h2>");
    }

    #[test]
    fn list_items_do_not_run_together_in_plain_text() {
        assert_eq!(
            plain("<p>Send mail.</p><ul><li>Signs in with the account</li><li>Shares its quota</li></ul>"),
            "Send mail. Signs in with the account. Shares its quota."
        );
        assert_eq!(plain("One<br>two"), "One. two.");
    }

    #[test]
    fn an_unclosed_comment_is_shown_and_hides_nothing() {
        assert_eq!(
            rich("First.\n\n<!-- TODO: tidy\n\nSecond, the important part."),
            "<p>First.</p>\n<p>&lt;!-- TODO: tidy</p>\n<p>Second, the important part.</p>\n"
        );
        assert_eq!(
            rich("a <!-- hidden --> b <!-- open"),
            "<p>a  b &lt;!-- open</p>\n"
        );
        assert_eq!(rich("<!-- x -->Kept."), "Kept.");
    }

    #[test]
    fn unclosed_tags_are_closed() {
        // The label is not on the allow-list; the HTML parser closes the
        // first paragraph when the second opens.
        assert_eq!(rich("<label><p>open"), "<p></p><p>open</p>\n");
    }

    #[test]
    fn images_are_dropped_so_pages_load_nothing_from_outside() {
        assert_eq!(rich("<img src=\"https://tracker.test/x.png\">"), "");
    }

    #[test]
    fn strings_that_once_crashed_the_markdown_renderer_render() {
        let tasks = rich("- [x]\t\t\n\\\n-");
        assert!(tasks.contains("<li>"), "{tasks}");
        let stars = format!("/{}", "*".repeat(32));
        assert_eq!(rich(&stars), format!("<p>/{}</p>\n", "*".repeat(32)));
    }

    #[test]
    fn plain_text_drops_tags_and_squeezes_spaces() {
        assert_eq!(
            plain("<p>Send  a <b>message</b></p>\n&amp; more"),
            "Send a message. & more"
        );
    }
}
