//! A stand-in for Directus' MCP endpoint on 127.0.0.1, for the bridge's tests: it answers
//! `initialize`, `tools/list` and `tools/call` over Streamable HTTP (JSON answers, one
//! request per connection), optionally behind OAuth (metadata, registration, a token
//! endpoint that rotates refresh tokens and refuses a replayed one as Directus does), and
//! misbehaves on demand: it breaks off or stalls a `tools/call`, or stops listening.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the stub does with a `tools/call`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnCall {
    /// Answers it.
    Answer,
    /// Reads it, then closes the connection without an answer (it "ran").
    BreakOff,
    /// Reads it and never answers.
    Stall,
}

/// How the stub behaves.
#[derive(Debug, Clone)]
pub struct StubOptions {
    pub on_call: OnCall,
    /// OAuth in front of `/mcp`.
    pub oauth: bool,
    /// The lifetime of the tokens the code exchange issues.
    pub first_token_lifetime: u64,
    /// The consent page the metadata names (default: the stub's own `/authorize`).
    pub authorization_endpoint: Option<String>,
}

impl Default for StubOptions {
    fn default() -> Self {
        Self {
            on_call: OnCall::Answer,
            oauth: false,
            first_token_lifetime: 3600,
            authorization_endpoint: None,
        }
    }
}

/// What the stub has seen.
#[derive(Debug, Default)]
pub struct Seen {
    pub tools_calls: AtomicUsize,
    pub refreshes: AtomicUsize,
    pub code_exchanges: AtomicUsize,
    pub registrations: AtomicUsize,
    /// Asks to the revocation endpoint (the bridge's registration check).
    pub revocations: AtomicUsize,
}

struct State {
    base: String,
    options: StubOptions,
    seen: Arc<Seen>,
    stopped: AtomicBool,
    tokens: Mutex<Tokens>,
    /// The client ids registered and not deleted.
    clients: Mutex<HashSet<String>>,
}

#[derive(Default)]
struct Tokens {
    issued: usize,
    access: HashSet<String>,
    refresh: Option<String>,
}

/// A running stub; stops listening when dropped or [`Stub::stop`]ped.
pub struct Stub {
    pub base: String,
    pub seen: Arc<Seen>,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Stub {
    /// Starts on `listener`.
    pub fn start(listener: TcpListener, options: StubOptions) -> Self {
        let port = listener.local_addr().unwrap().port();
        let base = format!("http://127.0.0.1:{port}");
        let seen = Arc::new(Seen::default());
        let state = Arc::new(State {
            base: base.clone(),
            options,
            seen: seen.clone(),
            stopped: AtomicBool::new(false),
            tokens: Mutex::new(Tokens::default()),
            clients: Mutex::new(HashSet::new()),
        });
        let task = tokio::spawn({
            let state = state.clone();
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(serve(stream, state.clone()));
                }
            }
        });
        Self {
            base,
            seen,
            state,
            task,
        }
    }

    /// Starts on a free port of 127.0.0.1.
    pub async fn on_free_port(options: StubOptions) -> Self {
        Self::start(TcpListener::bind("127.0.0.1:0").await.unwrap(), options)
    }

    /// Directus' MCP endpoint here.
    pub fn endpoint(&self) -> String {
        format!("{}/mcp", self.base)
    }

    /// Issues a token pair as a code exchange would: `(access, refresh)`.
    pub fn issue(&self) -> (String, String) {
        issue(&self.state)
    }

    /// Forgets every token it issued, as Directus does when the grant is revoked: the kept
    /// access and refresh tokens are refused from now on.
    pub fn refuse_issued_tokens(&self) {
        let mut tokens = self.state.tokens.lock().unwrap();
        tokens.access.clear();
        tokens.refresh = None;
    }

    /// Registers `client_id` as an earlier sign-in would have.
    pub fn add_client(&self, client_id: &str) {
        self.state
            .clients
            .lock()
            .unwrap()
            .insert(client_id.to_owned());
    }

    /// Deletes every registered client and its tokens, as revoking in Directus MCP Setup
    /// does.
    pub fn delete_clients(&self) {
        self.state.clients.lock().unwrap().clear();
        self.refuse_issued_tokens();
    }

    /// Stops listening: new connections are refused, open ones closed.
    pub fn stop(&self) {
        self.state.stopped.store(true, Ordering::SeqCst);
        self.task.abort();
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A listener on 127.0.0.1 that accepts connections and never answers (a stalled Directus).
pub async fn silent() -> (String, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "http://127.0.0.1:{}/mcp",
        listener.local_addr().unwrap().port()
    );
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    (url, task)
}

struct Request {
    method: String,
    path: String,
    headers: String,
    body: Vec<u8>,
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|window| window == b"\r\n\r\n") {
            break at + 4;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        data.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut words = head.split_whitespace();
    let method = words.next()?.to_owned();
    let path = words.next()?.to_owned();
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    let mut body = data[head_end..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some(Request {
        method,
        path,
        headers: head.to_ascii_lowercase(),
        body,
    })
}

async fn reply(stream: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &str) {
    let mut text = format!(
        "HTTP/1.1 {status}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    let _ = stream.write_all(text.as_bytes()).await;
    let _ = stream.shutdown().await;
}

fn json_header() -> (&'static str, String) {
    ("content-type", "application/json".to_owned())
}

async fn serve(mut stream: TcpStream, state: Arc<State>) {
    if state.stopped.load(Ordering::SeqCst) {
        return;
    }
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let base = &state.base;
    let path = request
        .path
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    match (request.method.as_str(), path.as_str()) {
        ("GET", p) if p.starts_with("/.well-known/oauth-protected-resource") => {
            let body = json!({"resource": format!("{base}/mcp"), "authorization_servers": [base]});
            reply(&mut stream, "200 OK", &[json_header()], &body.to_string()).await;
        }
        ("GET", p)
            if p.starts_with("/.well-known/oauth-authorization-server")
                || p.starts_with("/.well-known/openid-configuration") =>
        {
            let body = json!({
                "issuer": base,
                "authorization_endpoint": state
                    .options
                    .authorization_endpoint
                    .clone()
                    .unwrap_or_else(|| format!("{base}/authorize")),
                "token_endpoint": format!("{base}/token"),
                "registration_endpoint": format!("{base}/register"),
                "revocation_endpoint": format!("{base}/revoke"),
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["none"],
                "scopes_supported": ["mcp:access"],
            });
            reply(&mut stream, "200 OK", &[json_header()], &body.to_string()).await;
        }
        ("POST", "/register") => {
            let number = state.seen.registrations.fetch_add(1, Ordering::SeqCst) + 1;
            let client_id = format!("stub-client-{number}");
            state.clients.lock().unwrap().insert(client_id.clone());
            let asked: Value = serde_json::from_slice(&request.body).unwrap_or_default();
            let body = json!({
                "client_id": client_id,
                "redirect_uris": asked["redirect_uris"],
                "token_endpoint_auth_method": "none",
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
            });
            reply(
                &mut stream,
                "201 Created",
                &[json_header()],
                &body.to_string(),
            )
            .await;
        }
        ("POST", "/token") => token(&mut stream, &state, &request).await,
        ("POST", "/revoke") => revoke(&mut stream, &state, &request).await,
        ("POST", "/mcp") => mcp(stream, &state, &request).await,
        ("DELETE", "/mcp") => reply(&mut stream, "200 OK", &[], "").await,
        _ => reply(&mut stream, "405 Method Not Allowed", &[], "").await,
    }
}

async fn token(stream: &mut TcpStream, state: &State, request: &Request) {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect();
    let field = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    };
    let lifetime = match field("grant_type").as_str() {
        "authorization_code" => {
            state.seen.code_exchanges.fetch_add(1, Ordering::SeqCst);
            state.options.first_token_lifetime
        }
        "refresh_token" => {
            state.seen.refreshes.fetch_add(1, Ordering::SeqCst);
            let current = state.tokens.lock().unwrap().refresh.clone();
            if current.as_deref() != Some(field("refresh_token").as_str()) {
                let body = json!({"error": "invalid_grant", "error_description": "refresh token replayed"});
                reply(
                    stream,
                    "400 Bad Request",
                    &[json_header()],
                    &body.to_string(),
                )
                .await;
                return;
            }
            3600
        }
        _ => {
            reply(
                stream,
                "400 Bad Request",
                &[json_header()],
                r#"{"error":"unsupported_grant_type"}"#,
            )
            .await;
            return;
        }
    };
    let (access, refresh) = issue(state);
    let body = json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": lifetime,
        "refresh_token": refresh,
        "scope": "mcp:access",
    });
    reply(stream, "200 OK", &[json_header()], &body.to_string()).await;
}

/// Directus' revocation endpoint as far as the client goes: `401 invalid_client` for a
/// client it does not know, `200 {}` otherwise (the token is not looked at).
async fn revoke(stream: &mut TcpStream, state: &State, request: &Request) {
    state.seen.revocations.fetch_add(1, Ordering::SeqCst);
    let client_id = url::form_urlencoded::parse(&request.body)
        .find(|(key, _)| key == "client_id")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default();
    if state.clients.lock().unwrap().contains(&client_id) {
        reply(stream, "200 OK", &[json_header()], "{}").await;
    } else {
        let body =
            json!({"error": "invalid_client", "error_description": "Client authentication failed"});
        reply(
            stream,
            "401 Unauthorized",
            &[json_header()],
            &body.to_string(),
        )
        .await;
    }
}

fn issue(state: &State) -> (String, String) {
    let mut tokens = state.tokens.lock().unwrap();
    tokens.issued += 1;
    let access = format!("access-{}", tokens.issued);
    let refresh = format!("refresh-{}", tokens.issued);
    tokens.access.insert(access.clone());
    tokens.refresh = Some(refresh.clone());
    (access, refresh)
}

async fn mcp(mut stream: TcpStream, state: &State, request: &Request) {
    if state.options.oauth {
        let authorized = request
            .headers
            .lines()
            .find_map(|line| line.strip_prefix("authorization: bearer "))
            .is_some_and(|token| state.tokens.lock().unwrap().access.contains(token.trim()));
        if !authorized {
            let challenge = format!(
                "Bearer resource_metadata=\"{}/.well-known/oauth-protected-resource/mcp\"",
                state.base
            );
            reply(
                &mut stream,
                "401 Unauthorized",
                &[("www-authenticate", challenge), json_header()],
                "{}",
            )
            .await;
            return;
        }
    }
    let message: Value = serde_json::from_slice(&request.body).unwrap_or_default();
    let Some(id) = message.get("id").cloned() else {
        reply(&mut stream, "202 Accepted", &[], "").await;
        return;
    };
    let result = match message["method"].as_str().unwrap_or_default() {
        "initialize" => json!({
            "protocolVersion": message["params"]["protocolVersion"],
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "stub-directus", "version": "1"},
        }),
        "tools/list" => json!({"tools": [{"name": "items", "inputSchema": {"type": "object"}}]}),
        "tools/call" => {
            state.seen.tools_calls.fetch_add(1, Ordering::SeqCst);
            match state.options.on_call {
                OnCall::Answer => json!({"content": [{"type": "text", "text": "done"}]}),
                OnCall::BreakOff => return,
                OnCall::Stall => {
                    tokio::time::sleep(Duration::from_secs(3600)).await;
                    return;
                }
            }
        }
        _ => json!({}),
    };
    let body = json!({"jsonrpc": "2.0", "id": id, "result": result});
    reply(
        &mut stream,
        "200 OK",
        &[json_header(), ("mcp-session-id", "stub-session".to_owned())],
        &body.to_string(),
    )
    .await;
}
