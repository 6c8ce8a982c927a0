//! Every client at a glance: what it is, whether it is installed, its settings file and its
//! status against one Directus (the Clients screen and `clients`).

use serde::Serialize;
use ts_rs::TS;

use super::connector::{ClientInfo, Detection};
use super::environment::ClientEnvironment;
use super::request::Target;
use super::status::{ClientStatus, Expected};

/// One client as the Clients screen and `clients --json` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClientOverview {
    /// What the client is.
    #[serde(flatten)]
    pub info: ClientInfo,
    /// Whether it is installed here.
    pub detected: Detection,
    /// Its settings file, for clients that have one.
    pub file: Option<String>,
    /// Its status; `null` when it could not be read (see `error`).
    pub status: Option<ClientStatus>,
    /// Why the status could not be read (a malformed settings file, …).
    pub error: Option<String>,
}

/// Every client: what it is, whether it is installed, its settings file, and its status
/// against `expected` (a file that cannot be read gives an error on its row, not a failure).
pub fn overview(
    env: &ClientEnvironment,
    target: &Target,
    expected: &Expected,
) -> Vec<ClientOverview> {
    super::all()
        .iter()
        .map(|client| {
            let (status, error) = match client.status(env, target, expected) {
                Ok(status) => (Some(status), None),
                Err(error) => (None, Some(error.to_string())),
            };
            ClientOverview {
                info: client.info(),
                detected: client.detect(env),
                file: client
                    .config_file(env, target)
                    .map(|path| path.display().to_string()),
                status,
                error,
            }
        })
        .collect()
}
