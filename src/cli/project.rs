//! Which project a command acts on: `--project NAME` (or DIRECTUS_MCP_PROJECT), else the
//! single project for `--url`, else (no `--url`) the chosen one. The project gives the URL
//! when `--url` is absent, the name of its client entries, and `connect`'s defaults.

use std::path::PathBuf;

use super::CliError;
use super::args::ConnectionArgs;
use crate::clients::AuthMode;
use crate::directus::tool_mode::ToolMode;
use crate::directus::{DirectusError, ServerUrl};
use crate::projects::{self, FIRST_ENTRY_NAME, Project, ProjectError, ProjectList};

/// A command line with its project worked out.
#[derive(Debug, Clone)]
pub(crate) struct Context {
    /// How to reach Directus: `--url` is the project's when it was not given.
    pub connection: ConnectionArgs,
    /// The project the command acts on, when one is known.
    pub project: Option<Project>,
    /// Whether neither `--url` nor `--project` was given (`clients` then lists every project).
    pub nothing_named: bool,
    /// Every project (empty when there is no list yet).
    pub list: ProjectList,
    /// Why no project is known when `--url` is the URL of several projects and none is
    /// chosen: a command that needs the project (its entry name, `export`) says this.
    pub ambiguous: Option<String>,
}

/// What reading another project's entries as this URL's would do.
const READING: &str = "they are read here as pointing elsewhere, and are not this URL's entries";

/// Works out the project of `connection`. `--project` naming no project, or a `--url` that
/// is not its URL, is an error (a URL that came only from DIRECTUS_URL gives way to an
/// explicit `--project`); so is a `--url` several projects share when none of them is
/// chosen, and a damaged project list when the list is needed (`needs_list`: the command
/// reads or writes client entries; `--project`; or no `--url`). Otherwise, with `--url`, a
/// damaged list is only a warning.
pub(crate) fn resolve(connection: ConnectionArgs, needs_list: bool) -> Result<Context, CliError> {
    let mut connection = connection;
    let project_given = connection
        .project
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned);
    // An explicit --project wins over a URL from the environment: it gives the URL.
    if project_given.is_some() && connection.url_from_env && !connection.project_from_env {
        connection.url = None;
    }
    let url_given = connection
        .url
        .as_deref()
        .map(str::trim)
        .filter(|url| !url.is_empty())
        .map(str::to_owned);
    let list = match (&project_given, &url_given) {
        (None, Some(_)) if !needs_list => load().unwrap_or_else(|error| {
            eprintln!("warning: {}", super::one_line(&error.to_string()));
            ProjectList::default()
        }),
        _ => load()?,
    };
    let mut ambiguous = None;
    let project = match (&project_given, &url_given) {
        (Some(name), url) => {
            let project = list.get(name).cloned().ok_or_else(|| {
                if connection.project_from_env {
                    CliError::Usage(format!(
                        "DIRECTUS_MCP_PROJECT names the project \"{name}\", and there is none of that name (`directus-mcp-setup projects` lists them): unset the variable or set it to one of them"
                    ))
                } else {
                    ProjectError::Unknown(name.clone()).into()
                }
            })?;
            if let Some(url) = url {
                let given = ServerUrl::parse(url, connection.allow_insecure_http)
                    .map_err(DirectusError::from)?;
                if given.to_string() != project.url {
                    let named_by = if connection.project_from_env {
                        "DIRECTUS_MCP_PROJECT names"
                    } else {
                        "--project names"
                    };
                    return Err(CliError::Usage(format!(
                        "--url {url} is not the URL of the project \"{name}\" ({}), which {named_by}: leave out --url (or DIRECTUS_URL), or name the project of that URL",
                        project.url
                    )));
                }
            }
            Some(project)
        }
        (None, Some(url)) => match ServerUrl::parse(url, connection.allow_insecure_http) {
            Ok(server) => {
                let for_url: Vec<&Project> = list.for_url(&server).collect();
                match for_url.as_slice() {
                    [only] => Some((*only).clone()),
                    [] => None,
                    several => match several
                        .iter()
                        .find(|project| list.chosen.as_deref() == Some(project.name.as_str()))
                    {
                        Some(chosen) => Some((*chosen).clone()),
                        None => {
                            let names: Vec<&str> =
                                several.iter().map(|p| p.name.as_str()).collect();
                            ambiguous = Some(format!(
                                "several projects are set up for {server} ({}) and none is chosen: name one with --project NAME",
                                names.join(", ")
                            ));
                            None
                        }
                    },
                }
            }
            // The command reports the bad URL itself.
            Err(_) => None,
        },
        (None, None) => list.current().cloned(),
    };
    if url_given.is_none()
        && let Some(project) = &project
    {
        connection.url = Some(project.url.clone());
    }
    Ok(Context {
        connection,
        project,
        nothing_named: project_given.is_none() && url_given.is_none(),
        ambiguous,
        list,
    })
}

/// The command line as it is, with no project worked out (for `projects`, which works on
/// the list itself).
pub(crate) fn unresolved(connection: ConnectionArgs) -> Context {
    let nothing_named = connection.project.is_none()
        && connection
            .url
            .as_deref()
            .is_none_or(|url| url.trim().is_empty());
    Context {
        connection,
        project: None,
        nothing_named,
        ambiguous: None,
        list: ProjectList::default(),
    }
}

/// The project list of this user (empty when there is no file, or no home folder).
pub(crate) fn load() -> Result<ProjectList, ProjectError> {
    match projects::store_path() {
        Ok(path) => ProjectList::load(&path),
        Err(_) => Ok(ProjectList::default()),
    }
}

/// Loads the list afresh, changes it, and saves it.
pub(crate) fn update<T>(
    change: impl FnOnce(&mut ProjectList) -> Result<T, ProjectError>,
) -> Result<T, ProjectError> {
    let path: PathBuf = projects::store_path()?;
    let mut list = ProjectList::load(&path)?;
    let value = change(&mut list)?;
    list.save(&path)?;
    Ok(value)
}

impl Context {
    /// The name of the client entries: `given` (`--name`), else the project's, else
    /// `directus`.
    pub fn entry_name(&self, given: Option<&str>) -> String {
        given
            .map(str::to_owned)
            .or_else(|| self.project.as_ref().map(|project| project.name.clone()))
            .unwrap_or_else(|| FIRST_ENTRY_NAME.to_owned())
    }

    /// How `connect` signs clients in: `given`, else the project's, else OAuth.
    pub fn auth(&self, given: Option<AuthMode>) -> AuthMode {
        given
            .or_else(|| self.project.as_ref().map(|project| project.auth))
            .unwrap_or(AuthMode::Oauth)
    }

    /// Which tools `connect` gives: `given`, else the project's, else every tool.
    pub fn tool_mode(&self, given: Option<ToolMode>) -> ToolMode {
        given
            .or_else(|| self.project.as_ref().map(|project| project.tool_mode))
            .unwrap_or_default()
    }

    /// Refuses, before anything is read or written, entries named `name` for `server` when a
    /// project of that name is for another URL: they are that project's. `doing` says what
    /// the command would do to them (`connecting would replace them`).
    pub fn check_name_is_for(
        &self,
        name: &str,
        server: &ServerUrl,
        doing: &str,
    ) -> Result<(), CliError> {
        match self.list.get(name) {
            Some(project) if project.url != server.to_string() => Err(CliError::Usage(format!(
                "the client entries named \"{name}\" belong to the project \"{name}\" ({}), not to {server}: {doing}. Use --project, or another --name for {server} (`projects add --url {server}` suggests one)",
                project.url
            ))),
            _ => Ok(()),
        }
    }

    /// The name of the client entries (see [`Context::entry_name`]), refused when it is
    /// the name of a project for another URL than the command's (see
    /// [`Context::check_name_is_for`]). A URL that does not parse is the command's to report.
    pub fn entry_name_checked(&self, given: Option<&str>, doing: &str) -> Result<String, CliError> {
        if let (None, Some(ambiguous)) = (given, &self.ambiguous) {
            return Err(CliError::Usage(ambiguous.clone()));
        }
        let name = self.entry_name(given);
        if let Some(url) = self
            .connection
            .url
            .as_deref()
            .filter(|url| !url.trim().is_empty())
            && let Ok(server) = ServerUrl::parse(url.trim(), self.connection.allow_insecure_http)
        {
            self.check_name_is_for(&name, &server, doing)?;
        }
        Ok(name)
    }

    /// The name of the client entries to read (`clients`, `doctor`): as
    /// [`Context::entry_name_checked`], but entries of a project for another URL are read
    /// (they show as pointing elsewhere) with a warning that they are that project's.
    pub fn entry_name_to_read(&self, given: Option<&str>) -> Result<String, CliError> {
        match self.entry_name_checked(given, READING) {
            Err(CliError::Usage(message)) if self.ambiguous.is_none() || given.is_some() => {
                eprintln!("warning: {}", super::one_line(&message));
                Ok(self.entry_name(given))
            }
            other => other,
        }
    }
}

/// Records a connection made in the user's settings: the project `name` for `server`
/// (added with `auth`, `tool_mode` and `email` when new; otherwise its sign-in and tool
/// mode become the ones this connection used, as the app records them), and `client` among
/// its clients. The entry is written already: a list that cannot be saved is a warning.
pub(crate) fn record_connected(
    name: &str,
    server: &ServerUrl,
    auth: AuthMode,
    tool_mode: ToolMode,
    email: Option<&str>,
    client: &str,
) {
    let recorded = update(|list| {
        if let Some(known) = list.get(name).cloned() {
            if known.auth != auth || known.tool_mode != tool_mode {
                list.upsert(Project {
                    auth,
                    tool_mode,
                    ..known
                })?;
            }
        } else {
            list.upsert(Project {
                name: name.to_owned(),
                url: server.to_string(),
                auth,
                tool_mode,
                template: None,
                email: email
                    .map(str::trim)
                    .filter(|e| !e.is_empty())
                    .map(str::to_owned),
                clients: Vec::new(),
            })?;
        }
        list.add_client(name, client);
        Ok(())
    });
    if let Err(error) = recorded {
        eprintln!(
            "warning: the connection was made, but the project list could not record it: {}",
            super::one_line(&error.to_string())
        );
    }
}

/// Records that `client` no longer holds the entry named `name` (a warning when the list
/// cannot be saved: the entry is gone already).
pub(crate) fn record_disconnected(name: &str, client: &str) {
    let known = load()
        .map(|list| {
            list.get(name)
                .is_some_and(|p| p.clients.iter().any(|c| c == client))
        })
        .unwrap_or(false);
    if !known {
        return;
    }
    if let Err(error) = update(|list| {
        list.remove_client(name, client);
        Ok(())
    }) {
        eprintln!(
            "warning: the client was disconnected, but the project list could not record it: {}",
            super::one_line(&error.to_string())
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(name: &str, url: &str) -> Project {
        Project {
            name: name.to_owned(),
            url: url.to_owned(),
            auth: AuthMode::Token,
            tool_mode: ToolMode::Registry,
            template: None,
            email: None,
            clients: Vec::new(),
        }
    }

    fn context(project: Option<Project>) -> Context {
        let mut list = ProjectList::default();
        list.projects
            .push(self::project("directus", "https://a.example.com"));
        Context {
            connection: <super::super::args::Cli as clap::Parser>::parse_from(["x", "status"])
                .connection,
            project,
            nothing_named: true,
            list,
            ambiguous: None,
        }
    }

    #[test]
    fn the_entry_name_is_the_given_one_then_the_projects_then_directus() {
        let staging = context(Some(project("directus-staging", "https://b.example.com")));
        assert_eq!(staging.entry_name(None), "directus-staging");
        assert_eq!(staging.entry_name(Some("mine")), "mine");
        assert_eq!(context(None).entry_name(None), "directus");
    }

    #[test]
    fn connect_defaults_to_the_projects_sign_in_and_tool_mode_unless_given() {
        let staging = context(Some(project("directus-staging", "https://b.example.com")));
        assert_eq!(staging.auth(None), AuthMode::Token);
        assert_eq!(staging.auth(Some(AuthMode::Oauth)), AuthMode::Oauth);
        assert_eq!(staging.tool_mode(None), ToolMode::Registry);
        assert_eq!(staging.tool_mode(Some(ToolMode::Full)), ToolMode::Full);
        assert_eq!(context(None).auth(None), AuthMode::Oauth);
        assert_eq!(context(None).tool_mode(None), ToolMode::Full);
    }

    #[test]
    fn entries_named_after_a_project_of_another_url_are_refused() {
        let other = ServerUrl::parse("https://b.example.com", false).unwrap();
        let same = ServerUrl::parse("https://a.example.com", false).unwrap();
        assert!(
            context(None)
                .check_name_is_for("directus", &other, "x")
                .is_err()
        );
        assert!(
            context(None)
                .check_name_is_for("directus", &same, "x")
                .is_ok()
        );
        assert!(context(None).check_name_is_for("free", &other, "x").is_ok());
    }
}
