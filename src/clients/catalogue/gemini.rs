//! Gemini CLI: `~/.gemini/settings.json` or a project's `.gemini/settings.json`,
//! `mcpServers.NAME {url, type: "http", headers}` — the shape `gemini mcp add` writes.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::clients::check::{OwnCheck, list_check};
use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::file_client::{
    FileClient, one_entry, program_or_folder, scoped_path, shared_token_notes, url_and_headers,
    with_authorization,
};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::status::FoundConnection;
use crate::config_edit::{Entry, EntryPath};

/// Gemini CLI.
pub struct Gemini;

const NAME: &str = "Gemini CLI";

impl FileClient for Gemini {
    fn own_check(&self, env: &ClientEnvironment, target: &Target) -> Option<OwnCheck> {
        // Gemini CLI uses servers only in folders the user trusts: its warning is kept.
        list_check(env, target, "gemini", &["mcp", "list"])
    }

    fn id(&self) -> &'static str {
        "gemini"
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: self.id().into(),
            name: self.name().into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User, Scope::Project],
            token_storage: "in settings.json, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["gemini"], &[env.home.join(".gemini")])
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        let user = env.home.join(".gemini").join("settings.json");
        scoped_path(NAME, target, user, Some(".gemini/settings.json"))
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let value = with_authorization(
            json!({ "url": request.mcp_url.as_str(), "type": "http" }),
            request.scoped_authorization(NAME, |variable| format!("${{{variable}}}"))?,
        );
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            &["url", "type", "httpUrl", "headers"],
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
        let mut notes = vec![
            "Gemini CLI uses servers only in folders you trust: answer its trust prompt (or /permissions) in your project.".to_owned(),
        ];
        if request.auth == AuthMode::Oauth {
            notes.push(format!(
                "Then sign in once with `/mcp auth {}` inside Gemini CLI.",
                request.target.name
            ));
        }
        notes.extend(shared_token_notes(request, "Gemini CLI"));
        notes
    }
}
