//! Updates: the user's "check on start" choice, the check, and installing the update the
//! check found. Nothing leaves the computer unless the user turned the check on or clicked
//! "Check now"; nothing is installed unless they click Install. Tauri's updater plugin
//! fetches `latest.json`, and refuses an installer whose signature does not match the
//! public key built into the app (tauri.conf.json `plugins.updater.pubkey`).

use directus_mcp_setup::clients::ClientEnvironment;
use directus_mcp_setup::wizard::updates::{
    self, AvailableUpdate, UPDATE_ENDPOINT_VARIABLE, UpdatePreferences,
};
use directus_mcp_setup::wizard::{ErrorField, WizardError};
use tauri::{AppHandle, State};
use tauri_plugin_updater::UpdaterExt;

use crate::state::AppState;

/// The update the last check found, until the user installs it.
#[derive(Default)]
pub struct FoundUpdate(tokio::sync::Mutex<Option<tauri_plugin_updater::Update>>);

fn general(message: String) -> WizardError {
    WizardError {
        field: ErrorField::General,
        message,
    }
}

fn preferences_path() -> Result<std::path::PathBuf, WizardError> {
    ClientEnvironment::from_process()
        .map(|env| updates::preferences_path_in(&env))
        .map_err(|error| general(format!("The app's settings folder is unknown: {error}")))
}

/// The user's choices about updates (the check is off until they turn it on).
#[tauri::command]
pub(crate) fn update_preferences() -> Result<UpdatePreferences, WizardError> {
    Ok(updates::load_preferences(&preferences_path()?))
}

/// Turns the check on start on or off, and keeps the choice.
#[tauri::command]
pub(crate) fn update_set_check_on_start(
    enabled: bool,
    state: State<'_, AppState>,
) -> Result<UpdatePreferences, WizardError> {
    let preferences = UpdatePreferences {
        check_on_start: enabled,
    };
    let result = updates::save_preferences(&preferences_path()?, preferences)
        .map(|()| preferences)
        .map_err(|error| general(format!("The choice could not be kept: {error}")));
    state.logged("check for updates on start", result, |p| {
        if p.check_on_start { "on" } else { "off" }.to_owned()
    })
}

/// Asks for a newer version: on start (`on_start`) only when the user allowed it, otherwise
/// because they clicked "Check now". `None`: no newer version (or not allowed to ask).
#[tauri::command]
pub(crate) async fn update_check(
    on_start: bool,
    app: AppHandle,
    found: State<'_, FoundUpdate>,
    state: State<'_, AppState>,
) -> Result<Option<AvailableUpdate>, WizardError> {
    if on_start && !updates::load_preferences(&preferences_path()?).check_on_start {
        return Ok(None);
    }
    let result = check(&app).await;
    let result = state.logged("check for updates", result, |update| match update {
        Some(update) => format!("{} is available", update.version),
        None => "this is the newest version".to_owned(),
    });
    let update = result?;
    let view = update.as_ref().map(|update| AvailableUpdate {
        current_version: update.current_version.clone(),
        version: update.version.clone(),
        notes: update.body.clone(),
    });
    *found.0.lock().await = update;
    Ok(view)
}

async fn check(app: &AppHandle) -> Result<Option<tauri_plugin_updater::Update>, WizardError> {
    let mut builder = app.updater_builder();
    let variable = std::env::var(UPDATE_ENDPOINT_VARIABLE).ok();
    if let Some(endpoint) =
        updates::endpoint_override(variable.as_deref()).map_err(|e| general(e.to_string()))?
    {
        builder = builder
            .endpoints(vec![endpoint])
            .map_err(|error| general(error.to_string()))?;
    }
    let updater = builder.build().map_err(|error| match error {
        tauri_plugin_updater::Error::EmptyEndpoints => general(
            "This copy of the app was built without an update address (not a release build): download new versions from the project's releases page.".into(),
        ),
        other => general(format!("The update check could not start: {other}")),
    })?;
    updater.check().await.map_err(|error| {
        general(format!(
            "The update check failed: {error}. Nothing was changed; try again later."
        ))
    })
}

/// Downloads and installs the update the last check found; the new version on success.
/// An installer whose signature does not match the app's update key is refused, and
/// nothing is installed.
#[tauri::command]
pub(crate) async fn update_install(
    found: State<'_, FoundUpdate>,
    state: State<'_, AppState>,
) -> Result<String, WizardError> {
    let Some(update) = found.0.lock().await.take() else {
        return Err(general(
            "No update to install: click \"Check now\" first.".into(),
        ));
    };
    let version = update.version.clone();
    let result = update
        .download_and_install(|_, _| {}, || {})
        .await
        .map(|()| version.clone())
        .map_err(|error| match error {
            tauri_plugin_updater::Error::Minisign(_)
            | tauri_plugin_updater::Error::SignatureUtf8(_)
            | tauri_plugin_updater::Error::Base64(_) => general(format!(
                "Version {version} was NOT installed: its signature does not match this app's update key ({error}). Nothing was changed. Download the release from the project's page and check its SHA256SUMS."
            )),
            other => general(format!(
                "Version {version} could not be installed: {other}. Nothing was changed by the app; try again, or install the release's package by hand."
            )),
        });
    state.logged("install update", result, |version| {
        format!("installed {version}; restart the app to use it")
    })
}
