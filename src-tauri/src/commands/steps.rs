//! The Enable, Authentication and Verify screens: MCP settings, the MCP user's token, OAuth
//! readiness, the MCP handshake and the connection doctor.

use directus_mcp_setup::directus::mcp_user::{McpUserSummary, TokenRequest};
use directus_mcp_setup::directus::oauth::OAuthReport;
use directus_mcp_setup::doctor::DoctorReport;
use directus_mcp_setup::mcp::McpReport;
use directus_mcp_setup::setup::{EnableRequest, TokenOutcome};
use directus_mcp_setup::wizard::WizardError;
use directus_mcp_setup::wizard::enable::{self, EnableResult};
use directus_mcp_setup::wizard::{authentication, verify};
use tauri::State;

use crate::state::{AppState, not_signed_in};

/// Saves the MCP settings (Enable screen).
#[tauri::command]
pub(crate) async fn enable_mcp(
    request: EnableRequest,
    state: State<'_, AppState>,
) -> Result<EnableResult, WizardError> {
    let session = state.session.lock().await;
    let result = enable::enable(session.as_ref().ok_or_else(not_signed_in)?, &request).await;
    state.logged("turn on MCP", result, |result| {
        format!(
            "allow deletes: {}",
            result.outcome.settings.mcp_allow_deletes
        )
    })
}

/// Creates the MCP user with a token kept in the OS keyring (Authentication screen).
#[tauri::command]
pub(crate) async fn create_token(
    request: TokenRequest,
    state: State<'_, AppState>,
) -> Result<TokenOutcome, WizardError> {
    let session = state.session.lock().await;
    let result = authentication::create_token(
        session.as_ref().ok_or_else(not_signed_in)?,
        &request,
        &state.secrets,
    )
    .await;
    state.logged("create the MCP user's token", result, token_detail)
}

/// What a token step did, for the log.
fn token_detail(outcome: &TokenOutcome) -> String {
    format!(
        "user {}, role {}, kept in the keyring: {}",
        outcome.user.id,
        outcome.user.role_name.as_deref().unwrap_or("none"),
        outcome.stored_in_keyring
    )
}

/// Gives the MCP user a new token.
#[tauri::command]
pub(crate) async fn rotate_token(state: State<'_, AppState>) -> Result<TokenOutcome, WizardError> {
    let session = state.session.lock().await;
    let result =
        authentication::rotate_token(session.as_ref().ok_or_else(not_signed_in)?, &state.secrets)
            .await;
    state.logged("rotate the MCP token", result, token_detail)
}

/// Removes the MCP user's token.
#[tauri::command]
pub(crate) async fn revoke_token(
    state: State<'_, AppState>,
) -> Result<McpUserSummary, WizardError> {
    let session = state.session.lock().await;
    let result =
        authentication::revoke_token(session.as_ref().ok_or_else(not_signed_in)?, &state.secrets)
            .await;
    state.logged("revoke the MCP token", result, |user| {
        format!("user {}", user.id)
    })
}

/// OAuth readiness for the chosen clients; with `enable`, turns OAuth on for them.
#[tauri::command]
pub(crate) async fn oauth_setup(
    clients: Vec<String>,
    enable: bool,
    state: State<'_, AppState>,
) -> Result<OAuthReport, WizardError> {
    let session = state.session.lock().await;
    let result = authentication::oauth(
        session.as_ref().ok_or_else(not_signed_in)?,
        &clients,
        enable,
    )
    .await;
    if !enable {
        return result;
    }
    let action = format!("turn on OAuth for {}", clients.join(", "));
    state.logged(&action, result, |report| {
        format!("{} problem(s) left", report.problems.len())
    })
}

/// A real MCP handshake with the token kept in the OS keyring (Verify screen).
#[tauri::command]
pub(crate) async fn verify_mcp(state: State<'_, AppState>) -> Result<McpReport, WizardError> {
    let session = state.session.lock().await;
    let result = verify::verify(session.as_ref().ok_or_else(not_signed_in)?, &state.secrets).await;
    state.logged("verify MCP", result, |report| {
        format!("{} tools from {}", report.tools.len(), report.mcp_url)
    })
}

/// The connection doctor for `clients`, or those found or connected on this computer (the
/// Verify screen; one client on its card on the Clients screen).
#[tauri::command]
pub(crate) async fn doctor_report(
    clients: Option<Vec<String>>,
    state: State<'_, AppState>,
) -> Result<DoctorReport, WizardError> {
    // The chosen project's entries (read before the session is held: it reads the session).
    let acting = state.acting().await?;
    let session = state.session.lock().await;
    verify::doctor(
        session.as_ref().ok_or_else(not_signed_in)?,
        &state.secrets,
        clients,
        &acting.name,
    )
    .await
}
