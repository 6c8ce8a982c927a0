//! Finding clients in the catalogue by id, and what their OAuth sign-in needs.

use std::sync::{LazyLock, Mutex};

use super::connector::{ClientConnector, OAuthRegistration};
use super::error::ClientError;
use crate::directus::oauth::Registrations;

/// Every client in the catalogue, in the order the wizard shows them (`--all` narrows it:
/// [`meant_by_all`]).
pub fn all() -> &'static [&'static dyn ClientConnector] {
    super::catalogue::CONNECTORS
}

/// Clients narrowed to some profiles, made once per id asked for.
static NARROWED: LazyLock<Mutex<Vec<&'static dyn ClientConnector>>> =
    LazyLock::new(|| Mutex::new(Vec::new()));

/// The client with this id (`claude-code`, `vscode`, …), or a client with profiles
/// narrowed to some of them: `vscode@Work`, `vscode-insiders@Default,Work`.
pub fn find(id: &str) -> Result<&'static dyn ClientConnector, ClientError> {
    if let Some(client) = all().iter().find(|client| client.id() == id) {
        return Ok(*client);
    }
    let unknown = || ClientError::UnknownClient {
        given: id.to_owned(),
        known: ids().join(", "),
    };
    let (base, names) = id.split_once('@').ok_or_else(unknown)?;
    let profiles: Vec<String> = names
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();
    if profiles.is_empty() {
        return Err(unknown());
    }
    let mut made = NARROWED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let wanted_id = format!("{base}@{}", profiles.join(","));
    if let Some(client) = made.iter().find(|client| client.id() == wanted_id) {
        return Ok(*client);
    }
    let wanted = super::catalogue::narrowed(base, profiles).ok_or_else(unknown)?;
    // Leaked once per distinct id asked for in this process: a handful at most.
    let client: &'static dyn ClientConnector = Box::leak(wanted);
    made.push(client);
    Ok(client)
}

/// The clients `--all` means in `scope`: for a project, every client that has a project
/// file (web apps and clients set up in their own window have none); for the user, every
/// client found on this computer that is connected through a file or its own command.
pub fn meant_by_all(
    env: &super::environment::ClientEnvironment,
    scope: super::request::Scope,
) -> Vec<&'static dyn ClientConnector> {
    all()
        .iter()
        .copied()
        .filter(|client| {
            let info = client.info();
            info.setup != super::connector::SetupKind::Manual
                && match scope {
                    super::request::Scope::Project => info.scopes.contains(&scope),
                    super::request::Scope::User => client.detect(env).installed,
                }
        })
        .collect()
}

/// The ids of every client.
pub fn ids() -> Vec<String> {
    all().iter().map(|client| client.id().to_owned()).collect()
}

/// The registration methods the clients `ids` need to sign in with OAuth, with the reason
/// for each, plus those asked for directly.
pub fn registrations(ids: &[String], dcr: bool, cimd: bool) -> Result<Registrations, ClientError> {
    let mut needed = Registrations {
        dcr,
        cimd,
        reasons: Vec::new(),
    };
    if dcr {
        needed
            .reasons
            .push("--dcr: Dynamic Client Registration asked for".into());
    }
    if cimd {
        needed
            .reasons
            .push("--cimd: Client ID Metadata Documents asked for".into());
    }
    for id in ids {
        let info = find(id.trim())?.info();
        let reason = match info.oauth {
            OAuthRegistration::Cimd => {
                needed.cimd = true;
                "registers only with Client ID Metadata Documents (no DCR fallback): CIMD"
            }
            OAuthRegistration::Dcr => {
                needed.dcr = true;
                "registers with Dynamic Client Registration: DCR"
            }
            OAuthRegistration::CimdOrDcr => {
                needed.cimd = true;
                "prefers Client ID Metadata Documents and falls back to DCR: CIMD"
            }
            OAuthRegistration::Unsupported => {
                "does not sign in with OAuth: connect it with a token"
            }
        };
        needed.reasons.push(format!("{} {reason}", info.name));
    }
    Ok(needed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_follow_what_each_client_supports() {
        let needed = registrations(&["vscode".into()], false, false).unwrap();
        assert!(needed.cimd && !needed.dcr);
        let needed = registrations(&["cursor".into(), "claude-ai".into()], false, false).unwrap();
        assert!(needed.cimd && needed.dcr);
        assert_eq!(needed.reasons.len(), 2);
        let needed = registrations(&[], true, false).unwrap();
        assert!(needed.dcr && !needed.cimd);
        assert!(registrations(&["notepad".into()], false, false).is_err());
    }

    #[test]
    fn ids_are_unique_and_findable() {
        let ids = ids();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len());
        assert_eq!(ids.len(), 32);
        for id in &ids {
            assert_eq!(&find(id).unwrap().id(), id);
        }
        let error = find("notepad").err().unwrap().to_string();
        assert!(error.contains("claude-code"), "{error}");
    }

    #[test]
    fn a_vscode_variant_narrowed_to_profiles_is_found_by_its_id() {
        let narrowed = find("vscode-insiders@Work, Play").unwrap();
        assert_eq!(narrowed.id(), "vscode-insiders@Work,Play");
        assert_eq!(narrowed.name(), "VS Code Insiders");
        // The same id twice is the same client.
        let again = find("vscode-insiders@Work,Play").unwrap();
        assert!(std::ptr::addr_eq(narrowed, again));
        for refused in ["cursor@Work", "vscode@", "vscode@ , ", "@Work"] {
            assert!(find(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn each_clients_id_and_name_are_those_its_card_shows() {
        for client in all() {
            let info = client.info();
            assert_eq!(client.id(), info.id);
            assert_eq!(client.name(), info.name);
        }
        let narrowed = find("vscodium@Work").unwrap();
        assert_eq!(narrowed.id(), narrowed.info().id);
    }
}

/// Every settings file the product reads or writes, on each operating system: computed from
/// a home folder and the usual environment, so the macOS and Windows rules are checked here.
#[cfg(test)]
mod platform_paths {
    use std::path::PathBuf;

    use super::all;
    use crate::clients::{ClientEnvironment, Os, Scope, Target};

    fn user_files(env: &ClientEnvironment) -> Vec<(String, PathBuf)> {
        let target = Target::new("directus", Scope::User, None).unwrap();
        all()
            .iter()
            .filter_map(|client| {
                client
                    .config_file(env, &target)
                    .map(|path| (client.id().to_owned(), path))
            })
            .collect()
    }

    fn expect(env: &ClientEnvironment, home: &str, expected: &[(&str, &str)]) {
        let found = user_files(env);
        let expected: Vec<(String, PathBuf)> = expected
            .iter()
            .map(|(id, relative)| {
                let mut path = PathBuf::from(home);
                for part in relative.split('/') {
                    path.push(part);
                }
                ((*id).to_owned(), path)
            })
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn user_settings_files_on_linux() {
        let env = ClientEnvironment::new(Os::Linux, "/home/ana".into(), None, None, None, None);
        expect(
            &env,
            "/home/ana",
            &[
                (
                    "claude-desktop",
                    ".config/Claude/claude_desktop_config.json",
                ),
                ("claude-code", ".claude.json"),
                ("cursor", ".cursor/mcp.json"),
                ("vscode", ".config/Code/User/mcp.json"),
                ("vscode-insiders", ".config/Code - Insiders/User/mcp.json"),
                ("vscodium", ".config/VSCodium/User/mcp.json"),
                ("windsurf", ".codeium/windsurf/mcp_config.json"),
                ("windsurf-next", ".codeium/windsurf-next/mcp_config.json"),
                ("zed", ".config/zed/settings.json"),
                ("codex", ".codex/config.toml"),
                ("gemini", ".gemini/settings.json"),
                ("copilot", ".copilot/mcp-config.json"),
                ("opencode", ".config/opencode/opencode.json"),
                ("cline", ".cline/data/settings/cline_mcp_settings.json"),
                ("qwen", ".qwen/settings.json"),
                ("kilo", ".config/kilo/kilo.json"),
                ("auggie", ".augment/settings.json"),
                ("continue", ".continue/config.yaml"),
                ("goose", ".config/goose/config.yaml"),
                ("droid", ".factory/mcp.json"),
                ("kiro", ".kiro/settings/mcp.json"),
                ("crush", ".config/crush/crush.json"),
                ("junie", ".junie/mcp/mcp.json"),
                ("warp", ".warp/.mcp.json"),
                ("lmstudio", ".lmstudio/mcp.json"),
                ("trae", ".config/Trae/User/mcp.json"),
                ("visual-studio", ".mcp.json"),
            ],
        );
        assert_eq!(
            crate::wizard::instances::store_path_in(&env),
            PathBuf::from("/home/ana/.config/directus-mcp-setup/instances.json")
        );
    }

    #[test]
    fn user_settings_files_on_macos() {
        let env = ClientEnvironment::new(Os::MacOs, "/Users/ana".into(), None, None, None, None);
        expect(
            &env,
            "/Users/ana",
            &[
                (
                    "claude-desktop",
                    "Library/Application Support/Claude/claude_desktop_config.json",
                ),
                ("claude-code", ".claude.json"),
                ("cursor", ".cursor/mcp.json"),
                ("vscode", "Library/Application Support/Code/User/mcp.json"),
                (
                    "vscode-insiders",
                    "Library/Application Support/Code - Insiders/User/mcp.json",
                ),
                (
                    "vscodium",
                    "Library/Application Support/VSCodium/User/mcp.json",
                ),
                ("windsurf", ".codeium/windsurf/mcp_config.json"),
                ("windsurf-next", ".codeium/windsurf-next/mcp_config.json"),
                ("zed", ".config/zed/settings.json"),
                ("codex", ".codex/config.toml"),
                ("gemini", ".gemini/settings.json"),
                ("copilot", ".copilot/mcp-config.json"),
                ("opencode", ".config/opencode/opencode.json"),
                ("cline", ".cline/data/settings/cline_mcp_settings.json"),
                ("qwen", ".qwen/settings.json"),
                ("kilo", ".config/kilo/kilo.json"),
                ("auggie", ".augment/settings.json"),
                ("continue", ".continue/config.yaml"),
                ("goose", ".config/goose/config.yaml"),
                ("droid", ".factory/mcp.json"),
                ("kiro", ".kiro/settings/mcp.json"),
                ("crush", ".config/crush/crush.json"),
                ("junie", ".junie/mcp/mcp.json"),
                ("warp", ".warp/.mcp.json"),
                ("lmstudio", ".lmstudio/mcp.json"),
                ("trae", "Library/Application Support/Trae/User/mcp.json"),
                ("visual-studio", ".mcp.json"),
            ],
        );
        assert_eq!(
            crate::wizard::instances::store_path_in(&env),
            PathBuf::from(
                "/Users/ana/Library/Application Support/directus-mcp-setup/instances.json"
            )
        );
    }

    #[test]
    fn user_settings_files_on_windows() {
        let home = r"C:\Users\ana";
        // %APPDATA% unset: the usual AppData\Roaming under the profile.
        let env = ClientEnvironment::new(Os::Windows, home.into(), None, None, None, None);
        expect(
            &env,
            home,
            &[
                (
                    "claude-desktop",
                    "AppData/Roaming/Claude/claude_desktop_config.json",
                ),
                ("claude-code", ".claude.json"),
                ("cursor", ".cursor/mcp.json"),
                ("vscode", "AppData/Roaming/Code/User/mcp.json"),
                (
                    "vscode-insiders",
                    "AppData/Roaming/Code - Insiders/User/mcp.json",
                ),
                ("vscodium", "AppData/Roaming/VSCodium/User/mcp.json"),
                ("windsurf", ".codeium/windsurf/mcp_config.json"),
                ("windsurf-next", ".codeium/windsurf-next/mcp_config.json"),
                ("zed", "AppData/Roaming/Zed/settings.json"),
                ("codex", ".codex/config.toml"),
                ("gemini", ".gemini/settings.json"),
                ("copilot", ".copilot/mcp-config.json"),
                ("opencode", ".config/opencode/opencode.json"),
                ("cline", ".cline/data/settings/cline_mcp_settings.json"),
                ("qwen", ".qwen/settings.json"),
                ("kilo", ".config/kilo/kilo.json"),
                ("auggie", ".augment/settings.json"),
                ("continue", ".continue/config.yaml"),
                ("goose", "AppData/Roaming/Block/goose/config/config.yaml"),
                ("droid", ".factory/mcp.json"),
                ("kiro", ".kiro/settings/mcp.json"),
                ("crush", ".config/crush/crush.json"),
                ("junie", ".junie/mcp/mcp.json"),
                ("warp", ".warp/.mcp.json"),
                ("lmstudio", ".lmstudio/mcp.json"),
                ("trae", "AppData/Roaming/Trae/User/mcp.json"),
                ("visual-studio", ".mcp.json"),
            ],
        );
        // %APPDATA% and %CODEX_HOME% set: they win.
        let moved = ClientEnvironment::new(
            Os::Windows,
            home.into(),
            None,
            Some(r"D:\Roaming".into()),
            Some(r"D:\codex".into()),
            None,
        );
        let files = user_files(&moved);
        let file = |id: &str| {
            files
                .iter()
                .find(|(client, _)| client == id)
                .map(|(_, path)| path.clone())
                .unwrap()
        };
        assert_eq!(
            file("vscode"),
            PathBuf::from(r"D:\Roaming")
                .join("Code")
                .join("User")
                .join("mcp.json")
        );
        assert_eq!(
            file("codex"),
            PathBuf::from(r"D:\codex").join("config.toml")
        );
        assert_eq!(
            crate::wizard::instances::store_path_in(&moved),
            PathBuf::from(r"D:\Roaming")
                .join("directus-mcp-setup")
                .join("instances.json")
        );
    }

    #[test]
    fn project_files_are_the_same_everywhere() {
        let project = tempfile::tempdir().unwrap();
        let project = project.path();
        for os in [Os::Linux, Os::MacOs, Os::Windows] {
            let env = ClientEnvironment::new(os, "/h".into(), None, None, None, None);
            let target =
                Target::new("directus", Scope::Project, Some(project.to_path_buf())).unwrap();
            let files: Vec<(String, PathBuf)> = all()
                .iter()
                .filter_map(|client| {
                    client
                        .config_file(&env, &target)
                        .map(|path| (client.id().to_owned(), path))
                })
                .collect();
            let expected: Vec<(String, PathBuf)> = [
                ("claude-code", ".mcp.json"),
                ("cursor", ".cursor/mcp.json"),
                ("vscode", ".vscode/mcp.json"),
                ("vscode-insiders", ".vscode/mcp.json"),
                ("vscodium", ".vscode/mcp.json"),
                ("zed", ".zed/settings.json"),
                ("gemini", ".gemini/settings.json"),
                ("copilot", ".mcp.json"),
                ("opencode", "opencode.json"),
                ("qwen", ".qwen/settings.json"),
                ("kilo", "kilo.json"),
                ("auggie", ".augment/settings.json"),
                ("droid", ".factory/mcp.json"),
                ("kiro", ".kiro/settings/mcp.json"),
                ("crush", ".crush.json"),
                ("junie", ".junie/mcp/mcp.json"),
                ("warp", ".warp/.mcp.json"),
                ("trae", ".trae/mcp.json"),
            ]
            .iter()
            .map(|(id, file)| ((*id).to_owned(), project.join(file)))
            .collect();
            let mut sorted = files.clone();
            sorted.sort();
            let mut expected_sorted = expected;
            expected_sorted.sort();
            assert_eq!(sorted, expected_sorted, "{os:?}");
        }
    }
}
