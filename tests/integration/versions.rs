//! Other Directus versions than the suite's 12.4.1, each a real server from the npm registry
//! (`DIRECTUS_VERSION=X scripts/directus-server.sh`, cached by version): the static-token
//! path on 11.17.4 and 12.0.2, the OAuth steps' plain refusal on 11.17.4, Directus' empty
//! 204 answer, and the refusal of 11.11 before anything is changed.
//!
//! Each test starts its own server of its version, so they are `#[ignore]`d in the main run
//! (which has one 12.4.1): `scripts/test.sh` runs them as the version suites, e.g.
//! `cargo test --test integration versions::v11_17 -- --ignored`.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::support::clients::Home;
use crate::support::{Api, CliRun, Server, cli, read_server_env, repo_root};

/// Starts a Directus `version` (installed on first use) with extra environment lines; it
/// stops when the test process exits.
fn start_version(version: &str, name: &str, env: &[&str]) -> Server {
    let dir = std::env::temp_dir().join(format!(
        "directus-mcp-setup-tests-{}-{name}",
        std::process::id()
    ));
    let pid = std::process::id().to_string();
    let state = dir.to_str().expect("utf-8 path");
    let mut args = vec!["start", state, "--stop-with-pid", &pid];
    for kv in env {
        args.extend(["--env", kv]);
    }
    let status = Command::new(repo_root().join("scripts/directus-server.sh"))
        .env("DIRECTUS_VERSION", version)
        .args(&args)
        .status()
        .expect("run scripts/directus-server.sh");
    assert!(status.success(), "Directus {version} did not start");
    read_server_env(Path::new(&dir))
}

/// The version the server says it is (`/server/info`, as an admin).
async fn reported_version(api: &Api) -> String {
    api.get("/server/info").await["version"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// `cli(server, args)` on a blocking thread (the CLI is a process; tests are async).
async fn run(server: &Server, args: &[&str]) -> CliRun {
    let (server, args): (Server, Vec<String>) = (
        server.clone(),
        args.iter().map(|a| (*a).to_owned()).collect(),
    );
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cli(&server, &args)
    })
    .await
    .unwrap()
}

/// The names of the collections, users and roles on the server: what a step could have made.
async fn inventory(api: &Api) -> Value {
    let names = |list: Value, key: &str| -> Vec<Value> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|row| row[key].clone())
            .collect()
    };
    json!({
        "collections": names(api.get("/collections?fields=collection&limit=-1").await, "collection"),
        "users": names(api.get("/users?fields=email&limit=-1").await, "email"),
        "roles": names(api.get("/roles?fields=name&limit=-1").await, "name"),
        "policies": names(api.get("/policies?fields=name&limit=-1").await, "name"),
    })
}

/// The whole static-token path, as a new user runs it: status, enable with the generated
/// prompts collection, token create/rotate/revoke, verify, connect a real client CLI, and
/// `clients --check` (exit 0 while it works, 1 once the token is revoked).
async fn static_token_path_works(version: &str, name: &str) {
    let server = start_version(version, name, &[]);
    let api = Api::admin(&server).await;
    assert_eq!(
        reported_version(&api).await,
        version,
        "the server under test"
    );

    let status = run(&server, &["--json", "status"]).await.json();
    assert_eq!(status["version"], version, "{status}");
    assert_eq!(status["settings"]["mcp_oauth_enabled"], false, "{status}");
    let says_oauth_needs_12 = status["notes"].as_array().unwrap().iter().any(|note| {
        note.as_str()
            .unwrap()
            .contains("not MCP OAuth (Directus 12")
    });
    assert_eq!(
        says_oauth_needs_12,
        version.starts_with("11."),
        "status notes: {status}"
    );

    let enabled = run(
        &server,
        &["--json", "enable", "--generate-prompts-collection"],
    )
    .await
    .json();
    assert_eq!(enabled["settings"]["mcp_enabled"], true, "{enabled}");
    assert_eq!(
        enabled["settings"]["mcp_prompts_collection"], "ai_prompts",
        "{enabled}"
    );
    // What Directus holds now: MCP on, the prompts setting naming a collection that exists.
    let settings = api.settings().await;
    assert_eq!(settings["mcp_enabled"], true, "{settings}");
    assert_eq!(
        settings["mcp_prompts_collection"], "ai_prompts",
        "{settings}"
    );
    let (collection, _) = api
        .request(reqwest::Method::GET, "/collections/ai_prompts", None)
        .await;
    assert_eq!(collection, 200, "the generated prompts collection stays");

    let created = run(
        &server,
        &[
            "--json",
            "token",
            "create",
            "--template",
            "content-editor",
            "--show-token",
        ],
    )
    .await
    .json();
    let first = created["token"].as_str().expect("a token").to_owned();
    let verified = run(&server, &["--json", "verify", "--token", &first])
        .await
        .json();
    assert!(
        verified["tools"]
            .as_array()
            .unwrap()
            .iter()
            .any(|tool| tool["name"] == "items"),
        "{verified}"
    );
    let rotated = run(&server, &["--json", "token", "rotate", "--show-token"])
        .await
        .json();
    let token = rotated["token"].as_str().expect("a token").to_owned();
    assert_ne!(token, first);
    let refused = run(&server, &["verify", "--token", &first]).await;
    assert_eq!(refused.code, 5, "the rotated-out token: {}", refused.stderr);
    run(&server, &["verify", "--token", &token]).await.ok();

    // A real client CLI connected with the token, and proven by `clients --check`.
    let home = Home::new();
    let url = server.url.clone();
    let checked = {
        let (home, token, url) = (&home, token.clone(), url.clone());
        home.cli(
            true,
            &[
                "connect",
                "claude-code",
                "--auth",
                "token",
                "--token",
                &token,
                "--url",
                &url,
            ],
        )
        .ok();
        home.cli(true, &["--json", "clients", "--check", "--url", &url])
    };
    let report = checked.json();
    let claude = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["id"] == "claude-code")
        .unwrap_or_else(|| panic!("no check of claude-code: {report}"));
    assert_eq!(claude["outcome"], "works", "{report}");

    run(&server, &["token", "revoke"]).await.ok();
    let after = home.cli(true, &["--json", "clients", "--check", "--url", &url]);
    assert_eq!(
        after.code, 1,
        "a failed check fails the run: {}{}",
        after.stdout, after.stderr
    );
    let refused = run(&server, &["verify", "--token", &token]).await;
    assert_eq!(refused.code, 5, "the revoked token: {}", refused.stderr);
}

#[tokio::test]
#[ignore = "a version suite: starts Directus 11.17.4 (scripts/test.sh runs it)"]
async fn v11_17_the_static_token_path_works_end_to_end() {
    static_token_path_works("11.17.4", "v11-17-token").await;
}

#[tokio::test]
#[ignore = "a version suite: starts Directus 12.0.2 (scripts/test.sh runs it)"]
async fn v12_0_the_static_token_path_works_end_to_end() {
    static_token_path_works("12.0.2", "v12-0-token").await;
}

/// The OAuth steps on 11.17.4 (even one started with `MCP_OAUTH_ENABLED=true`, which 11.x
/// ignores) say MCP OAuth needs Directus 12, change nothing, and never ask for the
/// environment line that is already there.
#[tokio::test]
#[ignore = "a version suite: starts Directus 11.17.4 (scripts/test.sh runs it)"]
async fn v11_17_the_oauth_steps_say_plainly_that_they_need_directus_12() {
    let server = start_version(
        "11.17.4",
        "v11-17-oauth",
        &["MCP_OAUTH_ENABLED=true", "MCP_OAUTH_DCR_ENABLED=true"],
    );
    let api = Api::admin(&server).await;
    let before = api.settings().await;
    for args in [
        &["oauth", "status"][..],
        &["oauth", "enable", "--dcr"][..],
        &["grants", "list"][..],
    ] {
        let run = run(&server, args).await;
        let line = run.failure(1);
        assert!(
            line.contains("MCP OAuth needs Directus 12") && line.contains("11.17.4"),
            "{args:?}: {line}"
        );
        assert!(
            line.contains("token create"),
            "{args:?} says what works meanwhile: {line}"
        );
        assert!(
            !line.contains("MCP_OAUTH_ENABLED=true"),
            "{args:?} asks for a line that is set: {line}"
        );
    }
    assert_eq!(api.settings().await, before, "nothing was changed");

    // The doctor says the same as a warning for the OAuth client, and runs no OAuth check.
    let doctor = run(&server, &["--json", "doctor", "--for", "cursor"]).await;
    let report: Value = serde_json::from_str(&doctor.stdout)
        .unwrap_or_else(|_| panic!("doctor's report: {}{}", doctor.stdout, doctor.stderr));
    let checks = report["checks"].as_array().unwrap();
    let version = checks
        .iter()
        .find(|check| check["topic"] == "version")
        .unwrap_or_else(|| panic!("no version check: {report}"));
    assert_eq!(version["verdict"], "warning", "{version}");
    assert!(
        version["detail"].as_str().unwrap().contains("11.17.4"),
        "{version}"
    );
    assert!(
        checks.iter().all(|check| check["topic"] != "oauth"),
        "{report}"
    );
}

/// On 11.17.4 Directus answers a settings save whose read-back names a field it lacks with
/// an empty 204 (what the OAuth fields did before): the change is applied, and the client
/// takes the empty answer as success.
#[tokio::test]
#[ignore = "a version suite: starts Directus 11.17.4 (scripts/test.sh runs it)"]
async fn v11_17_an_empty_204_answer_to_a_settings_save_is_success() {
    let server = start_version("11.17.4", "v11-17-204", &[]);
    let api = Api::admin(&server).await;
    let session = directus_mcp_setup::directus::Session::sign_in(
        directus_mcp_setup::directus::DirectusClient::new(
            directus_mcp_setup::directus::ServerUrl::parse(&server.url, true).unwrap(),
        )
        .unwrap(),
        directus_mcp_setup::directus::Credentials::Password {
            email: server.email.clone(),
            password: directus_mcp_setup::secret::SecretString::new(server.password.clone()),
            otp: None,
        },
    )
    .await
    .expect("sign in");
    let answer: Option<Value> = session
        .client()
        .patch_or_empty(
            "/settings",
            &[("fields", "mcp_enabled,mcp_oauth_enabled")],
            &json!({ "mcp_allow_deletes": true }),
        )
        .await
        .expect("an empty 204 is success");
    assert_eq!(answer, None, "Directus 11.17.4 answered with a body");
    assert_eq!(api.settings().await["mcp_allow_deletes"], true, "applied");
}

/// Directus 11.11 has no MCP: every step that would change something refuses first, and
/// the server is exactly as before (no role, user, policy, collection or setting made).
#[tokio::test]
#[ignore = "a version suite: starts Directus 11.11.0 (scripts/test.sh runs it)"]
async fn v11_11_is_refused_before_anything_is_changed() {
    let server = start_version("11.11.0", "v11-11", &[]);
    let api = Api::admin(&server).await;
    assert_eq!(reported_version(&api).await, "11.11.0");
    let inventory_before = inventory(&api).await;
    // Every setting (11.11 has no MCP fields to ask for).
    let settings_before = api.get("/settings").await;
    for args in [
        &["status"][..],
        &["enable", "--generate-prompts-collection"][..],
        &[
            "token",
            "create",
            "--template",
            "content-editor",
            "--show-token",
        ][..],
        &["token", "rotate", "--show-token"][..],
        &["oauth", "enable", "--dcr"][..],
    ] {
        let run = run(&server, args).await;
        let line = run.failure(1);
        assert!(
            line.contains("11.11.0") && line.contains("11.13 or later"),
            "{args:?}: {line}"
        );
        assert!(line.contains("Nothing was changed"), "{args:?}: {line}");
    }
    assert_eq!(inventory(&api).await, inventory_before, "nothing was made");
    assert_eq!(
        api.get("/settings").await,
        settings_before,
        "no setting changed"
    );
}
