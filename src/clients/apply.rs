//! Carrying a plan out: every file is checked to be as planned before anything is written,
//! written atomically with a backup, and earlier steps are undone when a later one fails.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;
use ts_rs::TS;

use super::error::ClientError;
use super::plan::{FileEdit, Plan, ProgramRun, Step};
use crate::config_edit::file::{self, Backup};

/// Runs a client's own command: [`SystemRunner`] in the CLI, the shell plugin in the app.
pub trait ProgramRunner: Send + Sync {
    /// Runs `run` and returns what it printed on stdout; an exit status other than 0 is an
    /// error carrying what it printed.
    fn run(&self, run: &ProgramRun) -> Result<String, ProgramFailure>;
}

/// Why a command failed (unmasked; [`apply`] masks it).
#[derive(Debug)]
pub enum ProgramFailure {
    /// It could not be started.
    NotRunnable(std::io::Error),
    /// It ran and failed.
    Failed {
        /// The exit status, as text.
        status: String,
        /// Its stderr, or stdout when stderr is empty.
        output: String,
    },
}

/// Runs commands as child processes of this one.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemRunner;

/// How long a client's command may run before it is stopped (a hung `claude` must not
/// hang the app's button forever).
pub const PROGRAM_TIMEOUT: Duration = Duration::from_secs(120);

impl ProgramRunner for SystemRunner {
    fn run(&self, run: &ProgramRun) -> Result<String, ProgramFailure> {
        let mut command = Command::new(&run.program);
        command
            .args(&run.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(cwd) = &run.cwd {
            command.current_dir(cwd);
        }
        let mut child = command.spawn().map_err(ProgramFailure::NotRunnable)?;
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        let deadline = Instant::now() + PROGRAM_TIMEOUT;
        let status = loop {
            match child.try_wait().map_err(ProgramFailure::NotRunnable)? {
                Some(status) => break status,
                None if Instant::now() >= deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(ProgramFailure::Failed {
                        status: format!(
                            "no result within {} s, so it was stopped",
                            PROGRAM_TIMEOUT.as_secs()
                        ),
                        output: String::new(),
                    });
                }
                None => std::thread::sleep(Duration::from_millis(20)),
            }
        };
        let stdout = stdout.join().unwrap_or_default();
        if status.success() {
            return Ok(stdout);
        }
        let stderr = stderr.join().unwrap_or_default().trim().to_owned();
        let stdout = stdout.trim().to_owned();
        Err(ProgramFailure::Failed {
            status: status.to_string(),
            output: if stderr.is_empty() { stdout } else { stderr },
        })
    }
}

/// Reads a child's output on a thread of its own (a full pipe would stall the child).
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// What carrying a plan out did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ApplyReport {
    /// Files written or deleted.
    pub files: Vec<FileChange>,
    /// Commands run (secrets masked).
    pub commands: Vec<String>,
    /// Whether steps remain for the user to do by hand.
    pub manual_steps_left: bool,
}

/// One file changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileChange {
    /// The real file (symlinks followed).
    pub path: String,
    /// Where its previous version was kept.
    pub backup: Option<String>,
    /// Whether the file was deleted (it held only our entry).
    pub deleted: bool,
    /// Whether it now holds a token (and is owner-only).
    pub holds_secret: bool,
}

/// Carries `plan` out. Every file the plan edits (or whose client command rewrites it) is
/// locked against other runs, then checked to still hold what the plan saw; a failing step
/// undoes the changes before it, a client command's file included.
pub fn apply(plan: &Plan, runner: &dyn ProgramRunner) -> Result<ApplyReport, ClientError> {
    let _locks = lock_files(plan)?;
    for step in &plan.steps {
        if let Step::EditFile(edit) = step
            && file::read(&edit.path)? != edit.before
        {
            return Err(ClientError::ChangedMeanwhile(edit.path.clone()));
        }
    }
    let mut report = ApplyReport::default();
    let mut undo_list: Vec<FileEdit> = Vec::new();
    for step in &plan.steps {
        let result = match step {
            Step::EditFile(edit) if edit.before == edit.after => Ok(()),
            Step::EditFile(edit) => write(edit, &mut report).map(|()| undo_list.push(edit.clone())),
            Step::RunProgram(run) => snapshot_before_command(run, &mut undo_list)
                .and_then(|()| run_program(plan, run, runner, &mut report)),
            Step::Manual(_) => {
                report.manual_steps_left = true;
                Ok(())
            }
        };
        if let Err(error) = result {
            for edit in undo_list.iter().rev() {
                let _ = undo(edit);
            }
            return Err(error);
        }
    }
    Ok(report)
}

/// The locks of every file the plan changes, taken in path order (so two runs never wait
/// on each other in a circle).
fn lock_files(plan: &Plan) -> Result<Vec<file::FileLock>, ClientError> {
    let mut paths: Vec<&PathBuf> = plan
        .steps
        .iter()
        .filter_map(|step| match step {
            Step::EditFile(edit) => Some(&edit.path),
            Step::RunProgram(run) => run.rewrites.as_ref(),
            Step::Manual(_) => None,
        })
        .collect();
    paths.sort();
    paths.dedup();
    Ok(paths
        .into_iter()
        .map(|path| file::lock(path))
        .collect::<Result<_, _>>()?)
}

/// Before a client command rewrites its file, remembers the file as it is, so a later
/// failure (`mcp add` after `mcp remove`) gives the user's previous entry back.
fn snapshot_before_command(
    run: &ProgramRun,
    undo_list: &mut Vec<FileEdit>,
) -> Result<(), ClientError> {
    let Some(path) = &run.rewrites else {
        return Ok(());
    };
    if undo_list.iter().any(|edit| &edit.path == path) {
        return Ok(());
    }
    let before = file::read(path)?;
    undo_list.push(FileEdit {
        path: path.clone(),
        after: before.clone(),
        before,
        format: crate::config_edit::Format::Jsonc,
        holds_secret: false,
        backup: Backup::KeepExisting,
        prune_up_to: None,
    });
    Ok(())
}

fn write(edit: &FileEdit, report: &mut ApplyReport) -> Result<(), ClientError> {
    let written = match &edit.after {
        Some(text) => file::write(&edit.path, text, edit.holds_secret, edit.backup)?,
        None => {
            let deleted = file::delete(&edit.path, edit.backup)?;
            if let Some(root) = &edit.prune_up_to {
                remove_empty_folders(&edit.path, root);
            }
            deleted
        }
    };
    report.files.push(FileChange {
        path: written.path.display().to_string(),
        backup: written
            .backup
            .map(|path: PathBuf| path.display().to_string()),
        deleted: edit.after.is_none(),
        holds_secret: edit.holds_secret && edit.after.is_some(),
    });
    Ok(())
}

/// Removes the folders above `file` that are now empty, up to (not including) `root`.
/// A folder that is not empty, or not below `root`, stays.
fn remove_empty_folders(file: &std::path::Path, root: &std::path::Path) {
    let mut folder = file.parent();
    while let Some(current) = folder {
        if current == root || !current.starts_with(root) {
            break;
        }
        // `remove_dir` refuses a folder that is not empty: exactly the check wanted.
        if std::fs::remove_dir(current).is_err() {
            break;
        }
        folder = current.parent();
    }
}

/// Puts a file back as it was before `edit` (unchanged when it already is).
fn undo(edit: &FileEdit) -> Result<(), ClientError> {
    if file::read(&edit.path)? == edit.before {
        return Ok(());
    }
    match &edit.before {
        Some(text) => {
            file::write(&edit.path, text, edit.holds_secret, Backup::KeepExisting).map(drop)?
        }
        None => file::delete(&edit.path, Backup::KeepExisting).map(drop)?,
    }
    Ok(())
}

fn run_program(
    plan: &Plan,
    run: &ProgramRun,
    runner: &dyn ProgramRunner,
    report: &mut ApplyReport,
) -> Result<(), ClientError> {
    let command = plan.mask(&run.display());
    match runner.run(run) {
        Ok(_) => {
            report.commands.push(command);
            Ok(())
        }
        Err(ProgramFailure::NotRunnable(source)) => Err(ClientError::ProgramNotRunnable {
            program: run.program.display().to_string(),
            source,
        }),
        Err(ProgramFailure::Failed { status, output }) => Err(ClientError::ProgramFailed {
            command,
            status,
            output: plan.mask(&output),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn create(path: &std::path::Path, text: &str) -> Step {
        Step::EditFile(FileEdit {
            path: path.to_path_buf(),
            before: None,
            after: Some(text.to_owned()),
            format: crate::config_edit::Format::Jsonc,
            holds_secret: false,
            backup: Backup::PreviousVersion,
            prune_up_to: None,
        })
    }

    #[test]
    fn a_file_changed_since_the_plan_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.json");
        let plan = Plan::new("x", vec![create(&path, "{}")]);
        std::fs::write(&path, "the user's").unwrap();
        let error = apply(&plan, &SystemRunner).unwrap_err();
        assert!(matches!(error, ClientError::ChangedMeanwhile(_)), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "the user's");
    }

    #[cfg(unix)]
    #[test]
    fn a_failing_command_undoes_the_files_written_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.json");
        let failing = Step::RunProgram(ProgramRun {
            program: "/bin/sh".into(),
            args: vec![
                "-c".into(),
                "echo 'Bearer s3cret refused' >&2; exit 3".into(),
            ],
            cwd: None,
            rewrites: None,
        });
        let mut plan = Plan::new("x", vec![create(&path, "{}"), failing]);
        plan.secrets
            .push(crate::secret::SecretString::new("s3cret"));
        let error = apply(&plan, &SystemRunner).unwrap_err();
        let ClientError::ProgramFailed { output, .. } = &error else {
            panic!("{error}")
        };
        assert_eq!(
            output,
            &format!("Bearer {} refused", crate::clients::plan::MASK)
        );
        assert!(!path.exists(), "the file written before is taken back");
    }

    #[test]
    fn apply_waits_for_another_run_holding_the_files_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.json");
        let plan = Plan::new("x", vec![create(&path, "{}")]);
        let held = file::lock(&path).unwrap();
        let writer = std::thread::spawn(move || apply(&plan, &SystemRunner).map(drop));
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            !path.exists(),
            "nothing is written while another run holds the lock"
        );
        drop(held);
        writer.join().unwrap().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}");
    }

    #[test]
    fn a_missing_program_is_named() {
        let plan = Plan::new(
            "x",
            vec![Step::RunProgram(ProgramRun {
                program: "/nonexistent/claude".into(),
                args: Vec::new(),
                cwd: None,
                rewrites: None,
            })],
        );
        let error = apply(&plan, &SystemRunner).unwrap_err();
        assert!(
            matches!(error, ClientError::ProgramNotRunnable { .. }),
            "{error}"
        );
        assert!(error.to_string().contains("/nonexistent/claude"));
    }
}
