//! What a client would make of an https address's certificate: whether this computer's trust
//! store accepts it (the clients that run here), whether a client that trusts only the public
//! certificate authorities accepts it (the cloud connectors, which connect from their
//! vendor's servers, and clients with their own CA list), and when it expires.
//!
//! The handshake accepts any certificate so that it can be judged afterwards, twice, with
//! the same verifiers a real client uses; nothing is sent over the connection.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::{Check, Topic, Verdict, ids_of, names};
use crate::clients::ClientConnector;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio::net::TcpStream;
use url::Url;

/// How near an expiry must be to be worth a warning.
pub(super) const EXPIRY_WARNING: std::time::Duration =
    std::time::Duration::from_secs(14 * 24 * 60 * 60);

/// The certificate of an https address, judged for each kind of client: the clients on this
/// computer need this computer to trust it; the cloud connectors need a public CA.
pub(super) async fn certificate_checks(
    chosen: &[&'static dyn ClientConnector],
    mcp_url: &url::Url,
) -> Vec<Check> {
    if mcp_url.scheme() != "https" || chosen.is_empty() {
        return Vec::new();
    }
    let host = mcp_url.host_str().unwrap_or("the server").to_owned();
    let report = match inspect(mcp_url).await {
        Ok(report) => report,
        Err(reason) => {
            return vec![Check {
                topic: Topic::Tls,
                verdict: Verdict::Problem,
                detail: format!("no certificate could be read: {reason}"),
                fix: Some(
                    "Check that Directus (or its reverse proxy) serves https on this address."
                        .into(),
                ),
                clients: ids_of(chosen),
            }];
        }
    };
    let (cloud, local): (Vec<_>, Vec<_>) = chosen
        .iter()
        .partition(|client| client.vendor_servers().is_some());
    let mut checks = Vec::new();
    if !local.is_empty() {
        checks.push(match &report.trusted_here {
            Ok(()) => Check {
                topic: Topic::Tls,
                verdict: Verdict::Ok,
                detail: match &report.publicly_trusted {
                    Ok(()) => format!("this computer trusts the certificate of {host} (issued by a public CA)"),
                    Err(why) => format!(
                        "this computer trusts the certificate of {host}, though not as a public CA's ({why}): clients with a CA list of their own, such as Node.js-based ones, need NODE_EXTRA_CA_CERTS set to your CA's file"
                    ),
                },
                fix: None,
                clients: ids_of(&local),
            },
            Err(why) => Check {
                topic: Topic::Tls,
                verdict: Verdict::Problem,
                detail: format!("this computer does not trust the certificate of {host}: {why}, so {} will refuse the connection", names(&local)),
                fix: Some(format!(
                    "Use a certificate from a public CA for {host} (e.g. Let's Encrypt), or add the CA that issued it to this computer's trust store."
                )),
                clients: ids_of(&local),
            },
        });
    }
    for client in cloud {
        let vendor = client.vendor_servers().unwrap_or_default();
        checks.push(match &report.publicly_trusted {
            Ok(()) => Check {
                topic: Topic::Tls,
                verdict: Verdict::Ok,
                detail: format!("a public CA issued the certificate of {host}, so {vendor}'s servers accept it"),
                fix: None,
                clients: vec![client.id().to_owned()],
            },
            Err(why) => Check {
                topic: Topic::Tls,
                verdict: Verdict::Problem,
                detail: format!(
                    "{} connects from {vendor}'s servers, which trust only public CAs: the certificate of {host} will be refused ({why}){}",
                    client.name(),
                    if report.trusted_here.is_ok() { "; that this computer trusts it does not help" } else { "" }
                ),
                fix: Some(format!("Use a certificate from a public CA for {host} (e.g. Let's Encrypt).")),
                clients: vec![client.id().to_owned()],
            },
        });
    }
    if let Some(expires) = report.expires {
        let left = expires
            .duration_since(std::time::SystemTime::now())
            .unwrap_or_default();
        if left < EXPIRY_WARNING {
            let date = chrono::DateTime::<chrono::Utc>::from(expires).format("%Y-%m-%d %H:%M UTC");
            let days = left.as_secs() / (24 * 60 * 60);
            checks.push(Check {
                topic: Topic::Tls,
                verdict: if left.is_zero() { Verdict::Problem } else { Verdict::Warning },
                detail: if left.is_zero() {
                    format!("the certificate of {host} expired on {date}")
                } else {
                    format!("the certificate of {host} expires on {date}, in {days} day{}", if days == 1 { "" } else { "s" })
                },
                fix: Some(format!(
                    "Renew the certificate of {host} before then (certbot renew, or your proxy's automatic renewal); every client stops connecting when it expires."
                )),
                clients: ids_of(chosen),
            });
        }
    }
    checks
}

/// How long connecting and the handshake may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// What the certificate of an https address is worth, and to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateReport {
    /// Whether this computer's trust store accepts it (why not, otherwise).
    pub trusted_here: Result<(), String>,
    /// Whether a client that trusts only the public certificate authorities (Mozilla's
    /// list) accepts it (why not, otherwise).
    pub publicly_trusted: Result<(), String>,
    /// When the server's own certificate stops being valid.
    pub expires: Option<SystemTime>,
}

/// Connects to `url`'s host and port, completes a TLS handshake and judges the certificate
/// the server presented. An error says why no certificate could be had (no connection, no
/// TLS on that port).
pub async fn inspect(url: &Url) -> Result<CertificateReport, String> {
    let host = match url.host() {
        Some(url::Host::Domain(name)) => name.to_owned(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        None => return Err("the address has no host".into()),
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let server_name =
        ServerName::try_from(host.clone()).map_err(|_| format!("'{host}' is not a host name"))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider.clone())))
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let handshake = async {
        let tcp = TcpStream::connect((host.as_str(), port))
            .await
            .map_err(|error| format!("could not connect to {host}:{port} ({error})"))?;
        connector
            .connect(server_name.clone(), tcp)
            .await
            .map_err(|error| format!("no TLS handshake with {host}:{port} ({error})"))
    };
    let stream = tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake)
        .await
        .map_err(|_| format!("{host}:{port} did not complete a TLS handshake within 10 s"))??;
    let chain: Vec<CertificateDer<'static>> = stream
        .get_ref()
        .1
        .peer_certificates()
        .map(|certificates| certificates.to_vec())
        .unwrap_or_default();
    let Some((leaf, intermediates)) = chain.split_first() else {
        return Err(format!("{host}:{port} presented no certificate"));
    };
    Ok(judge(
        leaf,
        intermediates,
        &server_name,
        provider,
        UnixTime::now(),
    ))
}

/// Judges a certificate chain for `server_name` at `now`.
fn judge(
    leaf: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
    server_name: &ServerName<'_>,
    provider: Arc<CryptoProvider>,
    now: UnixTime,
) -> CertificateReport {
    let verify = |verifier: Result<Arc<dyn ServerCertVerifier>, String>| {
        verifier.and_then(|verifier| {
            verifier
                .verify_server_cert(leaf, intermediates, server_name, &[], now)
                .map(|_| ())
                .map_err(|error| describe(&error))
        })
    };
    let here = rustls_platform_verifier::Verifier::new(provider.clone())
        .map(|verifier| Arc::new(verifier) as Arc<dyn ServerCertVerifier>)
        .map_err(|error| format!("this computer's trust store could not be read ({error})"));
    let public_roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let public = WebPkiServerVerifier::builder_with_provider(Arc::new(public_roots), provider)
        .build()
        .map(|verifier| verifier as Arc<dyn ServerCertVerifier>)
        .map_err(|error| error.to_string());
    CertificateReport {
        trusted_here: verify(here),
        publicly_trusted: verify(public),
        expires: not_after(leaf),
    }
}

/// A certificate's last valid moment. webpki checks the validity period of the server's
/// certificate before anything else, so validating it at a time after any certificate's
/// end reports exactly that end.
fn not_after(certificate: &CertificateDer<'_>) -> Option<SystemTime> {
    // The end of year 9999, the latest time a certificate can state.
    const LATER_THAN_ANY_CERTIFICATE: Duration = Duration::from_secs(253_402_300_800);
    let parsed = webpki::EndEntityCert::try_from(certificate).ok()?;
    let checked = parsed.verify_for_usage(
        webpki::ALL_VERIFICATION_ALGS,
        &[],
        &[],
        UnixTime::since_unix_epoch(LATER_THAN_ANY_CERTIFICATE),
        webpki::KeyUsage::server_auth(),
        None,
        None,
    );
    match checked {
        Err(webpki::Error::CertExpired { not_after, .. }) => {
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(not_after.as_secs()))
        }
        _ => None,
    }
}

/// A verifier's refusal in a user's words.
fn describe(error: &rustls::Error) -> String {
    use rustls::CertificateError as Why;
    match error {
        rustls::Error::InvalidCertificate(why) => match why {
            Why::UnknownIssuer => {
                "it is self-signed or issued by a certificate authority that is not trusted"
                    .to_owned()
            }
            Why::Expired | Why::ExpiredContext { .. } => "it has expired".to_owned(),
            Why::NotValidYet | Why::NotValidYetContext { .. } => {
                "it is not valid yet (is this computer's clock right?)".to_owned()
            }
            Why::NotValidForName | Why::NotValidForNameContext { .. } => {
                "it is not issued for this host name".to_owned()
            }
            Why::Revoked => "it has been revoked".to_owned(),
            // A trusted certificate of the same name as the issuer, with another key.
            Why::BadSignature
            | Why::UnsupportedSignatureAlgorithmContext { .. }
            | Why::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
                "it is self-signed or issued by a certificate authority that is not trusted (no trusted certificate signed it)".to_owned()
            }
            other => format!("it was refused ({other:?})"),
        },
        other => other.to_string(),
    }
}

/// Takes any certificate (it is judged after the handshake) but still checks that the
/// server holds the certificate's key.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed certificate for `localhost`, valid 2026-01-01 to 2026-12-31
    /// (generated once with openssl; only its dates and names matter here).
    fn self_signed() -> CertificateDer<'static> {
        let pem = include_str!("testdata/localhost-2026.pem");
        let body: String = pem
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        use base64::Engine as _;
        CertificateDer::from(
            base64::engine::general_purpose::STANDARD
                .decode(body)
                .expect("base64"),
        )
    }

    fn at(date: &str) -> UnixTime {
        let time = chrono::DateTime::parse_from_rfc3339(date).expect("a date");
        UnixTime::since_unix_epoch(Duration::from_secs(time.timestamp() as u64))
    }

    #[test]
    fn the_expiry_is_the_certificates_own_end() {
        let expires = not_after(&self_signed()).expect("an expiry");
        let expected = chrono::DateTime::parse_from_rfc3339("2026-12-31T00:00:00Z").unwrap();
        assert_eq!(
            expires,
            SystemTime::UNIX_EPOCH + Duration::from_secs(expected.timestamp() as u64)
        );
        assert_eq!(not_after(&CertificateDer::from(vec![1, 2, 3])), None);
    }

    #[test]
    fn a_self_signed_certificate_is_trusted_by_no_public_client() {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let name = ServerName::try_from("localhost").unwrap();
        let report = judge(
            &self_signed(),
            &[],
            &name,
            provider.clone(),
            at("2026-06-01T00:00:00Z"),
        );
        assert_eq!(
            report.publicly_trusted,
            Err(
                "it is self-signed or issued by a certificate authority that is not trusted".into()
            )
        );
        // Past its end, the reason is the date, for any client.
        let later = judge(
            &self_signed(),
            &[],
            &name,
            provider.clone(),
            at("2027-02-01T00:00:00Z"),
        );
        assert!(later.publicly_trusted.is_err());
        // For another name, the name is wrong before anything else.
        let other = ServerName::try_from("cms.example.com").unwrap();
        let report = judge(
            &self_signed(),
            &[],
            &other,
            provider,
            at("2026-06-01T00:00:00Z"),
        );
        assert!(report.publicly_trusted.is_err());
    }
}
