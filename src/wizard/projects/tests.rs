use super::*;
use crate::clients::Os;

fn home() -> (tempfile::TempDir, ClientEnvironment) {
    let dir = tempfile::tempdir().unwrap();
    let env = ClientEnvironment::new(Os::Linux, dir.path().to_owned(), None, None, None, None);
    (dir, env)
}

fn url(text: &str) -> ServerUrl {
    ServerUrl::parse(text, true).unwrap()
}

fn write_instances(env: &ClientEnvironment, json: &str) {
    let path = instances::store_path_in(env);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, json).unwrap();
}

#[test]
fn the_recent_instances_become_the_projects_once_the_newest_named_directus() {
    let (_dir, env) = home();
    write_instances(
        &env,
        r#"[{"url":"https://cms.example.com","email":"ana@example.com"},
            {"url":"https://staging.example.com","email":null},
            {"url":"https://cms.example.com","email":"bob@example.com"},
            {"url":"not a url","email":null}]"#,
    );
    let list = load_in(&env).unwrap();
    let names: Vec<_> = list
        .projects
        .iter()
        .map(|p| (p.name.as_str(), p.url.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("directus", "https://cms.example.com"),
            ("directus-staging", "https://staging.example.com")
        ]
    );
    assert_eq!(list.projects[0].email.as_deref(), Some("ana@example.com"));
    assert_eq!(list.chosen.as_deref(), Some("directus"));
    // Saved as projects.json: later changes to instances.json are not read again.
    assert!(projects::store_path_in(&env).is_file());
    write_instances(
        &env,
        r#"[{"url":"https://other.example.com","email":null}]"#,
    );
    assert_eq!(load_in(&env).unwrap(), list);
}

fn write_cursor(env: &ClientEnvironment, json: &str) {
    let cursor = env.home.join(".cursor");
    std::fs::create_dir_all(&cursor).unwrap();
    std::fs::write(cursor.join("mcp.json"), json).unwrap();
}

#[test]
fn migrating_names_directus_the_server_the_clients_entries_point_at_not_the_last_sign_in() {
    let (_dir, env) = home();
    // Prod was connected in Cursor; later the user signed in to staging just to look.
    write_cursor(
        &env,
        r#"{"mcpServers":{"directus":{"url":"https://prod.example.com/mcp"}}}"#,
    );
    write_instances(
        &env,
        r#"[{"url":"https://staging.example.com","email":null},
            {"url":"https://prod.example.com","email":"ana@example.com"}]"#,
    );
    let list = load_in(&env).unwrap();
    let names: Vec<_> = list
        .projects
        .iter()
        .map(|p| (p.name.as_str(), p.url.as_str(), p.clients.clone()))
        .collect();
    assert_eq!(
        names,
        [
            ("directus-staging", "https://staging.example.com", vec![]),
            (
                "directus",
                "https://prod.example.com",
                vec!["cursor".to_owned()]
            ),
        ]
    );
    assert_eq!(list.chosen.as_deref(), Some("directus-staging"));
}

#[test]
fn migrating_gives_directus_to_no_instance_when_the_entries_point_at_a_server_not_remembered() {
    let (_dir, env) = home();
    write_cursor(
        &env,
        r#"{"mcpServers":{"directus":{"url":"https://other.example.com/mcp"}}}"#,
    );
    write_instances(&env, r#"[{"url":"https://staging.example.com"}]"#);
    let list = load_in(&env).unwrap();
    assert_eq!(list.projects.len(), 1);
    assert_eq!(list.projects[0].name, "directus-staging");
}

#[test]
fn the_first_sign_in_asks_for_a_name_when_directus_in_a_client_is_another_servers() {
    let (_dir, env) = home();
    write_cursor(
        &env,
        r#"{"mcpServers":{"directus":{"url":"https://prod.example.com/mcp"}}}"#,
    );
    let staging = url("https://staging.example.com");
    let first = after_sign_in(&env, &staging, None).unwrap();
    assert_eq!(first.name, None);
    assert_eq!(first.suggested_name.as_deref(), Some("directus-staging"));
    // Typing `directus` anyway is refused: prod's entry would be rewritten.
    let refused = confirm_name(&env, &staging, "directus", None).unwrap_err();
    assert_eq!(refused.field, ErrorField::ProjectName);
    assert!(refused.message.contains("cursor"), "{}", refused.message);

    // Signing in to prod: it is `directus`, with Cursor recorded on it.
    let prod = after_sign_in(&env, &url("https://prod.example.com"), None).unwrap();
    assert_eq!(prod.name.as_deref(), Some("directus"));
    let list = load_in(&env).unwrap();
    assert_eq!(list.get("directus").unwrap().clients, ["cursor"]);
}

#[test]
fn a_directus_entry_whose_url_holds_a_token_does_not_keep_the_first_sign_in_from_directus() {
    let (_dir, env) = home();
    // A leaked token in the URL: to be replaced by connecting again, not another project.
    write_cursor(
        &env,
        r#"{"mcpServers":{"directus":{"url":"https://cms.example.com/mcp?access_token=abcdef0123456789abcdef"}}}"#,
    );
    let first = after_sign_in(&env, &url("https://cms.example.com"), None).unwrap();
    assert_eq!(first.name.as_deref(), Some("directus"));
}

#[test]
fn a_project_whose_entry_is_in_a_clients_file_is_not_removed_though_it_records_no_client() {
    let (_dir, env) = home();
    write_cursor(
        &env,
        r#"{"mcpServers":{"directus":{"url":"https://prod.example.com/mcp"}}}"#,
    );
    let list = ProjectList {
        projects: vec![
            new_project("directus".into(), &url("https://prod.example.com"), None),
            new_project("directus-qa".into(), &url("https://qa.example.com"), None),
        ],
        chosen: Some("directus-qa".into()),
    };
    list.save(&projects::store_path_in(&env)).unwrap();
    let refused = remove(&env, "directus").unwrap_err();
    assert!(refused.message.contains("cursor"), "{}", refused.message);
    assert!(load_in(&env).unwrap().get("directus").is_some());
    // A project no file holds is removed.
    assert!(
        remove(&env, "directus-qa")
            .unwrap()
            .get("directus-qa")
            .is_none()
    );
}

#[test]
fn no_instances_and_no_projects_is_an_empty_list_and_no_file() {
    let (_dir, env) = home();
    assert_eq!(load_in(&env).unwrap(), ProjectList::default());
    assert!(!projects::store_path_in(&env).exists());
}

#[test]
fn the_first_sign_in_makes_the_directus_project_and_a_second_server_waits_for_a_name() {
    let (_dir, env) = home();
    let first = after_sign_in(
        &env,
        &url("https://cms.example.com"),
        Some("ana@example.com".into()),
    )
    .unwrap();
    assert_eq!(first.name.as_deref(), Some("directus"));
    let list = load_in(&env).unwrap();
    assert_eq!(list.projects[0].email.as_deref(), Some("ana@example.com"));

    let second = after_sign_in(&env, &url("https://staging.example.com"), None).unwrap();
    assert_eq!(second.name, None);
    assert_eq!(second.suggested_name.as_deref(), Some("directus-staging"));
    // Nothing is saved, nor chosen, before the user confirms the name.
    let unchanged = load_in(&env).unwrap();
    assert_eq!(unchanged.projects.len(), 1);
    assert_eq!(unchanged.chosen.as_deref(), Some("directus"));
    assert!(acting_name(&env, &url("https://staging.example.com"), None).is_err());

    let named = confirm_name(
        &env,
        &url("https://staging.example.com"),
        " directus-stage ",
        None,
    )
    .unwrap();
    assert_eq!(named.chosen.as_deref(), Some("directus-stage"));
    assert_eq!(
        acting_name(
            &env,
            &url("https://staging.example.com"),
            named.chosen.as_deref()
        )
        .unwrap(),
        "directus-stage"
    );
    // Signing in to the first again chooses it.
    let again = after_sign_in(&env, &url("https://cms.example.com"), None).unwrap();
    assert_eq!(again.name.as_deref(), Some("directus"));
    assert_eq!(
        acting_name(&env, &url("https://cms.example.com"), again.name.as_deref()).unwrap(),
        "directus"
    );
}

#[test]
fn a_name_another_server_holds_or_no_entry_can_take_is_refused_and_nothing_changes() {
    let (_dir, env) = home();
    after_sign_in(&env, &url("https://cms.example.com"), None).unwrap();
    let before = load_in(&env).unwrap();
    let taken =
        confirm_name(&env, &url("https://staging.example.com"), "directus", None).unwrap_err();
    assert_eq!(taken.field, ErrorField::ProjectName);
    assert!(
        taken.message.contains("https://cms.example.com"),
        "{}",
        taken.message
    );
    let invalid = confirm_name(
        &env,
        &url("https://staging.example.com"),
        "my project",
        None,
    )
    .unwrap_err();
    assert_eq!(invalid.field, ErrorField::ProjectName);
    assert_eq!(load_in(&env).unwrap(), before);
}

#[test]
fn switching_chooses_the_project_and_the_wizard_then_acts_on_its_server_only() {
    let (_dir, env) = home();
    after_sign_in(&env, &url("https://cms.example.com"), None).unwrap();
    confirm_name(
        &env,
        &url("https://staging.example.com"),
        "directus-staging",
        None,
    )
    .unwrap();
    let chosen = choose(&env, "directus").unwrap();
    assert_eq!(chosen.url, "https://cms.example.com");
    assert_eq!(load_in(&env).unwrap().chosen.as_deref(), Some("directus"));
    // Still signed in to staging: no client step may act on it under cms' name.
    assert!(
        acting_name(
            &env,
            &url("https://staging.example.com"),
            Some(&chosen.name)
        )
        .is_err()
    );
    assert!(choose(&env, "nope").is_err());
}

#[test]
fn a_project_with_clients_connected_is_not_removed() {
    let (_dir, env) = home();
    after_sign_in(&env, &url("https://cms.example.com"), None).unwrap();
    confirm_name(
        &env,
        &url("https://staging.example.com"),
        "directus-staging",
        None,
    )
    .unwrap();
    record_client(
        &env,
        "directus-staging",
        "cursor",
        Some((clients::AuthMode::Token, ToolMode::Registry)),
    )
    .unwrap();
    let staging = load_in(&env)
        .unwrap()
        .get("directus-staging")
        .unwrap()
        .clone();
    assert_eq!(staging.clients, ["cursor"]);
    assert_eq!(staging.auth, clients::AuthMode::Token);
    assert_eq!(staging.tool_mode, ToolMode::Registry);
    let refused = remove(&env, "directus-staging").unwrap_err();
    assert!(
        refused.message.contains("cursor") && refused.message.contains("disconnect"),
        "{}",
        refused.message
    );
    assert!(load_in(&env).unwrap().get("directus-staging").is_some());
    record_client(&env, "directus-staging", "cursor", None).unwrap();
    let left = remove(&env, "directus-staging").unwrap();
    assert_eq!(left.projects.len(), 1);
}

fn project(name: &str, at: &str, clients: &[&str]) -> Project {
    Project {
        clients: clients.iter().map(|c| c.to_string()).collect(),
        ..new_project(name.to_owned(), &url(at), None)
    }
}

#[test]
fn a_card_shows_each_project_it_holds_present_stale_or_missing() {
    let (dir, env) = home();
    let cursor = dir.path().join(".cursor");
    std::fs::create_dir_all(&cursor).unwrap();
    // Cursor holds cms' entry, staging's name pointing at an old URL, qa's at another.
    std::fs::write(
        cursor.join("mcp.json"),
        r#"{"mcpServers":{"directus":{"url":"https://cms.example.com/mcp"},"directus-staging":{"url":"https://old.example.com/mcp"},"directus-qa":{"url":"https://elsewhere.example.com/mcp"}}}"#,
    )
    .unwrap();
    let list = ProjectList {
        projects: vec![
            project("directus", "https://cms.example.com", &["cursor"]),
            project("directus-staging", "https://staging.example.com", &[]),
            project("directus-dev", "https://dev.example.com", &["cursor"]),
            project("directus-qa", "https://qa.example.com", &[]),
        ],
        chosen: Some("directus-staging".into()),
    };
    let cards = cards(&env, &SecretStore::new(), &list, &list.projects[1]).unwrap();
    let card = cards
        .iter()
        .find(|card| card.overview.info.id == "cursor")
        .unwrap();
    let states: Vec<_> = card
        .projects
        .iter()
        .map(|e| (e.project.as_str(), e.state))
        .collect();
    assert_eq!(
        states,
        [
            ("directus", EntryState::Present),
            ("directus-staging", EntryState::Stale),
            ("directus-dev", EntryState::Missing),
            ("directus-qa", EntryState::Stale),
        ]
    );
    // What is out of date is said once: on the card for the chosen project, here for others.
    assert_eq!(card.projects[1].detail, None);
    let qa = card.projects[3].detail.as_deref().unwrap_or_default();
    assert!(qa.contains("elsewhere.example.com"), "{qa}");
    // The card's own status is the chosen project's.
    assert!(matches!(
        card.overview.status,
        Some(ClientStatus::Stale { .. })
    ));
    let other = cards
        .iter()
        .find(|card| card.overview.info.id == "windsurf")
        .unwrap();
    assert!(other.projects.is_empty(), "{:?}", other.projects);
}

#[test]
fn the_app_acts_on_the_project_it_shows_though_the_command_line_chose_or_removed_another() {
    let (_dir, env) = home();
    let cms = url("https://cms.example.com");
    let staging = url("https://staging.example.com");
    after_sign_in(&env, &cms, None).unwrap();
    confirm_name(&env, &staging, "directus-staging", None).unwrap();
    // The window shows staging; meanwhile `projects choose directus` on the command line.
    let path = projects::store_path_in(&env);
    let mut list = load_in(&env).unwrap();
    list.choose("directus").unwrap();
    list.save(&path).unwrap();
    assert_eq!(
        acting_name(&env, &staging, Some("directus-staging")).unwrap(),
        "directus-staging"
    );
    // `projects remove directus-staging`, then a new directus-staging for another URL.
    list.remove("directus-staging").unwrap();
    list.save(&path).unwrap();
    let removed = acting_name(&env, &staging, Some("directus-staging")).unwrap_err();
    assert!(removed.message.contains("removed"), "{}", removed.message);
    list.upsert(new_project(
        "directus-staging".into(),
        &url("https://qa.example.com"),
        None,
    ))
    .unwrap();
    list.save(&path).unwrap();
    let moved = acting_name(&env, &staging, Some("directus-staging")).unwrap_err();
    assert!(
        moved.message.contains("qa.example.com"),
        "{}",
        moved.message
    );
}

#[test]
fn a_card_says_which_projects_entries_keep_the_token_their_shared_url_has() {
    let (dir, env) = home();
    let cursor = dir.path().join(".cursor");
    std::fs::create_dir_all(&cursor).unwrap();
    // Two projects on one URL (one token): Cursor keeps it inline for the second.
    std::fs::write(
        cursor.join("mcp.json"),
        r#"{"mcpServers":{"directus":{"url":"https://cms.example.com/mcp"},"directus-team":{"url":"https://cms.example.com/mcp?tool_mode=registry","headers":{"Authorization":"Bearer inline-token-1234"}}}}"#,
    )
    .unwrap();
    let list = ProjectList {
        projects: vec![
            project("directus", "https://cms.example.com", &["cursor"]),
            project("directus-team", "https://cms.example.com", &["cursor"]),
        ],
        chosen: Some("directus".into()),
    };
    let cards = cards(&env, &SecretStore::new(), &list, &list.projects[0]).unwrap();
    let card = cards
        .iter()
        .find(|card| card.overview.info.id == "cursor")
        .unwrap();
    let seen: Vec<_> = card
        .projects
        .iter()
        .map(|e| (e.project.as_str(), e.holds_token, e.tool_mode, e.acting))
        .collect();
    assert_eq!(
        seen,
        [
            ("directus", false, Some(ToolMode::Full), true),
            ("directus-team", true, Some(ToolMode::Registry), false),
        ]
    );
}

#[tokio::test]
async fn a_cards_check_proves_every_project_entry_the_client_holds_each_with_its_own_url() {
    let (_dir, env) = home();
    // Cursor holds the acting project's entry, staging's (OAuth) and qa's (a token inline);
    // dev lists Cursor but its entry is gone; old has no entry at all.
    write_cursor(
        &env,
        r#"{"mcpServers":{"directus":{"url":"https://cms.example.com/mcp"},"directus-staging":{"url":"http://127.0.0.1:9/mcp"},"directus-qa":{"url":"http://127.0.0.1:9/mcp","headers":{"Authorization":"Bearer inline-token-1234"}}}}"#,
    );
    let list = ProjectList {
        projects: vec![
            project("directus", "https://cms.example.com", &["cursor"]),
            project("directus-staging", "http://127.0.0.1:9", &["cursor"]),
            project("directus-dev", "https://dev.example.com", &["cursor"]),
            project("directus-qa", "http://127.0.0.1:9", &[]),
            project("directus-old", "https://old.example.com", &[]),
        ],
        chosen: Some("directus".into()),
    };
    let cursor = clients::find("cursor").unwrap();
    let entries = entries_to_check(&env, &SecretStore::new(), &list, cursor);
    let checked: Vec<_> = entries.iter().map(|e| e.project.as_str()).collect();
    assert_eq!(checked, ["directus", "directus-staging", "directus-qa"]);
    assert_eq!(entries[2].server.as_str(), "http://127.0.0.1:9");
    // The acting project's line takes the window's own check: no second handshake.
    let acting = clients::check::ClientCheck {
        id: "cursor".into(),
        name: "Cursor".into(),
        outcome: clients::check::CheckOutcome::Works,
        detail: "MCP handshake with https://cms.example.com/mcp".into(),
        tools: vec!["items".into()],
        client_says: None,
    };
    let runner = std::sync::Arc::new(clients::apply::SystemRunner);
    let proofs = check_entries(&env, cursor, &entries, &acting, "directus", runner).await;
    let outcomes: Vec<_> = proofs
        .iter()
        .map(|p| (p.project.as_str(), p.outcome))
        .collect();
    use clients::check::CheckOutcome::{Fails, SignsInInClient, Works};
    assert_eq!(
        outcomes,
        [
            ("directus", Works),
            ("directus-staging", SignsInInClient),
            ("directus-qa", Fails),
        ]
    );
    // The reason is qa's own: its entry's token and its unreachable URL, never the secret.
    let qa = &proofs[2].detail;
    assert!(qa.contains("the token in its settings"), "{qa}");
    assert!(!qa.contains("inline-token-1234"), "{qa}");
}
