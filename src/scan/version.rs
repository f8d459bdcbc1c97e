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
/// `(breaking change)`, `Breaking:`, `BREAKING CHANGE`, `breaking change -`,
/// `(breaking)`, `[breaking]` and `Breaking -` in any case; never
/// `non-breaking`, and not a negated mention (`No breaking changes`, `not a
/// breaking change`, `without breaking changes`).
pub fn is_breaking(entry: &str) -> bool {
    let lower = entry.to_lowercase();
    lower.match_indices("breaking").any(|(at, word)| {
        let before = &lower[..at];
        let after = lower[at + word.len()..].trim_start_matches(' ');
        let whole_word = !before.ends_with(|c: char| c.is_alphanumeric());
        let bracketed = (before.ends_with('(') && after.starts_with(')'))
            || (before.ends_with('[') && after.starts_with(']'));
        let marked = after.starts_with(':')
            || after.starts_with("change")
            || after.starts_with('-')
            || bracketed;
        // `Breaking changes: none`, `breaking change: no`.
        let denied = after
            .trim_start_matches(|c: char| c.is_alphabetic())
            .trim_start_matches([':', ' ', '-'])
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .is_some_and(|w| matches!(w, "none" | "no"));
        whole_word && marked && !negated(before) && !denied
    })
}

/// Does the text before a marker deny it?
fn negated(before: &str) -> bool {
    let words: Vec<&str> = before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let last = words.last().copied();
    let hyphenated_non = before.trim_end().ends_with("non-") || before.ends_with("non");
    hyphenated_non
        || matches!(last, Some("no" | "not" | "non" | "without" | "never"))
        || (last == Some("a") && words.len() >= 2 && words[words.len() - 2] == "not")
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
            "(breaking) ListProjects: updated endpoint",
            "[BREAKING] output renamed",
            "Breaking - the trigger polls less often",
        ] {
            assert!(is_breaking(yes), "{yes}");
        }
        for no in [
            "non-breaking change to labels",
            "Non-Breaking: fixes",
            "Fixed a breaking bug",
            "unbreaking: nothing",
            "Initial version",
            "No breaking changes.",
            "This is not a breaking change.",
            "Refactored without breaking changes to flows",
            "Speed-up (non-breaking)",
            "Breaking changes: none",
            "Breaking change: no",
        ] {
            assert!(!is_breaking(no), "{no}");
        }
    }
}
