//! End to end, the Enable and Authentication screens: MCP turned on with deletes off, OAuth
//! readiness explaining what the server lacks, and a static token kept in the keyring.

mod support;

use std::time::Duration;

use support::{ONE_APP, assert_log, read_values, screenshot, server_env, start_app};

#[tokio::test]
async fn enable_turns_mcp_on_and_authentication_keeps_a_token_in_the_keyring() {
    let _one = ONE_APP.lock().await;
    let server_env = server_env();
    let values = read_values(&server_env);
    let app = start_app(&server_env, support::display_number(0)).await;
    let (driver, display, home) = (&app.driver, app.display.as_str(), &app.home);

    driver.wait_for("#use-demo", Duration::from_secs(30)).await;
    driver.click("#use-demo").await;
    driver.click("#connect").await;
    driver.wait_for_text("#result-title", "Connected").await;

    // Enable: MCP on, deletes stay off.
    driver.click("#go-enable").await;
    driver.wait_for("#enable", Duration::from_secs(30)).await;
    driver.click("#enable").await;
    driver.wait_for_text("#enable-result", "MCP is on").await;
    let saved = driver
        .wait_for_text("#enable-result", "Allow deletes")
        .await;
    assert!(saved.contains("no"), "{saved}");
    screenshot(display, "04-enable");
    driver.assert_accessible("04-enable").await;

    // Authentication: OAuth readiness explains what the server lacks; a static token is
    // created and kept in the keyring, never shown.
    driver.click("#go-auth").await;
    driver.click("#oauth-check").await;
    let oauth = driver
        .wait_for_text("#oauth-output", "MCP_OAUTH_ENABLED=true")
        .await;
    assert!(oauth.contains("restart"), "{oauth}");
    driver.click("#create-token").await;
    // The whole output, so a failure shows what the page said instead.
    let token = driver
        .wait_for_text("#token-output", "kept in the OS keyring")
        .await;
    assert!(token.contains("MCP Content Editor"), "{token}");
    screenshot(display, "05-auth");
    driver.assert_accessible("05-auth").await;

    assert_log(
        home.path(),
        &["turn on MCP ok", "create the MCP user's token ok"],
        &[&values["DIRECTUS_PASSWORD"]],
    );

    driver.call(reqwest::Method::DELETE, "", None).await;
}
