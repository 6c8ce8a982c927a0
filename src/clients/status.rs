//! A client's state with respect to one Directus.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;
use url::Url;

use crate::directus::ServerUrl;
use crate::directus::tool_mode::ToolMode;
use crate::secret::SecretString;
use crate::secret_store::{SecretKind, SecretStore};

/// What the entry should hold to be current.
#[derive(Debug, Clone)]
pub struct Expected {
    /// Directus' MCP endpoint.
    pub mcp_url: Url,
    /// The current MCP token, when known (from the OS keyring).
    pub token: Option<SecretString>,
}

impl Expected {
    /// What entries for `server` should hold: its MCP endpoint and the token kept in the
    /// OS keyring (unknown when the keyring cannot be read).
    pub fn kept(server: &ServerUrl, store: &SecretStore) -> Self {
        Self {
            mcp_url: server.mcp_endpoint(),
            token: store.load(server, &SecretKind::McpToken).ok().flatten(),
        }
    }
}

/// How an existing entry authenticates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", content = "detail", rename_all = "kebab-case")]
pub enum FoundAuth {
    /// No credentials: the client signs in with OAuth.
    Oauth,
    /// A token written in the file.
    InlineToken(#[serde(skip)] SecretString),
    /// A token the client asks for when starting the server.
    Prompt,
    /// A token read from this environment variable.
    EnvVar(String),
    /// The token kept in the OS keyring, read by our bridge each time it connects (never
    /// out of date: a rotation needs no change in the client).
    Keyring,
}

/// A client's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum ClientStatus {
    /// Not found on this computer.
    NotInstalled,
    /// Installed, without an entry for this Directus.
    Installed,
    /// Has an entry pointing at this Directus with current credentials.
    Connected {
        /// How it authenticates.
        auth: FoundAuth,
        /// The file holding the entry.
        file: Option<PathBuf>,
        /// Which tools Directus lists for it (`registry` when its URL says
        /// `tool_mode=registry`).
        tool_mode: ToolMode,
    },
    /// Has the entry, but with another URL or an old token.
    Stale {
        /// What is out of date (what readers decide on).
        cause: StaleCause,
        /// What is out of date, in words (what a person reads).
        reason: String,
        /// The file holding the entry.
        file: Option<PathBuf>,
    },
    /// Set up in the client's own window only: we cannot see its state.
    ManualOnly,
}

/// What makes an entry out of date: readers decide on this, never on the words of the
/// reason (a URL such as `https://tokens.example.com/mcp` mentions "token" and holds none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum StaleCause {
    /// The entry points at another URL, with no credential in it.
    OtherUrl,
    /// The entry points at another URL holding a credential (a query token, a password or a
    /// key-like path segment): anyone who can read the file can use it.
    OtherUrlHoldingAToken,
    /// The entry holds an older token of ours (rotated or revoked since).
    OldToken,
    /// The client reads several files (profiles) and only some of them hold a current entry.
    MissingInSomeFiles,
}

impl StaleCause {
    /// Whether the entry keeps a token in the client's settings, so connecting again
    /// (as a rotation does) replaces it.
    pub fn holds_a_token(self) -> bool {
        matches!(self, Self::OtherUrlHoldingAToken | Self::OldToken)
    }
}

/// What an entry found in a file points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundConnection {
    /// The server URL in the entry.
    pub url: Option<String>,
    /// How it authenticates.
    pub auth: FoundAuth,
}

impl FoundConnection {
    /// The status of this entry against `expected`.
    pub fn status(&self, expected: &Expected, file: Option<PathBuf>) -> ClientStatus {
        let found_url = self.url.as_deref().and_then(|url| Url::parse(url).ok());
        // Any tool mode points at this Directus: the mode is the user's choice per client.
        let url_matches = found_url
            .as_ref()
            .is_some_and(|url| ToolMode::strip(url) == ToolMode::strip(&expected.mcp_url));
        let tool_mode = found_url.as_ref().map(ToolMode::of_url).unwrap_or_default();
        if !url_matches {
            let url = self.url.as_deref().unwrap_or("no URL");
            let mut reason = format!(
                "points at {} instead of {}",
                super::redact::shown_url(url),
                expected.mcp_url
            );
            let holds_credential = super::redact::url_holds_credential(url);
            if holds_credential {
                reason.push_str(
                    "; that URL holds a token, which anyone who can read the file can use: \
                     connect again to replace the entry, then rotate the token",
                );
            }
            let cause = if holds_credential {
                StaleCause::OtherUrlHoldingAToken
            } else {
                StaleCause::OtherUrl
            };
            return ClientStatus::Stale {
                cause,
                reason,
                file,
            };
        }
        if let (FoundAuth::InlineToken(found), Some(current)) = (&self.auth, &expected.token)
            && found != current
        {
            return ClientStatus::Stale {
                cause: StaleCause::OldToken,
                reason: "holds an old token (rotated or revoked since); connect again".into(),
                file,
            };
        }
        ClientStatus::Connected {
            auth: self.auth.clone(),
            file,
            tool_mode,
        }
    }
}

/// How the `Authorization` header value `value` authenticates.
pub(crate) fn auth_from_header(value: Option<&str>) -> FoundAuth {
    match value.map(str::trim) {
        None => FoundAuth::Oauth,
        Some(value) => {
            let token = value.strip_prefix("Bearer ").unwrap_or(value).trim();
            if token.contains("${input:") {
                FoundAuth::Prompt
            } else if let Some(name) = token
                .strip_prefix("${env:")
                .or_else(|| token.strip_prefix("{env:"))
                .or_else(|| token.strip_prefix("${"))
                .and_then(|rest| rest.strip_suffix('}'))
            {
                FoundAuth::EnvVar(name.to_owned())
            } else {
                FoundAuth::InlineToken(SecretString::new(token))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected() -> Expected {
        Expected {
            mcp_url: Url::parse("http://127.0.0.1:8055/mcp").unwrap(),
            token: Some(SecretString::new("current-token-1234")),
        }
    }

    fn stale(url: &str) -> (StaleCause, String) {
        let found = FoundConnection {
            url: Some(url.to_owned()),
            auth: FoundAuth::Oauth,
        };
        match found.status(&expected(), None) {
            ClientStatus::Stale { cause, reason, .. } => (cause, reason),
            other => panic!("{url}: {other:?}"),
        }
    }

    fn reason(url: &str) -> String {
        stale(url).1
    }

    #[test]
    fn a_stale_url_naming_tokens_in_its_host_holds_no_token() {
        let (cause, reason) = stale("https://tokens.example.com/mcp");
        assert_eq!(cause, StaleCause::OtherUrl, "{reason}");
        assert!(!cause.holds_a_token());
    }

    #[test]
    fn a_stale_url_with_a_credential_and_an_old_token_hold_a_token() {
        let (cause, _) = stale("http://127.0.0.1:8055/mcp?access_token=LEAKEDTOKEN1234567890");
        assert_eq!(cause, StaleCause::OtherUrlHoldingAToken);
        assert!(cause.holds_a_token());
        let old = FoundConnection {
            url: Some("http://127.0.0.1:8055/mcp".into()),
            auth: FoundAuth::InlineToken(SecretString::new("older-token-5678")),
        };
        match old.status(&expected(), None) {
            ClientStatus::Stale { cause, .. } => {
                assert_eq!(cause, StaleCause::OldToken);
                assert!(cause.holds_a_token());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_stale_url_with_a_token_is_shown_masked_and_named_a_problem() {
        for (url, secret, shown) in [
            (
                "http://127.0.0.1:8055/mcp?access_token=LEAKEDTOKEN1234567890",
                "LEAKEDTOKEN1234567890",
                "http://127.0.0.1:8055/mcp?••••••••",
            ),
            (
                "http://admin:hunter2pw@127.0.0.1:8055/mcp",
                "hunter2pw",
                "http://••••••••@127.0.0.1:8055/mcp",
            ),
            (
                "https://mcp.example.com/s/ZAPIERSECRETabcdef1234567890/mcp",
                "ZAPIERSECRETabcdef1234567890",
                "https://mcp.example.com/s/••••••••/mcp",
            ),
        ] {
            let reason = reason(url);
            assert!(!reason.contains(secret), "{reason}");
            assert!(
                reason.starts_with(&format!(
                    "points at {shown} instead of http://127.0.0.1:8055/mcp"
                )),
                "{reason}"
            );
            assert!(reason.contains("that URL holds a token"), "{reason}");
        }
    }

    #[test]
    fn a_stale_url_without_credentials_is_shown_as_is() {
        assert_eq!(
            reason("https://old.example.com/mcp"),
            "points at https://old.example.com/mcp instead of http://127.0.0.1:8055/mcp"
        );
    }
}
