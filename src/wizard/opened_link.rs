//! The app opened from a link: `directus-mcp-setup://connect?url=https://cms.example.com`.
//!
//! A link only ever fills the Connect screen's URL field; the user still clicks Connect. So
//! a link is read here, once, into what the page may show: the Directus URL to fill in, or
//! the reason the link was refused (another action than `connect`, or a `url` that is not
//! an `http(s)` address, such as `javascript:` or `file:`).

use serde::Serialize;
use ts_rs::TS;

/// The scheme the app is registered for (tauri.conf.json `plugins.deep-link`, and the
/// .deb's desktop entry `MimeType=x-scheme-handler/directus-mcp-setup`).
pub const LINK_SCHEME: &str = "directus-mcp-setup";

/// The one thing a link may ask for: fill the Connect screen with this Directus URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectLink {
    /// The Directus URL, an `http` or `https` address, as the link gave it.
    pub url: String,
}

/// Why a link was refused: the page shows it as it is, so each says what was wrong and what
/// to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// The text is not a link at all.
    #[error(
        "The app was opened with a link it cannot read ({reason}). Nothing was filled in: type your Directus URL instead."
    )]
    NotALink {
        /// What the URL parser said.
        reason: String,
    },
    /// A link of another app's scheme.
    #[error(
        "The app was opened with a `{scheme}:` link; it only reads `directus-mcp-setup://connect?url=…` links. Nothing was filled in."
    )]
    OtherScheme {
        /// The scheme the link had.
        scheme: String,
    },
    /// An action other than `connect`.
    #[error(
        "The link asked the app to `{action}`, which it does not do from a link: a link can only fill in the Connect screen (`directus-mcp-setup://connect?url=…`). Nothing was done."
    )]
    UnknownAction {
        /// The action the link named (its host).
        action: String,
    },
    /// A `connect` link without its `url`.
    #[error(
        "The link has no Directus address (`?url=https://…`). Nothing was filled in: type your Directus URL, or ask whoever gave you the link for the full one."
    )]
    MissingUrl,
    /// The `url` is not an `http(s)` address (`javascript:`, `file:`, …).
    #[error(
        "The link's Directus address `{url}` was refused: only an http:// or https:// address can be filled in. Nothing was filled in: check the link with whoever gave it to you."
    )]
    NotHttp {
        /// The refused value, as the link gave it.
        url: String,
    },
}

/// Reads a link the app was opened with. Only `directus-mcp-setup://connect?url=<http(s)
/// URL>` is accepted; everything else is refused with the reason.
pub fn read_link(link: &str) -> Result<ConnectLink, LinkError> {
    let parsed = url::Url::parse(link.trim()).map_err(|error| LinkError::NotALink {
        reason: error.to_string(),
    })?;
    if parsed.scheme() != LINK_SCHEME {
        return Err(LinkError::OtherScheme {
            scheme: parsed.scheme().to_owned(),
        });
    }
    let action = parsed.host_str().unwrap_or_default();
    if action != "connect" {
        return Err(LinkError::UnknownAction {
            action: action.to_owned(),
        });
    }
    let value = parsed
        .query_pairs()
        .find(|(name, _)| name == "url")
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty())
        .ok_or(LinkError::MissingUrl)?;
    let refused = || LinkError::NotHttp { url: value.clone() };
    let target = url::Url::parse(&value).map_err(|_| refused())?;
    if !matches!(target.scheme(), "http" | "https") || target.host_str().is_none() {
        return Err(refused());
    }
    Ok(ConnectLink { url: value })
}

/// What the page shows for a link the app was opened with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OpenedLink {
    /// Put `url` in the Connect screen's URL field; the user still clicks Connect.
    Connect {
        /// The Directus URL to fill in.
        url: String,
    },
    /// The link was refused; show `message`, fill in nothing.
    Refused {
        /// What was wrong and what to do.
        message: String,
    },
}

impl OpenedLink {
    /// What the page shows for `link`.
    pub fn from_link(link: &str) -> Self {
        match read_link(link) {
            Ok(ConnectLink { url }) => Self::Connect { url },
            Err(error) => Self::Refused {
                message: error.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connect_link_fills_in_its_https_url() {
        assert_eq!(
            read_link("directus-mcp-setup://connect?url=https://cms.example.com"),
            Ok(ConnectLink {
                url: "https://cms.example.com".into()
            })
        );
    }

    #[test]
    fn a_percent_encoded_url_with_a_port_and_path_is_filled_in_decoded() {
        assert_eq!(
            read_link("directus-mcp-setup://connect?url=http%3A%2F%2F127.0.0.1%3A8055%2Fcms"),
            Ok(ConnectLink {
                url: "http://127.0.0.1:8055/cms".into()
            })
        );
    }

    #[test]
    fn a_javascript_url_is_refused() {
        let error = read_link("directus-mcp-setup://connect?url=javascript:alert(document.cookie)")
            .unwrap_err();
        assert!(matches!(error, LinkError::NotHttp { .. }));
        assert!(error.to_string().contains("only an http:// or https://"));
    }

    #[test]
    fn a_file_url_is_refused() {
        assert_eq!(
            read_link("directus-mcp-setup://connect?url=file:///etc/passwd"),
            Err(LinkError::NotHttp {
                url: "file:///etc/passwd".into()
            })
        );
    }

    #[test]
    fn a_url_that_is_not_an_address_is_refused() {
        for value in [
            "cms.example.com",
            "https://",
            "data:text/html,hi",
            "ftp://cms",
            // With a host, so only the scheme refuses them.
            "javascript://cms.example.com/%0aalert(1)",
            "file://fileserver/share/directus",
        ] {
            let link = format!("directus-mcp-setup://connect?url={value}");
            assert!(
                matches!(read_link(&link), Err(LinkError::NotHttp { .. })),
                "{value} was not refused"
            );
        }
    }

    #[test]
    fn another_action_than_connect_is_refused() {
        let error =
            read_link("directus-mcp-setup://disconnect?url=https://cms.example.com").unwrap_err();
        assert_eq!(
            error,
            LinkError::UnknownAction {
                action: "disconnect".into()
            }
        );
        assert!(error.to_string().contains("does not do from a link"));
    }

    #[test]
    fn a_connect_link_without_url_is_refused() {
        assert_eq!(
            read_link("directus-mcp-setup://connect"),
            Err(LinkError::MissingUrl)
        );
        assert_eq!(
            read_link("directus-mcp-setup://connect?url="),
            Err(LinkError::MissingUrl)
        );
    }

    #[test]
    fn another_scheme_is_refused() {
        assert_eq!(
            read_link("https://connect?url=https://cms.example.com"),
            Err(LinkError::OtherScheme {
                scheme: "https".into()
            })
        );
    }

    #[test]
    fn text_that_is_not_a_link_is_refused() {
        assert!(matches!(
            read_link("not a link"),
            Err(LinkError::NotALink { .. })
        ));
    }

    #[test]
    fn the_page_gets_the_url_or_the_refusal_message() {
        assert_eq!(
            OpenedLink::from_link("directus-mcp-setup://connect?url=https://cms.example.com"),
            OpenedLink::Connect {
                url: "https://cms.example.com".into()
            }
        );
        assert!(matches!(
            OpenedLink::from_link("directus-mcp-setup://connect?url=file:///etc/passwd"),
            OpenedLink::Refused { message } if message.contains("file:///etc/passwd")
        ));
    }
}
