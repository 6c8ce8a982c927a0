//! The Open buttons: a client's install link or connector page, opened by the app or
//! browser the desktop has for it. The link comes from the core when the button is pressed,
//! never from the page. On Linux through GTK (which the window already links; inside a
//! sandbox it asks the desktop portal); elsewhere through Tauri's opener plugin.

use tauri::{AppHandle, Runtime};

/// Opens `url` with the desktop's handler for its scheme.
#[cfg(target_os = "linux")]
pub async fn open<R: Runtime>(app: &AppHandle<R>, url: String) -> Result<(), String> {
    use tauri::Manager;
    let window = app.get_webview_window("main");
    // The window is the new app's parent (focus, portal).
    crate::main_thread::run(app, "the link was opened", move || {
        let parent = window.and_then(|window| window.gtk_window().ok());
        gtk::show_uri_on_window(parent.as_ref(), &url, gtk::current_event_time())
            .map_err(|error| error.to_string())
    })
    .await?
}

/// Opens `url` with the desktop's handler for its scheme.
#[cfg(not(target_os = "linux"))]
pub async fn open<R: Runtime>(app: &AppHandle<R>, url: String) -> Result<(), String> {
    use tauri_plugin_opener::OpenerExt;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|error| error.to_string())
}
