//! One MCP session over Streamable HTTP, as the probe needs it: JSON-RPC requests POSTed to
//! the endpoint, each answered with JSON or with an event stream carrying the answer, in the
//! session the server names (`Mcp-Session-Id`) at the protocol version it chose
//! (`MCP-Protocol-Version`), and the session ended (`DELETE`) at the end.
//!
//! The messages are rmcp's protocol types; only the HTTP exchange is here. rmcp's client
//! service — which reads every kind of message a server may send and negotiates the newest
//! protocol revisions — stays with the command-line tool's bridge: linked into the app, it
//! was a twelfth of the binary for three requests.

use std::io;

use futures::{StreamExt, TryStreamExt};
use reqwest::header::CONTENT_TYPE;
use rmcp::model::{
    ClientCapabilities, Implementation, InitializeRequestParams, InitializeResult,
    ListPromptsResult, ListToolsResult, Prompt, Tool,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use thiserror::Error;

use crate::directus::DirectusClient;
use crate::directus::client::RequestCounter;
use crate::secret::SecretString;
use crate::transport::{MAX_BODY_BYTES, MAX_BODY_MIB, no_answer, read_body};

/// The latest protocol revision that starts with `initialize`, as clients do today.
const PROTOCOL_VERSION: rmcp::model::ProtocolVersion = rmcp::model::ProtocolVersion::V_2025_11_25;

/// Most pages of a list followed (a server repeating its cursor would never end).
const MAX_PAGES: usize = 100;

/// Why an exchange failed.
#[derive(Debug, Error)]
pub enum SessionError {
    /// No answer at all (unreachable, TLS, too large).
    #[error(transparent)]
    Transport(#[from] crate::directus::DirectusError),
    /// An HTTP error status instead of an answer.
    #[error("HTTP {status} for {method}: {body}")]
    Status {
        /// The JSON-RPC method sent.
        method: String,
        /// The HTTP status.
        status: u16,
        /// The start of the body.
        body: String,
    },
    /// The server answered with a JSON-RPC error.
    #[error("{message} (JSON-RPC error {code} for {method})")]
    Rpc {
        /// The JSON-RPC method sent.
        method: String,
        /// The error code.
        code: i64,
        /// The server's message.
        message: String,
    },
    /// The answer was not what the protocol says.
    #[error("{0}")]
    Protocol(String),
}

/// A session with an MCP server, after `initialize` and `notifications/initialized`.
pub struct McpSession {
    http: reqwest::Client,
    requests: RequestCounter,
    url: String,
    token: Option<SecretString>,
    session_id: Option<String>,
    protocol_version: Option<String>,
    next_id: i64,
}

impl McpSession {
    /// Opens a session at `url` with `token` as the bearer, every HTTP request counted on
    /// `client`'s counter; returns the server's `initialize` result with it.
    pub async fn open(
        client: &DirectusClient,
        url: &str,
        token: Option<&SecretString>,
    ) -> Result<(Self, InitializeResult), SessionError> {
        let mut session = Self {
            http: client.http().clone(),
            requests: client.requests().clone(),
            url: url.to_owned(),
            token: token.cloned(),
            session_id: None,
            protocol_version: None,
            next_id: 0,
        };
        let params = InitializeRequestParams::new(
            ClientCapabilities::default(),
            Implementation::new("directus-mcp-setup", env!("CARGO_PKG_VERSION")),
        )
        .with_protocol_version(PROTOCOL_VERSION);
        let result: InitializeResult = session.request("initialize", &params).await?;
        session.protocol_version = Some(result.protocol_version.to_string());
        if let Err(error) = session.notify("notifications/initialized").await {
            session.close().await;
            return Err(error);
        }
        Ok((session, result))
    }

    /// Every tool, page by page.
    pub async fn list_tools(&mut self) -> Result<Vec<Tool>, SessionError> {
        self.all_pages("tools/list", |page: ListToolsResult| {
            (page.tools, page.next_cursor)
        })
        .await
    }

    /// Every prompt, page by page.
    pub async fn list_prompts(&mut self) -> Result<Vec<Prompt>, SessionError> {
        self.all_pages("prompts/list", |page: ListPromptsResult| {
            (page.prompts, page.next_cursor)
        })
        .await
    }

    /// The items of every page of the list `method`, following each page's cursor;
    /// `split` takes a page apart into its items and the next cursor.
    async fn all_pages<P: DeserializeOwned, T>(
        &mut self,
        method: &str,
        split: impl Fn(P) -> (Vec<T>, Option<String>),
    ) -> Result<Vec<T>, SessionError> {
        let mut items = Vec::new();
        let mut cursor = None;
        for _ in 0..MAX_PAGES {
            let (page, next) = split(self.request(method, &page_params(&cursor)).await?);
            items.extend(page);
            cursor = next;
            if cursor.is_none() {
                return Ok(items);
            }
        }
        Err(SessionError::Protocol(format!(
            "{method} went on past {MAX_PAGES} pages (the server repeats its cursor?)"
        )))
    }

    /// Ends the session on the server (when it named one); a failure changes nothing.
    pub async fn close(self) {
        if self.session_id.is_some() {
            self.requests.increment();
            let _ = self.headers(self.http.delete(&self.url)).send().await;
        }
    }

    /// Sends `method` with `params` and reads its result.
    async fn request<P: Serialize, R: DeserializeOwned>(
        &mut self,
        method: &str,
        params: &P,
    ) -> Result<R, SessionError> {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
        let response = self.post(method, &message).await?;
        if let Some(session_id) = response
            .headers()
            .get("mcp-session-id")
            .and_then(|value| value.to_str().ok())
        {
            self.session_id = Some(session_id.to_owned());
        }
        let answer = self.read_answer(response, id).await?;
        result_of(method, answer)
    }

    /// Sends the notification `method` (no answer but an accepting status).
    async fn notify(&mut self, method: &str) -> Result<(), SessionError> {
        self.post(method, &json!({ "jsonrpc": "2.0", "method": method }))
            .await
            .map(drop)
    }

    /// POSTs `message`; an error status is a [`SessionError::Status`].
    async fn post(&self, method: &str, message: &Value) -> Result<reqwest::Response, SessionError> {
        self.requests.increment();
        let request = self
            .headers(self.http.post(&self.url))
            .header("accept", "application/json, text/event-stream")
            .json(message);
        let response = request
            .send()
            .await
            .map_err(|error| crate::directus::DirectusError::from(no_answer(&error, &self.url)))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = read_body(response, &self.url).await.unwrap_or_default();
        Err(SessionError::Status {
            method: method.to_owned(),
            status: status.as_u16(),
            body: body.chars().take(300).collect(),
        })
    }

    /// The credentials and the session's headers.
    fn headers(&self, mut request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if let Some(token) = &self.token {
            request = request.bearer_auth(token.expose());
        }
        if let Some(session_id) = &self.session_id {
            request = request.header("mcp-session-id", session_id);
        }
        if let Some(version) = &self.protocol_version {
            request = request.header("mcp-protocol-version", version);
        }
        request
    }

    /// The answer to request `id`: the JSON body, or the stream's event that carries it
    /// (the server's own requests and notifications on the way are passed over).
    async fn read_answer(
        &self,
        response: reqwest::Response,
        id: i64,
    ) -> Result<Value, SessionError> {
        let event_stream = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/event-stream"));
        if !event_stream {
            let body = read_body(response, &self.url)
                .await
                .map_err(crate::directus::DirectusError::from)?;
            let answer = serde_json::from_str(&body).map_err(|error| {
                SessionError::Protocol(format!("the answer is not JSON ({error})"))
            })?;
            return answer_in(answer, id).ok_or_else(|| {
                SessionError::Protocol(format!("the answer is not the response to request {id}"))
            });
        }
        let mut read = 0;
        let bytes = response.bytes_stream().map(move |chunk| {
            let chunk = chunk.map_err(io::Error::other)?;
            read += chunk.len();
            if read > MAX_BODY_BYTES {
                return Err(io::Error::other(format!(
                    "the event stream passed {MAX_BODY_MIB} MiB without the answer"
                )));
            }
            Ok(chunk)
        });
        let mut events = sse_stream::SseStream::from_bytes_stream(bytes);
        while let Some(event) = events
            .try_next()
            .await
            .map_err(|error| SessionError::Protocol(format!("the event stream broke: {error}")))?
        {
            let Some(data) = event.data else { continue };
            if let Some(answer) = serde_json::from_str(&data)
                .ok()
                .and_then(|message| answer_in(message, id))
            {
                return Ok(answer);
            }
        }
        Err(SessionError::Protocol(format!(
            "the event stream ended without the response to request {id}"
        )))
    }
}

/// `{ "cursor": … }` for the page after `cursor`, `{}` for the first.
fn page_params(cursor: &Option<String>) -> Value {
    match cursor {
        Some(cursor) => json!({ "cursor": cursor }),
        None => json!({}),
    }
}

/// The response to request `id` in `message` (a batch too), if it is there.
fn answer_in(message: Value, id: i64) -> Option<Value> {
    match message {
        Value::Array(messages) => messages.into_iter().find_map(|m| answer_in(m, id)),
        message
            if message.get("id").and_then(Value::as_i64) == Some(id)
                && (message.get("result").is_some() || message.get("error").is_some()) =>
        {
            Some(message)
        }
        _ => None,
    }
}

/// The `result` of a response, typed; its `error` as a [`SessionError::Rpc`].
fn result_of<R: DeserializeOwned>(method: &str, mut answer: Value) -> Result<R, SessionError> {
    if let Some(error) = answer.get("error") {
        return Err(SessionError::Rpc {
            method: method.to_owned(),
            code: error
                .get("code")
                .and_then(Value::as_i64)
                .unwrap_or_default(),
            message: error
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("no message")
                .to_owned(),
        });
    }
    serde_json::from_value(answer["result"].take()).map_err(|error| {
        SessionError::Protocol(format!("the {method} result is not what MCP says: {error}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_response_among_other_messages() {
        let response = json!({ "jsonrpc": "2.0", "id": 2, "result": { "tools": [] } });
        assert_eq!(answer_in(response.clone(), 2), Some(response.clone()));
        assert_eq!(answer_in(response.clone(), 3), None);
        // A server's own request with the same id is not the answer.
        assert_eq!(
            answer_in(json!({ "jsonrpc": "2.0", "id": 2, "method": "ping" }), 2),
            None
        );
        let batch = json!([{ "jsonrpc": "2.0", "method": "notifications/message" }, response]);
        assert_eq!(answer_in(batch, 2).unwrap()["id"], 2);
    }

    #[test]
    fn a_json_rpc_error_is_named_with_its_code() {
        let answer = json!({ "jsonrpc": "2.0", "id": 1, "error": { "code": -32602, "message": "prompts collection must be set" } });
        let error = result_of::<ListPromptsResult>("prompts/list", answer).unwrap_err();
        assert_eq!(
            error.to_string(),
            "prompts collection must be set (JSON-RPC error -32602 for prompts/list)"
        );
    }

    #[test]
    fn results_are_read_as_rmcps_types() {
        let answer = json!({ "jsonrpc": "2.0", "id": 1, "result": {
            "tools": [{ "name": "items", "description": "Items", "inputSchema": { "type": "object" } }],
            "nextCursor": "page-2"
        } });
        let page: ListToolsResult = result_of("tools/list", answer).unwrap();
        assert_eq!(page.tools[0].name, "items");
        assert_eq!(page.next_cursor.as_deref(), Some("page-2"));
        let wrong = json!({ "jsonrpc": "2.0", "id": 1, "result": { "tools": 3 } });
        assert!(matches!(
            result_of::<ListToolsResult>("tools/list", wrong),
            Err(SessionError::Protocol(_))
        ));
    }

    /// A session that has sent nothing (the answers below are made here, not fetched).
    fn idle_session() -> McpSession {
        crate::transport::install_tls_provider();
        McpSession {
            http: reqwest::Client::new(),
            requests: RequestCounter::default(),
            url: "http://127.0.0.1:9/mcp".into(),
            token: None,
            session_id: None,
            protocol_version: None,
            next_id: 0,
        }
    }

    fn answer(content_type: &str, body: &str) -> reqwest::Response {
        reqwest::Response::from(
            http::Response::builder()
                .header("content-type", content_type)
                .body(body.to_owned())
                .unwrap(),
        )
    }

    #[tokio::test]
    async fn an_event_stream_answer_is_found_past_the_servers_own_messages() {
        let stream = "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}}\n\n\
                      data: {\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}\n\n\
                      event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":4,\n\
                      data: \"result\":{\"tools\":[]}}\n\n";
        let found = idle_session()
            .read_answer(answer("text/event-stream", stream), 4)
            .await
            .unwrap();
        assert_eq!(found["result"], json!({ "tools": [] }));
    }

    #[tokio::test]
    async fn answers_without_the_response_are_protocol_errors() {
        let session = idle_session();
        let ended = session
            .read_answer(
                answer(
                    "text/event-stream",
                    "data: {\"jsonrpc\":\"2.0\",\"method\":\"x\"}\n\n",
                ),
                1,
            )
            .await
            .unwrap_err();
        assert_eq!(
            ended.to_string(),
            "the event stream ended without the response to request 1"
        );
        let not_json = session
            .read_answer(answer("application/json", "<html>"), 1)
            .await
            .unwrap_err();
        assert!(
            not_json.to_string().starts_with("the answer is not JSON"),
            "{not_json}"
        );
        let other = session
            .read_answer(
                answer(
                    "application/json",
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}",
                ),
                1,
            )
            .await
            .unwrap_err();
        assert_eq!(
            other.to_string(),
            "the answer is not the response to request 1"
        );
    }
}
