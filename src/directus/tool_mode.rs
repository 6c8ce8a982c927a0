//! Directus' MCP tool mode: which tools `/mcp` lists, chosen by the URL's `tool_mode`.
//!
//! Read in Directus 12.4.1's own source (`@directus/api` 39.2.1 as installed, read
//! 2026-12-02): `dist/ai/mcp/server.js` line 167 takes
//! `req.query.tool_mode === "registry" ? "registry" : "legacy"` — `registry` is the only
//! value it knows; any other value, or none, is the full list. In registry mode
//! `tools/list` answers `ToolRegistry.getRootTools()` (`dist/ai/tools/registry.js` lines
//! 44–56): `search`, `execute`, and `schema` when the user may use it; the full mode lists
//! every tool the user gets. Directus' guide (directus/docs
//! `content/guides/12.ai/2.mcp/1.installation.md` "Choose a Tool Mode", acb59c8 of
//! 2026-08-19) recommends registry mode for clients that load every tool definition upfront
//! (no tool search), and notes that approval rules then see only `execute`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

/// The query parameter Directus reads.
pub const TOOL_MODE_PARAMETER: &str = "tool_mode";

/// The tools Directus lists in registry mode (`schema` only when the user may read the
/// schema).
pub const REGISTRY_TOOLS: [&str; 3] = ["search", "execute", "schema"];

/// Which tools a client gets from Directus' MCP endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ToolMode {
    /// Every tool, one by one (Directus' default, no `tool_mode` in the URL): best for
    /// clients with their own tool search or deferred loading.
    #[default]
    Full,
    /// `search`, `execute` and `schema` only (`?tool_mode=registry`): the model searches
    /// Directus' tools itself; for clients that load every tool definition upfront.
    Registry,
}

impl ToolMode {
    /// The name used on the command line and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Registry => "registry",
        }
    }

    /// Parses a command-line name (`full` or `registry`).
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Full, Self::Registry]
            .into_iter()
            .find(|mode| mode.as_str() == name)
    }

    /// The mode `url` gives a client, read as Directus reads it: `registry` only when its
    /// (last) `tool_mode` is exactly `registry`.
    pub fn of_url(url: &Url) -> Self {
        match url
            .query_pairs()
            .filter(|(key, _)| key == TOOL_MODE_PARAMETER)
            .last()
        {
            Some((_, value)) if value == "registry" => Self::Registry,
            _ => Self::Full,
        }
    }

    /// `url` giving this mode: its `tool_mode` parameters taken out, then
    /// `tool_mode=registry` put first for registry mode (the URL is otherwise unchanged, so
    /// the full mode gives back Directus' plain `/mcp`).
    pub fn apply(self, url: &Url) -> Url {
        let others: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(key, _)| key != TOOL_MODE_PARAMETER)
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        let mut result = url.clone();
        result.set_query(None);
        if self == Self::Registry || !others.is_empty() {
            let mut pairs = result.query_pairs_mut();
            if self == Self::Registry {
                pairs.append_pair(TOOL_MODE_PARAMETER, "registry");
            }
            for (key, value) in &others {
                pairs.append_pair(key, value);
            }
        }
        result
    }

    /// `url` without its `tool_mode` (what it points at, whatever the mode).
    pub fn strip(url: &Url) -> Url {
        Self::Full.apply(url)
    }

    /// What a client gets in this mode, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Full => "every Directus tool (full tool list)",
            Self::Registry => {
                "Directus' registry tools only (search, execute, schema; ?tool_mode=registry)"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn registry_mode_puts_tool_mode_in_the_url_and_full_mode_takes_it_out() {
        let plain = url("https://cms.example.com/mcp");
        let registry = ToolMode::Registry.apply(&plain);
        assert_eq!(
            registry.as_str(),
            "https://cms.example.com/mcp?tool_mode=registry"
        );
        assert_eq!(ToolMode::Full.apply(&registry), plain);
        assert_eq!(ToolMode::Full.apply(&plain).as_str(), plain.as_str());
        assert_eq!(ToolMode::Registry.apply(&registry), registry, "idempotent");
    }

    #[test]
    fn other_query_parameters_stay() {
        let with_token = url("https://cms.example.com/mcp?access_token=abc");
        assert_eq!(
            ToolMode::Registry.apply(&with_token).as_str(),
            "https://cms.example.com/mcp?tool_mode=registry&access_token=abc"
        );
        assert_eq!(
            ToolMode::strip(&url(
                "https://cms.example.com/mcp?tool_mode=registry&access_token=abc"
            )),
            with_token
        );
    }

    #[test]
    fn the_mode_is_read_as_directus_reads_it() {
        assert_eq!(
            ToolMode::of_url(&url("https://h/mcp?tool_mode=registry")),
            ToolMode::Registry
        );
        for full in [
            "https://h/mcp",
            "https://h/mcp?tool_mode=Registry",
            "https://h/mcp?tool_mode=legacy",
            "https://h/mcp?tool_mode=",
        ] {
            assert_eq!(ToolMode::of_url(&url(full)), ToolMode::Full, "{full}");
        }
    }

    #[test]
    fn names_round_trip() {
        for mode in [ToolMode::Full, ToolMode::Registry] {
            assert_eq!(ToolMode::from_name(mode.as_str()), Some(mode));
        }
        assert_eq!(ToolMode::from_name("legacy"), None);
    }
}
