//! The connection doctor: before a user tries, whether each chosen client can reach and sign
//! in to this Directus, and if not, why and what to change. One line per check, each ok, a
//! warning or a problem, with the exact fix.
//!
//! Checked here: who can reach the address (cloud connectors need a public https address on
//! port 443), how `/mcp` answers a client without credentials (a redirect, MCP off, the kill
//! switch), whether the 401 points clients at the protected-resource metadata, and OAuth
//! readiness for the registrations the chosen clients use (as `oauth status`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clients::ClientError;
use crate::clients::{self, ClientConnector};
use crate::directus::client::{ApiErrorBody, read_body, transport_error};
use crate::directus::oauth;
use crate::directus::{DirectusError, Reach, Session};

/// Why the doctor could not run.
#[derive(Debug, thiserror::Error)]
pub enum DoctorError {
    /// An unknown client was named.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// Directus refused or could not be reached (signing in, reading the settings).
    #[error(transparent)]
    Directus(#[from] DirectusError),
}

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Nothing to do.
    Ok,
    /// Works, with a caveat.
    Warning,
    /// Will fail until fixed.
    Problem,
}

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Check {
    /// What was checked: `address`, `mcp-endpoint`, `discovery`, `oauth`.
    pub topic: String,
    /// How it came out.
    pub verdict: Verdict,
    /// What was found.
    pub detail: String,
    /// What to change, exactly (problems and warnings).
    pub fix: Option<String>,
    /// The clients it is about (empty: all).
    pub clients: Vec<String>,
}

/// The doctor's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DoctorReport {
    /// Directus' MCP endpoint.
    pub mcp_url: String,
    /// The clients checked for.
    pub clients: Vec<String>,
    /// The checks, in order.
    pub checks: Vec<Check>,
}

impl DoctorReport {
    /// Whether any check is a problem.
    pub fn has_problems(&self) -> bool {
        self.checks
            .iter()
            .any(|check| check.verdict == Verdict::Problem)
    }
}

/// The clients the doctor checks when none are named: those found on this computer (web
/// apps always are) or connected to this Directus.
pub fn default_clients(
    env: &clients::ClientEnvironment,
    session: &Session,
    store: &crate::secrets::SecretStore,
) -> Result<Vec<String>, DoctorError> {
    let target = clients::Target::new("directus", clients::Scope::User, None)?;
    let expected = clients::Expected::kept(session.client().server(), store);
    Ok(clients::overview(env, &target, &expected)
        .into_iter()
        .filter(|client| {
            client.detected.installed
                || matches!(client.status, Some(clients::ClientStatus::Connected { .. }))
        })
        .map(|client| client.info.id)
        .collect())
}

/// Runs every check for the clients `ids` against the signed-in admin's Directus.
pub async fn diagnose(session: &Session, ids: &[String]) -> Result<DoctorReport, DoctorError> {
    let chosen: Vec<&'static dyn ClientConnector> = ids
        .iter()
        .map(|id| clients::find(id.trim()))
        .collect::<Result<_, _>>()?;
    let mcp_url = session.client().server().mcp_endpoint();
    let mut checks = address_checks(&chosen, &mcp_url);
    let endpoint = endpoint_check(session, &chosen).await;
    checks.extend(endpoint);
    checks.extend(oauth_checks(session, &chosen).await?);
    Ok(DoctorReport {
        mcp_url: mcp_url.to_string(),
        clients: chosen.iter().map(|client| client.info().id).collect(),
        checks,
    })
}

fn names(clients: &[&dyn ClientConnector]) -> String {
    clients
        .iter()
        .map(|client| client.info().name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn ids(clients: &[&dyn ClientConnector]) -> Vec<String> {
    clients.iter().map(|client| client.info().id).collect()
}

/// Who can reach the address, per kind of client.
fn address_checks(chosen: &[&'static dyn ClientConnector], mcp_url: &url::Url) -> Vec<Check> {
    let (cloud, local): (Vec<_>, Vec<_>) = chosen
        .iter()
        .partition(|client| client.vendor_servers().is_some());
    let mut checks = Vec::new();
    if !local.is_empty() {
        let reach = Reach::of(mcp_url);
        let plain_remote = mcp_url.scheme() == "http" && reach != Reach::ThisComputer;
        checks.push(Check {
            topic: "address".into(),
            verdict: if plain_remote {
                Verdict::Warning
            } else {
                Verdict::Ok
            },
            detail: format!(
                "{} {} on this computer and {} {mcp_url} (reachable {}){}",
                names(&local),
                if local.len() == 1 { "runs" } else { "run" },
                if local.len() == 1 { "reaches" } else { "reach" },
                reach.describe(),
                if plain_remote {
                    ", but over plain http: tokens cross the network unencrypted"
                } else {
                    ""
                }
            ),
            fix: plain_remote
                .then(|| "Serve Directus over https and use the https address.".to_owned()),
            clients: ids(&local),
        });
    }
    for client in cloud {
        let info = client.info();
        let vendor = client.vendor_servers().unwrap_or_default();
        let reasons = clients::unreachable_reasons(vendor, mcp_url);
        let reachable = reasons.is_empty();
        checks.push(Check {
            topic: "address".into(),
            verdict: if reachable {
                Verdict::Ok
            } else {
                Verdict::Problem
            },
            detail: if reachable {
                format!(
                    "{} connects from {vendor}'s servers: {mcp_url} is a public https address",
                    info.name
                )
            } else {
                format!(
                    "{} connects from {vendor}'s servers, not from this computer: {}",
                    info.name,
                    reasons.join("; ")
                )
            },
            fix: (!reachable).then(|| clients::CLOUD_FIX.to_owned()),
            clients: vec![info.id],
        });
    }
    checks
}

/// How `/mcp` answers a client that has not signed in yet: a 401 pointing at the
/// protected-resource metadata is what every client expects.
async fn endpoint_check(session: &Session, chosen: &[&'static dyn ClientConnector]) -> Vec<Check> {
    let client = session.client();
    let url = client.server().mcp_endpoint();
    let check = |verdict, detail: String, fix: Option<&str>| Check {
        topic: "mcp-endpoint".into(),
        verdict,
        detail,
        fix: fix.map(str::to_owned),
        clients: Vec::new(),
    };
    let request = crate::mcp::probe::initialize_request(client, url.as_str());
    client.requests().increment();
    let response = match request.send().await {
        Ok(response) => response,
        Err(error) => {
            return vec![check(
                Verdict::Problem,
                transport_error(&error, url.as_str()).to_string(),
                Some("Check that Directus runs and this address reaches it."),
            )];
        }
    };
    let status = response.status();
    if status.is_redirection() {
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("an address it did not name")
            .to_owned();
        return vec![check(
            Verdict::Problem,
            format!(
                "{url} answers with a redirect (HTTP {}) to {location}: MCP clients send their requests to exactly this address, and most do not follow a redirect for them",
                status.as_u16()
            ),
            Some(
                "Use the address the redirect points to as the Directus URL (and PUBLIC_URL), or let the reverse proxy pass /mcp through without redirecting.",
            ),
        )];
    }
    let challenge = response
        .headers()
        .get(reqwest::header::WWW_AUTHENTICATE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let body = read_body(response, url.as_str()).await.unwrap_or_default();
    let reason = ApiErrorBody::parse(&body)
        .map(|error| error.reason.unwrap_or(error.message))
        .unwrap_or_default();
    let mut checks = Vec::new();
    match status.as_u16() {
        401 => {
            checks.push(check(
                Verdict::Ok,
                format!("{url} asks for credentials (HTTP 401), as clients expect"),
                None,
            ));
            let oauth_clients: Vec<_> = chosen
                .iter()
                .filter(|client| client.info().oauth != clients::OAuthRegistration::Unsupported)
                .copied()
                .collect();
            let points_to_metadata = challenge
                .as_deref()
                .is_some_and(|value| value.contains("resource_metadata"));
            if !oauth_clients.is_empty() && !points_to_metadata {
                checks.push(Check {
                    topic: "discovery".into(),
                    verdict: Verdict::Warning,
                    detail: format!(
                        "the 401 does not point at the protected-resource metadata (WWW-Authenticate: {}), so {} cannot discover how to sign in with OAuth",
                        challenge.as_deref().unwrap_or("none"),
                        names(&oauth_clients)
                    ),
                    fix: Some(
                        "Turn MCP OAuth on (see the oauth checks), or connect these clients with the MCP token.".to_owned(),
                    ),
                    clients: ids(&oauth_clients),
                });
            }
        }
        403 if reason.contains("MCP must be enabled") => checks.push(check(
            Verdict::Problem,
            "MCP is turned off in the project settings".to_owned(),
            Some("Run `directus-mcp-setup enable` (or the app's Enable step)."),
        )),
        404 => checks.push(check(
            Verdict::Problem,
            format!(
                "{url} does not exist: MCP_ENABLED=false in Directus' environment, or Directus older than 12"
            ),
            Some("Remove MCP_ENABLED=false from Directus' environment and restart it (Directus 12 or later)."),
        )),
        code => checks.push(check(
            Verdict::Warning,
            format!("{url} answered HTTP {code} to a client without credentials (expected 401)"),
            None,
        )),
    }
    checks
}

/// OAuth readiness for the registrations the chosen clients use.
async fn oauth_checks(
    session: &Session,
    chosen: &[&'static dyn ClientConnector],
) -> Result<Vec<Check>, DoctorError> {
    let oauth_clients: Vec<_> = chosen
        .iter()
        .filter(|client| client.info().oauth != clients::OAuthRegistration::Unsupported)
        .copied()
        .collect();
    if oauth_clients.is_empty() {
        return Ok(Vec::new());
    }
    let needed = clients::registrations(&ids(&oauth_clients), false, false)?;
    let report = oauth::status(session, needed).await?;
    if report.ready {
        return Ok(vec![Check {
            topic: "oauth".into(),
            verdict: Verdict::Ok,
            detail: format!(
                "MCP OAuth is ready for {} ({})",
                names(&oauth_clients),
                report.needed.reasons.join("; ")
            ),
            fix: None,
            clients: ids(&oauth_clients),
        }]);
    }
    Ok(report
        .problems
        .into_iter()
        .map(|problem| Check {
            topic: "oauth".into(),
            // With the MCP token these clients still work: OAuth is the better way, not the only one.
            verdict: Verdict::Warning,
            detail: format!(
                "for OAuth sign-in of {}: {}",
                names(&oauth_clients),
                problem.problem
            ),
            fix: Some(problem.fix),
            clients: ids(&oauth_clients),
        })
        .collect())
}
