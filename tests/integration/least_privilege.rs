//! Least privilege over REST, not only MCP: a static token is an ordinary Directus token,
//! so what each template may do is tried with the token itself against the REST API. The
//! table here is the README's template table; a change to either must change both.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{self, Api, cli};

/// What a token is tried at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attempt {
    DeleteItem,
    DeleteFile,
    DeleteFolder,
    CreateFlow,
    CreateOperation,
    DeleteCollection,
    ChangeOwnRole,
    CreatePolicy,
}

/// The README's table: may the token do it? (content-editor, content-editor with
/// `--allow-delete articles,directus_files,directus_folders`, administrator).
const TABLE: [(Attempt, bool, bool, bool); 8] = [
    (Attempt::DeleteItem, false, true, true),
    (Attempt::DeleteFile, false, true, true),
    (Attempt::DeleteFolder, false, true, true),
    (Attempt::CreateFlow, false, false, true),
    (Attempt::CreateOperation, false, false, true),
    (Attempt::DeleteCollection, false, false, true),
    (Attempt::ChangeOwnRole, false, false, true),
    (Attempt::CreatePolicy, false, false, true),
];

/// Tries `attempt` with `token` on fresh fixtures the admin makes; whether it was allowed.
async fn try_it(admin: &Api, token: &Api, attempt: Attempt) -> bool {
    let (status, body) = match attempt {
        Attempt::DeleteItem => {
            let item = admin
                .send(Method::POST, "/items/articles", json!({ "title": "x" }))
                .await;
            let path = format!("/items/articles/{}", item["id"]);
            token.request(Method::DELETE, &path, None).await
        }
        Attempt::DeleteFile => {
            let id = admin.upload_file("least-privilege.txt").await;
            token
                .request(Method::DELETE, &format!("/files/{id}"), None)
                .await
        }
        Attempt::DeleteFolder => {
            let folder = admin
                .send(Method::POST, "/folders", json!({ "name": "lp" }))
                .await;
            let path = format!("/folders/{}", folder["id"].as_str().unwrap());
            token.request(Method::DELETE, &path, None).await
        }
        Attempt::CreateFlow => {
            let flow = json!({ "name": "lp", "trigger": "manual", "status": "inactive", "accountability": "all", "options": {} });
            token.request(Method::POST, "/flows", Some(flow)).await
        }
        Attempt::CreateOperation => {
            let flow = admin
                .send(
                    Method::POST,
                    "/flows",
                    json!({ "name": "lp-admin", "trigger": "manual", "status": "inactive", "accountability": "all", "options": {} }),
                )
                .await;
            let operation = json!({ "name": "lp", "key": "lp", "type": "log", "position_x": 1, "position_y": 1, "options": { "message": "x" }, "flow": flow["id"] });
            token
                .request(Method::POST, "/operations", Some(operation))
                .await
        }
        Attempt::DeleteCollection => {
            admin.ensure_collection("lp_scratch").await;
            token
                .request(Method::DELETE, "/collections/lp_scratch", None)
                .await
        }
        Attempt::ChangeOwnRole => {
            // Escalation: the administrator's own role, not the one the MCP user has.
            let administrator = admin.get("/users/me?fields=role").await["role"].clone();
            let user = admin.mcp_users().await[0].clone();
            let own = user["role"]["id"].clone();
            assert!(administrator.is_string() && administrator != own);
            let answer = token
                .request(
                    Method::PATCH,
                    "/users/me",
                    Some(json!({ "role": administrator })),
                )
                .await;
            let now = admin.mcp_users().await[0]["role"]["id"].clone();
            assert_eq!(
                (200..=299).contains(&answer.0),
                now == administrator,
                "the answer and the MCP user's role agree: {answer:?}"
            );
            if now != own {
                // Allowed (the administrator template): its managed role back, for the
                // attempts and tests that follow.
                admin
                    .send(
                        Method::PATCH,
                        &format!("/users/{}", user["id"].as_str().unwrap()),
                        json!({ "role": own }),
                    )
                    .await;
            }
            answer
        }
        Attempt::CreatePolicy => {
            let (status, body) = token
                .request(
                    Method::POST,
                    "/policies",
                    Some(json!({ "name": "lp", "app_access": false, "admin_access": false })),
                )
                .await;
            if let Some(id) = body["data"]["id"].as_str() {
                admin
                    .request(Method::DELETE, &format!("/policies/{id}"), None)
                    .await;
            }
            (status, body)
        }
    };
    match status {
        200..=299 => true,
        403 => false,
        other => panic!("{attempt:?}: unexpected answer {other} {body}"),
    }
}

#[tokio::test]
async fn each_template_may_do_exactly_what_the_readme_table_says_over_rest() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let admin = Api::admin(server).await;
    admin.ensure_collection("articles").await;
    let templates: [(&str, Vec<&str>); 3] = [
        (
            "content-editor",
            vec!["--template", "content-editor", "--collections", "articles"],
        ),
        (
            "content-editor --allow-delete",
            vec![
                "--template",
                "content-editor",
                "--collections",
                "articles",
                "--allow-delete",
                "articles,directus_files,directus_folders",
            ],
        ),
        (
            "administrator",
            vec!["--template", "administrator", "--confirm-administrator"],
        ),
    ];
    let mut wrong = Vec::new();
    for (column, (name, args)) in templates.iter().enumerate() {
        let secret = support::created_token(server, args);
        // A client that takes the token in its URL: only a non-admin token goes there.
        let in_url = support::cli_with_env(
            &[
                ("DIRECTUS_URL", &server.url),
                ("DIRECTUS_MCP_TOKEN", &secret),
            ],
            &["connect", "chatgpt", "--auth", "token", "--reveal"],
        );
        if *name == "administrator" {
            assert!(
                in_url.failure(1).contains("never put into a URL"),
                "{}",
                in_url.stderr
            );
            assert!(!in_url.stdout.contains(&secret) && !in_url.stderr.contains(&secret));
        } else {
            assert!(
                in_url
                    .ok()
                    .stdout
                    .contains(&format!("access_token={secret}"))
            );
        }
        let token = admin.with_token(&secret);
        for (attempt, editor, editor_deletes, administrator) in TABLE {
            let expected = [editor, editor_deletes, administrator][column];
            let allowed = try_it(&admin, &token, attempt).await;
            if allowed != expected {
                wrong.push(format!(
                    "{name}: {attempt:?} allowed={allowed}, table says {expected}"
                ));
            }
        }
    }
    // Leave the shared server with the default template.
    support::shown_token(server, "content-editor");
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[tokio::test]
async fn deletes_are_refused_on_collections_not_granted_and_admin_needs_confirming() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let admin = Api::admin(server).await;
    admin.ensure_collection("articles").await;
    admin.ensure_collection("pages").await;
    let before: Vec<Value> = admin.mcp_users().await;
    let run = cli(
        server,
        &[
            "token",
            "create",
            "--template",
            "content-editor",
            "--collections",
            "articles",
            "--allow-delete",
            "pages",
        ],
    );
    assert!(run.failure(1).contains("not on: pages"), "{}", run.stderr);
    let run = cli(server, &["token", "create", "--template", "administrator"]);
    assert!(run.failure(1).contains("--confirm-administrator"));
    assert_eq!(admin.mcp_users().await, before, "nothing changed");
}

/// `PATCH /files/:id` with a new file in a multipart body, as a token replaces a file's
/// bytes; returns the status.
async fn replace_file_bytes(server: &support::Server, token: &str, id: &str) -> u16 {
    let boundary = "directus-mcp-setup-replace-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"evil.txt\"\r\nContent-Type: text/plain\r\n\r\nreplaced by AI\r\n--{boundary}--\r\n"
    );
    support::http_client()
        .patch(format!("{}/files/{id}", server.url))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("multipart PATCH")
        .status()
        .as_u16()
}

/// The file's bytes, read by the admin.
async fn file_bytes(server: &support::Server, admin_token: &str, id: &str) -> String {
    support::http_client()
        .get(format!("{}/assets/{id}", server.url))
        .bearer_auth(admin_token)
        .send()
        .await
        .expect("GET /assets")
        .text()
        .await
        .expect("asset body")
}

#[tokio::test]
async fn a_content_editor_token_cannot_replace_or_delete_a_file_and_edits_only_descriptions_when_asked()
 {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let admin = Api::admin(server).await;
    let admin_token = {
        let login: Value = support::http_client()
            .post(format!("{}/auth/login", server.url))
            .json(&json!({ "email": server.email, "password": server.password }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        login["data"]["access_token"].as_str().unwrap().to_owned()
    };
    let id = admin.upload_file("payroll.txt").await;

    // The default: read and upload, nothing else.
    let secret = support::shown_token(server, "content-editor");
    let token = admin.with_token(&secret);
    let (read, _) = token
        .request(Method::GET, &format!("/files/{id}"), None)
        .await;
    assert_eq!(read, 200, "files are readable");
    assert_eq!(
        replace_file_bytes(server, &secret, &id).await,
        403,
        "the default token replaced a file's bytes"
    );
    let (title, body) = token
        .request(
            Method::PATCH,
            &format!("/files/{id}"),
            Some(json!({ "title": "renamed" })),
        )
        .await;
    assert_eq!(title, 403, "the default token edited a file: {body}");
    let (delete, _) = token
        .request(Method::DELETE, &format!("/files/{id}"), None)
        .await;
    assert_eq!(delete, 403, "the default token deleted a file");
    // Uploading is allowed. The file is removed again at the end: a file the MCP user
    // uploaded would keep other tests from deleting that user.
    let uploaded = token.upload_file("uploaded-by-ai.txt").await;

    // Asked for: the descriptive fields only, never the bytes or the names. Limiting an
    // update to some fields is a "custom permission rule", which a community Directus (as
    // here) refuses: then nothing changes, and the error says why.
    let users_before = admin.mcp_users().await;
    let license = admin.get("/server/info").await["license"].clone();
    let licensed = license["entitlements"]["custom_permission_rules_enabled"] == true;
    let run = cli(
        server,
        &[
            "--json",
            "token",
            "create",
            "--show-token",
            "--template",
            "content-editor",
            "--allow-file-update",
        ],
    );
    if !licensed {
        let error = run.failure(1);
        assert!(
            error.contains("cannot limit a file update") && error.contains("nothing was changed"),
            "{error}"
        );
        assert_eq!(
            admin.mcp_users().await,
            users_before,
            "the MCP user changed"
        );
        let (still, _) = token
            .request(Method::GET, &format!("/files/{id}"), None)
            .await;
        assert_eq!(still, 200, "the token in use stopped working");
    } else {
        let secret = run.json()["token"].as_str().unwrap().to_owned();
        let token = admin.with_token(&secret);
        let (title, body) = token
            .request(
                Method::PATCH,
                &format!("/files/{id}"),
                Some(json!({ "title": "Payroll 2026", "description": "tagged by AI", "tags": ["hr"] })),
            )
            .await;
        assert_eq!(title, 200, "--allow-file-update: {body}");
        assert_eq!(
            replace_file_bytes(server, &secret, &id).await,
            403,
            "--allow-file-update replaced a file's bytes"
        );
        let (rename, body) = token
            .request(
                Method::PATCH,
                &format!("/files/{id}"),
                Some(json!({ "filename_download": "invoice.exe" })),
            )
            .await;
        assert_eq!(
            rename, 403,
            "--allow-file-update renamed the download: {body}"
        );
        let (delete, _) = token
            .request(Method::DELETE, &format!("/files/{id}"), None)
            .await;
        assert_eq!(delete, 403, "--allow-file-update deleted a file");
    }
    assert_eq!(file_bytes(server, &admin_token, &id).await, "hello");
    let file = admin
        .get(&format!("/files/{id}?fields=filename_download"))
        .await;
    assert_eq!(file["filename_download"], "payroll.txt");

    for file in [&uploaded, &id] {
        let (deleted, body) = admin
            .request(Method::DELETE, &format!("/files/{file}"), None)
            .await;
        assert_eq!(deleted, 204, "{body}");
    }
    // Leave the shared server with the default template.
    support::shown_token(server, "content-editor");
}
