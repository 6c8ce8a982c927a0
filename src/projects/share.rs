//! Sharing a project's setup without secrets (issue 25, item 2): [`export`] turns a
//! [`Project`] into a small [`SetupFile`] — the URL, how clients sign in, which tools, the
//! MCP user's role template, the entry name and the clients — that a teammate (or this user
//! on another computer) reads with [`parse`], looks at with [`preview`] (the project record
//! and, for each client, the same plan `connect --dry-run` shows) and carries out with
//! [`import`].
//!
//! Nothing secret is ever in the file: no MCP token, no admin email or password, no
//! session, no header, no environment. [`parse`] is strict: a field the format does not
//! have (`token`, `headers`, `env`, …) is refused by name, so a file someone "improved" by
//! hand with a token in it is never imported. The token a token-mode setup needs is the
//! one kept in this computer's OS keyring for the URL (or given for the run, as `connect`
//! takes it), exactly as `connect` would use it; a preview needs none.
//!
//! The format (version 1):
//!
//! ```json
//! {
//!   "format": "directus-mcp-setup/setup",
//!   "version": 1,
//!   "name": "directus",
//!   "url": "https://cms.example.com",
//!   "auth": "token",
//!   "toolMode": "full",
//!   "template": "content-editor",
//!   "clients": ["cursor", "codex", "goose"]
//! }
//! ```

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

use super::{Project, ProjectError, ProjectList, is_valid_name};
use crate::clients::apply::ApplyReport;
use crate::clients::plan::PlanView;
use crate::clients::{
    self, AuthMode, ClientConnector, ClientEnvironment, ClientError, ClientStatus, ConnectRequest,
    Expected, ProgramRunner, Scope, StaleCause, StdioBridge, Target, TokenAccess,
};
use crate::directus::endpoint::{ServerUrl, UrlError};
use crate::directus::role_template::RoleTemplate;
use crate::directus::tool_mode::ToolMode;
use crate::secret::SecretString;

/// The `format` marker every setup file starts with.
pub const FORMAT: &str = "directus-mcp-setup/setup";

/// The format version this build writes, and the newest it reads.
pub const VERSION: u32 = 1;

/// The largest setup file read: a real one is a few hundred bytes.
pub const LARGEST_FILE: usize = 64 * 1024;

/// The most clients a setup file may list (the catalogue has 32, plus profiles).
const MOST_CLIENTS: usize = 128;

/// The longest client id accepted (`vscode@Work,Personal`).
const LONGEST_CLIENT_ID: usize = 128;

/// The fields a version 1 file has, and no other.
const FIELDS: [&str; 8] = [
    "format", "version", "name", "url", "auth", "toolMode", "template", "clients",
];

/// Stands in for the MCP token in plans made for a preview without a token. Every view
/// masks it (it is one of the plan's secrets), so the diff shown is the one `connect
/// --dry-run` shows; [`import`] never writes it (it refuses before any change instead).
const PREVIEW_TOKEN: &str = "directus-mcp-token-preview-placeholder";

/// A project's setup as shared: nothing secret in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetupFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format version ([`VERSION`]).
    pub version: u32,
    /// The entry name the clients know the server by (`directus`, `directus-staging`).
    pub name: String,
    /// The Directus URL (`https://cms.example.com`; plain http only for this computer).
    pub url: String,
    /// How clients sign in: OAuth (each person in their browser) or the MCP user's token
    /// (kept in each computer's OS keyring, never in the file).
    pub auth: AuthMode,
    /// Which tools the clients get.
    pub tool_mode: ToolMode,
    /// The MCP user's role template, for a token setup (what the token was made with; an
    /// import never changes the server's role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<RoleTemplate>,
    /// The clients to connect (ids, as `clients` lists them).
    pub clients: Vec<String>,
}

/// Why a setup file was refused, or an import could not be done. Nothing was changed.
#[derive(Debug, Error)]
pub enum ShareError {
    /// The file is larger than any setup file.
    #[error(
        "{size} bytes is too large for a setup file (at most {LARGEST_FILE}): this is not a file `directus-mcp-setup export` wrote"
    )]
    TooLarge {
        /// Its size, or a lower bound.
        size: usize,
    },
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The text is not JSON (or not UTF-8).
    #[error(
        "this is not a setup file: it is not JSON ({reason}). Export one with `directus-mcp-setup export`"
    )]
    NotJson {
        /// What the parser said.
        reason: String,
    },
    /// The JSON is not a setup file.
    #[error(
        "this is not a Directus MCP Setup file: its \"format\" is {found}, not \"{FORMAT}\". Export one with `directus-mcp-setup export`"
    )]
    NotASetupFile {
        /// What the file has for `format`, quoted, or "missing".
        found: String,
    },
    /// A newer version of this tool wrote the file.
    #[error(
        "this setup file has format version {0}, and this directus-mcp-setup reads version {VERSION}: update directus-mcp-setup, or export the setup again with this version"
    )]
    NewerVersion(u64),
    /// The version is not one there ever was.
    #[error("this setup file has format version {0}, which does not exist (expected {VERSION})")]
    UnknownVersion(String),
    /// A field the format does not have: a token, a header, an environment, a typo.
    #[error(
        "the setup file has a field \"{field}\" that a setup file never holds (only {}; never a token, header, password or environment): nothing was imported. Remove the field, or export the setup again",
        FIELDS.join(", ")
    )]
    UnexpectedField {
        /// The field's name.
        field: String,
    },
    /// A field is missing or of the wrong type.
    #[error("the setup file is not valid: {0}")]
    Invalid(String),
    /// The entry name cannot name client entries.
    #[error(
        "the setup file's name \"{0}\" cannot name client entries: use letters, digits, '-' and '_' (at most 64)"
    )]
    InvalidName(String),
    /// The URL is not an explicit http(s) URL.
    #[error("the setup file's url \"{0}\" is not an http:// or https:// address of a Directus")]
    NoScheme(String),
    /// The URL is refused as every Directus URL would be.
    #[error("the setup file's url is refused: {0}")]
    Url(#[from] UrlError),
    /// An OAuth setup named a role template (only a token has a role).
    #[error(
        "the setup file names the role template \"{0}\" for an OAuth setup: only a token setup has one (with OAuth each person signs in as themselves). Remove \"template\", or set \"auth\" to \"token\""
    )]
    TemplateWithoutToken(String),
    /// A client id that cannot be one.
    #[error(
        "the setup file lists the client \"{0}\", which cannot be a client id (`directus-mcp-setup clients` lists them)"
    )]
    InvalidClientId(String),
    /// A client listed twice.
    #[error("the setup file lists the client \"{0}\" twice")]
    DuplicateClient(String),
    /// More clients than there are.
    #[error("the setup file lists {0} clients (at most {MOST_CLIENTS})")]
    TooManyClients(usize),
    /// Another project here has the entry name, for another URL.
    #[error(
        "this computer already has the project \"{name}\" for {url_here}, and the file's \"{name}\" is for {url_in_file}: importing would overwrite that project's client entries, so nothing was changed. Import it under another name (`import FILE --name {suggestion}`), or remove the project here first"
    )]
    NameClash {
        /// The entry name.
        name: String,
        /// The URL of the project here.
        url_here: String,
        /// The URL in the file.
        url_in_file: String,
        /// A free name to import under.
        suggestion: String,
    },
    /// A token setup, and no token kept here for the URL nor given.
    #[error(
        "this setup's clients use the MCP token, and none is kept in the OS keyring for {url}: nothing was changed. Get the token from whoever manages this Directus and run the import with DIRECTUS_MCP_TOKEN set (or run `token create` here, which replaces the MCP user's token for everyone), then import again"
    )]
    TokenMissing {
        /// The Directus URL.
        url: String,
    },
    /// The project list could not be read or written.
    #[error(transparent)]
    Projects(#[from] ProjectError),
}

/// The setup file of `project`: its URL, auth, tool mode, template (a token setup's only),
/// entry name and clients. The admin email is left out: it names a person (and half of a
/// sign-in) and no teammate needs it: each signs in as themselves.
pub fn export(project: &Project) -> SetupFile {
    SetupFile {
        format: FORMAT.to_owned(),
        version: VERSION,
        name: project.name.clone(),
        url: project.url.clone(),
        auth: project.auth,
        tool_mode: project.tool_mode,
        template: match project.auth {
            AuthMode::Token => project.template,
            AuthMode::Oauth => None,
        },
        clients: project.clients.clone(),
    }
}

/// The text of `file`: pretty JSON and a final newline.
pub fn to_text(file: &SetupFile) -> String {
    serde_json::to_string_pretty(file).expect("a setup file serializes") + "\n"
}

/// Reads and checks a setup file (see [`parse`]); a file larger than [`LARGEST_FILE`] is
/// refused without reading it all.
pub fn read(path: &Path, allow_insecure_http: bool) -> Result<SetupFile, ShareError> {
    let unreadable = |source| ShareError::Unreadable {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(LARGEST_FILE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() > LARGEST_FILE {
        return Err(ShareError::TooLarge { size: bytes.len() });
    }
    let text = String::from_utf8(bytes).map_err(|error| ShareError::NotJson {
        reason: error.to_string(),
    })?;
    parse_with(&text, allow_insecure_http)
}

/// Parses and checks a setup file, strictly: the [`FORMAT`] marker, a version this build
/// reads, no field the format does not have (named in the error), a valid entry name, an
/// explicit http(s) URL that [`ServerUrl::parse`] accepts (plain http only for this
/// computer), a role template only for a token setup, client ids that can be ids (each
/// once). Client ids this version does not know are accepted here and skipped, named, by
/// [`preview`] and [`import`] (a newer version may know more clients). The URL comes back
/// in [`ServerUrl`]'s form.
pub fn parse(text: &str) -> Result<SetupFile, ShareError> {
    parse_with(text, false)
}

/// [`parse`], with plain http to another computer allowed when `allow_insecure_http` (as
/// `--allow-insecure-http` allows it everywhere else).
pub fn parse_with(text: &str, allow_insecure_http: bool) -> Result<SetupFile, ShareError> {
    if text.len() > LARGEST_FILE {
        return Err(ShareError::TooLarge { size: text.len() });
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|error| ShareError::NotJson {
            reason: error.to_string(),
        })?;
    let Some(fields) = value.as_object() else {
        return Err(ShareError::NotASetupFile {
            found: "missing (the file is not a JSON object)".to_owned(),
        });
    };
    match fields.get("format") {
        Some(serde_json::Value::String(format)) if format == FORMAT => {}
        Some(other) => {
            return Err(ShareError::NotASetupFile {
                found: other.to_string(),
            });
        }
        None => {
            return Err(ShareError::NotASetupFile {
                found: "missing".to_owned(),
            });
        }
    }
    match fields.get("version") {
        Some(version) if version.as_u64() == Some(u64::from(VERSION)) => {}
        Some(version) => match version.as_u64() {
            Some(newer) if newer > u64::from(VERSION) => {
                return Err(ShareError::NewerVersion(newer));
            }
            _ => return Err(ShareError::UnknownVersion(version.to_string())),
        },
        None => return Err(ShareError::UnknownVersion("missing".to_owned())),
    }
    if let Some(field) = fields.keys().find(|key| !FIELDS.contains(&key.as_str())) {
        return Err(ShareError::UnexpectedField {
            field: field.clone(),
        });
    }
    let mut file: SetupFile =
        serde_json::from_value(value).map_err(|error| ShareError::Invalid(error.to_string()))?;
    if !is_valid_name(&file.name) {
        return Err(ShareError::InvalidName(file.name));
    }
    let scheme = file.url.split_once("://").map(|(scheme, _)| scheme);
    if !scheme.is_some_and(|scheme| {
        scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http")
    }) {
        return Err(ShareError::NoScheme(crate::directus::endpoint::masked_url(
            &file.url,
        )));
    }
    file.url = ServerUrl::parse(&file.url, allow_insecure_http)?.to_string();
    if file.auth == AuthMode::Oauth
        && let Some(template) = file.template
    {
        return Err(ShareError::TemplateWithoutToken(
            template.cli_name().to_owned(),
        ));
    }
    if file.clients.len() > MOST_CLIENTS {
        return Err(ShareError::TooManyClients(file.clients.len()));
    }
    for (index, id) in file.clients.iter().enumerate() {
        let usable = !id.is_empty()
            && id.len() <= LONGEST_CLIENT_ID
            && id.chars().all(|c| !c.is_control())
            && id.trim() == id;
        if !usable {
            return Err(ShareError::InvalidClientId(id.escape_debug().to_string()));
        }
        if file.clients[..index].contains(id) {
            return Err(ShareError::DuplicateClient(id.clone()));
        }
    }
    Ok(file)
}

impl SetupFile {
    /// The same setup under another entry name (`import --name`), checked.
    pub fn renamed(mut self, name: &str) -> Result<Self, ShareError> {
        if !is_valid_name(name) {
            return Err(ShareError::InvalidName(name.to_owned()));
        }
        self.name = name.to_owned();
        Ok(self)
    }

    /// The server (the URL was checked by [`parse`]; plain http to another computer is
    /// accepted here since [`parse`] already decided on it).
    fn server(&self) -> ServerUrl {
        ServerUrl::parse(&self.url, true).expect("parse checked the URL")
    }
}

/// The MCP token the plans are made with: never from the file.
#[derive(Debug, Clone, Default)]
pub enum TokenInput {
    /// None: kept nowhere here, and none given.
    #[default]
    None,
    /// The token kept in the OS keyring for the file's URL (what `connect` uses).
    Kept(SecretString),
    /// A token given for this run (`DIRECTUS_MCP_TOKEN`, as `connect` takes it).
    Given(SecretString),
}

impl TokenInput {
    /// The token kept in `store` for `file`'s URL, if any (the keyring may block on an
    /// unlock prompt: call it off async workers).
    pub fn kept_in(
        store: &crate::secret_store::SecretStore,
        file: &SetupFile,
    ) -> Result<Self, crate::secret_store::SecretsError> {
        Ok(
            match store.load(&file.server(), &crate::secret_store::SecretKind::McpToken)? {
                Some(token) => Self::Kept(token),
                None => Self::None,
            },
        )
    }
}

/// What the plans are made with besides the file: the caller reads the keyring and knows
/// what a stdio-only client starts (the CLI: itself; the app: the CLI beside it).
#[derive(Debug, Clone, Default)]
pub struct ImportInputs {
    /// The MCP token, for a token setup.
    pub token: TokenInput,
    /// What the token may do, when a client would put it in a URL (ask Directus with
    /// [`crate::setup::check_token_access`]; unchecked, such clients are refused).
    pub token_access: TokenAccess,
    /// What a client that starts only local servers (Claude Desktop) runs.
    pub stdio_bridge: StdioBridge,
}

impl ImportInputs {
    /// No token, and this program as the bridge: what a preview without the keyring uses.
    pub fn this_program() -> Self {
        Self {
            stdio_bridge: StdioBridge::builtin(
                std::env::current_exe()
                    .ok()
                    .and_then(|path| path.canonicalize().ok()),
            ),
            ..Self::default()
        }
    }
}

/// Where the token of a token setup comes from on this computer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TokenSource {
    /// An OAuth setup: no token (each person signs in in the browser).
    NotNeeded,
    /// The token kept in the OS keyring for this URL.
    Kept,
    /// The token given for this run.
    Given,
    /// None: the preview's plans show where it would go (masked); an import is refused.
    Missing,
}

/// What importing does to this computer's project list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProjectChange {
    /// A new project.
    New {
        /// The record as it will be.
        project: Project,
    },
    /// The project is here already, the same.
    Identical {
        /// The record.
        project: Project,
    },
    /// The project is here (same name, same URL) with other choices.
    Updated {
        /// The record now.
        before: Project,
        /// The record after the import.
        after: Project,
        /// What changes, in words (`tool mode: full → registry`).
        changes: Vec<String>,
    },
    /// Another project here has the name, for another URL: the import is refused.
    NameClash {
        /// The project here.
        here: Project,
        /// A free name to import under instead.
        suggestion: String,
    },
}

/// What happens to one client of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClientAction {
    /// It is connected as the plan shows.
    Connect,
    /// Its entry is already as the plan would make it.
    UpToDate,
    /// Not installed on this computer: skipped (install it, then import again).
    NotInstalled,
    /// This version does not know the client: skipped.
    Unknown,
    /// Its plan could not be made (why is in `reason`): skipped.
    Refused,
    /// Carrying its plan out failed (why is in `reason`); nothing of it was left half done.
    Failed,
}

/// One client of the file, on this computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClientImport {
    /// The client's id, as in the file.
    pub client: String,
    /// The name users know (the id when unknown).
    pub name: String,
    /// What happens to it.
    pub action: ClientAction,
    /// The plan (what `connect --dry-run` shows), when one was made; secrets masked.
    pub plan: Option<PlanView>,
    /// Why it is skipped or failed, or what to know about its entry now.
    pub reason: Option<String>,
    /// What was done, after an import.
    pub applied: Option<ApplyReport>,
}

/// What importing a setup file changes on this computer (and, after [`import`], what it
/// changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportPreview {
    /// The setup read.
    pub file: SetupFile,
    /// The project record.
    pub project: ProjectChange,
    /// Where a token setup's token comes from.
    pub token: TokenSource,
    /// Each client of the file, in its order.
    pub clients: Vec<ClientImport>,
    /// Why the import cannot be done as it is (empty: it can).
    pub blockers: Vec<String>,
    /// What else to know (another project for the same URL, …).
    pub warnings: Vec<String>,
    /// Whether this describes an import carried out.
    pub applied: bool,
}

impl ImportPreview {
    /// Whether a client failed during an import (the run then exits 1).
    pub fn a_client_failed(&self) -> bool {
        self.clients
            .iter()
            .any(|client| client.action == ClientAction::Failed)
    }
}

/// What importing `file` would change here, with no token (token plans show where it would
/// go, masked) and this program as the bridge: [`preview_with`] with
/// [`ImportInputs::this_program`].
pub fn preview(file: &SetupFile, env: &ClientEnvironment, projects: &ProjectList) -> ImportPreview {
    preview_with(file, env, projects, &ImportInputs::this_program())
}

/// What importing `file` would change here: the project record, and for each client of
/// the file the plan `connect --dry-run` shows for it (same request: the file's URL, tool
/// mode, auth and entry name, user scope), or why it is skipped. Nothing is written.
pub fn preview_with(
    file: &SetupFile,
    env: &ClientEnvironment,
    projects: &ProjectList,
    inputs: &ImportInputs,
) -> ImportPreview {
    let server = file.server();
    let token = token_source(file.auth, &inputs.token);
    let clients: Vec<ClientImport> = file
        .clients
        .iter()
        .map(|id| plan_client(id, file, env, inputs, &server))
        .collect();
    let connected: Vec<String> = clients
        .iter()
        .filter(|client| {
            matches!(
                client.action,
                ClientAction::Connect | ClientAction::UpToDate
            )
        })
        .map(|client| client.client.clone())
        .collect();
    let project = project_change(file, projects, &server, &connected);
    let mut blockers = Vec::new();
    if let Err(error) = refuse_clash(&project, file) {
        blockers.push(error.to_string());
    }
    if token == TokenSource::Missing {
        blockers.push(
            ShareError::TokenMissing {
                url: file.url.clone(),
            }
            .to_string(),
        );
    }
    let mut warnings: Vec<String> = projects
        .for_url(&server)
        .filter(|other| other.name != file.name)
        .map(|other| {
            format!(
                "the project \"{}\" here is for the same Directus: after the import its clients have two entries for it (\"{}\" and \"{}\")",
                other.name, other.name, file.name
            )
        })
        .collect();
    if file.auth == AuthMode::Token {
        warnings.push(format!(
            "the import uses the MCP token {}; it never changes the MCP user or its role{} on the server",
            match token {
                TokenSource::Given => "given for this run",
                _ => "kept in this computer's OS keyring for this Directus",
            },
            file.template
                .map(|template| format!(" ({})", template.cli_name()))
                .unwrap_or_default()
        ));
    }
    ImportPreview {
        file: file.clone(),
        project,
        token,
        clients,
        blockers,
        warnings,
        applied: false,
    }
}

/// Imports `file`: the project record added or updated in the list at `projects_path`,
/// then each client of the preview that has a plan connected through the same machinery
/// as `connect` (every file checked before it is written, written atomically, the version
/// before our entry kept so `disconnect` gives it back byte for byte). Refused before any
/// change on a name clash or a token setup without a token. A client that fails is reported
/// and the others are still done; the record lists the clients connected.
pub fn import(
    file: &SetupFile,
    env: &ClientEnvironment,
    projects_path: &Path,
    inputs: &ImportInputs,
    runner: &dyn ProgramRunner,
) -> Result<ImportPreview, ShareError> {
    let mut list = ProjectList::load(projects_path)?;
    let mut preview = preview_with(file, env, &list, inputs);
    refuse_clash(&preview.project, file)?;
    if preview.token == TokenSource::Missing {
        return Err(ShareError::TokenMissing {
            url: file.url.clone(),
        });
    }
    list.upsert(record(file, &list))?;
    list.save(projects_path)?;
    let server = file.server();
    for client in preview.clients.iter_mut() {
        if !matches!(
            client.action,
            ClientAction::Connect | ClientAction::UpToDate
        ) {
            continue;
        }
        match connect(&client.client, file, env, inputs, &server, runner) {
            Ok((plan, applied)) => {
                client.plan = Some(plan);
                client.applied = Some(applied);
                list.add_client(&file.name, &client.client);
                list.save(projects_path)?;
            }
            Err(error) => {
                client.action = ClientAction::Failed;
                client.reason = Some(error.to_string());
            }
        }
    }
    if let Some(project) = list.get(&file.name) {
        preview.project = match preview.project {
            ProjectChange::New { .. } => ProjectChange::New {
                project: project.clone(),
            },
            ProjectChange::Identical { .. } => ProjectChange::Identical {
                project: project.clone(),
            },
            ProjectChange::Updated {
                before, changes, ..
            } => ProjectChange::Updated {
                before,
                after: project.clone(),
                changes,
            },
            clash @ ProjectChange::NameClash { .. } => clash,
        };
    }
    preview.applied = true;
    Ok(preview)
}

/// The error for a name clash, if `change` is one.
fn refuse_clash(change: &ProjectChange, file: &SetupFile) -> Result<(), ShareError> {
    match change {
        ProjectChange::NameClash { here, suggestion } => Err(ShareError::NameClash {
            name: here.name.clone(),
            url_here: here.url.clone(),
            url_in_file: file.url.clone(),
            suggestion: suggestion.clone(),
        }),
        _ => Ok(()),
    }
}

fn token_source(auth: AuthMode, token: &TokenInput) -> TokenSource {
    match (auth, token) {
        (AuthMode::Oauth, _) => TokenSource::NotNeeded,
        (AuthMode::Token, TokenInput::Kept(_)) => TokenSource::Kept,
        (AuthMode::Token, TokenInput::Given(_)) => TokenSource::Given,
        (AuthMode::Token, TokenInput::None) => TokenSource::Missing,
    }
}

/// The record `file` makes, before any client is connected: the admin email of a record
/// here for the same project is kept (the file has none).
fn record(file: &SetupFile, projects: &ProjectList) -> Project {
    let here = projects
        .get(&file.name)
        .filter(|project| project.url == file.url);
    Project {
        name: file.name.clone(),
        url: file.url.clone(),
        auth: file.auth,
        tool_mode: file.tool_mode,
        template: file.template,
        email: here.and_then(|project| project.email.clone()),
        clients: Vec::new(),
    }
}

/// What the import does to the record of `file`'s project, `connected` being the clients
/// it connects.
fn project_change(
    file: &SetupFile,
    projects: &ProjectList,
    server: &ServerUrl,
    connected: &[String],
) -> ProjectChange {
    let mut after = record(file, projects);
    let Some(here) = projects.get(&file.name) else {
        after.clients = connected.to_vec();
        return ProjectChange::New { project: after };
    };
    if here.url != file.url {
        return ProjectChange::NameClash {
            here: here.clone(),
            suggestion: projects.suggest_name(server),
        };
    }
    let mut changes = Vec::new();
    if here.auth != after.auth {
        changes.push(format!(
            "sign-in: {} → {}",
            auth_name(here.auth),
            auth_name(after.auth)
        ));
    }
    if here.tool_mode != after.tool_mode {
        changes.push(format!(
            "tool mode: {} → {}",
            here.tool_mode.as_str(),
            after.tool_mode.as_str()
        ));
    }
    if here.template != after.template {
        let name = |template: Option<RoleTemplate>| template.map_or("none", |t| t.cli_name());
        changes.push(format!(
            "role template: {} → {}",
            name(here.template),
            name(after.template)
        ));
    }
    after.clients = here.clients.clone();
    let added: Vec<&str> = connected
        .iter()
        .filter(|client| !here.clients.contains(client))
        .map(String::as_str)
        .collect();
    if !added.is_empty() {
        changes.push(format!("clients: + {}", added.join(", ")));
        after
            .clients
            .extend(added.iter().map(|client| (*client).to_owned()));
    }
    if changes.is_empty() {
        ProjectChange::Identical { project: after }
    } else {
        ProjectChange::Updated {
            before: here.clone(),
            after,
            changes,
        }
    }
}

fn auth_name(auth: AuthMode) -> &'static str {
    match auth {
        AuthMode::Oauth => "oauth",
        AuthMode::Token => "token",
    }
}

/// The connect request for `file` (what `connect --auth A --tool-mode M --name N` asks in
/// user scope), with the token of `inputs` or, for a preview without one, the placeholder.
fn request(
    file: &SetupFile,
    inputs: &ImportInputs,
    server: &ServerUrl,
    for_preview: bool,
) -> Result<ConnectRequest, ClientError> {
    let token = match (file.auth, &inputs.token) {
        (AuthMode::Oauth, _) => None,
        (AuthMode::Token, TokenInput::Kept(token) | TokenInput::Given(token)) => {
            Some(token.clone())
        }
        (AuthMode::Token, TokenInput::None) if for_preview => {
            Some(SecretString::new(PREVIEW_TOKEN.to_owned()))
        }
        (AuthMode::Token, TokenInput::None) => None,
    };
    Ok(ConnectRequest {
        target: Target::new(&file.name, Scope::User, None)?,
        mcp_url: file.tool_mode.apply(&server.mcp_endpoint()),
        auth: file.auth,
        token,
        inline_token: false,
        token_env_var: None,
        token_access: inputs.token_access.clone(),
        stdio_bridge: inputs.stdio_bridge.clone(),
        oauth_via_bridge: false,
    })
}

/// One client's part of the preview.
fn plan_client(
    id: &str,
    file: &SetupFile,
    env: &ClientEnvironment,
    inputs: &ImportInputs,
    server: &ServerUrl,
) -> ClientImport {
    let mut row = ClientImport {
        client: id.to_owned(),
        name: id.to_owned(),
        action: ClientAction::Refused,
        plan: None,
        reason: None,
        applied: None,
    };
    let Ok(client) = clients::find(id) else {
        row.action = ClientAction::Unknown;
        row.reason = Some(format!(
            "this version of directus-mcp-setup does not know the client \"{id}\": skipped (`directus-mcp-setup clients` lists those it knows)"
        ));
        return row;
    };
    row.name = client.name().to_owned();
    if !client.detect(env).installed {
        row.action = ClientAction::NotInstalled;
        row.reason = Some(format!(
            "{} is not installed on this computer: skipped (install it, then import again, or `connect {id}`)",
            client.name()
        ));
        return row;
    }
    let planned = request(file, inputs, server, true)
        .and_then(|request| clients::plan_connection(client, env, &request));
    match planned {
        Ok(plan) => {
            let view = plan.view(false);
            row.action = if view.up_to_date {
                ClientAction::UpToDate
            } else {
                ClientAction::Connect
            };
            row.reason = entry_now(client, env, file, server);
            row.plan = Some(view);
        }
        Err(error) => row.reason = Some(error.to_string()),
    }
    row
}

/// What to know about the client's entry of this name now, when it points elsewhere.
fn entry_now(
    client: &dyn ClientConnector,
    env: &ClientEnvironment,
    file: &SetupFile,
    server: &ServerUrl,
) -> Option<String> {
    let target = Target::new(&file.name, Scope::User, None).ok()?;
    let expected = Expected {
        mcp_url: server.mcp_endpoint(),
        token: None,
    };
    match client.status(env, &target, &expected).ok()? {
        ClientStatus::Stale {
            cause: StaleCause::OtherUrl | StaleCause::OtherUrlHoldingAToken,
            reason,
            ..
        } => Some(format!(
            "its entry \"{}\" {reason}: the import replaces it (`disconnect` gives the file back as it was)",
            file.name
        )),
        _ => None,
    }
}

/// Plans `id` with the real token and carries the plan out. When another program changed
/// the file between plan and apply (Claude Code rewrites its file often), the plan is made
/// again from the new file, a few times, as `connect` does.
fn connect(
    id: &str,
    file: &SetupFile,
    env: &ClientEnvironment,
    inputs: &ImportInputs,
    server: &ServerUrl,
    runner: &dyn ProgramRunner,
) -> Result<(PlanView, ApplyReport), ClientError> {
    const ATTEMPTS: usize = 5;
    let client = clients::find(id)?;
    let request = request(file, inputs, server, false)?;
    let mut attempt = 1;
    loop {
        let plan = clients::plan_connection(client, env, &request)?;
        match clients::apply(&plan, runner) {
            Ok(report) => return Ok((plan.view(false), report)),
            Err(ClientError::ChangedMeanwhile(_)) if attempt < ATTEMPTS => attempt += 1,
            Err(error) => return Err(error),
        }
    }
}

#[cfg(test)]
mod tests;
