//! What the doctor says when it cannot sign in for want of a connection (topic `sign-in`):
//! the checks that need no sign-in (who reaches the address, its certificate), then the
//! sign-in's own error, so that e.g. a certificate this computer does not trust is still
//! named with its fix.

use super::{Check, DoctorError, DoctorReport, Topic, Verdict, diagnose_before_sign_in};
use crate::directus::DirectusError;

/// The report for the clients `ids` when signing in to the Directus of `mcp_url` failed with
/// `failure` (unreachable, or a TLS failure): the checks that need no sign-in, and the
/// failure as the last check, a problem.
pub async fn diagnose_without_sign_in(
    mcp_url: &url::Url,
    ids: &[String],
    failure: &DirectusError,
) -> Result<DoctorReport, DoctorError> {
    let mut report = diagnose_before_sign_in(mcp_url, ids).await?;
    report.checks.push(sign_in_check(failure));
    Ok(report)
}

/// The sign-in that failed, as a problem with what running it once more adds.
fn sign_in_check(failure: &DirectusError) -> Check {
    Check {
        topic: Topic::SignIn,
        verdict: Verdict::Problem,
        detail: failure.to_string(),
        fix: Some(
            "Once this computer can sign in to Directus, the checks that need it (how /mcp answers, OAuth, metadata documents) run too."
                .into(),
        ),
        clients: Vec::new(),
    }
}
