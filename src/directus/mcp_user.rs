//! The dedicated MCP user: created with its role, policy, permissions and static token in
//! one request; recognised again by a marker; updated, rotated, revoked or removed.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use ts_rs::TS;

use super::client::DirectusClient;
use super::collections;
use super::error::DirectusError;
use super::role_template::RoleTemplate;
use super::settings;
use crate::secret::SecretString;

/// `external_identifier` of the MCP user: unique in `directus_users`, so a second create
/// fails instead of duplicating, and the user is found again reliably.
pub const USER_MARKER: &str = "directus-mcp-setup";

/// Description of the role and policy this tool manages.
pub const MANAGED_DESCRIPTION: &str = "Managed by Directus MCP Setup for the MCP user. Changes here are replaced when the setup runs again.";

/// The MCP user as the UI and `status` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct McpUserSummary {
    /// The user's id.
    pub id: String,
    /// The role's name, e.g. "MCP Content Editor".
    pub role_name: Option<String>,
    /// The template the role was made from, when recognised.
    pub template: Option<RoleTemplate>,
    /// Whether the user has a static token.
    pub has_token: bool,
    /// Content collections the role can read.
    pub collections: Vec<String>,
}

/// What the server holds for the MCP user, with the ids needed to change it.
#[derive(Debug, Clone)]
pub struct McpUser {
    /// The user's id.
    pub id: String,
    has_token: bool,
    role: Option<RoleRecord>,
}

#[derive(Debug, Clone, Deserialize)]
struct RoleRecord {
    id: String,
    name: Option<String>,
    description: Option<String>,
    #[serde(default)]
    policies: Vec<AccessRecord>,
}

#[derive(Debug, Clone, Deserialize)]
struct AccessRecord {
    id: String,
    policy: Option<PolicyRecord>,
}

#[derive(Debug, Clone, Deserialize)]
struct PolicyRecord {
    id: String,
    description: Option<String>,
    #[serde(default)]
    permissions: Vec<PermissionRecord>,
}

#[derive(Debug, Clone, Deserialize)]
struct PermissionRecord {
    id: i64,
    collection: String,
    action: String,
}

#[derive(Deserialize)]
struct UserRecord {
    id: String,
    token: Option<String>,
    role: Option<RoleRecord>,
    #[serde(default)]
    provider: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    password: Option<String>,
    /// Policies attached to the user itself (not through its role).
    #[serde(default)]
    policies: Vec<UserAccessRecord>,
}

#[derive(Debug, Clone, Deserialize)]
struct UserAccessRecord {
    policy: Option<NamedPolicy>,
}

#[derive(Debug, Clone, Deserialize)]
struct NamedPolicy {
    name: Option<String>,
}

impl UserRecord {
    /// Why this user is not one this tool made, if it is not: ours sign in with nothing
    /// but the static token (the local provider, no email, no password) and have no role
    /// or the managed one.
    fn foreign_reason(&self) -> Option<String> {
        if let Some(provider) = self.provider.as_deref().filter(|p| *p != "default") {
            return Some(format!(
                "it signs in through the `{provider}` provider (SSO/LDAP)"
            ));
        }
        if let Some(email) = &self.email {
            return Some(format!("it has an email address ({email})"));
        }
        if self.password.is_some() {
            return Some("it has a password".into());
        }
        if !self.policies.is_empty() {
            // This tool gives rights through the managed role only: a policy on the user
            // itself would add its rights to the token, unseen.
            let names: Vec<&str> = self
                .policies
                .iter()
                .map(|access| {
                    access
                        .policy
                        .as_ref()
                        .and_then(|policy| policy.name.as_deref())
                        .unwrap_or("unnamed")
                })
                .collect();
            return Some(format!(
                "policies are attached to it directly ({}), and its token would have their rights too",
                names.join(", ")
            ));
        }
        match &self.role {
            Some(role) if role.description.as_deref() != Some(MANAGED_DESCRIPTION) => {
                Some(format!(
                    "its role ({}) is not the one this tool manages",
                    role.name.as_deref().unwrap_or("unnamed")
                ))
            }
            _ => None,
        }
    }
}

const USER_FIELDS: &str = "id,token,provider,email,password,policies.policy.name,role.id,role.name,role.description,role.policies.id,role.policies.policy.id,role.policies.policy.description,role.policies.policy.permissions.id,role.policies.policy.permissions.collection,role.policies.policy.permissions.action";

impl McpUser {
    fn from_record(record: UserRecord) -> Self {
        Self {
            id: record.id,
            has_token: record.token.is_some(),
            role: record.role,
        }
    }

    fn managed_access(&self) -> Option<(&RoleRecord, &AccessRecord, &PolicyRecord)> {
        let role = self.role.as_ref()?;
        role.policies.iter().find_map(|access| {
            let policy = access.policy.as_ref()?;
            (policy.description.as_deref() == Some(MANAGED_DESCRIPTION))
                .then_some((role, access, policy))
        })
    }

    /// What the UI shows of this user.
    pub fn summary(&self) -> McpUserSummary {
        let role_name = self.role.as_ref().and_then(|r| r.name.clone());
        let mut collections: Vec<String> = self
            .managed_access()
            .map(|(_, _, policy)| {
                policy
                    .permissions
                    .iter()
                    .filter(|p| p.action == "read" && !p.collection.starts_with("directus_"))
                    .map(|p| p.collection.clone())
                    .collect()
            })
            .unwrap_or_default();
        collections.sort();
        McpUserSummary {
            id: self.id.clone(),
            template: role_name.as_deref().and_then(RoleTemplate::from_role_name),
            role_name,
            has_token: self.has_token,
            collections,
        }
    }
}

/// What `token create` asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TokenRequest {
    /// The role template.
    pub template: RoleTemplate,
    /// Content collections to grant; `None` means every content collection.
    pub collections: Option<Vec<String>>,
    /// Collections whose items the token may delete (granted ones, `directus_files`,
    /// `directus_folders`): nothing is deletable unless named here.
    #[serde(default)]
    pub delete_collections: Vec<String>,
    /// Let the token change files' descriptive fields (title, description, tags, location,
    /// folder, focal point). Off by default; never their bytes, name on disk or storage.
    #[serde(default)]
    pub allow_file_update: bool,
    /// The administrator template was confirmed by the user (it is refused otherwise).
    #[serde(default)]
    pub confirm_administrator: bool,
}

/// A freshly issued static token and the user it belongs to.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The MCP user after the change.
    pub user: McpUserSummary,
    /// The token itself.
    pub token: SecretString,
    /// Whether this run created the user (false: an existing one was updated).
    pub created: bool,
}

/// Finds the MCP user this tool manages, if any (one request). A user that carries the
/// marker but is provably not ours is an error: it is never adopted or changed.
pub async fn find(client: &DirectusClient) -> Result<Option<McpUser>, DirectusError> {
    let users: Vec<UserRecord> = client
        .get(
            "/users",
            &[
                ("filter[external_identifier][_eq]", USER_MARKER),
                ("fields", USER_FIELDS),
                ("limit", "1"),
            ],
        )
        .await?;
    let Some(user) = users.into_iter().next() else {
        return Ok(None);
    };
    if let Some(reason) = user.foreign_reason() {
        return Err(DirectusError::ForeignMcpUser {
            id: user.id,
            reason,
        });
    }
    Ok(Some(McpUser::from_record(user)))
}

/// Creates the MCP user with a new token, or brings the existing one in line with
/// `request` and gives it a new token. Never duplicates; on failure nothing this run
/// created is left behind.
pub async fn create_or_update(
    client: &DirectusClient,
    request: &TokenRequest,
) -> Result<IssuedToken, DirectusError> {
    if request.template == RoleTemplate::Administrator && !request.confirm_administrator {
        return Err(DirectusError::AdministratorNotConfirmed);
    }
    if !request.template.writes() {
        if request
            .delete_collections
            .iter()
            .any(|c| !c.trim().is_empty())
        {
            return Err(DirectusError::ReadOnlyGrantsNoWrites(
                "deletes (--allow-delete)",
            ));
        }
        if request.allow_file_update {
            return Err(DirectusError::ReadOnlyGrantsNoWrites(
                "file updates (--allow-file-update)",
            ));
        }
    }
    let (content, read_only) = granted_collections(client, request).await?;
    let deletable = deletable_collections(request, &content)?;
    let token = new_token()?;
    let files = if request.allow_file_update {
        super::role_template::FileRights::AlsoEditDescriptions
    } else {
        super::role_template::FileRights::ReadAndUpload
    };
    let permissions = request
        .template
        .permissions_json(&content, &read_only, &deletable, files);
    match create(client, request.template, &permissions, &token).await {
        Ok(user) => Ok(IssuedToken {
            user,
            token,
            created: true,
        }),
        Err(error) if is_duplicate_marker(&error) => {
            let existing = find(client).await?.ok_or(error)?;
            let user = update(client, &existing, request.template, &permissions, &token).await?;
            Ok(IssuedToken {
                user,
                token,
                created: false,
            })
        }
        Err(error) => Err(roll_back_failed_create(client, error, &token).await),
    }
}

/// Gives the MCP user a new token; the old one stops working at once.
pub async fn rotate(client: &DirectusClient) -> Result<IssuedToken, DirectusError> {
    let user = find(client).await?.ok_or(DirectusError::NoMcpUser)?;
    let token = new_token()?;
    let updated: UserRecord = client
        .patch(
            &format!("/users/{}", user.id),
            &[("fields", USER_FIELDS)],
            &json!({ "token": token.expose() }),
        )
        .await?;
    Ok(IssuedToken {
        user: McpUser::from_record(updated).summary(),
        token,
        created: false,
    })
}

/// Removes the MCP user's token; MCP clients using it get 401 from then on.
pub async fn revoke(client: &DirectusClient) -> Result<McpUserSummary, DirectusError> {
    let user = find(client).await?.ok_or(DirectusError::NoMcpUser)?;
    let updated: UserRecord = client
        .patch(
            &format!("/users/{}", user.id),
            &[("fields", USER_FIELDS)],
            &json!({ "token": null }),
        )
        .await?;
    Ok(McpUser::from_record(updated).summary())
}

/// Deletes the MCP user with the role and policy this tool made for it.
pub async fn remove(client: &DirectusClient, user: &McpUser) -> Result<(), DirectusError> {
    client.delete(&format!("/users/{}", user.id)).await?;
    if let Some((role, _, policy)) = user.managed_access() {
        client.delete(&format!("/roles/{}", role.id)).await?;
        client.delete(&format!("/policies/{}", policy.id)).await?;
    }
    Ok(())
}

/// The content collections to grant, and the collections to grant read-only: the prompts
/// collection, which MCP's prompts/list reads as the MCP user.
async fn granted_collections(
    client: &DirectusClient,
    request: &TokenRequest,
) -> Result<(Vec<String>, Vec<String>), DirectusError> {
    if !request.template.uses_content_collections() {
        return Ok((Vec::new(), Vec::new()));
    }
    match &request.collections {
        Some(requested) => {
            let (all, prompts) = tokio::join!(
                collections::list(client),
                settings::prompts_collection(client)
            );
            let all = all?;
            collections::require_content(&all, requested)?;
            let mut unique = requested.clone();
            unique.sort();
            unique.dedup();
            Ok((unique, prompts?.into_iter().collect()))
        }
        // Every content collection, the prompts collection among them.
        None => Ok((
            collections::content_names(&collections::list(client).await?),
            Vec::new(),
        )),
    }
}

/// The collections named for deletes, each checked to be granted (or files/folders).
fn deletable_collections(
    request: &TokenRequest,
    content: &[String],
) -> Result<Vec<String>, DirectusError> {
    if !request.template.uses_content_collections() {
        return Ok(Vec::new());
    }
    let mut deletable: Vec<String> = request
        .delete_collections
        .iter()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .collect();
    deletable.sort();
    deletable.dedup();
    let refused: Vec<String> = deletable
        .iter()
        .filter(|name| {
            !content.contains(name)
                && !super::role_template::DELETABLE_SYSTEM.contains(&name.as_str())
        })
        .cloned()
        .collect();
    if !refused.is_empty() {
        return Err(DirectusError::DeleteNotGrantable(refused.join(", ")));
    }
    Ok(deletable)
}

fn new_token() -> Result<SecretString, DirectusError> {
    SecretString::random_token().map_err(|error| DirectusError::Random(error.to_string()))
}

fn policy_body(template: RoleTemplate) -> Value {
    json!({
        "name": template.role_name(),
        "description": MANAGED_DESCRIPTION,
        "icon": "smart_toy",
        "app_access": false,
        "admin_access": template.admin_access(),
    })
}

async fn create(
    client: &DirectusClient,
    template: RoleTemplate,
    permissions: &[Value],
    token: &SecretString,
) -> Result<McpUserSummary, DirectusError> {
    let mut policy = policy_body(template);
    policy["permissions"] = json!({ "create": permissions });
    let body = json!({
        "first_name": "MCP",
        "last_name": "User",
        "description": "Used by AI clients through Directus' MCP server.",
        "external_identifier": USER_MARKER,
        "status": "active",
        "token": token.expose(),
        "role": {
            "name": template.role_name(),
            "description": MANAGED_DESCRIPTION,
            "icon": "smart_toy",
            "policies": { "create": [ { "policy": policy } ] }
        }
    });
    let created: UserRecord = client
        .post("/users", &[("fields", USER_FIELDS)], &body)
        .await?;
    Ok(McpUser::from_record(created).summary())
}

/// One nested PATCH, which Directus applies in a single transaction: the role, policy,
/// permissions and token all change, or none does.
async fn update(
    client: &DirectusClient,
    user: &McpUser,
    template: RoleTemplate,
    permissions: &[Value],
    token: &SecretString,
) -> Result<McpUserSummary, DirectusError> {
    let mut policy = policy_body(template);
    let role = match user.managed_access() {
        Some((role, access, existing)) => {
            policy["id"] = json!(existing.id);
            let old: Vec<i64> = existing.permissions.iter().map(|p| p.id).collect();
            policy["permissions"] = json!({ "create": permissions, "update": [], "delete": old });
            json!({
                "id": role.id,
                "name": template.role_name(),
                "description": MANAGED_DESCRIPTION,
                "policies": { "create": [], "update": [ { "id": access.id, "policy": policy } ], "delete": [] }
            })
        }
        None => {
            // The user exists but its managed role or policy was removed by hand: give it new ones.
            policy["permissions"] = json!({ "create": permissions });
            json!({
                "name": template.role_name(),
                "description": MANAGED_DESCRIPTION,
                "icon": "smart_toy",
                "policies": { "create": [ { "policy": policy } ] }
            })
        }
    };
    // The status stays as it is: an admin who suspended the MCP user meant it.
    let body = json!({ "token": token.expose(), "role": role });
    let updated: UserRecord = client
        .patch(
            &format!("/users/{}", user.id),
            &[("fields", USER_FIELDS)],
            &body,
        )
        .await?;
    Ok(McpUser::from_record(updated).summary())
}

async fn created_by_this_run(
    client: &DirectusClient,
    user: &McpUser,
    token: &SecretString,
) -> bool {
    #[derive(Deserialize)]
    struct Me {
        id: String,
    }
    let me: Result<Me, _> = client
        .with_token(token.clone())
        .get("/users/me", &[("fields", "id")])
        .await;
    me.is_ok_and(|me| me.id == user.id)
}

/// A uniqueness error on create: most likely the marker (the user exists already). Whether
/// it is, is then learned by looking the user up, not from the message's wording.
fn is_duplicate_marker(error: &DirectusError) -> bool {
    matches!(error, DirectusError::Api { code, .. } if code == "RECORD_NOT_UNIQUE")
}

/// The create request failed. Directus applies it in one transaction, but the answer may
/// have been lost after the server committed it: look, and remove what this run made —
/// only if it is this run's (the user answers to the token this run generated).
async fn roll_back_failed_create(
    client: &DirectusClient,
    cause: DirectusError,
    token: &SecretString,
) -> DirectusError {
    let leftover = match find(client).await {
        Ok(None) => return cause,
        Ok(Some(user)) if created_by_this_run(client, &user, token).await => user,
        Ok(Some(_)) => return cause,
        Err(rollback) => {
            return DirectusError::RollbackIncomplete {
                cause: Box::new(cause),
                rollback: Box::new(rollback),
                left: "possibly the MCP user with its role and policy".to_owned(),
            };
        }
    };
    match remove(client, &leftover).await {
        Ok(()) => cause,
        Err(rollback) => DirectusError::RollbackIncomplete {
            cause: Box::new(cause),
            rollback: Box::new(rollback),
            left: format!("MCP user {}", leftover.id),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(fields: Value) -> UserRecord {
        let mut record = json!({ "id": "u1", "token": null, "role": null });
        record
            .as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        serde_json::from_value(record).unwrap()
    }

    #[test]
    fn a_policy_attached_to_the_user_itself_makes_it_not_ours() {
        let managed =
            json!({ "id": "r", "name": "MCP Content Editor", "description": MANAGED_DESCRIPTION });
        let extra =
            user(json!({ "role": managed, "policies": [{ "policy": { "name": "Everything" } }] }))
                .foreign_reason()
                .expect("refused");
        assert!(
            extra.contains("Everything") && extra.contains("directly"),
            "{extra}"
        );
        assert_eq!(
            user(json!({ "role": managed, "policies": [] })).foreign_reason(),
            None
        );
    }

    #[test]
    fn only_a_token_only_user_with_our_role_is_ours() {
        assert_eq!(
            user(json!({ "provider": "default" })).foreign_reason(),
            None
        );
        let managed =
            json!({ "id": "r", "name": "MCP Content Editor", "description": MANAGED_DESCRIPTION });
        assert_eq!(user(json!({ "role": managed })).foreign_reason(), None);
        let sso = user(json!({ "provider": "openid" }))
            .foreign_reason()
            .unwrap();
        assert!(sso.contains("openid"), "{sso}");
        assert!(user(json!({ "email": "a@b.c" })).foreign_reason().is_some());
        assert!(
            user(json!({ "password": "**********" }))
                .foreign_reason()
                .is_some()
        );
        let other_role = json!({ "id": "r", "name": "Editors", "description": null });
        assert!(
            user(json!({ "role": other_role }))
                .foreign_reason()
                .unwrap()
                .contains("Editors")
        );
    }
}
