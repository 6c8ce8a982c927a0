//! VS Code's profiles: which `mcp.json` each profile reads.
//!
//! Facts, from microsoft/vscode (checked 2026-12-02 against main):
//! - the profiles are listed in `User/globalStorage/storage.json` under `userDataProfiles`,
//!   each `{location, name, useDefaultFlags?}`; `location` is the profile's folder name
//!   below `User/profiles/` (written as `basename(location)`), or, as older versions wrote
//!   it, a `file:` URI of that folder (`src/vs/platform/userDataProfile/node/userDataProfile.ts`,
//!   `getStoredProfiles`/`saveStoredProfiles`);
//! - a profile reads `<its folder>/mcp.json`, unless `useDefaultFlags.mcp` is true: then it
//!   uses the default profile's `User/mcp.json` (`common/userDataProfile.ts`, `mcpResource`).
//!
//! Reading the list is a pure function of the folder tree: the same on every system.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The name VS Code shows for the profile without a folder of its own.
pub const DEFAULT_PROFILE: &str = "Default";

/// One profile and the settings file it reads its MCP servers from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The name VS Code shows (`Default` for the default profile).
    pub name: String,
    /// Its `mcp.json` (which may not exist yet).
    pub mcp_file: PathBuf,
}

/// The profiles of one VS Code installation, and what could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Profiles {
    /// The default profile first, then every profile with an `mcp.json` of its own, in
    /// the order VS Code lists them.
    pub list: Vec<Profile>,
    /// Why some or all of the profiles could not be read (the default profile is always
    /// there): shown as a note, nothing else is refused.
    pub notices: Vec<String>,
}

/// The profiles of the installation whose settings folder is `user_dir` (`…/Code/User`).
/// A missing `storage.json` means only the default profile; a malformed one is reported
/// in [`Profiles::notices`] and leaves only the default profile.
pub fn read(user_dir: &Path) -> Profiles {
    let mut profiles = Profiles {
        list: vec![Profile {
            name: DEFAULT_PROFILE.into(),
            mcp_file: user_dir.join("mcp.json"),
        }],
        notices: Vec::new(),
    };
    let storage = user_dir.join("globalStorage").join("storage.json");
    let text = match std::fs::read_to_string(&storage) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return profiles,
        Err(error) => {
            profiles.notices.push(format!(
                "VS Code's profile list {} could not be read ({error}): only the default profile is used.",
                storage.display()
            ));
            return profiles;
        }
    };
    let stored = match serde_json::from_str::<Value>(&text) {
        Ok(state) => state.get("userDataProfiles").cloned(),
        Err(error) => {
            profiles.notices.push(format!(
                "VS Code's profile list {} is not valid JSON ({error}): only the default profile is used. Open VS Code once (it rewrites the file), then retry.",
                storage.display()
            ));
            return profiles;
        }
    };
    let stored = match stored {
        None | Some(Value::Null) => return profiles,
        Some(Value::Array(stored)) => stored,
        Some(_) => {
            profiles.notices.push(format!(
                "`userDataProfiles` in {} is not a list: only the default profile is used.",
                storage.display()
            ));
            return profiles;
        }
    };
    let profiles_home = user_dir.join("profiles");
    for entry in &stored {
        let name = entry.get("name").and_then(Value::as_str);
        let folder = entry.get("location").and_then(folder_name);
        match (name, folder) {
            (Some(name), Some(folder)) => {
                if shares_default_mcp(entry) {
                    continue;
                }
                profiles.list.push(Profile {
                    name: name.to_owned(),
                    mcp_file: profiles_home.join(folder).join("mcp.json"),
                });
            }
            _ => profiles.notices.push(format!(
                "A profile in {} has no usable name or folder ({}): it was skipped.",
                storage.display(),
                entry
            )),
        }
    }
    profiles
}

/// Whether the profile reads the default profile's MCP servers (`useDefaultFlags.mcp`).
fn shares_default_mcp(entry: &Value) -> bool {
    entry
        .get("useDefaultFlags")
        .and_then(|flags| flags.get("mcp"))
        .and_then(Value::as_bool)
        == Some(true)
}

/// The profile's folder name below `User/profiles/`: the stored string, or the last part
/// of an older version's `file:` URI. Anything that could leave the profiles folder
/// (a separator, `.` or `..`) is refused.
fn folder_name(location: &Value) -> Option<String> {
    let raw = match location {
        Value::String(name) => name.clone(),
        Value::Object(uri) => {
            let path = uri.get("path").and_then(Value::as_str)?;
            path.trim_end_matches('/').rsplit('/').next()?.to_owned()
        }
        _ => return None,
    };
    let safe = !raw.is_empty()
        && raw != "."
        && raw != ".."
        && !raw.contains(['/', '\\', ':'])
        && !raw.chars().any(char::is_control);
    safe.then_some(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_dir_with_storage(storage: Option<&str>) -> (tempfile::TempDir, PathBuf) {
        let home = tempfile::tempdir().unwrap();
        let user = home.path().join("Code").join("User");
        std::fs::create_dir_all(user.join("globalStorage")).unwrap();
        if let Some(text) = storage {
            std::fs::write(user.join("globalStorage").join("storage.json"), text).unwrap();
        }
        (home, user)
    }

    fn names(profiles: &Profiles) -> Vec<&str> {
        profiles.list.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn without_storage_json_there_is_only_the_default_profile() {
        let (_home, user) = user_dir_with_storage(None);
        let profiles = read(&user);
        assert_eq!(
            profiles.list,
            [Profile {
                name: "Default".into(),
                mcp_file: user.join("mcp.json")
            }]
        );
        assert!(profiles.notices.is_empty());
    }

    #[test]
    fn each_listed_profile_reads_the_mcp_json_in_its_own_folder_even_before_it_exists() {
        let (_home, user) = user_dir_with_storage(Some(
            r#"{"theme":"x","userDataProfiles":[
                {"location":"-5ae0ba4c","name":"Work","icon":"briefcase"},
                {"location":{"$mid":1,"fsPath":"/old/User/profiles/1a2b","path":"/old/User/profiles/1a2b","scheme":"file"},"name":"Old"},
                {"location":"77f","name":"Shares","useDefaultFlags":{"mcp":true,"settings":true}}
            ]}"#,
        ));
        let profiles = read(&user);
        assert_eq!(names(&profiles), ["Default", "Work", "Old"]);
        assert_eq!(
            profiles.list[1].mcp_file,
            user.join("profiles").join("-5ae0ba4c").join("mcp.json")
        );
        assert_eq!(
            profiles.list[2].mcp_file,
            user.join("profiles").join("1a2b").join("mcp.json")
        );
        assert!(!profiles.list[1].mcp_file.exists());
        assert!(profiles.notices.is_empty());
    }

    #[test]
    fn a_malformed_storage_json_leaves_the_default_profile_with_a_notice() {
        let (_home, user) = user_dir_with_storage(Some("{\"userDataProfiles\": [ {"));
        let profiles = read(&user);
        assert_eq!(names(&profiles), ["Default"]);
        assert_eq!(profiles.notices.len(), 1);
        assert!(
            profiles.notices[0].contains("storage.json")
                && profiles.notices[0].contains("not valid JSON"),
            "{:?}",
            profiles.notices
        );

        let (_home, user) = user_dir_with_storage(Some(r#"{"userDataProfiles": {"a": 1}}"#));
        let profiles = read(&user);
        assert_eq!(names(&profiles), ["Default"]);
        assert!(profiles.notices[0].contains("not a list"));
    }

    #[test]
    fn a_profile_folder_that_would_leave_the_profiles_folder_is_skipped_with_a_notice() {
        let (_home, user) = user_dir_with_storage(Some(
            r#"{"userDataProfiles":[
                {"location":"../../evil","name":"Evil"},
                {"location":"..","name":"Up"},
                {"location":"ok","name":"Fine"},
                {"name":"No folder"}
            ]}"#,
        ));
        let profiles = read(&user);
        assert_eq!(names(&profiles), ["Default", "Fine"]);
        assert_eq!(profiles.notices.len(), 3, "{:?}", profiles.notices);
    }

    #[test]
    fn storage_json_without_profiles_means_only_the_default_profile() {
        let (_home, user) = user_dir_with_storage(Some(r#"{"theme": "dark"}"#));
        let profiles = read(&user);
        assert_eq!(names(&profiles), ["Default"]);
        assert!(profiles.notices.is_empty());
    }
}
