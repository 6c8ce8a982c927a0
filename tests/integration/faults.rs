//! Failures in the middle of token setup leave nothing behind (or, when the server is
//! gone, say what may be left, and the next run reuses it).

use directus_mcp_setup::directus::mcp_user::TokenRequest;
use directus_mcp_setup::directus::role_template::RoleTemplate;
use directus_mcp_setup::directus::{Credentials, Session};
use directus_mcp_setup::secret::SecretString;
use directus_mcp_setup::secret_store::SecretStore;
use directus_mcp_setup::setup;

use crate::support::proxy::{self, Fault};
use crate::support::{self, Api, Server, cli};

async fn session_via(url: &str, server: &Server) -> Session {
    let credentials = Credentials::Password {
        email: server.email.clone(),
        password: SecretString::new(server.password.clone()),
        otp: None,
    };
    Session::connect(url, false, credentials)
        .await
        .expect("sign in through the proxy")
}

fn request() -> TokenRequest {
    TokenRequest {
        template: RoleTemplate::ContentEditor,
        collections: None,
        delete_collections: Vec::new(),
        allow_file_update: false,
        confirm_administrator: false,
    }
}

/// Runs `token create` (content-editor template) through a proxy that injects `fault` into
/// `POST /users`, starting from a server without an MCP user; returns the error message.
async fn token_create_with_fault(server: &Server, fault: Fault) -> String {
    Api::admin(server).await.remove_mcp_user().await;
    let proxy = proxy::start(&server.url, "POST /users", fault).await;
    let session = session_via(&proxy.url, server).await;
    let result = setup::create_token(&session, &request(), &SecretStore::new(), true).await;
    assert!(proxy.fired(), "the fault was injected");
    result
        .expect_err("token create must fail when the fault hits")
        .to_string()
}

async fn assert_nothing_left(api: &Api) {
    assert!(
        api.mcp_users().await.is_empty(),
        "MCP user left: {:?}",
        api.mcp_users().await
    );
    assert!(
        api.mcp_roles().await.is_empty(),
        "role left: {:?}",
        api.mcp_roles().await
    );
    assert!(
        api.mcp_policies().await.is_empty(),
        "policy left: {:?}",
        api.mcp_policies().await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_lost_after_the_server_created_the_user_is_rolled_back() {
    let server = support::shared();
    let _guard = support::exclusive().await;
    let error = token_create_with_fault(server, Fault::LoseAnswer).await;
    assert!(
        !error.contains("Rolling back failed"),
        "the rollback worked: {error}"
    );
    assert_nothing_left(&Api::admin(server).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_as_the_user_is_sent_leaves_nothing() {
    let _guard = support::exclusive().await;
    let server = support::kill_switched();
    let error = token_create_with_fault(&server, Fault::KillServer(server.clone())).await;
    assert!(error.contains("cannot reach"), "{error}");

    let server = support::restart_server(&server);
    assert_nothing_left(&Api::admin(&server).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_after_creating_the_user_is_reported_and_the_next_run_reuses_it() {
    let _guard = support::exclusive().await;
    let server = support::kill_switched();
    let error =
        token_create_with_fault(&server, Fault::KillServerBeforeAnswer(server.clone())).await;
    assert!(
        error.contains("Re-running the same command reuses or repairs them"),
        "{error}"
    );

    let server = support::restart_server(&server);
    let again = cli(
        &server,
        &["--json", "token", "create", "--template", "content-editor"],
    )
    .json();
    assert_eq!(
        again["created"], false,
        "the user made before the crash is reused"
    );
    let api = Api::admin(&server).await;
    assert_eq!(api.mcp_users().await.len(), 1);
    assert_eq!(api.mcp_roles().await.len(), 1);
    assert_eq!(api.mcp_policies().await.len(), 1);
}
