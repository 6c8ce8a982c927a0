//! Cursor: `~/.cursor/mcp.json` or a project's `.cursor/mcp.json`, `mcpServers.NAME
//! {url, headers}`; also its one-click install link.

use std::path::PathBuf;

use base64::Engine;
use serde_json::{Value, json};

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::file_client::{
    FileClient, one_entry, program_or_folder, scoped_path, shared_token_notes, url_and_headers,
    with_authorization,
};
use crate::clients::plan::{CopyValue, Instruction, ManualSteps};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::status::FoundConnection;
use crate::config_edit::{Entry, EntryPath};

/// Cursor.
pub struct Cursor;

const NAME: &str = "Cursor";

impl Cursor {
    /// The entry, as the file and the install link hold it.
    fn entry(request: &ConnectRequest) -> Result<Value, ClientError> {
        Ok(with_authorization(
            json!({ "url": request.mcp_url.as_str() }),
            request.scoped_authorization(NAME, |variable| format!("${{env:{variable}}}"))?,
        ))
    }
}

impl FileClient for Cursor {
    fn id(&self) -> &'static str {
        "cursor"
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: self.id().into(),
            name: self.name().into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User, Scope::Project],
            token_storage: "in mcp.json, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        // Inside WSL, Cursor is the Windows app and reads the Windows user's file.
        let home = &env.desktop_apps().home;
        program_or_folder(env, &["cursor"], &[home.join(".cursor")])
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        scoped_path(
            NAME,
            target,
            env.desktop_apps().home.join(".cursor").join("mcp.json"),
            Some(".cursor/mcp.json"),
        )
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            Self::entry(request)?,
            &["url", "headers"],
        ))
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![EntryPath::key(&["mcpServers", name])]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.token_in_user_file()
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        url_and_headers(values, &["url"])
    }

    fn notes(&self, request: &ConnectRequest) -> Vec<String> {
        match request.auth {
            AuthMode::Oauth => vec![
                "Cursor registers with Dynamic Client Registration: keep DCR on in Directus. Open Cursor → Settings → MCP and click \"Needs login\" next to the server.".into(),
            ],
            AuthMode::Token => shared_token_notes(request, "Cursor"),
        }
    }

    fn alternatives(&self, request: &ConnectRequest) -> Vec<ManualSteps> {
        let Ok(entry) = Self::entry(request) else {
            return Vec::new();
        };
        let config = base64::engine::general_purpose::STANDARD.encode(entry.to_string());
        let mut link = url::Url::parse("cursor://anysphere.cursor-deeplink/mcp/install")
            .expect("a valid constant URL");
        link.query_pairs_mut()
            .append_pair("name", &request.target.name)
            .append_pair("config", &config);
        vec![ManualSteps {
            title: "Or install from Cursor's one-click link".into(),
            steps: vec![Instruction::text(
                "Open the link; Cursor asks to confirm, then adds the server to its user settings.",
            )],
            link: Some(CopyValue {
                label: "Cursor install link".into(),
                value: link.to_string(),
                secret: request.token_in_user_file(),
            }),
        }]
    }
}
