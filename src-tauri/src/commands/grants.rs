//! The Manage screen's OAuth grants: list them, wait for a new one, revoke them.

use directus_mcp_setup::directus::oauth::OAuthClient;
use directus_mcp_setup::wizard::manage;
use directus_mcp_setup::wizard::{self, WizardError};
use tauri::State;

use crate::state::{AppState, not_signed_in};

/// Every registered OAuth client with its grants (Manage screen).
#[tauri::command]
pub(crate) async fn grants_list(
    state: State<'_, AppState>,
) -> Result<Vec<OAuthClient>, WizardError> {
    let session = state.session.lock().await;
    manage::grants(session.as_ref().ok_or_else(not_signed_in)?).await
}

/// Waits up to `seconds` for a new OAuth grant (one not among `known`), as `grants wait`
/// does; cancelled by `grants_wait_cancel`. `null` when the time ran out.
#[tauri::command]
pub(crate) async fn grants_wait(
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
    let task = tokio::spawn(async move { manage::wait_for_grant(&session, known, seconds).await });
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
pub(crate) fn grants_wait_cancel(wait: u32, state: State<'_, AppState>) {
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
pub(crate) async fn grants_revoke(
    client_ids: Vec<String>,
    state: State<'_, AppState>,
) -> Result<Vec<String>, WizardError> {
    let session = state.session.lock().await;
    let result =
        manage::revoke_grants(session.as_ref().ok_or_else(not_signed_in)?, &client_ids).await;
    let action = format!("revoke OAuth clients {}", client_ids.join(", "));
    state.logged(&action, result, |revoked| {
        format!("{} revoked", revoked.len())
    })
}
