//! Cherry Studio: no settings file to edit (it keeps servers in its own store); its
//! `cherrystudio://mcp/install` link adds the server, which the user then confirms.

use base64::Engine;
use serde_json::json;

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::file_client::program_or_folder;
use crate::clients::manual::ManualClient;
use crate::clients::plan::{CopyValue, Instruction, ManualSteps};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};

/// Cherry Studio.
pub struct CherryStudio;

const NAME: &str = "Cherry Studio";

impl ManualClient for CherryStudio {
    fn id(&self) -> &'static str {
        "cherry-studio"
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
            token_storage: "in Cherry Studio's own store, given to it through its install link"
                .into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(
            env,
            &["cherry-studio", "CherryStudio"],
            &[env.app_config_dir.join("CherryStudio")],
        )
    }

    fn connect_steps(&self, request: &ConnectRequest) -> Result<ManualSteps, ClientError> {
        let name = request.target.name.as_str();
        let mut server =
            json!({ "name": name, "type": "streamableHttp", "baseUrl": request.mcp_url.as_str() });
        if let Some(authorization) = request.authorization(NAME)? {
            server["headers"] = json!({ "Authorization": authorization });
        }
        let servers = json!({ "mcpServers": { name: server } });
        let encoded = base64::engine::general_purpose::STANDARD.encode(servers.to_string());
        let mut link = url::Url::parse("cherrystudio://mcp/install").expect("a valid constant URL");
        link.query_pairs_mut().append_pair("servers", &encoded);
        let mut steps = vec![
            Instruction::text("Open the link below: Cherry Studio adds the server, inactive."),
            Instruction::text(format!(
                "In Settings → MCP Servers, check `{name}` and turn it on."
            )),
        ];
        if request.auth == AuthMode::Oauth {
            steps.push(Instruction::text(
                "On first use, sign in to Directus in the browser and approve (Cherry Studio registers with DCR).",
            ));
        }
        Ok(ManualSteps {
            title: format!("Add the `{name}` server to Cherry Studio"),
            steps,
            link: Some(CopyValue {
                label: "Cherry Studio install link".into(),
                value: link.to_string(),
                secret: request.auth == AuthMode::Token,
            }),
        })
    }

    fn disconnect_steps(&self, target: &Target) -> ManualSteps {
        ManualSteps {
            title: "Remove the server from Cherry Studio".into(),
            steps: vec![Instruction::text(format!(
                "In Settings → MCP Servers, delete `{}`.",
                target.name
            ))],
            link: None,
        }
    }
}
