//! Claude.ai: a custom connector added in its settings, signed in with OAuth.

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::manual::{ManualClient, server_url, web_app};
use crate::clients::plan::{CopyValue, Instruction, ManualSteps};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};

/// Claude.ai (and Claude's mobile apps, which share its connectors).
pub struct ClaudeAi;

const NAME: &str = "Claude.ai";

/// The custom-connector steps shared with Claude Desktop.
pub(crate) fn custom_connector_steps(
    request: &ConnectRequest,
    client: &str,
) -> Result<ManualSteps, ClientError> {
    let (url, secret) = server_url(request, client)?;
    let mut steps = vec![
        Instruction::text("Open Settings → Connectors and click Add custom connector."),
        Instruction::copy("Name:", "Name", "Directus MCP", false),
        Instruction::copy("Remote MCP server URL:", "Server URL", url, secret),
        Instruction::text("Click Add."),
    ];
    steps.push(Instruction::text(match request.auth {
        AuthMode::Oauth => "Click Connect, sign in to Directus in the browser and approve (Claude registers with CIMD, or DCR when CIMD is off).",
        AuthMode::Token => "Review and accept the permissions when asked.",
    }));
    Ok(ManualSteps {
        title: format!("Add the `{}` connector in {client}", request.target.name),
        steps,
        link: None,
    })
}

/// The steps that remove a custom connector.
pub(crate) fn remove_connector_steps(client: &str) -> ManualSteps {
    ManualSteps {
        title: format!("Remove the connector from {client}"),
        steps: vec![
            Instruction::text("Open Settings → Connectors."),
            Instruction::text("Open the menu (⋯) next to Directus MCP and choose Remove."),
        ],
        link: None,
    }
}

/// The Client ID Metadata Document Claude.ai, Claude Desktop's Connectors and Claude's mobile
/// apps sign in with when Directus offers CIMD.
pub(crate) const CIMD_CLIENT_ID: &str = "https://claude.ai/oauth/mcp-oauth-client-metadata";

impl ManualClient for ClaudeAi {
    fn cimd_client_id(&self) -> Option<&'static str> {
        Some(CIMD_CLIENT_ID)
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "claude-ai".into(),
            name: NAME.into(),
            setup: SetupKind::Manual,
            oauth: OAuthRegistration::CimdOrDcr,
            scopes: vec![Scope::User],
            token_storage: "in the connector's URL (?access_token=), kept by Claude".into(),
        }
    }

    fn detect(&self, _env: &ClientEnvironment) -> Detection {
        web_app("https://claude.ai")
    }

    fn connect_steps(&self, request: &ConnectRequest) -> Result<ManualSteps, ClientError> {
        let mut steps = custom_connector_steps(request, NAME)?;
        steps.link = Some(CopyValue {
            label: "Claude.ai connector settings".into(),
            value: "https://claude.ai/settings/connectors".into(),
            secret: false,
        });
        Ok(steps)
    }

    fn vendor_servers(&self) -> Option<&'static str> {
        Some("Anthropic")
    }

    fn disconnect_steps(&self, _target: &Target) -> ManualSteps {
        remove_connector_steps(NAME)
    }
}
