//! Why an OAuth sign-in ends, told with the server's own values.
//!
//! Directus 12.4.1's MCP OAuth (read in `@directus/api` 39.2.1,
//! `dist/services/mcp-oauth/index.js`, 2026-12-02):
//! - an access token lasts `ACCESS_TOKEN_TTL` (default `15m`); a grant (its refresh token)
//!   ends `REFRESH_TOKEN_TTL` (default `7d`) after it was issued or last renewed: each
//!   renewal sets the grant's `expires_at` to now + `REFRESH_TOKEN_TTL` (`exchangeCode`,
//!   `refreshToken`);
//! - each renewal replaces the refresh token and keeps the old one's hash
//!   (`previous_session`); when an old one comes back, `detectReuse` deletes the grant and
//!   records nothing but a server log line;
//! - a new code exchange for the same client and user deletes the grant they had
//!   (`directus_oauth_tokens` is unique on `client, user`);
//! - the activity log (`directus_activity`, collection `directus_oauth_tokens`, item = the
//!   grant's id) gets `login` when a grant is issued, `update` at each renewal and `logout`
//!   when the client revokes its own token (RFC 7009) — with the time, IP and user agent,
//!   but not the client (the `comment` column naming it was dropped in 11.x).
//!
//! Neither TTL is published (`/server/info` has neither). What can be read: the answer to a
//! password sign-in says `expires` (= `ACCESS_TOKEN_TTL`), and a grant's `expires_at` minus
//! its last use is `REFRESH_TOKEN_TTL`. A value that cannot be read is given as Directus'
//! default and said to be the default.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use ts_rs::TS;

use super::error::DirectusError;
use super::oauth_client::OAuthClient;
use super::session::Session;

/// Directus' default `ACCESS_TOKEN_TTL` (`@directus/env` defaults: `15m`).
pub const DEFAULT_ACCESS_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);
/// Directus' default `REFRESH_TOKEN_TTL` (`@directus/env` defaults: `7d`).
pub const DEFAULT_REFRESH_TOKEN_TTL: Duration = Duration::from_secs(7 * 24 * 60 * 60);

/// How many of the newest grant activity entries are read (issue, renewal, sign-out).
const HISTORY_LIMIT: usize = 1000;

/// One of the server's token lifetimes, and where its value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Lifetime {
    /// The environment variable that sets it (`ACCESS_TOKEN_TTL`, `REFRESH_TOKEN_TTL`).
    pub variable: String,
    /// How long, in seconds.
    pub seconds: u32,
    /// Where the value was read on this server; `None`: it could not be read, and the value
    /// is Directus' default.
    pub read_from: Option<String>,
}

impl Lifetime {
    fn read(variable: &str, value: Duration, read_from: String) -> Self {
        Self {
            variable: variable.into(),
            seconds: u32::try_from(value.as_secs()).unwrap_or(u32::MAX),
            read_from: Some(read_from),
        }
    }

    fn default(variable: &str, value: Duration) -> Self {
        Self {
            variable: variable.into(),
            seconds: u32::try_from(value.as_secs()).unwrap_or(u32::MAX),
            read_from: None,
        }
    }

    /// "7 days (REFRESH_TOKEN_TTL, read from …)" or "… (REFRESH_TOKEN_TTL: Directus' default; …)".
    pub fn describe(&self) -> String {
        match &self.read_from {
            Some(source) => format!(
                "{} ({}, read from {source})",
                span(self.seconds),
                self.variable
            ),
            None => format!(
                "{} ({} could not be read here: that is Directus' default)",
                span(self.seconds),
                self.variable
            ),
        }
    }
}

/// The rules that end a sign-in on this server, with its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignInRules {
    /// How long an access token lasts.
    pub access_token: Lifetime,
    /// How long a grant lasts unused.
    pub refresh_token: Lifetime,
    /// The rules in words, one per line.
    pub explanation: Vec<String>,
}

impl SignInRules {
    /// The rules for these lifetimes.
    pub fn new(access_token: Lifetime, refresh_token: Lifetime) -> Self {
        let explanation = explain(&access_token, &refresh_token);
        Self {
            access_token,
            refresh_token,
            explanation,
        }
    }
}

/// The rules in words.
fn explain(access: &Lifetime, refresh: &Lifetime) -> Vec<String> {
    vec![
        format!(
            "An access token lasts {}: the app renews it with its refresh token, without asking you.",
            access.describe()
        ),
        format!(
            "A grant ends when the app has not used it for {}: each renewal moves its end to {} later; after that the app must sign in again.",
            refresh.describe(),
            span(refresh.seconds)
        ),
        "Each renewal replaces the refresh token. If an old one is used again (two copies of the app sharing one sign-in, or a renewal retried), Directus takes it as stolen and revokes the whole grant (replay): the app must sign in again.".into(),
        "Directus keeps one grant per app and user: signing in to the same app on a second computer ends the grant of the first.".into(),
    ]
}

/// A duration in words: "7 days", "3 hours", "1 day 2 hours", "90 seconds" → "1 minute 30 seconds".
pub fn span(seconds: u32) -> String {
    let units = [
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    let mut left = seconds;
    let mut parts = Vec::new();
    for (size, name) in units {
        let count = left / size;
        left %= size;
        if count > 0 {
            parts.push(format!(
                "{count} {name}{}",
                if count == 1 { "" } else { "s" }
            ));
        }
    }
    if parts.is_empty() {
        "0 seconds".into()
    } else {
        parts.join(" ")
    }
}

/// How a grant that is no longer there ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum GrantEnd {
    /// The app revoked its own token (a sign-out).
    SignedOut,
    /// Unused for longer than `REFRESH_TOKEN_TTL`.
    Expired,
    /// A later sign-in by the same user from the same app (same user agent) took its place
    /// (or came after a revocation that Directus does not record: said in the explanation).
    Replaced {
        /// The app now holding the user's grant.
        client_name: Option<String>,
        /// When that sign-in happened.
        at: String,
        /// From which address.
        ip: Option<String>,
    },
    /// Ended before its expiry with no sign-out: a refresh token used twice (replay), an
    /// admin revoking the app, or the user removed. Directus records no reason.
    Revoked,
}

/// A grant that ended (read from Directus' activity log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EndedGrant {
    /// The grant's id.
    pub id: String,
    /// Who had authorized it.
    pub user_email: Option<String>,
    /// When it was issued.
    pub issued: Option<String>,
    /// When the app last used it (issue or renewal).
    pub last_used: Option<String>,
    /// How it ended.
    pub end: GrantEnd,
    /// The same, in words, with what to do.
    pub explanation: String,
}

/// One activity entry about a grant.
#[derive(Debug, Clone, Deserialize)]
struct RawActivity {
    action: String,
    item: String,
    timestamp: Option<String>,
    ip: Option<String>,
    user_agent: Option<String>,
    user: Option<Value>,
}

/// What the activity log says about one grant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrantHistory {
    /// The grant's id.
    pub id: String,
    /// Who authorized it.
    pub user_email: Option<String>,
    /// When it was issued (`login`).
    pub issued: Option<DateTime<Utc>>,
    /// From which address it was issued.
    pub issued_ip: Option<String>,
    /// The user agent that exchanged the code (the app).
    pub issued_user_agent: Option<String>,
    /// Its last issue or renewal.
    pub last_used: Option<DateTime<Utc>>,
    /// Whether the app revoked it (`logout`).
    pub signed_out: bool,
}

/// Reads a Directus date: RFC 3339, or a date and time without zone (taken as UTC).
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
                .iter()
                .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
                .map(|naive| naive.and_utc())
        })
}

fn show(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Groups activity entries (newest first or not) by grant.
fn histories(entries: Vec<RawActivity>) -> BTreeMap<String, GrantHistory> {
    let mut grants: BTreeMap<String, GrantHistory> = BTreeMap::new();
    for entry in entries {
        let history = grants
            .entry(entry.item.clone())
            .or_insert_with(|| GrantHistory {
                id: entry.item.clone(),
                ..GrantHistory::default()
            });
        let email = entry
            .user
            .as_ref()
            .and_then(|user| user.get("email"))
            .and_then(Value::as_str);
        if history.user_email.is_none() {
            history.user_email = email.map(str::to_owned);
        }
        let time = entry.timestamp.as_deref().and_then(parse_time);
        match entry.action.as_str() {
            "login" => {
                history.issued = time;
                history.issued_ip = entry.ip;
                history.issued_user_agent = entry.user_agent;
            }
            "logout" => history.signed_out = true,
            _ => {}
        }
        if matches!(entry.action.as_str(), "login" | "update")
            && time.is_some()
            && time > history.last_used
        {
            history.last_used = time;
        }
    }
    grants
}

/// The grants' activity (issue, renewal, sign-out), the newest [`HISTORY_LIMIT`] entries;
/// empty when the activity log cannot be read.
async fn read_histories(session: &Session) -> BTreeMap<String, GrantHistory> {
    let filter = json!({ "collection": { "_eq": "directus_oauth_tokens" } }).to_string();
    let limit = HISTORY_LIMIT.to_string();
    let entries: Result<Vec<RawActivity>, DirectusError> = session
        .client()
        .get(
            "/activity",
            &[
                ("fields", "action,item,timestamp,ip,user_agent,user.email"),
                ("filter", &filter),
                ("sort", "-timestamp"),
                ("limit", &limit),
            ],
        )
        .await;
    entries.map(histories).unwrap_or_default()
}

/// `REFRESH_TOKEN_TTL` read from the grants: a grant's `expires_at` minus its last use
/// (its creation, or its last renewal in the activity log), the smallest found (an activity
/// time may be rounded down to the second), to the nearest second.
fn refresh_ttl_from(
    clients: &[OAuthClient],
    histories: &BTreeMap<String, GrantHistory>,
) -> Option<Duration> {
    clients
        .iter()
        .flat_map(|client| &client.grants)
        .filter_map(|grant| {
            let expires = parse_time(grant.expires.as_deref()?)?;
            let created = grant.created.as_deref().and_then(parse_time);
            let renewed = histories.get(&grant.id).and_then(|h| h.last_used);
            let last_use = created.max(renewed)?;
            let millis = (expires - last_use).num_milliseconds();
            (millis > 0).then(|| Duration::from_secs(((millis + 500) / 1000) as u64))
        })
        .min()
}

/// The rules with this server's values, read from the grants listed in `clients` and the
/// activity log; what cannot be read is Directus' default, said to be so.
fn rules_from(
    session: &Session,
    clients: &[OAuthClient],
    histories: &BTreeMap<String, GrantHistory>,
) -> SignInRules {
    let access = match session.access_token_ttl() {
        Some(ttl) => Lifetime::read(
            "ACCESS_TOKEN_TTL",
            ttl,
            "this server's answer to the admin sign-in".into(),
        ),
        None => Lifetime::default("ACCESS_TOKEN_TTL", DEFAULT_ACCESS_TOKEN_TTL),
    };
    let refresh = match refresh_ttl_from(clients, histories) {
        Some(ttl) => Lifetime::read(
            "REFRESH_TOKEN_TTL",
            ttl,
            "this server: a grant's expiry minus its last use".into(),
        ),
        None => Lifetime::default("REFRESH_TOKEN_TTL", DEFAULT_REFRESH_TOKEN_TTL),
    };
    SignInRules::new(access, refresh)
}

/// What an admin can see about how sign-ins end on this server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignInReport {
    /// The rules, with the server's values.
    pub rules: SignInRules,
    /// Grants that ended before their time or recently, newest first.
    pub ended: Vec<EndedGrant>,
}

/// Reads the rules and the ended grants, and fills in each listed grant's last use and end
/// (`clients` are those just read from `/mcp-oauth/clients`).
pub async fn annotate(session: &Session, clients: &mut [OAuthClient]) -> SignInReport {
    let histories = read_histories(session).await;
    let rules = rules_from(session, clients, &histories);
    let now = Utc::now();
    fill_grants(clients, &histories, &rules, now);
    let ended = ended_grants(clients, &histories, &rules, now);
    SignInReport { rules, ended }
}

/// Sets each grant's last use and the sentence saying when it ends.
fn fill_grants(
    clients: &mut [OAuthClient],
    histories: &BTreeMap<String, GrantHistory>,
    rules: &SignInRules,
    now: DateTime<Utc>,
) {
    for client in clients {
        let app = client
            .client_name
            .clone()
            .unwrap_or_else(|| "the app".into());
        for grant in &mut client.grants {
            let last_used = histories
                .get(&grant.id)
                .and_then(|history| history.last_used)
                .or_else(|| grant.created.as_deref().and_then(parse_time));
            grant.last_used = last_used.map(show);
            grant.ending = grant
                .expires
                .as_deref()
                .and_then(parse_time)
                .map(|expires| ending(&app, expires, &rules.refresh_token, now));
        }
    }
}

/// When a grant ends, in words.
pub fn ending(app: &str, expires: DateTime<Utc>, refresh: &Lifetime, now: DateTime<Utc>) -> String {
    if expires <= now {
        format!(
            "ended {}: {app} did not use it for {}; Directus deletes it at its next cleanup, and {app} must sign in again",
            show(expires),
            span(refresh.seconds)
        )
    } else {
        format!(
            "ends {} unless {app} uses it before then (each use moves the end to {} later)",
            show(expires),
            span(refresh.seconds)
        )
    }
}

/// The grants in the activity log that are no longer there, and how each ended, newest first.
fn ended_grants(
    clients: &[OAuthClient],
    histories: &BTreeMap<String, GrantHistory>,
    rules: &SignInRules,
    now: DateTime<Utc>,
) -> Vec<EndedGrant> {
    let current: Vec<(&OAuthClient, &GrantHistory)> = clients
        .iter()
        .flat_map(|client| client.grants.iter().map(move |grant| (client, grant)))
        .filter_map(|(client, grant)| histories.get(&grant.id).map(|h| (client, h)))
        .collect();
    let listed: std::collections::BTreeSet<&str> = clients
        .iter()
        .flat_map(|client| client.grants.iter().map(|grant| grant.id.as_str()))
        .collect();
    let ttl = chrono::Duration::seconds(i64::from(rules.refresh_token.seconds));
    let mut ended: Vec<EndedGrant> = histories
        .values()
        .filter(|history| !listed.contains(history.id.as_str()) && history.issued.is_some())
        .map(|history| {
            let end = if history.signed_out {
                GrantEnd::SignedOut
            } else if history.last_used.is_some_and(|last| last + ttl <= now) {
                GrantEnd::Expired
            } else if let Some((client, newer)) = current.iter().find(|(_, newer)| {
                newer.user_email == history.user_email
                    && newer.issued > history.last_used
                    && newer.issued_user_agent.is_some()
                    && newer.issued_user_agent == history.issued_user_agent
            }) {
                GrantEnd::Replaced {
                    client_name: client.client_name.clone(),
                    at: newer.issued.map(show).unwrap_or_default(),
                    ip: newer.issued_ip.clone(),
                }
            } else {
                GrantEnd::Revoked
            };
            EndedGrant {
                explanation: explain_end(&end, history, rules),
                id: history.id.clone(),
                user_email: history.user_email.clone(),
                issued: history.issued.map(show),
                last_used: history.last_used.map(show),
                end,
            }
        })
        .collect();
    ended.sort_by(|a, b| b.last_used.cmp(&a.last_used));
    ended
}

/// How a grant ended, in words, with what to do.
pub fn explain_end(end: &GrantEnd, history: &GrantHistory, rules: &SignInRules) -> String {
    let user = history.user_email.as_deref().unwrap_or("a user");
    match end {
        GrantEnd::SignedOut => format!(
            "Signed out: the app revoked its own sign-in for {user}. It signs in again when next used."
        ),
        GrantEnd::Expired => format!(
            "Expired: the app did not use {user}'s grant for {}. Sign in again in the app.",
            rules.refresh_token.describe()
        ),
        GrantEnd::Replaced {
            client_name,
            at,
            ip,
        } => {
            let app = client_name.as_deref().unwrap_or("the same app");
            let place = match (ip.as_deref(), history.issued_ip.as_deref()) {
                (Some(new), Some(old)) if new != old => {
                    format!(
                        " from another address ({new}, this one was signed in from {old}): most likely another computer"
                    )
                }
                (Some(new), _) => format!(" from {new}"),
                _ => String::new(),
            };
            format!(
                "Replaced by another sign-in: {user} signed in to {app} again at {at}{place}. Directus keeps one grant per app and user, so that sign-in ended this grant if it was still valid (a second computer signing in to the same app ends the first one's sign-in); sign in again where this one was used (the other then ends). Directus records neither which app an ended grant belonged to nor why it ended: the app is told by its user agent, and a revocation before that sign-in (a reused refresh token) cannot be told apart."
            )
        }
        GrantEnd::Revoked => format!(
            "Revoked before its expiry, with no sign-out: Directus does this when a refresh token is used a second time (replay — two copies of the app sharing one sign-in, or a renewal retried), and when an admin revokes the app or removes the user. Directus records no reason. Sign in again in the app for {user}, and let only one copy of it use that sign-in."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(refresh_read: bool) -> SignInRules {
        SignInRules::new(
            Lifetime::default("ACCESS_TOKEN_TTL", DEFAULT_ACCESS_TOKEN_TTL),
            if refresh_read {
                Lifetime::read(
                    "REFRESH_TOKEN_TTL",
                    Duration::from_secs(3 * 3600),
                    "this server: a grant's expiry minus its last use".into(),
                )
            } else {
                Lifetime::default("REFRESH_TOKEN_TTL", DEFAULT_REFRESH_TOKEN_TTL)
            },
        )
    }

    #[test]
    fn a_duration_is_said_in_words() {
        assert_eq!(span(7 * 86_400), "7 days");
        assert_eq!(span(900), "15 minutes");
        assert_eq!(span(86_400 + 7_200), "1 day 2 hours");
        assert_eq!(span(90), "1 minute 30 seconds");
        assert_eq!(span(0), "0 seconds");
    }

    #[test]
    fn a_value_read_from_the_server_says_where_and_a_default_says_it_is_the_default() {
        let explained = rules(true).explanation.join("\n");
        assert!(
            explained.contains("3 hours (REFRESH_TOKEN_TTL, read from this server"),
            "{explained}"
        );
        assert!(
            explained.contains(
                "15 minutes (ACCESS_TOKEN_TTL could not be read here: that is Directus' default)"
            ),
            "{explained}"
        );
        assert!(
            explained.contains("moves its end to 3 hours later"),
            "{explained}"
        );
        let defaults = rules(false).explanation.join("\n");
        assert!(
            defaults.contains(
                "7 days (REFRESH_TOKEN_TTL could not be read here: that is Directus' default)"
            ),
            "{defaults}"
        );
    }

    #[test]
    fn the_rules_name_replay_and_one_grant_per_app_and_user() {
        let explained = rules(true).explanation.join("\n");
        assert!(explained.contains("used again"), "{explained}");
        assert!(
            explained.contains("revokes the whole grant (replay)"),
            "{explained}"
        );
        assert!(
            explained.contains(
                "signing in to the same app on a second computer ends the grant of the first"
            ),
            "{explained}"
        );
    }

    fn entry(action: &str, item: &str, at: &str, agent: &str, ip: &str) -> RawActivity {
        RawActivity {
            action: action.into(),
            item: item.into(),
            timestamp: Some(at.into()),
            ip: Some(ip.into()),
            user_agent: Some(agent.into()),
            user: Some(json!({ "email": "ada@example.com" })),
        }
    }

    fn client_with(grant_id: &str, name: &str) -> OAuthClient {
        OAuthClient {
            client_id: "c1".into(),
            client_name: Some(name.into()),
            registration_type: Some("dcr".into()),
            redirect_uris: Vec::new(),
            created: None,
            grants: vec![super::super::oauth::Grant {
                id: grant_id.into(),
                user_email: Some("ada@example.com".into()),
                scope: None,
                resource: None,
                created: Some("2026-12-02T10:00:00.000Z".into()),
                expires: Some("2026-12-02T13:00:00.000Z".into()),
                last_used: None,
                ending: None,
            }],
        }
    }

    #[test]
    fn a_grant_gone_before_its_expiry_without_sign_out_is_revoked_with_replay_named() {
        let history = histories(vec![
            entry("login", "g1", "2026-12-02T09:00:00Z", "app/1", "10.0.0.1"),
            entry("update", "g1", "2026-12-02T09:20:00Z", "app/1", "10.0.0.1"),
        ]);
        let now = parse_time("2026-12-02T10:00:00Z").unwrap();
        let ended = ended_grants(&[], &history, &rules(true), now);
        assert_eq!(ended.len(), 1);
        assert_eq!(ended[0].end, GrantEnd::Revoked);
        assert_eq!(ended[0].last_used.as_deref(), Some("2026-12-02 09:20 UTC"));
        assert!(
            ended[0].explanation.contains("used a second time (replay"),
            "{}",
            ended[0].explanation
        );
        assert!(ended[0].explanation.contains("Directus records no reason"));
    }

    #[test]
    fn a_grant_unused_longer_than_the_ttl_expired_and_a_revoked_token_signed_out() {
        let history = histories(vec![
            entry("login", "old", "2026-12-01T01:00:00Z", "app/1", "10.0.0.1"),
            entry("login", "out", "2026-12-02T09:00:00Z", "app/1", "10.0.0.1"),
            entry("logout", "out", "2026-12-02T09:05:00Z", "system", "system"),
        ]);
        let now = parse_time("2026-12-02T10:00:00Z").unwrap();
        let ended = ended_grants(&[], &history, &rules(true), now);
        let end_of = |id: &str| ended.iter().find(|e| e.id == id).unwrap().end.clone();
        assert_eq!(end_of("old"), GrantEnd::Expired);
        assert_eq!(end_of("out"), GrantEnd::SignedOut);
    }

    #[test]
    fn a_newer_sign_in_of_the_same_user_from_the_same_app_is_named_as_the_replacement() {
        let history = histories(vec![
            entry("login", "g0", "2026-12-02T08:00:00Z", "app/1", "10.0.0.1"),
            entry("login", "g1", "2026-12-02T10:00:00Z", "app/1", "10.0.0.2"),
            entry(
                "login",
                "other",
                "2026-12-02T08:30:00Z",
                "else/2",
                "10.0.0.9",
            ),
        ]);
        let clients = [client_with("g1", "Cursor")];
        let now = parse_time("2026-12-02T10:30:00Z").unwrap();
        let ended = ended_grants(&clients, &history, &rules(true), now);
        let g0 = ended.iter().find(|e| e.id == "g0").unwrap();
        assert!(
            matches!(&g0.end, GrantEnd::Replaced { client_name: Some(name), .. } if name == "Cursor"),
            "{g0:?}"
        );
        assert!(
            g0.explanation.contains("another address (10.0.0.2")
                && g0.explanation.contains("one grant per app and user")
                && g0.explanation.contains("cannot be told apart"),
            "{}",
            g0.explanation
        );
        // Another app's grant is not taken for a replacement.
        let other = ended.iter().find(|e| e.id == "other").unwrap();
        assert_eq!(other.end, GrantEnd::Revoked);
    }

    #[test]
    fn the_refresh_ttl_is_read_from_a_grants_expiry_minus_its_last_use() {
        let clients = [client_with("g1", "Cursor")];
        assert_eq!(
            refresh_ttl_from(&clients, &BTreeMap::new()),
            Some(Duration::from_secs(3 * 3600))
        );
        // Renewed at 11:00 (activity): 13:00 − 11:00.
        let history = histories(vec![entry(
            "update",
            "g1",
            "2026-12-02T11:00:00Z",
            "a",
            "b",
        )]);
        assert_eq!(
            refresh_ttl_from(&clients, &history),
            Some(Duration::from_secs(2 * 3600))
        );
        assert_eq!(refresh_ttl_from(&[], &history), None);
    }

    #[test]
    fn a_grants_ending_says_when_and_that_use_moves_it() {
        let refresh = rules(true).refresh_token;
        let expires = parse_time("2026-12-02T13:00:00Z").unwrap();
        let before = parse_time("2026-12-02T12:00:00Z").unwrap();
        assert_eq!(
            ending("Cursor", expires, &refresh, before),
            "ends 2026-12-02 13:00 UTC unless Cursor uses it before then (each use moves the end to 3 hours later)"
        );
        let after = parse_time("2026-12-02T14:00:00Z").unwrap();
        assert!(
            ending("Cursor", expires, &refresh, after)
                .starts_with("ended 2026-12-02 13:00 UTC: Cursor did not use it for 3 hours")
        );
    }

    #[test]
    fn directus_dates_are_read_with_or_without_a_zone() {
        assert!(parse_time("2026-12-02T10:00:00.123Z").is_some());
        assert!(parse_time("2026-12-02T10:00:00").is_some());
        assert!(parse_time("2026-12-02 10:00:00").is_some());
        assert!(parse_time("yesterday").is_none());
    }
}
