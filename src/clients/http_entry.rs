//! The most common kind of client: its settings file holds one HTTP server entry under a
//! key (`mcpServers.NAME {type, url, headers}` and its variants). Such a client is described
//! by a [`HttpEntryClient`] — where its files are, what its entry looks like, how it reads a
//! variable in a shared project file — and all the rest comes from [`FileClient`].

use std::path::PathBuf;

use serde_json::Value;

use super::connector::{ClientInfo, Detection, OAuthRegistration, OwnCheck, SetupKind};
use super::environment::ClientEnvironment;
use super::error::ClientError;
use super::file_client::{
    FileClient, http_entry, one_entry, program_or_folder, scoped_path, shared_token_notes,
    url_and_headers,
};
use super::request::{AuthMode, ConnectRequest, Scope, Target};
use super::status::FoundConnection;
use crate::config_edit::{Entry, EntryPath};

/// A client described by its facts.
pub(crate) struct HttpEntryClient {
    /// The id used on the command line.
    pub id: &'static str,
    /// The name users know.
    pub name: &'static str,
    /// How it registers for OAuth.
    pub oauth: OAuthRegistration,
    /// The name of its settings file, for the words on where the token lives.
    pub file_name: &'static str,
    /// Programs that tell it is installed.
    pub programs: &'static [&'static str],
    /// Its folder, which tells it is installed too.
    pub folder: fn(&ClientEnvironment) -> PathBuf,
    /// Its user settings file.
    pub user_file: fn(&ClientEnvironment) -> PathBuf,
    /// Its project settings file, relative to the project, if it has one.
    pub project_file: Option<&'static str>,
    /// The key the entries are under (`mcpServers`, `mcp`, `servers`).
    pub root: &'static str,
    /// The entry without its `Authorization` header.
    pub base: fn(&ConnectRequest) -> Value,
    /// Where the entry holds its URL, first match wins.
    pub url_keys: &'static [&'static str],
    /// The members of the entry that are ours (others the user added stay).
    pub managed: &'static [&'static str],
    /// How it reads a variable in a shared project file (`${VAR}`); `None`: it cannot, and
    /// a token is refused in project scope.
    pub env_reference: Option<fn(&str) -> String>,
    /// What to do after connecting with OAuth (`{name}` is the entry's name).
    pub oauth_note: Option<&'static str>,
    /// What a user of this client should know whichever way it is connected.
    pub note: Option<&'static str>,
    /// Its own command that checks its servers.
    pub own_check: Option<fn(&ClientEnvironment, &Target) -> Option<OwnCheck>>,
    /// The address of its Client ID Metadata Document, when it signs in with one.
    pub cimd: Option<&'static str>,
}

impl FileClient for HttpEntryClient {
    fn id(&self) -> &'static str {
        self.id
    }

    fn name(&self) -> &'static str {
        self.name
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: self.id().into(),
            name: self.name().into(),
            setup: SetupKind::File,
            oauth: self.oauth,
            scopes: match self.project_file {
                Some(_) => vec![Scope::User, Scope::Project],
                None => vec![Scope::User],
            },
            token_storage: format!(
                "in {}, made readable by you only (0600; on Windows it keeps your profile folder's access list)",
                self.file_name
            ),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, self.programs, &[(self.folder)(env)])
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        scoped_path(self.name, target, (self.user_file)(env), self.project_file)
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let value = http_entry(request, self.name, (self.base)(request), self.env_reference)?;
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            self.managed,
        ))
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![EntryPath::key(&[self.root, name])]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.token_in_user_file()
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        url_and_headers(values, self.url_keys)
    }

    fn notes(&self, request: &ConnectRequest) -> Vec<String> {
        let mut notes: Vec<String> = self.note.map(str::to_owned).into_iter().collect();
        notes.extend(
            self.oauth_note
                .filter(|_| request.auth == AuthMode::Oauth)
                .map(|note| note.replace("{name}", &request.target.name)),
        );
        notes.extend(shared_token_notes(request, self.name));
        notes
    }

    fn own_check(&self, env: &ClientEnvironment, target: &Target) -> Option<OwnCheck> {
        self.own_check.and_then(|check| check(env, target))
    }

    fn cimd_client_id(&self) -> Option<&'static str> {
        self.cimd
    }
}
