//! Everything that can go wrong talking to Directus, each with what to do about it.

use thiserror::Error;

use super::endpoint::UrlError;
use crate::transport::TransportError;

/// What upgrading an 11.13+ Directus to 12 changes for MCP, in one sentence (the OAuth
/// steps' refusal and the doctor say it).
pub const WHAT_UPGRADING_BRINGS: &str = "Directus 12 adds MCP OAuth: AI clients then sign in with a Directus account in the browser (no token in their settings) and the admin can see and revoke each client's access (`grants list`); the MCP token this tool sets up keeps working before and after the upgrade";

/// An error from the Directus side of the setup.
///
/// Messages say what happened, why, and what to do; none contains a secret.
#[derive(Debug, Error)]
pub enum DirectusError {
    /// The URL was refused before anything was sent.
    #[error(transparent)]
    Url(#[from] UrlError),
    /// No usable answer came back: unreachable, TLS, a redirect not followed, an answer too
    /// large, or no HTTPS set-up (the transport's own words).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// Something answered, but not Directus' API.
    #[error(
        "{url} does not look like a Directus server ({detail}). Use the address of the Directus API, e.g. https://cms.example.com"
    )]
    NotDirectus {
        /// The URL that was tried.
        url: String,
        /// What was seen instead.
        detail: String,
    },
    /// Wrong email or password.
    #[error(
        "Directus refused the email or password. Check them, or sign in with an admin token instead"
    )]
    InvalidCredentials,
    /// The account has two-factor authentication and no code was given.
    #[error(
        "this account uses two-factor authentication: pass the current one-time code with --otp"
    )]
    OtpRequired,
    /// The one-time code was wrong or expired.
    #[error("Directus refused the one-time code: use the current code from your authenticator app")]
    InvalidOtp,
    /// The static admin token is unknown to this server.
    #[error(
        "Directus refused the token: it is unknown or was revoked. Generate a new one on your admin user's profile"
    )]
    InvalidToken,
    /// The session expired and could not be refreshed.
    #[error("the Directus session expired: sign in again")]
    SessionExpired,
    /// The account works but is not an administrator.
    #[error(
        "{who} is not a Directus administrator: setting up MCP changes project settings and creates users, so sign in with an admin account"
    )]
    NotAdmin {
        /// Email or user id of the account.
        who: String,
    },
    /// This Directus has no MCP server this tool can set up (older than 11.13, where
    /// Directus' MCP server left beta).
    #[error(
        "this Directus ({version}) has no MCP server this tool can set up: Directus' built-in MCP server needs Directus 11.13 or later (12 or later for MCP OAuth). Nothing was changed: upgrade Directus, then run this again"
    )]
    McpNotSupported {
        /// The version the server reported.
        version: String,
    },
    /// An OAuth step on a Directus with MCP but without MCP OAuth (11.13–11.x).
    #[error(
        "MCP OAuth needs Directus 12 or later, and this Directus is {version}: nothing was changed. Until you upgrade, connect AI clients with the MCP token (`token create`, then `connect`). {}",
        WHAT_UPGRADING_BRINGS
    )]
    OAuthNeedsDirectus12 {
        /// The version the server reported.
        version: String,
    },
    /// A sysadmin turned MCP off in the server's environment.
    #[error(
        "MCP is disabled by the server's environment (MCP_ENABLED=false). Ask your Directus administrator to remove that line from the environment (.env or docker compose) and restart Directus"
    )]
    McpDisabledByEnvironment,
    /// The community licence does not allow custom permission rules.
    #[error(
        "Directus refused the permissions: {message}. This server's licence does not allow custom permission rules"
    )]
    LicenseRestricted {
        /// Directus' message.
        message: String,
    },
    /// A collection named by the user does not exist.
    #[error(
        "no collection named {names} in this Directus; existing content collections: {existing}"
    )]
    UnknownCollections {
        /// The missing names, comma-separated.
        names: String,
        /// The collections that do exist, comma-separated.
        existing: String,
    },
    /// A collection was named that MCP cannot use for the given purpose.
    #[error("{0}")]
    InvalidCollection(String),
    /// The `/mcp-oauth` routes do not exist: `MCP_OAUTH_ENABLED` is off in the environment.
    #[error(
        "MCP OAuth is off in the server's environment: add MCP_OAUTH_ENABLED=true to Directus' .env (or `environment:` in docker compose) and restart Directus"
    )]
    OAuthDisabledByEnvironment,
    /// Client ids given for revoking that Directus does not know.
    #[error(
        "no OAuth client with the id {0} is registered; nothing was revoked. `grants list` shows the ids"
    )]
    UnknownOAuthClients(String),
    /// No MCP user was set up yet.
    #[error("no MCP user exists on this Directus yet: run `directus-mcp-setup token create` first")]
    NoMcpUser,
    /// The administrator template was asked for without confirming it.
    #[error(
        "the administrator template gives the MCP token full admin access (over REST as well as MCP), and the token sits in AI clients' settings: confirm it with --confirm-administrator, or use --template content-editor"
    )]
    AdministratorNotConfirmed,
    /// Deletes were asked for on collections the token is not granted.
    #[error(
        "deletes can be allowed only on granted content collections, directus_files and directus_folders; not on: {0}. Grant the collection with --collections, or leave it out of --allow-delete"
    )]
    DeleteNotGrantable(String),
    /// Deletes or file updates were asked for with the read-only template.
    #[error(
        "the read-only template grants no writes, so it cannot allow {0}: nothing was changed. Leave it out, or choose --template content-editor"
    )]
    ReadOnlyGrantsNoWrites(&'static str),
    /// A user carries this tool's marker but is not one it made (an SSO or LDAP account
    /// whose identifier happens to match, or a user changed by hand): it is never adopted.
    #[error(
        "user {id} carries the MCP user's marker (external identifier `directus-mcp-setup`) but was not made by this tool: {reason}. Nothing was changed. If it is a real person's account, change its External Identifier in Directus (User Directory); if it is an old MCP user, delete it; then retry"
    )]
    ForeignMcpUser {
        /// The user's id.
        id: String,
        /// What shows it is not ours.
        reason: String,
    },
    /// Any other error Directus reported.
    #[error("Directus answered {status} {code}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// Directus error code, e.g. `FORBIDDEN`.
        code: String,
        /// Directus' message.
        message: String,
    },
    /// A 2xx answer whose body was not what Directus sends.
    #[error("unexpected answer from Directus for {what}: {detail}")]
    UnexpectedResponse {
        /// The request.
        what: String,
        /// What was wrong.
        detail: String,
    },
    /// A setup step failed and what it had created could not all be removed.
    #[error(
        "{cause}\nRolling back failed too ({rollback}); these were left on the server: {left}. Re-running the same command reuses or repairs them"
    )]
    RollbackIncomplete {
        /// The original failure.
        cause: Box<DirectusError>,
        /// Why the rollback failed.
        rollback: Box<DirectusError>,
        /// What remains.
        left: String,
    },
    /// The operating system's random number generator failed.
    #[error("could not generate a random token: {0}")]
    Random(String),
}

/// A transport failure as the Directus error of the same name (same message).
impl DirectusError {
    /// The Directus error code (`FORBIDDEN`, `RECORD_NOT_UNIQUE`, ...) of an API error.
    pub fn api_code(&self) -> Option<&str> {
        match self {
            Self::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// Whether the server could not be reached at all (so nothing was changed by this request).
    pub fn is_connection_failure(&self) -> bool {
        matches!(
            self,
            Self::Transport(TransportError::Unreachable { .. } | TransportError::Tls { .. })
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transport_failure_reads_the_same_as_a_directus_error() {
        let url = || "https://cms.example.com/server/info".to_owned();
        let failures = [
            TransportError::Unreachable {
                url: url(),
                reason: "connection refused".into(),
            },
            TransportError::Tls {
                url: url(),
                reason: "invalid peer certificate: UnknownIssuer".into(),
            },
            TransportError::Redirected {
                url: url(),
                location: "https://login.example.com/".into(),
            },
            TransportError::TooLarge {
                url: url(),
                limit_mib: 8,
            },
            TransportError::NoTlsSetup {
                reason: "no CA certificates found".into(),
            },
        ];
        for failure in failures {
            let said = failure.to_string();
            let directus = DirectusError::from(failure);
            assert_eq!(directus.to_string(), said, "{directus:?}");
        }
        assert!(
            DirectusError::from(TransportError::Unreachable {
                url: url(),
                reason: "x".into()
            })
            .is_connection_failure()
        );
    }
}
