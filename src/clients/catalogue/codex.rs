//! Codex CLI: `$CODEX_HOME/config.toml` (default `~/.codex`), `[mcp_servers.NAME] url`,
//! with the token in `http_headers` or read from an environment variable
//! (`bearer_token_env_var`).

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::clients::check::{OwnCheck, list_check};
use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::file_client::{
    FileClient, one_entry, program_or_folder, scoped_path, string_member,
};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::status::{FoundAuth, FoundConnection, auth_from_header};
use crate::config_edit::{Entry, EntryPath, Format};

/// Codex CLI.
pub struct Codex;

const NAME: &str = "Codex CLI";

impl FileClient for Codex {
    fn own_check(&self, env: &ClientEnvironment, target: &Target) -> Option<OwnCheck> {
        list_check(env, target, "codex", &["mcp", "list"])
    }

    fn id(&self) -> &'static str {
        "codex"
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
            scopes: vec![Scope::User],
            token_storage: "in config.toml, made readable by you only (0600; on Windows it keeps your profile folder's access list), or read from an environment variable with --token-env-var".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["codex"], std::slice::from_ref(&env.codex_home))
    }

    fn format(&self) -> Format {
        Format::Toml
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        scoped_path(NAME, target, env.codex_home.join("config.toml"), None)
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let url = request.mcp_url.as_str();
        let value = match (request.auth, request.env_var()?) {
            (AuthMode::Oauth, _) => json!({ "url": url }),
            (AuthMode::Token, Some(var)) => json!({ "url": url, "bearer_token_env_var": var }),
            (AuthMode::Token, None) => json!({
                "url": url,
                "http_headers": { "Authorization": request.bearer(NAME)? },
            }),
        };
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            &["url", "http_headers", "bearer_token_env_var"],
        ))
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![EntryPath::key(&["mcp_servers", name])]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.auth == AuthMode::Token && request.token_env_var.is_none()
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        let entry = values.first()?.as_ref()?;
        let auth = match string_member(entry, "bearer_token_env_var") {
            Some(var) => FoundAuth::EnvVar(var),
            None => auth_from_header(
                entry
                    .get("http_headers")
                    .and_then(|headers| headers.get("Authorization"))
                    .and_then(Value::as_str),
            ),
        };
        Some(FoundConnection {
            url: string_member(entry, "url"),
            auth,
        })
    }

    fn notes(&self, request: &ConnectRequest) -> Vec<String> {
        match (request.auth, &request.token_env_var) {
            (AuthMode::Oauth, _) => vec![format!(
                "Sign in once with `codex mcp login {}` (Codex registers with DCR).",
                request.target.name
            )],
            (AuthMode::Token, Some(var)) => vec![format!(
                "No token is written: export {var} with the token (see `directus-mcp-setup token show`) in the shell that starts Codex."
            )],
            (AuthMode::Token, None) => Vec::new(),
        }
    }
}
