//! The Open buttons: a client's install link or connector page, opened by the app or
//! browser the desktop has for it. The link comes from the core when the button is pressed,
//! never from the page. On Linux through GIO (which the window already links; inside a
//! sandbox it asks the desktop portal); elsewhere through Tauri's opener plugin.

use tauri::{AppHandle, Runtime};

/// Opens `url` with the desktop's handler for its scheme. GIO's own launch, waited for,
/// so that a scheme nothing handles is an error the page shows (GTK's `show_uri` starts
/// the launch and reports every link as opened).
#[cfg(target_os = "linux")]
pub async fn open<R: Runtime>(app: &AppHandle<R>, url: String) -> Result<(), String> {
    use gtk::gio;
    crate::main_thread::run(app, "the link was opened", move || {
        // The desktop's launch context: startup notification and focus for the new app.
        let context = gtk::gdk::Display::default().and_then(|display| display.app_launch_context());
        if let Some(context) = &context {
            context.set_timestamp(gtk::current_event_time());
        }
        gio::AppInfo::launch_default_for_uri(&url, context.as_ref())
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
