//! The Directus side: a REST client and every operation the setup performs on a server.

pub mod client;
pub mod collections;
pub mod endpoint;
pub mod error;
pub mod grant_lifetime;
pub mod mcp_user;
pub mod oauth;
pub mod oauth_client;
pub mod prompts_collection;
pub mod request_auth;
pub mod role_template;
pub mod server_report;
pub mod session;
pub mod settings;
pub mod tool_mode;
pub mod version;

pub use client::DirectusClient;
pub use endpoint::{Reach, ServerUrl, UrlError};
pub use error::DirectusError;
pub use session::{Credentials, Session};
