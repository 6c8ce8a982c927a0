//! How `/mcp` answers a client without credentials (topic `mcp-endpoint`): a 401 pointing at
//! the protected-resource metadata is what clients expect; a redirect, MCP turned off in the
//! settings or the kill switch (`MCP_ENABLED=false`) each stop every client.

use super::{Check, Topic, Verdict, ids_of, names, signing_in_with_oauth};
use crate::clients::ClientConnector;
use crate::directus::Session;
use crate::directus::client::{ApiErrorBody, McpRefusal};
use crate::transport::{no_answer, read_body, redirect_target};

/// How `/mcp` answers a client that has not signed in yet: a 401 pointing at the
/// protected-resource metadata is what every client expects.
/// Returns the checks and, for a 401, its `WWW-Authenticate` challenge.
pub(super) async fn endpoint_check(
    session: &Session,
    chosen: &[&'static dyn ClientConnector],
) -> (Vec<Check>, Option<String>) {
    let client = session.client();
    let url = client.server().mcp_endpoint();
    let check = |verdict, detail: String, fix: Option<&str>| Check {
        topic: Topic::McpEndpoint,
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
                    no_answer(&error, url.as_str()).to_string(),
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
    let refusal = McpRefusal::of(ApiErrorBody::parse(&body).as_ref());
    let mut checks = Vec::new();
    match status.as_u16() {
        401 => {
            checks.push(check(
                Verdict::Ok,
                format!("{url} asks for credentials (HTTP 401), as clients expect"),
                None,
            ));
            let oauth_clients = signing_in_with_oauth(chosen);
            let points_to_metadata = challenge
                .as_deref()
                .is_some_and(|value| value.contains("resource_metadata"));
            if !oauth_clients.is_empty() && !points_to_metadata {
                checks.push(Check {
                    topic: Topic::Discovery,
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
        403 if refusal == McpRefusal::DisabledInSettings => checks.push(check(
            Verdict::Problem,
            "MCP is turned off in the project settings".to_owned(),
            Some("Run `directus-mcp-setup enable` (or the app's Enable step)."),
        )),
        404 => checks.push(check(
            Verdict::Problem,
            format!(
                "{url} does not exist: MCP_ENABLED=false in Directus' environment, or Directus older than 12"
            ),
            Some("Remove MCP_ENABLED=false from Directus' environment and restart it."),
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
