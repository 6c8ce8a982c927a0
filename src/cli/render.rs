//! Human-readable text for each command's result.

mod clients;
mod oauth;
mod projects;

use std::fmt::Write;

use super::output::{Output, RevokeOutput, StatusOutput, TokenOutput};
use crate::directus::mcp_user::McpUserSummary;
use crate::directus::settings::McpSettings;
use crate::mcp::McpReport;
use crate::setup::EnableOutcome;

/// The text printed without `--json`.
pub fn text(output: &Output) -> String {
    match output {
        Output::Status(status) => status_text(status),
        Output::Enable(outcome) => enable_text(outcome),
        Output::Token(token) => token_text(token),
        Output::Revoke(revoke) => revoke_text(revoke),
        Output::Verify(report) => verify_text(report),
        Output::ClientChange(change) => clients::change_text(change),
        Output::ClientChanges(changes) => clients::changes_text(changes),
        Output::Clients(list) => clients::list_text(list),
        Output::TokenShow(token) => clients::token_text(token),
        Output::OAuth(report) => oauth::report_text(report),
        Output::Grants(grants) => oauth::grants_text(grants),
        Output::GrantWait(wait) => oauth::wait_text(wait),
        Output::RevokedGrants(revoked) => oauth::revoked_text(revoked),
        Output::Doctor(report) => doctor_text(report),
        Output::SignedOut(outcome) => signed_out_text(outcome),
        Output::Projects(list) => projects::list_text(list),
        Output::ProjectChange(change) => projects::change_text(change),
        Output::ProjectsClients(list) => projects::clients_text(list),
    }
}

/// `sign-out`.
fn signed_out_text(outcome: &crate::setup::SignOutOutcome) -> String {
    match (outcome.was_kept, outcome.ended_on_server) {
        (false, _) => format!(
            "No session was kept for {} on this computer: nothing to sign out.\n",
            outcome.email
        ),
        (true, true) => format!(
            "Signed out {}: Directus ended the session and it is no longer kept here.\n",
            outcome.email
        ),
        (true, false) => format!(
            "Signed out {}: the session had already ended on Directus; it is no longer kept here.\n",
            outcome.email
        ),
    }
}

/// `doctor`: a line per check, its fix indented below.
fn doctor_text(report: &crate::doctor::DoctorReport) -> String {
    use crate::doctor::Verdict;
    let mut out = format!(
        "Doctor for {} ({})\n",
        report.mcp_url,
        report.clients.join(", ")
    );
    for check in &report.checks {
        let verdict = match check.verdict {
            Verdict::Ok => "ok     ",
            Verdict::Warning => "warning",
            Verdict::Problem => "PROBLEM",
        };
        out.push_str(&format!("{verdict} {}: {}\n", check.topic, check.detail));
        if let Some(fix) = &check.fix {
            out.push_str(&format!(
                "        fix: {}\n",
                fix.replace('\n', "\n             ")
            ));
        }
    }
    out
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

fn on_off(value: bool) -> &'static str {
    if value { "on" } else { "off" }
}

fn settings_lines(out: &mut String, settings: &McpSettings) {
    let system_prompt = match (
        settings.mcp_system_prompt_enabled,
        &settings.mcp_system_prompt,
    ) {
        (false, _) => "off".to_owned(),
        (true, Some(text)) if !text.trim().is_empty() => {
            format!("custom ({} characters)", text.chars().count())
        }
        (true, _) => "Directus default".to_owned(),
    };
    let _ = writeln!(out, "MCP server:         {}", on_off(settings.mcp_enabled));
    let _ = writeln!(
        out,
        "Allow deletes:      {}",
        yes_no(settings.mcp_allow_deletes)
    );
    let _ = writeln!(
        out,
        "Prompts collection: {}",
        settings.mcp_prompts_collection.as_deref().unwrap_or("none")
    );
    let _ = writeln!(out, "System prompt:      {system_prompt}");
}

fn user_line(user: &McpUserSummary) -> String {
    let role = user.role_name.as_deref().unwrap_or("no role");
    let collections = if user.collections.is_empty() {
        "none".to_owned()
    } else {
        user.collections.join(", ")
    };
    format!(
        "{} (role \"{role}\", token: {}, content collections: {collections})",
        user.id,
        if user.has_token { "set" } else { "none" }
    )
}

fn status_text(status: &StatusOutput) -> String {
    let report = &status.report;
    let env = &report.environment;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Directus {} at {} (signed in as {})",
        report.version, report.url, report.signed_in_as
    );
    let _ = writeln!(out, "MCP endpoint:       {}", report.mcp_url);
    let _ = writeln!(
        out,
        "Environment:        MCP {}, OAuth {} (DCR {}, CIMD {})",
        if env.mcp_enabled {
            "allowed"
        } else {
            "DISABLED (MCP_ENABLED=false)"
        },
        on_off(env.mcp_oauth_enabled),
        on_off(env.mcp_oauth_dcr_enabled),
        on_off(env.mcp_oauth_cimd_enabled)
    );
    let _ = writeln!(
        out,
        "Licence:            {} (custom permission rules: {})",
        report.license.source.as_deref().unwrap_or("community"),
        if report.license.custom_permission_rules {
            "allowed"
        } else {
            "not allowed"
        }
    );
    settings_lines(&mut out, &report.settings);
    match &report.mcp_user {
        Some(user) => {
            let _ = writeln!(out, "MCP user:           {}", user_line(user));
            let _ = writeln!(
                out,
                "Token in keyring:   {}",
                yes_no(status.mcp_token_in_keyring)
            );
        }
        None => {
            let _ = writeln!(out, "MCP user:           none (run `token create`)");
        }
    }
    for note in &report.notes {
        let _ = writeln!(out, "Note: {note}");
    }
    out
}

fn enable_text(outcome: &EnableOutcome) -> String {
    let mut out = String::from("MCP is enabled.\n");
    if outcome.generated_prompts_collection {
        out.push_str("Created the ai_prompts collection.\n");
    }
    settings_lines(&mut out, &outcome.settings);
    if outcome.settings.mcp_allow_deletes {
        out.push_str("Warning: AI clients can now delete data. Turn this off with `enable` (without --allow-deletes).\n");
    }
    out
}

fn token_text(token: &TokenOutput) -> String {
    let outcome = &token.outcome;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} MCP user {}",
        if outcome.created {
            "Created"
        } else {
            "Updated"
        },
        user_line(&outcome.user)
    );
    if outcome.stored_in_keyring {
        out.push_str("The new token is kept in the OS keyring.\n");
    } else if let Some(error) = &outcome.keyring_error {
        let _ = writeln!(
            out,
            "The token could NOT be kept in the OS keyring ({error}); copy it now, it is not shown again."
        );
    }
    if let Some(secret) = &token.token {
        let _ = writeln!(out, "Token: {}", secret.0.expose());
    }
    backups_removed_text(&mut out, &outcome.backups_removed);
    out
}

fn revoke_text(revoke: &RevokeOutput) -> String {
    let mut out = format!(
        "Revoked the token of MCP user {}. AI clients using it are refused from now on.\n",
        revoke.user.id
    );
    backups_removed_text(&mut out, &revoke.backups_removed);
    out
}

fn backups_removed_text(out: &mut String, backups: &[String]) {
    for backup in backups {
        let _ = writeln!(out, "Removed {backup}: it still held the old token.");
    }
}

fn verify_text(report: &McpReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "MCP handshake OK: {} {} at {} (protocol {})",
        report.server_name, report.server_version, report.mcp_url, report.protocol_version
    );
    let _ = writeln!(
        out,
        "Tool mode: {} — {}",
        report.tool_mode.as_str(),
        report.tool_mode.describe()
    );
    let _ = writeln!(out, "{} tools:", report.tools.len());
    for tool in &report.tools {
        let _ = writeln!(out, "  {:<16} {}", tool.name, tool.summary);
    }
    match &report.prompts {
        Some(prompts) if prompts.is_empty() => {
            out.push_str("Prompts: none in the prompts collection yet\n")
        }
        Some(prompts) => {
            let _ = writeln!(out, "Prompts: {}", prompts.join(", "));
        }
        None => match &report.prompts_error {
            Some(error) => {
                let _ = writeln!(out, "Prompts: {error}");
            }
            None => out.push_str("Prompts: no prompts collection set\n"),
        },
    }
    if !report.admin_only_tools_missing.is_empty() {
        let _ = writeln!(
            out,
            "Not available to this user (Directus offers them to administrators only): {}",
            report.admin_only_tools_missing.join(", ")
        );
    }
    out
}
