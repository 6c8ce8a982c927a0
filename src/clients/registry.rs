//! Every client the product connects, in the order the wizard shows them.

use std::sync::LazyLock;

use super::chatgpt::ChatGpt;
use super::claude_ai::ClaudeAi;
use super::claude_code::ClaudeCode;
use super::claude_desktop::ClaudeDesktop;
use super::codex::Codex;
use super::connector::ClientConnector;
use super::cursor::Cursor;
use super::error::ClientError;
use super::file_client::FileConnector;
use super::gemini::Gemini;
use super::manual::ManualConnector;
use super::raycast::Raycast;
use super::vscode::VsCode;
use super::windsurf::Windsurf;
use super::zed::Zed;

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

#[cfg(test)]
mod tests {
    use super::*;

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
