//! The test harness: a real Directus 12.4.1 (installed from the npm registry by
//! `scripts/directus-server.sh`, cached outside the clone), the real CLI binary, and a raw
//! admin API client to set up and check what the product did.
//!
//! One Directus is shared by the whole run: started on first use (or taken from
//! `DIRECTUS_TEST_SERVER_ENV`, the `server.env` of a server the test script started), and
//! stopped when the test process exits. Tests that change the MCP user take [`exclusive`].

pub mod api;
pub mod clients;
pub mod hostile_as;
pub mod mock_model;
pub mod oauth_client;
pub mod proxy;
pub mod tls_front;
pub mod totp;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use tokio::sync::{Mutex, MutexGuard};

pub use api::Api;

/// A plain HTTP client for tests (rustls' provider installed as the product does).
pub fn http_client() -> reqwest::Client {
    directus_mcp_setup::transport::install_tls_provider();
    reqwest::Client::new()
}

/// A running Directus.
#[derive(Debug, Clone)]
pub struct Server {
    /// Base URL.
    pub url: String,
    /// The bootstrap admin.
    pub email: String,
    /// The bootstrap admin's password.
    pub password: String,
    /// The server's state directory (`.env`, database, logs).
    pub state_dir: PathBuf,
    /// Pid of the server process.
    pub pid: i32,
}

pub(crate) fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn read_server_env(state_dir: &Path) -> Server {
    let text = std::fs::read_to_string(state_dir.join("server.env")).expect("server.env");
    let values: HashMap<&str, &str> = text.lines().filter_map(|l| l.split_once('=')).collect();
    Server {
        url: values["DIRECTUS_URL"].to_owned(),
        email: values["DIRECTUS_EMAIL"].to_owned(),
        password: values["DIRECTUS_PASSWORD"].to_owned(),
        state_dir: state_dir.to_owned(),
        pid: values["DIRECTUS_PID"].parse().expect("pid"),
    }
}

fn run_server_script(args: &[&str]) {
    let status = Command::new(repo_root().join("scripts/directus-server.sh"))
        .args(args)
        .status()
        .expect("run scripts/directus-server.sh");
    assert!(
        status.success(),
        "scripts/directus-server.sh {args:?} failed"
    );
}

/// Starts a Directus in `state_dir` with extra environment lines; it stops when the test
/// process exits (or on [`stop`]).
pub fn start_server(state_dir: &Path, env: &[&str]) -> Server {
    let pid = std::process::id().to_string();
    let state = state_dir.to_str().expect("utf-8 path");
    let mut args = vec!["start", state, "--stop-with-pid", &pid];
    for kv in env {
        args.extend(["--env", kv]);
    }
    run_server_script(&args);
    read_server_env(state_dir)
}

/// Starts the server of `server.state_dir` again, same port and database.
pub fn restart_server(server: &Server) -> Server {
    let pid = std::process::id().to_string();
    run_server_script(&[
        "restart",
        server.state_dir.to_str().expect("utf-8 path"),
        "--stop-with-pid",
        &pid,
    ]);
    read_server_env(&server.state_dir)
}

/// Kills the server at once (SIGKILL to its process group), as a crash or power loss would.
pub fn kill_server(server: &Server) {
    // SAFETY: kill(2) with a negative pid signals the server's process group; no memory is touched.
    unsafe {
        libc::kill(-server.pid, libc::SIGKILL);
    }
    for _ in 0..100 {
        // SAFETY: signal 0 only checks whether the process exists.
        if unsafe { libc::kill(server.pid, 0) } != 0 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The Directus shared by the whole test run.
pub fn shared() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| match std::env::var_os("DIRECTUS_TEST_SERVER_ENV") {
        Some(path) => read_server_env(Path::new(&path).parent().expect("server.env in a folder")),
        None => {
            let dir = std::env::temp_dir()
                .join(format!("directus-mcp-setup-tests-{}", std::process::id()));
            start_server(&dir, &[])
        }
    })
}

/// Serialises tests that change the shared server's MCP user or MCP settings.
pub async fn exclusive() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::const_new(());
    LOCK.lock().await
}

/// Serialises the tests that change the OAuth server's project settings ([`oauth_server`]).
pub async fn oauth_exclusive() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::const_new(());
    LOCK.lock().await
}

/// A second Directus, started with `MCP_ENABLED=false` (the sysadmin's kill switch); tests
/// that use it take [`exclusive`] too. Read afresh each time: a test may have restarted it
/// (same port, new process).
pub fn kill_switched() -> Server {
    static STATE_DIR: OnceLock<PathBuf> = OnceLock::new();
    let state_dir = STATE_DIR.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("directus-mcp-setup-tests-{}-b", std::process::id()));
        start_server(&dir, &["MCP_ENABLED=false"]);
        dir
    });
    read_server_env(state_dir)
}

/// A third Directus whose environment allows MCP OAuth with Dynamic Client Registration
/// (`MCP_OAUTH_ENABLED`, `MCP_OAUTH_DCR_ENABLED`), as a sysadmin would set it up. Its
/// project settings start with OAuth off.
pub fn oauth_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!(
            "directus-mcp-setup-tests-{}-oauth",
            std::process::id()
        ));
        start_server(
            &dir,
            &["MCP_OAUTH_ENABLED=true", "MCP_OAUTH_DCR_ENABLED=true"],
        )
    })
}

/// A Directus of its own for the tests that add administrators (the session tests): a
/// community licence counts seats, and the shared server's users already fill them.
pub fn sessions_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!(
            "directus-mcp-setup-tests-{}-sessions",
            std::process::id()
        ));
        start_server(&dir, &[])
    })
}

/// A finished CLI run.
#[derive(Debug)]
pub struct CliRun {
    /// Exit status.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl CliRun {
    pub(crate) fn from_output(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Asserts exit 0 and parses stdout as JSON.
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(self.code, 0, "CLI failed: {}", self.stderr);
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }

    /// Asserts exit 0.
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, 0, "CLI failed: {}", self.stderr);
        self
    }

    /// Asserts exit `code` and returns the one line on stderr.
    pub fn failure(&self, code: i32) -> &str {
        assert_eq!(
            self.code, code,
            "expected exit {code}; stdout: {} stderr: {}",
            self.stdout, self.stderr
        );
        // Warnings and notes may come first (e.g. a secret given as an argument).
        let mut line = self.stderr.trim_end();
        while line.starts_with("warning: ") || line.starts_with("note: ") {
            line = line.split_once('\n').map_or("", |(_, rest)| rest);
        }
        assert!(
            line.starts_with("error: "),
            "stderr should start with `error: `: {line}"
        );
        assert_eq!(
            line.lines().filter(|l| l.starts_with("error: ")).count(),
            1,
            "one error line: {line}"
        );
        line
    }
}

/// The CLI binary, with a clean environment: only what `env` gives, an empty home of its
/// own, the kernel keyring backend, and a session keyring shared by every CLI run of this
/// test process. A variable
/// given as empty is left out (e.g. `DIRECTUS_MCP_SETUP_KEYRING`, to let the CLI choose).
pub fn cli_with_env(env: &[(&str, &str)], args: &[&str]) -> CliRun {
    // A home of its own for each run (unless `env` gives one): what one run records there
    // (the project list, the app's settings) must not reach another test's run.
    let home = tempfile::tempdir().expect("a temporary home");
    let mut command = Command::new(env!("CARGO_BIN_EXE_directus-mcp-setup"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("DIRECTUS_MCP_SETUP_KEYRING", "keyutils")
        .envs(env.iter().copied())
        .args(args);
    for (name, _) in env.iter().filter(|(_, value)| value.is_empty()) {
        command.env_remove(name);
    }
    join_test_keyring(&mut command);
    CliRun::from_output(command.output().expect("run the CLI"))
}

/// The CLI signed in as `server`'s admin (email and password from the environment).
pub fn cli(server: &Server, args: &[&str]) -> CliRun {
    cli_with_env(
        &[
            ("DIRECTUS_URL", &server.url),
            ("DIRECTUS_EMAIL", &server.email),
            ("DIRECTUS_PASSWORD", &server.password),
        ],
        args,
    )
}

/// Runs `token create --template TEMPLATE --show-token` (confirming the administrator
/// template) and returns the printed token.
pub fn shown_token(server: &Server, template: &str) -> String {
    let mut options = vec!["--template", template];
    if template == "administrator" {
        options.push("--confirm-administrator");
    }
    created_token(server, &options)
}

/// Runs `token create --show-token` with `options` and returns the printed token.
pub fn created_token(server: &Server, options: &[&str]) -> String {
    let mut args = vec!["--json", "token", "create", "--show-token"];
    args.extend_from_slice(options);
    let created = cli(server, &args).json();
    created["token"]
        .as_str()
        .expect("--show-token prints the token")
        .to_owned()
}

/// Every CLI process of this test run joins one named session keyring, so a token one run
/// stores is found by the next, as in a desktop login session.
pub fn join_test_keyring(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    let name = std::ffi::CString::new(format!("directus-mcp-setup-tests-{}", std::process::id()))
        .expect("no NUL");
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
}
