//! A signed-in session outlives its access token: on a Directus whose access tokens last two
//! seconds, calls made after that renew the token once (however many notice at the same
//! time) and succeed, and the new refresh token is handed on to be kept; signing out then
//! still works and ends the session.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use directus_mcp_setup::directus::{
    Credentials, DirectusClient, DirectusError, ServerUrl, Session,
};
use directus_mcp_setup::secret::SecretString;
use directus_mcp_setup::setup;

use crate::support;

#[tokio::test]
async fn an_expired_access_token_is_renewed_once_and_the_calls_succeed() {
    let dir = std::env::temp_dir().join(format!(
        "directus-mcp-setup-tests-{}-session",
        std::process::id()
    ));
    let server = support::start_server(&dir, &["ACCESS_TOKEN_TTL=2s"]);
    let session = Session::connect(
        &server.url,
        false,
        Credentials::Password {
            email: server.email.clone(),
            password: SecretString::new(server.password.clone()),
            otp: None,
        },
    )
    .await
    .expect("sign in");
    let renewals: Arc<Mutex<Vec<SecretString>>> = Arc::default();
    session.on_renewal(Arc::new({
        let renewals = renewals.clone();
        move |token| renewals.lock().unwrap().push(token.clone())
    }));
    let first_refresh = session.refresh_token().expect("a refresh token");

    tokio::time::sleep(Duration::from_secs(3)).await;
    // Three calls at once notice the expiry; one renewal serves them all (a second renewal
    // with the same refresh token would be refused: Directus replaces it at each renewal).
    let (status, admin, again) = tokio::join!(
        setup::status(&session),
        session.require_admin(),
        session.require_admin()
    );
    status.expect("status after the access token expired");
    admin.expect("an admin call after the access token expired");
    again.expect("another call at the same time");
    let renewed = renewals.lock().unwrap().clone();
    assert_eq!(renewed.len(), 1, "one renewal");
    assert_ne!(renewed[0], first_refresh);
    assert_eq!(session.refresh_token().as_ref(), Some(&renewed[0]));

    // The refresh token handed on is the one a later run signs in with.
    let later = Session::sign_in(
        DirectusClient::new(ServerUrl::parse(&server.url, false).unwrap()).unwrap(),
        Credentials::RefreshToken {
            email: server.email.clone(),
            refresh_token: renewed[0].clone(),
        },
    )
    .await;
    let later = later.expect("sign in with the handed-on refresh token");

    // Signing out works once the access token has expired too, and ends the session.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let last_refresh = later.refresh_token().expect("a refresh token");
    later
        .sign_out()
        .await
        .expect("sign out after the access token expired");
    let after = Session::sign_in(
        DirectusClient::new(ServerUrl::parse(&server.url, false).unwrap()).unwrap(),
        Credentials::RefreshToken {
            email: server.email.clone(),
            refresh_token: last_refresh,
        },
    )
    .await;
    assert!(
        matches!(after, Err(DirectusError::SessionExpired)),
        "{after:?}"
    );
}

/// A fresh administrator on the shared server, so no other test's sign-in touches its
/// kept session.
async fn fresh_admin(name: &str) -> (String, String) {
    let server = support::sessions_server();
    let admin = support::Api::admin(server).await;
    let roles = admin
        .get("/roles?filter[name][_eq]=Administrator&fields=id")
        .await;
    let role = roles[0]["id"]
        .as_str()
        .expect("the Administrator role")
        .to_owned();
    let email = format!("{name}-{}@example.com", std::process::id());
    let password = "sign-out-test-password-1";
    admin.create_user(&email, password, Some(&role)).await;
    (email, password.to_owned())
}

#[tokio::test]
async fn the_cli_keeps_a_session_only_with_remember_and_sign_out_ends_it() {
    let server = support::sessions_server();
    let (email, password) = fresh_admin("cli-sign-out").await;
    let with_password = [
        ("DIRECTUS_URL", server.url.as_str()),
        ("DIRECTUS_EMAIL", email.as_str()),
        ("DIRECTUS_PASSWORD", password.as_str()),
    ];
    let email_only = [
        ("DIRECTUS_URL", server.url.as_str()),
        ("DIRECTUS_EMAIL", email.as_str()),
    ];
    // Without --remember nothing is kept.
    support::cli_with_env(&with_password, &["status"]).ok();
    let refused = support::cli_with_env(&email_only, &["status"]);
    refused.failure(4);
    // With --remember, later runs need only the email …
    support::cli_with_env(&with_password, &["--remember", "status"]).ok();
    support::cli_with_env(&email_only, &["status"]).ok();
    // A password sign-in without --remember keeps nothing new and forgets nothing.
    support::cli_with_env(&with_password, &["status"]).ok();
    support::cli_with_env(&email_only, &["status"]).ok();
    // … until sign-out.
    let out = support::cli_with_env(&email_only, &["sign-out"]);
    assert!(
        out.ok().stdout.contains("Directus ended the session"),
        "{}",
        out.stdout
    );
    support::cli_with_env(&email_only, &["status"]).failure(4);
    let again = support::cli_with_env(&email_only, &["--json", "sign-out"]).json();
    assert_eq!(again["was_kept"], false, "{again}");
}

#[tokio::test]
async fn sign_out_ends_the_kept_session_on_directus_and_forgets_it_here() {
    let server = support::sessions_server();
    let (email, password) = fresh_admin("lib-sign-out").await;
    let store = directus_mcp_setup::secret_store::SecretStore::new();
    let signed_in = setup::sign_in(
        &server.url,
        false,
        setup::Login::Password {
            email: email.clone(),
            password: SecretString::new(password),
            otp: None,
        },
        setup::SessionKeeping::Keep,
        &store,
    )
    .await
    .expect("sign in, kept");
    assert!(
        signed_in.keyring_warning.is_none(),
        "{:?}",
        signed_in.keyring_warning
    );
    let url = ServerUrl::parse(&server.url, false).unwrap();
    let kind = directus_mcp_setup::secret_store::SecretKind::AdminSession {
        email: email.clone(),
    };
    let kept = store
        .load(&url, &kind)
        .unwrap()
        .expect("the session is kept");

    let outcome = setup::sign_out_kept(&server.url, false, &email, &store)
        .await
        .expect("sign out");
    assert!(outcome.was_kept && outcome.ended_on_server, "{outcome:?}");
    assert_eq!(store.load(&url, &kind).unwrap(), None, "still kept");
    let after = Session::sign_in(
        DirectusClient::new(url.clone()).unwrap(),
        Credentials::RefreshToken {
            email: email.clone(),
            refresh_token: kept,
        },
    )
    .await;
    assert!(
        matches!(after, Err(DirectusError::SessionExpired)),
        "the kept refresh token still works: {after:?}"
    );
}

/// A keyring that cannot be read (the platform's default, the Secret Service, kept with
/// `DIRECTUS_MCP_SETUP_KEYRING=default`, and no D-Bus session to reach it) never makes a
/// read-only command fail: `status` answers, and says why nothing was kept or read.
#[test]
fn an_unreadable_keyring_never_makes_status_fail() {
    let server = support::shared();
    let run = support::cli_with_env(
        &[
            ("DIRECTUS_URL", &server.url),
            ("DIRECTUS_EMAIL", &server.email),
            ("DIRECTUS_PASSWORD", &server.password),
            ("DIRECTUS_MCP_SETUP_KEYRING", "default"),
            ("DBUS_SESSION_BUS_ADDRESS", ""),
        ],
        &["--json", "status"],
    );
    let status = run.json();
    assert_eq!(status["mcp_token_in_keyring"], false, "{status}");
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.starts_with("warning: ") && line.contains("keyring"))
        .collect();
    assert!(!warnings.is_empty(), "{}", run.stderr);
    assert!(
        !run.stderr.lines().any(|line| line.starts_with("error: ")),
        "{}",
        run.stderr
    );
}
