//! Kilo Code (its CLI `kilo`, opencode's sibling): `$XDG_CONFIG_HOME/kilo/kilo.json` (or `.jsonc`) or a project's
//! `kilo.json`, `mcp.NAME {type: "remote", url, headers}`; `{env:VAR}` in project files.

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

/// Kilo Code.
pub struct Kilo;

const NAME: &str = "Kilo Code";

impl FileClient for Kilo {
    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "kilo".into(),
            name: NAME.into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User, Scope::Project],
            token_storage: "in kilo.json, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["kilo"], &[env.xdg_config_dir.join("kilo")])
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        let folder = env.xdg_config_dir.join("kilo");
        let user = existing_or_first(&[folder.join("kilo.json"), folder.join("kilo.jsonc")]);
        scoped_path(NAME, target, user, Some("kilo.json"))
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
            notes.push(format!("Kilo Code signs in with Dynamic Client Registration (keep DCR on in Directus): run `kilo mcp auth {}` once.", request.target.name));
        }
        notes.extend(shared_token_notes(request, NAME));
        notes
    }

    fn own_check(&self, env: &ClientEnvironment, target: &Target) -> Option<OwnCheck> {
        list_check(env, target, "kilo", &["mcp", "list"])
    }
}
