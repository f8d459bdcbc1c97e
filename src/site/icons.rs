//! Icons as files: each distinct image written once, named by the hash of
//! its bytes. SVGs are served as files for `<img>`, never inlined, because
//! an SVG inside the page could run script; inside `<img>` it cannot.

use crate::scan::Icon;

/// Decodes an icon's data URI payload, as the scan did when it checked
/// the icon.
pub fn decode(icon: &Icon) -> Option<Vec<u8>> {
    crate::scan::icon::decode(&icon.data_uri)
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
