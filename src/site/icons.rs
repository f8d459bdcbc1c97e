//! Icons as files: each distinct image written once, named by the hash of
//! its bytes. SVGs are served as files for `<img>`, never inlined, because
//! an SVG inside the page could run script; inside `<img>` it cannot.

use crate::scan::Icon;
use base64::Engine;

/// Decodes a data URI's payload (base64 or percent-encoded text).
pub fn decode(icon: &Icon) -> Option<Vec<u8>> {
    let (head, payload) = icon.data_uri.split_once(',')?;
    if head.split(';').any(|p| p.eq_ignore_ascii_case("base64")) {
        let cleaned: String = payload
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(cleaned.as_bytes())
            .or_else(|_| {
                base64::engine::general_purpose::STANDARD_NO_PAD
                    .decode(cleaned.trim_end_matches('='))
            })
            .ok()
    } else {
        Some(percent_decode(payload))
    }
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// The file name of an icon: content hash and extension.
pub fn file_name(bytes: &[u8], icon: &Icon) -> String {
    format!(
        "{:032x}.{}",
        xxhash_rust::xxh3::xxh3_128(bytes),
        icon.extension()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn icon(uri: &str) -> Icon {
        Icon {
            media_type: "image/svg+xml".into(),
            data_uri: uri.into(),
        }
    }

    #[test]
    fn base64_and_percent_encoded_payloads_decode() {
        assert_eq!(
            decode(&icon("data:image/svg+xml;base64,PHN2Zy8+")).unwrap(),
            b"<svg/>"
        );
        assert_eq!(
            decode(&icon("data:image/svg+xml;utf8,%3Csvg%2F%3E")).unwrap(),
            b"<svg/>"
        );
        assert_eq!(decode(&icon("data:image/svg+xml,%3")).unwrap(), b"%3");
    }

    #[test]
    fn the_same_bytes_get_the_same_name_whatever_the_encoding() {
        let a = decode(&icon("data:image/svg+xml;base64,PHN2Zy8+")).unwrap();
        let b = decode(&icon("data:image/svg+xml,%3Csvg/%3E")).unwrap();
        assert_eq!(file_name(&a, &icon("")), file_name(&b, &icon("")));
    }
}
