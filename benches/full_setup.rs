//! The full setup (login → enable → token create → verify) against a real local Directus,
//! compared with a plain-HTTP script doing the 5 requests that are the floor:
//! login, PATCH /settings, POST /users (nested role + policy + token), initialize, tools/list.
//!
//! Prints the requests used vs the floor and the wall time as a ratio (median of runs).
//! Targets: ≤ 6 requests, ≤ 1.3×. Uses the Directus of `DIRECTUS_TEST_SERVER_ENV`
//! (a `server.env` from scripts/directus-server.sh) or starts one.
//!
//!     cargo bench --bench full_setup

use std::time::{Duration, Instant};

use directus_mcp_setup::secret::SecretString;
use directus_mcp_setup::secret_store::SecretStore;
use directus_mcp_setup::setup;
use serde_json::{Value, json};

const RUNS: usize = 7;
const FLOOR: usize = 5;

mod common;

use common::{Server, median, server};

/// The product's full setup through the core, as the wizard and CLI run it.
async fn product_setup(server: &Server) -> (Duration, usize, usize) {
    let start = Instant::now();
    let session = common::sign_in_and_enable(server).await;
    let request = common::content_editor();
    let (_, token) = setup::create_token(&session, &request, &SecretStore::new(), true)
        .await
        .expect("token create");
    let report = setup::verify(
        session.client(),
        Some(token),
        &SecretStore::new(),
        Some(false),
    )
    .await
    .expect("verify");
    (
        start.elapsed(),
        session.client().requests().get(),
        report.tools.len(),
    )
}

/// `POST /auth/login` by hand; returns the access token.
async fn plain_login(http: &reqwest::Client, server: &Server) -> String {
    let login: Value = http
        .post(format!("{}/auth/login", server.url))
        .json(&json!({ "email": server.email, "password": server.password }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["data"]["access_token"].as_str().unwrap().to_owned()
}

/// The same outcome in 5 hand-written requests, no checks, no SDK.
async fn plain_script(http: &reqwest::Client, server: &Server) -> Duration {
    let start = Instant::now();
    let access = plain_login(http, server).await;
    http.patch(format!("{}/settings", server.url))
        .bearer_auth(&access)
        .json(&json!({ "mcp_enabled": true, "mcp_allow_deletes": false }))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let token = SecretString::random_token().unwrap();
    let permissions: Vec<Value> = ["directus_files", "directus_folders"]
        .iter()
        .flat_map(|c| {
            ["create", "read", "update", "delete"]
                .map(|a| json!({ "collection": c, "action": a, "fields": ["*"] }))
        })
        .collect();
    http.post(format!("{}/users", server.url))
        .bearer_auth(&access)
        .json(&json!({
            "first_name": "Plain", "external_identifier": "bench-plain-script", "token": token.expose(),
            "role": { "name": "Bench Plain", "policies": { "create": [ { "policy": { "name": "Bench Plain", "app_access": false, "admin_access": false, "permissions": { "create": permissions } } } ] } }
        }))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let mcp = format!("{}/mcp", server.url);
    for body in [
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": { "name": "bench", "version": "0" } } }),
        json!({ "jsonrpc": "2.0", "id": 2, "method": "tools/list" }),
    ] {
        http.post(&mcp)
            .bearer_auth(token.expose())
            .header("accept", "application/json, text/event-stream")
            .json(&body)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .bytes()
            .await
            .unwrap();
    }
    start.elapsed()
}

/// Removes both MCP users with their roles and policies (not timed).
async fn clean_up(http: &reqwest::Client, server: &Server) {
    let access = &plain_login(http, server).await;
    let get = |path: String| {
        let request = http
            .get(format!("{}{path}", server.url))
            .bearer_auth(access);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap()["data"].clone() }
    };
    let users = get("/users?filter[external_identifier][_in]=directus-mcp-setup,bench-plain-script&fields=id,role.id,role.policies.policy".to_owned()).await;
    for user in users.as_array().unwrap() {
        let _ = http
            .delete(format!(
                "{}/users/{}",
                server.url,
                user["id"].as_str().unwrap()
            ))
            .bearer_auth(access)
            .send()
            .await;
        if let Some(role) = user["role"]["id"].as_str() {
            let _ = http
                .delete(format!("{}/roles/{role}", server.url))
                .bearer_auth(access)
                .send()
                .await;
        }
        for access_row in user["role"]["policies"].as_array().into_iter().flatten() {
            if let Some(policy) = access_row["policy"].as_str() {
                let _ = http
                    .delete(format!("{}/policies/{policy}", server.url))
                    .bearer_auth(access)
                    .send()
                    .await;
            }
        }
    }
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for the list of benchmarks.
    }
    let (server, _started) = server();
    directus_mcp_setup::transport::install_tls_provider();
    let http = reqwest::Client::new();
    let mut ours = Vec::new();
    let mut plain = Vec::new();
    let mut requests = 0;
    let mut tools = 0;
    // One warm-up of each (connection set-up, Directus' schema cache), then alternate.
    clean_up(&http, &server).await;
    product_setup(&server).await;
    clean_up(&http, &server).await;
    plain_script(&http, &server).await;
    for _ in 0..RUNS {
        clean_up(&http, &server).await;
        let (elapsed, used, listed) = product_setup(&server).await;
        ours.push(elapsed);
        requests = used;
        tools = listed;
        clean_up(&http, &server).await;
        plain.push(plain_script(&http, &server).await);
    }
    clean_up(&http, &server).await;
    let (ours, plain) = (median(ours), median(plain));
    println!("full setup (login → enable → token create → verify), median of {RUNS} runs");
    println!("  HTTP requests: {requests} (floor {FLOOR}, target ≤ 6)");
    println!("    +1 notifications/initialized: required by the MCP spec after initialize");
    println!(
        "    +1 GET /collections: Directus accepts permissions for collections that do not exist, so they are checked first"
    );
    println!("  tools listed:  {tools}");
    println!(
        "  wall time:     {:.1} ms vs plain script {:.1} ms",
        ours.as_secs_f64() * 1e3,
        plain.as_secs_f64() * 1e3
    );
    println!(
        "  ratio:         {:.2}× (target ≤ 1.3×)",
        ours.as_secs_f64() / plain.as_secs_f64()
    );
}
