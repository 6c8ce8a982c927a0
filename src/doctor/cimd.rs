//! Whether Directus can fetch a client's Client ID Metadata Document. A CIMD client (VS
//! Code, Claude) signs in with the https address of its document as its client id; Directus
//! fetches it at the first sign-in, from its own network. When Directus has no way out
//! (no outbound https, no public DNS), that sign-in fails in the client's window with
//! nothing in Directus' log above debug level.
//!
//! The probe asks Directus' consent page for the client id, signed in as the admin and
//! without a redirect address: Directus fetches the document first and stops at the
//! missing redirect, so nothing is authorized. A client Directus registered on the way is
//! removed again, unless it was registered before.

use crate::directus::{DirectusError, Session, oauth};

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
        .map_err(|error| crate::directus::client::transport_error(&error, url.as_str()))?;
    let status = response.status();
    let body = crate::directus::client::read_body(response, url.as_str())
        .await
        .unwrap_or_default();
    let outcome = interpret(status.as_u16(), &body, known_before);
    if matches!(
        outcome,
        CimdFetch::Fetched {
            known_before: false
        }
    ) {
        // Nothing was authorized, so no grant ends with it.
        oauth::revoke_clients(session, &[client_id.to_owned()]).await?;
    }
    Ok(outcome)
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
