//! What an admin sees of a registered OAuth client: the client and the grants its users
//! gave it (read by `oauth`, explained by `grant_lifetime`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One OAuth grant: a user's authorization of a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Grant {
    /// The grant's id.
    pub id: String,
    /// Who authorized it.
    pub user_email: Option<String>,
    /// Its scope (`mcp:access`).
    pub scope: Option<String>,
    /// The resource it is for.
    pub resource: Option<String>,
    /// When it was granted.
    pub created: Option<String>,
    /// When it ends unless the app uses it before (Directus' `expires_at`: each renewal
    /// sets it to `REFRESH_TOKEN_TTL` from then).
    pub expires: Option<String>,
    /// When the app last used it (its issue or last renewal, from the activity log).
    pub last_used: Option<String>,
    /// When it ends, in words (see [`super::grant_lifetime::ending`]).
    pub ending: Option<String>,
}

/// A registered OAuth client with its grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OAuthClient {
    /// Directus' id for it (a URL for CIMD clients).
    pub client_id: String,
    /// Its name, as it registered.
    pub client_name: Option<String>,
    /// `dcr` or `cimd`.
    pub registration_type: Option<String>,
    /// Where it receives codes.
    pub redirect_uris: Vec<String>,
    /// When it registered.
    pub created: Option<String>,
    /// The grants users gave it.
    pub grants: Vec<Grant>,
}
