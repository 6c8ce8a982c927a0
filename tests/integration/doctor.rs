//! `doctor`: what keeps a client from reaching or signing in to Directus, found before the
//! user tries — against the real Directus, directly and behind a proxy that redirects `/mcp`.

use serde_json::Value;

use crate::support::{self, cli, cli_with_env, exclusive, shared};

fn checks<'a>(report: &'a Value, topic: &str) -> Vec<&'a Value> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|check| check["topic"] == topic)
        .collect()
}

#[tokio::test]
async fn the_doctor_names_what_each_client_needs() {
    let server = shared();
    let _guard = exclusive().await;
    cli(server, &["enable"]).ok();
    let report = cli(server, &["--json", "doctor", "--for", "cursor,chatgpt"]).json();

    // Cursor runs here and reaches a loopback address; ChatGPT connects from OpenAI's servers.
    let address = checks(&report, "address");
    let cursor = address
        .iter()
        .find(|c| c["clients"][0] == "cursor")
        .unwrap();
    assert_eq!(cursor["verdict"], "ok", "{report}");
    let chatgpt = address
        .iter()
        .find(|c| c["clients"][0] == "chatgpt")
        .unwrap();
    assert_eq!(chatgpt["verdict"], "problem", "{report}");
    let detail = chatgpt["detail"].as_str().unwrap();
    assert!(
        detail.contains("on this computer only") && detail.contains("not https"),
        "{detail}"
    );
    assert!(
        chatgpt["fix"]
            .as_str()
            .unwrap()
            .contains("public https address")
    );

    // MCP is on: /mcp asks for credentials, as clients expect.
    let endpoint = checks(&report, "mcp-endpoint");
    assert_eq!(endpoint[0]["verdict"], "ok", "{report}");
    assert!(endpoint[0]["detail"].as_str().unwrap().contains("401"));

    // OAuth is not allowed by this server's environment: the exact lines to add.
    let oauth = checks(&report, "oauth");
    assert!(
        oauth.iter().any(|check| check["fix"]
            .as_str()
            .unwrap_or_default()
            .contains("MCP_OAUTH_ENABLED=true")),
        "{report}"
    );
}

#[tokio::test]
async fn a_redirect_on_mcp_is_a_problem_with_its_target_named() {
    let server = shared();
    let target = "https://elsewhere.example/mcp";
    let proxy =
        support::proxy::start_redirecting(&server.url, "POST /mcp", target.to_owned()).await;
    let run = tokio::task::spawn_blocking(move || {
        let server = shared();
        cli_with_env(
            &[
                ("DIRECTUS_URL", &proxy),
                ("DIRECTUS_EMAIL", &server.email),
                ("DIRECTUS_PASSWORD", &server.password),
            ],
            &["--json", "doctor", "--for", "cursor"],
        )
    })
    .await
    .unwrap();
    let report = run.json();
    let endpoint = checks(&report, "mcp-endpoint");
    assert_eq!(endpoint[0]["verdict"], "problem", "{report}");
    let detail = endpoint[0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("redirect (HTTP 307)") && detail.contains(target),
        "{detail}"
    );
    assert!(
        endpoint[0]["fix"]
            .as_str()
            .unwrap()
            .contains("without redirecting")
    );
}
