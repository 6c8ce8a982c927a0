//! How the bridge reads a failure, pinned where `scripts/mutants.sh` found it unguarded:
//! each test here fails under the cargo-mutants mutant of `failure.rs` named in its comment.

use std::any::TypeId;
use std::borrow::Cow;
use std::time::Duration;

use rmcp::transport::streamable_http_client::{AuthRequiredError, HttpStatusError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::*;

/// The transport name rmcp gives its streamable HTTP client (`std::any::type_name`).
const RMCP_TRANSPORT: &str = "rmcp::transport::streamable_http_client::StreamableHttpClientTransport<reqwest::async_impl::client::Client>";

fn transport_error(error: impl std::error::Error + Send + Sync + 'static) -> DynamicTransportError {
    DynamicTransportError::from_parts(RMCP_TRANSPORT, TypeId::of::<()>(), Box::new(error))
}

fn call_failing_with(error: impl std::error::Error + Send + Sync + 'static) -> ServiceError {
    ServiceError::TransportSend(transport_error(error))
}

fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// reqwest's error for a request to a loopback port nobody listens on.
async fn connection_refused() -> reqwest::Error {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    drop(listener);
    http().post(url).send().await.unwrap_err()
}

/// reqwest's error for an answer with `status` (from `error_for_status`).
async fn answered(status: &str) -> reqwest::Error {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    let answer = format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = [0_u8; 4096];
        let _ = stream.read(&mut request).await;
        stream.write_all(answer.as_bytes()).await.unwrap();
    });
    let response = http().post(url).send().await.unwrap();
    server.await.unwrap();
    response.error_for_status().unwrap_err()
}

/// Mutant: match guard `status.status == 401` → `false` in `verdict_of_transport`.
#[test]
fn a_401_status_is_a_refusal() {
    let refused = call_failing_with(HttpError::HttpStatus(HttpStatusError::new(401, None)));
    assert_eq!(verdict_of_call(&refused), Verdict::Refused);
}

/// Mutant: match guard `text.starts_with("HTTP 503 ")` → `false` in `verdict_of_transport`.
#[test]
fn a_503_without_a_status_code_is_busy() {
    let busy = call_failing_with(HttpError::UnexpectedServerResponse(Cow::Borrowed(
        "HTTP 503 Service Unavailable: Directus is starting",
    )));
    assert_eq!(verdict_of_call(&busy), Verdict::Busy);
}

/// Mutants: match guard `error.is_connect()` → `true` and → `false` in
/// `verdict_of_transport` (only a connection that could not be made proves the request
/// was not sent, so only it may be sent again).
#[tokio::test]
async fn only_a_refused_connection_counts_as_not_sent() {
    let not_sent = call_failing_with(HttpError::Client(connection_refused().await));
    assert_eq!(verdict_of_call(&not_sent), Verdict::NotSent);
    let answered = call_failing_with(HttpError::Client(
        answered("500 Internal Server Error").await,
    ));
    assert_eq!(verdict_of_call(&answered), Verdict::Broken);
}

/// Mutant: `==` → `!=` in `status.as_u16() == 401` in `verdict_of_transport` (a bare
/// reqwest error in the chain, as another transport reports it).
#[tokio::test]
async fn a_bare_http_error_is_read_by_its_status() {
    let refused = call_failing_with(answered("401 Unauthorized").await);
    assert_eq!(verdict_of_call(&refused), Verdict::Refused);
    let failing = call_failing_with(answered("500 Internal Server Error").await);
    assert_eq!(verdict_of_call(&failing), Verdict::Broken);
    let not_sent = call_failing_with(connection_refused().await);
    assert_eq!(verdict_of_call(&not_sent), Verdict::NotSent);
}

/// Mutant: delete match arm `ClientInitializeError::TransportError{error, ..}` in
/// `verdict_of_connect` (a token refused at `initialize` must read as a refusal too, so
/// the bridge says to create or rotate it instead of "could not be reached").
#[test]
fn a_refusal_at_connect_is_a_refusal() {
    let refused = ClientInitializeError::TransportError {
        error: transport_error(HttpError::AuthRequired(AuthRequiredError::new(
            "Bearer realm=\"directus\"".to_owned(),
        ))),
        context: Cow::Borrowed("send initialize request"),
    };
    assert_eq!(verdict_of_connect(&refused), Verdict::Refused);
    let closed = ClientInitializeError::ConnectionClosed("initialize".to_owned());
    assert_eq!(verdict_of_connect(&closed), Verdict::Broken);
}

/// Mutants: `short -> String` with `String::new()` and `"xyzzy"`, `delete !` in `short`,
/// and the `+` → `-`/`*` mutants of `strip_type_names`'s `start + length + 1`.
#[test]
fn a_failure_reads_as_one_line_without_rmcp_type_names() {
    let error = call_failing_with(HttpError::UnexpectedServerResponse(Cow::Borrowed(
        "HTTP 502 Bad Gateway: upstream down",
    )));
    let line = short(&error);
    assert!(
        line.contains("HTTP 502 Bad Gateway: upstream down"),
        "{line}"
    );
    assert!(
        !line.contains("rmcp::") && !line.contains("Transport"),
        "{line}"
    );
    assert!(!line.contains(']'), "{line}");
    assert_eq!(
        line.matches("HTTP 502").count(),
        1,
        "a cause its outer message already quotes is said once: {line}"
    );
}

/// Mutant: `LinkFailure::into_error -> ErrorData` with `Default::default()` (the client
/// would show an empty error).
#[test]
fn every_link_failure_names_directus_and_what_to_do() {
    let endpoint = "http://127.0.0.1:8055";
    for failure in [
        LinkFailure::NoToken,
        LinkFailure::Refused,
        LinkFailure::Unreachable("connection refused".into()),
        LinkFailure::SignIn("the browser was closed".into()),
        LinkFailure::OAuthRevoked,
        LinkFailure::SignInInProgress,
        LinkFailure::Consent("the page is not on Directus".into()),
        LinkFailure::NoAnswer(Duration::from_secs(120)),
    ] {
        let error = failure.into_error(endpoint);
        assert_eq!(error.code, ErrorCode::INTERNAL_ERROR);
        assert!(error.message.contains(endpoint), "{}", error.message);
    }
    let keyring = LinkFailure::Keyring("locked".into()).into_error(endpoint);
    assert!(keyring.message.contains("unlock it"), "{}", keyring.message);
}
