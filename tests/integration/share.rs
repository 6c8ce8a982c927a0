//! Sharing a setup (issue 25, item 2), through the real CLI against the real Directus:
//! `export` in one home writes a file holding nothing secret (every byte accounted for),
//! and `import` in a fresh home previews exactly the plans `connect --dry-run` makes there,
//! then writes the same entries the first home has; without a token it changes nothing.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::support::clients::Home;
use crate::support::{CliRun, cli, exclusive, shared, shown_token};

/// The entry name the shared project uses (not the default, so it travels in the file).
const NAME: &str = "directus-team";

/// The clients of the setup: a JSON, a TOML and a YAML file client, and one not installed
/// in the second home.
const CLIENTS: [(&str, &str); 3] = [
    ("cursor", ".cursor/mcp.json"),
    ("codex", ".codex/config.toml"),
    ("goose", ".config/goose/config.yaml"),
];

/// Makes the clients' folders, so they count as installed in `home`.
fn install_clients(home: &Home) {
    for folder in [".cursor", ".codex", ".config/goose"] {
        std::fs::create_dir_all(home.path().join(folder)).unwrap();
    }
}

/// The project record of the first home, as `connect` keeps it (with the admin's email).
fn write_project(home: &Home, url: &str, email: &str) {
    let folder = home.path().join(".config/directus-mcp-setup");
    std::fs::create_dir_all(&folder).unwrap();
    let list = json!({
        "projects": [{
            "name": NAME,
            "url": url,
            "auth": "token",
            "toolMode": "registry",
            "template": "content-editor",
            "email": email,
            "clients": ["cursor", "codex", "goose", "windsurf"],
        }],
        "chosen": NAME,
    });
    std::fs::write(folder.join("projects.json"), list.to_string()).unwrap();
}

/// `connect CLIENT` for the shared project in `home`, the token from the keyring.
fn connect(home: &Home, url: &str, client: &str, dry_run: bool) -> CliRun {
    let mut args = vec![
        "--json",
        "connect",
        client,
        "--url",
        url,
        "--auth",
        "token",
        "--name",
        NAME,
        "--tool-mode",
        "registry",
    ];
    if dry_run {
        args.push("--dry-run");
    }
    home.cli(false, &args)
}

/// Our CLI in `home` joined to a keyring of its own (empty): a computer where no token
/// is kept.
fn cli_without_keyring(home: &Home, args: &[&str]) -> CliRun {
    use std::os::unix::process::CommandExt;
    let name = std::ffi::CString::new(format!(
        "directus-mcp-setup-share-empty-{}",
        std::process::id()
    ))
    .unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_directus-mcp-setup"));
    command
        .env_clear()
        .envs(home.env(&home.path_without_clients))
        .env("DIRECTUS_MCP_SETUP_KEYRING", "keyutils")
        .args(args);
    // SAFETY: between fork and exec only the async-signal-safe keyctl(2) syscall runs, on
    // memory (`name`) that was allocated before the fork.
    unsafe {
        command.pre_exec(move || {
            const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
            if libc::syscall(libc::SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name.as_ptr()) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    CliRun::from_output(command.output().expect("run the CLI"))
}

fn read(home: &Home, relative: &str) -> Option<String> {
    std::fs::read_to_string(home.path().join(relative)).ok()
}

fn exists(home: &Home, relative: &str) -> bool {
    Path::new(&home.path().join(relative)).exists()
}

#[tokio::test]
async fn an_exported_setup_holds_no_secret_and_a_fresh_home_gets_the_same_plans_and_entries() {
    let server = shared();
    let _guard = exclusive().await;
    cli(server, &["enable"]).ok();
    let token = shown_token(server, "content-editor");
    // The first home: the project, a remembered admin session, three clients connected.
    let a = Home::new();
    install_clients(&a);
    write_project(&a, &server.url, &server.email);
    a.cli(
        false,
        &[
            "--url",
            &server.url,
            "--email",
            &server.email,
            "--password",
            &server.password,
            "--remember",
            "status",
        ],
    )
    .ok();
    for (client, _) in CLIENTS {
        connect(&a, &server.url, client, false).ok();
    }
    let kept = a
        .cli(false, &["--json", "token", "show", "--url", &server.url])
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(kept, token, "the keyring holds the MCP token");

    // Export: printed, and written to a file; the same bytes.
    let file = a.path().join("team-setup.json");
    let printed = a.cli(false, &["export"]);
    printed.ok();
    let written = a
        .cli(
            false,
            &["--json", "export", "--output", file.to_str().unwrap()],
        )
        .json();
    assert_eq!(written["project"], NAME);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(printed.stdout, text);

    // Nothing secret: not the token, the password, the email, a bearer or a session; and
    // every byte is accounted for: exactly these fields with these values.
    for secret in [
        token.as_str(),
        &server.password,
        &server.email,
        "Bearer",
        "eyJ",
    ] {
        assert!(
            !text.contains(secret),
            "the setup file holds {secret:?}:\n{text}"
        );
    }
    let expected = json!({
        "format": "directus-mcp-setup/setup",
        "version": 1,
        "name": NAME,
        "url": server.url,
        "auth": "token",
        "toolMode": "registry",
        "template": "content-editor",
        "clients": ["cursor", "codex", "goose", "windsurf"],
    });
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), expected);
    assert_eq!(
        text,
        format!("{}\n", serde_json::to_string_pretty(&expected).unwrap())
    );

    // A fresh home: the preview changes nothing and shows what `connect --dry-run` shows.
    let b = Home::new();
    install_clients(&b);
    let file_arg = file.to_str().unwrap();
    let preview = b
        .cli(false, &["--json", "import", file_arg, "--dry-run"])
        .json();
    assert_eq!(preview["action"], "import");
    assert_eq!(preview["dry_run"], true);
    assert_eq!(preview["project"]["kind"], "new", "{preview}");
    assert_eq!(preview["token"], "kept");
    assert_eq!(preview["failures"], json!([]));
    assert_eq!(preview["blockers"], json!([]));
    assert_eq!(preview["skipped"][0]["client"], "windsurf", "{preview}");
    assert!(
        preview["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("not installed"),
        "{preview}"
    );
    assert!(
        !preview.to_string().contains(&token),
        "the preview masks the token"
    );
    for (index, (client, path)) in CLIENTS.into_iter().enumerate() {
        assert!(!exists(&b, path), "a dry run wrote {path}");
        let change = &preview["changes"][index];
        assert_eq!(change["action"], "connect");
        assert_eq!(change["applied"], Value::Null);
        let connect_plan = connect(&b, &server.url, client, true).json()["plan"].clone();
        assert_eq!(
            change["plan"], connect_plan,
            "{client}: the import plans as connect does"
        );
    }
    assert!(!exists(&b, ".config/directus-mcp-setup/projects.json"));

    // The import: the same entries as the first home, byte for byte, and the same record
    // (without the email).
    let imported = b.cli(false, &["--json", "import", file_arg]).json();
    assert_eq!(imported["dry_run"], false);
    for (index, (client, path)) in CLIENTS.into_iter().enumerate() {
        assert!(
            imported["changes"][index]["applied"].is_object(),
            "{client}: {imported}"
        );
        assert_eq!(read(&b, path), read(&a, path), "{client}: {path}");
    }
    let record: Value =
        serde_json::from_str(&read(&b, ".config/directus-mcp-setup/projects.json").unwrap())
            .unwrap();
    assert_eq!(
        record["projects"][0],
        json!({
            "name": NAME,
            "url": server.url,
            "auth": "token",
            "toolMode": "registry",
            "template": "content-editor",
            "clients": ["cursor", "codex", "goose"],
        })
    );

    // The entries work: each is connected with the current token, and a real MCP
    // handshake with each entry's own values lists registry mode's tools.
    let listed = b
        .cli(
            false,
            &[
                "--json",
                "clients",
                "--check",
                "--url",
                &server.url,
                "--name",
                NAME,
            ],
        )
        .json();
    let checks = listed["checks"].as_array().unwrap();
    assert_eq!(checks.len(), CLIENTS.len(), "{listed}");
    for check in checks {
        assert_eq!(check["outcome"], "works", "{check}");
        let tools: Vec<&str> = check["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|tool| tool.as_str().unwrap())
            .collect();
        assert!(tools.contains(&"execute") && tools.len() <= 3, "{check}");
    }
    for (client, _) in CLIENTS {
        let row = listed["clients"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["id"] == client)
            .unwrap();
        assert_eq!(row["status"]["state"], "connected", "{client}: {row}");
    }

    // Again: nothing left to change.
    let again = b.cli(false, &["--json", "import", file_arg]).json();
    assert_eq!(again["project"]["kind"], "identical", "{again}");
    for index in 0..CLIENTS.len() {
        assert_eq!(
            again["changes"][index]["plan"]["up_to_date"], true,
            "{again}"
        );
    }

    // Undone by disconnect: the files were new, and are gone again.
    for (client, path) in CLIENTS {
        b.cli(false, &["disconnect", client, "--name", NAME]).ok();
        assert!(!exists(&b, path), "{client}: {path}");
    }
}

#[tokio::test]
async fn without_a_token_on_this_computer_the_import_previews_and_changes_nothing() {
    let server = shared();
    let b = Home::new();
    install_clients(&b);
    let file = b.path().join("setup.json");
    // The same server under a name no other test keeps a token for: the kernel keyring's
    // entries are linked into the user's persistent keyring, which even an empty session
    // keyring still finds, so a token kept by a test running at the same time would count.
    let url = server.url.replace("127.0.0.1", "localhost");
    let setup = json!({
        "format": "directus-mcp-setup/setup",
        "version": 1,
        "name": NAME,
        "url": url,
        "auth": "token",
        "toolMode": "full",
        "template": "content-editor",
        "clients": ["cursor"],
    });
    std::fs::write(&file, setup.to_string()).unwrap();
    let file_arg = file.to_str().unwrap();

    let preview = cli_without_keyring(&b, &["--json", "import", file_arg, "--dry-run"]);
    assert_eq!(
        preview.code, 1,
        "a blocked import's preview exits 1: {}",
        preview.stderr
    );
    let preview: Value = serde_json::from_str(&preview.stdout).unwrap();
    assert_eq!(preview["token"], "missing");
    let diff = preview["changes"][0]["plan"]["steps"][0]["diff"]
        .as_str()
        .unwrap();
    assert!(
        diff.contains("Authorization") && diff.contains("••••"),
        "{diff}"
    );
    assert!(
        preview["blockers"][0]
            .as_str()
            .unwrap()
            .contains("DIRECTUS_MCP_TOKEN"),
        "{preview}"
    );

    let refused = cli_without_keyring(&b, &["import", file_arg]);
    let line = refused.failure(1);
    assert!(line.contains("none is kept in the OS keyring"), "{line}");
    assert!(!exists(&b, ".cursor/mcp.json"));
    assert!(!exists(&b, ".config/directus-mcp-setup/projects.json"));
}

#[test]
fn a_setup_file_with_a_token_in_it_is_refused_by_name_and_nothing_changes() {
    let b = Home::new();
    install_clients(&b);
    let file = b.path().join("setup.json");
    for (field, value) in [
        ("token", json!("abc123")),
        ("headers", json!({ "Authorization": "Bearer abc123" })),
        ("env", json!({ "DIRECTUS_MCP_TOKEN": "abc123" })),
    ] {
        let mut setup = json!({
            "format": "directus-mcp-setup/setup",
            "version": 1,
            "name": "directus",
            "url": "https://cms.example.com",
            "auth": "oauth",
            "toolMode": "full",
            "clients": ["cursor"],
        });
        setup[field] = value;
        std::fs::write(&file, setup.to_string()).unwrap();
        for dry_run in [true, false] {
            let mut args = vec!["import", file.to_str().unwrap()];
            if dry_run {
                args.push("--dry-run");
            }
            let run = b.cli(false, &args);
            let line = run.failure(1);
            assert!(
                line.contains(&format!("field \"{field}\"")) && !line.contains("abc123"),
                "{line}"
            );
        }
    }
    assert!(!exists(&b, ".cursor/mcp.json"));
    assert!(!exists(&b, ".config/directus-mcp-setup/projects.json"));
}

#[test]
fn a_name_held_here_for_another_directus_is_refused_and_import_name_takes_another() {
    let b = Home::new();
    install_clients(&b);
    write_project(&b, "https://other.example.com", "someone@example.com");
    let list = b.path().join(".config/directus-mcp-setup/projects.json");
    let before = std::fs::read(&list).unwrap();
    let file = b.path().join("setup.json");
    let setup = json!({
        "format": "directus-mcp-setup/setup",
        "version": 1,
        "name": NAME,
        "url": "https://cms.example.com",
        "auth": "oauth",
        "toolMode": "full",
        "clients": ["cursor"],
    });
    std::fs::write(&file, setup.to_string()).unwrap();
    let file_arg = file.to_str().unwrap();

    let refused = b.cli(false, &["import", file_arg]);
    let line = refused.failure(1);
    assert!(
        line.contains("https://other.example.com") && line.contains("--name directus`"),
        "{line}"
    );
    assert_eq!(
        std::fs::read(&list).unwrap(),
        before,
        "the list is untouched"
    );
    assert!(!exists(&b, ".cursor/mcp.json"));

    let renamed = b
        .cli(
            false,
            &["--json", "import", file_arg, "--name", "directus-cms"],
        )
        .json();
    assert_eq!(renamed["project"]["kind"], "new");
    let cursor = read(&b, ".cursor/mcp.json").unwrap();
    assert!(
        cursor.contains("\"directus-cms\"") && !cursor.contains(NAME),
        "{cursor}"
    );
}
