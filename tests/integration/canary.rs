//! The secret canary suite: a real MCP token (unique, 64 hex characters), an older token
//! planted as a stale entry, and secrets of other servers planted in every client's files
//! run through every CLI command, for every client, both auth modes, both scopes, absent,
//! existing and stale entries, `--dry-run` and `--json`. None may appear in stdout, stderr,
//! JSON, the argv of a child process (a recording stand-in for `claude`), or any file left
//! behind — only in the settings files documented to hold the token (owner-only, user scope)
//! while connected, and in the OS keyring.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use directus_mcp_setup::clients::{self, ClientEnvironment, Os, Scope, Target};

use crate::support::clients::Home;
use crate::support::{self, CliRun, cli_with_env};

/// A secret of another server in the user's files.
const NEIGHBOUR: &str = "neighbour-canary-7c1d9e52";
/// An older token of ours, left in a stale entry.
const OLD: &str = "old-canary-token-3b8a4f61";

/// A settings file with another server that holds secrets, under every key a client reads.
fn seed_json() -> String {
    let other = format!(
        r#"{{ "command": "other-mcp", "args": ["--api-key", "{NEIGHBOUR}-arg"], "env": {{ "OTHER_TOKEN": "{NEIGHBOUR}-env" }}, "headers": {{ "Authorization": "Bearer {NEIGHBOUR}-hdr" }} }}"#
    );
    format!(
        "{{\n  // the user's settings\n  \"theme\": \"dark\",\n  \"apiKey\": \"{NEIGHBOUR}-top\",\n  \"mcpServers\": {{\n    \"other\": {other}\n  }},\n  \"servers\": {{\n    \"other\": {other}\n  }},\n  \"context_servers\": {{\n    \"other\": {other}\n  }},\n  \"inputs\": []\n}}\n"
    )
}

fn seed_toml() -> String {
    format!(
        "# the user's settings\nmodel = \"o3\"\n\n[mcp_servers.other]\nurl = \"https://other.example/mcp\"\nbearer_token = \"{NEIGHBOUR}-bearer\"\n\n[mcp_servers.other.http_headers]\nX-Api-Key = \"{NEIGHBOUR}-hdr\"\n"
    )
}

fn seed_yaml() -> String {
    format!(
        "# the user's settings\napiKey: {NEIGHBOUR}-top\nmcpServers:\n  - name: other\n    command: other-mcp\n    args: [\"--api-key\", \"{NEIGHBOUR}-arg\"]\n    env:\n      OTHER_TOKEN: {NEIGHBOUR}-env\n    requestOptions:\n      headers:\n        Authorization: Bearer {NEIGHBOUR}-hdr\nextensions:\n  other:\n    name: other\n    uri: https://other.example/mcp\n    headers:\n      Authorization: Bearer {NEIGHBOUR}-hdr\n"
    )
}

/// The seed for a settings file of `path`'s syntax.
fn seed_for(path: &std::path::Path) -> String {
    match path.extension().and_then(|ext| ext.to_str()) {
        Some("toml") => seed_toml(),
        Some("yaml") => seed_yaml(),
        _ => seed_json(),
    }
}

struct Canary {
    home: Home,
    project: PathBuf,
    env: Vec<(String, String)>,
    current: String,
    failures: Vec<String>,
}

impl Canary {
    fn new(server: &support::Server) -> Self {
        let home = Home::new();
        let project = home.path().join("project");
        std::fs::create_dir_all(&project).unwrap();
        // A stand-in for `claude` that records its arguments (and runs nothing else).
        let bin = home.path().join(".standin");
        std::fs::create_dir_all(&bin).unwrap();
        let standin = bin.join("claude");
        std::fs::write(
            &standin,
            "#!/bin/sh\nprintf '%s\\n' \"$@\" >> \"$HOME/.standin/argv.log\"\nexit 0\n",
        )
        .unwrap();
        std::fs::set_permissions(&standin, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = format!("{}:{}", bin.display(), home.path_without_clients);
        let mut env = home.env(&path);
        env.push(("DIRECTUS_URL".into(), server.url.clone()));
        Self {
            home,
            project,
            env,
            current: String::new(),
            failures: Vec::new(),
        }
    }

    /// The token kept in the keyring, read with `token show` — the one command whose
    /// purpose is to print it.
    fn kept_token(&self) -> String {
        let env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        cli_with_env(&env, &["token", "show"])
            .ok()
            .stdout
            .trim()
            .to_owned()
    }

    fn secrets(&self) -> [String; 3] {
        [self.current.clone(), OLD.to_owned(), NEIGHBOUR.to_owned()]
    }

    /// Runs our CLI and checks that nothing secret came out of it.
    fn run(&mut self, extra_env: &[(&str, &str)], args: &[&str]) -> CliRun {
        let mut env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        env.extend_from_slice(extra_env);
        let run = cli_with_env(&env, args);
        for secret in self.secrets().into_iter().filter(|s| !s.is_empty()) {
            if run.stdout.contains(&secret) || run.stderr.contains(&secret) {
                self.failures.push(format!(
                    "{args:?} printed a secret ({}…):\n{}{}",
                    &secret[..8],
                    run.stdout,
                    run.stderr
                ));
            }
        }
        run
    }

    /// Every file under the home: the tokens only in documented files (user-scope client
    /// settings, made owner-only), never in a project, a backup, a lock, an argv log.
    fn check_files(&mut self, context: &str, documented: &[PathBuf]) {
        for path in files_under(self.home.path()) {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for secret in [self.current.clone(), OLD.to_owned()] {
                if secret.is_empty() || !text.contains(&secret) {
                    continue;
                }
                let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
                if !documented.contains(&path) || mode != 0o600 {
                    self.failures.push(format!(
                        "{context}: {} holds a token (mode {mode:o})",
                        path.display()
                    ));
                }
            }
        }
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => files.extend(files_under(&path)),
            Ok(kind) if kind.is_file() => files.push(path),
            _ => {}
        }
    }
    files
}

#[tokio::test]
async fn no_secret_leaks_from_any_command_for_any_client() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let mut canary = Canary::new(server);
    let admin = [
        ("DIRECTUS_EMAIL", server.email.as_str()),
        ("DIRECTUS_PASSWORD", server.password.as_str()),
    ];
    canary.run(&admin, &["enable"]).ok();
    canary
        .run(&admin, &["token", "create", "--template", "content-editor"])
        .ok();
    canary.current = canary.kept_token();
    assert_eq!(canary.current.len(), 64, "a real token");

    // Plant the neighbours' secrets in every file any client reads.
    let env = ClientEnvironment::new(
        Os::Linux,
        canary.home.path().to_path_buf(),
        None,
        None,
        None,
        None,
    );
    let mut seeded = Vec::new();
    for client in clients::all() {
        for scope in client.info().scopes {
            let target = Target::new("directus", scope, Some(canary.project.clone())).unwrap();
            if let Some(path) = client.config_file(&env, &target) {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, seed_for(&path)).unwrap();
                seeded.push(path);
            }
        }
    }

    for client in clients::all() {
        let info = client.info();
        for scope in info.scopes.clone() {
            let target = Target::new("directus", scope, Some(canary.project.clone())).unwrap();
            let documented: Vec<PathBuf> = (scope == Scope::User)
                .then(|| client.config_file(&env, &target))
                .flatten()
                .map(|path| std::fs::canonicalize(&path).unwrap_or(path))
                .into_iter()
                .collect();
            let project = canary.project.display().to_string();
            let mut where_: Vec<&str> = Vec::new();
            if scope == Scope::Project {
                where_.extend(["--scope", "project", "--project-dir", &project]);
            }
            for auth in ["oauth", "token"] {
                let context = format!("{} {auth} {scope:?}", info.id);
                let connect: Vec<&str> =
                    [&["connect", info.id.as_str(), "--auth", auth][..], &where_].concat();
                // The clients that read no variable in a shared project file refuse a token.
                let refused = ["zed", "auggie", "crush", "junie", "warp", "trae"]
                    .contains(&info.id.as_str())
                    && auth == "token"
                    && scope == Scope::Project;
                // Absent entry: previews, as text and JSON.
                canary.run(&[], &[&["--json"][..], &connect, &["--dry-run"]].concat());
                canary.run(&[], &[&connect[..], &["--dry-run"]].concat());
                if auth == "token" {
                    // A stale entry holding an older token, then connecting over it.
                    canary.run(&[("DIRECTUS_MCP_TOKEN", OLD)], &connect);
                    canary.run(&[], &[&connect[..], &["--dry-run"]].concat());
                }
                let connected = canary.run(&[], &[&["--json"][..], &connect].concat());
                if (connected.code == 0) == refused {
                    canary.failures.push(format!(
                        "{context}: connect exited {}: {}",
                        connected.code, connected.stderr
                    ));
                }
                canary.run(&[], &connect);
                canary.check_files(&format!("{context} connected"), &documented);
                let list: Vec<&str> = [&["clients"][..], &where_].concat();
                canary.run(&[], &list);
                canary.run(&[], &[&["--json"][..], &list].concat());
                let disconnect: Vec<&str> =
                    [&["disconnect", info.id.as_str()][..], &where_].concat();
                canary.run(
                    &[],
                    &[&["--json"][..], &disconnect, &["--dry-run"]].concat(),
                );
                canary.run(&[], &[&disconnect[..], &["--dry-run"]].concat());
                canary.run(&[], &[&["--json"][..], &disconnect].concat());
                canary.check_files(&format!("{context} disconnected"), &[]);
            }
        }
    }
    let argv =
        std::fs::read_to_string(canary.home.path().join(".standin/argv.log")).unwrap_or_default();
    assert!(
        argv.contains("mcp\nadd"),
        "the stand-in for `claude` was run: {argv}"
    );

    // A backup left by an older version still holding the token: rotating removes it, and
    // the new token is printed nowhere.
    let legacy = canary
        .home
        .path()
        .join(".cursor/mcp.json.directus-mcp-setup.bak");
    std::fs::write(&legacy, format!("{{\"t\": \"Bearer {}\"}}", canary.current)).unwrap();
    canary.run(&admin, &["verify"]).ok();
    let rotated = canary.run(&admin, &["--json", "token", "rotate"]).json();
    assert!(
        !legacy.exists(),
        "rotate removed {}: {rotated}",
        legacy.display()
    );
    let previous = std::mem::take(&mut canary.current);
    canary.current = canary.kept_token();
    assert_ne!(previous, canary.current);
    std::fs::write(&legacy, format!("{{\"t\": \"Bearer {}\"}}", canary.current)).unwrap();
    canary.run(&admin, &["status"]).ok();
    let revoked = canary.run(&admin, &["--json", "token", "revoke"]).json();
    assert!(!legacy.exists(), "revoke removed the backup: {revoked}");
    canary.check_files("after revoke", &[]);
    for path in seeded {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains(NEIGHBOUR),
            "{} kept the user's own secrets",
            path.display()
        );
    }
    assert!(
        canary.failures.is_empty(),
        "{} leaks:\n{}",
        canary.failures.len(),
        canary.failures.join("\n\n")
    );
}

/// The app's commands, called as its thin IPC layer calls them, with their answers
/// serialized exactly as IPC sends them to the webview: no payload holds a secret.
#[tokio::test]
async fn no_secret_reaches_the_app_window() {
    use directus_mcp_setup::clients::AuthMode;
    use directus_mcp_setup::directus::mcp_user::TokenRequest;
    use directus_mcp_setup::directus::role_template::RoleTemplate;
    use directus_mcp_setup::secret::SecretString;
    use directus_mcp_setup::secrets::{SecretKind, SecretStore};
    use directus_mcp_setup::wizard::{self, clients::ClientRequest, steps};

    let server = support::shared();
    let _guard = support::exclusive().await;
    let store = SecretStore::new();
    let mut payloads: Vec<(String, String)> = Vec::new();
    let mut record =
        |what: String, payload: &dyn erased::Json| payloads.push((what, payload.json()));

    let login: wizard::ConnectRequest = serde_json::from_value(serde_json::json!({
        "url": server.url, "allow_insecure_http": false,
        "login": { "method": "password", "email": server.email, "password": server.password, "otp": null }
    }))
    .unwrap();
    let (session, connected) = wizard::connect(login, &store).await.unwrap();
    record("connect".into(), &connected);
    let enable = directus_mcp_setup::setup::EnableRequest {
        allow_deletes: false,
        prompts: directus_mcp_setup::setup::PromptsChoice::Keep,
        system_prompt: None,
    };
    record(
        "enable_mcp".into(),
        &steps::enable(&session, &enable).await.unwrap(),
    );
    let request = TokenRequest {
        template: RoleTemplate::ContentEditor,
        collections: None,
        delete_collections: Vec::new(),
        allow_file_update: false,
        confirm_administrator: false,
    };
    record(
        "create_token".into(),
        &steps::create_token(&session, &request, &store)
            .await
            .unwrap(),
    );
    let server_url = session.client().server().clone();
    let token = |store: &SecretStore| -> SecretString {
        store
            .load(&server_url, &SecretKind::McpToken)
            .unwrap()
            .unwrap()
    };
    let first = token(&store);

    let home = tempfile::tempdir().unwrap();
    let project = home.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    let env = ClientEnvironment::new(Os::Linux, home.path().to_path_buf(), None, None, None, None);
    for client in clients::all() {
        for scope in client.info().scopes {
            let target = Target::new("directus", scope, Some(project.clone())).unwrap();
            if let Some(path) = client.config_file(&env, &target) {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, seed_for(&path)).unwrap();
            }
        }
    }
    record(
        "clients_overview".into(),
        &wizard::clients::overview(&server_url, &store, &env).unwrap(),
    );
    let mut secrets = vec![first.expose().to_owned()];
    let (mut opened, mut refused) = (Vec::new(), Vec::new());
    for client in clients::all() {
        let info = client.info();
        for scope in info.scopes.clone() {
            for auth in [AuthMode::Oauth, AuthMode::Token] {
                let request = ClientRequest {
                    client: info.id.clone(),
                    auth,
                    scope,
                    project_dir: Some(project.display().to_string()),
                    inline_token: true,
                };
                let what = format!("{} {auth:?} {scope:?}", info.id);
                for preview in [true, false, true] {
                    if let Ok(change) = wizard::clients::connect(
                        &server_url,
                        &store,
                        &env,
                        &request,
                        preview,
                        std::sync::Arc::new(clients::SystemRunner),
                    )
                    .await
                    {
                        record(format!("client_connect {what} preview={preview}"), &change);
                    }
                }
                // The Open buttons' links: what the app hands to the desktop, or why not.
                for label in LINK_LABELS {
                    let link =
                        wizard::clients::link_to_open(&server_url, &store, &env, &request, label)
                            .await;
                    let what = format!("client_open_link {what} {label}");
                    match link {
                        Ok(link) => {
                            record(what.clone(), &link);
                            opened.push(format!("{what}: {link}"));
                        }
                        Err(error) => {
                            record(what.clone(), &error);
                            refused.push(format!("{what}: {}", error.message));
                        }
                    }
                }
                if auth == AuthMode::Token {
                    // The entry goes stale: its old token shows in the `-` lines of the next preview.
                    record(
                        "rotate_token".into(),
                        &steps::rotate_token(&session, &store).await.unwrap(),
                    );
                    secrets.push(token(&store).expose().to_owned());
                    if let Ok(change) = wizard::clients::connect(
                        &server_url,
                        &store,
                        &env,
                        &request,
                        true,
                        std::sync::Arc::new(clients::SystemRunner),
                    )
                    .await
                    {
                        record(format!("client_preview stale {what}"), &change);
                    }
                }
                record(
                    "clients_overview".into(),
                    &wizard::clients::overview(&server_url, &store, &env).unwrap(),
                );
                if let Ok(change) =
                    wizard::clients::disconnect(&env, &request, &clients::SystemRunner)
                {
                    record(format!("client_disconnect {what}"), &change);
                }
            }
        }
    }
    record(
        "verify_mcp".into(),
        &steps::verify(&session, &store).await.unwrap(),
    );
    // A label the client's steps do not have is named (the page sends labels it was given).
    let cursor = ClientRequest {
        client: "cursor".into(),
        auth: AuthMode::Oauth,
        scope: Scope::User,
        project_dir: None,
        inline_token: false,
    };
    let no_link = wizard::clients::link_to_open(&server_url, &store, &env, &cursor, "Nothing")
        .await
        .unwrap_err();
    assert_eq!(
        no_link.message,
        "Cursor has no link named 'Nothing' to open"
    );
    let no_value = wizard::clients::copy_value(&server_url, &store, &env, &cursor, "Nothing")
        .await
        .map(|_| ())
        .unwrap_err();
    assert_eq!(
        no_value.message,
        "Cursor has no value named 'Nothing' to copy"
    );
    // With OAuth a link is opened as made (Cherry Studio's own scheme too); with the token in
    // it, never: the program opening it would get the token on its command line. (No link
    // handed out holds a token: the scan below reads them all.)
    assert!(
        opened.iter().any(|line| line.starts_with(
            "client_open_link cherry-studio Oauth User Cherry Studio install link: cherrystudio://mcp/install?servers="
        )),
        "{opened:#?}"
    );
    assert!(
        refused.iter().any(|line| line.starts_with("client_open_link cursor Token User Cursor install link: the Cursor install link holds the token")),
        "{refused:#?}"
    );
    let mut leaks = Vec::new();
    for (what, payload) in &payloads {
        for secret in secrets.iter().map(String::as_str).chain([NEIGHBOUR]) {
            if payload.contains(secret) {
                leaks.push(format!("{what}: {payload}"));
            }
        }
    }
    assert!(payloads.len() > 100, "{} payloads", payloads.len());
    for path in files_under(home.path()) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if secrets.iter().any(|secret| text.contains(secret.as_str())) {
            leaks.push(format!(
                "{} holds a token after every disconnect",
                path.display()
            ));
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

/// The labels of the clients' Open buttons (install links, connector pages).
const LINK_LABELS: [&str; 5] = [
    "ChatGPT connector settings",
    "Cherry Studio install link",
    "Claude.ai connector settings",
    "Cursor install link",
    "VS Code install link",
];

/// Serializing any IPC answer the way Tauri does (serde_json).
mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).expect("IPC answers serialize")
        }
    }
}
