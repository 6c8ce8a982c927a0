//! OAuth discovery as a client walks it: from the 401's `WWW-Authenticate` to the
//! protected-resource metadata it names, from there to the authorization server's metadata
//! (RFC 9728, RFC 8414). Each document is fetched without credentials, at the address a
//! client would use, so a proxy or firewall that blocks `/.well-known/` shows up here.

use serde_json::Value;
use url::Url;

use crate::directus::DirectusClient;
use crate::directus::client::read_body;

/// What a client finds when it follows the discovery documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    /// Where the 401 pointed.
    pub resource_metadata_url: Url,
    /// The resource the metadata names (the MCP address tokens are issued for).
    pub resource: Option<String>,
    /// Where the authorization server's metadata was read.
    pub authorization_server_metadata_url: Url,
    /// The endpoints and features the authorization server announces.
    pub authorization_server: AuthorizationServer,
}

/// The parts of the authorization server's metadata clients rely on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizationServer {
    /// Its `issuer`.
    pub issuer: Option<String>,
    /// Where users consent.
    pub authorization_endpoint: Option<String>,
    /// Where codes become tokens.
    pub token_endpoint: Option<String>,
    /// Dynamic Client Registration's endpoint (announced when DCR is on).
    pub registration_endpoint: Option<String>,
    /// Whether Client ID Metadata Documents are accepted.
    pub cimd_supported: bool,
}

/// Why a client would stop on the way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiscoveryError {
    /// The 401 names no metadata document.
    #[error("the 401 names no protected-resource metadata (WWW-Authenticate: {0})")]
    NoPointer(String),
    /// A document could not be read.
    #[error("{what} at {url} could not be read: {why}")]
    Unreadable {
        /// Which document.
        what: &'static str,
        /// Where it was looked for.
        url: String,
        /// What went wrong.
        why: String,
    },
    /// The protected-resource metadata names no authorization server.
    #[error("the protected-resource metadata at {0} names no authorization server")]
    NoAuthorizationServer(String),
}

/// The `resource_metadata` address in a `WWW-Authenticate: Bearer …` challenge.
pub fn resource_metadata_pointer(challenge: &str) -> Option<Url> {
    let start = challenge.find("resource_metadata=")? + "resource_metadata=".len();
    let rest = &challenge[start..];
    let value = match rest.strip_prefix('"') {
        Some(quoted) => &quoted[..quoted.find('"')?],
        None => rest.split([',', ' ']).next()?,
    };
    Url::parse(value).ok()
}

/// Where RFC 8414 puts an issuer's metadata: `/.well-known/oauth-authorization-server`
/// between the host and the issuer's path.
pub fn authorization_server_metadata_url(issuer: &Url) -> Url {
    let mut url = issuer.clone();
    let path = issuer.path().trim_end_matches('/');
    url.set_path(&format!("/.well-known/oauth-authorization-server{path}"));
    url.set_query(None);
    url
}

/// Follows the discovery documents from the 401's challenge.
pub async fn follow(client: &DirectusClient, challenge: &str) -> Result<Discovery, DiscoveryError> {
    let resource_metadata_url = resource_metadata_pointer(challenge)
        .ok_or_else(|| DiscoveryError::NoPointer(challenge.to_owned()))?;
    let resource_metadata = fetch(
        client,
        &resource_metadata_url,
        "the protected-resource metadata",
    )
    .await?;
    let issuer = resource_metadata["authorization_servers"]
        .as_array()
        .and_then(|servers| servers.first())
        .and_then(Value::as_str)
        .and_then(|issuer| Url::parse(issuer).ok())
        .ok_or_else(|| DiscoveryError::NoAuthorizationServer(resource_metadata_url.to_string()))?;
    let authorization_server_metadata_url = authorization_server_metadata_url(&issuer);
    let metadata = fetch(
        client,
        &authorization_server_metadata_url,
        "the authorization server's metadata",
    )
    .await?;
    let text = |key: &str| metadata[key].as_str().map(str::to_owned);
    Ok(Discovery {
        resource: resource_metadata["resource"].as_str().map(str::to_owned),
        resource_metadata_url,
        authorization_server_metadata_url,
        authorization_server: AuthorizationServer {
            issuer: text("issuer"),
            authorization_endpoint: text("authorization_endpoint"),
            token_endpoint: text("token_endpoint"),
            registration_endpoint: text("registration_endpoint"),
            cimd_supported: metadata["client_id_metadata_document_supported"] == true,
        },
    })
}

/// `GET url` without credentials, as a client does; only a 200 with a JSON object counts.
async fn fetch(
    client: &DirectusClient,
    url: &Url,
    what: &'static str,
) -> Result<Value, DiscoveryError> {
    let unreadable = |why: String| DiscoveryError::Unreadable {
        what,
        url: url.to_string(),
        why,
    };
    client.requests().increment();
    let response = client
        .http()
        .get(url.clone())
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|error| {
            unreadable(crate::directus::client::transport_error(&error, url.as_str()).to_string())
        })?;
    let status = response.status();
    if status.is_redirection() {
        let location = crate::directus::client::redirect_target(&response, url.as_str());
        return Err(unreadable(format!(
            "it redirects (HTTP {}) to {location}",
            status.as_u16()
        )));
    }
    let body = read_body(response, url.as_str())
        .await
        .map_err(|error| unreadable(error.to_string()))?;
    if !status.is_success() {
        return Err(unreadable(format!("HTTP {}", status.as_u16())));
    }
    match serde_json::from_str::<Value>(&body) {
        Ok(value) if value.is_object() => Ok(value),
        _ => Err(unreadable(
            "the answer is not a JSON document (a proxy's page?)".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pointer_is_read_quoted_or_bare() {
        let quoted = r#"Bearer resource_metadata="https://cms.example.com/.well-known/oauth-protected-resource/mcp", scope="mcp:access""#;
        assert_eq!(
            resource_metadata_pointer(quoted).unwrap().as_str(),
            "https://cms.example.com/.well-known/oauth-protected-resource/mcp"
        );
        let bare = "Bearer resource_metadata=https://h.example/m, scope=x";
        assert_eq!(
            resource_metadata_pointer(bare).unwrap().as_str(),
            "https://h.example/m"
        );
        assert_eq!(
            resource_metadata_pointer(r#"Bearer realm="directus""#),
            None
        );
    }

    #[test]
    fn the_metadata_address_puts_the_well_known_part_before_the_issuers_path() {
        let at_root = Url::parse("https://cms.example.com").unwrap();
        assert_eq!(
            authorization_server_metadata_url(&at_root).as_str(),
            "https://cms.example.com/.well-known/oauth-authorization-server"
        );
        let sub_path = Url::parse("https://example.com/directus/").unwrap();
        assert_eq!(
            authorization_server_metadata_url(&sub_path).as_str(),
            "https://example.com/.well-known/oauth-authorization-server/directus"
        );
    }
}
