//! The Clients screen: every client's card, and connecting or disconnecting one — the same
//! core calls as `clients`, `connect` and `disconnect` on the command line.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ErrorField, WizardError};
use crate::clients::apply::ApplyReport;
use crate::clients::plan::PlanView;
use crate::clients::{
    self, AuthMode, ClientEnvironment, ClientError, ConnectRequest, Expected, ProgramRunner, Scope,
    StdioBridge, Target, TokenAccess,
};
use crate::directus::ServerUrl;
use crate::directus::tool_mode::ToolMode;
use crate::secret_store::{SecretKind, SecretStore};

/// What the Clients screen asks for one client.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ClientRequest {
    /// The client's id (`cursor`, `vscode`, …).
    pub client: String,
    /// OAuth or the MCP token.
    pub auth: AuthMode,
    /// User or project settings.
    pub scope: Scope,
    /// The project folder, for project scope.
    pub project_dir: Option<String>,
    /// VS Code: write the token into the file instead of asking for it.
    pub inline_token: bool,
    /// Every Directus tool, or only its registry tools (`?tool_mode=registry` in the entry's
    /// URL); the full list unless chosen.
    #[serde(default)]
    pub tool_mode: ToolMode,
}

/// What connecting or disconnecting did (or, for a preview, would do).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ClientChange {
    /// The diffs, commands and steps; secrets masked.
    pub plan: PlanView,
    /// What was done; `null` for a preview.
    pub applied: Option<ApplyReport>,
}

impl From<ClientError> for WizardError {
    fn from(error: ClientError) -> Self {
        Self {
            field: ErrorField::General,
            message: error.to_string(),
        }
    }
}

/// The project the Clients screen acts on: the signed-in server and the name its client
/// entries carry (`directus`, `directus-staging`, …). No step touches another's entry.
#[derive(Debug, Clone)]
pub struct Acting {
    /// The project's (signed-in) server.
    pub server: ServerUrl,
    /// The project's name: its entries' name in every client.
    pub name: String,
    /// The other projects' names (a file holding one of their entries gets no new backup).
    pub others: Vec<String>,
}

impl Acting {
    /// The project `projects.json` chooses now, for the signed-in `server` (what a caller
    /// without a window of its own acts on; the app keeps the project it shows: [`Self::shown`]).
    pub fn chosen(env: &ClientEnvironment, server: ServerUrl) -> Result<Self, WizardError> {
        let list = super::projects::load_in(env)?;
        let chosen = list.current().map(|project| project.name.clone());
        Self::shown(env, server, chosen.as_deref())
    }

    /// The project the window shows (`shown`, kept by the app), which must still exist and
    /// be for the signed-in `server` — whatever `projects.json` chooses now.
    pub fn shown(
        env: &ClientEnvironment,
        server: ServerUrl,
        shown: Option<&str>,
    ) -> Result<Self, WizardError> {
        let name = super::projects::acting_name(env, &server, shown)?;
        let others = super::projects::load_in(env)?
            .projects
            .into_iter()
            .map(|project| project.name)
            .filter(|other| *other != name)
            .collect();
        Ok(Self {
            server,
            name,
            others,
        })
    }

    /// The entry `request` asks for, under this project's name.
    fn target(&self, request: &ClientRequest) -> Result<Target, ClientError> {
        Ok(Target::new(
            &self.name,
            request.scope,
            request.project_dir.as_ref().map(PathBuf::from),
        )?
        .with_other_projects(self.others.iter().cloned()))
    }
}

/// This user's client environment (home and settings folders), as the app runs in it.
pub fn environment() -> Result<ClientEnvironment, WizardError> {
    Ok(ClientEnvironment::from_process()?)
}

/// Every client's card for the project `acting`, with the projects each card holds.
pub fn overview(
    acting: &Acting,
    store: &SecretStore,
    env: &ClientEnvironment,
) -> Result<Vec<super::projects::ClientCard>, WizardError> {
    let list = super::projects::load_in(env)?;
    let project = list.get(&acting.name).ok_or_else(|| WizardError {
        field: ErrorField::General,
        message: format!(
            "the project \"{}\" was removed meanwhile: choose a project in the side bar",
            acting.name
        ),
    })?;
    super::projects::cards(env, store, &list, project)
}

/// Connects a client (or, with `preview`, only plans it), the token from the OS keyring; a
/// client's own command is started by `runner`.
pub async fn connect(
    acting: &Acting,
    store: &SecretStore,
    env: &ClientEnvironment,
    request: &ClientRequest,
    preview: bool,
    runner: Arc<dyn ProgramRunner>,
) -> Result<ClientChange, WizardError> {
    let client = clients::find(&request.client)?;
    let connect_request = connect_request(acting, store, env, client, request).await?;
    let env = env.clone();
    let (name, scope, auth, tool_mode) = (
        acting.name.clone(),
        request.scope,
        request.auth,
        request.tool_mode,
    );
    // Files, parsing and a client's own command block: off the async workers.
    tokio::task::spawn_blocking(move || {
        let plan = clients::plan_connection(client, &env, &connect_request)?;
        let mut view = plan.view(false);
        let applied = if preview {
            None
        } else {
            let applied = clients::apply(&plan, runner.as_ref())?;
            // The user's own settings are the project's; a team's project files are not.
            if scope == Scope::User {
                let recorded = super::projects::record_client(
                    &env,
                    &name,
                    client.id(),
                    Some((auth, tool_mode)),
                );
                view.notes.extend(not_recorded(recorded));
            }
            Some(applied)
        };
        Ok(ClientChange {
            plan: view,
            applied,
        })
    })
    .await
    .map_err(|error| WizardError {
        field: ErrorField::General,
        message: format!("connecting could not finish: {error}"),
    })?
}

/// What `request` asks of the core: the token from the OS keyring for token mode, checked
/// against what it may do when the client would put it in a URL.
async fn connect_request(
    acting: &Acting,
    store: &SecretStore,
    env: &ClientEnvironment,
    client: &dyn clients::ClientConnector,
    request: &ClientRequest,
) -> Result<ConnectRequest, WizardError> {
    let token = match request.auth {
        AuthMode::Oauth => None,
        AuthMode::Token => {
            // The keyring may block (a prompt to unlock it): off the async workers.
            let (store, server) = (store.clone(), acting.server.clone());
            off_the_async_workers(move || {
                store
                    .load(&server, &SecretKind::McpToken)
                    .map_err(|error| WizardError {
                        field: ErrorField::General,
                        message: error.to_string(),
                    })
            })
            .await?
        }
    };
    let mut connect_request = ConnectRequest {
        target: acting.target(request)?,
        mcp_url: request.tool_mode.apply(&acting.server.mcp_endpoint()),
        auth: request.auth,
        token,
        inline_token: request.inline_token,
        token_env_var: None,
        token_access: TokenAccess::Unchecked,
        stdio_bridge: bridge_program(env),
        oauth_via_bridge: false,
    };
    crate::setup::check_token_access(&acting.server, client, &mut connect_request).await;
    Ok(connect_request)
}

/// The connect plan for `request` made now (with the token kept now), and its client: what
/// a copy or Open button reads its value from.
async fn fresh_plan(
    acting: &Acting,
    store: &SecretStore,
    env: &ClientEnvironment,
    request: &ClientRequest,
) -> Result<(&'static dyn clients::ClientConnector, clients::Plan), WizardError> {
    let client = clients::find(&request.client)?;
    let connect_request = connect_request(acting, store, env, client, request).await?;
    // Reading and parsing the settings file blocks: off the async workers.
    let env = env.clone();
    let plan = off_the_async_workers(move || {
        Ok(clients::plan_connection(client, &env, &connect_request)?)
    })
    .await?;
    Ok((client, plan))
}

/// Runs blocking `work` (the keyring, files) on the blocking pool, so a keyring prompt or a
/// large settings file never stalls the async workers.
async fn off_the_async_workers<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, WizardError> + Send + 'static,
) -> Result<T, WizardError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| WizardError {
            field: ErrorField::General,
            message: format!("this step could not finish: {error}"),
        })?
}

/// The value labelled `label` in the steps for `request` (a URL holding the token too), for
/// a copy button: read when pressed, put on the clipboard by the app, never on the page.
pub async fn copy_value(
    acting: &Acting,
    store: &SecretStore,
    env: &ClientEnvironment,
    request: &ClientRequest,
    label: &str,
) -> Result<crate::secret::SecretString, WizardError> {
    let (client, plan) = fresh_plan(acting, store, env, request).await?;
    plan.copy_value(label).ok_or_else(|| WizardError {
        field: ErrorField::General,
        message: format!("{} has no value named '{label}' to copy", client.name()),
    })
}

/// The link labelled `label` in the steps for `request` (an install link, a connector page),
/// for an Open button: the app opens only a link the core made for this client, read now,
/// and never one holding the token — opening hands the link to another program's command
/// line, where other local users' tools can read it.
pub async fn link_to_open(
    acting: &Acting,
    store: &SecretStore,
    env: &ClientEnvironment,
    request: &ClientRequest,
    label: &str,
) -> Result<String, WizardError> {
    let (client, plan) = fresh_plan(acting, store, env, request).await?;
    let name = &client.name();
    match plan.link(label) {
        Some(link) if link.secret => Err(WizardError {
            field: ErrorField::General,
            message: format!(
                "the {label} holds the token, so the app does not open it (the program it opens would get the token on its command line); follow the steps with OAuth, or enter the values shown by hand"
            ),
        }),
        Some(link) => Ok(link.value.clone()),
        None => Err(WizardError {
            field: ErrorField::General,
            message: format!("{name} has no link named '{label}' to open"),
        }),
    }
}

/// What a card's Check found: the acting project's proof (as before) and each project's
/// entry the client holds, proven the same way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CardCheck {
    /// The acting project's entry.
    #[serde(flatten)]
    pub check: clients::check::ClientCheck,
    /// Every project's entry in this client (the acting one's too), in the list's order.
    pub projects: Vec<super::projects::ProjectCheck>,
}

/// Proves that a client works: its entry read back and an MCP handshake with exactly its
/// values, plus the client's own check (started by `runner`) — as `clients --check` — and
/// then every other project's entry in that client, each with its own URL and token.
pub async fn check(
    acting: &Acting,
    store: &SecretStore,
    env: &ClientEnvironment,
    client: &str,
    runner: Arc<dyn ProgramRunner>,
) -> Result<CardCheck, WizardError> {
    let check = check_acting(acting, store, env, client, runner.clone()).await?;
    let connector = clients::find(client)?;
    let (list_env, list_store) = (env.clone(), store.clone());
    let entries = off_the_async_workers(move || {
        let list = super::projects::read_in(&list_env)?;
        Ok(super::projects::entries_to_check(
            &list_env,
            &list_store,
            &list,
            connector,
        ))
    })
    .await?;
    let projects =
        super::projects::check_entries(env, connector, &entries, &check, &acting.name, runner)
            .await;
    Ok(CardCheck { check, projects })
}

/// The acting project's proof: its entry read back, the handshake, the client's own check.
async fn check_acting(
    acting: &Acting,
    store: &SecretStore,
    env: &ClientEnvironment,
    client: &str,
    runner: Arc<dyn ProgramRunner>,
) -> Result<clients::check::ClientCheck, WizardError> {
    let connector = clients::find(client)?;
    let (kept_store, kept_server) = (store.clone(), acting.server.clone());
    let expected =
        off_the_async_workers(move || Ok(Expected::kept(&kept_server, &kept_store))).await?;
    let target = Target::new(&acting.name, Scope::User, None)?;
    let directus =
        crate::directus::DirectusClient::new(acting.server.clone()).map_err(|error| {
            WizardError {
                field: ErrorField::General,
                message: error.to_string(),
            }
        })?;
    Ok(clients::check::check(connector, env, &target, &expected, &directus, runner).await)
}

/// The command-line tool a stdio-only client (Claude Desktop) starts as its bridge: the one
/// shipped beside the app, else one on PATH. Inside an AppImage the one beside the app lives
/// in a mount that changes every start, so only one on PATH will do.
pub(crate) fn bridge_program(env: &ClientEnvironment) -> StdioBridge {
    let beside_app = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.canonicalize().ok())
        .and_then(|exe| crate::platform::bundled_cli(env.os, &exe))
        .filter(|path| path.is_file() && std::env::var_os("APPIMAGE").is_none());
    let on_path = || env.find_program(crate::platform::CLI_PROGRAM);
    match beside_app.or_else(on_path) {
        Some(path) => StdioBridge::builtin(Some(path)),
        None => StdioBridge::Missing(
            "the directus-mcp-setup command-line tool is neither beside the app nor on PATH (an AppImage cannot offer it: install the .deb or .rpm, or the CLI)".into(),
        ),
    }
}

/// Takes Directus out of a client again (the file goes back to its bytes from before).
pub fn disconnect(
    acting: &Acting,
    env: &ClientEnvironment,
    request: &ClientRequest,
    runner: &dyn ProgramRunner,
) -> Result<ClientChange, WizardError> {
    let client = clients::find(&request.client)?;
    let plan = client.plan_disconnect(env, &acting.target(request)?)?;
    let applied = clients::apply(&plan, runner)?;
    let mut view = plan.view(false);
    if request.scope == Scope::User {
        let recorded = super::projects::record_client(env, &acting.name, client.id(), None);
        view.notes.extend(not_recorded(recorded));
    }
    Ok(ClientChange {
        plan: view,
        applied: Some(applied),
    })
}

/// The note a done change gets when the project list could not record it (the change
/// itself stands: the client's file is what counts).
fn not_recorded(recorded: Result<(), WizardError>) -> Option<String> {
    recorded.err().map(|error| {
        format!(
            "Done, but the project list could not record it: {}",
            error.message
        )
    })
}

/// One client of a team setup: what was done, or why not.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TeamChange {
    /// The client's id.
    pub client: String,
    /// The client's name.
    pub name: String,
    /// What was done.
    pub change: Option<ClientChange>,
    /// Why it could not be done (the others still were).
    pub error: Option<String>,
}

/// A team's setup in the project folder `project_dir`, as `connect --all --scope project
/// --auth oauth` does it: every client's project file, OAuth only, nothing secret; with
/// `undo`, as `disconnect --all`: the folder back as it was.
pub async fn team_setup(
    acting: &Acting,
    store: &SecretStore,
    env: &ClientEnvironment,
    project_dir: &str,
    undo: bool,
    runner: Arc<dyn ProgramRunner>,
) -> Result<Vec<TeamChange>, WizardError> {
    // The folder is checked once, before anything is written.
    Target::new(
        &acting.name,
        Scope::Project,
        Some(PathBuf::from(project_dir)),
    )?;
    let mut changes = Vec::new();
    for client in clients::meant_by_all(env, Scope::Project) {
        let request = ClientRequest {
            client: client.id().to_owned(),
            auth: AuthMode::Oauth,
            scope: Scope::Project,
            project_dir: Some(project_dir.to_owned()),
            inline_token: false,
            tool_mode: ToolMode::Full,
        };
        let result = if undo {
            let (env, runner, acting) = (env.clone(), runner.clone(), acting.clone());
            tokio::task::spawn_blocking(move || {
                disconnect(&acting, &env, &request, runner.as_ref())
            })
            .await
            .map_err(|error| WizardError {
                field: ErrorField::General,
                message: format!("disconnecting could not finish: {error}"),
            })?
        } else {
            connect(acting, store, env, &request, false, runner.clone()).await
        };
        let (change, error) = match result {
            Ok(change) => (Some(change), None),
            Err(error) => (None, Some(error.message)),
        };
        changes.push(TeamChange {
            client: client.id().to_owned(),
            name: client.name().to_owned(),
            change,
            error,
        });
    }
    Ok(changes)
}

#[cfg(test)]
mod tests;
