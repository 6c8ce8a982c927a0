//! The Enable screen: the same core call as `enable` on the command line.

use serde::Serialize;
use ts_rs::TS;

use super::WizardError;
use crate::directus::Session;
use crate::setup::{self, EnableOutcome, EnableRequest, SetupError};

/// What the Enable screen shows after saving.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EnableResult {
    /// The settings as saved.
    pub outcome: EnableOutcome,
    /// Set when `MCP_ENABLED=false` in the environment keeps MCP off whatever the settings say.
    pub kill_switch: Option<String>,
}

/// Saves the MCP settings.
pub async fn enable(
    session: &Session,
    request: &EnableRequest,
) -> Result<EnableResult, WizardError> {
    let outcome = setup::enable(session, request)
        .await
        .map_err(SetupError::from)?;
    let kill_switch = match crate::directus::server_report::mcp_environment(session.client()).await
    {
        Ok((false, _)) => {
            Some(crate::directus::DirectusError::McpDisabledByEnvironment.to_string())
        }
        _ => None,
    };
    Ok(EnableResult {
        outcome,
        kill_switch,
    })
}
