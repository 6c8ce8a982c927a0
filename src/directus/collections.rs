//! The collections of a Directus project, as the setup needs them: which hold content.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::client::DirectusClient;
use super::error::DirectusError;

/// One collection of the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CollectionInfo {
    /// Its name, e.g. `articles`.
    pub name: String,
    /// Whether it is one of Directus' own (`directus_*`).
    pub system: bool,
    /// Whether it has a database table (folders in the data model have none).
    pub has_table: bool,
    /// Whether it is a singleton.
    pub singleton: bool,
}

impl CollectionInfo {
    /// A user collection with data: what content permissions and MCP's `items` tool apply to.
    pub fn is_content(&self) -> bool {
        !self.system && self.has_table
    }
}

#[derive(Deserialize)]
struct RawCollection {
    collection: String,
    #[serde(default)]
    meta: Option<Value>,
    #[serde(default)]
    schema: Option<Value>,
}

/// Lists every collection (one request).
pub async fn list(client: &DirectusClient) -> Result<Vec<CollectionInfo>, DirectusError> {
    let raw: Vec<RawCollection> = client
        .get(
            "/collections",
            &[("fields", "collection,meta.singleton,schema.name")],
        )
        .await?;
    Ok(raw
        .into_iter()
        .map(|c| CollectionInfo {
            system: c.collection.starts_with("directus_"),
            has_table: c.schema.as_ref().is_some_and(|s| !s.is_null()),
            singleton: c
                .meta
                .as_ref()
                .and_then(|m| m.get("singleton"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
            name: c.collection,
        })
        .collect())
}

/// The names of the content collections among `all`.
pub fn content_names(all: &[CollectionInfo]) -> Vec<String> {
    all.iter()
        .filter(|c| c.is_content())
        .map(|c| c.name.clone())
        .collect()
}

/// Checks that every requested name is a content collection of `all`.
pub fn require_content(all: &[CollectionInfo], requested: &[String]) -> Result<(), DirectusError> {
    let existing = content_names(all);
    let missing: Vec<&str> = requested
        .iter()
        .filter(|name| !existing.contains(name))
        .map(String::as_str)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(DirectusError::UnknownCollections {
        names: missing.join(", "),
        existing: if existing.is_empty() {
            "none".to_owned()
        } else {
            existing.join(", ")
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(name: &str, has_table: bool) -> CollectionInfo {
        CollectionInfo {
            name: name.into(),
            system: name.starts_with("directus_"),
            has_table,
            singleton: false,
        }
    }

    #[test]
    fn only_user_collections_with_a_table_are_content() {
        let all = [
            collection("articles", true),
            collection("directus_users", true),
            collection("folder", false),
        ];
        assert_eq!(content_names(&all), vec!["articles".to_owned()]);
    }

    #[test]
    fn names_the_missing_collections_and_the_existing_ones() {
        let all = [collection("articles", true), collection("pages", true)];
        let error = require_content(
            &all,
            &["articles".into(), "artcles".into(), "directus_users".into()],
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "no collection named artcles, directus_users in this Directus; existing content collections: articles, pages"
        );
        assert!(require_content(&all, &["pages".into()]).is_ok());
    }
}
