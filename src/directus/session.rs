//! Signing in to Directus: email + password (+ one-time code), a stored session, or an
//! admin's static token.

use serde::Deserialize;
use serde_json::json;

use super::client::DirectusClient;
use super::endpoint::ServerUrl;
use super::error::DirectusError;
use crate::secret::SecretString;

/// How the admin proves who they are.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// Email and password, with the current one-time code when 2FA is on.
    Password {
        /// The admin's email.
        email: String,
        /// The admin's password.
        password: SecretString,
        /// The one-time code from an authenticator app.
        otp: Option<String>,
    },
    /// A static token from an admin user's profile.
    AdminToken(SecretString),
    /// A refresh token from an earlier sign-in (kept in the OS keyring).
    RefreshToken {
        /// Whose session it is, for messages.
        email: String,
        /// The refresh token.
        refresh_token: SecretString,
    },
}

/// An authenticated connection to one Directus instance.
#[derive(Debug, Clone)]
pub struct Session {
    client: DirectusClient,
    identity: String,
    /// How long Directus' access tokens last (`ACCESS_TOKEN_TTL`), when the sign-in answer
    /// said so (`expires`, in milliseconds, answered to a password sign-in).
    access_token_ttl_ms: Option<u64>,
}

#[derive(Deserialize)]
struct LoginData {
    access_token: String,
    refresh_token: Option<String>,
    /// The access token's lifetime in milliseconds (Directus' `ACCESS_TOKEN_TTL`).
    expires: Option<u64>,
}

#[derive(Deserialize)]
struct PolicyGlobals {
    #[serde(default)]
    admin_access: bool,
}

impl Session {
    /// Signs in. With a password this costs one request; with an admin token none (the
    /// token is checked by the first call that uses it).
    pub async fn sign_in(
        client: DirectusClient,
        credentials: Credentials,
    ) -> Result<Self, DirectusError> {
        match credentials {
            Credentials::AdminToken(token) => Ok(Self {
                client: client.with_token(token),
                identity: "the admin token".to_owned(),
                access_token_ttl_ms: None,
            }),
            Credentials::Password {
                email,
                password,
                otp,
            } => {
                let mut body =
                    json!({ "email": email, "password": password.expose(), "mode": "json" });
                if let Some(otp) = &otp {
                    body["otp"] = json!(otp);
                }
                let login: LoginData = client
                    .post("/auth/login", &[], &body)
                    .await
                    .map_err(|error| login_error(error, otp.is_some()))?;
                Ok(Self {
                    client: client.with_session(
                        SecretString::new(login.access_token),
                        login.refresh_token.map(SecretString::new),
                    ),
                    identity: email,
                    access_token_ttl_ms: login.expires,
                })
            }
            Credentials::RefreshToken {
                email,
                refresh_token,
            } => {
                let (access_token, refresh_token) =
                    client.exchange_refresh_token(&refresh_token).await?;
                Ok(Self {
                    client: client.with_session(access_token, refresh_token),
                    identity: email,
                    access_token_ttl_ms: None,
                })
            }
        }
    }

    /// Connects to `url` and signs in.
    pub async fn connect(
        url: &str,
        allow_insecure_http: bool,
        credentials: Credentials,
    ) -> Result<Self, DirectusError> {
        let server = ServerUrl::parse(url, allow_insecure_http)?;
        Self::sign_in(DirectusClient::new(server)?, credentials).await
    }

    /// The authenticated client.
    pub fn client(&self) -> &DirectusClient {
        &self.client
    }

    /// How long Directus' access tokens last (`ACCESS_TOKEN_TTL`, which its MCP OAuth uses
    /// too), when this sign-in could read it: a password sign-in's answer says it; a static
    /// token or a kept session's renewal does not.
    pub fn access_token_ttl(&self) -> Option<std::time::Duration> {
        self.access_token_ttl_ms
            .map(std::time::Duration::from_millis)
    }

    /// Who signed in (an email, or "the admin token").
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// The session's refresh token now, to keep in the OS keyring (it changes at each
    /// renewal: see [`Session::on_renewal`]).
    pub fn refresh_token(&self) -> Option<SecretString> {
        self.client.refresh_token()
    }

    /// Calls `hook` with the new refresh token each time the access token is renewed.
    pub fn on_renewal(&self, hook: super::request_auth::RenewalHook) {
        self.client.on_renewal(hook);
    }

    /// Ends the session on the server (`POST /auth/logout` with its refresh token, even once
    /// its access token has expired); nothing to do for a static token.
    pub async fn sign_out(&self) -> Result<(), DirectusError> {
        let Some(refresh_token) = self.refresh_token() else {
            return Ok(());
        };
        self.client.end_session(&refresh_token).await
    }

    /// Fails with [`DirectusError::NotAdmin`] unless the signed-in user is an administrator.
    pub async fn require_admin(&self) -> Result<(), DirectusError> {
        let globals: PolicyGlobals = self.client.get("/policies/me/globals", &[]).await?;
        if globals.admin_access {
            Ok(())
        } else {
            Err(DirectusError::NotAdmin {
                who: self.identity.clone(),
            })
        }
    }

    /// Explains a 403 from an admin-only endpoint: not an admin, or something else.
    pub async fn explain_forbidden(&self, error: DirectusError) -> DirectusError {
        if error.api_code() != Some("FORBIDDEN") {
            return error;
        }
        match self.require_admin().await {
            Err(not_admin @ DirectusError::NotAdmin { .. }) => not_admin,
            _ => error,
        }
    }
}

fn login_error(error: DirectusError, otp_given: bool) -> DirectusError {
    match error.api_code() {
        Some("INVALID_OTP") if otp_given => DirectusError::InvalidOtp,
        Some("INVALID_OTP") => DirectusError::OtpRequired,
        Some("ROUTE_NOT_FOUND") => DirectusError::NotDirectus {
            url: String::new(),
            detail: "it has no /auth/login route".to_owned(),
        },
        _ => error,
    }
}
