//! The address of a Directus instance, normalised and checked before anything is sent.

use std::fmt;
use std::net::IpAddr;

use thiserror::Error;
use url::{Host, Url};

/// Why a URL was refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum UrlError {
    /// Nothing was given.
    #[error(
        "no Directus URL given: pass --url https://your-directus.example.com (or set DIRECTUS_URL)"
    )]
    Empty,
    /// The text is not a URL.
    #[error(
        "'{input}' is not a valid URL ({reason}); expected something like https://directus.example.com"
    )]
    Invalid {
        /// What the user typed, its credentials masked (see [`masked_url`]).
        input: String,
        /// What the URL parser said.
        reason: String,
    },
    /// Neither http nor https.
    #[error(
        "'{scheme}://' is not supported: Directus is reached over https:// (or http:// on this computer)"
    )]
    UnsupportedScheme {
        /// The scheme that was given.
        scheme: String,
    },
    /// Plain http to another machine would send the admin password unencrypted.
    #[error(
        "refusing to send credentials over plain http:// to '{host}': use https://, or pass --allow-insecure-http if this network is trusted"
    )]
    InsecureHttp {
        /// The remote host.
        host: String,
    },
    /// Query strings and fragments have no place in a server's base URL.
    #[error("the Directus URL must not contain a query or '#' part: '{input}'")]
    HasQueryOrFragment {
        /// What the user typed, its query and fragment masked (see [`masked_url`]).
        input: String,
    },
}

/// What masks a URL's credentials in [`masked_url`].
const URL_MASK: &str = "••••••••";

/// `input` (a URL, or text meant to be one) as it may be shown or logged: the user name
/// and password before `@` and everything after `?` or `#` (`?access_token=…`) become
/// `••••••••`; the scheme, host and path stay readable.
pub fn masked_url(input: &str) -> String {
    let (scheme, rest) = match input.find("://") {
        Some(end) => input.split_at(end + 3),
        None => ("", input),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    // The userinfo ends at the last `@` of the authority; after `user:` a password holding
    // `/` or `?` (not valid, but typed) counts up to the last `@` (masking too much, never
    // too little).
    let userinfo_end = rest[..authority_end]
        .rfind('@')
        .or_else(|| rest.rfind('@').filter(|_| holds_password(rest)));
    let (userinfo, host_and_path) = match userinfo_end {
        Some(at) => (Some(&rest[..at]), &rest[at + 1..]),
        None => (None, rest),
    };
    let mut shown = scheme.to_owned();
    if userinfo.is_some() {
        shown.push_str(URL_MASK);
        shown.push('@');
    }
    match host_and_path.find(['?', '#']) {
        Some(mark) => {
            shown.push_str(&host_and_path[..=mark]);
            shown.push_str(URL_MASK);
        }
        None => shown.push_str(host_and_path),
    }
    shown
}

/// Whether `rest` (a URL after `scheme://`) starts with `user:password`: a `:` in the
/// authority followed by something other than a port number.
fn holds_password(rest: &str) -> bool {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority
        .split_once(':')
        .is_some_and(|(_, after)| !after.is_empty() && !after.chars().all(|c| c.is_ascii_digit()))
}

/// What the app logs for a sign-in to `input`: the URL as it will be used when it parses,
/// else [`masked_url`] of the input, so a password or `?access_token=` typed into the URL
/// field never reaches the log.
pub fn url_for_log(input: &str, allow_insecure_http: bool) -> String {
    ServerUrl::parse(input, allow_insecure_http)
        .map(|url| url.to_string())
        .unwrap_or_else(|_| masked_url(input.trim()))
}

/// The base URL of a Directus instance, e.g. `https://cms.example.com` or
/// `https://example.com/directus` (a sub-path install).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl {
    base: Url,
}

impl ServerUrl {
    /// Parses what a user typed or pasted.
    ///
    /// A missing scheme means `https://` (`http://` for this computer); a trailing `/`,
    /// `/mcp` or an admin-app path (`/admin/...`) is dropped, so pasting the address bar
    /// of the Directus app works. Plain `http://` is refused for any host but loopback
    /// unless `allow_insecure_http` is set.
    pub fn parse(input: &str, allow_insecure_http: bool) -> Result<Self, UrlError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(UrlError::Empty);
        }
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_owned()
        } else if looks_like_loopback(trimmed) {
            format!("http://{trimmed}")
        } else {
            format!("https://{trimmed}")
        };
        let mut url = Url::parse(&with_scheme).map_err(|error| UrlError::Invalid {
            input: masked_url(trimmed),
            reason: error.to_string(),
        })?;
        match url.scheme() {
            "https" | "http" => {}
            other => {
                return Err(UrlError::UnsupportedScheme {
                    scheme: other.to_owned(),
                });
            }
        }
        if url.host().is_none() {
            return Err(UrlError::Invalid {
                input: masked_url(trimmed),
                reason: "no host name".to_owned(),
            });
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(UrlError::HasQueryOrFragment {
                input: masked_url(trimmed),
            });
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(UrlError::Invalid {
                input: masked_url(trimmed),
                reason: "credentials do not belong in the URL".to_owned(),
            });
        }
        url.set_path(&base_path(url.path()));
        let server = Self { base: url };
        if server.base.scheme() == "http" && !server.is_loopback() && !allow_insecure_http {
            return Err(UrlError::InsecureHttp {
                host: server.host(),
            });
        }
        Ok(server)
    }

    /// The URL of an API path such as `/server/info` under this instance.
    pub fn join(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        let base = self.base.path().trim_end_matches('/');
        url.set_path(&format!("{base}/{}", path.trim_start_matches('/')));
        url
    }

    /// The MCP endpoint, `<base>/mcp`.
    pub fn mcp_endpoint(&self) -> Url {
        self.join("/mcp")
    }

    /// The host name (or address) of the instance.
    pub fn host(&self) -> String {
        self.base.host_str().unwrap_or_default().to_owned()
    }

    /// Whether the instance runs on this computer (127.0.0.0/8, ::1 or localhost).
    pub fn is_loopback(&self) -> bool {
        match self.base.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
            Some(Host::Domain(name)) => is_localhost_name(name),
            None => false,
        }
    }

    /// Whether requests go over TLS.
    pub fn is_https(&self) -> bool {
        self.base.scheme() == "https"
    }

    /// The base URL as a string without a trailing slash.
    pub fn as_str(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }
}

impl fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who can reach an address: only this computer, a local network, or anyone on the
/// internet (as far as its name or IP literal tells).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// `localhost`, `127.0.0.0/8`, `::1`.
    ThisComputer,
    /// A private or link-local IP range, or a name only a local network resolves
    /// (`.local`, `.lan`, `.internal`, `.home.arpa`, a single label).
    LocalNetwork,
    /// A public IP or a name in a public domain.
    Internet,
}

impl Reach {
    /// `url`'s reach, from its host.
    pub fn of(url: &Url) -> Self {
        match url.host() {
            Some(Host::Ipv4(ip)) if ip.is_loopback() => Self::ThisComputer,
            Some(Host::Ipv4(ip))
                if ip.is_private() || ip.is_link_local() || ip.is_unspecified() =>
            {
                Self::LocalNetwork
            }
            Some(Host::Ipv6(ip)) if ip.is_loopback() => Self::ThisComputer,
            Some(Host::Ipv6(ip))
                if ip.is_unique_local() || ip.is_unicast_link_local() || ip.is_unspecified() =>
            {
                Self::LocalNetwork
            }
            Some(Host::Domain(name)) if is_localhost_name(name) => Self::ThisComputer,
            Some(Host::Domain(name)) if is_local_network_name(name) => Self::LocalNetwork,
            Some(_) => Self::Internet,
            None => Self::ThisComputer,
        }
    }

    /// In words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Self::ThisComputer => "on this computer only",
            Self::LocalNetwork => "on a local network only",
            Self::Internet => "on the internet",
        }
    }
}

/// Names that only a local network resolves.
fn is_local_network_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    !name.contains('.')
        || [
            ".local",
            ".lan",
            ".internal",
            ".intranet",
            ".corp",
            ".home.arpa",
            ".localdomain",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

fn is_localhost_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

fn looks_like_loopback(input: &str) -> bool {
    let host = input.split(['/', ':']).next().unwrap_or_default();
    is_localhost_name(host) || host.starts_with("127.") || input.starts_with("[::1]")
}

/// Drops what is not part of the API's base path: a trailing slash, `/mcp`, and the
/// admin app's `/admin/...` routes.
fn base_path(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let end = segments
        .iter()
        .position(|segment| *segment == "admin")
        .unwrap_or(segments.len());
    let mut kept = &segments[..end];
    if kept.last() == Some(&"mcp") {
        kept = &kept[..kept.len() - 1];
    }
    format!("/{}", kept.join("/"))
}

#[cfg(test)]
mod reach_tests {
    use super::*;

    #[test]
    fn addresses_are_classified_by_who_can_reach_them() {
        let reach = |url: &str| Reach::of(&Url::parse(url).unwrap());
        for url in [
            "http://localhost:8055",
            "http://127.0.0.1:8055",
            "http://[::1]:8055",
            "http://app.localhost",
        ] {
            assert_eq!(reach(url), Reach::ThisComputer, "{url}");
        }
        for url in [
            "http://192.168.1.20:8055",
            "https://10.0.0.5",
            "https://172.20.1.1",
            "http://169.254.1.1",
            "https://[fd00::1]",
            "https://cms.internal:8443",
            "https://directus.local",
            "https://nas.home.arpa",
            "https://cms",
        ] {
            assert_eq!(reach(url), Reach::LocalNetwork, "{url}");
        }
        for url in [
            "https://cms.example.com",
            "https://203.0.113.7",
            "https://[2001:db8::1]",
        ] {
            assert_eq!(reach(url), Reach::Internet, "{url}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(input: &str) -> Result<String, UrlError> {
        ServerUrl::parse(input, false).map(|url| url.to_string())
    }

    #[test]
    fn adds_https_when_no_scheme_is_given() {
        assert_eq!(parse("cms.example.com").unwrap(), "https://cms.example.com");
    }

    #[test]
    fn loopback_without_scheme_means_http() {
        assert_eq!(parse("localhost:8055").unwrap(), "http://localhost:8055");
        assert_eq!(parse("127.0.0.1:8055").unwrap(), "http://127.0.0.1:8055");
    }

    #[test]
    fn pasted_app_and_mcp_urls_become_the_base() {
        assert_eq!(
            parse("https://cms.example.com/admin/content/articles").unwrap(),
            "https://cms.example.com"
        );
        assert_eq!(
            parse("https://cms.example.com/mcp").unwrap(),
            "https://cms.example.com"
        );
        assert_eq!(
            parse("https://example.com/directus/").unwrap(),
            "https://example.com/directus"
        );
    }

    #[test]
    fn joins_paths_under_a_sub_path_install() {
        let url = ServerUrl::parse("https://example.com/directus", false).unwrap();
        assert_eq!(
            url.join("/server/info").as_str(),
            "https://example.com/directus/server/info"
        );
        assert_eq!(
            url.mcp_endpoint().as_str(),
            "https://example.com/directus/mcp"
        );
    }

    #[test]
    fn refuses_plain_http_to_a_remote_host() {
        assert_eq!(
            parse("http://cms.example.com"),
            Err(UrlError::InsecureHttp {
                host: "cms.example.com".into()
            })
        );
        assert!(ServerUrl::parse("http://cms.example.com", true).is_ok());
    }

    #[test]
    fn allows_plain_http_on_loopback() {
        for url in [
            "http://127.0.0.1:8055",
            "http://127.1.2.3",
            "http://[::1]:8055",
            "http://localhost",
            "http://app.localhost",
        ] {
            assert!(parse(url).is_ok(), "{url}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_server_url() {
        assert_eq!(parse("  "), Err(UrlError::Empty));
        assert!(matches!(
            parse("ftp://cms.example.com"),
            Err(UrlError::UnsupportedScheme { .. })
        ));
        assert!(matches!(parse("https://"), Err(UrlError::Invalid { .. })));
        assert!(matches!(
            parse("https://cms.example.com/?a=1"),
            Err(UrlError::HasQueryOrFragment { .. })
        ));
        assert!(matches!(
            parse("https://u:p@cms.example.com"),
            Err(UrlError::Invalid { .. })
        ));
    }

    #[test]
    fn errors_about_the_url_never_echo_its_credentials() {
        for (input, secret) in [
            ("https://admin:hunter2@cms.example.com", "hunter2"),
            ("https://admin:hun/ter2@cms.example.com", "ter2"),
            (
                "https://cms.example.com/?access_token=LEAKEDTOKEN123",
                "LEAKEDTOKEN123",
            ),
            (
                "https://cms.example.com/#access_token=LEAKEDTOKEN123",
                "LEAKEDTOKEN123",
            ),
            ("https://admin:hunter2@cms example.com", "hunter2"),
            ("https://admin:hunter2@", "hunter2"),
        ] {
            let error = parse(input).unwrap_err().to_string();
            assert!(!error.contains(secret), "{input}: {error}");
            assert!(error.contains("••••••••"), "{input}: {error}");
        }
    }

    #[test]
    fn masked_urls_keep_scheme_host_and_path() {
        assert_eq!(
            masked_url("https://admin:hunter2@cms.example.com/directus"),
            "https://••••••••@cms.example.com/directus"
        );
        assert_eq!(
            masked_url("http://127.0.0.1:8055/mcp?access_token=LEAKED"),
            "http://127.0.0.1:8055/mcp?••••••••"
        );
        assert_eq!(
            masked_url("http://127.0.0.1:8055/mcp"),
            "http://127.0.0.1:8055/mcp"
        );
        assert_eq!(
            masked_url("user:pw@cms.example.com"),
            "••••••••@cms.example.com"
        );
        assert_eq!(
            masked_url("https://server.example/@scope/mcp"),
            "https://server.example/@scope/mcp"
        );
        assert_eq!(
            masked_url("https://cms.example.com?x=a@b"),
            "https://cms.example.com?••••••••"
        );
        assert_eq!(
            masked_url("https://u:p?ss@cms.example.com"),
            "https://••••••••@cms.example.com"
        );
    }

    #[test]
    fn the_sign_in_log_line_holds_no_credentials() {
        assert_eq!(
            url_for_log(" https://cms.example.com/admin/content ", false),
            "https://cms.example.com"
        );
        for input in [
            "https://admin:hunter2@cms.example.com",
            "https://cms.example.com/?access_token=LEAKEDTOKEN123",
            "not a url:hunter2@?access_token=LEAKEDTOKEN123",
        ] {
            let logged = url_for_log(input, false);
            assert!(
                !logged.contains("hunter2") && !logged.contains("LEAKEDTOKEN123"),
                "{logged}"
            );
        }
    }
}
