//! `bridge --auth oauth` against a real Directus when a sign-in is refused (N15): the bridge
//! keeps its client registration and signs in with it again (no new client), opens no new
//! browser tab within the back-off after a denied consent, and — once the client was
//! deleted by `grants revoke` (as the app's Manage screen does) — registers anew and signs
//! in. The bridge runs in this process over an in-memory pipe; its "browser" hands each
//! sign-in page to the test, which answers it as the admin's browser would.

use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use directus_mcp_setup::mcp::bridge::oauth::{ConsentUrl, OpenBrowser, SecretSlot};
use directus_mcp_setup::mcp::bridge::{BridgeAuth, BridgeTarget, Timeouts, serve};
use directus_mcp_setup::secret::SecretString;
use reqwest::header::CONTENT_TYPE;
use rmcp::ServiceExt;
use rmcp::service::{RoleClient, RunningService};
use serde_json::Value;
use tokio::sync::mpsc;

use crate::support::{Api, Server, cli, oauth_client, oauth_server};

/// The name the bridge registers under.
const CLIENT_NAME: &str = directus_mcp_setup::mcp::bridge::oauth::CLIENT_NAME;

/// An in-memory keyring entry.
#[derive(Default)]
struct MemorySlot(StdMutex<Option<String>>);

impl SecretSlot for MemorySlot {
    fn load(&self) -> Result<Option<SecretString>, String> {
        Ok(self.0.lock().unwrap().clone().map(SecretString::new))
    }
    fn save(&self, value: &SecretString) -> Result<(), String> {
        *self.0.lock().unwrap() = Some(value.expose().to_owned());
        Ok(())
    }
    fn clear(&self) -> Result<(), String> {
        *self.0.lock().unwrap() = None;
        Ok(())
    }
}

impl MemorySlot {
    fn kept(&self) -> Value {
        serde_json::from_str(self.0.lock().unwrap().as_deref().unwrap_or("null")).unwrap()
    }
}

/// A bridge on `server` whose browser sends each sign-in page to the returned receiver.
async fn start_bridge(
    server: &Server,
    slot: Arc<MemorySlot>,
    back_off: Duration,
) -> (
    tokio::task::JoinHandle<Result<RunningService<RoleClient, ()>, String>>,
    mpsc::UnboundedReceiver<String>,
) {
    directus_mcp_setup::transport::install_tls_provider();
    let (pages, opened) = mpsc::unbounded_channel();
    let browser: OpenBrowser = Arc::new(move |url: &ConsentUrl| {
        let _ = pages.send(url.as_str().to_owned());
    });
    let target = BridgeTarget {
        endpoint: format!("{}/mcp", server.url),
        http: reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        name: "test bridge".to_owned(),
        timeouts: Timeouts {
            sign_in_back_off: back_off,
            ..Timeouts::DEFAULT
        },
    };
    let auth = BridgeAuth::OAuth {
        slot,
        open_browser: browser,
    };
    let (client_side, bridge_side) = tokio::io::duplex(1 << 16);
    tokio::spawn(serve(target, auth, bridge_side));
    let client =
        tokio::spawn(async move { ().serve(client_side).await.map_err(|error| error.to_string()) });
    (client, opened)
}

/// The next sign-in page the bridge opened (within 60 s).
async fn next_page(opened: &mut mpsc::UnboundedReceiver<String>) -> String {
    tokio::time::timeout(Duration::from_secs(60), opened.recv())
        .await
        .expect("a sign-in page was opened")
        .expect("the bridge is running")
}

fn client_id_of(page: &str) -> String {
    url::Url::parse(page)
        .unwrap()
        .query_pairs()
        .find(|(key, _)| key == "client_id")
        .expect("a client_id in the sign-in page")
        .1
        .into_owned()
}

/// What the admin's browser does on Directus' consent page `page`: signs in, approves or
/// denies, and follows Directus' redirect back to the bridge.
async fn answer_consent(server: &Server, page: &str, approved: bool) {
    let directus = oauth_client::Directus {
        url: server.url.clone(),
        email: server.email.clone(),
        password: server.password.clone(),
    };
    let back = oauth_client::answer_consent(&directus, page, approved).await;
    assert!(back.starts_with("http://127.0.0.1:"), "{back}");
    if !approved {
        assert!(back.contains("error=access_denied"), "{back}");
    }
    crate::support::http_client()
        .get(&back)
        .send()
        .await
        .expect("back to the bridge");
}

/// How many clients named as the bridge Directus has registered.
async fn bridge_clients(server: &Server) -> usize {
    let clients = Api::admin(server)
        .await
        .get("/mcp-oauth/clients?limit=-1&fields=client_id,client_name")
        .await;
    clients
        .as_array()
        .unwrap()
        .iter()
        .filter(|client| client["client_name"] == CLIENT_NAME)
        .count()
}

async fn list_tools(client: &RunningService<RoleClient, ()>) -> Result<usize, String> {
    client
        .list_all_tools()
        .await
        .map(|tools| tools.len())
        .map_err(|error| error.to_string())
}

/// MCP and OAuth with DCR on, on the OAuth server.
fn oauth_on(server: &Server) {
    cli(server, &["enable"]).ok();
    cli(server, &["oauth", "enable", "--dcr"]).ok();
}

/// Signs in the first time (one page, approved); returns the client and its client id.
async fn first_sign_in(
    server: &Server,
    slot: Arc<MemorySlot>,
    back_off: Duration,
) -> (
    RunningService<RoleClient, ()>,
    mpsc::UnboundedReceiver<String>,
    String,
) {
    let (client, mut opened) = start_bridge(server, slot, back_off).await;
    let page = next_page(&mut opened).await;
    answer_consent(server, &page, true).await;
    let client = client.await.unwrap().expect("initialize once signed in");
    assert!(list_tools(&client).await.unwrap() > 0);
    (client, opened, client_id_of(&page))
}

#[tokio::test]
async fn after_a_refusal_the_bridge_signs_in_with_the_same_client_and_opens_no_tab_within_the_back_off()
 {
    let server = oauth_server();
    let _guard = crate::support::oauth_exclusive().await;
    oauth_on(server);
    let slot = Arc::new(MemorySlot::default());
    let back_off = Duration::from_secs(4);
    let (client, mut opened, client_id) = first_sign_in(server, slot.clone(), back_off).await;
    let registered = bridge_clients(server).await;

    // Directus refuses the kept sign-in: its refresh token is revoked (RFC 7009), the client
    // stays registered.
    let refresh = slot.kept()["token_response"]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let revoked = crate::support::http_client()
        .post(format!("{}/mcp-oauth/revoke", server.url))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("token", &refresh)
                .append_pair("client_id", &client_id)
                .finish(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    let refused = list_tools(&client).await.unwrap_err();
    assert!(
        refused.contains("refused the bridge's OAuth sign-in"),
        "{refused}"
    );
    assert_eq!(slot.kept()["client_id"], client_id.as_str(), "kept");

    // The next call signs in with the same client; the user denies the consent.
    let denied = tokio::spawn({
        let client = client.peer().clone();
        async move { client.list_all_tools().await.map_err(|e| e.to_string()) }
    });
    let page = next_page(&mut opened).await;
    assert_eq!(client_id_of(&page), client_id, "no new registration");
    answer_consent(server, &page, false).await;
    let denied = denied.await.unwrap().unwrap_err();
    assert!(denied.contains("the consent was denied"), "{denied}");

    // Within the back-off: told at once, no tab, no registration.
    let again = list_tools(&client).await.unwrap_err();
    assert!(again.contains("opens no new sign-in page"), "{again}");
    assert!(opened.try_recv().is_err(), "no second tab");
    assert_eq!(bridge_clients(server).await, registered);

    // After it, the same client signs in.
    tokio::time::sleep(back_off).await;
    let signed_in = tokio::spawn({
        let client = client.peer().clone();
        async move { client.list_all_tools().await.map_err(|e| e.to_string()) }
    });
    let page = next_page(&mut opened).await;
    assert_eq!(client_id_of(&page), client_id, "no new registration");
    answer_consent(server, &page, true).await;
    signed_in
        .await
        .unwrap()
        .expect("signed in again with the kept client");
    assert_eq!(bridge_clients(server).await, registered);
    client.cancel().await.ok();
    cli(server, &["grants", "revoke", &client_id]).ok();
}

#[tokio::test]
async fn after_grants_revoke_deletes_the_client_the_next_sign_in_registers_anew_and_succeeds() {
    let server = oauth_server();
    let _guard = crate::support::oauth_exclusive().await;
    oauth_on(server);
    let slot = Arc::new(MemorySlot::default());
    let (client, mut opened, client_id) =
        first_sign_in(server, slot.clone(), Duration::from_secs(300)).await;

    // Revoked as the app's Manage screen does: the client is deleted.
    cli(server, &["grants", "revoke", &client_id]).ok();
    let refused = list_tools(&client).await.unwrap_err();
    assert!(
        refused.contains("refused the bridge's OAuth sign-in"),
        "{refused}"
    );

    // The kept client is gone, so the next sign-in registers a new one and succeeds.
    let signed_in = tokio::spawn({
        let client = client.peer().clone();
        async move { client.list_all_tools().await.map_err(|e| e.to_string()) }
    });
    let page = next_page(&mut opened).await;
    let new_id = client_id_of(&page);
    assert_ne!(new_id, client_id, "a new registration");
    answer_consent(server, &page, true).await;
    signed_in
        .await
        .unwrap()
        .expect("signed in with the new client");
    assert_eq!(slot.kept()["client_id"], new_id.as_str());
    client.cancel().await.ok();
    cli(server, &["grants", "revoke", &new_id]).ok();
}
