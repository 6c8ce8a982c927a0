//! The Manage screen: the OAuth clients and their grants, as `grants list|wait|revoke` on
//! the command line.

use super::WizardError;
use crate::directus::Session;
use crate::directus::oauth::{self, OAuthClient};
use crate::setup::SetupError;

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
