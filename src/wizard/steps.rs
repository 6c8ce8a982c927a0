//! The Enable, Authentication and Verify screens: the same core calls as `enable`,
//! `token create|rotate|revoke`, `oauth status|enable` and `verify` on the command line.

use serde::Serialize;
use ts_rs::TS;

use super::WizardError;
use crate::clients;
use crate::directus::Session;
use crate::directus::mcp_user::{McpUserSummary, TokenRequest};
use crate::directus::oauth::{self, OAuthClient, OAuthReport};
use crate::mcp::McpReport;
use crate::secrets::SecretStore;
use crate::setup::{self, EnableOutcome, EnableRequest, SetupError, TokenOutcome};

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

/// Creates (or brings in line) the MCP user with a new token, kept in the OS keyring; the
/// token itself never reaches the window. Here and in rotate, revoke and verify the keyring
/// is called on tokio's blocking pool (`setup` does that), never on an async worker.
pub async fn create_token(
    session: &Session,
    request: &TokenRequest,
    store: &SecretStore,
) -> Result<TokenOutcome, WizardError> {
    Ok(setup::create_token(session, request, store, false).await?.0)
}

/// A new token for the MCP user; the old one stops working.
pub async fn rotate_token(
    session: &Session,
    store: &SecretStore,
) -> Result<TokenOutcome, WizardError> {
    Ok(setup::rotate_token(session, store, false).await?.0)
}

/// Removes the MCP user's token.
pub async fn revoke_token(
    session: &Session,
    store: &SecretStore,
) -> Result<McpUserSummary, WizardError> {
    Ok(setup::revoke_token(session, store).await?.0)
}

/// OAuth readiness for the clients `ids` (or, with `enable`, turning it on for them).
pub async fn oauth(
    session: &Session,
    ids: &[String],
    enable: bool,
) -> Result<OAuthReport, WizardError> {
    let needed = clients::registrations(ids, false, false)?;
    let report = if enable {
        oauth::enable(session, needed).await
    } else {
        oauth::status(session, needed).await
    };
    Ok(report.map_err(SetupError::from)?)
}

/// Every registered OAuth client with its grants (Manage screen).
pub async fn grants(session: &Session) -> Result<Vec<OAuthClient>, WizardError> {
    Ok(oauth::list_clients(session)
        .await
        .map_err(SetupError::from)?
        .clients)
}

/// A grant that appeared while waiting: the client, with only that grant.
pub type NewGrant = OAuthClient;

/// Waits up to `seconds` for a grant that is not among `known` (grant ids), polling every
/// 2 s — what `grants wait` does. `None` when the time runs out.
pub async fn wait_for_grant(
    session: &Session,
    known: Vec<String>,
    seconds: u64,
) -> Result<Option<NewGrant>, WizardError> {
    let known: std::collections::BTreeSet<String> = known.into_iter().collect();
    let found = oauth::wait_for_new_grant(
        session,
        &known,
        std::time::Duration::from_secs(seconds),
        std::time::Duration::from_secs(2),
    )
    .await
    .map_err(SetupError::from)?;
    Ok(found.map(|(client, grant)| OAuthClient {
        grants: vec![grant],
        ..client
    }))
}

/// Revokes OAuth clients and checks they are gone.
pub async fn revoke_grants(session: &Session, ids: &[String]) -> Result<Vec<String>, WizardError> {
    Ok(oauth::revoke_clients(session, ids)
        .await
        .map_err(SetupError::from)?
        .into_iter()
        .map(|client| client.client_id)
        .collect())
}

/// The MCP handshake with the token kept in the OS keyring.
pub async fn verify(session: &Session, store: &SecretStore) -> Result<McpReport, WizardError> {
    let client = crate::directus::DirectusClient::new(session.client().server().clone())
        .map_err(SetupError::from)?;
    Ok(setup::verify(&client, None, store, None).await?)
}

/// The connection doctor for the clients found or connected on this computer (Verify
/// screen): the same report as `doctor` on the command line.
pub async fn doctor(
    session: &Session,
    store: &SecretStore,
    clients: Option<Vec<String>>,
) -> Result<crate::doctor::DoctorReport, WizardError> {
    let as_wizard_error = |error: crate::doctor::DoctorError| match error {
        crate::doctor::DoctorError::Client(error) => WizardError::from(error),
        crate::doctor::DoctorError::Directus(error) => WizardError::from(SetupError::from(error)),
    };
    let ids = crate::doctor::clients_to_check(clients, session, store).map_err(as_wizard_error)?;
    crate::doctor::diagnose(session, &ids, &[])
        .await
        .map_err(as_wizard_error)
}
