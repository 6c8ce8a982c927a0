//! The MCP side: a real handshake against Directus' `/mcp` endpoint, as a client does it.

pub mod probe;

pub use probe::{McpProbeError, McpReport, probe};
