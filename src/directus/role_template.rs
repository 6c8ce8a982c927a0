//! Least-privilege role templates for the MCP user, from Directus' MCP documentation.
//!
//! Every rule grants all fields and carries no filter, validation or preset: an
//! unlicensed (community) Directus refuses "custom permission rules", and these pass there.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use ts_rs::TS;

/// Which role the MCP user gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum RoleTemplate {
    /// Read/create/update on chosen content collections, CRUD on files and folders,
    /// read-only on the system collections MCP's tools read.
    ContentEditor,
    /// Content Editor plus CRUD on collections, fields, relations, flows and operations.
    Developer,
    /// Full admin access. Directus 12 offers its schema and flow MCP tools only to
    /// administrators.
    Administrator,
}

/// The CRUD actions Directus knows.
const CRUD: [&str; 4] = ["create", "read", "update", "delete"];

/// System collections a Content Editor may read: what `schema` and `trigger-flow` need.
const SYSTEM_READ: [&str; 4] = [
    "directus_collections",
    "directus_fields",
    "directus_relations",
    "directus_flows",
];

/// System collections a Developer may change.
const DEVELOPER_CRUD: [&str; 5] = [
    "directus_collections",
    "directus_fields",
    "directus_relations",
    "directus_flows",
    "directus_operations",
];

impl RoleTemplate {
    /// Every template, in the order the UI offers them.
    pub const ALL: [RoleTemplate; 3] = [Self::ContentEditor, Self::Developer, Self::Administrator];

    /// The name people see, e.g. "Content Editor".
    pub fn display_name(self) -> &'static str {
        match self {
            Self::ContentEditor => "Content Editor",
            Self::Developer => "Developer",
            Self::Administrator => "Administrator",
        }
    }

    /// The name used on the command line, e.g. `content-editor`.
    pub fn cli_name(self) -> &'static str {
        match self {
            Self::ContentEditor => "content-editor",
            Self::Developer => "developer",
            Self::Administrator => "administrator",
        }
    }

    /// Parses a command-line name.
    pub fn from_cli_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.cli_name() == name)
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

    /// The permission rules for `content_collections` (read, create, update) and
    /// `read_only` collections (read: the prompts collection), as `(collection, action)` pairs.
    pub fn rules(
        self,
        content_collections: &[String],
        read_only: &[String],
    ) -> Vec<(String, &'static str)> {
        let mut rules = Vec::new();
        if self == Self::Administrator {
            return rules;
        }
        for collection in content_collections {
            for action in ["create", "read", "update"] {
                rules.push((collection.clone(), action));
            }
        }
        for collection in read_only
            .iter()
            .filter(|c| !content_collections.contains(c))
        {
            rules.push((collection.clone(), "read"));
        }
        for collection in ["directus_files", "directus_folders"] {
            for action in CRUD {
                rules.push((collection.to_owned(), action));
            }
        }
        match self {
            Self::ContentEditor => {
                for collection in SYSTEM_READ {
                    rules.push((collection.to_owned(), "read"));
                }
            }
            Self::Developer => {
                for collection in DEVELOPER_CRUD {
                    for action in CRUD {
                        rules.push((collection.to_owned(), action));
                    }
                }
            }
            Self::Administrator => {}
        }
        rules
    }

    /// The rules as the JSON objects `POST /permissions` takes.
    pub fn permissions_json(
        self,
        content_collections: &[String],
        read_only: &[String],
    ) -> Vec<Value> {
        self.rules(content_collections, read_only)
            .into_iter()
            .map(|(collection, action)| json!({ "collection": collection, "action": action, "fields": ["*"] }))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prompts_collection_is_read_only_unless_it_is_content() {
        let rules = RoleTemplate::ContentEditor.rules(&["articles".into()], &["ai_prompts".into()]);
        assert!(has(&rules, "ai_prompts", "read"));
        assert!(!has(&rules, "ai_prompts", "update"));
        let both =
            RoleTemplate::ContentEditor.rules(&["ai_prompts".into()], &["ai_prompts".into()]);
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
    fn content_editor_cannot_delete_content_or_touch_the_schema() {
        let rules = RoleTemplate::ContentEditor.rules(&["articles".into()], &[]);
        assert!(has(&rules, "articles", "update"));
        assert!(!has(&rules, "articles", "delete"));
        assert!(has(&rules, "directus_files", "delete"));
        assert!(has(&rules, "directus_fields", "read"));
        assert!(!has(&rules, "directus_fields", "update"));
        assert!(!has(&rules, "directus_users", "read"));
    }

    #[test]
    fn developer_adds_schema_and_flow_crud() {
        let rules = RoleTemplate::Developer.rules(&[], &[]);
        for collection in DEVELOPER_CRUD {
            assert!(has(&rules, collection, "delete"), "{collection}");
        }
    }

    #[test]
    fn every_rule_is_licence_safe() {
        for template in RoleTemplate::ALL {
            for rule in template.permissions_json(&["a".into()], &["p".into()]) {
                assert_eq!(rule["fields"], json!(["*"]));
                assert!(
                    rule.get("permissions").is_none()
                        && rule.get("validation").is_none()
                        && rule.get("presets").is_none()
                );
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for template in RoleTemplate::ALL {
            assert_eq!(
                RoleTemplate::from_cli_name(template.cli_name()),
                Some(template)
            );
            assert_eq!(
                RoleTemplate::from_role_name(&template.role_name()),
                Some(template)
            );
        }
    }
}
