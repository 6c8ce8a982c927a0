//! An https front for Directus, as a reverse proxy with a certificate of its own would be:
//! TLS ends here and the bytes go on to Directus over plain http. The certificate is made
//! by openssl, self-signed for `localhost`, with the validity asked for.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};

/// A running https front.
pub struct TlsFront {
    /// The https address to give the code under test (`https://localhost:PORT`).
    pub url: String,
    /// The certificate it presents (PEM), to make this computer trust it.
    pub certificate: PathBuf,
}

/// Makes a self-signed certificate for `localhost`, valid for `days`, in `dir`.
pub fn self_signed_certificate(dir: &Path, days: u32) -> (PathBuf, PathBuf) {
    let (certificate, key) = (dir.join("front.pem"), dir.join("front.key"));
    let status = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ])
        .args([
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-days",
            &days.to_string(),
        ])
        .args(["-addext", "subjectAltName=DNS:localhost"])
        .args(["-addext", "basicConstraints=critical,CA:FALSE"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&certificate)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("openssl runs");
    assert!(status.success(), "openssl made the certificate");
    (certificate, key)
}

/// Starts an https front on 127.0.0.1 for `upstream` (`http://127.0.0.1:PORT`), with a
/// certificate valid for `days`, made in `dir`.
pub async fn start(upstream: &str, dir: &Path, days: u32) -> TlsFront {
    rustls::crypto::ring::default_provider()
        .install_default()
        .ok();
    let (certificate, key) = self_signed_certificate(dir, days);
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&certificate)
        .expect("certificate file")
        .collect::<Result<_, _>>()
        .expect("certificate PEM");
    let key = PrivateKeyDer::from_pem_file(&key).expect("key PEM");
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let upstream = upstream
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind front");
    let port = listener.local_addr().expect("front address").port();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let (acceptor, upstream) = (acceptor.clone(), upstream.clone());
            tokio::spawn(async move {
                let Ok(mut client) = acceptor.accept(client).await else {
                    return;
                };
                let Ok(mut server) = TcpStream::connect(&upstream).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            });
        }
    });
    TlsFront {
        url: format!("https://localhost:{port}"),
        certificate,
    }
}
