//! The clients a doctor run is for: which ones when none are named, finding them by id, and
//! naming them in a check's words.

use super::DoctorError;
use crate::clients::{self, ClientConnector};
use crate::directus::Session;

/// The clients the doctor checks when none are named: those found on this computer (web
/// apps always are) or whose entry named `entry_name` is connected to this Directus.
pub fn default_clients(
    env: &clients::ClientEnvironment,
    session: &Session,
    store: &crate::secret_store::SecretStore,
    entry_name: &str,
) -> Result<Vec<String>, DoctorError> {
    let target = clients::Target::new(entry_name, clients::Scope::User, None)?;
    let expected = clients::Expected::kept(session.client().server(), store);
    Ok(clients::overview(env, &target, &expected)
        .into_iter()
        .filter(|client| {
            client.detected.installed
                || matches!(client.status, Some(clients::ClientStatus::Connected { .. }))
        })
        .map(|client| client.info.id)
        .collect())
}

/// The clients found on this computer (web apps always are): who the doctor checks for when
/// it cannot sign in to learn which are connected.
pub fn found_clients(env: &clients::ClientEnvironment) -> Vec<String> {
    clients::all()
        .iter()
        .filter(|client| client.detect(env).installed)
        .map(|client| client.id().to_owned())
        .collect()
}

/// The clients a doctor run checks once signed in: those `named`, else (`None`) those found
/// on this computer or connected to this Directus ([`default_clients`]).
pub fn clients_to_check(
    named: Option<Vec<String>>,
    session: &Session,
    store: &crate::secret_store::SecretStore,
) -> Result<Vec<String>, DoctorError> {
    clients_to_check_for_entry(named, session, store, crate::projects::FIRST_ENTRY_NAME)
}

/// [`clients_to_check`] for the entries named `entry_name` (a project's name).
pub fn clients_to_check_for_entry(
    named: Option<Vec<String>>,
    session: &Session,
    store: &crate::secret_store::SecretStore,
    entry_name: &str,
) -> Result<Vec<String>, DoctorError> {
    match named {
        Some(ids) => Ok(ids),
        None => default_clients(
            &clients::ClientEnvironment::from_process()?,
            session,
            store,
            entry_name,
        ),
    }
}

/// The clients a doctor run checks without a sign-in: those `named`, else (`None`) those
/// found on this computer ([`found_clients`]).
pub fn clients_to_check_without_sign_in(
    named: Option<Vec<String>>,
) -> Result<Vec<String>, DoctorError> {
    match named {
        Some(ids) => Ok(ids),
        None => Ok(found_clients(&clients::ClientEnvironment::from_process()?)),
    }
}

/// The clients among `chosen` that can sign in with OAuth (the others use the MCP token).
pub(super) fn signing_in_with_oauth(
    chosen: &[&'static dyn ClientConnector],
) -> Vec<&'static dyn ClientConnector> {
    chosen
        .iter()
        .filter(|client| client.info().oauth != clients::OAuthRegistration::Unsupported)
        .copied()
        .collect()
}

pub(super) fn find_clients(
    ids: &[String],
) -> Result<Vec<&'static dyn ClientConnector>, DoctorError> {
    Ok(ids
        .iter()
        .map(|id| clients::find(id.trim()))
        .collect::<Result<_, _>>()?)
}

/// A verb's ending for `count` subjects: "signs" for one client, "sign" for several.
pub(super) fn third_person(count: usize) -> &'static str {
    if count == 1 { "s" } else { "" }
}

pub(super) fn names(clients: &[&dyn ClientConnector]) -> String {
    clients
        .iter()
        .map(|client| client.name())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn ids_of(clients: &[&dyn ClientConnector]) -> Vec<String> {
    clients
        .iter()
        .map(|client| client.id().to_owned())
        .collect()
}
