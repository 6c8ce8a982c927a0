//! Factory Droid: `~/.factory/mcp.json` or a project's `.factory/mcp.json`,
//! `mcpServers.NAME {type: "http", url, headers, disabled}`; `${VAR}` in project files.

use serde_json::json;

use crate::clients::check::list_check;
use crate::clients::connector::OAuthRegistration;
use crate::clients::http_entry::HttpEntryClient;

/// Factory Droid.
pub(crate) const FACTORY_DROID: HttpEntryClient = HttpEntryClient {
    id: "droid",
    name: "Factory Droid",
    oauth: OAuthRegistration::CimdOrDcr,
    file_name: "mcp.json",
    programs: &["droid"],
    folder: |env| env.home.join(".factory"),
    user_file: |env| env.home.join(".factory").join("mcp.json"),
    project_file: Some(".factory/mcp.json"),
    root: "mcpServers",
    base: |request| json!({ "type": "http", "url": request.mcp_url.as_str(), "disabled": false }),
    url_keys: &["url"],
    managed: &["type", "url", "disabled", "headers", "oauth"],
    env_reference: Some(|variable| format!("${{{variable}}}")),
    oauth_note: Some(
        "Droid signs in with its Client ID Metadata Document when Directus offers CIMD, else with DCR: run `/mcp` inside droid and authenticate `{name}`.",
    ),
    note: None,
    own_check: Some(|env, target| list_check(env, target, "droid", &["mcp", "list"])),
    cimd: Some("https://api.factory.ai/mcp/oauth-client"),
};
