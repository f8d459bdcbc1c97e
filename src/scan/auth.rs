//! Reading the auth type out of `auth.js`.
//!
//! The scanner does not run JavaScript. The type is a `type:` entry that
//! starts a line, outside comments; other `type:` entries describe form
//! fields and request parameters. Among line-anchored entries, the first
//! whose value is a known auth type wins (so a field's `type: 'text'` on an
//! earlier line is passed over), spelled as the platform spells it
//! whatever its letter case; failing that, the first anchored value is
//! returned for the caller to report as unknown. A file that puts the
//! whole object on one line (`module.exports = { type: 'oauth2' }`) has no
//! anchored entry: there, a `type:` anywhere counts, but only with a known
//! value.

/// The declared type, e.g. `oauth2`, or `None` when nothing declares one.
pub fn declared_type(source: &str) -> Option<String> {
    let mut anchored: Vec<&str> = Vec::new();
    let mut in_comment = false;
    for line in source.lines() {
        let rest = line.trim_start();
        if in_comment {
            if let Some(end) = rest.find("*/") {
                in_comment = false;
                let after = rest[end + 2..].trim_start();
                if let Some(v) = entry_value(after) {
                    anchored.push(v);
                }
            }
            continue;
        }
        if rest.starts_with("//") {
            continue;
        }
        if let Some(comment) = rest.strip_prefix("/*") {
            in_comment = !comment.contains("*/");
            continue;
        }
        if let Some(v) = entry_value(rest) {
            anchored.push(v);
        }
    }
    if let Some(known) = anchored.iter().find_map(|v| canonical(v)) {
        return Some(known.to_string());
    }
    if let Some(first) = anchored.first() {
        return Some(first.to_string());
    }
    // One-line objects: any `type:` with a known value.
    source
        .match_indices("type")
        .filter_map(|(at, _)| entry_value(&source[at..]))
        .find_map(canonical)
        .map(str::to_string)
}

/// The quoted value of a `type: '...'` entry at the start of `text`.
fn entry_value(text: &str) -> Option<&str> {
    let rest = text
        .strip_prefix("type")
        .or_else(|| text.strip_prefix("\"type\""))
        .or_else(|| text.strip_prefix("'type'"))?;
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let value = &rest[1..];
    let end = value.find(quote)?;
    Some(&value[..end])
}

/// A known auth type in the platform's spelling, whatever the case.
fn canonical(value: &str) -> Option<&'static str> {
    KNOWN_TYPES
        .iter()
        .find(|k| k.eq_ignore_ascii_case(value))
        .copied()
}

/// Auth types the platform knows.
pub const KNOWN_TYPES: &[&str] = &["oauth2", "apiKey", "oauth", "pwd"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_anchored_type_wins() {
        let src = "module.exports = {\n    fields: { user: { type: 'text' } },\n    type: 'pwd',\n    definition: { auth: { type: \"password\" } }\n};";
        assert_eq!(declared_type(src).as_deref(), Some("pwd"));
    }

    #[test]
    fn double_quotes_and_quoted_keys() {
        assert_eq!(
            declared_type("{\n  \"type\": \"apiKey\"\n}").as_deref(),
            Some("apiKey")
        );
        assert_eq!(
            declared_type("  type : `oauth2`,").as_deref(),
            Some("oauth2")
        );
    }

    #[test]
    fn a_field_type_before_the_auth_type_and_commented_types_are_passed_over() {
        let src = "module.exports = {\n  // type: 'pwd',\n  /* type: 'oauth',\n  */\n  \
                   fields: {\n    token: {\n      type: 'text',\n    }\n  },\n  type: 'OAuth2',\n};";
        assert_eq!(declared_type(src).as_deref(), Some("oauth2"));
    }

    #[test]
    fn one_line_objects_count_only_known_types() {
        assert_eq!(
            declared_type("module.exports = { type: 'oauth2', definition: {} };").as_deref(),
            Some("oauth2")
        );
        assert_eq!(declared_type("module.exports = { type: 'custom' };"), None);
    }

    #[test]
    fn an_unknown_anchored_type_is_returned_for_the_caller_to_report() {
        assert_eq!(
            declared_type("{\n  type: 'saml',\n}").as_deref(),
            Some("saml")
        );
    }

    #[test]
    fn no_type_line_gives_none() {
        assert_eq!(
            declared_type("const typeName = 'x';\nmodule.exports = {};"),
            None
        );
        assert_eq!(declared_type("types: 'oauth2'"), None);
    }
}
