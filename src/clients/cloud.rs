//! Clients that reach Directus from their vendor's servers, not from this computer
//! (Claude.ai and Claude's Connectors, ChatGPT): what they need of the URL, said before the
//! user sets them up, so a local or plain-http URL is not discovered later in their window.

use url::Url;

use crate::directus::Reach;

/// What keeps `vendor`'s servers from reaching `url`: none when it is a public https
/// address on the usual port.
pub fn unreachable_reasons(vendor: &str, url: &Url) -> Vec<String> {
    let reach = Reach::of(url);
    let mut problems = Vec::new();
    if reach != Reach::Internet {
        problems.push(format!(
            "{} is reachable {} (not from {vendor}'s servers)",
            url.host_str().unwrap_or("this address"),
            reach.describe()
        ));
    }
    if url.scheme() != "https" {
        problems.push("the address is not https".to_owned());
    }
    if let Some(port) = url.port().filter(|port| *port != 443) {
        problems.push(format!(
            "port {port} is not 443, the port connectors use for https"
        ));
    }
    problems
}

/// What to change so cloud connectors reach Directus.
pub const CLOUD_FIX: &str = "Give Directus a public https address on port 443 (with PUBLIC_URL set to it), or use a client that runs on this computer (Claude Desktop with the bridge, Claude Code, Cursor, VS Code).";

/// The note for `client`'s steps when `vendor`'s servers will not reach `url`.
pub(crate) fn unreachable_note(client: &str, vendor: &str, url: &Url) -> Option<String> {
    let problems = unreachable_reasons(vendor, url);
    if problems.is_empty() {
        return None;
    }
    Some(format!(
        "{client} connects to Directus from {vendor}'s servers, not from this computer: {}. {CLOUD_FIX}",
        problems.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(url: &str) -> Option<String> {
        unreachable_note("ChatGPT", "OpenAI", &Url::parse(url).unwrap())
    }

    #[test]
    fn a_public_https_address_is_fine() {
        assert_eq!(note("https://cms.example.com/mcp"), None);
        assert_eq!(note("https://cms.example.com:443/mcp"), None);
    }

    #[test]
    fn local_plain_or_odd_port_addresses_are_named() {
        let local = note("http://localhost:8055/mcp").unwrap();
        assert!(
            local.contains("localhost is reachable on this computer only"),
            "{local}"
        );
        assert!(local.contains("the address is not https"), "{local}");
        assert!(local.contains("port 8055"), "{local}");
        let internal = note("https://cms.internal:8443/mcp").unwrap();
        assert!(internal.contains("on a local network only"), "{internal}");
        assert!(internal.contains("port 8443"), "{internal}");
        assert!(!internal.contains("not https"), "{internal}");
    }
}
