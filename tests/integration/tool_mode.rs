//! Directus' tool mode per client (`connect --tool-mode registry`): written into every
//! entry shape (a `url` member in JSON, TOML and YAML files, the bridge's arguments,
//! mcp-remote's arguments), shown by `clients`, undone byte for byte by `disconnect`, and
//! proven against Directus 12.4.1: in registry mode `/mcp?tool_mode=registry` lists only
//! `search`, `execute` and `schema`; otherwise every tool.

use serde_json::Value;

use crate::support::clients::Home;
use crate::support::{Server, cli, exclusive, shared, shown_token};

const URL: &str = "https://cms.example.com";

/// The `clients --json` status of `id` in `home`.
fn status_of(home: &Home, url: &str, id: &str) -> Value {
    let listed = home.cli(false, &["--json", "clients", "--url", url]).json();
    listed["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == id)
        .unwrap_or_else(|| panic!("{id} missing: {listed}"))["status"]
        .clone()
}

/// One entry shape: the client, extra `connect` options, its file under the home, the
/// file's text before, and what the registry-mode entry holds.
struct Shape {
    client: &'static str,
    options: &'static [&'static str],
    file: &'static str,
    before: &'static str,
    registry_holds: &'static str,
}

const SHAPES: [Shape; 7] = [
    Shape {
        client: "cursor",
        options: &[],
        file: ".cursor/mcp.json",
        before: "{\n  // mine\n  \"mcpServers\": {\n    \"other\": { \"url\": \"https://other.example.com/mcp\" }\n  }\n}\n",
        registry_holds: "\"url\": \"https://cms.example.com/mcp?tool_mode=registry\"",
    },
    Shape {
        client: "codex",
        options: &["--auth", "token", "--token", "t0k"],
        file: ".codex/config.toml",
        before: "# my Codex\nmodel = \"o3\"\n\n[mcp_servers.other]\nurl = \"https://other.example.com/mcp\"\n",
        registry_holds: "url = \"https://cms.example.com/mcp?tool_mode=registry\"",
    },
    Shape {
        client: "continue",
        options: &["--auth", "token", "--token", "t0k"],
        file: ".continue/config.yaml",
        before: "# my Continue\nname: Local\nversion: 1.0.0\nmcpServers:\n  - name: other\n    type: streamable-http\n    url: https://other.example.com/mcp\n",
        registry_holds: "https://cms.example.com/mcp?tool_mode=registry",
    },
    Shape {
        client: "goose",
        options: &["--auth", "token", "--token", "t0k"],
        file: ".config/goose/config.yaml",
        before: "# my Goose\nGOOSE_PROVIDER: openai\nextensions:\n  other:\n    type: streamable_http\n    uri: https://other.example.com/mcp\n",
        registry_holds: "https://cms.example.com/mcp?tool_mode=registry",
    },
    Shape {
        client: "claude-code",
        options: &["--auth", "token", "--token", "t0k"],
        file: ".claude.json",
        before: "{\n  \"numStartups\": 3,\n  \"mcpServers\": {}\n}\n",
        registry_holds: "\"url\": \"https://cms.example.com/mcp?tool_mode=registry\"",
    },
    Shape {
        client: "claude-desktop",
        options: &["--auth", "token", "--token", "t0k"],
        file: ".config/Claude/claude_desktop_config.json",
        before: "{\n  \"globalShortcut\": \"Ctrl+Space\"\n}\n",
        registry_holds: "\"--tool-mode\", \"registry\"",
    },
    Shape {
        client: "claude-desktop",
        options: &["--auth", "token", "--token", "t0k", "--via", "mcp-remote"],
        file: ".config/Claude/claude_desktop_config.json",
        before: "{\n  \"globalShortcut\": \"Ctrl+Space\"\n}\n",
        registry_holds: "\"https://cms.example.com/mcp?tool_mode=registry\"",
    },
];

#[test]
fn registry_mode_goes_into_every_entry_shape_and_disconnect_gives_back_every_byte() {
    for shape in SHAPES {
        let what = format!("{} {:?}", shape.client, shape.options);
        let home = Home::new();
        let path = home.path().join(shape.file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, shape.before).unwrap();
        let connect = |mode: &str| {
            let mut args = vec!["connect", shape.client, "--url", URL, "--tool-mode", mode];
            args.extend_from_slice(shape.options);
            home.cli(false, &args).ok();
            std::fs::read_to_string(&path).unwrap()
        };

        let full = connect("full");
        assert!(
            !full.contains("tool_mode") && !full.contains("--tool-mode"),
            "{what}: {full}"
        );
        let status = status_of(&home, URL, shape.client);
        assert_eq!(status["state"], "connected", "{what}: {status}");
        assert_eq!(status["tool_mode"], "full", "{what}: {status}");

        let registry = connect("registry");
        assert!(
            registry.contains(shape.registry_holds),
            "{what}: {registry}"
        );
        let status = status_of(&home, URL, shape.client);
        assert_eq!(status["state"], "connected", "{what}: {status}");
        assert_eq!(status["tool_mode"], "registry", "{what}: {status}");
        let text = home
            .cli(false, &["clients", "--url", URL])
            .ok()
            .stdout
            .clone();
        assert!(text.contains("tool mode: registry"), "{what}: {text}");

        // Back to the full list: the entry is as the first connect wrote it.
        assert_eq!(connect("full"), full, "{what}");
        connect("registry");
        home.cli(false, &["disconnect", shape.client]).ok();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            shape.before,
            "{what}: disconnect gives back the file byte for byte"
        );
    }
}

/// A fresh MCP token on `server`, with MCP turned on (other tests may have turned it off).
fn enabled_token(server: &Server) -> String {
    cli(server, &["enable"]).ok();
    shown_token(server, "content-editor")
}

fn tool_names(report: &Value) -> Vec<String> {
    report["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn registry_mode_lists_directus_registry_tools_and_the_full_mode_every_tool() {
    let server = shared();
    let _guard = exclusive().await;
    let token = enabled_token(server);
    let verify = |mode: &str| cli(server, &["--json", "verify", "--tool-mode", mode]).json();
    let registry = verify("registry");
    assert_eq!(registry["tool_mode"], "registry");
    assert!(
        registry["mcp_url"]
            .as_str()
            .unwrap()
            .ends_with("/mcp?tool_mode=registry")
    );
    let mut registry_tools = tool_names(&registry);
    registry_tools.sort();
    assert_eq!(
        registry_tools,
        ["execute", "schema", "search"],
        "{registry}"
    );
    assert_eq!(registry["admin_only_tools_missing"], serde_json::json!([]));
    let full = verify("full");
    assert_eq!(full["tool_mode"], "full");
    let full_tools = tool_names(&full);
    assert!(full_tools.contains(&"items".to_owned()), "{full_tools:?}");
    assert!(!full_tools.contains(&"search".to_owned()), "{full_tools:?}");
    assert!(full_tools.len() > registry_tools.len(), "{full_tools:?}");
    let text = cli(server, &["verify", "--tool-mode", "registry"])
        .ok()
        .stdout
        .clone();
    assert!(text.contains("Tool mode: registry"), "{text}");

    // A client connected in registry mode: its check shakes hands at its own URL, and the
    // doctor names its mode and the tools that mode lists.
    let home = Home::new();
    home.cli(
        false,
        &[
            "connect",
            "cursor",
            "--auth",
            "token",
            "--token",
            &token,
            "--url",
            &server.url,
            "--tool-mode",
            "registry",
        ],
    )
    .ok();
    let checked = home
        .cli(
            false,
            &["--json", "clients", "--check", "--url", &server.url],
        )
        .json();
    let cursor = checked["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["id"] == "cursor")
        .unwrap()
        .clone();
    assert_eq!(cursor["outcome"], "works", "{cursor}");
    let mut tools: Vec<String> = cursor["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_owned())
        .collect();
    tools.sort();
    assert_eq!(tools, ["execute", "schema", "search"], "{cursor}");
    assert!(
        cursor["detail"]
            .as_str()
            .unwrap()
            .contains("registry tool mode"),
        "{cursor}"
    );

    let env = home.env(&home.path_without_clients);
    let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.extend([
        ("DIRECTUS_URL", server.url.as_str()),
        ("DIRECTUS_EMAIL", server.email.as_str()),
        ("DIRECTUS_PASSWORD", server.password.as_str()),
        ("DIRECTUS_MCP_TOKEN", token.as_str()),
    ]);
    let doctor = crate::support::cli_with_env(&env, &["--json", "doctor", "--for", "cursor"]);
    let report: Value = serde_json::from_str(&doctor.stdout)
        .unwrap_or_else(|e| panic!("doctor: {e}: {} {}", doctor.stdout, doctor.stderr));
    let tool_mode = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["topic"] == "tool-mode")
        .unwrap_or_else(|| panic!("no tool-mode check: {report}"))
        .clone();
    let detail = tool_mode["detail"].as_str().unwrap();
    assert!(
        detail.contains("Cursor gets Directus' registry tools"),
        "{detail}"
    );
    assert!(detail.contains("lists 3 tools"), "{detail}");
    assert_eq!(tool_mode["clients"], serde_json::json!(["cursor"]));
}

/// Claude Code, the real CLI, accepts a registry-mode entry: `claude mcp get` connects.
#[tokio::test]
async fn claude_code_connects_to_a_registry_mode_entry() {
    let server = shared();
    let _guard = exclusive().await;
    let token = enabled_token(server);
    let home = Home::new();
    home.cli(
        false,
        &[
            "connect",
            "claude-code",
            "--auth",
            "token",
            "--token",
            &token,
            "--url",
            &server.url,
            "--tool-mode",
            "registry",
        ],
    )
    .ok();
    let said = home.client("claude", &["mcp", "get", "directus"], home.path());
    let out = format!("{}{}", said.stdout, said.stderr);
    assert!(
        out.contains(&format!("{}/mcp?tool_mode=registry", server.url))
            && out.contains("Connected"),
        "{out}"
    );
}

/// Claude Desktop's entry in registry mode, started exactly as written (our bridge with
/// `--tool-mode registry`): Directus lists only its registry tools through the bridge.
#[tokio::test]
async fn the_bridge_in_registry_mode_hands_on_directus_registry_tools() {
    use rmcp::ServiceExt;
    let server = shared();
    let _guard = exclusive().await;
    enabled_token(server);
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
            "--tool-mode",
            "registry",
        ],
    )
    .ok();
    let config: Value = serde_json::from_str(
        &home
            .read(".config/Claude/claude_desktop_config.json")
            .unwrap(),
    )
    .unwrap();
    let entry = &config["mcpServers"]["directus"];
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
        .env("PATH", "/usr/bin:/bin");
    crate::support::join_test_keyring(&mut command);
    command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let mut child = tokio::process::Command::from(command)
        .spawn()
        .expect("start the bridge");
    let transport = (child.stdout.take().unwrap(), child.stdin.take().unwrap());
    let client = tokio::time::timeout(std::time::Duration::from_secs(120), ().serve(transport))
        .await
        .expect("initialize in time")
        .expect("initialize succeeds");
    let mut tools: Vec<String> = client
        .list_all_tools()
        .await
        .expect("tools/list")
        .iter()
        .map(|tool| tool.name.to_string())
        .collect();
    tools.sort();
    assert_eq!(tools, ["execute", "schema", "search"]);
    let _ = client.cancel().await;
    let _ = child.kill().await;
}
