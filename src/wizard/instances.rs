//! The Directus instances the app was connected to, remembered for next time: URL and
//! admin email only, in the app's settings folder. Secrets stay in the OS keyring (the
//! session's refresh token), never in this file.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clients::ClientEnvironment;
use crate::config_edit::file::{self, Backup};

/// How many instances are remembered.
const KEEP: usize = 8;

/// One remembered instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RememberedInstance {
    /// The Directus URL.
    pub url: String,
    /// The admin's email, when signed in with a password (a kept session can sign in again).
    pub email: Option<String>,
}

/// `<app settings>/directus-mcp-setup/instances.json` of this user.
pub fn store_path() -> Option<PathBuf> {
    ClientEnvironment::from_process()
        .ok()
        .map(|env| store_path_in(&env))
}

/// `<app settings>/directus-mcp-setup/instances.json` in `env`: `~/.config` on Linux,
/// `~/Library/Application Support` on macOS, `%APPDATA%` on Windows.
pub fn store_path_in(env: &ClientEnvironment) -> PathBuf {
    env.app_config_dir
        .join(crate::platform::PRODUCT_FOLDER)
        .join("instances.json")
}

/// The remembered instances, most recent first; none when the file is missing or unreadable.
pub fn load() -> Vec<RememberedInstance> {
    store_path()
        .and_then(|path| file::read(&path).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Puts `instance` first (once), keeping the most recent few. Best effort: the wizard
/// works without it, so a failure is returned for a warning, not raised.
pub fn remember(instance: RememberedInstance) -> Result<(), String> {
    let path = store_path().ok_or("no home folder to keep recent instances in")?;
    let mut instances = load();
    instances.retain(|known| known.url != instance.url || known.email != instance.email);
    instances.insert(0, instance);
    instances.truncate(KEEP);
    let text = serde_json::to_string_pretty(&instances).map_err(|e| e.to_string())? + "\n";
    file::write(&path, &text, false, Backup::PreviousVersion)
        .map(drop)
        .map_err(|error| error.to_string())
}
