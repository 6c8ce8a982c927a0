//! Augment's Auggie CLI: `~/.augment/settings.json` or a project's `.augment/settings.json`,
//! `mcpServers.NAME {type: "http", url, headers}`.

use serde_json::json;

use crate::clients::check::list_check;
use crate::clients::connector::OAuthRegistration;
use crate::clients::http_entry::HttpEntryClient;

/// Augment (Auggie CLI).
pub(crate) const AUGGIE: HttpEntryClient = HttpEntryClient {
    id: "auggie",
    name: "Augment (Auggie CLI)",
    oauth: OAuthRegistration::Dcr,
    file_name: "settings.json",
    programs: &["auggie"],
    folder: |env| env.home.join(".augment"),
    user_file: |env| env.home.join(".augment").join("settings.json"),
    project_file: Some(".augment/settings.json"),
    root: "mcpServers",
    base: |request| json!({ "type": "http", "url": request.mcp_url.as_str() }),
    url_keys: &["url"],
    managed: &["type", "url", "headers"],
    env_reference: None,
    oauth_note: Some(
        "Auggie signs in with Dynamic Client Registration (keep DCR on in Directus): run `/mcp` inside auggie and authenticate `{name}`.",
    ),
    note: None,
    own_check: Some(|env, target| list_check(env, target, "auggie", &["mcp", "list"])),
    cimd: None,
};
