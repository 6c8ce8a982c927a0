//! The desktop wizard: a thin layer of `#[tauri::command]`s over the core crate. No
//! business logic lives here; every command forwards to `directus_mcp_setup::wizard`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use directus_mcp_setup::clients::ClientOverview;
use directus_mcp_setup::directus::mcp_user::{McpUserSummary, TokenRequest};
use directus_mcp_setup::directus::oauth::{OAuthClient, OAuthReport};
use directus_mcp_setup::directus::{ServerUrl, Session};
use directus_mcp_setup::mcp::McpReport;
use directus_mcp_setup::secrets::SecretStore;
use directus_mcp_setup::setup::{EnableRequest, TokenOutcome};
use directus_mcp_setup::wizard::clients::{self as client_screen, ClientChange, ClientRequest};
use directus_mcp_setup::wizard::steps::{self, EnableResult};
use directus_mcp_setup::wizard::{self, AppStart, ConnectRequest, ConnectResult, WizardError};
use tauri::Manager;
use tauri::State;
use tokio::sync::Mutex;

/// What the app keeps between commands: the signed-in session (in memory only).
struct AppState {
    session: Mutex<Option<Session>>,
    secrets: SecretStore,
}

/// Start-up facts for the Connect screen (the local demo Directus, if any).
#[tauri::command]
fn app_start() -> AppStart {
    wizard::app_start()
}

/// Signs in and detects the server; keeps the session for the next steps.
#[tauri::command]
async fn connect(
    request: ConnectRequest,
    state: State<'_, AppState>,
) -> Result<ConnectResult, WizardError> {
    let (session, result) = wizard::connect(request, &state.secrets).await?;
    *state.session.lock().await = Some(session);
    Ok(result)
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
    steps::enable(session.as_ref().ok_or_else(not_signed_in)?, &request).await
}

/// Creates the MCP user with a token kept in the OS keyring (Authentication screen).
#[tauri::command]
async fn create_token(
    request: TokenRequest,
    state: State<'_, AppState>,
) -> Result<TokenOutcome, WizardError> {
    let session = state.session.lock().await;
    steps::create_token(
        session.as_ref().ok_or_else(not_signed_in)?,
        &request,
        &state.secrets,
    )
    .await
}

/// Gives the MCP user a new token.
#[tauri::command]
async fn rotate_token(state: State<'_, AppState>) -> Result<TokenOutcome, WizardError> {
    let session = state.session.lock().await;
    steps::rotate_token(session.as_ref().ok_or_else(not_signed_in)?, &state.secrets).await
}

/// Removes the MCP user's token.
#[tauri::command]
async fn revoke_token(state: State<'_, AppState>) -> Result<McpUserSummary, WizardError> {
    let session = state.session.lock().await;
    steps::revoke_token(session.as_ref().ok_or_else(not_signed_in)?, &state.secrets).await
}

/// OAuth readiness for the chosen clients; with `enable`, turns OAuth on for them.
#[tauri::command]
async fn oauth_setup(
    clients: Vec<String>,
    enable: bool,
    state: State<'_, AppState>,
) -> Result<OAuthReport, WizardError> {
    let session = state.session.lock().await;
    steps::oauth(
        session.as_ref().ok_or_else(not_signed_in)?,
        &clients,
        enable,
    )
    .await
}

/// Every registered OAuth client with its grants (Manage screen).
#[tauri::command]
async fn grants_list(state: State<'_, AppState>) -> Result<Vec<OAuthClient>, WizardError> {
    let session = state.session.lock().await;
    steps::grants(session.as_ref().ok_or_else(not_signed_in)?).await
}

/// Revokes OAuth clients (their tokens stop working), checked afterwards.
#[tauri::command]
async fn grants_revoke(
    client_ids: Vec<String>,
    state: State<'_, AppState>,
) -> Result<Vec<String>, WizardError> {
    let session = state.session.lock().await;
    steps::revoke_grants(session.as_ref().ok_or_else(not_signed_in)?, &client_ids).await
}

/// A real MCP handshake with the token kept in the OS keyring (Verify screen).
#[tauri::command]
async fn verify_mcp(state: State<'_, AppState>) -> Result<McpReport, WizardError> {
    let session = state.session.lock().await;
    steps::verify(session.as_ref().ok_or_else(not_signed_in)?, &state.secrets).await
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
    state: State<'_, AppState>,
) -> Result<ClientChange, WizardError> {
    let server = signed_in_server(&state).await?;
    let env = client_screen::environment()?;
    client_screen::connect(&server, &state.secrets, &env, &request, true).await
}

/// Connects a client to this Directus.
#[tauri::command]
async fn client_connect(
    request: ClientRequest,
    state: State<'_, AppState>,
) -> Result<ClientChange, WizardError> {
    let server = signed_in_server(&state).await?;
    let env = client_screen::environment()?;
    client_screen::connect(&server, &state.secrets, &env, &request, false).await
}

/// Takes Directus out of a client again.
#[tauri::command]
async fn client_disconnect(request: ClientRequest) -> Result<ClientChange, WizardError> {
    blocking(move || client_screen::disconnect(&client_screen::environment()?, &request)).await
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

fn main() {
    tauri::Builder::default()
        // First: a second launch hands over to the running window and exits, so two windows
        // never edit the same settings files at once.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_opener::init())
        .manage(AppState {
            session: Mutex::new(None),
            secrets: SecretStore::new(),
        })
        .invoke_handler(tauri::generate_handler![
            app_start,
            connect,
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
            grants_list,
            grants_revoke
        ])
        .run(tauri::generate_context!())
        .expect("the Directus MCP Setup window could not start");
}
