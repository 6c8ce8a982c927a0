//! Claude Desktop. Its settings file takes only local (stdio) servers, so a token
//! connection is a bridge entry: our own `directus-mcp-setup bridge`, which reads the token
//! from the OS keyring (nothing secret in the file, no Node.js), or on request `mcp-remote`
//! with the token in `env` (never in the arguments). OAuth is a custom connector added in its
//! settings window.
//!
//! Its file: `~/Library/Application Support/Claude/claude_desktop_config.json` (macOS),
//! `$XDG_CONFIG_HOME/Claude/…` (Linux builds), and on Windows the one [`crate::clients::msix`] chooses: inside
//! the MSIX package (`%LOCALAPPDATA%\Packages\Claude_*\LocalCache\Roaming\Claude\`) since
//! February 2026, `%APPDATA%\Claude\` for an unpackaged install. Inside WSL it is the Windows
//! user's file, and the bridge is started through `wsl.exe`.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::claude_ai::{custom_connector_steps, remove_connector_steps};
use crate::clients::connector::{
    ClientConnector, ClientInfo, Detection, OAuthRegistration, SetupKind,
};
use crate::clients::environment::{ClientEnvironment, Os};
use crate::clients::error::ClientError;
use crate::clients::file_client::{self, FileClient, program_or_folder, scoped_path};
use crate::clients::folders::RealFolders;
use crate::clients::manual::{UrlWithToken, token_in_url_warning};
use crate::clients::msix::{self, ClaudeDesktopFile};
use crate::clients::plan::{Plan, Step};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, StdioBridge, Target};
use crate::clients::status::{
    ClientStatus, Expected, FoundAuth, FoundConnection, auth_from_header,
};
use crate::config_edit::{Entry, EntryPath};
use crate::directus::Reach;
use crate::directus::tool_mode::ToolMode;
use url::Url;

/// Claude Desktop.
pub struct ClaudeDesktop;

const NAME: &str = "Claude Desktop";

/// The bridge run by Claude Desktop, pinned so a new release cannot change what runs.
pub const MCP_REMOTE: &str = "mcp-remote@0.15.1";

/// The environment variable the bridge reads the `Authorization` value from.
const AUTH_VARIABLE: &str = "AUTH_HEADER";

/// The settings-file half of Claude Desktop.
struct BridgeFile;

/// Windows' launcher of WSL programs, found on every Windows PATH (System32).
const WSL_LAUNCHER: &str = "wsl.exe";

impl BridgeFile {
    /// The file Claude Desktop reads (the Windows user's inside WSL).
    fn settings_file(env: &ClientEnvironment) -> Result<ClaudeDesktopFile, ClientError> {
        let desktop = env.desktop_apps();
        Ok(match desktop.os {
            Os::Windows => msix::choose_config_file(
                &desktop.app_config_dir,
                &desktop.local_app_data,
                desktop.claude_desktop_package.as_deref(),
                &RealFolders,
            )?,
            Os::Linux | Os::MacOs => ClaudeDesktopFile::Classic(
                desktop
                    .app_config_dir
                    .join("Claude")
                    .join(msix::CONFIG_FILE),
            ),
        })
    }

    /// The bridge's program and arguments as Claude Desktop starts it: the program's
    /// absolute path (outside any package), or through `wsl.exe` when the program is inside
    /// WSL and Claude Desktop on Windows.
    fn bridge_command(
        env: &ClientEnvironment,
        program: &std::path::Path,
        args: Vec<String>,
    ) -> (String, Vec<String>) {
        let program = program.display().to_string();
        let Some(wsl) = env.wsl.as_ref().filter(|wsl| wsl.windows.is_some()) else {
            return (program, args);
        };
        let mut wrapped = Vec::new();
        if let Some(distro) = &wsl.distro {
            wrapped.extend(["-d".to_owned(), distro.clone()]);
        }
        wrapped.extend(["--".to_owned(), program]);
        wrapped.extend(args);
        (WSL_LAUNCHER.to_owned(), wrapped)
    }
}

impl FileClient for BridgeFile {
    fn id(&self) -> &'static str {
        ClaudeDesktop.id()
    }

    fn name(&self) -> &'static str {
        ClaudeDesktop.name()
    }

    fn info(&self) -> ClientInfo {
        ClaudeDesktop.info()
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        let desktop = env.desktop_apps();
        let mut folders = Vec::new();
        if desktop.os == Os::Windows {
            let packages = msix::installed_packages(&desktop.local_app_data, &RealFolders);
            let packages_dir = msix::packages_dir(&desktop.local_app_data);
            folders.extend(packages.iter().map(|package| packages_dir.join(package)));
        }
        folders.push(desktop.app_config_dir.join("Claude"));
        if desktop.os == Os::MacOs {
            folders.push("/Applications/Claude.app".into());
        }
        program_or_folder(desktop, &["claude-desktop"], &folders)
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        let user = match target.scope {
            Scope::User => Self::settings_file(env)?.path().to_path_buf(),
            Scope::Project => PathBuf::new(),
        };
        scoped_path(NAME, target, user, None)
    }

    fn entries(
        &self,
        env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let url = request.mcp_url.as_str();
        let remote_http = request.mcp_url.scheme() == "http"
            && Reach::of(&request.mcp_url) != Reach::ThisComputer;
        match &request.stdio_bridge {
            StdioBridge::Builtin(program) => {
                let mut args = vec![
                    "bridge".to_owned(),
                    "--url".to_owned(),
                    directus_url(&request.mcp_url),
                ];
                if ToolMode::of_url(&request.mcp_url) == ToolMode::Registry {
                    args.extend(["--tool-mode".to_owned(), "registry".to_owned()]);
                }
                match request.auth {
                    AuthMode::Token => {
                        request.token_for(NAME)?;
                    }
                    AuthMode::Oauth => args.extend(["--auth".to_owned(), "oauth".to_owned()]),
                }
                if remote_http {
                    args.push("--allow-insecure-http".to_owned());
                }
                let (command, args) = Self::bridge_command(env, program, args);
                return Ok(vec![Entry {
                    path: self.entry_paths(&request.target.name).remove(0),
                    value: Some(json!({
                        "command": command,
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
        // A full path: Claude Desktop started from the dock does not get the shell's PATH
        // (inside WSL, Windows' own `npx`, found on Claude Desktop's PATH).
        let npx = env
            .desktop_apps()
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
        let mut args: Vec<&str> = entry
            .get("args")?
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let through_wsl = entry.get("command").and_then(Value::as_str) == Some(WSL_LAUNCHER);
        if let Some(end) = args
            .iter()
            .position(|arg| *arg == "--")
            .filter(|_| through_wsl)
        {
            // `wsl.exe [-d DISTRO] -- PROGRAM bridge …`
            args.drain(..(end + 2).min(args.len()));
        }
        if args.first() == Some(&"bridge") {
            let value_of = |flag: &str| {
                args.iter()
                    .position(|arg| *arg == flag)
                    .and_then(|at| args.get(at + 1))
            };
            let tool_mode = value_of("--tool-mode")
                .and_then(|name| ToolMode::from_name(name))
                .unwrap_or_default();
            let url = value_of("--url").map(|url| {
                let mcp = format!("{}/mcp", url.trim_end_matches('/'));
                match Url::parse(&mcp) {
                    Ok(parsed) => tool_mode.apply(&parsed).to_string(),
                    Err(_) => mcp,
                }
            });
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
                directus_url(&request.mcp_url),
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

/// Which file a packaged (MSIX) Claude Desktop reads, and that the usual one is not it.
fn which_file_note(env: &ClientEnvironment) -> Option<String> {
    match BridgeFile::settings_file(env).ok()? {
        ClaudeDesktopFile::Packaged { package, path } => Some(format!(
            "Claude Desktop is installed as the Windows package {package}: it reads {}, not %APPDATA%\\Claude\\claude_desktop_config.json (a file there is ignored).",
            path.display()
        )),
        ClaudeDesktopFile::Classic(_) => None,
    }
}

/// The Directus URL of its MCP endpoint (`…/mcp` and the tool mode taken off), as
/// `bridge --url` takes it (the tool mode goes in `--tool-mode`).
fn directus_url(mcp_url: &Url) -> String {
    let plain = ToolMode::strip(mcp_url);
    let text = plain.as_str();
    text.strip_suffix("/mcp")
        .unwrap_or(text)
        .trim_end_matches('/')
        .to_owned()
}

impl ClientConnector for ClaudeDesktop {
    fn cimd_client_id(&self) -> Option<&'static str> {
        // Its Connectors sign in from Anthropic's servers, as Claude.ai does.
        Some(super::claude_ai::CIMD_CLIENT_ID)
    }

    fn puts_token_in_url(&self) -> bool {
        true
    }

    fn id(&self) -> &'static str {
        "claude-desktop"
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: self.id().into(),
            name: self.name().into(),
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
                let mut plan = file_client::plan_entry_writes(&BridgeFile, env, request)?;
                plan.notes.extend(which_file_note(env));
                Ok(plan)
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
                let mut plan = file_client::plan_entry_writes(&BridgeFile, env, request)?;
                plan.notes.extend(which_file_note(env));
                match custom_connector_steps(request, NAME) {
                    Ok(mut by_hand) => {
                        by_hand.title =
                            "Or, without the bridge: a custom connector with the token in its URL"
                                .into();
                        plan.alternatives.push(by_hand);
                        plan.notes.push(token_in_url_warning(
                            UrlWithToken::TheAlternativeConnectorUrl,
                        ));
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
        let mut plan = file_client::plan_entry_removals(&BridgeFile, env, target)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::environment::WslSide;
    use crate::secret::SecretString;

    fn request(url: &str, bridge: StdioBridge) -> ConnectRequest {
        ConnectRequest {
            target: Target::new("directus", Scope::User, None).unwrap(),
            mcp_url: url::Url::parse(url).unwrap(),
            auth: AuthMode::Token,
            token: Some(SecretString::new("secret-token")),
            inline_token: false,
            token_env_var: None,
            token_access: Default::default(),
            stdio_bridge: bridge,
            oauth_via_bridge: false,
        }
    }

    fn entry(env: &ClientEnvironment, request: &ConnectRequest) -> Value {
        BridgeFile
            .entries(env, request)
            .unwrap()
            .remove(0)
            .value
            .unwrap()
    }

    fn windows_env(profile: &std::path::Path) -> ClientEnvironment {
        ClientEnvironment::new(Os::Windows, profile.to_path_buf(), None, None, None, None)
    }

    const WINDOWS_CLI: &str = r"C:\Program Files\Directus MCP Setup\directus-mcp-setup.exe";

    #[test]
    fn msix_bridge_command_is_the_cli_absolute_path_on_windows() {
        let home = tempfile::tempdir().unwrap();
        let env = windows_env(home.path());
        let request = request(
            "https://cms.example.com/mcp",
            StdioBridge::Builtin(WINDOWS_CLI.into()),
        );
        let value = entry(&env, &request);
        assert_eq!(value["command"], WINDOWS_CLI);
        assert_eq!(
            value["args"],
            json!(["bridge", "--url", "https://cms.example.com"])
        );
        assert_eq!(
            BridgeFile.read_connection(&[Some(value)]),
            Some(FoundConnection {
                url: Some("https://cms.example.com/mcp".into()),
                auth: FoundAuth::Keyring,
            })
        );
    }

    #[test]
    fn plain_http_is_allowed_without_a_flag_only_on_loopback_addresses() {
        let env = ClientEnvironment::new(Os::Linux, "/h".into(), None, None, None, None);
        let args = |url: &str| {
            let value = entry(
                &env,
                &request(url, StdioBridge::Builtin("/usr/bin/dms".into())),
            );
            value["args"].clone()
        };
        for loopback in [
            "http://localhost:8055/mcp",
            "http://127.0.0.1:8055/mcp",
            "http://127.0.0.2:8055/mcp",
            "http://[::1]:8055/mcp",
            "http://directus.localhost/mcp",
        ] {
            assert!(
                !args(loopback)
                    .as_array()
                    .unwrap()
                    .contains(&json!("--allow-insecure-http")),
                "{loopback}"
            );
        }
        assert!(
            args("http://192.168.1.20:8055/mcp")
                .as_array()
                .unwrap()
                .contains(&json!("--allow-insecure-http"))
        );
        let remote = entry(
            &env,
            &request("http://[::1]:8055/mcp", StdioBridge::McpRemote),
        );
        assert!(
            !remote["args"]
                .as_array()
                .unwrap()
                .contains(&json!("--allow-http"))
        );
    }

    /// A Windows profile (temporary folder) with Claude Desktop's package installed.
    fn packaged_profile() -> tempfile::TempDir {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(
            home.path()
                .join("AppData/Local/Packages/Claude_pzs8sxrjxfjjc/LocalCache/Roaming"),
        )
        .unwrap();
        home
    }

    #[test]
    fn msix_package_file_is_what_connect_status_and_disconnect_use() {
        let home = packaged_profile();
        let env = windows_env(home.path());
        let packaged = home
            .path()
            .join("AppData/Local/Packages/Claude_pzs8sxrjxfjjc/LocalCache/Roaming/Claude/claude_desktop_config.json");
        let request = request(
            "https://cms.example.com/mcp",
            StdioBridge::Builtin(WINDOWS_CLI.into()),
        );
        let target = request.target.clone();
        assert_eq!(
            ClaudeDesktop.config_file(&env, &target),
            Some(packaged.clone())
        );
        assert!(ClaudeDesktop.detect(&env).installed);
        let plan = ClaudeDesktop.plan_connect(&env, &request).unwrap();
        let written = plan.steps.iter().find_map(|step| match step {
            Step::EditFile(edit) => Some(edit.path.clone()),
            _ => None,
        });
        assert_eq!(written, Some(packaged.clone()));
        assert!(
            plan.notes
                .iter()
                .any(|note| note.contains("Windows package Claude_pzs8sxrjxfjjc")),
            "{:?}",
            plan.notes
        );
        std::fs::create_dir_all(packaged.parent().unwrap()).unwrap();
        std::fs::write(
            &packaged,
            serde_json::to_string(&json!({"mcpServers": {"directus": entry(&env, &request)}}))
                .unwrap(),
        )
        .unwrap();
        let expected = Expected {
            mcp_url: request.mcp_url.clone(),
            token: None,
        };
        let status = ClaudeDesktop.status(&env, &target, &expected).unwrap();
        assert!(
            matches!(&status, ClientStatus::Connected { file: Some(file), .. } if *file == packaged),
            "{status:?}"
        );
        let undo = ClaudeDesktop.plan_disconnect(&env, &target).unwrap();
        assert!(matches!(&undo.steps[0], Step::EditFile(edit) if edit.path == packaged));
    }

    #[test]
    fn msix_several_packages_stop_connect_and_name_the_choice() {
        let home = packaged_profile();
        std::fs::create_dir_all(
            home.path()
                .join("AppData/Local/Packages/Claude_other/LocalCache/Roaming"),
        )
        .unwrap();
        let mut env = windows_env(home.path());
        let request = request(
            "https://cms.example.com/mcp",
            StdioBridge::Builtin(WINDOWS_CLI.into()),
        );
        let error = ClaudeDesktop.plan_connect(&env, &request).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("DIRECTUS_MCP_SETUP_CLAUDE_PACKAGE"),
            "{error}"
        );
        assert_eq!(ClaudeDesktop.config_file(&env, &request.target), None);
        env.claude_desktop_package = Some("Claude_other".into());
        assert!(
            ClaudeDesktop
                .config_file(&env, &request.target)
                .unwrap()
                .starts_with(home.path().join("AppData/Local/Packages/Claude_other"))
        );
    }

    #[test]
    fn wsl_claude_desktop_uses_the_windows_file_and_starts_the_bridge_through_wsl_exe() {
        let windows_home = packaged_profile();
        let mut env = ClientEnvironment::new(Os::Linux, "/home/ana".into(), None, None, None, None);
        env.wsl = Some(WslSide {
            distro: Some("Ubuntu".into()),
            windows: Some(Box::new(ClientEnvironment::windows_user(
                windows_home.path().to_path_buf(),
                windows_home.path().join("AppData/Roaming"),
                windows_home.path().join("AppData/Local"),
            ))),
        });
        let request = request(
            "https://cms.example.com/mcp",
            StdioBridge::Builtin("/usr/bin/directus-mcp-setup".into()),
        );
        assert!(
            ClaudeDesktop
                .config_file(&env, &request.target)
                .unwrap()
                .starts_with(windows_home.path().join("AppData/Local/Packages"))
        );
        let value = entry(&env, &request);
        assert_eq!(value["command"], "wsl.exe");
        assert_eq!(
            value["args"],
            json!([
                "-d",
                "Ubuntu",
                "--",
                "/usr/bin/directus-mcp-setup",
                "bridge",
                "--url",
                "https://cms.example.com"
            ])
        );
        assert_eq!(
            BridgeFile.read_connection(&[Some(value)]),
            Some(FoundConnection {
                url: Some("https://cms.example.com/mcp".into()),
                auth: FoundAuth::Keyring,
            })
        );
        // mcp-remote runs on the Windows side: Windows' own npx, not this Linux one.
        let remote = entry(
            &env,
            &ConnectRequest {
                stdio_bridge: StdioBridge::McpRemote,
                ..request.clone()
            },
        );
        assert_eq!(remote["command"], "npx");
    }
}
