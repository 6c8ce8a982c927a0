//! Trae: `Trae/User/mcp.json` in the settings folder (`~/.config` on Linux, Application
//! Support on macOS, `%APPDATA%` on Windows) or a project's `.trae/mcp.json`,
//! `mcpServers.NAME {url, headers}`.

use serde_json::json;

use crate::clients::connector::OAuthRegistration;
use crate::clients::http_entry::HttpEntryClient;

/// Trae.
pub(crate) const TRAE: HttpEntryClient = HttpEntryClient {
    id: "trae",
    name: "Trae",
    oauth: OAuthRegistration::Unsupported,
    file_name: "mcp.json",
    programs: &["trae"],
    folder: |env| env.app_config_dir.join("Trae"),
    user_file: |env| {
        env.app_config_dir
            .join("Trae")
            .join("User")
            .join("mcp.json")
    },
    project_file: Some(".trae/mcp.json"),
    root: "mcpServers",
    base: |request| json!({ "url": request.mcp_url.as_str() }),
    url_keys: &["url"],
    managed: &["url", "headers"],
    env_reference: None,
    oauth_note: None,
    note: None,
    own_check: None,
    cimd: None,
};
