//! The side bar's project switcher: the projects set up here, choosing one, naming a new
//! one after sign-in, removing one (`projects.json`, shared with the command line).

use directus_mcp_setup::projects::share::ImportPreview;
use directus_mcp_setup::projects::{Project, ProjectList};
use directus_mcp_setup::wizard::WizardError;
use directus_mcp_setup::wizard::clients::environment;
use directus_mcp_setup::wizard::{projects, sharing};
use tauri::{AppHandle, State};

use super::blocking;
use crate::programs::ShellRunner;
use crate::state::AppState;

/// Every project set up on this computer, and the chosen one.
#[tauri::command]
pub(crate) async fn projects_list() -> Result<ProjectList, WizardError> {
    blocking(|| projects::load_in(&environment()?)).await
}

/// Chooses the project `name`. A session for another server is let go (in this window
/// only: a session kept with "Remember me" stays in the keyring for switching back); the
/// page then signs in to the project, or asks to.
#[tauri::command]
pub(crate) async fn project_choose(
    name: String,
    state: State<'_, AppState>,
) -> Result<Project, WizardError> {
    let action = format!("switch to the project {name}");
    let result = blocking(move || projects::choose(&environment()?, &name)).await;
    let project = state.logged(&action, result, |project| project.url.clone())?;
    let mut session = state.session.lock().await;
    let same_server = session
        .as_ref()
        .is_some_and(|session| session.client().server().to_string() == project.url);
    if !same_server {
        *session = None;
        *state.email.lock().await = None;
    }
    *state.acting.lock().await = Some(project.name.clone());
    Ok(project)
}

/// Names the signed-in server as the new project `name` (offered after sign-in, edited or
/// confirmed by the user) and chooses it.
#[tauri::command]
pub(crate) async fn project_name(
    name: String,
    state: State<'_, AppState>,
) -> Result<ProjectList, WizardError> {
    let server = state.signed_in_server().await?;
    let email = state.email.lock().await.clone();
    let action = format!("name the project for {server}");
    let result =
        blocking(move || projects::confirm_name(&environment()?, &server, &name, email)).await;
    let list = state.logged(&action, result, |list| {
        list.chosen.clone().unwrap_or_default()
    })?;
    *state.acting.lock().await = list.chosen.clone();
    Ok(list)
}

/// Removes the project `name` from the list (refused while it has clients connected).
#[tauri::command]
pub(crate) async fn project_remove(
    name: String,
    state: State<'_, AppState>,
) -> Result<ProjectList, WizardError> {
    let action = format!("remove the project {name}");
    let result = blocking(move || projects::remove(&environment()?, &name)).await;
    state.logged(&action, result, |_| String::new())
}

/// Writes the project `name`'s setup file (nothing secret) into `folder`, or the
/// Downloads folder; returns the file's path. A file already there is left as it is.
#[tauri::command]
pub(crate) async fn project_export(
    name: String,
    folder: Option<String>,
    state: State<'_, AppState>,
) -> Result<String, WizardError> {
    let action = format!("export the project {name}");
    let result = blocking(move || {
        sharing::export(&environment()?, &name, folder.as_deref())
            .map(|path| path.display().to_string())
    })
    .await;
    state.logged(&action, result, Clone::clone)
}

/// What importing the setup file at `path` (under `name`, when given) would change on this
/// computer: the project record and each client's diff. Nothing is written.
#[tauri::command]
pub(crate) async fn project_import_preview(
    path: String,
    name: Option<String>,
    state: State<'_, AppState>,
) -> Result<ImportPreview, WizardError> {
    let store = state.secrets.clone();
    blocking(move || sharing::preview(&environment()?, &store, &path, name.as_deref())).await
}

/// Imports the setup file at `path` (under `name`, when given), as its preview showed.
#[tauri::command]
pub(crate) async fn project_import(
    path: String,
    name: Option<String>,
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<ImportPreview, WizardError> {
    let store = state.secrets.clone();
    let action = format!("import the setup file {path}");
    let result = blocking(move || {
        sharing::import(
            &environment()?,
            &store,
            &path,
            name.as_deref(),
            &ShellRunner::new(app),
        )
    })
    .await;
    state.logged(&action, result, |preview| {
        format!(
            "project {}, {} client(s)",
            preview.file.name,
            preview.clients.len()
        )
    })
}
