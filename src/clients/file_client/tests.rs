use std::path::Path;

use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::{ClientEnvironment, Os, SystemRunner, apply, find, plan_connection};
use crate::config_edit::file;
use crate::secret::SecretString;

/// Cursor's file of a home where the project `directus-staging` is connected with its token.
const STAGING_ONLY: &str = r#"{
  "mcpServers": {
    "directus-staging": {
      "url": "https://staging.example.com/mcp",
      "headers": { "Authorization": "Bearer STAGING-TOKEN" }
    }
  }
}
"#;

fn connect_production(home: &Path, target: Target) {
    let env = ClientEnvironment::new(Os::Linux, home.to_owned(), None, None, None, None);
    let request = ConnectRequest {
        target,
        mcp_url: url::Url::parse("https://cms.example.com/mcp").unwrap(),
        auth: AuthMode::Token,
        token: Some(SecretString::new("PRODUCTION-TOKEN")),
        inline_token: false,
        token_env_var: None,
        token_access: Default::default(),
        stdio_bridge: Default::default(),
        oauth_via_bridge: false,
    };
    let plan = plan_connection(find("cursor").unwrap(), &env, &request).unwrap();
    apply(&plan, &SystemRunner).unwrap();
}

fn home_with_staging() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".cursor")).unwrap();
    std::fs::write(home.path().join(".cursor/mcp.json"), STAGING_ONLY).unwrap();
    home
}

fn backup_of_cursor(home: &Path) -> Option<String> {
    let real = file::resolve(&home.join(".cursor/mcp.json")).unwrap();
    std::fs::read_to_string(file::backup_path(&real)).ok()
}

#[test]
fn connecting_a_second_project_keeps_no_backup_with_the_first_projects_token() {
    let home = home_with_staging();
    let target = Target::new("directus", Scope::User, None)
        .unwrap()
        .with_other_projects(["directus-staging", "directus"]);
    assert_eq!(target.other_projects, ["directus-staging"]);
    connect_production(home.path(), target);
    let written = std::fs::read_to_string(home.path().join(".cursor/mcp.json")).unwrap();
    assert!(written.contains("PRODUCTION-TOKEN") && written.contains("STAGING-TOKEN"));
    assert_eq!(backup_of_cursor(home.path()), None);
}

#[test]
fn a_file_holding_an_unlisted_projects_token_gets_no_backup_with_it() {
    // The same file when the project list does not name `directus-staging` (a damaged
    // list, a project removed from it): its entry still holds a token for an MCP server,
    // so that version is not saved as the backup.
    let home = home_with_staging();
    connect_production(
        home.path(),
        Target::new("directus", Scope::User, None).unwrap(),
    );
    let written = std::fs::read_to_string(home.path().join(".cursor/mcp.json")).unwrap();
    assert!(written.contains("STAGING-TOKEN"));
    assert_eq!(backup_of_cursor(home.path()), None);
}

#[test]
fn a_file_whose_other_entries_hold_no_mcp_token_keeps_its_previous_version() {
    // Someone else's servers without a token (and a bridge-less command): the previous
    // version is the backup, as for any file we change.
    const OTHERS: &str = r#"{
  "mcpServers": {
    "docs": { "url": "https://docs.example.com/mcp" },
    "local": { "command": "npx", "args": ["some-server"], "env": { "LEVEL": "debug" } }
  }
}
"#;
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join(".cursor")).unwrap();
    std::fs::write(home.path().join(".cursor/mcp.json"), OTHERS).unwrap();
    connect_production(
        home.path(),
        Target::new("directus", Scope::User, None).unwrap(),
    );
    assert_eq!(backup_of_cursor(home.path()).as_deref(), Some(OTHERS));
}

#[test]
fn an_entry_running_our_bridge_or_sending_a_token_to_an_mcp_endpoint_looks_like_ours() {
    use serde_json::json;
    let looks = super::looks_like_an_mcp_entry_of_ours;
    assert!(looks(
        &json!({"command": "/opt/directus-mcp-setup", "args": ["bridge", "--url", "https://x"]})
    ));
    assert!(looks(&json!({"url": "https://x/mcp?access_token=T"})));
    assert!(looks(
        &json!({"url": "https://x/mcp", "bearer_token_env_var": "X"})
    ));
    assert!(!looks(&json!({"url": "https://x/mcp"})));
    assert!(!looks(
        &json!({"command": "npx", "args": ["server"], "env": {"TOKEN": "t"}})
    ));
}
