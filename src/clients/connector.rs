//! The one small trait every client implements.

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

use super::environment::ClientEnvironment;
use super::error::ClientError;
use super::plan::Plan;
use super::request::{ConnectRequest, Scope, Target};
use super::status::{ClientStatus, Expected};

/// How a client is set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum SetupKind {
    /// A settings file we edit.
    File,
    /// The client's own command when installed, else its settings file.
    CommandOrFile,
    /// Only in the client's own window: steps and values to copy.
    Manual,
}

/// How the client registers itself with Directus' OAuth server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum OAuthRegistration {
    /// Client ID Metadata Documents only: needs CIMD turned on in Directus.
    Cimd,
    /// Dynamic Client Registration only: needs DCR turned on in Directus.
    Dcr,
    /// CIMD when offered, else DCR.
    CimdOrDcr,
    /// Not known to support MCP OAuth: use a token.
    Unsupported,
}

/// What the wizard shows about a client before anything is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClientInfo {
    /// The id used on the command line.
    pub id: String,
    /// The name users know.
    pub name: String,
    /// How it is set up.
    pub setup: SetupKind,
    /// How it registers for OAuth.
    pub oauth: OAuthRegistration,
    /// The scopes it has.
    pub scopes: Vec<Scope>,
    /// Where a static token ends up, in words.
    pub token_storage: String,
}

/// Whether a client seems installed here, and why we think so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Detection {
    /// Installed (or, for web apps, always usable).
    pub installed: bool,
    /// What was found: a program, a folder.
    pub evidence: Option<String>,
}

impl Detection {
    /// Installed when one of `evidence` exists.
    pub fn first_of(evidence: impl IntoIterator<Item = Option<String>>) -> Self {
        let found = evidence.into_iter().flatten().next();
        Self {
            installed: found.is_some(),
            evidence: found,
        }
    }
}

/// The command a client has for checking its servers (`claude mcp get`, `codex mcp list`),
/// and how to find our entry's lines in what it prints (given the output and the entry's
/// name).
pub struct OwnCheck {
    /// The command to run.
    pub run: super::plan::ProgramRun,
    /// Keeps the lines worth showing.
    pub lines: fn(&str, &str) -> Vec<String>,
}

/// One AI client: detect it, plan connecting or disconnecting it, and tell its status.
pub trait ClientConnector: Send + Sync {
    /// The id used on the command line (`claude-code`, `vscode@Work`): cheap, for finding
    /// and naming a client without building its [`ClientInfo`].
    fn id(&self) -> &'static str;

    /// The name users know (`Claude Code`).
    fn name(&self) -> &'static str;

    /// What the client is and how it connects.
    fn info(&self) -> ClientInfo;

    /// Whether it is installed on this computer.
    fn detect(&self, env: &ClientEnvironment) -> Detection;

    /// The changes that connect it to Directus as `request` says.
    fn plan_connect(
        &self,
        env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Plan, ClientError>;

    /// The changes that take the entry out again (leaving the file as it was before).
    fn plan_disconnect(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<Plan, ClientError>;

    /// Whether a token connection may put the token in a URL (`?access_token=`): then
    /// [`ConnectRequest::token_access`] must say it is not an administrator's token.
    fn puts_token_in_url(&self) -> bool {
        false
    }

    /// Whose servers connect to Directus when not this computer (web apps' vendors): such
    /// clients need a public https address.
    fn vendor_servers(&self) -> Option<&'static str> {
        None
    }

    /// The client's OAuth client id when it registers through a Client ID Metadata Document:
    /// the https address of that document, which Directus fetches at the first sign-in.
    fn cimd_client_id(&self) -> Option<&'static str> {
        None
    }

    /// The client's own command that checks its servers (`claude mcp get`, `codex mcp list`,
    /// …), when it has one and it is installed here.
    fn own_check(&self, _env: &ClientEnvironment, _target: &Target) -> Option<OwnCheck> {
        None
    }

    /// The settings file the entry for `target` lives in, for clients that have one.
    fn config_file(&self, _env: &ClientEnvironment, _target: &Target) -> Option<PathBuf> {
        None
    }

    /// Whether it is connected to `expected`, connected with stale values, or not at all.
    fn status(
        &self,
        env: &ClientEnvironment,
        target: &Target,
        expected: &Expected,
    ) -> Result<ClientStatus, ClientError>;
}
