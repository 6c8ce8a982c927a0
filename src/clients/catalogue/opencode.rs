//! opencode: `$XDG_CONFIG_HOME/opencode/opencode.json` (or `.jsonc`) or a project's
//! `opencode.json`, `mcp.NAME {type: "remote", url, headers}`; `{env:VAR}` in project files.

use serde_json::json;

use crate::clients::check::list_check;
use crate::clients::connector::OAuthRegistration;
use crate::clients::file_client::existing_or_first;
use crate::clients::http_entry::HttpEntryClient;

/// opencode.
pub(crate) const OPENCODE: HttpEntryClient = HttpEntryClient {
    id: "opencode",
    name: "opencode",
    oauth: OAuthRegistration::Dcr,
    file_name: "opencode.json",
    programs: &["opencode"],
    folder: |env| env.xdg_config_dir.join("opencode"),
    user_file: |env| {
        let folder = env.xdg_config_dir.join("opencode");
        existing_or_first(&[folder.join("opencode.json"), folder.join("opencode.jsonc")])
    },
    project_file: Some("opencode.json"),
    root: "mcp",
    base: |request| json!({ "type": "remote", "url": request.mcp_url.as_str(), "enabled": true }),
    url_keys: &["url"],
    managed: &["type", "url", "enabled", "headers", "oauth"],
    env_reference: Some(|variable| format!("{{env:{variable}}}")),
    oauth_note: Some(
        "opencode signs in with Dynamic Client Registration (keep DCR on in Directus): run `opencode mcp auth {name}` once.",
    ),
    note: None,
    own_check: Some(|env, target| list_check(env, target, "opencode", &["mcp", "list"])),
    cimd: None,
};
