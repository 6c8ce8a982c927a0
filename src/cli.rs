//! The command-line tool: parses the contract in [`args`], calls the same core functions as
//! the desktop app, and prints text or one stable JSON document.

pub mod args;
mod bridge;
mod clients;
mod oauth;
pub mod output;
mod project;
mod projects;
mod render;
mod share;

use std::process::ExitCode;

use crate::directus::mcp_user::TokenRequest;
use crate::directus::server_report;
use crate::directus::settings::SystemPrompt;
use crate::directus::{DirectusClient, DirectusError, ServerUrl};
use crate::mcp::McpProbeError;
use crate::secret::SecretString;
use crate::secret_store::{SecretKind, SecretStore};
use crate::setup::{self, EnableRequest, Login, PromptsChoice, SetupError};
use crate::transport::TransportError;
use args::{Cli, Command, ConnectionArgs, DoctorArgs, EnableArgs, TokenCommand, VerifyArgs};
use output::{Output, RevokeOutput, StatusOutput, TokenOutput};

/// Exit status: the command did what was asked.
pub const EXIT_OK: u8 = 0;
/// Exit status: Directus or the keyring refused, or the setup failed for another reason.
pub const EXIT_FAILED: u8 = 1;
/// Exit status: the command line was wrong (clap's own code).
pub const EXIT_USAGE: u8 = 2;
/// Exit status: the server could not be reached, or is not Directus.
pub const EXIT_UNREACHABLE: u8 = 3;
/// Exit status: signing in failed (credentials, one-time code, token) or the user is no admin.
pub const EXIT_AUTH: u8 = 4;
/// Exit status: the MCP handshake failed.
pub const EXIT_MCP: u8 = 5;

/// Why a command failed, with the exit status it maps to.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A usage problem clap cannot see (e.g. a missing URL).
    #[error("{0}")]
    Usage(String),
    /// A core step failed.
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// `grants wait` saw no new grant in time.
    #[error(
        "no AI client was authorized within {0} s: start the OAuth sign-in in the client (its MCP settings, or the first use of a tool), then run `grants wait` again"
    )]
    NotAuthorized(u64),
    /// Connecting or disconnecting a client failed.
    #[error(transparent)]
    Client(#[from] crate::clients::ClientError),
    /// The project list refused (an unknown project, a name taken, a damaged file).
    #[error(transparent)]
    Project(#[from] crate::projects::ProjectError),
    /// The command was refused to keep data safe (e.g. removing a project whose entries
    /// are still in clients' files); the message says what to do.
    #[error("{0}")]
    Refused(String),
    /// A setup file was refused, or importing it could not be done.
    #[error(transparent)]
    Share(#[from] crate::projects::share::ShareError),
}

impl From<DirectusError> for CliError {
    fn from(error: DirectusError) -> Self {
        Self::Setup(error.into())
    }
}

impl From<crate::doctor::DoctorError> for CliError {
    fn from(error: crate::doctor::DoctorError) -> Self {
        match error {
            crate::doctor::DoctorError::Client(error) => Self::Client(error),
            crate::doctor::DoctorError::Directus(error) => error.into(),
        }
    }
}

impl CliError {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => EXIT_USAGE,
            Self::NotAuthorized(_) | Self::Refused(_) | Self::Share(_) => EXIT_FAILED,
            Self::Client(error) => client_exit_code(error),
            Self::Project(
                crate::projects::ProjectError::Unknown(_)
                | crate::projects::ProjectError::InvalidName(_)
                | crate::projects::ProjectError::NameTaken { .. },
            ) => EXIT_USAGE,
            Self::Project(_) => EXIT_FAILED,
            Self::Setup(SetupError::Directus(error))
            | Self::Setup(SetupError::Mcp(McpProbeError::Connection(error))) => {
                directus_exit_code(error)
            }
            Self::Setup(SetupError::Mcp(_)) => EXIT_MCP,
            Self::Setup(SetupError::NoStoredSession { .. }) => EXIT_AUTH,
            Self::Setup(_) => EXIT_FAILED,
        }
    }
}

fn client_exit_code(error: &crate::clients::ClientError) -> u8 {
    use crate::clients::ClientError as E;
    match error {
        E::UnknownClient { .. }
        | E::InvalidName(_)
        | E::ProjectDirRequired
        | E::ProjectDirMissing(_)
        | E::ScopeUnsupported { .. }
        | E::InvalidEnvVar(_)
        | E::TokenInSharedFile { .. } => EXIT_USAGE,
        _ => EXIT_FAILED,
    }
}

fn directus_exit_code(error: &DirectusError) -> u8 {
    match error {
        DirectusError::Url(_) => EXIT_USAGE,
        DirectusError::Transport(
            TransportError::Unreachable { .. }
            | TransportError::Tls { .. }
            | TransportError::Redirected { .. }
            | TransportError::TooLarge { .. },
        )
        | DirectusError::NotDirectus { .. } => EXIT_UNREACHABLE,
        DirectusError::InvalidCredentials
        | DirectusError::OtpRequired
        | DirectusError::InvalidOtp
        | DirectusError::InvalidToken
        | DirectusError::SessionExpired
        | DirectusError::NotAdmin { .. } => EXIT_AUTH,
        _ => EXIT_FAILED,
    }
}

/// Says once, on stderr, when a secret came as a command-line argument: every user of the
/// machine can read a process's arguments while it runs.
fn warn_about_secrets_in_arguments(matches: &clap::ArgMatches) {
    let (name, sub) = matches.subcommand().unzip();
    for (id, flag, variable) in [
        ("password", "--password", "DIRECTUS_PASSWORD"),
        ("admin_token", "--admin-token", "DIRECTUS_ADMIN_TOKEN"),
        ("token", "--token", "DIRECTUS_MCP_TOKEN"),
    ] {
        let given = |m: &clap::ArgMatches| {
            m.try_get_raw(id).ok().flatten().is_some()
                && m.value_source(id) == Some(clap::parser::ValueSource::CommandLine)
        };
        if given(matches) || sub.is_some_and(given) {
            eprintln!(
                "warning: {flag} on the command line can be read by other users of this computer while {} runs; set {variable} instead",
                name.unwrap_or("the command")
            );
        }
    }
}

/// Parses the process arguments, runs the command, prints the result, and returns the exit
/// status. Errors go to stderr as one line: `error: <cause and what to do>`.
pub fn main() -> ExitCode {
    let matches = <Cli as clap::CommandFactory>::command().get_matches();
    warn_about_secrets_in_arguments(&matches);
    let mut cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let from_env = |id: &str| {
        let sub = matches.subcommand().map(|(_, sub)| sub);
        [Some(&matches), sub].into_iter().flatten().any(|m| {
            m.try_get_raw(id).ok().flatten().is_some()
                && m.value_source(id) == Some(clap::parser::ValueSource::EnvVariable)
        }) && ![Some(&matches), sub]
            .into_iter()
            .flatten()
            .any(|m| m.value_source(id) == Some(clap::parser::ValueSource::CommandLine))
    };
    cli.connection.url_from_env = from_env("url");
    cli.connection.project_from_env = from_env("project");
    let json = cli.json;
    if let Command::Bridge(args) = &cli.command {
        // With --url the bridge needs no project: Claude Desktop passes the URL, and the
        // user's DIRECTUS_MCP_PROJECT (inherited) may name another project.
        if cli
            .connection
            .url
            .as_deref()
            .is_some_and(|url| !url.trim().is_empty())
        {
            return bridge::run(&cli.connection, args);
        }
        return match project::resolve(cli.connection.clone(), true) {
            Ok(context) => bridge::run(&context.connection, args),
            Err(error) => {
                eprintln!("error: {}", one_line(&error.to_string()));
                ExitCode::from(error.exit_code())
            }
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(EXIT_FAILED);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(output) => {
            if json {
                println!("{}", output.to_json());
            } else {
                print!("{}", render::text(&output));
            }
            ExitCode::from(output_exit_code(&output))
        }
        Err(error) => {
            eprintln!("error: {}", one_line(&error.to_string()));
            ExitCode::from(error.exit_code())
        }
    }
}

/// The exit status of a command that ran to its end: a failure when what it printed says
/// something failed (`--all` did the others, but some failed; the doctor found a problem).
fn output_exit_code(output: &Output) -> u8 {
    match output {
        Output::ClientChanges(changes) if !changes.failures.is_empty() => EXIT_FAILED,
        Output::Doctor(report) if report.has_problems() => EXIT_FAILED,
        Output::Clients(clients) if clients.a_check_failed() => EXIT_FAILED,
        Output::ProjectsClients(clients) if clients.a_check_failed() => EXIT_FAILED,
        Output::Share(share) if share.failed() => EXIT_FAILED,
        _ => EXIT_OK,
    }
}

/// Runs one parsed command line against Directus and returns what to print.
pub async fn run(cli: Cli) -> Result<Output, CliError> {
    let store = SecretStore::new();
    if let Some(note) = SecretStore::backend_note() {
        eprintln!("note: {note}");
    }
    // `projects` works on the list itself (a project named by DIRECTUS_MCP_PROJECT that is
    // gone must not keep the user from listing or fixing the list).
    let context = match cli.command {
        Command::Projects(_) => project::unresolved(cli.connection),
        // Commands that read or write client entries need the list whole: with a damaged
        // list they cannot tell another project's entries from this one's.
        Command::Connect(_)
        | Command::Disconnect(_)
        | Command::Clients(_)
        | Command::Doctor(_)
        | Command::Export(_) => project::resolve(cli.connection, true)?,
        _ => project::resolve(cli.connection, false)?,
    };
    let connection = &context.connection;
    match cli.command {
        Command::SignOut => {
            let url = require_url(connection)?;
            let email = connection
                .email
                .clone()
                .filter(|email| !email.trim().is_empty())
                .ok_or_else(|| {
                    CliError::Usage(
                        "say whose session to end: --email (or DIRECTUS_EMAIL)".to_owned(),
                    )
                })?;
            Ok(Output::SignedOut(
                setup::sign_out_kept(url, connection.allow_insecure_http, &email, &store).await?,
            ))
        }
        Command::Status => {
            let session = sign_in(connection, &store).await?;
            let report = setup::status(&session).await?;
            // A read-only command: a keyring that cannot be read is a warning, not a failure.
            let mcp_token_in_keyring =
                match store.load(session.client().server(), &SecretKind::McpToken) {
                    Ok(token) => token.is_some(),
                    Err(error) => {
                        eprintln!("warning: {}", one_line(&error.to_string()));
                        false
                    }
                };
            Ok(Output::Status(StatusOutput {
                report,
                mcp_token_in_keyring,
            }))
        }
        Command::Enable(args) => {
            let session = sign_in(connection, &store).await?;
            let outcome = setup::enable(&session, &enable_request(&args)).await?;
            if let Ok((false, _)) = server_report::mcp_environment(session.client()).await {
                eprintln!("warning: {}", DirectusError::McpDisabledByEnvironment);
            }
            Ok(Output::Enable(outcome))
        }
        Command::Token(TokenCommand::Create(args)) => {
            let session = sign_in(connection, &store).await?;
            let request = TokenRequest {
                template: args.template.into(),
                collections: args.collections.map(|names| {
                    names
                        .into_iter()
                        .map(|n| n.trim().to_owned())
                        .filter(|n| !n.is_empty())
                        .collect()
                }),
                delete_collections: args.allow_delete.clone(),
                allow_file_update: args.allow_file_update,
                confirm_administrator: args.confirm_administrator,
            };
            let (outcome, token) =
                setup::create_token(&session, &request, &store, args.show.show_token).await?;
            projects::record_template(&context, outcome.user.template);
            Ok(Output::Token(TokenOutput::new(
                outcome,
                token,
                args.show.show_token,
            )))
        }
        Command::Token(TokenCommand::Rotate(show)) => {
            let session = sign_in(connection, &store).await?;
            let (outcome, token) = setup::rotate_token(&session, &store, show.show_token).await?;
            projects::record_template(&context, outcome.user.template);
            Ok(Output::Token(TokenOutput::new(
                outcome,
                token,
                show.show_token,
            )))
        }
        Command::Token(TokenCommand::Revoke) => {
            let session = sign_in(connection, &store).await?;
            let (user, backups_removed) = setup::revoke_token(&session, &store).await?;
            Ok(Output::Revoke(RevokeOutput {
                user,
                revoked: true,
                backups_removed,
            }))
        }
        Command::Token(TokenCommand::Show) => clients::token_show(connection, &store),
        Command::Verify(args) => verify(connection, &args, &store).await,
        Command::Connect(args) if args.all => clients::connect_all(&context, &args, &store).await,
        Command::Connect(args) => clients::connect(&context, &args, &store).await,
        Command::Disconnect(args) if args.all => clients::disconnect_all(&context, &args),
        Command::Disconnect(args) => clients::disconnect(&context, &args),
        Command::Clients(args) => clients::list(&context, &args, &store).await,
        Command::Projects(args) => projects::run(&context, args, &store),
        Command::Oauth(command) => oauth::run_oauth(connection, &command, &store).await,
        Command::Grants(command) => oauth::run_grants(connection, &command, &store).await,
        Command::Doctor(args) => {
            let entry_name = context.entry_name_to_read(None)?;
            doctor(connection, &args, &entry_name, &store).await
        }
        Command::Export(args) => share::export(&context, &args),
        Command::Import(args) => share::import(connection, &args, &store).await,
        Command::Bridge(_) => Err(CliError::Usage(
            "`bridge` serves MCP on stdin and stdout; start it as its own command".to_owned(),
        )),
    }
}

/// `doctor`: the chosen clients, or those found or connected on this computer.
async fn doctor(
    connection: &ConnectionArgs,
    args: &DoctorArgs,
    entry_name: &str,
    store: &SecretStore,
) -> Result<Output, CliError> {
    let named = (!args.for_clients.is_empty()).then(|| args.for_clients.clone());
    let session = match sign_in(connection, store).await {
        Ok(session) => session,
        // Not even a sign-in: what can be said without one (who reaches the address, its
        // certificate) still says why, with the sign-in's own error as the last line.
        Err(CliError::Setup(SetupError::Directus(error))) if error.is_connection_failure() => {
            let ids = crate::doctor::clients_to_check_without_sign_in(named)?;
            let mcp_url = server_url(connection)?.mcp_endpoint();
            let report = crate::doctor::diagnose_without_sign_in(&mcp_url, &ids, &error).await?;
            return Ok(Output::Doctor(report));
        }
        Err(error) => return Err(error),
    };
    let ids = crate::doctor::clients_to_check_for_entry(named, &session, store, entry_name)?;
    let report =
        crate::doctor::diagnose_entry(&session, &ids, &args.cimd_documents, entry_name).await?;
    Ok(Output::Doctor(report))
}

/// `verify` needs no admin: only the URL and the MCP token (given or kept in the keyring).
async fn verify(
    connection: &ConnectionArgs,
    args: &VerifyArgs,
    store: &SecretStore,
) -> Result<Output, CliError> {
    let server = server_url(connection)?;
    let client = DirectusClient::new(server)?;
    let token = args.token.clone().filter(|t| !t.expose().is_empty());
    Ok(Output::Verify(
        setup::verify_in_mode(&client, token, store, None, args.tool_mode.into()).await?,
    ))
}

pub(crate) async fn sign_in(
    connection: &ConnectionArgs,
    store: &SecretStore,
) -> Result<crate::directus::Session, CliError> {
    let url = require_url(connection)?;
    // An empty variable (DIRECTUS_PASSWORD=) counts as not given.
    let given = |value: &Option<String>| value.clone().filter(|v| !v.trim().is_empty());
    let given_secret =
        |value: &Option<SecretString>| value.clone().filter(|v| !v.expose().is_empty());
    let login = match (
        given_secret(&connection.admin_token),
        given(&connection.email),
        given_secret(&connection.password),
    ) {
        (Some(token), _, _) => Login::AdminToken(token),
        (None, Some(email), Some(password)) => Login::Password {
            email,
            password,
            otp: given(&connection.otp),
        },
        (None, Some(email), None) => Login::StoredSession { email },
        (None, None, Some(_)) => {
            return Err(CliError::Usage(
                "--password needs --email (or DIRECTUS_EMAIL)".to_owned(),
            ));
        }
        (None, None, None) => {
            return Err(CliError::Usage(
                "sign in with --email and --password (or DIRECTUS_EMAIL / DIRECTUS_PASSWORD), or with --admin-token (DIRECTUS_ADMIN_TOKEN)".to_owned(),
            ));
        }
    };
    // A password sign-in is kept only with --remember (as the app's "Remember me"); a kept
    // session, used with --email alone or not, stays kept, renewed, until `sign-out`.
    let keeping = if connection.remember {
        setup::SessionKeeping::Keep
    } else {
        setup::SessionKeeping::LeaveKept
    };
    let signed_in =
        setup::sign_in(url, connection.allow_insecure_http, login, keeping, store).await?;
    if let Some(warning) = signed_in.keyring_warning {
        eprintln!("warning: {}", one_line(&warning));
    }
    Ok(signed_in.session)
}

/// The Directus URL given (`--url` / DIRECTUS_URL), checked.
pub(crate) fn server_url(connection: &ConnectionArgs) -> Result<ServerUrl, CliError> {
    let url = require_url(connection)?;
    Ok(ServerUrl::parse(url, connection.allow_insecure_http).map_err(DirectusError::from)?)
}

fn require_url(connection: &ConnectionArgs) -> Result<&str, CliError> {
    connection
        .url
        .as_deref()
        .filter(|url| !url.trim().is_empty())
        .ok_or_else(|| CliError::Usage("no Directus URL: pass --url (or set DIRECTUS_URL), e.g. --url https://cms.example.com".to_owned()))
}

fn enable_request(args: &EnableArgs) -> EnableRequest {
    let prompts = match (&args.prompts_collection, args.generate_prompts_collection) {
        (Some(name), _) => PromptsChoice::Existing(name.clone()),
        (None, true) => PromptsChoice::Generate,
        (None, false) => PromptsChoice::Keep,
    };
    let system_prompt = if let Some(text) = &args.system_prompt {
        Some(SystemPrompt::Custom(text.clone()))
    } else if args.no_system_prompt {
        Some(SystemPrompt::Off)
    } else if args.default_system_prompt {
        Some(SystemPrompt::Default)
    } else {
        None
    };
    EnableRequest {
        allow_deletes: args.allow_deletes,
        prompts,
        system_prompt,
    }
}

/// Error messages are one line on stderr, whatever the error nests.
fn one_line(message: &str) -> String {
    message
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn nested_errors_print_on_one_line() {
        assert_eq!(
            one_line("create failed\nRolling back failed too\n"),
            "create failed Rolling back failed too"
        );
    }

    #[test]
    fn errors_map_to_documented_exit_codes() {
        let unreachable = CliError::from(DirectusError::Transport(TransportError::Unreachable {
            url: "u".into(),
            reason: "r".into(),
        }));
        assert_eq!(unreachable.exit_code(), EXIT_UNREACHABLE);
        assert_eq!(
            CliError::from(DirectusError::InvalidCredentials).exit_code(),
            EXIT_AUTH
        );
        assert_eq!(
            CliError::from(DirectusError::NotAdmin { who: "x".into() }).exit_code(),
            EXIT_AUTH
        );
        assert_eq!(
            CliError::Setup(SetupError::Mcp(McpProbeError::TokenRejected)).exit_code(),
            EXIT_MCP
        );
        assert_eq!(CliError::Usage("x".into()).exit_code(), EXIT_USAGE);
        assert_eq!(
            CliError::from(DirectusError::NoMcpUser).exit_code(),
            EXIT_FAILED
        );
    }

    #[test]
    fn enable_flags_become_the_request() {
        let cli = Cli::try_parse_from([
            "x",
            "enable",
            "--allow-deletes",
            "--generate-prompts-collection",
            "--no-system-prompt",
        ])
        .unwrap();
        let Command::Enable(args) = cli.command else {
            panic!("wrong command")
        };
        let request = enable_request(&args);
        assert!(request.allow_deletes);
        assert_eq!(request.prompts, PromptsChoice::Generate);
        assert_eq!(request.system_prompt, Some(SystemPrompt::Off));
    }

    #[test]
    fn plain_enable_keeps_what_it_is_not_told_to_change() {
        let cli = Cli::try_parse_from(["x", "enable"]).unwrap();
        let Command::Enable(args) = cli.command else {
            panic!("wrong command")
        };
        let request = enable_request(&args);
        assert!(!request.allow_deletes);
        assert_eq!(request.prompts, PromptsChoice::Keep);
        assert_eq!(request.system_prompt, None);
    }
}
