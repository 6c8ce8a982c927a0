//! What each command prints with `--json`: one JSON object per run, documented in the
//! README. Field names are part of the CLI contract.

use serde::Serialize;
use ts_rs::TS;

use crate::clients::ClientOverview;
use crate::clients::apply::ApplyReport;
use crate::clients::plan::PlanView;
use crate::directus::mcp_user::McpUserSummary;
use crate::directus::oauth::{Grant, OAuthClient, OAuthReport};
use crate::directus::server_report::ServerReport;
use crate::mcp::McpReport;
use crate::secret::{SecretString, ShownSecret};
use crate::setup::{EnableOutcome, TokenOutcome};

/// A command's result.
#[derive(Debug, Clone)]
pub enum Output {
    /// `status`.
    Status(StatusOutput),
    /// `enable`.
    Enable(EnableOutcome),
    /// `token create` and `token rotate`.
    Token(TokenOutput),
    /// `token revoke`.
    Revoke(RevokeOutput),
    /// `verify`.
    Verify(McpReport),
    /// `connect` and `disconnect`.
    ClientChange(ClientChangeOutput),
    /// `connect --all` / `disconnect --all`.
    ClientChanges(ClientChangesOutput),
    /// `clients`.
    Clients(ClientsOutput),
    /// `token show`.
    TokenShow(TokenShowOutput),
    /// `oauth status` / `oauth enable`.
    OAuth(OAuthReport),
    /// `grants list`.
    Grants(GrantsOutput),
    /// `grants wait`.
    GrantWait(GrantWaitOutput),
    /// `grants revoke`.
    RevokedGrants(RevokedGrantsOutput),
    /// `doctor`.
    Doctor(crate::doctor::DoctorReport),
    /// `sign-out`.
    SignedOut(crate::setup::SignOutOutcome),
    /// `projects`.
    Projects(ProjectsOutput),
    /// `projects add`, `projects choose`, `projects remove`.
    ProjectChange(ProjectChangeOutput),
    /// `clients` with no --url or --project: every project's entries.
    ProjectsClients(ProjectsClientsOutput),
}

impl Output {
    /// The JSON document printed with `--json`.
    pub fn to_json(&self) -> String {
        let value = match self {
            Self::Status(output) => serde_json::to_string_pretty(output),
            Self::Enable(output) => serde_json::to_string_pretty(output),
            Self::Token(output) => serde_json::to_string_pretty(output),
            Self::Revoke(output) => serde_json::to_string_pretty(output),
            Self::Verify(output) => serde_json::to_string_pretty(output),
            Self::ClientChange(output) => serde_json::to_string_pretty(output),
            Self::ClientChanges(output) => serde_json::to_string_pretty(output),
            Self::Clients(output) => serde_json::to_string_pretty(output),
            Self::TokenShow(output) => serde_json::to_string_pretty(output),
            Self::OAuth(output) => serde_json::to_string_pretty(output),
            Self::Grants(output) => serde_json::to_string_pretty(output),
            Self::GrantWait(output) => serde_json::to_string_pretty(output),
            Self::RevokedGrants(output) => serde_json::to_string_pretty(output),
            Self::Doctor(output) => serde_json::to_string_pretty(output),
            Self::SignedOut(output) => serde_json::to_string_pretty(output),
            Self::Projects(output) => serde_json::to_string_pretty(output),
            Self::ProjectChange(output) => serde_json::to_string_pretty(output),
            Self::ProjectsClients(output) => serde_json::to_string_pretty(output),
        };
        value.expect("output types serialize to JSON")
    }
}

/// `status --json`: the server report, and whether an MCP token is kept locally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StatusOutput {
    /// Everything detected about the instance.
    #[serde(flatten)]
    pub report: ServerReport,
    /// Whether the OS keyring holds an MCP token for this instance.
    pub mcp_token_in_keyring: bool,
}

/// `token create --json` / `token rotate --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TokenOutput {
    /// What was done.
    #[serde(flatten)]
    pub outcome: TokenOutcome,
    /// The token: only with `--show-token`.
    #[ts(type = "string | null")]
    pub token: Option<ShownSecret>,
}

impl TokenOutput {
    /// The output, with the token only when it is to be shown.
    pub fn new(outcome: TokenOutcome, token: SecretString, show_token: bool) -> Self {
        Self {
            outcome,
            token: show_token.then_some(ShownSecret(token)),
        }
    }
}

/// `token revoke --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RevokeOutput {
    /// The MCP user, now without a token.
    pub user: McpUserSummary,
    /// Always true: the token was removed.
    pub revoked: bool,
    /// Backups of client settings that still held the token and were removed.
    pub backups_removed: Vec<String>,
}

/// `connect --json` / `disconnect --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClientChangeOutput {
    /// `connect` or `disconnect`.
    pub action: String,
    /// Whether this was only the plan.
    pub dry_run: bool,
    /// What was (or would be) done: diffs, commands, steps; secrets masked.
    pub plan: PlanView,
    /// What was done; `null` for a dry run.
    pub applied: Option<ApplyReport>,
}

/// `connect --all --json` / `disconnect --all --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClientChangesOutput {
    /// `connect` or `disconnect`.
    pub action: String,
    /// One change per client, in catalogue order.
    pub changes: Vec<ClientChangeOutput>,
    /// The clients that could not be done, with why (the others were done).
    pub failures: Vec<ClientFailure>,
}

/// A client `--all` could not connect or disconnect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClientFailure {
    /// The client's id.
    pub client: String,
    /// Why, in words.
    pub error: String,
}

/// `clients --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClientsOutput {
    /// The MCP endpoint statuses are measured against.
    pub mcp_url: String,
    /// One row per client.
    pub clients: Vec<ClientOverview>,
    /// With `--check`: the proof for each client that has an entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub checks: Option<Vec<crate::clients::check::ClientCheck>>,
}

impl ClientsOutput {
    /// Whether `--check` found an entry that does not work (the run then exits 1).
    pub fn a_check_failed(&self) -> bool {
        self.checks
            .iter()
            .flatten()
            .any(|check| check.outcome == crate::clients::check::CheckOutcome::Fails)
    }
}

/// `token show --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TokenShowOutput {
    /// The MCP token kept in the OS keyring.
    #[ts(type = "string")]
    pub token: ShownSecret,
}

/// `grants list --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct GrantsOutput {
    /// Every OAuth client holding a grant, then the newest without, with their grants.
    pub clients: Vec<OAuthClient>,
    /// How many clients are registered in all.
    pub total_clients: usize,
    /// How many clients without grants are not listed.
    pub not_shown_without_grants: usize,
    /// How sign-ins end on this server (its token lifetimes), and the grants that ended.
    pub sign_in: crate::directus::grant_lifetime::SignInReport,
}

/// `grants wait --json`: the client just authorized, and its grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct GrantWaitOutput {
    /// The client.
    pub client: OAuthClient,
    /// The new grant.
    pub grant: Grant,
}

/// `grants revoke --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RevokedGrantsOutput {
    /// The client ids revoked (and checked to be gone).
    pub revoked: Vec<String>,
    /// Everyone whose access ended: a client is revoked for all its users.
    pub users: Vec<String>,
}

/// One project as `projects --json` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectRow {
    /// The name of its client entries (`directus`, `directus-staging`, …).
    pub name: String,
    /// Its Directus URL.
    pub url: String,
    /// How clients sign in: `oauth` or `token` (`connect`'s default).
    pub auth: crate::clients::AuthMode,
    /// Which tools clients get: `full` or `registry` (`connect`'s default).
    pub tool_mode: crate::directus::tool_mode::ToolMode,
    /// The MCP user's role template, when known (`token create`).
    pub template: Option<crate::directus::role_template::RoleTemplate>,
    /// The admin's email, when recorded.
    pub email: Option<String>,
    /// The clients connected to it from here (user settings).
    pub clients: Vec<String>,
    /// Whether commands without --url or --project act on it.
    pub chosen: bool,
}

impl ProjectRow {
    /// `project`'s row; `chosen` when it is the list's current one.
    pub fn new(project: &crate::projects::Project, chosen: bool) -> Self {
        Self {
            name: project.name.clone(),
            url: project.url.clone(),
            auth: project.auth,
            tool_mode: project.tool_mode,
            template: project.template,
            email: project.email.clone(),
            clients: project.clients.clone(),
            chosen,
        }
    }
}

/// `projects --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectsOutput {
    /// Where the list is kept.
    pub file: String,
    /// The projects, in the order they were set up.
    pub projects: Vec<ProjectRow>,
}

/// `projects add|choose|remove --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectChangeOutput {
    /// `add`, `update`, `choose` or `remove`.
    pub action: String,
    /// The project (as it was, for `remove`).
    pub project: ProjectRow,
    /// `projects remove --disconnect`: each client disconnected first.
    pub disconnected: Vec<ClientChangeOutput>,
}

/// `clients --json` with no --url or --project: each project's entries in every client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectsClientsOutput {
    /// One block per project, in the list's order.
    pub projects: Vec<ProjectClients>,
}

/// One project's entries in every client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectClients {
    /// The project's (and its entries') name.
    pub project: String,
    /// Its Directus URL.
    pub url: String,
    /// Whether it is the chosen project.
    pub chosen: bool,
    /// Its entries, as `clients --project NAME --json` shows them (`mcp_url`, `clients`,
    /// `checks`); each row also says whether the project records the client as connected.
    #[serde(flatten)]
    pub clients: ProjectClientsRows,
}

/// The rows of [`ProjectClients`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectClientsRows {
    /// The project's MCP endpoint.
    pub mcp_url: String,
    /// One row per client.
    pub clients: Vec<ProjectClientRow>,
    /// With `--check`: the proof for each client that has this project's entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checks: Option<Vec<crate::clients::check::ClientCheck>>,
}

/// A client's row for one project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectClientRow {
    /// The client and its entry's status, as `clients --json` shows it.
    #[serde(flatten)]
    pub overview: ClientOverview,
    /// Whether the project records this client as connected (`missing`: recorded, but
    /// no entry is found any more).
    pub recorded: bool,
    /// `connected`, `stale`, `missing` or `none`: this project's entry in the client.
    pub entry: &'static str,
}

impl ProjectsClientsOutput {
    /// Whether `--check` found an entry that does not work (the run then exits 1).
    pub fn a_check_failed(&self) -> bool {
        self.projects
            .iter()
            .flat_map(|project| project.clients.checks.iter().flatten())
            .any(|check| check.outcome == crate::clients::check::CheckOutcome::Fails)
    }
}
