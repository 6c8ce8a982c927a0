//! The copy buttons' clipboard, written from Rust: a value holding the token is read from
//! the core when the button is pressed and never reaches the page. On Linux through GTK
//! (which the window already links); elsewhere through Tauri's clipboard plugin.
//!
//! Every value these buttons copy holds the token, so it is marked sensitive where the
//! platform has a way (Linux: the `x-kde-passwordManagerHint` target set to `secret`, which
//! KDE's Klipper and GNOME clipboard managers honour by keeping no history of it) and is
//! cleared after [`CLEAR_AFTER`] when the clipboard still holds exactly that value. On macOS
//! and Windows, Tauri's clipboard plugin (2.5) writes plain text only: its own "exclude
//! from history" option came after that version, so there the value is cleared after
//! [`CLEAR_AFTER`] but not marked.

use std::time::Duration;

use directus_mcp_setup::secret::SecretString;
use tauri::{AppHandle, Runtime};

/// How long a copied secret stays on the clipboard.
pub const CLEAR_AFTER: Duration = Duration::from_secs(60);

/// Whether to clear the clipboard, which now holds `current`, after `copied` was put on it:
/// only while it still holds exactly that value (anything copied since is the user's own).
pub fn should_clear(current: Option<&str>, copied: &str) -> bool {
    current == Some(copied)
}

/// Puts `secret` on the system clipboard, marked sensitive where the platform allows, and
/// clears it after [`CLEAR_AFTER`] if it is still there.
pub async fn write_secret<R: Runtime>(
    app: &AppHandle<R>,
    secret: SecretString,
) -> Result<(), String> {
    write_marked(app, secret.clone()).await?;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(CLEAR_AFTER).await;
        // The window may have closed meanwhile: then there is nothing left to do.
        let _ = clear_if_unchanged(&app, secret).await;
    });
    Ok(())
}

/// The target that tells clipboard managers the value is a password (KDE's convention,
/// also read by GNOME's clipboard managers).
#[cfg(target_os = "linux")]
const PASSWORD_MANAGER_HINT: &str = "x-kde-passwordManagerHint";

/// Puts `secret` on the clipboard as text, with the password-manager hint beside it.
#[cfg(target_os = "linux")]
async fn write_marked<R: Runtime>(app: &AppHandle<R>, secret: SecretString) -> Result<(), String> {
    use gtk::{TargetEntry, TargetFlags};
    const TEXT: u32 = 0;
    const HINT: u32 = 1;
    let offered = crate::main_thread::run(app, "the clipboard was written", move || {
        let targets: Vec<TargetEntry> = [
            "UTF8_STRING",
            "text/plain;charset=utf-8",
            "text/plain",
            "STRING",
            "TEXT",
        ]
        .into_iter()
        .map(|target| TargetEntry::new(target, TargetFlags::empty(), TEXT))
        .chain([TargetEntry::new(
            PASSWORD_MANAGER_HINT,
            TargetFlags::empty(),
            HINT,
        )])
        .collect();
        gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD).set_with_data(
            &targets,
            move |_, selection, info| {
                if info == HINT {
                    selection.set(&selection.target(), 8, b"secret");
                } else {
                    selection.set_text(secret.expose());
                }
            },
        )
    })
    .await?;
    if offered {
        Ok(())
    } else {
        Err("GTK could not take the clipboard".to_owned())
    }
}

/// Clears the clipboard if it still holds exactly `copied`.
#[cfg(target_os = "linux")]
async fn clear_if_unchanged<R: Runtime>(
    app: &AppHandle<R>,
    copied: SecretString,
) -> Result<(), String> {
    crate::main_thread::run(app, "the clipboard was cleared", move || {
        let clipboard = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
        let current = clipboard.wait_for_text();
        if should_clear(current.as_deref(), copied.expose()) {
            clipboard.clear();
        }
    })
    .await
}

/// Puts `secret` on the clipboard as text (the plugin has no way to mark it).
#[cfg(not(target_os = "linux"))]
async fn write_marked<R: Runtime>(app: &AppHandle<R>, secret: SecretString) -> Result<(), String> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    app.clipboard()
        .write_text(secret.expose().to_owned())
        .map_err(|error| error.to_string())
}

/// Clears the clipboard if it still holds exactly `copied`.
#[cfg(not(target_os = "linux"))]
async fn clear_if_unchanged<R: Runtime>(
    app: &AppHandle<R>,
    copied: SecretString,
) -> Result<(), String> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    let current = app.clipboard().read_text().ok();
    if should_clear(current.as_deref(), copied.expose()) {
        app.clipboard().clear().map_err(|error| error.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copied_secret_is_cleared_only_while_the_clipboard_still_holds_it() {
        assert!(should_clear(
            Some("https://x/?token=abc"),
            "https://x/?token=abc"
        ));
        assert!(!should_clear(
            Some("something the user copied since"),
            "https://x/?token=abc"
        ));
        assert!(!should_clear(
            Some("https://x/?token=abc "),
            "https://x/?token=abc"
        ));
        assert!(!should_clear(None, "https://x/?token=abc"));
        assert_eq!(CLEAR_AFTER, Duration::from_secs(60));
    }
}
