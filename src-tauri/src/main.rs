//! The desktop wizard: a thin layer of `#[tauri::command]`s over the core crate. No
//! business logic lives here; every command forwards to `directus_mcp_setup::wizard`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use directus_mcp_setup::clients::ClientOverview;
use directus_mcp_setup::directus::{ServerUrl, Session};
use directus_mcp_setup::secrets::SecretStore;
use directus_mcp_setup::wizard::clients::{self as client_screen, ClientChange, ClientRequest};
use directus_mcp_setup::wizard::{self, AppStart, ConnectRequest, ConnectResult, WizardError};
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
        .ok_or_else(|| WizardError {
            field: wizard::ErrorField::General,
            message: "Connect to Directus first (step 1).".into(),
        })
}

/// Every AI client's card: installed?, status against this Directus, settings file.
#[tauri::command]
async fn clients_overview(state: State<'_, AppState>) -> Result<Vec<ClientOverview>, WizardError> {
    let server = signed_in_server(&state).await?;
    client_screen::overview(&server, &state.secrets)
}

/// What connecting a client would change (the diff), changing nothing.
#[tauri::command]
async fn client_preview(
    request: ClientRequest,
    state: State<'_, AppState>,
) -> Result<ClientChange, WizardError> {
    let server = signed_in_server(&state).await?;
    client_screen::connect(&server, &state.secrets, &request, true)
}

/// Connects a client to this Directus.
#[tauri::command]
async fn client_connect(
    request: ClientRequest,
    state: State<'_, AppState>,
) -> Result<ClientChange, WizardError> {
    let server = signed_in_server(&state).await?;
    client_screen::connect(&server, &state.secrets, &request, false)
}

/// Takes Directus out of a client again.
#[tauri::command]
async fn client_disconnect(request: ClientRequest) -> Result<ClientChange, WizardError> {
    client_screen::disconnect(&request)
}

fn main() {
    tauri::Builder::default()
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
            client_disconnect
        ])
        .run(tauri::generate_context!())
        .expect("the Directus MCP Setup window could not start");
}
