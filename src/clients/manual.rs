//! What the clients set up only in their own window share: a plan made of steps to follow,
//! with every value ready to copy.

use super::connector::{ClientConnector, ClientInfo, Detection};
use super::environment::ClientEnvironment;
use super::error::ClientError;
use super::plan::{ManualSteps, Plan, Step};
use super::request::{AuthMode, ConnectRequest, Target, TokenAccess};
use super::status::{ClientStatus, Expected};

/// A client connected by hand, in its own settings.
pub(crate) trait ManualClient: Send + Sync {
    /// What the client is.
    fn info(&self) -> ClientInfo;
    /// The id used on the command line.
    fn id(&self) -> &'static str;
    /// The name users know.
    fn name(&self) -> &'static str;
    /// Whether it is installed (web apps always are).
    fn detect(&self, env: &ClientEnvironment) -> Detection;
    /// The steps that connect it.
    fn connect_steps(&self, request: &ConnectRequest) -> Result<ManualSteps, ClientError>;
    /// The steps that remove the connection.
    fn disconnect_steps(&self, target: &Target) -> ManualSteps;
    /// Whose servers connect to Directus, when not this computer (a web app's vendor).
    fn vendor_servers(&self) -> Option<&'static str> {
        None
    }
    /// The address of its Client ID Metadata Document, when it registers with one.
    fn cimd_client_id(&self) -> Option<&'static str> {
        None
    }
    /// Whether a token connection puts the token in the URL (`?access_token=`, for clients
    /// that can send no header); then the plan warns about it. A client that sends the
    /// token in a header says `false`.
    fn puts_token_in_url(&self) -> bool {
        true
    }
}

/// Adapts a [`ManualClient`] to [`ClientConnector`].
pub(crate) struct ManualConnector<C>(pub C);

impl<C: ManualClient> ClientConnector for ManualConnector<C> {
    fn id(&self) -> &'static str {
        self.0.id()
    }

    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn info(&self) -> ClientInfo {
        self.0.info()
    }

    fn puts_token_in_url(&self) -> bool {
        self.0.puts_token_in_url()
    }

    fn vendor_servers(&self) -> Option<&'static str> {
        self.0.vendor_servers()
    }

    fn cimd_client_id(&self) -> Option<&'static str> {
        self.0.cimd_client_id()
    }

    fn detect(&self, env: &ClientEnvironment) -> Detection {
        self.0.detect(env)
    }

    fn plan_connect(
        &self,
        _env: &ClientEnvironment,
        request: &ConnectRequest,
    ) -> Result<Plan, ClientError> {
        let mut plan = Plan::new(
            self.0.id(),
            vec![Step::Manual(self.0.connect_steps(request)?)],
        );
        plan.secrets.extend(request.token.clone());
        if let Some(vendor) = self.0.vendor_servers() {
            plan.notes.extend(super::cloud::unreachable_note(
                self.0.name(),
                vendor,
                &request.mcp_url,
            ));
        }
        if request.auth == AuthMode::Token && self.0.puts_token_in_url() {
            plan.notes
                .push(token_in_url_warning(UrlWithToken::TheConnectorUrl));
        }
        Ok(plan)
    }

    fn plan_disconnect(
        &self,
        _env: &ClientEnvironment,
        target: &Target,
    ) -> Result<Plan, ClientError> {
        Ok(Plan::new(
            self.0.id(),
            vec![Step::Manual(self.0.disconnect_steps(target))],
        ))
    }

    fn status(
        &self,
        _env: &ClientEnvironment,
        _target: &Target,
        _expected: &Expected,
    ) -> Result<ClientStatus, ClientError> {
        Ok(ClientStatus::ManualOnly)
    }
}

/// Said whenever a token travels in a URL.
pub(crate) fn token_in_url_warning(url: UrlWithToken) -> String {
    let subject = match url {
        UrlWithToken::TheConnectorUrl => "This URL",
        UrlWithToken::TheAlternativeConnectorUrl => "The connector URL of the alternative",
    };
    format!(
        "{subject} carries the token itself: anyone who sees it (screen shares, browser history, proxy logs) can use Directus as the MCP user. Prefer OAuth; rotate the token if the URL leaks."
    )
}

/// Which URL a [`token_in_url_warning`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UrlWithToken {
    /// The connector URL of the plan's own steps.
    TheConnectorUrl,
    /// The connector URL of an alternative offered beside the plan.
    TheAlternativeConnectorUrl,
}

/// The MCP URL with `?access_token=` (for clients that can send no header); only for a
/// token Directus confirmed is not an administrator's (URLs end up in third parties' logs).
pub(crate) fn url_with_token(
    request: &ConnectRequest,
    client: &str,
) -> Result<String, ClientError> {
    match &request.token_access {
        TokenAccess::Limited => {}
        TokenAccess::Admin => return Err(ClientError::AdminTokenInUrl),
        TokenAccess::Unchecked => {
            return Err(ClientError::TokenAccessUnknown("it was not checked".into()));
        }
        TokenAccess::Unknown(reason) => {
            return Err(ClientError::TokenAccessUnknown(reason.clone()));
        }
    }
    let mut url = request.mcp_url.clone();
    url.query_pairs_mut()
        .append_pair("access_token", request.token_for(client)?.expose());
    Ok(url.to_string())
}

/// The URL the client is given: plain for OAuth, with the token otherwise.
pub(crate) fn server_url(
    request: &ConnectRequest,
    client: &str,
) -> Result<(String, bool), ClientError> {
    Ok(match request.auth {
        AuthMode::Oauth => (request.mcp_url.to_string(), false),
        AuthMode::Token => (url_with_token(request, client)?, true),
    })
}

/// A web app: always usable.
pub(crate) fn web_app(url: &str) -> Detection {
    Detection {
        installed: true,
        evidence: Some(format!("web app at {url}")),
    }
}
