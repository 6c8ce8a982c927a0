//! Importing a setup file on this computer: [`preview_with`] says what would change (the
//! project record, each client's connect plan or why it is skipped), [`import`] does it
//! through the same plan/apply machinery as `connect`.

use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::{SetupFile, ShareError};
use crate::clients::apply::ApplyReport;
use crate::clients::plan::PlanView;
use crate::clients::{
    self, AuthMode, ClientConnector, ClientEnvironment, ClientError, ClientStatus, ConnectRequest,
    Expected, ProgramRunner, Scope, StaleCause, StdioBridge, Target, TokenAccess,
};
use crate::directus::endpoint::ServerUrl;
use crate::directus::role_template::RoleTemplate;
use crate::projects::{Project, ProjectList};
use crate::secret::SecretString;

/// Stands in for the MCP token in plans made for a preview without a token. Every view
/// masks it (it is one of the plan's secrets), so the diff shown is the one `connect
/// --dry-run` shows; [`import`] never writes it (it refuses before any change instead).
pub(super) const PREVIEW_TOKEN: &str = "directus-mcp-token-preview-placeholder";

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
    if matches!(token, TokenSource::Kept | TokenSource::Given) {
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
/// and the others are still done; the record lists the clients connected. It blocks (files,
/// and a client's own command through `runner`): call it off async workers.
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
            // This computer's own project for that Directus first: importing under its name
            // updates it rather than adding a second set of entries for the same server.
            suggestion: projects
                .for_url(server)
                .next()
                .map(|project| project.name.clone())
                .unwrap_or_else(|| projects.suggest_name(server)),
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
    env: &ClientEnvironment,
) -> Result<ConnectRequest, ClientError> {
    // The other projects here: a file holding one of their entries gets no new backup.
    let others = ProjectList::load(&crate::projects::store_path_in(env))
        .map(|list| {
            list.projects
                .into_iter()
                .map(|project| project.name)
                .collect()
        })
        .unwrap_or_else(|_| Vec::<String>::new());
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
        target: Target::new(&file.name, Scope::User, None)?.with_other_projects(others),
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
    let planned = request(file, inputs, server, true, env)
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
    let request = request(file, inputs, server, false, env)?;
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
