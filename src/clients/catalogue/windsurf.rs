//! Windsurf: `~/.codeium/windsurf/mcp_config.json`, `mcpServers.NAME {serverUrl, headers}`.
//! Windsurf Next (the pre-release build, installed beside it) reads
//! `~/.codeium/windsurf-next/mcp_config.json` (tmonk/stata-workbench PR #22, 2025-12-22;
//! arcadeai-labs/smithery-cli PRs #13–#17, 2025-02; checked 2026-12-02).

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::file_client::{
    FileClient, one_entry, program_or_folder, scoped_path, url_and_headers, with_authorization,
};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::status::FoundConnection;
use crate::config_edit::{Entry, EntryPath};

/// Windsurf, or its pre-release build.
pub struct Windsurf {
    id: &'static str,
    name: &'static str,
    /// Its folder in `~/.codeium` and its program.
    folder: &'static str,
}

/// Windsurf.
pub const WINDSURF: Windsurf = Windsurf {
    id: "windsurf",
    name: "Windsurf",
    folder: "windsurf",
};

/// Windsurf Next, the pre-release build with its own settings.
pub const WINDSURF_NEXT: Windsurf = Windsurf {
    id: "windsurf-next",
    name: "Windsurf Next",
    folder: "windsurf-next",
};

impl FileClient for Windsurf {
    fn id(&self) -> &'static str {
        self.id
    }

    fn name(&self) -> &'static str {
        self.name
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: self.id().into(),
            name: self.name().into(),
            setup: SetupKind::File,
            // Not documented; DCR is what clients without CIMD use.
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User],
            token_storage: "in mcp_config.json, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(
            env,
            &[self.folder],
            &[env.desktop_apps().home.join(".codeium").join(self.folder)],
        )
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        // Inside WSL, Windsurf is the Windows app and reads the Windows user's file.
        let user = env
            .desktop_apps()
            .home
            .join(".codeium")
            .join(self.folder)
            .join("mcp_config.json");
        scoped_path(self.name, target, user, None)
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let value = with_authorization(
            json!({ "serverUrl": request.mcp_url.as_str() }),
            request.authorization(self.name)?,
        );
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            &["serverUrl", "url", "headers"],
        ))
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![EntryPath::key(&["mcpServers", name])]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.auth == AuthMode::Token
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        url_and_headers(values, &["serverUrl", "url"])
    }

    fn notes(&self, _request: &ConnectRequest) -> Vec<String> {
        vec![format!(
            "In {}, open Cascade → MCP servers and press Refresh to load the server.",
            self.name
        )]
    }
}
