//! `tool-mode`: which of Directus' tool modes each chosen client gets (read from its entry
//! on this computer), proven by a real MCP handshake in that mode with the MCP token kept
//! in the OS keyring, naming the tools Directus lists.

use super::{Check, Topic, Verdict};
use crate::clients::{self, ClientConnector, ClientStatus};
use crate::directus::Session;
use crate::directus::tool_mode::ToolMode;
use crate::secret_store::{SecretKind, SecretStore};

/// One `tool-mode` check per mode the chosen clients' entries named `entry_name` use (none
/// when no chosen client has such an entry for this Directus in the user's settings).
pub(super) async fn checks(
    session: &Session,
    chosen: &[&'static dyn ClientConnector],
    entry_name: &str,
) -> Vec<Check> {
    let server = session.client().server().clone();
    let Ok(env) = clients::ClientEnvironment::from_process() else {
        return Vec::new();
    };
    let Ok(target) = clients::Target::new(entry_name, clients::Scope::User, None) else {
        return Vec::new();
    };
    let store = SecretStore::new();
    let (server_for_keyring, store_for_keyring) = (server.clone(), store.clone());
    // The keyring and the clients' files block: off the async workers.
    let chosen_ids: Vec<String> = chosen.iter().map(|client| client.id().to_owned()).collect();
    let Ok((by_mode, token)) = tokio::task::spawn_blocking(move || {
        let expected = clients::Expected::kept(&server_for_keyring, &store_for_keyring);
        let mut by_mode: Vec<(ToolMode, Vec<(String, String)>)> = Vec::new();
        for id in &chosen_ids {
            let Ok(client) = clients::find(id) else {
                continue;
            };
            if let Ok(ClientStatus::Connected { tool_mode, .. }) =
                client.status(&env, &target, &expected)
            {
                match by_mode.iter_mut().find(|(mode, _)| *mode == tool_mode) {
                    Some((_, found)) => found.push((id.clone(), client.name().to_owned())),
                    None => by_mode.push((tool_mode, vec![(id.clone(), client.name().to_owned())])),
                }
            }
        }
        let token = store_for_keyring
            .load(&server_for_keyring, &SecretKind::McpToken)
            .ok()
            .flatten();
        (by_mode, token)
    })
    .await
    else {
        return Vec::new();
    };
    let mut checks = Vec::new();
    for (mode, found) in by_mode {
        let url = mode.apply(&server.mcp_endpoint());
        let (ids, names): (Vec<String>, Vec<String>) = found.into_iter().unzip();
        let who = names.join(", ");
        let gets = if names.len() == 1 { "gets" } else { "get" };
        let (verdict, detail, fix) = match &token {
            None => (
                Verdict::Ok,
                format!(
                    "{who} {gets} {} ({url}); no MCP token is kept here to list the tools",
                    mode.describe()
                ),
                None,
            ),
            Some(token) => {
                match crate::mcp::probe::probe_at(
                    session.client(),
                    url.as_str(),
                    Some(token),
                    Some(false),
                )
                .await
                {
                    Ok(report) => (
                        Verdict::Ok,
                        format!(
                            "{who} {gets} {} ({url}): the MCP handshake in this mode lists {} tools: {}",
                            mode.describe(),
                            report.tools.len(),
                            report.tool_names().join(", ")
                        ),
                        None,
                    ),
                    Err(error) => (
                        Verdict::Problem,
                        format!(
                            "{who} {gets} {} ({url}), but the MCP handshake in this mode failed: {error}",
                            mode.describe()
                        ),
                        Some(
                            "see the mcp-endpoint check; `directus-mcp-setup verify --tool-mode "
                                .to_owned()
                                + mode.as_str()
                                + "` shows the same handshake",
                        ),
                    ),
                }
            }
        };
        checks.push(Check {
            topic: Topic::ToolMode,
            verdict,
            detail,
            fix,
            clients: ids,
        });
    }
    checks
}
