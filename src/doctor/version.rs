//! The doctor's version check (topic `version`): what this Directus version can do for the
//! chosen clients. Below 11.13 it has no MCP this tool sets up (a problem); 11.13–11.x has
//! MCP with the static token but no MCP OAuth (a warning for the clients that would sign in
//! with OAuth: they work with the token until the upgrade); 12 and later have both.

use super::{Check, DoctorError, Topic, Verdict, ids_of, names};
use crate::clients::{self, ClientConnector};
use crate::directus::Session;
use crate::directus::version::{self, Capabilities, ServerKind, WHAT_UPGRADING_BRINGS};

/// The version check, and whether the OAuth checks apply (Directus 12 or later).
pub(super) async fn checks(
    session: &Session,
    chosen: &[&'static dyn ClientConnector],
) -> Result<(Vec<Check>, bool), DoctorError> {
    let server = version::read(session.client()).await?;
    let check = judge(&server, chosen);
    Ok((vec![check], server.capabilities.has_oauth()))
}

/// What `server`'s version means for `chosen`.
fn judge(server: &ServerKind, chosen: &[&'static dyn ClientConnector]) -> Check {
    let version = &server.version;
    let oauth_clients: Vec<&'static dyn ClientConnector> = chosen
        .iter()
        .filter(|client| client.info().oauth != clients::OAuthRegistration::Unsupported)
        .copied()
        .collect();
    match server.capabilities {
        Capabilities::NoMcp => Check {
            topic: Topic::Version,
            verdict: Verdict::Problem,
            detail: format!(
                "Directus {version} has no MCP server this tool can set up: Directus' built-in MCP server needs 11.13 or later (MCP OAuth needs 12)"
            ),
            fix: Some(
                "Upgrade Directus to 12 or later (11.13 at least), then run the setup.".into(),
            ),
            clients: Vec::new(),
        },
        Capabilities::McpWithoutOAuth if !oauth_clients.is_empty() => Check {
            topic: Topic::Version,
            verdict: Verdict::Warning,
            detail: format!(
                "Directus {version} has MCP but not MCP OAuth (Directus 12 or later): {} cannot sign in with OAuth here, and {} with the MCP token instead",
                names(&oauth_clients),
                if oauth_clients.len() == 1 {
                    "connects"
                } else {
                    "connect"
                }
            ),
            fix: Some(format!(
                "Connect with the MCP token (`token create`, then `connect CLIENT --auth token`), or upgrade Directus to 12. {WHAT_UPGRADING_BRINGS}."
            )),
            clients: ids_of(&oauth_clients),
        },
        Capabilities::McpWithoutOAuth => Check {
            topic: Topic::Version,
            verdict: Verdict::Ok,
            detail: format!(
                "Directus {version} has MCP with the MCP token (MCP OAuth needs Directus 12)"
            ),
            fix: None,
            clients: Vec::new(),
        },
        Capabilities::McpAndOAuth => Check {
            topic: Topic::Version,
            verdict: Verdict::Ok,
            detail: format!("Directus {version} has MCP and MCP OAuth"),
            fix: None,
            clients: Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(ids: &[&str]) -> Vec<&'static dyn ClientConnector> {
        ids.iter()
            .map(|id| clients::find(id).expect("a known client"))
            .collect()
    }

    #[test]
    fn below_11_13_the_version_is_a_problem_naming_the_upgrade() {
        let check = judge(
            &ServerKind::from_reported("11.11.0"),
            &chosen(&["claude-code"]),
        );
        assert_eq!(check.verdict, Verdict::Problem);
        assert!(check.detail.contains("11.11.0"), "{}", check.detail);
        assert!(check.fix.unwrap().contains("Upgrade Directus"));
    }

    #[test]
    fn eleven_x_warns_the_oauth_clients_that_they_connect_with_the_token() {
        let check = judge(&ServerKind::from_reported("11.17.4"), &chosen(&["cursor"]));
        assert_eq!(check.verdict, Verdict::Warning);
        assert!(check.detail.contains("not MCP OAuth"), "{}", check.detail);
        assert!(check.fix.unwrap().contains("--auth token"));
        assert_eq!(check.clients, vec!["cursor".to_owned()]);
    }

    #[test]
    fn twelve_has_everything() {
        let check = judge(&ServerKind::from_reported("12.0.2"), &chosen(&["cursor"]));
        assert_eq!(check.verdict, Verdict::Ok);
        assert!(check.detail.contains("MCP OAuth"), "{}", check.detail);
    }
}
