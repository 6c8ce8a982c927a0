//! Reading and writing a configuration file safely: symlinks followed to the real file,
//! every write atomic (temporary file in the same folder, fsync, rename), the previous
//! version kept as a backup, permissions kept — tightened to owner-only when the file holds
//! a secret.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The suffix of the backup kept next to a file we changed.
pub const BACKUP_SUFFIX: &str = ".directus-mcp-setup.bak";

/// How many symbolic links are followed before giving up (a loop).
const MAX_LINKS: usize = 40;

/// Why a configuration file could not be read or written.
#[derive(Debug, Error)]
pub enum FileError {
    /// Reading failed (permissions, a folder in the way, …).
    #[error("cannot read {path}: {source}. Check that the file is readable by you, then retry")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
    /// The file is not UTF-8 text.
    #[error(
        "{path} is not UTF-8 text, so it was left untouched. Save it as UTF-8 in an editor, then retry"
    )]
    NotText {
        /// The file.
        path: PathBuf,
    },
    /// Symbolic links lead in a circle.
    #[error("{path} is a loop of symbolic links; point it at a real file, then retry")]
    LinkLoop {
        /// The file.
        path: PathBuf,
    },
    /// Writing failed; the file is as it was.
    #[error(
        "cannot write {path}: {source}. The file is unchanged; check the folder's permissions and free space, then retry"
    )]
    Unwritable {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: io::Error,
    },
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    /// The real file written (symlinks followed).
    pub path: PathBuf,
    /// Where the previous version was saved, when there was one.
    pub backup: Option<PathBuf>,
}

/// The file `path` finally points to, following symbolic links (also dangling ones, so a
/// link to a file not yet created is written through, not replaced).
pub fn resolve(path: &Path) -> Result<PathBuf, FileError> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current).map_err(|source| FileError::Unreadable {
                    path: current.clone(),
                    source,
                })?;
                current = match current.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
            }
            _ => return Ok(tidy(current)),
        }
    }
    Err(FileError::LinkLoop {
        path: path.to_path_buf(),
    })
}

/// `path` with its folder's `..` and links resolved, when the folder exists (so the file a
/// link leads to is named plainly).
fn tidy(path: PathBuf) -> PathBuf {
    match (path.parent().map(fs::canonicalize), path.file_name()) {
        (Some(Ok(folder)), Some(name)) => folder.join(name),
        _ => path,
    }
}

/// The text of `path` (symlinks followed), or `None` when there is no such file.
pub fn read(path: &Path) -> Result<Option<String>, FileError> {
    let real = resolve(path)?;
    match fs::read(&real) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| FileError::NotText { path: real }),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(FileError::Unreadable { path: real, source }),
    }
}

/// The backup path kept beside `real_path`.
pub fn backup_path(real_path: &Path) -> PathBuf {
    let mut name = real_path.file_name().unwrap_or_default().to_os_string();
    name.push(BACKUP_SUFFIX);
    real_path.with_file_name(name)
}

/// What happens to the backup when a file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backup {
    /// Save the previous version as the backup.
    PreviousVersion,
    /// Keep the backup there is (the version before our entry first went in), when there
    /// is one; else save the previous version.
    KeepExisting,
}

/// Replaces the file at `path` (symlinks followed) with `text`, atomically, saving the
/// previous version as the backup first as `backup` says. The file keeps its permissions;
/// when `holds_secret`, it is made readable by its owner only.
pub fn write(
    path: &Path,
    text: &str,
    holds_secret: bool,
    backup: Backup,
) -> Result<WrittenFile, FileError> {
    let real = resolve(path)?;
    let unwritable = |source| FileError::Unwritable {
        path: real.clone(),
        source,
    };
    let previous = match fs::read(&real) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == io::ErrorKind::NotFound => None,
        Err(source) => return Err(FileError::Unreadable { path: real, source }),
    };
    remove_stale_temporaries(&real);
    let mode = permissions_for(&real, holds_secret);
    let backup = match &previous {
        Some(_) if backup == Backup::KeepExisting && backup_path(&real).is_file() => {
            Some(backup_path(&real))
        }
        Some(bytes) => {
            let backup = backup_path(&real);
            replace_atomically(&backup, bytes, Some(OWNER_ONLY)).map_err(unwritable)?;
            Some(backup)
        }
        None => {
            if let Some(parent) = real.parent() {
                fs::create_dir_all(parent).map_err(unwritable)?;
            }
            None
        }
    };
    replace_atomically(&real, text.as_bytes(), mode).map_err(unwritable)?;
    Ok(WrittenFile { path: real, backup })
}

/// Deletes the file at `path` (symlinks followed: the real file goes, the link stays),
/// keeping the backup first. Returns what was done.
pub fn delete(path: &Path) -> Result<WrittenFile, FileError> {
    let real = resolve(path)?;
    let unwritable = |source| FileError::Unwritable {
        path: real.clone(),
        source,
    };
    let bytes = match fs::read(&real) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Ok(WrittenFile {
                path: real,
                backup: None,
            });
        }
        Err(source) => return Err(FileError::Unreadable { path: real, source }),
    };
    let backup = backup_path(&real);
    replace_atomically(&backup, &bytes, Some(OWNER_ONLY)).map_err(unwritable)?;
    fs::remove_file(&real).map_err(unwritable)?;
    sync_folder(&real).map_err(unwritable)?;
    Ok(WrittenFile {
        path: real,
        backup: Some(backup),
    })
}

/// Owner read and write only.
const OWNER_ONLY: u32 = 0o600;

/// The permission bits the new version gets: the current ones (a new file: the usual
/// 0644), with group and others removed when it holds a secret.
#[cfg(unix)]
fn permissions_for(real: &Path, holds_secret: bool) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let current = fs::metadata(real)
        .map(|meta| meta.permissions().mode() & 0o7777)
        .unwrap_or(0o644);
    Some(if holds_secret {
        current & 0o700 | OWNER_ONLY
    } else {
        current
    })
}

/// Windows keeps a file's access list through a rename of a file in the same folder.
#[cfg(not(unix))]
fn permissions_for(_real: &Path, _holds_secret: bool) -> Option<u32> {
    None
}

/// Writes `bytes` to a fresh temporary file beside `target`, syncs it, and renames it over
/// `target`: a reader (or a crash) sees the old file or the new one, never a part.
fn replace_atomically(target: &Path, bytes: &[u8], mode: Option<u32>) -> io::Result<()> {
    let temp = temporary_path(target)?;
    let result = (|| {
        let mut file = create_new(&temp, mode)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, target)?;
        sync_folder(target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Removes temporary files an interrupted earlier write (a crash, a kill) left beside
/// `target`. Best effort: they are ours by name, and never the file itself.
fn remove_stale_temporaries(target: &Path) {
    let (Some(folder), Some(name)) = (target.parent(), target.file_name()) else {
        return;
    };
    let prefix = format!(".{}.directus-mcp-setup.", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    }) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if file_name.starts_with(&prefix) && file_name.ends_with(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// `.<name>.directus-mcp-setup.<random>.tmp` in the target's folder.
fn temporary_path(target: &Path) -> io::Result<PathBuf> {
    let mut random = [0u8; 6];
    getrandom::fill(&mut random).map_err(|error| io::Error::other(error.to_string()))?;
    let suffix: String = random.iter().map(|byte| format!("{byte:02x}")).collect();
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    Ok(target.with_file_name(format!(".{name}.directus-mcp-setup.{suffix}.tmp")))
}

#[cfg(unix)]
fn create_new(path: &Path, mode: Option<u32>) -> io::Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(OWNER_ONLY)
        .open(path)?;
    if let Some(mode) = mode {
        // Set explicitly: the mode given to open() is reduced by the umask.
        file.set_permissions(fs::Permissions::from_mode(mode))?;
    }
    Ok(file)
}

#[cfg(not(unix))]
fn create_new(path: &Path, _mode: Option<u32>) -> io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

/// Makes a rename in the target's folder durable.
#[cfg(unix)]
fn sync_folder(target: &Path) -> io::Result<()> {
    match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => File::open(parent)?.sync_all(),
        _ => Ok(()),
    }
}

#[cfg(not(unix))]
fn sync_folder(_target: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn writes_through_a_symlink_and_keeps_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        fs::write(&real, "{}\n").unwrap();
        let link = dir.path().join("link.json");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&real, &link).unwrap();
        #[cfg(not(unix))]
        fs::copy(&real, &link).unwrap();

        let written = write(&link, "{\"a\": 1}\n", false, Backup::PreviousVersion).unwrap();
        #[cfg(unix)]
        {
            assert_eq!(written.path, real);
            assert!(
                fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
        }
        assert_eq!(read(&link).unwrap().unwrap(), "{\"a\": 1}\n");
        assert_eq!(fs::read_to_string(written.backup.unwrap()).unwrap(), "{}\n");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_and_tightens_them_for_secrets() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        fs::write(&path, "{}").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write(&path, "{ }", false, Backup::PreviousVersion).unwrap();
        assert_eq!(mode(&path), 0o640);
        write(&path, "{\"token\": 1}", true, Backup::PreviousVersion).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&backup_path(&path)), 0o600);
    }

    #[test]
    fn creates_missing_folders_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/mcp.json");
        let written = write(&path, "{}", false, Backup::PreviousVersion).unwrap();
        assert_eq!(written.backup, None);
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["mcp.json"]);
    }

    #[test]
    fn an_update_can_keep_the_first_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.json");
        fs::write(&path, "original").unwrap();
        write(&path, "ours v1", false, Backup::PreviousVersion).unwrap();
        write(&path, "ours v2", false, Backup::KeepExisting).unwrap();
        assert_eq!(fs::read_to_string(backup_path(&path)).unwrap(), "original");
        write(&path, "ours v3", false, Backup::PreviousVersion).unwrap();
        assert_eq!(fs::read_to_string(backup_path(&path)).unwrap(), "ours v2");
    }

    #[test]
    fn delete_keeps_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.json");
        fs::write(&path, "x").unwrap();
        let done = delete(&path).unwrap();
        assert!(!path.exists());
        assert_eq!(fs::read_to_string(done.backup.unwrap()).unwrap(), "x");
        assert_eq!(read(&path).unwrap(), None);
    }

    #[test]
    fn non_utf8_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.json");
        fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
        assert!(matches!(read(&path), Err(FileError::NotText { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_loop_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        assert!(matches!(read(&a), Err(FileError::LinkLoop { .. })));
    }
}
