//! The Clients screen (and the Manage screen's connected clients): every AI client's card,
//! connecting and disconnecting, checking, copying values, opening links, a team's setup.

use std::sync::Arc;

use directus_mcp_setup::wizard::clients::{
    self as client_screen, ClientChange, ClientRequest, TeamChange,
};
use directus_mcp_setup::wizard::projects::ClientCard;
use directus_mcp_setup::wizard::{self, WizardError};
use tauri::{AppHandle, State};

use super::blocking;
use crate::programs::ShellRunner;
use crate::state::AppState;
use crate::{clipboard, links};

/// Every AI client's card: installed?, status against the chosen project, settings file,
/// and which projects it holds.
#[tauri::command]
pub(crate) async fn clients_overview(
    state: State<'_, AppState>,
) -> Result<Vec<ClientCard>, WizardError> {
    let acting = state.acting().await?;
    let store = state.secrets.clone();
    // File reads, parsing and keyring calls block: off the async workers.
    blocking(move || client_screen::overview(&acting, &store, &client_screen::environment()?)).await
}

/// What connecting a client would change (the diff), changing nothing.
#[tauri::command]
pub(crate) async fn client_preview(
    request: ClientRequest,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<ClientChange, WizardError> {
    let acting = state.acting().await?;
    let env = client_screen::environment()?;
    // A preview runs nothing; the runner is there for the shared signature.
    let runner = Arc::new(ShellRunner::new(app));
    client_screen::connect(&acting, &state.secrets, &env, &request, true, runner).await
}

/// Connects a client to this Directus; its own command, if any, runs through the shell plugin.
#[tauri::command]
pub(crate) async fn client_connect(
    request: ClientRequest,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<ClientChange, WizardError> {
    let acting = state.acting().await?;
    let env = client_screen::environment()?;
    connect_for(&acting, &env, &request, app, &state).await
}

/// Connects a client again under another project `project` for the signed-in server (a
/// rotation: projects on one URL share one token, so their entries keeping it are rewritten
/// too). Refused unless `project` is for the signed-in server.
#[tauri::command]
pub(crate) async fn client_connect_project(
    project: String,
    request: ClientRequest,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<ClientChange, WizardError> {
    let server = state.signed_in_server().await?;
    let env = client_screen::environment()?;
    let acting = {
        let env = env.clone();
        blocking(move || client_screen::Acting::shown(&env, server, Some(&project))).await?
    };
    connect_for(&acting, &env, &request, app, &state).await
}

/// Connects `request`'s client under `acting`'s project, and logs it with the project's name.
async fn connect_for(
    acting: &client_screen::Acting,
    env: &directus_mcp_setup::clients::ClientEnvironment,
    request: &ClientRequest,
    app: AppHandle,
    state: &AppState,
) -> Result<ClientChange, WizardError> {
    let runner = Arc::new(ShellRunner::new(app));
    let action = format!("connect {} ({:?})", request.client, request.auth).to_lowercase();
    let result = client_screen::connect(acting, &state.secrets, env, request, false, runner).await;
    state.logged(&action, result, |change| {
        format!("{} (project {})", change_detail(change), acting.name)
    })
}

/// Copies a value of a client's steps to the clipboard (a URL holding the token too): the
/// core reads it when the button is pressed and the app writes it from here, so a secret
/// never reaches the page.
#[tauri::command]
pub(crate) async fn client_copy_value(
    request: ClientRequest,
    label: String,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<(), WizardError> {
    let acting = state.acting().await?;
    let env = client_screen::environment()?;
    let action = format!("copy {} for {}", label.to_lowercase(), request.client);
    let result =
        match client_screen::copy_value(&acting, &state.secrets, &env, &request, &label).await {
            Ok(value) => clipboard::write_secret(&app, value)
                .await
                .map_err(|error| WizardError {
                    field: wizard::ErrorField::General,
                    message: format!("the clipboard could not be written: {error}"),
                }),
            Err(error) => Err(error),
        };
    state.logged(&action, result, |_| String::new())
}

/// Opens a client's install link or connector page: the core reads the link when the button
/// is pressed (only a link it made for this client, never one holding the token), and the
/// desktop opens it in the client's app or the browser.
#[tauri::command]
pub(crate) async fn client_open_link(
    request: ClientRequest,
    label: String,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<(), WizardError> {
    let acting = state.acting().await?;
    let env = client_screen::environment()?;
    let action = format!("open {} for {}", label.to_lowercase(), request.client);
    let result =
        match client_screen::link_to_open(&acting, &state.secrets, &env, &request, &label).await {
            Ok(url) => links::open(&app, url).await.map_err(|error| WizardError {
                field: wizard::ErrorField::General,
                message: format!(
                    "the {label} could not be opened: {error}. Is the program it is for installed here? The link is shown beside the button"
                ),
            }),
            Err(error) => Err(error),
        };
    state.logged(&action, result, |_| String::new())
}

/// Proves that a client works: its entry read back, an MCP handshake with exactly its
/// values, and the client's own check (through the shell plugin).
#[tauri::command]
pub(crate) async fn client_check(
    client: String,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<client_screen::CardCheck, WizardError> {
    let acting = state.acting().await?;
    let env = client_screen::environment()?;
    let runner = Arc::new(ShellRunner::new(app));
    client_screen::check(&acting, &state.secrets, &env, &client, runner).await
}

/// A team's setup in a project folder (every client's project file, OAuth only, nothing
/// secret), or with `undo` the folder back as it was.
#[tauri::command]
pub(crate) async fn team_setup(
    project_dir: String,
    undo: bool,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Vec<TeamChange>, WizardError> {
    let acting = state.acting().await?;
    let env = client_screen::environment()?;
    let runner = Arc::new(ShellRunner::new(app));
    let action = format!(
        "{} the team's project files in {project_dir}",
        if undo { "remove" } else { "write" }
    );
    let result =
        client_screen::team_setup(&acting, &state.secrets, &env, &project_dir, undo, runner).await;
    state.logged(&action, result, |changes| {
        let failed = changes
            .iter()
            .filter(|change| change.error.is_some())
            .count();
        format!("{} clients, {failed} failed", changes.len())
    })
}

/// Takes Directus out of a client again.
#[tauri::command]
pub(crate) async fn client_disconnect(
    request: ClientRequest,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<ClientChange, WizardError> {
    let acting = state.acting().await?;
    let action = format!("disconnect {}", request.client);
    let project = acting.name.clone();
    let result = blocking(move || {
        client_screen::disconnect(
            &acting,
            &client_screen::environment()?,
            &request,
            &ShellRunner::new(app),
        )
    })
    .await;
    state.logged(&action, result, |change| {
        format!("{} (project {project})", change_detail(change))
    })
}

/// The files a client change wrote or deleted and the commands it ran (masked), for the log.
fn change_detail(change: &ClientChange) -> String {
    let Some(applied) = &change.applied else {
        return String::new();
    };
    let mut done: Vec<String> = applied
        .files
        .iter()
        .map(|file| {
            let verb = if file.deleted { "deleted" } else { "wrote" };
            format!("{verb} {}", file.path)
        })
        .collect();
    done.extend(
        applied
            .commands
            .iter()
            .map(|command| format!("ran {command}")),
    );
    done.join("; ")
}
