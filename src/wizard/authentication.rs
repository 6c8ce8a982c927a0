//! The Authentication screen: the same core calls as `token create|rotate|revoke` and
//! `oauth status|enable` on the command line.

use super::WizardError;
use crate::clients;
use crate::directus::Session;
use crate::directus::mcp_user::{McpUserSummary, TokenRequest};
use crate::directus::oauth::{self, OAuthReport};
use crate::secret_store::SecretStore;
use crate::setup::{self, SetupError, TokenOutcome};

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
