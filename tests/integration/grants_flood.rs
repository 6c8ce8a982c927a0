//! Anyone may register OAuth clients while Dynamic Client Registration is on: hundreds of
//! anonymous registrations must never hide a client that holds a grant, from `grants list`
//! or from `grants wait` (the security review's N6).

use std::net::{IpAddr, Ipv4Addr};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::support::oauth_client::{Directus, OAuthTestClient};
use crate::support::{cli, oauth_server};

/// How many anonymous clients are registered: more than the 500 the list used to read.
const FLOOD: usize = 600;

/// Registrations Directus allows per address and minute by default
/// (`RATE_LIMITER_MCP_OAUTH_REGISTRATION_POINTS`).
const PER_ADDRESS: usize = 30;

/// Registers `count` anonymous clients from 127.0.0.2, 127.0.0.3, … (Directus limits
/// registrations per address; 127.0.0.1, which the other tests use, is left alone), a few
/// addresses at a time.
async fn register_anonymous_clients(url: &str, count: usize) {
    let addresses = count.div_ceil(PER_ADDRESS);
    assert!(addresses < 200, "too many registrations for 127.0.0.0/24");
    let from = |host: usize| {
        let url = url.to_owned();
        async move {
            let host = u8::try_from(host + 2).expect("a loopback address");
            let http = reqwest::Client::builder()
                .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, host)))
                .build()
                .unwrap();
            let answers = futures::future::join_all((0..PER_ADDRESS).map(|_| {
                http.post(format!("{url}/mcp-oauth/register"))
                    .json(&json!({
                        "client_name": "x",
                        "redirect_uris": ["http://127.0.0.1:1/cb"],
                        "grant_types": ["authorization_code"],
                        "response_types": ["code"],
                        "token_endpoint_auth_method": "none",
                    }))
                    .send()
            }))
            .await;
            answers
                .into_iter()
                .filter(|answer| {
                    answer
                        .as_ref()
                        .is_ok_and(|response| response.status().is_success())
                })
                .count()
        }
    };
    let mut registered = 0;
    for chunk in (0..addresses).collect::<Vec<_>>().chunks(4) {
        for done in futures::future::join_all(chunk.iter().map(|host| from(*host))).await {
            registered += done;
        }
    }
    assert!(
        registered >= count,
        "only {registered} of {count} registrations were accepted"
    );
}

#[tokio::test]
async fn a_grant_stays_listed_and_watched_for_behind_hundreds_of_anonymous_registrations() {
    let server = oauth_server();
    let _guard = crate::support::oauth_exclusive().await;
    cli(server, &["enable"]).ok();
    cli(server, &["oauth", "enable", "--for", "cursor"]).ok();
    let directus = Directus {
        url: server.url.clone(),
        email: server.email.clone(),
        password: server.password.clone(),
    };
    // Registered first, so it is older than every anonymous client.
    let client = OAuthTestClient::register(&directus, "Old Client Signed In Later").await;
    let started = std::time::Instant::now();
    register_anonymous_clients(&server.url, FLOOD).await;
    eprintln!("{FLOOD} registrations in {:?}", started.elapsed());

    // A new grant on that old client is seen by `grants wait`.
    let watcher = Command::new(env!("CARGO_BIN_EXE_directus-mcp-setup"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DIRECTUS_MCP_SETUP_KEYRING", "keyutils")
        .env("DIRECTUS_URL", &server.url)
        .env("DIRECTUS_EMAIL", &server.email)
        .env("DIRECTUS_PASSWORD", &server.password)
        .args(["--json", "grants", "wait", "--timeout", "60"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    client.authorize().await;
    let waited = watcher.wait_with_output().unwrap();
    assert!(
        waited.status.success(),
        "{}",
        String::from_utf8_lossy(&waited.stderr)
    );
    let waited: Value = serde_json::from_slice(&waited.stdout).unwrap();
    assert_eq!(waited["client"]["client_id"], client.client_id.as_str());

    // `grants list` shows it, and says how many clients it leaves out.
    let listed = cli(server, &["--json", "grants", "list"]).json();
    let entry = listed["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["client_id"] == client.client_id.as_str())
        .unwrap_or_else(|| {
            panic!(
                "the granted client is not listed: {}",
                listed["total_clients"]
            )
        });
    assert_eq!(entry["grants"][0]["user_email"], server.email.as_str());
    let total = listed["total_clients"].as_u64().unwrap() as usize;
    let shown = listed["clients"].as_array().unwrap().len();
    let not_shown = listed["not_shown_without_grants"].as_u64().unwrap() as usize;
    assert!(total > FLOOD, "total_clients {total}");
    assert_eq!(
        shown + not_shown,
        total,
        "{shown} listed + {not_shown} not shown"
    );
    assert!(not_shown > 0);
    let text = cli(server, &["grants", "list"]).ok().stdout.clone();
    assert!(text.contains(&client.client_id), "{text}");
    assert!(
        text.contains(&format!(
            "{not_shown} more client(s) without grants not shown"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{total} client(s) registered")),
        "{text}"
    );
}
