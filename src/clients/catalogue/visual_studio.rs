//! Visual Studio 2022 (17.14+) and 2026 on Windows: `%USERPROFILE%\.mcp.json`,
//! `servers.NAME {type: "http", url, headers}` (VS Code's dialect). In a solution it also
//! reads `.vscode/mcp.json`, which `connect vscode --scope project` writes; its own
//! solution file `.mcp.json` is the one Claude Code and Copilot CLI share, so it is left to
//! them.

use serde_json::json;
use std::path::PathBuf;

use crate::clients::connector::OAuthRegistration;
use crate::clients::environment::Os;
use crate::clients::http_entry::HttpEntryClient;

/// Visual Studio.
pub(crate) const VISUAL_STUDIO: HttpEntryClient = HttpEntryClient {
    id: "visual-studio",
    name: "Visual Studio",
    oauth: OAuthRegistration::Dcr,
    file_name: ".mcp.json",
    programs: &["devenv"],
    folder: |env| match env.os {
        // Windows only; its settings folder under the profile tells it is there.
        Os::Windows => env
            .home
            .join("AppData")
            .join("Local")
            .join("Microsoft")
            .join("VisualStudio"),
        _ => PathBuf::new(),
    },
    user_file: |env| env.home.join(".mcp.json"),
    project_file: None,
    root: "servers",
    base: |request| json!({ "type": "http", "url": request.mcp_url.as_str() }),
    url_keys: &["url"],
    managed: &["type", "url", "headers"],
    env_reference: None,
    oauth_note: Some(
        "Visual Studio signs in through the browser: choose \"Manage Authentication\" above `{name}` in .mcp.json (CodeLens) on first use.",
    ),
    note: None,
    own_check: None,
    cimd: None,
};
