//! `oauth status|enable` and `grants list|wait|revoke`: admin sign-in, then the core's
//! OAuth functions.

use std::time::Duration;

use super::args::{ConnectionArgs, GrantsCommand, OauthCommand, RegistrationArgs};
use super::output::{GrantWaitOutput, GrantsOutput, Output, RevokedGrantsOutput};
use super::{CliError, sign_in};
use crate::clients;
use crate::directus::oauth::{self, Registrations};
use crate::secret_store::SecretStore;

/// `oauth status` / `oauth enable`.
pub(super) async fn run_oauth(
    connection: &ConnectionArgs,
    command: &OauthCommand,
    store: &SecretStore,
) -> Result<Output, CliError> {
    let (enable, args) = match command {
        OauthCommand::Status(args) => (false, args),
        OauthCommand::Enable(args) => (true, args),
    };
    let needed = registrations(args)?;
    if enable && !needed.dcr && !needed.cimd {
        return Err(CliError::Usage(
            "say which clients will sign in (--for vscode,cursor,…) or which registration to allow (--dcr, --cimd)".into(),
        ));
    }
    let session = sign_in(connection, store).await?;
    let report = if enable {
        oauth::enable(&session, needed).await?
    } else {
        oauth::status(&session, needed).await?
    };
    Ok(Output::OAuth(report))
}

/// `grants list|wait|revoke`.
pub(super) async fn run_grants(
    connection: &ConnectionArgs,
    command: &GrantsCommand,
    store: &SecretStore,
) -> Result<Output, CliError> {
    let session = sign_in(connection, store).await?;
    match command {
        GrantsCommand::List => {
            let list = oauth::list_clients(&session).await?;
            Ok(Output::Grants(GrantsOutput {
                clients: list.clients,
                total_clients: list.total_clients,
                not_shown_without_grants: list.not_shown_without_grants,
                sign_in: list.sign_in,
            }))
        }
        GrantsCommand::Wait(args) => {
            let known = oauth::grant_ids(&oauth::clients_with_grants(&session).await?);
            eprintln!(
                "waiting up to {} s for an AI client to be authorized…",
                args.timeout
            );
            let found = oauth::wait_for_new_grant(
                &session,
                &known,
                Duration::from_secs(args.timeout),
                Duration::from_secs(2),
            )
            .await?;
            let Some((client, grant)) = found else {
                return Err(CliError::NotAuthorized(args.timeout));
            };
            Ok(Output::GrantWait(GrantWaitOutput { client, grant }))
        }
        GrantsCommand::Revoke(args) => {
            let clients = oauth::revoke_clients(&session, &args.client_ids).await?;
            let mut users: Vec<String> = clients
                .iter()
                .flat_map(|client| &client.grants)
                .map(|grant| {
                    grant
                        .user_email
                        .clone()
                        .unwrap_or_else(|| "(no email)".into())
                })
                .collect();
            users.sort();
            users.dedup();
            Ok(Output::RevokedGrants(RevokedGrantsOutput {
                revoked: clients.into_iter().map(|client| client.client_id).collect(),
                users,
            }))
        }
    }
}

fn registrations(args: &RegistrationArgs) -> Result<Registrations, CliError> {
    Ok(clients::registrations(
        &args.for_clients,
        args.dcr,
        args.cimd,
    )?)
}
