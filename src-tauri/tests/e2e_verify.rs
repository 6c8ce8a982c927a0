//! End to end, the Verify screen: a real MCP handshake with the token from the keyring,
//! and the connection doctor.

mod support;

use std::time::Duration;

use support::{
    ONE_APP, assert_log, read_values, screenshot, server_env, sign_in_enable_and_create_token,
    start_app,
};

#[tokio::test]
async fn verify_shakes_hands_with_mcp_and_the_doctor_names_what_cannot_reach_it() {
    let _one = ONE_APP.lock().await;
    let server_env = server_env();
    let values = read_values(&server_env);
    let app = start_app(&server_env, support::display_number(0)).await;
    let (driver, display, home) = (&app.driver, app.display.as_str(), &app.home);
    sign_in_enable_and_create_token(driver).await;
    driver.click("#go-clients").await;
    driver
        .wait_for("#client-cursor", Duration::from_secs(30))
        .await;

    // Verify: a real handshake with the token from the keyring.
    driver.click("#go-verify").await;
    driver.click("#verify").await;
    let tools = driver.wait_for_text("#tools", "items").await;
    assert!(tools.contains("schema"), "{tools}");
    // The doctor: ChatGPT (a web app, so always "found") cannot reach a Directus on this
    // computer, and /mcp asks for credentials as clients expect.
    driver.click("#run-doctor").await;
    let doctor = driver
        .wait_for_text("#doctor-output", "mcp-endpoint:")
        .await;
    assert!(
        doctor.contains("Problem") && doctor.contains("OpenAI's servers"),
        "{doctor}"
    );
    assert!(doctor.contains("401"), "{doctor}");
    screenshot(display, "09-verify");
    driver.assert_accessible("09-verify").await;
    assert_log(
        home.path(),
        &["verify MCP ok"],
        &[&values["DIRECTUS_PASSWORD"]],
    );

    driver.call(reqwest::Method::DELETE, "", None).await;
}
