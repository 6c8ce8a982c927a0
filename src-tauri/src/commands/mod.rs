//! The app's `#[tauri::command]`s, one file per screen: a thin layer over the core crate.
//! No business logic lives here; every command forwards to `directus_mcp_setup`. The one
//! list of them is [`list`].

mod clients;
mod grants;
pub mod list;
#[cfg(test)]
mod list_tests;
mod projects;
mod session;
mod steps;
pub mod updates;

use directus_mcp_setup::wizard::{self, WizardError};

/// Runs blocking work (files, keyring, a client's command) on the blocking pool, so a slow
/// keyring prompt or a large settings file never stalls the other commands.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, WizardError> + Send + 'static,
) -> Result<T, WizardError> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|error| WizardError {
            field: wizard::ErrorField::General,
            message: format!("the app could not finish this step: {error}"),
        })?
}

/// The handler that answers the page: every command of [`list`], and no other.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    macro_rules! handler_of {
        ($($screen:ident :: $name:ident),* $(,)?) => {
            tauri::generate_handler![$($screen::$name),*]
        };
    }
    list::app_commands!(handler_of)
}
