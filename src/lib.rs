//! Directus MCP Setup: the core behind the desktop wizard and the command-line tool.
//!
//! It connects to a Directus 12 instance, turns on its built-in MCP server, creates a
//! least-privilege MCP user with a static token, and proves the result with a real MCP
//! handshake. Nothing here depends on Tauri: the app and the CLI call the same functions.

#[cfg(feature = "cli")]
pub mod cli;
pub mod clients;
pub mod config_edit;
pub mod directus;
pub mod doctor;
pub mod mcp;
pub mod platform;
pub mod projects;
pub mod secret;
pub mod secret_store;
pub mod setup;
pub mod transport;
#[cfg(feature = "cli")]
pub mod typescript;
pub mod wizard;
