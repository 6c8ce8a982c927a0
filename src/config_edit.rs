//! Editing a user's configuration file without losing a byte of what is theirs.
//!
//! [`document`] is the format-neutral view (get, set, remove an entry), [`formats`] picks the
//! editor for a file's syntax; [`jsonc`], [`toml`] and [`yaml`] implement it on a concrete
//! syntax tree so comments, order, indentation and trailing commas survive, [`text_style`] keeps the byte-order mark and line endings, and
//! [`file`] reads and writes atomically with a backup.

pub mod document;
pub mod entries;
pub mod file;
pub mod formats;
pub mod jsonc;
pub mod text_style;
pub mod toml;
pub mod yaml;

pub use document::{ConfigDocument, DocumentError, EntryPath, Format};
pub use entries::{Entry, remove_entries, set_entries};
pub use file::{Backup, FileError, WrittenFile};
pub use formats::parse;
