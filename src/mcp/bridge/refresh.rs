//! Refreshing the kept OAuth tokens one bridge at a time. Directus rotates refresh tokens
//! and revokes the grant when a used one is replayed, so two bridges (two clients started
//! with the same entry) that refresh the same sign-in at once would lose it. Before a token
//! nears its expiry the bridge takes a file lock in this user's lock folder, reads the
//! keyring entry again, and refreshes only when no other bridge did meanwhile.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rmcp::transport::auth::{AuthError, AuthorizationManager};
use tokio::sync::Mutex;

use super::secret_slot::SecretSlot;
use crate::config_edit::file;

/// How long before its expiry an access token is refreshed (at most half its lifetime).
const MARGIN: Duration = Duration::from_secs(60);

/// What a refresh attempt came to.
#[derive(Debug)]
pub(super) enum Refreshed {
    /// The kept tokens are usable (still fresh, refreshed here or by another bridge).
    Fresh,
    /// Directus refused the refresh token (`invalid_grant`): a new sign-in is needed.
    Rejected,
    /// The refresh could not be made (network, keyring); the tokens are kept as they are.
    Failed(String),
}

/// Makes sure the access token kept in `slot` is not about to expire, refreshing it through
/// `manager` under the cross-process lock named after `endpoint` when it is.
pub(super) async fn ensure_fresh(
    slot: &Arc<dyn SecretSlot>,
    manager: &Arc<Mutex<AuthorizationManager>>,
    endpoint: &str,
    log: &(dyn Fn(&str) + Sync),
) -> Refreshed {
    if !needs_refresh(slot.as_ref()) {
        return Refreshed::Fresh;
    }
    let name = lock_name(endpoint);
    let lock = match tokio::task::spawn_blocking(move || file::lock_named(&name)).await {
        Ok(Ok(lock)) => lock,
        Ok(Err(error)) => return Refreshed::Failed(format!("the refresh lock: {error}")),
        Err(error) => return Refreshed::Failed(error.to_string()),
    };
    if !needs_refresh(slot.as_ref()) {
        log("another bridge refreshed the sign-in; using its tokens");
        drop(lock);
        return Refreshed::Fresh;
    }
    let outcome = manager.lock().await.refresh_token().await;
    drop(lock);
    match outcome {
        Ok(_) => {
            log("refreshed the sign-in's access token");
            Refreshed::Fresh
        }
        Err(AuthError::TokenRefreshRejected(_) | AuthError::AuthorizationRequired) => {
            Refreshed::Rejected
        }
        Err(error) => Refreshed::Failed(error.to_string()),
    }
}

/// Whether the kept access token expires within [`MARGIN`] (or half its lifetime).
fn needs_refresh(slot: &dyn SecretSlot) -> bool {
    let Ok(Some(text)) = slot.load() else {
        return false;
    };
    let Ok(kept) = serde_json::from_str::<serde_json::Value>(text.expose()) else {
        return false;
    };
    let expires_in = kept["token_response"]["expires_in"].as_u64();
    let received_at = kept["token_received_at"].as_u64();
    let (Some(expires_in), Some(received_at)) = (expires_in, received_at) else {
        return false;
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let margin = MARGIN.as_secs().min(expires_in / 2).max(1);
    received_at.saturating_add(expires_in) < now.saturating_add(margin)
}

/// The name of the lock of one Directus endpoint's sign-in.
fn lock_name(endpoint: &str) -> String {
    format!("bridge-oauth-{:016x}", fnv1a(endpoint.as_bytes()))
}

/// A stable 64-bit hash (the same in every build and process).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretString;

    struct Kept(std::sync::Mutex<Option<String>>);

    impl SecretSlot for Kept {
        fn load(&self) -> Result<Option<SecretString>, String> {
            Ok(self.0.lock().unwrap().clone().map(SecretString::new))
        }
        fn save(&self, value: &SecretString) -> Result<(), String> {
            *self.0.lock().unwrap() = Some(value.expose().to_owned());
            Ok(())
        }
        fn clear(&self) -> Result<(), String> {
            *self.0.lock().unwrap() = None;
            Ok(())
        }
    }

    fn kept(expires_in: u64, age: u64) -> Kept {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        Kept(std::sync::Mutex::new(Some(
            serde_json::json!({
                "client_id": "c",
                "token_response": {"access_token": "a", "token_type": "bearer", "expires_in": expires_in},
                "token_received_at": now - age,
            })
            .to_string(),
        )))
    }

    #[test]
    fn a_token_is_refreshed_shortly_before_it_expires() {
        assert!(!needs_refresh(&kept(900, 10)));
        assert!(needs_refresh(&kept(900, 850)));
        assert!(needs_refresh(&kept(900, 1000)));
        // A short-lived token: half its lifetime.
        assert!(!needs_refresh(&kept(20, 5)));
        assert!(needs_refresh(&kept(20, 11)));
    }

    #[test]
    fn the_lock_is_one_per_endpoint() {
        assert_eq!(
            lock_name("https://a.example/mcp"),
            lock_name("https://a.example/mcp")
        );
        assert_ne!(
            lock_name("https://a.example/mcp"),
            lock_name("https://b.example/mcp")
        );
    }
}
