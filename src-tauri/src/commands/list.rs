//! The app's commands: the one list. Each line names a `#[tauri::command]` function as
//! `screen_module::function`; the function's name is the command's name on the page.
//!
//! Everything else is derived from this list, so a command is added (or removed) here and
//! nowhere else:
//! - the handler that answers the page (`commands::handler`, through `generate_handler!`);
//! - the command permissions and the `app-commands` permission set that the window's
//!   capability (`capabilities/main.json`) grants: `build.rs` includes this file;
//! - the page's `AppCommand` type (`ui/src/commands.ts`, checked by the test
//!   `the_page_knows_exactly_the_app_commands`), which every call in `ui/src/api.ts` takes,
//!   so a misspelt name does not compile.
//!
//! A name here without its function does not compile; a `#[tauri::command]` left out of
//! here is dead code, which the lints refuse.

/// Hands every app command, as `screen_module::function`, to the macro `$then`.
macro_rules! app_commands {
    ($then:ident) => {
        $then! {
            session::app_start,
            session::connect,
            session::sign_out,
            session::opened_link,
            projects::projects_list,
            projects::project_choose,
            projects::project_name,
            projects::project_remove,
            projects::project_export,
            projects::project_import_preview,
            projects::project_import,
            steps::enable_mcp,
            steps::create_token,
            steps::rotate_token,
            steps::revoke_token,
            steps::oauth_setup,
            steps::verify_mcp,
            steps::doctor_report,
            clients::clients_overview,
            clients::client_preview,
            clients::client_connect,
            clients::client_connect_project,
            clients::client_disconnect,
            clients::client_check,
            clients::client_copy_value,
            clients::client_open_link,
            clients::team_setup,
            grants::grants_list,
            grants::grants_wait,
            grants::grants_wait_cancel,
            grants::grants_revoke,
            updates::update_preferences,
            updates::update_set_check_on_start,
            updates::update_check,
            updates::update_install,
        }
    };
}
pub(crate) use app_commands;

/// Turns the list into the commands' names (`app_commands!(command_names)`).
macro_rules! command_names {
    ($($screen:ident :: $name:ident),* $(,)?) => {
        &[$(stringify!($name)),*]
    };
}

/// Every app command's name, in the list's order.
#[allow(
    dead_code,
    reason = "read by build.rs and the tests; the app itself uses the macro"
)]
pub const COMMANDS: &[&str] = app_commands!(command_names);
