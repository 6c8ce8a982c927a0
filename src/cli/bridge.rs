//! `bridge`: the stdio MCP server local-only clients start (see [`crate::mcp::bridge`]).
//! Its stdout is the MCP stream, so everything else it says goes to stderr.

use std::process::ExitCode;
use std::sync::Arc;

use super::args::{AuthArg, BridgeArgs, ConnectionArgs};
use super::{EXIT_FAILED, EXIT_OK, one_line, server_url};
use crate::directus::ServerUrl;
use crate::directus::client::build_streaming_http_client;
use crate::mcp::bridge::oauth::{self as bridge_oauth, ConsentUrl, OpenBrowser, SecretSlot};
use crate::mcp::bridge::{self, BridgeAuth, BridgeTarget, TIMEOUT_VARIABLE, Timeouts, TokenSource};
use crate::secret::SecretString;
use crate::secret_store::{SecretKind, SecretStore};

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

/// The bridge's OAuth sign-in, kept in the OS keyring.
struct KeyringSlot {
    store: SecretStore,
    server: ServerUrl,
}

impl SecretSlot for KeyringSlot {
    fn load(&self) -> Result<Option<SecretString>, String> {
        self.store
            .load(&self.server, &SecretKind::BridgeOAuth)
            .map_err(|error| one_line(&error.to_string()))
    }

    fn save(&self, value: &SecretString) -> Result<(), String> {
        self.store
            .store(&self.server, &SecretKind::BridgeOAuth, value)
            .map_err(|error| one_line(&error.to_string()))
    }

    fn clear(&self) -> Result<(), String> {
        self.store
            .delete(&self.server, &SecretKind::BridgeOAuth)
            .map_err(|error| one_line(&error.to_string()))
    }
}

/// Opens the consent page in the user's browser: `$BROWSER` when set, else the system's
/// opener. The page holds nothing secret, and it was checked (see [`ConsentUrl`]): an
/// `http(s)` address on Directus or its issuer, so the opener gets no other scheme and the
/// argument always starts with the scheme, never with `-`.
fn open_in_browser(consent: &ConsentUrl) {
    let url = consent.as_str();
    let mut command = match std::env::var_os("BROWSER").filter(|value| !value.is_empty()) {
        Some(browser) => std::process::Command::new(browser),
        None if cfg!(target_os = "macos") => std::process::Command::new("open"),
        None if cfg!(windows) => {
            let mut command = std::process::Command::new("rundll32");
            command.arg("url.dll,FileProtocolHandler");
            command
        }
        None => std::process::Command::new("xdg-open"),
    };
    let _ = command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
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
    let timeouts = match Timeouts::from_setting(std::env::var(TIMEOUT_VARIABLE).ok().as_deref()) {
        Ok(timeouts) => timeouts,
        Err(reason) => return fail(reason),
    };
    let store = SecretStore::new();
    if let Some(note) = SecretStore::backend_note() {
        eprintln!("{name}: note: {note}");
    }
    let target = BridgeTarget {
        endpoint: crate::directus::tool_mode::ToolMode::from(args.tool_mode)
            .apply(&server.mcp_endpoint())
            .to_string(),
        http,
        name: name.clone(),
        timeouts,
    };
    let auth = match args.auth {
        AuthArg::Token => BridgeAuth::Token(Arc::new(KeyringToken { store, server })),
        AuthArg::Oauth => BridgeAuth::OAuth {
            slot: Arc::new(KeyringSlot { store, server }),
            open_browser: Arc::new(open_in_browser) as OpenBrowser,
        },
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(format!("cannot start the async runtime: {error}")),
    };
    if args.sign_in_only {
        let BridgeAuth::OAuth { slot, open_browser } = auth else {
            return fail("--sign-in-only goes with --auth oauth".to_owned());
        };
        let log = |message: &str| eprintln!("{name}: {message}");
        return match runtime.block_on(bridge_oauth::signed_in(
            &target.endpoint,
            &target.http,
            slot,
            &open_browser,
            &log,
            target.timeouts.connect,
        )) {
            Ok(_) => {
                eprintln!("{name}: signed in");
                ExitCode::from(EXIT_OK)
            }
            Err(reason) => fail(reason.to_string()),
        };
    }
    eprintln!("{name}: serving MCP on stdio for {}", target.endpoint);
    match runtime.block_on(bridge::serve_stdio(target, auth)) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(error) => fail(error.to_string()),
    }
}
