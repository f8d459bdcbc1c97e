//! One manifest file being read: its text, its diagnostics, and the
//! translation of byte offsets into lines and columns.

use crate::diag::{Diagnostic, Severity};
use crate::json::{self, LineIndex, Node, Notice};
use std::io::Read;
use std::path::Path;

/// A file's text and the diagnostics raised while reading it.
pub(crate) struct Source {
    pub rel: String,
    pub text: String,
    index: Option<LineIndex>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Source {
    pub fn new(rel: String, text: String) -> Self {
        Source {
            rel,
            text,
            index: None,
            diagnostics: Vec::new(),
        }
    }

    /// Reads a regular file as UTF-8, or returns the diagnostic saying why not.
    pub fn read(abs: &Path, rel: String) -> Result<Self, Diagnostic> {
        let fail = |message: String| {
            Diagnostic::whole_file(rel.clone(), Severity::Error, "unreadable", message)
        };
        // Only regular files are opened: a FIFO named like a manifest would
        // otherwise block the scan forever.
        let size = match std::fs::metadata(abs) {
            Ok(meta) if !meta.is_file() => return Err(fail("not a regular file".into())),
            Ok(meta) => meta.len(),
            Err(e) => return Err(fail(format!("cannot read: {e}"))),
        };
        // Not `fs::read`, which would look the size up a second time; a
        // file that grew since is still read to its end.
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
        std::fs::File::open(abs)
            .and_then(|mut file| file.read_to_end(&mut bytes))
            .map_err(|e| fail(format!("cannot read: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            fail(format!(
                "not valid UTF-8 (first bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Ok(Source::new(rel, text))
    }

    /// Line and column of a byte offset.
    pub fn locate(&mut self, offset: u32) -> (u32, u32) {
        let text = &self.text;
        self.index
            .get_or_insert_with(|| LineIndex::new(text))
            .locate(text, offset)
    }

    pub fn report(&mut self, offset: u32, severity: Severity, code: &str, message: String) {
        let (line, column) = self.locate(offset);
        self.diagnostics.push(Diagnostic {
            path: self.rel.clone(),
            line,
            column,
            severity,
            code: code.into(),
            message,
        });
    }

    /// Parses the text as JSON, reporting syntax errors and notices.
    pub fn parse_json(&mut self) -> Option<Node> {
        match json::parse(&self.text) {
            Ok(parsed) => {
                for notice in parsed.notices {
                    match notice {
                        Notice::ByteOrderMark => self.report(
                            0,
                            Severity::Warning,
                            "byte-order-mark",
                            "file starts with a UTF-8 byte-order mark; it was read, but remove it"
                                .into(),
                        ),
                        Notice::DuplicateKey { key, first, second } => {
                            let (first_line, _) = self.locate(first);
                            let (second_line, _) = self.locate(second);
                            self.report(
                                second,
                                Severity::Warning,
                                "duplicate-key",
                                format!(
                                    "duplicate key \"{key}\" (lines {first_line} and {second_line}); the last one is used"
                                ),
                            );
                        }
                    }
                }
                Some(parsed.root)
            }
            Err(e) => {
                let code = if e.message.starts_with("nesting is deeper") {
                    "json-depth"
                } else {
                    "json-syntax"
                };
                let message = match e.hint {
                    Some(hint) => format!("{} ({hint})", e.message),
                    None => e.message,
                };
                self.report(e.offset, Severity::Error, code, message);
                None
            }
        }
    }
}
