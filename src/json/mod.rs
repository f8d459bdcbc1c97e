//! A JSON reader that remembers where everything came from.
//!
//! Manifests in real repositories are hand-edited, so the reader has to say
//! precisely what is wrong and where: every value keeps the byte offset it
//! started at, duplicate keys are reported (with both places) instead of being
//! silently merged, a byte-order mark is accepted but noted, and nesting is
//! bounded so that a hostile file cannot overflow the stack of whichever
//! thread parses it.
//!
//! It is not a general-purpose JSON library: it builds a small tree once and
//! the scanner reads that tree; it does not serialize.

mod parse;
mod position;

pub use parse::{parse, Parsed, MAX_DEPTH};
pub use position::LineIndex;

/// A value and the byte offset in the source where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub offset: u32,
}

/// The JSON data model. Numbers keep their source text: schema bounds in real
/// manifests exceed 64 bits, and nothing downstream does arithmetic on them.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Box<str>),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

/// One key of an object, in source order.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_offset: u32,
    pub value: Node,
}

/// Something the reader noticed that does not stop it.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The file starts with a UTF-8 byte-order mark.
    ByteOrderMark,
    /// The same key appears twice in one object; the later value is kept.
    DuplicateKey {
        key: String,
        first: u32,
        second: u32,
    },
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub offset: u32,
    pub message: String,
    pub hint: Option<&'static str>,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }

    /// The value of `key`, to change in place; the scan moves large
    /// strings (icons) out of a parsed tree rather than copying them.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.value {
            Value::Object(members) => members
                .iter_mut()
                .find(|m| m.key == key)
                .map(|m| &mut m.value),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    /// `true` only for a literal `true`; manifests use flags such as `tick`.
    pub fn is_true(&self, key: &str) -> bool {
        self.get(key).and_then(Node::as_bool).unwrap_or(false)
    }

    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// A short name for the kind of value, for messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// Converts to `serde_json::Value`, for the rare keys that are kept raw.
    /// Depth is already bounded by the parser, so the recursion is too.
    pub fn to_serde(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(text) => serde_json::from_str::<serde_json::Number>(text)
                .map(J::Number)
                .unwrap_or_else(|_| J::String(text.to_string())),
            Value::String(s) => J::String(s.clone()),
            Value::Array(items) => J::Array(items.iter().map(Node::to_serde).collect()),
            Value::Object(members) => J::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), m.value.to_serde()))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests;
