//! Windsurf: `~/.codeium/windsurf/mcp_config.json`, `mcpServers.NAME {serverUrl, headers}`.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use super::environment::ClientEnvironment;
use super::error::ClientError;
use super::file_client::{
    FileClient, authorization, program_or_folder, scoped_path, string_member,
};
use super::request::{AuthMode, ConnectRequest, Scope, Target};
use super::status::{FoundConnection, auth_from_header};
use crate::config_edit::{Entry, EntryPath};

/// Windsurf.
pub struct Windsurf;

const NAME: &str = "Windsurf";

impl FileClient for Windsurf {
    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "windsurf".into(),
            name: NAME.into(),
            setup: SetupKind::File,
            // Not documented; DCR is what clients without CIMD use.
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User],
            token_storage: "in mcp_config.json, made readable by you only (0600)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(
            env,
            &["windsurf"],
            &[env.home.join(".codeium").join("windsurf")],
        )
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        let user = env.home.join(".codeium/windsurf/mcp_config.json");
        scoped_path(NAME, target, user, None)
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let value = match request.auth {
            AuthMode::Oauth => json!({ "serverUrl": request.mcp_url.as_str() }),
            AuthMode::Token => json!({
                "serverUrl": request.mcp_url.as_str(),
                "headers": { "Authorization": request.bearer(NAME)? },
            }),
        };
        Ok(vec![Entry {
            path: self.entry_paths(&request.target.name).remove(0),
            value: Some(value),
            managed: &["serverUrl", "url", "headers"],
        }])
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![EntryPath::key(&["mcpServers", name])]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.auth == AuthMode::Token
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        let entry = values.first()?.as_ref()?;
        Some(FoundConnection {
            url: string_member(entry, "serverUrl").or_else(|| string_member(entry, "url")),
            auth: auth_from_header(authorization(entry)),
        })
    }

    fn notes(&self, _request: &ConnectRequest) -> Vec<String> {
        vec!["In Windsurf, open Cascade → MCP servers and press Refresh to load the server.".into()]
    }
}
