//! `bridge`: the stdio MCP server local-only clients start (see [`crate::mcp::bridge`]).
//! Its stdout is the MCP stream, so everything else it says goes to stderr.

use std::process::ExitCode;
use std::sync::Arc;

use super::args::{BridgeArgs, ConnectionArgs};
use super::{EXIT_FAILED, EXIT_OK, one_line, server_url};
use crate::directus::ServerUrl;
use crate::directus::client::build_streaming_http_client;
use crate::mcp::bridge::{self, BridgeTarget, TokenSource};
use crate::secret::SecretString;
use crate::secrets::{SecretKind, SecretStore};

/// The MCP token of one Directus, read from the OS keyring each time it is asked for.
struct KeyringToken {
    store: SecretStore,
    server: ServerUrl,
}

impl TokenSource for KeyringToken {
    fn token(&self) -> Result<Option<SecretString>, String> {
        self.store
            .load(&self.server, &SecretKind::McpToken)
            .map_err(|error| one_line(&error.to_string()))
    }
}

/// Runs the bridge until stdin closes.
pub fn run(connection: &ConnectionArgs, args: &BridgeArgs) -> ExitCode {
    let name = format!("directus-mcp-setup bridge ({})", args.name);
    let fail = |message: String| {
        eprintln!("{name}: error: {}", one_line(&message));
        ExitCode::from(EXIT_FAILED)
    };
    let server = match server_url(connection) {
        Ok(server) => server,
        Err(error) => return fail(error.to_string()),
    };
    let http = match build_streaming_http_client(&server) {
        Ok(http) => http,
        Err(error) => return fail(error.to_string()),
    };
    let store = SecretStore::new();
    if let Some(note) = SecretStore::backend_note() {
        eprintln!("{name}: note: {note}");
    }
    let target = BridgeTarget {
        endpoint: server.mcp_endpoint().to_string(),
        http,
        name: name.clone(),
    };
    let tokens = Arc::new(KeyringToken { store, server });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(format!("cannot start the async runtime: {error}")),
    };
    eprintln!("{name}: serving MCP on stdio for {}", target.endpoint);
    match runtime.block_on(bridge::serve_stdio(target, tokens)) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(error) => fail(error.to_string()),
    }
}
