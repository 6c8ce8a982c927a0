//! The bridge's own OAuth sign-in, for `bridge --auth oauth`: it registers with Directus
//! (Dynamic Client Registration), opens the consent page in the browser (only an https page
//! on Directus or its named issuer, see [`ConsentUrl`]) with a redirect to a listener on
//! 127.0.0.1 (see [`super::callback`]), exchanges the code (PKCE) and keeps the client id
//! and tokens in a [`SecretSlot`] (the OS keyring), from where later runs load them. Tokens
//! are refreshed before they expire, one bridge at a time (see [`super::refresh`]).

use std::sync::Arc;
use std::time::Duration;

use rmcp::transport::auth::{
    AuthError, AuthorizationManager, AuthorizationMetadataSource, AuthorizationRequest,
    CredentialStore, OAuthState, StoredCredentials,
};

use super::callback::CallbackListener;
pub use super::consent::{ConsentError, ConsentUrl};
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

/// Opens a checked consent page for the user (their browser).
pub type OpenBrowser = Arc<dyn Fn(&ConsentUrl) + Send + Sync>;

/// How the bridge names itself when it registers with Directus (shown by `grants list`).
pub const CLIENT_NAME: &str = "Directus MCP Setup (bridge)";

/// How long the sign-in waits for the consent page to send the browser back.
pub const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

/// rmcp's credential store over a [`SecretSlot`]: the credentials as JSON.
pub(super) struct SlotStore(pub(super) Arc<dyn SecretSlot>);

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

/// Why the sign-in did not give the bridge credentials.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Directus (or its authorization server) could not be reached or did not answer.
    #[error("Directus could not be reached for the sign-in ({0})")]
    Unreachable(String),
    /// The consent page the metadata names was not opened.
    #[error(transparent)]
    Consent(#[from] ConsentError),
    /// Nobody came back from the consent page in time.
    #[error("nobody signed in within {} s; the next call asks again", SIGN_IN_TIMEOUT.as_secs())]
    TimedOut,
    /// Any other failure (metadata, registration, code exchange, keyring).
    #[error("{0}")]
    Failed(String),
}

impl SignInError {
    /// An rmcp error: unreachable when a network error is among its causes.
    fn from_auth(context: &str, error: &AuthError) -> Self {
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(cause) = current {
            if cause.downcast_ref::<reqwest::Error>().is_some() {
                return Self::Unreachable(format!("{context}: {error}"));
            }
            current = cause.source();
        }
        Self::Failed(format!("{context}: {error}"))
    }
}

/// The authorization manager for `mcp_url` with the credentials kept in `slot`, or `None`
/// when none are kept (then [`sign_in`] is needed). Bounded by `deadline` (it reads
/// Directus' metadata).
pub async fn kept(
    mcp_url: &str,
    http: &reqwest::Client,
    slot: Arc<dyn SecretSlot>,
    deadline: Duration,
) -> Result<Option<AuthorizationManager>, SignInError> {
    let work = async {
        let mut manager = new_manager(mcp_url, http, slot).await?;
        let found = manager
            .initialize_from_store()
            .await
            .map_err(|error| SignInError::from_auth("the kept sign-in", &error))?;
        Ok(found.then_some(manager))
    };
    tokio::time::timeout(deadline, work)
        .await
        .map_err(|_| not_in_time(deadline))?
}

async fn new_manager(
    mcp_url: &str,
    http: &reqwest::Client,
    slot: Arc<dyn SecretSlot>,
) -> Result<AuthorizationManager, SignInError> {
    let mut manager = AuthorizationManager::new(mcp_url)
        .await
        .map_err(|error| SignInError::from_auth("Directus' address", &error))?;
    manager
        .with_client(http.clone())
        .map_err(|error| SignInError::Failed(error.to_string()))?;
    manager.set_credential_store(SlotStore(slot));
    Ok(manager)
}

/// `work`, or [`SignInError::Unreachable`] when it takes longer than `deadline`.
async fn within<T>(
    deadline: Duration,
    work: impl Future<Output = Result<T, SignInError>>,
) -> Result<T, SignInError> {
    tokio::time::timeout(deadline, work)
        .await
        .map_err(|_| not_in_time(deadline))?
}

fn not_in_time(deadline: Duration) -> SignInError {
    SignInError::Unreachable(format!("no answer within {} s", deadline.as_secs()))
}

/// Forgets the kept tokens but keeps the client registration (its client id and issuer), so
/// the next [`sign_in`] reuses it instead of registering another client. Directus (12.4.1,
/// `services/mcp-oauth/utils/redirect.ts` `matchRedirectUri`) accepts any port on a
/// registered loopback redirect (RFC 8252 §7.3), so the new listener's port does not matter.
/// Unreadable credentials are cleared.
pub(super) fn forget_tokens(slot: &dyn SecretSlot) -> Result<(), String> {
    let kept = slot
        .load()?
        .and_then(|text| serde_json::from_str::<StoredCredentials>(text.expose()).ok());
    let Some(kept) = kept else {
        return slot.clear();
    };
    let registration =
        StoredCredentials::new(kept.client_id, None, Vec::new(), None).with_issuer(kept.issuer);
    let text = serde_json::to_string(&registration).map_err(|error| error.to_string())?;
    slot.save(&SecretString::new(text))
}

/// The client id kept from an earlier registration with the authorization server `issuer`.
fn kept_registration(slot: &dyn SecretSlot, issuer: Option<&str>) -> Option<String> {
    let text = slot.load().ok()??;
    let kept: StoredCredentials = serde_json::from_str(text.expose()).ok()?;
    let same_server = match (kept.issuer.as_deref(), issuer) {
        (Some(kept), Some(now)) => kept == now,
        _ => true,
    };
    (same_server && !kept.client_id.is_empty()).then_some(kept.client_id)
}

/// An authorization manager for `mcp_url` with credentials: those kept in `slot`, or, when
/// there are none, a new sign-in through the browser (see [`sign_in`]).
pub async fn signed_in(
    mcp_url: &str,
    http: &reqwest::Client,
    slot: Arc<dyn SecretSlot>,
    open_browser: &OpenBrowser,
    log: &(dyn Fn(&str) + Sync),
    deadline: Duration,
) -> Result<AuthorizationManager, SignInError> {
    if let Some(manager) = kept(mcp_url, http, slot.clone(), deadline).await? {
        return Ok(manager);
    }
    sign_in(mcp_url, http, slot, open_browser, log, deadline).await
}

/// A new sign-in: reads the authorization server's metadata and refuses a consent page that
/// is not https on Directus or its named issuer (before registering anything), registers,
/// opens the page, waits up to [`SIGN_IN_TIMEOUT`] for the browser to come back with this
/// sign-in's `state`, exchanges the code, and only then tells the browser it worked. Network
/// steps are bounded by `deadline` each. A client registration kept from an earlier sign-in
/// (see [`forget_tokens`]) is used again; when a sign-in with it does not complete (the
/// client may have been revoked, which deletes it), it is forgotten, so the next sign-in
/// registers anew.
pub async fn sign_in(
    mcp_url: &str,
    http: &reqwest::Client,
    slot: Arc<dyn SecretSlot>,
    open_browser: &OpenBrowser,
    log: &(dyn Fn(&str) + Sync),
    deadline: Duration,
) -> Result<AuthorizationManager, SignInError> {
    let mut reused = false;
    let outcome = sign_in_once(
        mcp_url,
        http,
        slot.clone(),
        open_browser,
        log,
        deadline,
        &mut reused,
    )
    .await;
    if reused && matches!(outcome, Err(SignInError::TimedOut | SignInError::Failed(_))) {
        let _ = slot.clear();
    }
    outcome
}

async fn sign_in_once(
    mcp_url: &str,
    http: &reqwest::Client,
    slot: Arc<dyn SecretSlot>,
    open_browser: &OpenBrowser,
    log: &(dyn Fn(&str) + Sync),
    deadline: Duration,
    reused: &mut bool,
) -> Result<AuthorizationManager, SignInError> {
    let directus = url::Url::parse(mcp_url)
        .map_err(|error| SignInError::Failed(format!("Directus' address: {error}")))?;
    let (manager, issuer, registration) = within(deadline, async {
        let manager = new_manager(mcp_url, http, slot.clone()).await?;
        let resolution = manager
            .resolve_metadata()
            .await
            .map_err(|error| SignInError::from_auth("Directus' sign-in metadata", &error))?;
        // Only an issuer reached through Directus' own protected-resource metadata counts.
        let issuer = (resolution.source == AuthorizationMetadataSource::ProtectedResourceMetadata)
            .then(|| resolution.metadata.issuer.as_deref().map(url::Url::parse))
            .flatten()
            .and_then(Result::ok);
        ConsentUrl::check(
            &resolution.metadata.authorization_endpoint,
            &directus,
            issuer.as_ref(),
        )?;
        let registration = kept_registration(&*slot, resolution.metadata.issuer.as_deref());
        Ok::<_, SignInError>((manager, issuer, registration))
    })
    .await?;
    let listener = CallbackListener::bind()
        .await
        .map_err(SignInError::Failed)?;
    let mut state = OAuthState::Unauthorized(manager);
    let mut request = AuthorizationRequest::new(listener.redirect_uri())
        .with_client_name(CLIENT_NAME)
        .with_scopes(["mcp:access"]);
    if let Some(client_id) = registration {
        request = request.with_preregistered_client(client_id);
        *reused = true;
    }
    within(deadline, async {
        state
            .start_authorization(request)
            .await
            .map_err(|error| SignInError::from_auth("Directus did not start the sign-in", &error))
    })
    .await?;
    let url = state
        .get_authorization_url()
        .await
        .map_err(|error| SignInError::Failed(error.to_string()))?;
    let consent = ConsentUrl::check(&url, &directus, issuer.as_ref())?;
    let expected_state = url::Url::parse(consent.as_str())
        .ok()
        .and_then(|parsed| {
            parsed
                .query_pairs()
                .find(|(name, _)| name == "state")
                .map(|(_, value)| value.into_owned())
        })
        .ok_or_else(|| SignInError::Failed("the sign-in address carries no state".to_owned()))?;
    log(&format!(
        "sign in to Directus in your browser to let this client use MCP (opening the sign-in page on {})",
        directus.origin().ascii_serialization()
    ));
    open_browser(&consent);
    let callback = tokio::time::timeout(SIGN_IN_TIMEOUT, listener.wait(&expected_state))
        .await
        .map_err(|_| SignInError::TimedOut)?
        .map_err(SignInError::Failed)?;
    let exchanged = within(deadline, async {
        state
            .handle_callback_url(&callback.url)
            .await
            .map_err(|error| SignInError::from_auth("the sign-in was not completed", &error))
    })
    .await;
    match &exchanged {
        Ok(()) => callback.answer(Ok(())).await,
        Err(error) => callback.answer(Err(&error.to_string())).await,
    }
    exchanged?;
    log("signed in; the tokens are kept in the OS keyring");
    state
        .into_authorization_manager()
        .ok_or_else(|| SignInError::Failed("the sign-in ended without credentials".to_owned()))
}
