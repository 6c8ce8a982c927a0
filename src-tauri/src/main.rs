//! The desktop wizard: a thin layer of `#[tauri::command]`s over the core crate. No
//! business logic lives here; every command forwards to `directus_mcp_setup`.
//!
//! - [`commands`]: the commands, one file per screen, and their one list
//!   (`commands/list.rs`);
//! - [`state`]: what the app keeps between commands;
//! - [`start`]: the plugins, the window and the handler;
//! - `clipboard`, `links`, `programs`: what the app does for the page from Rust (copy a
//!   value, open a link, run a client's program), so the page needs no plugin permission;
//! - `opened_links`: the link the app was opened with, kept for the page.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod clipboard;
mod commands;
mod links;
#[cfg(target_os = "linux")]
mod main_thread;
mod opened_links;
mod programs;
mod start;
mod state;

fn main() {
    start::run();
}
