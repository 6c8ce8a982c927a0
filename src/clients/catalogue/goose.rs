//! Goose: `config.yaml` in its settings folder (`~/.config/goose`; on Windows
//! `%APPDATA%\Block\goose\config`), `extensions.NAME {name, type: streamable_http, uri,
//! headers, enabled, timeout}`.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::clients::connector::{ClientInfo, Detection, OAuthRegistration, SetupKind};
use crate::clients::environment::{ClientEnvironment, Os};
use crate::clients::error::ClientError;
use crate::clients::file_client::{
    FileClient, http_entry, one_entry, program_or_folder, scoped_path, url_and_headers,
};
use crate::clients::request::{AuthMode, ConnectRequest, Scope, Target};
use crate::clients::status::FoundConnection;
use crate::config_edit::{Entry, EntryPath, Format};

/// Goose.
pub struct Goose;

const NAME: &str = "Goose";

impl Goose {
    fn folder(env: &ClientEnvironment) -> PathBuf {
        match env.os {
            Os::Windows => env
                .app_config_dir
                .join("Block")
                .join("goose")
                .join("config"),
            _ => env.xdg_config_dir.join("goose"),
        }
    }
}

impl FileClient for Goose {
    fn id(&self) -> &'static str {
        "goose"
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn info(&self) -> ClientInfo {
        ClientInfo {
            id: self.id().into(),
            name: self.name().into(),
            setup: SetupKind::File,
            oauth: OAuthRegistration::CimdOrDcr,
            scopes: vec![Scope::User],
            token_storage: "in config.yaml, made readable by you only (0600; on Windows it keeps your profile folder's access list)".into(),
        }
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        program_or_folder(env, &["goose"], &[Self::folder(env)])
    }

    fn format(&self) -> Format {
        Format::Yaml
    }

    fn config_path(
        &self,
        env: &ClientEnvironment,
        target: &Target,
    ) -> Result<PathBuf, ClientError> {
        scoped_path(NAME, target, Self::folder(env).join("config.yaml"), None)
    }

    fn entries(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Vec<Entry>, ClientError> {
        let base = json!({
            "name": request.target.name,
            "type": "streamable_http",
            "uri": request.mcp_url.as_str(),
            "enabled": true,
            "timeout": 300,
        });
        let value = http_entry(request, NAME, base, None)?;
        Ok(one_entry(
            self.entry_paths(&request.target.name),
            value,
            &["type", "uri", "enabled", "timeout", "headers"],
        ))
    }

    fn entry_paths(&self, name: &str) -> Vec<EntryPath> {
        vec![EntryPath::key(&["extensions", name])]
    }

    fn holds_secret(&self, request: &ConnectRequest) -> bool {
        request.token_in_user_file()
    }

    fn read_connection(&self, values: &[Option<Value>]) -> Option<FoundConnection> {
        url_and_headers(values, &["uri"])
    }

    fn notes(&self, request: &ConnectRequest) -> Vec<String> {
        match request.auth {
            AuthMode::Oauth => vec![
                "Goose signs in with its Client ID Metadata Document when Directus offers CIMD (Directus must be able to fetch it: run `directus-mcp-setup doctor --for goose`), else with DCR; the browser opens at its first use.".into(),
            ],
            AuthMode::Token => Vec::new(),
        }
    }

    fn cimd_client_id(&self) -> Option<&'static str> {
        Some("https://goose-docs.ai/oauth/client-metadata.json")
    }
}
