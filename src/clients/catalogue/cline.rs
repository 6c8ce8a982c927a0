//! Cline (CLI and VS Code extension, one file since 2026):
//! `~/.cline/data/settings/cline_mcp_settings.json`, `mcpServers.NAME {type: "streamableHttp",
//! url, headers, disabled}` (without `type` Cline would use SSE).

use serde_json::json;

use crate::clients::connector::OAuthRegistration;
use crate::clients::http_entry::HttpEntryClient;

/// Cline.
pub(crate) const CLINE: HttpEntryClient = HttpEntryClient {
    id: "cline",
    name: "Cline",
    oauth: OAuthRegistration::Dcr,
    file_name: "cline_mcp_settings.json",
    programs: &["cline"],
    folder: |env| env.home.join(".cline"),
    user_file: |env| {
        env.home
            .join(".cline")
            .join("data")
            .join("settings")
            .join("cline_mcp_settings.json")
    },
    project_file: None,
    root: "mcpServers",
    base: |request| json!({ "type": "streamableHttp", "url": request.mcp_url.as_str(), "disabled": false }),
    url_keys: &["url"],
    managed: &["type", "transportType", "url", "disabled", "headers"],
    env_reference: None,
    oauth_note: Some(
        "Cline signs in with Dynamic Client Registration (keep DCR on in Directus): open Cline's MCP Servers view and authenticate `{name}`.",
    ),
    note: Some(
        "Cline reads this file since its 2026 releases (CLI 3.x, VS Code extension 4.x); an older extension keeps its servers in VS Code's globalStorage (saoudrizwan.claude-dev) and will not see this entry: update it.",
    ),
    own_check: None,
    cimd: None,
};
