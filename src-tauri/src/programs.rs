//! The programs the app starts, all through the shell plugin's Rust API: a client's own
//! command (`claude mcp add …`, run by the core's plan) and the command-line tool shipped
//! inside the app. The webview gets no shell permission at all (see capabilities/main.json):
//! only these Rust calls start programs.

use std::io;
use std::path::Path;
use std::time::Duration;

use directus_mcp_setup::clients::apply::{PROGRAM_TIMEOUT, ProgramFailure, ProgramRunner};
use directus_mcp_setup::clients::plan::ProgramRun;
use directus_mcp_setup::platform::{self, Os};
use directus_mcp_setup::wizard::BundledCli;
use tauri::{AppHandle, Runtime};
use tauri_plugin_shell::ShellExt;
use tauri_plugin_shell::process::{Command, CommandEvent};

/// Starts a client's command through the shell plugin, with the core's time limit.
pub struct ShellRunner<R: Runtime> {
    app: AppHandle<R>,
}

impl<R: Runtime> ShellRunner<R> {
    /// A runner for `app`'s shell plugin.
    pub fn new(app: AppHandle<R>) -> Self {
        Self { app }
    }
}

impl<R: Runtime> ProgramRunner for ShellRunner<R> {
    fn run(&self, run: &ProgramRun) -> Result<String, ProgramFailure> {
        let mut command = self.app.shell().command(&run.program).args(&run.args);
        if let Some(cwd) = &run.cwd {
            command = command.current_dir(cwd);
        }
        let finished = tauri::async_runtime::block_on(run_to_end(command, PROGRAM_TIMEOUT))?;
        match finished {
            Finished::Exited {
                code: Some(0),
                stdout,
                ..
            } => Ok(stdout),
            Finished::Exited {
                code,
                stdout,
                stderr,
            } => Err(ProgramFailure::Failed {
                status: code.map_or_else(
                    || "stopped by a signal".to_owned(),
                    |code| format!("exit status: {code}"),
                ),
                output: if stderr.trim().is_empty() {
                    stdout.trim().to_owned()
                } else {
                    stderr.trim().to_owned()
                },
            }),
            Finished::TimedOut => Err(ProgramFailure::Failed {
                status: format!(
                    "no result within {} s, so it was stopped",
                    PROGRAM_TIMEOUT.as_secs()
                ),
                output: String::new(),
            }),
        }
    }
}

/// How a started program ended.
enum Finished {
    /// It exited (`code` is `None` when a signal ended it).
    Exited {
        code: Option<i32>,
        stdout: String,
        stderr: String,
    },
    /// It ran past the time limit and was stopped (with anything it started).
    TimedOut,
}

/// Runs `command` to its end, collecting what it prints; past `limit` it is killed.
async fn run_to_end(command: Command, limit: Duration) -> Result<Finished, ProgramFailure> {
    let (mut events, child) = command
        // Its own process group, so stopping it also stops what it started.
        .set_process_group(true)
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| ProgramFailure::NotRunnable(as_io(error)))?;
    let collect = async {
        let (mut stdout, mut stderr, mut code) = (Vec::new(), Vec::new(), None);
        while let Some(event) = events.recv().await {
            match event {
                CommandEvent::Stdout(line) => push_line(&mut stdout, &line),
                CommandEvent::Stderr(line) => push_line(&mut stderr, &line),
                CommandEvent::Terminated(payload) => code = payload.code,
                CommandEvent::Error(message) => push_line(&mut stderr, message.as_bytes()),
                _ => {}
            }
        }
        Finished::Exited {
            code,
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    };
    match tokio::time::timeout(limit, collect).await {
        Ok(finished) => Ok(finished),
        Err(_) => {
            let _ = child.kill();
            Ok(Finished::TimedOut)
        }
    }
}

fn push_line(into: &mut Vec<u8>, line: &[u8]) {
    into.extend_from_slice(line);
    if !line.ends_with(b"\n") {
        into.push(b'\n');
    }
}

fn as_io(error: tauri_plugin_shell::Error) -> io::Error {
    match error {
        tauri_plugin_shell::Error::Io(error) => error,
        other => io::Error::other(other.to_string()),
    }
}

/// How long `--version` of the bundled tool may take.
const VERSION_TIMEOUT: Duration = Duration::from_secs(10);

/// The command-line tool shipped beside the app: where it is and what `--version` says
/// (run as the plugin's sidecar).
pub async fn bundled_cli<R: Runtime>(app: &AppHandle<R>) -> BundledCli {
    let path = std::env::current_exe()
        .ok()
        .and_then(|exe| platform::bundled_cli(Os::current(), &exe));
    let shown = path.as_deref().map_or_else(String::new, display);
    let problem = |message: String| BundledCli {
        path: shown.clone(),
        version: None,
        problem: Some(message),
    };
    if !path.as_deref().is_some_and(Path::is_file) {
        return problem(format!(
            "not found beside the app ({shown}); install the app's package, or build the CLI with `cargo build`"
        ));
    }
    let command = match app.shell().sidecar(platform::CLI_PROGRAM) {
        Ok(command) => command.arg("--version"),
        Err(error) => return problem(error.to_string()),
    };
    match run_to_end(command, VERSION_TIMEOUT).await {
        Ok(Finished::Exited {
            code: Some(0),
            stdout,
            ..
        }) => BundledCli {
            path: shown.clone(),
            version: Some(stdout.trim().to_owned()),
            problem: None,
        },
        Ok(Finished::Exited { code, stderr, .. }) => problem(format!(
            "`--version` failed ({}): {}",
            code.map_or_else(|| "signal".to_owned(), |code| code.to_string()),
            stderr.trim()
        )),
        Ok(Finished::TimedOut) => problem("`--version` did not answer".to_owned()),
        Err(ProgramFailure::NotRunnable(error)) => problem(error.to_string()),
        Err(ProgramFailure::Failed { output, .. }) => problem(output),
    }
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
