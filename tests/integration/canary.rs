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
/// The other server's entry is one line, the line our entry's comma changes, so all its
/// values show in the diff context of connect and disconnect previews: a credential by
/// place (`env`, whatever the variable's name; `headers`; the argument after `--api-key` or
/// `--header`), by shape (`Bearer …`) and inside URLs (a password after `user:`, a key in
/// the path as in Zapier's `https://mcp.zapier.com/api/mcp/s/<key>/mcp`). No value starts
/// with another one, so masking one never hides another that slipped through.
fn seed_json() -> String {
    let other = format!(
        r#"{{ "command": "other-mcp", "args": ["--api-key", "{NEIGHBOUR}-arg", "--header", "X-Custom: {NEIGHBOUR}-hdrarg", "postgresql://user:{NEIGHBOUR}-pgpass@db.example.com/prod"], "url": "https://admin:{NEIGHBOUR}-basic@mcp.zapier.com/api/mcp/s/{NEIGHBOUR}-path/mcp", "env": {{ "OTHER_TOKEN": "{NEIGHBOUR}-env", "DATABASE_URL": "{NEIGHBOUR}-dsn" }}, "headers": {{ "Authorization": "Bearer {NEIGHBOUR}-authhdr" }} }}"#
    );
    format!(
        "{{\n  // the user's settings\n  \"theme\": \"dark\",\n  \"apiKey\": \"{NEIGHBOUR}-top\",\n  \"mcpServers\": {{\n    \"other\": {other}\n  }},\n  \"servers\": {{\n    \"other\": {other}\n  }},\n  \"context_servers\": {{\n    \"other\": {other}\n  }},\n  \"mcp\": {{\n    \"other\": {other}\n  }},\n  \"inputs\": []\n}}\n"
    )
}

/// The TOML seed: its last lines (the diff context of an entry appended after them) hold
/// a neighbour's `env` value, `--header` argument, URL password and URL key.
fn seed_toml() -> String {
    format!(
        "# the user's settings\nmodel = \"o3\"\n\n[mcp_servers.other]\nurl = \"https://other.example/mcp\"\nbearer_token = \"{NEIGHBOUR}-bearer\"\n\n[mcp_servers.other.http_headers]\nX-Api-Key = \"{NEIGHBOUR}-authhdr\"\n\n[mcp_servers.pg]\ncommand = \"npx\"\nenv = {{ DATABASE_URL = \"{NEIGHBOUR}-dsn\" }}\nargs = [\"--header\", \"X-Custom: {NEIGHBOUR}-hdrarg\", \"postgresql://user:{NEIGHBOUR}-pgpass@db.example.com/prod\"]\nurl = \"https://mcp.zapier.com/api/mcp/s/{NEIGHBOUR}-path/mcp\"\n"
    )
}

/// The YAML seed (Continue's list, Goose's map): each other server ends with the lines
/// an appended entry shows in its diff context.
fn seed_yaml() -> String {
    format!(
        "# the user's settings\napiKey: {NEIGHBOUR}-top\nmcpServers:\n  - name: other\n    command: other-mcp\n    requestOptions:\n      headers:\n        Authorization: Bearer {NEIGHBOUR}-authhdr\n    url: https://admin:{NEIGHBOUR}-basic@mcp.zapier.com/api/mcp/s/{NEIGHBOUR}-path/mcp\n    args: [\"--api-key\", \"{NEIGHBOUR}-arg\", \"--header\", \"X-Custom: {NEIGHBOUR}-hdrarg\", \"postgresql://user:{NEIGHBOUR}-pgpass@db.example.com/prod\"]\n    env: {{OTHER_TOKEN: {NEIGHBOUR}-env, DATABASE_URL: {NEIGHBOUR}-dsn}}\nextensions:\n  other:\n    name: other\n    headers:\n      Authorization: Bearer {NEIGHBOUR}-authhdr\n    uri: https://admin:{NEIGHBOUR}-basic@mcp.zapier.com/api/mcp/s/{NEIGHBOUR}-path/mcp\n    args: [\"--header\", \"X-Custom: {NEIGHBOUR}-hdrarg\", \"postgresql://user:{NEIGHBOUR}-pgpass@db.example.com/prod\"]\n    envs: {{DATABASE_URL: {NEIGHBOUR}-dsn}}\n"
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
    /// The admin's password and every refresh token the admin's sessions were given.
    admin_secrets: Vec<String>,
    server_url: String,
    admin_email: String,
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
        // Stand-ins for the clients whose own check (`clients --check`) lists their servers:
        // they print the settings files, the neighbours' secrets included.
        for (program, file) in [
            ("codex", ".codex/config.toml"),
            ("gemini", ".gemini/settings.json"),
        ] {
            let standin = bin.join(program);
            std::fs::write(
                &standin,
                format!("#!/bin/sh\ncat \"$HOME/{file}\" {file} 2>/dev/null\nexit 0\n"),
            )
            .unwrap();
            std::fs::set_permissions(&standin, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let path = format!("{}:{}", bin.display(), home.path_without_clients);
        let mut env = home.env(&path);
        env.push(("DIRECTUS_URL".into(), server.url.clone()));
        Self {
            home,
            project,
            env,
            current: String::new(),
            admin_secrets: vec![server.password.clone()],
            server_url: server.url.clone(),
            admin_email: server.email.clone(),
            failures: Vec::new(),
        }
    }

    /// The admin session's refresh token the CLI keeps in the test's kernel keyring (read
    /// on a thread of its own that joins that keyring, as the CLI's processes do).
    fn kept_refresh_token(&self) -> Option<String> {
        use directus_mcp_setup::directus::ServerUrl;
        use directus_mcp_setup::secret_store::{SecretKind, SecretStore};
        let server = ServerUrl::parse(&self.server_url, false).unwrap();
        let kind = SecretKind::AdminSession {
            email: self.admin_email.clone(),
        };
        std::thread::spawn(move || {
            join_the_clis_keyring();
            SecretStore::new()
                .load(&server, &kind)
                .ok()
                .flatten()
                .map(|token| token.expose().to_owned())
        })
        .join()
        .unwrap()
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

    fn secrets(&self) -> Vec<String> {
        [self.current.clone(), OLD.to_owned(), NEIGHBOUR.to_owned()]
            .into_iter()
            .chain(self.admin_secrets.iter().cloned())
            .collect()
    }

    /// Runs our CLI, checks that nothing secret came out of it and that it exited with
    /// success when `succeeds` (else with a failure): a run that stopped early would print
    /// only an error, and "nothing leaked" would then prove nothing.
    fn expect(&mut self, succeeds: bool, extra_env: &[(&str, &str)], args: &[&str]) -> CliRun {
        let run = self.run(extra_env, args);
        if (run.code == 0) != succeeds {
            self.failures.push(format!(
                "{args:?} exited {} (expected {}): {}{}",
                run.code,
                if succeeds { "success" } else { "a failure" },
                run.stdout,
                run.stderr
            ));
        }
        run
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
        if extra_env
            .iter()
            .any(|(name, _)| *name == "DIRECTUS_PASSWORD")
            && let Some(refresh) = self.kept_refresh_token()
            && !self.admin_secrets.contains(&refresh)
        {
            // This run signed in: the session it was given is a secret from now on, and
            // it must not have printed it either.
            self.admin_secrets.push(refresh);
        }
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

/// Makes the calling thread (only it: credentials are per thread) join the kernel session
/// keyring the test's CLI runs join (`support::join_test_keyring`).
fn join_the_clis_keyring() {
    const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
    let name = std::ffi::CString::new(format!("directus-mcp-setup-tests-{}", std::process::id()))
        .expect("no NUL");
    // SAFETY: keyctl(2) reads the NUL-terminated `name`, which outlives the call.
    let joined =
        unsafe { libc::syscall(libc::SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name.as_ptr()) };
    assert!(
        joined >= 0,
        "join the CLI's keyring: {}",
        std::io::Error::last_os_error()
    );
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
    // Kept, so the admin session's refresh token is in the keyring to be scanned for.
    canary.run(&admin, &["--remember", "enable"]).ok();
    canary
        .run(&admin, &["token", "create", "--template", "content-editor"])
        .ok();
    canary.current = canary.kept_token();
    assert_eq!(canary.current.len(), 64, "a real token");
    assert!(
        canary.admin_secrets.len() > 1,
        "the admin session's refresh token was read from the keyring, to be scanned for"
    );

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
                let works = !refused;
                // Absent entry: previews, as text and JSON.
                canary.expect(
                    works,
                    &[],
                    &[&["--json"][..], &connect, &["--dry-run"]].concat(),
                );
                canary.expect(works, &[], &[&connect[..], &["--dry-run"]].concat());
                if auth == "token" {
                    // A stale entry holding an older token, then connecting over it. The
                    // clients that get the token in a URL refuse one Directus does not know
                    // (its access cannot be checked).
                    // (Raycast takes the token in a header now, so it is not among them.)
                    let token_in_url = ["chatgpt", "claude-ai"].contains(&info.id.as_str());
                    canary.expect(
                        works && !token_in_url,
                        &[("DIRECTUS_MCP_TOKEN", OLD)],
                        &connect,
                    );
                    canary.expect(works, &[], &[&connect[..], &["--dry-run"]].concat());
                }
                canary.expect(works, &[], &[&["--json"][..], &connect].concat());
                canary.expect(works, &[], &connect);
                canary.check_files(&format!("{context} connected"), &documented);
                let list: Vec<&str> = [&["clients"][..], &where_].concat();
                canary.expect(true, &[], &list);
                canary.expect(true, &[], &[&["--json"][..], &list].concat());
                canary.expect(true, &[], &[&list[..], &["--check"]].concat());
                canary.expect(true, &[], &[&["--json"][..], &list, &["--check"]].concat());
                let disconnect: Vec<&str> =
                    [&["disconnect", info.id.as_str()][..], &where_].concat();
                canary.expect(
                    true,
                    &[],
                    &[&["--json"][..], &disconnect, &["--dry-run"]].concat(),
                );
                canary.expect(true, &[], &[&disconnect[..], &["--dry-run"]].concat());
                canary.expect(true, &[], &[&["--json"][..], &disconnect].concat());
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
    use directus_mcp_setup::secret_store::{SecretKind, SecretStore};
    use directus_mcp_setup::wizard::{
        self, authentication, clients::ClientRequest, enable, verify,
    };

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
    // The project list of a HOME of its own, not the user's.
    let sign_in_home = tempfile::tempdir().unwrap();
    let sign_in_env = directus_mcp_setup::clients::ClientEnvironment::new(
        directus_mcp_setup::clients::Os::Linux,
        sign_in_home.path().to_path_buf(),
        None,
        None,
        None,
        None,
    );
    let (session, connected) = wizard::connect(login, &store, &sign_in_env).await.unwrap();
    record("connect".into(), &connected);
    let enable = directus_mcp_setup::setup::EnableRequest {
        allow_deletes: false,
        prompts: directus_mcp_setup::setup::PromptsChoice::Keep,
        system_prompt: None,
    };
    record(
        "enable_mcp".into(),
        &enable::enable(&session, &enable).await.unwrap(),
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
        &authentication::create_token(&session, &request, &store)
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
    wizard::projects::after_sign_in(&env, &server_url, None).unwrap();
    let acting = wizard::clients::Acting::chosen(&env, server_url.clone()).unwrap();
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
        &wizard::clients::overview(&acting, &store, &env).unwrap(),
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
                    tool_mode: Default::default(),
                };
                let what = format!("{} {auth:?} {scope:?}", info.id);
                for preview in [true, false, true] {
                    // An error is an IPC answer too (`{"field", "message"}`), shown as is.
                    match wizard::clients::connect(
                        &acting,
                        &store,
                        &env,
                        &request,
                        preview,
                        std::sync::Arc::new(clients::SystemRunner),
                    )
                    .await
                    {
                        Ok(change) => {
                            record(format!("client_connect {what} preview={preview}"), &change);
                        }
                        Err(error) => {
                            record(
                                format!("error of client_connect {what} preview={preview}"),
                                &error,
                            );
                        }
                    }
                }
                // The Open buttons' links: what the app hands to the desktop, or why not.
                for label in LINK_LABELS {
                    let link =
                        wizard::clients::link_to_open(&acting, &store, &env, &request, label).await;
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
                        &authentication::rotate_token(&session, &store)
                            .await
                            .unwrap(),
                    );
                    secrets.push(token(&store).expose().to_owned());
                    match wizard::clients::connect(
                        &acting,
                        &store,
                        &env,
                        &request,
                        true,
                        std::sync::Arc::new(clients::SystemRunner),
                    )
                    .await
                    {
                        Ok(change) => record(format!("client_preview stale {what}"), &change),
                        Err(error) => {
                            record(format!("error of client_preview stale {what}"), &error)
                        }
                    }
                }
                record(
                    "clients_overview".into(),
                    &wizard::clients::overview(&acting, &store, &env).unwrap(),
                );
                match wizard::clients::disconnect(&acting, &env, &request, &clients::SystemRunner) {
                    Ok(change) => record(format!("client_disconnect {what}"), &change),
                    Err(error) => record(format!("error of client_disconnect {what}"), &error),
                }
            }
        }
    }
    // A card's Check (every project's entry the client holds, with the token kept for it):
    // its answer, works or fails with a reason, holds no secret either.
    let with_token = ClientRequest {
        client: "cursor".into(),
        auth: AuthMode::Token,
        scope: Scope::User,
        project_dir: None,
        inline_token: false,
        tool_mode: Default::default(),
    };
    match wizard::clients::connect(
        &acting,
        &store,
        &env,
        &with_token,
        false,
        std::sync::Arc::new(clients::SystemRunner),
    )
    .await
    {
        Ok(change) => record("client_connect cursor for check".into(), &change),
        Err(error) => record("error of client_connect cursor for check".into(), &error),
    }
    match wizard::clients::check(
        &acting,
        &store,
        &env,
        "cursor",
        std::sync::Arc::new(clients::SystemRunner),
    )
    .await
    {
        Ok(check) => {
            assert!(
                !check.projects.is_empty(),
                "the card's Check names its projects"
            );
            record("client_check cursor".into(), &check)
        }
        Err(error) => record("error of client_check cursor".into(), &error),
    }
    if let Err(error) =
        wizard::clients::disconnect(&acting, &env, &with_token, &clients::SystemRunner)
    {
        record(
            "error of client_disconnect cursor after check".into(),
            &error,
        );
    }
    record(
        "verify_mcp".into(),
        &verify::verify(&session, &store).await.unwrap(),
    );
    // A label the client's steps do not have is named (the page sends labels it was given).
    let cursor = ClientRequest {
        client: "cursor".into(),
        auth: AuthMode::Oauth,
        scope: Scope::User,
        project_dir: None,
        inline_token: false,
        tool_mode: Default::default(),
    };
    let no_link = wizard::clients::link_to_open(&acting, &store, &env, &cursor, "Nothing")
        .await
        .unwrap_err();
    assert_eq!(
        no_link.message,
        "Cursor has no link named 'Nothing' to open"
    );
    let no_value = wizard::clients::copy_value(&acting, &store, &env, &cursor, "Nothing")
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
    // Every kind of answer this test claims to cover was scanned, in numbers: a
    // regression that made connecting fail everywhere would leave only error payloads.
    let pairs: usize = clients::all()
        .iter()
        .map(|client| client.info().scopes.len())
        .sum();
    let count = |prefix: &str, suffix: &str| {
        payloads
            .iter()
            .filter(|(what, _)| what.starts_with(prefix) && what.ends_with(suffix))
            .count()
    };
    for (prefix, suffix, at_least) in [
        ("client_connect ", "preview=true", 2 * pairs),
        ("client_connect ", "preview=false", pairs),
        ("client_preview stale ", "", pairs / 2),
        ("client_disconnect ", "", pairs),
        ("client_open_link ", "", pairs * LINK_LABELS.len()),
        ("clients_overview", "", pairs),
        ("rotate_token", "", pairs / 2),
    ] {
        let seen = count(prefix, suffix);
        assert!(
            seen >= at_least,
            "{seen} payloads '{prefix}…{suffix}', expected at least {at_least}"
        );
    }
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

/// A stale entry whose URL holds a token (`?access_token=`, a password before `@`, a key in
/// the path) is shown masked and named a problem by `clients`, `--json clients` and the
/// app's Clients card (`clients_overview`), never printed.
#[tokio::test]
async fn a_stale_url_holding_a_token_is_shown_masked() {
    use directus_mcp_setup::directus::ServerUrl;
    use directus_mcp_setup::secret_store::SecretStore;
    use directus_mcp_setup::wizard;

    let url = "http://127.0.0.1:8055";
    let home = Home::new();
    let write = |path: &str, text: String| {
        let path = home.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        ".cursor/mcp.json",
        format!(
            r#"{{"mcpServers": {{"directus": {{"url": "{url}/mcp?access_token={OLD}-query"}}}}}}"#
        ),
    );
    write(
        ".codex/config.toml",
        format!("[mcp_servers.directus]\nurl = \"http://admin:{OLD}-pass@127.0.0.1:8055/mcp\"\n"),
    );
    write(
        ".gemini/settings.json",
        format!(r#"{{"mcpServers": {{"directus": {{"httpUrl": "{url}/s/{OLD}/mcp"}}}}}}"#),
    );
    let mut env = home.env(&home.path_without_clients);
    env.push(("DIRECTUS_URL".into(), url.into()));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let text = cli_with_env(&env, &["clients"]);
    let json = cli_with_env(&env, &["--json", "clients"]);
    let client_env =
        ClientEnvironment::new(Os::Linux, home.path().to_path_buf(), None, None, None, None);
    let server = ServerUrl::parse(url, false).unwrap();
    wizard::projects::after_sign_in(&client_env, &server, None).unwrap();
    let card = serde_json::to_string(
        &wizard::clients::overview(
            &wizard::clients::Acting::chosen(&client_env, server).unwrap(),
            &SecretStore::new(),
            &client_env,
        )
        .unwrap(),
    )
    .unwrap();
    for (what, shown, code) in [
        (
            "clients",
            format!("{}{}", text.stdout, text.stderr),
            text.code,
        ),
        (
            "--json clients",
            format!("{}{}", json.stdout, json.stderr),
            json.code,
        ),
        ("clients_overview", card, 0),
    ] {
        assert_eq!(code, 0, "{what}: {shown}");
        assert!(!shown.contains(OLD), "{what} printed the token: {shown}");
        assert_eq!(
            shown.matches("that URL holds a token").count(),
            3,
            "{what} names the problem for cursor, codex and gemini: {shown}"
        );
        assert!(
            shown.contains("points at http://127.0.0.1:8055/mcp?••••••••")
                && shown.contains("points at http://••••••••@127.0.0.1:8055/mcp"),
            "{what}: {shown}"
        );
    }
}

/// A password or `?access_token=` typed into `--url` is never echoed by the error about it.
#[test]
fn errors_about_the_url_never_echo_its_credentials() {
    for (url, secret) in [
        (
            "https://admin:hunter2secret@cms.example.com",
            "hunter2secret",
        ),
        (
            "https://cms.example.com/?access_token=LEAKEDTOKEN1234",
            "LEAKEDTOKEN1234",
        ),
        (
            "https://admin:hunter2secret@cms example.com",
            "hunter2secret",
        ),
    ] {
        // `clients` reads the URL before anything else.
        let run = cli_with_env(&[("DIRECTUS_URL", url)], &["clients"]);
        assert_ne!(run.code, 0, "{url}: {}", run.stdout);
        assert!(
            run.stderr.contains("••••••••") && run.stderr.contains("cms"),
            "the error names the URL, masked: {}",
            run.stderr
        );
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "{url}: {}{}",
            run.stdout,
            run.stderr
        );
    }
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
