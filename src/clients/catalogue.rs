//! The catalogue: one module per AI client, each a [`ClientConnector`] that knows where the
//! client keeps its settings and what its entry looks like, and nothing else. Planning,
//! applying, status and checks are the machinery around it (`clients::plan`, `apply`,
//! `status`, `check`).
//!
//! Adding a client: one file here (a [`FileClient`](super::file_client::FileClient) for a
//! settings file, a [`ManualClient`](super::manual::ManualClient) for steps in the client's
//! own window, or a [`ClientConnector`] of its own), its `mod` line, and one line in
//! [`connectors`].

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
pub mod warp;
pub mod windsurf;
pub mod zed;

use super::connector::ClientConnector;
use super::file_client::FileConnector;
use super::manual::ManualConnector;

/// Every client, in the order the wizard shows them.
pub(super) fn connectors() -> Vec<Box<dyn ClientConnector>> {
    vec![
        Box::new(claude_desktop::ClaudeDesktop),
        Box::new(claude_code::ClaudeCode),
        Box::new(FileConnector(cursor::Cursor)),
        Box::new(FileConnector(vscode::VsCode)),
        Box::new(ManualConnector(raycast::Raycast)),
        Box::new(ManualConnector(chatgpt::ChatGpt)),
        Box::new(ManualConnector(claude_ai::ClaudeAi)),
        Box::new(FileConnector(windsurf::Windsurf)),
        Box::new(FileConnector(zed::Zed)),
        Box::new(FileConnector(codex::Codex)),
        Box::new(FileConnector(gemini::Gemini)),
        Box::new(FileConnector(copilot_cli::CopilotCli)),
        Box::new(FileConnector(opencode::OpenCode)),
        Box::new(FileConnector(cline::Cline)),
        Box::new(FileConnector(qwen::QwenCode)),
        Box::new(FileConnector(kilo::Kilo)),
        Box::new(FileConnector(auggie::Auggie)),
        Box::new(FileConnector(continue_dev::Continue)),
        Box::new(FileConnector(goose::Goose)),
        Box::new(FileConnector(factory_droid::FactoryDroid)),
        Box::new(FileConnector(kiro::Kiro)),
        Box::new(FileConnector(crush::Crush)),
        Box::new(FileConnector(junie::Junie)),
        Box::new(ManualConnector(jetbrains_ai::JetBrainsAi)),
        Box::new(FileConnector(warp::Warp)),
        Box::new(FileConnector(lm_studio::LmStudio)),
        Box::new(FileConnector(trae::Trae)),
        Box::new(FileConnector(visual_studio::VisualStudio)),
        Box::new(ManualConnector(cherry_studio::CherryStudio)),
    ]
}
