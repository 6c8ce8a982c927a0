//! OAuth discovery as a client walks it: from the 401's `WWW-Authenticate` to the
//! protected-resource metadata it names, from there to the authorization server's metadata
//! (RFC 9728, RFC 8414). Each document is fetched without credentials, at the address a
//! client would use, so a proxy or firewall that blocks `/.well-known/` shows up here.
//!
//! Only addresses Directus vouches for are fetched: its own origin, and the issuer its own
//! protected-resource metadata names, over https (plain http only on Directus' own origin).
//! Anything else a server names is reported, not fetched: the doctor runs on the admin's
//! computer and must not be steered to other hosts or ports.

use serde_json::Value;
use url::Url;

use super::{Check, Topic, Verdict, ids_of, names, signing_in_with_oauth, third_person};
use crate::clients::{self, ClientConnector};
use crate::directus::DirectusClient;
use crate::directus::Session;
use crate::transport::read_body;

/// What the fix is when a client cannot get through OAuth discovery.
pub(super) const DISCOVERY_FIX: &str = "Let the reverse proxy pass /.well-known/oauth-protected-resource/…, /.well-known/oauth-authorization-server and /mcp-oauth/… through to Directus unchanged (no redirect, no login page), and set PUBLIC_URL to the address clients use.";

/// OAuth discovery, followed as a client does from the 401 (only when OAuth is ready: the
/// OAuth checks say what to turn on otherwise).
pub(super) async fn discovery_checks(
    session: &Session,
    chosen: &[&'static dyn ClientConnector],
    challenge: &str,
) -> (Vec<Check>, Option<(String, bool)>) {
    let oauth_clients = signing_in_with_oauth(chosen);
    if oauth_clients.is_empty() {
        return (Vec::new(), None);
    }
    let check = |verdict, detail: String, fix: Option<String>, on: &[&dyn ClientConnector]| Check {
        topic: Topic::Discovery,
        verdict,
        detail,
        fix,
        clients: ids_of(on),
    };
    let found = match follow(session.client(), challenge).await {
        Ok(found) => found,
        Err(DiscoveryError::NoPointer(_)) => return (Vec::new(), None), // said by the endpoint check
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
    /// The server names an address this check does not follow.
    #[error("{what} is named at {url}, which was not fetched: {why}")]
    NotFollowed {
        /// Which document.
        what: &'static str,
        /// The address named.
        url: String,
        /// Why it is not followed.
        why: &'static str,
    },
}

/// Whether `url` may be fetched: on Directus' own origin (`directus`), or https on the
/// origin of `issuer`, the authorization server Directus' own metadata names.
pub fn may_follow(url: &Url, directus: &Url, issuer: Option<&Url>) -> Result<(), &'static str> {
    if url.origin() == directus.origin() {
        return Ok(());
    }
    let Some(issuer) = issuer else {
        return Err("it is not on Directus' own address");
    };
    if url.origin() != issuer.origin() {
        return Err("it is neither on Directus' own address nor on the issuer Directus names");
    }
    if url.scheme() != "https" {
        return Err("it is not https (plain http is followed only on Directus' own address)");
    }
    Ok(())
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
    let directus = client.server().join("/");
    may_follow(&resource_metadata_url, &directus, None).map_err(|why| {
        DiscoveryError::NotFollowed {
            what: "the protected-resource metadata",
            url: resource_metadata_url.to_string(),
            why,
        }
    })?;
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
    may_follow(&authorization_server_metadata_url, &directus, Some(&issuer)).map_err(|why| {
        DiscoveryError::NotFollowed {
            what: "the authorization server's metadata",
            url: authorization_server_metadata_url.to_string(),
            why,
        }
    })?;
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
            unreadable(crate::transport::no_answer(&error, url.as_str()).to_string())
        })?;
    let status = response.status();
    if status.is_redirection() {
        let location = crate::transport::redirect_target(&response, url.as_str());
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

    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A loopback listener that counts the connections it gets and answers none.
    async fn trap() -> (u16, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let counted = hits.clone();
        tokio::spawn(async move {
            while let Ok((_stream, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
            }
        });
        (port, hits)
    }

    /// A stand-in Directus on loopback whose protected-resource metadata names `issuer`.
    async fn directus_naming(issuer: String) -> (DirectusClient, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let counted = hits.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                let issuer = issuer.clone();
                tokio::spawn(async move {
                    let mut buffer = [0u8; 4096];
                    let _ = stream.read(&mut buffer).await;
                    let body =
                        format!(r#"{{"resource":"x","authorization_servers":["{issuer}"]}}"#);
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                });
            }
        });
        let server = crate::directus::ServerUrl::parse(&url, false).unwrap();
        (DirectusClient::new(server).unwrap(), hits)
    }

    #[tokio::test]
    async fn a_metadata_pointer_to_another_port_is_reported_and_never_fetched() {
        crate::transport::install_tls_provider();
        let (trap_port, trapped) = trap().await;
        let (directus, _) = directus_naming("http://127.0.0.1:1".into()).await;
        let elsewhere =
            format!("http://127.0.0.1:{trap_port}/.well-known/oauth-protected-resource/mcp");
        let challenge = format!(r#"Bearer resource_metadata="{elsewhere}", scope="mcp:access""#);
        let error = follow(&directus, &challenge).await.unwrap_err();
        assert!(
            matches!(error, DiscoveryError::NotFollowed { .. }),
            "{error}"
        );
        assert!(error.to_string().contains(&elsewhere), "{error}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert_eq!(
            trapped.load(Ordering::SeqCst),
            0,
            "the other port was contacted"
        );
    }

    #[tokio::test]
    async fn an_http_issuer_elsewhere_named_by_directus_is_reported_and_never_fetched() {
        crate::transport::install_tls_provider();
        let (trap_port, trapped) = trap().await;
        let (directus, served) = directus_naming(format!("http://127.0.0.1:{trap_port}")).await;
        let pointer = directus
            .server()
            .join("/.well-known/oauth-protected-resource/mcp");
        let challenge = format!(r#"Bearer resource_metadata="{pointer}""#);
        let error = follow(&directus, &challenge).await.unwrap_err();
        assert_eq!(
            served.load(Ordering::SeqCst),
            1,
            "Directus' own metadata is read"
        );
        assert!(
            error
                .to_string()
                .contains(&format!("127.0.0.1:{trap_port}")),
            "{error}"
        );
        assert!(error.to_string().contains("not https"), "{error}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert_eq!(
            trapped.load(Ordering::SeqCst),
            0,
            "the issuer's port was contacted"
        );
    }

    #[test]
    fn only_directus_own_origin_and_its_https_issuer_are_followed() {
        let url = |text: &str| Url::parse(text).unwrap();
        let https = url("https://cms.example.com/");
        let loopback = url("http://127.0.0.1:8055/");
        let issuer = url("https://auth.example.com/realms/x");
        // Directus' own origin, whatever the path; plain http there only when Directus is.
        assert!(may_follow(&url("https://cms.example.com/.well-known/x"), &https, None).is_ok());
        assert!(may_follow(&url("http://127.0.0.1:8055/.well-known/x"), &loopback, None).is_ok());
        // Another port, host or scheme is not Directus.
        for other in [
            "http://127.0.0.1:9999/.well-known/x",
            "https://127.0.0.1:8055/.well-known/x",
            "http://cms.example.com/.well-known/x",
            "https://cms.example.com:8443/x",
            "https://intranet.example.com/x",
            "http://192.168.1.1/admin",
        ] {
            let target = url(other);
            assert!(may_follow(&target, &https, None).is_err(), "{other}");
            assert!(may_follow(&target, &loopback, None).is_err(), "{other}");
        }
        // The issuer Directus names: https on its origin only.
        let as_metadata =
            url("https://auth.example.com/.well-known/oauth-authorization-server/realms/x");
        assert!(may_follow(&as_metadata, &https, Some(&issuer)).is_ok());
        assert!(
            may_follow(
                &url("https://auth.example.com:444/x"),
                &https,
                Some(&issuer)
            )
            .is_err()
        );
        let http_issuer = url("http://auth.example.com/");
        assert!(
            may_follow(
                &url("http://auth.example.com/.well-known/x"),
                &https,
                Some(&http_issuer)
            )
            .unwrap_err()
            .contains("not https")
        );
        // A loopback http issuer on Directus' own origin is fine.
        assert!(
            may_follow(
                &url("http://127.0.0.1:8055/.well-known/oauth-authorization-server"),
                &loopback,
                Some(&loopback)
            )
            .is_ok()
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
