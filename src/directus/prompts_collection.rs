//! The AI Prompts collection MCP serves prompts from: check a chosen one, or generate
//! `ai_prompts` with the fields Directus expects (as its admin app does).

use serde::Deserialize;
use serde_json::{Value, json};

use super::client::DirectusClient;
use super::collections::{self, CollectionInfo};
use super::error::DirectusError;

/// The name of a generated prompts collection.
pub const GENERATED_NAME: &str = "ai_prompts";

/// The fields Directus' MCP server reads from a prompts collection.
pub const REQUIRED_FIELDS: [&str; 4] = ["name", "description", "system_prompt", "messages"];

/// Whether generating created the collection or found a fitting one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// This run created it (and rolls it back if a later step fails).
    Created,
    /// It existed already with the right fields.
    Reused,
}

#[derive(Deserialize)]
struct FieldName {
    field: String,
}

/// Checks that `name` exists and has the fields MCP needs.
pub async fn check(
    client: &DirectusClient,
    all: &[CollectionInfo],
    name: &str,
) -> Result<(), DirectusError> {
    collections::require_content(all, &[name.to_owned()])?;
    let fields: Vec<FieldName> = client
        .get(&format!("/fields/{name}"), &[("fields", "field")])
        .await?;
    let missing: Vec<&str> = REQUIRED_FIELDS
        .iter()
        .copied()
        .filter(|required| !fields.iter().any(|f| f.field == *required))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(DirectusError::InvalidCollection(format!(
            "collection '{name}' cannot hold MCP prompts: it lacks the field(s) {}. Pick a collection with name, description, system_prompt and messages, or generate one with --generate-prompts-collection",
            missing.join(", ")
        )))
    }
}

/// Creates `ai_prompts` unless a fitting one exists.
pub async fn generate(
    client: &DirectusClient,
    all: &[CollectionInfo],
) -> Result<Generated, DirectusError> {
    if all.iter().any(|c| c.name == GENERATED_NAME) {
        check(client, all, GENERATED_NAME).await?;
        return Ok(Generated::Reused);
    }
    let _: Value = client
        .post(
            "/collections",
            &[("fields", "collection")],
            &collection_definition(),
        )
        .await?;
    for field in ["user_created", "user_updated"] {
        let relation = json!({
            "collection": GENERATED_NAME,
            "field": field,
            "related_collection": "directus_users",
            "schema": {}
        });
        if let Err(error) = client
            .post::<Value>("/relations", &[("fields", "collection")], &relation)
            .await
        {
            return Err(roll_back(client, error).await);
        }
    }
    Ok(Generated::Created)
}

/// Deletes the generated collection again; the error to report is `cause`.
pub async fn roll_back(client: &DirectusClient, cause: DirectusError) -> DirectusError {
    match client
        .delete(&format!("/collections/{GENERATED_NAME}"))
        .await
    {
        Ok(()) => cause,
        Err(rollback) => DirectusError::RollbackIncomplete {
            cause: Box::new(cause),
            rollback: Box::new(rollback),
            left: format!("collection {GENERATED_NAME}"),
        },
    }
}

fn collection_definition() -> Value {
    let hidden = |interface: &str, special: Option<&str>| {
        let mut meta =
            json!({ "interface": interface, "hidden": true, "readonly": true, "width": "half" });
        if let Some(special) = special {
            meta["special"] = json!([special]);
        }
        meta
    };
    json!({
        "collection": GENERATED_NAME,
        "meta": {
            "icon": "smart_toy",
            "note": "Prompts offered to AI clients through MCP",
            "sort_field": "sort",
            "display_template": "{{name}}"
        },
        "schema": {},
        "fields": [
            { "field": "id", "type": "uuid",
              "schema": { "is_primary_key": true, "is_unique": true, "length": 36 },
              "meta": { "special": ["uuid"], "interface": "input", "hidden": true, "readonly": true } },
            { "field": "sort", "type": "integer", "schema": {}, "meta": { "interface": "input", "hidden": true } },
            { "field": "date_created", "type": "timestamp", "schema": {}, "meta": hidden("datetime", Some("date-created")) },
            { "field": "user_created", "type": "uuid", "schema": {}, "meta": hidden("select-dropdown-m2o", Some("user-created")) },
            { "field": "date_updated", "type": "timestamp", "schema": {}, "meta": hidden("datetime", Some("date-updated")) },
            { "field": "user_updated", "type": "uuid", "schema": {}, "meta": hidden("select-dropdown-m2o", Some("user-updated")) },
            { "field": "name", "type": "string",
              "schema": { "is_unique": true, "is_indexed": true, "max_length": 255 },
              "meta": { "interface": "input", "required": true, "width": "half", "options": { "slug": true, "trim": true } } },
            { "field": "description", "type": "text", "schema": {}, "meta": { "interface": "input", "width": "full" } },
            { "field": "system_prompt", "type": "text", "schema": {}, "meta": { "interface": "input-rich-text-md", "width": "full" } },
            { "field": "messages", "type": "json", "schema": {},
              "meta": { "special": ["cast-json"], "interface": "list", "width": "full",
                        "options": { "template": "{{ role }} • {{ text }}", "fields": [
                            { "field": "role", "name": "role", "type": "string",
                              "meta": { "field": "role", "type": "string", "required": true, "interface": "select-dropdown",
                                        "options": { "choices": [ { "text": "User", "value": "user" }, { "text": "Assistant", "value": "assistant" } ] } } },
                            { "field": "text", "name": "text", "type": "text",
                              "meta": { "field": "text", "type": "text", "required": true, "interface": "input-multiline" } }
                        ] } } }
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_collection_has_every_field_mcp_reads() {
        let definition = collection_definition();
        let names: Vec<&str> = definition["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        for required in REQUIRED_FIELDS {
            assert!(names.contains(&required), "{required} missing");
        }
    }
}
