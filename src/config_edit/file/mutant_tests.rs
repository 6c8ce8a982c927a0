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
