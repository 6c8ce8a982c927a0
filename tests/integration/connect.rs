//! Signing in and detection: every error the Connect step names, and what `status` reports.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};

use reqwest::Method;
use serde_json::json;

use crate::support::{self, Api, cli, cli_with_env, totp};

fn url_only(url: &str, args: &[&str]) -> support::CliRun {
    let mut all = vec!["--url", url];
    all.extend_from_slice(args);
    cli_with_env(&[], &all)
}

#[test]
fn status_reports_version_environment_licence_and_settings() {
    let server = support::shared();
    let status = cli(server, &["--json", "status"]).json();
    assert_eq!(status["version"], "12.4.1");
    assert_eq!(status["url"], server.url);
    assert_eq!(status["mcp_url"], format!("{}/mcp", server.url));
    assert_eq!(status["signed_in_as"], server.email);
    assert_eq!(status["environment"]["mcp_enabled"], true);
    assert_eq!(status["environment"]["mcp_oauth_enabled"], false);
    assert_eq!(
        status["license"]["custom_permission_rules"], false,
        "a community install"
    );
    assert!(status["settings"]["mcp_enabled"].is_boolean());
    assert!(
        status["collections"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "directus_users" && c["system"] == true)
    );
}

#[test]
fn status_as_text_names_the_version() {
    let run = cli(support::shared(), &["status"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Directus 12.4.1 at "),
        "{}",
        run.stdout
    );
}

#[test]
fn wrong_password_is_refused_with_exit_4() {
    let server = support::shared();
    let run = cli_with_env(
        &[
            ("DIRECTUS_URL", &server.url),
            ("DIRECTUS_EMAIL", &server.email),
            ("DIRECTUS_PASSWORD", "not-the-password"),
        ],
        &["status"],
    );
    assert!(
        run.failure(4).contains("refused the email or password"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_admin_token_is_refused() {
    let server = support::shared();
    let run = cli_with_env(
        &[
            ("DIRECTUS_URL", &server.url),
            ("DIRECTUS_ADMIN_TOKEN", "no-such-token"),
        ],
        &["status"],
    );
    assert!(
        run.failure(4).contains("refused the token"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn an_admin_token_signs_in() {
    let server = support::shared();
    let api = Api::admin(server).await;
    let me = api.get("/users/me?fields=id").await;
    let token = "admin-token-for-tests-0123456789abcdef";
    api.send(
        Method::PATCH,
        &format!("/users/{}", me["id"].as_str().unwrap()),
        json!({ "token": token }),
    )
    .await;
    let run = cli_with_env(
        &[
            ("DIRECTUS_URL", &server.url),
            ("DIRECTUS_ADMIN_TOKEN", token),
        ],
        &["--json", "status"],
    );
    assert_eq!(run.json()["signed_in_as"], "the admin token");
}

#[tokio::test]
async fn a_user_without_admin_access_is_told_so() {
    let server = support::shared();
    let api = Api::admin(server).await;
    let email = "editor-not-admin@example.com";
    let existing = api
        .get(&format!("/users?filter[email][_eq]={email}&fields=id"))
        .await;
    if existing.as_array().unwrap().is_empty() {
        api.create_user(email, "editor-password-1", None).await;
    }
    let run = cli_with_env(
        &[
            ("DIRECTUS_URL", &server.url),
            ("DIRECTUS_EMAIL", email),
            ("DIRECTUS_PASSWORD", "editor-password-1"),
        ],
        &["status"],
    );
    assert!(
        run.failure(4).contains("is not a Directus administrator"),
        "{}",
        run.stderr
    );
}

/// A web server that is not Directus: answers every request with an HTML 404.
fn not_directus() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buffer = [0u8; 8192];
            let _ = stream.read(&mut buffer);
            let body = "<html><body>Not Found</body></html>";
            let _ = write!(
                stream,
                "HTTP/1.1 404 Not Found\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn a_server_that_is_not_directus_is_named_as_such() {
    let url = not_directus();
    let run = cli_with_env(
        &[
            ("DIRECTUS_URL", &url),
            ("DIRECTUS_EMAIL", "a@b.c"),
            ("DIRECTUS_PASSWORD", "x"),
        ],
        &["status"],
    );
    assert!(
        run.failure(3)
            .contains("does not look like a Directus server"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unreachable_server_is_reported_with_exit_3() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let run = cli_with_env(
        &[
            ("DIRECTUS_URL", &url),
            ("DIRECTUS_EMAIL", "a@b.c"),
            ("DIRECTUS_PASSWORD", "x"),
        ],
        &["status"],
    );
    assert!(run.failure(3).contains("cannot reach"), "{}", run.stderr);
}

#[test]
fn plain_http_to_a_remote_host_is_refused_before_sending_anything() {
    let run = cli_with_env(
        &[
            ("DIRECTUS_URL", "http://cms.example.com"),
            ("DIRECTUS_EMAIL", "a@b.c"),
            ("DIRECTUS_PASSWORD", "x"),
        ],
        &["status"],
    );
    let line = run.failure(2);
    assert!(
        line.contains("plain http://") && line.contains("--allow-insecure-http"),
        "{line}"
    );
}

#[test]
fn no_url_is_a_usage_error() {
    let run = cli_with_env(
        &[("DIRECTUS_EMAIL", "a@b.c"), ("DIRECTUS_PASSWORD", "x")],
        &["status"],
    );
    assert!(run.failure(2).contains("--url"), "{}", run.stderr);
}

/// An https server with a self-signed certificate (openssl s_server).
struct UntrustedTls {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for UntrustedTls {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn untrusted_tls() -> UntrustedTls {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .args(["-keyout", "key.pem", "-out", "cert.pem"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("openssl");
    assert!(status.success());
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("openssl")
        .args([
            "s_server", "-quiet", "-www", "-cert", "cert.pem", "-key", "key.pem", "-accept",
        ])
        .arg(format!("127.0.0.1:{port}"))
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl s_server");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    UntrustedTls {
        child,
        url: format!("https://127.0.0.1:{port}"),
        _dir: dir,
    }
}

#[test]
fn an_untrusted_certificate_is_a_tls_error() {
    let tls = untrusted_tls();
    let run = cli_with_env(
        &[
            ("DIRECTUS_URL", &tls.url),
            ("DIRECTUS_EMAIL", "a@b.c"),
            ("DIRECTUS_PASSWORD", "x"),
        ],
        &["status"],
    );
    let line = run.failure(3);
    assert!(
        line.contains("secure connection") && line.contains("certificate"),
        "{line}"
    );
}

#[tokio::test]
async fn two_factor_accounts_need_the_current_code() {
    let server = support::shared();
    let api = Api::admin(server).await;
    let email = "admin-with-2fa@example.com";
    let password = "admin-2fa-password-1";
    let admin_role = api
        .get("/roles?filter[name][_eq]=Administrator&fields=id")
        .await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let existing = api
        .get(&format!("/users?filter[email][_eq]={email}&fields=id"))
        .await;
    for user in existing.as_array().unwrap() {
        api.request(
            Method::DELETE,
            &format!("/users/{}", user["id"].as_str().unwrap()),
            None,
        )
        .await;
    }
    api.create_user(email, password, Some(&admin_role)).await;
    let me = Api::login(&server.url, email, password).await;
    let secret = me
        .send(
            Method::POST,
            "/users/me/tfa/generate",
            json!({ "password": password }),
        )
        .await["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    me.send(
        Method::POST,
        "/users/me/tfa/enable",
        json!({ "secret": secret, "otp": totp::code_now(&secret).await }),
    )
    .await;

    let env = [
        ("DIRECTUS_URL", server.url.as_str()),
        ("DIRECTUS_EMAIL", email),
        ("DIRECTUS_PASSWORD", password),
    ];
    let without_code = cli_with_env(&env, &["status"]);
    assert!(
        without_code.failure(4).contains("--otp"),
        "{}",
        without_code.stderr
    );
    let wrong_code = cli_with_env(&env, &["--otp", "000000", "status"]);
    assert!(
        wrong_code.failure(4).contains("one-time code"),
        "{}",
        wrong_code.stderr
    );
    let code = totp::code_now(&secret).await;
    let with_code = cli_with_env(&env, &["--otp", &code, "--json", "status"]);
    assert_eq!(with_code.json()["signed_in_as"], email);
}

#[test]
fn a_password_sign_in_is_kept_for_the_next_run() {
    let server = support::shared();
    cli(server, &["--remember", "status"]).ok();
    let run = url_only(&server.url, &["--email", &server.email, "--json", "status"]);
    assert_eq!(run.json()["signed_in_as"], server.email);
}

#[test]
fn an_email_without_a_kept_session_asks_for_the_password() {
    let server = support::shared();
    let run = url_only(
        &server.url,
        &["--email", "nobody-signed-in@example.com", "status"],
    );
    assert!(
        run.failure(4).contains("no saved session"),
        "{}",
        run.stderr
    );
}

#[test]
fn without_a_secret_service_the_kernel_keyring_is_chosen_by_itself() {
    let server = support::shared();
    // No backend chosen, no desktop session bus: as over SSH, on a server, in a container.
    let headless = [
        ("DIRECTUS_URL", server.url.as_str()),
        ("DIRECTUS_EMAIL", server.email.as_str()),
        ("DIRECTUS_MCP_SETUP_KEYRING", ""),
        ("DBUS_SESSION_BUS_ADDRESS", ""),
    ];
    let with_password: Vec<(&str, &str)> = headless
        .iter()
        .copied()
        .chain([("DIRECTUS_PASSWORD", server.password.as_str())])
        .collect();
    let run = support::cli_with_env(&with_password, &["--remember", "status"]);
    run.ok();
    let notes: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("note: "))
        .collect();
    assert_eq!(notes.len(), 1, "{}", run.stderr);
    assert!(notes[0].contains("kernel keyring"), "{}", notes[0]);
    // The session was kept there: the email alone signs in next time.
    support::cli_with_env(&headless, &["status"]).ok();
}
