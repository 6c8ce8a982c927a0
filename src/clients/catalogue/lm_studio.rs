//! LM Studio (0.3.17 and later): `~/.lmstudio/mcp.json`, `mcpServers.NAME {url, headers}`.

use serde_json::json;

use crate::clients::connector::OAuthRegistration;
use crate::clients::http_entry::HttpEntryClient;

/// LM Studio.
pub(crate) const LM_STUDIO: HttpEntryClient = HttpEntryClient {
    id: "lmstudio",
    name: "LM Studio",
    oauth: OAuthRegistration::Unsupported,
    file_name: "mcp.json",
    programs: &["lms"],
    folder: |env| env.home.join(".lmstudio"),
    user_file: |env| env.home.join(".lmstudio").join("mcp.json"),
    project_file: None,
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
