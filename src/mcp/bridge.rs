//! A local (stdio) MCP server that forwards everything to Directus' Streamable HTTP
//! endpoint, for clients that only start local servers (Claude Desktop's settings file).
//!
//! The client's settings hold no token: the bridge asks its [`TokenSource`] (the OS keyring)
//! when it connects and again whenever Directus refuses the token, so a rotation done
//! elsewhere is picked up on the next call. Requests, results, notifications (progress,
//! list changes, logging), cancellations and the server's own requests (roots, sampling,
//! elicitation) pass through unchanged; Directus' session id stays on the HTTP side. When
//! Directus cannot be reached, the call in flight gets a JSON-RPC error saying so and the
//! next call connects again. Connecting and each call have deadlines ([`Timeouts`]): a
//! Directus that accepts and never answers gets the call a JSON-RPC error in time. Whether
//! Directus refused the credentials is read from the HTTP status (401), never from error
//! text, and a call is sent again only when Directus provably did not run it (a 401, a 503
//! while it starts, or a connection that could not be made). Logs go to stderr and never
//! contain the token.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::{Duration, Instant};

use rmcp::model::{
    CancelledNotificationParam, ClientNotification, ClientRequest, ErrorCode, ErrorData,
    Implementation, InitializeRequestParams, InitializeResult, PromptListChangedNotification,
    ServerCapabilities, ServerNotification, ServerResult, ToolListChangedNotification,
};
use rmcp::service::{
    NotificationContext, Peer, PeerRequestOptions, RequestContext, RoleClient, RoleServer,
    RunningService, Service, ServiceError, ServiceExt,
};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::auth::{AuthClient, AuthorizationManager};
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use tokio::sync::Mutex;

mod callback;
mod consent;
mod failure;
pub mod oauth;
mod refresh;
mod registration;
mod secret_slot;
#[cfg(test)]
mod stub;
#[cfg(test)]
mod tests;
mod timeouts;
mod upstream;

use self::failure::{LinkFailure, Verdict, short, verdict_of_call, verdict_of_connect};
use self::oauth::{OpenBrowser, SecretSlot, SignInError};
use self::refresh::Refreshed;
pub use self::timeouts::{TIMEOUT_VARIABLE, Timeouts};
use self::upstream::Upstream;
use crate::secret::SecretString;

/// Where the bridge gets the MCP token; asked at every (re)connection.
pub trait TokenSource: Send + Sync + 'static {
    /// The token kept now; `Ok(None)` when none is kept.
    fn token(&self) -> Result<Option<SecretString>, String>;
}

/// How the bridge signs in to Directus.
pub enum BridgeAuth {
    /// The MCP user's static token, asked for at every (re)connection.
    Token(Arc<dyn TokenSource>),
    /// OAuth: a sign-in through the browser the first time, then the tokens kept in `slot`
    /// (refreshed when they expire).
    OAuth {
        /// Where the client id and tokens are kept (the OS keyring).
        slot: Arc<dyn SecretSlot>,
        /// Opens the consent page.
        open_browser: OpenBrowser,
    },
}

/// What the bridge connects to.
#[derive(Debug, Clone)]
pub struct BridgeTarget {
    /// Directus' MCP endpoint (`https://HOST/mcp`).
    pub endpoint: String,
    /// The HTTP client (no redirects followed, loopback without proxy).
    pub http: reqwest::Client,
    /// How the bridge names itself in its log lines.
    pub name: String,
    /// How long connecting and each call may take.
    pub timeouts: Timeouts,
}

/// Why the bridge stopped.
#[derive(Debug, thiserror::Error)]
pub enum BridgeError {
    /// The stdio side could not start (no `initialize` from the client).
    #[error("the MCP client did not start a session on stdin: {0}")]
    NoSession(String),
}

/// Serves MCP on stdin/stdout until stdin closes.
pub async fn serve_stdio(target: BridgeTarget, auth: BridgeAuth) -> Result<(), BridgeError> {
    serve(target, auth, rmcp::transport::stdio()).await
}

/// Serves MCP over `transport` (stdio in real use) until the client side closes.
pub async fn serve<T, E, A>(
    target: BridgeTarget,
    auth: BridgeAuth,
    transport: T,
) -> Result<(), BridgeError>
where
    T: rmcp::transport::IntoTransport<RoleServer, E, A>,
    E: std::error::Error + Send + Sync + 'static,
{
    let bridge = Bridge {
        shared: Arc::new(Shared {
            target,
            auth,
            client_params: StdMutex::new(None),
            downstream: StdMutex::new(None),
            started_offline: AtomicBool::new(false),
            signing_in: AtomicBool::new(false),
            sign_in_failed_at: StdMutex::new(None),
        }),
        upstream: Arc::new(Mutex::new(None)),
        connecting: Arc::new(Mutex::new(())),
    };
    let upstream = bridge.upstream.clone();
    let shared = bridge.shared.clone();
    let running = bridge
        .serve(transport)
        .await
        .map_err(|error| BridgeError::NoSession(error.to_string()))?;
    let _ = running.waiting().await;
    shared.log("the client closed stdin; ending the Directus session");
    let live = upstream.lock().await.take();
    if let Some(mut live) = live {
        let _ = live.link.close().await;
    }
    Ok(())
}

/// What the two halves share.
struct Shared {
    target: BridgeTarget,
    auth: BridgeAuth,
    /// The client's own `initialize` parameters, sent on to Directus at each connection.
    client_params: StdMutex<Option<InitializeRequestParams>>,
    /// The stdio client, for what Directus sends it (notifications, requests).
    downstream: StdMutex<Option<Peer<RoleServer>>>,
    /// Whether `initialize` was answered without Directus (then, once it answers, the
    /// client is told that the tool and prompt lists changed).
    started_offline: AtomicBool,
    /// Whether a browser sign-in is under way (at most one at a time).
    signing_in: AtomicBool,
    /// When the last browser sign-in ended without success after its page was opened
    /// (denied, nobody came back): no new sign-in page is opened within
    /// [`Timeouts::sign_in_back_off`] of it.
    sign_in_failed_at: StdMutex<Option<Instant>>,
}

impl Shared {
    fn log(&self, message: &str) {
        eprintln!("{}: {message}", self.target.name);
    }
}

/// How often a request Directus answered with 503 (starting up) is sent again.
const BUSY_RETRIES: u32 = 5;

/// The pause before sending it again.
const BUSY_PAUSE: std::time::Duration = std::time::Duration::from_millis(500);

/// The live connection to Directus.
type Link = RunningService<RoleClient, Upstream>;

/// A live connection and, in OAuth mode, the manager that holds its tokens.
struct Live {
    link: Link,
    oauth: Option<Arc<Mutex<AuthorizationManager>>>,
}

/// The live connection's peer and, in OAuth mode, its manager.
type LivePeer = (Peer<RoleClient>, Option<Arc<Mutex<AuthorizationManager>>>);

/// What one call on the live connection came to, besides an answer.
enum SendFailure {
    /// rmcp's error (Directus' JSON-RPC error, the transport's failure, a cancellation).
    Service(ServiceError),
    /// No answer within [`Timeouts::request`].
    NoAnswer,
}

/// Why no connection was made: a failure for the client, or a sign-in to run first.
enum ConnectFailure {
    Failed(LinkFailure),
    NeedsSignIn,
}

impl From<LinkFailure> for ConnectFailure {
    fn from(failure: LinkFailure) -> Self {
        Self::Failed(failure)
    }
}

/// The stdio server half.
struct Bridge {
    shared: Arc<Shared>,
    /// The live connection; locked only to read or replace it, never across a network call.
    upstream: Arc<Mutex<Option<Live>>>,
    /// Taken while a connection is being made, so concurrent calls make one, not several.
    connecting: Arc<Mutex<()>>,
}

impl Bridge {
    /// Connects to Directus with the token kept now, or with the kept OAuth sign-in (a new
    /// sign-in is the caller's job: [`ConnectFailure::NeedsSignIn`]).
    async fn connect(&self) -> Result<Live, ConnectFailure> {
        let target = &self.shared.target;
        let deadline = target.timeouts.connect;
        let params = self
            .shared
            .client_params
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
            .unwrap_or_else(|| {
                InitializeRequestParams::new(
                    Default::default(),
                    Implementation::new("directus-mcp-setup-bridge", env!("CARGO_PKG_VERSION")),
                )
            });
        let upstream = Upstream {
            params,
            shared: self.shared.clone(),
        };
        let config = StreamableHttpClientTransportConfig::with_uri(target.endpoint.clone());
        let (started, oauth) = match &self.shared.auth {
            BridgeAuth::Token(source) => {
                let token = match source.token() {
                    Ok(Some(token)) => token,
                    Ok(None) => return Err(LinkFailure::NoToken.into()),
                    Err(reason) => return Err(LinkFailure::Keyring(reason).into()),
                };
                let transport = StreamableHttpClientTransport::with_client(
                    target.http.clone(),
                    config.auth_header(token.expose().to_owned()),
                );
                (
                    tokio::time::timeout(deadline, upstream.serve(transport)).await,
                    None,
                )
            }
            BridgeAuth::OAuth { slot, .. } => {
                let manager = oauth::kept(&target.endpoint, &target.http, slot.clone(), deadline)
                    .await
                    .map_err(sign_in_failure)?
                    .ok_or(ConnectFailure::NeedsSignIn)?;
                let client = AuthClient::new(target.http.clone(), manager);
                let manager = client.auth_manager.clone();
                self.fresh_tokens(slot, &manager).await?;
                let transport = StreamableHttpClientTransport::with_client(client, config);
                (
                    tokio::time::timeout(deadline, upstream.serve(transport)).await,
                    Some(manager),
                )
            }
        };
        match started {
            Ok(Ok(link)) => Ok(Live { link, oauth }),
            Ok(Err(error)) => match verdict_of_connect(&error) {
                Verdict::Refused => Err(self.refused_failure().into()),
                _ => Err(LinkFailure::Unreachable(short(&error)).into()),
            },
            Err(_) => Err(LinkFailure::Unreachable(format!(
                "no answer within {} s",
                deadline.as_secs()
            ))
            .into()),
        }
    }

    /// In OAuth mode, refreshes the kept tokens when they near their expiry (one bridge at a
    /// time); a refused refresh token means signing in again.
    async fn fresh_tokens(
        &self,
        slot: &Arc<dyn SecretSlot>,
        manager: &Arc<Mutex<AuthorizationManager>>,
    ) -> Result<(), LinkFailure> {
        let log = |message: &str| self.shared.log(message);
        match refresh::ensure_fresh(slot, manager, &self.shared.target.endpoint, &log).await {
            Refreshed::Fresh => Ok(()),
            Refreshed::Rejected => Err(self.refused_failure()),
            // rmcp tries again when it sends; the call fails there if it must.
            Refreshed::Failed(reason) => {
                self.shared.log(&format!(
                    "the access token could not be refreshed ({reason})"
                ));
                Ok(())
            }
        }
    }

    /// What a refusal means for this way of signing in. The tokens of an OAuth grant that was
    /// revoked are forgotten (rmcp already tried a refresh), so the next call signs in again;
    /// the client registration is kept, so that sign-in registers no new client when the
    /// client still exists in Directus (see [`registration`]).
    fn refused_failure(&self) -> LinkFailure {
        match &self.shared.auth {
            BridgeAuth::Token(_) => LinkFailure::Refused,
            BridgeAuth::OAuth { slot, .. } => {
                let _ = registration::forget_tokens(slot.as_ref());
                LinkFailure::OAuthRevoked
            }
        }
    }

    /// The browser sign-in, at most one at a time: a call that arrives while one is under
    /// way gets [`LinkFailure::SignInInProgress`] at once instead of waiting for it, and a
    /// call within [`Timeouts::sign_in_back_off`] of a sign-in whose page was opened but
    /// that did not complete gets [`LinkFailure::SignInBackOff`] at once instead of another
    /// browser tab.
    async fn sign_in(&self) -> Result<(), LinkFailure> {
        let BridgeAuth::OAuth { slot, open_browser } = &self.shared.auth else {
            return Ok(());
        };
        let failed_at = *self
            .shared
            .sign_in_failed_at
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let back_off = self.shared.target.timeouts.sign_in_back_off;
        if let Some(failed_at) = failed_at {
            let waited = failed_at.elapsed();
            if waited < back_off {
                return Err(LinkFailure::SignInBackOff(back_off - waited));
            }
        }
        if self
            .shared
            .signing_in
            .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            return Err(LinkFailure::SignInInProgress);
        }
        let target = &self.shared.target;
        let log = |message: &str| self.shared.log(message);
        let outcome = oauth::sign_in(
            &target.endpoint,
            &target.http,
            slot.clone(),
            open_browser,
            &log,
            target.timeouts.connect,
        )
        .await;
        let unfinished = matches!(
            outcome,
            Err(SignInError::TimedOut | SignInError::NotCompleted(_))
        );
        *self
            .shared
            .sign_in_failed_at
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = unfinished.then(Instant::now);
        self.shared.signing_in.store(false, Ordering::SeqCst);
        outcome
            .map(|_| ())
            .map_err(|error| match sign_in_failure(error) {
                ConnectFailure::Failed(failure) => failure,
                ConnectFailure::NeedsSignIn => LinkFailure::SignInInProgress,
            })
    }

    /// The live connection's peer (and OAuth manager), connecting first when there is none.
    /// After an offline start, the first connection tells the client to list tools and
    /// prompts again.
    async fn peer(&self) -> Result<LivePeer, LinkFailure> {
        let mut signed_in_now = false;
        loop {
            if let Some(found) = self.live_peer().await {
                return Ok(found);
            }
            if self.shared.signing_in.load(Ordering::SeqCst) {
                return Err(LinkFailure::SignInInProgress);
            }
            let gate = self.connecting.lock().await;
            // Another call may have connected while this one waited.
            if let Some(found) = self.live_peer().await {
                return Ok(found);
            }
            match self.connect().await {
                Ok(live) => {
                    let found = (live.link.peer().clone(), live.oauth.clone());
                    *self.upstream.lock().await = Some(live);
                    drop(gate);
                    self.shared.log("connected to Directus");
                    if self.shared.started_offline.swap(false, Ordering::SeqCst) {
                        self.announce_lists_changed().await;
                    }
                    return Ok(found);
                }
                Err(ConnectFailure::Failed(failure)) => return Err(failure),
                Err(ConnectFailure::NeedsSignIn) if signed_in_now => {
                    return Err(LinkFailure::SignIn(
                        "the sign-in ended but no tokens were kept".to_owned(),
                    ));
                }
                Err(ConnectFailure::NeedsSignIn) => {
                    drop(gate);
                    self.sign_in().await?;
                    signed_in_now = true;
                }
            }
        }
    }

    /// The live connection's peer, when there is one.
    async fn live_peer(&self) -> Option<LivePeer> {
        self.upstream
            .lock()
            .await
            .as_ref()
            .filter(|live| !live.link.is_closed())
            .map(|live| (live.link.peer().clone(), live.oauth.clone()))
    }

    async fn announce_lists_changed(&self) {
        let downstream = self
            .shared
            .downstream
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone();
        if let Some(downstream) = downstream {
            let _ = downstream
                .send_notification(ServerNotification::ToolListChangedNotification(
                    ToolListChangedNotification::default(),
                ))
                .await;
            let _ = downstream
                .send_notification(ServerNotification::PromptListChangedNotification(
                    PromptListChangedNotification::default(),
                ))
                .await;
        }
    }

    /// Drops the connection (the next call makes a new one).
    async fn disconnect(&self) {
        let live = self.upstream.lock().await.take();
        if let Some(mut live) = live {
            let _ = live.link.close().await;
        }
    }

    /// `initialize`: Directus' own answer, or (when it cannot be reached) one that offers
    /// tools and prompts and says why, so the client starts and the next call retries.
    async fn initialize(
        &self,
        params: InitializeRequestParams,
        peer: Peer<RoleServer>,
    ) -> Result<ServerResult, ErrorData> {
        *self
            .shared
            .client_params
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(params.clone());
        *self
            .shared
            .downstream
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(peer);
        self.disconnect().await;
        match self.peer().await {
            Ok((peer, _)) => {
                let info = peer.peer_info().ok_or_else(|| {
                    ErrorData::internal_error("Directus sent no initialize result", None)
                })?;
                let mut result = InitializeResult::new(info.capabilities.clone())
                    .with_protocol_version(info.protocol_version.clone());
                if let Some(server) = &info.server_info {
                    result = result.with_server_info(server.clone());
                }
                if let Some(instructions) = &info.instructions {
                    result = result.with_instructions(instructions.clone());
                }
                Ok(ServerResult::InitializeResult(result))
            }
            Err(LinkFailure::Unreachable(reason)) => {
                self.shared.log(&format!(
                    "Directus could not be reached ({reason}); answering initialize without it"
                ));
                self.shared.started_offline.store(true, Ordering::SeqCst);
                let capabilities = ServerCapabilities::builder()
                    .enable_tools()
                    .enable_tool_list_changed()
                    .enable_prompts()
                    .enable_prompts_list_changed()
                    .build();
                Ok(ServerResult::InitializeResult(
                    InitializeResult::new(capabilities)
                        .with_protocol_version(params.protocol_version)
                        .with_server_info(Implementation::new(
                            "directus (not reachable yet)",
                            env!("CARGO_PKG_VERSION"),
                        ))
                        .with_instructions(format!(
                            "Directus at {} could not be reached when this session started ({reason}). Each call tries again.",
                            self.shared.target.endpoint
                        )),
                ))
            }
            Err(failure) => {
                let error = failure.into_error(&self.shared.target.endpoint);
                self.shared.log(&error.message);
                Err(error)
            }
        }
    }

    /// Sends `request` to Directus and its answer back. It is sent again only when Directus
    /// provably did not run it: a refused token (read again from the keyring, once), a 503
    /// while Directus starts, or a connection that could not be made (once). Any other
    /// failure fails this call, and the next call connects anew.
    async fn forward(
        &self,
        request: ClientRequest,
        context: &RequestContext<RoleServer>,
    ) -> Result<ServerResult, ErrorData> {
        let endpoint = self.shared.target.endpoint.clone();
        let fail = |failure: LinkFailure| {
            let error = failure.into_error(&endpoint);
            self.shared.log(&error.message);
            error
        };
        let mut refusals = 0;
        let mut busy = 0;
        let mut not_sent = 0;
        loop {
            let (peer, oauth) = self.peer().await.map_err(fail)?;
            if let (Some(manager), BridgeAuth::OAuth { slot, .. }) = (&oauth, &self.shared.auth)
                && let Err(failure) = self.fresh_tokens(slot, manager).await
            {
                self.disconnect().await;
                return Err(fail(failure));
            }
            let error = match self.send(&peer, request.clone(), context).await {
                Ok(result) => return Ok(result),
                // Directus' own JSON-RPC error: the client sees it as Directus sent it.
                Err(SendFailure::Service(ServiceError::McpError(error))) => return Err(error),
                Err(SendFailure::Service(ServiceError::Cancelled { reason })) => {
                    return Err(ErrorData::new(
                        ErrorCode::INTERNAL_ERROR,
                        format!(
                            "cancelled: {}",
                            reason.unwrap_or_else(|| "by the client".to_owned())
                        ),
                        None,
                    ));
                }
                Err(SendFailure::NoAnswer) => {
                    return Err(fail(LinkFailure::NoAnswer(
                        self.shared.target.timeouts.request,
                    )));
                }
                Err(SendFailure::Service(error)) => error,
            };
            self.disconnect().await;
            match verdict_of_call(&error) {
                Verdict::Refused => {
                    refusals += 1;
                    if refusals == 1 && matches!(self.shared.auth, BridgeAuth::Token(_)) {
                        self.shared
                            .log("Directus refused the token; reading it again from the keyring");
                        continue;
                    }
                    return Err(fail(self.refused_failure()));
                }
                // Directus is starting (503 before it serves): it did not run the request,
                // so it is sent again shortly, a few times.
                Verdict::Busy if busy < BUSY_RETRIES => {
                    busy += 1;
                    tokio::time::sleep(BUSY_PAUSE).await;
                }
                // The connection could not be made: nothing was sent, so once more.
                Verdict::NotSent if not_sent == 0 => not_sent += 1,
                _ => return Err(fail(LinkFailure::Unreachable(short(&error)))),
            }
        }
    }

    /// One request on `peer`, with the call deadline; the client's cancellation (and the
    /// deadline) is passed on to Directus as a cancellation.
    async fn send(
        &self,
        peer: &Peer<RoleClient>,
        request: ClientRequest,
        context: &RequestContext<RoleServer>,
    ) -> Result<ServerResult, SendFailure> {
        let handle = peer
            .send_cancellable_request(request, PeerRequestOptions::no_options())
            .await
            .map_err(SendFailure::Service)?;
        let id = handle.id.clone();
        let response = handle.await_response();
        let cancel = |reason: &str| {
            peer.send_notification(ClientNotification::CancelledNotification(
                rmcp::model::CancelledNotification::new(CancelledNotificationParam::new(
                    Some(id.clone()),
                    Some(reason.to_owned()),
                )),
            ))
        };
        tokio::select! {
            result = response => result.map_err(SendFailure::Service),
            () = context.ct.cancelled() => {
                let _ = cancel("cancelled by the client").await;
                Err(SendFailure::Service(ServiceError::Cancelled { reason: Some("by the client".to_owned()) }))
            }
            () = tokio::time::sleep(self.shared.target.timeouts.request) => {
                // Best effort: a stalled Directus may not take the notice either.
                let notice = cancel("no answer in time");
                let _ = tokio::time::timeout(Duration::from_secs(2), notice).await;
                Err(SendFailure::NoAnswer)
            }
        }
    }
}

/// A failed kept-sign-in read or sign-in, as the failure the client sees.
fn sign_in_failure(error: SignInError) -> ConnectFailure {
    ConnectFailure::Failed(match error {
        SignInError::Unreachable(reason) => LinkFailure::Unreachable(reason),
        SignInError::Consent(refused) => LinkFailure::Consent(refused.to_string()),
        other => LinkFailure::SignIn(other.to_string()),
    })
}

impl Service<RoleServer> for Bridge {
    async fn handle_request(
        &self,
        request: ClientRequest,
        context: RequestContext<RoleServer>,
    ) -> Result<ServerResult, ErrorData> {
        match request {
            ClientRequest::InitializeRequest(request) => {
                self.initialize(request.params, context.peer.clone()).await
            }
            ClientRequest::PingRequest(_) => Ok(ServerResult::empty(())),
            other => self.forward(other, &context).await,
        }
    }

    async fn handle_notification(
        &self,
        notification: ClientNotification,
        _context: NotificationContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        match notification {
            // Directus got its own `initialized`; cancellations go with their request.
            ClientNotification::InitializedNotification(_)
            | ClientNotification::CancelledNotification(_) => Ok(()),
            other => {
                let peer = self
                    .upstream
                    .lock()
                    .await
                    .as_ref()
                    .map(|live| live.link.peer().clone());
                if let Some(peer) = peer {
                    let _ = peer.send_notification(other).await;
                }
                Ok(())
            }
        }
    }

    fn get_info(&self) -> InitializeResult {
        InitializeResult::new(ServerCapabilities::default())
    }
}
