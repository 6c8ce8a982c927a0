//! End to end, the whole wizard at once: done with the keyboard only (in dark colours), and
//! the README's screenshots of every screen.

mod support;

use std::time::Duration;

use serde_json::json;
use support::{ONE_APP, repo_root, screenshot, screenshot_into, server_env, start_app_themed};

#[tokio::test]
async fn the_wizard_can_be_done_with_the_keyboard_only() {
    let _one = ONE_APP.lock().await;
    let server_env = server_env();
    // In dark colours, so the accessibility scan covers them too.
    let app = start_app_themed(
        &server_env,
        support::display_number(100),
        Some("Adwaita:dark"),
    )
    .await;
    let (driver, display, home) = (&app.driver, app.display.as_str(), &app.home);
    const ENTER: &str = "\u{E007}";

    // Connect: the demo Directus, signed in with Enter on the buttons.
    driver.tab_to_and_press("use-demo", ENTER).await;
    driver.tab_to_and_press("connect", ENTER).await;
    driver.wait_for_text("#result-title", "Connected").await;
    // Enable.
    driver.tab_to_and_press("go-enable", ENTER).await;
    driver.tab_to_and_press("enable", ENTER).await;
    driver.wait_for_text("#enable-result", "MCP is on").await;
    // A token.
    driver.tab_to_and_press("go-auth", ENTER).await;
    driver.tab_to_and_press("create-token", ENTER).await;
    driver
        .wait_for_text("#token-result", "kept in the OS keyring")
        .await;
    // Cursor, with the token: Tab reaches the chosen radio button, an arrow key chooses the
    // other one, as in any radio group.
    driver.tab_to_and_press("go-clients", ENTER).await;
    driver.tab_to_and_press("auth-oauth", "\u{E015}").await;
    assert_eq!(driver.focused().await, "auth-token");
    driver.tab_to_and_press("connect-cursor", ENTER).await;
    driver
        .wait_for_text("#status-cursor", "Connected (token in its settings)")
        .await;
    assert!(home.path().join(".cursor/mcp.json").exists());
    driver.assert_accessible("clients (dark)").await;
    // Verify.
    driver.tab_to_and_press("go-verify", ENTER).await;
    driver.tab_to_and_press("verify", ENTER).await;
    driver.wait_for_text("#tools", "items").await;
    screenshot(display, "14-keyboard-verify-dark");
    driver.assert_accessible("verify (dark)").await;

    driver.call(reqwest::Method::DELETE, "", None).await;
}

/// Not a test: makes the README's screenshots, every screen in light and dark colours, into
/// docs/screenshots/ (`scripts/screenshots.sh` runs it).
#[tokio::test]
#[ignore = "makes docs/screenshots; run by scripts/screenshots.sh"]
async fn docs_screenshots_light_and_dark() {
    let _one = ONE_APP.lock().await;
    let server_env = server_env();
    let dir = repo_root().join("docs/screenshots");
    for (n, (scheme, theme)) in [("light", "Adwaita"), ("dark", "Adwaita:dark")]
        .into_iter()
        .enumerate()
    {
        let app = start_app_themed(
            &server_env,
            support::display_number(300 + n as u32),
            Some(theme),
        )
        .await;
        let (driver, display) = (&app.driver, app.display.as_str());
        let shot = |name: &str| screenshot_into(&dir, display, &format!("{scheme}-{name}"));
        driver.wait_for("#use-demo", Duration::from_secs(30)).await;
        driver.click("#use-demo").await;
        driver.park_pointer().await;
        shot("1-connect");
        driver.click("#connect").await;
        driver.wait_for_text("#result-title", "Connected").await;
        driver.click("#go-enable").await;
        driver.wait_for("#enable", Duration::from_secs(30)).await;
        driver.park_pointer().await;
        shot("2-enable");
        driver.click("#enable").await;
        driver.wait_for_text("#enable-result", "MCP is on").await;
        driver.click("#go-auth").await;
        driver.click("#create-token").await;
        driver
            .wait_for_text("#token-result", "kept in the OS keyring")
            .await;
        driver.park_pointer().await;
        shot("3-authentication");
        driver.click("#go-clients").await;
        driver
            .wait_for("#client-cursor", Duration::from_secs(30))
            .await;
        driver.click("#auth-token").await;
        driver.click("#connect-cursor").await;
        driver
            .wait_for_text("#status-cursor", "Connected (token in its settings)")
            .await;
        driver.click("#check-cursor").await;
        driver.wait_for_text("#status-cursor", "Works").await;
        driver
            .call(
                reqwest::Method::POST,
                "/execute/sync",
                Some(json!({ "script": "window.scrollTo(0, 0); return null;", "args": [] })),
            )
            .await;
        driver.park_pointer().await;
        shot("4-clients");
        driver.click("#go-verify").await;
        driver.click("#verify").await;
        driver.wait_for_text("#tools", "items").await;
        driver.park_pointer().await;
        shot("5-verify");
        driver.click("#step-manage").await;
        driver
            .wait_for("#grants-wait", Duration::from_secs(30))
            .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        driver.park_pointer().await;
        shot("6-manage");
        driver.call(reqwest::Method::DELETE, "", None).await;
    }
}
