//! Least-privilege role templates for the MCP user, from Directus' MCP documentation
//! (its security guide's roles, directus/docs `content/guides/12.ai/2.mcp/7.security.md`
//! "Choose the Right Role", read 2026-12-02 at acb59c8 of 2026-08-19: "For content work",
//! and "For analysis only: only grant read access to the data you want analyzed, no write
//! permissions at all", which [`RoleTemplate::ReadOnly`] follows).
//!
//! No rule carries a filter, validation or preset: an unlicensed (community) Directus
//! refuses such "custom permission rules". Every rule grants all fields, except the
//! opt-in update on files, which is limited to the files' descriptive fields: Directus
//! 12.4.1 counts such a field list as a custom rule, so a community install refuses it
//! (`SetupError::FileUpdateNeedsCustomRules`, proven in
//! `tests/integration/least_privilege.rs`; the limit itself is checked there only against a
//! licensed Directus).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use ts_rs::TS;

/// Which role the MCP user gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum RoleTemplate {
    /// Read, create and update on chosen content collections; read and upload files (their
    /// descriptive fields editable only when asked for: never their bytes); read, create
    /// and update folders; read-only on the system collections MCP's tools read. No delete
    /// anywhere unless asked for by name, no schema, flow, user, role or policy changes.
    ContentEditor,
    /// Read on the chosen content collections, on files and on the prompts collection;
    /// nothing else (no create, update or delete anywhere, no system collection but
    /// files): Directus' security guide's role "for analysis only".
    ReadOnly,
    /// Full admin access. Directus 12 offers its schema and flow MCP tools only to
    /// administrators; such a token can do anything, over MCP and REST alike.
    Administrator,
}

/// The actions a Content Editor has on its content collections and on folders (delete
/// only on collections named in [`TokenRequest::delete_collections`]).
///
/// [`TokenRequest::delete_collections`]: super::mcp_user::TokenRequest::delete_collections
const EDIT: [&str; 3] = ["create", "read", "update"];

/// System collections a Content Editor may read: what `schema` and `trigger-flow` need.
/// Reading `directus_flows` lets `trigger-flow` start the project's existing manual flows
/// (a flow runs with the permissions its author set, so review manual flows).
const SYSTEM_READ: [&str; 4] = [
    "directus_collections",
    "directus_fields",
    "directus_relations",
    "directus_flows",
];

/// The system collections whose rows a Content Editor may delete when named.
pub const DELETABLE_SYSTEM: [&str; 2] = ["directus_files", "directus_folders"];

/// What a Content Editor may do to files by default: read them and upload new ones. An
/// update could replace any file's bytes (`PATCH /files/:id` with a file), as destructive
/// as a delete, so it is granted only when asked for, and then only on [`FILE_METADATA_FIELDS`].
const FILE_DEFAULT: [&str; 2] = ["create", "read"];

/// The files' descriptive fields an opt-in file update may change: not the stored file,
/// its name on disk or for download, its storage or who uploaded it.
pub const FILE_METADATA_FIELDS: [&str; 7] = [
    "title",
    "description",
    "tags",
    "location",
    "folder",
    "focal_point_x",
    "focal_point_y",
];

/// What a Content Editor may do to files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileRights {
    /// Read every file and upload new ones (the default).
    #[default]
    ReadAndUpload,
    /// Also change files' descriptive fields ([`FILE_METADATA_FIELDS`]), never their bytes.
    AlsoEditDescriptions,
}

impl RoleTemplate {
    /// Every template, in the order the UI offers them.
    pub const ALL: [RoleTemplate; 3] = [Self::ContentEditor, Self::ReadOnly, Self::Administrator];

    /// The name people see, e.g. "Content Editor".
    pub fn display_name(self) -> &'static str {
        match self {
            Self::ContentEditor => "Content Editor",
            Self::ReadOnly => "Read-only",
            Self::Administrator => "Administrator",
        }
    }

    /// The name used on the command line, e.g. `content-editor`.
    pub fn cli_name(self) -> &'static str {
        match self {
            Self::ContentEditor => "content-editor",
            Self::ReadOnly => "read-only",
            Self::Administrator => "administrator",
        }
    }

    /// The role and policy name on the server, e.g. "MCP Content Editor".
    pub fn role_name(self) -> String {
        format!("MCP {}", self.display_name())
    }

    /// Recognises a template from the role name it gave.
    pub fn from_role_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.role_name() == name)
    }

    /// Whether the policy grants admin access.
    pub fn admin_access(self) -> bool {
        self == Self::Administrator
    }

    /// Whether the template grants access per content collection.
    pub fn uses_content_collections(self) -> bool {
        self != Self::Administrator
    }

    /// Whether the template grants any write (create, update or delete): only the
    /// read-only template grants none, so deletes and file updates cannot be added to it.
    pub fn writes(self) -> bool {
        self != Self::ReadOnly
    }

    /// The permission rules for `content_collections` (read, create, update), `read_only`
    /// collections (read: the prompts collection), files (`files`) and `deletable`
    /// collections (delete, only those named by the user), as `(collection, action)` pairs.
    pub fn rules(
        self,
        content_collections: &[String],
        read_only: &[String],
        deletable: &[String],
        files: FileRights,
    ) -> Vec<(String, &'static str)> {
        let mut rules = Vec::new();
        if self == Self::Administrator {
            return rules;
        }
        if self == Self::ReadOnly {
            let mut read: Vec<&String> = content_collections.iter().chain(read_only).collect();
            read.sort();
            read.dedup();
            rules.extend(
                read.into_iter()
                    .map(|collection| (collection.clone(), "read")),
            );
            rules.push(("directus_files".to_owned(), "read"));
            return rules;
        }
        for collection in content_collections {
            for action in EDIT {
                rules.push((collection.clone(), action));
            }
        }
        for collection in read_only
            .iter()
            .filter(|c| !content_collections.contains(c))
        {
            rules.push((collection.clone(), "read"));
        }
        for action in FILE_DEFAULT {
            rules.push(("directus_files".to_owned(), action));
        }
        if files == FileRights::AlsoEditDescriptions {
            rules.push(("directus_files".to_owned(), "update"));
        }
        for action in EDIT {
            rules.push(("directus_folders".to_owned(), action));
        }
        for collection in SYSTEM_READ {
            rules.push((collection.to_owned(), "read"));
        }
        for collection in deletable {
            rules.push((collection.clone(), "delete"));
        }
        rules
    }

    /// The rules as the JSON objects `POST /permissions` takes: every field, except the
    /// update on files, limited to [`FILE_METADATA_FIELDS`].
    pub fn permissions_json(
        self,
        content_collections: &[String],
        read_only: &[String],
        deletable: &[String],
        files: FileRights,
    ) -> Vec<Value> {
        self.rules(content_collections, read_only, deletable, files)
            .into_iter()
            .map(|(collection, action)| {
                let fields = if collection == "directus_files" && action == "update" {
                    json!(FILE_METADATA_FIELDS)
                } else {
                    json!(["*"])
                };
                json!({ "collection": collection, "action": action, "fields": fields })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only the administrator template gets admin access; only the others are limited to
    /// chosen content collections (a Content Editor with admin access would pass every
    /// refusal the REST table expects, so this is pinned here as well as over REST).
    #[test]
    fn only_the_administrator_has_admin_access_and_no_collection_list() {
        assert!(RoleTemplate::Administrator.admin_access());
        assert!(!RoleTemplate::ContentEditor.admin_access());
        assert!(RoleTemplate::ContentEditor.uses_content_collections());
        assert!(!RoleTemplate::Administrator.uses_content_collections());
    }

    #[test]
    fn the_prompts_collection_is_read_only_unless_it_is_content() {
        let rules = RoleTemplate::ContentEditor.rules(
            &["articles".into()],
            &["ai_prompts".into()],
            &[],
            FileRights::default(),
        );
        assert!(has(&rules, "ai_prompts", "read"));
        assert!(!has(&rules, "ai_prompts", "update"));
        let both = RoleTemplate::ContentEditor.rules(
            &["ai_prompts".into()],
            &["ai_prompts".into()],
            &[],
            FileRights::default(),
        );
        assert_eq!(
            both.iter()
                .filter(|(c, a)| c == "ai_prompts" && *a == "read")
                .count(),
            1
        );
    }

    fn has(rules: &[(String, &str)], collection: &str, action: &str) -> bool {
        rules.iter().any(|(c, a)| c == collection && *a == action)
    }

    #[test]
    fn content_editor_deletes_nothing_and_never_touches_the_schema() {
        let rules = RoleTemplate::ContentEditor.rules(
            &["articles".into()],
            &[],
            &[],
            FileRights::default(),
        );
        assert!(has(&rules, "articles", "update"));
        assert!(
            rules.iter().all(|(_, action)| *action != "delete"),
            "{rules:?}"
        );
        assert!(has(&rules, "directus_files", "create"));
        assert!(has(&rules, "directus_fields", "read"));
        assert!(!has(&rules, "directus_fields", "update"));
        assert!(!has(&rules, "directus_flows", "create"));
        assert!(!has(&rules, "directus_operations", "read"));
        assert!(!has(&rules, "directus_users", "read"));
    }

    #[test]
    fn deletes_only_where_named() {
        let rules = RoleTemplate::ContentEditor.rules(
            &["articles".into(), "pages".into()],
            &[],
            &["articles".into(), "directus_files".into()],
            FileRights::default(),
        );
        assert!(has(&rules, "articles", "delete"));
        assert!(has(&rules, "directus_files", "delete"));
        assert!(!has(&rules, "pages", "delete"));
        assert!(!has(&rules, "directus_folders", "delete"));
    }

    #[test]
    fn files_are_read_and_uploaded_but_their_bytes_never_replaced_by_default() {
        let rules = RoleTemplate::ContentEditor.rules(&[], &[], &[], FileRights::default());
        assert!(has(&rules, "directus_files", "read"));
        assert!(has(&rules, "directus_files", "create"));
        assert!(!has(&rules, "directus_files", "update"), "{rules:?}");
        assert!(has(&rules, "directus_folders", "update"));
    }

    #[test]
    fn an_asked_for_file_update_reaches_only_the_descriptive_fields() {
        let rules = RoleTemplate::ContentEditor.permissions_json(
            &[],
            &[],
            &[],
            FileRights::AlsoEditDescriptions,
        );
        let update: Vec<&Value> = rules
            .iter()
            .filter(|rule| rule["collection"] == "directus_files" && rule["action"] == "update")
            .collect();
        assert_eq!(update.len(), 1, "{rules:?}");
        let fields = update[0]["fields"].as_array().unwrap();
        assert!(fields.contains(&json!("title")));
        for forbidden in [
            "*",
            "filename_disk",
            "filename_download",
            "storage",
            "uploaded_by",
            "type",
            "filesize",
        ] {
            assert!(
                !fields.contains(&json!(forbidden)),
                "{forbidden} in {fields:?}"
            );
        }
    }

    #[test]
    fn every_rule_is_licence_safe() {
        for template in RoleTemplate::ALL {
            for rule in template.permissions_json(
                &["a".into()],
                &["p".into()],
                &["a".into()],
                FileRights::AlsoEditDescriptions,
            ) {
                if !(rule["collection"] == "directus_files" && rule["action"] == "update") {
                    assert_eq!(rule["fields"], json!(["*"]));
                }
                assert!(
                    rule.get("permissions").is_none()
                        && rule.get("validation").is_none()
                        && rule.get("presets").is_none()
                );
            }
        }
    }

    /// The analysis-only template reads the chosen collections, the prompts collection and
    /// files, and nothing else, whatever deletes or file updates are passed in.
    #[test]
    fn read_only_reads_the_chosen_collections_files_and_prompts_and_nothing_else() {
        let rules = RoleTemplate::ReadOnly.rules(
            &["articles".into(), "pages".into()],
            &["ai_prompts".into(), "articles".into()],
            &["articles".into(), "directus_files".into()],
            FileRights::AlsoEditDescriptions,
        );
        let mut expected = vec![
            ("ai_prompts".to_owned(), "read"),
            ("articles".to_owned(), "read"),
            ("pages".to_owned(), "read"),
            ("directus_files".to_owned(), "read"),
        ];
        let mut got = rules.clone();
        got.sort();
        expected.sort();
        assert_eq!(got, expected);
        assert!(!RoleTemplate::ReadOnly.admin_access());
        assert!(RoleTemplate::ReadOnly.uses_content_collections());
        assert!(!RoleTemplate::ReadOnly.writes());
        assert!(RoleTemplate::ContentEditor.writes());
    }

    #[test]
    fn names_round_trip() {
        for template in RoleTemplate::ALL {
            assert_eq!(
                RoleTemplate::from_role_name(&template.role_name()),
                Some(template)
            );
        }
    }
}
