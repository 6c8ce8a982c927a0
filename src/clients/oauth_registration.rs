//! How each client registers with an OAuth server, as facts read in the client's own
//! source, docs or tracker: the redirect URIs it registers, the grant types, response types
//! and token endpoint auth method it sends in a Dynamic Client Registration, and the Client
//! ID Metadata Document it signs in with. The doctor registers exactly this with Directus to
//! prove a client gets in before its user tries.
//!
//! Each row names where it was read and when. A client whose registration could not be
//! verified has no row (the doctor then proves nothing for it rather than guess): Raycast,
//! Windsurf, Gemini CLI, Codex, Claude.ai and Claude Desktop are left out for now, and
//! Claude Code's DCR request (its CIMD document is known).

use super::connector::OAuthRegistration;

/// One client's registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientRegistration {
    /// The client's id in this tool's catalogue.
    pub client: &'static str,
    /// How it registers (the same as the catalogue's `ClientInfo::oauth`; a test keeps them
    /// equal).
    pub kind: OAuthRegistration,
    /// The `client_name` it registers with.
    pub client_name: &'static str,
    /// Every redirect URI it registers in one DCR request (Directus refuses the whole
    /// registration when one of them is not allowed); empty when its DCR request is not
    /// known.
    pub redirect_uris: &'static [&'static str],
    /// `grant_types`.
    pub grant_types: &'static [&'static str],
    /// `response_types`.
    pub response_types: &'static [&'static str],
    /// `token_endpoint_auth_method`.
    pub token_endpoint_auth_method: &'static str,
    /// The Client ID Metadata Document it signs in with when the server offers CIMD.
    pub cimd_document: Option<&'static str>,
    /// The redirect URIs that document lists (Directus checks them by the same rules when
    /// it fetches the document).
    pub cimd_redirect_uris: &'static [&'static str],
    /// Where these facts were read, and when.
    pub source: &'static str,
}

/// The grant types of a client that refreshes its tokens.
const CODE_AND_REFRESH: &[&str] = &["authorization_code", "refresh_token"];
/// The response type every MCP client asks for.
const CODE: &[&str] = &["code"];

/// The clients whose registration is known.
pub const REGISTRATIONS: &[ClientRegistration] = &[
    ClientRegistration {
        client: "cursor",
        kind: OAuthRegistration::Dcr,
        client_name: "Cursor",
        redirect_uris: &[
            "cursor://anysphere.cursor-mcp/oauth/callback",
            "https://www.cursor.com/agents/mcp/oauth/callback",
            "http://localhost:8787/callback",
        ],
        grant_types: CODE_AND_REFRESH,
        response_types: CODE,
        token_endpoint_auth_method: "none",
        cimd_document: None,
        cimd_redirect_uris: &[],
        source: "the three redirect URIs in one DCR request: erp-mafia/accounted PR #2225 (2026-09-03, Cursor's real body) and soflyy/agent-connector-for-wp#111 (2026-09-11); a public client (`none`): different-ai/openwork PR #3059 (2026-07-23); read 2026-12-02",
    },
    ClientRegistration {
        client: "chatgpt",
        kind: OAuthRegistration::Dcr,
        client_name: "ChatGPT",
        // The last segment is ChatGPT's id for the connector; Directus judges the host.
        redirect_uris: &["https://chatgpt.com/connector/oauth/directus-mcp-setup-doctor"],
        grant_types: CODE_AND_REFRESH,
        response_types: CODE,
        token_endpoint_auth_method: "none",
        cimd_document: None,
        cimd_redirect_uris: &[],
        source: "per-connector callback https://chatgpt.com/connector/oauth/<id>: imonroe/memserv PR #46 (2026-05-23, from ChatGPT's logged registration) and makeplane/plane-mcp-server PR #165 (2026-06-29); read 2026-12-02",
    },
    ClientRegistration {
        client: "cline",
        kind: OAuthRegistration::Dcr,
        client_name: "Cline",
        // Cline binds the first free port of 1456-1458; Directus accepts any port on
        // loopback at sign-in (RFC 8252), so the first one stands for all three.
        redirect_uris: &["http://127.0.0.1:1456/mcp/oauth/callback"],
        grant_types: CODE_AND_REFRESH,
        response_types: CODE,
        token_endpoint_auth_method: "none",
        cimd_document: None,
        cimd_redirect_uris: &[],
        source: "cline/cline src/services/mcp/oauth.ts (MCP SDK auth() with clientMetadata, redirect http://127.0.0.1:{1456,1457,1458}/mcp/oauth/callback, token_endpoint_auth_method none), as recorded in shared/research/clients-more.md; read 2026-12-02",
    },
    ClientRegistration {
        client: "opencode",
        kind: OAuthRegistration::Dcr,
        client_name: "OpenCode",
        redirect_uris: &["http://127.0.0.1:19876/mcp/oauth/callback"],
        grant_types: CODE_AND_REFRESH,
        response_types: CODE,
        token_endpoint_auth_method: "none",
        cimd_document: None,
        cimd_redirect_uris: &[],
        source: "anomalyco/opencode MCP OAuth provider (DCR, client_name OpenCode, redirect http://127.0.0.1:19876/mcp/oauth/callback), as recorded in shared/research/clients-more.md; read 2026-12-02",
    },
    ClientRegistration {
        client: "qwen",
        kind: OAuthRegistration::Dcr,
        client_name: "Qwen Code",
        redirect_uris: &["http://localhost:7777/oauth/callback"],
        grant_types: CODE_AND_REFRESH,
        response_types: CODE,
        token_endpoint_auth_method: "none",
        cimd_document: None,
        cimd_redirect_uris: &[],
        source: "Qwen Code docs, MCP OAuth (dynamic registration, callback http://localhost:7777/oauth/callback), as recorded in shared/research/clients-more.md; read 2026-12-02",
    },
    ClientRegistration {
        client: "vscode",
        kind: OAuthRegistration::Cimd,
        client_name: "Visual Studio Code",
        redirect_uris: &[
            "https://insiders.vscode.dev/redirect",
            "https://vscode.dev/redirect",
            "http://127.0.0.1/",
            "http://127.0.0.1:33418/",
        ],
        grant_types: CODE_AND_REFRESH,
        response_types: CODE,
        token_endpoint_auth_method: "none",
        cimd_document: Some("https://vscode.dev/oauth/client-metadata.json"),
        cimd_redirect_uris: &["http://127.0.0.1:33418/", "https://vscode.dev/redirect"],
        source: "DCR body: microsoft/vscode src/vs/base/common/oauth.ts fetchDynamicRegistration (grant types filtered to the server's, which for Directus are these two); document: copies of https://vscode.dev/oauth/client-metadata.json as fetched 2026-09-08, identical in several public repositories; read 2026-12-02",
    },
    ClientRegistration {
        client: "claude-code",
        kind: OAuthRegistration::CimdOrDcr,
        client_name: "Claude Code",
        redirect_uris: &[],
        grant_types: CODE_AND_REFRESH,
        response_types: CODE,
        token_endpoint_auth_method: "none",
        cimd_document: Some("https://claude.ai/oauth/claude-code-client-metadata"),
        cimd_redirect_uris: &["http://localhost/callback", "http://127.0.0.1/callback"],
        source: "document: copies of https://claude.ai/oauth/claude-code-client-metadata as fetched 2026-09-08, identical in several public repositories; its DCR request is not verified; read 2026-12-02",
    },
];

/// The registration facts of the client `id`, when known.
pub fn for_client(id: &str) -> Option<&'static ClientRegistration> {
    REGISTRATIONS.iter().find(|row| row.client == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_names_a_catalogue_client_and_cites_a_dated_source() {
        for row in REGISTRATIONS {
            assert!(
                crate::clients::find(row.client).is_ok(),
                "{} is not in the catalogue",
                row.client
            );
            assert!(row.source.contains("2026-"), "{}: no date", row.client);
            assert!(
                !row.redirect_uris.is_empty() || !row.cimd_redirect_uris.is_empty(),
                "{}",
                row.client
            );
            assert!(row.grant_types.contains(&"authorization_code"));
            let client = crate::clients::find(row.client).unwrap();
            assert_eq!(row.kind, client.info().oauth, "{}", row.client);
            assert_eq!(row.cimd_document, client.cimd_client_id(), "{}", row.client);
        }
    }
}
