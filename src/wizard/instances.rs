//! The Directus instances earlier versions of the app remembered (`instances.json`: URL and
//! admin email only). Projects replaced them ([`super::projects`]): the file is only read,
//! once, as the first project list. Secrets stay in the OS keyring, never in this file.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clients::ClientEnvironment;

/// One remembered instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RememberedInstance {
    /// The Directus URL.
    pub url: String,
    /// The admin's email, when signed in with a password (a kept session can sign in again).
    pub email: Option<String>,
}

/// `<app settings>/directus-mcp-setup/instances.json` in `env`: `~/.config` on Linux,
/// `~/Library/Application Support` on macOS, `%APPDATA%` on Windows.
pub fn store_path_in(env: &ClientEnvironment) -> PathBuf {
    env.app_config_dir
        .join(crate::platform::PRODUCT_FOLDER)
        .join("instances.json")
}
