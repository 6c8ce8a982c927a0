//! The stdio bridge's cost: 500 `tools/list` calls through `directus-mcp-setup bridge` (a
//! child process on stdin/stdout, as Claude Desktop runs it) against the same calls made
//! directly over Streamable HTTP, on loopback, in one run. Prints the median latency of
//! each, the latency the bridge adds (target ≤ 2 ms), the time of 16 concurrent `tools/call`
//! through one bridge against the same 16 made directly (target ≤ 1.2×), and the bridge
//! process's memory after the calls (RSS, target ≤ 15 MB; PSS too, shared pages counted
//! once).
//!
//!     cargo bench --bench bridge

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{median, server};
use directus_mcp_setup::directus::ServerUrl;
use directus_mcp_setup::secret_store::{SecretKind, SecretStore};
use directus_mcp_setup::setup;
use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, ClientCapabilities, ClientConfig, Implementation};
use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;

const CALLS: usize = 500;

/// Concurrent calls per round, and rounds, of the concurrency measure.
const CONCURRENT: usize = 16;
const ROUNDS: usize = 20;

/// Times `ROUNDS` rounds of `CONCURRENT` concurrent `tools/call` on `client` (a read the
/// content editor may make; its answer, result or tool error, does not matter here).
async fn time_concurrent_calls<S: rmcp::Service<RoleClient>>(
    client: &RunningService<RoleClient, S>,
) -> Vec<Duration> {
    let call = || {
        client.call_tool(
            CallToolRequestParams::new("items").with_arguments(
                serde_json::json!({ "action": "read", "collection": "bench_notes", "query": { "limit": 1 } })
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
        )
    };
    for _ in 0..2 {
        let _ = futures::future::join_all((0..CONCURRENT).map(|_| call())).await;
    }
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let answers = futures::future::join_all((0..CONCURRENT).map(|_| call())).await;
        times.push(start.elapsed());
        assert_eq!(answers.len(), CONCURRENT);
    }
    times
}

/// Times `CALLS` tools/list calls on `client`, after a few warm-up calls.
async fn time_calls<S: rmcp::Service<RoleClient>>(
    client: &RunningService<RoleClient, S>,
) -> Vec<Duration> {
    for _ in 0..10 {
        client.list_tools(None).await.expect("tools/list");
    }
    let mut times = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let start = Instant::now();
        client.list_tools(None).await.expect("tools/list");
        times.push(start.elapsed());
    }
    times
}

/// One field (kB) of a /proc file of `pid`.
fn proc_kb(pid: u32, file: &str, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .unwrap_or_default()
        .lines()
        .find(|line| line.starts_with(field))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|value| value.parse().ok())
        .unwrap_or(0)
}

/// A session keyring of this process's own, shared with the bridge it starts (the kernel
/// keyring backend, as on a headless machine).
fn own_session_keyring() {
    const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
    // SAFETY: keyctl(2) with a null name joins a new anonymous session keyring; no memory
    // of ours is written.
    let joined = unsafe {
        libc::syscall(
            libc::SYS_keyctl,
            KEYCTL_JOIN_SESSION_KEYRING,
            std::ptr::null::<libc::c_char>(),
        )
    };
    assert!(joined >= 0, "keyctl join session keyring failed");
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for the list of benchmarks.
    }
    // SAFETY: set before any thread of ours reads the environment.
    unsafe { std::env::set_var("DIRECTUS_MCP_SETUP_KEYRING", "keyutils") };
    own_session_keyring();
    let (server, _started) = server();
    let session = common::sign_in_and_enable(&server).await;
    let request = common::content_editor();
    let store = SecretStore::new();
    setup::create_token(&session, &request, &store, false)
        .await
        .expect("token create");
    let url = ServerUrl::parse(&server.url, false).unwrap();
    let token = store
        .load(&url, &SecretKind::McpToken)
        .expect("keyring")
        .expect("the token is kept");

    // Directly over Streamable HTTP.
    let config = StreamableHttpClientTransportConfig::with_uri(url.mcp_endpoint().to_string())
        .auth_header(token.expose().to_owned());
    let http = directus_mcp_setup::directus::client::build_streaming_http_client(&url).unwrap();
    let info = ClientConfig::new(
        ClientCapabilities::default(),
        Implementation::new("bench", "0"),
    );
    let direct = info
        .clone()
        .serve(StreamableHttpClientTransport::with_client(http, config))
        .await
        .expect("direct handshake");
    let direct_times = time_calls(&direct).await;
    let direct_concurrent = time_concurrent_calls(&direct).await;
    let _ = direct.cancel().await;

    // Through the bridge, started as Claude Desktop starts it.
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_directus-mcp-setup"))
        .args(["bridge", "--url", &server.url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the bridge");
    let pid = child.id().expect("a pid");
    let transport = (child.stdout.take().unwrap(), child.stdin.take().unwrap());
    let bridged = info.serve(transport).await.expect("bridge handshake");
    let bridge_times = time_calls(&bridged).await;
    let bridge_concurrent = time_concurrent_calls(&bridged).await;
    let rss = proc_kb(pid, "status", "VmRSS:");
    let pss = proc_kb(pid, "smaps_rollup", "Pss:");
    let _ = bridged.cancel().await;
    let _ = child.wait().await;

    let (direct, bridge) = (median(direct_times), median(bridge_times));
    let added = bridge.saturating_sub(direct);
    println!("{CALLS} tools/list calls on loopback, median");
    println!("  direct HTTP:    {:.2} ms", direct.as_secs_f64() * 1e3);
    println!("  through bridge: {:.2} ms", bridge.as_secs_f64() * 1e3);
    println!(
        "  added:          {:.2} ms (target ≤ 2 ms: ratio {:.2})",
        added.as_secs_f64() * 1e3,
        added.as_secs_f64() * 1e3 / 2.0
    );
    let (direct_concurrent, bridge_concurrent) =
        (median(direct_concurrent), median(bridge_concurrent));
    println!("{CONCURRENT} concurrent tools/call, {ROUNDS} rounds, median per round");
    println!(
        "  direct HTTP:    {:.2} ms",
        direct_concurrent.as_secs_f64() * 1e3
    );
    println!(
        "  through bridge: {:.2} ms (target ≤ 1.2× direct: ratio {:.2})",
        bridge_concurrent.as_secs_f64() * 1e3,
        bridge_concurrent.as_secs_f64() / direct_concurrent.as_secs_f64().max(1e-9)
    );
    println!(
        "  bridge memory:  RSS {:.1} MB (target ≤ 15 MB: ratio {:.2}), PSS {:.1} MB",
        rss as f64 / 1024.0,
        rss as f64 / 1024.0 / 15.0,
        pss as f64 / 1024.0
    );
}
