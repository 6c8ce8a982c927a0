//! End to end, several Directus projects (issue 25): two real Directus servers, the side
//! bar's switcher listing both, a new project named after sign-in, a file client holding
//! both projects' entries (each named after its project), disconnecting one leaving the
//! other's, export and import with a preview, and switching (signed in again only with a
//! session kept by "Remember me").

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};
use support::{
    ONE_APP, read_values, repo_root, screenshot, screenshot_into, server_env, start_app_themed,
};

/// The second Directus: `DIRECTUS_TEST_SERVER_ENV_2`, or one started for this run (stopped
/// with it).
fn second_server_env() -> PathBuf {
    if let Some(path) = std::env::var_os("DIRECTUS_TEST_SERVER_ENV_2") {
        return PathBuf::from(path);
    }
    let dir = std::env::temp_dir().join(format!(
        "directus-mcp-setup-e2e-second-{}",
        std::process::id()
    ));
    let status = Command::new(repo_root().join("scripts/directus-server.sh"))
        .args([
            "start",
            dir.to_str().unwrap(),
            "--stop-with-pid",
            &std::process::id().to_string(),
        ])
        .status()
        .expect("start a second Directus");
    assert!(status.success());
    dir.join("server.env")
}

/// The value of the input `css`.
async fn value_of(driver: &support::Driver, css: &str) -> String {
    let id = driver.wait_for(css, Duration::from_secs(30)).await;
    driver
        .call(
            reqwest::Method::GET,
            &format!("/element/{id}/property/value"),
            None,
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Whether the checkbox `#id` is ticked (read by the page: a hidden box has no "property").
async fn is_checked(driver: &support::Driver, id: &str) -> bool {
    driver
        .wait_for(&format!("#{id}"), Duration::from_secs(30))
        .await;
    let answer = driver
        .call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": "return document.getElementById(arguments[0]).checked;", "args": [id] })),
        )
        .await;
    answer
        .as_bool()
        .unwrap_or_else(|| panic!("#{id} is not a checkbox: {answer}"))
}

/// The `url` of the entry `name` in Cursor's settings, if it has one.
fn cursor_entry(home: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(home.join(".cursor/mcp.json")).ok()?;
    let settings: Value = serde_json::from_str(&text).unwrap();
    settings["mcpServers"][name]["url"]
        .as_str()
        .map(str::to_owned)
}

/// Waits up to 30 s until no element matches `css`.
async fn wait_until_gone(driver: &support::Driver, css: &str) {
    let start = std::time::Instant::now();
    loop {
        let found = driver
            .call(
                reqwest::Method::POST,
                "/elements",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await;
        if found.as_array().is_some_and(Vec::is_empty) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{css} is still there: {found}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Scrolls the main area to the top, so a screenshot shows the screen's start.
async fn scroll_to_top(driver: &support::Driver) {
    driver
        .call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": "window.scrollTo(0, 0); return null;", "args": [] })),
        )
        .await;
}

/// The two-project walk; screenshots of the switcher go to `shots` as `{scheme}-7-projects`.
async fn two_projects(theme: Option<&str>, shots: Option<(&Path, &str)>, display_offset: u32) {
    let first_env = server_env();
    let second_env = second_server_env();
    let first = read_values(&first_env);
    let second = read_values(&second_env);
    // The second server by name, so its suggested name is `directus-localhost`.
    let second_url = second["DIRECTUS_URL"].replace("127.0.0.1", "localhost");
    let app = start_app_themed(&first_env, support::display_number(display_offset), theme).await;
    let (driver, display, home) = (&app.driver, app.display.as_str(), app.home.path());

    // The first sign-in makes the first project, `directus`; the switcher lists it.
    driver.wait_for("#use-demo", Duration::from_secs(30)).await;
    driver.wait_for_text("#projects", "None yet").await;
    driver.click("#use-demo").await;
    driver.click("#connect").await;
    driver.wait_for_text("#result-title", "Connected").await;
    driver.wait_for_text("#acting-on", "directus:").await;
    driver.wait_for_text("#project-directus", "127.0.0.1").await;

    // Cursor gets the first project's entry, named `directus`.
    driver.click("#step-clients").await;
    driver.click("#connect-cursor").await;
    driver.wait_for_text("#status-cursor", "Connected").await;
    assert_eq!(
        cursor_entry(home, "directus").as_deref(),
        Some(format!("{}/mcp", first["DIRECTUS_URL"]).as_str())
    );

    // A new project: another Directus, signed in to with "Remember me"; its name is offered
    // (`directus-localhost`), checked as typed, and saved when the user confirms it.
    driver.click("#new-project").await;
    driver.wait_for_text("#opened-link", "A new project").await;
    assert_eq!(value_of(driver, "#url").await, "");
    driver.type_into("#url", &second_url).await;
    driver.type_into("#email", &second["DIRECTUS_EMAIL"]).await;
    driver
        .type_into("#password", &second["DIRECTUS_PASSWORD"])
        .await;
    driver.click("#remember").await;
    driver.click("#connect").await;
    driver
        .wait_for_text("#project-naming-title", "Name this project")
        .await;
    assert_eq!(
        value_of(driver, "#project-name").await,
        "directus-localhost"
    );
    // Until it is named, no later step acts on it and the side bar names no project.
    wait_until_gone(driver, "#step-clients").await;
    let acting = driver.wait_for_text("#acting-on", "localhost").await;
    assert!(!acting.contains("directus:"), "{acting}");
    wait_until_gone(driver, "#projects [aria-current='true']").await;
    driver
        .wait_for_text(
            "#project-name-hint",
            "beside your other projects' entries (directus)",
        )
        .await;
    driver.type_into("#project-name", "directus").await;
    driver.click("#save-project-name").await;
    driver
        .wait_for_text("#error-project_name", "choose another name")
        .await;
    driver.type_into("#project-name", "my project").await;
    driver.click("#save-project-name").await;
    driver
        .wait_for_text("#error-project_name", "letters, digits")
        .await;
    driver.assert_accessible("project naming").await;
    if shots.is_none() {
        screenshot(display, "21-project-naming");
    }
    driver
        .type_into("#project-name", "directus-localhost")
        .await;
    driver.click("#save-project-name").await;
    driver
        .wait_for_text("#project-named", "directus-localhost")
        .await;
    driver
        .wait_for_text("#acting-on", "directus-localhost:")
        .await;
    driver
        .wait_for(
            "#project-directus-localhost[aria-current='true']",
            Duration::from_secs(30),
        )
        .await;
    let switcher = driver
        .wait_for_text("#projects", "directus-localhost")
        .await;
    assert!(switcher.contains("127.0.0.1"), "{switcher}");

    // Cursor gets the second project's entry beside the first's; its card shows both.
    driver.click("#step-clients").await;
    driver.click("#connect-cursor").await;
    driver
        .wait_for(
            "#projects-cursor li[data-project='directus-localhost'][data-state='present']",
            Duration::from_secs(30),
        )
        .await;
    driver
        .wait_for(
            "#projects-cursor li[data-project='directus'][data-state='present']",
            Duration::from_secs(30),
        )
        .await;
    assert_eq!(
        cursor_entry(home, "directus-localhost").as_deref(),
        Some(format!("{second_url}/mcp").as_str())
    );
    assert_eq!(
        cursor_entry(home, "directus").as_deref(),
        Some(format!("{}/mcp", first["DIRECTUS_URL"]).as_str())
    );
    driver.assert_accessible("clients with two projects").await;
    // The card's doctor reads the chosen project's entry: Cursor's `directus-localhost`.
    driver.click("#doctor-cursor").await;
    let doctor = driver.wait_for_text("#output-cursor", "Cursor gets").await;
    assert!(doctor.contains(&format!("{second_url}/mcp")), "{doctor}");
    // One Check proves both projects' entries, each at its own URL: OAuth entries, so each
    // Directus asks the client to sign in in its own window.
    driver.click("#check-cursor").await;
    driver
        .wait_for("#check-result-cursor", Duration::from_secs(60))
        .await;
    for (project, url) in [
        ("directus", first["DIRECTUS_URL"].as_str()),
        ("directus-localhost", second_url.as_str()),
    ] {
        let proof = format!("#projects-cursor li[data-project='{project}'] .proof");
        driver.wait_for_text(&proof, "signs in in the client").await;
        let id = driver.wait_for(&proof, Duration::from_secs(30)).await;
        let title = driver
            .call(
                reqwest::Method::GET,
                &format!("/element/{id}/attribute/title"),
                None,
            )
            .await;
        let title = title.as_str().unwrap_or_default();
        assert!(title.contains(&format!("{url}/mcp")), "{project}: {title}");
    }
    // Drawn afresh (the card closed again) for the screenshot.
    driver.click("#step-connect").await;
    driver.click("#step-clients").await;
    driver
        .wait_for(
            "#projects-cursor li[data-project='directus'][data-state='present']",
            Duration::from_secs(30),
        )
        .await;
    scroll_to_top(driver).await;
    driver.park_pointer().await;
    match shots {
        Some((dir, scheme)) => screenshot_into(dir, display, &format!("{scheme}-7-projects")),
        None => screenshot(display, "20-projects"),
    }
    let projects =
        std::fs::read_to_string(home.join(".config/directus-mcp-setup/projects.json")).unwrap();
    let list: Value = serde_json::from_str(&projects).unwrap();
    assert_eq!(list["chosen"], "directus-localhost");
    assert_eq!(
        list["projects"][0]["clients"],
        json!(["cursor"]),
        "{projects}"
    );
    assert_eq!(
        list["projects"][1]["clients"],
        json!(["cursor"]),
        "{projects}"
    );
    assert!(
        !projects.contains(&second["DIRECTUS_PASSWORD"]),
        "{projects}"
    );

    // The command line chooses the first project meanwhile (`projects choose directus`):
    // the window still shows, and acts on, the second — its cards are drawn for it.
    let mut chosen_elsewhere = list.clone();
    chosen_elsewhere["chosen"] = json!("directus");
    std::fs::write(
        home.join(".config/directus-mcp-setup/projects.json"),
        serde_json::to_string_pretty(&chosen_elsewhere).unwrap(),
    )
    .unwrap();
    driver.click("#step-connect").await;
    driver.click("#step-clients").await;
    driver
        .wait_for(
            "#projects-cursor li[data-project='directus-localhost'][data-state='present']",
            Duration::from_secs(30),
        )
        .await;
    driver
        .wait_for_text("#acting-on", "directus-localhost:")
        .await;
    std::fs::write(
        home.join(".config/directus-mcp-setup/projects.json"),
        &projects,
    )
    .unwrap();

    // Export the second project's setup: a file with no secret in it.
    let shared = tempfile::tempdir().unwrap();
    driver.click("#share-projects").await;
    driver
        .wait_for("#export-project", Duration::from_secs(10))
        .await;
    driver
        .type_into("#export-folder", shared.path().to_str().unwrap())
        .await;
    driver.click("#export-project-button").await;
    driver.wait_for_text("#export-result", "Saved").await;
    driver.assert_accessible("share dialog").await;
    let exported = shared.path().join("directus-localhost.directus-setup.json");
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(
        text.contains(&second_url) && text.contains("cursor"),
        "{text}"
    );
    assert!(!text.contains(&second["DIRECTUS_EMAIL"]), "{text}");
    driver.click("#share-close").await;

    // Disconnecting Cursor from the second project leaves the first project's entry.
    driver.click("#disconnect-cursor").await;
    driver
        .wait_for(
            "#projects-cursor li[data-project='directus'][data-state='present']",
            Duration::from_secs(30),
        )
        .await;
    wait_until_gone(
        driver,
        "#projects-cursor li[data-project='directus-localhost']",
    )
    .await;
    assert_eq!(cursor_entry(home, "directus-localhost"), None);
    assert_eq!(
        cursor_entry(home, "directus").as_deref(),
        Some(format!("{}/mcp", first["DIRECTUS_URL"]).as_str())
    );

    // Import it back: the preview shows Cursor's diff; nothing changes until Apply.
    driver.click("#share-projects").await;
    driver
        .type_into("#import-file", exported.to_str().unwrap())
        .await;
    driver.click("#import-preview-button").await;
    driver
        .wait_for_text("#import-client-cursor", "Will connect")
        .await;
    driver
        .wait_for_text("#import-diff-cursor", "directus-localhost")
        .await;
    assert_eq!(cursor_entry(home, "directus-localhost"), None);
    driver.assert_accessible("import preview").await;
    if shots.is_none() {
        screenshot(display, "22-import-preview");
    }
    driver.click("#import-apply").await;
    driver
        .wait_for_text("#import-client-cursor", "Connected")
        .await;
    assert_eq!(
        cursor_entry(home, "directus-localhost").as_deref(),
        Some(format!("{second_url}/mcp").as_str())
    );
    driver.click("#share-close").await;

    // Switching to the first project: its session was not kept, so the app asks to sign in
    // (URL and email filled in); the second's was, so switching back signs in.
    driver.click("#project-directus").await;
    driver
        .wait_for_text("#error-credentials", "no saved session")
        .await;
    assert_eq!(value_of(driver, "#url").await, first["DIRECTUS_URL"]);
    assert_eq!(value_of(driver, "#email").await, first["DIRECTUS_EMAIL"]);
    // "Remember me" is the user's to tick: the app ticked it only for its own attempt.
    assert!(
        !is_checked(driver, "remember").await,
        "Remember me stays ticked after no saved session"
    );
    driver.click("#project-directus-localhost").await;
    driver.wait_for_text("#result-title", "Connected").await;
    driver
        .wait_for_text("#acting-on", "directus-localhost:")
        .await;

    // A project whose clients are still connected is not removed (their entries would be
    // left with nobody to check or disconnect them); the one acted on offers no Remove.
    wait_until_gone(driver, "#remove-project-directus-localhost").await;
    driver.click("#remove-project-directus").await;
    let question = driver.wait_for_alert().await;
    assert!(
        question.contains("Remove the project \"directus\""),
        "{question}"
    );
    driver
        .call(reqwest::Method::POST, "/alert/accept", Some(json!({})))
        .await;
    driver
        .wait_for_text("#projects-error", "still has clients connected (cursor)")
        .await;
    driver
        .wait_for("#project-directus", Duration::from_secs(5))
        .await;

    // The log names the project of each client change, and holds no password.
    support::assert_log(
        home,
        &[
            "connect cursor (oauth) ok: wrote ",
            "(project directus)",
            "(project directus-localhost)",
            "name the project for http://localhost:",
            "export the project directus-localhost ok",
            "import the setup file",
            "switch to the project directus ok",
            "remove the project directus failed: ",
        ],
        &[&first["DIRECTUS_PASSWORD"], &second["DIRECTUS_PASSWORD"]],
    );

    driver.call(reqwest::Method::DELETE, "", None).await;
}

#[tokio::test]
async fn two_projects_each_keep_their_own_client_entries() {
    let _one = ONE_APP.lock().await;
    two_projects(None, None, 40).await;
}

/// Not a test: the README's screenshots of the project switcher, light and dark, into
/// docs/screenshots/ (`scripts/screenshots.sh` runs it).
#[tokio::test]
#[ignore = "makes docs/screenshots; run by scripts/screenshots.sh"]
async fn docs_screenshots_of_the_project_switcher() {
    let _one = ONE_APP.lock().await;
    let dir = repo_root().join("docs/screenshots");
    for (n, (scheme, theme)) in [("light", "Adwaita"), ("dark", "Adwaita:dark")]
        .into_iter()
        .enumerate()
    {
        two_projects(Some(theme), Some((&dir, scheme)), 340 + n as u32).await;
    }
}
