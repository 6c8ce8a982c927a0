//! End to end, the Clients screen: connecting clients with OAuth (files written, a client's
//! own command run), a client set up in its own window (its links opened by the desktop),
//! and with the token (owner-only files, Check, the clipboard, rotation, the bridge,
//! Connect all, a team's project folder).

mod support;

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};
use support::{
    ONE_APP, assert_log, bearer_in, read_values, recorded_links, screenshot, server_env,
    sign_in_enable_and_create_token, start_app,
};

#[tokio::test]
async fn clients_connect_with_oauth_and_their_links_open_on_the_desktop() {
    let _one = ONE_APP.lock().await;
    let server_env = server_env();
    let values = read_values(&server_env);
    let app = start_app(&server_env, support::display_number(0)).await;
    let (driver, display, home) = (&app.driver, app.display.as_str(), &app.home);
    // The desktop's handler for https and Cherry Studio's scheme: a recorder in this HOME.
    let opened = support::register_link_recorder(home.path(), &["https", "cherrystudio"]);
    sign_in_enable_and_create_token(driver).await;

    // Clients: Cursor and VS Code into this test's HOME, with OAuth (URL-only entries).
    driver.click("#go-clients").await;
    driver
        .wait_for("#client-cursor", Duration::from_secs(30))
        .await;
    driver.wait_for_text("#status-cursor", "Not found").await;
    screenshot(display, "06-clients");
    driver.assert_accessible("06-clients").await;
    // The card's doctor, for this client only: Cursor runs here and reaches this address.
    driver.click("#doctor-cursor").await;
    let doctor = driver
        .wait_for_text("#output-cursor", "mcp-endpoint:")
        .await;
    assert!(
        doctor.contains("Can Cursor reach and sign in")
            && doctor.contains("address: Cursor runs on this computer"),
        "{doctor}"
    );
    assert!(!doctor.contains("OpenAI"), "only Cursor's checks: {doctor}");
    driver.click("#preview-cursor").await;
    let diff = driver.wait_for_text("#diff-cursor", "mcpServers").await;
    let mcp_url = format!("{}/mcp", values["DIRECTUS_URL"]);
    assert!(diff.contains(&mcp_url), "{diff}");
    assert!(
        !home.path().join(".cursor/mcp.json").exists(),
        "a preview writes nothing"
    );
    screenshot(display, "07-cursor-change");
    driver.click("#connect-cursor").await;
    driver
        .wait_for_text("#status-cursor", "Connected (OAuth)")
        .await;
    driver.click("#connect-vscode").await;
    driver
        .wait_for_text("#status-vscode", "Connected (OAuth)")
        .await;
    let cursor: Value = serde_json::from_str(
        &std::fs::read_to_string(home.path().join(".cursor/mcp.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(cursor["mcpServers"]["directus"]["url"], mcp_url.as_str());
    let vscode: Value = serde_json::from_str(
        &std::fs::read_to_string(home.path().join(".config/Code/User/mcp.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(vscode["servers"]["directus"]["type"], "http");
    assert_eq!(vscode["servers"]["directus"]["url"], mcp_url.as_str());

    // Claude Code with OAuth: the app runs the real `claude mcp add` (through the shell
    // plugin's Rust API), which writes its own settings file.
    driver.click("#connect-claude-code").await;
    driver
        .wait_for_text("#status-claude-code", "Connected (OAuth)")
        .await;
    let claude: Value =
        serde_json::from_str(&std::fs::read_to_string(home.path().join(".claude.json")).unwrap())
            .unwrap();
    assert_eq!(claude["mcpServers"]["directus"]["url"], mcp_url.as_str());
    screenshot(display, "08-clients-connected");
    driver.click("#disconnect-claude-code").await;
    driver
        .wait_for_text("#status-claude-code", "not connected")
        .await;

    // A client set up in its own window: the steps, values to copy, its settings page.
    driver.click("#preview-chatgpt").await;
    let steps = driver
        .wait_for_text("#output-chatgpt", "Open ChatGPT connector settings")
        .await;
    assert!(
        steps.contains(&mcp_url) && steps.contains("Copy"),
        "{steps}"
    );
    // Its Open button: the app reads the link from the core and the desktop opens it with
    // its handler for https (the recorder registered in this HOME).
    driver
        .click("#open-chatgpt-chatgpt-connector-settings")
        .await;
    assert_eq!(
        recorded_links(&opened, 1).await,
        ["https://chatgpt.com/#settings/Connectors"]
    );
    // A client's own scheme too: Cherry Studio's install link, with OAuth (no token in it).
    driver.click("#preview-cherry-studio").await;
    driver
        .wait_for_text("#output-cherry-studio", "Open Cherry Studio install link")
        .await;
    driver
        .click("#open-cherry-studio-cherry-studio-install-link")
        .await;
    let links = recorded_links(&opened, 2).await;
    assert!(
        links[1].starts_with("cherrystudio://mcp/install?servers="),
        "{links:?}"
    );
    // A scheme the desktop has no handler for (no Cursor here): the button says so.
    driver.click("#preview-cursor").await;
    driver
        .wait_for_text("#output-cursor", "Open Cursor install link")
        .await;
    driver.click("#open-cursor-cursor-install-link").await;
    let failed = driver
        .wait_for_text("#output-cursor", "could not be opened")
        .await;
    assert!(
        failed.contains("the Cursor install link could not be opened: "),
        "{failed}"
    );
    assert_eq!(
        recorded_links(&opened, 2).await.len(),
        2,
        "nothing else opened"
    );

    assert_log(
        home.path(),
        &[
            "connect cursor (oauth) ok: wrote ",
            "connect claude-code (oauth) ok: ran claude mcp add ",
            "disconnect claude-code ok: wrote ",
        ],
        &[&values["DIRECTUS_PASSWORD"]],
    );

    driver.call(reqwest::Method::DELETE, "", None).await;
}

#[tokio::test]
async fn clients_with_the_token_keep_it_off_the_page_and_out_of_the_log() {
    let _one = ONE_APP.lock().await;
    let server_env = server_env();
    let values = read_values(&server_env);
    let app = start_app(&server_env, support::display_number(100)).await;
    let (driver, display, home) = (&app.driver, app.display.as_str(), &app.home);
    sign_in_enable_and_create_token(driver).await;
    driver.click("#go-clients").await;
    driver
        .wait_for("#client-cursor", Duration::from_secs(30))
        .await;
    let mcp_url = format!("{}/mcp", values["DIRECTUS_URL"]);

    // With the token: Cursor's file now holds it, so it is made owner-only; the window
    // shows that, never the token.
    driver.click("#auth-token").await;
    driver.click("#connect-cursor").await;
    driver
        .wait_for_text("#status-cursor", "Connected (token in its settings)")
        .await;
    let shown = driver
        .wait_for_text("#output-cursor", "readable by you only")
        .await;
    let file = home.path().join(".cursor/mcp.json");
    let written = bearer_in(&file);
    assert!(written.len() > 20, "{written:?}");
    assert!(!shown.contains(&written), "the token is not shown");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // Check proves it: the entry read back and an MCP handshake with exactly its values;
    // only then does the badge say "Works".
    driver.click("#check-cursor").await;
    driver.wait_for_text("#status-cursor", "Works").await;
    let checked = driver
        .wait_for_text("#output-cursor", "MCP handshake with")
        .await;
    assert!(
        checked.contains("the token in its settings") && checked.contains("items"),
        "{checked}"
    );
    assert!(!checked.contains(&written), "the token is not shown");
    screenshot(display, "08b-cursor-works");
    driver.assert_accessible("08b-cursor-works").await;

    // ChatGPT with the token: the URL holding it is masked on the page; its copy button
    // fetches the value from the core when pressed (and only then).
    driver.click("#preview-chatgpt").await;
    driver
        .wait_for_text("#output-chatgpt", "carries the token itself")
        .await;
    driver.click("#copy-chatgpt-3").await;
    driver
        .wait_for_text("#output-chatgpt", "It holds the token: paste it only")
        .await;
    let page = driver
        .call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": "return document.documentElement.outerHTML;", "args": [] })),
        )
        .await;
    assert!(
        !page.to_string().contains(&written),
        "the token is nowhere in the page"
    );
    // What the button put on the clipboard (read on the app's X display): the URL with the
    // token, which the page never had.
    let on_display = display.to_owned();
    let copied = tokio::task::spawn_blocking(move || {
        // SAFETY: this test process sets DISPLAY before its clipboard reader connects; no
        // other thread reads it at the same time.
        unsafe { std::env::set_var("DISPLAY", on_display) };
        arboard::Clipboard::new().and_then(|mut clipboard| clipboard.get_text())
    })
    .await
    .unwrap()
    .expect("the clipboard holds text");
    assert!(
        copied.contains(&format!("access_token={written}")),
        "{copied}"
    );

    // Rotating asks first, naming Cursor (its file holds the token), and gives it the new
    // token in the same step.
    driver.click("#step-auth").await;
    driver.click("#rotate-token").await;
    let question = driver.wait_for_alert().await;
    assert!(question.contains("Cursor"), "{question}");
    driver
        .call(reqwest::Method::POST, "/alert/accept", Some(json!({})))
        .await;
    driver
        .wait_for_text("#rotation-updates", "Cursor: updated with the new token")
        .await;
    let rotated = bearer_in(&file);
    assert!(rotated.len() > 20 && rotated != written, "{rotated:?}");
    driver.click("#step-clients").await;
    driver
        .wait_for_text("#status-cursor", "Connected (token in its settings)")
        .await;
    driver.click("#auth-token").await;

    // Claude Desktop with the token: its entry runs the command-line tool beside the app as
    // the bridge, which reads the token from the keyring; the file holds nothing secret.
    driver.click("#connect-claude-desktop").await;
    driver
        .wait_for_text(
            "#status-claude-desktop",
            "token from the keyring, via the bridge",
        )
        .await;
    let desktop_file = home
        .path()
        .join(".config/Claude/claude_desktop_config.json");
    let desktop = std::fs::read_to_string(&desktop_file).unwrap();
    assert!(
        !desktop.contains(&written),
        "no token in Claude Desktop's file"
    );
    let entry: Value = serde_json::from_str(&desktop).unwrap();
    let program = entry["mcpServers"]["directus"]["command"].as_str().unwrap();
    assert!(
        program.ends_with("/directus-mcp-setup") && Path::new(program).is_file(),
        "{desktop}"
    );
    assert_eq!(entry["mcpServers"]["directus"]["args"][0], "bridge");
    driver.click("#disconnect-claude-desktop").await;
    driver
        .wait_for_text("#status-claude-desktop", "not connected")
        .await;
    assert!(!desktop_file.exists());

    // Disconnect takes the file we created away again.
    driver.click("#disconnect-cursor").await;
    driver
        .wait_for_text("#status-cursor", "not connected")
        .await;
    assert!(!file.exists());

    // Connect all found clients: one result line each, none failed.
    driver.click("#connect-all").await;
    let all = driver.wait_for_text("#connect-all-results", "Cursor").await;
    assert!(!all.contains("Failed"), "{all}");
    assert!(file.exists(), "Cursor (found here) was connected again");
    screenshot(display, "08c-connect-all");

    // A team's setup: every client's project file, OAuth only; then the folder back.
    let repo = home.path().join("repo");
    std::fs::create_dir_all(repo.join(".vscode")).unwrap();
    std::fs::write(repo.join(".vscode/settings.json"), "{}\n").unwrap();
    driver
        .type_into("#team-folder", repo.to_str().unwrap())
        .await;
    driver.click("#team-write").await;
    let team = driver.wait_for_text("#team-results", "Trae").await;
    assert!(!team.contains("Failed"), "{team}");
    let cursor_file = std::fs::read_to_string(repo.join(".cursor/mcp.json")).unwrap();
    assert!(
        cursor_file.contains(&mcp_url) && !cursor_file.contains("Authorization"),
        "{cursor_file}"
    );
    screenshot(display, "08d-team");
    driver
        .assert_accessible("clients with the team setup")
        .await;
    driver.click("#team-undo").await;
    driver.wait_for_text("#team-results", "Removed").await;
    let left: Vec<_> = std::fs::read_dir(&repo)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from(".vscode")], "{left:?}");

    // Take them out again (the Manage screen's test connects and disconnects its own).
    let script =
        "return [...document.querySelectorAll('[id^=disconnect-]')].map((b) => b.id.slice(11));";
    let connected = driver
        .call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
        .await;
    for id in connected.as_array().unwrap() {
        let id = id.as_str().unwrap();
        driver.click(&format!("#disconnect-{id}")).await;
        driver
            .wait_for_text(&format!("#status-{id}"), "not connected")
            .await;
    }

    assert_log(
        home.path(),
        &[
            "connect cursor (token) ok: wrote ",
            "disconnect cursor ok: deleted ",
            "connect claude-desktop (token) ok: wrote ",
        ],
        &[&written, &rotated, &values["DIRECTUS_PASSWORD"]],
    );

    driver.call(reqwest::Method::DELETE, "", None).await;
}
