//! Sharing a project's setup in the app (issue 25, item 2): Export writes a project's setup
//! file (nothing secret) into a folder; Import reads one, previews what would change on this
//! computer (the project record, each client's diff), then applies it — the same core as
//! `export` and `import` on the command line ([`crate::projects::share`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{ErrorField, WizardError};
use crate::clients::{ClientEnvironment, ProgramRunner};
use crate::projects::share::{
    self, ImportInputs, ImportPreview, ProjectChange, SetupFile, ShareError, TokenInput,
};
use crate::projects::{self, ProjectList};
use crate::secret_store::SecretStore;

impl From<ShareError> for WizardError {
    fn from(error: ShareError) -> Self {
        let field = match error {
            ShareError::NameClash { .. } | ShareError::InvalidName(_) => ErrorField::ProjectName,
            _ => ErrorField::General,
        };
        Self {
            field,
            message: error.to_string(),
        }
    }
}

/// The file name a project's setup is exported as: `<name>.directus-setup.json`.
pub fn file_name(project: &str) -> String {
    format!("{project}.directus-setup.json")
}

/// The folder Export writes to when none is typed: the Downloads folder, else the home.
pub fn default_folder(env: &ClientEnvironment) -> PathBuf {
    let downloads = env.home.join("Downloads");
    if downloads.is_dir() {
        downloads
    } else {
        env.home.clone()
    }
}

/// Writes the setup file of the project `name` into `folder` (or [`default_folder`]) and
/// returns its path. A file already there is never replaced: the user chooses.
pub fn export(
    env: &ClientEnvironment,
    name: &str,
    folder: Option<&str>,
) -> Result<PathBuf, WizardError> {
    let list = super::projects::load_in(env)?;
    let project = list
        .get(name)
        .ok_or(projects::ProjectError::Unknown(name.to_owned()))?;
    let folder = match folder.map(str::trim).filter(|folder| !folder.is_empty()) {
        Some(folder) => PathBuf::from(folder),
        None => default_folder(env),
    };
    if !folder.is_dir() {
        return Err(general(format!(
            "{} is not a folder here: enter the folder to save the setup file in",
            folder.display()
        )));
    }
    let path = folder.join(file_name(name));
    let text = share::to_text(&share::export(project));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::AlreadyExists => general(format!(
                "{} exists already, and is left as it is: choose another folder, or move that file first",
                path.display()
            )),
            _ => general(format!("cannot write {}: {error}", path.display())),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|error| general(format!("cannot write {}: {error}", path.display())))?;
    Ok(path)
}

/// The setup file at `path`, under `name` when given (to import beside a project here that
/// has the file's name for another Directus).
fn read(path: &str, name: Option<&str>) -> Result<SetupFile, WizardError> {
    let path = path.trim();
    if path.is_empty() {
        return Err(general(
            "enter the path of the setup file to import (one Export wrote, *.directus-setup.json)"
                .into(),
        ));
    }
    let file = share::read(Path::new(path), false)?;
    Ok(match name.map(str::trim).filter(|name| !name.is_empty()) {
        Some(name) => file.renamed(name)?,
        None => file,
    })
}

/// What the plans are made with: the token kept in the OS keyring for the file's Directus
/// (a token setup needs it) and the app's bridge for stdio-only clients.
fn inputs(
    file: &SetupFile,
    store: &SecretStore,
    env: &ClientEnvironment,
) -> Result<ImportInputs, WizardError> {
    Ok(ImportInputs {
        token: match file.auth {
            crate::clients::AuthMode::Oauth => TokenInput::None,
            crate::clients::AuthMode::Token => {
                TokenInput::kept_in(store, file).map_err(|error| general(error.to_string()))?
            }
        },
        stdio_bridge: super::clients::bridge_program(env),
        ..ImportInputs::default()
    })
}

/// What importing the file at `path` (under `name`, when given) would change on this
/// computer: the project record and each client's diff. Nothing is written.
pub fn preview(
    env: &ClientEnvironment,
    store: &SecretStore,
    path: &str,
    name: Option<&str>,
) -> Result<ImportPreview, WizardError> {
    let file = read(path, name)?;
    let list: ProjectList = super::projects::read_in(env)?;
    Ok(share::preview_with(
        &file,
        env,
        &list,
        &inputs(&file, store, env)?,
    ))
}

/// Imports the file at `path` (under `name`, when given): the record, then each client, as
/// the preview showed; refused before any change on a name clash or a missing token.
pub fn import(
    env: &ClientEnvironment,
    store: &SecretStore,
    path: &str,
    name: Option<&str>,
    runner: &dyn ProgramRunner,
) -> Result<ImportPreview, WizardError> {
    let file = read(path, name)?;
    let inputs = inputs(&file, store, env)?;
    // The import's checks first, on the list as the app reads it: nothing is written
    // (not even instances.json taken in as projects) when the import is refused.
    let list = super::projects::read_in(env)?;
    let checked = share::preview_with(&file, env, &list, &inputs);
    if let ProjectChange::NameClash { here, suggestion } = &checked.project {
        return Err(ShareError::NameClash {
            name: here.name.clone(),
            url_here: here.url.clone(),
            url_in_file: checked.file.url.clone(),
            suggestion: suggestion.clone(),
        }
        .into());
    }
    if !checked.blockers.is_empty() {
        return Err(general(checked.blockers.join(" ")));
    }
    // Then the list is taken in once, and the import adds to it.
    super::projects::load_in(env)?;
    Ok(share::import(
        &file,
        env,
        &projects::store_path_in(env),
        &inputs,
        runner,
    )?)
}

fn general(message: String) -> WizardError {
    WizardError {
        field: ErrorField::General,
        message,
    }
}

#[cfg(test)]
mod tests;
