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

use super::{Project, ProjectError, is_valid_name};
use crate::clients::AuthMode;
use crate::directus::endpoint::{ServerUrl, UrlError};
use crate::directus::role_template::RoleTemplate;
use crate::directus::tool_mode::ToolMode;

mod import;

pub use import::{
    ClientAction, ClientImport, ImportInputs, ImportPreview, ProjectChange, TokenInput,
    TokenSource, import, preview, preview_with,
};

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
    // Written out in full: no guessing of https:// or http:// as a typed URL gets (any
    // scheme but those two is then refused by ServerUrl::parse).
    if !file.url.contains("://") {
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
    pub(crate) fn server(&self) -> ServerUrl {
        ServerUrl::parse(&self.url, true).expect("parse checked the URL")
    }
}

#[cfg(test)]
mod tests;
