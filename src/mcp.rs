//! The MCP side: a real handshake against Directus' `/mcp` endpoint, as a client does it,
//! and the stdio bridge for clients that only start local servers.

#[cfg(feature = "cli")]
pub mod bridge;
pub mod probe;
pub mod session;

pub use probe::{McpProbeError, McpReport, probe};
