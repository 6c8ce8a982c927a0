//! A stand-in for an OpenAI-compatible model on 127.0.0.1, for clients whose only proof of
//! an MCP connection is a real run (Continue's `cn`): it answers every chat with "hi" (as a
//! stream when asked) and keeps each request, so a test can read the tools a client sent.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A running stand-in.
pub struct MockModel {
    /// The base URL to configure (`http://127.0.0.1:PORT/v1`).
    pub base_url: String,
    requests: Arc<Mutex<Vec<Value>>>,
}

impl MockModel {
    /// How many chat requests were received so far.
    pub fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    /// The names of the tools offered in the chat requests from the `from`th on.
    pub fn tool_names_since(&self, from: usize) -> Vec<String> {
        self.requests.lock().unwrap()[from..]
            .iter()
            .flat_map(|request| request["tools"].as_array().cloned().unwrap_or_default())
            .filter_map(|tool| tool["function"]["name"].as_str().map(str::to_owned))
            .collect()
    }
}

/// Starts a stand-in model.
pub async fn start() -> MockModel {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the model");
    let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let _ = answer(stream, seen).await;
            });
        }
    });
    MockModel { base_url, requests }
}

async fn answer(mut stream: TcpStream, seen: Arc<Mutex<Vec<Value>>>) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    let (head, body_start) = loop {
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            return Ok(());
        }
        bytes.extend_from_slice(&buffer[..n]);
        if let Some(at) = bytes.windows(4).position(|window| window == b"\r\n\r\n") {
            break (String::from_utf8_lossy(&bytes[..at]).into_owned(), at + 4);
        }
    };
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    while bytes.len() < body_start + length {
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buffer[..n]);
    }
    let body: Value = serde_json::from_slice(&bytes[body_start..]).unwrap_or(Value::Null);
    let request_line = head.lines().next().unwrap_or_default().to_owned();
    let reply = |status: &str, kind: &str, text: String| {
        format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
            text.len()
        )
    };
    let response = if request_line.starts_with("GET") && request_line.contains("/models") {
        reply(
            "200 OK",
            "application/json",
            json!({ "object": "list", "data": [{ "id": "gpt-4o", "object": "model", "owned_by": "test" }] })
                .to_string(),
        )
    } else if request_line.contains("/chat/completions") {
        seen.lock().unwrap().push(body.clone());
        let id = "chatcmpl-test";
        if body["stream"] == true {
            let chunk = |delta: Value, finish: Value| {
                json!({ "id": id, "object": "chat.completion.chunk", "created": 0, "model": "gpt-4o",
                        "choices": [{ "index": 0, "delta": delta, "finish_reason": finish }] })
            };
            let events = [
                chunk(json!({ "role": "assistant", "content": "hi" }), Value::Null),
                chunk(json!({}), json!("stop")),
            ];
            let mut text: String = events
                .iter()
                .map(|event| format!("data: {event}\n\n"))
                .collect();
            text.push_str("data: [DONE]\n\n");
            reply("200 OK", "text/event-stream", text)
        } else {
            reply(
                "200 OK",
                "application/json",
                json!({ "id": id, "object": "chat.completion", "created": 0, "model": "gpt-4o",
                        "choices": [{ "index": 0, "message": { "role": "assistant", "content": "hi" }, "finish_reason": "stop" }],
                        "usage": { "prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2 } })
                .to_string(),
            )
        }
    } else {
        reply(
            "404 Not Found",
            "application/json",
            json!({ "error": "not here" }).to_string(),
        )
    };
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}
