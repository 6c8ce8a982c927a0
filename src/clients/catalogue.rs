//! The catalogue: one module per AI client, each a [`ClientConnector`] that knows where the
//! client keeps its settings and what its entry looks like, and nothing else. Planning,
//! applying, status and checks are the machinery around it (`clients::plan`, `apply`,
//! `status`, `check`).
//!
//! Adding a client: one file here — most are a
//! [`HttpEntryClient`](super::http_entry::HttpEntryClient), the facts of a settings file
//! with one HTTP entry; others a [`FileClient`](super::file_client::FileClient), a
//! [`ManualClient`](super::manual::ManualClient) for steps in the client's own window, or a
//! [`ClientConnector`] of their own — its `mod` line, and one line in [`CONNECTORS`].

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
    Some(Box::new(FileConnector(vscode::VsCode::narrowed(
        variant, profiles,
    ))))
}

/// Every client, in the order the wizard shows them: a table built at compile time.
pub(super) static CONNECTORS: &[&dyn ClientConnector] = &[
    &claude_desktop::ClaudeDesktop,
    &claude_code::ClaudeCode,
    &FileConnector(cursor::Cursor),
    &FileConnector(vscode::VsCode::every_profile(&vscode::VSCODE)),
    &FileConnector(vscode::VsCode::every_profile(&vscode::VSCODE_INSIDERS)),
    &FileConnector(vscode::VsCode::every_profile(&vscode::VSCODIUM)),
    &ManualConnector(raycast::Raycast),
    &ManualConnector(chatgpt::ChatGpt),
    &ManualConnector(claude_ai::ClaudeAi),
    &FileConnector(windsurf::WINDSURF),
    &FileConnector(windsurf::WINDSURF_NEXT),
    &FileConnector(zed::Zed),
    &FileConnector(codex::Codex),
    &FileConnector(gemini::Gemini),
    &FileConnector(copilot_cli::COPILOT_CLI),
    &FileConnector(opencode::OPENCODE),
    &FileConnector(cline::CLINE),
    &FileConnector(qwen::QWEN_CODE),
    &FileConnector(kilo::KILO),
    &FileConnector(auggie::AUGGIE),
    &FileConnector(continue_dev::Continue),
    &FileConnector(goose::Goose),
    &FileConnector(factory_droid::FACTORY_DROID),
    &FileConnector(kiro::KIRO),
    &FileConnector(crush::CRUSH),
    &FileConnector(junie::JUNIE),
    &ManualConnector(jetbrains_ai::JetBrainsAi),
    &FileConnector(warp::WARP),
    &FileConnector(lm_studio::LM_STUDIO),
    &FileConnector(trae::TRAE),
    &FileConnector(visual_studio::VISUAL_STUDIO),
    &ManualConnector(cherry_studio::CherryStudio),
];
