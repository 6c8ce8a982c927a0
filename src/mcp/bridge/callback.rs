//! The sign-in's redirect listener on 127.0.0.1. Any local process can reach it, so it
//! serves each connection on its own task with a short read timeout (an idle connection
//! blocks nobody), answers 404 to anything but `/callback` with the `state` this sign-in
//! issued (a forged callback neither ends the sign-in nor gets a success page), and tells
//! the browser "Signed in" only once the code exchange succeeded.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// How long one connection may take to send its request line and headers.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// The most of a request the listener reads.
const MAX_REQUEST: usize = 8192;

/// The listener of one sign-in.
pub struct CallbackListener {
    listener: TcpListener,
    port: u16,
}

/// A callback that carried the right `state`, still waiting for its answer page.
pub struct Callback {
    /// The full redirect URL (`http://127.0.0.1:PORT/callback?code=…&state=…`).
    pub url: String,
    stream: TcpStream,
}

impl Callback {
    /// Answers the browser: success after the code exchange worked, else the reason.
    pub async fn answer(mut self, outcome: Result<(), &str>) {
        let (status, body) = match outcome {
            Ok(()) => (
                "200 OK",
                "Signed in to Directus. You can close this tab and go back to your AI client."
                    .to_owned(),
            ),
            Err(reason) => (
                "400 Bad Request",
                format!("The sign-in to Directus did not complete: {reason}"),
            ),
        };
        respond(&mut self.stream, status, &body).await;
    }
}

impl CallbackListener {
    /// Binds a free port on 127.0.0.1.
    pub async fn bind() -> Result<Self, String> {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|error| format!("no loopback port for the sign-in: {error}"))?;
        let port = listener
            .local_addr()
            .map_err(|error| error.to_string())?
            .port();
        Ok(Self { listener, port })
    }

    /// The redirect address to register and send in the authorization request.
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.port)
    }

    /// Waits for the browser to come back with `state`; every other request gets a 404 and
    /// the wait goes on. The caller bounds the wait with its own timeout.
    pub async fn wait(self, state: &str) -> Result<Callback, String> {
        let (found, mut callbacks) = mpsc::channel::<Callback>(1);
        let mut tasks = tokio::task::JoinSet::new();
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let (stream, _) = accepted
                        .map_err(|error| format!("the sign-in listener failed: {error}"))?;
                    let found = found.clone();
                    let state = state.to_owned();
                    let port = self.port;
                    tasks.spawn(async move {
                        if let Some(callback) = serve_one(stream, &state, port).await {
                            let _ = found.send(callback).await;
                        }
                    });
                }
                Some(callback) = callbacks.recv() => return Ok(callback),
            }
        }
    }
}

/// Reads one request; a callback with the right `state` is handed back unanswered, anything
/// else is answered 404 (or dropped when it sends nothing in time).
async fn serve_one(mut stream: TcpStream, state: &str, port: u16) -> Option<Callback> {
    let head = tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream))
        .await
        .ok()?;
    let target = head
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("GET "))
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_default()
        .to_owned();
    let url = format!("http://127.0.0.1:{port}{target}");
    let matches = url::Url::parse(&url).is_ok_and(|parsed| {
        parsed.path() == "/callback"
            && parsed
                .query_pairs()
                .any(|(name, value)| name == "state" && value == state)
    });
    if matches {
        return Some(Callback { url, stream });
    }
    respond(&mut stream, "404 Not Found", "Not the sign-in address.").await;
    None
}

/// The request line and headers (up to [`MAX_REQUEST`] bytes).
async fn read_head(stream: &mut TcpStream) -> String {
    let mut request = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while request.len() < MAX_REQUEST {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(read) => {
                request.extend_from_slice(&chunk[..read]);
                if request.windows(4).any(|window| window == b"\r\n\r\n") {
                    break;
                }
            }
        }
    }
    String::from_utf8_lossy(&request).into_owned()
}

async fn respond(stream: &mut TcpStream, status: &str, body: &str) {
    let answer = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(port: u16, target: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        stream
            .write_all(format!("GET {target} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        answer
    }

    #[tokio::test]
    async fn an_idle_connection_does_not_block_the_real_callback() {
        let listener = CallbackListener::bind().await.unwrap();
        let port = listener.port;
        let waiting = tokio::spawn(listener.wait("right"));
        // A local process connects first and sends nothing.
        let _idle = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let browser = tokio::spawn(get(port, "/callback?code=c&state=right"));
        let callback = tokio::time::timeout(Duration::from_secs(2), waiting)
            .await
            .expect("the callback is read while the idle connection stays open")
            .unwrap()
            .unwrap();
        assert!(callback.url.ends_with("/callback?code=c&state=right"));
        callback.answer(Ok(())).await;
        assert!(browser.await.unwrap().contains("Signed in"));
    }

    #[tokio::test]
    async fn a_forged_callback_gets_404_and_the_sign_in_goes_on() {
        let listener = CallbackListener::bind().await.unwrap();
        let port = listener.port;
        let waiting = tokio::spawn(listener.wait("right"));
        let forged = get(port, "/callback?code=x&state=forged").await;
        assert!(forged.starts_with("HTTP/1.1 404"), "{forged}");
        assert!(!forged.contains("Signed in"), "{forged}");
        let no_state = get(port, "/callback?code=x").await;
        assert!(no_state.starts_with("HTTP/1.1 404"), "{no_state}");
        assert!(
            !waiting.is_finished(),
            "a forged callback does not end the sign-in"
        );
        let browser = tokio::spawn(get(port, "/callback?code=c&state=right"));
        let callback = waiting.await.unwrap().unwrap();
        callback.answer(Err("Directus refused the code")).await;
        let page = browser.await.unwrap();
        assert!(
            page.starts_with("HTTP/1.1 400") && !page.contains("Signed in"),
            "{page}"
        );
    }
}
