//! What the benchmarks share: the Directus they run against, and the median.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use directus_mcp_setup::directus::mcp_user::TokenRequest;
use directus_mcp_setup::directus::role_template::RoleTemplate;
use directus_mcp_setup::directus::{Credentials, Session};
use directus_mcp_setup::secret::SecretString;
use directus_mcp_setup::setup::{self, EnableRequest, PromptsChoice};

/// A running Directus and its bootstrap admin.
pub struct Server {
    pub url: String,
    pub email: String,
    pub password: String,
}

/// The Directus of `DIRECTUS_TEST_SERVER_ENV`, or one started for this run (stopped when
/// the benchmark exits; its folder is returned).
pub fn server() -> (Server, Option<PathBuf>) {
    let (env_file, started) = match std::env::var_os("DIRECTUS_TEST_SERVER_ENV") {
        Some(path) => (PathBuf::from(path), None),
        None => {
            let dir = std::env::temp_dir()
                .join(format!("directus-mcp-setup-bench-{}", std::process::id()));
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/directus-server.sh");
            let status = std::process::Command::new(script)
                .args([
                    "start",
                    dir.to_str().unwrap(),
                    "--stop-with-pid",
                    &std::process::id().to_string(),
                ])
                .status()
                .expect("start Directus");
            assert!(status.success(), "could not start Directus");
            (dir.join("server.env"), Some(dir))
        }
    };
    let text = std::fs::read_to_string(&env_file).expect("server.env");
    let values: HashMap<&str, &str> = text.lines().filter_map(|l| l.split_once('=')).collect();
    let server = Server {
        url: values["DIRECTUS_URL"].to_owned(),
        email: values["DIRECTUS_EMAIL"].to_owned(),
        password: values["DIRECTUS_PASSWORD"].to_owned(),
    };
    (server, started)
}

/// The middle value.
pub fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

/// Signs in as `server`'s admin and turns MCP on (deletes off, settings kept).
pub async fn sign_in_and_enable(server: &Server) -> Session {
    let credentials = Credentials::Password {
        email: server.email.clone(),
        password: SecretString::new(server.password.clone()),
        otp: None,
    };
    let session = Session::connect(&server.url, false, credentials)
        .await
        .expect("login");
    let enable = EnableRequest {
        allow_deletes: false,
        prompts: PromptsChoice::Keep,
        system_prompt: None,
    };
    setup::enable(&session, &enable).await.expect("enable");
    session
}

/// The Content Editor token request with its defaults.
pub fn content_editor() -> TokenRequest {
    TokenRequest {
        template: RoleTemplate::ContentEditor,
        collections: None,
        delete_collections: Vec::new(),
        allow_file_update: false,
        confirm_administrator: false,
    }
}
