//! GitHub Copilot CLI: `~/.copilot/mcp-config.json` or a project's `.mcp.json` (shared with
//! Claude Code), `mcpServers.NAME {type: "http", url, headers}` (no `tools` member: all tools,
//! and Claude Code refuses Copilot's `tools` list in the shared file); `${VAR}` in project
//! files.

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

/// GitHub Copilot CLI.
pub struct CopilotCli;

const NAME: &str = "GitHub Copilot CLI";

impl FileClient for CopilotCli {
    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "copilot".into(),
            name: NAME.into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::CimdOrDcr,
            scopes: vec![Scope::User, Scope::Project],
            token_storage: "in mcp-config.json, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["copilot"], &[env.home.join(".copilot")])
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        scoped_path(
            NAME,
            target,
            env.home.join(".copilot").join("mcp-config.json"),
            // The project file it shares with Claude Code (it reads `.github/mcp.json` only
            // when there is no `.mcp.json`); the entry has the same shape for both.
            Some(".mcp.json"),
        )
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let base = json!({ "type": "http", "url": request.mcp_url.as_str() });
        let value = http_entry(
            request,
            NAME,
            base,
            Some(|variable| format!("${{{variable}}}")),
        )?;
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
                "Copilot CLI signs in with its Client ID Metadata Document when Directus offers CIMD, else with DCR: it opens the browser at the first use of `{}`.",
                request.target.name
            ));
        }
        notes.extend(shared_token_notes(request, NAME));
        notes
    }

    fn own_check(&self, env: &ClientEnvironment, target: &Target) -> Option<OwnCheck> {
        // `mcp get` names the URL and whether a header is set (masked); it does not connect.
        let mut check = list_check(env, target, "copilot", &["mcp", "get", &target.name])?;
        check.lines = |printed, _| {
            printed
                .lines()
                .map(str::trim)
                .filter(|line| {
                    ["URL:", "Authorization:", "Status:", "Tools:"]
                        .iter()
                        .any(|label| line.starts_with(label))
                })
                .map(str::to_owned)
                .collect()
        };
        Some(check)
    }

    fn cimd_client_id(&self) -> Option<&'static str> {
        Some("https://github.com/copilot/cli/client-metadata.json")
    }
}
