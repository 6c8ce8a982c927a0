//! Keeping the app up to date: whether the user allowed a check for a new version on start
//! (off until they turn it on), kept beside the app's other preferences, and where the
//! check asks.
//!
//! Nothing leaves the computer unless the user turned the check on: the app then fetches
//! one small file (`latest.json`, published with each release), shows the new version's
//! notes, and installs it only when the user asks. Installers are signed; the app refuses
//! one whose signature does not match the public key built into it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clients::ClientEnvironment;
use crate::config_edit::file::{self, Backup};

/// The variable that points the check at another `latest.json` (the loopback update test);
/// read by the app's Rust side only, so no web page can change it.
pub const UPDATE_ENDPOINT_VARIABLE: &str = "DIRECTUS_MCP_SETUP_UPDATE_ENDPOINT";

/// The user's choices about updates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UpdatePreferences {
    /// Ask for a new version each time the app starts. Off until the user turns it on.
    #[serde(default)]
    pub check_on_start: bool,
}

/// `<app settings>/directus-mcp-setup/preferences.json` in `env`, beside the remembered
/// instances (`~/.config` on Linux).
pub fn preferences_path_in(env: &ClientEnvironment) -> PathBuf {
    env.app_config_dir
        .join(crate::platform::PRODUCT_FOLDER)
        .join("preferences.json")
}

/// The preferences kept at `path`; the defaults (no check) when the file is missing or
/// unreadable, so a damaged file never turns the check on.
pub fn load_preferences(path: &Path) -> UpdatePreferences {
    file::read(path)
        .ok()
        .flatten()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Keeps `preferences` at `path` (the previous file kept as a backup).
pub fn save_preferences(path: &Path, preferences: UpdatePreferences) -> Result<(), String> {
    let text = serde_json::to_string_pretty(&preferences).map_err(|e| e.to_string())? + "\n";
    file::write(path, &text, false, Backup::PreviousVersion)
        .map(drop)
        .map_err(|error| error.to_string())
}

/// Why the endpoint given in [`UPDATE_ENDPOINT_VARIABLE`] was not used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// Not a URL.
    #[error(
        "{UPDATE_ENDPOINT_VARIABLE}=`{value}` is not a URL ({reason}); unset it to use the release's own address."
    )]
    NotAUrl {
        /// The value given.
        value: String,
        /// What the URL parser said.
        reason: String,
    },
    /// Neither https nor plain http on this computer.
    #[error(
        "{UPDATE_ENDPOINT_VARIABLE}=`{value}` was refused: the update file is fetched over https, or plain http on this computer (127.0.0.1, ::1, localhost) for a test."
    )]
    NotSecure {
        /// The value given.
        value: String,
    },
}

/// The `latest.json` address to ask instead of the release's own, from the variable's
/// `value`: none when unset or empty; https anywhere, plain http only on this computer.
pub fn endpoint_override(value: Option<&str>) -> Result<Option<url::Url>, EndpointError> {
    let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else {
        return Ok(None);
    };
    let url = url::Url::parse(value).map_err(|error| EndpointError::NotAUrl {
        value: value.to_owned(),
        reason: error.to_string(),
    })?;
    let on_this_computer = match url.host() {
        Some(url::Host::Ipv4(address)) => address.is_loopback(),
        Some(url::Host::Ipv6(address)) => address.is_loopback(),
        Some(url::Host::Domain(name)) => name == "localhost",
        None => false,
    };
    match url.scheme() {
        "https" if url.host().is_some() => Ok(Some(url)),
        "http" if on_this_computer => Ok(Some(url)),
        _ => Err(EndpointError::NotSecure {
            value: value.to_owned(),
        }),
    }
}

/// A newer version the check found, for the page to show before the user installs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AvailableUpdate {
    /// The version running now.
    pub current_version: String,
    /// The newer version.
    pub version: String,
    /// The release notes, as published.
    pub notes: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_is_off_until_the_user_turns_it_on() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("preferences.json");
        assert!(!load_preferences(&path).check_on_start);
        save_preferences(
            &path,
            UpdatePreferences {
                check_on_start: true,
            },
        )
        .unwrap();
        assert!(load_preferences(&path).check_on_start);
    }

    #[test]
    fn a_damaged_preferences_file_leaves_the_check_off() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("preferences.json");
        std::fs::write(&path, "{ not json").unwrap();
        assert!(!load_preferences(&path).check_on_start);
        std::fs::write(&path, "{}").unwrap();
        assert!(!load_preferences(&path).check_on_start);
    }

    #[test]
    fn no_variable_means_the_release_address() {
        assert_eq!(endpoint_override(None), Ok(None));
        assert_eq!(endpoint_override(Some("  ")), Ok(None));
    }

    #[test]
    fn a_loopback_http_endpoint_is_used_for_the_test() {
        for value in [
            "http://127.0.0.1:8799/latest.json",
            "http://[::1]:8799/latest.json",
            "http://localhost:8799/latest.json",
        ] {
            assert_eq!(
                endpoint_override(Some(value)).unwrap().unwrap().as_str(),
                value
            );
        }
    }

    #[test]
    fn an_https_endpoint_is_used() {
        let url = endpoint_override(Some("https://updates.example.com/latest.json"))
            .unwrap()
            .unwrap();
        assert_eq!(url.host_str(), Some("updates.example.com"));
    }

    #[test]
    fn plain_http_to_another_computer_is_refused() {
        let error = endpoint_override(Some("http://updates.example.com/latest.json")).unwrap_err();
        assert!(matches!(error, EndpointError::NotSecure { .. }));
        assert!(error.to_string().contains("127.0.0.1"));
        assert!(matches!(
            endpoint_override(Some("file:///tmp/latest.json")),
            Err(EndpointError::NotSecure { .. })
        ));
    }

    #[test]
    fn text_that_is_not_a_url_is_refused() {
        assert!(matches!(
            endpoint_override(Some("latest.json")),
            Err(EndpointError::NotAUrl { .. })
        ));
    }
}
