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

/// Said first in the steps whenever a Claude connector would carry the token in its URL:
/// Claude no longer hands such a connector's tools to the model (anthropics/claude-ai-mcp#629,
/// open, reported 2026-07-16 for claude.ai and Claude Desktop alike, a regression from about
/// June 2026), and the connector dialog has no field for a header (anthropics/claude-ai-mcp#603;
/// #629 describes the dialog as a URL field plus optional OAuth client id and secret).
/// Read 2026-12-02.
pub(crate) const TOKEN_CONNECTOR_WARNING: &str = "Warning: Claude.ai and Claude Desktop's Connectors no longer hand the tools of a connector whose URL carries the token to the model: it shows Connected and lists its tools, but Claude never calls them (anthropics/claude-ai-mcp#629, since about June 2026), and the dialog has no header field for the token (#603). Connect with OAuth instead (`--auth oauth`).";

/// The custom-connector steps shared with Claude Desktop. OAuth is the path that works;
/// the token path starts with [`TOKEN_CONNECTOR_WARNING`].
pub(crate) fn custom_connector_steps(
    request: &ConnectRequest,
    client: &str,
) -> Result<ManualSteps, ClientError> {
    let (url, secret) = server_url(request, client)?;
    let mut steps = Vec::new();
    if request.auth == AuthMode::Token {
        steps.push(Instruction::text(TOKEN_CONNECTOR_WARNING));
    }
    steps.extend([
        Instruction::text("Open Settings → Connectors and click Add custom connector."),
        Instruction::copy("Name:", "Name", "Directus MCP", false),
        Instruction::copy("Remote MCP server URL:", "Server URL", url, secret),
        Instruction::text("Click Add."),
    ]);
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

    fn id(&self) -> &'static str {
        "claude-ai"
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: self.id().into(),
            name: self.name().into(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::request::{StdioBridge, TokenAccess};
    use crate::secret::SecretString;

    fn request(auth: AuthMode) -> ConnectRequest {
        ConnectRequest {
            target: Target::new("directus", Scope::User, None).unwrap(),
            mcp_url: "https://cms.example.com/mcp".parse().unwrap(),
            auth,
            token: Some(SecretString::new("claude-token-value")),
            inline_token: false,
            token_env_var: None,
            token_access: TokenAccess::Limited,
            stdio_bridge: StdioBridge::default(),
            oauth_via_bridge: false,
        }
    }

    #[test]
    fn the_token_connector_path_starts_with_why_it_no_longer_works() {
        let token = custom_connector_steps(&request(AuthMode::Token), NAME).unwrap();
        assert_eq!(token.steps[0].text, TOKEN_CONNECTOR_WARNING);
        assert!(TOKEN_CONNECTOR_WARNING.contains("anthropics/claude-ai-mcp#629"));
        assert!(TOKEN_CONNECTOR_WARNING.contains("no header field"));
        let oauth = custom_connector_steps(&request(AuthMode::Oauth), NAME).unwrap();
        assert!(
            oauth
                .steps
                .iter()
                .all(|step| step.text != TOKEN_CONNECTOR_WARNING)
        );
    }
}
