//! Start-up and the session: the Connect screen and Sign out.

use directus_mcp_setup::wizard::opened_link::OpenedLink;
use directus_mcp_setup::wizard::{self, AppStart, ConnectRequest, ConnectResult, WizardError};
use tauri::{AppHandle, State};

use crate::programs;
use crate::state::AppState;

/// Start-up facts: the local demo Directus (if any), the app's version, where its log is,
/// and the command-line tool inside the app (run once to read its version).
#[tauri::command]
pub(crate) async fn app_start(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<AppStart, WizardError> {
    let mut start = wizard::app_start(&state.log);
    start.bundled_cli = Some(programs::bundled_cli(&app).await);
    Ok(start)
}

/// The link the app was opened with, not yet shown (taking it leaves none): a Directus URL
/// to fill in on the Connect screen, or why the link was refused. Nothing else is done; the
/// activity log says which (the URL as `connect` logs it, so no `?access_token=` is kept).
#[tauri::command]
pub(crate) fn opened_link(
    links: State<'_, crate::opened_links::OpenedLinks>,
    state: State<'_, AppState>,
) -> Option<OpenedLink> {
    let link = links.take()?;
    match &link {
        OpenedLink::Connect { url } => state.log.record(
            "open a link",
            Ok(&format!(
                "filled in the Connect screen's URL: {}",
                directus_mcp_setup::directus::endpoint::url_for_log(url, true)
            )),
        ),
        OpenedLink::Refused { message } => state.log.record("open a link", Err(message)),
    }
    Some(link)
}

/// Signs in and detects the server; keeps the session for the next steps.
#[tauri::command]
pub(crate) async fn connect(
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
    let result = match wizard::clients::environment() {
        Ok(env) => wizard::connect(request, &state.secrets, &env).await,
        Err(error) => Err(error),
    };
    if result.is_err() {
        // A failed sign-in (perhaps to another server) leaves no session acting behind it.
        *state.session.lock().await = None;
        *state.email.lock().await = None;
        *state.acting.lock().await = None;
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
    *state.acting.lock().await = result.project.name.clone();
    Ok(result)
}

/// Signs out: Directus ends the session and its kept copy is forgotten.
#[tauri::command]
pub(crate) async fn sign_out(state: State<'_, AppState>) -> Result<(), WizardError> {
    let session = state.session.lock().await.take();
    let email = state.email.lock().await.take();
    *state.acting.lock().await = None;
    let Some(session) = session else {
        return Ok(());
    };
    let result = directus_mcp_setup::setup::sign_out(&session, email.as_deref(), &state.secrets)
        .await
        .map_err(WizardError::from);
    state.logged("sign out", result, |()| String::new())
}
