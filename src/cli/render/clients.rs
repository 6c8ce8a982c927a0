//! Text for `connect`, `disconnect`, `clients` and `token show`.

use std::fmt::Write;

use crate::cli::output::{ClientChangeOutput, ClientsOutput, TokenShowOutput};
use crate::clients::ClientStatus;
use crate::clients::plan::{EditKind, ManualSteps, StepView};
use crate::clients::status::FoundAuth;

/// `connect` / `disconnect`.
/// `connect --all` / `disconnect --all`: each client's change, then what failed.
pub fn changes_text(output: &super::super::output::ClientChangesOutput) -> String {
    let mut out = String::new();
    for change in &output.changes {
        out.push_str(&change_text(change));
    }
    for failure in &output.failures {
        let _ = writeln!(out, "{}: FAILED: {}", failure.client, failure.error);
    }
    if output.changes.is_empty() && output.failures.is_empty() {
        let _ = writeln!(out, "No client to {}.", output.action);
    }
    out
}

/// `connect` / `disconnect`: what was (or would be) done.
pub fn change_text(output: &ClientChangeOutput) -> String {
    let mut out = String::new();
    let plan = &output.plan;
    if output.dry_run {
        let _ = writeln!(
            out,
            "Plan to {} {} (dry run: nothing was changed)",
            output.action, plan.client
        );
    } else if plan.up_to_date {
        let _ = writeln!(out, "{}: nothing to change.", plan.client);
    }
    for step in &plan.steps {
        match step {
            StepView::EditFile {
                path,
                change,
                diff,
                holds_secret,
            } => {
                if output.dry_run && *change != EditKind::Unchanged {
                    let _ = writeln!(out, "\nWould {change} {path}:");
                    out.push_str(diff);
                    if *holds_secret {
                        let _ = writeln!(
                            out,
                            "(it would hold the token, so it would be made readable by you only: 0600)"
                        );
                    }
                } else if *change == EditKind::Unchanged {
                    let _ = writeln!(out, "{path} already up to date.");
                }
            }
            StepView::RunProgram { command } => {
                if output.dry_run {
                    let _ = writeln!(out, "\nWould run: {command}");
                }
            }
            StepView::Manual(manual) => manual_text(&mut out, manual, "Steps to do by hand"),
        }
    }
    if let Some(applied) = &output.applied {
        for file in &applied.files {
            let verb = if file.deleted { "Deleted" } else { "Wrote" };
            let _ = write!(out, "{verb} {}", file.path);
            if let Some(backup) = &file.backup {
                let _ = write!(out, " (previous version kept in {backup})");
            }
            out.push('\n');
            if file.holds_secret {
                let _ = writeln!(
                    out,
                    "  It holds the token, so it is readable by you only (0600)."
                );
            }
        }
        for command in &applied.commands {
            let _ = writeln!(out, "Ran: {command}");
        }
    }
    for alternative in &plan.alternatives {
        manual_text(&mut out, alternative, "Alternative");
    }
    for note in &plan.notes {
        let _ = writeln!(out, "\nNote: {note}");
    }
    out
}

fn manual_text(out: &mut String, manual: &ManualSteps, heading: &str) {
    let _ = writeln!(out, "\n{heading} — {}:", manual.title);
    for (number, step) in manual.steps.iter().enumerate() {
        let _ = write!(out, "  {}. {}", number + 1, step.text);
        if let Some(copy) = &step.copy {
            let _ = write!(out, " {}", copy.value);
        }
        out.push('\n');
    }
    if let Some(link) = &manual.link {
        let _ = writeln!(out, "  {}: {}", link.label, link.value);
    }
}

/// `clients`: one line per client.
pub fn list_text(output: &ClientsOutput) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "AI clients and {}:", output.mcp_url);
    let _ = writeln!(
        out,
        "{:<16} {:<10} {:<44} FILE",
        "CLIENT", "INSTALLED", "STATUS"
    );
    for row in &output.clients {
        let status = match (&row.status, &row.error) {
            (_, Some(error)) => format!("error: {error}"),
            (Some(status), None) => status_words(status),
            (None, None) => "unknown".to_owned(),
        };
        let installed = if row.detected.installed { "yes" } else { "no" };
        let file = row.file.as_deref().unwrap_or("-");
        let _ = writeln!(
            out,
            "{:<16} {installed:<10} {status:<44} {file}",
            row.info.id
        );
    }
    if let Some(checks) = &output.checks {
        let _ = writeln!(out, "\nChecks:");
        if checks.is_empty() {
            let _ = writeln!(out, "no client has an entry for this Directus yet");
        }
        for check in checks {
            let outcome = outcome_words(check.outcome);
            let _ = writeln!(out, "{:<16} {outcome}: {}", check.id, check.detail);
            if let Some(said) = &check.client_says {
                let _ = writeln!(out, "{:<16} {said}", "");
            }
        }
    }
    out
}

/// A check's outcome in words.
pub(super) fn outcome_words(outcome: crate::clients::check::CheckOutcome) -> &'static str {
    use crate::clients::check::CheckOutcome;
    match outcome {
        CheckOutcome::Works => "works",
        CheckOutcome::Fails => "FAILS",
        CheckOutcome::SignsInInClient => "signs in in the client",
        CheckOutcome::NotConnected => "not connected",
        CheckOutcome::CannotCheck => "cannot check",
    }
}

pub(super) fn status_words(status: &ClientStatus) -> String {
    match status {
        ClientStatus::NotInstalled => "not installed".into(),
        ClientStatus::Installed => "not connected".into(),
        ClientStatus::Connected {
            auth, tool_mode, ..
        } => format!(
            "connected ({}; tool mode: {})",
            match auth {
                FoundAuth::Oauth => "OAuth".to_owned(),
                FoundAuth::InlineToken(_) => "token in file".to_owned(),
                FoundAuth::Prompt => "token asked at start".to_owned(),
                FoundAuth::EnvVar(name) => format!("token from ${name}"),
                FoundAuth::Keyring => "token from the keyring, via the bridge".to_owned(),
            },
            tool_mode.as_str()
        ),
        ClientStatus::Stale { reason, .. } => format!("stale: {reason}"),
        ClientStatus::ManualOnly => "set up in its own window".into(),
    }
}

/// `token show`.
pub fn token_text(output: &TokenShowOutput) -> String {
    format!("{}\n", output.token.0.expose())
}
