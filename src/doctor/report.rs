//! What the doctor hands back: one [`Check`] per finding, each with its [`Verdict`], in a
//! [`DoctorReport`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Nothing to do.
    Ok,
    /// Works, with a caveat.
    Warning,
    /// Will fail until fixed.
    Problem,
}

/// What a check is about (the `topic` of `doctor --json`, one per file under `doctor/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Topic {
    /// Who can reach the address.
    Address,
    /// The certificate, as a client here and a cloud connector see it.
    Tls,
    /// How `/mcp` answers a client without credentials.
    McpEndpoint,
    /// Whether `GET /mcp` answers 405 as connectors expect.
    McpGet,
    /// From the 401 to the protected-resource and authorization-server metadata.
    Discovery,
    /// OAuth readiness for the registrations the chosen clients use.
    Oauth,
    /// A Dynamic Client Registration made as each chosen client makes it.
    Registration,
    /// Whether Directus can fetch each chosen client's Client ID Metadata Document.
    Cimd,
    /// Why an OAuth sign-in ends, and the grants that ended before their time.
    OauthGrants,
    /// Signing in to Directus (the admin sign-in the other checks need).
    SignIn,
    /// What this Directus version can do for MCP.
    Version,
    /// Which tools each client's entry asks for (`?tool_mode=`).
    ToolMode,
}

impl std::fmt::Display for Topic {
    /// The topic as `doctor` prints it and `--json` spells it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Address => "address",
            Self::Tls => "tls",
            Self::McpEndpoint => "mcp-endpoint",
            Self::McpGet => "mcp-get",
            Self::Discovery => "discovery",
            Self::Oauth => "oauth",
            Self::Registration => "registration",
            Self::Cimd => "cimd",
            Self::OauthGrants => "oauth-grants",
            Self::SignIn => "sign-in",
            Self::Version => "version",
            Self::ToolMode => "tool-mode",
        })
    }
}

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Check {
    /// What was checked.
    pub topic: Topic,
    /// How it came out.
    pub verdict: Verdict,
    /// What was found.
    pub detail: String,
    /// What to change, exactly (problems and warnings).
    pub fix: Option<String>,
    /// The clients it is about (empty: all).
    pub clients: Vec<String>,
}

/// The doctor's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DoctorReport {
    /// Directus' MCP endpoint.
    pub mcp_url: String,
    /// The clients checked for.
    pub clients: Vec<String>,
    /// The checks, in order.
    pub checks: Vec<Check>,
}

impl DoctorReport {
    /// Whether any check is a problem.
    pub fn has_problems(&self) -> bool {
        self.checks
            .iter()
            .any(|check| check.verdict == Verdict::Problem)
    }
}

#[cfg(test)]
mod topic_tests {
    use super::Topic;

    #[test]
    fn every_topic_is_printed_as_json_spells_it() {
        for topic in [
            Topic::Address,
            Topic::Tls,
            Topic::McpEndpoint,
            Topic::McpGet,
            Topic::Discovery,
            Topic::Oauth,
            Topic::Registration,
            Topic::Cimd,
            Topic::OauthGrants,
            Topic::SignIn,
            Topic::Version,
            Topic::ToolMode,
        ] {
            let json = serde_json::to_value(topic).unwrap();
            assert_eq!(json, serde_json::Value::String(topic.to_string()));
        }
        assert_eq!(
            serde_json::to_value(Topic::OauthGrants).unwrap(),
            "oauth-grants"
        );
    }
}
