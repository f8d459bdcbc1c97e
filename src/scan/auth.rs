//! Reading the auth type out of `auth.js`.
//!
//! The scanner does not run JavaScript. The type is the first `type:` entry
//! that starts a line; later or inline `type:` entries describe form fields
//! and request parameters, so anchoring to the line start is what keeps
//! `{ type: 'text' }` on an earlier line from being taken for the auth type.

/// The declared type, e.g. `oauth2`, or `None` when no line declares one.
pub fn declared_type(source: &str) -> Option<String> {
    source.lines().find_map(|line| {
        let rest = line.trim_start();
        let rest = rest
            .strip_prefix("type")
            .or_else(|| rest.strip_prefix("\"type\""))
            .or_else(|| rest.strip_prefix("'type'"))?;
        let rest = rest.trim_start().strip_prefix(':')?.trim_start();
        let quote = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'))?;
        let value = &rest[1..];
        let end = value.find(quote)?;
        Some(value[..end].to_string())
    })
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
    fn no_type_line_gives_none() {
        assert_eq!(
            declared_type("const typeName = 'x';\nmodule.exports = {};"),
            None
        );
        assert_eq!(declared_type("types: 'oauth2'"), None);
    }
}
