//! A small REST client for Directus' API: the `{data}` / `{errors}` envelope, error
//! mapping, and a count of the requests it sent (for the benchmark).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::endpoint::ServerUrl;
use super::error::DirectusError;
use super::request_auth::{RenewalHook, RequestAuth, SessionTokens};
use crate::secret::SecretString;
use crate::transport::{self, read_body};

/// How many HTTP requests were sent, shared by every client of one setup run.
#[derive(Debug, Clone, Default)]
pub struct RequestCounter(Arc<AtomicUsize>);

impl RequestCounter {
    /// Counts one request.
    pub fn increment(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// Requests counted so far.
    pub fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// A client bound to one Directus instance and (optionally) one access token.
#[derive(Debug, Clone)]
pub struct DirectusClient {
    http: reqwest::Client,
    server: ServerUrl,
    credentials: RequestAuth,
    requests: RequestCounter,
}

impl DirectusClient {
    /// A client for `server` with no credentials yet; an error when this computer cannot
    /// make secure connections at all (no trusted CA certificates).
    pub fn new(server: ServerUrl) -> Result<Self, DirectusError> {
        Ok(Self {
            http: build_http_client(&server)?,
            server,
            credentials: RequestAuth::None,
            requests: RequestCounter::default(),
        })
    }

    /// The same client authenticated with a static `token`.
    pub fn with_token(&self, token: SecretString) -> Self {
        Self {
            credentials: RequestAuth::Static(token),
            ..self.clone()
        }
    }

    /// The same client authenticated as a signed-in session: its access token is renewed
    /// with `refresh_token` (once, for every clone) when Directus says it expired.
    pub fn with_session(
        &self,
        access_token: SecretString,
        refresh_token: Option<SecretString>,
    ) -> Self {
        Self {
            credentials: RequestAuth::Session(Arc::new(SessionTokens::new(
                access_token,
                refresh_token,
            ))),
            ..self.clone()
        }
    }

    /// The session's current refresh token (none for a static token).
    pub fn refresh_token(&self) -> Option<SecretString> {
        match &self.credentials {
            RequestAuth::Session(tokens) => tokens.refresh_token(),
            _ => None,
        }
    }

    /// Calls `hook` with each new refresh token after a renewal.
    pub fn on_renewal(&self, hook: RenewalHook) {
        if let RequestAuth::Session(tokens) = &self.credentials {
            tokens.on_renewal(hook);
        }
    }

    /// The instance this client talks to.
    pub fn server(&self) -> &ServerUrl {
        &self.server
    }

    /// The underlying HTTP client (shared connection pool).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The request counter of this client and every client cloned from it.
    pub fn requests(&self) -> &RequestCounter {
        &self.requests
    }

    /// The token requests are sent with now, if any.
    pub fn token(&self) -> Option<SecretString> {
        self.credentials.bearer()
    }

    /// `GET path` and return the `data` of the answer.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, DirectusError> {
        self.data(Method::GET, path, query, None).await
    }

    /// `POST path` with a JSON body and return the `data` of the answer.
    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: &Value,
    ) -> Result<T, DirectusError> {
        self.data(Method::POST, path, query, Some(body)).await
    }

    /// `PATCH path` with a JSON body and return the `data` of the answer.
    pub async fn patch<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: &Value,
    ) -> Result<T, DirectusError> {
        self.data(Method::PATCH, path, query, Some(body)).await
    }

    /// `PATCH path` with a JSON body and return the `data` of the answer; `None` when
    /// Directus applied it and answered with no body (204).
    pub async fn patch_or_empty<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        body: &Value,
    ) -> Result<Option<T>, DirectusError> {
        let (status, text) = self
            .exchange(Method::PATCH, path, query, Some(body))
            .await?;
        if !status.is_success() {
            return Err(self.api_error(status, &text, path));
        }
        if status == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        self.decode(&Method::PATCH, path, &text).map(Some)
    }

    /// `GET path` and return the whole JSON answer (for the `/.well-known` documents, which
    /// have no `data` envelope).
    pub async fn raw_json(&self, path: &str) -> Result<Value, DirectusError> {
        let text = self.success_text(Method::GET, path, &[], None).await?;
        serde_json::from_str(&text).map_err(|_| self.not_directus(path, &text))
    }

    /// Sends a request and returns the body of a 2xx answer; any other status becomes the
    /// typed error Directus' body describes.
    async fn success_text(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<String, DirectusError> {
        let (status, text) = self.exchange(method, path, query, body).await?;
        if !status.is_success() {
            return Err(self.api_error(status, &text, path));
        }
        Ok(text)
    }

    /// Sends a request and reads its answer; when a session's access token has expired,
    /// renews it (once for all requests that noticed) and sends the request again — Directus
    /// ran nothing with the expired token.
    async fn exchange(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<(StatusCode, String), DirectusError> {
        let used = self.credentials.bearer();
        let (status, text) = self
            .send_and_read(method.clone(), path, query, body)
            .await?;
        let expired = status == StatusCode::UNAUTHORIZED
            && ApiErrorBody::parse(&text).is_some_and(|error| error.code == "TOKEN_EXPIRED");
        let (RequestAuth::Session(tokens), Some(used), true) = (&self.credentials, used, expired)
        else {
            return Ok((status, text));
        };
        let renewed = tokens
            .renew_after(&used, |refresh_token| async move {
                self.exchange_refresh_token(&refresh_token).await
            })
            .await?;
        if !renewed {
            return Ok((status, text));
        }
        self.send_and_read(method, path, query, body).await
    }

    /// One request and its whole answer.
    async fn send_and_read(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<(StatusCode, String), DirectusError> {
        let response = self.send(method, path, query, body).await?;
        let status = response.status();
        let text = read_body(response, self.server.join(path).as_str()).await?;
        Ok((status, text))
    }

    /// `POST /auth/refresh` (sent without credentials: only the refresh token counts): a new
    /// access token and, as Directus replaces it, a new refresh token. A refused refresh
    /// token is [`DirectusError::SessionExpired`].
    pub async fn exchange_refresh_token(
        &self,
        refresh_token: &SecretString,
    ) -> Result<(SecretString, Option<SecretString>), DirectusError> {
        #[derive(serde::Deserialize)]
        struct Renewed {
            access_token: String,
            refresh_token: Option<String>,
        }
        let body = serde_json::json!({ "refresh_token": refresh_token.expose(), "mode": "json" });
        let renewed: Renewed = Box::pin(self.anonymous().post("/auth/refresh", &[], &body))
            .await
            .map_err(|error| match error {
                DirectusError::InvalidCredentials | DirectusError::InvalidToken => {
                    DirectusError::SessionExpired
                }
                other => other,
            })?;
        Ok((
            SecretString::new(renewed.access_token),
            renewed.refresh_token.map(SecretString::new),
        ))
    }

    /// `POST /auth/logout` (without credentials, which may have expired): ends the session
    /// of `refresh_token`.
    pub async fn end_session(&self, refresh_token: &SecretString) -> Result<(), DirectusError> {
        let body = serde_json::json!({ "refresh_token": refresh_token.expose(), "mode": "json" });
        self.anonymous()
            .without_data(Method::POST, "/auth/logout", Some(&body))
            .await
    }

    /// The same client without credentials.
    fn anonymous(&self) -> Self {
        Self {
            credentials: RequestAuth::None,
            ..self.clone()
        }
    }

    /// `DELETE path`; Directus answers 204.
    pub async fn delete(&self, path: &str) -> Result<(), DirectusError> {
        self.without_data(Method::DELETE, path, None).await
    }

    /// A request whose success carries no `data` (204).
    async fn without_data(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(), DirectusError> {
        let (status, text) = self.exchange(method, path, &[], body).await?;
        if status.is_success() {
            return Ok(());
        }
        Err(self.api_error(status, &text, path))
    }

    /// Sends a request and returns the raw response (already counted). A redirect is an
    /// error naming where it pointed: it is never followed, so no body (a password, a
    /// token) is ever sent a second time, to another host or over plain http.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<reqwest::Response, DirectusError> {
        let url = self.server.join(path);
        let mut request = self.http.request(method, url.clone()).query(query);
        if let Some(token) = self.credentials.bearer() {
            request = request.bearer_auth(token.expose());
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        self.requests.increment();
        let response = request
            .send()
            .await
            .map_err(|error| transport::no_answer(&error, url.as_str()))?;
        transport::refuse_redirect(&response, url.as_str())?;
        Ok(response)
    }

    async fn data<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<T, DirectusError> {
        let text = self.success_text(method.clone(), path, query, body).await?;
        self.decode(&method, path, &text)
    }

    /// The `data` of a success answer's `{data}` envelope.
    fn decode<T: DeserializeOwned>(
        &self,
        method: &Method,
        path: &str,
        text: &str,
    ) -> Result<T, DirectusError> {
        let envelope: Value =
            serde_json::from_str(text).map_err(|_| self.not_directus(path, text))?;
        let data = envelope
            .get("data")
            .ok_or_else(|| self.not_directus(path, text))?;
        serde_json::from_value(data.clone()).map_err(|error| DirectusError::UnexpectedResponse {
            what: format!("{method} {path}"),
            detail: error.to_string(),
        })
    }

    /// Turns a non-2xx answer into a typed error.
    pub fn api_error(&self, status: StatusCode, body: &str, path: &str) -> DirectusError {
        let Some(error) = ApiErrorBody::parse(body) else {
            return self.not_directus(path, body);
        };
        match error.code.as_str() {
            "INVALID_CREDENTIALS" if !matches!(self.credentials, RequestAuth::None) => {
                DirectusError::InvalidToken
            }
            "INVALID_CREDENTIALS" => DirectusError::InvalidCredentials,
            "TOKEN_EXPIRED" => DirectusError::SessionExpired,
            "RESOURCE_RESTRICTED" => DirectusError::LicenseRestricted {
                message: error.message,
            },
            _ => DirectusError::Api {
                status: status.as_u16(),
                code: error.code,
                message: error.message,
            },
        }
    }

    fn not_directus(&self, path: &str, body: &str) -> DirectusError {
        let preview: String = body.chars().take(80).collect();
        DirectusError::NotDirectus {
            url: self.server.to_string(),
            detail: if preview.trim().is_empty() {
                format!("empty answer to {path}")
            } else {
                format!("answer to {path} began with {preview:?}")
            },
        }
    }
}

/// The first entry of Directus' `{"errors": [...]}` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiErrorBody {
    /// `extensions.code`, e.g. `FORBIDDEN`.
    pub code: String,
    /// The human message.
    pub message: String,
    /// `extensions.reason`, when present.
    pub reason: Option<String>,
}

impl ApiErrorBody {
    /// `extensions.reason` when present, else the message.
    pub fn reason_or_message(&self) -> &str {
        self.reason.as_deref().unwrap_or(&self.message)
    }

    /// Parses a Directus error body; `None` when it is not one.
    pub fn parse(body: &str) -> Option<Self> {
        let value: Value = serde_json::from_str(body).ok()?;
        let first = value.get("errors")?.get(0)?;
        let extensions = first.get("extensions");
        Some(Self {
            code: extensions
                .and_then(|e| e.get("code"))
                .and_then(Value::as_str)
                .unwrap_or("UNKNOWN")
                .to_owned(),
            message: first
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            reason: extensions
                .and_then(|e| e.get("reason"))
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    }
}

/// Why Directus refused a request to `/mcp` with HTTP 403, read from its error body: the
/// one place its wording is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum McpRefusal {
    /// MCP is turned off in the project settings (`reason: "MCP must be enabled"`).
    DisabledInSettings,
    /// Any other refusal (the user's permissions, a proxy).
    Forbidden,
}

impl McpRefusal {
    /// What Directus says when MCP is off in its settings (its `extensions.reason`).
    const DISABLED_IN_SETTINGS: &str = "MCP must be enabled";

    /// The refusal `error` (the body of a 403 from `/mcp`) stands for.
    pub fn of(error: Option<&ApiErrorBody>) -> Self {
        match error {
            Some(error)
                if error
                    .reason_or_message()
                    .contains(Self::DISABLED_IN_SETTINGS) =>
            {
                Self::DisabledInSettings
            }
            _ => Self::Forbidden,
        }
    }
}

/// The HTTP client every part of the core uses for `server`: [`transport::client`], with no
/// proxy when `server` is on this computer.
pub fn build_http_client(server: &ServerUrl) -> Result<reqwest::Client, DirectusError> {
    Ok(transport::client(server.is_loopback())?)
}

/// Like [`build_http_client`] but with no limit on a request's total time (only on
/// connecting): for MCP streams that stay open and tool calls that take their time.
pub fn build_streaming_http_client(server: &ServerUrl) -> Result<reqwest::Client, DirectusError> {
    Ok(transport::streaming_client(server.is_loopback())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_directus_error_bodies() {
        let body = r#"{"errors":[{"message":"MCP must be enabled","extensions":{"reason":"MCP must be enabled","code":"FORBIDDEN"}}]}"#;
        let parsed = ApiErrorBody::parse(body).unwrap();
        assert_eq!(parsed.code, "FORBIDDEN");
        assert_eq!(parsed.reason.as_deref(), Some("MCP must be enabled"));
        assert_eq!(
            McpRefusal::of(Some(&parsed)),
            McpRefusal::DisabledInSettings
        );
        let other = ApiErrorBody::parse(
            r#"{"errors":[{"message":"You don't have permission to access this.","extensions":{"code":"FORBIDDEN"}}]}"#,
        );
        assert_eq!(McpRefusal::of(other.as_ref()), McpRefusal::Forbidden);
        assert_eq!(McpRefusal::of(None), McpRefusal::Forbidden);
        assert_eq!(ApiErrorBody::parse("<html>nginx</html>"), None);
        assert_eq!(ApiErrorBody::parse(r#"{"data":1}"#), None);
    }
}
