//! Cline (CLI and VS Code extension, one file since 2026):
//! `~/.cline/data/settings/cline_mcp_settings.json`, `mcpServers.NAME {type: "streamableHttp",
//! url, headers, disabled}` (without `type` Cline would use SSE).
//!
//! Its variables move the file as its SDK's `resolveMcpSettingsPath` does:
//! `$CLINE_MCP_SETTINGS_PATH`, else `$CLINE_DATA_DIR/settings/cline_mcp_settings.json`, else
//! `${CLINE_DIR:-~/.cline}/data/settings/cline_mcp_settings.json` (cline/cline
//! `sdk/packages/shared/src/storage/paths.ts` at 01ffc20f; checked 2026-12-02); see
//! `ClientEnvironment::cline_mcp_settings`.

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
    folder: |env| env.cline_dir.clone(),
    user_file: |env| env.cline_mcp_settings.clone(),
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

#[cfg(test)]
mod tests {
    use std::ffi::OsString;
    use std::path::PathBuf;

    use crate::clients::environment::{ClientEnvironment, Os};
    use crate::clients::registry::find;
    use crate::clients::request::{Scope, Target};

    #[test]
    fn cline_variables_move_its_settings_file_for_connect_and_status() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| OsString::from(value))
            }
        };
        let cline = find("cline").unwrap();
        let user = Target::new("directus", Scope::User, None).unwrap();
        let file = |env: &ClientEnvironment| cline.config_file(env, &user).unwrap();
        let default = ClientEnvironment::from_vars(Os::Linux, vars(&[("HOME", "/h")])).unwrap();
        assert_eq!(
            file(&default),
            PathBuf::from("/h/.cline/data/settings/cline_mcp_settings.json")
        );
        let dir =
            ClientEnvironment::from_vars(Os::Linux, vars(&[("HOME", "/h"), ("CLINE_DIR", "/c")]))
                .unwrap();
        assert_eq!(
            file(&dir),
            PathBuf::from("/c/data/settings/cline_mcp_settings.json")
        );
        let path = ClientEnvironment::from_vars(
            Os::Linux,
            vars(&[
                ("HOME", "/h"),
                ("CLINE_DIR", "/c"),
                ("CLINE_MCP_SETTINGS_PATH", "/s/mcp.json"),
            ]),
        )
        .unwrap();
        assert_eq!(file(&path), PathBuf::from("/s/mcp.json"));
    }
}
