//! Registration proof: the doctor registers with Directus exactly as a client does (its
//! redirect URIs, grant types, response types and auth method, from
//! [`crate::clients::oauth_registration`]), reads Directus' answer and deletes what it
//! registered. Directus refuses a whole Dynamic Client Registration when one redirect URI
//! is not allowed (`api/src/services/mcp-oauth/utils/redirect.ts`): a custom scheme must be
//! listed in `MCP_OAUTH_ALLOWED_CUSTOM_REDIRECTS` (matched by scheme and host), an https
//! host in `MCP_OAUTH_ALLOWED_REDIRECT_DOMAINS` when that list is set, and loopback
//! (`localhost`, `127.0.0.1`, `[::1]`) is always allowed.
//!
//! When refused, each URI is registered alone (as a throwaway probe client, deleted at
//! once) to learn which ones Directus refuses, and the entries known to this tool (Directus'
//! defaults and those of the known clients) are probed the same way, so the environment
//! line to set keeps what is allowed now.

use serde_json::{Value, json};
use url::Url;

use super::{Check, DoctorError, Topic, Verdict};
use crate::clients::oauth_registration::{ClientRegistration, REGISTRATIONS};
use crate::clients::{self, ClientConnector};
use crate::directus::{DirectusError, Session, oauth};
use crate::transport::{no_answer, read_body};

/// Registration proof for each chosen client that registers with DCR here and whose
/// registration is known: the doctor registers as that client does, reads Directus' answer
/// and deletes what it registered.
pub(super) async fn registration_checks(
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
        let names: Vec<String> = chosen.iter().map(|client| client.id().to_owned()).collect();
        checks.push(Check {
            topic: Topic::Registration,
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
        let (verdict, detail, fix) = match prove(session, endpoint, facts).await? {
            Proof::Accepted => (
                Verdict::Ok,
                format!(
                    "Directus accepted {}'s registration at {endpoint} (redirect URIs {uris}); the test client was deleted again",
                    info.name
                ),
                None,
            ),
            Proof::Refused {
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
            Proof::Unknown(why) => (
                Verdict::Warning,
                format!(
                    "could not register as {} to prove it gets in: {why}",
                    info.name
                ),
                None,
            ),
        };
        checks.push(Check {
            topic: Topic::Registration,
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
pub(super) async fn document_check(
    session: &Session,
    info: &clients::ClientInfo,
    endpoint: &str,
    document: &str,
    facts: &ClientRegistration,
) -> Result<Check, DoctorError> {
    let uris = facts.cimd_redirect_uris.join(", ");
    let intro = format!(
        "{} signs in with its metadata document {document}, which Directus fetches itself and whose redirect URIs ({uris}) it checks as it checks a registration",
        info.name
    );
    let (verdict, detail, fix) = match check_uris(session, endpoint, facts.cimd_redirect_uris)
        .await?
    {
        Proof::Accepted => (
            Verdict::Ok,
            format!(
                "{intro}: Directus allows them all (each tried in a test registration, deleted again)"
            ),
            None,
        ),
        Proof::Refused {
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
        Proof::Unknown(why) => (
            Verdict::Warning,
            format!("{intro}; whether Directus allows them could not be told: {why}"),
            None,
        ),
    };
    Ok(Check {
        topic: Topic::Registration,
        verdict,
        detail,
        fix,
        clients: vec![info.id.clone()],
    })
}

/// The fix that sets `lines` in Directus' environment.
pub(super) fn set_env_lines(lines: &[String]) -> String {
    format!(
        "Set {} in Directus' environment and restart it (this keeps the entries found allowed now; keep any other entries your line already has).",
        lines
            .iter()
            .map(|line| format!("`{line}`"))
            .collect::<Vec<_>>()
            .join(" and ")
    )
}

/// Directus 12.4.1's default `MCP_OAUTH_ALLOWED_CUSTOM_REDIRECTS`
/// (`@directus/env` defaults); setting the variable replaces them.
pub const DIRECTUS_DEFAULT_CUSTOM_REDIRECTS: &[&str] = &[
    "raycast://oauth",
    "cursor://cursor.mcp",
    "cursor://anysphere.cursor-mcp",
];

/// The name of the throwaway clients registered to test one redirect URI.
const PROBE_NAME: &str = "directus-mcp-setup doctor probe";

/// How Directus answered one registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Registered (and deleted again).
    Accepted,
    /// Refused with an OAuth error.
    Refused {
        /// The OAuth `error` code.
        error: String,
        /// Directus' `error_description`.
        description: String,
    },
    /// Something else (DCR off, rate limit, an unreachable endpoint).
    Unexpected(String),
}

/// One refused redirect URI and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedUri {
    /// The URI.
    pub uri: String,
    /// Directus' reason.
    pub reason: String,
}

/// What registering as a client showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// Directus accepted the client's registration; it was deleted again.
    Accepted,
    /// Directus refused it.
    Refused {
        /// Directus' reason for the whole registration.
        reason: String,
        /// The URIs Directus refuses on their own.
        uris: Vec<RefusedUri>,
        /// The environment lines that let it in.
        env_lines: Vec<String>,
        /// URIs no setting can allow (a custom scheme without a host).
        unfixable: Vec<String>,
    },
    /// The proof could not be made.
    Unknown(String),
}

/// Registers as `client` at `endpoint`, deletes what was registered, and when refused
/// finds the environment lines that let it in.
pub async fn prove(
    session: &Session,
    endpoint: &str,
    client: &ClientRegistration,
) -> Result<Proof, DirectusError> {
    let body = json!({
        "client_name": client.client_name,
        "redirect_uris": client.redirect_uris,
        "grant_types": client.grant_types,
        "response_types": client.response_types,
        "token_endpoint_auth_method": client.token_endpoint_auth_method,
    });
    let reason = match register(session, endpoint, &body).await? {
        Answer::Accepted => return Ok(Proof::Accepted),
        Answer::Unexpected(why) => return Ok(Proof::Unknown(why)),
        Answer::Refused { error, description } if error == "invalid_redirect_uri" => description,
        Answer::Refused { error, description } => {
            return Ok(Proof::Refused {
                reason: format!("{description} ({error})"),
                uris: Vec::new(),
                env_lines: Vec::new(),
                unfixable: Vec::new(),
            });
        }
    };
    refusal(session, endpoint, client.redirect_uris, reason).await
}

/// Whether Directus allows each of `uris` (a CIMD client's document's redirect URIs, which
/// Directus checks by the same rules when it fetches the document), each proved by a
/// throwaway probe registration deleted at once; nothing is registered as the client.
/// Loopback URIs are allowed by rule and not probed.
pub async fn check_uris(
    session: &Session,
    endpoint: &str,
    uris: &[&str],
) -> Result<Proof, DirectusError> {
    let mut refused = false;
    for uri in uris.iter().filter(|uri| !is_loopback(uri)) {
        match probe(session, endpoint, uri).await? {
            Answer::Accepted => {}
            Answer::Refused { .. } => refused = true,
            Answer::Unexpected(why) => return Ok(Proof::Unknown(why)),
        }
    }
    if !refused {
        return Ok(Proof::Accepted);
    }
    refusal(
        session,
        endpoint,
        uris,
        "Invalid redirect URI in metadata document".to_owned(),
    )
    .await
}

/// Whether `uri` is http(s) on a host Directus takes as loopback.
fn is_loopback(uri: &str) -> bool {
    Url::parse(uri).is_ok_and(|url| {
        matches!(url.scheme(), "http" | "https")
            && matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
    })
}

/// Which of `uris` Directus refuses on their own and the environment lines that let them in.
async fn refusal(
    session: &Session,
    endpoint: &str,
    all: &[&str],
    reason: String,
) -> Result<Proof, DirectusError> {
    let mut uris = Vec::new();
    for uri in all {
        match probe(session, endpoint, uri).await? {
            Answer::Refused { description, .. } => uris.push(RefusedUri {
                uri: (*uri).to_owned(),
                reason: description,
            }),
            Answer::Accepted => {}
            Answer::Unexpected(why) => return Ok(unknown_allow_list(&reason, &why)),
        }
    }
    let mut custom_needed = Vec::new();
    let mut domains_needed = Vec::new();
    let mut unfixable = Vec::new();
    for refused in &uris {
        match needed_entry(&refused.uri) {
            Some(Entry::Custom(entry)) => push_new(&mut custom_needed, entry),
            Some(Entry::Domain(host)) if refused.reason.contains("allowlist") => {
                push_new(&mut domains_needed, host)
            }
            _ => unfixable.push(refused.uri.clone()),
        }
    }
    let mut env_lines = Vec::new();
    if !custom_needed.is_empty() {
        let known = known_custom_entries();
        let allowed = match allowed_now(session, endpoint, &known, &custom_needed, |entry| {
            entry.to_owned()
        })
        .await?
        {
            Ok(allowed) => allowed,
            Err(why) => return Ok(unknown_allow_list(&reason, &why)),
        };
        env_lines.push(format!(
            "MCP_OAUTH_ALLOWED_CUSTOM_REDIRECTS={}",
            merged(allowed, custom_needed).join(",")
        ));
    }
    if !domains_needed.is_empty() {
        let known = known_domains();
        let allowed = match allowed_now(session, endpoint, &known, &domains_needed, |host| {
            format!("https://{host}/directus-mcp-setup-doctor")
        })
        .await?
        {
            Ok(allowed) => allowed,
            Err(why) => return Ok(unknown_allow_list(&reason, &why)),
        };
        env_lines.push(format!(
            "MCP_OAUTH_ALLOWED_REDIRECT_DOMAINS={}",
            merged(allowed, domains_needed).join(",")
        ));
    }
    Ok(Proof::Refused {
        reason,
        uris,
        env_lines,
        unfixable,
    })
}

/// What an allow-list needs for one refused URI.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    /// `scheme://host` for `MCP_OAUTH_ALLOWED_CUSTOM_REDIRECTS`.
    Custom(String),
    /// A host for `MCP_OAUTH_ALLOWED_REDIRECT_DOMAINS`.
    Domain(String),
}

/// The allow-list entry that lets `uri` in (none for a custom scheme without a host, or
/// plain http off loopback: no setting allows those).
fn needed_entry(uri: &str) -> Option<Entry> {
    let url = Url::parse(uri).ok()?;
    let host = url.host_str().filter(|host| !host.is_empty())?;
    match url.scheme() {
        "https" => Some(Entry::Domain(host.to_ascii_lowercase())),
        "http" => None,
        scheme if url.port().is_none() => Some(Entry::Custom(format!(
            "{scheme}://{}",
            host.to_ascii_lowercase()
        ))),
        _ => None,
    }
}

/// Directus' default custom entries, then those of the known clients.
fn known_custom_entries() -> Vec<String> {
    let mut known: Vec<String> = DIRECTUS_DEFAULT_CUSTOM_REDIRECTS
        .iter()
        .map(|entry| (*entry).to_owned())
        .collect();
    for uri in all_known_uris() {
        if let Some(Entry::Custom(entry)) = needed_entry(uri) {
            push_new(&mut known, entry);
        }
    }
    known
}

/// The https hosts of the known clients.
fn known_domains() -> Vec<String> {
    let mut known = Vec::new();
    for uri in all_known_uris() {
        if let Some(Entry::Domain(host)) = needed_entry(uri) {
            push_new(&mut known, host);
        }
    }
    known
}

/// Every redirect URI of the known clients, registered or in their documents.
fn all_known_uris() -> impl Iterator<Item = &'static str> {
    REGISTRATIONS
        .iter()
        .flat_map(|row| row.redirect_uris.iter().chain(row.cimd_redirect_uris))
        .copied()
}

/// Which of the `known` entries (other than `needed`) Directus allows now, each proved by a
/// probe registration of `uri_for(entry)`.
async fn allowed_now(
    session: &Session,
    endpoint: &str,
    known: &[String],
    needed: &[String],
    uri_for: impl Fn(&str) -> String,
) -> Result<Result<Vec<String>, String>, DirectusError> {
    let mut allowed = Vec::new();
    for entry in known.iter().filter(|entry| !needed.contains(entry)) {
        match probe(session, endpoint, &uri_for(entry)).await? {
            Answer::Accepted => allowed.push(entry.clone()),
            Answer::Refused { .. } => {}
            // A rate limit or another answer says nothing about this entry: a line made
            // without it could drop an entry Directus allows today.
            Answer::Unexpected(why) => return Ok(Err(why)),
        }
    }
    Ok(Ok(allowed))
}

/// A refusal whose fix cannot be written without knowing every entry allowed today.
fn unknown_allow_list(reason: &str, why: &str) -> Proof {
    Proof::Unknown(format!(
        "Directus refused the registration ({reason}), but which entries it allows today could not be told ({why}); run the doctor again in a minute to get the exact line"
    ))
}

fn merged(mut allowed: Vec<String>, needed: Vec<String>) -> Vec<String> {
    for entry in needed {
        push_new(&mut allowed, entry);
    }
    allowed
}

fn push_new(list: &mut Vec<String>, entry: String) {
    if !list.contains(&entry) {
        list.push(entry);
    }
}

/// Registers a throwaway public client with the one redirect URI `uri`.
async fn probe(session: &Session, endpoint: &str, uri: &str) -> Result<Answer, DirectusError> {
    let body = json!({
        "client_name": PROBE_NAME,
        "redirect_uris": [uri],
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    });
    register(session, endpoint, &body).await
}

/// `POST endpoint` without credentials, as a client does; an accepted registration is
/// revoked through the admin's clients list (which proves it is gone).
async fn register(
    session: &Session,
    endpoint: &str,
    body: &Value,
) -> Result<Answer, DirectusError> {
    let client = session.client();
    client.requests().increment();
    let response = match client.http().post(endpoint).json(body).send().await {
        Ok(response) => response,
        Err(error) => {
            return Ok(Answer::Unexpected(no_answer(&error, endpoint).to_string()));
        }
    };
    let status = response.status();
    let text = read_body(response, endpoint).await.unwrap_or_default();
    let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    if status.as_u16() == 201 {
        let Some(client_id) = answer["client_id"].as_str() else {
            return Ok(Answer::Unexpected(format!(
                "HTTP 201 from {endpoint} without a client_id"
            )));
        };
        // Delete only the client this request made: registered now, holding no grant, with
        // the name just sent. Anything else is reported and left alone.
        let made_here = oauth::client(session, client_id)
            .await?
            .is_some_and(|found| {
                found.grants.is_empty()
                    && found.client_name.as_deref() == body["client_name"].as_str()
            });
        if !made_here {
            return Ok(Answer::Unexpected(format!(
                "{endpoint} answered with client {client_id}, which Directus did not just register for this test; nothing was deleted"
            )));
        }
        oauth::revoke_clients(session, &[client_id.to_owned()]).await?;
        return Ok(Answer::Accepted);
    }
    match (answer["error"].as_str(), status.as_u16()) {
        (Some(error), 400) => Ok(Answer::Refused {
            error: error.to_owned(),
            description: answer["error_description"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        }),
        (_, 429) => Ok(Answer::Unexpected(format!(
            "Directus' rate limit for registrations was reached at {endpoint} (RATE_LIMITER_MCP_OAUTH_REGISTRATION_*); run the doctor again in a minute"
        ))),
        (_, code) => Ok(Answer::Unexpected(format!(
            "{endpoint} answered HTTP {code}{}",
            answer["error_description"]
                .as_str()
                .map(|why| format!(": {why}"))
                .unwrap_or_default()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refused_uri_maps_to_the_allow_list_that_lets_it_in() {
        assert_eq!(
            needed_entry("cursor://anysphere.cursor-mcp/oauth/callback"),
            Some(Entry::Custom("cursor://anysphere.cursor-mcp".into()))
        );
        assert_eq!(
            needed_entry("https://WWW.cursor.com/agents/mcp/oauth/callback"),
            Some(Entry::Domain("www.cursor.com".into()))
        );
        // No host: Directus matches custom schemes by scheme and host, so nothing allows it.
        assert_eq!(needed_entry("com.raycast:/oauth"), None);
        assert_eq!(needed_entry("http://cms.example.com/callback"), None);
    }

    #[test]
    fn loopback_is_told_by_host() {
        assert!(is_loopback("http://127.0.0.1:33418/"));
        assert!(is_loopback("http://localhost/callback"));
        assert!(is_loopback("http://[::1]:80/cb"));
        assert!(!is_loopback("https://vscode.dev/redirect"));
        assert!(!is_loopback("cursor://localhost/cb"));
    }

    #[test]
    fn the_known_entries_start_with_directus_defaults() {
        let known = known_custom_entries();
        assert_eq!(&known[..3], DIRECTUS_DEFAULT_CUSTOM_REDIRECTS);
        assert!(known_domains().contains(&"www.cursor.com".to_owned()));
    }
}
