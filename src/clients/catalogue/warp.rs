//! Warp: `~/.warp/.mcp.json` or a project's `.warp/.mcp.json`, `mcpServers.NAME {url, headers}`.

use serde_json::json;

use crate::clients::connector::OAuthRegistration;
use crate::clients::http_entry::HttpEntryClient;

/// Warp.
pub(crate) const WARP: HttpEntryClient = HttpEntryClient {
    id: "warp",
    name: "Warp",
    oauth: OAuthRegistration::Dcr,
    file_name: ".mcp.json",
    programs: &["warp", "warp-terminal"],
    folder: |env| env.home.join(".warp"),
    user_file: |env| env.home.join(".warp").join(".mcp.json"),
    project_file: Some(".warp/.mcp.json"),
    root: "mcpServers",
    base: |request| json!({ "url": request.mcp_url.as_str() }),
    url_keys: &["url"],
    managed: &["url", "headers"],
    env_reference: None,
    oauth_note: Some(
        "Warp signs in through the browser when `{name}` first starts; start it from Warp's MCP servers page.",
    ),
    note: None,
    own_check: None,
    cimd: None,
};
