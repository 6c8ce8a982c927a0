//! HTTP as every part of the core speaks it: one way to build a client (the system's trust
//! store, time limits, a user agent, redirects never followed, no proxy for a server on this
//! computer), a cap on how much of an answer is read, and what a failure to get an answer
//! means. Directus' API client, the MCP probe and session, and the doctor all send through
//! these rules; nothing here knows Directus.

use std::error::Error as _;
use std::time::Duration;

/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole request may take (not for streams: see [`streaming_client`]).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The largest answer read (Directus' answers to this tool are kilobytes; a larger one is a
/// misbehaving server or proxy, and is not loaded into memory).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// [`MAX_BODY_BYTES`] in mebibytes, as messages say it.
pub const MAX_BODY_MIB: usize = MAX_BODY_BYTES / (1024 * 1024);

/// Why no usable answer came back.
///
/// Messages say what happened, why, and what to do; none contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No TCP connection, DNS failure or time-out.
    #[error(
        "cannot reach {url}: {reason}. Check the URL, that Directus is running, and your network or VPN"
    )]
    Unreachable {
        /// The URL that was tried.
        url: String,
        /// The low-level cause.
        reason: String,
    },
    /// The TLS handshake failed (untrusted or expired certificate, wrong host name...).
    #[error(
        "secure connection to {url} failed: {reason}. The server's certificate is not trusted by this computer; fix the certificate or use the URL it is issued for"
    )]
    Tls {
        /// The URL that was tried.
        url: String,
        /// The TLS library's explanation.
        reason: String,
    },
    /// The server answered with a redirect, which is never followed: a redirect could take
    /// the password or a token to another host, or to plain http.
    #[error(
        "{url} answered with a redirect to {location}, which was not followed (nothing was sent there). If that is where Directus really is, use that address as the URL; otherwise fix the redirect in front of Directus"
    )]
    Redirected {
        /// The URL asked.
        url: String,
        /// Where the server pointed (`Location`), or a note that it gave none.
        location: String,
    },
    /// The answer was larger than [`MAX_BODY_BYTES`].
    #[error(
        "the answer from {url} was larger than {limit_mib} MiB, so it was not read. Directus does not send answers this large: check that the URL is Directus' API and that no proxy in between misbehaves"
    )]
    TooLarge {
        /// The URL asked.
        url: String,
        /// The limit, in mebibytes.
        limit_mib: u64,
    },
    /// No HTTPS client could be set up (typically: no trusted CA certificates on this machine).
    #[error(
        "cannot set up secure connections on this computer: {reason}. Install the system's CA certificates (e.g. the ca-certificates package), then retry"
    )]
    NoTlsSetup {
        /// The TLS library's explanation.
        reason: String,
    },
}

/// Makes rustls' `ring` provider the process's crypto provider (once; a provider another
/// part of the program installed first is kept). Every HTTPS client needs one.
pub fn install_tls_provider() {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// The HTTP client for a server, `on_this_computer` or not: system trust store, time limits,
/// a user agent, redirects never followed, and no proxy for a server on this computer (a
/// proxy would see a loopback sign-in in clear text).
pub fn client(on_this_computer: bool) -> Result<reqwest::Client, TransportError> {
    build(on_this_computer, Some(REQUEST_TIMEOUT))
}

/// Like [`client`] but with no limit on a request's total time (only on connecting): for
/// MCP streams that stay open and tool calls that take their time.
pub fn streaming_client(on_this_computer: bool) -> Result<reqwest::Client, TransportError> {
    build(on_this_computer, None)
}

fn build(
    on_this_computer: bool,
    request_timeout: Option<Duration>,
) -> Result<reqwest::Client, TransportError> {
    install_tls_provider();
    let mut builder = reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("directus-mcp-setup/", env!("CARGO_PKG_VERSION")));
    if let Some(timeout) = request_timeout {
        builder = builder.timeout(timeout);
    }
    if on_this_computer {
        builder = builder.no_proxy();
    }
    builder.build().map_err(|error| TransportError::NoTlsSetup {
        reason: innermost_message(&error),
    })
}

/// A 3xx answer to a request for `url` as the error it is here: redirects are never
/// followed, so no body (a password, a token) is ever sent a second time, to another host
/// or over plain http.
pub fn refuse_redirect(response: &reqwest::Response, url: &str) -> Result<(), TransportError> {
    if !response.status().is_redirection() {
        return Ok(());
    }
    Err(TransportError::Redirected {
        url: url.to_owned(),
        location: redirect_target(response, url),
    })
}

/// Where a 3xx answer to a request for `url` points, in words: its `Location` made absolute.
pub fn redirect_target(response: &reqwest::Response, url: &str) -> String {
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .map(|location| {
            reqwest::Url::parse(url)
                .and_then(|base| base.join(location))
                .map(|target| target.to_string())
                .unwrap_or_else(|_| location.to_owned())
        })
        .unwrap_or_else(|| "an address it did not name".to_owned())
}

/// The body of `response` (to a request for `url`) as text, read in pieces and refused past
/// [`MAX_BODY_BYTES`].
pub async fn read_body(
    mut response: reqwest::Response,
    url: &str,
) -> Result<String, TransportError> {
    let too_large = || TransportError::TooLarge {
        url: url.to_owned(),
        limit_mib: MAX_BODY_MIB as u64,
    };
    if response
        .content_length()
        .is_some_and(|length| length > MAX_BODY_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| no_answer(&error, url))?
    {
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// What a failure to get any answer from `url` was: TLS problems apart from plain
/// unreachability.
pub fn no_answer(error: &reqwest::Error, url: &str) -> TransportError {
    if let Some(reason) = tls_cause(error) {
        return TransportError::Tls {
            url: url.to_owned(),
            reason,
        };
    }
    let reason = if error.is_timeout() {
        "no answer in time".to_owned()
    } else {
        innermost_message(error)
    };
    TransportError::Unreachable {
        url: url.to_owned(),
        reason,
    }
}

fn tls_cause(error: &reqwest::Error) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = error.source();
    while let Some(current) = source {
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return Some(tls.to_string());
        }
        if let Some(io) = current.downcast_ref::<std::io::Error>()
            && let Some(tls) = io
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            return Some(tls.to_string());
        }
        source = current.source();
    }
    let text = innermost_message(error).to_ascii_lowercase();
    (text.contains("certificate") || text.contains("tls handshake"))
        .then(|| innermost_message(error))
}

fn innermost_message(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(current) = source {
        message = current.to_string();
        source = current.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    /// A server on this computer that answers one request with `head` (status line and
    /// headers) and then closes; its address.
    async fn answer_once(head: &'static str) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let _ = socket.write_all(head.as_bytes()).await;
        });
        format!("http://{address}/api")
    }

    #[tokio::test]
    async fn an_answer_over_the_cap_is_refused_with_the_limit_in_mib() {
        let url = answer_once("HTTP/1.1 200 OK\r\nContent-Length: 8388609\r\n\r\n").await;
        let response = client(true).unwrap().get(&url).send().await.unwrap();
        let error = read_body(response, &url).await.unwrap_err();
        assert_eq!(
            error,
            TransportError::TooLarge {
                url: url.clone(),
                limit_mib: 8
            }
        );
        assert!(error.to_string().contains("larger than 8 MiB"), "{error}");
    }

    #[tokio::test]
    async fn a_redirect_is_not_followed_and_names_its_absolute_target() {
        let url = answer_once(
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n",
        )
        .await;
        let response = client(true).unwrap().post(&url).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 307);
        let error = refuse_redirect(&response, &url).unwrap_err();
        let TransportError::Redirected { location, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!(location, &url.replace("/api", "/elsewhere"));
    }

    #[tokio::test]
    async fn no_server_listening_is_unreachable_not_a_tls_failure() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        drop(listener);
        let error = client(true).unwrap().get(&url).send().await.unwrap_err();
        assert!(
            matches!(no_answer(&error, &url), TransportError::Unreachable { .. }),
            "{error}"
        );
    }
}
