//! Text for `projects` and for `clients` across every project.

use std::fmt::Write;

use crate::cli::output::{ProjectChangeOutput, ProjectRow, ProjectsClientsOutput, ProjectsOutput};
use crate::clients::AuthMode;

fn auth_words(auth: AuthMode) -> &'static str {
    match auth {
        AuthMode::Oauth => "oauth",
        AuthMode::Token => "token",
    }
}

/// `projects`: one line per project, the chosen one marked with `*`.
pub fn list_text(output: &ProjectsOutput) -> String {
    let mut out = String::new();
    if output.projects.is_empty() {
        let _ = writeln!(
            out,
            "No project yet: `directus-mcp-setup projects add --url https://cms.example.com` adds one (and `connect` adds the one it connects)."
        );
        return out;
    }
    let _ = writeln!(
        out,
        "  {:<24} {:<36} {:<6} {:<9} {:<15} CLIENTS",
        "NAME", "URL", "AUTH", "TOOLS", "TEMPLATE"
    );
    for project in &output.projects {
        let _ = writeln!(out, "{}", row_text(project));
    }
    let _ = writeln!(
        out,
        "\n* chosen: commands without --url or --project act on it (`projects choose NAME`)."
    );
    out
}

fn row_text(project: &ProjectRow) -> String {
    let clients = if project.clients.is_empty() {
        "-".to_owned()
    } else {
        project.clients.join(", ")
    };
    format!(
        "{} {:<24} {:<36} {:<6} {:<9} {:<15} {clients}",
        if project.chosen { "*" } else { " " },
        project.name,
        project.url,
        auth_words(project.auth),
        project.tool_mode.as_str(),
        project.template.map_or("-", |t| t.cli_name()),
    )
}

/// `projects add|choose|remove`.
pub fn change_text(output: &ProjectChangeOutput) -> String {
    let mut out = String::new();
    let project = &output.project;
    match output.action.as_str() {
        "add" | "update" => {
            let verb = if output.action == "add" {
                "Added"
            } else {
                "Updated"
            };
            let _ = writeln!(
                out,
                "{verb} the project \"{}\" for {} (sign-in: {}, tools: {}).",
                project.name,
                project.url,
                auth_words(project.auth),
                project.tool_mode.as_str()
            );
            let _ = writeln!(
                out,
                "Its entries in AI clients are named \"{0}\". Another name: `directus-mcp-setup projects remove {0}`, then `projects add --url {1} --name NAME`.",
                project.name, project.url
            );
            if !project.chosen {
                let _ = writeln!(
                    out,
                    "Act on it with --project {0}, or make it the default: `directus-mcp-setup projects choose {0}`.",
                    project.name
                );
            }
        }
        "choose" => {
            let _ = writeln!(
                out,
                "Commands without --url or --project now act on \"{}\" ({}).",
                project.name, project.url
            );
        }
        _ => {
            for change in &output.disconnected {
                out.push_str(&super::clients::change_text(change));
            }
            let _ = writeln!(
                out,
                "Removed the project \"{}\" ({}); its MCP token stays in the OS keyring for the URL (`token revoke` ends it).",
                project.name, project.url
            );
        }
    }
    out
}

/// `clients` across every project: per client, one line per project.
pub fn clients_text(output: &ProjectsClientsOutput) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "AI clients and your Directus projects (* chosen):");
    for project in &output.projects {
        let _ = writeln!(
            out,
            "{} {:<24} {}",
            if project.chosen { "*" } else { " " },
            project.project,
            project.url
        );
    }
    let _ = writeln!(
        out,
        "\n{:<16} {:<10} {:<24} {:<44} FILE",
        "CLIENT", "INSTALLED", "PROJECT", "STATUS"
    );
    let Some(first) = output.projects.first() else {
        return out;
    };
    for (index, row) in first.clients.clients.iter().enumerate() {
        let installed = if row.overview.detected.installed {
            "yes"
        } else {
            "no"
        };
        let file = row.overview.file.as_deref().unwrap_or("-");
        for (number, project) in output.projects.iter().enumerate() {
            let Some(row) = project.clients.clients.get(index) else {
                continue;
            };
            let status = match (&row.overview.status, &row.overview.error, row.entry) {
                (_, Some(error), _) => format!("error: {error}"),
                (_, None, "missing") => {
                    "missing: connected from here, but the entry is gone".to_owned()
                }
                (Some(status), None, _) => super::clients::status_words(status),
                (None, None, _) => "unknown".to_owned(),
            };
            let (id, installed, file) = if number == 0 {
                (row.overview.info.id.as_str(), installed, file)
            } else {
                ("", "", "")
            };
            let _ = writeln!(
                out,
                "{id:<16} {installed:<10} {:<24} {status:<44} {file}",
                project.project
            );
        }
    }
    for project in &output.projects {
        let Some(checks) = &project.clients.checks else {
            continue;
        };
        let _ = writeln!(out, "\nChecks of \"{}\":", project.project);
        if checks.is_empty() {
            let _ = writeln!(out, "no client has an entry for this project yet");
        }
        for check in checks {
            let _ = writeln!(
                out,
                "{:<16} {}: {}",
                check.id,
                super::clients::outcome_words(check.outcome),
                check.detail
            );
        }
    }
    out
}
