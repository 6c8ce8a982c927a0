//! Text for `oauth status|enable` and `grants list|wait|revoke`.

use std::fmt::Write;

use crate::cli::output::{GrantWaitOutput, GrantsOutput, RevokedGrantsOutput};
use crate::directus::grant_lifetime::SignInReport;
use crate::directus::oauth::{OAuthClient, OAuthReport};

fn on_off(value: bool) -> &'static str {
    if value { "on" } else { "off" }
}

/// `oauth status` / `oauth enable`.
pub fn report_text(report: &OAuthReport) -> String {
    let mut out = String::new();
    let env = &report.environment;
    let settings = &report.settings;
    let _ = writeln!(out, "MCP endpoint:        {}", report.mcp_url);
    let _ = writeln!(
        out,
        "Environment:         OAuth {}, DCR {}, CIMD {}",
        on_off(env.mcp_oauth_enabled),
        on_off(env.mcp_oauth_dcr_enabled),
        on_off(env.mcp_oauth_cimd_enabled)
    );
    let _ = writeln!(
        out,
        "Project settings:    OAuth {}, DCR {}, CIMD {}",
        on_off(settings.mcp_oauth_enabled),
        on_off(settings.mcp_oauth_dcr_enabled),
        on_off(settings.mcp_oauth_cimd_enabled)
    );
    if let Some(metadata) = &report.metadata {
        let _ = writeln!(out, "Announced resource:  {}", metadata.resource);
    }
    for reason in &report.needed.reasons {
        let _ = writeln!(out, "Needed:              {reason}");
    }
    if report.ready {
        let _ = writeln!(out, "\nReady: AI clients can sign in with OAuth.");
    } else {
        let _ = writeln!(out, "\nNot ready yet:");
        for problem in &report.problems {
            let _ = writeln!(out, "- {}", problem.problem);
            for line in problem.fix.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    if let Some(sign_in) = &report.sign_in {
        sign_in_lines(&mut out, sign_in);
    }
    out
}

/// Why a sign-in ends (the server's values), and the grants that ended.
fn sign_in_lines(out: &mut String, sign_in: &SignInReport) {
    let _ = writeln!(out, "\nWhy a sign-in ends on this server:");
    for rule in &sign_in.rules.explanation {
        let _ = writeln!(out, "- {rule}");
    }
    if !sign_in.ended.is_empty() {
        let _ = writeln!(out, "\nGrants that ended (from Directus' activity log):");
        for ended in &sign_in.ended {
            let _ = writeln!(
                out,
                "- {} · {} · last used {}",
                ended.id,
                ended.user_email.as_deref().unwrap_or("?"),
                ended.last_used.as_deref().unwrap_or("?")
            );
            let _ = writeln!(out, "    {}", ended.explanation);
        }
    }
}

/// `grants list`.
pub fn grants_text(output: &GrantsOutput) -> String {
    if output.clients.is_empty() && output.sign_in.ended.is_empty() {
        return "No OAuth client has registered yet.\n".to_owned();
    }
    let mut out = String::new();
    for client in &output.clients {
        client_lines(&mut out, client);
    }
    let with_grants = output
        .clients
        .iter()
        .filter(|client| !client.grants.is_empty())
        .count();
    let _ = writeln!(
        out,
        "\n{} client(s) registered, {with_grants} holding a grant (all listed).",
        output.total_clients
    );
    if output.not_shown_without_grants > 0 {
        let _ = writeln!(
            out,
            "{} more client(s) without grants not shown (they hold no access).",
            output.not_shown_without_grants
        );
    }
    sign_in_lines(&mut out, &output.sign_in);
    out
}

fn client_lines(out: &mut String, client: &OAuthClient) {
    let _ = writeln!(
        out,
        "{}  {} ({}, registered {})",
        client.client_id,
        client.client_name.as_deref().unwrap_or("unnamed client"),
        client.registration_type.as_deref().unwrap_or("?"),
        client.created.as_deref().unwrap_or("?")
    );
    let _ = writeln!(out, "  redirect URIs: {}", client.redirect_uris.join(", "));
    if client.grants.is_empty() {
        let _ = writeln!(out, "  no grants");
    }
    for grant in &client.grants {
        let _ = writeln!(
            out,
            "  granted by {} · scope {} · created {} · last used {}",
            grant.user_email.as_deref().unwrap_or("?"),
            grant.scope.as_deref().unwrap_or("?"),
            grant.created.as_deref().unwrap_or("?"),
            grant.last_used.as_deref().unwrap_or("?")
        );
        let _ = writeln!(
            out,
            "    {}",
            grant
                .ending
                .clone()
                .unwrap_or_else(|| format!("expires {}", grant.expires.as_deref().unwrap_or("?")))
        );
    }
}

/// `grants wait`.
pub fn wait_text(output: &GrantWaitOutput) -> String {
    format!(
        "Authorized: {} ({}) by {}\n",
        output
            .client
            .client_name
            .as_deref()
            .unwrap_or("unnamed client"),
        output.client.client_id,
        output.grant.user_email.as_deref().unwrap_or("?")
    )
}

/// `grants revoke`.
pub fn revoked_text(output: &RevokedGrantsOutput) -> String {
    let mut out = String::new();
    for id in &output.revoked {
        let _ = writeln!(
            out,
            "Revoked {id}: its tokens no longer work (checked: it is gone)."
        );
    }
    let _ = writeln!(
        out,
        "Access ended for {} user(s){}{} (a client is revoked for all its users).",
        output.users.len(),
        if output.users.is_empty() { "" } else { ": " },
        output.users.join(", ")
    );
    out
}
