//! How `GET /mcp` answers a signed-in client. ChatGPT's and Claude's connectors open
//! `GET /mcp` (the Streamable HTTP transport's server-to-client stream) and stop when it
//! fails: the MCP specification asks a server without such a stream to answer 405. Directus
//! 11.17.4 answered 500 (a ZodError, directus/directus#27694); Directus 12.4.1 answers 405
//! (`api/src/ai/mcp/server.ts`: a request that does not accept JSON gets 405). A proxy in
//! front can still turn it into an error or hold it open.

use std::time::Duration;

use super::{Check, Topic, Verdict, ids_of};
use crate::clients::ClientConnector;
use crate::directus::Session;

/// The clients that open `GET /mcp` first and stop when it fails: the cloud connectors.
pub(super) const STREAM_GET_CLIENTS: &str = "ChatGPT's and Claude's connectors";

/// How `GET /mcp` answers a signed-in client: 405 (or an event stream) is what connectors
/// expect; an error or no answer within a few seconds breaks them.
pub(super) async fn stream_get_check(
    session: &Session,
    chosen: &[&'static dyn ClientConnector],
) -> Vec<Check> {
    let url = session.client().server().mcp_endpoint();
    let seconds = TIMEOUT.as_secs();
    let (verdict, detail, fix) = match probe(session).await {
        StreamGet::MethodNotAllowed => (
            Verdict::Ok,
            format!("GET {url} answers 405, as {STREAM_GET_CLIENTS} expect (they open it first)"),
            None,
        ),
        StreamGet::Stream => (
            Verdict::Ok,
            format!("GET {url} opens an event stream, which {STREAM_GET_CLIENTS} accept"),
            None,
        ),
        StreamGet::Unauthorized(_) => return Vec::new(), // said by the other checks
        StreamGet::Status(code) => (
            Verdict::Problem,
            format!(
                "GET {url} answers HTTP {code} instead of 405: {STREAM_GET_CLIENTS} open GET /mcp first and give up on this answer{}",
                if code == 500 {
                    "; Directus 11.17.4 answered 500 here (a ZodError, directus/directus#27694), Directus 12.4.1 answers 405"
                } else {
                    ""
                }
            ),
            Some(if code == 500 {
                "Update Directus to 12 or later (12.4.1 answers 405); if it is already that new, a reverse proxy in front answers for it: let it pass GET /mcp through to Directus unchanged.".to_owned()
            } else {
                "Let the reverse proxy pass GET /mcp through to Directus unchanged (Directus 12.4.1 answers 405).".to_owned()
            }),
        ),
        StreamGet::Hang => (
            Verdict::Problem,
            format!(
                "GET {url} gave no answer within {seconds} s: {STREAM_GET_CLIENTS} open GET /mcp first and give up when it hangs"
            ),
            Some("Let the reverse proxy pass GET /mcp through to Directus unchanged and without buffering (Directus 12.4.1 answers 405 at once).".to_owned()),
        ),
        StreamGet::Failed(why) => (
            Verdict::Problem,
            format!("GET {url} failed: {why}"),
            Some("Check that the reverse proxy passes GET /mcp through to Directus.".to_owned()),
        ),
    };
    vec![Check {
        topic: Topic::McpGet,
        verdict,
        detail,
        fix,
        clients: ids_of(chosen),
    }]
}

/// How long the doctor waits for the answer: a connector gives up about as soon.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// What `GET /mcp` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamGet {
    /// 405, as the specification asks of a server without a stream.
    MethodNotAllowed,
    /// A 2xx event stream: the server offers one.
    Stream,
    /// Credentials were refused (said by other checks).
    Unauthorized(u16),
    /// Another status.
    Status(u16),
    /// No answer within [`TIMEOUT`].
    Hang,
    /// The request failed.
    Failed(String),
}

/// Sends `GET /mcp` as a signed-in connector does (`Accept: text/event-stream`, the
/// admin's token in the header) and waits at most [`TIMEOUT`] for the status line.
pub async fn probe(session: &Session) -> StreamGet {
    let client = session.client();
    let url = client.server().mcp_endpoint();
    let mut request = client
        .http()
        .get(url.clone())
        .header(reqwest::header::ACCEPT, "text/event-stream")
        .timeout(TIMEOUT);
    if let Some(token) = client.token() {
        request = request.bearer_auth(token.expose());
    }
    client.requests().increment();
    match request.send().await {
        // The body is not read: an event stream would never end.
        Ok(response) => classify(
            response.status().as_u16(),
            response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default(),
        ),
        Err(error) if error.is_timeout() => StreamGet::Hang,
        Err(error) => {
            StreamGet::Failed(crate::transport::no_answer(&error, url.as_str()).to_string())
        }
    }
}

/// What a status and content type say.
pub fn classify(status: u16, content_type: &str) -> StreamGet {
    match status {
        405 => StreamGet::MethodNotAllowed,
        200..=299 if content_type.starts_with("text/event-stream") => StreamGet::Stream,
        401 | 403 => StreamGet::Unauthorized(status),
        code => StreamGet::Status(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_405_or_an_event_stream_is_what_connectors_expect() {
        assert_eq!(classify(405, ""), StreamGet::MethodNotAllowed);
        assert_eq!(
            classify(200, "text/event-stream; charset=utf-8"),
            StreamGet::Stream
        );
        assert_eq!(classify(200, "application/json"), StreamGet::Status(200));
        assert_eq!(classify(500, "application/json"), StreamGet::Status(500));
        assert_eq!(classify(401, ""), StreamGet::Unauthorized(401));
    }
}
