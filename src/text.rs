//! Text helpers more than one stage needs.

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
    use super::decode_references;

    #[test]
    fn references_resolve_and_others_stay() {
        assert_eq!(
            decode_references("a&lt;b&#62;&#x3C;&#X3e;&#x0000003c;&amp;&bogus;&#xZZ;&"),
            "a<b><><&&bogus;&#xZZ;&"
        );
    }
}
