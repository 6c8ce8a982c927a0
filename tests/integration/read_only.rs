//! The read-only template over REST: Directus' security guide's role "for analysis only"
//! (read on the chosen collections, files and the prompts collection; no writes at all),
//! tried with the token itself against Directus 12.4.1's REST API. The table here is the
//! README's read-only table; a change to either must change both.

use reqwest::Method;
use serde_json::json;

use crate::support::{self, Api, cli};

/// What a token is tried at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    ReadChosenCollection,
    ReadOtherCollection,
    ReadPrompts,
    ReadFiles,
    CreateItem,
    UpdateItem,
    DeleteItem,
    UploadFile,
    UpdateFile,
    DeleteFile,
    CreateFolder,
    ReadUsers,
    CreateFlow,
    ChangeOwnRole,
    CreatePolicy,
}

/// The README's table: may a `read-only --collections articles` token do it?
const TABLE: [(Attempt, bool); 15] = [
    (Attempt::ReadChosenCollection, true),
    (Attempt::ReadOtherCollection, false),
    (Attempt::ReadPrompts, true),
    (Attempt::ReadFiles, true),
    (Attempt::CreateItem, false),
    (Attempt::UpdateItem, false),
    (Attempt::DeleteItem, false),
    (Attempt::UploadFile, false),
    (Attempt::UpdateFile, false),
    (Attempt::DeleteFile, false),
    (Attempt::CreateFolder, false),
    (Attempt::ReadUsers, false),
    (Attempt::CreateFlow, false),
    (Attempt::ChangeOwnRole, false),
    (Attempt::CreatePolicy, false),
];

/// `POST /files` with a small text file, as `secret`; the status.
async fn upload_as(server: &support::Server, secret: &str) -> (u16, serde_json::Value) {
    let boundary = "directus-mcp-setup-read-only";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ro.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--{boundary}--\r\n"
    );
    let response = reqwest::Client::new()
        .post(format!("{}/files", server.url))
        .bearer_auth(secret)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

/// Tries `attempt` with `token` on fresh fixtures the admin makes; whether it was allowed.
async fn try_it(
    server: &support::Server,
    admin: &Api,
    token: &Api,
    secret: &str,
    attempt: Attempt,
) -> bool {
    let (status, body) = match attempt {
        Attempt::ReadChosenCollection => token.request(Method::GET, "/items/articles", None).await,
        Attempt::ReadOtherCollection => token.request(Method::GET, "/items/pages", None).await,
        Attempt::ReadPrompts => token.request(Method::GET, "/items/ai_prompts", None).await,
        Attempt::ReadFiles => token.request(Method::GET, "/files", None).await,
        Attempt::CreateItem => {
            token
                .request(
                    Method::POST,
                    "/items/articles",
                    Some(json!({ "title": "ro" })),
                )
                .await
        }
        Attempt::UpdateItem => {
            let item = admin
                .send(Method::POST, "/items/articles", json!({ "title": "x" }))
                .await;
            let path = format!("/items/articles/{}", item["id"]);
            token
                .request(Method::PATCH, &path, Some(json!({ "title": "changed" })))
                .await
        }
        Attempt::DeleteItem => {
            let item = admin
                .send(Method::POST, "/items/articles", json!({ "title": "x" }))
                .await;
            let path = format!("/items/articles/{}", item["id"]);
            token.request(Method::DELETE, &path, None).await
        }
        Attempt::UploadFile => {
            let (status, body) = upload_as(server, secret).await;
            if let Some(id) = body["data"]["id"].as_str() {
                admin
                    .request(Method::DELETE, &format!("/files/{id}"), None)
                    .await;
            }
            (status, body)
        }
        Attempt::UpdateFile => {
            let id = admin.upload_file("read-only.txt").await;
            token
                .request(
                    Method::PATCH,
                    &format!("/files/{id}"),
                    Some(json!({ "title": "changed" })),
                )
                .await
        }
        Attempt::DeleteFile => {
            let id = admin.upload_file("read-only.txt").await;
            token
                .request(Method::DELETE, &format!("/files/{id}"), None)
                .await
        }
        Attempt::CreateFolder => {
            token
                .request(Method::POST, "/folders", Some(json!({ "name": "ro" })))
                .await
        }
        Attempt::ReadUsers => token.request(Method::GET, "/users", None).await,
        Attempt::CreateFlow => {
            let flow = json!({ "name": "ro", "trigger": "manual", "status": "inactive", "accountability": "all", "options": {} });
            token.request(Method::POST, "/flows", Some(flow)).await
        }
        Attempt::ChangeOwnRole => {
            let administrator = admin.get("/users/me?fields=role").await["role"].clone();
            token
                .request(
                    Method::PATCH,
                    "/users/me",
                    Some(json!({ "role": administrator })),
                )
                .await
        }
        Attempt::CreatePolicy => {
            token
                .request(
                    Method::POST,
                    "/policies",
                    Some(json!({ "name": "ro", "app_access": false, "admin_access": false })),
                )
                .await
        }
    };
    match status {
        200..=299 => true,
        403 => false,
        other => panic!("{attempt:?}: unexpected answer {other} {body}"),
    }
}

#[tokio::test]
async fn the_read_only_template_may_do_exactly_what_the_readme_table_says_over_rest() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let admin = Api::admin(server).await;
    admin.ensure_collection("articles").await;
    admin.ensure_collection("pages").await;
    // The prompts collection the token must read (made, or reused, by `enable`).
    cli(server, &["enable", "--generate-prompts-collection"]).ok();

    // Writes cannot be added to it: refused before anything changes.
    let before = admin.mcp_users().await;
    for extra in [
        ["--allow-delete", "articles"].as_slice(),
        ["--allow-file-update"].as_slice(),
    ] {
        let mut args = vec!["token", "create", "--template", "read-only"];
        args.extend_from_slice(extra);
        let run = cli(server, &args);
        assert!(
            run.failure(1)
                .contains("the read-only template grants no writes"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(admin.mcp_users().await, before, "nothing changed");

    let secret = support::created_token(
        server,
        &["--template", "read-only", "--collections", "articles"],
    );
    let user = admin.mcp_users().await[0].clone();
    assert_eq!(user["role"]["name"], "MCP Read-only", "{user}");
    let token = admin.with_token(&secret);
    let mut wrong = Vec::new();
    for (attempt, expected) in TABLE {
        let allowed = try_it(server, &admin, &token, &secret, attempt).await;
        if allowed != expected {
            wrong.push(format!(
                "{attempt:?} allowed={allowed}, table says {expected}"
            ));
        }
    }
    // Leave the shared server with the default template.
    support::shown_token(server, "content-editor");
    assert!(wrong.is_empty(), "{wrong:#?}");
}
