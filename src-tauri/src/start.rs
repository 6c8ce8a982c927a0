//! Start-up: the plugins, the one window, the state and the command handler, and bringing
//! the window to the front when the app is launched a second time.

use tauri::{AppHandle, Manager};

use crate::commands;
use crate::state::AppState;

/// Brings the wizard's window to the front (a second launch handed over to this one).
fn present_window<R: tauri::Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Builds the app and runs it until its window closes.
pub fn run() {
    let context = tauri::generate_context!();
    // A second launch with a link gives it to the running app first (GTK then hands this
    // launch over and it exits; opened_links.rs).
    #[cfg(target_os = "linux")]
    crate::opened_links::hand_over_to_running_app(&context.config().identifier);
    let builder = tauri::Builder::default();
    // One instance, so two windows never edit the same settings files at once: a second
    // launch hands over to the running window and exits. On Linux GTK does it (the app's
    // identifier is its GTK application id, tauri.conf.json `enableGTKAppId`): the second
    // process finds the first on the session bus, activates it and exits, and the first
    // hears it as a second `Ready` (see `run` below). Elsewhere, Tauri's plugin does it, and
    // the copy buttons' clipboard and the Open buttons use Tauri's plugins (clipboard.rs,
    // links.rs); the page gets no permission of theirs.
    #[cfg(not(target_os = "linux"))]
    let builder = builder
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            // A link the second launch was given goes to this one (opened_links.rs).
            use tauri_plugin_deep_link::DeepLinkExt;
            app.deep_link().handle_cli_arguments(argv.iter());
            present_window(app)
        }))
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_opener::init())
        // Programs are started from Rust only (programs.rs); the webview has no shell
        // permission. On Linux the app starts them itself and has no shell plugin.
        .plugin(tauri_plugin_shell::init());
    builder
        // The link the app was opened with (`directus-mcp-setup://connect?url=…`), read by
        // the page as a URL to fill in, never acted on (opened_links.rs).
        .plugin(tauri_plugin_deep_link::init())
        // The window is made here rather than from tauri.conf.json (`create: false`), once:
        // a second `Ready` must not make it again.
        .setup(|app| {
            let config = app
                .config()
                .app
                .windows
                .iter()
                .find(|window| window.label == "main")
                .ok_or("tauri.conf.json has no main window")?;
            let _window =
                tauri::WebviewWindowBuilder::from_config(app.handle(), config)?.build()?;
            crate::opened_links::listen(app.handle());
            #[cfg(target_os = "linux")]
            crate::opened_links::accept_handovers(&_window)?;
            Ok(())
        })
        // Updates: checked only when the user allowed it or asked, installed only on their
        // click, signature checked against tauri.conf.json `plugins.updater.pubkey`
        // (commands/updates.rs).
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(commands::updates::FoundUpdate::default())
        .manage(AppState::for_this_user())
        .invoke_handler(commands::handler())
        .build(context)
        .expect("the Directus MCP Setup window could not start")
        .run(|app, event| {
            // The first `Ready` follows the window's creation; any later one is a second
            // launch that handed over (Linux).
            if let tauri::RunEvent::Ready = event {
                present_window(app);
            }
        });
}
