//! Allow Deletes, proven through MCP itself: a delete is refused while it is off.

use reqwest::Method;
use rmcp::ServiceExt;
use rmcp::model::{
    CallToolRequestParams, CallToolResult, ClientCapabilities, ClientConfig, Implementation,
};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use serde_json::{Value, json};

use crate::support::{self, Api, cli};

/// Calls one MCP tool as an AI client would.
async fn call_tool(url: &str, token: &str, name: &'static str, arguments: Value) -> CallToolResult {
    let config = StreamableHttpClientTransportConfig::with_uri(format!("{url}/mcp"))
        .auth_header(token.to_owned());
    let transport =
        StreamableHttpClientTransport::with_client(crate::support::http_client(), config);
    let client = ClientConfig::new(
        ClientCapabilities::default(),
        Implementation::new("integration-test", "0"),
    );
    let service = client.serve(transport).await.expect("MCP handshake");
    let arguments = arguments.as_object().cloned().expect("object arguments");
    let result = service
        .call_tool(CallToolRequestParams::new(name).with_arguments(arguments))
        .await
        .expect("tools/call answered");
    let _ = service.cancel().await;
    result
}

fn text_of(result: &CallToolResult) -> String {
    serde_json::to_string(&result.content).unwrap()
}

#[tokio::test]
async fn a_delete_through_mcp_is_refused_while_allow_deletes_is_off() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let api = Api::admin(server).await;
    api.ensure_collection("articles").await;
    let item = api
        .send(
            Method::POST,
            "/items/articles",
            json!({ "title": "keep me" }),
        )
        .await;
    let id = item["id"].clone();

    cli(server, &["enable"]).ok();
    // An administrator MCP user: only the Allow Deletes switch stands between it and a delete.
    let token = support::shown_token(server, "administrator");

    let refused = call_tool(
        &server.url,
        &token,
        "items",
        json!({ "action": "delete", "collection": "articles", "keys": [id] }),
    )
    .await;
    assert_eq!(refused.is_error, Some(true), "{refused:?}");
    assert!(
        text_of(&refused).contains("Delete actions are disabled"),
        "{}",
        text_of(&refused)
    );
    let (status, _) = api
        .request(Method::GET, &format!("/items/articles/{id}"), None)
        .await;
    assert_eq!(status, 200, "the item is still there");

    cli(server, &["enable", "--allow-deletes"]).ok();
    let allowed = call_tool(
        &server.url,
        &token,
        "items",
        json!({ "action": "delete", "collection": "articles", "keys": [id] }),
    )
    .await;
    assert_ne!(allowed.is_error, Some(true), "{}", text_of(&allowed));
    let (status, _) = api
        .request(Method::GET, &format!("/items/articles/{id}"), None)
        .await;
    assert_eq!(
        status, 403,
        "deleted (Directus answers 403 for a missing item)"
    );

    cli(server, &["enable"]).ok();
    cli(server, &["token", "create", "--template", "content-editor"]).ok();
}
