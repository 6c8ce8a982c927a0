//! `doctor`: what keeps a client from reaching or signing in to Directus, found before the
//! user tries — against the real Directus, directly and behind a proxy that redirects `/mcp`.

use serde_json::Value;

use crate::support::{self, cli, cli_with_env, exclusive, shared};

/// A `doctor --json` run as the user sees it.
pub(crate) trait DoctorRun {
    /// The report, after asserting the exit status says what it holds: 1 when a check is a
    /// problem, 0 otherwise (README, exit codes).
    fn report(&self) -> Value;
}

impl DoctorRun for support::CliRun {
    fn report(&self) -> Value {
        let report: Value = serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is not JSON ({error}): {} {}",
                self.stdout, self.stderr
            )
        });
        let problem = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|check| check["verdict"] == "problem");
        assert_eq!(
            self.code,
            i32::from(problem),
            "doctor's exit status for a report {} a problem: {report}",
            if problem { "with" } else { "without" }
        );
        report
    }
}

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
    let report = cli(server, &["--json", "doctor", "--for", "cursor,chatgpt"]).report();

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
async fn the_doctor_exits_1_when_a_check_is_a_problem_and_0_when_none_is() {
    let server = shared();
    let _guard = exclusive().await;
    cli(server, &["enable"]).ok();

    // Cursor on this computer reaches the loopback address: warnings at most.
    let fine = cli(server, &["doctor", "--for", "cursor"]);
    assert_eq!(fine.code, 0, "{}{}", fine.stdout, fine.stderr);

    // ChatGPT connects from OpenAI's servers, which cannot reach it: a problem, and the
    // report is still printed in full.
    let problem = cli(server, &["doctor", "--for", "chatgpt"]);
    assert_eq!(problem.code, 1, "{}{}", problem.stdout, problem.stderr);
    assert!(
        problem.stdout.contains("public https address"),
        "{}",
        problem.stdout
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
    let report = run.report();
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

/// The CLI against `url` as `server`'s admin, with extra environment.
fn doctor_at(url: &str, extra: &[(&str, &str)], args: &[&str]) -> support::CliRun {
    let server = shared();
    let mut env = vec![
        ("DIRECTUS_URL", url),
        ("DIRECTUS_EMAIL", server.email.as_str()),
        ("DIRECTUS_PASSWORD", server.password.as_str()),
    ];
    env.extend_from_slice(extra);
    cli_with_env(&env, args)
}

/// `doctor --json --for CLIENTS` through an https front with a self-signed certificate valid
/// for `days`, which this computer trusts (through `SSL_CERT_FILE`) when `trusted`.
async fn doctor_behind_tls_front(days: u32, trusted: bool, clients: &'static str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let front = support::tls_front::start(&shared().url, dir.path(), days).await;
    let report = tokio::task::spawn_blocking(move || {
        let certificate = front.certificate.to_str().unwrap().to_owned();
        let trust: Vec<(&str, &str)> = if trusted {
            vec![("SSL_CERT_FILE", certificate.as_str())]
        } else {
            Vec::new()
        };
        doctor_at(&front.url, &trust, &["--json", "doctor", "--for", clients]).report()
    })
    .await
    .unwrap();
    drop(dir);
    report
}

fn tls_check<'a>(report: &'a Value, client: &str) -> &'a Value {
    checks(report, "tls")
        .into_iter()
        .find(|check| {
            check["clients"]
                .as_array()
                .unwrap()
                .iter()
                .any(|id| id == client)
                && !check["detail"].as_str().unwrap().contains("expire")
        })
        .unwrap_or_else(|| panic!("a tls check for {client}: {report}"))
}

#[tokio::test]
async fn a_self_signed_certificate_this_computer_trusts_is_fine_here_and_refused_from_the_cloud() {
    // MCP on, and kept on while the doctor runs: another test turns it off for a while.
    let _guard = exclusive().await;
    cli(shared(), &["enable"]).ok();
    let report = doctor_behind_tls_front(90, true, "cursor,chatgpt").await;
    let cursor = tls_check(&report, "cursor");
    assert_eq!(cursor["verdict"], "ok", "{report}");
    assert!(
        cursor["detail"]
            .as_str()
            .unwrap()
            .contains("not as a public CA's (it is self-signed"),
        "{cursor}"
    );
    let chatgpt = tls_check(&report, "chatgpt");
    assert_eq!(chatgpt["verdict"], "problem", "{report}");
    let detail = chatgpt["detail"].as_str().unwrap();
    assert!(
        detail.contains("OpenAI's servers, which trust only public CAs")
            && detail.contains("that this computer trusts it does not help"),
        "{detail}"
    );
    assert!(chatgpt["fix"].as_str().unwrap().contains("public CA"));
    // 90 days left: no word about expiry. The checks behind the front ran too.
    assert!(!report.to_string().contains("expires on"), "{report}");
    assert_eq!(
        checks(&report, "mcp-endpoint")[0]["verdict"],
        "ok",
        "{report}"
    );
}

#[tokio::test]
async fn a_certificate_that_expires_within_14_days_is_a_warning_with_its_date() {
    let report = doctor_behind_tls_front(5, true, "cursor").await;
    let expiry = checks(&report, "tls")
        .into_iter()
        .find(|check| check["detail"].as_str().unwrap().contains("expires on"))
        .unwrap_or_else(|| panic!("an expiry warning: {report}"));
    assert_eq!(expiry["verdict"], "warning");
    let in_five_days = (chrono::Utc::now() + chrono::Duration::days(5))
        .format("%Y-%m-%d")
        .to_string();
    let detail = expiry["detail"].as_str().unwrap();
    assert!(
        detail.contains(&in_five_days) && detail.contains("in 4 days"),
        "{detail}"
    );
    assert!(expiry["fix"].as_str().unwrap().contains("Renew"));
}

#[tokio::test]
async fn a_certificate_this_computer_does_not_trust_is_named_though_sign_in_fails() {
    let report = doctor_behind_tls_front(90, false, "cursor").await;
    let cursor = tls_check(&report, "cursor");
    assert_eq!(cursor["verdict"], "problem", "{report}");
    assert!(
        cursor["detail"].as_str().unwrap().contains(
            "this computer does not trust the certificate of localhost: it is self-signed"
        ),
        "{cursor}"
    );
    let sign_in = checks(&report, "sign-in");
    assert_eq!(sign_in[0]["verdict"], "problem", "{report}");
    assert!(
        sign_in[0]["detail"]
            .as_str()
            .unwrap()
            .contains("secure connection"),
        "{report}"
    );
}

#[tokio::test]
async fn directus_fetching_client_metadata_documents_is_probed_and_nothing_stays_registered() {
    // A Directus of its own that offers CIMD, logging why a fetch fails (debug level).
    let dir = tempfile::tempdir().unwrap();
    let server = support::start_server(
        dir.path(),
        &[
            "MCP_OAUTH_ENABLED=true",
            "MCP_OAUTH_DCR_ENABLED=true",
            "MCP_OAUTH_CIMD_ENABLED=true",
            "LOG_LEVEL=debug",
        ],
    );
    cli(&server, &["enable"]).ok();
    cli(&server, &["oauth", "enable", "--for", "vscode,claude-code"]).ok();
    // A metadata document on this computer, as a team's own client would publish it.
    let own_document = "https://localhost:8443/oauth/client-metadata.json";
    let report = cli(
        &server,
        &[
            "--json",
            "doctor",
            "--for",
            "vscode,claude-code",
            "--cimd",
            own_document,
        ],
    )
    .report();

    let discovery = checks(&report, "discovery");
    assert_eq!(discovery[0]["verdict"], "ok", "{report}");
    assert!(
        discovery[0]["detail"]
            .as_str()
            .unwrap()
            .contains("metadata documents accepted"),
        "{report}"
    );
    let cimd = checks(&report, "cimd");
    let about = |client: &str| {
        cimd.iter()
            .find(|check| {
                check["clients"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|id| id == client)
            })
            .unwrap_or_else(|| panic!("a cimd check for {client}: {report}"))
    };
    // No way out of this machine: Directus cannot fetch the vendors' documents.
    let vscode = about("vscode");
    assert_eq!(vscode["verdict"], "problem");
    assert!(
        vscode["detail"]
            .as_str()
            .unwrap()
            .contains("could not fetch https://vscode.dev/oauth/client-metadata.json"),
        "{vscode}"
    );
    assert!(
        vscode["fix"]
            .as_str()
            .unwrap()
            .contains("with the MCP token")
    );
    // Claude Code falls back to DCR when CIMD is not offered: that is the other way out.
    let claude = about("claude-code");
    assert!(
        claude["fix"]
            .as_str()
            .unwrap()
            .contains("turn Client ID Metadata Documents off"),
        "{claude}"
    );
    // A document on this computer is refused by Directus' design before any fetch.
    let own = cimd
        .iter()
        .find(|check| check["detail"].as_str().unwrap().contains(own_document))
        .unwrap_or_else(|| panic!("a check for {own_document}: {report}"));
    assert_eq!(own["verdict"], "problem");
    assert!(
        own["detail"]
            .as_str()
            .unwrap()
            .contains("as a client id before fetching anything"),
        "{own}"
    );

    // Directus did try (its own log says why it failed), and kept nothing.
    let log = std::fs::read_to_string(server.state_dir.join("server.log")).unwrap();
    assert!(log.contains("CIMD metadata fetch failed"), "{log}");
    assert!(log.contains("blocked TLD: .localhost"), "{log}");
    let listed = cli(&server, &["--json", "grants", "list"]).json();
    assert_eq!(listed["clients"], serde_json::json!([]), "{listed}");
    support::kill_server(&server);
}

#[test]
fn local_network_addresses_are_classified_before_any_sign_in() {
    // No server answers at these names (no DNS here): what the address alone tells is still
    // said, with the sign-in's own error last.
    let report = cli_with_env(
        &[
            ("DIRECTUS_URL", "http://cms.internal:8055"),
            ("DIRECTUS_EMAIL", "admin@example.com"),
            ("DIRECTUS_PASSWORD", "not-used"),
        ],
        &[
            "--allow-insecure-http",
            "--json",
            "doctor",
            "--for",
            "cursor,chatgpt",
        ],
    )
    .report();
    let address = checks(&report, "address");
    assert_eq!(address[0]["verdict"], "warning", "{report}");
    assert!(
        address[0]["detail"]
            .as_str()
            .unwrap()
            .contains("on a local network only")
            && address[0]["detail"]
                .as_str()
                .unwrap()
                .contains("plain http"),
        "{report}"
    );
    assert_eq!(address[1]["verdict"], "problem", "{report}");
    assert!(address[1]["detail"].as_str().unwrap().contains("OpenAI"));
    let sign_in = checks(&report, "sign-in");
    assert!(
        sign_in[0]["detail"]
            .as_str()
            .unwrap()
            .contains("cannot reach http://cms.internal:8055"),
        "{report}"
    );

    // A single-label https name: no certificate can be had, and that is named too.
    let report = cli_with_env(
        &[
            ("DIRECTUS_URL", "https://directus"),
            ("DIRECTUS_EMAIL", "admin@example.com"),
            ("DIRECTUS_PASSWORD", "not-used"),
        ],
        &["--json", "doctor", "--for", "cursor"],
    )
    .report();
    assert!(
        checks(&report, "address")[0]["detail"]
            .as_str()
            .unwrap()
            .contains("on a local network only"),
        "{report}"
    );
    let tls = checks(&report, "tls");
    assert_eq!(tls[0]["verdict"], "problem", "{report}");
    assert!(
        tls[0]["detail"]
            .as_str()
            .unwrap()
            .contains("no certificate could be read: could not connect to directus:443"),
        "{report}"
    );
}

#[tokio::test]
async fn mcp_turned_off_in_the_settings_is_a_problem_with_the_step_that_turns_it_on() {
    let server = shared();
    let _guard = exclusive().await;
    let api = support::Api::admin(server).await;
    api.send(
        reqwest::Method::PATCH,
        "/settings",
        serde_json::json!({ "mcp_enabled": false }),
    )
    .await;
    let run = cli(server, &["--json", "doctor", "--for", "cursor"]);
    cli(server, &["enable"]).ok();
    let report = run.report();
    let endpoint = checks(&report, "mcp-endpoint");
    assert_eq!(endpoint[0]["verdict"], "problem", "{report}");
    assert_eq!(
        endpoint[0]["detail"], "MCP is turned off in the project settings",
        "{report}"
    );
    assert!(
        endpoint[0]["fix"]
            .as_str()
            .unwrap()
            .contains("directus-mcp-setup enable"),
        "{report}"
    );
}

#[tokio::test]
async fn the_kill_switch_is_a_problem_that_names_mcp_enabled_false() {
    let _guard = exclusive().await;
    let server = &support::kill_switched();
    let report = cli(server, &["--json", "doctor", "--for", "cursor"]).report();
    let endpoint = checks(&report, "mcp-endpoint");
    assert_eq!(endpoint[0]["verdict"], "problem", "{report}");
    let detail = endpoint[0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("/mcp does not exist: MCP_ENABLED=false in Directus' environment"),
        "{detail}"
    );
    assert!(
        endpoint[0]["fix"]
            .as_str()
            .unwrap()
            .contains("Remove MCP_ENABLED=false from Directus' environment and restart it"),
        "{report}"
    );
}

#[tokio::test]
async fn a_proxy_that_blocks_well_known_is_a_discovery_problem_with_the_fix() {
    // A Directus with OAuth on whose public address is a reverse proxy that answers 404 to
    // everything under /.well-known/ (as a proxy with a "deny dotfiles" rule does).
    let (listener, proxy) = support::proxy::bind().await;
    let dir = tempfile::tempdir().unwrap();
    let public_url = format!("PUBLIC_URL={proxy}");
    let server = support::start_server(
        dir.path(),
        &[
            "MCP_OAUTH_ENABLED=true",
            "MCP_OAUTH_DCR_ENABLED=true",
            &public_url,
        ],
    );
    let body = "<html><body>404 Not Found</body></html>";
    support::proxy::answer_on(
        listener,
        &server.url,
        "GET /.well-known/",
        format!(
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    let report = tokio::task::spawn_blocking(move || {
        cli(&server, &["enable"]).ok();
        cli(&server, &["oauth", "enable", "--for", "cursor"]).ok();
        let report = cli_with_env(
            &[
                ("DIRECTUS_URL", &proxy),
                ("DIRECTUS_EMAIL", &server.email),
                ("DIRECTUS_PASSWORD", &server.password),
            ],
            &["--json", "doctor", "--for", "cursor"],
        );
        support::kill_server(&server);
        report
    })
    .await
    .unwrap()
    .report();
    // The blocked document is found by the readiness check (OAuth cannot start without it),
    // so the discovery walk that would follow it is not made.
    let oauth = checks(&report, "oauth");
    let blocked: Vec<&Value> = oauth
        .iter()
        .copied()
        .filter(|check| {
            check["detail"].as_str().is_some_and(|detail| {
                detail.contains("publishes no protected-resource metadata at")
                    && detail.contains("/.well-known/oauth-protected-resource/mcp")
                    && detail.contains("OAuth cannot start")
            })
        })
        .collect();
    assert_eq!(blocked.len(), 1, "{report}");
    assert_eq!(blocked[0]["verdict"], "warning", "{report}");
    assert!(
        blocked[0]["fix"]
            .as_str()
            .unwrap()
            .contains("let the reverse proxy pass /.well-known/ through to Directus"),
        "{report}"
    );
    assert!(checks(&report, "discovery").is_empty(), "{report}");
}
