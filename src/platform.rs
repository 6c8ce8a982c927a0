//! Each operating system's conventions for the per-user folders this program keeps things in
//! (locks, logs) and for where the desktop app finds the command-line tool it ships with.
//!
//! Everything is computed from an [`Os`] and the values of a few environment variables, so
//! the macOS and Windows rules are unit-tested on any machine.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The operating systems with their own folder conventions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    /// Linux and other Unix desktops (XDG folders).
    Linux,
    /// macOS (`~/Library/...`).
    MacOs,
    /// Windows (`%APPDATA%`, `%LOCALAPPDATA%`).
    Windows,
}

impl Os {
    /// The system this program runs on.
    pub fn current() -> Self {
        if cfg!(target_os = "macos") {
            Self::MacOs
        } else if cfg!(windows) {
            Self::Windows
        } else {
            Self::Linux
        }
    }

    /// The name of the program file called `name` (`name.exe` on Windows).
    pub fn program_file(self, name: &str) -> String {
        match self {
            Self::Windows => format!("{name}.exe"),
            Self::Linux | Self::MacOs => name.to_owned(),
        }
    }
}

/// The folder this product keeps its own per-user files in, under each base folder.
pub const PRODUCT_FOLDER: &str = "directus-mcp-setup";

/// The command-line tool's program name (installed on PATH, and beside the desktop app).
pub const CLI_PROGRAM: &str = "directus-mcp-setup";

/// A folder-valued environment variable of this process: set, not empty, and absolute
/// (a relative value would depend on where the program was started).
pub fn process_folder(name: &str) -> Option<PathBuf> {
    folder_value(std::env::var_os(name))
}

/// `value` when it names a folder: not empty and absolute.
pub fn folder_value(value: Option<OsString>) -> Option<PathBuf> {
    value
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
        .filter(|path| is_absolute_anywhere(path))
}

/// Absolute on this machine, or a Windows drive path (`C:\...`) read on another system.
fn is_absolute_anywhere(path: &Path) -> bool {
    if path.is_absolute() {
        return true;
    }
    let text = path.to_string_lossy();
    let bytes = text.as_bytes();
    bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'\\' | b'/')
}

/// The user's home folder on `os`, from `var` (`USERPROFILE` first on Windows).
pub fn home(os: Os, var: impl Fn(&str) -> Option<PathBuf>) -> Option<PathBuf> {
    match os {
        Os::Windows => var("USERPROFILE").or_else(|| var("HOME")),
        Os::Linux | Os::MacOs => var("HOME"),
    }
}

/// The variables [`lock_dir`] reads, for a message when none is set.
pub const LOCK_DIR_VARIABLES: &str =
    "XDG_RUNTIME_DIR, XDG_CACHE_HOME and HOME (on Windows LOCALAPPDATA and USERPROFILE)";

/// Where this user's lock files go: a folder nobody else writes to. Linux: the runtime
/// folder (`$XDG_RUNTIME_DIR`), else the cache folder; macOS: `~/Library/Caches`; Windows:
/// `%LOCALAPPDATA%`. Each ends in `directus-mcp-setup/locks`. `None` when none of these
/// is known: the shared temporary folder is not a fallback (another user could hold the
/// locks there, or plant links in place of them).
pub fn lock_dir(os: Os, var: impl Fn(&str) -> Option<PathBuf>) -> Option<PathBuf> {
    let base = match os {
        Os::Windows => var("LOCALAPPDATA")
            .or_else(|| home(os, &var).map(|home| home.join("AppData").join("Local"))),
        Os::MacOs => home(os, &var).map(|home| home.join("Library").join("Caches")),
        Os::Linux => var("XDG_RUNTIME_DIR")
            .or_else(|| var("XDG_CACHE_HOME"))
            .or_else(|| home(os, &var).map(|home| home.join(".cache"))),
    };
    Some(base?.join(PRODUCT_FOLDER).join("locks"))
}

/// Where the desktop app writes its log: Linux `$XDG_STATE_HOME` (default
/// `~/.local/state`)`/directus-mcp-setup/logs`, macOS `~/Library/Logs/directus-mcp-setup`,
/// Windows `%LOCALAPPDATA%\directus-mcp-setup\logs`. `None` without a home folder.
pub fn log_dir(os: Os, var: impl Fn(&str) -> Option<PathBuf>) -> Option<PathBuf> {
    Some(match os {
        Os::Linux => var("XDG_STATE_HOME")
            .or_else(|| home(os, &var).map(|home| home.join(".local").join("state")))?
            .join(PRODUCT_FOLDER)
            .join("logs"),
        Os::MacOs => home(os, &var)?
            .join("Library")
            .join("Logs")
            .join(PRODUCT_FOLDER),
        Os::Windows => var("LOCALAPPDATA")
            .or_else(|| home(os, &var).map(|home| home.join("AppData").join("Local")))?
            .join(PRODUCT_FOLDER)
            .join("logs"),
    })
}

/// The command-line tool shipped inside the desktop app: beside the app's own program
/// (`/usr/bin` for the Linux packages, `Contents/MacOS` in the macOS bundle, the install
/// folder on Windows), as the bundler puts sidecars.
pub fn bundled_cli(os: Os, app_program: &Path) -> Option<PathBuf> {
    Some(app_program.parent()?.join(os.program_file(CLI_PROGRAM)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<PathBuf> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), OsString::from(value)))
            .collect();
        move |name| folder_value(map.get(name).cloned())
    }

    #[test]
    fn lock_folders_follow_each_os() {
        let linux = vars(&[("HOME", "/home/ana"), ("XDG_RUNTIME_DIR", "/run/user/1000")]);
        assert_eq!(
            lock_dir(Os::Linux, linux),
            Some(PathBuf::from("/run/user/1000/directus-mcp-setup/locks"))
        );
        let no_runtime = vars(&[("HOME", "/home/ana")]);
        assert_eq!(
            lock_dir(Os::Linux, no_runtime),
            Some(PathBuf::from("/home/ana/.cache/directus-mcp-setup/locks"))
        );
        let mac = vars(&[("HOME", "/Users/ana"), ("XDG_RUNTIME_DIR", "/ignored")]);
        assert_eq!(
            lock_dir(Os::MacOs, mac),
            Some(PathBuf::from(
                "/Users/ana/Library/Caches/directus-mcp-setup/locks"
            ))
        );
        let windows = vars(&[
            ("USERPROFILE", r"C:\Users\ana"),
            ("LOCALAPPDATA", r"D:\Local"),
        ]);
        assert_eq!(
            lock_dir(Os::Windows, windows),
            Some(
                PathBuf::from(r"D:\Local")
                    .join("directus-mcp-setup")
                    .join("locks")
            )
        );
        let windows_default = vars(&[("USERPROFILE", r"C:\Users\ana")]);
        assert_eq!(
            lock_dir(Os::Windows, windows_default),
            Some(
                PathBuf::from(r"C:\Users\ana")
                    .join("AppData")
                    .join("Local")
                    .join("directus-mcp-setup")
                    .join("locks")
            )
        );
    }

    #[test]
    fn without_a_home_or_runtime_folder_there_is_no_lock_folder_not_a_shared_one() {
        for os in [Os::Linux, Os::MacOs, Os::Windows] {
            assert_eq!(lock_dir(os, vars(&[])), None, "{os:?}");
            // A relative value is no folder either (it would depend on where the program
            // was started).
            assert_eq!(lock_dir(os, vars(&[("HOME", "home/ana")])), None, "{os:?}");
        }
    }

    #[test]
    fn log_folders_follow_each_os() {
        assert_eq!(
            log_dir(Os::Linux, vars(&[("HOME", "/home/ana")])),
            Some(PathBuf::from(
                "/home/ana/.local/state/directus-mcp-setup/logs"
            ))
        );
        assert_eq!(
            log_dir(
                Os::Linux,
                vars(&[("HOME", "/home/ana"), ("XDG_STATE_HOME", "/st")])
            ),
            Some(PathBuf::from("/st/directus-mcp-setup/logs"))
        );
        assert_eq!(
            log_dir(Os::MacOs, vars(&[("HOME", "/Users/ana")])),
            Some(PathBuf::from("/Users/ana/Library/Logs/directus-mcp-setup"))
        );
        assert_eq!(
            log_dir(
                Os::Windows,
                vars(&[("USERPROFILE", r"C:\Users\ana"), ("HOME", "/ignored")])
            ),
            Some(
                PathBuf::from(r"C:\Users\ana")
                    .join("AppData")
                    .join("Local")
                    .join("directus-mcp-setup")
                    .join("logs")
            )
        );
        assert_eq!(log_dir(Os::MacOs, vars(&[])), None);
    }

    #[test]
    fn relative_or_empty_values_are_ignored() {
        let odd = vars(&[("HOME", "/home/ana"), ("XDG_STATE_HOME", "state")]);
        assert_eq!(
            log_dir(Os::Linux, odd),
            Some(PathBuf::from(
                "/home/ana/.local/state/directus-mcp-setup/logs"
            ))
        );
        let empty = vars(&[("HOME", "/home/ana"), ("XDG_RUNTIME_DIR", "")]);
        assert_eq!(
            lock_dir(Os::Linux, empty),
            Some(PathBuf::from("/home/ana/.cache/directus-mcp-setup/locks"))
        );
    }

    #[test]
    fn the_bundled_cli_sits_beside_the_app() {
        assert_eq!(
            bundled_cli(Os::Linux, Path::new("/usr/bin/directus-mcp-setup-app")),
            Some(PathBuf::from("/usr/bin/directus-mcp-setup"))
        );
        assert_eq!(
            bundled_cli(
                Os::MacOs,
                Path::new(
                    "/Applications/Directus MCP Setup.app/Contents/MacOS/directus-mcp-setup-app"
                )
            ),
            Some(PathBuf::from(
                "/Applications/Directus MCP Setup.app/Contents/MacOS/directus-mcp-setup"
            ))
        );
        let windows = bundled_cli(
            Os::Windows,
            &PathBuf::from(r"C:\Program Files\Directus MCP Setup")
                .join("directus-mcp-setup-app.exe"),
        )
        .unwrap();
        assert_eq!(
            windows,
            PathBuf::from(r"C:\Program Files\Directus MCP Setup").join("directus-mcp-setup.exe")
        );
    }
}
