//! Strict version reading and the breaking-change marker.
//!
//! Versions in manifests must be plain `MAJOR.MINOR.PATCH`; near misses such
//! as `v1.2.0`, `1.2` or `1.02.0` are refused with the reason, never quietly
//! repaired, because a repaired version would be compared wrongly on the
//! tenant.

/// Parses a strict semantic version or says why it is not one.
pub fn parse_strict(text: &str) -> Result<semver::Version, String> {
    if text.is_empty() {
        return Err("it is empty".into());
    }
    if text.starts_with(['v', 'V']) {
        return Err(format!(
            "`{text}` has a `{}` prefix; write `{}`",
            &text[..1],
            &text[1..]
        ));
    }
    if text.trim() != text {
        return Err(format!("`{text}` has surrounding spaces"));
    }
    let core = text.split(['-', '+']).next().unwrap_or(text);
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() != 3 {
        return Err(format!(
            "`{text}` has {} part{}; semver needs MAJOR.MINOR.PATCH",
            parts.len(),
            if parts.len() == 1 { "" } else { "s" }
        ));
    }
    for part in &parts {
        if part.len() > 1 && part.starts_with('0') && part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{text}` has a leading zero in `{part}`"));
        }
    }
    semver::Version::parse(text).map_err(|e| format!("`{text}` is not semver: {e}"))
}

/// Does a changelog entry announce a breaking change? Matches
/// `(breaking change)`, `Breaking:`, `BREAKING CHANGE`, `breaking change -`
/// in any case, and never `non-breaking`.
pub fn is_breaking(entry: &str) -> bool {
    let lower = entry.to_lowercase();
    lower.match_indices("breaking").any(|(at, word)| {
        let before = &lower[..at];
        let negated =
            before.ends_with("non-") || before.ends_with("non ") || before.ends_with("non");
        let after = lower[at + word.len()..].trim_start_matches(' ');
        let marked = after.starts_with(':') || after.starts_with("change");
        let whole_word = !before.ends_with(|c: char| c.is_alphanumeric());
        !negated && marked && whole_word
    })
}

/// A release is a major one when it is `X.0.0` with X at least 1.
pub fn is_major_release(v: &semver::Version) -> bool {
    v.major >= 1 && v.minor == 0 && v.patch == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_miss_versions_are_refused_with_a_reason() {
        assert_eq!(
            parse_strict("v1.2.0").unwrap_err(),
            "`v1.2.0` has a `v` prefix; write `1.2.0`"
        );
        assert_eq!(
            parse_strict("1.2").unwrap_err(),
            "`1.2` has 2 parts; semver needs MAJOR.MINOR.PATCH"
        );
        assert_eq!(
            parse_strict("1.02.0").unwrap_err(),
            "`1.02.0` has a leading zero in `02`"
        );
        assert_eq!(
            parse_strict("1.2.3").unwrap(),
            semver::Version::new(1, 2, 3)
        );
        assert!(parse_strict("1.2.3-beta.1").is_ok());
    }

    #[test]
    fn breaking_markers_in_every_spelling() {
        for yes in [
            "(breaking change) Channel field changed",
            "Breaking: removed the Foo output",
            "BREAKING CHANGE: new scope",
            "breaking change - auth switched",
            "Some text. (Breaking Change) more",
        ] {
            assert!(is_breaking(yes), "{yes}");
        }
        for no in [
            "non-breaking change to labels",
            "Non-Breaking: fixes",
            "Fixed a breaking bug",
            "unbreaking: nothing",
            "Initial version",
        ] {
            assert!(!is_breaking(no), "{no}");
        }
    }
}
