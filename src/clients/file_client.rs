//! What every client configured through one settings file shares: read, plan the edit,
//! plan the undo, read the status. A client module only says where its file is and what
//! its entry looks like.

use std::path::PathBuf;

use serde_json::Value;

use super::connector::{ClientConnector, ClientInfo, Detection};
use super::environment::ClientEnvironment;
use super::error::ClientError;
use super::plan::{FileEdit, ManualSteps, Plan, Step};
use super::request::{AuthMode, ConnectRequest, Scope, Target};
use super::status::{ClientStatus, Expected, FoundConnection, StaleCause, auth_from_header};
use crate::config_edit::file::Backup;
use crate::config_edit::{Entry, EntryPath, Format, file, remove_entries, set_entries};

/// A client whose connection is one or more entries in one settings file.
pub(crate) trait FileClient: Send + Sync {
    /// What the client is.
    fn info(&self) -> ClientInfo;
    /// The id used on the command line.
    fn id(&self) -> &'static str;
    /// The name users know.
    fn name(&self) -> &'static str;
    /// Whether it is installed.
    fn detect(&self, env: &ClientEnvironment) -> Detection;
    /// The file's syntax.
    fn format(&self) -> Format {
        Format::Jsonc
    }
    /// The settings file for `target`.
    fn config_path(&self, env: &ClientEnvironment, target: &Target)
    -> Result<PathBuf, ClientError>;
    /// Every settings file the entry for `target` goes into, when the client reads more
    /// than one (one per VS Code profile); the first is [`FileClient::config_path`].
    fn config_files(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<ConfigFiles, ClientError> {
        Ok(ConfigFiles::one(self.config_path(env, target)?))
    }
    /// The entries that connect it (a `None` value removes a leftover of another mode).
    fn entries(
        &self,
        env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError>;
    /// Every path [`FileClient::entries`] may write, in the same order.
    fn entry_paths(&self, name: &str) -> Vec<EntryPath>;
    /// Whether the entries hold the token itself.
    fn holds_secret(&self, request: &ConnectRequest) -> bool;
    /// The connection the entries describe (values in the order of `entry_paths`).
    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection>;
    /// Notes for the user.
    fn notes(&self, _request: &ConnectRequest) -> Vec<String> {
        Vec::new()
    }
    /// The address of its Client ID Metadata Document, when it registers with one.
    fn cimd_client_id(&self) -> Option<&'static str> {
        None
    }
    /// Its own command that checks its servers, when it has one and it is installed.
    fn own_check(
        &self,
        _env: &ClientEnvironment,
        _target: &Target,
    ) -> Option<super::connector::OwnCheck> {
        None
    }
    /// Other ways to do the same (a one-click link).
    fn alternatives(&self, _request: &ConnectRequest) -> Vec<ManualSteps> {
        Vec::new()
    }
}

/// The settings files one connection is written to: usually one; for a client with
/// profiles, one per profile, each with the profile's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigFiles {
    /// The files, the main one first.
    pub files: Vec<ConfigFile>,
    /// What could not be found out about the others (shown as notes).
    pub notices: Vec<String>,
}

/// One settings file and what reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigFile {
    /// Who reads it, in words (`profile Work`); `None` for a client's only file.
    pub label: Option<String>,
    /// The file.
    pub path: PathBuf,
}

impl ConfigFiles {
    /// A client's only file.
    pub fn one(path: PathBuf) -> Self {
        Self {
            files: vec![ConfigFile { label: None, path }],
            notices: Vec::new(),
        }
    }

    /// A note naming each file and who reads it, when there are several.
    fn note(&self) -> Option<String> {
        (self.files.len() > 1).then(|| {
            let each: Vec<String> = self
                .files
                .iter()
                .map(|file| {
                    format!(
                        "{} ({})",
                        file.label.as_deref().unwrap_or("main"),
                        file.path.display()
                    )
                })
                .collect();
            format!("One file per profile: {}.", each.join(", "))
        })
    }
}

/// Adapts a [`FileClient`] to [`ClientConnector`].
pub(crate) struct FileConnector<C>(pub C);

impl<C: FileClient> ClientConnector for FileConnector<C> {
    fn id(&self) -> &'static str {
        self.0.id()
    }

    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn info(&self) -> ClientInfo {
        self.0.info()
    }

    fn cimd_client_id(&self) -> Option<&'static str> {
        self.0.cimd_client_id()
    }

    fn own_check(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Option<super::connector::OwnCheck> {
        self.0.own_check(env, target)
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        self.0.detect(env)
    }

    fn plan_connect(
        &self,
        env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Plan, ClientError> {
        plan_entry_writes(&self.0, env, request)
    }

    fn plan_disconnect(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<Plan, ClientError> {
        plan_entry_removals(&self.0, env, target)
    }

    fn config_file(&self, env: &ClientEnvironment, target: &Target) -> Option<PathBuf> {
        self.0.config_path(env, target).ok()
    }

    fn status(
        &self,
        env: &ClientEnvironment,
        target: &Target,
        expected: &Expected,
    ) -> Result<ClientStatus, ClientError> {
        status(&self.0, env, target, expected)
    }
}

/// The plan that writes the client's entries: one file edit per settings file.
pub(crate) fn plan_entry_writes(
    client: &dyn FileClient,
    env: &ClientEnvironment,
    request: &ConnectRequest,
) -> Result<Plan, ClientError> {
    let files = client.config_files(env, &request.target)?;
    let entries = client.entries(env, request)?;
    let steps = files
        .files
        .iter()
        .map(|file| connect_edit(client, file.path.clone(), &entries, request).map(Step::EditFile))
        .collect::<Result<Vec<_>, _>>()?;
    let mut plan = Plan::new(client.id(), steps);
    plan.alternatives = client.alternatives(request);
    plan.notes = client.notes(request);
    plan.notes.extend(files.note());
    plan.notes.extend(files.notices);
    plan.secrets.extend(request.token.clone());
    Ok(plan)
}

/// The edit that writes `entries` into the file at `path`.
fn connect_edit(
    client: &dyn FileClient,
    path: PathBuf,
    entries: &[Entry],
    request: &ConnectRequest,
) -> Result<FileEdit, ClientError> {
    let before = file::read(&path)?;
    // The previous version holds an entry of ours (this project's, or another project's
    // with perhaps its token): keep the backup there is rather than save that version.
    // Another project's entry is known by its name when the project list names it, and by
    // what it holds when it does not (a damaged list, a project no longer listed).
    let holds_an_entry_of_ours = match &before {
        Some(text) => crate::config_edit::parse(client.format(), text)
            .map(|doc| {
                entries.iter().any(|entry| doc.get(&entry.path).is_some())
                    || request
                        .target
                        .other_projects
                        .iter()
                        .flat_map(|name| client.entry_paths(name))
                        .any(|path| doc.get(&path).is_some())
                    || holds_another_mcp_entry_with_credentials(&doc.to_json(), entries)
            })
            .unwrap_or(false),
        None => false,
    };
    let after = set_entries(client.format(), before.as_deref(), entries).map_err(|error| {
        ClientError::Document {
            path: path.clone(),
            error,
        }
    })?;
    Ok(FileEdit {
        path,
        before,
        after: Some(after),
        format: client.format(),
        holds_secret: client.holds_secret(request),
        backup: if holds_an_entry_of_ours {
            Backup::KeepExisting
        } else {
            Backup::PreviousVersion
        },
        prune_up_to: None,
    })
}

/// Whether `document` holds, beside the entries about to be written, an entry that looks
/// like one of ours for another project: in the same table as ours, it reaches an MCP
/// endpoint (`…/mcp`) with a token (an `Authorization` header, a bearer token, an
/// `access_token`, a token variable), or runs our bridge. Such a version is never saved as
/// a backup, whether or not the project list knows that project.
fn holds_another_mcp_entry_with_credentials(document: &Value, entries: &[Entry]) -> bool {
    entries.iter().any(|entry| {
        let EntryPath::Key(keys) = &entry.path else {
            return false;
        };
        let Some((own, parents)) = keys.split_last() else {
            return false;
        };
        if parents.is_empty() {
            return false;
        }
        let table = parents
            .iter()
            .try_fold(document, |value, key| value.get(key.as_str()));
        let Some(Value::Object(table)) = table else {
            return false;
        };
        table
            .iter()
            .any(|(name, value)| name != own && looks_like_an_mcp_entry_of_ours(value))
    })
}

/// Whether an entry reaches an MCP endpoint with a token, or runs our bridge.
fn looks_like_an_mcp_entry_of_ours(entry: &Value) -> bool {
    let text = entry.to_string().to_ascii_lowercase();
    let runs_our_bridge = text.contains(crate::platform::CLI_PROGRAM) && text.contains("bridge");
    let mcp_with_token = text.contains("/mcp")
        && ["authorization", "bearer", "access_token", "token"]
            .iter()
            .any(|word| text.contains(word));
    runs_our_bridge || mcp_with_token
}

/// The plan that takes the entries out of every settings file, giving back each file's
/// previous bytes when it can.
pub(crate) fn plan_entry_removals(
    client: &dyn FileClient,
    env: &ClientEnvironment,
    target: &Target,
) -> Result<Plan, ClientError> {
    let files = client.config_files(env, target)?;
    let steps = files
        .files
        .iter()
        .map(|file| disconnect_edit(client, file.path.clone(), target).map(Step::EditFile))
        .collect::<Result<Vec<_>, _>>()?;
    let mut plan = Plan::new(client.id(), steps);
    if plan.is_up_to_date() {
        plan.notes
            .push(format!("No `{}` entry to take out.", target.name));
    }
    plan.notes.extend(files.note());
    plan.notes.extend(files.notices);
    Ok(plan)
}

/// The edit that takes the entries out of the file at `path`.
fn disconnect_edit(
    client: &dyn FileClient,
    path: PathBuf,
    target: &Target,
) -> Result<FileEdit, ClientError> {
    let before = file::read(&path)?;
    let after = match &before {
        None => None,
        Some(current) => {
            let backup = file::resolve(&path)
                .ok()
                .and_then(|real| file::read(&file::backup_path(&real)).ok().flatten());
            remove_entries(
                client.format(),
                current,
                backup.as_deref(),
                &client.entry_paths(&target.name),
            )
            .map_err(|error| ClientError::Document {
                path: path.clone(),
                error,
            })?
        }
    };
    // A project gets back the folders our first connect made (`.kiro/settings/`, …); a home
    // folder keeps its folders, which other programs may expect.
    let prune_up_to = match target.scope {
        Scope::Project => target.project_dir.clone(),
        Scope::User => None,
    };
    Ok(FileEdit {
        path,
        before,
        after,
        format: client.format(),
        holds_secret: false,
        backup: Backup::Discard,
        prune_up_to,
    })
}

/// The entry's state in the client's file; with several files (profiles), connected only
/// when every file holds a current entry, and stale (naming each file's state) when they
/// differ.
pub(crate) fn status(
    client: &dyn FileClient,
    env: &ClientEnvironment,
    target: &Target,
    expected: &Expected,
) -> Result<ClientStatus, ClientError> {
    let files = client.config_files(env, target)?;
    let mut states = Vec::new();
    for config in &files.files {
        let found = read_connection(client, &config.path, &target.name)?
            .map(|found| found.status(expected, Some(config.path.clone())));
        states.push((config, found));
    }
    if states.iter().all(|(_, found)| found.is_none()) {
        return Ok(if client.detect(env).installed {
            ClientStatus::Installed
        } else {
            ClientStatus::NotInstalled
        });
    }
    if let [(_, Some(only))] = states.as_slice() {
        return Ok(only.clone());
    }
    let all_connected = states
        .iter()
        .all(|(_, found)| matches!(found, Some(ClientStatus::Connected { .. })));
    if all_connected {
        return Ok(states
            .into_iter()
            .find_map(|(_, found)| found)
            .expect("every file has an entry"));
    }
    let each: Vec<String> = states
        .iter()
        .map(|(config, found)| {
            let label = config.label.as_deref().unwrap_or("main file");
            match found {
                None => format!("{label}: not connected"),
                Some(ClientStatus::Connected { .. }) => format!("{label}: connected"),
                Some(ClientStatus::Stale { reason, .. }) => format!("{label}: {reason}"),
                Some(_) => format!("{label}: unknown"),
            }
        })
        .collect();
    let causes: Vec<StaleCause> = states
        .iter()
        .filter_map(|(_, found)| match found {
            Some(ClientStatus::Stale { cause, .. }) => Some(*cause),
            _ => None,
        })
        .collect();
    let cause = causes
        .iter()
        .find(|cause| cause.holds_a_token())
        .or(causes.first())
        .copied()
        .unwrap_or(StaleCause::MissingInSomeFiles);
    Ok(ClientStatus::Stale {
        cause,
        reason: each.join("; "),
        file: files.files.first().map(|config| config.path.clone()),
    })
}

/// The values at each of the client's entry paths for `name` in the file at `path`;
/// `None` when there is no file.
pub(crate) fn entry_values(
    client: &dyn FileClient,
    path: &std::path::Path,
    name: &str,
) -> Result<Option<Vec<Option<Value>>>, ClientError> {
    let Some(text) = file::read(path)? else {
        return Ok(None);
    };
    let doc = crate::config_edit::parse(client.format(), &text).map_err(|error| {
        ClientError::Document {
            path: path.to_path_buf(),
            error,
        }
    })?;
    Ok(Some(
        client
            .entry_paths(name)
            .iter()
            .map(|path| doc.get(path))
            .collect(),
    ))
}

/// The connection the file at `path` holds under `name`, if any.
pub(crate) fn read_connection(
    client: &dyn FileClient,
    path: &std::path::Path,
    name: &str,
) -> Result<Option<FoundConnection>, ClientError> {
    let Some(values) = entry_values(client, path, name)? else {
        return Ok(None);
    };
    if values.first().is_none_or(Option::is_none) {
        return Ok(None);
    }
    Ok(client.read_connection(&values))
}

/// The project folder joined with `relative`, or an error when the client has no project
/// scope (`supported` names the scope it has).
pub(crate) fn scoped_path(
    client: &str,
    target: &Target,
    user: PathBuf,
    project_relative: Option<&str>,
) -> Result<PathBuf, ClientError> {
    match (target.scope, project_relative) {
        (Scope::User, _) => Ok(user),
        (Scope::Project, Some(relative)) => target.project_file(relative),
        (Scope::Project, None) => Err(ClientError::ScopeUnsupported {
            client: client.to_owned(),
            scope: "project",
            supported: "user",
        }),
    }
}

/// `base` with `headers: {Authorization}` added when there is a header value.
pub(crate) fn with_authorization(mut base: Value, authorization: Option<String>) -> Value {
    if let (Some(members), Some(value)) = (base.as_object_mut(), authorization) {
        members.insert(
            "headers".into(),
            serde_json::json!({ "Authorization": value }),
        );
    }
    base
}

/// The entry of an HTTP server: `base` with the `Authorization` header `request` asks for:
/// the token itself in user scope; in project scope a reference to the variable holding
/// it, written by `reference` the way the client resolves it, or an error when the client
/// reads no variables there (a shared file must not hold the token).
pub(crate) fn http_entry(
    request: &ConnectRequest,
    client: &str,
    base: Value,
    reference: Option<fn(&str) -> String>,
) -> Result<Value, ClientError> {
    let authorization = match reference {
        Some(reference) => request.scoped_authorization(client, reference)?,
        None if request.auth == AuthMode::Token && request.target.scope == Scope::Project => {
            return Err(ClientError::TokenInSharedFile {
                client: client.to_owned(),
            });
        }
        None => request.authorization(client)?,
    };
    Ok(with_authorization(base, authorization))
}

/// The first of `candidates` that exists, else the first (the name a client writes by
/// default when it reads several).
pub(crate) fn existing_or_first(candidates: &[PathBuf]) -> PathBuf {
    candidates
        .iter()
        .find(|path| path.exists())
        .unwrap_or(&candidates[0])
        .clone()
}

/// The one entry a client writes at `path`.
pub(crate) fn one_entry(
    path: Vec<EntryPath>,
    value: Value,
    managed: &'static [&'static str],
) -> Vec<Entry> {
    path.into_iter()
        .take(1)
        .map(|path| Entry {
            path,
            value: Some(value.clone()),
            managed,
        })
        .collect()
}

/// The connection of an entry holding its URL under the first of `url_keys` present and
/// its token, if any, in `headers.Authorization`.
pub(crate) fn url_and_headers(
    values: &[Option<Value>],
    url_keys: &[&str],
) -> Option<FoundConnection> {
    let entry = values.first()?.as_ref()?;
    Some(FoundConnection {
        url: url_keys.iter().find_map(|key| string_member(entry, key)),
        auth: auth_from_header(authorization(entry)),
    })
}

/// `headers.Authorization` of a JSON entry.
pub(crate) fn authorization(entry: &Value) -> Option<&str> {
    entry
        .get("headers")
        .and_then(|headers| headers.get("Authorization"))
        .and_then(Value::as_str)
}

/// The string member `key` of a JSON entry.
pub(crate) fn string_member(entry: &Value, key: &str) -> Option<String> {
    entry.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// A program on the search path, or a folder that exists, as detection evidence.
pub(crate) fn program_or_folder(
    env: &ClientEnvironment,
    programs: &[&str],
    folders: &[PathBuf],
) -> Detection {
    let programs = programs.iter().map(|program| {
        env.find_program(program)
            .map(|path| format!("program {}", path.display()))
    });
    let folders = folders.iter().map(|folder| {
        folder
            .exists()
            .then(|| format!("folder {}", folder.display()))
    });
    Detection::first_of(programs.chain(folders))
}

/// What a user must do when a project's shared file reads the token from a variable.
pub(crate) fn shared_token_notes(request: &ConnectRequest, client: &str) -> Vec<String> {
    if request.auth != super::request::AuthMode::Token || request.target.scope != Scope::Project {
        return Vec::new();
    }
    let variable = request
        .token_env_var
        .as_deref()
        .unwrap_or(super::request::SHARED_TOKEN_VARIABLE);
    vec![format!(
        "The project's file is shared (and often committed), so it holds no token: export {variable} with the token (`directus-mcp-setup token show`) in the environment {client} starts from."
    )]
}

#[cfg(test)]
mod tests;
