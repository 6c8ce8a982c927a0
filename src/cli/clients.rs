//! `connect`, `disconnect`, `clients` and `token show`: no admin sign-in, only the
//! Directus URL and, for token connections, the MCP token kept in the OS keyring.

use std::path::PathBuf;

use super::args::{
    ClientsArgs, ConnectArgs, ConnectionArgs, DisconnectArgs, ScopeArg, TargetArgs, ViaArg,
};
use super::output::{
    ClientChangeOutput, ClientChangesOutput, ClientFailure, ClientsOutput, Output,
    ProjectClientRow, ProjectClients, ProjectClientsRows, ProjectsClientsOutput, TokenShowOutput,
};
use super::project::{self, Context};
use super::{CliError, server_url};
use crate::clients::{
    self, AuthMode, ClientEnvironment, ClientError, ConnectRequest, Expected, Scope, StdioBridge,
    SystemRunner, Target, TokenAccess,
};
use crate::directus::{DirectusError, ServerUrl};
use crate::projects::EntryState;
use crate::secret::SecretString;
use crate::secret_store::{SecretKind, SecretStore};
use crate::setup::SetupError;

/// `connect <client>`: plans, then (unless `--dry-run`) carries the plan out.
pub(super) async fn connect(
    context: &Context,
    args: &ConnectArgs,
    store: &SecretStore,
) -> Result<Output, CliError> {
    let client = clients::find(args.client.as_deref().unwrap_or_default())?;
    Ok(Output::ClientChange(
        connect_one(context, args, client, store).await?,
    ))
}

/// `connect --all`: every client that has a project file (project scope, OAuth only: the
/// files are shared and hold nothing secret), or every client found here (user scope).
/// A client that fails is reported and the others are still done.
pub(super) async fn connect_all(
    context: &Context,
    args: &ConnectArgs,
    store: &SecretStore,
) -> Result<Output, CliError> {
    let scope = target(context, &args.target, CONNECTING)?.scope;
    if scope == Scope::Project && context.auth(args.auth.map(Into::into)) != AuthMode::Oauth {
        return Err(CliError::Usage(
            "`connect --all --scope project` writes the files a team commits: use --auth oauth, so each teammate signs in with their own grant and no file holds a token".into(),
        ));
    }
    let env = ClientEnvironment::from_process()?;
    let mut output = ClientChangesOutput {
        action: "connect".into(),
        changes: Vec::new(),
        failures: Vec::new(),
    };
    for client in clients::meant_by_all(&env, scope) {
        let id = client.id().to_owned();
        match connect_one(context, args, client, store).await {
            Ok(change) => output.changes.push(change),
            Err(error) => output.failures.push(ClientFailure {
                client: id,
                error: error.to_string(),
            }),
        }
    }
    Ok(Output::ClientChanges(output))
}

/// `disconnect --all`: every client `connect --all` would connect, where it has an entry.
pub(super) fn disconnect_all(context: &Context, args: &DisconnectArgs) -> Result<Output, CliError> {
    let env = ClientEnvironment::from_process()?;
    let target = target(context, &args.target, DISCONNECTING)?;
    let mut output = ClientChangesOutput {
        action: "disconnect".into(),
        changes: Vec::new(),
        failures: Vec::new(),
    };
    for client in clients::meant_by_all(&env, target.scope) {
        let id = client.id().to_owned();
        match disconnect_one(client, &env, &target, args.dry_run) {
            Ok(change) => output.changes.push(change),
            Err(error) => output.failures.push(ClientFailure {
                client: id,
                error: error.to_string(),
            }),
        }
    }
    Ok(Output::ClientChanges(output))
}

/// Plans connecting `client` as `args` say and, unless a dry run, does it.
async fn connect_one(
    context: &Context,
    args: &ConnectArgs,
    client: &'static dyn clients::ClientConnector,
    store: &SecretStore,
) -> Result<ClientChangeOutput, CliError> {
    let server = server_url(&context.connection)?;
    let env = ClientEnvironment::from_process()?;
    let target = target(context, &args.target, CONNECTING)?;
    context.check_name_is_for(&target.name, &server, CONNECTING)?;
    let auth = context.auth(args.auth.map(Into::into));
    let tool_mode = context.tool_mode(args.tool_mode.map(Into::into));
    let token = match auth {
        AuthMode::Oauth => None,
        AuthMode::Token => given_or_kept_token(args.token.as_ref(), &server, store)?,
    };
    let mut request = ConnectRequest {
        target,
        mcp_url: tool_mode.apply(&server.mcp_endpoint()),
        auth,
        token,
        inline_token: args.inline_token,
        token_env_var: args.token_env_var.clone(),
        token_access: TokenAccess::Unchecked,
        stdio_bridge: match args.via {
            Some(ViaArg::McpRemote) => StdioBridge::McpRemote,
            Some(ViaArg::Bridge) | None => StdioBridge::builtin(
                std::env::current_exe()
                    .ok()
                    .and_then(|path| path.canonicalize().ok()),
            ),
        },
        oauth_via_bridge: args.via == Some(ViaArg::Bridge),
    };
    crate::setup::check_token_access(&server, client, &mut request).await;
    let (plan, applied) = plan_and_apply(args.dry_run, || {
        clients::plan_connection(client, &env, &request)
    })?;
    // A team's project-scope files are not this user's projects.
    if applied.is_some() && request.target.scope == Scope::User {
        project::record_connected(
            &request.target.name,
            &server,
            auth,
            tool_mode,
            context.connection.email.as_deref(),
            client.id(),
        );
    }
    Ok(ClientChangeOutput {
        action: "connect".into(),
        dry_run: args.dry_run,
        plan: plan.view(args.reveal),
        applied,
    })
}

/// `disconnect <client>`.
pub(super) fn disconnect(context: &Context, args: &DisconnectArgs) -> Result<Output, CliError> {
    let client = clients::find(args.client.as_deref().unwrap_or_default())?;
    let env = ClientEnvironment::from_process()?;
    let target = target(context, &args.target, DISCONNECTING)?;
    Ok(Output::ClientChange(disconnect_one(
        client,
        &env,
        &target,
        args.dry_run,
    )?))
}

/// Plans taking `client`'s entry for `target` out and, unless a dry run, does it.
pub(super) fn disconnect_one(
    client: &dyn clients::ClientConnector,
    env: &ClientEnvironment,
    target: &Target,
    dry_run: bool,
) -> Result<ClientChangeOutput, CliError> {
    let (plan, applied) = plan_and_apply(dry_run, || client.plan_disconnect(env, target))?;
    if applied.is_some() && target.scope == Scope::User {
        project::record_disconnected(&target.name, client.id());
    }
    Ok(ClientChangeOutput {
        action: "disconnect".into(),
        dry_run,
        plan: plan.view(false),
        applied,
    })
}

/// Plans, and unless `dry_run` carries the plan out. When another program changed the file
/// between plan and apply (Claude Code rewrites its file often), the plan is made again from
/// the new file, a few times, so nothing the other program wrote is lost or refused for long.
fn plan_and_apply(
    dry_run: bool,
    plan: impl Fn() -> Result<clients::Plan, ClientError>,
) -> Result<(clients::Plan, Option<clients::ApplyReport>), CliError> {
    const ATTEMPTS: usize = 5;
    for attempt in 1.. {
        let current = plan()?;
        if dry_run {
            return Ok((current, None));
        }
        match clients::apply(&current, &SystemRunner) {
            Ok(report) => return Ok((current, Some(report))),
            Err(ClientError::ChangedMeanwhile(_)) if attempt < ATTEMPTS => continue,
            Err(error) => return Err(error.into()),
        }
    }
    unreachable!("the loop returns")
}

/// `clients`: every client, detected or not, and its status against this Directus; with
/// neither --url nor --project (nor --name) and projects set up, every project's entries.
pub(super) async fn list(
    context: &Context,
    args: &ClientsArgs,
    store: &SecretStore,
) -> Result<Output, CliError> {
    if context.nothing_named && args.target.name.is_none() && !context.list.projects.is_empty() {
        return list_every_project(context, args, store).await;
    }
    let server = server_url(&context.connection)?;
    let others = context.list.projects.iter().map(|p| p.name.clone());
    let name = context.entry_name_to_read(args.target.name.as_deref())?;
    let target = target_named(&name, &args.target)?.with_other_projects(others);
    let (mcp_url, clients, checks) = entries_of(&server, &target, args.check, store).await?;
    Ok(Output::Clients(ClientsOutput {
        mcp_url,
        clients,
        checks,
    }))
}

/// Each project's entries in every client (and with --check, the proof of each).
async fn list_every_project(
    context: &Context,
    args: &ClientsArgs,
    store: &SecretStore,
) -> Result<Output, CliError> {
    let chosen = context.list.current().map(|project| project.name.clone());
    let mut projects = Vec::new();
    for project in &context.list.projects {
        // A project's own URL: http:// to another host was allowed when it was set up.
        let server = ServerUrl::parse(&project.url, true).map_err(DirectusError::from)?;
        let target = target_named(&project.name, &args.target)?;
        let (mcp_url, rows, checks) = entries_of(&server, &target, args.check, store).await?;
        let clients = rows
            .into_iter()
            .map(|overview| {
                let recorded =
                    target.scope == Scope::User && project.clients.contains(&overview.info.id);
                let entry = EntryState::of(overview.status.as_ref(), recorded).as_str();
                ProjectClientRow {
                    overview,
                    recorded,
                    entry,
                }
            })
            .collect();
        projects.push(ProjectClients {
            project: project.name.clone(),
            url: project.url.clone(),
            chosen: chosen.as_deref() == Some(project.name.as_str()),
            clients: ProjectClientsRows {
                mcp_url,
                clients,
                checks,
            },
        });
    }
    Ok(Output::ProjectsClients(ProjectsClientsOutput { projects }))
}

/// Every client's status for the entries of `target` against `server` and, when `check`,
/// the proof of each entry found.
async fn entries_of(
    server: &ServerUrl,
    target: &Target,
    check: bool,
    store: &SecretStore,
) -> Result<
    (
        String,
        Vec<clients::ClientOverview>,
        Option<Vec<clients::check::ClientCheck>>,
    ),
    CliError,
> {
    let env = ClientEnvironment::from_process()?;
    let expected = Expected::kept(server, store);
    let overview = clients::overview(&env, target, &expected);
    let checks = if check {
        let directus = crate::directus::DirectusClient::new(server.clone())?;
        let mut checks = Vec::new();
        for row in &overview {
            // Only entries can be proven; the rest are in the list above.
            let has_entry = matches!(
                row.status,
                Some(clients::ClientStatus::Connected { .. } | clients::ClientStatus::Stale { .. })
            );
            if has_entry {
                let client = clients::find(&row.info.id)?;
                checks.push(
                    clients::check::check(
                        client,
                        &env,
                        target,
                        &expected,
                        &directus,
                        std::sync::Arc::new(SystemRunner),
                    )
                    .await,
                );
            }
        }
        Some(checks)
    } else {
        None
    };
    Ok((expected.mcp_url.to_string(), overview, checks))
}

/// `token show`: the token kept in the OS keyring for this Directus.
pub(super) fn token_show(
    connection: &ConnectionArgs,
    store: &SecretStore,
) -> Result<Output, CliError> {
    let server = server_url(connection)?;
    let token = store
        .load(&server, &SecretKind::McpToken)
        .map_err(SetupError::from)?
        .ok_or_else(|| ClientError::TokenRequired {
            client: "This command".into(),
        })?;
    Ok(Output::TokenShow(TokenShowOutput {
        token: crate::secret::ShownSecret(token),
    }))
}

/// The token given on the command line (or DIRECTUS_MCP_TOKEN), else the one kept.
fn given_or_kept_token(
    given: Option<&SecretString>,
    server: &ServerUrl,
    store: &SecretStore,
) -> Result<Option<SecretString>, CliError> {
    if let Some(token) = given.filter(|token| !token.expose().is_empty()) {
        return Ok(Some(token.clone()));
    }
    Ok(store
        .load(server, &SecretKind::McpToken)
        .map_err(SetupError::from)?)
}

/// What `connect` would do to another project's entries.
const CONNECTING: &str = "connecting would replace them";
/// What `disconnect` would do to another project's entries.
const DISCONNECTING: &str = "disconnecting would take them out";

/// The entry `args` mean: named `--name`, else after the command's project; refused when
/// that name is another URL's project's (`doing` says what would happen to its entries).
fn target(context: &Context, args: &TargetArgs, doing: &str) -> Result<Target, CliError> {
    let others = context
        .list
        .projects
        .iter()
        .map(|project| project.name.clone());
    let name = context.entry_name_checked(args.name.as_deref(), doing)?;
    Ok(target_named(&name, args)?.with_other_projects(others))
}

/// The entry named `name`, in the scope `args` say.
pub(super) fn target_named(name: &str, args: &TargetArgs) -> Result<Target, CliError> {
    let scope = match args.scope {
        ScopeArg::User => Scope::User,
        ScopeArg::Project => Scope::Project,
    };
    let project_dir = match (scope, &args.project_dir) {
        (_, Some(dir)) => Some(absolute(dir)),
        (Scope::Project, None) => std::env::current_dir().ok(),
        (Scope::User, None) => None,
    };
    Ok(Target::new(name, scope, project_dir)?)
}

fn absolute(dir: &std::path::Path) -> PathBuf {
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
}
