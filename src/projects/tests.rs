use super::*;

fn url(text: &str) -> ServerUrl {
    ServerUrl::parse(text, false).unwrap()
}

fn project(name: &str, at: &str) -> Project {
    Project {
        name: name.to_owned(),
        url: url(at).to_string(),
        auth: AuthMode::Oauth,
        tool_mode: ToolMode::Full,
        template: None,
        email: None,
        clients: Vec::new(),
    }
}

#[test]
fn the_first_project_is_directus_and_the_next_take_their_host() {
    let mut list = ProjectList::default();
    assert_eq!(
        list.suggest_name(&url("https://cms.example.com")),
        "directus"
    );
    list.upsert(project("directus", "https://cms.example.com"))
        .unwrap();
    assert_eq!(
        list.suggest_name(&url("https://staging.example.com")),
        "directus-staging"
    );
    assert_eq!(
        list.suggest_name(&url("http://localhost:8056")),
        "directus-localhost"
    );
    assert_eq!(
        list.suggest_name(&url("http://127.0.0.1:8056")),
        "directus-127-0-0-1"
    );
    assert_eq!(
        list.suggest_name(&url("https://Example.com/directus")),
        "directus-example-directus"
    );
    list.upsert(project("directus-staging", "https://staging.example.com"))
        .unwrap();
    assert_eq!(
        list.suggest_name(&url("https://staging.example.org")),
        "directus-staging-2"
    );
    for suggested in [
        list.suggest_name(&url("https://a.example.com")),
        list.suggest_name(&url(&format!("https://{}.example.com", "x".repeat(63)))),
    ] {
        assert!(is_valid_name(&suggested), "{suggested}");
    }
}

#[test]
fn a_name_another_server_holds_is_refused_and_the_same_server_is_updated() {
    let mut list = ProjectList::default();
    list.upsert(Project {
        clients: vec!["cursor".into()],
        ..project("directus", "https://cms.example.com")
    })
    .unwrap();
    let taken = list
        .upsert(project("directus", "https://staging.example.com"))
        .unwrap_err();
    assert!(matches!(taken, ProjectError::NameTaken { .. }), "{taken}");
    assert!(taken.to_string().contains("https://cms.example.com"));

    list.upsert(Project {
        auth: AuthMode::Token,
        clients: vec!["codex".into(), "cursor".into()],
        ..project("directus", "https://cms.example.com")
    })
    .unwrap();
    assert_eq!(list.projects.len(), 1);
    assert_eq!(list.projects[0].auth, AuthMode::Token);
    assert_eq!(list.projects[0].clients, ["cursor", "codex"]);

    let invalid = list
        .upsert(project("directus staging", "https://x.example.com"))
        .unwrap_err();
    assert!(matches!(invalid, ProjectError::InvalidName(_)));
}

#[test]
fn choosing_removing_and_clients() {
    let mut list = ProjectList::default();
    list.upsert(project("directus", "https://cms.example.com"))
        .unwrap();
    list.upsert(project("directus-staging", "https://staging.example.com"))
        .unwrap();
    assert_eq!(list.current().unwrap().name, "directus");
    list.choose("directus-staging").unwrap();
    assert_eq!(list.current().unwrap().name, "directus-staging");
    assert!(matches!(list.choose("nope"), Err(ProjectError::Unknown(_))));

    list.add_client("directus-staging", "cursor");
    list.add_client("directus-staging", "cursor");
    list.add_client("directus", "codex");
    assert_eq!(list.get("directus-staging").unwrap().clients, ["cursor"]);
    list.remove_client("directus-staging", "cursor");
    assert!(list.get("directus-staging").unwrap().clients.is_empty());
    assert_eq!(list.get("directus").unwrap().clients, ["codex"]);

    let staging = url("https://staging.example.com");
    assert_eq!(list.for_url(&staging).count(), 1);
    list.remove("directus-staging").unwrap();
    assert_eq!(list.chosen, None);
    assert_eq!(list.current().unwrap().name, "directus");
    assert_eq!(list.for_url(&staging).count(), 0);
}

#[test]
fn the_file_round_trips_and_a_damaged_one_is_left_alone() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder
        .path()
        .join("directus-mcp-setup")
        .join("projects.json");
    assert_eq!(ProjectList::load(&path).unwrap(), ProjectList::default());

    let mut list = ProjectList::default();
    list.upsert(Project {
        template: Some(RoleTemplate::ReadOnly),
        email: Some("admin@example.com".into()),
        tool_mode: ToolMode::Registry,
        auth: AuthMode::Token,
        ..project("directus", "https://cms.example.com")
    })
    .unwrap();
    list.choose("directus").unwrap();
    list.save(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"toolMode\": \"registry\""), "{text}");
    assert!(text.contains("\"template\": \"read-only\""), "{text}");
    assert_eq!(ProjectList::load(&path).unwrap(), list);

    std::fs::write(&path, "{ not json").unwrap();
    let error = ProjectList::load(&path).unwrap_err();
    assert!(matches!(error, ProjectError::Unreadable { .. }), "{error}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
    // A later save leaves the damaged file as it is.
    let error = list.save(&path).unwrap_err();
    assert!(matches!(error, ProjectError::Unreadable { .. }), "{error}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
}

#[test]
fn a_hand_edited_record_with_a_bad_name_or_url_is_named_and_refused() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("projects.json");
    for (name, url, named) in [
        ("../x", "https://cms.example.com", "\"../x\""),
        (
            "directus",
            "ftp://cms.example.com",
            "\"ftp://cms.example.com\"",
        ),
    ] {
        let text =
            format!(r#"{{"projects": [{{"name": "{name}", "url": "{url}", "auth": "oauth"}}]}}"#);
        std::fs::write(&path, &text).unwrap();
        let error = ProjectList::load(&path).unwrap_err();
        assert!(
            matches!(error, ProjectError::Unreadable { .. }) && error.to_string().contains(named),
            "{error}"
        );
        assert!(ProjectList::default().save(&path).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }
    // http:// to another host was allowed when it was set up.
    std::fs::write(
        &path,
        r#"{"projects": [{"name": "directus", "url": "http://cms.example.com", "auth": "oauth"}]}"#,
    )
    .unwrap();
    assert_eq!(ProjectList::load(&path).unwrap().projects.len(), 1);
}

#[test]
fn the_file_lives_in_each_systems_settings_folder() {
    use crate::clients::Os;
    let linux = ClientEnvironment::new(Os::Linux, "/home/ana".into(), None, None, None, None);
    assert_eq!(
        store_path_in(&linux),
        PathBuf::from("/home/ana/.config/directus-mcp-setup/projects.json")
    );
    let mac = ClientEnvironment::new(Os::MacOs, "/Users/ana".into(), None, None, None, None);
    assert_eq!(
        store_path_in(&mac),
        PathBuf::from("/Users/ana/Library/Application Support/directus-mcp-setup/projects.json")
    );
    let windows =
        ClientEnvironment::new(Os::Windows, r"C:\Users\ana".into(), None, None, None, None);
    assert!(
        store_path_in(&windows)
            .to_string_lossy()
            .replace('\\', "/")
            .ends_with("AppData/Roaming/directus-mcp-setup/projects.json"),
        "{}",
        store_path_in(&windows).display()
    );
}

#[test]
fn a_recorded_client_without_the_entry_is_missing_and_a_web_app_is_manual() {
    use crate::clients::ClientStatus;
    let word = |status: Option<&ClientStatus>, recorded| EntryState::of(status, recorded).as_str();
    assert_eq!(word(Some(&ClientStatus::Installed), true), "missing");
    assert_eq!(word(Some(&ClientStatus::NotInstalled), true), "missing");
    assert_eq!(word(None, true), "missing");
    assert_eq!(word(Some(&ClientStatus::Installed), false), "none");
    assert_eq!(word(Some(&ClientStatus::ManualOnly), true), "manual");
}
