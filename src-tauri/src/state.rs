//! What the app keeps between commands: the signed-in session (in memory only), the waits
//! for a new OAuth grant, the secret store and the activity log.

use directus_mcp_setup::directus::{ServerUrl, Session};
use directus_mcp_setup::secret_store::SecretStore;
use directus_mcp_setup::wizard::activity_log::ActivityLog;
use directus_mcp_setup::wizard::{self, WizardError};
use tokio::sync::Mutex;

/// The waits for a new OAuth grant. The page names each wait, so a Cancel that arrives
/// before its wait started still stops it.
#[derive(Default)]
pub struct GrantWaits {
    /// The wait in progress, with the handle that stops it.
    pub running: Option<(u32, tokio::task::AbortHandle)>,
    /// The waits cancelled before they started.
    pub cancelled: std::collections::BTreeSet<u32>,
}

/// The app's state, shared by every command.
pub struct AppState {
    /// Held across a command's requests on purpose: it serialises session renewals.
    /// Directus rotates the refresh token on every renewal and revokes the whole grant when
    /// an old one is replayed, so two commands renewing at once would sign the admin out.
    /// (Keyring calls inside run on tokio's blocking pool, not under an async worker.)
    pub session: Mutex<Option<Session>>,
    /// The waits for a new OAuth grant: the one in progress (to cancel it) and the waits
    /// cancelled before they started.
    pub grant_wait: std::sync::Mutex<GrantWaits>,
    /// The email the session signed in with (to forget its kept copy on sign-out).
    pub email: Mutex<Option<String>>,
    /// The project the window shows and acts on (set at sign-in, naming and switching):
    /// never re-read from `projects.json`'s choice, which the command line may change.
    pub acting: Mutex<Option<String>>,
    /// The OS keyring (tokens and kept sessions).
    pub secrets: SecretStore,
    /// The app's activity log.
    pub log: ActivityLog,
}

impl AppState {
    /// Nobody signed in yet; the keyring and this user's log.
    pub fn for_this_user() -> Self {
        Self {
            session: Mutex::new(None),
            grant_wait: std::sync::Mutex::new(GrantWaits::default()),
            email: Mutex::new(None),
            acting: Mutex::new(None),
            secrets: SecretStore::new(),
            log: ActivityLog::for_this_user(),
        }
    }

    /// Writes `action` and how it ended to the app's log (names, counts and messages only;
    /// no payload holds a secret) and hands the result on.
    pub fn logged<T>(
        &self,
        action: &str,
        result: Result<T, WizardError>,
        detail: impl FnOnce(&T) -> String,
    ) -> Result<T, WizardError> {
        match &result {
            Ok(value) => self.log.record(action, Ok(&detail(value))),
            Err(error) => self.log.record(action, Err(&error.message)),
        }
        result
    }

    /// The server of the signed-in session.
    pub async fn signed_in_server(&self) -> Result<ServerUrl, WizardError> {
        self.session
            .lock()
            .await
            .as_ref()
            .map(|session| session.client().server().clone())
            .ok_or_else(not_signed_in)
    }
}

impl AppState {
    /// The project the Clients screen acts on: the one the window shows, still there and
    /// for the signed-in server.
    pub async fn acting(&self) -> Result<wizard::clients::Acting, WizardError> {
        let server = self.signed_in_server().await?;
        let shown = self.acting.lock().await.clone();
        let env = wizard::clients::environment()?;
        tauri::async_runtime::spawn_blocking(move || {
            wizard::clients::Acting::shown(&env, server, shown.as_deref())
        })
        .await
        .map_err(|error| WizardError {
            field: wizard::ErrorField::General,
            message: format!("the app could not read the project list: {error}"),
        })?
    }
}

/// "Connect to Directus first", for commands that need the session.
pub fn not_signed_in() -> WizardError {
    WizardError {
        field: wizard::ErrorField::General,
        message: "Connect to Directus first (step 1).".into(),
    }
}
