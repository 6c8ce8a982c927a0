//! What the user asks for: which Directus, which entry name, how to authenticate, where.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

use super::error::ClientError;
use crate::config_edit::file;
use crate::secret::SecretString;

/// How the client authenticates to Directus' MCP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    /// The client signs in through the browser (MCP OAuth); only the URL is configured.
    Oauth,
    /// The client sends the MCP user's static token.
    Token,
}

/// Whose configuration gets the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The user's own settings, for every project.
    User,
    /// One project's settings file (shared with whoever shares the project).
    Project,
}

impl Scope {
    /// The word used on the command line and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Project => "project",
        }
    }
}

/// Which entry, in whose configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The server's name in the client (`directus` unless chosen).
    pub name: String,
    /// User or project settings.
    pub scope: Scope,
    /// The project folder, for [`Scope::Project`]: absolute, every link in it resolved
    /// (the folder a project's files must stay inside).
    pub project_dir: Option<PathBuf>,
    /// The entry names of the other Directus projects set up here. A file that already
    /// holds one of them gets no new backup when this entry goes in: that version holds
    /// the other project's entry, perhaps with its token, and a backup must never keep a
    /// token (the backup there is, from before any of our entries, stays).
    pub other_projects: Vec<String>,
}

impl Target {
    /// A target, with the name checked: letters, digits, `-` and `_`, at most 64. For
    /// project scope the folder must exist; it is kept in its canonical form (a relative
    /// one is taken from the current folder).
    pub fn new(
        name: &str,
        scope: Scope,
        project_dir: Option<PathBuf>,
    ) -> Result<Self, ClientError> {
        let valid = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return Err(ClientError::InvalidName(name.to_owned()));
        }
        let project_dir = match (scope, project_dir) {
            (Scope::Project, None) => return Err(ClientError::ProjectDirRequired),
            (Scope::Project, Some(dir)) => Some(
                file::canonical_folder(&dir).map_err(|_| ClientError::ProjectDirMissing(dir))?,
            ),
            (Scope::User, dir) => dir,
        };
        Ok(Self {
            name: name.to_owned(),
            scope,
            project_dir,
            other_projects: Vec::new(),
        })
    }

    /// This target, knowing the entry names of the other projects set up here (see
    /// [`Target::other_projects`]); its own name is left out.
    pub fn with_other_projects<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.other_projects = names
            .into_iter()
            .map(Into::into)
            .filter(|name| *name != self.name)
            .collect();
        self
    }

    /// The project folder (checked to be set for project scope by [`Target::new`]).
    pub(crate) fn project(&self) -> Result<&PathBuf, ClientError> {
        self.project_dir
            .as_ref()
            .ok_or(ClientError::ProjectDirRequired)
    }

    /// The project's file at `relative`, checked to stay inside the project: a symbolic
    /// link on the way that leads out of it (a cloned repository's `.cursor -> /elsewhere`,
    /// or a link to a user settings file) is refused, naming the link, before anything is
    /// read or written.
    pub(crate) fn project_file(&self, relative: &str) -> Result<PathBuf, ClientError> {
        let folder = self.project()?;
        let path = folder.join(relative);
        file::resolve_within(&path, folder)?;
        Ok(path)
    }
}

/// The variable a project's shared settings file reads the token from, unless
/// `--token-env-var` names another: the token itself is never written into a project.
pub const SHARED_TOKEN_VARIABLE: &str = "DIRECTUS_MCP_TOKEN";

/// A request to connect one client.
#[derive(Debug, Clone)]
pub struct ConnectRequest {
    /// Which entry, where.
    pub target: Target,
    /// Directus' MCP endpoint, `https://HOST/mcp`.
    pub mcp_url: Url,
    /// OAuth or static token.
    pub auth: AuthMode,
    /// The MCP user's token, for [`AuthMode::Token`] (from the OS keyring, usually).
    pub token: Option<SecretString>,
    /// VS Code: write the token into the file instead of asking for it when the server starts.
    pub inline_token: bool,
    /// Codex: read the token from this environment variable instead of the file.
    pub token_env_var: Option<String>,
    /// What the token may do, as Directus said; only clients that would put the token in
    /// a URL need it (an administrator token is never put in one).
    pub token_access: TokenAccess,
    /// What a client that starts only local (stdio) servers runs to reach Directus with a
    /// token (Claude Desktop).
    pub stdio_bridge: StdioBridge,
    /// OAuth through our stdio bridge (it signs in itself) rather than the client's own
    /// connector settings, for clients that start only local servers.
    pub oauth_via_bridge: bool,
}

/// The local program a stdio-only client starts to reach Directus with a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StdioBridge {
    /// Our own `directus-mcp-setup bridge` at this absolute path: it reads the token from
    /// the OS keyring, so the client's file holds nothing secret and needs no Node.js.
    Builtin(PathBuf),
    /// `npx -y mcp-remote` with the token in the entry's environment (needs Node.js).
    McpRemote,
    /// Our bridge was asked for but cannot be found; why, and what to do.
    Missing(String),
}

impl Default for StdioBridge {
    fn default() -> Self {
        Self::Missing(
            "the path of the directus-mcp-setup command-line tool is not known here".into(),
        )
    }
}

impl StdioBridge {
    /// Our bridge at `program` when it is an existing absolute file, else why not.
    pub fn builtin(program: Option<PathBuf>) -> Self {
        match program {
            Some(path) if path.is_absolute() && path.is_file() => Self::Builtin(path),
            Some(path) => Self::Missing(format!(
                "the command-line tool is not at {}",
                path.display()
            )),
            None => Self::default(),
        }
    }
}

/// How far a static token reaches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TokenAccess {
    /// Not asked (yet): such a token is not put into a URL.
    #[default]
    Unchecked,
    /// Directus could not be asked; why.
    Unknown(String),
    /// A limited (non-admin) token.
    Limited,
    /// A token with admin access.
    Admin,
}

impl ConnectRequest {
    /// The token, or an error telling how to get one, when the request uses one.
    pub(crate) fn token_for(&self, client: &str) -> Result<&SecretString, ClientError> {
        self.token
            .as_ref()
            .ok_or_else(|| ClientError::TokenRequired {
                client: client.to_owned(),
            })
    }

    /// The `Authorization` header value: none for OAuth, `Bearer <token>` for a token.
    pub(crate) fn authorization(&self, client: &str) -> Result<Option<String>, ClientError> {
        match self.auth {
            AuthMode::Oauth => Ok(None),
            AuthMode::Token => self.bearer(client).map(Some),
        }
    }

    /// The environment variable to read the token from, checked to be a valid name.
    pub(crate) fn env_var(&self) -> Result<Option<&str>, ClientError> {
        match self.token_env_var.as_deref() {
            None => Ok(None),
            Some(name)
                if !name.is_empty()
                    && !name.starts_with(|c: char| c.is_ascii_digit())
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                Ok(Some(name))
            }
            Some(name) => Err(ClientError::InvalidEnvVar(name.to_owned())),
        }
    }

    /// The `Authorization` value for a file shared with a project (and so committed): never
    /// the token itself, but `Bearer ` and a reference to the variable holding it, written
    /// the way the client resolves it (`reference("VAR")`, e.g. `${env:VAR}`).
    pub(crate) fn shared_authorization(
        &self,
        reference: impl Fn(&str) -> String,
    ) -> Result<Option<String>, ClientError> {
        Ok(match self.auth {
            AuthMode::Oauth => None,
            AuthMode::Token => Some(format!(
                "Bearer {}",
                reference(self.env_var()?.unwrap_or(SHARED_TOKEN_VARIABLE))
            )),
        })
    }

    /// The `Authorization` value for the target's file: the token in user scope, a
    /// reference to [`SHARED_TOKEN_VARIABLE`] (or `--token-env-var`) in project scope.
    pub(crate) fn scoped_authorization(
        &self,
        client: &str,
        reference: impl Fn(&str) -> String,
    ) -> Result<Option<String>, ClientError> {
        match self.target.scope {
            Scope::User => self.authorization(client),
            Scope::Project => self.shared_authorization(reference),
        }
    }

    /// Whether the target's file will hold the token itself (user scope, token mode).
    pub(crate) fn token_in_user_file(&self) -> bool {
        self.auth == AuthMode::Token && self.target.scope == Scope::User
    }

    /// `Bearer <token>`.
    pub(crate) fn bearer(&self, client: &str) -> Result<String, ClientError> {
        Ok(format!("Bearer {}", self.token_for(client)?.expose()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_scope_needs_an_existing_folder() {
        assert!(matches!(
            Target::new("directus", Scope::Project, None),
            Err(ClientError::ProjectDirRequired)
        ));
        assert!(matches!(
            Target::new("directus", Scope::Project, Some("/no/such/folder".into())),
            Err(ClientError::ProjectDirMissing(_))
        ));
        let dir = tempfile::tempdir().unwrap();
        assert!(Target::new("directus", Scope::Project, Some(dir.path().into())).is_ok());
        let a_file = dir.path().join("notes.txt");
        std::fs::write(&a_file, "x").unwrap();
        assert!(matches!(
            Target::new("directus", Scope::Project, Some(a_file)),
            Err(ClientError::ProjectDirMissing(_))
        ));
        assert!(matches!(
            Target::new("a b", Scope::User, None),
            Err(ClientError::InvalidName(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn the_project_folder_is_kept_canonical() {
        let dir = tempfile::tempdir().unwrap();
        let real = file::canonical_folder(dir.path()).unwrap();
        std::fs::create_dir(real.join("repo")).unwrap();
        std::os::unix::fs::symlink(real.join("repo"), real.join("shortcut")).unwrap();
        let target =
            Target::new("directus", Scope::Project, Some(real.join("shortcut/./"))).unwrap();
        assert_eq!(target.project_dir, Some(real.join("repo")));
    }

    #[cfg(unix)]
    #[test]
    fn a_project_file_linked_out_of_the_project_is_refused_naming_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = file::canonical_folder(dir.path()).unwrap();
        let project = root.join("project");
        let outside = root.join("outside");
        std::fs::create_dir_all(project.join("docs")).unwrap();
        std::fs::create_dir(&outside).unwrap();
        let link = |target: &std::path::Path, name: &str| {
            std::os::unix::fs::symlink(target, project.join(name)).unwrap();
        };
        link(&outside, ".cursor");
        link(&outside.join("deep/new/created.json"), ".mcp.json");
        link(std::path::Path::new("../outside"), ".gemini");
        link(std::path::Path::new("docs"), ".vscode");
        let target = Target::new("directus", Scope::Project, Some(project.clone())).unwrap();

        for (relative, link_name, points_to) in [
            (".cursor/mcp.json", ".cursor", outside.clone()),
            (
                ".mcp.json",
                ".mcp.json",
                outside.join("deep/new/created.json"),
            ),
            (".gemini/settings.json", ".gemini", "../outside".into()),
        ] {
            let error = target.project_file(relative).unwrap_err();
            let ClientError::File(file::FileError::LeavesFolder {
                link,
                points_to: said,
                ..
            }) = &error
            else {
                panic!("{relative}: {error:?}");
            };
            assert_eq!(link, &project.join(link_name), "{relative}");
            assert_eq!(said, &points_to, "{relative}");
            let message = error.to_string();
            assert!(
                message.contains(&project.join(link_name).display().to_string())
                    && message.contains(&points_to.display().to_string()),
                "{message}"
            );
        }
        // A link that stays inside the project is fine, and so is a file not there yet.
        assert_eq!(
            target.project_file(".vscode/mcp.json").unwrap(),
            project.join(".vscode/mcp.json")
        );
        assert!(target.project_file(".zed/settings.json").is_ok());
        assert!(!outside.join("deep").exists(), "nothing created outside");
    }
}
