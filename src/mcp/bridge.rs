//! A local (stdio) MCP server that forwards everything to Directus' Streamable HTTP
//! endpoint, for clients that only start local servers (Claude Desktop's settings file).
//!
//! The client's settings hold no token: the bridge asks its [`TokenSource`] (the OS keyring)
//! when it connects and again whenever Directus refuses the token, so a rotation done
//! elsewhere is picked up on the next call. Requests, results, notifications (progress,
//! list changes, logging), cancellations and the server's own requests (roots, sampling,
//! elicitation) pass through unchanged; Directus' session id stays on the HTTP side. When
//! Directus cannot be reached, the call in flight gets a JSON-RPC error saying so and the
//! next call connects again. Logs go to stderr and never contain the token.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex as StdMutex};

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
use rmcp::transport::auth::AuthClient;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use tokio::sync::Mutex;

mod failure;
pub mod oauth;
mod upstream;

use self::failure::{LinkFailure, refused, short};
use self::oauth::{OpenBrowser, SecretSlot};
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
        }),
        upstream: Arc::new(Mutex::new(None)),
    };
    let upstream = bridge.upstream.clone();
    let shared = bridge.shared.clone();
    let running = bridge
        .serve(transport)
        .await
        .map_err(|error| BridgeError::NoSession(error.to_string()))?;
    let _ = running.waiting().await;
    shared.log("the client closed stdin; ending the Directus session");
    if let Some(mut link) = upstream.lock().await.take() {
        let _ = link.close().await;
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

/// The stdio server half.
struct Bridge {
    shared: Arc<Shared>,
    upstream: Arc<Mutex<Option<Link>>>,
}

impl Bridge {
    /// Connects to Directus with the token kept now, or with the OAuth sign-in.
    async fn connect(&self) -> Result<Link, LinkFailure> {
        let target = &self.shared.target;
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
        let started = match &self.shared.auth {
            BridgeAuth::Token(source) => {
                let token = match source.token() {
                    Ok(Some(token)) => token,
                    Ok(None) => return Err(LinkFailure::NoToken),
                    Err(reason) => return Err(LinkFailure::Keyring(reason)),
                };
                let transport = StreamableHttpClientTransport::with_client(
                    target.http.clone(),
                    config.auth_header(token.expose().to_owned()),
                );
                upstream.serve(transport).await
            }
            BridgeAuth::OAuth { slot, open_browser } => {
                let log = |message: &str| self.shared.log(message);
                let manager = oauth::signed_in(
                    &target.endpoint,
                    &target.http,
                    slot.clone(),
                    open_browser,
                    &log,
                )
                .await
                .map_err(|reason| {
                    if reason.contains("error sending request") || reason.contains("connect") {
                        LinkFailure::Unreachable(reason)
                    } else {
                        LinkFailure::SignIn(reason)
                    }
                })?;
                let client = AuthClient::new(target.http.clone(), manager);
                let transport = StreamableHttpClientTransport::with_client(client, config);
                upstream.serve(transport).await
            }
        };
        match started {
            Ok(link) => Ok(link),
            Err(error) if refused(&error) => Err(self.refused_failure()),
            Err(error) => Err(LinkFailure::Unreachable(short(&error))),
        }
    }

    /// What a refusal means for this way of signing in. An OAuth grant that was revoked is
    /// forgotten, so the next call signs in again.
    fn refused_failure(&self) -> LinkFailure {
        match &self.shared.auth {
            BridgeAuth::Token(_) => LinkFailure::Refused,
            BridgeAuth::OAuth { slot, .. } => {
                let _ = slot.clear();
                LinkFailure::OAuthRevoked
            }
        }
    }

    /// The live connection's peer, connecting first when there is none. After an offline
    /// start, the first connection tells the client to list tools and prompts again.
    async fn peer(&self) -> Result<Peer<RoleClient>, LinkFailure> {
        let mut upstream = self.upstream.lock().await;
        if let Some(link) = upstream.as_ref().filter(|link| !link.is_closed()) {
            return Ok(link.peer().clone());
        }
        let link = self.connect().await?;
        let peer = link.peer().clone();
        *upstream = Some(link);
        drop(upstream);
        self.shared.log("connected to Directus");
        if self.shared.started_offline.swap(false, Ordering::SeqCst) {
            self.announce_lists_changed().await;
        }
        Ok(peer)
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
        if let Some(mut link) = self.upstream.lock().await.take() {
            let _ = link.close().await;
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
            Ok(peer) => {
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

    /// Sends `request` to Directus and its answer back. A refused token is read again from
    /// the keyring and the request sent once more on a new connection (Directus did not run
    /// it); a broken connection fails this call and is made anew on the next.
    async fn forward(
        &self,
        request: ClientRequest,
        context: &RequestContext<RoleServer>,
    ) -> Result<ServerResult, ErrorData> {
        let endpoint = self.shared.target.endpoint.clone();
        let mut refusals = 0;
        let mut busy = 0;
        loop {
            let peer = match self.peer().await {
                Ok(peer) => peer,
                Err(failure) => {
                    let error = failure.into_error(&endpoint);
                    self.shared.log(&error.message);
                    return Err(error);
                }
            };
            let outcome = self.send(&peer, request.clone(), context).await;
            match outcome {
                Ok(result) => return Ok(result),
                // Directus' own JSON-RPC error: the client sees it as Directus sent it.
                Err(ServiceError::McpError(error)) => return Err(error),
                Err(ServiceError::Cancelled { reason }) => {
                    return Err(ErrorData::new(
                        ErrorCode::INTERNAL_ERROR,
                        format!(
                            "cancelled: {}",
                            reason.unwrap_or_else(|| "by the client".to_owned())
                        ),
                        None,
                    ));
                }
                Err(error) if refused(&error) => {
                    self.disconnect().await;
                    refusals += 1;
                    if refusals == 1 {
                        self.shared
                            .log("Directus refused the token; reading it again from the keyring");
                        continue;
                    }
                    let error = self.refused_failure().into_error(&endpoint);
                    self.shared.log(&error.message);
                    return Err(error);
                }
                // Directus is starting (503 before it serves): it did not run the request,
                // so it is sent again shortly, a few times.
                Err(error) if short(&error).contains("HTTP 503") && busy < BUSY_RETRIES => {
                    busy += 1;
                    self.disconnect().await;
                    tokio::time::sleep(BUSY_PAUSE).await;
                }
                Err(error) => {
                    self.disconnect().await;
                    let error = LinkFailure::Unreachable(short(&error)).into_error(&endpoint);
                    self.shared.log(&error.message);
                    return Err(error);
                }
            }
        }
    }

    /// One request on `peer`; the client's cancellation is passed on to Directus.
    async fn send(
        &self,
        peer: &Peer<RoleClient>,
        request: ClientRequest,
        context: &RequestContext<RoleServer>,
    ) -> Result<ServerResult, ServiceError> {
        let handle = peer
            .send_cancellable_request(request, PeerRequestOptions::no_options())
            .await?;
        let id = handle.id.clone();
        let response = handle.await_response();
        tokio::select! {
            result = response => result,
            () = context.ct.cancelled() => {
                let _ = peer
                    .send_notification(ClientNotification::CancelledNotification(
                        rmcp::model::CancelledNotification::new(
                            CancelledNotificationParam::new(Some(id), Some("cancelled by the client".to_owned())),
                        ),
                    ))
                    .await;
                Err(ServiceError::Cancelled { reason: Some("by the client".to_owned()) })
            }
        }
    }
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
                    .map(|link| link.peer().clone());
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
