//! What can go wrong while connecting a client, each with what to do about it.

use std::path::PathBuf;

use thiserror::Error;

use crate::config_edit::{DocumentError, FileError};

/// Why a client could not be planned, connected or disconnected.
#[derive(Debug, Error)]
pub enum ClientError {
    /// No such client id.
    #[error("unknown client `{given}`; choose one of: {known}")]
    UnknownClient {
        /// What was asked for.
        given: String,
        /// The ids there are.
        known: String,
    },
    /// The home folder is unknown.
    #[error("cannot find your home folder: set HOME (USERPROFILE on Windows) and retry")]
    NoHome,
    /// The server name is not usable as a key.
    #[error(
        "`{0}` cannot name an MCP server: use letters, digits, `-` and `_` (at most 64), e.g. `directus`"
    )]
    InvalidName(String),
    /// Project scope without a folder.
    #[error("project scope needs the project's folder: add --project-dir <folder>")]
    ProjectDirRequired,
    /// The project folder does not exist.
    #[error("the project folder {0} does not exist; check the path given to --project-dir")]
    ProjectDirMissing(PathBuf),
    /// The client has no such scope.
    #[error("{client} has no {scope}-scope settings; use --scope {supported}")]
    ScopeUnsupported {
        /// The client's name.
        client: String,
        /// What was asked for.
        scope: &'static str,
        /// What it has.
        supported: &'static str,
    },
    /// The environment variable to read the token from cannot be one.
    #[error(
        "`{0}` cannot name an environment variable: use letters, digits and `_`, not starting with a digit, e.g. DIRECTUS_MCP_TOKEN"
    )]
    InvalidEnvVar(String),
    /// Token authentication without a token.
    #[error(
        "{client} needs the MCP token, and none is kept in the OS keyring for this Directus: run `directus-mcp-setup token create --template content-editor` first, or set DIRECTUS_MCP_TOKEN"
    )]
    TokenRequired {
        /// The client's name.
        client: String,
    },
    /// Our stdio bridge was asked for but its program cannot be found.
    #[error(
        "{client} starts a local bridge to reach Directus with the token, and ours cannot be used: {why}. Install Directus MCP Setup (its package puts the tool on PATH), or use --via mcp-remote (needs Node.js)"
    )]
    NoBridge {
        /// The client's name.
        client: String,
        /// Why the bridge is missing.
        why: String,
    },
    /// An administrator token would have gone into a URL.
    #[error(
        "the MCP token has administrator access, and an administrator token is never put into a URL (URLs end up in browser histories and third parties' logs). Use --auth oauth, or a content-editor token (`token create --template content-editor`)"
    )]
    AdminTokenInUrl,
    /// Whether the token is an administrator's could not be learned.
    #[error(
        "a URL with the token was not made: Directus could not confirm that the token is not an administrator's ({0}). Check that Directus is reachable, or use --auth oauth"
    )]
    TokenAccessUnknown(String),
    /// Token mode was asked for a project file of a client that cannot read the token from
    /// the environment: the token would end up in a file people commit.
    #[error(
        "{client}'s project settings are shared with the project (and often committed), and {client} cannot read a token from an environment variable there, so no token is written into them. Use --auth oauth for the project (each teammate signs in), or --scope user for a token"
    )]
    TokenInSharedFile {
        /// The client's name.
        client: String,
    },
    /// The file could not be parsed or holds something unexpected; it was not touched.
    #[error("{path}: {error}. The file was left untouched; fix it in an editor, then retry")]
    Document {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        error: DocumentError,
    },
    /// Reading or writing failed.
    #[error(transparent)]
    File(#[from] FileError),
    /// The file changed between planning and writing.
    #[error(
        "{0} changed while this was being prepared (is the client saving its settings?); nothing was written, retry"
    )]
    ChangedMeanwhile(PathBuf),
    /// A client's own command could not be started.
    #[error("cannot run {program}: {source}")]
    ProgramNotRunnable {
        /// The program.
        program: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// Several Claude Desktop packages are installed and none was picked, or the one picked
    /// is not installed.
    #[error(transparent)]
    ClaudeDesktopPackage(#[from] super::msix::PackageChoiceError),
    /// A client's own command failed.
    #[error("`{command}` failed ({status}): {output}")]
    ProgramFailed {
        /// The command, secrets hidden.
        command: String,
        /// Its exit status.
        status: String,
        /// What it printed, secrets hidden.
        output: String,
    },
}
