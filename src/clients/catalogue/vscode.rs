//! VS Code: the user's `mcp.json` or a workspace's `.vscode/mcp.json` (JSONC),
//! `servers.NAME {type: "http", url, headers}`. A token is asked for when the server
//! starts (an `inputs` password prompt), so none is stored, unless written inline on request.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::file_client::{FileClient, program_or_folder, scoped_path, url_and_headers};
use crate::clients::plan::{CopyValue, Instruction, ManualSteps};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::status::FoundConnection;
use crate::config_edit::{Entry, EntryPath};

/// VS Code (GitHub Copilot's agent mode).
pub struct VsCode;

const NAME: &str = "VS Code";

/// The id of the password prompt for server `name`.
fn input_id(name: &str) -> String {
    format!("{name}-token")
}

impl VsCode {
    fn prompts_for_token(request: &ConnectRequest) -> bool {
        request.auth == AuthMode::Token && !request.inline_token
    }
}

impl FileClient for VsCode {
    fn cimd_client_id(&self) -> Option<&'static str> {
        // VS Code's own document, the client id it signs in with (no DCR fallback).
        Some("https://vscode.dev/oauth/client-metadata.json")
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "vscode".into(),
            name: NAME.into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::Cimd,
            scopes: vec![Scope::User, Scope::Project],
            token_storage: "asked for when the server starts, kept by VS Code's secret storage (or inline with --inline-token, 0600)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["code"], &[env.app_config_dir.join("Code")])
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        let user = env
            .app_config_dir
            .join("Code")
            .join("User")
            .join("mcp.json");
        scoped_path(NAME, target, user, Some(".vscode/mcp.json"))
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let name = &request.target.name;
        let url = request.mcp_url.as_str();
        let server = match request.auth {
            AuthMode::Oauth => json!({ "type": "http", "url": url }),
            AuthMode::Token if request.inline_token => json!({
                "type": "http",
                "url": url,
                "headers": { "Authorization": request.bearer(NAME)? },
            }),
            AuthMode::Token => json!({
                "type": "http",
                "url": url,
                "headers": { "Authorization": format!("Bearer ${{input:{}}}", input_id(name)) },
            }),
        };
        let input = Self::prompts_for_token(request).then(|| {
            json!({
                "id": input_id(name),
                "type": "promptString",
                "description": format!("Directus MCP token ({name})"),
                "password": true,
            })
        });
        let mut paths = self.entry_paths(name).into_iter();
        Ok(vec![
            Entry {
                path: paths.next().expect("two paths"),
                value: Some(server),
                managed: &["type", "url", "headers"],
            },
            Entry {
                path: paths.next().expect("two paths"),
                value: input,
                managed: &["type", "description", "password"],
            },
        ])
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![
            EntryPath::key(&["servers", name]),
            EntryPath::ArrayItem {
                array: vec!["inputs".into()],
                id_key: "id".into(),
                id: input_id(name),
            },
        ]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.auth == AuthMode::Token && request.inline_token
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        url_and_headers(values, &["url"])
    }

    fn notes(&self, request: &ConnectRequest) -> Vec<String> {
        match request.auth {
            AuthMode::Oauth => vec![
                "VS Code registers only through Client ID Metadata Documents (no DCR fallback): turn CIMD on in Directus (setting and MCP_OAUTH_CIMD_ENABLED).".into(),
                "Start the server from the MCP view or Agent mode and sign in to Directus in the browser.".into(),
            ],
            AuthMode::Token if request.inline_token => Vec::new(),
            AuthMode::Token => vec![
                "No token is written: VS Code asks for it the first time the server starts and keeps it in its secret storage. Paste the token shown by `directus-mcp-setup token show`.".into(),
            ],
        }
    }

    fn alternatives(&self, request: &ConnectRequest) -> Vec<ManualSteps> {
        if request.auth != AuthMode::Oauth {
            return Vec::new();
        }
        let install = json!({
            "name": request.target.name,
            "type": "http",
            "url": request.mcp_url.as_str(),
        });
        let mut link = url::Url::parse("vscode:mcp/install").expect("a valid constant URL");
        link.set_query(Some(
            &url::form_urlencoded::byte_serialize(install.to_string().as_bytes())
                .collect::<String>(),
        ));
        vec![ManualSteps {
            title: "Or install from VS Code's link".into(),
            steps: vec![Instruction::text(
                "Open the link; VS Code shows the server and an Install button.",
            )],
            link: Some(CopyValue {
                label: "VS Code install link".into(),
                value: link.to_string(),
                secret: false,
            }),
        }]
    }
}
