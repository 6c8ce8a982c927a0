//! Why a connection to Directus failed, as the JSON-RPC error the client shows, and rmcp's
//! errors read for what they mean.

use rmcp::model::{ErrorCode, ErrorData};

/// Why a connection to Directus could not be made or used.
pub(super) enum LinkFailure {
    /// No token is kept.
    NoToken,
    /// The keyring could not be read.
    Keyring(String),
    /// Directus refused the token.
    Refused,
    /// Directus could not be reached or broke off.
    Unreachable(String),
    /// The OAuth sign-in did not complete.
    SignIn(String),
    /// Directus refused the bridge's OAuth tokens (its grant was revoked).
    OAuthRevoked,
}

impl LinkFailure {
    pub(super) fn into_error(self, endpoint: &str) -> ErrorData {
        let message = match self {
            Self::NoToken => format!(
                "no MCP token is kept in the OS keyring for {endpoint}: create one in Directus MCP Setup (Authentication) or with `directus-mcp-setup token create`"
            ),
            Self::Keyring(reason) => format!(
                "the OS keyring could not be read for the MCP token ({reason}); unlock it and try again"
            ),
            Self::Refused => format!(
                "Directus at {endpoint} refused the MCP token kept in the OS keyring (revoked or replaced). Create or rotate it in Directus MCP Setup; the bridge uses the new one on the next call"
            ),
            Self::Unreachable(reason) => format!(
                "Directus at {endpoint} could not be reached ({reason}); the bridge keeps running and tries again on the next call"
            ),
            Self::SignIn(reason) => {
                format!("signing in to Directus at {endpoint} did not complete: {reason}")
            }
            Self::OAuthRevoked => format!(
                "Directus at {endpoint} refused the bridge's OAuth sign-in (revoked in Directus MCP Setup → Manage, or expired). The next call opens the browser to sign in again"
            ),
        };
        ErrorData::new(ErrorCode::INTERNAL_ERROR, message, None)
    }
}

/// Whether an rmcp error means Directus refused the credentials.
pub(super) fn refused(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        let text = error.to_string();
        if text.contains("Auth required") || text.contains("401") || text.contains("Unauthorized") {
            return true;
        }
        current = error.source();
    }
    false
}

/// An error as one short line: the innermost causes, without rmcp's type names.
pub(super) fn short(error: &dyn std::error::Error) -> String {
    let mut messages = vec![error.to_string()];
    let mut source = error.source();
    while let Some(inner) = source {
        messages.push(inner.to_string());
        source = inner.source();
    }
    let last = messages.len().saturating_sub(2);
    let text = messages[last..]
        .iter()
        .map(|message| strip_type_names(message))
        .filter(|message| !message.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    text.chars().take(300).collect()
}

/// `Transport [rmcp::…<…>] error: X` → `X`.
fn strip_type_names(message: &str) -> String {
    let mut text = message.to_owned();
    while let Some(start) = text.find(" [rmcp::") {
        let Some(length) = text[start..].find("] ") else {
            break;
        };
        text.replace_range(start..start + length + 1, "");
    }
    text.trim_start_matches("Transport send error: ")
        .trim_start_matches("Transport error: ")
        .trim_start_matches("Client error: ")
        .to_owned()
}
