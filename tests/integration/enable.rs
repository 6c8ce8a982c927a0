//! `enable`: the MCP settings, the prompts collection and the system prompt.

use serde_json::Value;

use crate::support::{self, Api, cli};

#[tokio::test]
async fn enable_turns_mcp_on_with_deletes_off_by_default() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let out = cli(server, &["--json", "enable"]).json();
    assert_eq!(out["settings"]["mcp_enabled"], true);
    assert_eq!(out["settings"]["mcp_allow_deletes"], false);
    let settings = Api::admin(server).await.settings().await;
    assert_eq!(settings["mcp_enabled"], true);
    assert_eq!(settings["mcp_allow_deletes"], false);
}

#[tokio::test]
async fn the_system_prompt_can_be_custom_off_or_default() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let api = Api::admin(server).await;

    cli(server, &["enable", "--system-prompt", "Answer in French."]).ok();
    let settings = api.settings().await;
    assert_eq!(settings["mcp_system_prompt_enabled"], true);
    assert_eq!(settings["mcp_system_prompt"], "Answer in French.");

    cli(server, &["enable", "--no-system-prompt"]).ok();
    assert_eq!(api.settings().await["mcp_system_prompt_enabled"], false);

    cli(server, &["enable", "--default-system-prompt"]).ok();
    let settings = api.settings().await;
    assert_eq!(settings["mcp_system_prompt_enabled"], true);
    assert_eq!(settings["mcp_system_prompt"], Value::Null);
}

#[tokio::test]
async fn generating_the_prompts_collection_twice_reuses_it() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    // No ai_prompts left by another test: the first run creates it.
    remove_prompts_collection(&Api::admin(server).await).await;
    let first = cli(
        server,
        &["--json", "enable", "--generate-prompts-collection"],
    )
    .json();
    assert_eq!(first["settings"]["mcp_prompts_collection"], "ai_prompts");
    assert_eq!(first["generated_prompts_collection"], true, "{first}");
    let second = cli(
        server,
        &["--json", "enable", "--generate-prompts-collection"],
    )
    .json();
    assert_eq!(
        second["generated_prompts_collection"], false,
        "the second run finds it"
    );

    let api = Api::admin(server).await;
    let fields = api.get("/fields/ai_prompts").await;
    let names: Vec<&str> = fields
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for expected in ["id", "name", "description", "system_prompt", "messages"] {
        assert!(
            names.contains(&expected),
            "ai_prompts lacks {expected}: {names:?}"
        );
    }
}

#[tokio::test]
async fn a_prompt_in_the_generated_collection_is_served_over_mcp() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    cli(server, &["enable", "--generate-prompts-collection"]).ok();
    let api = Api::admin(server).await;
    let existing = api
        .get("/items/ai_prompts?filter[name][_eq]=summarise-article&fields=id")
        .await;
    if existing.as_array().unwrap().is_empty() {
        api.send(
            reqwest::Method::POST,
            "/items/ai_prompts",
            serde_json::json!({
                "name": "summarise-article", "description": "Summarise one article",
                "messages": [ { "role": "user", "text": "Summarise {{ article }}" } ]
            }),
        )
        .await;
    }
    cli(server, &["token", "create", "--template", "content-editor"]).ok();
    let report = cli(server, &["--json", "verify"]).json();
    let prompts: Vec<&str> = report["prompts"]
        .as_array()
        .expect("prompts listed")
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(prompts.contains(&"summarise-article"), "{prompts:?}");
}

#[tokio::test]
async fn an_unknown_prompts_collection_is_refused_and_nothing_changes() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let api = Api::admin(server).await;
    let before = api.settings().await;
    let run = cli(
        server,
        &[
            "enable",
            "--allow-deletes",
            "--prompts-collection",
            "no_such_collection",
        ],
    );
    assert!(
        run.failure(1).contains("no_such_collection"),
        "{}",
        run.stderr
    );
    assert_eq!(api.settings().await, before, "settings untouched");
}

#[tokio::test]
async fn a_generated_prompts_collection_is_removed_when_the_settings_cannot_be_saved() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let api = Api::admin(server).await;
    let before = api.settings().await["mcp_prompts_collection"].clone();
    remove_prompts_collection(&api).await;

    // A proxy in front of Directus that fails every settings save with a 500.
    let body = r#"{"errors":[{"message":"An unexpected error occurred.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"#;
    let proxy = support::proxy::start_answering(
        &server.url,
        "PATCH /settings",
        format!(
            "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    let run = tokio::task::spawn_blocking(move || {
        let server = support::shared();
        support::cli_with_env(
            &[
                ("DIRECTUS_URL", &proxy),
                ("DIRECTUS_EMAIL", &server.email),
                ("DIRECTUS_PASSWORD", &server.password),
            ],
            &["--json", "enable", "--generate-prompts-collection"],
        )
    })
    .await
    .unwrap();
    let (status, _) = api
        .request(reqwest::Method::GET, "/collections/ai_prompts", None)
        .await;
    let settings = api.settings().await;
    if before == "ai_prompts" {
        cli(server, &["enable", "--generate-prompts-collection"]).ok();
    }
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert_eq!(
        run.stdout, "",
        "--json prints nothing when the command fails"
    );
    assert!(
        !(200..300).contains(&status),
        "the collection this run made is gone again (GET /collections/ai_prompts: {status}); {}",
        run.stderr
    );
    assert_eq!(settings["mcp_prompts_collection"], Value::Null);
}

/// Removes `ai_prompts` (and the settings' pointer to it), as on a project that never had it.
async fn remove_prompts_collection(api: &Api) {
    api.send(
        reqwest::Method::PATCH,
        "/settings",
        serde_json::json!({ "mcp_prompts_collection": null }),
    )
    .await;
    api.request(reqwest::Method::DELETE, "/collections/ai_prompts", None)
        .await;
    let (status, _) = api
        .request(reqwest::Method::GET, "/collections/ai_prompts", None)
        .await;
    assert!(!(200..300).contains(&status), "ai_prompts removed");
}

#[tokio::test]
async fn a_generated_prompts_collection_stays_when_directus_saved_the_settings_but_the_answer_was_lost()
 {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let api = Api::admin(server).await;
    remove_prompts_collection(&api).await;

    // Directus saves the settings (naming ai_prompts), and the answer never arrives: the
    // step failed as far as the CLI knows, but removing the collection now would leave the
    // setting naming a collection that no longer exists.
    let proxy = support::proxy::start(
        &server.url,
        "PATCH /settings",
        support::proxy::Fault::LoseAnswer,
    )
    .await;
    let url = proxy.url.clone();
    let run = tokio::task::spawn_blocking(move || {
        let server = support::shared();
        support::cli_with_env(
            &[
                ("DIRECTUS_URL", &url),
                ("DIRECTUS_EMAIL", &server.email),
                ("DIRECTUS_PASSWORD", &server.password),
            ],
            &["enable", "--generate-prompts-collection"],
        )
    })
    .await
    .unwrap();
    assert!(proxy.fired(), "the settings save went through the proxy");
    let (status, _) = api
        .request(reqwest::Method::GET, "/collections/ai_prompts", None)
        .await;
    let settings = api.settings().await;
    assert_ne!(run.code, 0, "the lost answer is reported: {}", run.stdout);
    assert_eq!(settings["mcp_prompts_collection"], "ai_prompts", "saved");
    assert_eq!(
        status, 200,
        "the collection the saved setting names stays; {}",
        run.stderr
    );
}
