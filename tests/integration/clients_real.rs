//! The entries we write, proven by the real clients against the real Directus: Claude
//! Code's and Gemini CLI's own health checks report them connected, Codex lists them, and
//! the Claude Desktop bridge completes an MCP handshake.

use std::os::unix::fs::PermissionsExt;

use rmcp::ServiceExt;
use rmcp::transport::TokioChildProcess;
use serde_json::Value;

use crate::support::clients::{Home, clients_bin};
use crate::support::{Server, cli, exclusive, shared, shown_token};

/// A fresh MCP token on `server`, with MCP turned on (other tests may have turned it off).
fn enabled_token(server: &Server) -> String {
    cli(server, &["enable"]).ok();
    shown_token(server, "content-editor")
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Asserts that the line of `output` holding `marker` holds every one of `needles`.
fn assert_line(output: &str, marker: &str, needles: &[&str]) {
    let line = output
        .lines()
        .find(|l| l.trim_start().contains(marker))
        .unwrap_or_default();
    for needle in needles {
        assert!(
            line.contains(needle),
            "{needle:?} missing from the `{marker}` line of:\n{output}"
        );
    }
}

/// `connect CLIENT --auth token --token TOKEN --url URL` in `home`, which must succeed;
/// `with_clients` puts the client CLIs on its PATH.
fn connect_with_token(home: &Home, with_clients: bool, client: &str, token: &str, url: &str) {
    home.cli(
        with_clients,
        &[
            "connect", client, "--auth", "token", "--token", token, "--url", url,
        ],
    )
    .ok();
}

/// The `clients --json` status of `id`.
fn status_of(home: &Home, url: &str, id: &str) -> Value {
    let listed = home.cli(true, &["--json", "clients", "--url", url]).json();
    listed["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == id)
        .unwrap_or_else(|| panic!("{id} missing: {listed}"))["status"]
        .clone()
}

#[tokio::test]
async fn claude_code_reports_directus_connected_through_its_cli_and_through_the_file() {
    let server = shared();
    let _guard = exclusive().await;
    let token = enabled_token(server);
    let home = Home::new();
    let project = home.path();
    let list = |home: &Home| home.client("claude", &["mcp", "list"], project);

    // With `claude` installed, a token in user scope: our CLI writes ~/.claude.json itself
    // (`claude mcp add --header` would put the token in its argv, readable by every user).
    let connected = home
        .cli(
            true,
            &[
                "--json",
                "connect",
                "claude-code",
                "--auth",
                "token",
                "--url",
                &server.url,
            ],
        )
        .json();
    assert_eq!(connected["applied"]["commands"], serde_json::json!([]));
    assert!(
        connected["applied"]["files"][0]["path"]
            .as_str()
            .is_some_and(|path| path.ends_with(".claude.json")),
        "{connected}"
    );
    assert!(
        !connected.to_string().contains(&token),
        "the token is never printed"
    );
    let mcp_url = format!("{}/mcp", server.url);
    assert_line(
        &list(&home).ok().stdout,
        "directus:",
        &[&mcp_url, "Connected"],
    );
    assert_eq!(
        status_of(&home, &server.url, "claude-code")["state"],
        "connected"
    );
    assert_eq!(mode(&home.path().join(".claude.json")), 0o600);

    home.cli(true, &["disconnect", "claude-code", "--url", &server.url])
        .ok();
    assert!(!list(&home).ok().stdout.contains("directus:"));

    // Without `claude` on PATH: our CLI edits ~/.claude.json (which Claude Code made, with
    // its many other keys), and Claude Code accepts the entry.
    let before = home
        .read(".claude.json")
        .expect("Claude Code wrote its file");
    connect_with_token(&home, false, "claude-code", &token, &server.url);
    assert_line(
        &list(&home).ok().stdout,
        "directus:",
        &[&mcp_url, "Connected"],
    );
    home.cli(false, &["disconnect", "claude-code"]).ok();
    // Claude Code may have rewritten its own file meanwhile (it keeps state there): then our
    // entry is taken out in place; every other key stays.
    let after: Value = serde_json::from_str(&home.read(".claude.json").unwrap()).unwrap();
    let before: Value = serde_json::from_str(&before).unwrap();
    assert!(after["mcpServers"].get("directus").is_none());
    for key in before.as_object().unwrap().keys() {
        assert!(after.get(key).is_some(), "{key} lost");
    }

    // OAuth holds no secret: then `claude mcp add` itself is run, and Claude Code lists it.
    let oauth = home
        .cli(
            true,
            &[
                "--json",
                "connect",
                "claude-code",
                "--url",
                &server.url,
                "--auth",
                "oauth",
            ],
        )
        .json();
    assert!(
        oauth["applied"]["commands"]
            .to_string()
            .contains("claude mcp add --transport http --scope user directus"),
        "{oauth}"
    );
    assert!(list(&home).ok().stdout.contains(&mcp_url));
}

/// With `CLAUDE_CONFIG_DIR` set, `connect claude-code` writes `.claude.json` in that folder
/// (the home's is untouched), and the real `claude`, given the same variable, finds the
/// entry and connects; `disconnect` takes it out of the same file.
#[tokio::test]
async fn claude_config_dir_is_where_claude_reads() {
    let server = shared();
    let _guard = exclusive().await;
    let token = enabled_token(server);
    let home = Home::new();
    let config_dir = home.path().join("claude-work");
    let mut env = home.env(&home.path_with_clients);
    env.push((
        "CLAUDE_CONFIG_DIR".to_owned(),
        config_dir.display().to_string(),
    ));
    let with_variable: Vec<(&str, &str)> =
        env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let claude_get = || {
        let output = std::process::Command::new(clients_bin().join("claude"))
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .args(["mcp", "get", "directus"])
            .current_dir(home.path())
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run claude");
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    };

    let connected = crate::support::cli_with_env(
        &with_variable,
        &[
            "--json",
            "connect",
            "claude-code",
            "--auth",
            "token",
            "--token",
            &token,
            "--url",
            &server.url,
        ],
    )
    .json();
    let written = config_dir.join(".claude.json");
    assert_eq!(
        connected["applied"]["files"][0]["path"],
        written.display().to_string(),
        "{connected}"
    );
    assert!(
        home.read(".claude.json").is_none(),
        "the home's .claude.json is not written"
    );
    // `clients` (and so the app, which shows the same overview) names that file and reads
    // the entry there.
    let listed =
        crate::support::cli_with_env(&with_variable, &["--json", "clients", "--url", &server.url])
            .json();
    let row = listed["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == "claude-code")
        .cloned()
        .unwrap_or_else(|| panic!("claude-code missing: {listed}"));
    assert_eq!(row["file"], written.display().to_string(), "{row}");
    assert_eq!(row["status"]["state"], "connected", "{row}");
    let mcp_url = format!("{}/mcp", server.url);
    let found = claude_get();
    assert!(
        found.contains(&mcp_url) && found.contains("Connected"),
        "claude mcp get directus (CLAUDE_CONFIG_DIR set):\n{found}"
    );

    crate::support::cli_with_env(
        &with_variable,
        &["disconnect", "claude-code", "--url", &server.url],
    )
    .ok();
    let gone = claude_get();
    assert!(!gone.contains(&mcp_url), "{gone}");
}

#[tokio::test]
async fn codex_lists_our_entries_with_inline_and_environment_tokens() {
    let server = shared();
    let home = Home::new();
    let list = || home.client("codex", &["mcp", "list"], home.path());
    connect_with_token(&home, false, "codex", "t0ken", &server.url);
    let config = home.path().join(".codex/config.toml");
    assert_eq!(mode(&config), 0o600);
    let mcp_url = format!("{}/mcp", server.url);
    assert_line(
        &list().ok().stdout,
        "directus ",
        &[&mcp_url, "Bearer token"],
    );

    home.cli(
        false,
        &[
            "connect",
            "codex",
            "--auth",
            "token",
            "--token-env-var",
            "DIRECTUS_MCP_TOKEN",
            "--url",
            &server.url,
        ],
    )
    .ok();
    let text = home.read(".codex/config.toml").unwrap();
    assert!(!text.contains("t0ken"), "the inline token is gone: {text}");
    assert_line(
        &list().ok().stdout,
        "directus ",
        &[&mcp_url, "DIRECTUS_MCP_TOKEN"],
    );

    home.cli(false, &["disconnect", "codex"]).ok();
    assert!(!config.exists(), "the file we created is gone again");
    assert!(!list().ok().stdout.contains("directus"));
}

#[tokio::test]
async fn gemini_cli_reports_directus_connected() {
    let server = shared();
    let _guard = exclusive().await;
    let token = enabled_token(server);
    let home = Home::new();
    let project = home.path().join("project");
    std::fs::create_dir(&project).unwrap();
    connect_with_token(&home, false, "gemini", &token, &server.url);
    assert_eq!(mode(&home.path().join(".gemini/settings.json")), 0o600);
    // Gemini CLI uses servers only in trusted folders.
    std::fs::write(
        home.path().join(".gemini/trustedFolders.json"),
        serde_json::json!({ project.to_str().unwrap(): "TRUST_FOLDER" }).to_string(),
    )
    .unwrap();
    let listed = home.client("gemini", &["mcp", "list"], &project);
    let all = format!("{}{}", listed.stdout, listed.stderr);
    assert_line(
        &all,
        "directus:",
        &[&format!("{}/mcp", server.url), "Connected"],
    );
}

#[tokio::test]
async fn claude_desktop_through_mcp_remote_completes_an_mcp_handshake() {
    let server = shared();
    let _guard = exclusive().await;
    let token = enabled_token(server);
    let home = Home::new();
    home.cli(
        true,
        &[
            "connect",
            "claude-desktop",
            "--auth",
            "token",
            "--via",
            "mcp-remote",
            "--token",
            &token,
            "--url",
            &server.url,
        ],
    )
    .ok();
    let file = home
        .path()
        .join(".config/Claude/claude_desktop_config.json");
    assert_eq!(mode(&file), 0o600);
    let config: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let entry = &config["mcpServers"]["directus"];
    let args: Vec<&str> = entry["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(
        !args.iter().any(|arg| arg.contains(&token)),
        "the token is in env, not in args"
    );

    // Start it as Claude Desktop does: the command, its args, its env.
    let mut command = tokio::process::Command::new(entry["command"].as_str().unwrap());
    command
        .args(&args)
        .env_clear()
        .envs(home.env(&home.path_without_clients));
    for (key, value) in entry["env"].as_object().unwrap() {
        command.env(key, value.as_str().unwrap());
    }
    let log_path = home.path().join("bridge.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let transport = TokioChildProcess::builder(command)
        .stderr(log)
        .spawn()
        .expect("start the bridge")
        .0;
    let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    let Ok(started) =
        tokio::time::timeout(std::time::Duration::from_secs(120), ().serve(transport)).await
    else {
        panic!("the bridge answers initialize in time; its log: {}", log())
    };
    let client = match started {
        Ok(client) => client,
        Err(error) => panic!("initialize succeeds ({error}); the bridge's log: {}", log()),
    };
    let info = client.peer_info().expect("an initialize result");
    assert!(
        info.server_info
            .as_ref()
            .is_some_and(|server| !server.name.is_empty())
    );
    let tools = client.list_all_tools().await.expect("tools/list succeeds");
    let names: Vec<String> = tools.iter().map(|tool| tool.name.to_string()).collect();
    assert!(names.contains(&"items".to_owned()), "{names:?}");
    client.cancel().await.ok();
}

/// The check of `id` in a `clients --check --json` answer.
fn check_of<'a>(checked: &'a Value, id: &str) -> &'a Value {
    checked["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["id"] == id)
        .unwrap_or_else(|| panic!("no check of {id}: {checked}"))
}

#[tokio::test]
async fn clients_check_proves_each_entry_with_its_own_values_and_the_clients_own_check() {
    let server = shared();
    let _guard = exclusive().await;
    let token = enabled_token(server);
    let home = Home::new();
    let url = server.url.as_str();
    // Claude Code with the token in its file, VS Code asking for it at start (resolved
    // from the keyring), Cursor with OAuth.
    connect_with_token(&home, true, "claude-code", &token, url);
    connect_with_token(&home, false, "vscode", &token, url);
    home.cli(
        false,
        &["connect", "cursor", "--auth", "oauth", "--url", url],
    )
    .ok();

    let checked = home
        .cli(true, &["--json", "clients", "--check", "--url", url])
        .json();
    assert!(!checked.to_string().contains(&token), "{checked}");
    let claude = check_of(&checked, "claude-code");
    assert_eq!(claude["outcome"], "works", "{checked}");
    assert!(
        claude["tools"]
            .as_array()
            .unwrap()
            .iter()
            .any(|tool| tool == "items"),
        "{claude}"
    );
    assert_eq!(
        claude["client_says"], "claude mcp get directus: Status: ✔ Connected",
        "{claude}"
    );
    let vscode = check_of(&checked, "vscode");
    assert_eq!(vscode["outcome"], "works", "{checked}");
    assert!(
        vscode["detail"]
            .as_str()
            .unwrap()
            .contains("its prompt, answered with the token kept in the OS keyring"),
        "{vscode}"
    );
    let cursor = check_of(&checked, "cursor");
    assert_eq!(cursor["outcome"], "signs-in-in-client", "{checked}");
    // Clients without an entry are listed, not checked.
    assert!(
        checked["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|check| check["id"] != "codex"),
        "{checked}"
    );

    // "works" comes from the handshake, not from the file: with MCP off in Directus the
    // same entries (still "connected" in the list) fail, and Claude Code says so too.
    let api = crate::support::api::Api::admin(server).await;
    api.send(
        reqwest::Method::PATCH,
        "/settings",
        serde_json::json!({ "mcp_enabled": false }),
    )
    .await;
    // A check that fails makes the run fail (exit 1), with the same report on stdout.
    let failed = home.cli(true, &["--json", "clients", "--check", "--url", url]);
    cli(server, &["enable"]).ok();
    assert_eq!(
        failed.code, 1,
        "a failed check exited {}: {}",
        failed.code, failed.stderr
    );
    let checked: Value = serde_json::from_str(&failed.stdout).expect("the report as JSON");
    let claude = check_of(&checked, "claude-code");
    assert_eq!(claude["outcome"], "fails", "{checked}");
    assert!(
        claude["detail"].as_str().unwrap().contains("MCP"),
        "{claude}"
    );
    assert!(
        !claude["client_says"]
            .as_str()
            .unwrap()
            .contains("✔ Connected"),
        "{claude}"
    );
    assert_eq!(
        check_of(&checked, "vscode")["outcome"],
        "fails",
        "{checked}"
    );
    let text = home
        .cli(true, &["clients", "--check", "--url", url])
        .ok()
        .stdout
        .clone();
    assert!(
        text.contains("claude-code      works: MCP handshake"),
        "{text}"
    );
}

/// `text` without terminal colour codes (opencode and kilo print them even into a pipe).
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The settings file `clients --json` names for `id`.
fn file_of(home: &Home, url: &str, id: &str) -> std::path::PathBuf {
    let listed = home.cli(true, &["--json", "clients", "--url", url]).json();
    let row = listed["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == id)
        .unwrap_or_else(|| panic!("{id} missing: {listed}"))
        .clone();
    row["file"].as_str().unwrap().into()
}

#[tokio::test]
async fn opencode_kilo_qwen_droid_copilot_and_auggie_load_our_entries() {
    let server = shared();
    let _guard = exclusive().await;
    let token = enabled_token(server);
    let home = Home::new();
    let url = server.url.as_str();
    let mcp_url = format!("{url}/mcp");
    // What each client's own listing says about our entry: opencode, Kilo, Qwen Code and
    // Droid connect to Directus to say it; Copilot CLI and Auggie only read their settings
    // (connecting needs a vendor sign-in or a model): the URL, and Copilot's masked header.
    let clients: [(&str, &[&str], &str, &[&str]); 7] = [
        ("opencode", &["mcp", "list"], "✓ directus", &["connected"]),
        ("kilo", &["mcp", "list"], "✓ directus", &["connected"]),
        (
            "qwen",
            &["mcp", "list"],
            "directus:",
            &[&mcp_url, "Connected"],
        ),
        (
            "droid",
            &["mcp", "list"],
            "directus",
            &["http", "connected", "[user]"],
        ),
        ("copilot", &["mcp", "get", "directus"], "URL:", &[&mcp_url]),
        (
            "copilot",
            &["mcp", "get", "directus"],
            "Authorization:",
            &["***"],
        ),
        ("auggie", &["mcp", "list"], "directus", &["http", &mcp_url]),
    ];
    for (client, args, marker, needles) in clients {
        connect_with_token(&home, false, client, &token, url);
        assert_eq!(mode(&file_of(&home, url, client)), 0o600, "{client}");
        let listed = home.client(client, args, home.path());
        let output = plain(&format!("{}{}", listed.stdout, listed.stderr));
        assert_line(&output, marker, needles);
        assert!(!output.contains(&token), "{client} printed the token");
    }

    // The proof can fail: with a token Directus does not know, the clients that connect say
    // so (and our check says it fails).
    for client in ["opencode", "kilo", "qwen", "droid"] {
        connect_with_token(&home, false, client, "not-a-directus-token-000", url);
        let listed = home.client(client, &["mcp", "list"], home.path());
        let output = plain(&format!("{}{}", listed.stdout, listed.stderr));
        let line = output
            .lines()
            .find(|line| line.contains("directus"))
            .unwrap_or_default()
            .to_lowercase();
        assert!(
            !line.is_empty() && (!line.contains("connected") || line.contains("disconnected")),
            "{client} still says connected with a wrong token:\n{output}"
        );
    }

    // Back to the real token; `clients --check` runs their own checks beside the handshake.
    for client in ["opencode", "qwen", "droid"] {
        connect_with_token(&home, false, client, &token, url);
    }
    // Kilo's entry still fails, so the run exits 1 with the whole report on stdout.
    let run = home.cli(true, &["--json", "clients", "--check", "--url", url]);
    assert_eq!(
        run.code, 1,
        "one failed check makes the run fail: {}",
        run.stderr
    );
    let checked: Value = serde_json::from_str(&run.stdout).expect("the report as JSON");
    for (client, says) in [
        ("opencode", "opencode mcp list: ●  ✓ directus connected"),
        ("qwen", "Connected"),
        ("droid", "connected"),
    ] {
        let check = check_of(&checked, client);
        assert_eq!(check["outcome"], "works", "{checked}");
        assert!(
            check["client_says"].as_str().unwrap().contains(says),
            "{client}: {check}"
        );
    }
    // Kilo still holds the wrong token: the handshake with its own values fails.
    assert_eq!(check_of(&checked, "kilo")["outcome"], "fails", "{checked}");
}

/// Every file and folder under `root`, with the bytes of each file.
fn snapshot(root: &std::path::Path) -> std::collections::BTreeMap<String, Option<Vec<u8>>> {
    let mut found = std::collections::BTreeMap::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let name = path.strip_prefix(root).unwrap().display().to_string();
            if path.is_dir() {
                found.insert(format!("{name}/"), None);
                folders.push(path);
            } else {
                found.insert(name, Some(std::fs::read(&path).unwrap()));
            }
        }
    }
    found
}

#[tokio::test]
async fn a_team_setup_writes_every_project_file_with_no_secret_and_undoes_byte_for_byte() {
    let server = shared();
    let _guard = exclusive().await;
    let token = enabled_token(server);
    let home = Home::new();
    let url = server.url.as_str();
    let mcp_url = format!("{url}/mcp");
    let project = home.path().join("repo");
    std::fs::create_dir_all(project.join(".vscode")).unwrap();
    std::fs::create_dir_all(project.join(".cursor/rules")).unwrap();
    std::fs::write(
        project.join(".mcp.json"),
        "{\n  \"mcpServers\": {\n    \"github\": { \"type\": \"http\", \"url\": \"https://api.githubcopilot.com/mcp/\" }\n  }\n}\n",
    )
    .unwrap();
    std::fs::write(
        project.join(".vscode/settings.json"),
        "{ \"editor.tabSize\": 2 }\n",
    )
    .unwrap();
    let before = snapshot(&project);
    let dir = project.to_str().unwrap();
    let team = ["--scope", "project", "--project-dir", dir, "--url", url];

    // A token is refused for a team's files.
    let refused = home.cli(
        true,
        &[&["connect", "--all", "--auth", "token"][..], &team].concat(),
    );
    assert!(refused.failure(2).contains("use --auth oauth"));
    assert_eq!(snapshot(&project), before, "a refusal writes nothing");

    let connected = home
        .cli(
            true,
            &[
                &["--json", "connect", "--all", "--auth", "oauth"][..],
                &team,
            ]
            .concat(),
        )
        .json();
    assert_eq!(connected["failures"], serde_json::json!([]), "{connected}");
    let written: Vec<&str> = connected["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| change["plan"]["client"].as_str().unwrap())
        .collect();
    assert_eq!(
        written,
        [
            "claude-code",
            "cursor",
            "vscode",
            "zed",
            "gemini",
            "copilot",
            "opencode",
            "qwen",
            "kilo",
            "auggie",
            "droid",
            "kiro",
            "crush",
            "junie",
            "warp",
            "trae"
        ]
    );
    // Every file names the MCP URL, none holds a credential.
    let after = snapshot(&project);
    let files: Vec<(&String, String)> = after
        .iter()
        .filter_map(|(name, bytes)| Some((name, String::from_utf8(bytes.clone()?).unwrap())))
        .filter(|(name, _)| !name.ends_with("settings.json") || !name.starts_with(".vscode"))
        .collect();
    // The one file that was there before keeps its previous version beside it (removed again
    // by disconnect).
    assert_eq!(files.len(), 16, "{:?}", after.keys());
    for (name, text) in &files {
        assert!(
            text.contains(&mcp_url) || name.ends_with(".directus-mcp-setup.bak"),
            "{name} has no entry: {text}"
        );
        for secret in [
            token.as_str(),
            server.password.as_str(),
            "access_token",
            "Authorization",
        ] {
            assert!(!text.contains(secret), "{name} holds {secret:?}: {text}");
        }
    }
    let undone = home
        .cli(
            true,
            &[&["--json", "disconnect", "--all"][..], &team[..4]].concat(),
        )
        .json();
    assert_eq!(undone["failures"], serde_json::json!([]), "{undone}");
    assert_eq!(
        snapshot(&project),
        before,
        "the folder is back, byte for byte"
    );

    // A client that cannot be done is named with why, the others are still done, and the
    // run fails (exit 1): a folder where Cursor's file goes is refused, never replaced.
    let in_the_way = project.join(".cursor/mcp.json");
    std::fs::create_dir_all(&in_the_way).unwrap();
    let connect_all = [
        &["--json", "connect", "--all", "--auth", "oauth"][..],
        &team,
    ]
    .concat();
    let disconnect_all = [&["--json", "disconnect", "--all"][..], &team[..4]].concat();
    for args in [connect_all, disconnect_all] {
        let run = home.cli(true, &args);
        assert_eq!(run.code, 1, "{} {}", run.stdout, run.stderr);
        let output: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let failures = output["failures"].as_array().unwrap();
        assert_eq!(failures.len(), 1, "{output}");
        assert_eq!(failures[0]["client"], "cursor");
        let why = failures[0]["error"].as_str().unwrap();
        assert!(why.contains("is a folder, not a settings file"), "{why}");
        assert_eq!(output["changes"].as_array().unwrap().len(), 15, "{output}");
        assert!(in_the_way.is_dir(), "the folder in the way is kept");
    }
    std::fs::remove_dir(&in_the_way).unwrap();
    assert_eq!(snapshot(&project), before, "every other client undone");

    // The clients read what a team commits: Claude Code takes its `.mcp.json` entry without
    // a complaint, opencode lists the server and asks for the sign-in. (opencode then adds
    // its `$schema` to its file: the client's own change, which a disconnect keeps.)
    home.cli(
        true,
        &[&["connect", "--all", "--auth", "oauth"][..], &team].concat(),
    )
    .ok();
    let claude = home.client("claude", &["mcp", "list"], &project);
    let claude_says = plain(&format!("{}{}", claude.stdout, claude.stderr));
    assert!(
        claude_says.contains(&format!("directus: {mcp_url}"))
            && !claude_says.contains("[directus]"),
        "{claude_says}"
    );
    let opencode = home.client("opencode", &["mcp", "list"], &project);
    let opencode_says = plain(&format!("{}{}", opencode.stdout, opencode.stderr));
    assert_line(&opencode_says, "directus", &["needs authentication"]);
}

#[tokio::test]
async fn continue_cli_runs_with_our_entry_and_refuses_to_start_with_a_wrong_token() {
    let server = shared();
    let _guard = exclusive().await;
    let token = enabled_token(server);
    let model = crate::support::mock_model::start().await;
    let home = std::sync::Arc::new(Home::new());
    let url = server.url.as_str();
    // The user's own config: the model cn talks to (a local stand-in), with a comment.
    let config = home.path().join(".continue/config.yaml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(
        &config,
        format!(
            "# my assistant\nname: Local\nversion: 1.0.0\nschema: v1\nmodels:\n  - name: mock # a stand-in\n    provider: openai\n    model: gpt-4o\n    apiBase: {}\n    apiKey: sk-test\n    roles: [chat]\n",
            model.base_url
        ),
    )
    .unwrap();
    let before = std::fs::read_to_string(&config).unwrap();
    let run_cn = |home: std::sync::Arc<Home>| async move {
        tokio::task::spawn_blocking(move || home.client("cn", &["-p", "say hi"], home.path()))
            .await
            .unwrap()
    };

    connect_with_token(&home, false, "continue", &token, url);
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(
        written.starts_with(&before),
        "the user's config is kept:\n{written}"
    );
    assert_eq!(mode(&config), 0o600);
    let run = run_cn(home.clone()).await;
    assert_eq!(run.code, 0, "cn failed: {}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("hi"), "{}", run.stdout);
    // The tools cn offered the model came from Directus through our entry.
    let tools = model.tool_names_since(0);
    assert!(
        tools.iter().any(|name| name.contains("items")),
        "no Directus tool reached the model: {tools:?}"
    );

    // With a token Directus does not know, cn refuses to start and says why.
    connect_with_token(&home, false, "continue", "not-a-directus-token-000", url);
    let run = run_cn(home.clone()).await;
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        format!("{}{}", run.stdout, run.stderr).contains("MCP server(s) failed to load"),
        "{}{}",
        run.stdout,
        run.stderr
    );

    // Disconnect gives the user's config back, byte for byte.
    home.cli(false, &["disconnect", "continue"]).ok();
    assert_eq!(std::fs::read_to_string(&config).unwrap(), before);
}

/// Stops the Cline hub daemons a run in `home` left behind (Cline keeps one per folder).
struct ClineDaemons(std::path::PathBuf);

impl Drop for ClineDaemons {
    fn drop(&mut self) {
        let Ok(processes) = std::fs::read_dir("/proc") else {
            return;
        };
        let folder = self.0.display().to_string();
        for process in processes.flatten() {
            let Ok(pid) = process.file_name().to_string_lossy().parse::<i32>() else {
                continue;
            };
            let command = std::fs::read(process.path().join("cmdline")).unwrap_or_default();
            let command = String::from_utf8_lossy(&command).replace('\0', " ");
            if command.contains("--cline-hub-daemon") && command.contains(&folder) {
                // SAFETY: a plain kill(2) of a process this test started.
                unsafe {
                    libc::kill(pid, libc::SIGKILL);
                }
            }
        }
    }
}

#[tokio::test]
async fn cline_hands_directus_tools_to_its_model_with_our_entry() {
    let server = shared();
    let _guard = exclusive().await;
    let token = enabled_token(server);
    let model = crate::support::mock_model::start().await;
    let home = std::sync::Arc::new(Home::new());
    let _daemons = ClineDaemons(home.path().to_path_buf());
    let url = server.url.as_str();
    let run_cline = |home: std::sync::Arc<Home>, args: Vec<String>| async move {
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            home.client("cline", &args, home.path())
        })
        .await
        .unwrap()
    };
    let configured = run_cline(
        home.clone(),
        [
            "auth",
            "-p",
            "openai-compatible",
            "-k",
            "sk-test",
            "-m",
            "gpt-4o",
            "-b",
            &model.base_url,
        ]
        .map(str::to_owned)
        .to_vec(),
    )
    .await;
    assert_eq!(
        configured.code, 0,
        "{}{}",
        configured.stdout, configured.stderr
    );

    connect_with_token(&home, false, "cline", &token, url);
    let run = run_cline(home.clone(), vec!["--json".into(), "say hi".into()]).await;
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let tools = model.tool_names_since(0);
    assert!(
        tools.iter().any(|name| name == "directus__items"),
        "Directus' tools did not reach Cline's model: {tools:?}"
    );

    // With a token Directus does not know, no Directus tool reaches the model.
    connect_with_token(&home, false, "cline", "not-a-directus-token-000", url);
    let before = model.request_count();
    let run = run_cline(home.clone(), vec!["--json".into(), "say hi again".into()]).await;
    assert!(
        model.request_count() > before,
        "Cline did not reach its model: {}{}",
        run.stdout,
        run.stderr
    );
    let later: Vec<String> = model
        .tool_names_since(before)
        .into_iter()
        .filter(|name| name.starts_with("directus__"))
        .collect();
    assert!(
        later.is_empty(),
        "Directus tools with a wrong token: {later:?} ({}{})",
        run.stdout,
        run.stderr
    );
}

/// With `CLINE_DIR` set, `connect cline` writes `$CLINE_DIR/data/settings/cline_mcp_settings.json`
/// (nothing under `~/.cline`), and the real Cline, given the same variable, hands Directus'
/// tools to its model.
#[tokio::test]
async fn cline_dir_is_where_cline_reads() {
    let server = shared();
    let _guard = exclusive().await;
    let token = enabled_token(server);
    let model = crate::support::mock_model::start().await;
    let home = Home::new();
    let _daemons = ClineDaemons(home.path().to_path_buf());
    let cline_dir = home.path().join("cline-elsewhere");
    let mut env = home.env(&home.path_with_clients);
    env.push(("CLINE_DIR".to_owned(), cline_dir.display().to_string()));
    let run_cline = |args: Vec<String>| {
        let env = env.clone();
        let cwd = home.path().to_path_buf();
        async move {
            tokio::task::spawn_blocking(move || {
                let output = std::process::Command::new(clients_bin().join("cline"))
                    .env_clear()
                    .envs(env)
                    .args(args)
                    .current_dir(cwd)
                    .stdin(std::process::Stdio::null())
                    .output()
                    .expect("run cline");
                (
                    output.status.code(),
                    format!(
                        "{}{}",
                        String::from_utf8_lossy(&output.stdout),
                        String::from_utf8_lossy(&output.stderr)
                    ),
                )
            })
            .await
            .unwrap()
        }
    };
    let (code, printed) = run_cline(
        [
            "auth",
            "-p",
            "openai-compatible",
            "-k",
            "sk-test",
            "-m",
            "gpt-4o",
            "-b",
            &model.base_url,
        ]
        .map(str::to_owned)
        .to_vec(),
    )
    .await;
    assert_eq!(code, Some(0), "{printed}");

    let with_variable: Vec<(&str, &str)> =
        env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let connected = crate::support::cli_with_env(
        &with_variable,
        &[
            "--json",
            "connect",
            "cline",
            "--auth",
            "token",
            "--token",
            &token,
            "--url",
            &server.url,
        ],
    )
    .json();
    let written = cline_dir.join("data/settings/cline_mcp_settings.json");
    assert_eq!(
        connected["applied"]["files"][0]["path"],
        written.display().to_string(),
        "{connected}"
    );
    assert!(
        !home
            .path()
            .join(".cline/data/settings/cline_mcp_settings.json")
            .exists(),
        "nothing is written under ~/.cline"
    );
    let (code, printed) = run_cline(vec!["--json".into(), "say hi".into()]).await;
    assert_eq!(code, Some(0), "{printed}");
    let tools = model.tool_names_since(0);
    assert!(
        tools.iter().any(|name| name == "directus__items"),
        "Directus' tools did not reach Cline's model with CLINE_DIR set: {tools:?}"
    );
}
