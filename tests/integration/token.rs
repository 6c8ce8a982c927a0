//! `token create / rotate / revoke` and `verify`: the MCP user, its least-privilege role,
//! and a real handshake with its token.

use serde_json::Value;

use crate::support::{self, Api, CliRun, cli, cli_with_env};

fn verify_with(server: &support::Server, token: &str) -> CliRun {
    cli_with_env(
        &[("DIRECTUS_URL", &server.url)],
        &["--json", "verify", "--token", token],
    )
}

fn tool_names(report: &Value) -> Vec<String> {
    report["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_created_token_passes_verify_with_the_content_tools() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let api = Api::admin(server).await;
    api.remove_mcp_user().await;
    api.ensure_collection("articles").await;
    cli(server, &["enable"]).ok();

    let created = cli(
        server,
        &[
            "--json",
            "token",
            "create",
            "--template",
            "content-editor",
            "--collections",
            "articles",
        ],
    )
    .json();
    assert_eq!(created["created"], true);
    assert_eq!(created["stored_in_keyring"], true);
    assert_eq!(
        created["token"],
        Value::Null,
        "not shown without --show-token"
    );
    assert_eq!(created["user"]["role_name"], "MCP Content Editor");
    let granted = created["user"]["collections"].as_array().unwrap();
    assert!(granted.contains(&Value::from("articles")), "{granted:?}");
    let settings = api.settings().await;
    let prompts = &settings["mcp_prompts_collection"];
    assert!(
        granted.iter().all(|c| c == "articles" || c == prompts),
        "only articles and the prompts collection: {granted:?}"
    );

    // verify with the token kept in the keyring, as a client would connect.
    let report = cli_with_env(&[("DIRECTUS_URL", &server.url)], &["--json", "verify"]).json();
    let tools = tool_names(&report);
    for tool in ["items", "files", "folders", "schema"] {
        assert!(
            tools.contains(&tool.to_owned()),
            "{tool} missing from {tools:?}"
        );
    }
    assert!(
        !tools.contains(&"fields".to_owned()),
        "schema tools are for admins only"
    );
    assert_eq!(report["server_name"], "directus-mcp");
}

#[tokio::test]
async fn a_second_run_updates_the_same_user_and_never_duplicates() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let api = Api::admin(server).await;
    api.remove_mcp_user().await;
    api.ensure_collection("articles").await;
    let first = cli(
        server,
        &["--json", "token", "create", "--template", "content-editor"],
    )
    .json();
    let second = cli(
        server,
        &[
            "--json",
            "token",
            "create",
            "--template",
            "content-editor",
            "--collections",
            "articles",
            "--allow-delete",
            "articles",
        ],
    )
    .json();
    assert_eq!(second["created"], false);
    assert_eq!(first["user"]["id"], second["user"]["id"]);
    assert_eq!(second["user"]["role_name"], "MCP Content Editor");
    assert_eq!(api.mcp_users().await.len(), 1);
    assert_eq!(api.mcp_roles().await.len(), 1);
    assert_eq!(api.mcp_policies().await.len(), 1);
    // The policy really holds the second run's permissions and no stale ones.
    let policy = &api.mcp_policies().await[0];
    let permissions = api
        .get(&format!(
            "/permissions?filter[policy][_eq]={}&fields=collection,action&limit=-1",
            policy["id"].as_str().unwrap()
        ))
        .await;
    let rules: Vec<(String, String)> = permissions
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["collection"].as_str().unwrap().to_owned(),
                p["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        rules.contains(&("articles".into(), "delete".into())),
        "{rules:?}"
    );
    assert!(
        !rules
            .iter()
            .any(|(collection, action)| action == "delete" && collection != "articles"),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("articles".into(), "update".into())),
        "{rules:?}"
    );
    let mut unique = rules.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), rules.len(), "no duplicate permissions");
}

#[tokio::test]
async fn rotate_replaces_the_token_and_revoke_removes_it() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    cli(server, &["enable"]).ok();
    let old = support::shown_token(server, "content-editor");
    assert_eq!(old.len(), 64);
    verify_with(server, &old).json();

    // A backup of a client's settings that still holds the old token (as an older version
    // left them): rotating removes it and names it in `backups_removed`.
    let home = tempfile::tempdir().unwrap();
    let home_path = home.path().to_str().unwrap();
    let cursor = home.path().join(".cursor");
    std::fs::create_dir(&cursor).unwrap();
    std::fs::write(cursor.join("mcp.json"), "{}\n").unwrap();
    let backup = cursor
        .canonicalize()
        .unwrap()
        .join("mcp.json.directus-mcp-setup.bak");
    let as_admin_at_home = |args: &[&str]| {
        cli_with_env(
            &[
                ("DIRECTUS_URL", &server.url),
                ("DIRECTUS_EMAIL", &server.email),
                ("DIRECTUS_PASSWORD", &server.password),
                ("HOME", home_path),
            ],
            args,
        )
    };
    std::fs::write(&backup, format!("{{\"t\": \"Bearer {old}\"}}")).unwrap();
    let rotated = as_admin_at_home(&["--json", "token", "rotate", "--show-token"]).json();
    let new = rotated["token"].as_str().unwrap().to_owned();
    assert_ne!(old, new);
    assert!(!backup.exists(), "{rotated}");
    assert_eq!(
        rotated["backups_removed"],
        serde_json::json!([backup.display().to_string()]),
        "{rotated}"
    );
    assert!(
        verify_with(server, &old)
            .failure(5)
            .contains("refused the MCP token")
    );
    verify_with(server, &new).json();

    std::fs::write(&backup, format!("{{\"t\": \"Bearer {new}\"}}")).unwrap();
    let revoked = as_admin_at_home(&["--json", "token", "revoke"]).json();
    assert_eq!(revoked["revoked"], true);
    assert!(!backup.exists(), "{revoked}");
    assert_eq!(
        revoked["backups_removed"],
        serde_json::json!([backup.display().to_string()]),
        "{revoked}"
    );
    assert_eq!(revoked["user"]["has_token"], false);
    assert!(
        verify_with(server, &new)
            .failure(5)
            .contains("refused the MCP token")
    );
    let none_kept = cli_with_env(&[("DIRECTUS_URL", &server.url)], &["verify"]);
    assert!(
        none_kept
            .failure(1)
            .contains("none stored in the OS keyring"),
        "{}",
        none_kept.stderr
    );
}

#[tokio::test]
async fn a_suspended_mcp_user_stays_suspended_when_token_create_runs_again() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    cli(server, &["enable"]).ok();
    support::shown_token(server, "content-editor");
    let api = Api::admin(server).await;
    let id = api.mcp_users().await[0]["id"].as_str().unwrap().to_owned();
    // An admin suspends the MCP user in Directus.
    api.send(
        reqwest::Method::PATCH,
        &format!("/users/{id}"),
        serde_json::json!({ "status": "suspended" }),
    )
    .await;
    // Running the setup again brings the role in line and gives a new token, but the
    // suspension stands: the user's status is the admin's call.
    let token = support::shown_token(server, "content-editor");
    let status = api.get(&format!("/users/{id}?fields=status")).await["status"].clone();
    let refused = verify_with(server, &token);
    api.send(
        reqwest::Method::PATCH,
        &format!("/users/{id}"),
        serde_json::json!({ "status": "active" }),
    )
    .await;
    assert_eq!(status, "suspended");
    assert!(
        refused.failure(5).contains("refused the MCP token"),
        "{}",
        refused.stderr
    );
}

#[tokio::test]
async fn unknown_collections_are_refused_and_nothing_is_created() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let api = Api::admin(server).await;
    api.remove_mcp_user().await;
    let run = cli(
        server,
        &[
            "token",
            "create",
            "--template",
            "content-editor",
            "--collections",
            "articles,no_such_thing",
        ],
    );
    assert!(run.failure(1).contains("no_such_thing"), "{}", run.stderr);
    assert!(api.mcp_users().await.is_empty());
    assert!(api.mcp_roles().await.is_empty());
}

#[tokio::test]
async fn rotate_without_an_mcp_user_says_what_to_run() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    Api::admin(server).await.remove_mcp_user().await;
    let run = cli(server, &["token", "rotate"]);
    assert!(run.failure(1).contains("token create"), "{}", run.stderr);
}

#[tokio::test]
async fn verify_explains_mcp_turned_off_in_the_settings() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    cli(server, &["enable"]).ok();
    let token = support::shown_token(server, "content-editor");
    let api = Api::admin(server).await;
    api.send(
        reqwest::Method::PATCH,
        "/settings",
        serde_json::json!({ "mcp_enabled": false }),
    )
    .await;
    let run = verify_with(server, &token);
    let line = run.failure(5).to_owned();
    api.send(
        reqwest::Method::PATCH,
        "/settings",
        serde_json::json!({ "mcp_enabled": true }),
    )
    .await;
    assert!(
        line.contains("turned off in this project's settings"),
        "{line}"
    );
}

#[tokio::test]
async fn the_administrator_template_gets_the_schema_tools() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    cli(server, &["enable"]).ok();
    let refused = cli(server, &["token", "create", "--template", "administrator"]);
    assert!(
        refused.failure(1).contains("--confirm-administrator"),
        "{}",
        refused.stderr
    );
    cli(
        server,
        &[
            "token",
            "create",
            "--template",
            "administrator",
            "--confirm-administrator",
        ],
    )
    .ok();
    let report = cli_with_env(&[("DIRECTUS_URL", &server.url)], &["--json", "verify"]).json();
    assert!(tool_names(&report).contains(&"fields".to_owned()));
    assert_eq!(report["admin_only_tools_missing"], serde_json::json!([]));
    cli(server, &["token", "create", "--template", "content-editor"]).ok();
}

#[tokio::test]
async fn chosen_collections_still_let_the_mcp_user_read_the_prompts() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    Api::admin(server).await.ensure_collection("articles").await;
    cli(server, &["enable", "--generate-prompts-collection"]).ok();
    cli(
        server,
        &[
            "token",
            "create",
            "--template",
            "content-editor",
            "--collections",
            "articles",
        ],
    )
    .ok();
    let report = cli_with_env(&[("DIRECTUS_URL", &server.url)], &["--json", "verify"]).json();
    assert!(report["prompts"].is_array(), "{report}");
    assert_eq!(report["prompts_error"], Value::Null);
}

#[tokio::test]
async fn a_user_that_merely_carries_the_marker_is_never_adopted() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let api = Api::admin(server).await;
    api.remove_mcp_user().await;
    // A person's account (as SSO or LDAP could create it) whose identifier is the marker.
    let person = api
        .send(
            reqwest::Method::POST,
            "/users",
            serde_json::json!({
                "email": "sso-person@example.com",
                "external_identifier": "directus-mcp-setup",
                "status": "active"
            }),
        )
        .await;
    let id = person["id"].as_str().unwrap().to_owned();
    let run = cli(
        server,
        &[
            "token",
            "create",
            "--template",
            "administrator",
            "--confirm-administrator",
        ],
    );
    let error = run.failure(1);
    assert!(error.contains("was not made by this tool"), "{error}");
    assert!(error.contains("sso-person@example.com"), "{error}");
    let after = api
        .get(&format!("/users/{id}?fields=token,role,status"))
        .await;
    assert_eq!(after["token"], serde_json::Value::Null, "no token given");
    assert_eq!(after["role"], serde_json::Value::Null, "no role given");
    assert!(
        cli(server, &["token", "rotate"])
            .failure(1)
            .contains("not made by this tool")
    );
    // Read-only detection names it and goes on.
    let status = cli(server, &["--json", "status"]).json();
    assert_eq!(status["mcp_user"], serde_json::Value::Null);
    assert!(
        status["notes"]
            .to_string()
            .contains("not made by this tool"),
        "{status}"
    );
    api.request(reqwest::Method::DELETE, &format!("/users/{id}"), None)
        .await;
    // Without it, the tool makes its own user again.
    cli(server, &["token", "create", "--template", "content-editor"]).ok();
}

#[test]
fn a_secret_given_as_an_argument_is_warned_about() {
    let server = support::shared();
    let run = cli_with_env(
        &[("DIRECTUS_URL", &server.url)],
        &["verify", "--token", "not-a-real-token"],
    );
    assert!(
        run.stderr
            .contains("warning: --token on the command line can be read by other users"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("not-a-real-token"));
    let quiet = cli_with_env(
        &[
            ("DIRECTUS_URL", &server.url),
            ("DIRECTUS_MCP_TOKEN", "not-a-real-token"),
        ],
        &["verify"],
    );
    assert!(
        !quiet.stderr.contains("warning: --token"),
        "{}",
        quiet.stderr
    );
}

#[test]
fn a_token_directus_will_not_vouch_for_is_never_put_in_a_url() {
    let server = support::shared();
    let run = cli_with_env(
        &[
            ("DIRECTUS_URL", &server.url),
            ("DIRECTUS_MCP_TOKEN", "a-token-directus-does-not-know"),
        ],
        &["connect", "chatgpt", "--auth", "token", "--reveal"],
    );
    let error = run.failure(1);
    assert!(
        error.contains("could not confirm that the token is not an administrator's"),
        "{error}"
    );
    assert!(!run.stdout.contains("a-token-directus-does-not-know"));
}

/// `--json`: a command that fails prints its error on stderr and nothing on stdout, so a
/// script reading stdout never mistakes half an answer for one.
#[test]
fn a_failing_json_command_prints_nothing_on_stdout() {
    let server = support::shared();
    let runs = [
        verify_with(server, "not-a-real-token"),
        cli(
            server,
            &["--json", "token", "create", "--template", "administrator"],
        ),
        cli_with_env(
            &[
                ("DIRECTUS_URL", &server.url),
                ("DIRECTUS_EMAIL", &server.email),
                ("DIRECTUS_PASSWORD", "wrong-password"),
            ],
            &["--json", "status"],
        ),
        cli(server, &["--json", "connect", "no-such-client"]),
    ];
    for run in runs {
        assert_ne!(run.code, 0, "{run:?}");
        assert_eq!(run.stdout, "", "{run:?}");
        assert_eq!(
            run.stderr
                .lines()
                .filter(|l| l.starts_with("error: "))
                .count(),
            1,
            "{run:?}"
        );
    }
}

/// L10: a re-run of `token create` changes the existing MCP user's role before the keyring
/// is asked to keep the new token. When the keyring then fails (and the token is not
/// shown), the token is revoked and the error says what the role was, what it is now, and
/// the options that put it back.
#[tokio::test]
async fn a_keyring_failure_on_a_rerun_names_the_role_change_and_how_to_undo_it() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let api = Api::admin(server).await;
    api.remove_mcp_user().await;
    api.ensure_collection("articles").await;
    api.ensure_collection("pages").await;
    cli(server, &["enable"]).ok();
    cli(
        server,
        &[
            "token",
            "create",
            "--template",
            "content-editor",
            "--collections",
            "articles",
        ],
    )
    .ok();

    // The default backend needs the Secret Service, which no D-Bus answers here.
    let rerun = cli_with_env(
        &[
            ("DIRECTUS_URL", &server.url),
            ("DIRECTUS_EMAIL", &server.email),
            ("DIRECTUS_PASSWORD", &server.password),
            ("DIRECTUS_MCP_SETUP_KEYRING", "default"),
            ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus"),
        ],
        &[
            "token",
            "create",
            "--template",
            "content-editor",
            "--collections",
            "pages",
        ],
    );
    assert_ne!(rerun.code, 0, "the keyring failed: {}", rerun.stdout);
    let error = &rerun.stderr;
    assert!(error.contains("The new token was revoked"), "{error}");
    // The prompts collection, when another test made one, is read by both roles.
    let before = error
        .split("it was \"MCP Content Editor\" reading ")
        .nth(1)
        .and_then(|rest| rest.split(" and is now ").next())
        .unwrap_or_default();
    assert!(
        before.contains("articles") && !before.contains("pages"),
        "the role before: {error}"
    );
    let after = error
        .split("is now \"MCP Content Editor\" reading ")
        .nth(1)
        .and_then(|rest| rest.split(" (its delete").next())
        .unwrap_or_default();
    assert!(
        after.contains("pages") && !after.contains("articles"),
        "the role after: {error}"
    );
    assert!(
        error.contains("--template content-editor --collections articles)"),
        "how to put it back: {error}"
    );

    let report = cli(server, &["--json", "status"]).json();
    assert_eq!(
        report["mcp_user"]["has_token"], false,
        "the unseen token was revoked: {report}"
    );
}
