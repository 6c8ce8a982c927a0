//! Raycast: a server added with its "MCP Servers" commands.

use std::path::PathBuf;

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::{ClientEnvironment, Os};
use crate::clients::error::ClientError;
use crate::clients::manual::{ManualClient, server_url};
use crate::clients::plan::{Instruction, ManualSteps};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};

/// Raycast (macOS and Windows).
pub struct Raycast;

const NAME: &str = "Raycast";

impl ManualClient for Raycast {
    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "raycast".into(),
            name: NAME.into(),
            setup: SetupKind::Manual,
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User],
            token_storage: "in the server's URL (?access_token=), kept by Raycast".into(),
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

    fn connect_steps(&self, request: &ConnectRequest) -> Result<ManualSteps, ClientError> {
        let (url, secret) = server_url(request, NAME)?;
        let mut steps = vec![
            Instruction::text(
                "Open Raycast and run the command \"Install Server\" (from MCP Servers).",
            ),
            Instruction::copy("Name:", "Name", request.target.name.clone(), false),
            Instruction::copy("Transport: HTTP, URL:", "URL", url, secret),
            Instruction::text("Press ⌘↵ (Ctrl+Enter on Windows) to install."),
        ];
        if request.auth == AuthMode::Oauth {
            steps.push(Instruction::text(
                "On first use, sign in to Directus in the browser and approve (Raycast registers with DCR).",
            ));
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
