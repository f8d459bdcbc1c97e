//! Text helpers more than one stage needs.

use std::borrow::Cow;

/// `text` for a terminal line: every control character, the line and
/// paragraph separators, and the bidirectional marks, embeddings,
/// overrides and isolates (which reorder what a terminal shows) written as
/// `\u{..}` escapes, so no name or path from a manifest can move the
/// cursor, recolour the screen or hide text.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| {
        c.is_control()
            || matches!(
                c,
                '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}'
                    | '\u{2066}'..='\u{2069}'
            )
    })
}

/// `text` for a web page, before HTML escaping: control characters other
/// than tab and line breaks (which a page shows as spaces), and the
/// bidirectional embeddings, overrides and isolates, written as `\u{..}`
/// escapes. A NUL would make the file binary to every text tool, and an
/// unclosed right-to-left override reverses the rest of the line it
/// stands in, well past the manifest's own text.
pub fn for_page(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

fn escape_where(text: &str, escaped: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Resolves character references (`&#60;`, `&#x3c;`, `&#X3C;`) and the five
/// predefined entities, as a browser does before it reads an attribute
/// value. The scan screens SVG icons with it and the site's link checker
/// reads `href`s with it; a reference it cannot resolve stays as written.
pub fn decode_references(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        // Room for zero-padded references such as `&#x0000003c;`.
        let Some(end) = rest.find(';').filter(|&end| end <= 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{decode_references, for_page, for_terminal};

    #[test]
    fn references_resolve_and_others_stay() {
        assert_eq!(
            decode_references("a&lt;b&#62;&#x3C;&#X3e;&#x0000003c;&amp;&bogus;&#xZZ;&"),
            "a<b><><&&bogus;&#xZZ;&"
        );
    }

    #[test]
    fn a_page_keeps_line_breaks_and_marks_and_shows_what_would_disrupt_it() {
        let text = "a\tb\nc\r\0d\u{1b}[31m\u{202e}e\u{2066}f\u{200f}g\u{7f}";
        assert_eq!(
            for_page(text),
            "a\tb\nc\r\\u{0}d\\u{1b}[31m\\u{202e}e\\u{2066}f\u{200f}g\\u{7f}"
        );
        assert!(matches!(
            for_page("Slack · Send message"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_terminal_line_shows_every_control_and_bidi_character_escaped() {
        assert_eq!(
            for_terminal("x\u{1b}[31mRED\n\u{200f}\u{2028}y"),
            "x\\u{1b}[31mRED\\u{a}\\u{200f}\\u{2028}y"
        );
    }
}
