//! Which `claude_desktop_config.json` Claude Desktop reads on Windows.
//!
//! Since February 2026 both the Microsoft Store build and the installer from claude.ai are an
//! MSIX package, and a packaged Claude Desktop reads
//! `%LOCALAPPDATA%\Packages\Claude_<publisher-id>\LocalCache\Roaming\Claude\claude_desktop_config.json`;
//! a file at `%APPDATA%\Claude\` is silently ignored (anthropics/claude-code#26073, reported
//! 2026-02-16 with Claude Desktop 1.1.3189.0, package `Claude_pzs8sxrjxfjjc`; #25579;
//! akitaonrails/ai-memory PR #250, 2026-07-25; hannesill/m4 PR #54, 2026-09-14; checked
//! 2026-12-02). An unpackaged (older, Squirrel) install still reads `%APPDATA%\Claude\`.
//!
//! The choice is a pure function of the two folders and a [`FolderTree`]: it never guesses
//! between several packages, it names them and says how to pick one.

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::folders::FolderTree;

/// The settings file's name, the same in every location.
pub const CONFIG_FILE: &str = "claude_desktop_config.json";

/// The environment variable that picks one package when several are installed.
pub const PACKAGE_VARIABLE: &str = "DIRECTUS_MCP_SETUP_CLAUDE_PACKAGE";

/// How a package folder's name starts (`Claude_<publisher-id>`).
const PACKAGE_PREFIX: &str = "claude_";

/// The file Claude Desktop reads, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaudeDesktopFile {
    /// Inside the MSIX package `package` (its folder under `%LOCALAPPDATA%\Packages`).
    Packaged {
        /// The package folder's name, e.g. `Claude_pzs8sxrjxfjjc`.
        package: String,
        /// The settings file inside it.
        path: PathBuf,
    },
    /// `%APPDATA%\Claude\claude_desktop_config.json` (no package installed).
    Classic(PathBuf),
}

impl ClaudeDesktopFile {
    /// The settings file.
    pub fn path(&self) -> &Path {
        match self {
            Self::Packaged { path, .. } | Self::Classic(path) => path,
        }
    }
}

/// Why no single file could be chosen.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PackageChoiceError {
    /// Several packages are installed and nothing tells which one is used.
    #[error(
        "several Claude Desktop packages are installed in {packages}: {names}. Each reads its own claude_desktop_config.json and nothing shows which one you use, so no file was chosen. Set {PACKAGE_VARIABLE} to the folder name of the one you use (e.g. {PACKAGE_VARIABLE}={first}) and retry, or uninstall the others"
    )]
    Several {
        /// `%LOCALAPPDATA%\Packages`.
        packages: PathBuf,
        /// The candidates, comma-separated.
        names: String,
        /// The first candidate, for the example.
        first: String,
    },
    /// The package named by [`PACKAGE_VARIABLE`] is not installed.
    #[error(
        "{PACKAGE_VARIABLE} names the Claude Desktop package `{given}`, which is not installed in {packages} (installed: {found}). Correct or unset {PACKAGE_VARIABLE} and retry"
    )]
    NotInstalled {
        /// What the variable says.
        given: String,
        /// `%LOCALAPPDATA%\Packages`.
        packages: PathBuf,
        /// The installed packages, comma-separated (or `none`).
        found: String,
    },
}

/// `%LOCALAPPDATA%\Packages`.
pub fn packages_dir(local_app_data: &Path) -> PathBuf {
    local_app_data.join("Packages")
}

/// The package's own roaming folder: it exists once the packaged app has run.
fn roaming_dir(local_app_data: &Path, package: &str) -> PathBuf {
    packages_dir(local_app_data)
        .join(package)
        .join("LocalCache")
        .join("Roaming")
}

/// The settings file inside `package`.
pub fn packaged_file(local_app_data: &Path, package: &str) -> PathBuf {
    roaming_dir(local_app_data, package)
        .join("Claude")
        .join(CONFIG_FILE)
}

/// The installed Claude Desktop packages: `Claude_*` folders under `%LOCALAPPDATA%\Packages`
/// whose `LocalCache\Roaming` exists (a bare folder can be a leftover of an uninstall).
pub fn installed_packages(local_app_data: &Path, tree: &dyn FolderTree) -> Vec<String> {
    let mut found: Vec<String> = tree
        .subfolders(&packages_dir(local_app_data))
        .into_iter()
        .filter(|name| name.to_ascii_lowercase().starts_with(PACKAGE_PREFIX))
        .filter(|name| tree.is_dir(&roaming_dir(local_app_data, name)))
        .collect();
    found.sort();
    found
}

/// The file Claude Desktop reads on Windows: the package's when exactly one package is
/// installed (or `chosen` names one, or only one of several already has a settings file),
/// `%APPDATA%\Claude\…` when none is; an error naming the candidates otherwise.
pub fn choose_config_file(
    app_data: &Path,
    local_app_data: &Path,
    chosen: Option<&str>,
    tree: &dyn FolderTree,
) -> Result<ClaudeDesktopFile, PackageChoiceError> {
    let installed = installed_packages(local_app_data, tree);
    let packaged = |package: &str| ClaudeDesktopFile::Packaged {
        package: package.to_owned(),
        path: packaged_file(local_app_data, package),
    };
    if let Some(chosen) = chosen {
        return match installed
            .iter()
            .find(|name| name.eq_ignore_ascii_case(chosen))
        {
            Some(name) => Ok(packaged(name)),
            None => Err(PackageChoiceError::NotInstalled {
                given: chosen.to_owned(),
                packages: packages_dir(local_app_data),
                found: list_or_none(&installed),
            }),
        };
    }
    match installed.as_slice() {
        [] => Ok(ClaudeDesktopFile::Classic(
            app_data.join("Claude").join(CONFIG_FILE),
        )),
        [only] => Ok(packaged(only)),
        several => {
            let with_file: Vec<&String> = several
                .iter()
                .filter(|name| tree.is_file(&packaged_file(local_app_data, name)))
                .collect();
            match with_file.as_slice() {
                [only] => Ok(packaged(only)),
                _ => Err(PackageChoiceError::Several {
                    packages: packages_dir(local_app_data),
                    names: several.join(", "),
                    first: several[0].clone(),
                }),
            }
        }
    }
}

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::folders::RealFolders;

    /// A temporary folder standing in for a Windows profile: `Roaming` and `Local`.
    struct Profile {
        root: tempfile::TempDir,
    }

    impl Profile {
        fn new() -> Self {
            Self {
                root: tempfile::tempdir().unwrap(),
            }
        }
        fn app_data(&self) -> PathBuf {
            self.root.path().join("AppData").join("Roaming")
        }
        fn local(&self) -> PathBuf {
            self.root.path().join("AppData").join("Local")
        }
        /// A package that has run (its `LocalCache\Roaming` exists).
        fn install(&self, package: &str) {
            std::fs::create_dir_all(roaming_dir(&self.local(), package)).unwrap();
        }
        fn write_packaged_config(&self, package: &str) {
            let file = packaged_file(&self.local(), package);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, "{}").unwrap();
        }
        fn choose(&self, chosen: Option<&str>) -> Result<ClaudeDesktopFile, PackageChoiceError> {
            choose_config_file(&self.app_data(), &self.local(), chosen, &RealFolders)
        }
    }

    #[test]
    fn msix_one_package_is_the_file_claude_reads() {
        let profile = Profile::new();
        profile.install("Claude_pzs8sxrjxfjjc");
        assert_eq!(
            profile.choose(None).unwrap(),
            ClaudeDesktopFile::Packaged {
                package: "Claude_pzs8sxrjxfjjc".into(),
                path: profile
                    .local()
                    .join("Packages")
                    .join("Claude_pzs8sxrjxfjjc")
                    .join("LocalCache")
                    .join("Roaming")
                    .join("Claude")
                    .join("claude_desktop_config.json"),
            }
        );
    }

    #[test]
    fn msix_no_package_keeps_the_classic_appdata_file() {
        let profile = Profile::new();
        // Another vendor's package and a bare Claude folder left by an uninstall do not count.
        profile.install("Microsoft.WindowsTerminal_8wekyb3d8bbwe");
        std::fs::create_dir_all(profile.local().join("Packages").join("Claude_old")).unwrap();
        assert_eq!(
            profile.choose(None).unwrap(),
            ClaudeDesktopFile::Classic(profile.app_data().join("Claude").join(CONFIG_FILE))
        );
    }

    #[test]
    fn msix_package_wins_over_a_stale_classic_file() {
        let profile = Profile::new();
        let classic = profile.app_data().join("Claude").join(CONFIG_FILE);
        std::fs::create_dir_all(classic.parent().unwrap()).unwrap();
        std::fs::write(&classic, r#"{"mcpServers":{}}"#).unwrap();
        profile.install("Claude_pzs8sxrjxfjjc");
        let chosen = profile.choose(None).unwrap();
        assert_eq!(
            chosen.path(),
            packaged_file(&profile.local(), "Claude_pzs8sxrjxfjjc")
        );
    }

    #[test]
    fn msix_several_packages_are_reported_not_guessed() {
        let profile = Profile::new();
        profile.install("Claude_pzs8sxrjxfjjc");
        profile.install("Claude_abc123");
        let error = profile.choose(None).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("Claude_abc123, Claude_pzs8sxrjxfjjc"),
            "{message}"
        );
        assert!(
            message.contains("DIRECTUS_MCP_SETUP_CLAUDE_PACKAGE=Claude_abc123"),
            "{message}"
        );
        // The variable picks one.
        assert_eq!(
            profile.choose(Some("Claude_pzs8sxrjxfjjc")).unwrap().path(),
            packaged_file(&profile.local(), "Claude_pzs8sxrjxfjjc")
        );
        // A name that is not installed is an error, not a new folder.
        let wrong = profile.choose(Some("Claude_zzz")).unwrap_err();
        assert!(
            matches!(&wrong, PackageChoiceError::NotInstalled { found, .. } if found == "Claude_abc123, Claude_pzs8sxrjxfjjc"),
            "{wrong}"
        );
    }

    #[test]
    fn msix_several_packages_one_with_settings_is_the_one_in_use() {
        let profile = Profile::new();
        profile.install("Claude_pzs8sxrjxfjjc");
        profile.install("Claude_abc123");
        profile.write_packaged_config("Claude_abc123");
        assert_eq!(
            profile.choose(None).unwrap(),
            ClaudeDesktopFile::Packaged {
                package: "Claude_abc123".into(),
                path: packaged_file(&profile.local(), "Claude_abc123"),
            }
        );
    }

    #[test]
    fn msix_redirected_profile_folders_are_followed() {
        // %LOCALAPPDATA% and %APPDATA% moved away from the profile (folder redirection).
        let profile = Profile::new();
        let elsewhere = tempfile::tempdir().unwrap();
        let local = elsewhere.path().join("Local");
        let roaming = elsewhere.path().join("Roaming");
        profile.install("Claude_pzs8sxrjxfjjc");
        // Only the profile's default folder has a package: the redirected one has none.
        assert_eq!(
            choose_config_file(&roaming, &local, None, &RealFolders).unwrap(),
            ClaudeDesktopFile::Classic(roaming.join("Claude").join(CONFIG_FILE))
        );
        std::fs::create_dir_all(roaming_dir(&local, "Claude_pzs8sxrjxfjjc")).unwrap();
        assert_eq!(
            choose_config_file(&roaming, &local, None, &RealFolders)
                .unwrap()
                .path(),
            packaged_file(&local, "Claude_pzs8sxrjxfjjc")
        );
    }
}
