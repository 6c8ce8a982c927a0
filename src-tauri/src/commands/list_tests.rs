//! The one list of app commands against everything made from it that is kept in files: the
//! page's command type, the page's calls, the window's capability and its permission set.

use std::path::{Path, PathBuf};

use super::list::COMMANDS;

/// Where the page's command type lives, relative to the workspace root.
const COMMANDS_TS: &str = "ui/src/commands.ts";

fn workspace_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .join(path)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The full contents of `ui/src/commands.ts`.
fn commands_ts() -> String {
    let names: String = COMMANDS
        .iter()
        .map(|name| format!("\n  | \"{name}\""))
        .collect();
    format!(
        "// Generated from src-tauri/src/commands/list.rs by the app's tests. Do not edit by hand:\n\
         // UPDATE_BINDINGS=1 cargo test -p directus-mcp-setup-app the_page_knows\n\n\
         /** The name of one of the app's own commands: the only names `ui/src/api.ts` calls. */\n\
         export type AppCommand ={names};\n"
    )
}

#[test]
fn the_page_knows_exactly_the_app_commands() {
    let path = workspace_file(COMMANDS_TS);
    let expected = commands_ts();
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    if actual == expected {
        return;
    }
    // `UPDATE_BINDINGS=1` exactly rewrites the file (any other value compares), and the
    // run still fails: a variable left set can never turn this check into a rewrite.
    if std::env::var("UPDATE_BINDINGS").as_deref() == Ok("1") {
        std::fs::write(&path, &expected).expect("write ui/src/commands.ts");
        panic!("{COMMANDS_TS} rewritten: review it and run again without UPDATE_BINDINGS");
    }
    panic!(
        "{COMMANDS_TS} is out of date: run `UPDATE_BINDINGS=1 cargo test -p directus-mcp-setup-app the_page_knows`"
    );
}

#[test]
fn the_page_calls_every_app_command_through_the_typed_call() {
    let api = read(&workspace_file("ui/src/api.ts"));
    // One `invoke`, inside `call`, whose command is an `AppCommand`: no name is typed unchecked.
    assert_eq!(
        api.matches("invoke<").count(),
        1,
        "ui/src/api.ts calls `invoke` outside `call`"
    );
    assert!(
        api.contains("function call<T>(command: AppCommand"),
        "ui/src/api.ts has no `call` taking an `AppCommand`"
    );
    let uncalled: Vec<&str> = COMMANDS
        .iter()
        .copied()
        .filter(|name| !api.contains(&format!("(\"{name}\"")))
        .collect();
    assert!(
        uncalled.is_empty(),
        "commands the page has no call for in ui/src/api.ts: {uncalled:?}"
    );
}

#[test]
fn the_window_may_call_the_app_commands_and_nothing_else() {
    let capability: serde_json::Value = serde_json::from_str(&read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities/main.json"),
    ))
    .expect("capabilities/main.json is JSON");
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    assert_eq!(
        capability["permissions"],
        serde_json::json!(["app-commands"]),
        "the window gets the app's own commands only (no plugin permission)"
    );
    // The set build.rs made from the list: exactly `allow-<command>` for each command.
    let set = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("permissions/app-commands.toml"));
    let granted: Vec<&str> = set
        .lines()
        .filter_map(|line| line.trim().strip_prefix("\"allow-"))
        .map(|rest| rest.trim_end_matches("\","))
        .collect();
    let expected: Vec<String> = COMMANDS.iter().map(|name| name.replace('_', "-")).collect();
    assert_eq!(granted, expected, "permissions/app-commands.toml");
    assert!(set.contains("identifier = \"app-commands\""), "{set}");
}
