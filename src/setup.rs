//! The setup steps as the wizard and the CLI run them: each one call, same for both.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::directus::collections;
use crate::directus::mcp_user::{self, IssuedToken, McpUserSummary, TokenRequest};
use crate::directus::prompts_collection::{self, Generated};
use crate::directus::server_report;
use crate::directus::settings::{self, McpSettings, McpSettingsChange, SystemPrompt};
use crate::directus::version;
use crate::directus::{Credentials, DirectusClient, DirectusError, ServerUrl, Session};
use crate::mcp::{McpProbeError, McpReport};
use crate::secret::SecretString;
use crate::secret_store::{SecretKind, SecretStore, SecretsError};

/// How the admin signs in, as the Connect step and the CLI take it.
#[derive(Debug, Clone)]
pub enum Login {
    /// Email and password (+ one-time code). On success the session's refresh token is
    /// kept in the OS keyring, so the next run needs only the email.
    Password {
        /// The admin's email.
        email: String,
        /// The password.
        password: SecretString,
        /// The current one-time code, when 2FA is on.
        otp: Option<String>,
    },
    /// The session kept in the OS keyring by an earlier password sign-in.
    StoredSession {
        /// The admin's email.
        email: String,
    },
    /// An admin user's static token (never stored by this app).
    AdminToken(SecretString),
}

/// A signed-in session, and whether its refresh token could be kept.
#[derive(Debug)]
pub struct SignedIn {
    /// The session.
    pub session: Session,
    /// Why the session could not be kept in the OS keyring, when it could not.
    pub keyring_warning: Option<String>,
}

/// Signs in to the Directus at `url`. With `keep_session` (and for a session already kept)
/// the session's refresh token is kept in the OS keyring, and renewed there; without it a
/// session kept before for this email is forgotten. A failing keyring is a warning, not an
/// error: the session still works.
pub async fn sign_in(
    url: &str,
    allow_insecure_http: bool,
    login: Login,
    keeping: SessionKeeping,
    store: &SecretStore,
) -> Result<SignedIn, SetupError> {
    let server = ServerUrl::parse(url, allow_insecure_http).map_err(DirectusError::from)?;
    // A kept session used again stays kept (renewed) until signed out.
    let keeping = if matches!(login, Login::StoredSession { .. }) {
        SessionKeeping::Keep
    } else {
        keeping
    };
    let (credentials, email) = match login {
        Login::Password {
            email,
            password,
            otp,
        } => (
            Credentials::Password {
                email: email.clone(),
                password,
                otp,
            },
            Some(email),
        ),
        Login::AdminToken(token) => (Credentials::AdminToken(token), None),
        Login::StoredSession { email } => {
            let kind = SecretKind::AdminSession {
                email: email.clone(),
            };
            let refresh_token =
                store
                    .load(&server, &kind)?
                    .ok_or_else(|| SetupError::NoStoredSession {
                        email: email.clone(),
                        url: server.to_string(),
                    })?;
            (
                Credentials::RefreshToken {
                    email: email.clone(),
                    refresh_token,
                },
                Some(email),
            )
        }
    };
    let used = match &credentials {
        Credentials::RefreshToken { refresh_token, .. } => Some(refresh_token.clone()),
        _ => None,
    };
    let session = Session::sign_in(DirectusClient::new(server.clone())?, credentials).await;
    let session = match (session, &email, used) {
        (Err(DirectusError::SessionExpired), Some(email), Some(used)) => {
            renew_kept_session(&server, email, &used, store).await?
        }
        (session, _, _) => session?,
    };
    if let Some(email) = &email
        && keeping != SessionKeeping::Keep
    {
        if keeping == SessionKeeping::Forget {
            let _ = store.delete(
                &server,
                &SecretKind::AdminSession {
                    email: email.clone(),
                },
            );
        }
        return Ok(SignedIn {
            session,
            keyring_warning: None,
        });
    }
    if let Some(email) = &email {
        // Directus replaces the refresh token at each renewal: keep the new one, so the next
        // run can still sign in with the kept session.
        let (store, server) = (store.clone(), server.clone());
        let kind = SecretKind::AdminSession {
            email: email.clone(),
        };
        session.on_renewal(std::sync::Arc::new(move |refresh_token| {
            let _ = store.store(&server, &kind, refresh_token);
        }));
    }
    let keyring_warning = match (&email, session.refresh_token()) {
        (Some(email), Some(refresh_token)) => store
            .store(
                &server,
                &SecretKind::AdminSession {
                    email: email.clone(),
                },
                &refresh_token,
            )
            .err()
            .map(|error| {
                format!(
                    "The session could not be kept in the OS keyring, so the next sign-in needs the password again ({error})"
                )
            }),
        _ => None,
    };
    Ok(SignedIn {
        session,
        keyring_warning,
    })
}

/// The kept session `used` was refused. Another run may have renewed it meanwhile (Directus
/// replaces the refresh token at each renewal, and that run kept the new one): the kept
/// entry is read again, and a newer one is tried once. Only an entry still holding a
/// refused token is forgotten, so the next run asks for the password.
async fn renew_kept_session(
    server: &ServerUrl,
    email: &str,
    used: &SecretString,
    store: &SecretStore,
) -> Result<Session, SetupError> {
    let kind = SecretKind::AdminSession {
        email: email.to_owned(),
    };
    let mut refused = used.clone();
    if let Ok(Some(newer)) = store.load(server, &kind)
        && newer != *used
    {
        let retried = Session::sign_in(
            DirectusClient::new(server.clone())?,
            Credentials::RefreshToken {
                email: email.to_owned(),
                refresh_token: newer.clone(),
            },
        )
        .await;
        match retried {
            Err(DirectusError::SessionExpired) => refused = newer,
            other => return Ok(other?),
        }
    }
    if forget_if_still(store.load(server, &kind).ok().flatten().as_ref(), &refused) {
        let _ = store.delete(server, &kind);
    }
    Err(DirectusError::SessionExpired.into())
}

/// Whether the kept entry (`kept`, read just now) is the refused token itself: only then
/// is it forgotten (a newer one kept by another run meanwhile stays).
fn forget_if_still(kept: Option<&SecretString>, refused: &SecretString) -> bool {
    kept == Some(refused)
}

/// What `sign-out` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignOutOutcome {
    /// Whose session it was.
    pub email: String,
    /// Whether a session was kept in the OS keyring for that email and Directus.
    pub was_kept: bool,
    /// Whether Directus ended it now (false: it had ended already, or none was kept).
    pub ended_on_server: bool,
}

/// What becomes of an admin session after a sign-in with a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKeeping {
    /// Kept in the OS keyring (with its renewals), so the next run needs only the email.
    Keep,
    /// Nothing new is kept; a session kept earlier stays until `sign-out` (the CLI without
    /// `--remember`).
    LeaveKept,
    /// Nothing is kept, and a session kept earlier for this email is forgotten (the app
    /// without "Remember me").
    Forget,
}

/// Signs out the session kept in the OS keyring for `email` at `url` (by `--remember` or
/// the app's "Remember me"): Directus ends it (`/auth/logout`), then the kept copy is
/// forgotten. A session Directus no longer knows is forgotten too. When Directus cannot be
/// reached the kept copy stays, and the error says so: the session would still work.
pub async fn sign_out_kept(
    url: &str,
    allow_insecure_http: bool,
    email: &str,
    store: &SecretStore,
) -> Result<SignOutOutcome, SetupError> {
    let server = ServerUrl::parse(url, allow_insecure_http).map_err(DirectusError::from)?;
    let kind = SecretKind::AdminSession {
        email: email.to_owned(),
    };
    let Some(refresh_token) = store.load(&server, &kind)? else {
        return Ok(SignOutOutcome {
            email: email.to_owned(),
            was_kept: false,
            ended_on_server: false,
        });
    };
    let ended_on_server = match DirectusClient::new(server.clone())?
        .end_session(&refresh_token)
        .await
    {
        Ok(()) => true,
        // Directus does not know this session any more: nothing left to end there.
        Err(
            DirectusError::InvalidCredentials
            | DirectusError::InvalidToken
            | DirectusError::SessionExpired
            | DirectusError::Api {
                status: 400 | 401 | 403,
                ..
            },
        ) => false,
        Err(error) => return Err(error.into()),
    };
    store.delete(&server, &kind)?;
    Ok(SignOutOutcome {
        email: email.to_owned(),
        was_kept: true,
        ended_on_server,
    })
}

/// Signs out: Directus ends the session (`/auth/logout`) and the copy kept in the OS
/// keyring for `email` is forgotten. The session is forgotten locally even when Directus
/// cannot be reached (it then ends by itself when its refresh token expires).
pub async fn sign_out(
    session: &Session,
    email: Option<&str>,
    store: &SecretStore,
) -> Result<(), SetupError> {
    let server = session.client().server().clone();
    if let Some(email) = email {
        store.delete(
            &server,
            &SecretKind::AdminSession {
                email: email.to_owned(),
            },
        )?;
    }
    session.sign_out().await?;
    Ok(())
}

/// What to do with the AI Prompts collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum PromptsChoice {
    /// Leave the setting as it is.
    Keep,
    /// No prompts collection.
    Clear,
    /// Use this existing collection (it must have the prompt fields).
    Existing(String),
    /// Use `ai_prompts`, creating it if it does not exist.
    Generate,
}

/// The Enable step's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EnableRequest {
    /// Allow deletes through MCP (off is the safe default).
    pub allow_deletes: bool,
    /// The prompts collection.
    pub prompts: PromptsChoice,
    /// The system prompt; `None` leaves it as it is.
    pub system_prompt: Option<SystemPrompt>,
}

/// What the Enable step did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EnableOutcome {
    /// The MCP settings now.
    pub settings: McpSettings,
    /// Whether `ai_prompts` was created by this run.
    pub generated_prompts_collection: bool,
}

/// Why a setup step failed.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// Directus refused or could not be reached.
    #[error(transparent)]
    Directus(#[from] DirectusError),
    /// The MCP handshake failed.
    #[error(transparent)]
    Mcp(#[from] McpProbeError),
    /// The OS keyring failed.
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    /// Verify was asked for with no token given or stored.
    #[error(
        "no MCP token given and none stored in the OS keyring for {0}: pass --token, or run `token create` first"
    )]
    NoStoredToken(String),
    /// A file update limited to files' descriptive fields was asked for, and this Directus
    /// refuses field lists in permissions (community licence: no custom permission rules).
    #[error(
        "this Directus cannot limit a file update to files' descriptive fields (field lists in permissions need a licence with custom permission rules), and an unlimited update could replace any file's content: nothing was changed. Leave out --allow-file-update (\"edit files' descriptions\" in the app)"
    )]
    FileUpdateNeedsCustomRules,
    /// Only an email was given and no session is kept for it.
    #[error(
        "no saved session for {email} at {url}: sign in with the password (and --otp when 2FA is on), or with an admin token"
    )]
    NoStoredSession {
        /// The email given.
        email: String,
        /// The instance.
        url: String,
    },
    /// `token create` re-ran on an existing MCP user, changed its role, and then the OS
    /// keyring could not keep the new token (and it would not be shown).
    #[error(transparent)]
    KeyringFailedAfterRoleChange(Box<RoleChangeLeft>),
}

/// What stays on the server when the keyring failed after a re-run of `token create`: the
/// token was revoked, but the role change stays. A faithful rollback would need every rule
/// of the old policy (fields, filters, presets) written back, so the error says what
/// changed and how to put it back instead.
#[derive(Debug, thiserror::Error)]
#[error(
    "{keyring}. The new token was revoked, since nobody could have seen it, but this run had already changed the MCP user's role: it was {before} and is now {after} (its delete and file-description rights were replaced by this run's choices too). To put the role back, run `token create` again with the earlier choices ({restore}) once the keyring works, or add --show-token to keep the token yourself"
)]
pub struct RoleChangeLeft {
    /// Why the keyring could not keep the token.
    pub keyring: SecretsError,
    /// The role before this run, as the UI shows it.
    pub before: String,
    /// The role after this run.
    pub after: String,
    /// The `token create` options that bring back the role's template and collections.
    pub restore: String,
}

/// Turns MCP on with the chosen settings. The version is read first (`/server/info`): below
/// 11.13 nothing is changed. Then one request (`PATCH /settings`) when the prompts
/// collection is kept. A collection generated by this run is removed again only when the
/// settings were really not saved (they do not name it); a change Directus applied stays.
pub async fn enable(
    session: &Session,
    request: &EnableRequest,
) -> Result<EnableOutcome, DirectusError> {
    let client = session.client();
    let server = version::read(client).await?;
    server.require_mcp()?;
    let mut generated = false;
    let prompts_collection = match &request.prompts {
        PromptsChoice::Keep => None,
        PromptsChoice::Clear => Some(None),
        PromptsChoice::Existing(name) => {
            let all = collections::list(client).await?;
            prompts_collection::check(client, &all, name).await?;
            Some(Some(name.clone()))
        }
        PromptsChoice::Generate => {
            let all = collections::list(client).await?;
            generated = prompts_collection::generate(client, &all).await? == Generated::Created;
            Some(Some(prompts_collection::GENERATED_NAME.to_owned()))
        }
    };
    let change = McpSettingsChange {
        enabled: Some(true),
        allow_deletes: Some(request.allow_deletes),
        prompts_collection,
        system_prompt: request.system_prompt.clone(),
    };
    match settings::apply(client, &change, &server.version).await {
        Ok(settings) => Ok(EnableOutcome {
            settings,
            generated_prompts_collection: generated,
        }),
        Err(error) => {
            let error = session.explain_forbidden(error).await;
            Err(if generated && settings_left_unsaved(client).await {
                prompts_collection::roll_back(client, error).await
            } else {
                error
            })
        }
    }
}

/// Whether the prompts setting is proven not to name the collection this run generated:
/// only then is removing it safe. A setting that names it (Directus saved the change although
/// the answer failed), or one that cannot be read, keeps the collection.
async fn settings_left_unsaved(client: &DirectusClient) -> bool {
    matches!(
        settings::prompts_collection(client).await,
        Ok(named) if named.as_deref() != Some(prompts_collection::GENERATED_NAME)
    )
}

/// What `token create` / `token rotate` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TokenOutcome {
    /// The MCP user now.
    pub user: McpUserSummary,
    /// Whether the user was created by this run (false: updated or rotated).
    pub created: bool,
    /// Whether the token is in the OS keyring.
    pub stored_in_keyring: bool,
    /// The keyring error, when storing failed and the token is shown instead.
    pub keyring_error: Option<String>,
    /// Backups of client settings that held the old token and were removed.
    pub backups_removed: Vec<String>,
}

/// Creates (or brings in line) the MCP user and keeps its new token in the OS keyring.
///
/// When the keyring cannot take the token and the caller will not show it either, the
/// token would be lost: what this run created is rolled back and the error returned.
pub async fn create_token(
    session: &Session,
    request: &TokenRequest,
    store: &SecretStore,
    will_show_token: bool,
) -> Result<(TokenOutcome, SecretString), SetupError> {
    let client = session.client();
    // Below 11.13 there is no MCP for a token to reach: refuse before any user is made.
    version::read(client).await?.require_mcp()?;
    // What the role was before, so a keyring failure after an update can say what changed.
    let before = mcp_user::find(client)
        .await
        .ok()
        .flatten()
        .map(|user| user.summary());
    let issued = match mcp_user::create_or_update(client, request).await {
        Ok(issued) => issued,
        Err(DirectusError::LicenseRestricted { .. }) if request.allow_file_update => {
            return Err(SetupError::FileUpdateNeedsCustomRules);
        }
        Err(error) => return Err(session.explain_forbidden(error).await.into()),
    };
    keep_token(client, issued, store, will_show_token, before.as_ref()).await
}

/// Gives the MCP user a new token and keeps it in the OS keyring.
pub async fn rotate_token(
    session: &Session,
    store: &SecretStore,
    will_show_token: bool,
) -> Result<(TokenOutcome, SecretString), SetupError> {
    let client = session.client();
    version::read(client).await?.require_mcp()?;
    let old = load_off_runtime(store, client.server(), SecretKind::McpToken)
        .await
        .ok()
        .flatten();
    let issued = mcp_user::rotate(client).await?;
    let (mut outcome, token) = keep_token(client, issued, store, will_show_token, None).await?;
    outcome.backups_removed = remove_backups_holding(old.as_ref());
    Ok((outcome, token))
}

/// Revokes the MCP user's token, forgets it locally, and removes the backups of client
/// settings that still held it; returns the user and those backups.
pub async fn revoke_token(
    session: &Session,
    store: &SecretStore,
) -> Result<(McpUserSummary, Vec<String>), SetupError> {
    let server = session.client().server();
    let old = load_off_runtime(store, server, SecretKind::McpToken)
        .await
        .ok()
        .flatten();
    let user = mcp_user::revoke(session.client()).await?;
    let (store, owned_server) = (store.clone(), server.clone());
    off_the_runtime(move || store.delete(&owned_server, &SecretKind::McpToken)).await?;
    Ok((user, remove_backups_holding(old.as_ref())))
}

/// Removes the backups of this user's client settings that hold `token`.
fn remove_backups_holding(token: Option<&SecretString>) -> Vec<String> {
    let (Some(token), Ok(env)) = (token, crate::clients::ClientEnvironment::from_process()) else {
        return Vec::new();
    };
    crate::clients::backups::remove_holding(&env, token)
        .into_iter()
        .map(|path| path.display().to_string())
        .collect()
}

/// Keeps the issued token in the keyring. When it cannot be kept and will not be shown,
/// what this run did is undone: a created user is removed; on an updated user the token
/// is revoked and, when `role_before` is known (`token create`), the error names the role
/// change that stays and how to put it back.
async fn keep_token(
    client: &DirectusClient,
    issued: IssuedToken,
    store: &SecretStore,
    will_show_token: bool,
    role_before: Option<&McpUserSummary>,
) -> Result<(TokenOutcome, SecretString), SetupError> {
    let stored = {
        let (store, server, token) = (store.clone(), client.server().clone(), issued.token.clone());
        off_the_runtime(move || store.store(&server, &SecretKind::McpToken, &token)).await
    };
    let outcome = |stored_in_keyring: bool, keyring_error: Option<String>| TokenOutcome {
        user: issued.user.clone(),
        created: issued.created,
        stored_in_keyring,
        keyring_error,
        backups_removed: Vec::new(),
    };
    match stored {
        Ok(()) => Ok((outcome(true, None), issued.token.clone())),
        Err(error) if will_show_token => Ok((
            outcome(false, Some(error.to_string())),
            issued.token.clone(),
        )),
        Err(error) => {
            // Nobody would ever see this token: undo what this run did to the server.
            if issued.created {
                if let Some(user) = mcp_user::find(client).await? {
                    mcp_user::remove(client, &user).await?;
                }
            } else {
                let after = mcp_user::revoke(client).await?;
                if let Some(before) = role_before {
                    // The prompts collection is granted read-only by itself: naming it in
                    // --collections would grant it for editing.
                    let prompts = settings::prompts_collection(client).await.ok().flatten();
                    return Err(SetupError::KeyringFailedAfterRoleChange(Box::new(
                        RoleChangeLeft {
                            keyring: error,
                            before: describe_role(before),
                            after: describe_role(&after),
                            restore: restore_options(before, prompts.as_deref()),
                        },
                    )));
                }
            }
            Err(error.into())
        }
    }
}

/// Runs a keyring call on tokio's blocking pool. The OS keyring answers over D-Bus, XPC or
/// a system call and may wait on an unlock prompt; on an async worker that would stall
/// every other task the worker runs (the app's window commands among them).
async fn off_the_runtime<T: Send + 'static>(call: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(call).await {
        Ok(value) => value,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(error) => panic!("the keyring call was cancelled with the runtime: {error}"),
    }
}

/// [`SecretStore::load`] on tokio's blocking pool.
async fn load_off_runtime(
    store: &SecretStore,
    server: &ServerUrl,
    kind: SecretKind,
) -> Result<Option<SecretString>, SecretsError> {
    let (store, server) = (store.clone(), server.clone());
    off_the_runtime(move || store.load(&server, &kind)).await
}

/// A role as a sentence names it: `"MCP Content Editor" reading articles, pages`.
fn describe_role(user: &McpUserSummary) -> String {
    let role = user.role_name.as_deref().unwrap_or("no managed role");
    if user.collections.is_empty() {
        format!("\"{role}\" reading no content collection")
    } else {
        format!("\"{role}\" reading {}", user.collections.join(", "))
    }
}

/// The `token create` options that give back `user`'s template and collections (the
/// prompts collection left out: `token create` adds it read-only by itself).
fn restore_options(user: &McpUserSummary, prompts: Option<&str>) -> String {
    let Some(template) = user.template else {
        return "the role was not one of this tool's templates: restore it in Directus under Settings > User Roles".to_owned();
    };
    let mut options = format!("--template {}", template.cli_name());
    let granted: Vec<&str> = user
        .collections
        .iter()
        .map(String::as_str)
        .filter(|name| Some(*name) != prompts)
        .collect();
    if template.uses_content_collections() && !granted.is_empty() {
        options.push_str(&format!(" --collections {}", granted.join(",")));
    }
    options
}

/// Everything the Connect step shows.
pub async fn status(session: &Session) -> Result<server_report::ServerReport, DirectusError> {
    server_report::detect(session).await
}

/// The MCP handshake with `token`, or with the token stored in the keyring for this
/// instance. `with_prompts`: whether a prompts collection is set (`None`: unknown).
pub async fn verify(
    client: &DirectusClient,
    token: Option<SecretString>,
    store: &SecretStore,
    with_prompts: Option<bool>,
) -> Result<McpReport, SetupError> {
    verify_in_mode(client, token, store, with_prompts, Default::default()).await
}

/// [`verify`] in `tool_mode`: the handshake at the URL a client connected in that mode
/// uses, so the tools listed are the ones it gets.
pub async fn verify_in_mode(
    client: &DirectusClient,
    token: Option<SecretString>,
    store: &SecretStore,
    with_prompts: Option<bool>,
    tool_mode: crate::directus::tool_mode::ToolMode,
) -> Result<McpReport, SetupError> {
    let token = match token {
        Some(token) => token,
        None => load_off_runtime(store, client.server(), SecretKind::McpToken)
            .await?
            .ok_or_else(|| SetupError::NoStoredToken(client.server().to_string()))?,
    };
    let url = tool_mode.apply(&client.server().mcp_endpoint()).to_string();
    Ok(crate::mcp::probe::probe_at(client, &url, Some(&token), with_prompts).await?)
}

/// Fills in what `request`'s token may do when `client` could put it in a URL: Directus is
/// asked (`/policies/me/globals`, with the token itself). A failure to ask is kept as the
/// reason; the connector then refuses to make such a URL.
pub async fn check_token_access(
    server: &ServerUrl,
    client: &dyn crate::clients::ClientConnector,
    request: &mut crate::clients::ConnectRequest,
) {
    use crate::clients::TokenAccess;
    if request.auth != crate::clients::AuthMode::Token || !client.puts_token_in_url() {
        return;
    }
    let Some(token) = request.token.clone() else {
        return;
    };
    #[derive(Deserialize)]
    struct Globals {
        admin_access: bool,
    }
    let asked = async {
        DirectusClient::new(server.clone())?
            .with_token(token)
            .get::<Globals>("/policies/me/globals", &[])
            .await
    };
    request.token_access = match asked.await {
        Ok(Globals { admin_access: true }) => TokenAccess::Admin,
        Ok(Globals {
            admin_access: false,
        }) => TokenAccess::Limited,
        Err(error) => TokenAccess::Unknown(error.to_string()),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "current_thread")]
    async fn keyring_calls_run_off_the_async_worker() {
        let worker = std::thread::current().id();
        let ran_on = off_the_runtime(|| std::thread::current().id()).await;
        assert_ne!(ran_on, worker, "a keyring call blocked the async worker");
    }

    #[test]
    fn a_refused_session_is_forgotten_only_while_the_keyring_still_holds_it() {
        let refused = SecretString::new("refused".to_owned());
        let renewed_by_another_run = SecretString::new("renewed".to_owned());
        assert!(forget_if_still(Some(&refused), &refused));
        assert!(!forget_if_still(Some(&renewed_by_another_run), &refused));
        assert!(!forget_if_still(None, &refused));
    }
}
