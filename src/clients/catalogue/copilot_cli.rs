//! GitHub Copilot CLI: `~/.copilot/mcp-config.json` or a project's `.mcp.json` (shared with
//! Claude Code), `mcpServers.NAME {type: "http", url, headers}` (no `tools` member: all tools,
//! and Claude Code refuses Copilot's `tools` list in the shared file); `${VAR}` in project
//! files.
//!
//! `$COPILOT_HOME` moves the whole folder, `mcp-config.json` included (GitHub Docs, Copilot CLI
//! plugin reference: `--config-dir` deprecated in favour of `COPILOT_HOME`; github/copilot-cli
//! #3000; checked 2026-12-02).

use serde_json::json;

use crate::clients::check::list_check;
use crate::clients::connector::{OAuthRegistration, OwnCheck};
use crate::clients::environment::ClientEnvironment;
use crate::clients::http_entry::HttpEntryClient;
use crate::clients::request::Target;

/// GitHub Copilot CLI.
pub(crate) const COPILOT_CLI: HttpEntryClient = HttpEntryClient {
    id: "copilot",
    name: "GitHub Copilot CLI",
    oauth: OAuthRegistration::CimdOrDcr,
    file_name: "mcp-config.json",
    programs: &["copilot"],
    folder: |env| env.copilot_home.clone(),
    user_file: |env| env.copilot_home.join("mcp-config.json"),
    // The project file it shares with Claude Code (it reads `.github/mcp.json` only when
    // there is no `.mcp.json`); the entry has the same shape for both.
    project_file: Some(".mcp.json"),
    root: "mcpServers",
    base: |request| json!({ "type": "http", "url": request.mcp_url.as_str() }),
    url_keys: &["url"],
    managed: &["type", "url", "headers"],
    env_reference: Some(|variable| format!("${{{variable}}}")),
    oauth_note: Some(
        "Copilot CLI signs in with its Client ID Metadata Document when Directus offers CIMD, else with DCR: it opens the browser at the first use of `{name}`.",
    ),
    note: None,
    own_check: Some(own_check),
    cimd: Some("https://github.com/copilot/cli/client-metadata.json"),
};

/// `copilot mcp get NAME`: the URL and whether a header is set (masked); it does not connect.
fn own_check(env: &ClientEnvironment, target: &Target) -> Option<OwnCheck> {
    let mut check = list_check(env, target, "copilot", &["mcp", "get"])?;
    check.run.args.push(target.name.clone());
    check.lines = |printed, _| {
        printed
            .lines()
            .map(str::trim)
            .filter(|line| {
                ["URL:", "Authorization:", "Status:", "Tools:"]
                    .iter()
                    .any(|label| line.starts_with(label))
            })
            .map(str::to_owned)
            .collect()
    };
    Some(check)
}
