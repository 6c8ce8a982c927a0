//! Running inside WSL (Windows Subsystem for Linux). The desktop apps people connect
//! (Claude Desktop, Cursor, VS Code, Windsurf) run on the Windows side and read the Windows
//! user's files, which WSL shows under `/mnt/<drive>/` (VS Code Remote-WSL too reads the
//! Windows user's `mcp.json`: microsoft/vscode#333106, #257611). This finds that user's
//! folders by evidence, never by guessing between several users.
//!
//! The parts that look at the system are behind [`FolderTree`] and [`WindowsShell`], so every
//! decision is tested from given `/proc` text, variables and a synthetic tree.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::folders::{FolderTree, RealFolders};
use super::request::AuthMode;

/// Where WSL mounts the Windows drives unless `/etc/wsl.conf` says otherwise.
pub const DEFAULT_MOUNT_ROOT: &str = "/mnt";

/// What is said about OAuth sign-in inside WSL (anthropics/claude-code#35740;
/// anomalyco/opencode#9081; checked 2026-12-02).
pub const OAUTH_CALLBACK_NOTE: &str = "This runs inside WSL: a client that signs in with OAuth here waits for the browser on a loopback port inside WSL, and the Windows browser may not reach it (it depends on WSL's networking mode). If the sign-in page says it cannot connect, sign in from a client on the Windows side, or use a token (--auth token).";

/// Folders under `C:\Users` that are not a person's profile.
const NOT_PROFILES: &[&str] = &[
    "All Users",
    "Default",
    "Default User",
    "Public",
    "defaultuser0",
];

/// WSL, as this program sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wsl {
    /// The distribution (`WSL_DISTRO_NAME`), when known.
    pub distro: Option<String>,
    /// The Windows user's folders, when found.
    pub windows: Option<WindowsFolders>,
}

/// Whether this Linux runs in WSL: `WSL_DISTRO_NAME` or `WSL_INTEROP` is set, or the kernel's
/// release or version text (`/proc/sys/kernel/osrelease`, `/proc/version`) names Microsoft's
/// WSL kernel (`…-microsoft-standard-WSL2`, `…-Microsoft` on WSL 1).
pub fn is_wsl(kernel_text: Option<&str>, var: impl Fn(&str) -> Option<OsString>) -> bool {
    let set = |name: &str| var(name).is_some_and(|value| !value.is_empty());
    if set("WSL_DISTRO_NAME") || set("WSL_INTEROP") {
        return true;
    }
    kernel_text.is_some_and(|text| {
        let text = text.to_ascii_lowercase();
        text.contains("microsoft") || text.contains("wsl")
    })
}

/// A Windows path (`C:\Users\ana`) as WSL shows it (`/mnt/c/Users/ana`); `None` for anything
/// that is not a drive path.
pub fn drive_path(windows_path: &str, mount_root: &Path) -> Option<PathBuf> {
    let windows_path = windows_path.trim();
    let mut chars = windows_path.chars();
    let drive = chars.next().filter(char::is_ascii_alphabetic)?;
    if chars.next() != Some(':') {
        return None;
    }
    let rest = chars.as_str();
    if !rest.is_empty() && !rest.starts_with(['\\', '/']) {
        return None;
    }
    let mut path = mount_root.join(drive.to_ascii_lowercase().to_string());
    for part in rest.split(['\\', '/']).filter(|part| !part.is_empty()) {
        path.push(part);
    }
    Some(path)
}

/// Asks Windows for one of its user's variables (`cmd.exe /c echo %NAME%`).
pub trait WindowsShell {
    /// The value of `%name%`, when Windows can be asked and it is set.
    fn variable(&self, name: &str) -> Option<String>;
}

/// Windows' own `cmd.exe`, through WSL's interop (absent when interop is off). It is asked
/// once, for the three folders together.
pub struct CmdExe {
    /// Where the drives are mounted; `cmd.exe` is started in the C: drive, since it refuses
    /// a Linux folder as its current one.
    pub mount_root: PathBuf,
    answers: std::sync::OnceLock<Vec<String>>,
}

/// The variables [`CmdExe`] asks for, in the order it prints them.
const ASKED: [&str; 3] = ["USERPROFILE", "APPDATA", "LOCALAPPDATA"];

impl CmdExe {
    /// `cmd.exe` with the drives under `mount_root`.
    pub fn new(mount_root: PathBuf) -> Self {
        Self {
            mount_root,
            answers: std::sync::OnceLock::new(),
        }
    }

    fn ask(&self) -> Vec<String> {
        let script = ASKED
            .iter()
            .map(|name| format!("echo %{name}%"))
            .collect::<Vec<_>>()
            .join("&");
        let Ok(output) = Command::new("cmd.exe")
            .args(["/d", "/c", &script])
            .current_dir(self.mount_root.join("c"))
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
        else {
            return Vec::new();
        };
        if !output.status.success() {
            return Vec::new();
        }
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|line| line.trim().to_owned())
            .collect()
    }
}

impl WindowsShell for CmdExe {
    fn variable(&self, name: &str) -> Option<String> {
        let at = ASKED.iter().position(|asked| *asked == name)?;
        let value = self.answers.get_or_init(|| self.ask()).get(at)?.clone();
        (!value.is_empty() && value != format!("%{name}%")).then_some(value)
    }
}

/// No Windows to ask (tests, or interop off).
pub struct NoShell;

impl WindowsShell for NoShell {
    fn variable(&self, _name: &str) -> Option<String> {
        None
    }
}

/// The Windows user's folders, as WSL shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowsFolders {
    /// `%USERPROFILE%`.
    pub home: PathBuf,
    /// `%APPDATA%`.
    pub app_data: PathBuf,
    /// `%LOCALAPPDATA%`.
    pub local_app_data: PathBuf,
}

impl WindowsFolders {
    /// The usual folders of the profile at `home`.
    fn of_profile(home: PathBuf) -> Self {
        Self {
            app_data: home.join("AppData").join("Roaming"),
            local_app_data: home.join("AppData").join("Local"),
            home,
        }
    }
}

/// The Windows user's folders: what Windows itself says (`%USERPROFILE%`, `%APPDATA%`,
/// `%LOCALAPPDATA%` through `shell`) when it can be asked, else the one profile under
/// `<mount>/c/Users` that has an `AppData` folder, or among several the one named like the
/// Linux user (`linux_user`). `None` when that leaves no single profile.
pub fn windows_folders(
    mount_root: &Path,
    linux_user: Option<&str>,
    shell: &dyn WindowsShell,
    tree: &dyn FolderTree,
) -> Option<WindowsFolders> {
    let asked = |name: &str| {
        shell
            .variable(name)
            .and_then(|value| drive_path(&value, mount_root))
            .filter(|path| tree.is_dir(path))
    };
    if let Some(home) = asked("USERPROFILE") {
        let mut folders = WindowsFolders::of_profile(home);
        if let Some(app_data) = asked("APPDATA") {
            folders.app_data = app_data;
        }
        if let Some(local) = asked("LOCALAPPDATA") {
            folders.local_app_data = local;
        }
        return Some(folders);
    }
    let users = mount_root.join("c").join("Users");
    let profiles: Vec<String> = tree
        .subfolders(&users)
        .into_iter()
        .filter(|name| {
            !NOT_PROFILES
                .iter()
                .any(|skip| skip.eq_ignore_ascii_case(name))
        })
        .filter(|name| tree.is_dir(&users.join(name).join("AppData")))
        .collect();
    let chosen = match profiles.as_slice() {
        [only] => only,
        several => several
            .iter()
            .find(|name| linux_user.is_some_and(|user| user.eq_ignore_ascii_case(name)))?,
    };
    Some(WindowsFolders::of_profile(users.join(chosen)))
}

impl Wsl {
    /// WSL as seen from `kernel_text`, the variables `var`, the drives under `mount_root`
    /// and what `shell` answers; `None` outside WSL.
    pub fn detect(
        kernel_text: Option<&str>,
        var: impl Fn(&str) -> Option<OsString>,
        mount_root: &Path,
        shell: &dyn WindowsShell,
        tree: &dyn FolderTree,
    ) -> Option<Self> {
        if !is_wsl(kernel_text, &var) {
            return None;
        }
        let text = |name: &str| var(name).and_then(|value| value.into_string().ok());
        let linux_user = text("USER").or_else(|| text("LOGNAME"));
        let windows = windows_folders(mount_root, linux_user.as_deref(), shell, tree);
        Some(Self {
            distro: text("WSL_DISTRO_NAME").filter(|name| !name.is_empty()),
            windows,
        })
    }

    /// WSL on this computer (its `/proc`, variables, `/mnt` and `cmd.exe`).
    pub fn of_this_computer() -> Option<Self> {
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .or_else(|_| std::fs::read_to_string("/proc/version"))
            .ok();
        let var = |name: &str| std::env::var_os(name);
        if !is_wsl(kernel.as_deref(), var) {
            return None;
        }
        let mount_root = PathBuf::from(DEFAULT_MOUNT_ROOT);
        let shell = CmdExe::new(mount_root.clone());
        Self::detect(kernel.as_deref(), var, &mount_root, &shell, &RealFolders)
    }
}

/// The WSL note for an OAuth connection made from inside WSL.
pub fn oauth_callback_note(in_wsl: bool, auth: AuthMode) -> Option<String> {
    (in_wsl && auth == AuthMode::Oauth).then(|| OAUTH_CALLBACK_NOTE.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WSL2_VERSION: &str = "Linux version 5.15.167.4-microsoft-standard-WSL2 (root@f9c826d3017d) (gcc (GCC) 11.2.0, GNU ld (GNU Binutils) 2.37) #1 SMP Tue Nov 5 00:21:55 UTC 2024";
    const WSL1_VERSION: &str = "Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com) (gcc version 5.4.0 (GCC) ) #1237-Microsoft Sat Sep 11 14:32:00 PST 2021";
    const UBUNTU_VERSION: &str = "Linux version 6.8.0-45-generic (buildd@lcy02-amd64-022) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0) #45-Ubuntu SMP PREEMPT_DYNAMIC";

    fn no_vars(_: &str) -> Option<OsString> {
        None
    }

    fn vars(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| OsString::from(value))
        }
    }

    #[test]
    fn wsl_is_recognised_from_the_kernel_text_or_its_variables() {
        assert!(is_wsl(Some(WSL2_VERSION), no_vars));
        assert!(is_wsl(Some(WSL1_VERSION), no_vars));
        assert!(is_wsl(
            Some("5.15.167.4-microsoft-standard-WSL2\n"),
            no_vars
        ));
        assert!(!is_wsl(Some(UBUNTU_VERSION), no_vars));
        assert!(!is_wsl(None, no_vars));
        assert!(is_wsl(None, vars(&[("WSL_DISTRO_NAME", "Ubuntu")])));
        assert!(is_wsl(
            Some(UBUNTU_VERSION),
            vars(&[("WSL_INTEROP", "/run/WSL/8_interop")])
        ));
        assert!(!is_wsl(
            Some(UBUNTU_VERSION),
            vars(&[("WSL_DISTRO_NAME", "")])
        ));
    }

    #[test]
    fn windows_paths_map_to_the_wsl_mounts() {
        let mnt = Path::new("/mnt");
        assert_eq!(
            drive_path(r"C:\Users\ana\AppData\Roaming", mnt),
            Some(PathBuf::from("/mnt/c/Users/ana/AppData/Roaming"))
        );
        assert_eq!(
            drive_path("D:/Profiles/ana\r\n", mnt),
            Some(PathBuf::from("/mnt/d/Profiles/ana"))
        );
        assert_eq!(drive_path("C:", mnt), Some(PathBuf::from("/mnt/c")));
        assert_eq!(drive_path(r"\\server\share", mnt), None);
        assert_eq!(drive_path("%USERPROFILE%", mnt), None);
        assert_eq!(drive_path("C:relative", mnt), None);
    }

    /// A temporary folder standing in for `/mnt`, with profiles under `c/Users`.
    fn mounts(profiles: &[&str]) -> tempfile::TempDir {
        let mnt = tempfile::tempdir().unwrap();
        for profile in profiles {
            std::fs::create_dir_all(mnt.path().join("c/Users").join(profile).join("AppData"))
                .unwrap();
        }
        std::fs::create_dir_all(mnt.path().join("c/Users/Public/Documents")).unwrap();
        mnt
    }

    struct Answers(&'static [(&'static str, &'static str)]);

    impl WindowsShell for Answers {
        fn variable(&self, name: &str) -> Option<String> {
            self.0
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn wsl_the_one_windows_profile_is_found_on_the_c_drive() {
        let mnt = mounts(&["Ana Lima"]);
        let found = windows_folders(mnt.path(), Some("ana"), &NoShell, &RealFolders).unwrap();
        let home = mnt.path().join("c/Users/Ana Lima");
        assert_eq!(
            found,
            WindowsFolders {
                app_data: home.join("AppData/Roaming"),
                local_app_data: home.join("AppData/Local"),
                home,
            }
        );
    }

    #[test]
    fn wsl_several_profiles_need_the_linux_user_name_or_windows_answer() {
        let mnt = mounts(&["ana", "bruno"]);
        assert_eq!(
            windows_folders(mnt.path(), Some("Bruno"), &NoShell, &RealFolders)
                .unwrap()
                .home,
            mnt.path().join("c/Users/bruno")
        );
        assert_eq!(
            windows_folders(mnt.path(), Some("carla"), &NoShell, &RealFolders),
            None
        );
        // What Windows says wins over the names.
        std::fs::create_dir_all(mnt.path().join("d/Roaming")).unwrap();
        let shell = Answers(&[("USERPROFILE", r"C:\Users\ana"), ("APPDATA", r"D:\Roaming")]);
        // The answers are read under the temporary mount root.
        let found = windows_folders(mnt.path(), Some("carla"), &shell, &RealFolders).unwrap();
        assert_eq!(found.home, mnt.path().join("c/Users/ana"));
        assert_eq!(found.app_data, mnt.path().join("d/Roaming"));
        assert_eq!(
            found.local_app_data,
            mnt.path().join("c/Users/ana/AppData/Local")
        );
    }

    #[test]
    fn wsl_detection_gives_a_windows_side_environment() {
        let mnt = mounts(&["ana"]);
        let wsl = Wsl::detect(
            Some(WSL2_VERSION),
            vars(&[("WSL_DISTRO_NAME", "Ubuntu-24.04"), ("USER", "ana")]),
            mnt.path(),
            &NoShell,
            &RealFolders,
        )
        .unwrap();
        assert_eq!(wsl.distro.as_deref(), Some("Ubuntu-24.04"));
        let windows = wsl.windows.unwrap();
        assert_eq!(
            windows.app_data,
            mnt.path().join("c/Users/ana/AppData/Roaming")
        );
        assert_eq!(
            windows.local_app_data,
            mnt.path().join("c/Users/ana/AppData/Local")
        );
        assert_eq!(
            Wsl::detect(
                Some(UBUNTU_VERSION),
                no_vars,
                mnt.path(),
                &NoShell,
                &RealFolders
            ),
            None
        );
    }

    #[test]
    fn wsl_oauth_connections_carry_the_callback_notice() {
        assert_eq!(
            oauth_callback_note(true, AuthMode::Oauth).as_deref(),
            Some(OAUTH_CALLBACK_NOTE)
        );
        assert_eq!(oauth_callback_note(false, AuthMode::Oauth), None);
        assert_eq!(oauth_callback_note(true, AuthMode::Token), None);
    }
}
