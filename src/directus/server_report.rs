//! What the Connect step shows: version, MCP support, the environment switches a
//! sysadmin controls, licence limits, the MCP settings and the MCP user.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::client::DirectusClient;
use super::collections::{self, CollectionInfo};
use super::error::DirectusError;
use super::mcp_user::{self, McpUserSummary};
use super::session::Session;
use super::settings::{self, McpSettings};
use super::version::{Capabilities, WHAT_UPGRADING_BRINGS};

/// Switches set in the server's environment (`.env`, docker compose): the app can only
/// explain them, never change them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EnvironmentSwitches {
    /// `MCP_ENABLED` (default true): false removes the `/mcp` route entirely.
    pub mcp_enabled: bool,
    /// `MCP_OAUTH_ENABLED` (default false).
    pub mcp_oauth_enabled: bool,
    /// `MCP_OAUTH_DCR_ENABLED` (default false).
    pub mcp_oauth_dcr_enabled: bool,
    /// `MCP_OAUTH_CIMD_ENABLED` (default false).
    pub mcp_oauth_cimd_enabled: bool,
}

/// The licence as far as it limits what the setup may create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LicenseInfo {
    /// Where the licence comes from; `None` on a community install.
    pub source: Option<String>,
    /// Whether permissions may carry filters, validation, presets or field lists.
    /// False on community installs: the role templates never need them.
    pub custom_permission_rules: bool,
}

/// Everything detected about a Directus instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ServerReport {
    /// The instance's base URL.
    pub url: String,
    /// The MCP endpoint clients connect to.
    pub mcp_url: String,
    /// Directus' version, e.g. "12.4.1".
    pub version: String,
    /// Who is signed in.
    pub signed_in_as: String,
    /// Environment switches.
    pub environment: EnvironmentSwitches,
    /// Licence limits.
    pub license: LicenseInfo,
    /// The MCP settings of the project.
    pub settings: McpSettings,
    /// The MCP user this tool manages, if it exists.
    pub mcp_user: Option<McpUserSummary>,
    /// All collections (for the prompts-collection and content pickers).
    pub collections: Vec<CollectionInfo>,
    /// Plain-language notes on what needs attention, e.g. an environment switch.
    pub notes: Vec<String>,
}

#[derive(Deserialize)]
struct ServerInfo {
    version: Option<String>,
    mcp_enabled: Option<bool>,
    #[serde(default)]
    mcp_oauth_enabled: bool,
    #[serde(default)]
    mcp_oauth_dcr_enabled: bool,
    #[serde(default)]
    mcp_oauth_cimd_enabled: bool,
    #[serde(default)]
    license: Option<Value>,
}

/// Detects everything at once (the requests run concurrently). Fails when the user is
/// not an administrator or the server has no MCP.
pub async fn detect(session: &Session) -> Result<ServerReport, DirectusError> {
    let client = session.client();
    let (info, admin, users, all_collections) = tokio::join!(
        client.get::<ServerInfo>("/server/info", &[]),
        session.require_admin(),
        mcp_user::find(client),
        collections::list(client),
    );
    let info = info?;
    admin?;
    let version = info.version.clone().unwrap_or_else(|| "unknown".to_owned());
    let settings = settings::read(client, &version).await?;
    let environment = EnvironmentSwitches {
        mcp_enabled: info.mcp_enabled.unwrap_or(true),
        mcp_oauth_enabled: info.mcp_oauth_enabled,
        mcp_oauth_dcr_enabled: info.mcp_oauth_dcr_enabled,
        mcp_oauth_cimd_enabled: info.mcp_oauth_cimd_enabled,
    };
    let license = license_info(info.license.as_ref());
    let mut notes = notes(
        &environment,
        &settings,
        session.client().server().is_https(),
    );
    if !Capabilities::of(&version).has_oauth() {
        notes.push(format!("Directus {version} has MCP with the MCP token, not MCP OAuth (Directus 12 or later). {WHAT_UPGRADING_BRINGS}."));
    }
    // A user that carries the marker but is not ours is reported, not adopted; detection
    // itself goes on (it changes nothing).
    let mcp_user = match users {
        Err(foreign @ DirectusError::ForeignMcpUser { .. }) => {
            notes.push(foreign.to_string());
            None
        }
        users => users?.map(|u| u.summary()),
    };
    Ok(ServerReport {
        url: client.server().to_string(),
        mcp_url: client.server().mcp_endpoint().to_string(),
        version,
        signed_in_as: session.identity().to_owned(),
        environment,
        license,
        settings,
        mcp_user,
        collections: all_collections?,
        notes,
    })
}

/// The environment switches and the version, as `/server/info` tells an administrator.
pub async fn environment(
    client: &DirectusClient,
) -> Result<(EnvironmentSwitches, String), DirectusError> {
    let info: ServerInfo = client.get("/server/info", &[]).await?;
    Ok((
        EnvironmentSwitches {
            mcp_enabled: info.mcp_enabled.unwrap_or(true),
            mcp_oauth_enabled: info.mcp_oauth_enabled,
            mcp_oauth_dcr_enabled: info.mcp_oauth_dcr_enabled,
            mcp_oauth_cimd_enabled: info.mcp_oauth_cimd_enabled,
        },
        info.version.unwrap_or_else(|| "unknown".to_owned()),
    ))
}

/// What the environment says about MCP, as `/server/info` tells any signed-in user (one
/// request): whether `MCP_ENABLED` lets MCP run at all, and the server's version.
pub async fn mcp_environment(client: &DirectusClient) -> Result<(bool, String), DirectusError> {
    let (switches, version) = environment(client).await?;
    Ok((switches.mcp_enabled, version))
}

fn license_info(license: Option<&Value>) -> LicenseInfo {
    let source = license
        .and_then(|l| l.get("source"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let custom_permission_rules = license
        .and_then(|l| l.get("entitlements"))
        .and_then(|e| e.get("custom_permission_rules_enabled"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    LicenseInfo {
        source,
        custom_permission_rules,
    }
}

fn notes(environment: &EnvironmentSwitches, settings: &McpSettings, https: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if !environment.mcp_enabled {
        notes.push("MCP is disabled by the server's environment (MCP_ENABLED=false): remove that line from the environment (.env or docker compose) and restart Directus; until then /mcp does not exist.".to_owned());
    } else if !settings.mcp_enabled {
        notes.push("MCP is off in the project settings: run `enable` to turn it on.".to_owned());
    }
    if settings.mcp_allow_deletes {
        notes.push("Allow Deletes is on: AI clients can delete items, files, flows, fields, relations and collections.".to_owned());
    }
    if !https {
        notes.push("This Directus is reached over plain http: fine on this computer, but remote AI clients (Claude.ai, ChatGPT) need an https URL.".to_owned());
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn community_licence_has_no_custom_permission_rules() {
        let license = json!({ "source": null, "entitlements": { "production_enabled": true } });
        assert!(!license_info(Some(&license)).custom_permission_rules);
        let licensed =
            json!({ "source": "key", "entitlements": { "custom_permission_rules_enabled": true } });
        assert!(license_info(Some(&licensed)).custom_permission_rules);
    }
}
