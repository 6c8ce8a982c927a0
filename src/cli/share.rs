//! `export` and `import`: a project's setup as a small file with nothing secret in it, and
//! that file carried out on this computer (see [`crate::projects::share`]).

use std::fmt::Write;

use serde::Serialize;

use super::CliError;
use super::args::{ConnectionArgs, ExportArgs, ImportArgs};
use super::output::{ClientChangeOutput, ClientFailure, Output};
use super::project::Context;
use crate::clients::{self, ClientEnvironment, ConnectRequest, SystemRunner, TokenAccess};
use crate::config_edit::file::{self, Backup};
use crate::projects::share::{
    self, ClientAction, ImportInputs, ImportPreview, ProjectChange, SetupFile, ShareError,
    TokenInput, TokenSource,
};
use crate::projects::{self, ProjectList};
use crate::secret::SecretString;
use crate::secret_store::SecretStore;
use crate::setup::SetupError;

/// What `export` and `import` print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ShareOutput {
    /// `export`.
    Export(ExportOutput),
    /// `import` (boxed: much larger than an export).
    Import(Box<ImportOutput>),
}

/// `export --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportOutput {
    /// Always `export`.
    pub action: String,
    /// The project exported.
    pub project: String,
    /// Where the file was written; `null` when printed.
    pub output: Option<String>,
    /// The setup file.
    pub file: SetupFile,
}

/// `import --json`: shaped as `connect --all --json` (`action`, `changes`, `failures`),
/// with the project record and what was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportOutput {
    /// Always `import`.
    pub action: String,
    /// Whether this was only the preview.
    pub dry_run: bool,
    /// The setup read.
    pub file: SetupFile,
    /// What happens (happened) to the project record.
    pub project: ProjectChange,
    /// Where a token setup's token comes from.
    pub token: TokenSource,
    /// One `connect` change per client planned, in the file's order (as `connect --json`).
    pub changes: Vec<ClientChangeOutput>,
    /// The clients skipped, with why (not installed here, unknown, refused).
    pub skipped: Vec<SkippedClient>,
    /// The clients whose connect failed (the others were done).
    pub failures: Vec<ClientFailure>,
    /// Why the import cannot be done as it is (a dry run; the import itself is refused).
    pub blockers: Vec<String>,
    /// What else to know.
    pub warnings: Vec<String>,
}

/// A client of the setup file that `import` leaves alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedClient {
    /// The client's id, as in the file.
    pub client: String,
    /// Why: not installed here, not known to this version, or its plan refused.
    pub reason: String,
}

impl ShareOutput {
    /// Whether the run failed in part (a client that failed; a dry run that found the
    /// import would be refused).
    pub fn failed(&self) -> bool {
        match self {
            Self::Export(_) => false,
            Self::Import(import) => !import.failures.is_empty() || !import.blockers.is_empty(),
        }
    }

    /// The text printed without `--json`.
    pub fn text(&self) -> String {
        match self {
            // Printed as it is, so `export > setup.json` makes the file.
            Self::Export(export) if export.output.is_none() => share::to_text(&export.file),
            Self::Export(export) => format!(
                "Wrote the setup of \"{}\" ({}) to {}. Nothing secret is in it (no token, no email, no password): share it, then `directus-mcp-setup import {}` on the other computer.\n",
                export.project,
                export.file.url,
                export.output.as_deref().unwrap_or_default(),
                export.output.as_deref().unwrap_or_default(),
            ),
            Self::Import(import) => import_text(import),
        }
    }
}

/// `export`: the setup of the project the command line names (`--project`, the project of
/// `--url`, else the chosen one), printed or written to `--output`.
pub(super) fn export(context: &Context, args: &ExportArgs) -> Result<Output, CliError> {
    let connection = &context.connection;
    if let (None, Some(ambiguous)) = (&context.project, &context.ambiguous) {
        return Err(CliError::Usage(ambiguous.clone()));
    }
    let project = context.project.as_ref().ok_or_else(|| {
        CliError::Usage(
            "no project is set up on this computer for this, so there is nothing to export: connect a client first (`directus-mcp-setup connect <client> --url …`), or name one with --project (`directus-mcp-setup projects` lists them)".to_owned(),
        )
    })?;
    let setup = share::export(project);
    let text = share::to_text(&setup);
    // Never write a file `import` would refuse.
    if let Err(error) = share::parse_with(&text, true) {
        return Err(CliError::Usage(format!(
            "the project \"{}\" cannot be exported: {error}",
            project.name
        )));
    }
    if share::parse_with(&text, connection.allow_insecure_http).is_err() {
        eprintln!(
            "warning: {} is plain http to another computer: importing this file needs --allow-insecure-http",
            setup.url
        );
    }
    let output = match &args.output {
        Some(path) => {
            let written = file::write(path, &text, false, Backup::PreviousVersion)
                .map_err(|error| CliError::Usage(error.to_string()))?;
            Some(written.path.display().to_string())
        }
        None => None,
    };
    Ok(Output::Share(ShareOutput::Export(ExportOutput {
        action: "export".into(),
        project: project.name.clone(),
        output,
        file: setup,
    })))
}

/// `import FILE`: the preview, and unless `--dry-run` the import.
pub(super) async fn import(
    connection: &ConnectionArgs,
    args: &ImportArgs,
    store: &SecretStore,
) -> Result<Output, CliError> {
    let mut setup = share::read(&args.file, connection.allow_insecure_http)?;
    if let Some(name) = &args.name {
        setup = setup.renamed(name)?;
    }
    let env = ClientEnvironment::from_process()?;
    let inputs = inputs(&setup, args.token.as_ref(), store).await?;
    let path = projects::store_path_in(&env);
    let preview = if args.dry_run {
        let list = ProjectList::load(&path).map_err(ShareError::from)?;
        share::preview_with(&setup, &env, &list, &inputs)
    } else {
        share::import(&setup, &env, &path, &inputs, &SystemRunner)?
    };
    Ok(Output::Share(ShareOutput::Import(Box::new(import_output(
        preview,
        args.dry_run,
    )))))
}

/// The token (given, else kept for the file's URL; none for an OAuth setup), what it may
/// do when a client of the file would put it in a URL, and this program as the bridge.
async fn inputs(
    setup: &SetupFile,
    given: Option<&SecretString>,
    store: &SecretStore,
) -> Result<ImportInputs, CliError> {
    let mut inputs = ImportInputs::this_program();
    if setup.auth == clients::AuthMode::Oauth {
        return Ok(inputs);
    }
    inputs.token = match given.filter(|token| !token.expose().is_empty()) {
        Some(token) => TokenInput::Given(token.clone()),
        None => TokenInput::kept_in(store, setup).map_err(SetupError::from)?,
    };
    let token = match &inputs.token {
        TokenInput::Kept(token) | TokenInput::Given(token) => token.clone(),
        TokenInput::None => return Ok(inputs),
    };
    let in_url = setup
        .clients
        .iter()
        .filter_map(|id| clients::find(id).ok())
        .find(|client| client.puts_token_in_url());
    if let Some(client) = in_url {
        let server = crate::directus::ServerUrl::parse(&setup.url, true)
            .map_err(crate::directus::DirectusError::from)?;
        let mut request = ConnectRequest {
            target: clients::Target::new(&setup.name, clients::Scope::User, None)?,
            mcp_url: server.mcp_endpoint(),
            auth: clients::AuthMode::Token,
            token: Some(token),
            inline_token: false,
            token_env_var: None,
            token_access: TokenAccess::Unchecked,
            stdio_bridge: inputs.stdio_bridge.clone(),
            oauth_via_bridge: false,
        };
        crate::setup::check_token_access(&server, client, &mut request).await;
        inputs.token_access = request.token_access;
    }
    Ok(inputs)
}

/// The preview (or what was done) in `connect --all`'s shape.
fn import_output(preview: ImportPreview, dry_run: bool) -> ImportOutput {
    let mut changes = Vec::new();
    let mut skipped = Vec::new();
    let mut failures = Vec::new();
    for client in preview.clients {
        match (client.action, client.plan) {
            (ClientAction::Failed, _) => failures.push(ClientFailure {
                client: client.client,
                error: client.reason.unwrap_or_default(),
            }),
            (ClientAction::Connect | ClientAction::UpToDate, Some(plan)) => {
                changes.push(ClientChangeOutput {
                    action: "connect".into(),
                    dry_run,
                    plan,
                    applied: client.applied,
                });
            }
            _ => skipped.push(SkippedClient {
                client: client.client,
                reason: client.reason.unwrap_or_default(),
            }),
        }
    }
    ImportOutput {
        action: "import".into(),
        dry_run,
        file: preview.file,
        project: preview.project,
        token: preview.token,
        changes,
        skipped,
        failures,
        blockers: preview.blockers,
        warnings: preview.warnings,
    }
}

/// `import`: the setup, the project record, each client as `connect` prints it, what was
/// skipped or failed, and what stands in the way.
fn import_text(import: &ImportOutput) -> String {
    let mut out = String::new();
    let setup = &import.file;
    let _ = write!(
        out,
        "Setup \"{}\" for {}: {} sign-in, {} tools",
        setup.name,
        setup.url,
        match setup.auth {
            clients::AuthMode::Oauth => "OAuth",
            clients::AuthMode::Token => "token",
        },
        setup.tool_mode.as_str()
    );
    if let Some(template) = setup.template {
        let _ = write!(out, ", role {}", template.cli_name());
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "Project: {}",
        match &import.project {
            ProjectChange::New { .. } if import.dry_run => "new, would be added".to_owned(),
            ProjectChange::New { .. } => "added".to_owned(),
            ProjectChange::Identical { .. } => "already here, the same".to_owned(),
            ProjectChange::Updated { changes, .. } => format!("updated ({})", changes.join("; ")),
            ProjectChange::NameClash { here, .. } =>
                format!("REFUSED: \"{}\" here is for {}", here.name, here.url),
        }
    );
    let _ = writeln!(
        out,
        "Token: {}",
        match import.token {
            TokenSource::NotNeeded => "none (OAuth: each person signs in in the browser)",
            TokenSource::Kept => "the one kept in the OS keyring for this Directus",
            TokenSource::Given => "the one given (DIRECTUS_MCP_TOKEN)",
            TokenSource::Missing => "MISSING (where it would go is shown masked below)",
        }
    );
    for change in &import.changes {
        out.push('\n');
        out.push_str(&super::render::text(&Output::ClientChange(change.clone())));
    }
    if !import.skipped.is_empty() {
        out.push('\n');
    }
    for skipped in &import.skipped {
        let _ = writeln!(out, "{}: {}", skipped.client, skipped.reason);
    }
    for failure in &import.failures {
        let _ = writeln!(out, "{}: FAILED: {}", failure.client, failure.error);
    }
    for warning in &import.warnings {
        let _ = writeln!(out, "\nNote: {warning}");
    }
    for blocker in &import.blockers {
        let _ = writeln!(out, "\nCannot import: {blocker}");
    }
    if import.dry_run && import.blockers.is_empty() {
        let _ = writeln!(
            out,
            "\nDry run: nothing was changed. Run the same command without --dry-run to import."
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::plan::PlanView;
    use crate::projects::Project;
    use crate::projects::share::ClientImport;
    use clap::Parser;
    use std::path::PathBuf;

    fn row(client: &str, action: ClientAction, planned: bool) -> ClientImport {
        ClientImport {
            client: client.to_owned(),
            name: client.to_owned(),
            action,
            plan: planned.then(|| PlanView {
                client: client.to_owned(),
                steps: Vec::new(),
                alternatives: Vec::new(),
                notes: Vec::new(),
                up_to_date: false,
            }),
            reason: (!planned).then(|| format!("why {client}")),
            applied: None,
        }
    }

    fn preview(clients: Vec<ClientImport>, blockers: Vec<String>) -> ImportPreview {
        let file = share::export(&Project {
            name: "directus".into(),
            url: "https://cms.example.com".into(),
            auth: clients::AuthMode::Oauth,
            tool_mode: Default::default(),
            template: None,
            email: None,
            clients: Vec::new(),
        });
        ImportPreview {
            project: ProjectChange::New {
                project: Project {
                    name: file.name.clone(),
                    url: file.url.clone(),
                    auth: file.auth,
                    tool_mode: file.tool_mode,
                    template: None,
                    email: None,
                    clients: Vec::new(),
                },
            },
            file,
            token: TokenSource::NotNeeded,
            clients,
            blockers,
            warnings: Vec::new(),
            applied: false,
        }
    }

    #[test]
    fn import_output_sorts_clients_into_changes_skipped_and_failures() {
        let output = import_output(
            preview(
                vec![
                    row("cursor", ClientAction::Connect, true),
                    row("windsurf", ClientAction::NotInstalled, false),
                    row("codex", ClientAction::Failed, false),
                    row("zed", ClientAction::UpToDate, true),
                    row("notepad", ClientAction::Unknown, false),
                ],
                Vec::new(),
            ),
            true,
        );
        let planned: Vec<&str> = output
            .changes
            .iter()
            .map(|c| c.plan.client.as_str())
            .collect();
        assert_eq!(planned, ["cursor", "zed"]);
        assert!(
            output
                .changes
                .iter()
                .all(|c| c.action == "connect" && c.dry_run)
        );
        let skipped: Vec<&str> = output.skipped.iter().map(|s| s.client.as_str()).collect();
        assert_eq!(skipped, ["windsurf", "notepad"]);
        assert_eq!(output.skipped[0].reason, "why windsurf");
        assert_eq!(output.failures.len(), 1);
        assert_eq!(output.failures[0].error, "why codex");
        assert!(ShareOutput::Import(Box::new(output)).failed());
    }

    #[test]
    fn a_blocked_preview_fails_and_says_why() {
        let output = import_output(preview(Vec::new(), vec!["no token".into()]), true);
        let text = ShareOutput::Import(Box::new(output.clone())).text();
        assert!(text.contains("Cannot import: no token"), "{text}");
        assert!(
            !text.contains("Run the same command without --dry-run"),
            "{text}"
        );
        assert!(ShareOutput::Import(Box::new(output)).failed());
        let fine = import_output(preview(Vec::new(), Vec::new()), true);
        assert!(!ShareOutput::Import(Box::new(fine)).failed());
    }

    #[test]
    fn import_and_export_parse_their_options() {
        let cli = super::super::args::Cli::try_parse_from([
            "x",
            "import",
            "setup.json",
            "--dry-run",
            "--name",
            "directus-b",
        ])
        .unwrap();
        let super::super::args::Command::Import(args) = cli.command else {
            panic!("import expected")
        };
        assert_eq!(args.file, PathBuf::from("setup.json"));
        assert!(args.dry_run);
        assert_eq!(args.name.as_deref(), Some("directus-b"));
        let cli = super::super::args::Cli::try_parse_from([
            "x",
            "export",
            "--project",
            "directus",
            "-o",
            "out.json",
        ])
        .unwrap();
        let super::super::args::Command::Export(args) = &cli.command else {
            panic!("export expected")
        };
        assert_eq!(cli.connection.project.as_deref(), Some("directus"));
        assert_eq!(args.output, Some(PathBuf::from("out.json")));
        assert!(super::super::args::Cli::try_parse_from(["x", "import"]).is_err());
    }
}
