//! Which icons are kept: data URIs of PNG, JPEG, GIF or SVG images whose
//! bytes are one of those formats and, for SVG, can neither run script nor
//! make requests. Other formats (WebP among them, even labelled PNG) are
//! dropped: the catalog promises these four and nothing else.
//!
//! The site writes each icon as a file that a reader may open directly,
//! outside the `<img>` that keeps an SVG inert; an SVG opened so runs its
//! script and loads what it refers to. This is a conservative screen of
//! the markup, not an XML parser: anything that could smuggle script or a
//! request past it (entity declarations, CSS escapes, text that is not
//! UTF-8) is refused as such. Real icons pass it unchanged.

use base64::Engine;

/// The media type a data URI declares, when it is one of the image types
/// kept.
pub fn declared_type(uri: &str) -> Option<&'static str> {
    let rest = uri.strip_prefix("data:")?;
    let (head, _) = rest.split_once(',')?;
    let media = head.split(';').next()?.to_ascii_lowercase();
    match media.as_str() {
        "image/png" => Some("image/png"),
        "image/jpeg" | "image/jpg" => Some("image/jpeg"),
        "image/gif" => Some("image/gif"),
        "image/svg+xml" => Some("image/svg+xml"),
        _ => None,
    }
}

/// A data URI's payload (base64 or percent-encoded text), decoded the way
/// the site decodes it before writing the file.
pub fn decode(uri: &str) -> Option<Vec<u8>> {
    let (head, payload) = uri.split_once(',')?;
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

/// Checks an icon data URI. Returns the URI to keep, or why it is dropped
/// (a sentence fragment that follows "icon …: "). A raster icon whose bytes
/// are another raster format than it declares (a JPEG labelled PNG, which
/// browsers show all the same) is kept, relabelled with its real type.
pub fn check(uri: String) -> Result<String, String> {
    let Some(declared) = declared_type(&uri) else {
        return Err("is not a PNG, JPEG, GIF or SVG data URI".into());
    };
    // A raster icon needs only its signature: checking that the base64
    // decodes, without decoding megabytes of it, keeps the scan as fast as
    // a bare parse of the manifests.
    let bytes = if declared == "image/svg+xml" {
        decode(&uri)
    } else {
        raster_head(&uri)
    };
    let Some(bytes) = bytes else {
        return Err("has base64 data that does not decode".into());
    };
    if bytes.is_empty() {
        return Err("has no data".into());
    }
    if declared == "image/svg+xml" {
        return match svg_problem(&bytes) {
            None => Ok(uri),
            Some(why) => Err(format!(
                "is an SVG that could run script or load outside resources: it has {why}"
            )),
        };
    }
    let Some(real) = raster_type(&bytes) else {
        return Err(format!(
            "is declared {declared} but its bytes are not a PNG, JPEG or GIF image"
        ));
    };
    if real == declared {
        return Ok(uri);
    }
    let rest = uri.find([';', ',']).map_or("", |at| &uri[at..]);
    Ok(format!("data:{real}{rest}"))
}

/// The first bytes of a raster icon's data, when all of it decodes as
/// [`decode`] would decode it; `None` when it would not.
fn raster_head(uri: &str) -> Option<Vec<u8>> {
    let (head, payload) = uri.split_once(',')?;
    if !head.split(';').any(|p| p.eq_ignore_ascii_case("base64")) {
        return decode(uri);
    }
    // Each byte's role: its value in the alphabet, or one of the marks.
    const INVALID: u8 = 0xff;
    const SPACE: u8 = 0xfe;
    const PAD: u8 = 0xfd;
    const TABLE: [u8; 256] = {
        let mut t = [INVALID; 256];
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut i = 0;
        while i < 64 {
            t[alphabet[i] as usize] = i as u8;
            i += 1;
        }
        t[b' ' as usize] = SPACE;
        t[b'\t' as usize] = SPACE;
        t[b'\n' as usize] = SPACE;
        t[b'\r' as usize] = SPACE;
        t[0x0c] = SPACE;
        t[b'=' as usize] = PAD;
        t
    };
    const PREFIX: usize = 16;
    let mut prefix: Vec<u8> = Vec::with_capacity(PREFIX);
    let mut count = 0usize;
    let mut padded = false;
    let mut last = 0u8;
    let bytes = payload.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Icons are long unbroken runs of symbols: eight at a time, with
        // no branch per byte, while nothing else comes.
        if !padded && count >= PREFIX && i + 8 <= bytes.len() {
            let run = &bytes[i..i + 8];
            let any = run.iter().fold(0u8, |acc, &b| acc | TABLE[b as usize]);
            if any < 64 {
                count += 8;
                last = TABLE[run[7] as usize];
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        i += 1;
        let v = TABLE[b as usize];
        if v < 64 {
            // A symbol after padding never decodes.
            if padded {
                return None;
            }
            if count < PREFIX {
                prefix.push(b);
            }
            last = v;
            count += 1;
        } else if v == PAD {
            padded = true;
        } else if v == INVALID {
            return None;
        }
    }
    // Padding may only close the data (the decoder falls back to reading
    // it without padding, so how much there is does not matter); one
    // symbol alone never decodes, and the bits after the last full byte
    // must be zero, as the decoder requires.
    let tail_ok = match count % 4 {
        0 => true,
        1 => false,
        2 => last & 0x0f == 0,
        _ => last & 0x03 == 0,
    };
    if !tail_ok {
        return None;
    }
    // Short data is decoded whole; from longer data, sixteen symbols give
    // twelve bytes, more than any signature needs.
    if count <= PREFIX {
        return decode(uri);
    }
    base64::engine::general_purpose::STANDARD
        .decode(&prefix)
        .ok()
}

/// The raster format the bytes start with, by its signature.
fn raster_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else {
        None
    }
}

/// Elements that run script or embed other documents.
const ACTIVE_ELEMENTS: &[(&str, &str)] = &[
    ("script", "<script>"),
    ("foreignobject", "<foreignObject>"),
    ("iframe", "<iframe>"),
    ("embed", "<embed>"),
    ("object", "<object>"),
    ("handler", "<handler>"),
    ("listener", "<listener>"),
];

/// Attributes whose value is a reference (`xlink:href`, `xml:base`) or,
/// in animations, may become one (`<set attributeName="href" to=…>`).
const REFERENCE_ATTRIBUTES: &[&str] = &["href", "src", "base", "to", "from", "by", "values"];

/// Encodings that read ASCII as ASCII, so the screen sees the markup.
const ASCII_ENCODINGS: &[&str] = &[
    "utf-8",
    "utf8",
    "us-ascii",
    "ascii",
    "iso-8859-1",
    "latin1",
    "iso-8859-15",
    "windows-1252",
];

/// Why an SVG could run script or make a request, or `None`.
fn svg_problem(bytes: &[u8]) -> Option<String> {
    if bytes.contains(&0) || bytes.starts_with(b"\xfe\xff") || bytes.starts_with(b"\xff\xfe") {
        return Some("text that is not UTF-8 (a NUL byte or a UTF-16 byte-order mark)".into());
    }
    let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
    if let Some(why) = global_problem(&text) {
        return Some(why);
    }
    let mut rest = text.as_str();
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let (problem, next) = markup(rest);
        if problem.is_some() {
            return problem;
        }
        rest = next;
    }
    None
}

/// What can be judged on the whole text, wherever it stands.
fn global_problem(text: &str) -> Option<String> {
    if text.contains("javascript:") {
        return Some("a `javascript:` URL".into());
    }
    if text.contains("<!entity") || text.contains("<!attlist") {
        return Some("an entity or attribute-list declaration".into());
    }
    if text.contains("@import") {
        return Some("a CSS `@import`".into());
    }
    if text.contains("image-set(") {
        return Some("a CSS `image-set()`".into());
    }
    urls_problem(text)
}

/// Every `url(…)` in `text` must refer inside the SVG (`#id`), to
/// embedded data, or to a relative path.
fn urls_problem(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        let inside = rest.split(')').next().unwrap_or(rest);
        if inside.contains('\\') {
            return Some("a CSS escape (`\\`) in a `url()`".into());
        }
        let target = inside.trim().trim_matches(|c| c == '"' || c == '\'');
        if let Some(why) = reference_problem(target) {
            return Some(why);
        }
    }
    None
}

/// Why a reference leaves the file, or `None`.
fn reference_problem(value: &str) -> Option<String> {
    let value: String = value
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let value = value.trim_matches(|c: char| c <= ' ');
    if value.is_empty() || value.starts_with('#') {
        return None;
    }
    if let Some(media) = value.strip_prefix("data:image/") {
        // Raster data can neither run nor load anything; a nested SVG is a
        // document of its own that this screen does not read.
        if media.to_ascii_lowercase().starts_with("svg") {
            let shown: String = value.chars().take(40).collect();
            return Some(format!("a nested SVG `{shown}`, which is not screened"));
        }
        return None;
    }
    let outside = || {
        let shown: String = value.chars().take(60).collect();
        Some(format!("a reference to an outside resource `{shown}`"))
    };
    if value.starts_with(['/', '\\']) {
        return outside();
    }
    let scheme_end = value.find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)));
    match scheme_end {
        Some(end) if end > 0 && value[end..].starts_with(':') => outside(),
        _ => None,
    }
}

/// Judges the markup at the start of `text` (which starts with `<`) and
/// returns what follows it.
fn markup(text: &str) -> (Option<String>, &str) {
    let after = |end: &str, from: usize| match text[from..].find(end) {
        Some(at) => &text[from + at + end.len()..],
        None => "",
    };
    if text.starts_with("<!--") {
        return (None, after("-->", 4));
    }
    if text.starts_with("<![cdata[") {
        return (None, after("]]>", 9));
    }
    if text.starts_with("<!") || text.starts_with("</") {
        return (None, after(">", 2));
    }
    if let Some(pi) = text.strip_prefix("<?") {
        let target: String = pi
            .chars()
            .take_while(|c| !c.is_ascii_whitespace() && *c != '?')
            .collect();
        if target != "xml" {
            return (Some(format!("a processing instruction `<?{target}`")), "");
        }
        let declaration = &pi[..pi.find("?>").unwrap_or(pi.len())];
        return (encoding_problem(declaration), after("?>", 2));
    }
    start_tag(text)
}

fn encoding_problem(declaration: &str) -> Option<String> {
    let at = declaration.find("encoding")?;
    let value = declaration[at + 8..]
        .trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '=')
        .trim_start_matches(['"', '\'']);
    let name: String = value
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    (!ASCII_ENCODINGS.contains(&name.as_str()))
        .then(|| format!("an encoding declaration `{name}` the check cannot read"))
}

/// A start tag: its element name and each attribute.
fn start_tag(text: &str) -> (Option<String>, &str) {
    let is_name_end = |c: char| c.is_ascii_whitespace() || c == '/' || c == '>';
    let body = &text[1..];
    let name_len = body.find(is_name_end).unwrap_or(body.len());
    let name = &body[..name_len];
    if name.is_empty() {
        return (None, body);
    }
    let local = local_name(name);
    if let Some((_, shown)) = ACTIVE_ELEMENTS.iter().find(|(n, _)| *n == local) {
        return (Some(format!("a `{shown}` element")), "");
    }
    let mut rest = &body[name_len..];
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || rest.starts_with('>') || rest.starts_with("/>") {
            let rest = rest.strip_prefix('/').unwrap_or(rest);
            let rest = rest.strip_prefix('>').unwrap_or(rest);
            if local == "style" {
                let content = &rest[..rest.find("</").unwrap_or(rest.len())];
                if content.contains('\\') {
                    return (Some("a CSS escape (`\\`) in a `<style>`".into()), "");
                }
            }
            return (None, rest);
        }
        let attr_len = rest
            .find(|c: char| is_name_end(c) || c == '=')
            .unwrap_or(rest.len())
            .max(1);
        let attr = &rest[..attr_len];
        rest = rest[attr_len..].trim_start();
        let mut value = "";
        if let Some(after_eq) = rest.strip_prefix('=') {
            let after_eq = after_eq.trim_start();
            let (v, next) = match after_eq.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after_eq[1..];
                    let end = inner.find(q).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after_eq
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(after_eq.len());
                    (&after_eq[..end], &after_eq[end..])
                }
            };
            value = v;
            rest = next;
        }
        if let Some(why) = attribute_problem(attr, value) {
            return (Some(why), "");
        }
    }
}

fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn attribute_problem(name: &str, raw_value: &str) -> Option<String> {
    let local = local_name(name);
    if local.starts_with("on") {
        return Some(format!("an event handler attribute `{name}`"));
    }
    let value = crate::text::decode_references(raw_value).to_ascii_lowercase();
    let squeezed: String = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    if squeezed.contains("javascript:") {
        return Some("a `javascript:` URL".into());
    }
    if local == "attributename" && value.trim().starts_with("on") {
        return Some(format!(
            "an animation of the event handler `{}`",
            value.trim()
        ));
    }
    if value.contains('(') && value.contains('\\') {
        return Some(format!("a CSS escape (`\\`) in the attribute `{name}`"));
    }
    if let Some(why) = urls_problem(&value) {
        return Some(why);
    }
    if REFERENCE_ATTRIBUTES.contains(&local) {
        return value.split(';').find_map(reference_problem);
    }
    None
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The quick check of a raster icon accepts exactly the data the
        /// full decoder accepts, and reads the same first bytes.
        #[test]
        fn the_raster_check_agrees_with_the_decoder(
            data in proptest::collection::vec(any::<u8>(), 0..64),
            noise in "[A-Za-z0-9+/= \n.]{0,6}",
            at in 0usize..200,
            cut in 0usize..3,
        ) {
            use base64::Engine;
            let mut text = base64::engine::general_purpose::STANDARD.encode(&data);
            text.truncate(text.len().saturating_sub(cut));
            let at = at.min(text.len());
            text.insert_str(at, &noise);
            let uri = format!("data:image/png;base64,{text}");
            let full = super::decode(&uri);
            let head = super::raster_head(&uri);
            prop_assert_eq!(full.is_some(), head.is_some(), "{}", uri);
            if let (Some(full), Some(head)) = (full, head) {
                prop_assert!(full.starts_with(&head) && head.len() >= full.len().min(12));
            }
        }
    }
}
