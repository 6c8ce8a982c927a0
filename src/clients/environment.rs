//! Where a client keeps its files on this computer: computed from HOME, XDG_CONFIG_HOME,
//! APPDATA and CODEX_HOME, so tests (and users with unusual setups) can point them anywhere.

use std::ffi::OsString;
use std::path::PathBuf;

use super::error::ClientError;
use crate::platform;

pub use crate::platform::Os;

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
}

impl ClientEnvironment {
    /// The environment of this process.
    pub fn from_process() -> Result<Self, ClientError> {
        let os = Os::current();
        let var = platform::process_folder;
        let home = platform::home(os, var).ok_or(ClientError::NoHome)?;
        Ok(Self::new(
            os,
            home,
            var("XDG_CONFIG_HOME"),
            var("APPDATA"),
            var("CODEX_HOME"),
            std::env::var_os("PATH"),
        ))
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
        Self {
            os,
            codex_home: codex_home.unwrap_or_else(|| home.join(".codex")),
            home,
            app_config_dir,
            xdg_config_dir,
            search_path,
        }
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
    }
}
