//! The client half of the bridge: it speaks to Directus as the stdio client would, and
//! passes what Directus sends (requests, notifications) on to that client.

use std::sync::Arc;

use rmcp::model::{
    ClientResult, ErrorData, InitializeRequestParams, ServerNotification, ServerRequest,
};
use rmcp::service::{
    NotificationContext, Peer, RequestContext, RoleClient, RoleServer, Service, ServiceError,
};

use super::Shared;

/// The client half: speaks to Directus as the stdio client would, and passes what Directus
/// sends (requests, notifications) on to it.
pub(super) struct Upstream {
    pub(super) params: InitializeRequestParams,
    pub(super) shared: Arc<Shared>,
}

impl Upstream {
    fn downstream(&self) -> Option<Peer<RoleServer>> {
        self.shared
            .downstream
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

impl Service<RoleClient> for Upstream {
    async fn handle_request(
        &self,
        request: ServerRequest,
        _context: RequestContext<RoleClient>,
    ) -> Result<ClientResult, ErrorData> {
        if let ServerRequest::PingRequest(_) = request {
            return Ok(ClientResult::empty(()));
        }
        let downstream = self
            .downstream()
            .ok_or_else(|| ErrorData::internal_error("the client has gone", None))?;
        downstream
            .send_request(request)
            .await
            .map_err(|error| match error {
                ServiceError::McpError(error) => error,
                other => ErrorData::internal_error(other.to_string(), None),
            })
    }

    async fn handle_notification(
        &self,
        notification: ServerNotification,
        _context: NotificationContext<RoleClient>,
    ) -> Result<(), ErrorData> {
        if let Some(downstream) = self.downstream() {
            let _ = downstream.send_notification(notification).await;
        }
        Ok(())
    }

    fn get_info(&self) -> InitializeRequestParams {
        self.params.clone()
    }
}
