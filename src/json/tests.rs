//! Tests of the positioned JSON reader: exact positions and messages of
//! syntax errors, notices, escapes, numbers kept as text, depth limits, and
//! a property test against serde_json.

use super::*;

fn err(text: &str) -> (u32, u32, String, Option<&'static str>) {
    let e = parse(text).unwrap_err();
    let (line, col) = LineIndex::new(text).locate(text, e.offset);
    (line, col, e.message, e.hint)
}

#[test]
fn missing_comma_between_strings_points_at_the_second_string() {
    let text = "{\n  \"a\": [\n    \"one\"\n    \"two\"\n  ]\n}";
    let (line, col, message, hint) = err(text);
    assert_eq!((line, col), (4, 5));
    assert_eq!(
        message,
        "expected `,` or `]` after an array element, found `\"`"
    );
    assert_eq!(hint, Some("a comma is missing between two elements"));
}

#[test]
fn trailing_comma_points_at_the_comma() {
    let text = "{\"a\": [\"one\",\n \"two\",\n ]}";
    let (line, col, message, hint) = err(text);
    assert_eq!((line, col), (2, 7));
    assert_eq!(message, "trailing comma before `]`");
    assert!(hint.unwrap().contains("trailing comma"));
}

#[test]
fn byte_order_mark_is_read_and_noted_and_not_counted_as_a_column() {
    let text = "\u{feff}{\"a\": 1 x}";
    let parsed = parse("\u{feff}{\"a\": 1}").unwrap();
    assert_eq!(parsed.notices, vec![Notice::ByteOrderMark]);
    assert_eq!(
        parsed.root.get("a").unwrap().value,
        Value::Number("1".into())
    );
    let (line, col, _, _) = err(text);
    assert_eq!((line, col), (1, 9));
}

#[test]
fn duplicate_key_keeps_the_last_value_and_reports_both_places() {
    let text = "{\n\"voice\": 1,\n\"voice\": 2\n}";
    let parsed = parse(text).unwrap();
    assert_eq!(
        parsed.root.get("voice").unwrap().value,
        Value::Number("2".into())
    );
    assert_eq!(parsed.root.as_object().unwrap().len(), 1);
    match &parsed.notices[..] {
        [Notice::DuplicateKey { key, first, second }] => {
            let index = LineIndex::new(text);
            assert_eq!(key, "voice");
            assert_eq!(index.locate(text, *first).0, 2);
            assert_eq!(index.locate(text, *second).0, 3);
        }
        other => panic!("unexpected notices {other:?}"),
    }
}

/// The duplicate check indexes big objects; an object of 200,000 keys,
/// one per line, is read whole, and a repeat of the first key at its end is
/// still found with both lines.
#[test]
fn an_object_of_200000_keys_is_read_and_a_late_duplicate_found() {
    let body: String = (0..200_000).map(|i| format!("\"k{i}\": {i},\n")).collect();
    let distinct = format!("{{\n{body}\"end\": 0\n}}");
    let parsed = parse(&distinct).unwrap();
    assert_eq!(parsed.root.as_object().unwrap().len(), 200_001);
    assert_eq!(parsed.notices, []);

    let repeated = format!("{{\n{body}\"k7\": \"last\"\n}}");
    let parsed = parse(&repeated).unwrap();
    let members = parsed.root.as_object().unwrap();
    assert_eq!(members.len(), 200_000);
    assert_eq!(members[7].value.value, Value::String("last".into()));
    match &parsed.notices[..] {
        [Notice::DuplicateKey { key, first, second }] => {
            let index = LineIndex::new(&repeated);
            assert_eq!(key, "k7");
            assert_eq!(index.locate(&repeated, *first), (9, 1));
            assert_eq!(index.locate(&repeated, *second), (200_002, 1));
        }
        other => panic!("unexpected notices {other:?}"),
    }
}

#[test]
fn nesting_beyond_the_cap_is_an_error_not_a_crash() {
    let text = format!("{}{}", "{\"a\":".repeat(200), "}".repeat(200));
    let e = parse(&text).unwrap_err();
    assert_eq!(e.message, "nesting is deeper than 128 levels");
    assert_eq!(e.offset, 128 * 5);
    let ok = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse(&ok).is_ok());
}

#[test]
fn unterminated_string_points_at_its_opening_quote() {
    let (line, col, message, _) = err("{\"a\": \"abc\n}");
    assert_eq!((line, col, message.as_str()), (1, 7, "unterminated string"));
}

#[test]
fn escapes_and_surrogate_pairs_decode() {
    let parsed = parse(r#""a\n\u00e9\ud83d\ude00\/""#).unwrap();
    assert_eq!(parsed.root.as_str(), Some("a\né😀/"));
}

#[test]
fn a_repeated_key_points_at_the_occurrence_whose_value_is_kept() {
    let text = "{\"a\": 1, \"a\": 2}";
    let parsed = parse(text).unwrap();
    let members = parsed.root.as_object().unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].key_offset, 9);
    assert_eq!(members[0].value.offset, 14);
}

#[test]
fn a_unicode_escape_takes_exactly_four_hex_digits_and_no_sign() {
    let e = parse(r#""\u+041""#).unwrap_err();
    assert_eq!(e.message, "invalid `\\u` escape: expected four hex digits");
    assert_eq!(e.offset, 1);
    assert!(serde_json::from_str::<serde_json::Value>(r#""\u+041""#).is_err());
}

#[test]
fn an_unpaired_high_surrogate_does_not_swallow_the_next_escape() {
    let parsed = parse(r#""\ud800\u0041\ud83d\ude00""#).unwrap();
    assert_eq!(parsed.root.as_str(), Some("\u{fffd}A😀"));
}

#[test]
fn a_backslash_before_a_line_break_or_the_end_names_what_follows() {
    let (line, col, message, _) = err("{\"a\": \"one \\\n two\"}");
    assert_eq!((line, col), (1, 12));
    assert_eq!(
        message,
        "invalid escape: `\\` followed by control character U+000A"
    );
    let (_, _, message, _) = err("\"abc\\");
    assert_eq!(
        message,
        "invalid escape: `\\` followed by the end of the file"
    );
    let (_, _, message, _) = err(r#""\x""#);
    assert_eq!(message, "invalid escape `\\x`");
}

#[test]
fn big_integers_keep_their_text() {
    let parsed = parse("[123456789012345678901234567890, -1.5e3]").unwrap();
    let items = parsed.root.as_array().unwrap();
    assert_eq!(
        items[0].value,
        Value::Number("123456789012345678901234567890".into())
    );
    assert_eq!(items[1].value, Value::Number("-1.5e3".into()));
}

#[test]
fn columns_count_characters_not_bytes() {
    let (line, col, _, _) = err("[\"é\" 1]");
    assert_eq!((line, col), (1, 6));
}

#[test]
fn agrees_with_serde_json_on_valid_documents() {
    let text = r#"{"a": [1, 2.5, "x", null, true, false, {"b": {}}], "c": "\u0041"}"#;
    let ours = parse(text).unwrap().root.to_serde();
    let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(ours, theirs);
}

mod properties {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Arbitrary text never panics, and errors point inside the text.
        #[test]
        fn never_panics_on_arbitrary_text(text in any::<String>()) {
            match parse(&text) {
                Ok(_) => {}
                Err(e) => {
                    prop_assert!(e.offset as usize <= text.len());
                    let _ = LineIndex::new(&text).locate(&text, e.offset);
                }
            }
        }

        /// Near-JSON made of JSON's own punctuation never panics either, and
        /// whatever we accept serde_json accepts with the same value (duplicate
        /// keys aside, which serde_json also resolves to the last one).
        #[test]
        fn agrees_with_serde_json_on_json_like_text(
            text in "[\\[\\]{}:,\" a-c0-9.eE+\\-\\\\ntrufals\u{feff}]{0,64}"
        ) {
            let ours = parse(&text);
            let stripped = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let theirs = serde_json::from_str::<serde_json::Value>(stripped);
            match (ours, theirs) {
                (Ok(p), Ok(v)) => prop_assert_eq!(p.root.to_serde(), v),
                // serde_json refuses numbers beyond f64; we keep their text.
                (Ok(_), Err(e)) => prop_assert!(e.to_string().contains("out of range"), "{}", e),
                (Err(e), Ok(v)) => prop_assert!(false, "we refused {:?} ({}), serde_json read {}", text, e.message, v),
                (Err(_), Err(_)) => {}
            }
        }
    }
}

/// Strings are scanned eight bytes at a time; whatever the position of the
/// byte that ends a plain run inside its word, it is found exactly.
#[test]
fn a_string_ends_exactly_where_its_quote_escape_or_control_is() {
    for before in 0..20 {
        let plain = "aé~\u{7f}".repeat(5);
        let plain: String = plain.chars().take(before).collect();
        let at = plain.len() + 1;

        let closed = format!("\"{plain}\" ");
        let node = parse(&closed).unwrap().root;
        assert_eq!(node.as_str(), Some(plain.as_str()));

        let escaped = format!("\"{plain}\\n{plain}\"");
        let node = parse(&escaped).unwrap().root;
        assert_eq!(node.as_str(), Some(format!("{plain}\n{plain}").as_str()));

        let control = format!("\"{plain}\u{1f}\"");
        let e = parse(&control).unwrap_err();
        assert_eq!(e.offset as usize, at);
        assert_eq!(e.message, "control character U+001F inside a string");
    }
}
