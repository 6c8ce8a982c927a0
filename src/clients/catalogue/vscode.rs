//! VS Code and its variants (Insiders, VSCodium): the user's `mcp.json` of every profile,
//! or a workspace's `.vscode/mcp.json` (JSONC), `servers.NAME {type: "http", url, headers}`.
//! A token is asked for when the server starts (an `inputs` password prompt), so none is
//! stored, unless written inline on request.
//!
//! Each variant keeps its settings in its own folder below the system's application
//! settings folder, named after the product (`<appData>/<nameShort>`,
//! microsoft/vscode `src/vs/platform/environment/node/userDataPath.ts`, checked
//! 2026-12-02): `Code`, `Code - Insiders`, `VSCodium` (VSCodium/vscodium
//! `prepare_vscode.sh` at a6a4322, 2026-05-18: `nameShort` "VSCodium", `applicationName`
//! "codium", `urlProtocol` "vscodium"). Profiles: see [`super::vscode_profiles`].

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::file_client::{
    ConfigFile, ConfigFiles, FileClient, program_or_folder, scoped_path, url_and_headers,
};
use crate::clients::plan::{CopyValue, Instruction, ManualSteps};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::status::FoundConnection;
use crate::config_edit::{Entry, EntryPath};

/// VS Code (GitHub Copilot's agent mode), or one of its variants, in every profile or in
/// the profiles named.
pub struct VsCode {
    /// Which build.
    pub variant: &'static Variant,
    /// The profiles to connect, by name; empty for every profile.
    pub profiles: Vec<String>,
    /// The id: the variant's, or `variant@Profile,Other` when narrowed to some profiles.
    pub id: &'static str,
}

/// A build of VS Code with its own settings folder.
#[derive(Debug)]
pub struct Variant {
    /// The client id.
    pub id: &'static str,
    /// The name users know.
    pub name: &'static str,
    /// Its folder in the system's application settings folder.
    pub folder: &'static str,
    /// Its command-line program.
    pub program: &'static str,
    /// The scheme of its links (`vscode:mcp/install?…`).
    pub url_scheme: &'static str,
}

/// VS Code.
pub const VSCODE: Variant = Variant {
    id: "vscode",
    name: "VS Code",
    folder: "Code",
    program: "code",
    url_scheme: "vscode",
};

/// VS Code Insiders: `Code - Insiders`, `code-insiders`, `vscode-insiders:` links.
pub const VSCODE_INSIDERS: Variant = Variant {
    id: "vscode-insiders",
    name: "VS Code Insiders",
    folder: "Code - Insiders",
    program: "code-insiders",
    url_scheme: "vscode-insiders",
};

/// VSCodium (VSCodium/vscodium `prepare_vscode.sh`).
pub const VSCODIUM: Variant = Variant {
    id: "vscodium",
    name: "VSCodium",
    folder: "VSCodium",
    program: "codium",
    url_scheme: "vscodium",
};

/// Every variant, in the order the catalogue lists them.
pub const VARIANTS: [&Variant; 3] = [&VSCODE, &VSCODE_INSIDERS, &VSCODIUM];

impl VsCode {
    /// Every profile of `variant`.
    pub const fn every_profile(variant: &'static Variant) -> Self {
        Self {
            variant,
            profiles: Vec::new(),
            id: variant.id,
        }
    }

    /// `variant` narrowed to the profiles named `profiles`, its id `variant@A,B`. The id is
    /// leaked once per call, so callers make one per distinct id (the registry keeps them).
    pub fn narrowed(variant: &'static Variant, profiles: Vec<String>) -> Self {
        let id = format!("{}@{}", variant.id, profiles.join(","));
        Self {
            variant,
            profiles,
            id: Box::leak(id.into_boxed_str()),
        }
    }

    /// The variant's `User` folder (inside WSL the Windows user's: VS Code and its Remote-WSL
    /// window read the Windows `mcp.json`, microsoft/vscode#333106).
    fn user_dir(&self, env: &ClientEnvironment) -> PathBuf {
        env.desktop_apps()
            .app_config_dir
            .join(self.variant.folder)
            .join("User")
    }

    /// The profiles whose `mcp.json` the entry goes into, and what could not be read.
    fn chosen_profiles(&self, env: &ClientEnvironment) -> Result<ConfigFiles, ClientError> {
        let found = super::vscode_profiles::read(&self.user_dir(env));
        let unknown: Vec<&String> = self
            .profiles
            .iter()
            .filter(|wanted| !found.list.iter().any(|profile| &&profile.name == wanted))
            .collect();
        if let Some(given) = unknown.first() {
            return Err(ClientError::UnknownClient {
                given: format!("{}@{given}", self.variant.id),
                known: found
                    .list
                    .iter()
                    .map(|profile| format!("{}@{}", self.variant.id, profile.name))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let files = found
            .list
            .into_iter()
            .filter(|profile| self.profiles.is_empty() || self.profiles.contains(&profile.name))
            .map(|profile| ConfigFile {
                label: Some(format!("profile {}", profile.name)),
                path: profile.mcp_file,
            })
            .collect();
        Ok(ConfigFiles {
            files,
            notices: found.notices,
        })
    }
}

/// The id of the password prompt for server `name`.
fn input_id(name: &str) -> String {
    format!("{name}-token")
}

impl VsCode {
    fn prompts_for_token(request: &ConnectRequest) -> bool {
        request.auth == AuthMode::Token && !request.inline_token
    }
}

impl FileClient for VsCode {
    fn cimd_client_id(&self) -> Option<&'static str> {
        // VS Code's own document, the client id it signs in with (no DCR fallback).
        Some("https://vscode.dev/oauth/client-metadata.json")
    }

    fn id(&self) -> &'static str {
        self.id
    }

    fn name(&self) -> &'static str {
        self.variant.name
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: self.id.into(),
            name: self.variant.name.into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::Cimd,
            // A workspace's `.vscode/mcp.json` is read by every variant: the team setup
            // writes it once, as VS Code's (connecting a variant in project scope still
            // writes that same file).
            scopes: if self.variant.id == VSCODE.id {
                vec![Scope::User, Scope::Project]
            } else {
                vec![Scope::User]
            },
            token_storage: "asked for when the server starts, kept by VS Code's secret storage (or inline with --inline-token, 0600)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        let mut found = program_or_folder(
            env,
            &[self.variant.program],
            &[env.desktop_apps().app_config_dir.join(self.variant.folder)],
        );
        // Name the profiles beside the evidence, so `clients` and the app show each one.
        let profiles = super::vscode_profiles::read(&self.user_dir(env)).list;
        if let (Some(evidence), [_, _, ..]) = (&mut found.evidence, profiles.as_slice()) {
            let names: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
            evidence.push_str(&format!("; profiles: {}", names.join(", ")));
        }
        found
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        let user = self.user_dir(env).join("mcp.json");
        scoped_path(self.variant.name, target, user, Some(".vscode/mcp.json"))
    }

    fn config_files(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<ConfigFiles, ClientError> {
        match target.scope {
            Scope::Project => Ok(ConfigFiles::one(self.config_path(env, target)?)),
            Scope::User => {
                let chosen = self.chosen_profiles(env)?;
                // Only the default profile: the client's one file, as before profiles.
                if self.profiles.is_empty() && chosen.files.len() == 1 {
                    return Ok(ConfigFiles {
                        files: vec![ConfigFile {
                            label: None,
                            path: self.config_path(env, target)?,
                        }],
                        notices: chosen.notices,
                    });
                }
                Ok(chosen)
            }
        }
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let name = &request.target.name;
        let url = request.mcp_url.as_str();
        let server = match request.auth {
            AuthMode::Oauth => json!({ "type": "http", "url": url }),
            AuthMode::Token if request.inline_token => json!({
                "type": "http",
                "url": url,
                "headers": { "Authorization": request.bearer(self.variant.name)? },
            }),
            AuthMode::Token => json!({
                "type": "http",
                "url": url,
                "headers": { "Authorization": format!("Bearer ${{input:{}}}", input_id(name)) },
            }),
        };
        let input = Self::prompts_for_token(request).then(|| {
            json!({
                "id": input_id(name),
                "type": "promptString",
                "description": format!("Directus MCP token ({name})"),
                "password": true,
            })
        });
        let mut paths = self.entry_paths(name).into_iter();
        Ok(vec![
            Entry {
                path: paths.next().expect("two paths"),
                value: Some(server),
                managed: &["type", "url", "headers"],
            },
            Entry {
                path: paths.next().expect("two paths"),
                value: input,
                managed: &["type", "description", "password"],
            },
        ])
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![
            EntryPath::key(&["servers", name]),
            EntryPath::ArrayItem {
                array: vec!["inputs".into()],
                id_key: "id".into(),
                id: input_id(name),
            },
        ]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.auth == AuthMode::Token && request.inline_token
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        url_and_headers(values, &["url"])
    }

    fn notes(&self, request: &ConnectRequest) -> Vec<String> {
        match request.auth {
            AuthMode::Oauth => vec![
                format!("{} registers only through Client ID Metadata Documents (no DCR fallback): turn CIMD on in Directus (setting and MCP_OAUTH_CIMD_ENABLED).", self.variant.name),
                "Start the server from the MCP view or Agent mode and sign in to Directus in the browser.".into(),
            ],
            AuthMode::Token if request.inline_token => Vec::new(),
            AuthMode::Token => vec![
                format!("No token is written: {} asks for it the first time the server starts and keeps it in its secret storage. Paste the token shown by `directus-mcp-setup token show`.", self.variant.name),
            ],
        }
    }

    fn alternatives(&self, request: &ConnectRequest) -> Vec<ManualSteps> {
        if request.auth != AuthMode::Oauth {
            return Vec::new();
        }
        let install = json!({
            "name": request.target.name,
            "type": "http",
            "url": request.mcp_url.as_str(),
        });
        let mut link = url::Url::parse(&format!("{}:mcp/install", self.variant.url_scheme))
            .expect("a valid constant URL");
        link.set_query(Some(
            &url::form_urlencoded::byte_serialize(install.to_string().as_bytes())
                .collect::<String>(),
        ));
        vec![ManualSteps {
            title: format!("Or install from {}'s link", self.variant.name),
            steps: vec![Instruction::text(format!(
                "Open the link; {} shows the server and an Install button.",
                self.variant.name
            ))],
            link: Some(CopyValue {
                label: format!("{} install link", self.variant.name),
                value: link.to_string(),
                secret: false,
            }),
        }]
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::clients::environment::Os;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn user_target() -> Target {
        Target::new("directus", Scope::User, None).unwrap()
    }

    /// Every variant finds its profiles below its own folder on each system: the choice
    /// depends only on the given environment and folder tree.
    #[test]
    fn every_variant_reads_its_own_profiles_on_linux_macos_and_windows() {
        for os in [Os::Linux, Os::MacOs, Os::Windows] {
            let home = tempfile::tempdir().unwrap();
            let env = ClientEnvironment::new(os, home.path().into(), None, None, None, None);
            let app = match os {
                Os::Linux => home.path().join(".config"),
                Os::MacOs => home.path().join("Library").join("Application Support"),
                Os::Windows => home.path().join("AppData").join("Roaming"),
            };
            for variant in VARIANTS {
                let user = app.join(variant.folder).join("User");
                write(
                    &user.join("globalStorage").join("storage.json"),
                    &format!(
                        r#"{{"userDataProfiles":[{{"location":"p-{}","name":"Work"}}]}}"#,
                        variant.program
                    ),
                );
                let files = VsCode::every_profile(variant)
                    .config_files(&env, &user_target())
                    .unwrap();
                let found: Vec<(Option<String>, PathBuf)> = files
                    .files
                    .into_iter()
                    .map(|file| (file.label, file.path))
                    .collect();
                assert_eq!(
                    found,
                    [
                        (Some("profile Default".into()), user.join("mcp.json")),
                        (
                            Some("profile Work".into()),
                            user.join("profiles")
                                .join(format!("p-{}", variant.program))
                                .join("mcp.json")
                        ),
                    ],
                    "{os:?} {}",
                    variant.id
                );
            }
        }
    }

    #[test]
    fn without_profiles_vscode_has_its_one_file_as_before() {
        let home = tempfile::tempdir().unwrap();
        let env = ClientEnvironment::new(Os::Linux, home.path().into(), None, None, None, None);
        let files = VsCode::every_profile(&VSCODE)
            .config_files(&env, &user_target())
            .unwrap();
        assert_eq!(
            files,
            ConfigFiles::one(home.path().join(".config/Code/User/mcp.json"))
        );
    }

    #[test]
    fn narrowing_to_a_profile_keeps_only_it_and_an_unknown_name_lists_the_known_ones() {
        let home = tempfile::tempdir().unwrap();
        let env = ClientEnvironment::new(Os::Linux, home.path().into(), None, None, None, None);
        let user = home.path().join(".config/VSCodium/User");
        write(
            &user.join("globalStorage/storage.json"),
            r#"{"userDataProfiles":[{"location":"a1","name":"Work"},{"location":"b2","name":"Play"}]}"#,
        );
        let work = VsCode::narrowed(&VSCODIUM, vec!["Work".into()]);
        let files = work.config_files(&env, &user_target()).unwrap();
        assert_eq!(files.files.len(), 1);
        assert_eq!(files.files[0].path, user.join("profiles/a1/mcp.json"));
        assert_eq!(work.id(), "vscodium@Work");

        let missing = VsCode::narrowed(&VSCODIUM, vec!["Gone".into()]);
        let error = missing
            .config_files(&env, &user_target())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("vscodium@Gone")
                && error.contains("vscodium@Default, vscodium@Work, vscodium@Play"),
            "{error}"
        );
    }

    #[test]
    fn each_variant_links_with_its_own_scheme() {
        assert_eq!(
            VARIANTS.map(|variant| variant.url_scheme),
            ["vscode", "vscode-insiders", "vscodium"]
        );
    }
}
