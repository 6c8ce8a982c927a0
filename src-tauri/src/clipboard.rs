//! The copy buttons' clipboard, written from Rust: a value holding the token is read from
//! the core when the button is pressed and never reaches the page. On Linux through GTK
//! (which the window already links); elsewhere through Tauri's clipboard plugin.

use tauri::{AppHandle, Runtime};

/// Puts `text` on the system clipboard.
#[cfg(target_os = "linux")]
pub async fn write_text<R: Runtime>(app: &AppHandle<R>, text: String) -> Result<(), String> {
    let (done, finished) = tokio::sync::oneshot::channel();
    // GTK's clipboard lives on the main (GTK) thread.
    app.run_on_main_thread(move || {
        let clipboard = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
        clipboard.set_text(&text);
        let _ = done.send(());
    })
    .map_err(|error| error.to_string())?;
    finished
        .await
        .map_err(|_| "the window closed before the clipboard was written".to_owned())
}

/// Puts `text` on the system clipboard.
#[cfg(not(target_os = "linux"))]
pub async fn write_text<R: Runtime>(app: &AppHandle<R>, text: String) -> Result<(), String> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    app.clipboard()
        .write_text(text)
        .map_err(|error| error.to_string())
}
