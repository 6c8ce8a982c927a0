//! Which Directus this is, read first (`/server/info`), and what its version can do.
//!
//! Directus' built-in MCP server came in 11.12 (beta) and left beta in 11.13; MCP OAuth
//! (`mcp_oauth_*` settings, `/mcp-oauth` routes, `MCP_OAUTH_*` environment switches) came
//! in 12.0. This tool supports 11.13 and later: on 11.13–11.x every MCP and static-token
//! step works and the OAuth steps say what upgrading to 12 brings; below 11.13 every step
//! refuses before it changes anything.

use std::fmt;

use serde::Deserialize;

use super::client::DirectusClient;
use super::error::DirectusError;

/// The oldest Directus this tool sets up: MCP left beta in 11.13.
pub const OLDEST_SUPPORTED: ServerVersion = ServerVersion::new(11, 13, 0);

/// The first Directus with MCP OAuth.
pub const FIRST_WITH_OAUTH: ServerVersion = ServerVersion::new(12, 0, 0);

/// A Directus release number, as `/server/info` reports it ("12.4.1", "11.17.4").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServerVersion {
    major: u32,
    minor: u32,
    patch: u32,
}

impl ServerVersion {
    /// The version `major.minor.patch`.
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }

    /// Reads "12.4.1" (a pre-release or build suffix such as "-rc.1" is ignored); `None`
    /// when it is not a release number.
    pub fn parse(text: &str) -> Option<Self> {
        let core = text.trim().split(['-', '+']).next()?;
        let mut parts = core.split('.').map(str::parse::<u32>);
        let major = parts.next()?.ok()?;
        let minor = parts.next().unwrap_or(Ok(0)).ok()?;
        let patch = parts.next().unwrap_or(Ok(0)).ok()?;
        Some(Self::new(major, minor, patch))
    }
}

impl fmt::Display for ServerVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// What a Directus version offers this tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capabilities {
    /// Older than 11.13: no MCP server this tool can set up.
    NoMcp,
    /// 11.13–11.x: MCP with static tokens; no MCP OAuth.
    McpWithoutOAuth,
    /// 12.0 or later (or a version this tool could not read): MCP and MCP OAuth.
    McpAndOAuth,
}

impl Capabilities {
    /// What `version` (as `/server/info` reported it) offers. A version that is not a
    /// release number (a development build, or hidden from a non-admin) is taken to be a
    /// current one: the requests then say themselves what is missing.
    pub fn of(version: &str) -> Self {
        match ServerVersion::parse(version) {
            Some(version) if version < OLDEST_SUPPORTED => Self::NoMcp,
            Some(version) if version < FIRST_WITH_OAUTH => Self::McpWithoutOAuth,
            _ => Self::McpAndOAuth,
        }
    }

    /// Whether this version has MCP OAuth.
    pub fn has_oauth(self) -> bool {
        self == Self::McpAndOAuth
    }
}

pub use super::error::WHAT_UPGRADING_BRINGS;

/// The server's version and what it offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerKind {
    /// The version as `/server/info` reported it ("unknown" when it did not).
    pub version: String,
    /// What that version offers.
    pub capabilities: Capabilities,
}

impl ServerKind {
    /// The kind of a server that reported `version`.
    pub fn from_reported(version: &str) -> Self {
        Self {
            version: version.to_owned(),
            capabilities: Capabilities::of(version),
        }
    }

    /// Ok for a version this tool can set up; below 11.13 the refusal every changing step
    /// gives before it changes anything.
    pub fn require_mcp(&self) -> Result<&Self, DirectusError> {
        if self.capabilities == Capabilities::NoMcp {
            return Err(DirectusError::McpNotSupported {
                version: self.version.clone(),
            });
        }
        Ok(self)
    }

    /// Ok when this version has MCP OAuth; on 11.13–11.x the plain refusal of the OAuth
    /// steps.
    pub fn require_oauth(&self) -> Result<&Self, DirectusError> {
        self.require_mcp()?;
        if !self.capabilities.has_oauth() {
            return Err(DirectusError::OAuthNeedsDirectus12 {
                version: self.version.clone(),
            });
        }
        Ok(self)
    }
}

/// Reads the version from `/server/info` (one request; Directus shows it to
/// administrators).
pub async fn read(client: &DirectusClient) -> Result<ServerKind, DirectusError> {
    #[derive(Deserialize)]
    struct Info {
        version: Option<String>,
    }
    let info: Info = client.get("/server/info", &[]).await?;
    Ok(ServerKind::from_reported(
        info.version.as_deref().unwrap_or("unknown"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_below_11_13_have_no_mcp_this_tool_sets_up() {
        assert_eq!(Capabilities::of("11.11.0"), Capabilities::NoMcp);
        assert_eq!(Capabilities::of("11.12.0"), Capabilities::NoMcp);
        assert_eq!(Capabilities::of("10.13.3"), Capabilities::NoMcp);
    }

    #[test]
    fn versions_11_13_to_11_x_have_mcp_without_oauth() {
        assert_eq!(Capabilities::of("11.13.0"), Capabilities::McpWithoutOAuth);
        assert_eq!(Capabilities::of("11.17.4"), Capabilities::McpWithoutOAuth);
        assert_eq!(Capabilities::of("11.99.9"), Capabilities::McpWithoutOAuth);
    }

    #[test]
    fn version_12_and_later_have_oauth() {
        assert_eq!(Capabilities::of("12.0.0"), Capabilities::McpAndOAuth);
        assert_eq!(Capabilities::of("12.0.0-rc.1"), Capabilities::McpAndOAuth);
        assert_eq!(Capabilities::of("12.4.1"), Capabilities::McpAndOAuth);
        assert_eq!(Capabilities::of("13.0.0"), Capabilities::McpAndOAuth);
    }

    #[test]
    fn an_unreadable_version_is_taken_as_a_current_one() {
        assert_eq!(Capabilities::of("unknown"), Capabilities::McpAndOAuth);
        assert_eq!(Capabilities::of(""), Capabilities::McpAndOAuth);
    }

    #[test]
    fn the_refusals_name_the_version_and_what_to_do() {
        let old = ServerKind::from_reported("11.11.0");
        let refusal = old.require_mcp().unwrap_err().to_string();
        assert!(refusal.contains("11.11.0"), "{refusal}");
        assert!(refusal.contains("11.13"), "{refusal}");
        assert!(refusal.contains("Nothing was changed"), "{refusal}");
        let eleven = ServerKind::from_reported("11.17.4");
        assert!(eleven.require_mcp().is_ok());
        let oauth = eleven.require_oauth().unwrap_err().to_string();
        assert!(oauth.contains("needs Directus 12"), "{oauth}");
        assert!(oauth.contains("11.17.4"), "{oauth}");
        assert!(oauth.contains("MCP token"), "{oauth}");
        assert!(ServerKind::from_reported("12.0.2").require_oauth().is_ok());
    }
}
