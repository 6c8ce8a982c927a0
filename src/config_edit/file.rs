//! Reading and writing a configuration file safely: symlinks followed to the real file
//! (and, for a project's files, refused when they lead out of the project), every write
//! atomic (temporary file in the same folder, fsync, rename), the previous version kept as
//! a backup with its permissions, permissions kept — tightened to owner-only when the file
//! holds a secret, given back when a disconnect restores the previous version.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::platform;

mod containment;
use containment::PathStyle;

/// The suffix of the backup kept next to a file we changed.
pub const BACKUP_SUFFIX: &str = ".directus-mcp-setup.bak";

/// How many symbolic links are followed before giving up (a loop).
const MAX_LINKS: usize = 40;

/// The largest settings file read (a client's settings are kilobytes; Claude Code's
/// `~/.claude.json` a few megabytes): anything larger is refused, not loaded into memory.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// How old a temporary file of ours must be before another run removes it as a leftover
/// of a killed run (a younger one may belong to a write in progress).
const STALE_TEMPORARY_AGE: std::time::Duration = std::time::Duration::from_secs(10 * 60);

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
    /// The path is not a regular file (a folder, a pipe, a device) or is too large.
    #[error(
        "{path} is {what}, not a settings file, so it was left untouched. Point the client at a regular file, then retry"
    )]
    NotRegular {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        what: String,
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
    /// A symbolic link inside a folder leads out of it (a project's settings file linked
    /// to a file elsewhere, e.g. in a cloned repository).
    #[error(
        "{link} is a symbolic link to {points_to}, which leads out of the project folder {folder} (to {outside}); nothing was written. A project's settings must stay inside the project: replace the link with a real file or folder, or connect this client in user scope"
    )]
    LeavesFolder {
        /// The link (inside the folder).
        link: PathBuf,
        /// What the link says, as written.
        points_to: PathBuf,
        /// The folder it leaves.
        folder: PathBuf,
        /// Where it finally leads.
        outside: PathBuf,
    },
    /// A path outside the folder it must stay in (no link involved).
    #[error(
        "{path} is outside the project folder {folder}; nothing was written. A project's settings must stay inside the project"
    )]
    OutsideFolder {
        /// The path.
        path: PathBuf,
        /// The folder.
        folder: PathBuf,
    },
    /// No per-user folder for the lock files (no home or runtime folder is set).
    #[error(
        "no per-user folder to keep lock files in: none of {variables} is set (a shared temporary folder is not used, as another user could hold or redirect the locks). Set HOME to your home folder, then retry"
    )]
    NoLockFolder {
        /// The variables looked at.
        variables: &'static str,
    },
    /// The lock folder is not this user's own folder.
    #[error(
        "the lock folder {path} {problem}, so it was not used (another user could hold or redirect the locks). Remove it or set HOME to your own home folder, then retry"
    )]
    UnsafeLockFolder {
        /// The folder.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
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

/// One symbolic link met on the way to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LinkHop {
    /// Where the link is (its folder's links resolved).
    link: PathBuf,
    /// What it says, as written.
    points_to: PathBuf,
}

/// The file `path` finally points to: every symbolic link on the way followed, in its
/// folders as in its last part (also dangling ones, so a link to a file not yet created is
/// written through, not replaced), and `.`/`..` applied as the links say. A relative `path`
/// is taken from the current folder.
pub fn resolve(path: &Path) -> Result<PathBuf, FileError> {
    walk(path).map(|(real, _)| real)
}

/// The file `path` points to (see [`resolve`]), which must stay inside `folder`: a link
/// that leads out of it, dangling or not, is refused, naming the link and where it points.
/// `folder` is taken as it is written: give its canonical form ([`canonical_folder`]).
pub fn resolve_within(path: &Path, folder: &Path) -> Result<PathBuf, FileError> {
    let (real, hops) = walk(path)?;
    if inside(&real, folder) {
        return Ok(real);
    }
    // The link to blame: the last one that still sat inside the folder.
    match hops.into_iter().rev().find(|hop| inside(&hop.link, folder)) {
        Some(hop) => Err(FileError::LeavesFolder {
            link: hop.link,
            points_to: hop.points_to,
            folder: folder.to_path_buf(),
            outside: real,
        }),
        None => Err(FileError::OutsideFolder {
            path: path.to_path_buf(),
            folder: folder.to_path_buf(),
        }),
    }
}

/// Whether `path` is `folder` or inside it, by this system's rules (on Windows: verbatim
/// prefixes set aside, names compared without regard to case; see [`containment`]).
fn inside(path: &Path, folder: &Path) -> bool {
    containment::is_within(
        &path.to_string_lossy(),
        &folder.to_string_lossy(),
        PathStyle::current(),
    )
}

/// The folder `path` names, absolute and with every link resolved (the form
/// [`resolve_within`] compares with); an error when there is no such folder.
pub fn canonical_folder(path: &Path) -> io::Result<PathBuf> {
    let real = fs::canonicalize(path)?;
    if !real.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotADirectory,
            format!("{} is not a folder", path.display()),
        ));
    }
    Ok(plain_windows_path(real))
}

/// Windows' canonical paths start with `\\?\`; a drive path (or `\\server\share`) reads
/// better, and compares with paths built by joining, without it.
fn plain_windows_path(path: PathBuf) -> PathBuf {
    match PathStyle::current() {
        PathStyle::Windows => PathBuf::from(containment::without_verbatim_prefix(
            &path.to_string_lossy(),
        )),
        PathStyle::Unix => path,
    }
}

/// Follows `path` part by part, as the system does when it opens it: each part that is a
/// symbolic link is replaced by what it says. Returns the real path and the links met.
fn walk(path: &Path) -> Result<(PathBuf, Vec<LinkHop>), FileError> {
    use std::path::Component;
    let absolute = std::path::absolute(path).map_err(|source| FileError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    // The parts still to follow, the next one last.
    let mut pending: Vec<PathBuf> = parts_reversed(&absolute);
    let mut real = PathBuf::new();
    let mut hops = Vec::new();
    while let Some(part) = pending.pop() {
        match part.components().next() {
            Some(Component::Prefix(_) | Component::RootDir) => real.push(&part),
            Some(Component::CurDir) | None => {}
            Some(Component::ParentDir) => {
                real.pop();
            }
            Some(Component::Normal(name)) => {
                let candidate = real.join(name);
                match fs::symlink_metadata(&candidate) {
                    Ok(meta) if meta.file_type().is_symlink() => {
                        if hops.len() >= MAX_LINKS {
                            return Err(FileError::LinkLoop {
                                path: path.to_path_buf(),
                            });
                        }
                        let written =
                            fs::read_link(&candidate).map_err(|source| FileError::Unreadable {
                                path: candidate.clone(),
                                source,
                            })?;
                        // A Windows link may say `\\?\C:\…`: followed as the plain path it names.
                        let target = match PathStyle::current() {
                            PathStyle::Windows => PathBuf::from(
                                containment::without_verbatim_prefix(&written.to_string_lossy()),
                            ),
                            PathStyle::Unix => written.clone(),
                        };
                        if target.has_root() || target.is_absolute() {
                            real = PathBuf::new();
                        }
                        pending.extend(parts_reversed(&target));
                        hops.push(LinkHop {
                            link: candidate,
                            points_to: written,
                        });
                    }
                    _ => real = candidate,
                }
            }
        }
    }
    Ok((real, hops))
}

/// The parts of `path`, last first (a stack to pop from).
fn parts_reversed(path: &Path) -> Vec<PathBuf> {
    let mut parts: Vec<PathBuf> = path
        .components()
        .map(|part| PathBuf::from(part.as_os_str()))
        .collect();
    parts.reverse();
    parts
}

/// The text of `path` (symlinks followed), or `None` when there is no such file. Only a
/// regular file of at most [`MAX_FILE_BYTES`] is read: a pipe would block, a device or a
/// huge file would exhaust memory.
pub fn read(path: &Path) -> Result<Option<String>, FileError> {
    let real = resolve(path)?;
    match read_bytes(&real)? {
        Some(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| FileError::NotText { path: real }),
        None => Ok(None),
    }
}

/// The bytes of the regular file `real`, or `None` when there is none.
fn read_bytes(real: &Path) -> Result<Option<Vec<u8>>, FileError> {
    let meta = match fs::metadata(real) {
        Ok(meta) => meta,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(FileError::Unreadable {
                path: real.to_path_buf(),
                source,
            });
        }
    };
    let not_regular = |what: String| FileError::NotRegular {
        path: real.to_path_buf(),
        what,
    };
    if meta.is_dir() {
        return Err(not_regular("a folder".into()));
    }
    if !meta.is_file() {
        return Err(not_regular("a pipe, socket or device".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        const MIB: u64 = 1024 * 1024;
        return Err(not_regular(format!(
            "{:.1} MiB (more than the {} MiB a settings file may have)",
            meta.len() as f64 / MIB as f64,
            MAX_FILE_BYTES / MIB
        )));
    }
    match fs::read(real) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(FileError::Unreadable {
            path: real.to_path_buf(),
            source,
        }),
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
    /// Keep the backup there is (the version before our entry first went in); save none
    /// when there is none, since the previous version then holds an older entry of ours
    /// (and possibly its token).
    KeepExisting,
    /// Remove the backup there is and save none: the previous version holds our entry,
    /// and a disconnected token must not outlive the disconnect on disk.
    Discard,
}

/// Replaces the file at `path` (symlinks followed) with `text`, atomically, saving the
/// previous version as the backup first as `backup` says (with the permissions that
/// version had). The file keeps its permissions (a new one gets the umask's); when
/// `holds_secret`, it is made readable by its owner only. When a disconnect
/// ([`Backup::Discard`], no secret) gives back exactly the backup's bytes, the file also
/// gets back the backup's permissions: those it had before the connect made it owner-only.
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
    let previous = read_bytes(&real)?;
    remove_stale_temporaries(&real);
    let mode = match backup {
        Backup::Discard if !holds_secret => restored_mode(&real, text.as_bytes()),
        _ => None,
    }
    .or_else(|| permissions_for(&real, holds_secret));
    if previous.is_none()
        && let Some(parent) = real.parent()
    {
        fs::create_dir_all(parent).map_err(unwritable)?;
    }
    let backup = save_backup(&real, previous.as_deref(), backup).map_err(unwritable)?;
    replace_atomically(&real, text.as_bytes(), mode).map_err(unwritable)?;
    Ok(WrittenFile { path: real, backup })
}

/// The permissions of the backup of `real` when `text` is exactly the backup's bytes (the
/// file goes back to that version, so to its permissions too).
fn restored_mode(real: &Path, text: &[u8]) -> Option<u32> {
    let backup = backup_path(real);
    match read_bytes(&backup) {
        Ok(Some(bytes)) if bytes == text => current_mode(&backup),
        _ => None,
    }
}

/// Saves (or keeps, or removes) the backup of `real` as `policy` says; returns where the
/// backup now is, if anywhere. A saved backup has the permissions `real` has now (it is
/// that version: nobody can read it who could not read the file).
fn save_backup(
    real: &Path,
    previous: Option<&[u8]>,
    policy: Backup,
) -> io::Result<Option<PathBuf>> {
    let backup = backup_path(real);
    match (policy, previous) {
        (Backup::Discard, _) => {
            match fs::remove_file(&backup) {
                Ok(()) => sync_folder(&backup)?,
                Err(error) if error.kind() == io::ErrorKind::NotFound => {}
                Err(error) => return Err(error),
            }
            Ok(None)
        }
        (Backup::KeepExisting, _) => Ok(backup.is_file().then_some(backup)),
        (Backup::PreviousVersion, Some(bytes)) => {
            let mode = current_mode(real).map_or(OWNER_ONLY, |mode| mode | OWNER_READ);
            replace_atomically(&backup, bytes, Some(mode))?;
            Ok(Some(backup))
        }
        (Backup::PreviousVersion, None) => Ok(None),
    }
}

/// Deletes the file at `path` (symlinks followed: the real file goes, the link stays),
/// doing with the backup what `backup` says. Returns what was done.
pub fn delete(path: &Path, backup: Backup) -> Result<WrittenFile, FileError> {
    let real = resolve(path)?;
    let unwritable = |source| FileError::Unwritable {
        path: real.clone(),
        source,
    };
    let Some(bytes) = read_bytes(&real)? else {
        return Ok(WrittenFile {
            path: real,
            backup: None,
        });
    };
    let backup = save_backup(&real, Some(&bytes), backup).map_err(unwritable)?;
    fs::remove_file(&real).map_err(unwritable)?;
    sync_folder(&real).map_err(unwritable)?;
    Ok(WrittenFile { path: real, backup })
}

/// An advisory lock on one settings file, held while it is read, checked, backed up and
/// replaced, so two runs (the app and the CLI, two windows) never interleave their edits.
/// It lives in this user's own lock folder, not beside the file: a project folder is left
/// exactly as it was. Released when dropped.
#[derive(Debug)]
pub struct FileLock {
    _file: File,
}

/// Takes the lock of the file `path` leads to, waiting for another run to finish with it.
pub fn lock(path: &Path) -> Result<FileLock, FileError> {
    let real = resolve(path)?;
    let folder = lock_folder()?;
    let unwritable = |source| FileError::Unwritable {
        path: real.clone(),
        source,
    };
    let name = format!("{:016x}.lock", fnv1a(real.as_os_str().as_encoded_bytes()));
    let file = open_lock_file(&folder.join(name)).map_err(unwritable)?;
    file.lock().map_err(unwritable)?;
    Ok(FileLock { _file: file })
}

/// Takes this user's advisory lock called `name` (a plain file name, in the same owner-only
/// lock folder as the files' locks), waiting while another process holds it: for work other
/// than a file edit that must run one process at a time (refreshing a shared OAuth sign-in).
pub fn lock_named(name: &str) -> Result<FileLock, FileError> {
    let path = lock_folder()?.join(format!("{name}.lock"));
    let unwritable = |source| FileError::Unwritable {
        path: path.clone(),
        source,
    };
    let file = open_lock_file(&path).map_err(unwritable)?;
    file.lock().map_err(unwritable)?;
    Ok(FileLock { _file: file })
}

/// Opens (creating) a lock file, never through a symbolic link planted in its place.
#[cfg(unix)]
fn open_lock_file(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(OWNER_ONLY)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open_lock_file(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
}

/// This user's lock folder (see [`crate::platform::lock_dir`]), created owner-only when
/// missing and checked to be this user's own real folder.
fn lock_folder() -> Result<PathBuf, FileError> {
    let folder = platform::lock_dir(platform::Os::current(), platform::process_folder).ok_or(
        FileError::NoLockFolder {
            variables: platform::LOCK_DIR_VARIABLES,
        },
    )?;
    own_folder(&folder)?;
    Ok(folder)
}

/// Makes sure `folder` exists (created readable by this user only) and is this user's own
/// folder, not a symbolic link.
#[cfg(unix)]
fn own_folder(folder: &Path) -> Result<(), FileError> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt};
    let unsafe_folder = |problem: &str| FileError::UnsafeLockFolder {
        path: folder.to_path_buf(),
        problem: problem.to_owned(),
    };
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(folder)
        .map_err(|source| FileError::Unwritable {
            path: folder.to_path_buf(),
            source,
        })?;
    let meta = fs::symlink_metadata(folder).map_err(|source| FileError::Unreadable {
        path: folder.to_path_buf(),
        source,
    })?;
    if meta.file_type().is_symlink() || !meta.is_dir() {
        return Err(unsafe_folder("is a symbolic link or not a folder"));
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(unsafe_folder("belongs to another user"));
    }
    if meta.mode() & 0o077 != 0 {
        // Ours, but open to others (made by an earlier version under a umask of 002):
        // owner-only from now on.
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(folder, fs::Permissions::from_mode(0o700)).map_err(|source| {
            FileError::Unwritable {
                path: folder.to_path_buf(),
                source,
            }
        })?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn own_folder(folder: &Path) -> Result<(), FileError> {
    fs::create_dir_all(folder).map_err(|source| FileError::Unwritable {
        path: folder.to_path_buf(),
        source,
    })
}

/// A stable 64-bit hash of a path (the same in every build, unlike std's hasher).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Owner read and write only.
const OWNER_ONLY: u32 = 0o600;

/// Owner read: a file of ours is always readable by its owner.
const OWNER_READ: u32 = 0o400;

/// The permission bits of `path` (never setuid, setgid or sticky), if it exists.
#[cfg(unix)]
fn current_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path)
        .ok()
        .map(|meta| meta.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn current_mode(_path: &Path) -> Option<u32> {
    None
}

/// The permission bits the new version gets: the current ones (never setuid, setgid or
/// sticky), with group and others removed when it holds a secret (the owner's bits as they
/// were: a read-only file stays read-only). `None` for a new file without a secret: it
/// gets what the umask leaves of read-write for all, as any program's new file.
#[cfg(unix)]
fn permissions_for(real: &Path, holds_secret: bool) -> Option<u32> {
    match (current_mode(real), holds_secret) {
        (Some(mode), false) => Some(mode),
        (Some(mode), true) => Some(mode & 0o700 | OWNER_READ),
        (None, true) => Some(OWNER_ONLY),
        (None, false) => None,
    }
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
/// `target`. Best effort: they are ours by name, never the file itself, and only those
/// older than [`STALE_TEMPORARY_AGE`] (a younger one may be another run's write).
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
        let old = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age >= STALE_TEMPORARY_AGE);
        if old && file_name.starts_with(&prefix) && file_name.ends_with(".tmp") {
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

/// Creates `path` (it must not exist) with exactly `mode`; without one, with read-write for
/// all minus the umask.
#[cfg(unix)]
fn create_new(path: &Path, mode: Option<u32>) -> io::Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(if mode.is_some() { OWNER_ONLY } else { 0o666 })
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
mod mutant_tests;

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
        // The backup is the previous version, with the permissions that version had.
        assert_eq!(mode(&backup_path(&path)), 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_disconnect_giving_back_the_backup_gives_back_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        fs::write(&path, "{}").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write(&path, "{\"token\": 1}", true, Backup::PreviousVersion).unwrap();
        assert_eq!(mode(&path), 0o600);
        write(&path, "{\"token\": 2}", true, Backup::KeepExisting).unwrap();
        write(&path, "{}", false, Backup::Discard).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "{}");
        assert_eq!(mode(&path), 0o644);
        assert!(!backup_path(&path).exists());

        // Other bytes than the backup's (the user edited the file meanwhile): the
        // owner-only permissions stay, as nothing says the new text holds no secret of theirs.
        write(&path, "{\"token\": 1}", true, Backup::PreviousVersion).unwrap();
        write(&path, "{\"theirs\": 1}", false, Backup::Discard).unwrap();
        assert_eq!(mode(&path), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn special_bits_are_dropped_and_a_read_only_file_stays_read_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        fs::write(&path, "{}").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o6755)).unwrap();
        write(&path, "{ }", false, Backup::PreviousVersion).unwrap();
        let all = fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
        assert_eq!(all, 0o755);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
        write(&path, "{\"token\": 1}", true, Backup::PreviousVersion).unwrap();
        assert_eq!(mode(&path), 0o400);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_without_a_secret_gets_the_umasks_permissions() {
        // The umask is the process's: read it from a file this test creates the way any
        // program does, and compare.
        let dir = tempfile::tempdir().unwrap();
        let probe = dir.path().join("probe");
        File::create(&probe).unwrap();
        let path = dir.path().join("new.json");
        write(&path, "{}", false, Backup::PreviousVersion).unwrap();
        assert_eq!(mode(&path), mode(&probe));
        let secret = dir.path().join("secret.json");
        write(&secret, "{}", true, Backup::PreviousVersion).unwrap();
        assert_eq!(mode(&secret), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn links_in_folders_and_dangling_ones_are_followed_to_where_they_lead() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = canonical_folder(dir.path()).unwrap();
        fs::create_dir_all(root.join("real/sub")).unwrap();
        symlink("real/sub", root.join("folder")).unwrap();
        // A folder link then `..`: the parent of where the link leads, as the system reads it.
        assert_eq!(
            resolve(&root.join("folder/../x.json")).unwrap(),
            root.join("real/x.json")
        );
        // A dangling link to a folder, with the file below it.
        symlink(root.join("gone/deeper"), root.join("dangling")).unwrap();
        assert_eq!(
            resolve(&root.join("dangling/settings/mcp.json")).unwrap(),
            root.join("gone/deeper/settings/mcp.json")
        );
        let error = resolve_within(&root.join("dangling/settings/mcp.json"), &root.join("real"))
            .unwrap_err();
        assert!(
            matches!(error, FileError::OutsideFolder { .. }),
            "{error:?}"
        );
        let inside = root.join("real");
        symlink(root.join("gone"), inside.join(".kiro")).unwrap();
        let error = resolve_within(&inside.join(".kiro/settings/mcp.json"), &inside).unwrap_err();
        let FileError::LeavesFolder {
            link, points_to, ..
        } = error
        else {
            panic!("{error:?}")
        };
        assert_eq!((link, points_to), (inside.join(".kiro"), root.join("gone")));
        // Writing through the dangling folder link creates its folders where it leads.
        write(
            &root.join("dangling/settings/mcp.json"),
            "{}",
            false,
            Backup::PreviousVersion,
        )
        .unwrap();
        assert!(root.join("gone/deeper/settings/mcp.json").is_file());
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_file_is_never_opened_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        let planted = dir.path().join("0123.lock");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        assert!(open_lock_file(&planted).is_err());
        assert!(!victim.exists(), "nothing created where the link points");
        assert!(open_lock_file(&dir.path().join("4567.lock")).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn the_lock_folder_is_made_owner_only_and_a_shared_or_linked_one_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("directus-mcp-setup/locks");
        own_folder(&folder).unwrap();
        assert_eq!(mode(&folder), 0o700);
        own_folder(&folder).unwrap();

        // Ours but open to others: closed.
        let open = dir.path().join("open");
        fs::create_dir(&open).unwrap();
        fs::set_permissions(&open, fs::Permissions::from_mode(0o777)).unwrap();
        own_folder(&open).unwrap();
        assert_eq!(mode(&open), 0o700);
        // Another user's (only root can make one here).
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } == 0 {
            let theirs = dir.path().join("theirs");
            fs::create_dir(&theirs).unwrap();
            std::os::unix::fs::chown(&theirs, Some(4242), Some(4242)).unwrap();
            let error = own_folder(&theirs).unwrap_err();
            assert!(
                error.to_string().contains("belongs to another user"),
                "{error}"
            );
        }
        let linked = dir.path().join("linked");
        std::os::unix::fs::symlink(&folder, &linked).unwrap();
        let error = own_folder(&linked).unwrap_err();
        assert!(error.to_string().contains("symbolic link"), "{error}");
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
    fn keeping_a_missing_backup_saves_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.json");
        fs::write(&path, "ours with an old token").unwrap();
        let written = write(&path, "ours v2", false, Backup::KeepExisting).unwrap();
        assert_eq!(written.backup, None);
        assert!(!backup_path(&path).exists());
    }

    #[test]
    fn discarding_removes_the_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.json");
        fs::write(&path, "original").unwrap();
        write(&path, "ours", true, Backup::PreviousVersion).unwrap();
        assert!(backup_path(&path).exists());
        let written = write(&path, "original", false, Backup::Discard).unwrap();
        assert_eq!(written.backup, None);
        assert!(!backup_path(&path).exists());
        write(&path, "ours", true, Backup::PreviousVersion).unwrap();
        let done = delete(&path, Backup::Discard).unwrap();
        assert!(!path.exists() && done.backup.is_none() && !backup_path(&path).exists());
        assert_eq!(read(&path).unwrap(), None);
    }

    #[test]
    fn delete_can_keep_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.json");
        fs::write(&path, "x").unwrap();
        let done = delete(&path, Backup::PreviousVersion).unwrap();
        assert!(!path.exists());
        assert_eq!(fs::read_to_string(done.backup.unwrap()).unwrap(), "x");
    }

    #[cfg(unix)]
    #[test]
    fn pipes_folders_and_huge_files_are_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("pipe.json");
        let status = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .unwrap();
        assert!(status.success());
        assert!(matches!(read(&pipe), Err(FileError::NotRegular { .. })));
        assert!(matches!(
            read(dir.path()),
            Err(FileError::NotRegular { .. })
        ));
        let huge = dir.path().join("huge.json");
        File::create(&huge)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        let error = read(&huge).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("32.0 MiB (more than the 32 MiB a settings file may have)"),
            "{error}"
        );
    }

    #[test]
    fn young_temporary_files_are_left_to_their_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mcp.json");
        let young = dir.path().join(".mcp.json.directus-mcp-setup.abc.tmp");
        fs::write(&young, "in flight").unwrap();
        let old = dir.path().join(".mcp.json.directus-mcp-setup.def.tmp");
        fs::write(&old, "left by a killed run").unwrap();
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
        write(&path, "{}", false, Backup::PreviousVersion).unwrap();
        assert!(young.exists());
        assert!(!old.exists());
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
