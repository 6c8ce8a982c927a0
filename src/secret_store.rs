//! Secrets at rest: the OS keyring and nothing else.
//!
//! macOS Keychain, Windows Credential Manager, and on Linux the Secret Service (GNOME
//! Keyring, KWallet) fronted by the kernel keyring. Where no Secret Service runs (SSH, a
//! server, a container, CI) the kernel keyring is used alone, by itself (with a note), or
//! when `DIRECTUS_MCP_SETUP_KEYRING=keyutils` asks for it: real OS storage that needs no
//! desktop session, kept until logout or reboot.

use std::sync::OnceLock;

use thiserror::Error;

use crate::directus::ServerUrl;
use crate::secret::SecretString;

/// The keyring "service" every entry of this app is filed under.
pub const KEYRING_SERVICE: &str = "directus-mcp-setup";

/// Environment variable choosing the keyring backend on Linux: `keyutils` or `default`.
pub const BACKEND_ENV: &str = "DIRECTUS_MCP_SETUP_KEYRING";

/// Which secret an entry holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretKind {
    /// The static token of the MCP user of an instance.
    McpToken,
    /// The refresh token of an admin's session.
    AdminSession {
        /// The admin's email.
        email: String,
    },
    /// The stdio bridge's OAuth sign-in (its client id and tokens, as JSON).
    BridgeOAuth,
}

/// Why the keyring could not be used.
#[derive(Debug, Error)]
pub enum SecretsError {
    /// No keyring is available on this machine.
    #[error(
        "no OS keyring is available ({0}). Unlock or start your keyring (GNOME Keyring, KWallet), or on a machine without a desktop set {BACKEND_ENV}=keyutils to use the kernel keyring"
    )]
    Unavailable(String),
    /// The keyring refused the operation.
    #[error("the OS keyring refused to {action} the {what}: {reason}")]
    Refused {
        /// store, read or delete.
        action: &'static str,
        /// Which secret.
        what: String,
        /// The keyring's explanation.
        reason: String,
    },
}

/// Stores and reads this app's secrets in the OS keyring.
#[derive(Debug, Clone, Default)]
pub struct SecretStore;

/// The note said once when no Secret Service answers and the kernel keyring is used.
pub const KERNEL_KEYRING_NOTE: &str = "no Secret Service (GNOME Keyring, KWallet) answers here, so secrets are kept in the kernel keyring of this login session (gone after logout or reboot)";

impl SecretStore {
    /// The store, with the backend chosen by [`BACKEND_ENV`]; on Linux with no choice made,
    /// the Secret Service when one answers, else the kernel keyring.
    pub fn new() -> Self {
        Self::backend_note();
        Self
    }

    /// Chooses the backend once per process; returns [`KERNEL_KEYRING_NOTE`] when the kernel
    /// keyring was chosen because no Secret Service answered.
    pub fn backend_note() -> Option<&'static str> {
        static NOTE: OnceLock<Option<&'static str>> = OnceLock::new();
        *NOTE.get_or_init(select_backend)
    }

    /// Saves `secret` for `server`, replacing what was there.
    pub fn store(
        &self,
        server: &ServerUrl,
        kind: &SecretKind,
        secret: &SecretString,
    ) -> Result<(), SecretsError> {
        let entry = entry(server, kind)?;
        entry
            .set_password(secret.expose())
            .map_err(|error| refused("store", server, kind, error))
    }

    /// Reads the secret for `server`, if one is stored.
    pub fn load(
        &self,
        server: &ServerUrl,
        kind: &SecretKind,
    ) -> Result<Option<SecretString>, SecretsError> {
        match entry(server, kind)?.get_password() {
            Ok(secret) => Ok(Some(SecretString::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(refused("read", server, kind, error)),
        }
    }

    /// Removes the secret for `server`; removing what is not there is fine.
    pub fn delete(&self, server: &ServerUrl, kind: &SecretKind) -> Result<(), SecretsError> {
        match entry(server, kind)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(refused("delete", server, kind, error)),
        }
    }
}

#[cfg(target_os = "linux")]
fn select_backend() -> Option<&'static str> {
    let use_kernel_keyring = || {
        keyring::set_default_credential_builder(keyring::keyutils::default_credential_builder());
    };
    match std::env::var(BACKEND_ENV).as_deref() {
        Ok("keyutils") => {
            use_kernel_keyring();
            None
        }
        Ok("default") => None,
        _ if secret_service_answers() => None,
        _ => {
            use_kernel_keyring();
            Some(KERNEL_KEYRING_NOTE)
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn select_backend() -> Option<&'static str> {
    None
}

/// Whether the Secret Service answers a look-up (one that finds nothing and so never asks
/// to unlock anything).
#[cfg(target_os = "linux")]
fn secret_service_answers() -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none()
        && std::env::var_os("XDG_RUNTIME_DIR")
            .is_none_or(|dir| !std::path::Path::new(&dir).join("bus").exists())
    {
        return false;
    }
    match keyring::Entry::new(KEYRING_SERVICE, "probe: is a Secret Service running") {
        Ok(entry) => matches!(entry.get_password(), Ok(_) | Err(keyring::Error::NoEntry)),
        Err(_) => false,
    }
}

/// The keyring account name of a secret: which kind, for which instance.
pub fn account_name(server: &ServerUrl, kind: &SecretKind) -> String {
    match kind {
        SecretKind::McpToken => format!("mcp-token {server}"),
        SecretKind::AdminSession { email } => format!("admin-session {email} {server}"),
        SecretKind::BridgeOAuth => format!("bridge-oauth {server}"),
    }
}

fn entry(server: &ServerUrl, kind: &SecretKind) -> Result<keyring::Entry, SecretsError> {
    keyring::Entry::new(KEYRING_SERVICE, &account_name(server, kind))
        .map_err(|error| SecretsError::Unavailable(error.to_string()))
}

fn refused(
    action: &'static str,
    server: &ServerUrl,
    kind: &SecretKind,
    error: keyring::Error,
) -> SecretsError {
    match error {
        keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => {
            SecretsError::Unavailable(error.to_string())
        }
        other => SecretsError::Refused {
            action,
            what: account_name(server, kind),
            reason: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_per_instance_and_kind() {
        let a = ServerUrl::parse("https://a.example.com", false).unwrap();
        let b = ServerUrl::parse("https://b.example.com", false).unwrap();
        assert_ne!(
            account_name(&a, &SecretKind::McpToken),
            account_name(&b, &SecretKind::McpToken)
        );
        assert_ne!(
            account_name(&a, &SecretKind::McpToken),
            account_name(
                &a,
                &SecretKind::AdminSession {
                    email: "x@example.com".into()
                }
            )
        );
    }
}
