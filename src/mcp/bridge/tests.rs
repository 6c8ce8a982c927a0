//! The bridge against a misbehaving Directus stand-in ([`super::stub`]), in process: the
//! client side is rmcp's client over an in-memory pipe, as Claude Desktop's would be over
//! stdio.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use rmcp::service::{RoleClient, RunningService};
use tokio::net::TcpListener;

use super::oauth::ConsentUrl;
use super::stub::{OnCall, Stub, StubOptions};
use super::*;
use crate::secret::SecretString;

struct FixedToken;

impl TokenSource for FixedToken {
    fn token(&self) -> Result<Option<SecretString>, String> {
        Ok(Some(SecretString::new("static-token".to_owned())))
    }
}

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

const QUICK: Timeouts = Timeouts {
    connect: Duration::from_secs(1),
    request: Duration::from_secs(1),
    sign_in_back_off: Duration::from_secs(300),
};

fn target(endpoint: &str, timeouts: Timeouts) -> BridgeTarget {
    crate::transport::install_tls_provider();
    BridgeTarget {
        endpoint: endpoint.to_owned(),
        http: reqwest::Client::builder().no_proxy().build().unwrap(),
        name: "test bridge".to_owned(),
        timeouts,
    }
}

/// A browser that writes down what it was asked to open and does nothing else.
fn recording_browser() -> (OpenBrowser, Arc<StdMutex<Vec<String>>>) {
    let opened = Arc::new(StdMutex::new(Vec::new()));
    let browser: OpenBrowser = Arc::new({
        let opened = opened.clone();
        move |url: &ConsentUrl| opened.lock().unwrap().push(url.as_str().to_owned())
    });
    (browser, opened)
}

async fn start(
    target: BridgeTarget,
    auth: BridgeAuth,
) -> Result<RunningService<RoleClient, ()>, String> {
    let (client_side, bridge_side) = tokio::io::duplex(1 << 16);
    tokio::spawn(serve(target, auth, bridge_side));
    ().serve(client_side)
        .await
        .map_err(|error| error.to_string())
}

async fn call(client: &RunningService<RoleClient, ()>) -> Result<String, String> {
    client
        .call_tool(CallToolRequestParams::new("items"))
        .await
        .map(|result| serde_json::to_string(&result.content).unwrap())
        .map_err(|error| error.to_string())
}

/// A free port whose number contains "401" (what a text match on errors mistook for a 401).
async fn port_with_401() -> TcpListener {
    for port in (40100..=40199).chain(4010..=4019) {
        if let Ok(listener) = TcpListener::bind(("127.0.0.1", port)).await {
            return listener;
        }
    }
    panic!("no free port with 401 in it");
}

#[tokio::test]
async fn a_failure_on_a_401_port_is_unreachable_and_a_call_that_may_have_run_is_not_sent_again() {
    let stub = Stub::start(
        port_with_401().await,
        StubOptions {
            on_call: OnCall::BreakOff,
            ..StubOptions::default()
        },
    );
    assert!(stub.base.contains("401"), "{}", stub.base);
    let client = start(
        target(&stub.endpoint(), QUICK),
        BridgeAuth::Token(Arc::new(FixedToken)),
    )
    .await
    .unwrap();
    let info = client.peer_info().unwrap();
    assert_eq!(info.server_info.as_ref().unwrap().name, "stub-directus");

    // Directus read the call and broke off: it may have run it, so it is not sent again.
    let broken = call(&client).await.unwrap_err();
    assert!(broken.contains("could not be reached"), "{broken}");
    assert!(!broken.contains("refused"), "{broken}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(stub.seen.tools_calls.load(Ordering::SeqCst), 1);

    // Directus gone: "could not be reached", not "refused the token".
    stub.stop();
    let down = client.list_all_tools().await.unwrap_err().to_string();
    assert!(down.contains("could not be reached"), "{down}");
    assert!(!down.contains("refused"), "{down}");

    // A fresh bridge still starts, offline.
    let fresh = start(
        target(&stub.endpoint(), QUICK),
        BridgeAuth::Token(Arc::new(FixedToken)),
    )
    .await
    .expect("initialize is answered while Directus is down");
    let info = fresh.peer_info().unwrap();
    assert_eq!(
        info.server_info.as_ref().unwrap().name,
        "directus (not reachable yet)"
    );
}

#[tokio::test]
async fn a_stalled_call_gets_an_error_in_time_and_other_calls_go_on() {
    let stub = Stub::on_free_port(StubOptions {
        on_call: OnCall::Stall,
        ..StubOptions::default()
    })
    .await;
    let client = Arc::new(
        start(
            target(&stub.endpoint(), QUICK),
            BridgeAuth::Token(Arc::new(FixedToken)),
        )
        .await
        .unwrap(),
    );
    let started = Instant::now();
    let stalled = tokio::spawn({
        let client = client.clone();
        async move { call(&client).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Another call meanwhile is not queued behind the stalled one.
    client.list_all_tools().await.expect("tools/list meanwhile");
    let error = tokio::time::timeout(Duration::from_secs(5), stalled)
        .await
        .expect("an answer within the deadline")
        .unwrap()
        .unwrap_err();
    assert!(error.contains("did not answer in time"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_directus_that_accepts_and_never_answers_does_not_hang_the_bridge() {
    let (endpoint, _silent) = super::stub::silent().await;
    let started = Instant::now();
    let client = tokio::time::timeout(
        Duration::from_secs(5),
        start(
            target(&endpoint, QUICK),
            BridgeAuth::Token(Arc::new(FixedToken)),
        ),
    )
    .await
    .expect("initialize answered in time")
    .unwrap();
    let info = client.peer_info().unwrap();
    assert_eq!(
        info.server_info.as_ref().unwrap().name,
        "directus (not reachable yet)"
    );
    let error = tokio::time::timeout(Duration::from_secs(5), client.list_all_tools())
        .await
        .expect("tools/list answered in time")
        .unwrap_err()
        .to_string();
    assert!(error.contains("could not be reached"), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_hostile_consent_page_is_never_opened() {
    for page in [
        "file:///etc/passwd",
        "search-ms:displayname=Updates&crumb=location:%5C%5Cattacker.example%5Cshare",
        "https://evil.example/authorize",
    ] {
        let stub = Stub::on_free_port(StubOptions {
            oauth: true,
            authorization_endpoint: Some(page.to_owned()),
            ..StubOptions::default()
        })
        .await;
        let (browser, opened) = recording_browser();
        let error = start(
            target(&stub.endpoint(), QUICK),
            BridgeAuth::OAuth {
                slot: Arc::new(MemorySlot::default()),
                open_browser: browser,
            },
        )
        .await
        .unwrap_err();
        assert!(
            error.contains("refused to open the sign-in page"),
            "{page}: {error}"
        );
        let named = if page.starts_with("https") {
            "`evil.example`"
        } else {
            page.split(':').next().unwrap()
        };
        assert!(error.contains(named), "{page}: {error}");
        assert!(opened.lock().unwrap().is_empty(), "{page}: {opened:?}");
        assert_eq!(stub.seen.registrations.load(Ordering::SeqCst), 0, "{page}");
    }
}

/// A browser that comes back to the bridge's listener: first with a forged `state`, then
/// with the real one; it keeps the pages it got.
fn returning_browser() -> (OpenBrowser, Arc<StdMutex<Vec<String>>>) {
    let pages = Arc::new(StdMutex::new(Vec::new()));
    let browser: OpenBrowser = Arc::new({
        let pages = pages.clone();
        move |url: &ConsentUrl| {
            let parsed = url::Url::parse(url.as_str()).unwrap();
            let query = |name: &str| {
                parsed
                    .query_pairs()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.into_owned())
                    .unwrap()
            };
            let redirect = query("redirect_uri");
            let state = query("state");
            let pages = pages.clone();
            tokio::spawn(async move {
                crate::transport::install_tls_provider();
                let http = reqwest::Client::builder().no_proxy().build().unwrap();
                for state in ["forged", state.as_str()] {
                    let response = http
                        .get(format!("{redirect}?code=the-code&state={state}"))
                        .send()
                        .await
                        .unwrap();
                    let status = response.status().as_u16();
                    let text = response.text().await.unwrap();
                    pages.lock().unwrap().push(format!("{status} {text}"));
                }
            });
        }
    });
    (browser, pages)
}

#[tokio::test]
async fn the_sign_in_ignores_a_forged_callback_and_says_signed_in_after_the_exchange() {
    let stub = Stub::on_free_port(StubOptions {
        oauth: true,
        ..StubOptions::default()
    })
    .await;
    let (browser, pages) = returning_browser();
    let slot = Arc::new(MemorySlot::default());
    let client = start(
        target(&stub.endpoint(), QUICK),
        BridgeAuth::OAuth {
            slot: slot.clone(),
            open_browser: browser,
        },
    )
    .await
    .unwrap();
    client
        .list_all_tools()
        .await
        .expect("tools/list once signed in");
    let pages = pages.lock().unwrap().clone();
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(
        pages[0].starts_with("404 ") && !pages[0].contains("Signed in"),
        "{pages:?}"
    );
    assert!(
        pages[1].starts_with("200 ") && pages[1].contains("Signed in"),
        "{pages:?}"
    );
    assert_eq!(stub.seen.code_exchanges.load(Ordering::SeqCst), 1);
    assert!(slot.load().unwrap().is_some(), "the sign-in is kept");
}

#[tokio::test]
async fn a_second_call_during_a_sign_in_is_told_at_once_and_opens_no_second_tab() {
    let stub = Stub::on_free_port(StubOptions {
        oauth: true,
        ..StubOptions::default()
    })
    .await;
    let (browser, opened) = recording_browser();
    let bridge = Arc::new(Bridge {
        shared: Arc::new(Shared {
            target: target(&stub.endpoint(), QUICK),
            auth: BridgeAuth::OAuth {
                slot: Arc::new(MemorySlot::default()),
                open_browser: browser,
            },
            client_params: StdMutex::new(None),
            downstream: StdMutex::new(None),
            started_offline: AtomicBool::new(false),
            signing_in: AtomicBool::new(false),
            sign_in_failed_at: StdMutex::new(None),
        }),
        upstream: Arc::new(Mutex::new(None)),
        connecting: Arc::new(Mutex::new(())),
    });
    let first = tokio::spawn({
        let bridge = bridge.clone();
        async move { bridge.peer().await.map(|_| ()).map_err(|_| ()) }
    });
    let deadline = Instant::now() + Duration::from_secs(5);
    while opened.lock().unwrap().is_empty() {
        assert!(Instant::now() < deadline, "the browser was opened");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let second = tokio::time::timeout(Duration::from_secs(2), bridge.peer())
        .await
        .expect("the second call is answered at once");
    assert!(matches!(second, Err(LinkFailure::SignInInProgress)));
    assert_eq!(opened.lock().unwrap().len(), 1);
    first.abort();
}

#[tokio::test]
async fn two_bridges_refreshing_one_sign_in_send_one_refresh() {
    let stub = Stub::on_free_port(StubOptions {
        oauth: true,
        ..StubOptions::default()
    })
    .await;
    let (access, refresh) = stub.issue();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // A kept sign-in whose access token expired: both bridges want to refresh it.
    let kept = serde_json::json!({
        "client_id": "stub-client",
        "token_response": {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 60,
            "refresh_token": refresh,
            "scope": "mcp:access",
        },
        "granted_scopes": ["mcp:access"],
        "token_received_at": now - 120,
        "issuer": stub.base,
    });
    let slot = Arc::new(MemorySlot(StdMutex::new(Some(kept.to_string()))));
    let bridge = |slot: Arc<MemorySlot>| {
        let (browser, _) = recording_browser();
        start(
            target(&stub.endpoint(), Timeouts::DEFAULT),
            BridgeAuth::OAuth {
                slot,
                open_browser: browser,
            },
        )
    };
    let (first, second) = tokio::join!(bridge(slot.clone()), bridge(slot.clone()));
    let (first, second) = (first.unwrap(), second.unwrap());
    first
        .list_all_tools()
        .await
        .expect("the first bridge works");
    second
        .list_all_tools()
        .await
        .expect("the second bridge works");
    assert_eq!(stub.seen.refreshes.load(Ordering::SeqCst), 1);
    let kept = slot.load().unwrap().unwrap();
    assert!(
        kept.expose().contains("refresh-2"),
        "the rotated token is kept"
    );
}

/// A browser that goes straight back to the bridge's listener with `answer` (`code=…` for an
/// approval, `error=access_denied` for a denial) and this sign-in's `state`; it counts the
/// pages it was asked to open.
fn answering_browser(answer: &'static str) -> (OpenBrowser, Arc<AtomicUsize>) {
    let opened = Arc::new(AtomicUsize::new(0));
    let browser: OpenBrowser = Arc::new({
        let opened = opened.clone();
        move |url: &ConsentUrl| {
            opened.fetch_add(1, Ordering::SeqCst);
            let parsed = url::Url::parse(url.as_str()).unwrap();
            let query = |name: &str| {
                parsed
                    .query_pairs()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| value.into_owned())
                    .unwrap()
            };
            let back = format!(
                "{}?{answer}&state={}",
                query("redirect_uri"),
                query("state")
            );
            tokio::spawn(async move {
                crate::transport::install_tls_provider();
                let http = reqwest::Client::builder().no_proxy().build().unwrap();
                let _ = http.get(back).send().await;
            });
        }
    });
    (browser, opened)
}

#[tokio::test]
async fn signing_in_again_after_a_refusal_reuses_the_client_registration() {
    let stub = Stub::on_free_port(StubOptions {
        oauth: true,
        ..StubOptions::default()
    })
    .await;
    let (browser, opened) = answering_browser("code=the-code");
    let slot = Arc::new(MemorySlot::default());
    let client = start(
        target(&stub.endpoint(), QUICK),
        BridgeAuth::OAuth {
            slot: slot.clone(),
            open_browser: browser,
        },
    )
    .await
    .unwrap();
    client.list_all_tools().await.expect("signed in");
    assert_eq!(stub.seen.registrations.load(Ordering::SeqCst), 1);

    // The grant is revoked: the call is refused and the tokens are forgotten, not the client.
    stub.refuse_issued_tokens();
    let refused = client.list_all_tools().await.unwrap_err().to_string();
    assert!(
        refused.contains("refused the bridge's OAuth sign-in"),
        "{refused}"
    );
    let kept = slot.load().unwrap().expect("the registration is kept");
    assert!(kept.expose().contains("stub-client"), "{}", kept.expose());
    assert!(!kept.expose().contains("access-"), "{}", kept.expose());

    // The next call signs in again with the same registration.
    client.list_all_tools().await.expect("signed in again");
    assert_eq!(opened.load(Ordering::SeqCst), 2);
    assert_eq!(stub.seen.code_exchanges.load(Ordering::SeqCst), 2);
    assert_eq!(
        stub.seen.registrations.load(Ordering::SeqCst),
        1,
        "one registration in total"
    );
}

#[tokio::test]
async fn after_a_denied_consent_the_next_call_opens_no_tab_and_is_told_how_to_retry() {
    let stub = Stub::on_free_port(StubOptions {
        oauth: true,
        ..StubOptions::default()
    })
    .await;
    let (browser, opened) = answering_browser("error=access_denied");
    let bridge = Bridge {
        shared: Arc::new(Shared {
            target: target(&stub.endpoint(), QUICK),
            auth: BridgeAuth::OAuth {
                slot: Arc::new(MemorySlot::default()),
                open_browser: browser,
            },
            client_params: StdMutex::new(None),
            downstream: StdMutex::new(None),
            started_offline: AtomicBool::new(false),
            signing_in: AtomicBool::new(false),
            sign_in_failed_at: StdMutex::new(None),
        }),
        upstream: Arc::new(Mutex::new(None)),
        connecting: Arc::new(Mutex::new(())),
    };
    let message = |failure: LinkFailure| failure.into_error(&stub.endpoint()).message;
    let denied = message(bridge.peer().await.map(|_| ()).unwrap_err());
    assert!(denied.contains("did not complete"), "{denied}");
    assert_eq!(opened.load(Ordering::SeqCst), 1);

    let started = Instant::now();
    let again = tokio::time::timeout(Duration::from_secs(2), bridge.peer())
        .await
        .expect("the second call is answered at once")
        .map(|_| ())
        .unwrap_err();
    let again = message(again);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(again.contains("opens no new sign-in page"), "{again}");
    assert!(
        again.contains(&format!(
            "directus-mcp-setup bridge --url {} --auth oauth --sign-in-only",
            stub.base
        )),
        "{again}"
    );
    assert_eq!(opened.load(Ordering::SeqCst), 1, "no second tab");
    assert_eq!(stub.seen.code_exchanges.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_kept_registration_survives_a_denied_consent_and_is_replaced_once_directus_deleted_it() {
    let stub = Stub::on_free_port(StubOptions {
        oauth: true,
        ..StubOptions::default()
    })
    .await;
    // Only a registration is kept, and Directus still has it.
    stub.add_client("stub-client");
    let registration = serde_json::json!({"client_id": "stub-client", "issuer": stub.base});
    let slot = Arc::new(MemorySlot(StdMutex::new(Some(registration.to_string()))));
    let http = target(&stub.endpoint(), QUICK).http;
    let log = |_: &str| {};
    let sign_in = |browser: OpenBrowser| {
        let slot = slot.clone();
        let http = http.clone();
        let endpoint = stub.endpoint();
        async move { super::oauth::sign_in(&endpoint, &http, slot, &browser, &log, QUICK.connect).await }
    };
    let (denying, opened) = answering_browser("error=access_denied");
    let denied = sign_in(denying).await.map(|_| ()).unwrap_err();
    assert!(
        matches!(&denied, SignInError::NotCompleted(reason) if reason.contains("denied")),
        "{denied:?}"
    );
    assert_eq!(opened.load(Ordering::SeqCst), 1);
    assert_eq!(stub.seen.revocations.load(Ordering::SeqCst), 1, "checked");
    assert_eq!(
        stub.seen.registrations.load(Ordering::SeqCst),
        0,
        "the kept registration was used"
    );
    let kept = slot.load().unwrap().expect("still kept after the denial");
    assert!(
        kept.expose().contains("\"stub-client\""),
        "{}",
        kept.expose()
    );

    // Revoked in Directus MCP Setup: the client is deleted, so the next sign-in registers.
    stub.delete_clients();
    let (approving, opened) = answering_browser("code=the-code");
    sign_in(approving)
        .await
        .expect("a sign-in after the client was deleted succeeds");
    assert_eq!(opened.load(Ordering::SeqCst), 1);
    assert_eq!(stub.seen.registrations.load(Ordering::SeqCst), 1);
    let kept = slot.load().unwrap().unwrap();
    assert!(
        kept.expose().contains("stub-client-1") && kept.expose().contains("access-"),
        "{}",
        kept.expose()
    );
}

#[tokio::test]
async fn signing_in_again_after_the_client_was_deleted_registers_anew() {
    let stub = Stub::on_free_port(StubOptions {
        oauth: true,
        ..StubOptions::default()
    })
    .await;
    let (browser, opened) = answering_browser("code=the-code");
    let client = start(
        target(&stub.endpoint(), QUICK),
        BridgeAuth::OAuth {
            slot: Arc::new(MemorySlot::default()),
            open_browser: browser,
        },
    )
    .await
    .unwrap();
    client.list_all_tools().await.expect("signed in");
    stub.delete_clients();
    let refused = client.list_all_tools().await.unwrap_err().to_string();
    assert!(
        refused.contains("refused the bridge's OAuth sign-in"),
        "{refused}"
    );
    client
        .list_all_tools()
        .await
        .expect("signed in again with a new registration");
    assert_eq!(opened.load(Ordering::SeqCst), 2);
    assert_eq!(stub.seen.registrations.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn after_the_back_off_a_denied_sign_in_is_retried_with_the_same_registration() {
    let stub = Stub::on_free_port(StubOptions {
        oauth: true,
        ..StubOptions::default()
    })
    .await;
    // The user denies the first consent and approves the next one.
    let (deny, opened) = answering_browser("error=access_denied");
    let (approve, _) = answering_browser("code=the-code");
    let browser: OpenBrowser = Arc::new({
        let opened = opened.clone();
        move |url: &ConsentUrl| {
            if opened.load(Ordering::SeqCst) == 0 {
                deny(url)
            } else {
                opened.fetch_add(1, Ordering::SeqCst);
                approve(url)
            }
        }
    });
    let slot = Arc::new(MemorySlot::default());
    let bridge = Bridge {
        shared: Arc::new(Shared {
            target: target(
                &stub.endpoint(),
                Timeouts {
                    sign_in_back_off: Duration::from_millis(700),
                    ..QUICK
                },
            ),
            auth: BridgeAuth::OAuth {
                slot: slot.clone(),
                open_browser: browser,
            },
            client_params: StdMutex::new(None),
            downstream: StdMutex::new(None),
            started_offline: AtomicBool::new(false),
            signing_in: AtomicBool::new(false),
            sign_in_failed_at: StdMutex::new(None),
        }),
        upstream: Arc::new(Mutex::new(None)),
        connecting: Arc::new(Mutex::new(())),
    };
    assert!(bridge.peer().await.is_err(), "denied");
    let kept = slot.load().unwrap().expect("the new registration is kept");
    assert!(kept.expose().contains("stub-client-1"), "{}", kept.expose());
    assert!(matches!(
        bridge.peer().await.map(|_| ()),
        Err(LinkFailure::SignInBackOff(_))
    ));
    assert_eq!(
        opened.load(Ordering::SeqCst),
        1,
        "no tab within the back-off"
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    bridge
        .peer()
        .await
        .map(|_| ())
        .map_err(|failure| failure.into_error("stub").message)
        .expect("signed in after the back-off");
    assert_eq!(opened.load(Ordering::SeqCst), 2);
    assert_eq!(
        stub.seen.registrations.load(Ordering::SeqCst),
        1,
        "the registration of the denied sign-in was used again"
    );
}
