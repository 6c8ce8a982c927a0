//! The copy buttons' clipboard, written from Rust: a value holding the token is read from
//! the core when the button is pressed and never reaches the page. On Linux through GTK
//! (which the window already links); elsewhere through Tauri's clipboard plugin.

use tauri::{AppHandle, Runtime};

/// Puts `text` on the system clipboard.
#[cfg(target_os = "linux")]
pub async fn write_text<R: Runtime>(app: &AppHandle<R>, text: String) -> Result<(), String> {
    crate::main_thread::run(app, "the clipboard was written", move || {
        gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD).set_text(&text);
    })
    .await
}

/// Puts `text` on the system clipboard.
#[cfg(not(target_os = "linux"))]
pub async fn write_text<R: Runtime>(app: &AppHandle<R>, text: String) -> Result<(), String> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    app.clipboard()
        .write_text(text)
        .map_err(|error| error.to_string())
}
