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

/// The handler that answers the page: every command of [`list`], and no other.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    macro_rules! handler_of {
        ($($screen:ident :: $name:ident),* $(,)?) => {
            tauri::generate_handler![$($screen::$name),*]
        };
    }
    list::app_commands!(handler_of)
}
