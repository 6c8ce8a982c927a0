//! The programs the app starts: a client's own command (`claude mcp add …`, run by the
//! core's plan) and the command-line tool shipped inside the app. On Linux through the
//! standard library (each in a process group of its own); elsewhere through the shell
//! plugin's Rust API (a Windows job object holds what it starts). The webview can start
//! none: on Linux the app has no shell plugin, elsewhere its capability grants none of the
//! plugin's permissions (see capabilities/main.json); only these Rust calls start programs.

use std::io;
use std::path::Path;
use std::time::Duration;

use directus_mcp_setup::clients::apply::{PROGRAM_TIMEOUT, ProgramFailure, ProgramRunner};
use directus_mcp_setup::clients::plan::ProgramRun;
use directus_mcp_setup::platform::{self, Os};
use directus_mcp_setup::wizard::BundledCli;
use tauri::{AppHandle, Runtime};
#[cfg(not(target_os = "linux"))]
use tauri_plugin_shell::ShellExt;
#[cfg(not(target_os = "linux"))]
use tauri_plugin_shell::process::{Command, CommandEvent};

/// What a program is started with (the shell plugin's JavaScript API and the text
/// decoders it links are a megabyte and a quarter of the app, and unused: the page may
/// start nothing).
#[cfg(target_os = "linux")]
type Command = std::process::Command;

/// Starts a client's command, with the core's time limit.
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
        #[cfg(target_os = "linux")]
        let command = {
            let _ = &self.app;
            let mut command = Command::new(&run.program);
            command.args(&run.args);
            if let Some(cwd) = &run.cwd {
                command.current_dir(cwd);
            }
            command
        };
        #[cfg(not(target_os = "linux"))]
        let command = {
            let mut command = self.app.shell().command(&run.program).args(&run.args);
            if let Some(cwd) = &run.cwd {
                command = command.current_dir(cwd);
            }
            command
        };
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

/// Runs `command` to its end, collecting what it prints; past `limit` it is killed, with
/// its process group (what it started).
#[cfg(target_os = "linux")]
async fn run_to_end(command: Command, limit: Duration) -> Result<Finished, ProgramFailure> {
    tauri::async_runtime::spawn_blocking(move || run_blocking(command, limit))
        .await
        .map_err(|error| ProgramFailure::NotRunnable(io::Error::other(error.to_string())))?
}

#[cfg(target_os = "linux")]
fn run_blocking(mut command: Command, limit: Duration) -> Result<Finished, ProgramFailure> {
    use std::io::Read;
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    use std::time::Instant;

    // Its own process group, so stopping it also stops what it started.
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = command.spawn().map_err(ProgramFailure::NotRunnable)?;
    // Each pipe read on a thread of its own (a full pipe would stall the program).
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(child.stdout.take().map(|pipe| Box::new(pipe) as _));
    let stderr = drain(child.stderr.take().map(|pipe| Box::new(pipe) as _));
    let stop_group = |child: &mut std::process::Child| {
        if let Some(group) = i32::try_from(child.id())
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        }
        let _ = child.wait();
    };
    let deadline = Instant::now() + limit;
    let code = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.code(),
            Ok(None) if Instant::now() >= deadline => {
                stop_group(&mut child);
                return Ok(Finished::TimedOut);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(error) => {
                stop_group(&mut child);
                return Err(ProgramFailure::NotRunnable(error));
            }
        }
    };
    Ok(Finished::Exited {
        code,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// Runs `command` to its end, collecting what it prints; past `limit` it is killed.
#[cfg(not(target_os = "linux"))]
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

#[cfg(not(target_os = "linux"))]
fn push_line(into: &mut Vec<u8>, line: &[u8]) {
    into.extend_from_slice(line);
    if !line.ends_with(b"\n") {
        into.push(b'\n');
    }
}

#[cfg(not(target_os = "linux"))]
fn as_io(error: tauri_plugin_shell::Error) -> io::Error {
    match error {
        tauri_plugin_shell::Error::Io(error) => error,
        other => io::Error::other(other.to_string()),
    }
}

/// How long `--version` of the bundled tool may take.
const VERSION_TIMEOUT: Duration = Duration::from_secs(10);

/// The command-line tool shipped beside the app: where it is and what `--version` says
/// (elsewhere than Linux run as the shell plugin's sidecar).
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
    #[cfg(target_os = "linux")]
    let command = {
        let _ = app;
        let mut command = Command::new(path.as_deref().unwrap_or(Path::new(platform::CLI_PROGRAM)));
        command.arg("--version");
        command
    };
    #[cfg(not(target_os = "linux"))]
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    #[test]
    fn a_program_s_output_and_exit_status_are_reported() {
        let finished = run_blocking(
            sh("echo out; echo err >&2; exit 3"),
            Duration::from_secs(10),
        );
        let Ok(Finished::Exited {
            code,
            stdout,
            stderr,
        }) = finished
        else {
            panic!("the program did not run to its end");
        };
        assert_eq!(
            (code, stdout.as_str(), stderr.as_str()),
            (Some(3), "out\n", "err\n")
        );
    }

    #[test]
    fn a_program_reading_its_input_gets_none_and_ends() {
        let finished = run_blocking(Command::new("cat"), Duration::from_secs(5));
        assert!(
            matches!(finished, Ok(Finished::Exited { code: Some(0), .. })),
            "cat waited for input until the time limit"
        );
    }

    #[test]
    fn a_program_past_its_time_limit_is_stopped_with_what_it_started() {
        let folder = tempfile::tempdir().unwrap();
        let pid_file = folder.path().join("started");
        let script = format!("sleep 60 & echo $! > '{}'; wait", pid_file.display());
        let finished = run_blocking(sh(&script), Duration::from_millis(500));
        assert!(matches!(finished, Ok(Finished::TimedOut)));
        let started = std::fs::read_to_string(&pid_file).unwrap();
        let started = std::path::Path::new("/proc").join(started.trim());
        // Killed; gone once its parent (the stopped shell, reaped by init) is.
        let gone = (0..100).any(|_| {
            std::thread::sleep(Duration::from_millis(20));
            std::fs::read_to_string(started.join("stat")).map_or(true, |stat| stat.contains(") Z "))
        });
        assert!(gone, "what the program started still runs");
    }

    #[test]
    fn a_program_that_cannot_start_is_not_runnable() {
        let finished = run_blocking(
            Command::new("/nonexistent/directus-mcp-setup-test"),
            Duration::from_secs(5),
        );
        assert!(matches!(finished, Err(ProgramFailure::NotRunnable(_))));
    }
}
