//! Continue (IDE extensions and the `cn` CLI): `~/.continue/config.yaml`, an item of its
//! `mcpServers:` list, `{name, type: streamable-http, url, requestOptions: {headers}}`.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::ClientEnvironment;
use crate::clients::error::ClientError;
use crate::clients::file_client::{
    FileClient, http_entry, one_entry, program_or_folder, scoped_path, string_member,
};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::status::{FoundConnection, auth_from_header};
use crate::config_edit::{Entry, EntryPath, Format};

/// Continue.
pub struct Continue;

const NAME: &str = "Continue";

impl FileClient for Continue {
    fn id(&self) -> &'static str {
        "continue"
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: self.id().into(),
            name: self.name().into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::Dcr,
            scopes: vec![Scope::User],
            token_storage: "in config.yaml, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["cn"], &[env.home.join(".continue")])
    }

    fn format(&self) -> Format {
        Format::Yaml
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        scoped_path(
            NAME,
            target,
            env.home.join(".continue").join("config.yaml"),
            None,
        )
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let with_header = http_entry(request, NAME, json!({}), None)?;
        let mut value = json!({
            "name": request.target.name,
            "type": "streamable-http",
            "url": request.mcp_url.as_str(),
        });
        if let Some(headers) = with_header.get("headers") {
            value["requestOptions"] = json!({ "headers": headers });
        }
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            &["type", "url", "requestOptions"],
        ))
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![EntryPath::ArrayItem {
            array: vec!["mcpServers".into()],
            id_key: "name".into(),
            id: name.to_owned(),
        }]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.token_in_user_file()
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        let entry = values.first()?.as_ref()?;
        let authorization = entry
            .pointer("/requestOptions/headers/Authorization")
            .and_then(Value::as_str);
        Some(FoundConnection {
            url: string_member(entry, "url"),
            auth: auth_from_header(authorization),
        })
    }

    fn notes(&self, request: &ConnectRequest) -> Vec<String> {
        match request.auth {
            AuthMode::Oauth => vec![
                "Continue's IDE extensions sign in with Dynamic Client Registration (keep DCR on in Directus); the `cn` CLI has no OAuth of its own: use the MCP token with it.".into(),
            ],
            AuthMode::Token => Vec::new(),
        }
    }
}
