//! Factory Droid: `~/.factory/mcp.json` or a project's `.factory/mcp.json`,
//! `mcpServers.NAME {type: "http", url, headers, disabled}`; `${VAR}` in project files.

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

/// Factory Droid.
pub struct FactoryDroid;

const NAME: &str = "Factory Droid";

impl FileClient for FactoryDroid {
    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "droid".into(),
            name: NAME.into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::CimdOrDcr,
            scopes: vec![Scope::User, Scope::Project],
            token_storage: "in mcp.json, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["droid"], &[env.home.join(".factory")])
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        scoped_path(
            NAME,
            target,
            env.home.join(".factory").join("mcp.json"),
            Some(".factory/mcp.json"),
        )
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let base = json!({ "type": "http", "url": request.mcp_url.as_str(), "disabled": false });
        let value = http_entry(
            request,
            NAME,
            base,
            Some(|variable| format!("${{{variable}}}")),
        )?;
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            &["type", "url", "disabled", "headers", "oauth"],
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
                "Droid signs in with its Client ID Metadata Document when Directus offers CIMD, else with DCR: run `/mcp` inside droid and authenticate `{}`.",
                request.target.name
            ));
        }
        notes.extend(shared_token_notes(request, NAME));
        notes
    }

    fn own_check(&self, env: &ClientEnvironment, target: &Target) -> Option<OwnCheck> {
        list_check(env, target, "droid", &["mcp", "list"])
    }

    fn cimd_client_id(&self) -> Option<&'static str> {
        Some("https://api.factory.ai/mcp/oauth-client")
    }
}
