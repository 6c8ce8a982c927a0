//! Whether Directus can fetch a client's Client ID Metadata Document. A CIMD client (VS
//! Code, Claude) signs in with the https address of its document as its client id; Directus
//! fetches it at the first sign-in, from its own network. When Directus has no way out
//! (no outbound https, no public DNS), that sign-in fails in the client's window with
//! nothing in Directus' log above debug level.
//!
//! The probe asks Directus' consent page for the client id, signed in as the admin and
//! without a redirect address: Directus fetches the document first and stops at the
//! missing redirect, so nothing is authorized. A client Directus registered on the way is
//! removed again, but only one the probe itself registered: re-read just before, it must
//! be new (created while the probe asked), and hold no grant. A teammate's first sign-in
//! with the same client id that completes meanwhile keeps its client and grant.

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDateTime, Utc};

use super::{Check, DoctorError, Topic, Verdict, ids_of, names, third_person};
use crate::clients::{self, ClientConnector};
use crate::directus::oauth::OAuthClient;
use crate::directus::{DirectusError, Session, oauth};

/// Whether Directus can fetch the Client ID Metadata Document of each chosen CIMD client
/// (only when CIMD is on: Directus offers it, so these clients use it).
pub(super) async fn cimd_checks(
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
        let (verdict, detail, fix) = match probe(session, document).await? {
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
            topic: Topic::Cimd,
            verdict,
            detail,
            fix,
            clients: ids_of(&users),
        });
    }
    Ok(checks)
}

/// How the fetch went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CimdFetch {
    /// Directus fetched and accepted the document.
    Fetched {
        /// Whether Directus already held it from an earlier sign-in (and may not have
        /// fetched it now).
        known_before: bool,
    },
    /// Directus could not fetch it: no outbound https, DNS, a firewall, or the document's
    /// host resolves to a private address (refused by design).
    Unreachable,
    /// Directus does not take this address as a client id (an IP address, a blocked
    /// suffix such as `.localhost`, a query): nothing was fetched.
    NotAClientId,
    /// Directus fetched it but refused what it read (the vendor's document).
    Refused(String),
    /// Directus' environment allows only some domains (`MCP_OAUTH_CIMD_ALLOWED_DOMAINS`).
    DomainNotAllowed,
    /// `MCP_OAUTH_MAX_CLIENTS` is reached.
    TooManyClients,
    /// CIMD is off (the OAuth checks say how to turn it on).
    Off,
    /// The probe itself could not tell (what Directus answered).
    Unknown(String),
}

/// Asks Directus to fetch the document at `client_id`.
pub async fn probe(session: &Session, client_id: &str) -> Result<CimdFetch, DirectusError> {
    let known_before = oauth::registered(session, client_id).await?;
    let client = session.client();
    let Some(token) = client.token() else {
        return Ok(CimdFetch::Unknown("not signed in".into()));
    };
    let url = client.server().join("mcp-oauth/authorize");
    client.requests().increment();
    let asked = Instant::now();
    let response = client
        .http()
        .get(url.clone())
        .query(&[("client_id", client_id)])
        // The consent page reads the Directus session from its cookie; an access token
        // of the signed-in admin is accepted there too.
        .header(
            reqwest::header::COOKIE,
            format!("directus_session_token={}", token.expose()),
        )
        .send()
        .await
        .map_err(|error| crate::transport::no_answer(&error, url.as_str()))?;
    let took = asked.elapsed();
    let status = response.status();
    let answered_at = response
        .headers()
        .get(reqwest::header::DATE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| DateTime::parse_from_rfc2822(value).ok())
        .map(|date| date.with_timezone(&Utc));
    let body = crate::transport::read_body(response, url.as_str())
        .await
        .unwrap_or_default();
    let outcome = interpret(status.as_u16(), &body, known_before);
    if matches!(
        outcome,
        CimdFetch::Fetched {
            known_before: false
        }
    ) {
        // Re-read just before removing it: only a client this probe registered goes.
        let now = oauth::client(session, client_id).await?;
        let window = answered_at.map(|end| probe_window(end, took));
        if registered_by_probe(known_before, now.as_ref(), window) {
            oauth::revoke_clients(session, &[client_id.to_owned()]).await?;
        }
    }
    Ok(outcome)
}

/// When, by Directus' clock, the probe's request could have registered a client: from the
/// request's start (its answer's `Date` less the time it took) to its answer, widened by
/// the second the `Date` header is rounded to.
pub fn probe_window(answered_at: DateTime<Utc>, took: Duration) -> (DateTime<Utc>, DateTime<Utc>) {
    let took = chrono::Duration::from_std(took).unwrap_or(chrono::Duration::MAX);
    let slack = chrono::Duration::seconds(1);
    (
        answered_at
            .checked_sub_signed(took + slack)
            .unwrap_or(DateTime::<Utc>::MIN_UTC),
        answered_at + slack,
    )
}

/// Whether the client as re-read now (`now`) is one the probe registered itself, and so
/// may be removed: it was not registered before the probe, it was created within the
/// probe's request (`window`, by Directus' clock), and it holds no grant. Anything else —
/// a grant, a creation time outside the window or unknown — is someone else's client.
pub fn registered_by_probe(
    known_before: bool,
    now: Option<&OAuthClient>,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> bool {
    let (Some(client), Some((start, end)), false) = (now, window, known_before) else {
        return false;
    };
    if !client.grants.is_empty() {
        return false;
    }
    client
        .created
        .as_deref()
        .and_then(parse_directus_time)
        .is_some_and(|created| start <= created && created <= end)
}

/// A Directus timestamp: RFC 3339, or `YYYY-MM-DD HH:MM:SS[.fff]` in UTC (SQLite).
fn parse_directus_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
                .ok()
                .map(|time| time.and_utc())
        })
}

/// What Directus' answer says about the fetch. The consent page shows its reason in a
/// `note` paragraph.
pub fn interpret(status: u16, page: &str, known_before: bool) -> CimdFetch {
    if status == 302 || status == 301 {
        return CimdFetch::Unknown("the consent page sent the admin to sign in".into());
    }
    if status == 429 {
        return CimdFetch::Unknown("Directus' rate limit for sign-ins was reached".into());
    }
    let reason = note(page).unwrap_or_default();
    match reason.as_str() {
        // It got past the client lookup: the document was fetched (or was already known).
        "redirect_uri is required" => CimdFetch::Fetched { known_before },
        "Failed to fetch client metadata document" => CimdFetch::Unreachable,
        "CIMD client registration is disabled" => CimdFetch::Off,
        "Invalid client_id or redirect_uri" => CimdFetch::NotAClientId,
        "Client not allowed" => CimdFetch::DomainNotAllowed,
        "Maximum number of registered clients reached" => CimdFetch::TooManyClients,
        "" => CimdFetch::Unknown(format!("HTTP {status} without a reason")),
        other if status == 400 => CimdFetch::Refused(other.to_owned()),
        other => CimdFetch::Unknown(format!("HTTP {status}: {other}")),
    }
}

/// The text of the page's `<p class="note">`, unescaped.
fn note(page: &str) -> Option<String> {
    let start = page.find("<p class=\"note\">")? + "<p class=\"note\">".len();
    let end = start + page[start..].find("</p>")?;
    Some(
        page[start..end]
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
            .trim()
            .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(reason: &str) -> String {
        format!(
            "<!DOCTYPE html><html><body><h1>Authorization Error</h1><p class=\"note\">{reason}</p></body></html>"
        )
    }

    fn registered_at(created: &str, grants: usize) -> OAuthClient {
        OAuthClient {
            client_id: "https://vscode.dev/oauth/client-metadata.json".into(),
            client_name: Some("Visual Studio Code".into()),
            registration_type: Some("cimd".into()),
            redirect_uris: Vec::new(),
            created: Some(created.into()),
            grants: (0..grants)
                .map(|n| crate::directus::oauth::Grant {
                    id: n.to_string(),
                    user_email: Some("teammate@example.com".into()),
                    scope: Some("mcp:access".into()),
                    resource: None,
                    created: None,
                    expires: None,
                    last_used: None,
                    ending: None,
                })
                .collect(),
        }
    }

    #[test]
    fn only_a_client_the_probe_registered_itself_is_removed() {
        let answered = DateTime::parse_from_rfc2822("Wed, 02 Dec 2026 01:00:10 GMT")
            .unwrap()
            .with_timezone(&Utc);
        let window = Some(probe_window(answered, Duration::from_secs(2)));
        let during = registered_at("2026-12-02T01:00:09.400Z", 0);
        assert!(registered_by_probe(false, Some(&during), window));
        assert!(registered_by_probe(
            false,
            Some(&registered_at("2026-12-02 01:00:08.100", 0)),
            window
        ));
        // A teammate's sign-in completed in between: it holds a grant.
        assert!(!registered_by_probe(
            false,
            Some(&registered_at("2026-12-02T01:00:09.400Z", 1)),
            window
        ));
        // Registered before the probe asked (a sign-in under way), or after it.
        assert!(!registered_by_probe(
            false,
            Some(&registered_at("2026-12-02T01:00:05.000Z", 0)),
            window
        ));
        assert!(!registered_by_probe(
            false,
            Some(&registered_at("2026-12-02T01:00:12.000Z", 0)),
            window
        ));
        // Known before, gone already, or no clock to tell by: left alone.
        assert!(!registered_by_probe(true, Some(&during), window));
        assert!(!registered_by_probe(false, None, window));
        assert!(!registered_by_probe(false, Some(&during), None));
        assert!(!registered_by_probe(
            false,
            Some(&registered_at("yesterday", 0)),
            window
        ));
    }

    #[test]
    fn directus_reasons_are_told_apart() {
        let cases = [
            (
                "redirect_uri is required",
                CimdFetch::Fetched {
                    known_before: false,
                },
            ),
            (
                "Failed to fetch client metadata document",
                CimdFetch::Unreachable,
            ),
            ("CIMD client registration is disabled", CimdFetch::Off),
            ("Invalid client_id or redirect_uri", CimdFetch::NotAClientId),
            ("Client not allowed", CimdFetch::DomainNotAllowed),
            (
                "Maximum number of registered clients reached",
                CimdFetch::TooManyClients,
            ),
            (
                "client_id in document does not match fetch URL",
                CimdFetch::Refused("client_id in document does not match fetch URL".into()),
            ),
        ];
        for (reason, expected) in cases {
            assert_eq!(interpret(400, &page(reason), false), expected, "{reason}");
        }
        assert_eq!(
            interpret(
                400,
                &page("Client metadata document must be JSON &amp; small"),
                true
            ),
            CimdFetch::Refused("Client metadata document must be JSON & small".into())
        );
        assert!(matches!(interpret(302, "", false), CimdFetch::Unknown(_)));
        assert!(matches!(
            interpret(500, "<html>oops</html>", false),
            CimdFetch::Unknown(_)
        ));
    }
}
