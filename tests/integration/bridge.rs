//! `bridge`: Claude Desktop's entry starts our own stdio bridge, which reads the token from
//! the OS keyring. Started exactly as Claude Desktop starts it (the command, arguments and
//! environment of the file; `PATH=/usr/bin:/bin`), against a Directus of its own that the
//! test rotates, revokes, kills and restarts.

use std::path::Path;
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::Method;
use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::service::{RoleClient, RunningService};
use serde_json::{Value, json};

use crate::support::clients::Home;
use crate::support::{self, Api, Server, cli};

/// A Directus for this test alone (it is killed and restarted).
fn bridge_server() -> Server {
    static STATE_DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    let dir = STATE_DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!(
            "directus-mcp-setup-tests-{}-bridge",
            std::process::id()
        ));
        support::start_server(
            &dir,
            &["MCP_OAUTH_ENABLED=true", "MCP_OAUTH_DCR_ENABLED=true"],
        );
        dir
    });
    support::read_server_env(dir)
}

/// The token kept in the keyring now (`token show`).
fn kept_token(server: &Server) -> String {
    cli(server, &["token", "show"])
        .ok()
        .stdout
        .trim()
        .to_owned()
}

/// Starts the `directus` entry of Claude Desktop's file as Claude Desktop does, with the
/// bridge's stderr going to `log`.
async fn start_entry(
    home: &Home,
    entry: &Value,
    log: &Path,
    extra_env: &[(&str, &str)],
) -> (RunningService<RoleClient, ()>, tokio::process::Child) {
    let mut command = std::process::Command::new(entry["command"].as_str().unwrap());
    command
        .args(
            entry["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|arg| arg.as_str().unwrap()),
        )
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", "/usr/bin:/bin")
        .envs(extra_env.iter().copied());
    for (name, value) in entry
        .get("env")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        command.env(name, value.as_str().unwrap());
    }
    // The desktop session's keyring (what the CLI stored the token in).
    support::join_test_keyring(&mut command);
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log).unwrap());
    let mut child = tokio::process::Command::from(command)
        .spawn()
        .expect("start the bridge");
    let transport = (child.stdout.take().unwrap(), child.stdin.take().unwrap());
    let read_log = || std::fs::read_to_string(log).unwrap_or_default();
    match tokio::time::timeout(Duration::from_secs(120), ().serve(transport)).await {
        Ok(Ok(client)) => (client, child),
        Ok(Err(error)) => panic!(
            "initialize failed ({error}); the bridge's log: {}",
            read_log()
        ),
        Err(_) => panic!(
            "no initialize answer in time; the bridge's log: {}",
            read_log()
        ),
    }
}

async fn tool_names(client: &RunningService<RoleClient, ()>) -> Result<Vec<String>, String> {
    client
        .list_all_tools()
        .await
        .map(|tools| tools.iter().map(|tool| tool.name.to_string()).collect())
        .map_err(|error| error.to_string())
}

#[tokio::test]
async fn claude_desktop_runs_our_bridge_through_rotation_restart_and_revocation() {
    let server = bridge_server();
    cli(&server, &["enable", "--generate-prompts-collection"]).ok();
    let api = Api::admin(&server).await;
    api.ensure_collection("bridge_notes").await;
    api.send(
        Method::POST,
        "/items/bridge_notes",
        json!({ "title": "read through the bridge" }),
    )
    .await;
    cli(
        &server,
        &[
            "token",
            "create",
            "--template",
            "content-editor",
            "--collections",
            "bridge_notes",
        ],
    )
    .ok();
    let first_token = kept_token(&server);

    // Connect Claude Desktop with the token: the entry runs our CLI; no token, no Node.js.
    let home = Home::new();
    home.cli(
        false,
        &[
            "connect",
            "claude-desktop",
            "--auth",
            "token",
            "--url",
            &server.url,
        ],
    )
    .ok();
    let file = home
        .path()
        .join(".config/Claude/claude_desktop_config.json");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(&first_token), "no token in the file: {text}");
    let config: Value = serde_json::from_str(&text).unwrap();
    let entry = config["mcpServers"]["directus"].clone();
    let program = entry["command"].as_str().unwrap();
    assert!(
        Path::new(program).is_absolute() && program.ends_with("directus-mcp-setup"),
        "{entry}"
    );
    assert_eq!(entry["args"], json!(["bridge", "--url", server.url]));
    assert!(entry.get("env").is_none(), "{entry}");
    let status = home
        .cli(false, &["--json", "clients", "--url", &server.url])
        .json();
    let desktop = status["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == "claude-desktop")
        .unwrap()
        .clone();
    assert_eq!(desktop["status"]["state"], "connected", "{desktop}");
    assert_eq!(desktop["status"]["auth"]["kind"], "keyring", "{desktop}");

    let log = home.path().join("bridge.log");
    let (client, mut bridge) = start_entry(&home, &entry, &log, &[]).await;
    let info = client.peer_info().expect("an initialize result");
    assert_eq!(
        info.server_info.as_ref().map(|server| server.name.as_str()),
        Some("directus-mcp"),
        "Directus' own initialize answer is passed on"
    );
    let names = tool_names(&client).await.unwrap();
    assert!(names.contains(&"items".to_owned()), "{names:?}");
    let read = client
        .call_tool(
            CallToolRequestParams::new("items").with_arguments(
                json!({ "action": "read", "collection": "bridge_notes" })
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
        )
        .await
        .expect("tools/call answered");
    let content = serde_json::to_string(&read.content).unwrap();
    assert!(content.contains("read through the bridge"), "{content}");
    client.list_all_prompts().await.expect("prompts/list");

    // A rotation in another process: the running bridge's next call uses the new token.
    cli(&server, &["token", "rotate"]).ok();
    let second_token = kept_token(&server);
    assert_ne!(first_token, second_token);
    let after_rotation = tool_names(&client).await;
    assert!(
        after_rotation.is_ok(),
        "{after_rotation:?}; log: {}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );

    // Directus killed: the call fails cleanly; restarted: the next call succeeds.
    support::kill_server(&server);
    let down = tool_names(&client).await.unwrap_err();
    assert!(down.contains("could not be reached"), "{down}");
    let server = support::restart_server(&server);
    let back = tool_names(&client).await;
    assert!(
        back.is_ok(),
        "{back:?}; log: {}",
        std::fs::read_to_string(&log).unwrap()
    );

    // Revoked: a JSON-RPC error that says what to do.
    cli(&server, &["token", "revoke"]).ok();
    let revoked = tool_names(&client).await.unwrap_err();
    assert!(
        revoked.contains("token") && revoked.contains("Directus MCP Setup"),
        "{revoked}"
    );

    // The client closes stdin: the bridge ends by itself. Its log never held a token.
    client.cancel().await.ok();
    let exit = tokio::time::timeout(Duration::from_secs(20), bridge.wait())
        .await
        .expect("the bridge ends when stdin closes")
        .unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        exit.success() && text.contains("closed stdin"),
        "{exit}: {text}"
    );
    for token in [&first_token, &second_token] {
        assert!(!text.contains(token.as_str()), "a token in the log: {text}");
    }

    signs_in_with_oauth_and_reports_a_revoked_grant(&server).await;
}

/// `connect claude-desktop --auth oauth --via bridge`: the bridge registers itself, opens
/// the consent page (here a "browser" that writes the URL down, approved by the test as the
/// admin's browser would), lists tools; `grants list` shows it, and once `grants revoke`
/// removes it, the next call says so.
async fn signs_in_with_oauth_and_reports_a_revoked_grant(server: &Server) {
    cli(server, &["oauth", "enable", "--dcr"]).ok();
    let home = Home::new();
    home.cli(
        false,
        &[
            "connect",
            "claude-desktop",
            "--auth",
            "oauth",
            "--via",
            "bridge",
            "--url",
            &server.url,
        ],
    )
    .ok();
    let config: Value = serde_json::from_str(
        &std::fs::read_to_string(
            home.path()
                .join(".config/Claude/claude_desktop_config.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let entry = config["mcpServers"]["directus"].clone();
    assert_eq!(
        entry["args"],
        json!(["bridge", "--url", server.url, "--auth", "oauth"])
    );

    let opened = home.path().join("opened-url");
    let browser = home.path().join("browser");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(
        &browser,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let directus = crate::support::oauth_client::Directus {
        url: server.url.clone(),
        email: server.email.clone(),
        password: server.password.clone(),
    };
    let consent = tokio::spawn({
        let opened = opened.clone();
        async move {
            let url = loop {
                if let Ok(url) = std::fs::read_to_string(&opened)
                    && !url.is_empty()
                {
                    break url;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            };
            assert!(url.contains("/mcp-oauth/authorize"), "{url}");
            let back = crate::support::oauth_client::approve_consent(&directus, &url).await;
            assert!(back.starts_with("http://127.0.0.1:"), "{back}");
            let page = crate::support::http_client()
                .get(&back)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(page.contains("Signed in"), "{page}");
        }
    });
    let log = home.path().join("bridge-oauth.log");
    let browser = browser.display().to_string();
    let (client, _bridge) = start_entry(&home, &entry, &log, &[("BROWSER", &browser)]).await;
    consent.await.expect("the consent was given");
    let names = tool_names(&client).await.unwrap();
    assert!(names.contains(&"items".to_owned()), "{names:?}");
    let (access_token, refresh_token) = kept_oauth_tokens(&server.url);

    let grants = cli(server, &["--json", "grants", "list"]).json();
    let ours = grants
        .as_array()
        .or_else(|| grants["clients"].as_array())
        .unwrap()
        .iter()
        .find(|client| client["client_name"] == "Directus MCP Setup (bridge)")
        .unwrap_or_else(|| panic!("the bridge is listed: {grants}"))
        .clone();
    let id = ours["client_id"].as_str().unwrap();
    cli(server, &["grants", "revoke", id]).ok();
    let revoked = tool_names(&client).await.unwrap_err();
    assert!(
        revoked.contains("refused the bridge's OAuth sign-in"),
        "{revoked}"
    );
    client.cancel().await.ok();
    let text = std::fs::read_to_string(&log).unwrap();
    for (name, value) in [("access", &access_token), ("refresh", &refresh_token)] {
        assert!(
            !text.contains(value.as_str()),
            "the {name} token's value is in the bridge's log: {text}"
        );
    }
}

/// The access and refresh tokens the bridge keeps for `url`, read from the test session
/// keyring (joined by one thread: a session keyring belongs to a thread's credentials).
fn kept_oauth_tokens(url: &str) -> (String, String) {
    let url = url.to_owned();
    std::thread::spawn(move || {
        let name =
            std::ffi::CString::new(format!("directus-mcp-setup-tests-{}", std::process::id()))
                .unwrap();
        const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
        // SAFETY: keyctl(2) reads `name`, a valid NUL-terminated string; it changes only this
        // thread's session keyring.
        let joined =
            unsafe { libc::syscall(libc::SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name.as_ptr()) };
        assert!(joined >= 0, "join the test keyring");
        let server = directus_mcp_setup::directus::ServerUrl::parse(&url, false).unwrap();
        let kept = directus_mcp_setup::secret_store::SecretStore::new()
            .load(
                &server,
                &directus_mcp_setup::secret_store::SecretKind::BridgeOAuth,
            )
            .unwrap()
            .expect("the bridge keeps its sign-in in the keyring");
        let kept: Value = serde_json::from_str(kept.expose()).unwrap();
        let token = |field: &str| {
            let value = kept["token_response"][field].as_str().unwrap().to_owned();
            assert!(value.len() >= 16, "a real {field}: {value}");
            value
        };
        (token("access_token"), token("refresh_token"))
    })
    .join()
    .unwrap()
}
