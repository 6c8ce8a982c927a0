//! The editor for each syntax, chosen by a file's [`Format`].

use super::document::{ConfigDocument, DocumentError, Format};
use super::jsonc::JsoncDocument;
use super::toml::TomlDocument;
use super::yaml::YamlDocument;

/// Parses `text` in `format`.
pub fn parse(format: Format, text: &str) -> Result<Box<dyn ConfigDocument>, DocumentError> {
    Ok(match format {
        Format::Jsonc => Box::new(JsoncDocument::parse(text)?),
        Format::Toml => Box::new(TomlDocument::parse(text)?),
        Format::Yaml => Box::new(YamlDocument::parse(text)?),
    })
}
