//! ChatGPT: a connector created in its settings (Pro, Business and Enterprise plans).

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::manual::{ManualClient, server_url, web_app};
use crate::clients::plan::{CopyValue, Instruction, ManualSteps};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};

/// ChatGPT.
pub struct ChatGpt;

const NAME: &str = "ChatGPT";

impl ManualClient for ChatGpt {
    fn id(&self) -> &'static str {
        "chatgpt"
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
            token_storage: "in the connector's URL (?access_token=), kept by ChatGPT".into(),
        }
    }

    fn detect(&self, _env: &ClientEnvironment) -> Detection {
        web_app("https://chatgpt.com")
    }

    fn connect_steps(&self, request: &ConnectRequest) -> Result<ManualSteps, ClientError> {
        let (url, secret) = server_url(request, NAME)?;
        let authentication = match request.auth {
            AuthMode::Oauth => "OAuth",
            AuthMode::Token => "No authentication",
        };
        let mut steps = vec![
            Instruction::text(
                "Open ChatGPT → Settings → Apps & Connectors (Pro, Business or Enterprise plan; turn on Developer mode under Advanced if Create is missing).",
            ),
            Instruction::text("Click Create."),
            Instruction::copy("Name:", "Name", "Directus MCP", false),
            Instruction::copy("MCP Server URL:", "MCP Server URL", url, secret),
            Instruction::copy("Authentication:", "Authentication", authentication, false),
        ];
        if request.auth == AuthMode::Oauth {
            steps.push(Instruction::text(
                "Under Advanced OAuth settings choose Dynamic Client Registration (DCR must be on in Directus).",
            ));
            steps.push(Instruction::text(
                "Click Create, then sign in to Directus in the window that opens and approve.",
            ));
        } else {
            steps.push(Instruction::text(
                "Tick \"I trust this application\" and click Create.",
            ));
        }
        Ok(ManualSteps {
            title: format!("Create the `{}` connector in ChatGPT", request.target.name),
            steps,
            link: Some(CopyValue {
                label: "ChatGPT connector settings".into(),
                value: "https://chatgpt.com/#settings/Connectors".into(),
                secret: false,
            }),
        })
    }

    fn vendor_servers(&self) -> Option<&'static str> {
        Some("OpenAI")
    }

    fn disconnect_steps(&self, _target: &Target) -> ManualSteps {
        ManualSteps {
            title: "Remove the connector from ChatGPT".into(),
            steps: vec![
                Instruction::text("Open ChatGPT → Settings → Apps & Connectors."),
                Instruction::text("Open Directus MCP and choose Delete."),
            ],
            link: None,
        }
    }
}
