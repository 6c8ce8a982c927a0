//! OAuth readiness (topic `oauth`) for the registrations the chosen clients use, as
//! `oauth status` reports it.

use super::{Check, DoctorError, Topic, Verdict, ids_of, names, signing_in_with_oauth};
use crate::clients::{self, ClientConnector};
use crate::directus::{Session, oauth};

/// OAuth readiness for the registrations the chosen clients use, with the report it was
/// read from (none when no chosen client uses OAuth).
pub(super) async fn oauth_checks(
    session: &Session,
    chosen: &[&'static dyn ClientConnector],
) -> Result<(Vec<Check>, Option<oauth::OAuthReport>), DoctorError> {
    let oauth_clients = signing_in_with_oauth(chosen);
    if oauth_clients.is_empty() {
        return Ok((Vec::new(), None));
    }
    let needed = clients::registrations(&ids_of(&oauth_clients), false, false)?;
    let report = oauth::status(session, needed).await?;
    if report.ready {
        let check = Check {
            topic: Topic::Oauth,
            verdict: Verdict::Ok,
            detail: format!(
                "MCP OAuth is ready for {} ({})",
                names(&oauth_clients),
                report.needed.reasons.join("; ")
            ),
            fix: None,
            clients: ids_of(&oauth_clients),
        };
        return Ok((vec![check], Some(report)));
    }
    let checks = report
        .problems
        .iter()
        .map(|problem| Check {
            topic: Topic::Oauth,
            // With the MCP token these clients still work: OAuth is the better way, not the only one.
            verdict: Verdict::Warning,
            detail: format!(
                "for OAuth sign-in of {}: {}",
                names(&oauth_clients),
                problem.problem
            ),
            fix: Some(problem.fix.clone()),
            clients: ids_of(&oauth_clients),
        })
        .collect();
    Ok((checks, Some(report)))
}
