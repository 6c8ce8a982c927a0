//! The connection doctor: before a user tries, whether each chosen client can reach and sign
//! in to this Directus, and if not, why and what to change. One line per check, each ok, a
//! warning or a problem, with the exact fix.
//!
//! Checked here: who can reach the address (cloud connectors need a public https address on
//! port 443); the certificate (trusted here for the clients on this computer, by a public
//! CA for the cloud connectors, not about to expire); how `/mcp` answers a client without
//! credentials (a redirect, MCP off, the kill switch); OAuth discovery as a client walks it
//! (the 401's pointer, the protected-resource and authorization-server metadata); OAuth
//! readiness for the registrations the chosen clients use (as `oauth status`); whether
//! Directus can fetch the Client ID Metadata Documents of the chosen CIMD clients; whether
//! `GET /mcp` answers 405 as connectors expect (topic `mcp-get`); and, per client that
//! registers with DCR, a real registration as that client does it, deleted again (topic
//! `registration`).

mod certificate;
mod cimd;
mod discovery;
mod registration;
mod stream_get;
mod version;

pub use certificate::{CertificateReport, inspect as inspect_certificate};
pub use cimd::CimdFetch;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clients::ClientError;
use crate::clients::{self, ClientConnector};
use crate::directus::client::{ApiErrorBody, read_body, redirect_target, transport_error};
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
    /// What was checked: `address`, `tls`, `mcp-endpoint`, `discovery`, `oauth`, `cimd`.
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

/// The clients found on this computer (web apps always are): who the doctor checks for when
/// it cannot sign in to learn which are connected.
pub fn found_clients(env: &clients::ClientEnvironment) -> Vec<String> {
    clients::all()
        .iter()
        .filter(|client| client.detect(env).installed)
        .map(|client| client.info().id)
        .collect()
}

/// Runs every check for the clients `ids` against the signed-in admin's Directus, and
/// whether Directus can fetch the Client ID Metadata Documents `documents` (a team's own
/// MCP clients) besides those of the chosen clients.
pub async fn diagnose(
    session: &Session,
    ids: &[String],
    documents: &[String],
) -> Result<DoctorReport, DoctorError> {
    let chosen = find_clients(ids)?;
    let mcp_url = session.client().server().mcp_endpoint();
    let mut checks = address_checks(&chosen, &mcp_url);
    checks.extend(certificate_checks(&chosen, &mcp_url).await);
    let (version_checks, has_oauth) = version::checks(session, &chosen).await?;
    checks.extend(version_checks);
    let (endpoint, challenge) = endpoint_check(session, &chosen).await;
    checks.extend(endpoint);
    if challenge.is_some() {
        checks.extend(stream_get_check(session, &chosen).await);
    }
    let (oauth, readiness) = if has_oauth {
        oauth_checks(session, &chosen).await?
    } else {
        (Vec::new(), None)
    };
    let mut registration_endpoint = None;
    if let (Some(report), Some(challenge)) = (&readiness, &challenge)
        && report.ready
    {
        let (discovery, found) = discovery_checks(session, &chosen, challenge).await;
        checks.extend(discovery);
        registration_endpoint = found;
    }
    checks.extend(oauth);
    if let (Some(report), Some((endpoint, cimd_announced))) = (&readiness, &registration_endpoint) {
        let cimd_offered = *cimd_announced
            && report.environment.mcp_oauth_cimd_enabled
            && report.settings.mcp_oauth_cimd_enabled;
        checks.extend(registration_checks(session, &chosen, endpoint, cimd_offered).await?);
    }
    if let Some(report) = &readiness
        && report.environment.mcp_oauth_cimd_enabled
        && report.settings.mcp_oauth_cimd_enabled
    {
        checks.extend(cimd_checks(session, &chosen, documents).await?);
    }
    Ok(DoctorReport {
        mcp_url: mcp_url.to_string(),
        clients: ids_of(&chosen),
        checks,
    })
}

/// The checks that need no sign-in (who can reach the address, its certificate): what the
/// doctor can still say when signing in failed, e.g. over a certificate this computer does
/// not trust.
pub async fn diagnose_before_sign_in(
    mcp_url: &url::Url,
    ids: &[String],
) -> Result<DoctorReport, DoctorError> {
    let chosen = find_clients(ids)?;
    let mut checks = address_checks(&chosen, mcp_url);
    checks.extend(certificate_checks(&chosen, mcp_url).await);
    Ok(DoctorReport {
        mcp_url: mcp_url.to_string(),
        clients: ids_of(&chosen),
        checks,
    })
}

fn find_clients(ids: &[String]) -> Result<Vec<&'static dyn ClientConnector>, DoctorError> {
    Ok(ids
        .iter()
        .map(|id| clients::find(id.trim()))
        .collect::<Result<_, _>>()?)
}

/// A verb's ending for `count` subjects: "signs" for one client, "sign" for several.
fn third_person(count: usize) -> &'static str {
    if count == 1 { "s" } else { "" }
}

fn names(clients: &[&dyn ClientConnector]) -> String {
    clients
        .iter()
        .map(|client| client.info().name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn ids_of(clients: &[&dyn ClientConnector]) -> Vec<String> {
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
            clients: ids_of(&local),
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
/// Returns the checks and, for a 401, its `WWW-Authenticate` challenge.
async fn endpoint_check(
    session: &Session,
    chosen: &[&'static dyn ClientConnector],
) -> (Vec<Check>, Option<String>) {
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
            return (
                vec![check(
                    Verdict::Problem,
                    transport_error(&error, url.as_str()).to_string(),
                    Some("Check that Directus runs and this address reaches it."),
                )],
                None,
            );
        }
    };
    let status = response.status();
    if status.is_redirection() {
        let location = redirect_target(&response, url.as_str());
        return (
            vec![check(
                Verdict::Problem,
                format!(
                    "{url} answers with a redirect (HTTP {}) to {location}: MCP clients send their requests to exactly this address, and most do not follow a redirect for them",
                    status.as_u16()
                ),
                Some(
                    "Use the address the redirect points to as the Directus URL (and PUBLIC_URL), or let the reverse proxy pass /mcp through without redirecting.",
                ),
            )],
            None,
        );
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
                    clients: ids_of(&oauth_clients),
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
    let challenge = (status.as_u16() == 401).then_some(challenge).flatten();
    (checks, challenge)
}

/// OAuth readiness for the registrations the chosen clients use, with the report it was
/// read from (none when no chosen client uses OAuth).
async fn oauth_checks(
    session: &Session,
    chosen: &[&'static dyn ClientConnector],
) -> Result<(Vec<Check>, Option<oauth::OAuthReport>), DoctorError> {
    let oauth_clients: Vec<_> = chosen
        .iter()
        .filter(|client| client.info().oauth != clients::OAuthRegistration::Unsupported)
        .copied()
        .collect();
    if oauth_clients.is_empty() {
        return Ok((Vec::new(), None));
    }
    let needed = clients::registrations(&ids_of(&oauth_clients), false, false)?;
    let report = oauth::status(session, needed).await?;
    if report.ready {
        let check = Check {
            topic: "oauth".into(),
            verdict: Verdict::Ok,
            detail: format!(
                "MCP OAuth is ready for {} ({})",
                names(&oauth_clients),
                report.needed.reasons.join("; ")
            ),
            fix: None,
            clients: ids_of(&oauth_clients),
        };
        return Ok((vec![check], Some(report)));
    }
    let checks = report
        .problems
        .iter()
        .map(|problem| Check {
            topic: "oauth".into(),
            // With the MCP token these clients still work: OAuth is the better way, not the only one.
            verdict: Verdict::Warning,
            detail: format!(
                "for OAuth sign-in of {}: {}",
                names(&oauth_clients),
                problem.problem
            ),
            fix: Some(problem.fix.clone()),
            clients: ids_of(&oauth_clients),
        })
        .collect();
    Ok((checks, Some(report)))
}

/// How near an expiry must be to be worth a warning.
const EXPIRY_WARNING: std::time::Duration = std::time::Duration::from_secs(14 * 24 * 60 * 60);

/// The certificate of an https address, judged for each kind of client: the clients on this
/// computer need this computer to trust it; the cloud connectors need a public CA.
async fn certificate_checks(
    chosen: &[&'static dyn ClientConnector],
    mcp_url: &url::Url,
) -> Vec<Check> {
    if mcp_url.scheme() != "https" || chosen.is_empty() {
        return Vec::new();
    }
    let host = mcp_url.host_str().unwrap_or("the server").to_owned();
    let report = match certificate::inspect(mcp_url).await {
        Ok(report) => report,
        Err(reason) => {
            return vec![Check {
                topic: "tls".into(),
                verdict: Verdict::Problem,
                detail: format!("no certificate could be read: {reason}"),
                fix: Some(
                    "Check that Directus (or its reverse proxy) serves https on this address."
                        .into(),
                ),
                clients: ids_of(chosen),
            }];
        }
    };
    let (cloud, local): (Vec<_>, Vec<_>) = chosen
        .iter()
        .partition(|client| client.vendor_servers().is_some());
    let mut checks = Vec::new();
    if !local.is_empty() {
        checks.push(match &report.trusted_here {
            Ok(()) => Check {
                topic: "tls".into(),
                verdict: Verdict::Ok,
                detail: match &report.publicly_trusted {
                    Ok(()) => format!("this computer trusts the certificate of {host} (issued by a public CA)"),
                    Err(why) => format!(
                        "this computer trusts the certificate of {host}, though not as a public CA's ({why}): clients with a CA list of their own, such as Node.js-based ones, need NODE_EXTRA_CA_CERTS set to your CA's file"
                    ),
                },
                fix: None,
                clients: ids_of(&local),
            },
            Err(why) => Check {
                topic: "tls".into(),
                verdict: Verdict::Problem,
                detail: format!("this computer does not trust the certificate of {host}: {why}, so {} will refuse the connection", names(&local)),
                fix: Some(format!(
                    "Use a certificate from a public CA for {host} (e.g. Let's Encrypt), or add the CA that issued it to this computer's trust store."
                )),
                clients: ids_of(&local),
            },
        });
    }
    for client in cloud {
        let info = client.info();
        let vendor = client.vendor_servers().unwrap_or_default();
        checks.push(match &report.publicly_trusted {
            Ok(()) => Check {
                topic: "tls".into(),
                verdict: Verdict::Ok,
                detail: format!("a public CA issued the certificate of {host}, so {vendor}'s servers accept it"),
                fix: None,
                clients: vec![info.id],
            },
            Err(why) => Check {
                topic: "tls".into(),
                verdict: Verdict::Problem,
                detail: format!(
                    "{} connects from {vendor}'s servers, which trust only public CAs: the certificate of {host} will be refused ({why}){}",
                    info.name,
                    if report.trusted_here.is_ok() { "; that this computer trusts it does not help" } else { "" }
                ),
                fix: Some(format!("Use a certificate from a public CA for {host} (e.g. Let's Encrypt).")),
                clients: vec![info.id],
            },
        });
    }
    if let Some(expires) = report.expires {
        let left = expires
            .duration_since(std::time::SystemTime::now())
            .unwrap_or_default();
        if left < EXPIRY_WARNING {
            let date = chrono::DateTime::<chrono::Utc>::from(expires).format("%Y-%m-%d %H:%M UTC");
            let days = left.as_secs() / (24 * 60 * 60);
            checks.push(Check {
                topic: "tls".into(),
                verdict: if left.is_zero() { Verdict::Problem } else { Verdict::Warning },
                detail: if left.is_zero() {
                    format!("the certificate of {host} expired on {date}")
                } else {
                    format!("the certificate of {host} expires on {date}, in {days} day{}", if days == 1 { "" } else { "s" })
                },
                fix: Some(format!(
                    "Renew the certificate of {host} before then (certbot renew, or your proxy's automatic renewal); every client stops connecting when it expires."
                )),
                clients: ids_of(chosen),
            });
        }
    }
    checks
}

/// What the fix is when a client cannot get through OAuth discovery.
const DISCOVERY_FIX: &str = "Let the reverse proxy pass /.well-known/oauth-protected-resource/…, /.well-known/oauth-authorization-server and /mcp-oauth/… through to Directus unchanged (no redirect, no login page), and set PUBLIC_URL to the address clients use.";

/// OAuth discovery, followed as a client does from the 401 (only when OAuth is ready: the
/// OAuth checks say what to turn on otherwise).
async fn discovery_checks(
    session: &Session,
    chosen: &[&'static dyn ClientConnector],
    challenge: &str,
) -> (Vec<Check>, Option<(String, bool)>) {
    let oauth_clients: Vec<_> = chosen
        .iter()
        .filter(|client| client.info().oauth != clients::OAuthRegistration::Unsupported)
        .copied()
        .collect();
    if oauth_clients.is_empty() {
        return (Vec::new(), None);
    }
    let check = |verdict, detail: String, fix: Option<String>, on: &[&dyn ClientConnector]| Check {
        topic: "discovery".into(),
        verdict,
        detail,
        fix,
        clients: ids_of(on),
    };
    let found = match discovery::follow(session.client(), challenge).await {
        Ok(found) => found,
        Err(discovery::DiscoveryError::NoPointer(_)) => return (Vec::new(), None), // said by the endpoint check
        Err(error) => {
            return (
                vec![check(
                    Verdict::Problem,
                    format!(
                        "{error}, so {} cannot find how to sign in",
                        names(&oauth_clients)
                    ),
                    Some(DISCOVERY_FIX.into()),
                    &oauth_clients,
                )],
                None,
            );
        }
    };
    let server = &found.authorization_server;
    let mut missing = Vec::new();
    if server.authorization_endpoint.is_none() {
        missing.push("authorization_endpoint");
    }
    if server.token_endpoint.is_none() {
        missing.push("token_endpoint");
    }
    if !missing.is_empty() {
        return (
            vec![check(
                Verdict::Problem,
                format!(
                    "the authorization server's metadata at {} lacks {}",
                    found.authorization_server_metadata_url,
                    missing.join(" and ")
                ),
                Some(DISCOVERY_FIX.into()),
                &oauth_clients,
            )],
            None,
        );
    }
    let mut checks = Vec::new();
    let dcr_only: Vec<_> = oauth_clients
        .iter()
        .filter(|client| client.info().oauth == clients::OAuthRegistration::Dcr)
        .copied()
        .collect();
    if !dcr_only.is_empty() && server.registration_endpoint.is_none() {
        checks.push(check(
            Verdict::Problem,
            format!(
                "the authorization server's metadata at {} announces no registration_endpoint, which {} need{} to register",
                found.authorization_server_metadata_url,
                names(&dcr_only),
                third_person(dcr_only.len())
            ),
            Some(DISCOVERY_FIX.into()),
            &dcr_only,
        ));
    }
    let cimd_only: Vec<_> = oauth_clients
        .iter()
        .filter(|client| client.info().oauth == clients::OAuthRegistration::Cimd)
        .copied()
        .collect();
    if !cimd_only.is_empty() && !server.cimd_supported {
        checks.push(check(
            Verdict::Problem,
            format!(
                "the authorization server's metadata at {} does not announce Client ID Metadata Documents, the only way {} register{}",
                found.authorization_server_metadata_url,
                names(&cimd_only),
                third_person(cimd_only.len())
            ),
            Some(DISCOVERY_FIX.into()),
            &cimd_only,
        ));
    }
    if checks.is_empty() {
        checks.push(check(
            Verdict::Ok,
            format!(
                "a client that gets the 401 finds the protected-resource metadata at {} (resource {}) and the authorization server {} (sign-in at {}{}{})",
                found.resource_metadata_url,
                found.resource.as_deref().unwrap_or("not named"),
                server.issuer.as_deref().unwrap_or("without an issuer"),
                server.authorization_endpoint.as_deref().unwrap_or_default(),
                server
                    .registration_endpoint
                    .as_deref()
                    .map(|endpoint| format!(", registration at {endpoint}"))
                    .unwrap_or_default(),
                if server.cimd_supported { ", metadata documents accepted" } else { "" }
            ),
            None,
            &oauth_clients,
        ));
    }
    let registration = server
        .registration_endpoint
        .clone()
        .map(|endpoint| (endpoint, server.cimd_supported));
    (checks, registration)
}

/// Whether Directus can fetch the Client ID Metadata Document of each chosen CIMD client
/// (only when CIMD is on: Directus offers it, so these clients use it).
async fn cimd_checks(
    session: &Session,
    chosen: &[&'static dyn ClientConnector],
    documents: &[String],
) -> Result<Vec<Check>, DoctorError> {
    let mut by_document: Vec<(&str, Vec<&'static dyn ClientConnector>)> = documents
        .iter()
        .map(|document| (document.as_str(), Vec::new()))
        .collect();
    for client in chosen {
        let Some(document) = client.cimd_client_id() else {
            continue;
        };
        if !matches!(
            client.info().oauth,
            clients::OAuthRegistration::Cimd | clients::OAuthRegistration::CimdOrDcr
        ) {
            continue;
        }
        match by_document.iter_mut().find(|(known, _)| *known == document) {
            Some((_, users)) => users.push(*client),
            None => by_document.push((document, vec![*client])),
        }
    }
    let mut checks = Vec::new();
    for (document, users) in by_document {
        let who = if users.is_empty() {
            "your client".to_owned()
        } else {
            names(&users)
        };
        let host = url::Url::parse(document)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_default();
        let falls_back = !users.is_empty()
            && users
                .iter()
                .all(|client| client.info().oauth == clients::OAuthRegistration::CimdOrDcr);
        let (verdict, detail, fix) = match cimd::probe(session, document).await? {
            CimdFetch::Off => continue,
            CimdFetch::Fetched { known_before: false } => (
                Verdict::Ok,
                format!("Directus fetched {document}, the client metadata document {who} sign{} in with (the probe registered nothing)", third_person(users.len())),
                None,
            ),
            CimdFetch::Fetched { known_before: true } => (
                Verdict::Ok,
                format!("Directus holds {document}, the client metadata document {who} sign{} in with, from an earlier sign-in", third_person(users.len())),
                None,
            ),
            CimdFetch::Unreachable => (
                Verdict::Problem,
                format!(
                    "Directus could not fetch {document}, the client metadata document {who} sign{} in with, so while CIMD is on their sign-in fails in the client's own window. Directus fetches it from its own network and needs outbound https and public DNS for {host} (documents on private or loopback addresses are refused by design)",
                    third_person(users.len())
                ),
                Some(if falls_back {
                    format!("Allow Directus outbound https (port 443) and DNS to {host}; or turn Client ID Metadata Documents off (Settings → AI → Model Context Protocol) so {who} register{} with DCR instead.", third_person(users.len()))
                } else {
                    format!("Allow Directus outbound https (port 443) and DNS to {host}, or connect {who} with the MCP token.")
                }),
            ),
            CimdFetch::NotAClientId => (
                Verdict::Problem,
                format!("Directus refuses {document} as a client id before fetching anything: by design it takes only an https address with a public host name (no IP address, no name under a blocked suffix such as .localhost, .local, .test, .example, .invalid or .onion: MCP_OAUTH_CIMD_BLOCKED_TLDS), a path and no query"),
                Some("Publish the client metadata document at a public https address and use that address as the client id.".to_owned()),
            ),
            CimdFetch::Refused(reason) => (
                Verdict::Problem,
                format!("Directus fetched {document} but refused it: {reason}"),
                Some(format!("Connect {who} with the MCP token until the vendor fixes the document.")),
            ),
            CimdFetch::DomainNotAllowed => (
                Verdict::Problem,
                format!("Directus' environment allows CIMD clients only from some domains (MCP_OAUTH_CIMD_ALLOWED_DOMAINS), not {host}, so {who} cannot sign in"),
                Some(format!("Add {host} to MCP_OAUTH_CIMD_ALLOWED_DOMAINS in Directus' environment and restart it.")),
            ),
            CimdFetch::TooManyClients => (
                Verdict::Problem,
                "Directus has as many OAuth clients as MCP_OAUTH_MAX_CLIENTS allows: no new client can register".to_owned(),
                Some("Revoke clients nobody uses (`directus-mcp-setup grants revoke …`) or raise MCP_OAUTH_MAX_CLIENTS and restart Directus.".to_owned()),
            ),
            CimdFetch::Unknown(why) => (
                Verdict::Warning,
                format!("could not tell whether Directus can fetch {document}: {why}"),
                None,
            ),
        };
        checks.push(Check {
            topic: "cimd".into(),
            verdict,
            detail,
            fix,
            clients: ids_of(&users),
        });
    }
    Ok(checks)
}

/// The clients that open `GET /mcp` first and stop when it fails: the cloud connectors.
const STREAM_GET_CLIENTS: &str = "ChatGPT's and Claude's connectors";

/// How `GET /mcp` answers a signed-in client: 405 (or an event stream) is what connectors
/// expect; an error or no answer within a few seconds breaks them.
async fn stream_get_check(
    session: &Session,
    chosen: &[&'static dyn ClientConnector],
) -> Vec<Check> {
    let url = session.client().server().mcp_endpoint();
    let seconds = stream_get::TIMEOUT.as_secs();
    let (verdict, detail, fix) = match stream_get::probe(session).await {
        stream_get::StreamGet::MethodNotAllowed => (
            Verdict::Ok,
            format!("GET {url} answers 405, as {STREAM_GET_CLIENTS} expect (they open it first)"),
            None,
        ),
        stream_get::StreamGet::Stream => (
            Verdict::Ok,
            format!("GET {url} opens an event stream, which {STREAM_GET_CLIENTS} accept"),
            None,
        ),
        stream_get::StreamGet::Unauthorized(_) => return Vec::new(), // said by the other checks
        stream_get::StreamGet::Status(code) => (
            Verdict::Problem,
            format!(
                "GET {url} answers HTTP {code} instead of 405: {STREAM_GET_CLIENTS} open GET /mcp first and give up on this answer{}",
                if code == 500 {
                    "; Directus 11.17.4 answered 500 here (a ZodError, directus/directus#27694), Directus 12.4.1 answers 405"
                } else {
                    ""
                }
            ),
            Some(if code == 500 {
                "Update Directus to 12 or later (12.4.1 answers 405); if it is already that new, a reverse proxy in front answers for it: let it pass GET /mcp through to Directus unchanged.".to_owned()
            } else {
                "Let the reverse proxy pass GET /mcp through to Directus unchanged (Directus 12.4.1 answers 405).".to_owned()
            }),
        ),
        stream_get::StreamGet::Hang => (
            Verdict::Problem,
            format!(
                "GET {url} gave no answer within {seconds} s: {STREAM_GET_CLIENTS} open GET /mcp first and give up when it hangs"
            ),
            Some("Let the reverse proxy pass GET /mcp through to Directus unchanged and without buffering (Directus 12.4.1 answers 405 at once).".to_owned()),
        ),
        stream_get::StreamGet::Failed(why) => (
            Verdict::Problem,
            format!("GET {url} failed: {why}"),
            Some("Check that the reverse proxy passes GET /mcp through to Directus.".to_owned()),
        ),
    };
    vec![Check {
        topic: "mcp-get".into(),
        verdict,
        detail,
        fix,
        clients: ids_of(chosen),
    }]
}

/// Registration proof for each chosen client that registers with DCR here and whose
/// registration is known: the doctor registers as that client does, reads Directus' answer
/// and deletes what it registered.
async fn registration_checks(
    session: &Session,
    chosen: &[&'static dyn ClientConnector],
    endpoint: &str,
    cimd_offered: bool,
) -> Result<Vec<Check>, DoctorError> {
    let mut checks = Vec::new();
    // Only Directus' own registration endpoint is tried: the proof is about Directus' rules,
    // and a test registration posted anywhere else (a proxy's or another issuer's address)
    // could answer with the id of a real client for the cleanup to delete.
    let directus = session.client().server().join("/");
    let on_directus = url::Url::parse(endpoint).is_ok_and(|url| url.origin() == directus.origin());
    if !on_directus {
        let names: Vec<String> = chosen.iter().map(|client| client.info().id).collect();
        checks.push(Check {
            topic: "registration".into(),
            verdict: Verdict::Warning,
            detail: format!(
                "the authorization server's registration endpoint {endpoint} is not on Directus' own address, so no client's registration was tried there"
            ),
            fix: Some("Check that the metadata Directus serves names Directus itself (PUBLIC_URL), not a proxy or another server.".into()),
            clients: names,
        });
        return Ok(checks);
    }
    for client in chosen {
        let info = client.info();
        let registers_with_dcr = match info.oauth {
            clients::OAuthRegistration::Dcr => true,
            clients::OAuthRegistration::CimdOrDcr => !cimd_offered,
            _ => false,
        };
        let Some(facts) = clients::oauth_registration::for_client(&info.id) else {
            continue;
        };
        if !registers_with_dcr {
            if cimd_offered
                && let Some(document) = facts.cimd_document
                && !facts.cimd_redirect_uris.is_empty()
            {
                checks.push(document_check(session, &info, endpoint, document, facts).await?);
            }
            continue;
        }
        if facts.redirect_uris.is_empty() {
            continue;
        }
        let uris = facts.redirect_uris.join(", ");
        let (verdict, detail, fix) = match registration::prove(session, endpoint, facts).await? {
            registration::Proof::Accepted => (
                Verdict::Ok,
                format!(
                    "Directus accepted {}'s registration at {endpoint} (redirect URIs {uris}); the test client was deleted again",
                    info.name
                ),
                None,
            ),
            registration::Proof::Refused {
                reason,
                uris: refused,
                env_lines,
                unfixable,
            } => {
                let which = if refused.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; refused on their own: {}",
                        refused
                            .iter()
                            .map(|uri| format!("{} ({})", uri.uri, uri.reason))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let mut fix = Vec::new();
                if !env_lines.is_empty() {
                    fix.push(set_env_lines(&env_lines));
                }
                if !unfixable.is_empty() {
                    fix.push(format!(
                        "No Directus setting allows {} (Directus takes https, http on loopback, and custom schemes with a host); connect {} with the MCP token.",
                        unfixable.join(", "),
                        info.name
                    ));
                }
                if fix.is_empty() {
                    fix.push(format!("Connect {} with the MCP token.", info.name));
                }
                (
                    Verdict::Problem,
                    format!(
                        "Directus refuses {}'s registration at {endpoint}: \"{reason}\". {} registers all of {uris} in one request, and Directus refuses the whole registration when one is not allowed{which}",
                        info.name, info.name
                    ),
                    Some(fix.join(" ")),
                )
            }
            registration::Proof::Unknown(why) => (
                Verdict::Warning,
                format!(
                    "could not register as {} to prove it gets in: {why}",
                    info.name
                ),
                None,
            ),
        };
        checks.push(Check {
            topic: "registration".into(),
            verdict,
            detail,
            fix,
            clients: vec![info.id],
        });
    }
    Ok(checks)
}

/// A CIMD client's document's redirect URIs against Directus' rules. Directus fetches the
/// document itself at the first sign-in and checks each URI as it checks a registration;
/// the doctor cannot register as the client (its id is the document's address), so each
/// URI is tried in a throwaway registration, deleted at once.
async fn document_check(
    session: &Session,
    info: &clients::ClientInfo,
    endpoint: &str,
    document: &str,
    facts: &clients::oauth_registration::ClientRegistration,
) -> Result<Check, DoctorError> {
    let uris = facts.cimd_redirect_uris.join(", ");
    let intro = format!(
        "{} signs in with its metadata document {document}, which Directus fetches itself and whose redirect URIs ({uris}) it checks as it checks a registration",
        info.name
    );
    let (verdict, detail, fix) = match registration::check_uris(
        session,
        endpoint,
        facts.cimd_redirect_uris,
    )
    .await?
    {
        registration::Proof::Accepted => (
            Verdict::Ok,
            format!(
                "{intro}: Directus allows them all (each tried in a test registration, deleted again)"
            ),
            None,
        ),
        registration::Proof::Refused {
            uris: refused,
            env_lines,
            ..
        } => (
            Verdict::Problem,
            format!(
                "{intro}: Directus refuses {}, so it refuses the document and {} cannot sign in",
                refused
                    .iter()
                    .map(|uri| format!("{} ({})", uri.uri, uri.reason))
                    .collect::<Vec<_>>()
                    .join(", "),
                info.name
            ),
            Some(if env_lines.is_empty() {
                format!("Connect {} with the MCP token.", info.name)
            } else {
                set_env_lines(&env_lines)
            }),
        ),
        registration::Proof::Unknown(why) => (
            Verdict::Warning,
            format!("{intro}; whether Directus allows them could not be told: {why}"),
            None,
        ),
    };
    Ok(Check {
        topic: "registration".into(),
        verdict,
        detail,
        fix,
        clients: vec![info.id.clone()],
    })
}

/// The fix that sets `lines` in Directus' environment.
fn set_env_lines(lines: &[String]) -> String {
    format!(
        "Set {} in Directus' environment and restart it (this keeps the entries found allowed now; keep any other entries your line already has).",
        lines
            .iter()
            .map(|line| format!("`{line}`"))
            .collect::<Vec<_>>()
            .join(" and ")
    )
}
