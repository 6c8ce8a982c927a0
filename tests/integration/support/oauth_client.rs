//! A real MCP OAuth client, played by the test: Dynamic Client Registration, authorization
//! code with PKCE (S256) through Directus' consent page with an admin's browser session,
//! and the token exchange — what Cursor or ChatGPT do, over plain HTTP. Shared by the
//! integration tests and the app's end-to-end test (included there by path).

use base64::Engine;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use serde_json::{Value, json};
use sha2::Digest;

/// The Directus to sign in to and its admin, who approves the consent page.
#[derive(Debug, Clone)]
pub struct Directus {
    /// Base URL.
    pub url: String,
    /// The admin's email.
    pub email: String,
    /// The admin's password.
    pub password: String,
}

/// The redirect URI the test client registers (nothing listens there: the code is read
/// from the redirect itself).
pub const REDIRECT_URI: &str = "http://127.0.0.1:9/callback";

/// A client registered by DCR.
pub struct OAuthTestClient {
    http: reqwest::Client,
    server: Directus,
    /// The id Directus gave it.
    pub client_id: String,
}

fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

impl OAuthTestClient {
    /// Registers a client named `name` (RFC 7591).
    pub async fn register(server: &Directus, name: &str) -> Self {
        directus_mcp_setup::transport::install_tls_provider();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let registered: Value = http
            .post(format!("{}/mcp-oauth/register", server.url))
            .json(&json!({
                "client_name": name,
                "redirect_uris": [REDIRECT_URI],
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
                "token_endpoint_auth_method": "none",
            }))
            .send()
            .await
            .unwrap()
            .error_for_status()
            .expect("dynamic client registration")
            .json()
            .await
            .unwrap();
        Self {
            http,
            server: server.clone(),
            client_id: registered["client_id"]
                .as_str()
                .expect("a client_id")
                .to_owned(),
        }
    }

    /// The whole authorization: consent approved by the admin, code exchanged; returns the
    /// access token.
    pub async fn authorize(&self) -> String {
        self.authorize_tokens().await["access_token"]
            .as_str()
            .expect("an access token")
            .to_owned()
    }

    /// The whole authorization, as [`Self::authorize`]; returns Directus' token answer
    /// (`access_token`, `refresh_token`, `expires_in`).
    pub async fn authorize_tokens(&self) -> Value {
        let verifier = {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).unwrap();
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        };
        let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(sha2::Sha256::digest(verifier.as_bytes()));
        let resource = format!("{}/mcp", self.server.url);
        let mut authorize_url =
            url::Url::parse(&format!("{}/mcp-oauth/authorize", self.server.url)).unwrap();
        authorize_url.query_pairs_mut().extend_pairs([
            ("response_type", "code"),
            ("client_id", &self.client_id),
            ("redirect_uri", REDIRECT_URI),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("scope", "mcp:access"),
            ("state", "test-state"),
            ("resource", &resource),
        ]);
        let location =
            url::Url::parse(&approve_consent(&self.server, authorize_url.as_str()).await).unwrap();
        let code = location
            .query_pairs()
            .find(|(key, _)| key == "code")
            .expect("a code in the redirect")
            .1
            .into_owned();

        let tokens: Value = self
            .http
            .post(format!("{}/mcp-oauth/token", self.server.url))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form(&[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT_URI),
                ("client_id", &self.client_id),
                ("code_verifier", &verifier),
                ("resource", &resource),
            ]))
            .send()
            .await
            .unwrap()
            .error_for_status()
            .expect("the token exchange")
            .json()
            .await
            .unwrap();
        tokens
    }

    /// The HTTP status of an MCP `initialize` sent with `token`.
    pub async fn mcp_status(&self, token: &str) -> u16 {
        self.http
            .post(format!("{}/mcp", self.server.url))
            .bearer_auth(token)
            .header("accept", "application/json, text/event-stream")
            .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

/// The admin's browser session cookie (`/auth/login` in session mode).
async fn admin_session_cookie(http: &reqwest::Client, server: &Directus) -> String {
    let response = http
        .post(format!("{}/auth/login", server.url))
        .json(&json!({ "email": server.email, "password": server.password, "mode": "session" }))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .expect("admin session login");
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|cookie| cookie.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

/// What the admin's browser does on Directus' consent page for `authorize_url` (any
/// client's): opens it signed in, approves; returns where Directus sends the browser back
/// (the client's redirect URI with `code` and `state`).
pub async fn approve_consent(server: &Directus, authorize_url: &str) -> String {
    answer_consent(server, authorize_url, true).await
}

/// The same, approving or denying (`approved`); a denial is sent back with
/// `error=access_denied`.
pub async fn answer_consent(server: &Directus, authorize_url: &str, approved: bool) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cookie = admin_session_cookie(&http, server).await;
    let page = http
        .get(authorize_url)
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .expect("the consent page")
        .text()
        .await
        .unwrap();
    let marker = "name=\"signed_params\" value=\"";
    let start = page.find(marker).expect("the consent form") + marker.len();
    let signed_params = &page[start..start + page[start..].find('"').unwrap()];
    let decision = http
        .post(format!("{}/mcp-oauth/authorize/decision", server.url))
        .header(COOKIE, &cookie)
        .header(ORIGIN, &server.url)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form(&[
            ("signed_params", signed_params),
            ("approved", if approved { "true" } else { "false" }),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(
        decision.status(),
        302,
        "the decision redirects back to the client"
    );
    decision.headers()[LOCATION].to_str().unwrap().to_owned()
}
