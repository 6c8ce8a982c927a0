use super::*;
use crate::clients::{Os, SystemRunner};

fn home() -> (tempfile::TempDir, ClientEnvironment) {
    let dir = tempfile::tempdir().unwrap();
    let env = ClientEnvironment::new(Os::Linux, dir.path().to_owned(), None, None, None, None);
    (dir, env)
}

fn cursor() -> ClientRequest {
    ClientRequest {
        client: "cursor".into(),
        auth: AuthMode::Oauth,
        scope: Scope::User,
        project_dir: None,
        inline_token: false,
        tool_mode: ToolMode::Full,
    }
}

/// Two projects set up in `env`: `directus` for cms, `directus-staging` for staging (chosen).
fn two_projects(env: &ClientEnvironment) -> (Acting, Acting) {
    let cms = ServerUrl::parse("https://cms.example.com", false).unwrap();
    let staging = ServerUrl::parse("https://staging.example.com", false).unwrap();
    super::super::projects::after_sign_in(env, &cms, None).unwrap();
    let first = Acting::shown(env, cms, Some("directus")).unwrap();
    super::super::projects::confirm_name(env, &staging, "directus-staging", None).unwrap();
    let second = Acting::shown(env, staging, Some("directus-staging")).unwrap();
    (first, second)
}

fn entries(dir: &tempfile::TempDir) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.path().join(".cursor/mcp.json")).unwrap();
    serde_json::from_str::<serde_json::Value>(&text).unwrap()["mcpServers"].clone()
}

#[tokio::test]
async fn each_project_connects_its_own_entry_and_disconnecting_one_leaves_the_other() {
    let (dir, env) = home();
    let (first, second) = two_projects(&env);
    assert_eq!(first.name, "directus");
    assert_eq!(second.name, "directus-staging");
    let store = SecretStore::new();
    let runner: Arc<dyn ProgramRunner> = Arc::new(SystemRunner);
    connect(&first, &store, &env, &cursor(), false, runner.clone())
        .await
        .unwrap();
    connect(&second, &store, &env, &cursor(), false, runner.clone())
        .await
        .unwrap();
    let both = entries(&dir);
    assert_eq!(both["directus"]["url"], "https://cms.example.com/mcp");
    assert_eq!(
        both["directus-staging"]["url"],
        "https://staging.example.com/mcp"
    );
    let list = super::super::projects::load_in(&env).unwrap();
    assert_eq!(list.get("directus").unwrap().clients, ["cursor"]);
    assert_eq!(list.get("directus-staging").unwrap().clients, ["cursor"]);

    disconnect(&second, &env, &cursor(), &SystemRunner).unwrap();
    let left = entries(&dir);
    assert_eq!(left["directus"]["url"], "https://cms.example.com/mcp");
    assert!(left.get("directus-staging").is_none(), "{left}");
    let list = super::super::projects::load_in(&env).unwrap();
    assert_eq!(list.get("directus").unwrap().clients, ["cursor"]);
    assert!(list.get("directus-staging").unwrap().clients.is_empty());
}

#[tokio::test]
async fn a_preview_changes_nothing_and_records_nothing() {
    let (dir, env) = home();
    let (first, _) = two_projects(&env);
    let change = connect(
        &first,
        &SecretStore::new(),
        &env,
        &cursor(),
        true,
        Arc::new(SystemRunner),
    )
    .await
    .unwrap();
    assert!(change.applied.is_none());
    assert!(!dir.path().join(".cursor/mcp.json").exists());
    let list = super::super::projects::load_in(&env).unwrap();
    assert!(list.get("directus").unwrap().clients.is_empty());
}

#[test]
fn the_wizard_acts_only_on_the_shown_project_of_the_signed_in_server() {
    let (_dir, env) = home();
    two_projects(&env);
    // Signed in to cms while the window shows staging: refused, whatever is chosen.
    let error = Acting::shown(
        &env,
        ServerUrl::parse("https://cms.example.com", false).unwrap(),
        Some("directus-staging"),
    )
    .unwrap_err();
    assert!(
        error
            .message
            .contains("\"directus-staging\" is now for https://staging.example.com"),
        "{}",
        error.message
    );
    // Staging is chosen in projects.json, but the window shows cms: it acts on cms.
    let cms = Acting::shown(
        &env,
        ServerUrl::parse("https://cms.example.com", false).unwrap(),
        Some("directus"),
    )
    .unwrap();
    assert_eq!(cms.name, "directus");
}
