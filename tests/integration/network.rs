//! The network promises: a redirect is never followed (no body, no password, no token is
//! sent a second time, to another port, host or scheme), no proxy sees a loopback sign-in,
//! and no answer is read past its cap.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::support::{self, cli_with_env};

const PASSWORD: &str = "canary-password-5f1e2d";

/// A loopback server answering every request with `response`; counts connections.
fn answering(response: Vec<u8>) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counted.fetch_add(1, Ordering::SeqCst);
            let response = response.clone();
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                let mut buffer = [0u8; 4096];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buffer[..n]),
                    }
                }
                let _ = stream.write_all(&response);
            });
        }
    });
    (port, connections)
}

fn sign_in_env(url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("DIRECTUS_URL", url.to_owned()),
        ("DIRECTUS_EMAIL", "admin@example.com".to_owned()),
        ("DIRECTUS_PASSWORD", PASSWORD.to_owned()),
    ]
}

fn run(env: &[(&'static str, String)], args: &[&str]) -> support::CliRun {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    cli_with_env(&env, args)
}

#[test]
fn a_redirect_is_named_and_never_followed() {
    let (target, reached) = answering(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".to_vec());
    let location = format!("http://127.0.0.1:{target}/auth/login");
    for status in [
        "307 Temporary Redirect",
        "308 Permanent Redirect",
        "302 Found",
    ] {
        let (port, _) = answering(
            format!("HTTP/1.1 {status}\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n")
                .into_bytes(),
        );
        let url = format!("http://127.0.0.1:{port}");
        let run = run(&sign_in_env(&url), &["status"]);
        let error = run.failure(3);
        assert!(error.contains(&location), "{status}: {error}");
        assert!(error.contains("not followed"), "{error}");
        assert!(!run.stderr.contains(PASSWORD) && !run.stdout.contains(PASSWORD));
    }
    assert_eq!(
        reached.load(Ordering::SeqCst),
        0,
        "the redirect's target got nothing"
    );
}

#[test]
fn no_proxy_sees_a_sign_in_to_this_computer() {
    let server = support::shared();
    let (proxy, proxied) =
        answering(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".to_vec());
    let proxy_url = format!("http://127.0.0.1:{proxy}");
    let mut env = vec![
        ("DIRECTUS_URL", server.url.clone()),
        ("DIRECTUS_EMAIL", server.email.clone()),
        ("DIRECTUS_PASSWORD", server.password.clone()),
    ];
    for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        env.push((name, proxy_url.clone()));
    }
    run(&env, &["status"]).ok();
    assert_eq!(proxied.load(Ordering::SeqCst), 0, "the proxy saw nothing");
}

#[test]
fn an_oversized_answer_is_refused_unread() {
    let mut response =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"data\": \"".to_vec();
    response.extend(std::iter::repeat_n(b'x', 9 * 1024 * 1024));
    response.extend_from_slice(b"\"}");
    let (port, _) = answering(response);
    let run = run(
        &sign_in_env(&format!("http://127.0.0.1:{port}")),
        &["status"],
    );
    let error = run.failure(3);
    assert!(error.contains("larger than 8 MiB"), "{error}");
}
