use super::*;
use crate::clients::{Os, SystemRunner};
use crate::directus::ServerUrl;
use crate::projects::share::{ClientAction, ProjectChange};

fn home() -> (tempfile::TempDir, ClientEnvironment) {
    let dir = tempfile::tempdir().unwrap();
    let env = ClientEnvironment::new(Os::Linux, dir.path().to_owned(), None, None, None, None);
    (dir, env)
}

/// A computer with the project `directus-staging` for staging, Cursor connected to it.
fn exporting_home() -> (tempfile::TempDir, ClientEnvironment) {
    let (dir, env) = home();
    let cms = ServerUrl::parse("https://cms.example.com", false).unwrap();
    let staging = ServerUrl::parse("https://staging.example.com", false).unwrap();
    super::super::projects::after_sign_in(&env, &cms, Some("ana@example.com".into())).unwrap();
    super::super::projects::confirm_name(&env, &staging, "directus-staging", None).unwrap();
    super::super::projects::record_client(
        &env,
        "directus-staging",
        "cursor",
        Some((crate::clients::AuthMode::Oauth, Default::default())),
    )
    .unwrap();
    (dir, env)
}

#[test]
fn export_writes_the_projects_setup_file_and_never_replaces_one() {
    let (dir, env) = exporting_home();
    let path = export(&env, "directus-staging", Some(dir.path().to_str().unwrap())).unwrap();
    assert_eq!(
        path,
        dir.path().join("directus-staging.directus-setup.json")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("https://staging.example.com") && text.contains("cursor"),
        "{text}"
    );
    assert!(!text.contains("ana@example.com"), "{text}");
    std::fs::write(&path, "mine").unwrap();
    let again = export(&env, "directus-staging", Some(dir.path().to_str().unwrap())).unwrap_err();
    assert!(
        again.message.contains("exists already"),
        "{}",
        again.message
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
    let nowhere = export(&env, "directus-staging", Some("/no/such/folder")).unwrap_err();
    assert!(
        nowhere.message.contains("not a folder"),
        "{}",
        nowhere.message
    );
    assert!(export(&env, "nope", None).is_err());
}

#[test]
fn import_previews_the_project_and_each_clients_diff_then_applies_them() {
    let (from, from_env) = exporting_home();
    let path = export(
        &from_env,
        "directus-staging",
        Some(from.path().to_str().unwrap()),
    )
    .unwrap();
    let path = path.to_str().unwrap();

    let (to, env) = home();
    std::fs::create_dir_all(to.path().join(".cursor")).unwrap();
    let store = SecretStore::new();
    let preview = preview(&env, &store, path, None).unwrap();
    assert!(
        matches!(preview.project, ProjectChange::New { .. }),
        "{:?}",
        preview.project
    );
    assert!(preview.blockers.is_empty(), "{:?}", preview.blockers);
    let cursor = &preview.clients[0];
    assert_eq!(cursor.action, ClientAction::Connect, "{cursor:?}");
    let diff = format!("{:?}", cursor.plan);
    assert!(
        diff.contains("directus-staging") && diff.contains("https://staging.example.com/mcp"),
        "{diff}"
    );
    // A preview writes nothing.
    assert!(!to.path().join(".cursor/mcp.json").exists());
    assert!(!projects::store_path_in(&env).exists());

    let done = import(&env, &store, path, None, &SystemRunner).unwrap();
    assert!(done.applied);
    let written = std::fs::read_to_string(to.path().join(".cursor/mcp.json")).unwrap();
    assert!(
        written.contains("directus-staging") && written.contains("https://staging.example.com/mcp"),
        "{written}"
    );
    let list = super::super::projects::load_in(&env).unwrap();
    assert_eq!(list.get("directus-staging").unwrap().clients, ["cursor"]);
}

#[test]
fn a_file_named_like_another_servers_project_is_previewed_as_a_clash_and_imports_under_a_new_name()
{
    let (from, from_env) = exporting_home();
    let path = export(
        &from_env,
        "directus-staging",
        Some(from.path().to_str().unwrap()),
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let (_to, env) = home();
    let other = ServerUrl::parse("https://other.example.com", false).unwrap();
    super::super::projects::after_sign_in(&env, &other, None).unwrap();
    super::super::projects::confirm_name(
        &env,
        &ServerUrl::parse("https://qa.example.com", false).unwrap(),
        "directus-staging",
        None,
    )
    .unwrap();
    let store = SecretStore::new();
    let clash = preview(&env, &store, path, None).unwrap();
    assert!(
        matches!(clash.project, ProjectChange::NameClash { .. }),
        "{:?}",
        clash.project
    );
    assert!(!clash.blockers.is_empty());
    let refused = import(&env, &store, path, None, &SystemRunner).unwrap_err();
    assert_eq!(refused.field, ErrorField::ProjectName);
    assert_eq!(
        super::super::projects::load_in(&env)
            .unwrap()
            .get("directus-staging")
            .unwrap()
            .url,
        "https://qa.example.com"
    );
    let renamed = import(
        &env,
        &store,
        path,
        Some("directus-staging-2"),
        &SystemRunner,
    )
    .unwrap();
    assert!(renamed.applied);
    assert!(
        super::super::projects::load_in(&env)
            .unwrap()
            .get("directus-staging-2")
            .is_some()
    );
}

#[test]
fn an_empty_path_or_a_file_that_is_not_a_setup_says_what_to_do() {
    let (dir, env) = home();
    let store = SecretStore::new();
    assert!(
        preview(&env, &store, "  ", None)
            .unwrap_err()
            .message
            .contains("enter the path")
    );
    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "{\"format\":\"other\"}").unwrap();
    let error = preview(&env, &store, junk.to_str().unwrap(), None).unwrap_err();
    assert!(
        error.message.contains("not a Directus MCP Setup file"),
        "{}",
        error.message
    );
}

#[test]
fn a_refused_import_or_a_preview_writes_nothing_not_even_the_taken_in_instances() {
    let (from, from_env) = exporting_home();
    let path = export(
        &from_env,
        "directus-staging",
        Some(from.path().to_str().unwrap()),
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let (_to, env) = home();
    // The app's recent instances, not yet taken in as projects: staging.other.com would be
    // `directus-staging`, which the file's `directus-staging` (another URL) clashes with.
    let instances = super::super::instances::store_path_in(&env);
    std::fs::create_dir_all(instances.parent().unwrap()).unwrap();
    std::fs::write(
        &instances,
        r#"[{"url":"https://cms.example.com"},{"url":"https://staging.other.com"}]"#,
    )
    .unwrap();
    let store = SecretStore::new();
    let projects_file = projects::store_path_in(&env);
    let clash = preview(&env, &store, path, None).unwrap();
    assert!(
        matches!(clash.project, ProjectChange::NameClash { .. }),
        "{:?}",
        clash.project
    );
    assert!(!projects_file.exists(), "a preview wrote projects.json");
    let refused = import(&env, &store, path, None, &SystemRunner).unwrap_err();
    assert_eq!(refused.field, ErrorField::ProjectName);
    assert!(
        !projects_file.exists(),
        "a refused import wrote projects.json"
    );
}
