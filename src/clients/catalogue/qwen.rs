//! Qwen Code: `~/.qwen/settings.json` or a project's `.qwen/settings.json`,
//! `mcpServers.NAME {httpUrl, headers}` (`url` alone would mean SSE); `${VAR}` in project files.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::clients::check::{OwnCheck, list_check};
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

/// Qwen Code.
pub struct QwenCode;

const NAME: &str = "Qwen Code";

impl FileClient for QwenCode {
    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "qwen".into(),
            name: NAME.into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User, Scope::Project],
            token_storage: "in settings.json, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["qwen"], &[env.home.join(".qwen")])
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        scoped_path(
            NAME,
            target,
            env.home.join(".qwen").join("settings.json"),
            Some(".qwen/settings.json"),
        )
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let base = json!({ "httpUrl": request.mcp_url.as_str() });
        let value = http_entry(
            request,
            NAME,
            base,
            Some(|variable| format!("${{{variable}}}")),
        )?;
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            &["httpUrl", "url", "type", "headers"],
        ))
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![EntryPath::key(&["mcpServers", name])]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.token_in_user_file()
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        url_and_headers(values, &["httpUrl", "url"])
    }

    fn notes(&self, request: &ConnectRequest) -> Vec<String> {
        #[allow(unused_mut)]
        let mut notes = Vec::new();
        if request.auth == AuthMode::Oauth {
            notes.push(format!(
                "Qwen Code signs in with Dynamic Client Registration (keep DCR on in Directus): run `/mcp auth {}` inside Qwen Code once.",
                request.target.name
            ));
        }
        notes.extend(shared_token_notes(request, NAME));
        notes
    }

    fn own_check(&self, env: &ClientEnvironment, target: &Target) -> Option<OwnCheck> {
        list_check(env, target, "qwen", &["mcp", "list"])
    }
}
