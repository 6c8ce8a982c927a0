//! The bridge's own OAuth sign-in, for `bridge --auth oauth`: it registers with Directus
//! (Dynamic Client Registration), opens the consent page in the browser with a redirect to a
//! one-shot listener on 127.0.0.1, exchanges the code (PKCE) and keeps the client id and
//! tokens in a [`SecretSlot`] (the OS keyring), from where later runs load them; tokens are
//! refreshed by rmcp's `AuthClient` when they expire.

use std::sync::Arc;
use std::time::Duration;

use rmcp::transport::auth::{
    AuthError, AuthorizationManager, AuthorizationRequest, CredentialStore, OAuthState,
    StoredCredentials,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::secret::SecretString;

/// One secret the bridge may read, replace and forget (a keyring entry).
pub trait SecretSlot: Send + Sync + 'static {
    /// The value kept now.
    fn load(&self) -> Result<Option<SecretString>, String>;
    /// Replaces the value.
    fn save(&self, value: &SecretString) -> Result<(), String>;
    /// Forgets the value.
    fn clear(&self) -> Result<(), String>;
}

/// Opens a URL for the user (their browser).
pub type OpenBrowser = Arc<dyn Fn(&str) + Send + Sync>;

/// How the bridge names itself when it registers with Directus (shown by `grants list`).
pub const CLIENT_NAME: &str = "Directus MCP Setup (bridge)";

/// How long the sign-in waits for the consent page to send the browser back.
pub const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

/// rmcp's credential store over a [`SecretSlot`]: the credentials as JSON.
struct SlotStore(Arc<dyn SecretSlot>);

fn store_error(reason: String) -> AuthError {
    AuthError::InternalError(format!("the OS keyring: {reason}"))
}

#[async_trait::async_trait]
impl CredentialStore for SlotStore {
    async fn load(&self) -> Result<Option<StoredCredentials>, AuthError> {
        let Some(text) = self.0.load().map_err(store_error)? else {
            return Ok(None);
        };
        // Unreadable credentials mean signing in again, not an error.
        Ok(serde_json::from_str(text.expose()).ok())
    }

    async fn save(&self, credentials: StoredCredentials) -> Result<(), AuthError> {
        let text = serde_json::to_string(&credentials)
            .map_err(|error| AuthError::InternalError(error.to_string()))?;
        self.0.save(&SecretString::new(text)).map_err(store_error)
    }

    async fn clear(&self) -> Result<(), AuthError> {
        self.0.clear().map_err(store_error)
    }
}

/// An authorization manager for `mcp_url` with credentials: those kept in `slot`, or, when
/// there are none, a new sign-in through the browser (which waits for the user's consent).
pub async fn signed_in(
    mcp_url: &str,
    http: &reqwest::Client,
    slot: Arc<dyn SecretSlot>,
    open_browser: &OpenBrowser,
    log: &(dyn Fn(&str) + Sync),
) -> Result<AuthorizationManager, String> {
    let describe = |error: AuthError| error.to_string();
    let mut manager = AuthorizationManager::new(mcp_url).await.map_err(describe)?;
    manager.with_client(http.clone()).map_err(describe)?;
    manager.set_credential_store(SlotStore(slot));
    if manager.initialize_from_store().await.map_err(describe)? {
        return Ok(manager);
    }
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|error| format!("no loopback port for the sign-in: {error}"))?;
    let port = listener
        .local_addr()
        .map_err(|error| error.to_string())?
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let mut state = OAuthState::Unauthorized(manager);
    state
        .start_authorization(
            AuthorizationRequest::new(redirect_uri)
                .with_client_name(CLIENT_NAME)
                .with_scopes(["mcp:access"]),
        )
        .await
        .map_err(|error| format!("Directus did not start the sign-in: {error}"))?;
    let url = state.get_authorization_url().await.map_err(describe)?;
    log(&format!(
        "sign in to Directus in your browser to let this client use MCP (opening {url})"
    ));
    open_browser(&url);
    let callback = tokio::time::timeout(SIGN_IN_TIMEOUT, wait_for_callback(&listener, port))
        .await
        .map_err(|_| {
            format!(
                "nobody signed in within {} s; the next call asks again",
                SIGN_IN_TIMEOUT.as_secs()
            )
        })??;
    state
        .handle_callback_url(&callback)
        .await
        .map_err(|error| format!("the sign-in was not completed: {error}"))?;
    log("signed in; the tokens are kept in the OS keyring");
    state
        .into_authorization_manager()
        .ok_or_else(|| "the sign-in ended without credentials".to_owned())
}

/// Waits for the browser to come back to the listener; answers it with a page saying so and
/// returns the full redirect URL (with `code` and `state`).
async fn wait_for_callback(listener: &TcpListener, port: u16) -> Result<String, String> {
    loop {
        let (mut stream, _) = listener
            .accept()
            .await
            .map_err(|error| format!("the sign-in listener failed: {error}"))?;
        let mut request = vec![0u8; 8192];
        let read = stream.read(&mut request).await.unwrap_or(0);
        let head = String::from_utf8_lossy(&request[..read]).into_owned();
        let target = head
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("GET "))
            .and_then(|rest| rest.split(' ').next())
            .unwrap_or_default()
            .to_owned();
        let is_callback = target.starts_with("/callback?");
        let (status, body) = if is_callback {
            (
                "200 OK",
                "Signed in to Directus. You can close this tab and go back to your AI client.",
            )
        } else {
            ("404 Not Found", "Not the sign-in address.")
        };
        let answer = format!(
            "HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(answer.as_bytes()).await;
        let _ = stream.shutdown().await;
        if is_callback {
            return Ok(format!("http://127.0.0.1:{port}{target}"));
        }
    }
}
