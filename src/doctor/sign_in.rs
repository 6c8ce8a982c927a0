//! The doctor's "oauth-grants" checks: why an OAuth sign-in ends on this server (its token
//! lifetimes, read where Directus lets an admin read them), and the grants that ended before
//! their time (revoked, e.g. after a refresh token was used twice, or replaced by a sign-in
//! elsewhere).

use super::{Check, Topic, Verdict};
use crate::directus::grant_lifetime::{GrantEnd, SignInReport};

/// How many ended grants the doctor names at most (the newest): `grants list` shows them all.
const MOST_NAMED: usize = 5;

/// The checks for `sign_in` (from the OAuth status), about the clients `clients`.
pub(super) fn checks(sign_in: &SignInReport, clients: &[String]) -> Vec<Check> {
    let mut checks = vec![Check {
        topic: Topic::OauthGrants,
        verdict: Verdict::Ok,
        detail: format!(
            "why an OAuth sign-in ends on this server: {}",
            sign_in.rules.explanation.join(" ")
        ),
        fix: None,
        clients: clients.to_vec(),
    }];
    checks.extend(
        sign_in
            .ended
            .iter()
            .filter(|ended| matches!(ended.end, GrantEnd::Revoked | GrantEnd::Replaced { .. }))
            .take(MOST_NAMED)
            .map(|ended| Check {
                topic: Topic::OauthGrants,
                verdict: Verdict::Warning,
                detail: format!(
                    "the grant {} of {} (last used {}) ended before its time. {}",
                    ended.id,
                    ended.user_email.as_deref().unwrap_or("a user"),
                    ended.last_used.as_deref().unwrap_or("?"),
                    ended.explanation
                ),
                fix: Some(match ended.end {
                    GrantEnd::Replaced { .. } => "use one sign-in per app and user: sign in again on the computer that lost access (the other one then ends), or give each computer its own Directus user".into(),
                    _ => "sign in again in the app; let only one copy of the app use a sign-in (two bridges or windows sharing one refresh token make Directus revoke it)".into(),
                }),
                clients: clients.to_vec(),
            }),
    );
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directus::grant_lifetime::{EndedGrant, Lifetime, SignInRules};

    fn report(ended: Vec<EndedGrant>) -> SignInReport {
        SignInReport {
            rules: SignInRules::new(
                Lifetime {
                    variable: "ACCESS_TOKEN_TTL".into(),
                    seconds: 900,
                    read_from: None,
                },
                Lifetime {
                    variable: "REFRESH_TOKEN_TTL".into(),
                    seconds: 3600,
                    read_from: Some("this server".into()),
                },
            ),
            ended,
        }
    }

    fn ended(end: GrantEnd) -> EndedGrant {
        EndedGrant {
            id: "g1".into(),
            user_email: Some("ada@example.com".into()),
            issued: None,
            last_used: Some("2026-12-02 09:00 UTC".into()),
            end,
            explanation: "Revoked before its expiry".into(),
        }
    }

    #[test]
    fn the_rules_are_said_with_the_servers_values() {
        let checks = checks(&report(Vec::new()), &["cursor".into()]);
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].verdict, Verdict::Ok);
        assert!(
            checks[0]
                .detail
                .contains("1 hour (REFRESH_TOKEN_TTL, read from this server)"),
            "{}",
            checks[0].detail
        );
        assert!(
            checks[0].detail.contains("that is Directus' default"),
            "{}",
            checks[0].detail
        );
    }

    #[test]
    fn at_most_five_ended_grants_are_named() {
        let many = (0..7).map(|_| ended(GrantEnd::Revoked)).collect();
        assert_eq!(checks(&report(many), &[]).len(), 1 + MOST_NAMED);
    }

    #[test]
    fn a_revoked_grant_is_a_warning_and_a_sign_out_is_not() {
        let found = checks(
            &report(vec![ended(GrantEnd::Revoked), ended(GrantEnd::SignedOut)]),
            &[],
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[1].verdict, Verdict::Warning);
        assert!(found[1].detail.contains("ended before its time"));
        assert!(
            found[1]
                .fix
                .as_deref()
                .unwrap()
                .contains("only one copy of the app")
        );
    }
}
