//! The Verify screen: the same core calls as `verify` and `doctor` on the command line.

use super::WizardError;
use crate::directus::Session;
use crate::mcp::McpReport;
use crate::secret_store::SecretStore;
use crate::setup::{self, SetupError};

/// The MCP handshake with the token kept in the OS keyring.
pub async fn verify(session: &Session, store: &SecretStore) -> Result<McpReport, WizardError> {
    let client = crate::directus::DirectusClient::new(session.client().server().clone())
        .map_err(SetupError::from)?;
    Ok(setup::verify(&client, None, store, None).await?)
}

/// The connection doctor for the clients found or connected on this computer (Verify
/// screen), reading the entries named `entry_name` (the chosen project's): the same report
/// as `doctor --project` on the command line.
pub async fn doctor(
    session: &Session,
    store: &SecretStore,
    clients: Option<Vec<String>>,
    entry_name: &str,
) -> Result<crate::doctor::DoctorReport, WizardError> {
    let as_wizard_error = |error: crate::doctor::DoctorError| match error {
        crate::doctor::DoctorError::Client(error) => WizardError::from(error),
        crate::doctor::DoctorError::Directus(error) => WizardError::from(SetupError::from(error)),
    };
    let ids = crate::doctor::clients_to_check_for_entry(clients, session, store, entry_name)
        .map_err(as_wizard_error)?;
    crate::doctor::diagnose_entry(session, &ids, &[], entry_name)
        .await
        .map_err(as_wizard_error)
}
