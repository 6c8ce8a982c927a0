use std::ffi::OsString;

use super::import::PREVIEW_TOKEN;
use super::*;
use crate::clients::{
    self, ClientEnvironment, ConnectRequest, Os, Scope, StdioBridge, SystemRunner, Target,
    TokenAccess,
};
use crate::projects::{ProjectList, store_path_in};
use crate::secret::SecretString;

const URL: &str = "https://cms.example.com";

fn project(auth: AuthMode, clients: &[&str]) -> Project {
    Project {
        name: "directus".to_owned(),
        url: URL.to_owned(),
        auth,
        tool_mode: ToolMode::Registry,
        template: (auth == AuthMode::Token).then_some(RoleTemplate::ContentEditor),
        email: Some("admin@example.com".to_owned()),
        clients: clients.iter().map(|id| (*id).to_owned()).collect(),
    }
}

/// A setup file's text with `extra` fields added (or replaced) at the top level.
fn text_with(extra: serde_json::Value) -> String {
    let mut value = serde_json::to_value(export(&project(AuthMode::Token, &["cursor"]))).unwrap();
    for (key, field) in extra.as_object().unwrap() {
        value[key] = field.clone();
    }
    value.to_string()
}

fn refused(text: &str) -> ShareError {
    parse(text).expect_err("refused")
}

/// A home with no programs on the search path, where `installed` clients' folders exist.
fn home(installed: &[&str]) -> (tempfile::TempDir, ClientEnvironment) {
    let dir = tempfile::tempdir().unwrap();
    let env = ClientEnvironment::new(
        Os::Linux,
        dir.path().to_owned(),
        None,
        None,
        None,
        Some(OsString::new()),
    );
    for folder in installed {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
    }
    (dir, env)
}

fn token_inputs(token: &str) -> ImportInputs {
    ImportInputs {
        token: TokenInput::Kept(SecretString::new(token.to_owned())),
        ..ImportInputs::default()
    }
}

#[test]
fn an_exported_setup_reads_back_the_same_and_holds_no_email() {
    for auth in [AuthMode::Oauth, AuthMode::Token] {
        let exported = export(&project(auth, &["cursor", "codex"]));
        let text = to_text(&exported);
        assert_eq!(parse(&text).unwrap(), exported, "{text}");
        assert!(!text.contains("admin@example.com"), "{text}");
        let fields: Vec<String> = serde_json::from_str::<serde_json::Map<String, _>>(&text)
            .unwrap()
            .keys()
            .cloned()
            .collect();
        for field in &fields {
            assert!(FIELDS.contains(&field.as_str()), "{field}");
        }
        assert!(
            text.starts_with("{\n  \"format\": \"directus-mcp-setup/setup\",\n  \"version\": 1,")
        );
    }
}

#[test]
fn an_oauth_setup_is_exported_without_a_role_template() {
    let mut oauth = project(AuthMode::Oauth, &[]);
    oauth.template = Some(RoleTemplate::Administrator);
    let exported = export(&oauth);
    assert_eq!(exported.template, None);
    assert!(parse(&to_text(&exported)).is_ok());
}

#[test]
fn a_field_a_setup_never_holds_is_refused_by_name() {
    for field in [
        "token", "headers", "env", "email", "password", "Token", "toolmode",
    ] {
        let error = refused(&text_with(serde_json::json!({ field: "x" })));
        assert!(
            matches!(&error, ShareError::UnexpectedField { field: named } if named == field),
            "{field}: {error:?}"
        );
        let message = error.to_string();
        assert!(message.contains(&format!("\"{field}\"")), "{message}");
        assert!(message.contains("nothing was imported"), "{message}");
    }
}

#[test]
fn a_file_of_another_format_or_version_is_refused_with_what_to_do() {
    assert!(matches!(
        refused(&text_with(serde_json::json!({ "format": "docker/mcp-profile" }))),
        ShareError::NotASetupFile { found } if found == "\"docker/mcp-profile\""
    ));
    assert!(matches!(
        refused(r#"{"version": 1}"#),
        ShareError::NotASetupFile { found } if found == "missing"
    ));
    assert!(matches!(
        refused("[1, 2]"),
        ShareError::NotASetupFile { .. }
    ));
    assert!(matches!(
        refused("name = 'directus'"),
        ShareError::NotJson { .. }
    ));
    let newer = refused(&text_with(serde_json::json!({ "version": 2 })));
    assert!(matches!(newer, ShareError::NewerVersion(2)), "{newer:?}");
    assert!(newer.to_string().contains("update directus-mcp-setup"));
    for version in [
        serde_json::json!(0),
        serde_json::json!("1"),
        serde_json::json!(1.5),
        serde_json::json!(-1),
    ] {
        assert!(
            matches!(
                refused(&text_with(serde_json::json!({ "version": version }))),
                ShareError::UnknownVersion(_)
            ),
            "{version}"
        );
    }
    let mut no_version =
        serde_json::from_str::<serde_json::Value>(&text_with(serde_json::json!({}))).unwrap();
    no_version.as_object_mut().unwrap().remove("version");
    assert!(matches!(
        refused(&no_version.to_string()),
        ShareError::UnknownVersion(_)
    ));
}

#[test]
fn a_missing_or_mistyped_field_is_refused() {
    let mut value =
        serde_json::from_str::<serde_json::Value>(&text_with(serde_json::json!({}))).unwrap();
    value.as_object_mut().unwrap().remove("url");
    assert!(
        matches!(refused(&value.to_string()), ShareError::Invalid(message) if message.contains("url"))
    );
    assert!(matches!(
        refused(&text_with(serde_json::json!({ "auth": "password" }))),
        ShareError::Invalid(_)
    ));
    assert!(matches!(
        refused(&text_with(serde_json::json!({ "clients": "cursor" }))),
        ShareError::Invalid(_)
    ));
}

#[test]
fn a_file_larger_than_any_setup_is_refused_before_parsing() {
    let padding = " ".repeat(LARGEST_FILE);
    let text = format!("{}{padding}", text_with(serde_json::json!({})));
    assert!(matches!(refused(&text), ShareError::TooLarge { .. }));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    std::fs::write(&path, &text).unwrap();
    assert!(matches!(
        read(&path, false),
        Err(ShareError::TooLarge { size }) if size == LARGEST_FILE + 1
    ));
    let exact = dir.path().join("setup.json");
    std::fs::write(&exact, to_text(&export(&project(AuthMode::Oauth, &[])))).unwrap();
    assert!(read(&exact, false).is_ok());
}

#[test]
fn the_name_must_name_client_entries() {
    for name in ["", "a b", "directus/../x", &"x".repeat(65)] {
        assert!(
            matches!(
                refused(&text_with(serde_json::json!({ "name": name }))),
                ShareError::InvalidName(_)
            ),
            "{name}"
        );
    }
    let file = parse(&text_with(serde_json::json!({}))).unwrap();
    assert!(matches!(
        file.clone().renamed("a b"),
        Err(ShareError::InvalidName(_))
    ));
    assert_eq!(file.renamed("directus-cms").unwrap().name, "directus-cms");
}

#[test]
fn the_url_must_be_an_https_address_or_http_on_this_computer() {
    for url in ["cms.example.com", "localhost:8055", ""] {
        let error = refused(&text_with(serde_json::json!({ "url": url })));
        assert!(matches!(error, ShareError::NoScheme(_)), "{url}: {error:?}");
    }
    for url in ["ftp://cms.example.com", "file:///etc/passwd"] {
        let error = refused(&text_with(serde_json::json!({ "url": url })));
        assert!(
            matches!(error, ShareError::Url(UrlError::UnsupportedScheme { .. })),
            "{url}: {error:?}"
        );
    }
    let plain = text_with(serde_json::json!({ "url": "http://cms.example.com" }));
    assert!(matches!(
        refused(&plain),
        ShareError::Url(UrlError::InsecureHttp { .. })
    ));
    assert_eq!(
        parse_with(&plain, true).unwrap().url,
        "http://cms.example.com"
    );
    for with_secret in [
        "https://admin:hunter2@cms.example.com",
        "https://cms.example.com/?access_token=abc",
    ] {
        let error = refused(&text_with(serde_json::json!({ "url": with_secret })));
        assert!(matches!(error, ShareError::Url(_)), "{with_secret}");
        assert!(!error.to_string().contains("hunter2"), "{error}");
    }
    let local = parse(&text_with(
        serde_json::json!({ "url": "http://localhost:8055/" }),
    ))
    .unwrap();
    assert_eq!(local.url, "http://localhost:8055");
    let cased = parse(&text_with(
        serde_json::json!({ "url": "HTTPS://CMS.example.com/" }),
    ))
    .unwrap();
    assert_eq!(cased.url, URL);
}

#[test]
fn an_oauth_setup_with_a_role_template_is_refused() {
    let error = refused(&text_with(
        serde_json::json!({ "auth": "oauth", "template": "administrator" }),
    ));
    assert!(
        matches!(error, ShareError::TemplateWithoutToken(_)),
        "{error:?}"
    );
}

#[test]
fn client_ids_must_be_ids_and_listed_once() {
    for id in ["", " cursor", "cur\nsor", &"c".repeat(129)] {
        assert!(
            matches!(
                refused(&text_with(serde_json::json!({ "clients": [id] }))),
                ShareError::InvalidClientId(_)
            ),
            "{id:?}"
        );
    }
    assert!(matches!(
        refused(&text_with(serde_json::json!({ "clients": ["cursor", "codex", "cursor"] }))),
        ShareError::DuplicateClient(id) if id == "cursor"
    ));
    let many: Vec<String> = (0..=MOST_CLIENTS).map(|n| format!("c{n}")).collect();
    assert!(matches!(
        refused(&text_with(serde_json::json!({ "clients": many }))),
        ShareError::TooManyClients(_)
    ));
    // Unknown ids are read: the preview names and skips them.
    assert!(
        parse(&text_with(
            serde_json::json!({ "clients": ["notepad", "vscode@Work"] })
        ))
        .is_ok()
    );
}

#[test]
fn the_preview_plans_each_client_as_connect_does_and_names_those_skipped() {
    let (_dir, env) = home(&[".cursor", ".codex"]);
    let file = export(&project(
        AuthMode::Token,
        &["cursor", "codex", "windsurf", "notepad"],
    ));
    let inputs = token_inputs("the-real-token-1234");
    let preview = preview_with(&file, &env, &ProjectList::default(), &inputs);
    let actions: Vec<_> = preview
        .clients
        .iter()
        .map(|c| (c.client.as_str(), c.action.clone()))
        .collect();
    assert_eq!(
        actions,
        [
            ("cursor", ClientAction::Connect),
            ("codex", ClientAction::Connect),
            ("windsurf", ClientAction::NotInstalled),
            ("notepad", ClientAction::Unknown),
        ]
    );
    assert!(
        preview.clients[2]
            .reason
            .as_deref()
            .unwrap()
            .contains("not installed")
    );
    assert!(
        preview.clients[3]
            .reason
            .as_deref()
            .unwrap()
            .contains("\"notepad\"")
    );
    assert_eq!(preview.token, TokenSource::Kept);
    assert!(preview.blockers.is_empty(), "{:?}", preview.blockers);
    // The plan is the one `connect --auth token --tool-mode registry` makes.
    let request = ConnectRequest {
        target: Target::new("directus", Scope::User, None).unwrap(),
        mcp_url: ToolMode::Registry.apply(&ServerUrl::parse(URL, false).unwrap().mcp_endpoint()),
        auth: AuthMode::Token,
        token: Some(SecretString::new("the-real-token-1234".to_owned())),
        inline_token: false,
        token_env_var: None,
        token_access: TokenAccess::Unchecked,
        stdio_bridge: StdioBridge::default(),
        oauth_via_bridge: false,
    };
    for (index, id) in ["cursor", "codex"].into_iter().enumerate() {
        let connect = clients::plan_connection(clients::find(id).unwrap(), &env, &request).unwrap();
        assert_eq!(
            preview.clients[index].plan,
            Some(connect.view(false)),
            "{id}"
        );
    }
    let shown = serde_json::to_string(&preview).unwrap();
    assert!(!shown.contains("the-real-token-1234"), "{shown}");
    assert!(!shown.contains("admin@example.com"), "{shown}");
    let ProjectChange::New { project } = &preview.project else {
        panic!("{:?}", preview.project)
    };
    assert_eq!(project.clients, ["cursor", "codex"]);
    assert_eq!(project.email, None);
}

#[test]
fn a_token_setup_previews_without_a_token_and_is_not_imported_without_one() {
    let (dir, env) = home(&[".cursor"]);
    let file = export(&project(AuthMode::Token, &["cursor"]));
    let with_token = preview_with(
        &file,
        &env,
        &ProjectList::default(),
        &token_inputs("t0k-real"),
    );
    let without = preview_with(
        &file,
        &env,
        &ProjectList::default(),
        &ImportInputs::default(),
    );
    assert_eq!(without.token, TokenSource::Missing);
    assert_eq!(without.clients[0].action, ClientAction::Connect);
    // The same masked diff: the placeholder is never shown.
    assert_eq!(without.clients[0].plan, with_token.clients[0].plan);
    assert!(
        !serde_json::to_string(&without)
            .unwrap()
            .contains(PREVIEW_TOKEN)
    );
    assert!(
        with_token
            .warnings
            .iter()
            .any(|w| w.contains("kept in this computer's OS keyring")),
        "{:?}",
        with_token.warnings
    );
    assert!(
        without.warnings.iter().all(|w| !w.contains("kept in")),
        "{:?}",
        without.warnings
    );
    assert_eq!(without.blockers.len(), 1);
    assert!(
        without.blockers[0].contains("DIRECTUS_MCP_TOKEN"),
        "{:?}",
        without.blockers
    );

    let list = store_path_in(&env);
    let error = import(&file, &env, &list, &ImportInputs::default(), &SystemRunner).unwrap_err();
    assert!(
        matches!(error, ShareError::TokenMissing { .. }),
        "{error:?}"
    );
    assert!(!list.exists(), "no project recorded");
    assert!(
        !dir.path().join(".cursor/mcp.json").exists(),
        "no file written"
    );
}

#[test]
fn a_name_held_for_another_server_is_refused_with_a_free_name() {
    let (dir, env) = home(&[".cursor"]);
    let path = store_path_in(&env);
    let mut here = project(AuthMode::Oauth, &[]);
    here.url = "https://other.example.com".to_owned();
    let mut list = ProjectList::default();
    list.upsert(here).unwrap();
    list.save(&path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let file = export(&project(AuthMode::Oauth, &["cursor"]));

    let preview = preview(&file, &env, &list);
    assert!(matches!(
        &preview.project,
        ProjectChange::NameClash { suggestion, .. } if suggestion == "directus-cms"
    ));
    assert_eq!(preview.blockers.len(), 1);
    let error = import(&file, &env, &path, &ImportInputs::default(), &SystemRunner).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, ShareError::NameClash { .. }));
    assert!(
        message.contains("--name directus-cms") && message.contains("https://other.example.com"),
        "{message}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the list is untouched"
    );
    assert!(
        !dir.path().join(".cursor/mcp.json").exists(),
        "no file written"
    );

    // Under the suggested name it goes in beside the other.
    let renamed = file.renamed("directus-cms").unwrap();
    let done = import(
        &renamed,
        &env,
        &path,
        &ImportInputs::default(),
        &SystemRunner,
    )
    .unwrap();
    assert!(matches!(done.project, ProjectChange::New { .. }));
    assert_eq!(ProjectList::load(&path).unwrap().projects.len(), 2);
}

#[test]
fn the_preview_tells_a_new_an_identical_and_an_updated_project() {
    let (_dir, env) = home(&[".cursor"]);
    let file = export(&project(AuthMode::Oauth, &["cursor"]));
    let mut list = ProjectList::default();
    assert!(matches!(
        preview(&file, &env, &list).project,
        ProjectChange::New { .. }
    ));

    let mut same = project(AuthMode::Oauth, &["cursor"]);
    same.template = None;
    list.upsert(same.clone()).unwrap();
    let ProjectChange::Identical { project } = preview(&file, &env, &list).project else {
        panic!("identical expected")
    };
    assert_eq!(
        project.email.as_deref(),
        Some("admin@example.com"),
        "the email here is kept"
    );

    let mut older = same;
    older.tool_mode = ToolMode::Full;
    older.clients.clear();
    let mut list = ProjectList::default();
    list.upsert(older).unwrap();
    let ProjectChange::Updated { changes, after, .. } = preview(&file, &env, &list).project else {
        panic!("updated expected")
    };
    assert_eq!(changes, ["tool mode: full → registry", "clients: + cursor"]);
    assert_eq!(after.tool_mode, ToolMode::Registry);
    assert_eq!(after.email.as_deref(), Some("admin@example.com"));
}

#[test]
fn a_project_for_the_same_server_under_another_name_is_warned_about() {
    let (_dir, env) = home(&[]);
    let mut list = ProjectList::default();
    let mut here = project(AuthMode::Oauth, &[]);
    here.name = "cms".to_owned();
    list.upsert(here).unwrap();
    let preview = preview(&export(&project(AuthMode::Oauth, &[])), &env, &list);
    assert!(
        preview
            .warnings
            .iter()
            .any(|w| w.contains("\"cms\"") && w.contains("two entries")),
        "{:?}",
        preview.warnings
    );
}

#[test]
fn an_import_connects_records_and_is_undone_byte_for_byte() {
    let (dir, env) = home(&[".cursor", ".codex"]);
    let cursor = dir.path().join(".cursor/mcp.json");
    let theirs =
        "{\n  \"mcpServers\": {\n    \"other\": { \"url\": \"https://x.example\" }\n  }\n}\n";
    std::fs::write(&cursor, theirs).unwrap();
    let path = store_path_in(&env);
    let file = export(&project(AuthMode::Token, &["cursor", "codex", "windsurf"]));
    let inputs = token_inputs("t0k-imported");

    let done = import(&file, &env, &path, &inputs, &SystemRunner).unwrap();
    assert!(done.applied && !done.a_client_failed());
    let actions: Vec<_> = done.clients.iter().map(|c| c.action.clone()).collect();
    assert_eq!(
        actions,
        [
            ClientAction::Connect,
            ClientAction::Connect,
            ClientAction::NotInstalled
        ]
    );
    assert!(done.clients[0].applied.is_some() && done.clients[2].applied.is_none());
    let written = std::fs::read_to_string(&cursor).unwrap();
    assert!(
        written.contains("t0k-imported") && written.contains("\"other\""),
        "{written}"
    );
    assert!(
        std::fs::read_to_string(dir.path().join(".codex/config.toml"))
            .unwrap()
            .contains("[mcp_servers.directus]")
    );
    let list = ProjectList::load(&path).unwrap();
    let recorded = list.get("directus").unwrap();
    assert_eq!(recorded.clients, ["cursor", "codex"]);
    assert_eq!(
        (recorded.auth, recorded.tool_mode, recorded.template),
        (
            AuthMode::Token,
            ToolMode::Registry,
            Some(RoleTemplate::ContentEditor)
        )
    );
    assert_eq!(recorded.email, None);

    // Again: nothing left to do.
    let again = import(&file, &env, &path, &inputs, &SystemRunner).unwrap();
    assert!(
        matches!(again.project, ProjectChange::Identical { .. }),
        "{:?}",
        again.project
    );
    assert_eq!(again.clients[0].action, ClientAction::UpToDate);
    assert_eq!(std::fs::read_to_string(&cursor).unwrap(), written);

    // Disconnecting gives the file back as it was.
    let target = Target::new("directus", Scope::User, None).unwrap();
    let plan = clients::find("cursor")
        .unwrap()
        .plan_disconnect(&env, &target)
        .unwrap();
    clients::apply(&plan, &SystemRunner).unwrap();
    assert_eq!(std::fs::read_to_string(&cursor).unwrap(), theirs);
}

#[test]
fn an_entry_pointing_elsewhere_is_named_before_it_is_replaced() {
    let (dir, env) = home(&[".cursor"]);
    std::fs::write(
        dir.path().join(".cursor/mcp.json"),
        r#"{"mcpServers": {"directus": {"url": "https://old.example.com/mcp"}}}"#,
    )
    .unwrap();
    let preview = preview(
        &export(&project(AuthMode::Oauth, &["cursor"])),
        &env,
        &ProjectList::default(),
    );
    let reason = preview.clients[0].reason.as_deref().unwrap();
    assert!(
        reason.contains("https://old.example.com/mcp") && reason.contains("replaces"),
        "{reason}"
    );
}

#[test]
fn a_name_clash_offers_this_computers_own_project_for_the_files_directus() {
    // Here `directus` is another server, and the file's Directus is already the project
    // `directus-cms`: the way out is that project's name, not a third one.
    let (_dir, env) = home(&[".cursor"]);
    let mut list = ProjectList::default();
    let mut other = project(AuthMode::Oauth, &[]);
    other.url = "https://other.example.com".to_owned();
    list.upsert(other).unwrap();
    let mut same = project(AuthMode::Oauth, &[]);
    same.name = "directus-mine".to_owned();
    list.upsert(same).unwrap();
    let file = export(&project(AuthMode::Oauth, &["cursor"]));
    let preview = preview(&file, &env, &list);
    assert!(
        matches!(
            &preview.project,
            ProjectChange::NameClash { suggestion, .. } if suggestion == "directus-mine"
        ),
        "{:?}",
        preview.project
    );
}
