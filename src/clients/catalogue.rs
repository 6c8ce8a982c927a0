//! The catalogue: one module per AI client, each a [`ClientConnector`] that knows where the
//! client keeps its settings and what its entry looks like, and nothing else. Planning,
//! applying, status and checks are the machinery around it (`clients::plan`, `apply`,
//! `status`, `check`).
//!
//! Adding a client: one file here — most are a
//! [`HttpEntryClient`](super::http_entry::HttpEntryClient), the facts of a settings file
//! with one HTTP entry; others a [`FileClient`](super::file_client::FileClient), a
//! [`ManualClient`](super::manual::ManualClient) for steps in the client's own window, or a
//! [`ClientConnector`] of their own — its `mod` line, and one line in [`connectors`].

pub mod auggie;
pub mod chatgpt;
pub mod cherry_studio;
pub mod claude_ai;
pub mod claude_code;
pub mod claude_desktop;
pub mod cline;
pub mod codex;
pub mod continue_dev;
pub mod copilot_cli;
pub mod crush;
pub mod cursor;
pub mod factory_droid;
pub mod facts;
pub mod gemini;
pub mod goose;
pub mod jetbrains_ai;
pub mod junie;
pub mod kilo;
pub mod kiro;
pub mod lm_studio;
pub mod opencode;
pub mod qwen;
pub mod raycast;
pub mod trae;
pub mod visual_studio;
pub mod vscode;
pub mod vscode_profiles;
pub mod warp;
pub mod windsurf;
pub mod zed;

use super::connector::ClientConnector;
use super::file_client::FileConnector;
use super::manual::ManualConnector;

/// A client narrowed to some of its profiles (`vscode@Work`, `vscodium@Work,Play`), for
/// clients that have profiles.
pub(super) fn narrowed(base: &str, profiles: Vec<String>) -> Option<Box<dyn ClientConnector>> {
    let variant = vscode::VARIANTS
        .into_iter()
        .find(|variant| variant.id == base)?;
    Some(Box::new(FileConnector(vscode::VsCode {
        variant,
        profiles,
    })))
}

/// Every client, in the order the wizard shows them.
pub(super) fn connectors() -> Vec<Box<dyn ClientConnector>> {
    vec![
        Box::new(claude_desktop::ClaudeDesktop),
        Box::new(claude_code::ClaudeCode),
        Box::new(FileConnector(cursor::Cursor)),
        Box::new(FileConnector(vscode::VsCode::every_profile(
            &vscode::VSCODE,
        ))),
        Box::new(FileConnector(vscode::VsCode::every_profile(
            &vscode::VSCODE_INSIDERS,
        ))),
        Box::new(FileConnector(vscode::VsCode::every_profile(
            &vscode::VSCODIUM,
        ))),
        Box::new(ManualConnector(raycast::Raycast)),
        Box::new(ManualConnector(chatgpt::ChatGpt)),
        Box::new(ManualConnector(claude_ai::ClaudeAi)),
        Box::new(FileConnector(windsurf::WINDSURF)),
        Box::new(FileConnector(windsurf::WINDSURF_NEXT)),
        Box::new(FileConnector(zed::Zed)),
        Box::new(FileConnector(codex::Codex)),
        Box::new(FileConnector(gemini::Gemini)),
        Box::new(FileConnector(copilot_cli::COPILOT_CLI)),
        Box::new(FileConnector(opencode::OPENCODE)),
        Box::new(FileConnector(cline::CLINE)),
        Box::new(FileConnector(qwen::QWEN_CODE)),
        Box::new(FileConnector(kilo::KILO)),
        Box::new(FileConnector(auggie::AUGGIE)),
        Box::new(FileConnector(continue_dev::Continue)),
        Box::new(FileConnector(goose::Goose)),
        Box::new(FileConnector(factory_droid::FACTORY_DROID)),
        Box::new(FileConnector(kiro::KIRO)),
        Box::new(FileConnector(crush::CRUSH)),
        Box::new(FileConnector(junie::JUNIE)),
        Box::new(ManualConnector(jetbrains_ai::JetBrainsAi)),
        Box::new(FileConnector(warp::WARP)),
        Box::new(FileConnector(lm_studio::LM_STUDIO)),
        Box::new(FileConnector(trae::TRAE)),
        Box::new(FileConnector(visual_studio::VISUAL_STUDIO)),
        Box::new(ManualConnector(cherry_studio::CherryStudio)),
    ]
}
