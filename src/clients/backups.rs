//! Backups that hold a token: none are written after this version (a disconnect leaves
//! none, an update keeps the pre-connect one), but a backup from an older version, or one a
//! user copied by hand under our name, may still hold a token. Rotating or revoking the
//! token removes every backup of ours that holds it.

use std::path::PathBuf;

use super::environment::ClientEnvironment;
use super::registry::all;
use super::request::{Scope, Target};
use crate::config_edit::file;
use crate::secret::SecretString;

/// Removes the backups beside every client's user settings file that hold `token`;
/// returns the ones removed. Best effort: a backup that cannot be read or removed stays.
pub fn remove_holding(env: &ClientEnvironment, token: &SecretString) -> Vec<PathBuf> {
    let Ok(target) = Target::new("directus", Scope::User, None) else {
        return Vec::new();
    };
    let mut backups: Vec<PathBuf> = all()
        .iter()
        .filter_map(|client| client.config_file(env, &target))
        .filter_map(|path| file::resolve(&path).ok())
        .map(|real| file::backup_path(&real))
        .collect();
    backups.sort();
    backups.dedup();
    backups
        .into_iter()
        .filter(|backup| {
            file::read(backup)
                .ok()
                .flatten()
                .is_some_and(|text| !token.expose().is_empty() && text.contains(token.expose()))
        })
        .filter(|backup| std::fs::remove_file(backup).is_ok())
        .collect()
}
