//! Kilo Code (its CLI `kilo`, opencode's sibling): `$XDG_CONFIG_HOME/kilo/kilo.json` (or `.jsonc`) or a project's
//! `kilo.json`, `mcp.NAME {type: "remote", url, headers}`; `{env:VAR}` in project files.

use serde_json::json;

use crate::clients::check::list_check;
use crate::clients::connector::OAuthRegistration;
use crate::clients::file_client::existing_or_first;
use crate::clients::http_entry::HttpEntryClient;

/// Kilo Code.
pub(crate) const KILO: HttpEntryClient = HttpEntryClient {
    id: "kilo",
    name: "Kilo Code",
    oauth: OAuthRegistration::Dcr,
    file_name: "kilo.json",
    programs: &["kilo"],
    folder: |env| env.xdg_config_dir.join("kilo"),
    user_file: |env| {
        let folder = env.xdg_config_dir.join("kilo");
        existing_or_first(&[folder.join("kilo.json"), folder.join("kilo.jsonc")])
    },
    project_file: Some("kilo.json"),
    root: "mcp",
    base: |request| json!({ "type": "remote", "url": request.mcp_url.as_str(), "enabled": true }),
    url_keys: &["url"],
    managed: &["type", "url", "enabled", "headers", "oauth"],
    env_reference: Some(|variable| format!("{{env:{variable}}}")),
    oauth_note: Some(
        "Kilo Code signs in with Dynamic Client Registration (keep DCR on in Directus): run `kilo mcp auth {name}` once.",
    ),
    note: None,
    own_check: Some(|env, target| list_check(env, target, "kilo", &["mcp", "list"])),
    cimd: None,
};
