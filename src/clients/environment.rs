//! Where a client keeps its files on this computer: computed from HOME, XDG_CONFIG_HOME,
//! APPDATA, LOCALAPPDATA and the clients' own documented location variables (CODEX_HOME,
//! CLAUDE_CONFIG_DIR, CLINE_DIR, CLINE_DATA_DIR, CLINE_MCP_SETTINGS_PATH, COPILOT_HOME), so tests (and users
//! with unusual setups) can point them anywhere. Inside WSL it also holds the Windows user's
//! folders, where the Windows desktop apps read their settings.

use std::ffi::OsString;
use std::path::PathBuf;

use super::error::ClientError;
use super::msix::PACKAGE_VARIABLE;
use super::wsl::Wsl;
use crate::platform;

pub use crate::platform::Os;

/// The name of Cline's MCP settings file.
const CLINE_MCP_SETTINGS_FILE: &str = "cline_mcp_settings.json";

/// The folders and search path the connectors look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientEnvironment {
    /// The operating system whose conventions apply.
    pub os: Os,
    /// The user's home folder.
    pub home: PathBuf,
    /// Where desktop apps keep settings: `$XDG_CONFIG_HOME` or `~/.config` on Linux,
    /// `~/Library/Application Support` on macOS, `%APPDATA%` on Windows.
    pub app_config_dir: PathBuf,
    /// `$XDG_CONFIG_HOME` or `~/.config` (what Zed uses on Linux and macOS).
    pub xdg_config_dir: PathBuf,
    /// Codex's home: `$CODEX_HOME` or `~/.codex`.
    pub codex_home: PathBuf,
    /// The program search path (`PATH`).
    pub search_path: Option<OsString>,
    /// `%LOCALAPPDATA%` (default `~\AppData\Local`): where Windows keeps MSIX packages' data.
    pub local_app_data: PathBuf,
    /// `$CLAUDE_CONFIG_DIR`: Claude Code then keeps `.claude.json` (its user-scope MCP
    /// servers) in this folder instead of the home folder.
    pub claude_config_dir: Option<PathBuf>,
    /// Cline's folder: `$CLINE_DIR` or `~/.cline`.
    pub cline_dir: PathBuf,
    /// Cline's MCP settings file: `$CLINE_MCP_SETTINGS_PATH`, else
    /// `$CLINE_DATA_DIR/settings/cline_mcp_settings.json`, else
    /// `<Cline's folder>/data/settings/cline_mcp_settings.json`.
    pub cline_mcp_settings: PathBuf,
    /// GitHub Copilot CLI's folder: `$COPILOT_HOME` or `~/.copilot`.
    pub copilot_home: PathBuf,
    /// The Claude Desktop package picked by `DIRECTUS_MCP_SETUP_CLAUDE_PACKAGE` when several
    /// are installed (Windows).
    pub claude_desktop_package: Option<String>,
    /// Set inside WSL: the distribution and, when found, the Windows user's folders.
    pub wsl: Option<WslSide>,
}

/// What running inside WSL changes: the distribution, and the Windows user's environment,
/// where the Windows desktop apps (Claude Desktop, Cursor, VS Code, Windsurf) read their
/// settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WslSide {
    /// The distribution (`WSL_DISTRO_NAME`), when known.
    pub distro: Option<String>,
    /// The Windows user's environment, when their folders were found.
    pub windows: Option<Box<ClientEnvironment>>,
}

impl WslSide {
    /// The WSL side `found` describes, for the Linux environment `linux` (whose choice of
    /// Claude Desktop package carries over to the Windows side).
    pub fn of(found: Wsl, linux: &ClientEnvironment) -> Self {
        let windows = found.windows.map(|folders| {
            let mut windows = ClientEnvironment::windows_user(
                folders.home,
                folders.app_data,
                folders.local_app_data,
            );
            windows.claude_desktop_package = linux.claude_desktop_package.clone();
            Box::new(windows)
        });
        Self {
            distro: found.distro,
            windows,
        }
    }
}

impl ClientEnvironment {
    /// The environment of this process.
    pub fn from_process() -> Result<Self, ClientError> {
        let mut env = Self::from_vars(Os::current(), |name| std::env::var_os(name))?;
        if env.os == Os::Linux {
            env.wsl = Wsl::of_this_computer().map(|found| WslSide::of(found, &env));
        }
        Ok(env)
    }

    /// The environment the variables `var` describe on `os` (WSL is not looked for: that
    /// needs the file system, see [`Wsl::of_this_computer`]). Folder variables count only
    /// when absolute.
    pub fn from_vars(os: Os, var: impl Fn(&str) -> Option<OsString>) -> Result<Self, ClientError> {
        let folder = |name: &str| platform::folder_value(var(name));
        let home = platform::home(os, folder).ok_or(ClientError::NoHome)?;
        let mut env = Self::new(
            os,
            home,
            folder("XDG_CONFIG_HOME"),
            folder("APPDATA"),
            folder("CODEX_HOME"),
            var("PATH"),
        );
        if let Some(local) = folder("LOCALAPPDATA") {
            env.local_app_data = local;
        }
        env.claude_config_dir = folder("CLAUDE_CONFIG_DIR");
        if let Some(copilot_home) = folder("COPILOT_HOME") {
            env.copilot_home = copilot_home;
        }
        env.set_cline_locations(
            folder("CLINE_DIR"),
            folder("CLINE_DATA_DIR"),
            folder("CLINE_MCP_SETTINGS_PATH"),
        );
        env.claude_desktop_package = var(PACKAGE_VARIABLE)
            .and_then(|value| value.into_string().ok())
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty());
        Ok(env)
    }

    /// Cline's folder and MCP settings file from its variables, the way its SDK resolves
    /// them (cline/cline `sdk/packages/shared/src/storage/paths.ts`, `resolveClineDir`,
    /// `resolveClineDataDir`, `resolveMcpSettingsPath`, commit 01ffc20f; checked 2026-12-02).
    fn set_cline_locations(
        &mut self,
        cline_dir: Option<PathBuf>,
        data_dir: Option<PathBuf>,
        mcp_settings: Option<PathBuf>,
    ) {
        self.cline_dir = cline_dir.unwrap_or_else(|| self.home.join(".cline"));
        let data_dir = data_dir.unwrap_or_else(|| self.cline_dir.join("data"));
        self.cline_mcp_settings =
            mcp_settings.unwrap_or_else(|| data_dir.join("settings").join(CLINE_MCP_SETTINGS_FILE));
    }

    /// The environment of the Windows user whose folders are `home`, `app_data` and
    /// `local_app_data` (seen from inside WSL, under `/mnt/<drive>/`).
    pub fn windows_user(home: PathBuf, app_data: PathBuf, local_app_data: PathBuf) -> Self {
        let mut env = Self::new(Os::Windows, home, None, Some(app_data), None, None);
        env.local_app_data = local_app_data;
        env
    }

    /// Where desktop (GUI) apps read their settings: the Windows user's folders when this
    /// runs inside WSL and they were found (Claude Desktop, Cursor, VS Code and Windsurf
    /// run on Windows there), else this environment.
    pub fn desktop_apps(&self) -> &Self {
        self.wsl
            .as_ref()
            .and_then(|wsl| wsl.windows.as_deref())
            .unwrap_or(self)
    }

    /// An environment from explicit values; unset optional folders take their defaults.
    pub fn new(
        os: Os,
        home: PathBuf,
        xdg_config_home: Option<PathBuf>,
        app_data: Option<PathBuf>,
        codex_home: Option<PathBuf>,
        search_path: Option<OsString>,
    ) -> Self {
        let xdg_config_dir = xdg_config_home.unwrap_or_else(|| home.join(".config"));
        let app_config_dir = match os {
            Os::Linux => xdg_config_dir.clone(),
            Os::MacOs => home.join("Library").join("Application Support"),
            Os::Windows => app_data.unwrap_or_else(|| home.join("AppData").join("Roaming")),
        };
        let mut env = Self {
            os,
            codex_home: codex_home.unwrap_or_else(|| home.join(".codex")),
            local_app_data: home.join("AppData").join("Local"),
            claude_config_dir: None,
            copilot_home: home.join(".copilot"),
            cline_dir: PathBuf::new(),
            cline_mcp_settings: PathBuf::new(),
            claude_desktop_package: None,
            wsl: None,
            home,
            app_config_dir,
            xdg_config_dir,
            search_path,
        };
        env.set_cline_locations(None, None, None);
        env
    }

    /// The full path of `program` when it is on the search path.
    pub fn find_program(&self, program: &str) -> Option<PathBuf> {
        let search_path = self.search_path.as_ref()?;
        which::which_in(program, Some(search_path), &self.home).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_follow_each_os() {
        let home = PathBuf::from("/h");
        let linux = ClientEnvironment::new(Os::Linux, home.clone(), None, None, None, None);
        assert_eq!(linux.app_config_dir, PathBuf::from("/h/.config"));
        assert_eq!(linux.codex_home, PathBuf::from("/h/.codex"));
        let xdg = ClientEnvironment::new(
            Os::Linux,
            home.clone(),
            Some("/x".into()),
            None,
            Some("/c".into()),
            None,
        );
        assert_eq!(xdg.app_config_dir, PathBuf::from("/x"));
        assert_eq!(xdg.codex_home, PathBuf::from("/c"));
        let mac = ClientEnvironment::new(Os::MacOs, home.clone(), None, None, None, None);
        assert_eq!(
            mac.app_config_dir,
            PathBuf::from("/h/Library/Application Support")
        );
        assert_eq!(mac.xdg_config_dir, PathBuf::from("/h/.config"));
        let windows =
            ClientEnvironment::new(Os::Windows, home, None, Some("/a".into()), None, None);
        assert_eq!(windows.app_config_dir, PathBuf::from("/a"));
        assert_eq!(windows.local_app_data, PathBuf::from("/h/AppData/Local"));
    }

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> + use<> {
        let pairs: Vec<(String, OsString)> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), OsString::from(value)))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        }
    }

    #[test]
    fn location_variables_move_the_clients_files() {
        let env = ClientEnvironment::from_vars(
            Os::Linux,
            vars(&[
                ("HOME", "/home/ana"),
                ("CLAUDE_CONFIG_DIR", "/work/claude"),
                ("CLINE_DIR", "/work/cline"),
                ("CODEX_HOME", "/work/codex"),
                ("COPILOT_HOME", "/work/copilot"),
            ]),
        )
        .unwrap();
        assert_eq!(env.copilot_home, PathBuf::from("/work/copilot"));
        let user = super::super::request::Target::new(
            "directus",
            super::super::request::Scope::User,
            None,
        )
        .unwrap();
        let file = |id: &str| {
            super::super::registry::find(id)
                .unwrap()
                .config_file(&env, &user)
                .unwrap()
        };
        assert_eq!(
            file("claude-code"),
            PathBuf::from("/work/claude/.claude.json")
        );
        assert_eq!(
            file("cline"),
            PathBuf::from("/work/cline/data/settings/cline_mcp_settings.json")
        );
        assert_eq!(file("codex"), PathBuf::from("/work/codex/config.toml"));
        assert_eq!(
            file("copilot"),
            PathBuf::from("/work/copilot/mcp-config.json")
        );
        assert_eq!(env.claude_config_dir, Some(PathBuf::from("/work/claude")));
        assert_eq!(env.cline_dir, PathBuf::from("/work/cline"));
        assert_eq!(
            env.cline_mcp_settings,
            PathBuf::from("/work/cline/data/settings/cline_mcp_settings.json")
        );
        assert_eq!(env.codex_home, PathBuf::from("/work/codex"));
        let data = ClientEnvironment::from_vars(
            Os::Linux,
            vars(&[("HOME", "/home/ana"), ("CLINE_DATA_DIR", "/d")]),
        )
        .unwrap();
        assert_eq!(
            data.cline_mcp_settings,
            PathBuf::from("/d/settings/cline_mcp_settings.json")
        );
        let file = ClientEnvironment::from_vars(
            Os::Linux,
            vars(&[
                ("HOME", "/home/ana"),
                ("CLINE_DIR", "/work/cline"),
                ("CLINE_DATA_DIR", "/d"),
                ("CLINE_MCP_SETTINGS_PATH", "/m/servers.json"),
            ]),
        )
        .unwrap();
        assert_eq!(file.cline_mcp_settings, PathBuf::from("/m/servers.json"));
    }

    #[test]
    fn unset_relative_or_empty_location_variables_keep_the_defaults() {
        let env = ClientEnvironment::from_vars(
            Os::Linux,
            vars(&[
                ("HOME", "/home/ana"),
                ("CLAUDE_CONFIG_DIR", "relative/claude"),
                ("CLINE_DIR", ""),
                ("DIRECTUS_MCP_SETUP_CLAUDE_PACKAGE", " "),
            ]),
        )
        .unwrap();
        assert_eq!(env.claude_config_dir, None);
        assert_eq!(
            env.cline_mcp_settings,
            PathBuf::from("/home/ana/.cline/data/settings/cline_mcp_settings.json")
        );
        assert_eq!(env.claude_desktop_package, None);
        assert!(matches!(
            ClientEnvironment::from_vars(Os::Linux, vars(&[])),
            Err(ClientError::NoHome)
        ));
    }

    #[test]
    fn windows_folders_come_from_the_given_environment() {
        let env = ClientEnvironment::from_vars(
            Os::Windows,
            vars(&[
                ("USERPROFILE", r"C:\Users\ana"),
                ("APPDATA", r"D:\Roaming"),
                ("LOCALAPPDATA", r"D:\Local"),
                ("DIRECTUS_MCP_SETUP_CLAUDE_PACKAGE", "Claude_pzs8sxrjxfjjc"),
            ]),
        )
        .unwrap();
        assert_eq!(env.app_config_dir, PathBuf::from(r"D:\Roaming"));
        assert_eq!(env.local_app_data, PathBuf::from(r"D:\Local"));
        assert_eq!(
            env.claude_desktop_package.as_deref(),
            Some("Claude_pzs8sxrjxfjjc")
        );
        let default =
            ClientEnvironment::from_vars(Os::Windows, vars(&[("USERPROFILE", r"C:\Users\ana")]))
                .unwrap();
        assert_eq!(
            default.local_app_data,
            PathBuf::from(r"C:\Users\ana").join("AppData").join("Local")
        );
    }

    fn in_wsl(windows_home: &std::path::Path) -> ClientEnvironment {
        let mut env = ClientEnvironment::new(Os::Linux, "/home/ana".into(), None, None, None, None);
        env.wsl = Some(WslSide::of(
            Wsl {
                distro: Some("Ubuntu".into()),
                windows: Some(crate::clients::wsl::WindowsFolders {
                    home: windows_home.to_path_buf(),
                    app_data: windows_home.join("AppData/Roaming"),
                    local_app_data: windows_home.join("AppData/Local"),
                }),
            },
            &env,
        ));
        env
    }

    #[test]
    fn wsl_desktop_editors_read_the_windows_users_files() {
        let windows_home = PathBuf::from("/mnt/c/Users/ana");
        let env = in_wsl(&windows_home);
        let target = crate::clients::request::Target::new(
            "directus",
            crate::clients::request::Scope::User,
            None,
        )
        .unwrap();
        let file = |id: &str| {
            crate::clients::registry::find(id)
                .unwrap()
                .config_file(&env, &target)
                .unwrap()
        };
        assert_eq!(file("cursor"), windows_home.join(".cursor/mcp.json"));
        assert_eq!(
            file("windsurf"),
            windows_home.join(".codeium/windsurf/mcp_config.json")
        );
        assert_eq!(
            file("vscode"),
            windows_home.join("AppData/Roaming/Code/User/mcp.json")
        );
        // Terminal clients run inside WSL and keep the Linux user's files.
        assert_eq!(
            file("gemini"),
            PathBuf::from("/home/ana/.gemini/settings.json")
        );
    }

    #[test]
    fn wsl_oauth_plans_carry_the_callback_notice() {
        let request = |auth| crate::clients::request::ConnectRequest {
            target: crate::clients::request::Target::new(
                "directus",
                crate::clients::request::Scope::User,
                None,
            )
            .unwrap(),
            mcp_url: url::Url::parse("https://cms.example.com/mcp").unwrap(),
            auth,
            token: None,
            inline_token: false,
            token_env_var: None,
            token_access: Default::default(),
            stdio_bridge: Default::default(),
            oauth_via_bridge: false,
        };
        let notes = |env: &ClientEnvironment| {
            crate::clients::plan_connection(
                crate::clients::find("claude-code").unwrap(),
                env,
                &request(crate::clients::request::AuthMode::Oauth),
            )
            .unwrap()
            .notes
        };
        let outside = ClientEnvironment::new(Os::Linux, "/home/ana".into(), None, None, None, None);
        assert!(
            !notes(&outside)
                .iter()
                .any(|n| n == crate::clients::wsl::OAUTH_CALLBACK_NOTE)
        );
        let inside = in_wsl(std::path::Path::new("/mnt/c/Users/ana"));
        assert!(
            notes(&inside)
                .iter()
                .any(|n| n == crate::clients::wsl::OAUTH_CALLBACK_NOTE),
            "{:?}",
            notes(&inside)
        );
    }
}
