//! Visual Studio 2022 (17.14+) and 2026 on Windows: `%USERPROFILE%\.mcp.json`,
//! `servers.NAME {type: "http", url, headers}` (VS Code's dialect). In a solution it also
//! reads `.vscode/mcp.json`, which `connect vscode --scope project` writes; its own
//! solution file `.mcp.json` is the one Claude Code and Copilot CLI share, so it is left to
//! them.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::file_client::{
    FileClient, http_entry, one_entry, program_or_folder, scoped_path, shared_token_notes,
    url_and_headers,
};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::status::FoundConnection;
use crate::config_edit::{Entry, EntryPath};

/// Visual Studio.
pub struct VisualStudio;

const NAME: &str = "Visual Studio";

impl FileClient for VisualStudio {
    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "visual-studio".into(),
            name: NAME.into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User],
            token_storage: "in .mcp.json, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        // Windows only; its settings folder under the profile tells it is there.
        let folders = match env.os {
            crate::clients::environment::Os::Windows => vec![
                env.home
                    .join("AppData")
                    .join("Local")
                    .join("Microsoft")
                    .join("VisualStudio"),
            ],
            _ => Vec::new(),
        };
        program_or_folder(env, &["devenv"], &folders)
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        scoped_path(NAME, target, env.home.join(".mcp.json"), None)
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let base = json!({ "type": "http", "url": request.mcp_url.as_str() });
        let value = http_entry(request, NAME, base, None)?;
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            &["type", "url", "headers"],
        ))
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![EntryPath::key(&["servers", name])]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.token_in_user_file()
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        url_and_headers(values, &["url"])
    }

    fn notes(&self, request: &ConnectRequest) -> Vec<String> {
        #[allow(unused_mut)]
        let mut notes = Vec::new();
        if request.auth == AuthMode::Oauth {
            notes.push(format!(
                "Visual Studio signs in through the browser: choose \"Manage Authentication\" above `{}` in .mcp.json (CodeLens) on first use.",
                request.target.name
            ));
        }
        notes.extend(shared_token_notes(request, NAME));
        notes
    }
}
