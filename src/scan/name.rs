//! Which connector and component names are safe to publish.
//!
//! `build` and `pack` turn names into file names (`connectors/<name>.html`,
//! `downloads/<name>.zip`), so a name must not be able to leave the output
//! folder or mean something to a file system: it is dot-separated parts of
//! ASCII letters, digits, `_` and `-`, with no empty part, at most
//! [`MAX_LEN`] characters. Every name in the real repository fits; the
//! writers check containment again on their side.

/// The longest name accepted, in characters; the longest real one has 77.
pub const MAX_LEN: usize = 200;

/// Why `name` is not a safe name, or `None` when it is.
pub fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("it is empty".into());
    }
    let length = name.chars().count();
    if length > MAX_LEN {
        return Some(format!(
            "it is {length} characters long, more than {MAX_LEN}"
        ));
    }
    if let Some(c) = name.chars().find(|&c| !is_name_char(c)) {
        let shown = if c.is_ascii_graphic() || c == ' ' {
            format!("`{c}`")
        } else {
            format!("U+{:04X}", u32::from(c))
        };
        return Some(format!(
            "it contains {shown}; only ASCII letters, digits, `_` and `-` may stand between \
             the dots"
        ));
    }
    if name.split('.').any(str::is_empty) {
        return Some("it has an empty part (a leading, trailing or doubled `.`)".into());
    }
    None
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// `name`, cut to a length that fits in a message.
pub fn shown(name: &str) -> String {
    const MAX: usize = 80;
    match name.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &name[..at]),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_names_pass() {
        for name in [
            "appmixer.slack",
            "appmixer.google.gmail.SendEmail",
            "appmixer.utils.http-requests.GET_2",
            "a",
        ] {
            assert_eq!(name_problem(name), None, "{name}");
        }
        assert_eq!(name_problem(&"a".repeat(MAX_LEN)), None);
    }

    #[test]
    fn names_that_could_leave_a_folder_or_confuse_a_file_system_fail() {
        let cases = [
            ("", "it is empty"),
            (
                "../../../../tmp/x/clean",
                "it contains `/`; only ASCII letters, digits, `_` and `-` may stand between the \
                 dots",
            ),
            (
                "./../escape",
                "it contains `/`; only ASCII letters, digits, `_` and `-` may stand between the \
                 dots",
            ),
            (
                "..",
                "it has an empty part (a leading, trailing or doubled `.`)",
            ),
            (
                "acme..x",
                "it has an empty part (a leading, trailing or doubled `.`)",
            ),
            (
                ".acme",
                "it has an empty part (a leading, trailing or doubled `.`)",
            ),
            (
                "acme.",
                "it has an empty part (a leading, trailing or doubled `.`)",
            ),
            (
                "acme\\x",
                "it contains `\\`; only ASCII letters, digits, `_` and `-` may stand between \
                 the dots",
            ),
            (
                "acme.x y",
                "it contains ` `; only ASCII letters, digits, `_` and `-` may stand between \
                 the dots",
            ),
            (
                "acme.x\u{0}",
                "it contains U+0000; only ASCII letters, digits, `_` and `-` may stand between \
                 the dots",
            ),
            (
                "acme.é",
                "it contains U+00E9; only ASCII letters, digits, `_` and `-` may stand between \
                 the dots",
            ),
        ];
        for (name, why) in cases {
            assert_eq!(name_problem(name).as_deref(), Some(why), "{name:?}");
        }
        assert_eq!(
            name_problem(&"a".repeat(MAX_LEN + 1)).as_deref(),
            Some("it is 201 characters long, more than 200")
        );
    }
}
