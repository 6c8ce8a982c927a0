//! Cline (CLI and VS Code extension, one file since 2026):
//! `~/.cline/data/settings/cline_mcp_settings.json`, `mcpServers.NAME {type: "streamableHttp",
//! url, headers, disabled}` (without `type` Cline would use SSE).

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

/// Cline.
pub struct Cline;

const NAME: &str = "Cline";

impl FileClient for Cline {
    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "cline".into(),
            name: NAME.into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User],
            token_storage: "in cline_mcp_settings.json, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["cline"], &[env.home.join(".cline")])
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        scoped_path(
            NAME,
            target,
            env.home
                .join(".cline")
                .join("data")
                .join("settings")
                .join("cline_mcp_settings.json"),
            None,
        )
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let base =
            json!({ "type": "streamableHttp", "url": request.mcp_url.as_str(), "disabled": false });
        let value = http_entry(request, NAME, base, None)?;
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            &["type", "transportType", "url", "disabled", "headers"],
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
        #[allow(unused_mut)]
        let mut notes = Vec::new();
        if request.auth == AuthMode::Oauth {
            notes.push(format!(
                "Cline signs in with Dynamic Client Registration (keep DCR on in Directus): open Cline's MCP Servers view and authenticate `{}`.",
                request.target.name
            ));
        }
        notes.extend(shared_token_notes(request, NAME));
        notes
    }
}
