//! Why a connection to Directus failed, as the JSON-RPC error the client shows, and rmcp's
//! errors read for what they mean.

use rmcp::model::{ErrorCode, ErrorData};
use rmcp::service::{ClientInitializeError, ServiceError};
use rmcp::transport::DynamicTransportError;
use rmcp::transport::streamable_http_client::StreamableHttpError;

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
    /// This bridge is waiting for the user to sign in in the browser.
    SignInInProgress,
    /// The last sign-in did not complete; no new sign-in page opens for this long.
    SignInBackOff(std::time::Duration),
    /// The sign-in page named by the metadata was refused (see [`super::consent`]).
    Consent(String),
    /// Directus accepted the request but did not answer within the bridge's deadline.
    NoAnswer(std::time::Duration),
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
            Self::SignInInProgress => format!(
                "signing in to Directus at {endpoint} is in progress in your browser; finish it there, then call again"
            ),
            Self::SignInBackOff(left) => format!(
                "signing in to Directus at {endpoint} did not complete (the consent was denied or nobody signed in), so the bridge opens no new sign-in page for {} min. To sign in now, quit and reopen the MCP client, or run `directus-mcp-setup bridge --url {} --auth oauth --sign-in-only`",
                left.as_secs().div_ceil(60),
                endpoint.strip_suffix("/mcp").unwrap_or(endpoint)
            ),
            Self::Consent(reason) => format!("signing in to Directus at {endpoint}: {reason}"),
            Self::NoAnswer(deadline) => format!(
                "Directus at {endpoint} did not answer in time (no answer within {} s; DIRECTUS_MCP_SETUP_BRIDGE_TIMEOUT sets the limit); it may still finish the request, so check before calling again",
                deadline.as_secs()
            ),
            Self::OAuthRevoked => format!(
                "Directus at {endpoint} refused the bridge's OAuth sign-in (revoked in Directus MCP Setup → Manage, or expired). The next call opens the browser to sign in again"
            ),
        };
        ErrorData::new(ErrorCode::INTERNAL_ERROR, message, None)
    }
}

/// What a failed exchange with Directus means, read from rmcp's typed errors and the HTTP
/// status (never from the error's text, which holds the URL: a port such as 40199 is not
/// a refusal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Directus answered 401: it refused the credentials (and did not run the request).
    Refused,
    /// Directus answered 503 (starting up): it did not run the request.
    Busy,
    /// The connection could not be made: the request was provably not sent.
    NotSent,
    /// Anything else (broken connection, timeout, bad answer): the request may have run.
    Broken,
}

type HttpError = StreamableHttpError<reqwest::Error>;

/// Reads a failed call's error.
pub(super) fn verdict_of_call(error: &ServiceError) -> Verdict {
    match error {
        ServiceError::TransportSend(error) => verdict_of_transport(error),
        _ => Verdict::Broken,
    }
}

/// Reads a failed connection's error (`initialize`).
pub(super) fn verdict_of_connect(error: &ClientInitializeError) -> Verdict {
    match error {
        ClientInitializeError::TransportError { error, .. } => verdict_of_transport(error),
        _ => Verdict::Broken,
    }
}

fn verdict_of_transport(error: &DynamicTransportError) -> Verdict {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error.error.as_ref());
    while let Some(cause) = current {
        if let Some(http) = cause.downcast_ref::<HttpError>() {
            match http {
                HttpError::AuthRequired(_) => return Verdict::Refused,
                HttpError::HttpStatus(status) if status.status == 401 => return Verdict::Refused,
                HttpError::HttpStatus(status) if status.status == 503 => return Verdict::Busy,
                // rmcp's own text for a 401 without a challenge: "HTTP 401 Unauthorized: …".
                HttpError::UnexpectedServerResponse(text) if text.starts_with("HTTP 401 ") => {
                    return Verdict::Refused;
                }
                HttpError::UnexpectedServerResponse(text) if text.starts_with("HTTP 503 ") => {
                    return Verdict::Busy;
                }
                HttpError::Client(error) if error.is_connect() => return Verdict::NotSent,
                _ => {}
            }
        }
        if let Some(error) = cause.downcast_ref::<reqwest::Error>() {
            if error.is_connect() {
                return Verdict::NotSent;
            }
            if error.status().is_some_and(|status| status.as_u16() == 401) {
                return Verdict::Refused;
            }
        }
        current = cause.source();
    }
    Verdict::Broken
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
    let mut parts: Vec<String> = Vec::new();
    for message in messages[last..]
        .iter()
        .map(|message| strip_type_names(message))
    {
        // An outer message often quotes its cause whole: say it once.
        let said = parts.last().is_some_and(|outer| outer.contains(&message));
        if !message.is_empty() && !said {
            parts.push(message);
        }
    }
    parts.join(": ").chars().take(300).collect()
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

#[cfg(test)]
mod mutant_tests;

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use rmcp::transport::streamable_http_client::{AuthRequiredError, HttpStatusError};

    use super::*;

    fn call_failing_with(error: HttpError) -> ServiceError {
        ServiceError::TransportSend(DynamicTransportError::from_parts(
            "streamable-http",
            std::any::TypeId::of::<()>(),
            Box::new(error),
        ))
    }

    #[test]
    fn a_refusal_is_read_from_the_status_not_from_the_text() {
        let challenged = call_failing_with(HttpError::AuthRequired(AuthRequiredError::new(
            "Bearer realm=\"directus\"".to_owned(),
        )));
        assert_eq!(verdict_of_call(&challenged), Verdict::Refused);
        let unchallenged = call_failing_with(HttpError::UnexpectedServerResponse(Cow::Borrowed(
            "HTTP 401 Unauthorized: {\"errors\":[]}",
        )));
        assert_eq!(verdict_of_call(&unchallenged), Verdict::Refused);
        // A URL with 401 in it (a port, a host) says nothing about the answer.
        for text in [
            "error sending request for url (http://127.0.0.1:40199/mcp)",
            "HTTP 502 Bad Gateway: upstream cms401.example.com Unauthorized",
        ] {
            let broken = call_failing_with(HttpError::UnexpectedServerResponse(Cow::Owned(
                text.to_owned(),
            )));
            assert_eq!(verdict_of_call(&broken), Verdict::Broken, "{text}");
        }
    }

    #[test]
    fn a_503_is_busy_and_other_failures_may_have_run() {
        let busy = call_failing_with(HttpError::HttpStatus(HttpStatusError::new(503, None)));
        assert_eq!(verdict_of_call(&busy), Verdict::Busy);
        let failing = call_failing_with(HttpError::HttpStatus(HttpStatusError::new(500, None)));
        assert_eq!(verdict_of_call(&failing), Verdict::Broken);
        assert_eq!(
            verdict_of_call(&call_failing_with(HttpError::UnexpectedEndOfStream)),
            Verdict::Broken
        );
        assert_eq!(
            verdict_of_call(&ServiceError::TransportClosed),
            Verdict::Broken
        );
    }
}
