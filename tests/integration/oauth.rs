//! MCP OAuth end to end on a real Directus started with the OAuth environment: readiness,
//! enabling just what the clients need, a real client signing in (DCR, PKCE, consent,
//! token), the grant seen, watched for, revoked — and the token refused afterwards.

use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::oauth_client::{Directus, OAuthTestClient, REDIRECT_URI};
use crate::support::{cli, cli_with_env, oauth_server, shared};

fn problems(report: &Value) -> String {
    report["problems"].to_string()
}

#[tokio::test]
async fn a_real_client_signs_in_its_grant_is_listed_then_revoked_and_its_token_refused() {
    let server = oauth_server();
    let _guard = crate::support::oauth_exclusive().await;
    cli(server, &["enable"]).ok();
    // Start from OAuth off in the project settings (another test may have turned it on).
    crate::support::Api::admin(server)
        .await
        .send(
            reqwest::Method::PATCH,
            "/settings",
            serde_json::json!({
                "mcp_oauth_enabled": false,
                "mcp_oauth_dcr_enabled": false,
                "mcp_oauth_cimd_enabled": false,
            }),
        )
        .await;

    // The environment allows OAuth, the project settings do not yet.
    let report = cli(server, &["--json", "oauth", "status", "--for", "cursor"]).json();
    assert_eq!(report["ready"], false);
    assert!(
        problems(&report)
            .contains("off in the project settings: OAuth, Dynamic Client Registration"),
        "{report}"
    );
    assert!(!problems(&report).contains("MCP_OAUTH_ENABLED"), "{report}");

    // Cursor needs DCR: OAuth and DCR go on, CIMD stays off.
    let report = cli(server, &["--json", "oauth", "enable", "--for", "cursor"]).json();
    assert_eq!(report["ready"], true, "{report}");
    assert_eq!(report["settings"]["mcp_oauth_enabled"], true);
    assert_eq!(report["settings"]["mcp_oauth_dcr_enabled"], true);
    assert_eq!(report["settings"]["mcp_oauth_cimd_enabled"], false);
    assert_eq!(
        report["metadata"]["resource"],
        format!("{}/mcp", server.url)
    );
    assert!(
        report["needed"]["reasons"][0]
            .as_str()
            .unwrap()
            .contains("Cursor")
    );

    // VS Code would need CIMD, which this server's environment does not allow: the exact lines.
    let report = cli(server, &["--json", "oauth", "status", "--for", "vscode"]).json();
    assert_eq!(report["ready"], false);
    assert!(
        problems(&report).contains("MCP_OAUTH_CIMD_ENABLED=true"),
        "{report}"
    );
    assert!(problems(&report).contains("restart"), "{report}");

    // No client signs in: waiting gives up with what to do.
    let gave_up = cli(server, &["grants", "wait", "--timeout", "1"]);
    assert_eq!(gave_up.code, 1, "{}", gave_up.stderr);
    assert!(
        gave_up
            .stderr
            .contains("no AI client was authorized within 1 s"),
        "{}",
        gave_up.stderr
    );

    // Watch for the grant while a real client signs in.
    let watcher = Command::new(env!("CARGO_BIN_EXE_directus-mcp-setup"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DIRECTUS_MCP_SETUP_KEYRING", "keyutils")
        .env("DIRECTUS_URL", &server.url)
        .env("DIRECTUS_EMAIL", &server.email)
        .env("DIRECTUS_PASSWORD", &server.password)
        .args(["--json", "grants", "wait", "--timeout", "90"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let directus = Directus {
        url: server.url.clone(),
        email: server.email.clone(),
        password: server.password.clone(),
    };
    let client = OAuthTestClient::register(&directus, "Integration Test Client").await;
    let token = client.authorize().await;
    let waited = watcher.wait_with_output().unwrap();
    assert!(
        waited.status.success(),
        "{}",
        String::from_utf8_lossy(&waited.stderr)
    );
    let waited: Value = serde_json::from_slice(&waited.stdout).unwrap();
    assert_eq!(waited["client"]["client_id"], client.client_id.as_str());
    assert_eq!(waited["grant"]["user_email"], server.email.as_str());

    // The OAuth token works for MCP as the client uses it: a real handshake.
    let verified = cli_with_env(
        &[("DIRECTUS_URL", &server.url)],
        &["--json", "verify", "--token", &token],
    )
    .json();
    assert!(
        !verified["tools"].as_array().unwrap().is_empty(),
        "{verified}"
    );

    // The grant, listed.
    let listed = cli(server, &["--json", "grants", "list"]).json();
    let entry = listed["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["client_id"] == client.client_id.as_str())
        .unwrap_or_else(|| panic!("{listed}"))
        .clone();
    assert_eq!(entry["client_name"], "Integration Test Client");
    assert_eq!(entry["registration_type"], "dcr");
    assert_eq!(entry["redirect_uris"][0], REDIRECT_URI);
    assert_eq!(entry["grants"][0]["scope"], "mcp:access");
    assert_eq!(entry["grants"][0]["user_email"], server.email.as_str());
    assert!(entry["grants"][0]["expires"].is_string());

    // An unknown id is refused, and nothing is revoked.
    let refused = cli(
        server,
        &["grants", "revoke", "no-such-client", &client.client_id],
    );
    assert!(refused.failure(1).contains("no-such-client"));
    assert_eq!(client.mcp_status(&token).await, 200);

    // Revoked: gone from the list, and the same token is refused on /mcp.
    let revoked = cli(server, &["--json", "grants", "revoke", &client.client_id]).json();
    assert_eq!(revoked["revoked"][0], client.client_id.as_str());
    assert_eq!(
        revoked["users"],
        serde_json::json!([server.email]),
        "everyone whose access ended is named"
    );
    let listed = cli(server, &["--json", "grants", "list"]).json();
    assert!(!listed.to_string().contains(&client.client_id), "{listed}");
    assert_eq!(client.mcp_status(&token).await, 401);
}

#[test]
fn oauth_off_in_the_environment_is_explained_with_the_lines_to_add() {
    let server = shared();
    let report = cli(
        server,
        &["--json", "oauth", "status", "--for", "cursor,vscode"],
    )
    .json();
    assert_eq!(report["ready"], false);
    let text = problems(&report);
    for line in [
        "MCP_OAUTH_ENABLED=true",
        "MCP_OAUTH_DCR_ENABLED=true",
        "MCP_OAUTH_CIMD_ENABLED=true",
        "docker compose",
        "restart",
    ] {
        assert!(text.contains(line), "{line} missing: {report}");
    }
    let listed = cli(server, &["grants", "list"]);
    assert!(listed.failure(1).contains("MCP_OAUTH_ENABLED=true"));
    let enable = cli(server, &["oauth", "enable"]);
    assert!(enable.failure(2).contains("--for"));
}
