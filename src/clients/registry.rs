//! Every client the product connects, in the order the wizard shows them.

use std::sync::LazyLock;

use super::chatgpt::ChatGpt;
use super::claude_ai::ClaudeAi;
use super::claude_code::ClaudeCode;
use super::claude_desktop::ClaudeDesktop;
use super::codex::Codex;
use super::connector::{ClientConnector, OAuthRegistration};
use super::cursor::Cursor;
use super::error::ClientError;
use super::file_client::FileConnector;
use super::gemini::Gemini;
use super::manual::ManualConnector;
use super::raycast::Raycast;
use super::vscode::VsCode;
use super::windsurf::Windsurf;
use super::zed::Zed;
use crate::directus::oauth::Registrations;

static CLIENTS: LazyLock<Vec<Box<dyn ClientConnector>>> = LazyLock::new(|| {
    vec![
        Box::new(ClaudeDesktop),
        Box::new(ClaudeCode),
        Box::new(FileConnector(Cursor)),
        Box::new(FileConnector(VsCode)),
        Box::new(ManualConnector(Raycast)),
        Box::new(ManualConnector(ChatGpt)),
        Box::new(ManualConnector(ClaudeAi)),
        Box::new(FileConnector(Windsurf)),
        Box::new(FileConnector(Zed)),
        Box::new(FileConnector(Codex)),
        Box::new(FileConnector(Gemini)),
    ]
});

/// Every client.
pub fn all() -> &'static [Box<dyn ClientConnector>] {
    &CLIENTS
}

/// The client with this id (`claude-code`, `vscode`, …).
pub fn find(id: &str) -> Result<&'static dyn ClientConnector, ClientError> {
    all()
        .iter()
        .find(|client| client.info().id == id)
        .map(|client| client.as_ref())
        .ok_or_else(|| ClientError::UnknownClient {
            given: id.to_owned(),
            known: ids().join(", "),
        })
}

/// The ids of every client.
pub fn ids() -> Vec<String> {
    all().iter().map(|client| client.info().id).collect()
}

/// The registration methods the clients `ids` need to sign in with OAuth, with the reason
/// for each, plus those asked for directly.
pub fn registrations(ids: &[String], dcr: bool, cimd: bool) -> Result<Registrations, ClientError> {
    let mut needed = Registrations {
        dcr,
        cimd,
        reasons: Vec::new(),
    };
    if dcr {
        needed
            .reasons
            .push("--dcr: Dynamic Client Registration asked for".into());
    }
    if cimd {
        needed
            .reasons
            .push("--cimd: Client ID Metadata Documents asked for".into());
    }
    for id in ids {
        let info = find(id.trim())?.info();
        let reason = match info.oauth {
            OAuthRegistration::Cimd => {
                needed.cimd = true;
                "registers only with Client ID Metadata Documents (no DCR fallback): CIMD"
            }
            OAuthRegistration::Dcr => {
                needed.dcr = true;
                "registers with Dynamic Client Registration: DCR"
            }
            OAuthRegistration::CimdOrDcr => {
                needed.cimd = true;
                "prefers Client ID Metadata Documents and falls back to DCR: CIMD"
            }
            OAuthRegistration::Unsupported => {
                "does not sign in with OAuth: connect it with a token"
            }
        };
        needed.reasons.push(format!("{} {reason}", info.name));
    }
    Ok(needed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_follow_what_each_client_supports() {
        let needed = registrations(&["vscode".into()], false, false).unwrap();
        assert!(needed.cimd && !needed.dcr);
        let needed = registrations(&["cursor".into(), "claude-ai".into()], false, false).unwrap();
        assert!(needed.cimd && needed.dcr);
        assert_eq!(needed.reasons.len(), 2);
        let needed = registrations(&[], true, false).unwrap();
        assert!(needed.dcr && !needed.cimd);
        assert!(registrations(&["notepad".into()], false, false).is_err());
    }

    #[test]
    fn ids_are_unique_and_findable() {
        let ids = ids();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len());
        assert_eq!(ids.len(), 11);
        for id in &ids {
            assert_eq!(&find(id).unwrap().info().id, id);
        }
        let error = find("notepad").err().unwrap().to_string();
        assert!(error.contains("claude-code"), "{error}");
    }
}
