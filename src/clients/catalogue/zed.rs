//! Zed: its whole-editor `settings.json` (JSONC) or a project's `.zed/settings.json`,
//! `context_servers.NAME {url, headers}`.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::{ClientEnvironment, Os};
use crate::clients::error::ClientError;
use crate::clients::file_client::{
    FileClient, one_entry, program_or_folder, scoped_path, url_and_headers, with_authorization,
};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::status::FoundConnection;
use crate::config_edit::{Entry, EntryPath};

/// Zed.
pub struct Zed;

const NAME: &str = "Zed";

impl Zed {
    fn config_dir(env: &ClientEnvironment) -> PathBuf {
        match env.os {
            Os::Windows => env.app_config_dir.join("Zed"),
            Os::Linux | Os::MacOs => env.xdg_config_dir.join("zed"),
        }
    }
}

impl FileClient for Zed {
    fn id(&self) -> &'static str {
        "zed"
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: self.id().into(),
            name: self.name().into(),
            setup: SetupKind::File,
            // Zed signs in to remote servers with OAuth; its registration is not documented.
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User, Scope::Project],
            token_storage: "in Zed's settings.json, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["zed", "zeditor"], &[Self::config_dir(env)])
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        let user = Self::config_dir(env).join("settings.json");
        scoped_path(NAME, target, user, Some(".zed/settings.json"))
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        if request.auth == AuthMode::Token && request.target.scope == Scope::Project {
            return Err(ClientError::TokenInSharedFile {
                client: NAME.into(),
            });
        }
        let value = with_authorization(
            json!({ "url": request.mcp_url.as_str() }),
            request.authorization(NAME)?,
        );
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            &["url", "headers"],
        ))
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![EntryPath::key(&["context_servers", name])]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.auth == AuthMode::Token
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        url_and_headers(values, &["url"])
    }
}
