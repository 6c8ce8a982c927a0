//! `MCP_ENABLED=false` in the server's environment: detected, explained, never hidden.

use crate::support::{self, cli, cli_with_env};

#[tokio::test]
async fn the_environment_kill_switch_is_detected_and_explained() {
    let _guard = support::exclusive().await;
    let server = &support::kill_switched();

    let status = cli(server, &["--json", "status"]).json();
    assert_eq!(status["environment"]["mcp_enabled"], false);
    let notes = status["notes"].to_string();
    assert!(notes.contains("MCP_ENABLED=false"), "{notes}");

    let enable = cli(server, &["enable"]);
    enable.ok();
    assert!(
        enable
            .stderr
            .contains("warning: MCP is disabled by the server's environment"),
        "{}",
        enable.stderr
    );

    let token = support::shown_token(server, "content-editor");
    let verify = cli_with_env(
        &[("DIRECTUS_URL", &server.url)],
        &["verify", "--token", &token],
    );
    let line = verify.failure(5);
    assert!(
        line.contains("MCP_ENABLED=false") && line.contains("restart Directus"),
        "{line}"
    );
}
