//! Raycast: a server added with its "Install Server" form (MCP Servers). The form has an
//! HTTP Headers field ("key/value pairs sent on every request", manual.raycast.com/ai/
//! model-context-protocol, read 2026-12-02), so the MCP token goes there as
//! `Authorization: Bearer …`, never into the URL.

use std::path::PathBuf;

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::{ClientEnvironment, Os};
use crate::clients::error::ClientError;
use crate::clients::manual::ManualClient;
use crate::clients::plan::{Instruction, ManualSteps};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};

/// Raycast (macOS and Windows).
pub struct Raycast;

const NAME: &str = "Raycast";

impl ManualClient for Raycast {
    fn id(&self) -> &'static str {
        "raycast"
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: self.id().into(),
            name: self.name().into(),
            setup: SetupKind::Manual,
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User],
            token_storage: "in the server's Authorization header, kept by Raycast".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        let place: Option<PathBuf> = match env.os {
            Os::MacOs => Some("/Applications/Raycast.app".into()),
            Os::Windows => Some(env.home.join("AppData/Local/Programs/Raycast")),
            Os::Linux => None,
        };
        let found = place.filter(|path| path.exists());
        Detection {
            installed: found.is_some(),
            evidence: found.map(|path| format!("folder {}", path.display())),
        }
    }

    /// The token goes into a header, never into the URL: no token-in-URL warning.
    fn puts_token_in_url(&self) -> bool {
        false
    }

    fn connect_steps(&self, request: &ConnectRequest) -> Result<ManualSteps, ClientError> {
        let mut steps = vec![
            Instruction::text(
                "Open Raycast and run the command \"Install Server\" (from MCP Servers).",
            ),
            Instruction::copy("Name:", "Name", request.target.name.clone(), false),
            Instruction::copy(
                "Transport: HTTP, URL:",
                "URL",
                request.mcp_url.to_string(),
                false,
            ),
        ];
        match request.auth {
            AuthMode::Token => {
                let token = request.token_for(NAME)?;
                steps.push(Instruction::copy(
                    "HTTP Headers: add a header with the key",
                    "Header key",
                    "Authorization",
                    false,
                ));
                steps.push(Instruction::copy(
                    "and the value",
                    "Header value",
                    format!("Bearer {}", token.expose()),
                    true,
                ));
                steps.push(Instruction::text(
                    "Leave OAuth off for this server (the header signs it in).",
                ));
                steps.push(Instruction::text(
                    "Press ⌘↵ (Ctrl+Enter on Windows) to install.",
                ));
            }
            AuthMode::Oauth => {
                steps.push(Instruction::text(
                    "Press ⌘↵ (Ctrl+Enter on Windows) to install.",
                ));
                steps.push(Instruction::text(
                    "On first use, sign in to Directus in the browser and approve (Raycast registers with DCR).",
                ));
            }
        }
        Ok(ManualSteps {
            title: format!("Add the `{}` server in Raycast", request.target.name),
            steps,
            link: None,
        })
    }

    fn disconnect_steps(&self, target: &Target) -> ManualSteps {
        ManualSteps {
            title: "Remove the server from Raycast".into(),
            steps: vec![
                Instruction::text("Open Raycast and run \"Manage MCP Servers\"."),
                Instruction::text(format!(
                    "Select `{}` and choose Uninstall Server.",
                    target.name
                )),
            ],
            link: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::connector::ClientConnector;
    use crate::clients::manual::ManualConnector;
    use crate::clients::request::{StdioBridge, TokenAccess};
    use crate::secret::SecretString;

    const TOKEN: &str = "raycast-token-value-123";

    fn request(auth: AuthMode, token_access: TokenAccess) -> ConnectRequest {
        ConnectRequest {
            target: Target::new("directus", Scope::User, None).unwrap(),
            mcp_url: "https://cms.example.com/mcp".parse().unwrap(),
            auth,
            token: Some(SecretString::new(TOKEN)),
            inline_token: false,
            token_env_var: None,
            token_access,
            stdio_bridge: StdioBridge::default(),
            oauth_via_bridge: false,
        }
    }

    fn env() -> ClientEnvironment {
        ClientEnvironment::new(Os::MacOs, "/nonexistent".into(), None, None, None, None)
    }

    #[test]
    fn raycasts_plan_carries_the_token_only_as_a_header_value() {
        // Even an unchecked token (which no URL may carry) is fine in a header.
        let plan = ManualConnector(Raycast)
            .plan_connect(&env(), &request(AuthMode::Token, TokenAccess::Unchecked))
            .unwrap();
        let everything = format!("{plan:?}");
        assert!(!everything.contains("access_token="), "{everything}");
        assert_eq!(everything.matches(TOKEN).count(), 1, "{everything}"); // the header value only
        let value = plan.copy_value("Header value").unwrap();
        assert_eq!(value.expose(), format!("Bearer {TOKEN}"));
        assert_eq!(
            plan.copy_value("URL").unwrap().expose(),
            "https://cms.example.com/mcp"
        );
        // Shown masked, like every other secret copy value.
        let shown = format!("{:?}", plan.view(false));
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(!ManualConnector(Raycast).puts_token_in_url());
    }

    #[test]
    fn raycasts_token_plan_has_no_token_in_url_warning_while_url_clients_keep_it() {
        let connect = |connector: &dyn ClientConnector| {
            connector
                .plan_connect(&env(), &request(AuthMode::Token, TokenAccess::Limited))
                .unwrap()
                .notes
        };
        let raycast = connect(&ManualConnector(Raycast));
        assert!(
            !raycast.iter().any(|note| *note
                == crate::clients::manual::token_in_url_warning(
                    crate::clients::manual::UrlWithToken::TheConnectorUrl
                )),
            "{raycast:?}"
        );
        let chatgpt = connect(&ManualConnector(super::super::chatgpt::ChatGpt));
        assert!(
            chatgpt.iter().any(|note| *note
                == crate::clients::manual::token_in_url_warning(
                    crate::clients::manual::UrlWithToken::TheConnectorUrl
                )),
            "{chatgpt:?}"
        );
    }
}
