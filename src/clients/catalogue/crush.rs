//! Crush (Charm): `$XDG_CONFIG_HOME/crush/crush.json` or a project's `.crush.json`,
//! `mcp.NAME {type: "http", url, headers}`; OAuth is opt-in there (`"oauth": true`). Crush
//! also reads its newer `crushrc`; the JSON file is the one that can be edited entry by entry.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::file_client::{
    FileClient, http_entry, one_entry, program_or_folder, scoped_path, url_and_headers,
};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::status::FoundConnection;
use crate::config_edit::{Entry, EntryPath};

/// Crush.
pub struct Crush;

const NAME: &str = "Crush";

impl FileClient for Crush {
    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "crush".into(),
            name: NAME.into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User, Scope::Project],
            token_storage: "in crush.json, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["crush"], &[env.xdg_config_dir.join("crush")])
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        let user = env.xdg_config_dir.join("crush").join("crush.json");
        scoped_path(NAME, target, user, Some(".crush.json"))
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let mut base = json!({ "type": "http", "url": request.mcp_url.as_str() });
        if request.auth == AuthMode::Oauth {
            // Crush signs in with OAuth only when asked to.
            base["oauth"] = json!(true);
        }
        let value = http_entry(request, NAME, base, None)?;
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            &["type", "url", "headers", "oauth"],
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
        match request.auth {
            AuthMode::Oauth => vec![
                "Crush signs in with Dynamic Client Registration (keep DCR on in Directus); the browser opens at its first use.".into(),
            ],
            AuthMode::Token => Vec::new(),
        }
    }
}
