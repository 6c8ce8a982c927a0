//! Why a sign-in ends, against a real Directus 12.4.1 started with token lifetimes that are
//! not Directus' defaults (so a value shown is proven read, not assumed): each grant's end,
//! the rules with the server's values, and a grant revoked by Directus after its refresh
//! token was used twice.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

use crate::support::oauth_client::{Directus, OAuthTestClient};
use crate::support::{Server, cli, start_server};

/// A Directus of its own: OAuth with DCR allowed, `REFRESH_TOKEN_TTL=3h` (default 7d) and
/// `ACCESS_TOKEN_TTL=7m` (default 15m).
fn short_lived_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!(
            "directus-mcp-setup-tests-{}-signin",
            std::process::id()
        ));
        start_server(
            &dir,
            &[
                "MCP_OAUTH_ENABLED=true",
                "MCP_OAUTH_DCR_ENABLED=true",
                "REFRESH_TOKEN_TTL=3h",
                "ACCESS_TOKEN_TTL=7m",
            ],
        )
    })
}

/// `POST /mcp-oauth/token` with `grant_type=refresh_token`: the status and the answer.
async fn renew(server: &Server, client_id: &str, refresh_token: &str) -> (u16, Value) {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", client_id),
        ])
        .finish();
    let response = crate::support::http_client()
        .post(format!("{}/mcp-oauth/token", server.url))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// `doctor --for cursor --json` (whatever its exit code: other checks may warn here).
fn doctor_json(server: &Server) -> Value {
    let run = cli(server, &["--json", "doctor", "--for", "cursor"]);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "doctor's stdout is not JSON ({e}): {} {}",
            run.stdout, run.stderr
        )
    })
}

fn client_in<'a>(list: &'a Value, client_id: &str) -> &'a Value {
    list["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|client| client["client_id"] == client_id)
        .unwrap_or_else(|| panic!("{client_id} not listed: {list}"))
}

#[tokio::test]
async fn a_grants_end_follows_the_servers_ttl_and_a_reused_refresh_token_shows_it_revoked() {
    let server = short_lived_server();
    let _guard = crate::support::oauth_exclusive().await;
    cli(server, &["enable"]).ok();
    let enabled = cli(server, &["--json", "oauth", "enable", "--dcr"]).json();
    assert_eq!(enabled["ready"], true, "{enabled}");

    let directus = Directus {
        url: server.url.clone(),
        email: server.email.clone(),
        password: server.password.clone(),
    };
    let client = OAuthTestClient::register(&directus, "Sign-in End Test").await;
    let tokens = client.authorize_tokens().await;
    assert_eq!(tokens["expires_in"], 420, "{tokens}");
    let first_refresh = tokens["refresh_token"].as_str().expect("a refresh token");

    // The grant ends 3 hours from now (REFRESH_TOKEN_TTL), and both values are read.
    let list = cli(server, &["--json", "grants", "list"]).json();
    let grant = &client_in(&list, &client.client_id)["grants"][0];
    let expires: DateTime<Utc> = grant["expires"]
        .as_str()
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| panic!("an expiry: {grant}"));
    let left = (expires - Utc::now()).num_seconds();
    assert!(
        (3 * 3600 - 120..=3 * 3600 + 60).contains(&left),
        "ends in {left} s: {grant}"
    );
    assert!(
        grant["ending"]
            .as_str()
            .unwrap()
            .contains("each use moves the end to 3 hours later"),
        "{grant}"
    );
    let rules = &list["sign_in"]["rules"];
    assert_eq!(rules["refresh_token"]["seconds"], 3 * 3600, "{rules}");
    assert!(rules["refresh_token"]["read_from"].is_string(), "{rules}");
    assert_eq!(rules["access_token"]["seconds"], 7 * 60, "{rules}");
    assert!(rules["access_token"]["read_from"].is_string(), "{rules}");

    // `oauth status` and the doctor say the rules with these values.
    let status = cli(server, &["oauth", "status", "--dcr"]);
    assert!(
        status.stdout.contains("Why a sign-in ends on this server")
            && status
                .stdout
                .contains("3 hours (REFRESH_TOKEN_TTL, read from this server")
            && status
                .stdout
                .contains("7 minutes (ACCESS_TOKEN_TTL, read from"),
        "{}",
        status.stdout
    );
    let doctor = doctor_json(server);
    let sign_in = doctor["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["topic"] == "oauth-grants")
        .unwrap_or_else(|| panic!("no oauth-grants check: {doctor}"));
    assert!(
        sign_in["detail"]
            .as_str()
            .unwrap()
            .contains("3 hours (REFRESH_TOKEN_TTL, read from this server"),
        "{sign_in}"
    );

    // A renewal works once; the same refresh token again makes Directus revoke the grant.
    let (renewed, answer) = renew(server, &client.client_id, first_refresh).await;
    assert_eq!(renewed, 200, "{answer}");
    let (replayed, answer) = renew(server, &client.client_id, first_refresh).await;
    assert_eq!(replayed, 400, "{answer}");
    assert_eq!(answer["error"], "invalid_grant", "{answer}");

    let list = cli(server, &["--json", "grants", "list"]).json();
    assert_eq!(
        client_in(&list, &client.client_id)["grants"],
        serde_json::json!([]),
        "{list}"
    );
    let ended = list["sign_in"]["ended"]
        .as_array()
        .unwrap()
        .iter()
        .find(|ended| ended["id"] == grant["id"])
        .unwrap_or_else(|| panic!("the revoked grant is not shown: {list}"));
    assert_eq!(ended["end"]["kind"], "revoked", "{ended}");
    assert!(
        ended["explanation"]
            .as_str()
            .unwrap()
            .contains("refresh token is used a second time (replay"),
        "{ended}"
    );
    let text = cli(server, &["grants", "list"]).ok().stdout.clone();
    assert!(
        text.contains("Grants that ended") && text.contains("Revoked before its expiry"),
        "{text}"
    );
    let doctor = doctor_json(server);
    assert!(
        doctor["checks"].as_array().unwrap().iter().any(|check| {
            check["topic"] == "oauth-grants"
                && check["verdict"] == "warning"
                && check["detail"]
                    .as_str()
                    .is_some_and(|detail| detail.contains("ended before its time"))
        }),
        "{doctor}"
    );

    cli(server, &["grants", "revoke", &client.client_id]).ok();
}
