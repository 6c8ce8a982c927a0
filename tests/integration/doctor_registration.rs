//! `doctor`: registration proof per client and `GET /mcp`, against real Directus 12.4.1.
//! The doctor registers as each chosen client does, reads Directus' answer, deletes what it
//! registered and, when refused, names the environment line that lets the client in.

use std::sync::Arc;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;

use crate::doctor::DoctorRun;
use crate::support::{self, cli, cli_with_env, exclusive, shared};

fn check<'a>(report: &'a Value, topic: &str, client: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| {
            check["topic"] == topic
                && check["clients"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|id| id == client)
        })
        .unwrap_or_else(|| panic!("a {topic} check for {client}: {report}"))
}

fn text<'a>(check: &'a Value, field: &str) -> &'a str {
    check[field].as_str().unwrap_or_default()
}

/// Nothing the doctor registered is left: the admin's clients list is empty.
fn nothing_left_registered(server: &support::Server) {
    let listed = cli(server, &["--json", "grants", "list"]).json();
    assert_eq!(listed["clients"], serde_json::json!([]), "{listed}");
}

fn start(env: &[&str]) -> (tempfile::TempDir, support::Server) {
    let dir = tempfile::tempdir().unwrap();
    let server = support::start_server(dir.path(), env);
    cli(&server, &["enable"]).ok();
    cli(
        &server,
        &["oauth", "enable", "--for", "cursor,chatgpt,cline"],
    )
    .ok();
    (dir, server)
}

#[test]
fn a_registration_directus_refuses_is_a_problem_naming_the_env_lines_and_nothing_stays_registered()
{
    // Custom schemes: only Raycast's; https redirects: only chatgpt.com.
    let (_dir, server) = start(&[
        "MCP_OAUTH_ENABLED=true",
        "MCP_OAUTH_DCR_ENABLED=true",
        "MCP_OAUTH_ALLOWED_CUSTOM_REDIRECTS=raycast://oauth",
        "MCP_OAUTH_ALLOWED_REDIRECT_DOMAINS=chatgpt.com",
    ]);
    let report = cli(
        &server,
        &["--json", "doctor", "--for", "cursor,chatgpt,cline"],
    )
    .report();

    // Custom scheme and https domain refused: Cursor registers both in one request.
    let cursor = check(&report, "registration", "cursor");
    assert_eq!(cursor["verdict"], "problem", "{report}");
    let detail = text(cursor, "detail");
    assert!(
        detail.contains("cursor://anysphere.cursor-mcp/oauth/callback (redirect_uri must use HTTPS")
            && detail.contains(
                "https://www.cursor.com/agents/mcp/oauth/callback (redirect_uri domain is not in the allowlist)"
            )
            && !detail.contains("http://localhost:8787/callback ("),
        "{detail}"
    );
    let fix = text(cursor, "fix");
    assert!(
        fix.contains(
            "`MCP_OAUTH_ALLOWED_CUSTOM_REDIRECTS=raycast://oauth,cursor://anysphere.cursor-mcp`"
        ),
        "{fix}"
    );
    assert!(
        fix.contains("`MCP_OAUTH_ALLOWED_REDIRECT_DOMAINS=chatgpt.com,www.cursor.com`"),
        "{fix}"
    );
    // An allowed https domain is accepted.
    let chatgpt = check(&report, "registration", "chatgpt");
    assert_eq!(chatgpt["verdict"], "ok", "{report}");
    // Loopback is accepted whatever the allow-lists say (Directus' rule, RFC 8252).
    let cline = check(&report, "registration", "cline");
    assert_eq!(cline["verdict"], "ok", "{report}");
    assert!(text(cline, "detail").contains("http://127.0.0.1:1456/mcp/oauth/callback"));

    nothing_left_registered(&server);
    support::kill_server(&server);
}

#[test]
fn registrations_directus_accepts_are_ok_and_nothing_stays_registered() {
    // Directus 12.4.1's defaults allow Cursor's custom scheme; no domain list is set.
    let (_dir, server) = start(&["MCP_OAUTH_ENABLED=true", "MCP_OAUTH_DCR_ENABLED=true"]);
    let report = cli(
        &server,
        &["--json", "doctor", "--for", "cursor,chatgpt,cline"],
    )
    .report();
    for client in ["cursor", "chatgpt", "cline"] {
        let proof = check(&report, "registration", client);
        assert_eq!(proof["verdict"], "ok", "{client}: {report}");
        assert!(text(proof, "detail").contains("deleted again"), "{proof}");
    }
    // Directus itself answers GET /mcp with 405.
    let get = check(&report, "mcp-get", "cursor");
    assert_eq!(get["verdict"], "ok", "{report}");
    assert!(text(get, "detail").contains("answers 405"), "{get}");
    nothing_left_registered(&server);
    support::kill_server(&server);
}

#[test]
fn a_cimd_clients_document_redirect_uris_are_checked_by_the_same_rules() {
    // CIMD offered; https redirects only to chatgpt.com.
    let dir = tempfile::tempdir().unwrap();
    let server = support::start_server(
        dir.path(),
        &[
            "MCP_OAUTH_ENABLED=true",
            "MCP_OAUTH_DCR_ENABLED=true",
            "MCP_OAUTH_CIMD_ENABLED=true",
            "MCP_OAUTH_ALLOWED_REDIRECT_DOMAINS=chatgpt.com",
        ],
    );
    cli(&server, &["enable"]).ok();
    cli(
        &server,
        &["oauth", "enable", "--for", "vscode,claude-code,cursor"],
    )
    .ok();
    let report = cli(
        &server,
        &["--json", "doctor", "--for", "vscode,claude-code"],
    )
    .report();

    // VS Code's document lists https://vscode.dev/redirect: refused under this allow-list.
    let vscode = check(&report, "registration", "vscode");
    assert_eq!(vscode["verdict"], "problem", "{report}");
    let detail = text(vscode, "detail");
    assert!(
        detail.contains(
            "https://vscode.dev/oauth/client-metadata.json, which Directus fetches itself"
        ) && detail
            .contains("https://vscode.dev/redirect (redirect_uri domain is not in the allowlist)"),
        "{detail}"
    );
    assert!(
        text(vscode, "fix").contains("`MCP_OAUTH_ALLOWED_REDIRECT_DOMAINS=chatgpt.com,vscode.dev`"),
        "{vscode}"
    );
    // Claude Code's document lists loopback only: allowed whatever the lists say.
    let claude = check(&report, "registration", "claude-code");
    assert_eq!(claude["verdict"], "ok", "{report}");

    nothing_left_registered(&server);
    support::kill_server(&server);
}

/// A proxy to `upstream` that answers every `GET /mcp` itself with a 500 (as Directus
/// 11.17.4 did) and relays everything else.
async fn start_answering_get_mcp_with_500(upstream: &str) -> String {
    let upstream = upstream.trim_start_matches("http://").to_owned();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let upstream = upstream.clone();
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(&upstream).await else {
                    return;
                };
                let (mut client_read, client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                let client_write = Arc::new(Mutex::new(client_write));
                let answers = client_write.clone();
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 64 * 1024];
                    while let Ok(n) = server_read.read(&mut buffer).await {
                        if n == 0 || answers.lock().await.write_all(&buffer[..n]).await.is_err() {
                            break;
                        }
                    }
                });
                let mut buffer = vec![0u8; 64 * 1024];
                while let Ok(n) = client_read.read(&mut buffer).await {
                    if n == 0 {
                        break;
                    }
                    if buffer[..n].starts_with(b"GET /mcp ") {
                        let body = r#"{"errors":[{"message":"ZodError"}]}"#;
                        let answer = format!(
                            "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        let _ = client_write.lock().await.write_all(answer.as_bytes()).await;
                        break;
                    }
                    if server_write.write_all(&buffer[..n]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    url
}

#[tokio::test]
async fn get_mcp_answering_500_is_a_problem_that_names_the_fixed_version() {
    let server = shared();
    let _guard = exclusive().await;
    cli(server, &["enable"]).ok();
    let proxy = start_answering_get_mcp_with_500(&server.url).await;
    let report = tokio::task::spawn_blocking(move || {
        let server = shared();
        cli_with_env(
            &[
                ("DIRECTUS_URL", &proxy),
                ("DIRECTUS_EMAIL", &server.email),
                ("DIRECTUS_PASSWORD", &server.password),
            ],
            &["--json", "doctor", "--for", "chatgpt"],
        )
    })
    .await
    .unwrap()
    .report();
    let get = check(&report, "mcp-get", "chatgpt");
    assert_eq!(get["verdict"], "problem", "{report}");
    let detail = text(get, "detail");
    assert!(
        detail.contains("answers HTTP 500 instead of 405")
            && detail.contains("directus/directus#27694"),
        "{detail}"
    );
    assert!(text(get, "fix").contains("Update Directus"), "{get}");

    // Directly, Directus answers 405.
    let direct = cli(server, &["--json", "doctor", "--for", "chatgpt"]).report();
    assert_eq!(
        check(&direct, "mcp-get", "chatgpt")["verdict"],
        "ok",
        "{direct}"
    );
}
