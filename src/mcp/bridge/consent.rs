//! Which consent pages the bridge's sign-in may open. The address comes from the
//! authorization server's metadata, which a hostile server or proxy controls; handing any
//! scheme to the system's opener (`file:`, `search-ms:`, `smb:`, a custom handler) is the
//! CVE-2025-6514 class of bug. So the bridge opens only `https:` pages (or `http:` ones when
//! Directus itself is plain http on this computer), on Directus' own origin or on the
//! issuer that Directus' protected-resource metadata names.

use std::net::IpAddr;

use url::{Host, Url};

/// A consent-page address that passed [`ConsentUrl::check`]: `http(s)` on an allowed
/// origin, so it always starts with its scheme (never with `-`) and names no local file or
/// other handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentUrl(String);

impl ConsentUrl {
    /// The address as text, for the browser.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Checks `url` against the Directus URL the bridge serves (`directus`) and the issuer of
    /// the authorization server Directus' metadata named (`issuer`, when discovery went
    /// through Directus' protected-resource metadata).
    pub fn check(url: &str, directus: &Url, issuer: Option<&Url>) -> Result<Self, ConsentError> {
        let parsed = Url::parse(url).map_err(|_| ConsentError::Unreadable)?;
        let scheme = parsed.scheme().to_owned();
        let host = parsed.host_str().unwrap_or_default().to_owned();
        let plain_http_allowed = directus.scheme() == "http" && is_loopback(directus);
        let scheme_ok = match scheme.as_str() {
            "https" => true,
            "http" => plain_http_allowed && is_loopback(&parsed),
            _ => false,
        };
        if !scheme_ok {
            return Err(ConsentError::Scheme { scheme, host });
        }
        let same_origin = |other: &Url| other.origin() == parsed.origin();
        if !(same_origin(directus) || issuer.is_some_and(same_origin)) {
            return Err(ConsentError::Origin {
                host,
                directus: directus.origin().ascii_serialization(),
            });
        }
        // `Url` serializes with the scheme first, so the text can never read as an option.
        Ok(Self(parsed.into()))
    }
}

/// Why a consent page was not opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsentError {
    /// The address is not a URL at all.
    #[error(
        "the sign-in page Directus' metadata names is not a valid URL, so it was not opened; check the authorization server's metadata"
    )]
    Unreadable,
    /// A scheme other than https (or http for a loopback Directus).
    #[error(
        "refused to open the sign-in page: its scheme `{scheme}:`{} is not https (http is allowed only when Directus itself runs on this computer over http). The authorization server's metadata may have been tampered with; check Directus and any proxy in front of it",
        host_note(.host)
    )]
    Scheme {
        /// The URL's scheme.
        scheme: String,
        /// Its host, empty when it has none.
        host: String,
    },
    /// A host other than Directus or the issuer its metadata names.
    #[error(
        "refused to open the sign-in page on host `{host}`: it is neither Directus ({directus}) nor the authorization server Directus' metadata names. The authorization server's metadata may have been tampered with; check Directus and any proxy in front of it"
    )]
    Origin {
        /// The URL's host.
        host: String,
        /// Directus' origin.
        directus: String,
    },
}

fn host_note(host: &str) -> String {
    if host.is_empty() {
        String::new()
    } else {
        format!(" (host `{host}`)")
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn opens_https_pages_on_directus_or_its_issuer() {
        let directus = url("https://cms.example.com/mcp");
        let issuer = url("https://login.example.com");
        let own = "https://cms.example.com/mcp-oauth/authorize?state=x";
        assert_eq!(
            ConsentUrl::check(own, &directus, None).unwrap().as_str(),
            own
        );
        ConsentUrl::check(
            "https://login.example.com/authorize?x=1",
            &directus,
            Some(&issuer),
        )
        .unwrap();
    }

    #[test]
    fn refuses_other_schemes_naming_them() {
        let directus = url("http://127.0.0.1:8055/mcp");
        for (page, scheme) in [
            ("file:///etc/passwd?response_type=code", "file"),
            (
                "search-ms:displayname=Updates&crumb=location:%5C%5Cattacker.example%5Cshare",
                "search-ms",
            ),
            ("smb://attacker.example/share/x.exe", "smb"),
            ("javascript:alert(1)", "javascript"),
            ("ms-msdt:/id PCWDiagnostic", "ms-msdt"),
        ] {
            let error = ConsentUrl::check(page, &directus, Some(&directus)).unwrap_err();
            assert!(
                matches!(&error, ConsentError::Scheme { scheme: s, .. } if s == scheme),
                "{page}: {error:?}"
            );
            assert!(
                error.to_string().contains(&format!("`{scheme}:`")),
                "{error}"
            );
        }
    }

    #[test]
    fn refuses_other_hosts_naming_them() {
        let directus = url("https://cms.example.com/mcp");
        let error =
            ConsentUrl::check("https://evil.example/authorize", &directus, None).unwrap_err();
        assert!(error.to_string().contains("`evil.example`"), "{error}");
        // Another port is another origin.
        ConsentUrl::check("https://cms.example.com:8443/authorize", &directus, None).unwrap_err();
    }

    #[test]
    fn plain_http_only_for_a_loopback_directus_over_http() {
        let loopback = url("http://127.0.0.1:8055/mcp");
        ConsentUrl::check("http://127.0.0.1:8055/authorize", &loopback, None).unwrap();
        let remote = url("https://cms.example.com/mcp");
        let error =
            ConsentUrl::check("http://cms.example.com/authorize", &remote, None).unwrap_err();
        assert!(matches!(error, ConsentError::Scheme { .. }), "{error:?}");
        // An http Directus elsewhere (--allow-insecure-http) gets no http consent page.
        let lan = url("http://10.0.0.5:8055/mcp");
        ConsentUrl::check("http://10.0.0.5:8055/authorize", &lan, None).unwrap_err();
    }

    #[test]
    fn a_checked_address_never_starts_with_a_dash() {
        let directus = url("https://cms.example.com/mcp");
        assert!(ConsentUrl::check("-https://cms.example.com/a", &directus, None).is_err());
        assert!(ConsentUrl::check("--new-window", &directus, None).is_err());
        let ok = ConsentUrl::check(" https://cms.example.com/a", &directus, None).unwrap();
        assert!(ok.as_str().starts_with("https://"), "{ok:?}");
    }
}
