//! Augment's Auggie CLI: `~/.augment/settings.json` or a project's `.augment/settings.json`,
//! `mcpServers.NAME {type: "http", url, headers}`.

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

/// Augment (Auggie CLI).
pub struct Auggie;

const NAME: &str = "Augment (Auggie CLI)";

impl FileClient for Auggie {
    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "auggie".into(),
            name: NAME.into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User, Scope::Project],
            token_storage: "in settings.json, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["auggie"], &[env.home.join(".augment")])
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        scoped_path(
            NAME,
            target,
            env.home.join(".augment").join("settings.json"),
            Some(".augment/settings.json"),
        )
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
                "Auggie signs in with Dynamic Client Registration (keep DCR on in Directus): run `/mcp` inside auggie and authenticate `{}`.",
                request.target.name
            ));
        }
        notes.extend(shared_token_notes(request, NAME));
        notes
    }

    fn own_check(&self, env: &ClientEnvironment, target: &Target) -> Option<OwnCheck> {
        list_check(env, target, "auggie", &["mcp", "list"])
    }
}
