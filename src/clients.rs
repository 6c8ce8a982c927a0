//! Putting Directus into each AI client: one module per client in [`catalogue`], behind
//! [`ClientConnector`]; the rest of this folder is the machinery they share. A connector only *plans* (the exact file
//! diff, the command to run, or the steps to follow by hand); [`apply`] carries a plan out,
//! so a dry run and the real thing share every decision.

pub mod apply;
pub mod backups;
pub mod connector;
pub mod environment;
pub mod error;
pub mod folders;
pub mod msix;
pub mod overview;
pub mod plan;
pub mod registry;
pub mod request;
pub mod status;
pub mod where_clients_read;
pub mod wsl;

mod cloud;
mod file_client;
mod http_entry;
mod manual;
mod redact;

pub mod catalogue;
pub mod check;
pub mod oauth_registration;

pub use apply::{ApplyReport, ProgramRunner, SystemRunner, apply};
pub use cloud::{CLOUD_FIX, unreachable_reasons};
pub use connector::{ClientConnector, ClientInfo, Detection, OAuthRegistration, SetupKind};
pub use environment::{ClientEnvironment, Os};
pub use error::ClientError;
pub use overview::{ClientOverview, overview};
pub use plan::{Plan, PlanView, Step};
pub use registry::{all, find, ids, meant_by_all, registrations};
pub use request::{AuthMode, ConnectRequest, Scope, StdioBridge, Target, TokenAccess};
pub use status::{ClientStatus, Expected, StaleCause};

/// The plan that connects `client` as `request` says, with what follows for OAuth: the
/// client signs in on first use, and `grants wait` tells when it has.
pub fn plan_connection(
    client: &dyn ClientConnector,
    env: &ClientEnvironment,
    request: &ConnectRequest,
) -> Result<Plan, ClientError> {
    let mut plan = client.plan_connect(env, request)?;
    plan.notes
        .extend(wsl::oauth_callback_note(env.wsl.is_some(), request.auth));
    if request.auth == AuthMode::Oauth {
        plan.notes.push(
            "After the client's sign-in, `directus-mcp-setup grants wait` reports it authorized (Directus must have OAuth on: `oauth status`).".into(),
        );
    }
    Ok(plan)
}
