//! Carrying a plan out: every file is checked to be as planned before anything is written,
//! written atomically with a backup, and earlier steps are undone when a later one fails.

use std::path::PathBuf;
use std::process::Command;

use serde::Serialize;
use ts_rs::TS;

use super::error::ClientError;
use super::plan::{FileEdit, Plan, ProgramRun, Step};
use crate::config_edit::file::{self, Backup};

/// Runs a client's own command (the app passes one scoped to the allowed programs).
pub trait ProgramRunner {
    /// Runs `run`; an exit status other than 0 is an error carrying what it printed.
    fn run(&self, run: &ProgramRun) -> Result<(), ProgramFailure>;
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

impl ProgramRunner for SystemRunner {
    fn run(&self, run: &ProgramRun) -> Result<(), ProgramFailure> {
        let mut command = Command::new(&run.program);
        command.args(&run.args).stdin(std::process::Stdio::null());
        if let Some(cwd) = &run.cwd {
            command.current_dir(cwd);
        }
        let output = command.output().map_err(ProgramFailure::NotRunnable)?;
        if output.status.success() {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        let stdout = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        Err(ProgramFailure::Failed {
            status: output.status.to_string(),
            output: if stderr.is_empty() { stdout } else { stderr },
        })
    }
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

/// Carries `plan` out. Files are first checked to still hold what the plan saw; a failing
/// step undoes the file changes before it.
pub fn apply(plan: &Plan, runner: &dyn ProgramRunner) -> Result<ApplyReport, ClientError> {
    for step in &plan.steps {
        if let Step::EditFile(edit) = step
            && file::read(&edit.path)? != edit.before
        {
            return Err(ClientError::ChangedMeanwhile(edit.path.clone()));
        }
    }
    let mut report = ApplyReport::default();
    let mut done: Vec<&FileEdit> = Vec::new();
    for step in &plan.steps {
        let result = match step {
            Step::EditFile(edit) if edit.before == edit.after => Ok(()),
            Step::EditFile(edit) => write(edit, &mut report).map(|()| done.push(edit)),
            Step::RunProgram(run) => run_program(plan, run, runner, &mut report),
            Step::Manual(_) => {
                report.manual_steps_left = true;
                Ok(())
            }
        };
        if let Err(error) = result {
            for edit in done.iter().rev() {
                let _ = undo(edit);
            }
            return Err(error);
        }
    }
    Ok(report)
}

fn write(edit: &FileEdit, report: &mut ApplyReport) -> Result<(), ClientError> {
    let written = match &edit.after {
        Some(text) => {
            let backup = if edit.updates_our_entry {
                Backup::KeepExisting
            } else {
                Backup::PreviousVersion
            };
            file::write(&edit.path, text, edit.holds_secret, backup)?
        }
        None => file::delete(&edit.path)?,
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

/// Puts a file back as it was before `edit`.
fn undo(edit: &FileEdit) -> Result<(), ClientError> {
    match &edit.before {
        Some(text) => file::write(&edit.path, text, false, Backup::KeepExisting).map(drop)?,
        None => file::delete(&edit.path).map(drop)?,
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
        Ok(()) => {
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
            holds_secret: false,
            updates_our_entry: false,
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
    fn a_missing_program_is_named() {
        let plan = Plan::new(
            "x",
            vec![Step::RunProgram(ProgramRun {
                program: "/nonexistent/claude".into(),
                args: Vec::new(),
                cwd: None,
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
