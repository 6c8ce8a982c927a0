//! MCP OAuth: is the server ready (environment, settings, public URL), turning it on with
//! just the registration methods the chosen clients need, and the grants clients hold —
//! listed, watched for, revoked.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use ts_rs::TS;

use super::client::DirectusClient;
use super::error::DirectusError;
use super::grant_lifetime::{self, SignInReport};
pub use super::oauth_client::{Grant, OAuthClient};
use super::server_report::{self, EnvironmentSwitches};
use super::session::Session;
use super::settings::{self, McpSettings};
use super::version::{self, ServerKind};

/// The registration methods to turn on, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Registrations {
    /// Dynamic Client Registration.
    pub dcr: bool,
    /// Client ID Metadata Documents.
    pub cimd: bool,
    /// One line per client or flag: which method it needs.
    pub reasons: Vec<String>,
}

/// What the server publishes at `/.well-known/oauth-protected-resource/mcp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProtectedResource {
    /// The MCP endpoint's URL as Directus knows it (from `PUBLIC_URL`).
    pub resource: String,
    /// The authorization servers.
    pub authorization_servers: Vec<String>,
}

/// One thing standing between the server and working OAuth, with the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OAuthProblem {
    /// What is wrong.
    pub problem: String,
    /// What to do, exactly.
    pub fix: String,
    /// Whether the fix is on the server's environment (a restart is needed; this tool cannot do it).
    pub needs_restart: bool,
}

/// Whether MCP OAuth works on this server for the registrations asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OAuthReport {
    /// Directus' MCP endpoint, as this tool reaches it.
    pub mcp_url: String,
    /// The environment switches (`MCP_OAUTH_*`), read from `/server/info`.
    pub environment: EnvironmentSwitches,
    /// The project settings (`mcp_oauth_*`).
    pub settings: McpSettings,
    /// The protected-resource metadata, when OAuth is on.
    pub metadata: Option<ProtectedResource>,
    /// The registrations the chosen clients need.
    pub needed: Registrations,
    /// What is in the way; empty when ready.
    pub problems: Vec<OAuthProblem>,
    /// Whether OAuth clients can connect now.
    pub ready: bool,
    /// How sign-ins end on this server (its token lifetimes, grants that ended), when the
    /// environment turns OAuth on (the grants can be read).
    pub sign_in: Option<SignInReport>,
}

/// Reads the server's OAuth state and checks it against `needed`.
pub async fn status(
    session: &Session,
    needed: Registrations,
) -> Result<OAuthReport, DirectusError> {
    session.require_admin().await?;
    let client = session.client();
    let (environment, version) = server_report::environment(client).await?;
    ServerKind::from_reported(&version).require_oauth()?;
    let settings = settings::read(client, &version).await?;
    let metadata = protected_resource(client).await;
    let problems = problems(client, &environment, &settings, metadata.as_ref(), &needed);
    let sign_in = if environment.mcp_oauth_enabled {
        match clients_with_grants(session).await {
            Ok(mut clients) => Some(grant_lifetime::annotate(session, &mut clients).await),
            Err(_) => None,
        }
    } else {
        None
    };
    Ok(OAuthReport {
        sign_in,
        mcp_url: client.server().mcp_endpoint().to_string(),
        ready: problems.is_empty(),
        environment,
        settings,
        metadata,
        needed,
        problems,
    })
}

/// Turns MCP OAuth on in the settings with the registration methods in `needed` (those
/// already on stay on: a client using them keeps working), then reports readiness.
/// Environment switches cannot be changed from here: they come back as problems.
pub async fn enable(
    session: &Session,
    needed: Registrations,
) -> Result<OAuthReport, DirectusError> {
    session.require_admin().await?;
    // Before Directus 12 there are no OAuth settings to turn on: refuse before the PATCH.
    version::read(session.client()).await?.require_oauth()?;
    let mut body = Map::new();
    body.insert("mcp_oauth_enabled".into(), json!(true));
    if needed.dcr {
        body.insert("mcp_oauth_dcr_enabled".into(), json!(true));
    }
    if needed.cimd {
        body.insert("mcp_oauth_cimd_enabled".into(), json!(true));
    }
    let _: Value = session
        .client()
        .patch("/settings", &[("fields", "id")], &Value::Object(body))
        .await?;
    status(session, needed).await
}

async fn protected_resource(client: &DirectusClient) -> Option<ProtectedResource> {
    client
        .raw_json("/.well-known/oauth-protected-resource/mcp")
        .await
        .ok()
        .and_then(|value| serde_json::from_value(value).ok())
}

/// What stands in the way, most fundamental first.
fn problems(
    client: &DirectusClient,
    environment: &EnvironmentSwitches,
    settings: &McpSettings,
    metadata: Option<&ProtectedResource>,
    needed: &Registrations,
) -> Vec<OAuthProblem> {
    let mut problems = Vec::new();
    let env_lines: Vec<&str> = [
        (!environment.mcp_oauth_enabled).then_some("MCP_OAUTH_ENABLED=true"),
        (needed.dcr && !environment.mcp_oauth_dcr_enabled).then_some("MCP_OAUTH_DCR_ENABLED=true"),
        (needed.cimd && !environment.mcp_oauth_cimd_enabled)
            .then_some("MCP_OAUTH_CIMD_ENABLED=true"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !environment.mcp_enabled {
        problems.push(OAuthProblem {
            problem: "MCP is disabled by the server's environment (MCP_ENABLED=false)".into(),
            fix: "remove MCP_ENABLED=false from the environment (.env, or `environment:` in docker compose) and restart Directus".into(),
            needs_restart: true,
        });
    }
    if !env_lines.is_empty() {
        problems.push(OAuthProblem {
            problem: format!("the server's environment does not allow it: {} {} not set", env_lines.join(", "), if env_lines.len() == 1 { "is" } else { "are" }),
            fix: format!(
                "add to Directus' .env:\n{}\nor, with docker compose, under the service's `environment:`:\n{}\nthen restart Directus",
                env_lines.join("\n"),
                env_lines
                    .iter()
                    .map(|line| {
                        let (key, value) = line.split_once('=').expect("KEY=value");
                        format!("  {key}: \"{value}\"")
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            needs_restart: true,
        });
    }
    let settings_off: Vec<&str> = [
        (!settings.mcp_oauth_enabled).then_some("OAuth"),
        (needed.dcr && !settings.mcp_oauth_dcr_enabled).then_some("Dynamic Client Registration"),
        (needed.cimd && !settings.mcp_oauth_cimd_enabled).then_some("Client ID Metadata Documents"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !settings_off.is_empty() {
        problems.push(OAuthProblem {
            problem: format!("off in the project settings: {}", settings_off.join(", ")),
            fix:
                "run `directus-mcp-setup oauth enable` (or Settings → AI → Model Context Protocol)"
                    .into(),
            needs_restart: false,
        });
    }
    let expected = client.server().mcp_endpoint();
    if metadata.is_none() && environment.mcp_oauth_enabled && settings.mcp_oauth_enabled {
        let address = client
            .server()
            .join("/.well-known/oauth-protected-resource/mcp");
        problems.push(OAuthProblem {
            problem: format!(
                "Directus publishes no protected-resource metadata at {address}: AI clients read it to find where to sign in, so OAuth cannot start"
            ),
            fix: "let the reverse proxy pass /.well-known/ through to Directus unchanged (it must answer JSON there), then check again".into(),
            needs_restart: false,
        });
    }
    if let Some(metadata) = metadata {
        let published = url::Url::parse(&metadata.resource).ok();
        if published.as_ref() != Some(&expected) {
            problems.push(OAuthProblem {
                problem: format!(
                    "Directus announces its MCP endpoint as {}, but clients reach it at {expected}: PUBLIC_URL is wrong or missing, so OAuth tokens would be issued for the wrong address",
                    metadata.resource
                ),
                fix: format!(
                    "set PUBLIC_URL={} in Directus' environment and restart it",
                    client.server().as_str().trim_end_matches('/')
                ),
                needs_restart: true,
            });
        }
        if published.is_some_and(|url| url.scheme() != "https") && !client.server().is_loopback() {
            problems.push(OAuthProblem {
                problem: "PUBLIC_URL is not https: AI clients refuse OAuth with a remote server over plain http".into(),
                fix: "serve Directus over https (a reverse proxy with a certificate) and set PUBLIC_URL to the https address, then restart it".into(),
                needs_restart: true,
            });
        }
    }
    problems
}

#[derive(Deserialize)]
struct RawClient {
    client_id: String,
    client_name: Option<String>,
    registration_type: Option<String>,
    #[serde(default)]
    redirect_uris: Option<Vec<String>>,
    date_created: Option<String>,
    #[serde(default)]
    tokens: Vec<RawToken>,
}

#[derive(Deserialize)]
struct RawToken {
    id: String,
    user: Option<Value>,
    scope: Option<String>,
    resource: Option<String>,
    date_created: Option<String>,
    expires_at: Option<String>,
}

const CLIENT_FIELDS: &str = "client_id,client_name,registration_type,redirect_uris,date_created,tokens.id,tokens.scope,tokens.resource,tokens.date_created,tokens.expires_at,tokens.user.email";

/// How many clients without grants are listed at most (the newest): while Dynamic Client
/// Registration is on anyone can register clients, so those are never read unbounded.
/// Clients holding a grant are always all listed, however many others there are.
pub const MAX_LISTED_WITHOUT_GRANTS: usize = 100;

/// How many clients one request reads while paging through those holding a grant.
const PAGE: usize = 200;

/// The OAuth clients an admin must see, and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClientList {
    /// Every client holding a grant (all of them, newest first), then the newest clients
    /// without grants (at most [`MAX_LISTED_WITHOUT_GRANTS`]).
    pub clients: Vec<OAuthClient>,
    /// How many clients are registered in all.
    pub total_clients: usize,
    /// How many clients without grants are not listed.
    pub not_shown_without_grants: usize,
    /// How sign-ins end on this server, and the grants that ended.
    pub sign_in: SignInReport,
}

/// Clients holding at least one grant (Directus' `_some` on the one-to-many `tokens`).
fn with_grants_filter() -> String {
    json!({ "tokens": { "_some": { "id": { "_nnull": true } } } }).to_string()
}

/// Clients holding no grant.
fn without_grants_filter() -> String {
    json!({ "tokens": { "_none": { "id": { "_nnull": true } } } }).to_string()
}

/// The registered OAuth clients: every one holding a grant, the newest without, and the
/// count of those not listed. Registering many clients (anyone can, while Dynamic Client
/// Registration is on) never hides a grant.
pub async fn list_clients(session: &Session) -> Result<ClientList, DirectusError> {
    let mut clients = clients_with_grants(session).await?;
    let limit = MAX_LISTED_WITHOUT_GRANTS.to_string();
    let filter = without_grants_filter();
    let without: Vec<RawClient> = oauth_clients_get(
        session.client(),
        &[
            ("fields", CLIENT_FIELDS),
            ("filter", &filter),
            ("sort", "-date_created,client_id"),
            ("limit", &limit),
        ],
    )
    .await?;
    clients.extend(without.into_iter().map(OAuthClient::from));
    let total_clients = count_clients(session).await?;
    let sign_in = grant_lifetime::annotate(session, &mut clients).await;
    Ok(ClientList {
        sign_in,
        not_shown_without_grants: total_clients.saturating_sub(clients.len()),
        total_clients,
        clients,
    })
}

/// Every client holding a grant, newest first, read page by page to the end.
pub async fn clients_with_grants(session: &Session) -> Result<Vec<OAuthClient>, DirectusError> {
    session.require_admin().await?;
    let filter = with_grants_filter();
    let limit = PAGE.to_string();
    let mut clients = Vec::new();
    loop {
        let offset = clients.len().to_string();
        let page: Vec<RawClient> = oauth_clients_get(
            session.client(),
            &[
                ("fields", CLIENT_FIELDS),
                ("filter", &filter),
                ("sort", "-date_created,client_id"),
                ("limit", &limit),
                ("offset", &offset),
            ],
        )
        .await?;
        let last = page.len() < PAGE;
        clients.extend(page.into_iter().map(OAuthClient::from));
        if last {
            return Ok(clients);
        }
    }
}

/// How many clients are registered (`aggregate[count]`).
async fn count_clients(session: &Session) -> Result<usize, DirectusError> {
    let rows: Vec<Value> =
        oauth_clients_get(session.client(), &[("aggregate[count]", "*")]).await?;
    rows.first()
        .and_then(|row| aggregate_count(&row["count"]))
        .ok_or_else(|| DirectusError::UnexpectedResponse {
            what: "GET /mcp-oauth/clients?aggregate[count]=*".into(),
            detail: format!("no count in {rows:?}"),
        })
}

/// A count as Directus answers it: a number, or a number in a string (some databases).
fn aggregate_count(value: &Value) -> Option<usize> {
    match value {
        Value::Number(number) => number.as_u64().and_then(|n| usize::try_from(n).ok()),
        Value::String(text) => text.parse().ok(),
        _ => None,
    }
}

/// Whether a client with this id is registered.
pub async fn registered(session: &Session, client_id: &str) -> Result<bool, DirectusError> {
    Ok(!clients_with_ids(session, &[client_id.to_owned()])
        .await?
        .is_empty())
}

/// The client with this id, as it is now (with its grants), if registered.
pub async fn client(
    session: &Session,
    client_id: &str,
) -> Result<Option<OAuthClient>, DirectusError> {
    Ok(clients_with_ids(session, &[client_id.to_owned()])
        .await?
        .into_iter()
        .next())
}

/// The clients among `ids` that are registered (however old), with their grants.
async fn clients_with_ids(
    session: &Session,
    ids: &[String],
) -> Result<Vec<OAuthClient>, DirectusError> {
    session.require_admin().await?;
    let filter = json!({ "client_id": { "_in": ids } }).to_string();
    let limit = ids.len().max(1).to_string();
    let raw: Vec<RawClient> = oauth_clients_get(
        session.client(),
        &[
            ("fields", CLIENT_FIELDS),
            ("filter", &filter),
            ("limit", &limit),
        ],
    )
    .await?;
    Ok(raw.into_iter().map(OAuthClient::from).collect())
}

impl From<RawClient> for OAuthClient {
    fn from(raw: RawClient) -> Self {
        Self {
            client_id: raw.client_id,
            client_name: raw.client_name,
            registration_type: raw.registration_type,
            redirect_uris: raw.redirect_uris.unwrap_or_default(),
            created: raw.date_created,
            grants: raw
                .tokens
                .into_iter()
                .map(|token| Grant {
                    id: token.id,
                    user_email: token
                        .user
                        .as_ref()
                        .and_then(|user| user.get("email"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    scope: token.scope,
                    resource: token.resource,
                    created: token.date_created,
                    expires: token.expires_at,
                    last_used: None,
                    ending: None,
                })
                .collect(),
        }
    }
}

/// Revokes the clients `ids` (Directus removes their consents, codes, tokens and sessions,
/// for every user of each client), then proves it: they are no longer listed. Unknown ids
/// are refused before anything is revoked. Returns the clients as they were, with the
/// grants that ended.
pub async fn revoke_clients(
    session: &Session,
    ids: &[String],
) -> Result<Vec<OAuthClient>, DirectusError> {
    let revoked = clients_with_ids(session, ids).await?;
    let known: BTreeSet<String> = revoked
        .iter()
        .map(|client| client.client_id.clone())
        .collect();
    let unknown: Vec<String> = ids
        .iter()
        .filter(|id| !known.contains(*id))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(DirectusError::UnknownOAuthClients(unknown.join(", ")));
    }
    let response = session
        .client()
        .send(
            reqwest::Method::DELETE,
            "/mcp-oauth/clients",
            &[],
            Some(&json!(ids)),
        )
        .await?;
    let status = response.status();
    if !status.is_success() {
        let body = crate::transport::read_body(response, "/mcp-oauth/clients")
            .await
            .unwrap_or_default();
        return Err(session
            .client()
            .api_error(status, &body, "/mcp-oauth/clients"));
    }
    let still: Vec<String> = clients_with_ids(session, ids)
        .await?
        .into_iter()
        .map(|client| client.client_id)
        .collect();
    if !still.is_empty() {
        return Err(DirectusError::UnexpectedResponse {
            what: "DELETE /mcp-oauth/clients".into(),
            detail: format!(
                "these clients are still listed after revoking: {}",
                still.join(", ")
            ),
        });
    }
    Ok(revoked)
}

/// Waits until a grant appears that is not among `known` (grant ids), polling every
/// `interval`; `None` when `timeout` passes first. What the wizard shows as "authorized".
pub async fn wait_for_new_grant(
    session: &Session,
    known: &BTreeSet<String>,
    timeout: Duration,
    interval: Duration,
) -> Result<Option<(OAuthClient, Grant)>, DirectusError> {
    // A timeout too large to add is as good as none (no overflow panic).
    let deadline = Instant::now()
        .checked_add(timeout)
        .unwrap_or_else(|| Instant::now() + Duration::from_secs(365 * 24 * 3600));
    loop {
        // Only clients holding a grant can hold a new one: read all of them (a new grant
        // on a client registered long ago counts too), never only the newest clients.
        for client in clients_with_grants(session).await? {
            if let Some(grant) = client
                .grants
                .iter()
                .find(|grant| !known.contains(&grant.id))
            {
                let grant = grant.clone();
                return Ok(Some((client, grant)));
            }
        }
        if Instant::now() + interval > deadline {
            return Ok(None);
        }
        tokio::time::sleep(interval).await;
    }
}

/// The grant ids there are now.
pub fn grant_ids(clients: &[OAuthClient]) -> BTreeSet<String> {
    clients
        .iter()
        .flat_map(|client| client.grants.iter().map(|grant| grant.id.clone()))
        .collect()
}

/// `GET /mcp-oauth/clients` with `query`, a 404 explained by [`oauth_route_error`].
async fn oauth_clients_get<T: serde::de::DeserializeOwned>(
    client: &DirectusClient,
    query: &[(&str, &str)],
) -> Result<T, DirectusError> {
    match client.get("/mcp-oauth/clients", query).await {
        Ok(found) => Ok(found),
        Err(error) => Err(oauth_route_error(client, error).await),
    }
}

/// `/mcp-oauth/*` only exists on Directus 12 or later, when the environment turns OAuth on:
/// a 404 there is explained by the version first (one more request, only then).
async fn oauth_route_error(client: &DirectusClient, error: DirectusError) -> DirectusError {
    match error {
        DirectusError::Api { status: 404, .. } => {
            let version = version::read(client).await.map(|kind| kind.version);
            route_missing_because(version.as_deref().ok())
        }
        other => other,
    }
}

/// Why `/mcp-oauth/*` is missing on a server that reported `version` (`None`: unknown).
fn route_missing_because(version: Option<&str>) -> DirectusError {
    match version.map(ServerKind::from_reported) {
        Some(kind) if !kind.capabilities.has_oauth() => match kind.require_oauth() {
            Err(error) => error,
            Ok(_) => DirectusError::OAuthDisabledByEnvironment,
        },
        _ => DirectusError::OAuthDisabledByEnvironment,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directus::ServerUrl;

    #[test]
    fn a_missing_oauth_route_on_eleven_x_names_the_version_not_the_environment() {
        let eleven = route_missing_because(Some("11.17.4")).to_string();
        assert!(eleven.contains("needs Directus 12"), "{eleven}");
        assert!(!eleven.contains("MCP_OAUTH_ENABLED=true"), "{eleven}");
        assert!(matches!(
            route_missing_because(Some("12.4.1")),
            DirectusError::OAuthDisabledByEnvironment
        ));
        assert!(matches!(
            route_missing_because(None),
            DirectusError::OAuthDisabledByEnvironment
        ));
    }

    #[test]
    fn a_count_is_read_as_a_number_or_a_string() {
        assert_eq!(aggregate_count(&json!(612)), Some(612));
        assert_eq!(aggregate_count(&json!("612")), Some(612));
        assert_eq!(aggregate_count(&json!(null)), None);
    }

    fn switches(on: bool) -> EnvironmentSwitches {
        EnvironmentSwitches {
            mcp_enabled: true,
            mcp_oauth_enabled: on,
            mcp_oauth_dcr_enabled: on,
            mcp_oauth_cimd_enabled: on,
        }
    }

    fn settings_on() -> McpSettings {
        McpSettings {
            mcp_enabled: true,
            mcp_allow_deletes: false,
            mcp_prompts_collection: None,
            mcp_system_prompt_enabled: true,
            mcp_system_prompt: None,
            mcp_oauth_enabled: true,
            mcp_oauth_dcr_enabled: true,
            mcp_oauth_cimd_enabled: true,
        }
    }

    fn resource(url: &str) -> ProtectedResource {
        ProtectedResource {
            resource: url.into(),
            authorization_servers: Vec::new(),
        }
    }

    #[test]
    fn no_metadata_document_is_not_ready() {
        let client =
            DirectusClient::new(ServerUrl::parse("https://cms.example.com", false).unwrap())
                .unwrap();
        let found = problems(
            &client,
            &switches(true),
            &settings_on(),
            None,
            &Registrations::default(),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .problem
                .contains("https://cms.example.com/.well-known/oauth-protected-resource/mcp"),
            "{found:?}"
        );
        // With OAuth off, the missing document is expected: the switches are the problem.
        let off = problems(
            &client,
            &switches(false),
            &settings_on(),
            None,
            &Registrations::default(),
        );
        assert!(
            off.iter().all(|p| !p.problem.contains("metadata")),
            "{off:?}"
        );
    }

    #[test]
    fn a_wrong_public_url_is_named_with_the_line_to_set() {
        let client =
            DirectusClient::new(ServerUrl::parse("https://cms.example.com", false).unwrap())
                .unwrap();
        let found = problems(
            &client,
            &switches(true),
            &settings_on(),
            Some(&resource("http://localhost:8055/mcp")),
            &Registrations::default(),
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].fix.contains("PUBLIC_URL=https://cms.example.com"),
            "{found:?}"
        );
        assert!(found[1].problem.contains("not https"), "{found:?}");
        assert!(found.iter().all(|problem| problem.needs_restart));

        let ready = problems(
            &client,
            &switches(true),
            &settings_on(),
            Some(&resource("https://cms.example.com/mcp")),
            &Registrations::default(),
        );
        assert!(ready.is_empty(), "{ready:?}");
    }

    #[test]
    fn only_the_missing_switches_are_asked_for() {
        let client =
            DirectusClient::new(ServerUrl::parse("https://cms.example.com", false).unwrap())
                .unwrap();
        let mut environment = switches(true);
        environment.mcp_oauth_cimd_enabled = false;
        let needed = Registrations {
            dcr: true,
            cimd: true,
            reasons: Vec::new(),
        };
        let found = problems(
            &client,
            &environment,
            &settings_on(),
            Some(&resource("https://cms.example.com/mcp")),
            &needed,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].fix.contains("MCP_OAUTH_CIMD_ENABLED=true"));
        assert!(!found[0].fix.contains("MCP_OAUTH_DCR_ENABLED"));
        assert!(found[0].fix.contains("MCP_OAUTH_CIMD_ENABLED: \"true\""));
    }
}
