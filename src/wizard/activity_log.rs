//! The desktop app's log: one line per step the user took (which screen action, for which
//! client, how it ended), so "what did the app do?" has an answer after the window is
//! closed. It records names, URLs, paths and messages, never a password or token: the
//! callers pass only those, and the app's end-to-end test reads the file for its secrets.
//!
//! The file is owner-only and kept small: past [`ROTATE_AT`] bytes it moves to `app.log.1`
//! (replacing an older one) and a new file starts.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::platform::{self, Os};

/// The log's file name in the log folder.
pub const FILE_NAME: &str = "app.log";

/// Size past which the log starts afresh (the previous one kept as `app.log.1`).
pub const ROTATE_AT: u64 = 1024 * 1024;

/// The app's log file; writing never fails the step being logged.
#[derive(Debug)]
pub struct ActivityLog {
    path: Option<PathBuf>,
    writing: Mutex<()>,
}

impl ActivityLog {
    /// The log in this user's log folder (see [`platform::log_dir`]); without a home folder,
    /// a log that records nothing.
    pub fn for_this_user() -> Self {
        Self::at(
            platform::log_dir(Os::current(), platform::process_folder)
                .map(|folder| folder.join(FILE_NAME)),
        )
    }

    /// A log written to `path` (`None`: nothing is recorded).
    pub fn at(path: Option<PathBuf>) -> Self {
        Self {
            path,
            writing: Mutex::new(()),
        }
    }

    /// Where the log is written.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Appends one line: the time (UTC), what was done, and how it ended. Line breaks in
    /// the text are flattened so each step stays one line.
    pub fn record(&self, action: &str, outcome: Result<&str, &str>) {
        let Some(path) = &self.path else { return };
        let (status, detail) = match outcome {
            Ok(detail) => ("ok", detail),
            Err(message) => ("failed", message),
        };
        let mut line = format!(
            "{} {} {}",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            one_line(action),
            status
        );
        if !detail.is_empty() {
            line.push_str(": ");
            line.push_str(&one_line(detail));
        }
        line.push('\n');
        let _guard = self
            .writing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // A log that cannot be written must not stop the user's step.
        let _ = append(path, &line);
    }
}

/// `text` with line breaks and runs of blanks made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Appends `line` to `path`, moving a full log aside first.
fn append(path: &Path, line: &str) -> io::Result<()> {
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder)?;
    }
    if fs::metadata(path).is_ok_and(|meta| meta.len() >= ROTATE_AT) {
        fs::rename(path, path.with_extension("log.1"))?;
    }
    open_owner_only(path)?.write_all(line.as_bytes())
}

#[cfg(unix)]
fn open_owner_only(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    // A file made by an older version or by hand: owner-only too.
    file.set_permissions(fs::Permissions::from_mode(0o600))?;
    Ok(file)
}

#[cfg(not(unix))]
fn open_owner_only(path: &Path) -> io::Result<File> {
    // %LOCALAPPDATA% is readable by its owner only.
    OpenOptions::new().create(true).append(true).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_appended_one_per_step() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("logs").join(FILE_NAME);
        let log = ActivityLog::at(Some(path.clone()));
        log.record("connect https://d.example", Ok(""));
        log.record("client_connect cursor", Err("Cursor's file\nis not JSON"));
        let text = fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(
            lines[0].ends_with(" connect https://d.example ok"),
            "{text}"
        );
        assert!(
            lines[1].ends_with(" client_connect cursor failed: Cursor's file is not JSON"),
            "{text}"
        );
        assert_eq!(lines[0].as_bytes()[4], b'-');
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn a_full_log_moves_aside() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join(FILE_NAME);
        fs::write(&path, vec![b'x'; ROTATE_AT as usize]).unwrap();
        let log = ActivityLog::at(Some(path.clone()));
        log.record("verify_mcp", Ok("26 tools"));
        assert_eq!(
            fs::metadata(path.with_extension("log.1")).unwrap().len(),
            ROTATE_AT
        );
        assert!(
            fs::read_to_string(&path)
                .unwrap()
                .contains("verify_mcp ok: 26 tools")
        );
    }

    #[test]
    fn an_unwritable_log_is_ignored() {
        // The log's folder is a file: the step goes on (no panic), nothing is written
        // anywhere, and the file in the way is left as it was.
        let folder = tempfile::tempdir().unwrap();
        let blocker = folder.path().join("file");
        fs::write(&blocker, "mine").unwrap();
        let path = blocker.join(FILE_NAME);
        let log = ActivityLog::at(Some(path.clone()));
        log.record("connect", Ok("cursor"));
        assert_eq!(fs::read_to_string(&blocker).unwrap(), "mine");
        let names: Vec<_> = fs::read_dir(folder.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["file"], "nothing written beside it");
        // Once the folder can be made, the same log records the next step.
        fs::remove_file(&blocker).unwrap();
        log.record("disconnect", Ok("cursor"));
        let written = fs::read_to_string(&path).unwrap();
        assert!(written.contains("disconnect ok: cursor"), "{written}");
        assert_eq!(written.lines().count(), 1, "{written}");
        // Without a home folder, a log that records nothing.
        ActivityLog::at(None).record("connect", Ok(""));
    }
}
