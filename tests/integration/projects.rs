//! Several Directus projects side by side (issue 25, item 1): two real Directus 12.4.1
//! servers, each a project with its own name, connected to the same clients (Cursor's
//! JSON, Codex's TOML, Claude Desktop's bridge entry). The files hold both entries; `clients`
//! lists both projects' entries; rotating one project's token leaves every byte of the
//! other's entries and backups alone while its own entry keeps working; disconnecting one
//! gives back exactly the file as it was with only the other connected.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::support::clients::Home;
use crate::support::{CliRun, Server, cli, cli_with_env, exclusive, shared, shown_token};

/// A Directus of its own: the second project (started on first use, stopped with the run).
fn second_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!(
            "directus-mcp-setup-tests-{}-projects",
            std::process::id()
        ));
        crate::support::start_server(&dir, &[])
    })
}

/// The clients both projects are connected to, with their settings file under the home
/// and what the file held before.
const FILES: [(&str, &str, &str); 3] = [
    (
        "cursor",
        ".cursor/mcp.json",
        "{\n  // mine\n  \"mcpServers\": {\n    \"other\": { \"url\": \"https://other.example.com/mcp\" }\n  }\n}\n",
    ),
    (
        "codex",
        ".codex/config.toml",
        "# my Codex\nmodel = \"o3\"\n",
    ),
    (
        "claude-desktop",
        ".config/Claude/claude_desktop_config.json",
        "{\n  \"globalShortcut\": \"Ctrl+Space\"\n}\n",
    ),
];

/// Our CLI in `home`, signed in as `server`'s admin (for `token rotate`).
fn admin_cli(home: &Home, server: &Server, args: &[&str]) -> CliRun {
    let env = home.env(&home.path_without_clients);
    let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.extend([
        ("DIRECTUS_EMAIL", server.email.as_str()),
        ("DIRECTUS_PASSWORD", server.password.as_str()),
    ]);
    cli_with_env(&env, args)
}

/// Every backup of a client's file under `dir` (the project list's own left out: commands
/// record on it), with its text.
fn backups(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(".bak")
                && !path.ends_with("directus-mcp-setup/projects.json.directus-mcp-setup.bak")
            {
                found.insert(path.clone(), std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    found
}

fn files(home: &Home) -> Vec<Vec<u8>> {
    FILES
        .iter()
        .map(|(_, file, _)| std::fs::read(home.path().join(file)).unwrap_or_default())
        .collect()
}

/// The `clients --json` row of `client` in `project`'s block.
fn entry_of(listed: &Value, project: &str, client: &str) -> String {
    let block = listed["projects"]
        .as_array()
        .unwrap_or_else(|| panic!("no projects in {listed}"))
        .iter()
        .find(|block| block["project"] == project)
        .unwrap_or_else(|| panic!("no project {project}: {listed}"));
    block["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == client)
        .unwrap_or_else(|| panic!("no {client} in {project}: {block}"))["entry"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn check_outcome(checked: &Value, client: &str) -> String {
    checked["checks"]
        .as_array()
        .unwrap_or_else(|| panic!("no checks: {checked}"))
        .iter()
        .find(|check| check["id"] == client)
        .unwrap_or_else(|| panic!("no check of {client}: {checked}"))["outcome"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn two_projects_keep_their_own_entries_through_rotation_and_disconnect() {
    let a = shared();
    let _guard = exclusive().await;
    let b = second_server();
    for server in [a, b] {
        cli(server, &["enable"]).ok();
    }
    let token_a = shown_token(a, "content-editor");
    let token_b = shown_token(b, "content-editor");
    assert_ne!(token_a, token_b);

    let home = Home::new();
    // The first project gets `directus`; the second a name the user confirms.
    let added_a = home
        .cli(
            false,
            &[
                "--json", "projects", "add", "--url", &a.url, "--auth", "token",
            ],
        )
        .json();
    assert_eq!(added_a["project"]["name"], "directus", "{added_a}");
    let suggested = home
        .cli(
            false,
            &["projects", "add", "--url", &b.url, "--auth", "token"],
        )
        .ok()
        .stdout
        .clone();
    let listed = home.cli(false, &["--json", "projects"]).json();
    let name_b = listed["projects"][1]["name"].as_str().unwrap().to_owned();
    assert!(
        name_b.starts_with("directus-") && suggested.contains(&format!("\"{name_b}\"")),
        "the second project's name is printed for the user to confirm: {suggested}"
    );
    assert_eq!(listed["projects"][0]["chosen"], true, "{listed}");
    assert_eq!(listed["projects"][1]["url"], b.url.as_str(), "{listed}");

    for (_, file, before) in FILES {
        let path = home.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, before).unwrap();
    }
    // B first: the files as they are with only B connected.
    for (client, _, _) in FILES {
        home.cli(false, &["connect", client, "--project", &name_b])
            .ok();
    }
    let only_b = files(&home);
    for (client, _, _) in FILES {
        home.cli(false, &["connect", client, "--project", "directus"])
            .ok();
    }
    // Connecting A to files that hold B's entry keeps no backup of that version: it would
    // hold B's token.
    for (backup, text) in backups(home.path()) {
        assert!(
            !text.contains(&token_b),
            "{} holds the other project's token",
            backup.display()
        );
    }

    // Each file holds both entries, under their own names, for their own servers.
    let mcp_a = format!("{}/mcp", a.url);
    let mcp_b = format!("{}/mcp", b.url);
    let cursor = home.read(".cursor/mcp.json").unwrap();
    let cursor_json: Value =
        serde_json::from_str(&cursor.replace("  // mine\n", "")).expect("cursor's JSON");
    assert_eq!(cursor_json["mcpServers"]["directus"]["url"], mcp_a.as_str());
    assert_eq!(cursor_json["mcpServers"][&name_b]["url"], mcp_b.as_str());
    assert!(cursor.contains(&token_a) && cursor.contains(&token_b));
    let codex = home.read(".codex/config.toml").unwrap();
    assert!(
        codex.contains("[mcp_servers.directus]")
            && codex.contains(&format!("[mcp_servers.{name_b}]"))
            && codex.contains(&format!("url = \"{mcp_a}\""))
            && codex.contains(&format!("url = \"{mcp_b}\"")),
        "{codex}"
    );
    let desktop: Value = serde_json::from_str(
        &home
            .read(".config/Claude/claude_desktop_config.json")
            .unwrap(),
    )
    .unwrap();
    let bridge_args = |name: &str| desktop["mcpServers"][name]["args"].to_string();
    assert!(bridge_args("directus").contains(&a.url), "{desktop}");
    assert!(bridge_args(&name_b).contains(&b.url), "{desktop}");
    assert!(
        !desktop.to_string().contains(&token_a),
        "the bridge reads the keyring"
    );

    // `clients` lists both projects' entries, and each project records its clients.
    let listed = home.cli(false, &["--json", "clients"]).json();
    for (client, _, _) in FILES {
        assert_eq!(
            entry_of(&listed, "directus", client),
            "connected",
            "{listed}"
        );
        assert_eq!(entry_of(&listed, &name_b, client), "connected", "{listed}");
    }
    let text = home.cli(false, &["clients"]).ok().stdout.clone();
    assert!(
        text.contains(&name_b) && text.contains("directus "),
        "{text}"
    );
    let projects = home.cli(false, &["--json", "projects"]).json();
    for project in projects["projects"].as_array().unwrap() {
        assert_eq!(
            project["clients"],
            serde_json::json!(["cursor", "codex", "claude-desktop"]),
            "{projects}"
        );
    }

    // `clients --check` with no project named proves every project's entries.
    let checked = home.cli(false, &["--json", "clients", "--check"]).json();
    for block in checked["projects"].as_array().unwrap() {
        for (client, _, _) in FILES {
            assert_eq!(check_outcome(block, client), "works", "{block}");
        }
    }

    // A backup holding A's token (as an older version left) goes with A's rotation; B's
    // entries and B's backups stay byte for byte.
    let stale_backup = home
        .path()
        .join(".config/Code/User/mcp.json.directus-mcp-setup.bak");
    std::fs::create_dir_all(stale_backup.parent().unwrap()).unwrap();
    std::fs::write(&stale_backup, format!("{{\"t\": \"{token_a}\"}}")).unwrap();
    let kept_backup = home
        .path()
        .join(".gemini/settings.json.directus-mcp-setup.bak");
    std::fs::create_dir_all(kept_backup.parent().unwrap()).unwrap();
    std::fs::write(&kept_backup, format!("{{\"t\": \"{token_b}\"}}")).unwrap();
    let files_before = files(&home);
    let mut backups_before = backups(home.path());
    let rotated = admin_cli(
        &home,
        a,
        &["--json", "token", "rotate", "--project", "directus"],
    );
    let rotated = rotated.json();
    assert_eq!(
        rotated["backups_removed"],
        serde_json::json!([stale_backup.display().to_string()]),
        "{rotated}"
    );
    backups_before.remove(&stale_backup);
    assert_eq!(
        backups(home.path()),
        backups_before,
        "B's backups are untouched"
    );
    assert!(kept_backup.exists());
    assert_eq!(files(&home), files_before, "rotation writes no client file");

    // B's entries still work; A's bridge entry works with A's new token from the keyring.
    let checked_b = home
        .cli(
            false,
            &["--json", "clients", "--check", "--project", &name_b],
        )
        .json();
    for (client, _, _) in FILES {
        assert_eq!(check_outcome(&checked_b, client), "works", "{checked_b}");
    }
    let checked_a = home.cli(
        false,
        &["--json", "clients", "--check", "--project", "directus"],
    );
    let checked_a: Value = serde_json::from_str(&checked_a.stdout).unwrap();
    assert_eq!(
        check_outcome(&checked_a, "claude-desktop"),
        "works",
        "{checked_a}"
    );
    home.cli(false, &["--json", "verify", "--project", "directus"])
        .ok();
    let projects = home.cli(false, &["--json", "projects"]).json();
    assert_eq!(
        projects["projects"][0]["template"], "content-editor",
        "the rotation records the role template on A: {projects}"
    );

    // The doctor reads B's entries under B's name: Cursor's tool mode is proven for B.
    let doctor = admin_cli(
        &home,
        b,
        &["--json", "doctor", "--project", &name_b, "--for", "cursor"],
    );
    let report: Value = serde_json::from_str(&doctor.stdout)
        .unwrap_or_else(|e| panic!("doctor: {e}: {} {}", doctor.stdout, doctor.stderr));
    let tool_mode = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["topic"] == "tool-mode")
        .unwrap_or_else(|| panic!("no tool-mode check for B's entry: {report}"));
    assert!(
        tool_mode["detail"].as_str().unwrap().contains("Cursor"),
        "{tool_mode}"
    );

    // DIRECTUS_MCP_PROJECT picks one project: `clients` shows that project's entries.
    let mut env = home.env(&home.path_without_clients);
    env.push(("DIRECTUS_MCP_PROJECT".to_owned(), name_b.clone()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let one = cli_with_env(&env, &["--json", "clients"]).json();
    assert_eq!(one["mcp_url"], mcp_b.as_str(), "{one}");

    // A --url that is not the project's, an unknown project, or B's URL under A's name are
    // refused before anything is written.
    let files_now = files(&home);
    let line = home
        .cli(false, &["verify", "--project", "directus", "--url", &b.url])
        .failure(2)
        .to_owned();
    assert!(
        line.contains("is not the URL of the project \"directus\""),
        "{line}"
    );
    let line = home
        .cli(false, &["clients", "--project", "nope"])
        .failure(2)
        .to_owned();
    assert!(line.contains("there is no project \"nope\""), "{line}");
    let line = home
        .cli(
            false,
            &[
                "connect", "cursor", "--url", &b.url, "--name", "directus", "--auth", "token",
            ],
        )
        .failure(2)
        .to_owned();
    assert!(
        line.contains("belong to the project \"directus\""),
        "{line}"
    );
    assert_eq!(files(&home), files_now, "refused commands write nothing");

    // Disconnecting A gives back exactly the files as they were with only B.
    for (client, _, _) in FILES {
        home.cli(false, &["disconnect", client, "--project", "directus"])
            .ok();
    }
    assert_eq!(
        files(&home),
        only_b,
        "disconnecting A gives back the files with only B"
    );
    let projects = home.cli(false, &["--json", "projects"]).json();
    assert_eq!(projects["projects"][0]["clients"], serde_json::json!([]));

    // B's project cannot be forgotten while its entries are in the files.
    let refused = home.cli(false, &["projects", "remove", &name_b]);
    let line = refused.failure(1);
    assert!(
        line.contains(&format!("disconnect cursor --project {name_b}")),
        "{line}"
    );
    assert_eq!(files(&home), only_b, "a refused remove changes nothing");
    home.cli(false, &["projects", "remove", &name_b, "--disconnect"])
        .ok();
    for ((_, file, before), _) in FILES.iter().zip(0..) {
        assert_eq!(home.read(file).unwrap(), *before, "{file}");
    }
}

const A: &str = "https://a.example.com";
const B: &str = "https://b.example.com";

/// The CLI in `home` with `extra` variables set (e.g. DIRECTUS_MCP_PROJECT).
fn cli_in(home: &Home, extra: &[(&str, &str)], args: &[&str]) -> CliRun {
    let env = home.env(&home.path_without_clients);
    let mut env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    env.extend_from_slice(extra);
    cli_with_env(&env, args)
}

/// A home with one project (`directus`, for A) connected to Cursor, and what its Cursor
/// file and project list hold.
fn home_with_a_connected() -> (Home, Vec<u8>, Vec<u8>) {
    let home = Home::new();
    home.cli(false, &["projects", "add", "--url", A]).ok();
    home.cli(
        false,
        &[
            "connect",
            "cursor",
            "--project",
            "directus",
            "--auth",
            "oauth",
        ],
    )
    .ok();
    let cursor = std::fs::read(home.path().join(".cursor/mcp.json")).unwrap();
    let list = std::fs::read(home.path().join(".config/directus-mcp-setup/projects.json")).unwrap();
    assert!(String::from_utf8_lossy(&list).contains("cursor"));
    (home, cursor, list)
}

#[test]
fn disconnecting_by_another_url_leaves_the_other_projects_entry_and_record() {
    let (home, cursor, list) = home_with_a_connected();
    for args in [
        &["disconnect", "cursor", "--url", B][..],
        &["disconnect", "--all", "--url", B],
    ] {
        let line = home.cli(false, args).failure(2).to_owned();
        assert!(
            line.contains("belong to the project \"directus\" (https://a.example.com)"),
            "{line}"
        );
        let line = cli_in(&home, &[("DIRECTUS_URL", B)], &args[..args.len() - 2])
            .failure(2)
            .to_owned();
        assert!(
            line.contains("belong to the project \"directus\""),
            "{line}"
        );
    }
    assert_eq!(
        std::fs::read(home.path().join(".cursor/mcp.json")).unwrap(),
        cursor
    );
    assert_eq!(
        std::fs::read(home.path().join(".config/directus-mcp-setup/projects.json")).unwrap(),
        list
    );
    // `clients` and `doctor` say A's entry is A's, not B's.
    let listed = home.cli(false, &["--json", "clients", "--url", B]);
    assert!(
        listed.stderr.contains("warning: the client entries named \"directus\" belong to the project \"directus\" (https://a.example.com), not to https://b.example.com"),
        "{}",
        listed.stderr
    );
    let row = listed.json()["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == "cursor")
        .cloned()
        .unwrap();
    assert_eq!(row["status"]["state"], "stale", "{row}");
    // A's project is not forgotten while Cursor holds its entry.
    let line = home
        .cli(false, &["projects", "remove", "directus"])
        .failure(1)
        .to_owned();
    assert!(
        line.contains("disconnect cursor --project directus"),
        "{line}"
    );
    let doctor = home.cli(false, &["doctor", "--url", B]);
    assert!(
        doctor.stderr.contains("belong to the project \"directus\""),
        "{}",
        doctor.stderr
    );
}

#[test]
fn a_url_of_several_projects_none_chosen_asks_for_the_project() {
    let (home, cursor, _) = home_with_a_connected();
    home.cli(false, &["projects", "add", "--url", A, "--name", "second"])
        .ok();
    for args in [
        &["disconnect", "cursor", "--url", A][..],
        &["clients", "--url", A],
        &["export", "--url", A],
    ] {
        let line = home.cli(false, args).failure(2).to_owned();
        assert!(
            line.contains(
                "several projects are set up for https://a.example.com (directus, second)"
            ) && line.contains("--project NAME"),
            "{line}"
        );
    }
    assert_eq!(
        std::fs::read(home.path().join(".cursor/mcp.json")).unwrap(),
        cursor
    );
}

#[test]
fn the_environments_project_neither_breaks_the_bridge_nor_projects_and_an_explicit_project_wins() {
    let (home, _, _) = home_with_a_connected();
    home.cli(false, &["projects", "add", "--url", B]).ok();
    // Claude Desktop passes --url; the user's DIRECTUS_MCP_PROJECT names the other project.
    let bridge = cli_in(
        &home,
        &[("DIRECTUS_MCP_PROJECT", "directus-b")],
        &["bridge", "--url", A],
    );
    assert!(
        bridge.stderr.contains(&format!("for {A}/mcp")) && !bridge.stderr.contains("project"),
        "the bridge serves A: {} {}",
        bridge.code,
        bridge.stderr
    );
    // An explicit --project wins over DIRECTUS_URL; --url on the command line does not.
    let listed = cli_in(
        &home,
        &[("DIRECTUS_URL", A)],
        &["--json", "clients", "--project", "directus-b"],
    )
    .json();
    assert_eq!(listed["mcp_url"], format!("{B}/mcp"), "{listed}");
    home.cli(false, &["clients", "--project", "directus-b", "--url", A])
        .failure(2);
    // A project the variable names that is gone: `projects` still works, others say why.
    let gone = [("DIRECTUS_MCP_PROJECT", "gone")];
    let listed = cli_in(&home, &gone, &["--json", "projects"]).json();
    assert_eq!(listed["projects"].as_array().unwrap().len(), 2, "{listed}");
    let line = cli_in(&home, &gone, &["clients"]).failure(2).to_owned();
    assert!(
        line.contains("DIRECTUS_MCP_PROJECT names the project \"gone\""),
        "{line}"
    );
}

#[test]
fn with_a_damaged_project_list_connect_refuses_and_names_the_file() {
    let (home, cursor, _) = home_with_a_connected();
    let list = home.path().join(".config/directus-mcp-setup/projects.json");
    std::fs::write(&list, "{ damaged").unwrap();
    for args in [
        &[
            "connect",
            "cursor",
            "--url",
            B,
            "--name",
            "directus-b",
            "--auth",
            "oauth",
        ][..],
        &["disconnect", "cursor", "--url", A],
    ] {
        let line = home.cli(false, args).failure(1).to_owned();
        assert!(
            line.contains(&list.display().to_string()) && line.contains("fix or move it"),
            "{line}"
        );
    }
    assert_eq!(
        std::fs::read(home.path().join(".cursor/mcp.json")).unwrap(),
        cursor
    );
    assert_eq!(std::fs::read_to_string(&list).unwrap(), "{ damaged");
}

#[test]
fn connecting_with_a_token_records_the_projects_sign_in_for_export() {
    let home = Home::new();
    let url = "http://127.0.0.1:9";
    home.cli(false, &["projects", "add", "--url", url]).ok();
    cli_in(
        &home,
        &[("DIRECTUS_MCP_TOKEN", "a-token-for-this-test")],
        &[
            "connect",
            "cursor",
            "--project",
            "directus",
            "--auth",
            "token",
            "--tool-mode",
            "registry",
        ],
    )
    .ok();
    let listed = home.cli(false, &["--json", "projects"]).json();
    assert_eq!(listed["projects"][0]["auth"], "token", "{listed}");
    assert_eq!(listed["projects"][0]["tool_mode"], "registry", "{listed}");
    let exported = home.cli(false, &["export", "--project", "directus"]);
    let exported = exported.ok();
    assert!(
        exported.stdout.contains("\"auth\": \"token\"")
            && !exported.stdout.contains("a-token-for-this-test"),
        "{}",
        exported.stdout
    );
}
