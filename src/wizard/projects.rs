//! The side bar's projects (issue 25, item 1): the Directus projects this user set up, the
//! one the wizard acts on, naming a new one after sign-in, removing one, and which
//! projects each client card holds — the same `projects.json` as the command line.
//!
//! The app's earlier "recent instances" (`instances.json`) are read once as projects when
//! there is no `projects.json` yet, so there is one list, not two.

use serde::Serialize;
use ts_rs::TS;

use super::instances::{self, RememberedInstance};
use super::{ErrorField, WizardError};
use crate::clients::{
    self, ClientEnvironment, ClientOverview, ClientStatus, Expected, StaleCause, Target,
};
use crate::directus::ServerUrl;
use crate::directus::tool_mode::ToolMode;
use crate::projects::{self, FIRST_ENTRY_NAME, Project, ProjectError, ProjectList};
use crate::secret_store::SecretStore;

impl From<ProjectError> for WizardError {
    fn from(error: ProjectError) -> Self {
        let field = match error {
            ProjectError::InvalidName(_) | ProjectError::NameTaken { .. } => {
                ErrorField::ProjectName
            }
            _ => ErrorField::General,
        };
        Self {
            field,
            message: error.to_string(),
        }
    }
}

/// The project list of `env`; the remembered instances of `instances.json`, saved once as
/// projects, when there is no `projects.json` yet (see [`from_instances`]; the client
/// files' `directus` entries say which server gets that name).
pub fn load_in(env: &ClientEnvironment) -> Result<ProjectList, WizardError> {
    let path = projects::store_path_in(env);
    if path.exists() {
        return Ok(ProjectList::load(&path)?);
    }
    let list = migrated(env);
    if !list.projects.is_empty() {
        list.save(&path)?;
    }
    Ok(list)
}

/// The project list of `env` as [`load_in`] reads it, writing nothing (a preview's, or a
/// step's before its checks pass).
pub fn read_in(env: &ClientEnvironment) -> Result<ProjectList, WizardError> {
    let path = projects::store_path_in(env);
    if path.exists() {
        return Ok(ProjectList::load(&path)?);
    }
    Ok(migrated(env))
}

/// The project list `instances.json` becomes, not saved yet.
fn migrated(env: &ClientEnvironment) -> ProjectList {
    let remembered: Vec<RememberedInstance> =
        crate::config_edit::file::read(&instances::store_path_in(env))
            .ok()
            .flatten()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
    from_instances(&remembered, |url| first_name_holders(env, url))
}

/// Which clients hold an entry named `directus` (user scope), read from their files: those
/// pointing at a server, and those pointing at another URL. Before projects, every entry the
/// app wrote had that name and pointed at the server the user last connected clients to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirstNameHolders {
    /// The clients whose `directus` entry points at the server asked about.
    pub here: Vec<String>,
    /// The clients whose `directus` entry points at another URL.
    pub elsewhere: Vec<String>,
}

/// The clients of `env` holding a `directus` entry, for `server` or for another URL.
pub fn first_name_holders(env: &ClientEnvironment, server: &ServerUrl) -> FirstNameHolders {
    entry_holders(env, FIRST_ENTRY_NAME, server)
}

/// The clients of `env` holding an entry named `name` (user scope), for `server` or for
/// another URL — read from their files, as the cards read them.
pub fn entry_holders(env: &ClientEnvironment, name: &str, server: &ServerUrl) -> FirstNameHolders {
    let mut holders = FirstNameHolders::default();
    let Ok(target) = Target::new(name, clients::Scope::User, None) else {
        return holders;
    };
    let expected = Expected {
        mcp_url: server.mcp_endpoint(),
        token: None,
    };
    for connector in clients::all() {
        let id = connector.info().id.to_string();
        match connector.status(env, &target, &expected) {
            Ok(ClientStatus::Connected { .. }) => holders.here.push(id),
            Ok(ClientStatus::Stale { cause, .. }) => match cause {
                StaleCause::OtherUrl => holders.elsewhere.push(id),
                StaleCause::OldToken | StaleCause::MissingInSomeFiles => holders.here.push(id),
                // A URL holding a token (often this server's, leaked into the URL) is to be
                // replaced by connecting again, whichever server it names: not counted.
                StaleCause::OtherUrlHoldingAToken => {}
            },
            _ => {}
        }
    }
    holders
}

/// The name to offer `url` when `directus` is not free (taken, or held in the client files
/// by another server's entry): `directus-<host>`, numbered when taken.
fn other_name(list: &ProjectList, url: &ServerUrl) -> String {
    let mut probe = list.clone();
    if probe.get(FIRST_ENTRY_NAME).is_none() {
        probe
            .projects
            .push(new_project(FIRST_ENTRY_NAME.to_owned(), url, None));
    }
    probe.suggest_name(url)
}

/// The remembered instances (most recent first) as projects. `directus` (the name the app
/// gave every entry before projects) goes to the server the client files' `directus`
/// entries point at (`holders` reads them), with those clients recorded on it; when they
/// point at a server not remembered, no instance takes it; when no client holds one, the
/// most recent instance takes it. The others take `directus-<host>` names; an instance
/// that is not a URL any more is left out. The most recent is chosen.
pub fn from_instances(
    remembered: &[RememberedInstance],
    holders: impl Fn(&ServerUrl) -> FirstNameHolders,
) -> ProjectList {
    let mut urls: Vec<(ServerUrl, Option<String>)> = Vec::new();
    for instance in remembered {
        let Ok(url) = ServerUrl::parse(&instance.url, true) else {
            continue;
        };
        if urls.iter().all(|(known, _)| *known != url) {
            urls.push((url, instance.email.clone()));
        }
    }
    let read: Vec<FirstNameHolders> = urls.iter().map(|(url, _)| holders(url)).collect();
    let owner = read.iter().position(|found| !found.here.is_empty());
    let held_elsewhere = read.iter().any(|found| !found.elsewhere.is_empty());
    let owner = match owner {
        Some(index) => Some(index),
        None if held_elsewhere => None,
        None => (!urls.is_empty()).then_some(0),
    };
    let mut list = ProjectList::default();
    if let Some(index) = owner {
        let (url, email) = &urls[index];
        list.upsert(Project {
            clients: read[index].here.clone(),
            ..new_project(FIRST_ENTRY_NAME.to_owned(), url, email.clone())
        })
        .expect("the first name is valid and free");
    }
    for (index, (url, email)) in urls.iter().enumerate() {
        if Some(index) == owner {
            continue;
        }
        let name = other_name(&list, url);
        list.upsert(new_project(name, url, email.clone()))
            .expect("a suggested name is free and valid");
    }
    // In the order remembered, the most recent first and chosen.
    list.projects.sort_by_key(|project| {
        urls.iter()
            .position(|(url, _)| url.to_string() == project.url)
    });
    list.chosen = list.projects.first().map(|project| project.name.clone());
    list
}

/// A project just named: OAuth and every tool until a client is connected otherwise.
fn new_project(name: String, url: &ServerUrl, email: Option<String>) -> Project {
    Project {
        name,
        url: url.to_string(),
        auth: clients::AuthMode::Oauth,
        tool_mode: ToolMode::Full,
        template: None,
        email,
        clients: Vec::new(),
    }
}

/// Which project a sign-in acts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProjectSignIn {
    /// The project now chosen (its name is its client entries' name); `null` while a new
    /// project waits for the user to confirm its name.
    pub name: Option<String>,
    /// For a URL that is not a project yet (and not the first): the name to offer.
    pub suggested_name: Option<String>,
}

/// After signing in to `server` (as `email`): the chosen project if it is for this server,
/// else the first project for it, chosen now; the very first project is `directus`, made
/// now; any other new server waits for a name the user confirms
/// ([`confirm_name`]), offered as [`ProjectSignIn::suggested_name`].
pub fn after_sign_in(
    env: &ClientEnvironment,
    server: &ServerUrl,
    email: Option<String>,
) -> Result<ProjectSignIn, WizardError> {
    let path = projects::store_path_in(env);
    let mut list = load_in(env)?;
    let url = server.to_string();
    let name = match list.current().filter(|project| project.url == url) {
        Some(project) => Some(project.name.clone()),
        None => list
            .for_url(server)
            .next()
            .map(|project| project.name.clone()),
    };
    let name = match name {
        Some(name) => name,
        None => {
            // `directus` is this server's only if no client's `directus` entry points at
            // another server: that entry is another project's, not to be rewritten.
            let holders = first_name_holders(env, server);
            if list.projects.is_empty() && holders.elsewhere.is_empty() {
                list.upsert(Project {
                    clients: holders.here,
                    ..new_project(FIRST_ENTRY_NAME.to_owned(), server, None)
                })?;
                FIRST_ENTRY_NAME.to_owned()
            } else {
                let suggested = if holders.elsewhere.is_empty() {
                    list.suggest_name(server)
                } else {
                    other_name(&list, server)
                };
                return Ok(ProjectSignIn {
                    name: None,
                    suggested_name: Some(suggested),
                });
            }
        }
    };
    list.choose(&name)?;
    if let Some(email) = email
        && let Some(project) = list.projects.iter_mut().find(|p| p.name == name)
    {
        project.email = Some(email);
    }
    list.save(&path)?;
    Ok(ProjectSignIn {
        name: Some(name),
        suggested_name: None,
    })
}

/// Names the signed-in `server` as a new project `name` (as typed: trimmed, then checked)
/// and chooses it; a name another URL holds is refused, and the list is left as it was.
pub fn confirm_name(
    env: &ClientEnvironment,
    server: &ServerUrl,
    name: &str,
    email: Option<String>,
) -> Result<ProjectList, WizardError> {
    let path = projects::store_path_in(env);
    let mut list = load_in(env)?;
    let name = name.trim();
    let known = list
        .get(name)
        .filter(|project| project.url == server.to_string());
    if known.is_none() && name == FIRST_ENTRY_NAME {
        let holders = first_name_holders(env, server);
        if !holders.elsewhere.is_empty() {
            return Err(WizardError {
                field: ErrorField::ProjectName,
                message: format!(
                    "\"{FIRST_ENTRY_NAME}\" is the name of another server's entry in {}: naming this project so would rewrite it; choose another name",
                    holders.elsewhere.join(", ")
                ),
            });
        }
    }
    if known.is_none() {
        list.upsert(new_project(name.to_owned(), server, email))?;
    }
    list.choose(name)?;
    list.save(&path)?;
    Ok(list)
}

/// Chooses the project `name` (the side bar's switcher) and returns it.
pub fn choose(env: &ClientEnvironment, name: &str) -> Result<Project, WizardError> {
    let mut list = load_in(env)?;
    list.choose(name)?;
    list.save(&projects::store_path_in(env))?;
    Ok(list.get(name).expect("just chosen").clone())
}

/// Removes the project `name` from the list. A project that still has clients connected —
/// recorded, or holding its entry in their files (a migrated project records none) — is
/// kept: their entries would be left behind with nobody to check or disconnect them.
pub fn remove(env: &ClientEnvironment, name: &str) -> Result<ProjectList, WizardError> {
    let mut list = load_in(env)?;
    let project = list
        .get(name)
        .ok_or(ProjectError::Unknown(name.to_owned()))?;
    let mut connected = project.clients.clone();
    if let Ok(url) = project_url(project) {
        for client in entry_holders(env, name, &url).here {
            if !connected.contains(&client) {
                connected.push(client);
            }
        }
    }
    if !connected.is_empty() {
        return Err(WizardError {
            field: ErrorField::General,
            message: format!(
                "\"{name}\" still has clients connected ({}): switch to it and disconnect them on the Clients screen first, then remove it",
                connected.join(", ")
            ),
        });
    }
    list.remove(name)?;
    list.save(&projects::store_path_in(env))?;
    Ok(list)
}

/// The name of the project the wizard acts on: `shown`, the project the window shows (kept
/// by the app since its sign-in, naming or switch — never re-read from `chosen`, which the
/// command line may change meanwhile). It must still exist and be for the signed-in
/// `server`; `None` is a new server not named yet (named on the Connect screen).
pub fn acting_name(
    env: &ClientEnvironment,
    server: &ServerUrl,
    shown: Option<&str>,
) -> Result<String, WizardError> {
    let Some(name) = shown else {
        return Err(WizardError {
            field: ErrorField::General,
            message: format!(
                "{server} is not a project yet: confirm its name on the Connect screen (step 1), then try again"
            ),
        });
    };
    let list = load_in(env)?;
    match list.get(name) {
        Some(project) if project.url == server.to_string() => Ok(project.name.clone()),
        Some(project) => Err(WizardError {
            field: ErrorField::General,
            message: format!(
                "the project \"{name}\" is now for {}, not the signed-in {server} (changed meanwhile, perhaps from the command line): choose a project in the side bar, then try again",
                project.url
            ),
        }),
        None => Err(WizardError {
            field: ErrorField::General,
            message: format!(
                "the project \"{name}\" was removed meanwhile (perhaps from the command line): choose a project in the side bar, then try again"
            ),
        }),
    }
}

/// Records on the project `name` that `client` was connected (with `auth` and
/// `tool_mode`, the project's choice from now on) or, with `connected` false, disconnected.
pub fn record_client(
    env: &ClientEnvironment,
    name: &str,
    client: &str,
    connected: Option<(clients::AuthMode, ToolMode)>,
) -> Result<(), WizardError> {
    let mut list = load_in(env)?;
    match connected {
        Some((auth, tool_mode)) => {
            list.add_client(name, client);
            if let Some(project) = list.projects.iter_mut().find(|p| p.name == name) {
                project.auth = auth;
                project.tool_mode = tool_mode;
            }
        }
        None => list.remove_client(name, client),
    }
    list.save(&projects::store_path_in(env))?;
    Ok(())
}

/// How one project's entry looks in one client's settings, read from the files only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum EntryState {
    /// The entry is there and points at the project's URL with current values.
    Present,
    /// The entry is there with another URL or an old token.
    Stale,
    /// The project lists the client, but its entry is gone.
    Missing,
}

/// One project a client holds (or should hold).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProjectEntry {
    /// The project's name (its entry's name in the client).
    pub project: String,
    /// The project's URL.
    pub url: String,
    /// Whether the entry is there and current.
    pub state: EntryState,
    /// What is out of date, for a stale entry.
    pub detail: Option<String>,
    /// Whether the entry keeps a token in the client's settings (a rotation of the URL's
    /// token must rewrite it: projects on one URL share one token).
    pub holds_token: bool,
    /// The tools the entry lists (its URL's `tool_mode`), for an entry in place.
    pub tool_mode: Option<ToolMode>,
    /// Whether this is the project the window acts on.
    pub acting: bool,
}

/// A client's card: its overview for the chosen project, and every project it holds.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ClientCard {
    /// The client, its status for the chosen project.
    #[serde(flatten)]
    pub overview: ClientOverview,
    /// The projects whose entry it has, or which list it as connected.
    pub projects: Vec<ProjectEntry>,
}

/// The state of `project`'s entry in `status`, or `None` when the client neither has the
/// entry nor is listed by the project.
pub fn entry_state(project: &Project, client: &str, status: &ClientStatus) -> Option<ProjectEntry> {
    let (state, detail) = match status {
        ClientStatus::Connected { .. } => (EntryState::Present, None),
        ClientStatus::Stale { reason, .. } => (
            EntryState::Stale,
            Some(reason.clone()).filter(|reason| !reason.is_empty()),
        ),
        ClientStatus::Installed | ClientStatus::NotInstalled
            if project.clients.iter().any(|known| known == client) =>
        {
            (EntryState::Missing, None)
        }
        _ => return None,
    };
    let (holds_token, tool_mode) = match status {
        ClientStatus::Connected {
            auth, tool_mode, ..
        } => (
            matches!(auth, clients::status::FoundAuth::InlineToken(_)),
            Some(*tool_mode),
        ),
        ClientStatus::Stale { cause, .. } => (cause.holds_a_token(), None),
        _ => (false, None),
    };
    Some(ProjectEntry {
        project: project.name.clone(),
        url: project.url.clone(),
        state,
        detail,
        holds_token,
        tool_mode,
        acting: false,
    })
}

/// Every client's card for the project `acting` (its overview as before) with the projects
/// each one holds: every project's entry read from the files, its expected values from the
/// project's URL and the token kept for it — no server is asked.
pub fn cards(
    env: &ClientEnvironment,
    store: &SecretStore,
    list: &ProjectList,
    acting: &Project,
) -> Result<Vec<ClientCard>, WizardError> {
    let server = project_url(acting)?;
    let overview = clients::overview(
        env,
        &Target::new(&acting.name, clients::Scope::User, None)?,
        &Expected::kept(&server, store),
    );
    let others: Vec<(&Project, Target, Expected)> = list
        .projects
        .iter()
        .filter(|project| project.name != acting.name)
        .filter_map(|project| {
            let url = project_url(project).ok()?;
            let target = Target::new(&project.name, clients::Scope::User, None).ok()?;
            Some((project, target, Expected::kept(&url, store)))
        })
        .collect();
    Ok(overview
        .into_iter()
        .map(|overview| {
            let id = overview.info.id.clone();
            let connector = clients::find(&id).ok();
            let mut projects = Vec::new();
            for project in &list.projects {
                let status = if project.name == acting.name {
                    // The card's own status says what is out of date: not twice.
                    overview.status.clone().map(|status| match status {
                        ClientStatus::Stale { cause, file, .. } => ClientStatus::Stale {
                            cause,
                            reason: String::new(),
                            file,
                        },
                        status => status,
                    })
                } else {
                    others
                        .iter()
                        .find(|(other, _, _)| other.name == project.name)
                        .and_then(|(_, target, expected)| {
                            connector.and_then(|c| c.status(env, target, expected).ok())
                        })
                };
                if let Some(entry) = status.and_then(|s| entry_state(project, &id, &s)) {
                    projects.push(ProjectEntry {
                        acting: project.name == acting.name,
                        ..entry
                    });
                }
            }
            ClientCard { overview, projects }
        })
        .collect())
}

/// How one project's entry in a client came out when the card's Check proved it: the same
/// proof as `clients --check` for that project (its URL, its entry's name, the token kept
/// for its URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProjectCheck {
    /// The project's name (its entry's name in the client).
    pub project: String,
    /// Works, fails, or signs in in the client (OAuth).
    pub outcome: clients::check::CheckOutcome,
    /// What was found, in words (why it fails).
    pub detail: String,
}

/// One project's entry to prove: its entry's name and the values it should hold.
pub struct EntryToCheck {
    /// The project's name.
    pub project: String,
    /// The project's URL.
    pub server: ServerUrl,
    /// Its entry (user scope, under the project's name).
    pub target: Target,
    /// What the entry should hold (the token kept for the project's URL).
    pub expected: Expected,
}

/// The projects whose entry `client` holds (in place or out of date), in the list's order,
/// with the values each should hold — what the card's Check proves. A project listing the
/// client whose entry is gone has nothing to prove. Reads the files and the keyring: blocks.
pub fn entries_to_check(
    env: &ClientEnvironment,
    store: &SecretStore,
    list: &ProjectList,
    client: &dyn clients::ClientConnector,
) -> Vec<EntryToCheck> {
    list.projects
        .iter()
        .filter_map(|project| {
            let server = project_url(project).ok()?;
            let target = Target::new(&project.name, clients::Scope::User, None).ok()?;
            let expected = Expected::kept(&server, store);
            let status = client.status(env, &target, &expected).ok()?;
            matches!(
                status,
                ClientStatus::Connected { .. } | ClientStatus::Stale { .. }
            )
            .then(|| EntryToCheck {
                project: project.name.clone(),
                server,
                target,
                expected,
            })
        })
        .collect()
}

/// Proves each of `entries` in `client` with an MCP handshake (as `clients --check`), the
/// client's own command started by `runner`; the acting project's entry takes `acting`, the
/// check the window already made, rather than a second one.
pub async fn check_entries(
    env: &ClientEnvironment,
    client: &dyn clients::ClientConnector,
    entries: &[EntryToCheck],
    acting: &clients::check::ClientCheck,
    acting_name: &str,
    runner: std::sync::Arc<dyn clients::ProgramRunner>,
) -> Vec<ProjectCheck> {
    let mut checks = Vec::new();
    for entry in entries {
        let proof = if entry.project == acting_name {
            acting.clone()
        } else {
            match crate::directus::DirectusClient::new(entry.server.clone()) {
                Ok(directus) => {
                    clients::check::check(
                        client,
                        env,
                        &entry.target,
                        &entry.expected,
                        &directus,
                        runner.clone(),
                    )
                    .await
                }
                Err(error) => clients::check::ClientCheck {
                    id: client.id().to_owned(),
                    name: client.name().to_owned(),
                    outcome: clients::check::CheckOutcome::Fails,
                    detail: error.to_string(),
                    tools: Vec::new(),
                    client_says: None,
                },
            }
        };
        checks.push(ProjectCheck {
            project: entry.project.clone(),
            outcome: proof.outcome,
            detail: proof.detail,
        });
    }
    checks
}

/// The project's URL as a [`ServerUrl`] (plain http allowed: it was allowed when added).
fn project_url(project: &Project) -> Result<ServerUrl, WizardError> {
    ServerUrl::parse(&project.url, true).map_err(|error| WizardError {
        field: ErrorField::General,
        message: format!(
            "the project \"{}\" has a URL that is not usable ({error}): remove it and add it again",
            project.name
        ),
    })
}

#[cfg(test)]
mod tests;
