//! The MCP settings of a project (`/settings`, `mcp_*` fields) and changing them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use ts_rs::TS;

use super::client::DirectusClient;
use super::error::DirectusError;
use super::version::{Capabilities, ServerKind};

/// The `mcp_*` fields of Directus' settings singleton.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct McpSettings {
    /// MCP Server on/off.
    pub mcp_enabled: bool,
    /// Whether MCP tools may delete items, files, flows, fields, relations and collections.
    pub mcp_allow_deletes: bool,
    /// The collection MCP serves prompts from, if any.
    pub mcp_prompts_collection: Option<String>,
    /// Whether the system prompt is used.
    pub mcp_system_prompt_enabled: bool,
    /// A custom system prompt replacing the default one.
    pub mcp_system_prompt: Option<String>,
    /// OAuth for MCP (project level).
    #[serde(default)]
    pub mcp_oauth_enabled: bool,
    /// Dynamic Client Registration (project level).
    #[serde(default)]
    pub mcp_oauth_dcr_enabled: bool,
    /// Client ID Metadata Documents (project level).
    #[serde(default)]
    pub mcp_oauth_cimd_enabled: bool,
}

/// The settings fields this module reads on Directus 12 and later; a server without them
/// has no MCP.
pub const MCP_SETTINGS_FIELDS: &str = "mcp_enabled,mcp_allow_deletes,mcp_prompts_collection,mcp_system_prompt_enabled,mcp_system_prompt,mcp_oauth_enabled,mcp_oauth_dcr_enabled,mcp_oauth_cimd_enabled";

/// The MCP settings fields of Directus 11.13–11.x (no `mcp_oauth_*`: asking for a field a
/// version lacks makes Directus refuse the whole read with 403).
pub const MCP_SETTINGS_FIELDS_WITHOUT_OAUTH: &str = "mcp_enabled,mcp_allow_deletes,mcp_prompts_collection,mcp_system_prompt_enabled,mcp_system_prompt";

/// The MCP settings fields `version` has (as `/server/info` reported it).
pub fn fields_of(version: &str) -> &'static str {
    if Capabilities::of(version).has_oauth() {
        MCP_SETTINGS_FIELDS
    } else {
        MCP_SETTINGS_FIELDS_WITHOUT_OAUTH
    }
}

/// What to do with the system prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum SystemPrompt {
    /// Directus' default prompt.
    Default,
    /// A prompt of the admin's own.
    Custom(String),
    /// No system prompt.
    Off,
}

/// A change to the MCP settings; `None` fields are left as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct McpSettingsChange {
    /// Turn the MCP server on or off.
    pub enabled: Option<bool>,
    /// Allow or forbid deletes through MCP.
    pub allow_deletes: Option<bool>,
    /// Set (`Some(Some(name))`) or clear (`Some(None)`) the prompts collection.
    #[ts(optional = nullable)]
    pub prompts_collection: Option<Option<String>>,
    /// Set the system prompt.
    pub system_prompt: Option<SystemPrompt>,
}

impl McpSettingsChange {
    /// The JSON body of `PATCH /settings`.
    pub fn to_patch(&self) -> Value {
        let mut body = Map::new();
        if let Some(enabled) = self.enabled {
            body.insert("mcp_enabled".into(), json!(enabled));
        }
        if let Some(allow) = self.allow_deletes {
            body.insert("mcp_allow_deletes".into(), json!(allow));
        }
        if let Some(collection) = &self.prompts_collection {
            body.insert("mcp_prompts_collection".into(), json!(collection));
        }
        match &self.system_prompt {
            Some(SystemPrompt::Default) => {
                body.insert("mcp_system_prompt_enabled".into(), json!(true));
                body.insert("mcp_system_prompt".into(), Value::Null);
            }
            Some(SystemPrompt::Custom(text)) => {
                body.insert("mcp_system_prompt_enabled".into(), json!(true));
                body.insert("mcp_system_prompt".into(), json!(text));
            }
            Some(SystemPrompt::Off) => {
                body.insert("mcp_system_prompt_enabled".into(), json!(false));
                body.insert("mcp_system_prompt".into(), Value::Null);
            }
            None => {}
        }
        Value::Object(body)
    }
}

/// The prompts collection set in the MCP settings, if any (one request).
pub async fn prompts_collection(client: &DirectusClient) -> Result<Option<String>, DirectusError> {
    #[derive(serde::Deserialize)]
    struct Fields {
        mcp_prompts_collection: Option<String>,
    }
    let fields: Fields = client
        .get("/settings", &[("fields", "mcp_prompts_collection")])
        .await?;
    Ok(fields.mcp_prompts_collection)
}

/// Reads the MCP settings `version` has (as `/server/info` reported it; the OAuth ones read
/// as off before Directus 12); [`DirectusError::McpNotSupported`] below 11.13 or when the
/// server has none, before any request.
pub async fn read(client: &DirectusClient, version: &str) -> Result<McpSettings, DirectusError> {
    ServerKind::from_reported(version).require_mcp()?;
    let raw: Value = client
        .get("/settings", &[("fields", fields_of(version))])
        .await?;
    parse(raw, version)
}

/// Applies `change` and returns the settings as they are now: one request, or two when
/// Directus applied the change but answered with no body (204, as Directus does when it
/// cannot read back what it wrote), then the settings are read again.
pub async fn apply(
    client: &DirectusClient,
    change: &McpSettingsChange,
    version: &str,
) -> Result<McpSettings, DirectusError> {
    ServerKind::from_reported(version).require_mcp()?;
    let answer: Option<Value> = client
        .patch_or_empty(
            "/settings",
            &[("fields", fields_of(version))],
            &change.to_patch(),
        )
        .await?;
    match answer {
        Some(raw) => parse(raw, version),
        None => read(client, version).await,
    }
}

fn parse(raw: Value, version: &str) -> Result<McpSettings, DirectusError> {
    if raw.get("mcp_enabled").is_none() {
        return Err(DirectusError::McpNotSupported {
            version: version.to_owned(),
        });
    }
    serde_json::from_value(raw).map_err(|error| DirectusError::UnexpectedResponse {
        what: "the MCP settings".into(),
        detail: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_touches_only_what_changes() {
        let change = McpSettingsChange {
            enabled: Some(true),
            ..Default::default()
        };
        assert_eq!(change.to_patch(), json!({ "mcp_enabled": true }));
    }

    #[test]
    fn system_prompt_choices_map_to_both_fields() {
        let custom = McpSettingsChange {
            system_prompt: Some(SystemPrompt::Custom("Be brief.".into())),
            ..Default::default()
        };
        assert_eq!(
            custom.to_patch(),
            json!({ "mcp_system_prompt_enabled": true, "mcp_system_prompt": "Be brief." })
        );
        let off = McpSettingsChange {
            system_prompt: Some(SystemPrompt::Off),
            ..Default::default()
        };
        assert_eq!(
            off.to_patch(),
            json!({ "mcp_system_prompt_enabled": false, "mcp_system_prompt": null })
        );
    }

    #[test]
    fn clearing_the_prompts_collection_sends_null() {
        let change = McpSettingsChange {
            prompts_collection: Some(None),
            ..Default::default()
        };
        assert_eq!(change.to_patch(), json!({ "mcp_prompts_collection": null }));
    }

    #[test]
    fn eleven_x_is_read_without_the_oauth_fields_it_lacks() {
        assert!(!fields_of("11.17.4").contains("oauth"));
        assert!(fields_of("11.13.0").contains("mcp_prompts_collection"));
        assert_eq!(fields_of("12.0.2"), MCP_SETTINGS_FIELDS);
        assert!(fields_of("12.4.1").contains("mcp_oauth_cimd_enabled"));
    }

    #[test]
    fn eleven_x_settings_parse_with_oauth_off() {
        let raw = json!({ "mcp_enabled": true, "mcp_allow_deletes": false,
            "mcp_prompts_collection": "ai_prompts", "mcp_system_prompt_enabled": true,
            "mcp_system_prompt": null });
        let settings = parse(raw, "11.17.4").expect("11.x settings");
        assert!(settings.mcp_enabled);
        assert!(!settings.mcp_oauth_enabled);
    }

    #[test]
    fn a_server_without_mcp_fields_has_no_mcp() {
        assert!(matches!(
            parse(json!({}), "11.0.0"),
            Err(DirectusError::McpNotSupported { .. })
        ));
    }
}
