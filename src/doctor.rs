//! The connection doctor: before a user tries, whether each chosen client can reach and sign
//! in to this Directus, and if not, why and what to change. One line per check, each ok, a
//! warning or a problem, with the exact fix.
//!
//! Checked here: who can reach the address (cloud connectors need a public https address on
//! port 443); the certificate (trusted here for the clients on this computer, by a public
//! CA for the cloud connectors, not about to expire); how `/mcp` answers a client without
//! credentials (a redirect, MCP off, the kill switch); OAuth discovery as a client walks it
//! (the 401's pointer, the protected-resource and authorization-server metadata); OAuth
//! readiness for the registrations the chosen clients use (as `oauth status`); whether
//! Directus can fetch the Client ID Metadata Documents of the chosen CIMD clients; whether
//! `GET /mcp` answers 405 as connectors expect (topic `mcp-get`); per client that
//! registers with DCR, a real registration as that client does it, deleted again (topic
//! `registration`); and why an OAuth sign-in ends on this server, with its token lifetimes
//! and the grants that ended early (topic `oauth-grants`).
//!
//! One file per topic: `address`, `certificate` (`tls`), `endpoint` (`mcp-endpoint`),
//! `discovery`, `oauth`, `cimd`, `stream_get` (`mcp-get`), `registration`, `sign_in`
//! (`oauth-grants`) and `no_sign_in`
//! (`sign-in`, when signing in failed for want of a connection); `report` holds what a
//! check says, `chosen` which clients a run is for. A new check is a file here returning
//! its [`Check`]s and one line in [`diagnose`].

mod address;
mod certificate;
mod chosen;
mod cimd;
mod discovery;
mod endpoint;
mod no_sign_in;
mod oauth;
mod registration;
mod report;
mod sign_in;
mod stream_get;
mod tool_mode;
mod version;

pub use certificate::{CertificateReport, inspect as inspect_certificate};
pub use chosen::{
    clients_to_check, clients_to_check_for_entry, clients_to_check_without_sign_in,
    default_clients, found_clients,
};
pub use cimd::CimdFetch;
pub use no_sign_in::diagnose_without_sign_in;
pub use report::{Check, DoctorReport, Topic, Verdict};

use address::address_checks;
use certificate::certificate_checks;
use chosen::{find_clients, ids_of, names, signing_in_with_oauth, third_person};
use cimd::cimd_checks;
use discovery::discovery_checks;
use endpoint::endpoint_check;
use oauth::oauth_checks;
use registration::registration_checks;
use stream_get::stream_get_check;

use crate::clients::ClientError;
use crate::directus::{DirectusError, Session};

/// Why the doctor could not run.
#[derive(Debug, thiserror::Error)]
pub enum DoctorError {
    /// An unknown client was named.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// Directus refused or could not be reached (signing in, reading the settings).
    #[error(transparent)]
    Directus(#[from] DirectusError),
}

/// Runs every check for the clients `ids` against the signed-in admin's Directus, and
/// whether Directus can fetch the Client ID Metadata Documents `documents` (a team's own
/// MCP clients) besides those of the chosen clients.
pub async fn diagnose(
    session: &Session,
    ids: &[String],
    documents: &[String],
) -> Result<DoctorReport, DoctorError> {
    diagnose_entry(session, ids, documents, crate::projects::FIRST_ENTRY_NAME).await
}

/// [`diagnose`] for the clients' entries named `entry_name` (a project's name: `directus`,
/// `directus-staging`, …).
pub async fn diagnose_entry(
    session: &Session,
    ids: &[String],
    documents: &[String],
    entry_name: &str,
) -> Result<DoctorReport, DoctorError> {
    let chosen = find_clients(ids)?;
    let mcp_url = session.client().server().mcp_endpoint();
    let mut checks = address_checks(&chosen, &mcp_url);
    checks.extend(certificate_checks(&chosen, &mcp_url).await);
    let (version_checks, has_oauth) = version::checks(session, &chosen).await?;
    checks.extend(version_checks);
    let (endpoint, challenge) = endpoint_check(session, &chosen).await;
    checks.extend(endpoint);
    if challenge.is_some() {
        checks.extend(stream_get_check(session, &chosen).await);
    }
    let (oauth, readiness) = if has_oauth {
        oauth_checks(session, &chosen).await?
    } else {
        (Vec::new(), None)
    };
    let mut registration_endpoint = None;
    if let (Some(report), Some(challenge)) = (&readiness, &challenge)
        && report.ready
    {
        let (discovery, found) = discovery_checks(session, &chosen, challenge).await;
        checks.extend(discovery);
        registration_endpoint = found;
    }
    checks.extend(oauth);
    if let Some(sign_in) = readiness
        .as_ref()
        .and_then(|report| report.sign_in.as_ref())
    {
        checks.extend(sign_in::checks(sign_in, &ids_of(&chosen)));
    }
    if let (Some(report), Some((endpoint, cimd_announced))) = (&readiness, &registration_endpoint) {
        let cimd_offered = *cimd_announced
            && report.environment.mcp_oauth_cimd_enabled
            && report.settings.mcp_oauth_cimd_enabled;
        checks.extend(registration_checks(session, &chosen, endpoint, cimd_offered).await?);
    }
    if let Some(report) = &readiness
        && report.environment.mcp_oauth_cimd_enabled
        && report.settings.mcp_oauth_cimd_enabled
    {
        checks.extend(cimd_checks(session, &chosen, documents).await?);
    }
    checks.extend(tool_mode::checks(session, &chosen, entry_name).await);
    Ok(DoctorReport {
        mcp_url: mcp_url.to_string(),
        clients: ids_of(&chosen),
        checks,
    })
}

/// The checks that need no sign-in (who can reach the address, its certificate): what the
/// doctor can still say when signing in failed, e.g. over a certificate this computer does
/// not trust.
pub async fn diagnose_before_sign_in(
    mcp_url: &url::Url,
    ids: &[String],
) -> Result<DoctorReport, DoctorError> {
    let chosen = find_clients(ids)?;
    let mut checks = address_checks(&chosen, mcp_url);
    checks.extend(certificate_checks(&chosen, mcp_url).await);
    Ok(DoctorReport {
        mcp_url: mcp_url.to_string(),
        clients: ids_of(&chosen),
        checks,
    })
}
