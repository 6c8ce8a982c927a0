//! The desktop wizard: a thin layer of `#[tauri::command]`s over the core crate. No
//! business logic lives here; every command forwards to `directus_mcp_setup::wizard`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod clipboard;
mod links;
#[cfg(target_os = "linux")]
mod main_thread;
mod programs;

use std::sync::Arc;

use directus_mcp_setup::clients::ClientOverview;
use directus_mcp_setup::clients::check::ClientCheck;
use directus_mcp_setup::directus::mcp_user::{McpUserSummary, TokenRequest};
use directus_mcp_setup::directus::oauth::{OAuthClient, OAuthReport};
use directus_mcp_setup::directus::{ServerUrl, Session};
use directus_mcp_setup::mcp::McpReport;
use directus_mcp_setup::secrets::SecretStore;
use directus_mcp_setup::setup::{EnableRequest, TokenOutcome};
use directus_mcp_setup::wizard::activity_log::ActivityLog;
use directus_mcp_setup::wizard::clients::{
    self as client_screen, ClientChange, ClientRequest, TeamChange,
};
use directus_mcp_setup::wizard::steps::{self, EnableResult};
use directus_mcp_setup::wizard::{self, AppStart, ConnectRequest, ConnectResult, WizardError};
use programs::ShellRunner;
use tauri::{AppHandle, Manager, State};
use tokio::sync::Mutex;

/// What the app keeps between commands: the signed-in session (in memory only).
/// The page names each wait, so a Cancel that arrives before its wait started still stops it.
#[derive(Default)]
struct GrantWaits {
    running: Option<(u32, tokio::task::AbortHandle)>,
    cancelled: std::collections::BTreeSet<u32>,
}

struct AppState {
    /// Held across a command's requests on purpose: it serialises session renewals.
    /// Directus rotates the refresh token on every renewal and revokes the whole grant when
    /// an old one is replayed, so two commands renewing at once would sign the admin out.
    /// (Keyring calls inside run on tokio's blocking pool, not under an async worker.)
    session: Mutex<Option<Session>>,
    /// The waits for a new OAuth grant: the one in progress (to cancel it) and the waits
    /// cancelled before they started.
    grant_wait: std::sync::Mutex<GrantWaits>,
    /// The email the session signed in with (to forget its kept copy on sign-out).
    email: Mutex<Option<String>>,
    secrets: SecretStore,
    log: ActivityLog,
}

impl AppState {
    /// Writes `action` and how it ended to the app's log (names, counts and messages only;
    /// no payload holds a secret) and hands the result on.
    fn logged<T>(
        &self,
        action: &str,
        result: Result<T, WizardError>,
        detail: impl FnOnce(&T) -> String,
    ) -> Result<T, WizardError> {
        match &result {
            Ok(value) => self.log.record(action, Ok(&detail(value))),
            Err(error) => self.log.record(action, Err(&error.message)),
        }
        result
    }
}

/// Start-up facts: the local demo Directus (if any), the app's version, where its log is,
/// and the command-line tool inside the app (run once to read its version).
#[tauri::command]
async fn app_start(app: AppHandle, state: State<'_, AppState>) -> Result<AppStart, WizardError> {
    let mut start = wizard::app_start(&state.log);
    start.bundled_cli = Some(programs::bundled_cli(&app).await);
    Ok(start)
}

/// Signs in and detects the server; keeps the session for the next steps.
#[tauri::command]
async fn connect(
    request: ConnectRequest,
    state: State<'_, AppState>,
) -> Result<ConnectResult, WizardError> {
    // The URL as it will be used, or masked: a password or `?access_token=` typed into the
    // field never reaches the log.
    let action = format!(
        "sign in to {}",
        directus_mcp_setup::directus::endpoint::url_for_log(
            &request.url,
            request.allow_insecure_http
        )
    );
    let email = request.login.email();
    let result = wizard::connect(request, &state.secrets).await;
    if result.is_err() {
        // A failed sign-in (perhaps to another server) leaves no session acting behind it.
        *state.session.lock().await = None;
        *state.email.lock().await = None;
    }
    let result = state.logged(&action, result, |(_, result)| {
        format!(
            "Directus {} as {}",
            result.report.version, result.report.signed_in_as
        )
    })?;
    let (session, result) = result;
    *state.session.lock().await = Some(session);
    *state.email.lock().await = email;
    Ok(result)
}

/// Signs out: Directus ends the session and its kept copy is forgotten.
#[tauri::command]
async fn sign_out(state: State<'_, AppState>) -> Result<(), WizardError> {
    let session = state.session.lock().await.take();
    let email = state.email.lock().await.take();
    let Some(session) = session else {
        return Ok(());
    };
    let result = directus_mcp_setup::setup::sign_out(&session, email.as_deref(), &state.secrets)
        .await
        .map_err(WizardError::from);
    state.logged("sign out", result, |()| String::new())
}

/// The server of the signed-in session.
async fn signed_in_server(state: &AppState) -> Result<ServerUrl, WizardError> {
    state
        .session
        .lock()
        .await
        .as_ref()
        .map(|session| session.client().server().clone())
        .ok_or_else(not_signed_in)
}

/// "Connect to Directus first", for commands that need the session.
fn not_signed_in() -> WizardError {
    WizardError {
        field: wizard::ErrorField::General,
        message: "Connect to Directus first (step 1).".into(),
    }
}

/// Saves the MCP settings (Enable screen).
#[tauri::command]
async fn enable_mcp(
    request: EnableRequest,
    state: State<'_, AppState>,
) -> Result<EnableResult, WizardError> {
    let session = state.session.lock().await;
    let result = steps::enable(session.as_ref().ok_or_else(not_signed_in)?, &request).await;
    state.logged("turn on MCP", result, |result| {
        format!(
            "allow deletes: {}",
            result.outcome.settings.mcp_allow_deletes
        )
    })
}

/// Creates the MCP user with a token kept in the OS keyring (Authentication screen).
#[tauri::command]
async fn create_token(
    request: TokenRequest,
    state: State<'_, AppState>,
) -> Result<TokenOutcome, WizardError> {
    let session = state.session.lock().await;
    let result = steps::create_token(
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
async fn rotate_token(state: State<'_, AppState>) -> Result<TokenOutcome, WizardError> {
    let session = state.session.lock().await;
    let result =
        steps::rotate_token(session.as_ref().ok_or_else(not_signed_in)?, &state.secrets).await;
    state.logged("rotate the MCP token", result, token_detail)
}

/// Removes the MCP user's token.
#[tauri::command]
async fn revoke_token(state: State<'_, AppState>) -> Result<McpUserSummary, WizardError> {
    let session = state.session.lock().await;
    let result =
        steps::revoke_token(session.as_ref().ok_or_else(not_signed_in)?, &state.secrets).await;
    state.logged("revoke the MCP token", result, |user| {
        format!("user {}", user.id)
    })
}

/// OAuth readiness for the chosen clients; with `enable`, turns OAuth on for them.
#[tauri::command]
async fn oauth_setup(
    clients: Vec<String>,
    enable: bool,
    state: State<'_, AppState>,
) -> Result<OAuthReport, WizardError> {
    let session = state.session.lock().await;
    let result = steps::oauth(
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

/// Every registered OAuth client with its grants (Manage screen).
#[tauri::command]
async fn grants_list(state: State<'_, AppState>) -> Result<Vec<OAuthClient>, WizardError> {
    let session = state.session.lock().await;
    steps::grants(session.as_ref().ok_or_else(not_signed_in)?).await
}

/// Waits up to `seconds` for a new OAuth grant (one not among `known`), as `grants wait`
/// does; cancelled by `grants_wait_cancel`. `null` when the time ran out.
#[tauri::command]
async fn grants_wait(
    wait: u32,
    known: Vec<String>,
    seconds: u64,
    state: State<'_, AppState>,
) -> Result<Option<OAuthClient>, WizardError> {
    let stopped = || WizardError {
        field: wizard::ErrorField::General,
        message: "Stopped waiting for a sign-in.".into(),
    };
    // The session is copied: other commands (and cancelling) must not wait for this one.
    let session = state
        .session
        .lock()
        .await
        .clone()
        .ok_or_else(not_signed_in)?;
    let task = tokio::spawn(async move { steps::wait_for_grant(&session, known, seconds).await });
    {
        let mut waits = state
            .grant_wait
            .lock()
            .expect("the wait handles are never poisoned");
        if waits.cancelled.remove(&wait) {
            task.abort();
            return Err(stopped());
        }
        if let Some((_, previous)) = waits.running.replace((wait, task.abort_handle())) {
            previous.abort();
        }
    }
    match task.await {
        Ok(result) => result,
        Err(error) if error.is_cancelled() => Err(stopped()),
        Err(error) => Err(WizardError {
            field: wizard::ErrorField::General,
            message: format!("waiting for a sign-in failed: {error}"),
        }),
    }
}

/// Stops the wait `wait` for a new OAuth grant, now or, if it has not started yet, as it
/// starts.
#[tauri::command]
fn grants_wait_cancel(wait: u32, state: State<'_, AppState>) {
    let mut waits = state
        .grant_wait
        .lock()
        .expect("the wait handles are never poisoned");
    match waits.running.take() {
        Some((running, handle)) if running == wait => handle.abort(),
        other => {
            waits.running = other;
            waits.cancelled.insert(wait);
        }
    }
}

/// Revokes OAuth clients (their tokens stop working), checked afterwards.
#[tauri::command]
async fn grants_revoke(
    client_ids: Vec<String>,
    state: State<'_, AppState>,
) -> Result<Vec<String>, WizardError> {
    let session = state.session.lock().await;
    let result =
        steps::revoke_grants(session.as_ref().ok_or_else(not_signed_in)?, &client_ids).await;
    let action = format!("revoke OAuth clients {}", client_ids.join(", "));
    state.logged(&action, result, |revoked| {
        format!("{} revoked", revoked.len())
    })
}

/// A real MCP handshake with the token kept in the OS keyring (Verify screen).
#[tauri::command]
async fn verify_mcp(state: State<'_, AppState>) -> Result<McpReport, WizardError> {
    let session = state.session.lock().await;
    let result = steps::verify(session.as_ref().ok_or_else(not_signed_in)?, &state.secrets).await;
    state.logged("verify MCP", result, |report| {
        format!("{} tools from {}", report.tools.len(), report.mcp_url)
    })
}

/// The connection doctor for `clients`, or those found or connected on this computer (the
/// Verify screen; one client on its card on the Clients screen).
#[tauri::command]
async fn doctor_report(
    clients: Option<Vec<String>>,
    state: State<'_, AppState>,
) -> Result<directus_mcp_setup::doctor::DoctorReport, WizardError> {
    let session = state.session.lock().await;
    steps::doctor(
        session.as_ref().ok_or_else(not_signed_in)?,
        &state.secrets,
        clients,
    )
    .await
}

/// Every AI client's card: installed?, status against this Directus, settings file.
#[tauri::command]
async fn clients_overview(state: State<'_, AppState>) -> Result<Vec<ClientOverview>, WizardError> {
    let server = signed_in_server(&state).await?;
    let store = state.secrets.clone();
    // File reads, parsing and keyring calls block: off the async workers.
    blocking(move || client_screen::overview(&server, &store, &client_screen::environment()?)).await
}

/// What connecting a client would change (the diff), changing nothing.
#[tauri::command]
async fn client_preview(
    request: ClientRequest,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<ClientChange, WizardError> {
    let server = signed_in_server(&state).await?;
    let env = client_screen::environment()?;
    // A preview runs nothing; the runner is there for the shared signature.
    let runner = Arc::new(ShellRunner::new(app));
    client_screen::connect(&server, &state.secrets, &env, &request, true, runner).await
}

/// Connects a client to this Directus; its own command, if any, runs through the shell plugin.
#[tauri::command]
async fn client_connect(
    request: ClientRequest,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<ClientChange, WizardError> {
    let server = signed_in_server(&state).await?;
    let env = client_screen::environment()?;
    let runner = Arc::new(ShellRunner::new(app));
    let action = format!("connect {} ({:?})", request.client, request.auth).to_lowercase();
    let result =
        client_screen::connect(&server, &state.secrets, &env, &request, false, runner).await;
    state.logged(&action, result, change_detail)
}

/// Copies a value of a client's steps to the clipboard (a URL holding the token too): the
/// core reads it when the button is pressed and the app writes it from here, so a secret
/// never reaches the page.
#[tauri::command]
async fn client_copy_value(
    request: ClientRequest,
    label: String,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<(), WizardError> {
    let server = signed_in_server(&state).await?;
    let env = client_screen::environment()?;
    let action = format!("copy {} for {}", label.to_lowercase(), request.client);
    let result =
        match client_screen::copy_value(&server, &state.secrets, &env, &request, &label).await {
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
async fn client_open_link(
    request: ClientRequest,
    label: String,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<(), WizardError> {
    let server = signed_in_server(&state).await?;
    let env = client_screen::environment()?;
    let action = format!("open {} for {}", label.to_lowercase(), request.client);
    let result =
        match client_screen::link_to_open(&server, &state.secrets, &env, &request, &label).await {
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
async fn client_check(
    client: String,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<ClientCheck, WizardError> {
    let server = signed_in_server(&state).await?;
    let env = client_screen::environment()?;
    let runner = Arc::new(ShellRunner::new(app));
    client_screen::check(&server, &state.secrets, &env, &client, runner).await
}

/// A team's setup in a project folder (every client's project file, OAuth only, nothing
/// secret), or with `undo` the folder back as it was.
#[tauri::command]
async fn team_setup(
    project_dir: String,
    undo: bool,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Vec<TeamChange>, WizardError> {
    let server = signed_in_server(&state).await?;
    let env = client_screen::environment()?;
    let runner = Arc::new(ShellRunner::new(app));
    let action = format!(
        "{} the team's project files in {project_dir}",
        if undo { "remove" } else { "write" }
    );
    let result =
        client_screen::team_setup(&server, &state.secrets, &env, &project_dir, undo, runner).await;
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
async fn client_disconnect(
    request: ClientRequest,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<ClientChange, WizardError> {
    let action = format!("disconnect {}", request.client);
    let result = blocking(move || {
        client_screen::disconnect(
            &client_screen::environment()?,
            &request,
            &ShellRunner::new(app),
        )
    })
    .await;
    state.logged(&action, result, change_detail)
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

/// Runs blocking work (files, keyring, a client's command) on the blocking pool, so a slow
/// keyring prompt or a large settings file never stalls the other commands.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, WizardError> + Send + 'static,
) -> Result<T, WizardError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|error| WizardError {
            field: directus_mcp_setup::wizard::ErrorField::General,
            message: format!("the app could not finish this step: {error}"),
        })?
}

/// Brings the wizard's window to the front (a second launch handed over to this one).
fn present_window<R: tauri::Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

fn main() {
    let builder = tauri::Builder::default();
    // One instance, so two windows never edit the same settings files at once: a second
    // launch hands over to the running window and exits. On Linux GTK does it (the app's
    // identifier is its GTK application id, tauri.conf.json `enableGTKAppId`): the second
    // process finds the first on the session bus, activates it and exits, and the first
    // hears it as a second `Ready` (see `run` below). Elsewhere, Tauri's plugin does it, and
    // the copy buttons' clipboard and the Open buttons use Tauri's plugins (clipboard.rs,
    // links.rs); the page gets no permission of theirs.
    #[cfg(not(target_os = "linux"))]
    let builder = builder
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            present_window(app)
        }))
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_opener::init());
    builder
        // Programs are started from Rust only (programs.rs); the webview has no shell
        // permission.
        .plugin(tauri_plugin_shell::init())
        // The window is made here rather than from tauri.conf.json (`create: false`), once:
        // a second `Ready` must not make it again.
        .setup(|app| {
            let config = app
                .config()
                .app
                .windows
                .iter()
                .find(|window| window.label == "main")
                .ok_or("tauri.conf.json has no main window")?;
            tauri::WebviewWindowBuilder::from_config(app.handle(), config)?.build()?;
            Ok(())
        })
        .manage(AppState {
            session: Mutex::new(None),
            grant_wait: std::sync::Mutex::new(GrantWaits::default()),
            email: Mutex::new(None),
            secrets: SecretStore::new(),
            log: ActivityLog::for_this_user(),
        })
        .invoke_handler(tauri::generate_handler![
            app_start,
            connect,
            sign_out,
            clients_overview,
            client_preview,
            client_connect,
            client_disconnect,
            enable_mcp,
            create_token,
            rotate_token,
            revoke_token,
            oauth_setup,
            verify_mcp,
            doctor_report,
            client_check,
            client_copy_value,
            client_open_link,
            team_setup,
            grants_list,
            grants_wait,
            grants_wait_cancel,
            grants_revoke
        ])
        .build(tauri::generate_context!())
        .expect("the Directus MCP Setup window could not start")
        .run(|app, event| {
            // The first `Ready` follows the window's creation; any later one is a second
            // launch that handed over (Linux).
            if let tauri::RunEvent::Ready = event {
                present_window(app);
            }
        });
}
