//! Crush (Charm): `$XDG_CONFIG_HOME/crush/crush.json` or a project's `.crush.json`,
//! `mcp.NAME {type: "http", url, headers}`; OAuth is opt-in there (`"oauth": true`). Crush
//! also reads its newer `crushrc`; the JSON file is the one that can be edited entry by entry.

use serde_json::json;

use crate::clients::connector::OAuthRegistration;
use crate::clients::http_entry::HttpEntryClient;
use crate::clients::request::AuthMode;

/// Crush.
pub(crate) const CRUSH: HttpEntryClient = HttpEntryClient {
    id: "crush",
    name: "Crush",
    oauth: OAuthRegistration::Dcr,
    file_name: "crush.json",
    programs: &["crush"],
    folder: |env| env.xdg_config_dir.join("crush"),
    user_file: |env| env.xdg_config_dir.join("crush").join("crush.json"),
    project_file: Some(".crush.json"),
    root: "mcp",
    base: |request| {
        let mut base = json!({ "type": "http", "url": request.mcp_url.as_str() });
        if request.auth == AuthMode::Oauth {
            // Crush signs in with OAuth only when asked to.
            base["oauth"] = json!(true);
        }
        base
    },
    url_keys: &["url"],
    managed: &["type", "url", "headers", "oauth"],
    env_reference: None,
    oauth_note: Some(
        "Crush signs in with Dynamic Client Registration (keep DCR on in Directus); the browser opens at its first use.",
    ),
    note: None,
    own_check: None,
    cimd: None,
};
