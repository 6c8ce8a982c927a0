//! A TCP proxy in front of Directus that injects one fault into the first request whose
//! request line starts with a given prefix, e.g. `POST /users`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::Server;

/// What happens to the matching request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Directus gets the request and does it, but its answer never reaches the client:
    /// the connection drops the moment the answer starts.
    LoseAnswer,
    /// Directus is killed (SIGKILL) as the request arrives, before it reads it.
    KillServer(Server),
    /// Directus does the request, then is killed as its answer starts.
    KillServerBeforeAnswer(Server),
}

/// A running proxy.
pub struct FaultProxy {
    /// The URL to give the code under test.
    pub url: String,
    fired: Arc<AtomicBool>,
}

impl FaultProxy {
    /// Whether the fault was injected.
    pub fn fired(&self) -> bool {
        self.fired.load(Ordering::SeqCst)
    }
}

/// Starts a proxy to `upstream` (a base URL like `http://127.0.0.1:8055`).
pub async fn start(upstream: &str, request_prefix: &'static str, fault: Fault) -> FaultProxy {
    let upstream = upstream
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
    let url = format!("http://{}", listener.local_addr().expect("proxy address"));
    let fired = Arc::new(AtomicBool::new(false));
    let fired_for_task = fired.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let upstream = upstream.clone();
            let fault = fault.clone();
            let fired = fired_for_task.clone();
            tokio::spawn(async move {
                if let Ok(server) = TcpStream::connect(&upstream).await {
                    relay(client, server, request_prefix, fault, fired).await;
                }
            });
        }
    });
    FaultProxy { url, fired }
}

async fn relay(
    client: TcpStream,
    server: TcpStream,
    prefix: &'static str,
    fault: Fault,
    fired: Arc<AtomicBool>,
) {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let swallow = Arc::new(AtomicBool::new(false));
    let swallow_for_answers = swallow.clone();
    let kill_on_answer = match &fault {
        Fault::KillServerBeforeAnswer(server) => Some(server.clone()),
        _ => None,
    };
    let answers = tokio::spawn(async move {
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = match server_read.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if swallow_for_answers.load(Ordering::SeqCst) {
                // The answer to the faulted request has started: drop the connection.
                if let Some(server) = kill_on_answer {
                    let _ = tokio::task::spawn_blocking(move || super::kill_server(&server)).await;
                }
                break;
            }
            if client_write.write_all(&buffer[..n]).await.is_err() {
                break;
            }
        }
        let _ = client_write.shutdown().await;
    });
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = match client_read.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let chunk = &buffer[..n];
        if chunk.starts_with(prefix.as_bytes()) && !fired.swap(true, Ordering::SeqCst) {
            match &fault {
                Fault::LoseAnswer | Fault::KillServerBeforeAnswer(_) => {
                    swallow.store(true, Ordering::SeqCst)
                }
                Fault::KillServer(server) => {
                    let server = server.clone();
                    let _ = tokio::task::spawn_blocking(move || super::kill_server(&server)).await;
                    break;
                }
            }
        }
        if server_write.write_all(chunk).await.is_err() {
            break;
        }
    }
    let _ = answers.await;
}

/// Starts a proxy to `upstream` that answers every request whose request line starts with
/// `prefix` with a `307` to `location` itself (as a misconfigured reverse proxy does) and
/// relays everything else.
pub async fn start_redirecting(upstream: &str, prefix: &'static str, location: String) -> String {
    start_answering(
        upstream,
        prefix,
        format!(
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    )
    .await
}

/// Starts a proxy to `upstream` that answers every request whose request line starts with
/// `prefix` with `answer` (a whole HTTP/1.1 response, `Connection: close`) itself and
/// relays everything else.
pub async fn start_answering(upstream: &str, prefix: &'static str, answer: String) -> String {
    let (listener, url) = bind().await;
    answer_on(listener, upstream, prefix, answer);
    url
}

/// A loopback listener for a proxy and its URL, to be served by [`answer_on`] once the
/// upstream is known (e.g. a Directus whose `PUBLIC_URL` is this proxy).
pub async fn bind() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
    let url = format!("http://{}", listener.local_addr().expect("proxy address"));
    (listener, url)
}

/// Serves `listener` as a proxy to `upstream`, answering requests whose request line starts
/// with `prefix` with `answer` itself.
pub fn answer_on(listener: TcpListener, upstream: &str, prefix: &'static str, answer: String) {
    let upstream = upstream
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let (upstream, answer) = (upstream.clone(), answer.clone());
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(&upstream).await else {
                    return;
                };
                let (mut client_read, client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                let client_write = Arc::new(tokio::sync::Mutex::new(client_write));
                let answers = tokio::spawn({
                    let client_write = client_write.clone();
                    async move {
                        let mut buffer = vec![0u8; 64 * 1024];
                        while let Ok(n) = server_read.read(&mut buffer).await {
                            if n == 0
                                || client_write
                                    .lock()
                                    .await
                                    .write_all(&buffer[..n])
                                    .await
                                    .is_err()
                            {
                                break;
                            }
                        }
                    }
                });
                let mut buffer = vec![0u8; 64 * 1024];
                while let Ok(n) = client_read.read(&mut buffer).await {
                    if n == 0 {
                        break;
                    }
                    if buffer[..n].starts_with(prefix.as_bytes()) {
                        let mut writer = client_write.lock().await;
                        let _ = writer.write_all(answer.as_bytes()).await;
                        let _ = writer.shutdown().await;
                        break;
                    }
                    if server_write.write_all(&buffer[..n]).await.is_err() {
                        break;
                    }
                }
                answers.abort();
            });
        }
    });
}
