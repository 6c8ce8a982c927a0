//! JetBrains AI Assistant (IntelliJ IDEA, PyCharm, WebStorm, …): no settings file of its own
//! to edit (it keeps servers in the IDE's settings); the JSON to paste in its MCP settings.

use serde_json::json;

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::file_client::program_or_folder;
use crate::clients::manual::ManualClient;
use crate::clients::plan::{Instruction, ManualSteps};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};

/// JetBrains AI Assistant.
pub struct JetBrainsAi;

const NAME: &str = "JetBrains AI Assistant";

impl ManualClient for JetBrainsAi {
    fn id(&self) -> &'static str {
        "jetbrains-ai"
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: self.id().into(),
            name: self.name().into(),
            setup: SetupKind::Manual,
            oauth: OAuthRegistration::Unsupported,
            scopes: vec![Scope::User],
            token_storage: "in the IDE's settings, pasted there by you".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(
            env,
            &["idea", "pycharm", "webstorm", "phpstorm", "goland", "rider"],
            &[env.app_config_dir.join("JetBrains")],
        )
    }

    fn connect_steps(&self, request: &ConnectRequest) -> Result<ManualSteps, ClientError> {
        let mut server = json!({ "url": request.mcp_url.as_str() });
        if let Some(authorization) = request.authorization(NAME)? {
            server["headers"] = json!({ "Authorization": authorization });
        }
        let config = json!({ "mcpServers": { &request.target.name: server } });
        let mut steps = vec![
            Instruction::text(
                "In the IDE open Settings → Tools → AI Assistant → Model Context Protocol (MCP) and click Add.",
            ),
            Instruction::copy(
                "Choose HTTP and paste:",
                "MCP server JSON",
                serde_json::to_string_pretty(&config).expect("JSON"),
                request.auth == AuthMode::Token,
            ),
            Instruction::text("Choose the level (global, or this project) and click OK."),
        ];
        if request.auth == AuthMode::Oauth {
            steps.push(Instruction::text(
                "AI Assistant does not document MCP OAuth: if it does not offer to sign in, connect it with the MCP token instead.",
            ));
        }
        Ok(ManualSteps {
            title: format!("Add the `{}` server to AI Assistant", request.target.name),
            steps,
            link: None,
        })
    }

    fn disconnect_steps(&self, target: &Target) -> ManualSteps {
        ManualSteps {
            title: "Remove the server from AI Assistant".into(),
            steps: vec![Instruction::text(format!(
                "In Settings → Tools → AI Assistant → Model Context Protocol (MCP), select `{}` and click Remove.",
                target.name
            ))],
            link: None,
        }
    }
}
