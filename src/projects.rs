//! The Directus projects this user set up (issue 25, item 1): one record each — the URL, how
//! clients sign in, the name its client entries carry, which tools and which MCP role — kept
//! in `<app settings>/directus-mcp-setup/projects.json`, shared by the app and the CLI.
//!
//! Nothing secret is in the file: a project's MCP token and a remembered admin session stay
//! in the OS keyring, keyed by the project's URL ([`crate::secret_store`]). Each project's
//! client entries carry the project's own name (`directus` for the first, then a name the
//! user confirms, e.g. `directus-staging`), so connecting, checking, disconnecting or
//! rotating one project's token never touches another's entry.

pub mod share;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use crate::clients::{AuthMode, ClientEnvironment};
use crate::config_edit::file::{self, Backup};
use crate::directus::endpoint::ServerUrl;
use crate::directus::role_template::RoleTemplate;
use crate::directus::tool_mode::ToolMode;

/// The entry name of the first project, and the start of every other suggested name.
pub const FIRST_ENTRY_NAME: &str = "directus";

/// The longest entry name clients accept from us (as [`crate::clients::Target::new`] checks).
const LONGEST_NAME: usize = 64;

/// One Directus project as set up on this computer. Nothing in it is secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    /// The server's name in every client (`directus`, `directus-staging`, …); unique among
    /// the projects, and the project's key.
    pub name: String,
    /// The Directus URL, as [`ServerUrl`] prints it (`https://cms.example.com`).
    pub url: String,
    /// How clients sign in to this project's MCP server.
    pub auth: AuthMode,
    /// Which tools the clients get.
    #[serde(default)]
    pub tool_mode: ToolMode,
    /// The MCP user's role template, when this project uses a static token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<RoleTemplate>,
    /// The admin's email for signing in again (a session is kept only with "Remember me",
    /// in the OS keyring, never here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The clients (ids, as `clients` lists them) connected to this project from here.
    #[serde(default)]
    pub clients: Vec<String>,
}

/// Every project, and the one the app shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProjectList {
    /// The projects, in the order they were set up.
    pub projects: Vec<Project>,
    /// The name of the chosen project (the app's side bar; the CLI's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<String>,
}

/// What can go wrong with the project list.
#[derive(Debug, Error)]
pub enum ProjectError {
    /// The name is not usable as a client entry name.
    #[error(
        "\"{0}\" can't name a project's client entries: use letters, digits, '-' and '_' (at most 64)"
    )]
    InvalidName(String),
    /// Another project already has the name.
    #[error("the project \"{name}\" already exists (for {url}); choose another name")]
    NameTaken {
        /// The name asked for.
        name: String,
        /// The URL of the project that has it.
        url: String,
    },
    /// No project has the name.
    #[error("there is no project \"{0}\" (`directus-mcp-setup projects` lists them)")]
    Unknown(String),
    /// The file exists but is not a project list; it is left as it is.
    #[error(
        "{path} is not a project list ({reason}); it was left untouched: fix or move it, then try again"
    )]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        reason: String,
    },
    /// The project's URL is not a Directus URL.
    #[error(
        "the project \"{name}\" has a URL that is not a Directus URL ({reason}): remove it and add it again with its URL"
    )]
    InvalidUrl {
        /// The project.
        name: String,
        /// What the parser said.
        reason: String,
    },
    /// The file could not be read or written.
    #[error(transparent)]
    File(#[from] file::FileError),
    /// No home folder to keep the list in.
    #[error("no home folder was found to keep the project list in")]
    NoHome,
}

/// `<app settings>/directus-mcp-setup/projects.json` in `env`: `~/.config` on Linux,
/// `~/Library/Application Support` on macOS, `%APPDATA%` on Windows.
pub fn store_path_in(env: &ClientEnvironment) -> PathBuf {
    env.app_config_dir
        .join(crate::platform::PRODUCT_FOLDER)
        .join("projects.json")
}

/// This user's project list file.
pub fn store_path() -> Result<PathBuf, ProjectError> {
    ClientEnvironment::from_process()
        .map(|env| store_path_in(&env))
        .map_err(|_| ProjectError::NoHome)
}

/// Whether `name` can name client entries (as [`crate::clients::Target::new`] requires).
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= LONGEST_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl ProjectList {
    /// The list in `path`; empty when there is no file. A file that is not a list, or a
    /// record whose name could not name client entries or whose URL is not a Directus URL
    /// (a hand edit), is an error naming it, and is never overwritten by a later save (see
    /// [`ProjectList::save`]).
    pub fn load(path: &Path) -> Result<Self, ProjectError> {
        let unreadable = |reason: String| ProjectError::Unreadable {
            path: path.to_owned(),
            reason,
        };
        let Some(text) = file::read(path)? else {
            return Ok(Self::default());
        };
        let list: Self =
            serde_json::from_str(&text).map_err(|error| unreadable(error.to_string()))?;
        for project in &list.projects {
            if !is_valid_name(&project.name) {
                return Err(unreadable(format!(
                    "the project name \"{}\" can't name client entries: use letters, digits, '-' and '_' (at most 64)",
                    project.name
                )));
            }
            // http:// to another host was allowed when the project was set up.
            if let Err(error) = ServerUrl::parse(&project.url, true) {
                return Err(unreadable(format!(
                    "the project \"{}\" has the URL \"{}\": {error}",
                    project.name, project.url
                )));
            }
        }
        Ok(list)
    }

    /// Writes the list to `path` atomically (the previous version kept as the backup).
    /// A file there that is not a project list is refused ([`ProjectError::Unreadable`])
    /// and left as it is: the user's hand edit is theirs to fix.
    pub fn save(&self, path: &Path) -> Result<(), ProjectError> {
        Self::load(path)?;
        let text = serde_json::to_string_pretty(self).expect("a project list serializes") + "\n";
        file::write(path, &text, false, Backup::PreviousVersion)?;
        Ok(())
    }

    /// The project named `name`.
    pub fn get(&self, name: &str) -> Option<&Project> {
        self.projects.iter().find(|project| project.name == name)
    }

    /// The chosen project, or the first when none is chosen.
    pub fn current(&self) -> Option<&Project> {
        self.chosen
            .as_deref()
            .and_then(|name| self.get(name))
            .or_else(|| self.projects.first())
    }

    /// The projects for `url` (several names may point at one server).
    pub fn for_url<'a>(&'a self, url: &'a ServerUrl) -> impl Iterator<Item = &'a Project> + 'a {
        let wanted = url.to_string();
        self.projects
            .iter()
            .filter(move |project| project.url == wanted)
    }

    /// The entry name to offer for a new project at `url`: `directus` for the first, then
    /// `directus-` and the host's first label (`staging.example.com` → `directus-staging`,
    /// `localhost:8056` → `directus-localhost`), with `-2`, `-3`, … when that is taken.
    pub fn suggest_name(&self, url: &ServerUrl) -> String {
        if self.get(FIRST_ENTRY_NAME).is_none() {
            return FIRST_ENTRY_NAME.to_owned();
        }
        let label: String = host_label(url)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let label = label.trim_matches('-');
        let mut base = if label.is_empty() {
            FIRST_ENTRY_NAME.to_owned()
        } else {
            format!("{FIRST_ENTRY_NAME}-{label}")
        };
        base.truncate(LONGEST_NAME - 4);
        if base != FIRST_ENTRY_NAME && self.get(&base).is_none() {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|name| self.get(name).is_none())
            .expect("some number is free")
    }

    /// Adds `project`, or replaces the project of the same name when it is for the same URL
    /// (keeping the clients it listed, plus any new ones). A name held by a project for
    /// another URL is refused: that project's entries would be overwritten.
    pub fn upsert(&mut self, project: Project) -> Result<(), ProjectError> {
        if !is_valid_name(&project.name) {
            return Err(ProjectError::InvalidName(project.name));
        }
        match self
            .projects
            .iter_mut()
            .find(|known| known.name == project.name)
        {
            Some(known) if known.url != project.url => Err(ProjectError::NameTaken {
                name: project.name,
                url: known.url.clone(),
            }),
            Some(known) => {
                let mut clients = std::mem::take(&mut known.clients);
                for client in project.clients.iter() {
                    if !clients.contains(client) {
                        clients.push(client.clone());
                    }
                }
                *known = Project { clients, ..project };
                Ok(())
            }
            None => {
                self.projects.push(project);
                Ok(())
            }
        }
    }

    /// Chooses the project named `name`.
    pub fn choose(&mut self, name: &str) -> Result<(), ProjectError> {
        if self.get(name).is_none() {
            return Err(ProjectError::Unknown(name.to_owned()));
        }
        self.chosen = Some(name.to_owned());
        Ok(())
    }

    /// Removes the project named `name` from the list (its client entries are the caller's
    /// to disconnect first), and returns it.
    pub fn remove(&mut self, name: &str) -> Result<Project, ProjectError> {
        let index = self
            .projects
            .iter()
            .position(|project| project.name == name)
            .ok_or_else(|| ProjectError::Unknown(name.to_owned()))?;
        if self.chosen.as_deref() == Some(name) {
            self.chosen = None;
        }
        Ok(self.projects.remove(index))
    }

    /// Records that `client` is connected to the project named `name` (no change when it
    /// is listed already, or when there is no such project).
    pub fn add_client(&mut self, name: &str, client: &str) {
        if let Some(project) = self.projects.iter_mut().find(|p| p.name == name)
            && !project.clients.iter().any(|known| known == client)
        {
            project.clients.push(client.to_owned());
        }
    }

    /// Records that `client` is no longer connected to the project named `name`.
    pub fn remove_client(&mut self, name: &str, client: &str) {
        if let Some(project) = self.projects.iter_mut().find(|p| p.name == name) {
            project.clients.retain(|known| known != client);
        }
    }
}

/// The clients (ids, as `clients` lists them) whose user settings hold `project`'s entry
/// (connected or stale): a project is forgotten only when none does. The CLI's
/// `projects remove` and the app ask this one question.
pub fn entries_held(
    env: &ClientEnvironment,
    project: &Project,
    store: &crate::secret_store::SecretStore,
) -> Result<Vec<String>, ProjectError> {
    use crate::clients::{ClientStatus, Expected, Scope, Target};
    let target = Target::new(&project.name, Scope::User, None)
        .map_err(|_| ProjectError::InvalidName(project.name.clone()))?;
    // A project's own URL: http:// to another host was allowed when it was set up.
    let server =
        ServerUrl::parse(&project.url, true).map_err(|error| ProjectError::InvalidUrl {
            name: project.name.clone(),
            reason: error.to_string(),
        })?;
    let expected = Expected::kept(&server, store);
    Ok(crate::clients::all()
        .iter()
        .filter(|client| {
            matches!(
                client.status(env, &target, &expected),
                Ok(ClientStatus::Connected { .. } | ClientStatus::Stale { .. })
            )
        })
        .map(|client| client.id().to_owned())
        .collect())
}

/// A project's entry in one client, in one word (`clients` across projects; the app maps
/// it onto its own badges).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryState {
    /// The entry is there and matches the project.
    Connected,
    /// The entry is there but out of date (another URL, an old token, …).
    Stale,
    /// The client is set up in its own window (web apps): nothing to read here.
    Manual,
    /// The project records the client, but no entry is found.
    Missing,
    /// No entry, and the project does not record the client.
    None,
}

impl EntryState {
    /// The state of a project's entry from the client's `status` for it, and whether the
    /// project records the client (`recorded`).
    pub fn of(status: Option<&crate::clients::ClientStatus>, recorded: bool) -> Self {
        use crate::clients::ClientStatus;
        match (status, recorded) {
            (Some(ClientStatus::Connected { .. }), _) => Self::Connected,
            (Some(ClientStatus::Stale { .. }), _) => Self::Stale,
            (Some(ClientStatus::ManualOnly), _) => Self::Manual,
            (_, true) => Self::Missing,
            (_, false) => Self::None,
        }
    }

    /// The word `clients` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connected => "connected",
            Self::Stale => "stale",
            Self::Manual => "manual",
            Self::Missing => "missing",
            Self::None => "none",
        }
    }
}

/// The first label of the URL's host (`staging` of `staging.example.com`); an IP address
/// or a one-label host is taken whole, and a sub-path install adds its last segment.
fn host_label(url: &ServerUrl) -> String {
    let parsed = url::Url::parse(&url.to_string()).expect("a ServerUrl is a URL");
    let host = parsed.host_str().unwrap_or_default();
    let is_ip = host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[');
    let label = if is_ip {
        host.trim_matches(['[', ']']).to_owned()
    } else {
        host.split('.').next().unwrap_or_default().to_owned()
    };
    match parsed
        .path_segments()
        .and_then(|mut segments| segments.rfind(|s| !s.is_empty()))
    {
        Some(segment) => format!("{label}-{segment}"),
        None => label,
    }
}

#[cfg(test)]
mod tests;
