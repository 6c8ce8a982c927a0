//! A real MCP handshake against Directus: `initialize`, `notifications/initialized`,
//! `tools/list` (and `prompts/list`), as a client does it (the official Rust SDK's protocol
//! types over Streamable HTTP, see [`super::session`]).
//! When it fails, one plain request finds out why (404, 403, 401 each mean something else).

use serde::{Deserialize, Serialize};
use serde_json::json;
use thiserror::Error;
use ts_rs::TS;

use super::session::McpSession;
use crate::directus::client::{ApiErrorBody, McpRefusal};
use crate::directus::server_report;
use crate::directus::tool_mode::ToolMode;
use crate::directus::{DirectusClient, DirectusError};
use crate::secret::SecretString;
use crate::transport;

/// Directus' answer to prompts/list when no prompts collection is set.
const NO_PROMPTS_COLLECTION: &str = "prompts collection must be set";

/// Tools Directus 12 offers only to administrators.
pub const ADMIN_ONLY_TOOLS: [&str; 5] =
    ["collections", "fields", "relations", "flows", "operations"];

/// Why the handshake failed, in terms of what to change.
#[derive(Debug, Error)]
pub enum McpProbeError {
    /// The server could not be reached (or the URL was refused).
    #[error(transparent)]
    Connection(#[from] DirectusError),
    /// `MCP_ENABLED=false` in the server's environment.
    #[error(
        "MCP is disabled by the server's environment (MCP_ENABLED=false), so {url} does not exist. Ask your Directus administrator to remove MCP_ENABLED=false and restart Directus"
    )]
    DisabledByEnvironment {
        /// The MCP endpoint.
        url: String,
    },
    /// `/mcp` does not exist for another reason (an older Directus).
    #[error(
        "{url} does not exist (Directus {version}): Directus' built-in MCP server needs Directus 11.13 or later; on such a Directus, let the reverse proxy pass /mcp through to it"
    )]
    NotAvailable {
        /// The MCP endpoint.
        url: String,
        /// The version the server reported.
        version: String,
    },
    /// The project setting is off.
    #[error(
        "MCP is turned off in this project's settings: run `directus-mcp-setup enable` (or Settings → AI → Model Context Protocol → MCP Server)"
    )]
    DisabledInSettings,
    /// No token was sent.
    #[error(
        "the MCP endpoint needs a token: run `directus-mcp-setup token create`, or pass --token"
    )]
    TokenRequired,
    /// The token is unknown, revoked or expired.
    #[error(
        "Directus refused the MCP token: it was revoked, rotated or never existed. Run `directus-mcp-setup token rotate` and update your AI clients"
    )]
    TokenRejected,
    /// Another 403.
    #[error("Directus refused MCP access: {message}")]
    Forbidden {
        /// Directus' reason.
        message: String,
    },
    /// The server answered, but not as an MCP server should.
    #[error("the MCP handshake with {url} failed: {detail}")]
    Protocol {
        /// The MCP endpoint.
        url: String,
        /// What went wrong.
        detail: String,
    },
}

/// One tool the server offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ToolSummary {
    /// Its name, e.g. `items`.
    pub name: String,
    /// The first line of its description.
    pub summary: String,
}

/// What a successful handshake showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct McpReport {
    /// The endpoint that answered.
    pub mcp_url: String,
    /// The negotiated protocol version.
    pub protocol_version: String,
    /// `serverInfo.name`, e.g. `directus-mcp`.
    pub server_name: String,
    /// `serverInfo.version`.
    pub server_version: String,
    /// The tools, in the order the server lists them.
    pub tools: Vec<ToolSummary>,
    /// Prompts from the prompts collection, when one is set and readable.
    pub prompts: Option<Vec<String>>,
    /// Why prompts/list failed, when a prompts collection is set but could not be listed.
    pub prompts_error: Option<String>,
    /// Admin-only tools this token does not get (none counted in registry mode, which
    /// lists only Directus' registry tools).
    pub admin_only_tools_missing: Vec<String>,
    /// The tool mode the endpoint was asked for (its URL's `tool_mode`).
    pub tool_mode: ToolMode,
}

impl McpReport {
    /// The tool names.
    pub fn tool_names(&self) -> Vec<&str> {
        self.tools.iter().map(|t| t.name.as_str()).collect()
    }
}

/// Runs the handshake with `token` as the bearer. `with_prompts`: whether a prompts
/// collection is set, so prompts/list is worth a request; `None` when unknown (then it is
/// tried, and Directus' "no prompts collection" answer means none). `Some(true)` and
/// `None` behave alike; `Some(false)` saves the request.
/// Every HTTP request is counted on `client`'s counter.
pub async fn probe(
    client: &DirectusClient,
    token: Option<&SecretString>,
    with_prompts: Option<bool>,
) -> Result<McpReport, McpProbeError> {
    let url = client.server().mcp_endpoint().to_string();
    probe_at(client, &url, token, with_prompts).await
}

/// [`probe`] at `url`, exactly as a client's entry names it.
pub async fn probe_at(
    client: &DirectusClient,
    url: &str,
    token: Option<&SecretString>,
    with_prompts: Option<bool>,
) -> Result<McpReport, McpProbeError> {
    let url = url.to_owned();
    match handshake(client, &url, token, with_prompts).await {
        Ok(report) => Ok(report),
        Err(detail) => Err(diagnose(client, &url, token, detail).await),
    }
}

async fn handshake(
    client: &DirectusClient,
    url: &str,
    token: Option<&SecretString>,
    with_prompts: Option<bool>,
) -> Result<McpReport, String> {
    let (mut session, peer) = McpSession::open(client, url, token)
        .await
        .map_err(|e| e.to_string())?;
    let outcome = async {
        let tools = session.list_tools().await.map_err(|e| e.to_string())?;
        // Directus advertises prompts always, but refuses prompts/list without a collection,
        // and answers with an error result when the user may not read it. Neither fails
        // the handshake: the tools work.
        let (prompts, prompts_error) = match with_prompts {
            Some(false) => (None, None),
            _ => match session.list_prompts().await {
                Ok(prompts) => (Some(prompts.into_iter().map(|p| p.name).collect()), None),
                Err(error) if error.to_string().contains(NO_PROMPTS_COLLECTION) => (None, None),
                Err(error) => (
                    None,
                    Some(format!(
                        "prompts/list failed ({error}): the MCP user probably cannot read the prompts collection; run `token create` again to grant it"
                    )),
                ),
            },
        };
        let names: Vec<String> = tools.iter().map(|t| t.name.to_string()).collect();
        let tool_mode = url::Url::parse(url)
            .map(|parsed| ToolMode::of_url(&parsed))
            .unwrap_or_default();
        Ok::<_, String>(McpReport {
            mcp_url: url.to_owned(),
            protocol_version: peer.protocol_version.to_string(),
            server_name: peer.server_info.name.clone(),
            server_version: peer.server_info.version.clone(),
            tools: tools
                .iter()
                .map(|t| ToolSummary {
                    name: t.name.to_string(),
                    summary: t
                        .description
                        .as_deref()
                        .map(first_line)
                        .unwrap_or_default(),
                })
                .collect(),
            prompts,
            prompts_error,
            admin_only_tools_missing: match tool_mode {
                ToolMode::Registry => Vec::new(),
                ToolMode::Full => ADMIN_ONLY_TOOLS
                    .iter()
                    .filter(|tool| !names.iter().any(|n| n == *tool))
                    .map(|tool| (*tool).to_owned())
                    .collect(),
            },
            tool_mode,
        })
    }
    .await;
    session.close().await;
    outcome
}

/// The first non-empty line of a tool description, without Markdown heading marks.
fn first_line(description: &str) -> String {
    description
        .lines()
        .map(|line| line.trim().trim_start_matches('#').trim())
        .find(|line| !line.is_empty())
        .unwrap_or_default()
        .to_owned()
}

/// One plain `initialize` POST to learn why the handshake failed.
async fn diagnose(
    client: &DirectusClient,
    url: &str,
    token: Option<&SecretString>,
    detail: String,
) -> McpProbeError {
    let mut request = initialize_request(client, url);
    if let Some(token) = token {
        request = request.bearer_auth(token.expose());
    }
    client.requests().increment();
    let response = match request.send().await {
        Ok(response) => response,
        Err(error) => return McpProbeError::Connection(transport::no_answer(&error, url).into()),
    };
    if let Err(redirect) = transport::refuse_redirect(&response, url) {
        return McpProbeError::Connection(redirect.into());
    }
    let status = response.status().as_u16();
    let body = transport::read_body(response, url)
        .await
        .unwrap_or_default();
    let error = ApiErrorBody::parse(&body);
    let reason = error
        .as_ref()
        .map(|e| e.reason_or_message().to_owned())
        .unwrap_or_default();
    match status {
        404 if error.is_some() => match environment_of(client, token).await {
            Some((false, _)) => McpProbeError::DisabledByEnvironment {
                url: url.to_owned(),
            },
            Some((true, version)) => McpProbeError::NotAvailable {
                url: url.to_owned(),
                version,
            },
            None => McpProbeError::DisabledByEnvironment {
                url: url.to_owned(),
            },
        },
        403 if McpRefusal::of(error.as_ref()) == McpRefusal::DisabledInSettings => {
            McpProbeError::DisabledInSettings
        }
        403 => McpProbeError::Forbidden { message: reason },
        401 if token.is_none() => McpProbeError::TokenRequired,
        401 => McpProbeError::TokenRejected,
        _ if error.is_none() && !body.trim_start().starts_with('{') => {
            McpProbeError::Connection(DirectusError::NotDirectus {
                url: client.server().to_string(),
                detail: format!("{url} answered HTTP {status} without a Directus or MCP body"),
            })
        }
        _ => McpProbeError::Protocol {
            url: url.to_owned(),
            detail,
        },
    }
}

/// One plain MCP `initialize` POST to `url`, as a client's first request (no credentials:
/// the caller adds them when it has some).
pub(crate) fn initialize_request(client: &DirectusClient, url: &str) -> reqwest::RequestBuilder {
    client
        .http()
        .post(url)
        .header("accept", "application/json, text/event-stream")
        .json(&json!({
            "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": { "protocolVersion": "2025-06-18", "capabilities": {},
                        "clientInfo": { "name": "directus-mcp-setup", "version": env!("CARGO_PKG_VERSION") } }
        }))
}

/// `(MCP_ENABLED, version)` as the server tells the probing user.
async fn environment_of(
    client: &DirectusClient,
    token: Option<&SecretString>,
) -> Option<(bool, String)> {
    let client = match token {
        Some(token) => client.with_token(token.clone()),
        None => client.clone(),
    };
    server_report::mcp_environment(&client).await.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_summaries_are_the_first_real_line() {
        assert_eq!(
            first_line("\n# Directus Trigger Flow Tool\n\nRuns a flow."),
            "Directus Trigger Flow Tool"
        );
        assert_eq!(
            first_line("Perform CRUD operations\nmore"),
            "Perform CRUD operations"
        );
        assert_eq!(first_line(""), "");
    }
}
