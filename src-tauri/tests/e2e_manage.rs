//! End to end, the Manage screen: the clients connected on this computer (disconnected
//! there), and the OAuth path: a real client signing in, its grant listed and revoked.

mod support;

use std::process::Command;
use std::time::Duration;

use serde_json::json;
use support::{
    ONE_APP, read_values, repo_root, screenshot, server_env, sign_in_enable_and_create_token,
    start_app,
};

#[path = "../../tests/integration/support/oauth_client.rs"]
mod oauth_client;

#[tokio::test]
async fn manage_lists_the_connected_clients_and_disconnects_them() {
    let _one = ONE_APP.lock().await;
    let server_env = server_env();
    let app = start_app(&server_env, support::display_number(0)).await;
    let (driver, display, home) = (&app.driver, app.display.as_str(), &app.home);
    sign_in_enable_and_create_token(driver).await;
    // VS Code connected with OAuth, as on the Clients screen.
    driver.click("#go-clients").await;
    driver
        .wait_for("#client-vscode", Duration::from_secs(30))
        .await;
    driver.click("#connect-vscode").await;
    driver
        .wait_for_text("#status-vscode", "Connected (OAuth)")
        .await;
    assert!(home.path().join(".config/Code/User/mcp.json").exists());
    driver.click("#go-verify").await;

    // Manage: grants need OAuth in the server's environment (the fix is named); the clients
    // connected here can be disconnected.
    driver.click("#go-manage").await;
    driver
        .wait_for_text("#grants", "MCP_OAUTH_ENABLED=true")
        .await;
    driver.wait_for_text("#connected-clients", "VS Code").await;
    screenshot(display, "10-manage");
    driver.assert_accessible("10-manage").await;
    driver.click("#manage-disconnect-vscode").await;
    driver
        .wait_for_text("#connected-clients", "No client on this computer")
        .await;
    assert!(!home.path().join(".config/Code/User/mcp.json").exists());

    driver.call(reqwest::Method::DELETE, "", None).await;
}

/// The OAuth path in the window: a Directus whose environment allows OAuth with DCR, OAuth
/// turned on for Cursor, a real client signing in, its grant listed on Manage and revoked
/// there — after which its token is refused.
#[tokio::test]
async fn the_oauth_path_ends_with_a_grant_listed_and_revoked() {
    let _one = ONE_APP.lock().await;
    let dir = std::env::temp_dir().join(format!(
        "directus-mcp-setup-e2e-oauth-{}",
        std::process::id()
    ));
    let status = Command::new(repo_root().join("scripts/directus-server.sh"))
        .args(["start", dir.to_str().unwrap(), "--stop-with-pid"])
        .arg(std::process::id().to_string())
        .args([
            "--env",
            "MCP_OAUTH_ENABLED=true",
            "--env",
            "MCP_OAUTH_DCR_ENABLED=true",
        ])
        .status()
        .expect("start Directus");
    assert!(status.success());
    let server_env = dir.join("server.env");
    let values = read_values(&server_env);
    let app = start_app(&server_env, support::display_number(200)).await;
    let (driver, display) = (&app.driver, app.display.as_str());

    driver.wait_for("#use-demo", Duration::from_secs(30)).await;
    driver.click("#use-demo").await;
    driver.click("#connect").await;
    driver.wait_for_text("#result-title", "Connected").await;
    driver.click("#go-enable").await;
    driver.click("#enable").await;
    driver.wait_for_text("#enable-result", "MCP is on").await;

    // OAuth for Cursor only (DCR, which this server's environment allows).
    driver.click("#go-auth").await;
    driver
        .wait_for("#oauth-for-cursor", Duration::from_secs(30))
        .await;
    driver.click("#oauth-for-claude-code").await;
    driver.click("#oauth-for-vscode").await;
    driver.click("#oauth-enable").await;
    driver.wait_for_text("#oauth-result", "Ready").await;
    screenshot(display, "12-oauth-ready");
    driver.assert_accessible("12-oauth-ready").await;

    // Waiting for a sign-in counts down and can be cancelled.
    driver.click("#step-manage").await;
    driver
        .wait_for_text("#grants", "No AI client has registered")
        .await;
    driver.click("#grants-wait").await;
    driver.wait_for_text("#grants-wait-countdown", "left").await;
    driver.click("#grants-wait-cancel").await;
    driver
        .wait_for_text("#grants-wait-status", "Stopped waiting")
        .await;

    // Waiting again, a real client signs in (registration, PKCE, the admin's consent, token
    // exchange) and the wait names it.
    driver.click("#grants-wait").await;
    driver
        .wait_for_text("#grants-wait-status", "Waiting up to 3 minutes")
        .await;
    let directus = oauth_client::Directus {
        url: values["DIRECTUS_URL"].clone(),
        email: values["DIRECTUS_EMAIL"].clone(),
        password: values["DIRECTUS_PASSWORD"].clone(),
    };
    let client = oauth_client::OAuthTestClient::register(&directus, "E2E Test Client").await;
    let token = client.authorize().await;
    assert_eq!(client.mcp_status(&token).await, 200);
    let signed_in = driver
        .wait_for_text("#grants-wait-status", "E2E Test Client signed in")
        .await;
    assert!(signed_in.contains(&values["DIRECTUS_EMAIL"]), "{signed_in}");

    // Manage lists the grant; revoking it (confirmed) removes it and the token is refused.
    let grants = driver.wait_for_text("#grants", "E2E Test Client").await;
    assert!(grants.contains(&values["DIRECTUS_EMAIL"]), "{grants}");
    assert!(grants.contains("DCR"), "{grants}");
    assert!(grants.contains("1 user · mcp:access"), "{grants}");
    screenshot(display, "13-grants");
    driver.assert_accessible("13-grants").await;
    driver.click("#grant-revoke-0").await;
    driver
        .call(reqwest::Method::POST, "/alert/accept", Some(json!({})))
        .await;
    driver
        .wait_for_text("#grants", "No AI client has registered")
        .await;
    assert_eq!(client.mcp_status(&token).await, 401);

    driver.call(reqwest::Method::DELETE, "", None).await;
}
