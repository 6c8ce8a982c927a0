//! Who can reach the address (topic `address`): the clients on this computer reach what it
//! reaches; the cloud connectors connect from their vendor's servers and need a public https
//! address on port 443.

use super::{Check, Topic, Verdict, ids_of, names};
use crate::clients::{self, ClientConnector};
use crate::directus::Reach;

/// Who can reach the address, per kind of client.
pub(super) fn address_checks(
    chosen: &[&'static dyn ClientConnector],
    mcp_url: &url::Url,
) -> Vec<Check> {
    let (cloud, local): (Vec<_>, Vec<_>) = chosen
        .iter()
        .partition(|client| client.vendor_servers().is_some());
    let mut checks = Vec::new();
    if !local.is_empty() {
        let reach = Reach::of(mcp_url);
        let plain_remote = mcp_url.scheme() == "http" && reach != Reach::ThisComputer;
        checks.push(Check {
            topic: Topic::Address,
            verdict: if plain_remote {
                Verdict::Warning
            } else {
                Verdict::Ok
            },
            detail: format!(
                "{} {} on this computer and {} {mcp_url} (reachable {}){}",
                names(&local),
                if local.len() == 1 { "runs" } else { "run" },
                if local.len() == 1 { "reaches" } else { "reach" },
                reach.describe(),
                if plain_remote {
                    ", but over plain http: tokens cross the network unencrypted"
                } else {
                    ""
                }
            ),
            fix: plain_remote
                .then(|| "Serve Directus over https and use the https address.".to_owned()),
            clients: ids_of(&local),
        });
    }
    for client in cloud {
        let vendor = client.vendor_servers().unwrap_or_default();
        let reasons = clients::unreachable_reasons(vendor, mcp_url);
        let reachable = reasons.is_empty();
        checks.push(Check {
            topic: Topic::Address,
            verdict: if reachable {
                Verdict::Ok
            } else {
                Verdict::Problem
            },
            detail: if reachable {
                format!(
                    "{} connects from {vendor}'s servers: {mcp_url} is a public https address",
                    client.name()
                )
            } else {
                format!(
                    "{} connects from {vendor}'s servers, not from this computer: {}",
                    client.name(),
                    reasons.join("; ")
                )
            },
            fix: (!reachable).then(|| clients::CLOUD_FIX.to_owned()),
            clients: vec![client.id().to_owned()],
        });
    }
    checks
}
