//! Qwen Code: `~/.qwen/settings.json` or a project's `.qwen/settings.json`,
//! `mcpServers.NAME {httpUrl, headers}` (`url` alone would mean SSE); `${VAR}` in project files.

use serde_json::json;

use crate::clients::check::list_check;
use crate::clients::connector::OAuthRegistration;
use crate::clients::http_entry::HttpEntryClient;

/// Qwen Code.
pub(crate) const QWEN_CODE: HttpEntryClient = HttpEntryClient {
    id: "qwen",
    name: "Qwen Code",
    oauth: OAuthRegistration::Dcr,
    file_name: "settings.json",
    programs: &["qwen"],
    folder: |env| env.home.join(".qwen"),
    user_file: |env| env.home.join(".qwen").join("settings.json"),
    project_file: Some(".qwen/settings.json"),
    root: "mcpServers",
    base: |request| json!({ "httpUrl": request.mcp_url.as_str() }),
    url_keys: &["httpUrl", "url"],
    managed: &["httpUrl", "url", "type", "headers"],
    env_reference: Some(|variable| format!("${{{variable}}}")),
    oauth_note: Some(
        "Qwen Code signs in with Dynamic Client Registration (keep DCR on in Directus): run `/mcp auth {name}` inside Qwen Code once.",
    ),
    note: None,
    own_check: Some(|env, target| list_check(env, target, "qwen", &["mcp", "list"])),
    cimd: None,
};
