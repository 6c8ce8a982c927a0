//! Claude Desktop. Its settings file takes only local (stdio) servers, so a token
//! connection is a bridge entry: our own `directus-mcp-setup bridge`, which reads the token
//! from the OS keyring (nothing secret in the file, no Node.js), or on request `mcp-remote`
//! with the token in `env` (never in the arguments). OAuth is a custom connector added in its
//! settings window.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::claude_ai::{custom_connector_steps, remove_connector_steps};
use crate::clients::connector::{
    ClientConnector, ClientInfo, Detection, OAuthRegistration, SetupKind,
};
use crate::clients::environment::{ClientEnvironment, Os};
use crate::clients::error::ClientError;
use crate::clients::file_client::{self, FileClient, program_or_folder, scoped_path};
use crate::clients::manual::TOKEN_IN_URL_WARNING;
use crate::clients::plan::{Plan, Step};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, StdioBridge, Target};
use crate::clients::status::{
    ClientStatus, Expected, FoundAuth, FoundConnection, auth_from_header,
};
use crate::config_edit::{Entry, EntryPath};

/// Claude Desktop.
pub struct ClaudeDesktop;

const NAME: &str = "Claude Desktop";

/// The bridge run by Claude Desktop, pinned so a new release cannot change what runs.
pub const MCP_REMOTE: &str = "mcp-remote@0.15.1";

/// The environment variable the bridge reads the `Authorization` value from.
const AUTH_VARIABLE: &str = "AUTH_HEADER";

/// The settings-file half of Claude Desktop.
struct BridgeFile;

impl BridgeFile {
    fn config_dir(env: &ClientEnvironment) -> PathBuf {
        env.app_config_dir.join("Claude")
    }
}

impl FileClient for BridgeFile {
    fn info(&self) -> ClientInfo {
        ClaudeDesktop.info()
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        let mut folders = vec![Self::config_dir(env)];
        if env.os == Os::MacOs {
            folders.push("/Applications/Claude.app".into());
        }
        program_or_folder(env, &["claude-desktop"], &folders)
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        let user = Self::config_dir(env).join("claude_desktop_config.json");
        scoped_path(NAME, target, user, None)
    }

    fn entries(
        &self,
        env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let url = request.mcp_url.as_str();
        let loopback = matches!(request.mcp_url.host_str(), Some("localhost" | "127.0.0.1"));
        let remote_http = request.mcp_url.scheme() == "http" && !loopback;
        match &request.stdio_bridge {
            StdioBridge::Builtin(program) => {
                let mut args = vec![
                    "bridge".to_owned(),
                    "--url".to_owned(),
                    directus_url(url).to_owned(),
                ];
                match request.auth {
                    AuthMode::Token => {
                        request.token_for(NAME)?;
                    }
                    AuthMode::Oauth => args.extend(["--auth".to_owned(), "oauth".to_owned()]),
                }
                if remote_http {
                    args.push("--allow-insecure-http".to_owned());
                }
                return Ok(vec![Entry {
                    path: self.entry_paths(&request.target.name).remove(0),
                    value: Some(json!({
                        "command": program.display().to_string(),
                        "args": args,
                    })),
                    managed: &["command", "args", "env"],
                }]);
            }
            StdioBridge::Missing(why) => {
                return Err(ClientError::NoBridge {
                    client: NAME.to_owned(),
                    why: why.clone(),
                });
            }
            StdioBridge::McpRemote => {}
        }
        // A full path: Claude Desktop started from the dock does not get the shell's PATH.
        let npx = env
            .find_program("npx")
            .map_or_else(|| "npx".to_owned(), |path| path.display().to_string());
        let mut args = vec![
            "-y".to_owned(),
            MCP_REMOTE.to_owned(),
            url.to_owned(),
            "--header".to_owned(),
            format!("Authorization:${{{AUTH_VARIABLE}}}"),
        ];
        if remote_http {
            args.push("--allow-http".to_owned());
        }
        Ok(vec![Entry {
            path: self.entry_paths(&request.target.name).remove(0),
            value: Some(json!({
                "command": npx,
                "args": args,
                "env": { AUTH_VARIABLE: request.bearer(NAME)? },
            })),
            managed: &["command", "args", "env"],
        }])
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![EntryPath::key(&["mcpServers", name])]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.stdio_bridge == StdioBridge::McpRemote
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        let entry = values.first()?.as_ref()?;
        let args: Vec<&str> = entry
            .get("args")?
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if args.first() == Some(&"bridge") {
            let value_of = |flag: &str| {
                args.iter()
                    .position(|arg| *arg == flag)
                    .and_then(|at| args.get(at + 1))
            };
            let url = value_of("--url").map(|url| format!("{}/mcp", url.trim_end_matches('/')));
            let auth = if value_of("--auth") == Some(&"oauth") {
                FoundAuth::Oauth
            } else {
                FoundAuth::Keyring
            };
            return Some(FoundConnection { url, auth });
        }
        let url = args
            .iter()
            .find(|arg| arg.starts_with("http://") || arg.starts_with("https://"))
            .map(|url| (*url).to_owned());
        let header = entry
            .get("env")
            .and_then(|env| env.get(AUTH_VARIABLE))
            .and_then(Value::as_str);
        Some(FoundConnection {
            url,
            auth: auth_from_header(header),
        })
    }

    fn notes(&self, request: &ConnectRequest) -> Vec<String> {
        match &request.stdio_bridge {
            StdioBridge::Builtin(program) if request.auth == AuthMode::Oauth => vec![format!(
                "Claude Desktop starts `{program} bridge --auth oauth`, which signs in to Directus itself: the first time, your browser opens Directus' consent page (approve it), and the tokens are then kept in the OS keyring and refreshed. To sign in now instead: `{program} bridge --url {} --auth oauth --sign-in-only`. Quit and reopen Claude Desktop to load it.",
                directus_url(request.mcp_url.as_str()),
                program = program.display()
            )],
            StdioBridge::Builtin(program) => vec![format!(
                "Claude Desktop starts `{} bridge`, which reads the MCP token from the OS keyring each time it connects: nothing secret is in this file, no Node.js is needed, and a token rotation needs no change here. Quit and reopen Claude Desktop to load it.",
                program.display()
            )],
            _ => vec![format!(
                "Claude Desktop starts the bridge with `npx -y {MCP_REMOTE}`: Node.js 18 or newer must be installed, and the token sits in this file (readable by you only): connect again after each token rotation. Quit and reopen Claude Desktop to load it."
            )],
        }
    }
}

/// The Directus URL of its MCP endpoint (`…/mcp` taken off), as `bridge --url` takes it.
fn directus_url(mcp_url: &str) -> &str {
    mcp_url
        .strip_suffix("/mcp")
        .unwrap_or(mcp_url)
        .trim_end_matches('/')
}

impl ClientConnector for ClaudeDesktop {
    fn cimd_client_id(&self) -> Option<&'static str> {
        // Its Connectors sign in from Anthropic's servers, as Claude.ai does.
        Some(super::claude_ai::CIMD_CLIENT_ID)
    }

    fn puts_token_in_url(&self) -> bool {
        true
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: "claude-desktop".into(),
            name: NAME.into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::CimdOrDcr,
            scopes: vec![Scope::User],
            token_storage: "in the OS keyring, read by our bridge when Claude Desktop starts it (nothing secret in claude_desktop_config.json); with --via mcp-remote, in that file as the bridge's environment, readable by you only".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        BridgeFile.detect(env)
    }

    fn plan_connect(
        &self,
        env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Plan, ClientError> {
        match request.auth {
            AuthMode::Oauth if request.oauth_via_bridge => {
                file_client::plan_connect(&BridgeFile, env, request)
            }
            AuthMode::Oauth => {
                let mut plan = Plan::new(
                    "claude-desktop",
                    vec![Step::Manual(custom_connector_steps(request, NAME)?)],
                );
                plan.notes.extend(crate::clients::cloud::unreachable_note(
                    "Claude Desktop's Connectors",
                    "Anthropic",
                    &request.mcp_url,
                ));
                plan.notes.push(
                    "Claude Desktop's settings file cannot hold a remote server, so OAuth is set up in its Connectors settings (or, for a Directus only this computer or network reaches, with `--via bridge`).".into(),
                );
                Ok(plan)
            }
            AuthMode::Token => {
                let mut plan = file_client::plan_connect(&BridgeFile, env, request)?;
                match custom_connector_steps(request, NAME) {
                    Ok(mut by_hand) => {
                        by_hand.title =
                            "Or, without the bridge: a custom connector with the token in its URL"
                                .into();
                        plan.alternatives.push(by_hand);
                        plan.notes.push(
                            TOKEN_IN_URL_WARNING
                                .replace("This URL", "The connector URL of the alternative"),
                        );
                    }
                    Err(why) => plan.notes.push(format!("No connector alternative: {why}")),
                }
                Ok(plan)
            }
        }
    }

    fn plan_disconnect(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<Plan, ClientError> {
        let mut plan = file_client::plan_disconnect(&BridgeFile, env, target)?;
        plan.alternatives.push(remove_connector_steps(NAME));
        Ok(plan)
    }

    fn config_file(&self, env: &ClientEnvironment, target: &Target) -> Option<PathBuf> {
        BridgeFile.config_path(env, target).ok()
    }

    fn status(
        &self,
        env: &ClientEnvironment,
        target: &Target,
        expected: &Expected,
    ) -> Result<ClientStatus, ClientError> {
        file_client::status(&BridgeFile, env, target, expected)
    }
}
