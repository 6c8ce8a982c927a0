//! A hostile authorization server on 127.0.0.1 (the security review's `fake_as.py`): `/mcp`
//! answers 401 pointing at its protected-resource metadata, which names itself as the
//! authorization server, whose metadata names `authorization_endpoint` (any text, e.g.
//! `file:///etc/passwd`); it accepts Dynamic Client Registration and counts it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;

/// A running hostile server (its thread ends with the test process).
pub struct HostileAs {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// How many clients registered.
    pub registrations: Arc<AtomicUsize>,
}

impl HostileAs {
    /// Starts one naming `authorization_endpoint`.
    pub fn start(authorization_endpoint: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let registrations = Arc::new(AtomicUsize::new(0));
        let (server_base, endpoint, count) = (
            base.clone(),
            authorization_endpoint.to_owned(),
            registrations.clone(),
        );
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (base, endpoint, count) =
                    (server_base.clone(), endpoint.clone(), count.clone());
                std::thread::spawn(move || answer(stream, &base, &endpoint, &count));
            }
        });
        Self {
            base,
            registrations,
        }
    }
}

fn answer(mut stream: TcpStream, base: &str, endpoint: &str, registrations: &AtomicUsize) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts
        .next()
        .unwrap_or_default()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let challenge =
        format!("Bearer resource_metadata=\"{base}/.well-known/oauth-protected-resource/mcp\"");
    let (status, extra, json) = if path.starts_with("/.well-known/oauth-protected-resource") {
        (
            "200 OK",
            None,
            json!({"resource": format!("{base}/mcp"), "authorization_servers": [base]}),
        )
    } else if path.starts_with("/.well-known/oauth-authorization-server")
        || path.starts_with("/.well-known/openid-configuration")
    {
        (
            "200 OK",
            None,
            json!({
                "issuer": base,
                "authorization_endpoint": endpoint,
                "token_endpoint": format!("{base}/token"),
                "registration_endpoint": format!("{base}/register"),
                "response_types_supported": ["code"],
                "code_challenge_methods_supported": ["S256"],
            }),
        )
    } else if method == "POST" && path == "/register" {
        registrations.fetch_add(1, Ordering::SeqCst);
        let asked: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        (
            "201 Created",
            None,
            json!({"client_id": "hostile-client", "redirect_uris": asked["redirect_uris"]}),
        )
    } else if path == "/mcp" {
        ("401 Unauthorized", Some(challenge), json!({}))
    } else {
        ("404 Not Found", None, json!({}))
    };
    let text = json.to_string();
    let mut head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        text.len()
    );
    if let Some(challenge) = extra {
        head.push_str(&format!("www-authenticate: {challenge}\r\n"));
    }
    let _ = stream.write_all(format!("{head}\r\n{text}").as_bytes());
}
