//! The bridge's client registration with Directus (its DCR client id), kept in the
//! [`SecretSlot`] next to the tokens so that signing in again registers no new client, and
//! checked before it is used again: revoking the bridge in Directus MCP Setup (Manage, or
//! `grants revoke`) deletes the client, and so does Directus' own clean-up of idle clients.
//!
//! The check asks Directus' revocation endpoint (RFC 7009) to revoke a token that does not
//! exist, as the kept client. Directus 12.4.1 (`services/mcp-oauth/index.ts` `revokeToken`,
//! read 2026-12-02 in the installed `@directus/api` 12.4.1) looks the client up first and
//! answers `401 invalid_client` when it is unknown; for a known public client and an unknown
//! token it answers `200 {}` and changes nothing (RFC 7009 §2.2). Its authorization endpoint
//! cannot be asked instead: it redirects to the admin login before it reads the client id.

use std::time::Duration;

use rmcp::transport::auth::StoredCredentials;

use super::secret_slot::SecretSlot;
use crate::secret::SecretString;

/// The token sent with the check: no grant has it, so revoking it changes nothing.
const CHECK_TOKEN: &str = "directus-mcp-setup-registration-check";

/// Whether a kept client registration still exists in Directus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Registration {
    /// Directus knows the client: signing in with it works.
    Exists,
    /// Directus does not know it (revoked or cleaned up): a new one is needed.
    Gone,
    /// Directus' answer says neither (no revocation endpoint, a proxy's 404, a rate limit):
    /// registering anew is the safe choice, since a sign-in page for a deleted client only
    /// shows an error.
    Unknown(String),
}

/// What the revocation endpoint's answer (`status`, the `error` field of its JSON body)
/// says about the client that sent it.
pub(super) fn read_answer(status: u16, error: Option<&str>) -> Registration {
    match (status, error) {
        (200, _) => Registration::Exists,
        (401, Some("invalid_client")) => Registration::Gone,
        (status, error) => Registration::Unknown(match error {
            Some(error) => format!("HTTP {status} `{error}`"),
            None => format!("HTTP {status}"),
        }),
    }
}

/// Asks `revocation_endpoint` whether `client_id` is still registered (see the module
/// documentation). `Err` when Directus could not be reached within `deadline`.
pub(super) async fn check(
    http: &reqwest::Client,
    revocation_endpoint: &str,
    client_id: &str,
    deadline: Duration,
) -> Result<Registration, String> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("token", CHECK_TOKEN)
        .append_pair("token_type_hint", "refresh_token")
        .append_pair("client_id", client_id)
        .finish();
    let ask = async {
        let response = http
            .post(revocation_endpoint)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body)
            .send()
            .await
            .map_err(|error| error.to_string())?;
        let status = response.status().as_u16();
        let answer: serde_json::Value = response.json().await.unwrap_or_default();
        Ok(read_answer(
            status,
            answer.get("error").and_then(serde_json::Value::as_str),
        ))
    };
    tokio::time::timeout(deadline, ask)
        .await
        .map_err(|_| format!("no answer within {} s", deadline.as_secs()))?
}

/// The client id kept from an earlier registration with the authorization server `issuer`.
pub(super) fn kept(slot: &dyn SecretSlot, issuer: Option<&str>) -> Option<String> {
    let text = slot.load().ok()??;
    let kept: StoredCredentials = serde_json::from_str(text.expose()).ok()?;
    let same_server = match (kept.issuer.as_deref(), issuer) {
        (Some(kept), Some(now)) => kept == now,
        _ => true,
    };
    (same_server && !kept.client_id.is_empty()).then_some(kept.client_id)
}

/// Keeps `client_id` (registered with `issuer`) without tokens, so that a sign-in that does
/// not complete (the consent denied) still leaves it for the next one. Tokens kept meanwhile
/// (another bridge signed in) are left alone.
pub(super) fn keep(
    slot: &dyn SecretSlot,
    client_id: &str,
    issuer: Option<String>,
) -> Result<(), String> {
    let has_tokens = slot
        .load()?
        .and_then(|text| serde_json::from_str::<StoredCredentials>(text.expose()).ok())
        .is_some_and(|kept| kept.token_response.is_some());
    if has_tokens {
        return Ok(());
    }
    save_registration(slot, client_id.to_owned(), issuer)
}

/// Forgets the kept tokens but keeps the client registration (its client id and issuer), so
/// the next sign-in checks it and uses it again instead of registering another client.
/// Directus (12.4.1, `services/mcp-oauth/utils/redirect.ts` `matchRedirectUri`) accepts any
/// port on a registered loopback redirect (RFC 8252 §7.3), so the new listener's port does
/// not matter. Unreadable credentials are cleared.
pub(super) fn forget_tokens(slot: &dyn SecretSlot) -> Result<(), String> {
    let kept = slot
        .load()?
        .and_then(|text| serde_json::from_str::<StoredCredentials>(text.expose()).ok());
    match kept {
        Some(kept) => save_registration(slot, kept.client_id, kept.issuer),
        None => slot.clear(),
    }
}

fn save_registration(
    slot: &dyn SecretSlot,
    client_id: String,
    issuer: Option<String>,
) -> Result<(), String> {
    let registration =
        StoredCredentials::new(client_id, None, Vec::new(), None).with_issuer(issuer);
    let text = serde_json::to_string(&registration).map_err(|error| error.to_string())?;
    slot.save(&SecretString::new(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directus_answers_are_read_as_exists_gone_or_unknown() {
        // Directus 12.4.1: a known public client and an unknown token.
        assert_eq!(read_answer(200, None), Registration::Exists);
        // Directus 12.4.1: an unknown client.
        assert_eq!(read_answer(401, Some("invalid_client")), Registration::Gone);
        // Anything else says nothing about the client.
        for (status, error) in [
            (401, None),
            (400, Some("invalid_request")),
            (404, None),
            (429, Some("rate_limit_exceeded")),
            (503, None),
        ] {
            let read = read_answer(status, error);
            assert!(
                matches!(&read, Registration::Unknown(text) if text.contains(&status.to_string())),
                "{status} {error:?}: {read:?}"
            );
        }
    }
}
