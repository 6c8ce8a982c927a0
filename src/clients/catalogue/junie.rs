//! JetBrains Junie: `~/.junie/mcp/mcp.json` or a project's `.junie/mcp/mcp.json`,
//! `mcpServers.NAME {url, headers}`.

use serde_json::json;

use crate::clients::connector::OAuthRegistration;
use crate::clients::http_entry::HttpEntryClient;

/// JetBrains Junie.
pub(crate) const JUNIE: HttpEntryClient = HttpEntryClient {
    id: "junie",
    name: "JetBrains Junie",
    oauth: OAuthRegistration::Unsupported,
    file_name: "mcp.json",
    programs: &["junie"],
    folder: |env| env.home.join(".junie"),
    user_file: |env| env.home.join(".junie").join("mcp").join("mcp.json"),
    project_file: Some(".junie/mcp/mcp.json"),
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
