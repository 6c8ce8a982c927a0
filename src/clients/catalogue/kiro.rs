//! Kiro (IDE and `kiro-cli`): `~/.kiro/settings/mcp.json` or a project's
//! `.kiro/settings/mcp.json`, `mcpServers.NAME {url, headers, disabled}`; `${VAR}` in project files.

use serde_json::json;

use crate::clients::connector::OAuthRegistration;
use crate::clients::http_entry::HttpEntryClient;

/// Kiro.
pub(crate) const KIRO: HttpEntryClient = HttpEntryClient {
    id: "kiro",
    name: "Kiro",
    oauth: OAuthRegistration::Dcr,
    file_name: "mcp.json",
    programs: &["kiro", "kiro-cli"],
    folder: |env| env.home.join(".kiro"),
    user_file: |env| env.home.join(".kiro").join("settings").join("mcp.json"),
    project_file: Some(".kiro/settings/mcp.json"),
    root: "mcpServers",
    base: |request| json!({ "url": request.mcp_url.as_str(), "disabled": false }),
    url_keys: &["url"],
    managed: &["url", "disabled", "headers"],
    env_reference: Some(|variable| format!("${{{variable}}}")),
    oauth_note: Some(
        "Kiro signs in through the browser when `{name}` first asks for authorization.",
    ),
    note: None,
    own_check: None,
    cimd: None,
};
