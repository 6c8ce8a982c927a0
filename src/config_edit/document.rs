//! The format-neutral view of a configuration file: entries found by path, set and
//! removed in place.

use serde_json::Value;
use thiserror::Error;

/// The syntax of a configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON, with the comments and trailing commas editors accept (JSONC).
    Jsonc,
    /// TOML.
    Toml,
    /// YAML (one document).
    Yaml,
}

/// Where an entry lives in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryPath {
    /// A key inside nested objects (tables): `["mcpServers", "directus"]`.
    Key(Vec<String>),
    /// The object in an array whose `id_key` member equals `id`, like VS Code's `inputs`.
    ArrayItem {
        /// The keys leading to the array.
        array: Vec<String>,
        /// The member naming the item.
        id_key: String,
        /// Its value.
        id: String,
    },
}

impl EntryPath {
    /// A key path from string slices.
    pub fn key(keys: &[&str]) -> Self {
        Self::Key(keys.iter().map(|key| (*key).to_owned()).collect())
    }

    /// The path as a user reads it: `mcpServers.directus` or `inputs[id=directus-token]`.
    pub fn display(&self) -> String {
        match self {
            Self::Key(keys) => keys.join("."),
            Self::ArrayItem { array, id_key, id } => {
                format!("{}[{id_key}={id}]", array.join("."))
            }
        }
    }
}

/// Why a document could not be read or changed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DocumentError {
    /// The text is not valid in its format.
    #[error("{message} at line {line}, column {column}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// A key on the way to the entry holds something else than expected.
    #[error("`{key}` holds {found}, where {expected} was expected")]
    Shape {
        /// The key, dotted from the top.
        key: String,
        /// What it holds.
        found: &'static str,
        /// What the client expects there.
        expected: &'static str,
    },
    /// A key on the way to the entry (or in it) is written twice in the same object: the
    /// client reads the last one, so editing the first would be silently wrong.
    #[error(
        "`{key}` is written twice in the same place, at lines {first_line} and {last_line}; the client reads only the last one, so neither is edited. Merge the two into one"
    )]
    DuplicateKey {
        /// The key, dotted from the top.
        key: String,
        /// The 1-based line of its first occurrence.
        first_line: usize,
        /// The 1-based line of its last occurrence (the one the client reads).
        last_line: usize,
    },
}

/// A parsed configuration file that can be edited in place.
pub trait ConfigDocument {
    /// The entry at `path`, as JSON, if present.
    fn get(&self, path: &EntryPath) -> Option<Value>;

    /// Sets the entry at `path` to `value`, creating what leads to it. When an object entry
    /// exists already, only the members named in `managed` are touched: those in `value` are
    /// set, the others removed; members the user added stay. Nothing changes when the entry
    /// already holds `value`.
    fn set(
        &mut self,
        path: &EntryPath,
        value: &Value,
        managed: &[&str],
    ) -> Result<(), DocumentError>;

    /// Removes the entry at `path`; with `prune`, also the containers left empty (without
    /// comments) that only held it. Returns whether there was one.
    fn remove(&mut self, path: &EntryPath, prune: bool) -> Result<bool, DocumentError>;

    /// The whole text, with the original byte-order mark and line endings.
    fn to_text(&self) -> String;

    /// The whole document as JSON (an empty document is an empty object).
    fn to_json(&self) -> Value;
}

/// What a JSON value is, in words.
pub(crate) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Whether an edit at `entry` (keys from the top) goes through or into `duplicate`: one is
/// a prefix of the other.
pub(crate) fn on_the_way(entry: &[String], duplicate: &[String]) -> bool {
    entry.starts_with(duplicate) || duplicate.starts_with(entry)
}

/// The 1-based line and column of byte `offset` in `text`, for syntax errors.
pub(crate) fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|tail| tail.chars().count() + 1)
        .unwrap_or(1);
    (line, column)
}
