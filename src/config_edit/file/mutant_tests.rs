//! Backup and permission behaviours that `scripts/mutants.sh` found unguarded: each test
//! here fails under the cargo-mutants mutant of `file.rs` named in its comment.

use super::*;

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Mutant: match guard `error.kind() == io::ErrorKind::NotFound` → `false` (and `==` →
/// `!=`) in `save_backup` (a disconnect with no backup left would fail).
#[test]
fn discarding_when_there_is_no_backup_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mcp.json");
    fs::write(&path, "ours").unwrap();
    let written = write(&path, "theirs", false, Backup::Discard).unwrap();
    assert_eq!(written.backup, None);
    assert_eq!(fs::read_to_string(&path).unwrap(), "theirs");
    assert!(!backup_path(&path).exists());
}

/// Mutant: match guard `error.kind() == io::ErrorKind::NotFound` → `true` in
/// `save_backup` (a backup that cannot be removed would be left behind, its token with
/// it, and the disconnect reported as done).
#[test]
fn a_backup_that_cannot_be_removed_stops_the_write_and_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mcp.json");
    fs::write(&path, "ours").unwrap();
    fs::create_dir(backup_path(&path)).unwrap();
    let error = write(&path, "theirs", false, Backup::Discard).unwrap_err();
    assert!(
        matches!(&error, FileError::Unwritable { path: failed, .. } if failed == &path),
        "{error}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "ours");
}

/// Mutant: match guard `!holds_secret` → `true` in `write` (a write that holds a secret
/// would take the backup's looser permissions when its bytes happen to equal the backup's).
#[cfg(unix)]
#[test]
fn a_file_holding_a_secret_stays_owner_only_even_when_it_equals_the_backup() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mcp.json");
    fs::write(&path, "{\"token\": \"old\"}").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    write(&path, "{\"token\": \"new\"}", true, Backup::PreviousVersion).unwrap();
    assert_eq!(mode(&backup_path(&path)), 0o644);
    write(&path, "{\"token\": \"old\"}", true, Backup::Discard).unwrap();
    assert_eq!(mode(&path), 0o600);
}

/// Mutant: `10 * 60` → `10 + 60` in `STALE_TEMPORARY_AGE` (a temporary file another run
/// is still writing, a few minutes old, would be removed under it).
#[test]
fn a_temporary_file_of_a_write_still_in_progress_is_kept_and_an_old_one_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mcp.json");
    fs::write(&path, "{}").unwrap();
    let aged = |name: &str, minutes: u64| {
        let leftover = dir.path().join(name);
        fs::write(&leftover, "partial").unwrap();
        let then = std::time::SystemTime::now() - std::time::Duration::from_secs(minutes * 60);
        File::options()
            .write(true)
            .open(&leftover)
            .unwrap()
            .set_modified(then)
            .unwrap();
        leftover
    };
    let in_progress = aged(".mcp.json.directus-mcp-setup.aaaaaaaaaaaa.tmp", 5);
    let left_over = aged(".mcp.json.directus-mcp-setup.bbbbbbbbbbbb.tmp", 11);
    write(&path, "{\"a\": 1}", false, Backup::KeepExisting).unwrap();
    assert!(
        in_progress.exists(),
        "a 5-minute-old temporary may be another run's write"
    );
    assert!(
        !left_over.exists(),
        "an 11-minute-old temporary is a killed run's leftover"
    );
}

/// Mutant: match guard `error.kind() == io::ErrorKind::NotFound` → `true` in `read_bytes`
/// (a path that cannot be looked at would be taken for a missing file, and a new one
/// planned over whatever is there).
#[test]
fn a_path_that_cannot_be_looked_at_is_an_error_not_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("settings");
    fs::write(&file, "a file, not a folder").unwrap();
    let under_a_file = file.join("mcp.json");
    assert!(
        read(&under_a_file).is_err(),
        "a settings path under a regular file cannot be read: {:?}",
        read(&under_a_file)
    );
}

/// Mutant: `>` → `>=` in `read_bytes`' size check (a settings file of exactly the
/// largest size allowed would be refused).
#[test]
fn a_settings_file_of_exactly_the_largest_size_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    let file = File::create(&path).unwrap();
    file.set_len(MAX_FILE_BYTES).unwrap();
    drop(file);
    let read = read_bytes(&path).unwrap().expect("the file is there");
    assert_eq!(read.len() as u64, MAX_FILE_BYTES);
    let file = File::options().write(true).open(&path).unwrap();
    file.set_len(MAX_FILE_BYTES + 1).unwrap();
    assert!(read_bytes(&path).is_err(), "one byte more is refused");
}

/// Mutants: `fnv1a -> u64` with `0` and `1`, `^` → `|` and `&` in `fnv1a`. A file's lock
/// is named by this hash, so every build and every version of this tool must compute the
/// same one (two versions editing one file must take the same lock): the published FNV-1a
/// 64-bit test vectors pin it.
#[test]
fn lock_names_use_the_standard_fnv1a_hash_in_every_build() {
    assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
}

/// Mutant: `lock_folder -> Result<PathBuf, FileError>` with `Ok(Default::default())` (lock
/// files would land in whatever folder the program was started from).
#[cfg(unix)]
#[test]
fn the_lock_folder_is_an_absolute_folder_of_this_user_only() {
    let folder = lock_folder().expect("a lock folder");
    assert!(folder.is_absolute(), "{}", folder.display());
    assert!(folder.is_dir(), "{}", folder.display());
    assert_eq!(mode(&folder), 0o700, "{}", folder.display());
}
