//! What a request is authenticated with: nothing, a static token, or a signed-in session
//! whose short-lived access token is renewed with its refresh token when Directus says it
//! expired — once, however many requests noticed at the same time.

use std::sync::{Arc, Mutex, RwLock};

use crate::secret::SecretString;

/// Called with the new refresh token after a renewal (to keep it in the OS keyring: Directus
/// replaces the refresh token at each renewal, so the old one stops working).
pub type RenewalHook = Arc<dyn Fn(&SecretString) + Send + Sync>;

/// What a client's requests are authenticated with.
#[derive(Clone, Default)]
pub(crate) enum RequestAuth {
    /// No credentials.
    #[default]
    None,
    /// A static token (an admin's or the MCP user's).
    Static(SecretString),
    /// A session's tokens, shared by every clone of the client.
    Session(Arc<SessionTokens>),
}

impl std::fmt::Debug for RequestAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::None => "None",
            Self::Static(_) => "Static(••••)",
            Self::Session(_) => "Session(••••)",
        })
    }
}

impl RequestAuth {
    /// The bearer token to send now.
    pub(crate) fn bearer(&self) -> Option<SecretString> {
        match self {
            Self::None => None,
            Self::Static(token) => Some(token.clone()),
            Self::Session(tokens) => Some(tokens.access()),
        }
    }
}

/// A session's access and refresh tokens.
pub(crate) struct SessionTokens {
    access: RwLock<SecretString>,
    /// Held while renewing, so one renewal serves every request that found the token expired.
    refresh: tokio::sync::Mutex<Option<SecretString>>,
    hook: Mutex<Option<RenewalHook>>,
}

impl SessionTokens {
    pub(crate) fn new(access: SecretString, refresh: Option<SecretString>) -> Self {
        Self {
            access: RwLock::new(access),
            refresh: tokio::sync::Mutex::new(refresh),
            hook: Mutex::new(None),
        }
    }

    /// The current access token.
    pub(crate) fn access(&self) -> SecretString {
        self.access
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The current refresh token.
    pub(crate) fn refresh_token(&self) -> Option<SecretString> {
        self.refresh
            .try_lock()
            .ok()
            .and_then(|refresh| refresh.clone())
    }

    /// Calls `hook` after each renewal.
    pub(crate) fn on_renewal(&self, hook: RenewalHook) {
        *self
            .hook
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(hook);
    }

    /// Renews the access token that `expired` was, unless another request already did:
    /// `renew` gets the refresh token and returns the new access and refresh tokens.
    /// `Ok(false)` when there is no refresh token (a static sign-in cannot be renewed).
    pub(crate) async fn renew_after<F, Fut, E>(
        &self,
        expired: &SecretString,
        renew: F,
    ) -> Result<bool, E>
    where
        F: FnOnce(SecretString) -> Fut,
        Fut: std::future::Future<Output = Result<(SecretString, Option<SecretString>), E>>,
    {
        let mut refresh = self.refresh.lock().await;
        if &self.access() != expired {
            return Ok(true);
        }
        let Some(current) = refresh.clone() else {
            return Ok(false);
        };
        let (access, next) = renew(current).await?;
        *self
            .access
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = access;
        if let Some(next) = next {
            let hook = self
                .hook
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone();
            if let Some(hook) = hook {
                hook(&next);
            }
            *refresh = Some(next);
        }
        Ok(true)
    }
}
