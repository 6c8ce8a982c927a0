//! The bridge's own OAuth sign-in, for `bridge --auth oauth`: it registers with Directus
//! (Dynamic Client Registration), opens the consent page in the browser (only an https page
//! on Directus or its named issuer, see [`ConsentUrl`]) with a redirect to a listener on
//! 127.0.0.1 (see [`super::callback`]), exchanges the code (PKCE) and keeps the client id
//! and tokens in a [`SecretSlot`] (the OS keyring), from where later runs load them. Tokens
//! are refreshed before they expire, one bridge at a time (see [`super::refresh`]).

use std::sync::Arc;
use std::time::Duration;

use rmcp::transport::auth::{
    AuthError, AuthorizationManager, AuthorizationMetadata, AuthorizationMetadataSource,
    AuthorizationRequest, CredentialStore, OAuthState, StoredCredentials,
};

use super::callback::CallbackListener;
pub use super::consent::{ConsentError, ConsentUrl};
use super::registration::{self, Registration};
pub use super::secret_slot::SecretSlot;
use crate::secret::SecretString;

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
    /// The browser came back from the consent page without a sign-in (the consent was
    /// denied, or Directus refused the code).
    #[error("{0}")]
    NotCompleted(String),
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
/// steps are bounded by `deadline` each.
///
/// A client registration kept from an earlier sign-in (see [`registration`]) is used again
/// when Directus says it still exists; when Directus says it is gone (revoked in Directus MCP
/// Setup, which deletes the client) or cannot say, the bridge registers anew. A new
/// registration is kept as soon as it is made, so a sign-in that does not complete (the
/// consent denied) leaves it for the next one.
pub async fn sign_in(
    mcp_url: &str,
    http: &reqwest::Client,
    slot: Arc<dyn SecretSlot>,
    open_browser: &OpenBrowser,
    log: &(dyn Fn(&str) + Sync),
    deadline: Duration,
) -> Result<AuthorizationManager, SignInError> {
    let directus = url::Url::parse(mcp_url)
        .map_err(|error| SignInError::Failed(format!("Directus' address: {error}")))?;
    let (manager, issuer, metadata) = within(deadline, async {
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
        Ok::<_, SignInError>((manager, issuer, resolution.metadata))
    })
    .await?;
    let reused = reusable_registration(
        http,
        slot.as_ref(),
        &metadata,
        &directus,
        issuer.as_ref(),
        log,
        deadline,
    )
    .await?;
    let listener = CallbackListener::bind()
        .await
        .map_err(SignInError::Failed)?;
    let mut state = OAuthState::Unauthorized(manager);
    let mut request = AuthorizationRequest::new(listener.redirect_uri())
        .with_client_name(CLIENT_NAME)
        .with_scopes(["mcp:access"]);
    if let Some(client_id) = &reused {
        request = request.with_preregistered_client(client_id.clone());
    }
    within(deadline, async {
        state
            .start_authorization(request)
            .await
            .map_err(|error| SignInError::from_auth("Directus did not start the sign-in", &error))
    })
    .await?;
    if reused.is_none()
        && let Ok((client_id, _)) = state.get_credentials().await
        && let Err(reason) = registration::keep(slot.as_ref(), &client_id, metadata.issuer.clone())
    {
        log(&format!(
            "the new client registration could not be kept in the OS keyring ({reason}); the next sign-in registers again"
        ));
    }
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
    let exchanged = match declined(&callback.url) {
        Some(reason) => Err(SignInError::NotCompleted(reason)),
        None => {
            within(deadline, async {
                state
                    .handle_callback_url(&callback.url)
                    .await
                    .map_err(
                        |error| match SignInError::from_auth("the code exchange", &error) {
                            unreachable @ SignInError::Unreachable(_) => unreachable,
                            _ => SignInError::NotCompleted(format!(
                                "Directus refused the code: {error}"
                            )),
                        },
                    )
            })
            .await
        }
    };
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

/// The kept client id, when there is one for this authorization server and Directus says
/// it still exists. A registration Directus says is gone is forgotten. `Err` only when
/// Directus could not be reached.
async fn reusable_registration(
    http: &reqwest::Client,
    slot: &dyn SecretSlot,
    metadata: &AuthorizationMetadata,
    directus: &url::Url,
    issuer: Option<&url::Url>,
    log: &(dyn Fn(&str) + Sync),
    deadline: Duration,
) -> Result<Option<String>, SignInError> {
    let Some(client_id) = registration::kept(slot, metadata.issuer.as_deref()) else {
        return Ok(None);
    };
    // The same rule as for the consent page: https (or loopback http) on Directus or its issuer.
    let endpoint = metadata
        .additional_fields
        .get("revocation_endpoint")
        .and_then(serde_json::Value::as_str)
        .filter(|endpoint| ConsentUrl::check(endpoint, directus, issuer).is_ok());
    let found = match endpoint {
        Some(endpoint) => registration::check(http, endpoint, &client_id, deadline)
            .await
            .map_err(|reason| {
                SignInError::Unreachable(format!("checking the kept client registration: {reason}"))
            })?,
        None => {
            Registration::Unknown("the metadata names no usable revocation endpoint".to_owned())
        }
    };
    match found {
        Registration::Exists => Ok(Some(client_id)),
        Registration::Gone => {
            log(
                "the client registration kept from the last sign-in no longer exists in Directus (revoked or cleaned up); registering anew",
            );
            let _ = slot.clear();
            Ok(None)
        }
        Registration::Unknown(reason) => {
            log(&format!(
                "whether the kept client registration still exists could not be checked ({reason}); registering anew"
            ));
            Ok(None)
        }
    }
}

/// The reason the browser came back without a code (`error=access_denied` when the consent
/// was denied), or `None` when it brought one.
fn declined(callback_url: &str) -> Option<String> {
    let parsed = url::Url::parse(callback_url).ok()?;
    let field = |name: &str| {
        parsed
            .query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.chars().take(200).collect::<String>())
    };
    let error = field("error")?;
    Some(match error.as_str() {
        "access_denied" => "the consent was denied in the browser".to_owned(),
        _ => match field("error_description") {
            Some(description) => format!("Directus answered `{error}`: {description}"),
            None => format!("Directus answered `{error}`"),
        },
    })
}
