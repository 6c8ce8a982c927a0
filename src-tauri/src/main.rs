//! The desktop wizard: a thin layer of `#[tauri::command]`s over the core crate. No
//! business logic lives here; every command forwards to `directus_mcp_setup::wizard`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use directus_mcp_setup::directus::Session;
use directus_mcp_setup::secrets::SecretStore;
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

fn main() {
    tauri::Builder::default()
        .manage(AppState {
            session: Mutex::new(None),
            secrets: SecretStore::new(),
        })
        .invoke_handler(tauri::generate_handler![app_start, connect])
        .run(tauri::generate_context!())
        .expect("the Directus MCP Setup window could not start");
}
