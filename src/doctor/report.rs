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

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Check {
    /// What was checked: `address`, `tls`, `mcp-endpoint`, `discovery`, `oauth`, `cimd`.
    pub topic: String,
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
