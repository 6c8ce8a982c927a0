//! A raw Directus REST client for tests: sets up fixtures and checks what the product did,
//! independently of the code under test.

use reqwest::Method;
use serde_json::{Value, json};

use super::Server;

/// An admin's access token on one server.
#[derive(Clone)]
pub struct Api {
    url: String,
    token: String,
    http: reqwest::Client,
}

impl Api {
    /// Signs in as the server's admin.
    pub async fn admin(server: &Server) -> Self {
        Self::login(&server.url, &server.email, &server.password).await
    }

    /// Signs in with email and password.
    pub async fn login(url: &str, email: &str, password: &str) -> Self {
        let http = super::http_client();
        let response: Value = http
            .post(format!("{url}/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("login request")
            .json()
            .await
            .expect("login body");
        let token = response["data"]["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("login failed: {response}"))
            .to_owned();
        Self {
            url: url.to_owned(),
            token,
            http,
        }
    }

    /// Requests with another token (a static token under test) on the same server.
    pub fn with_token(&self, token: &str) -> Self {
        Self {
            token: token.to_owned(),
            ..self.clone()
        }
    }

    /// Uploads a small text file (multipart, as the admin app does); returns its id.
    pub async fn upload_file(&self, name: &str) -> String {
        let boundary = "directus-mcp-setup-test-boundary";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--{boundary}--\r\n"
        );
        let response: Value = self
            .http
            .post(format!("{}/files", self.url))
            .bearer_auth(&self.token)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .expect("upload")
            .json()
            .await
            .expect("upload body");
        response["data"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("upload failed: {response}"))
            .to_owned()
    }

    /// Any request; returns the status and the JSON body (`null` when empty).
    pub async fn request(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// GET that must succeed; returns `data`.
    pub async fn get(&self, path: &str) -> Value {
        let (status, body) = self.request(Method::GET, path, None).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body["data"].clone()
    }

    /// A write that must succeed; returns `data`.
    pub async fn send(&self, method: Method, path: &str, body: Value) -> Value {
        let (status, response) = self.request(method.clone(), path, Some(body)).await;
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {response}"
        );
        response["data"].clone()
    }

    /// The users this tool manages (by its marker).
    pub async fn mcp_users(&self) -> Vec<Value> {
        let users = self
            .get("/users?filter[external_identifier][_eq]=directus-mcp-setup&fields=id,token,role.id,role.name")
            .await;
        users.as_array().cloned().unwrap_or_default()
    }

    /// Roles whose name starts with "MCP ".
    pub async fn mcp_roles(&self) -> Vec<Value> {
        self.get("/roles?filter[name][_starts_with]=MCP%20&fields=id,name")
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Policies whose name starts with "MCP ".
    pub async fn mcp_policies(&self) -> Vec<Value> {
        self.get("/policies?filter[name][_starts_with]=MCP%20&fields=id,name")
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Deletes the MCP user and its role and policy, so a test starts from nothing.
    pub async fn remove_mcp_user(&self) {
        for user in self.mcp_users().await {
            self.request(
                Method::DELETE,
                &format!("/users/{}", user["id"].as_str().unwrap()),
                None,
            )
            .await;
        }
        for role in self.mcp_roles().await {
            self.request(
                Method::DELETE,
                &format!("/roles/{}", role["id"].as_str().unwrap()),
                None,
            )
            .await;
        }
        for policy in self.mcp_policies().await {
            self.request(
                Method::DELETE,
                &format!("/policies/{}", policy["id"].as_str().unwrap()),
                None,
            )
            .await;
        }
    }

    /// The MCP settings.
    pub async fn settings(&self) -> Value {
        self.get("/settings?fields=mcp_enabled,mcp_allow_deletes,mcp_prompts_collection,mcp_system_prompt_enabled,mcp_system_prompt")
            .await
    }

    /// Creates a content collection with an integer id and a `title` field (if missing).
    pub async fn ensure_collection(&self, name: &str) {
        let (status, _) = self
            .request(Method::GET, &format!("/collections/{name}"), None)
            .await;
        if status == 200 {
            return;
        }
        self.send(
            Method::POST,
            "/collections",
            json!({
                "collection": name,
                "schema": {},
                "meta": { "icon": "article" },
                "fields": [
                    { "field": "id", "type": "integer", "schema": { "is_primary_key": true, "has_auto_increment": true }, "meta": { "hidden": true } },
                    { "field": "title", "type": "string", "schema": {}, "meta": {} }
                ]
            }),
        )
        .await;
    }

    /// Creates a user with a password and the given role (or none).
    pub async fn create_user(&self, email: &str, password: &str, role: Option<&str>) -> String {
        let user = self
            .send(
                Method::POST,
                "/users",
                json!({ "email": email, "password": password, "role": role, "status": "active" }),
            )
            .await;
        user["id"].as_str().expect("user id").to_owned()
    }
}
