//! opencode: `$XDG_CONFIG_HOME/opencode/opencode.json` (or `.jsonc`) or a project's
//! `opencode.json`, `mcp.NAME {type: "remote", url, headers}`; `{env:VAR}` in project files.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::clients::check::{OwnCheck, list_check};
use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::file_client::{
    FileClient, existing_or_first, http_entry, one_entry, program_or_folder, scoped_path,
    shared_token_notes, url_and_headers,
};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::status::FoundConnection;
use crate::config_edit::{Entry, EntryPath};

/// opencode.
pub struct OpenCode;

const NAME: &str = "opencode";

impl FileClient for OpenCode {
    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "opencode".into(),
            name: NAME.into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User, Scope::Project],
            token_storage: "in opencode.json, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["opencode"], &[env.xdg_config_dir.join("opencode")])
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        let folder = env.xdg_config_dir.join("opencode");
        let user =
            existing_or_first(&[folder.join("opencode.json"), folder.join("opencode.jsonc")]);
        scoped_path(NAME, target, user, Some("opencode.json"))
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let base = json!({ "type": "remote", "url": request.mcp_url.as_str(), "enabled": true });
        let value = http_entry(
            request,
            NAME,
            base,
            Some(|variable| format!("{{env:{variable}}}")),
        )?;
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            &["type", "url", "enabled", "headers", "oauth"],
        ))
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![EntryPath::key(&["mcp", name])]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.token_in_user_file()
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        url_and_headers(values, &["url"])
    }

    fn notes(&self, request: &ConnectRequest) -> Vec<String> {
        let mut notes = Vec::new();
        if request.auth == AuthMode::Oauth {
            notes.push(format!("opencode signs in with Dynamic Client Registration (keep DCR on in Directus): run `opencode mcp auth {}` once.", request.target.name));
        }
        notes.extend(shared_token_notes(request, NAME));
        notes
    }

    fn own_check(&self, env: &ClientEnvironment, target: &Target) -> Option<OwnCheck> {
        list_check(env, target, "opencode", &["mcp", "list"])
    }
}
