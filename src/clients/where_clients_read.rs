//! Where each client reads its servers on Linux, macOS and Windows, asked of the connectors
//! themselves for a standard home folder on each system, beside the facts they rest on
//! ([`super::catalogue::facts`]): the table the README prints. Because the files come from
//! the same code that writes them, the table cannot say one thing while the code does
//! another.

use std::path::Path;

use super::catalogue::facts::{self, ClientFacts};
use super::environment::{ClientEnvironment, Os};
use super::registry;
use super::request::{Scope, Target};

/// The home folder the table's environments use; shown as `~` or `%USERPROFILE%`.
const HOME: &str = "/HOME";

/// One client's row: its files per system and its facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFiles {
    /// The client's id.
    pub id: String,
    /// The user file on Linux, macOS and Windows (`None`: the client keeps no file).
    pub user: [Option<String>; 3],
    /// The project file, relative to the project folder, when it has one.
    pub project: Option<String>,
    /// What the connector rests on.
    pub facts: Option<&'static ClientFacts>,
}

/// Every client's row, in the catalogue's order.
pub fn table() -> Vec<ClientFiles> {
    let project = std::env::temp_dir();
    registry::all()
        .iter()
        .map(|client| {
            let id = client.id().to_owned();
            let user = [Os::Linux, Os::MacOs, Os::Windows].map(|os| {
                let env = ClientEnvironment::new(os, HOME.into(), None, None, None, None);
                let target = Target::new("directus", Scope::User, None).ok()?;
                client
                    .config_file(&env, &target)
                    .map(|path| shown(os, &path))
            });
            let project_file = Target::new("directus", Scope::Project, Some(project.clone()))
                .ok()
                .and_then(|target| {
                    let env =
                        ClientEnvironment::new(Os::Linux, HOME.into(), None, None, None, None);
                    let canonical = target.project_dir.clone()?;
                    client
                        .config_file(&env, &target)
                        .and_then(|path| path.strip_prefix(&canonical).ok().map(Path::to_path_buf))
                        .map(|relative| relative.display().to_string().replace('\\', "/"))
                });
            ClientFiles {
                facts: facts::of(&id),
                id,
                user,
                project: project_file,
            }
        })
        .collect()
}

/// `path` as a user of `os` writes it: `~/…` on Linux and macOS, `%APPDATA%\…`,
/// `%LOCALAPPDATA%\…` or `%USERPROFILE%\…` on Windows.
fn shown(os: Os, path: &Path) -> String {
    // Built with this system's separator (`\` when the table is made on Windows).
    let text = path.display().to_string().replace('\\', "/");
    match os {
        Os::Linux | Os::MacOs => text.replacen(HOME, "~", 1),
        Os::Windows => {
            let roaming = format!("{HOME}/AppData/Roaming");
            let local = format!("{HOME}/AppData/Local");
            let text = if let Some(rest) = text.strip_prefix(&roaming) {
                format!("%APPDATA%{rest}")
            } else if let Some(rest) = text.strip_prefix(&local) {
                format!("%LOCALAPPDATA%{rest}")
            } else {
                text.replacen(HOME, "%USERPROFILE%", 1)
            };
            text.replace('/', "\\")
        }
    }
}

/// The table as Markdown, for the README.
pub fn markdown() -> String {
    let mut out = String::from(
        "| client id | Linux | macOS | Windows | project file | entry | expands | location variables | also read | checked (against) |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",
    );
    for row in table() {
        let cell = |value: &Option<String>| {
            value
                .as_ref()
                .map_or_else(|| "—".to_owned(), |path| format!("`{path}`"))
        };
        let facts = row.facts;
        let fact = |pick: fn(&ClientFacts) -> &'static str| facts.map_or("?", pick);
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} ({}) |\n",
            row.id,
            cell(&row.user[0]),
            cell(&row.user[1]),
            cell(&row.user[2]),
            cell(&row.project),
            fact(|f| f.entry),
            fact(|f| f.expands),
            fact(|f| f.overrides),
            fact(|f| f.also),
            fact(|f| f.checked),
            fact(|f| f.against),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const START: &str = "<!-- where-clients-read:start (generated: UPDATE_README=1 cargo test --lib where_clients_read) -->\n";
    const END: &str = "<!-- where-clients-read:end -->";

    #[test]
    fn every_client_has_its_facts_and_no_facts_belong_to_no_client() {
        let ids = registry::ids();
        for id in &ids {
            assert!(facts::of(id).is_some(), "no facts for client {id}");
        }
        for facts in facts::FACTS {
            assert!(
                ids.iter().any(|id| id == facts.id),
                "facts for {}, which is no client",
                facts.id
            );
        }
    }

    #[test]
    fn each_check_date_is_a_date() {
        for facts in facts::FACTS {
            let parts: Vec<&str> = facts.checked.split('-').collect();
            assert!(
                parts.len() == 3
                    && parts[0].len() == 4
                    && parts[1].len() == 2
                    && parts[2].len() == 2
                    && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())),
                "{}: checked {:?} is not YYYY-MM-DD",
                facts.id,
                facts.checked
            );
        }
    }

    #[test]
    fn paths_are_written_as_each_system_names_them() {
        assert_eq!(
            shown(Os::Linux, Path::new("/HOME/.config/Code/User/mcp.json")),
            "~/.config/Code/User/mcp.json"
        );
        assert_eq!(
            shown(
                Os::Windows,
                Path::new("/HOME/AppData/Roaming/Code/User/mcp.json")
            ),
            "%APPDATA%\\Code\\User\\mcp.json"
        );
        assert_eq!(
            shown(
                Os::Windows,
                Path::new("/HOME/AppData/Local/Packages/x.json")
            ),
            "%LOCALAPPDATA%\\Packages\\x.json"
        );
        assert_eq!(
            shown(Os::Windows, Path::new("/HOME/.cursor/mcp.json")),
            "%USERPROFILE%\\.cursor\\mcp.json"
        );
        // As `Path::join` writes them when the table is made on Windows.
        assert_eq!(
            shown(Os::Linux, Path::new("/HOME\\.config\\Code\\User\\mcp.json")),
            "~/.config/Code/User/mcp.json"
        );
        assert_eq!(
            shown(
                Os::Windows,
                Path::new("/HOME\\AppData\\Roaming\\Zed\\settings.json")
            ),
            "%APPDATA%\\Zed\\settings.json"
        );
    }

    #[test]
    fn the_table_reads_the_connectors_own_files() {
        let rows = table();
        let row = |id: &str| rows.iter().find(|row| row.id == id).unwrap().clone();
        assert_eq!(
            row("vscode").user,
            [
                Some("~/.config/Code/User/mcp.json".into()),
                Some("~/Library/Application Support/Code/User/mcp.json".into()),
                Some("%APPDATA%\\Code\\User\\mcp.json".into()),
            ]
        );
        assert_eq!(row("cursor").project.as_deref(), Some(".cursor/mcp.json"));
        assert_eq!(row("raycast").user, [None, None, None]);
    }

    /// The README's table is this module's output; `UPDATE_README=1` writes it there.
    #[test]
    fn the_readme_table_is_current() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path).unwrap();
        let start = readme
            .find(START)
            .expect("README.md has the where-clients-read start marker")
            + START.len();
        let end = start
            + readme[start..]
                .find(END)
                .expect("README.md has the where-clients-read end marker");
        let table = markdown();
        if std::env::var("UPDATE_README").as_deref() == Ok("1") {
            let updated = format!("{}{}{}", &readme[..start], table, &readme[end..]);
            std::fs::write(&path, updated).unwrap();
            return;
        }
        assert!(
            readme[start..end] == table,
            "README.md's table of where clients read differs from the connectors: run \
             UPDATE_README=1 cargo test --lib where_clients_read and review the change"
        );
    }
}
