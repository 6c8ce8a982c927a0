//! The command line as `clap` parses it. The contract is documented in the README; keep it
//! stable.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::directus::role_template::RoleTemplate;
use crate::directus::tool_mode::ToolMode;
use crate::secret::SecretString;

/// Reads a secret argument (or variable) straight into a [`SecretString`], trimmed, so it
/// never sits in a plain `String` that debug output could print.
fn secret(value: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::new(value.trim()))
}

/// Turn on Directus' built-in MCP server and connect AI clients to it.
#[derive(Debug, Parser)]
#[command(name = "directus-mcp-setup", version, about, long_about = None)]
pub struct Cli {
    /// How to reach and sign in to Directus.
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Print one JSON document on stdout instead of text (see the README for its shape).
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where Directus is and how to sign in.
#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Directus URL, e.g. https://cms.example.com (default: the project's, see --project).
    #[arg(long, env = "DIRECTUS_URL", global = true)]
    pub url: Option<String>,
    /// The project (as `projects` lists it) to act on: its URL, the name of its client
    /// entries, and for `connect` its sign-in and tool mode. Default: the project for --url,
    /// else the chosen one (`projects choose`). Tokens stay keyed by URL: two projects for
    /// one URL share the MCP token.
    #[arg(long, env = "DIRECTUS_MCP_PROJECT", global = true, value_name = "NAME")]
    pub project: Option<String>,
    /// Admin email (with --password; alone, reuses the session kept with --remember).
    #[arg(long, env = "DIRECTUS_EMAIL", global = true)]
    pub email: Option<String>,
    /// Admin password. Prefer the DIRECTUS_PASSWORD variable: arguments are visible to other users.
    #[arg(long, env = "DIRECTUS_PASSWORD", global = true, hide_env_values = true, value_parser = secret)]
    pub password: Option<SecretString>,
    /// Current one-time code, when the admin account uses two-factor authentication.
    #[arg(long, global = true)]
    pub otp: Option<String>,
    /// A static token of an admin user, instead of email and password.
    #[arg(long, env = "DIRECTUS_ADMIN_TOKEN", global = true, hide_env_values = true, conflicts_with_all = ["password", "otp"], value_parser = secret)]
    pub admin_token: Option<SecretString>,
    /// Allow http:// to a host other than this computer (the password and tokens then cross the network unencrypted).
    #[arg(long, global = true)]
    pub allow_insecure_http: bool,
    /// With --email and --password: keep this admin session in the OS keyring, so later runs
    /// need only --email (until `sign-out`). Without it, nothing is kept and a session kept
    /// before for this email is forgotten.
    #[arg(long, global = true)]
    pub remember: bool,
    /// Whether --url came from DIRECTUS_URL rather than the command line (an explicit
    /// --project then wins over it). Set from the parsed matches, never by the user.
    #[arg(skip)]
    pub url_from_env: bool,
    /// Whether --project came from DIRECTUS_MCP_PROJECT (errors then name the variable).
    #[arg(skip)]
    pub project_from_env: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the server's version, environment switches, MCP settings and MCP user.
    Status,
    /// Turn MCP on, with its settings.
    Enable(EnableArgs),
    /// Create, rotate or revoke the MCP user's static token.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Do a real MCP handshake (initialize, tools/list, prompts/list) and list the tools.
    Verify(VerifyArgs),
    /// Put Directus into an AI client (edit its settings file, run its command, or show the steps).
    Connect(ConnectArgs),
    /// Take Directus out of an AI client again (the file goes back to how it was).
    Disconnect(DisconnectArgs),
    /// List the AI clients: installed or not, and whether each is connected to this Directus.
    Clients(ClientsArgs),
    /// MCP OAuth: check the server is ready, turn it on.
    #[command(subcommand)]
    Oauth(OauthCommand),
    /// The OAuth grants AI clients hold: list, wait for a new one, revoke.
    #[command(subcommand)]
    Grants(GrantsCommand),
    /// Check, before anyone tries, whether each AI client can reach and sign in to this
    /// Directus, and what to change when not.
    Doctor(DoctorArgs),
    /// End the admin session kept in the OS keyring for --email (by --remember): Directus
    /// ends it, and the kept copy is forgotten.
    SignOut,
    /// Serve MCP on stdin/stdout, forwarding to Directus with the MCP token from the OS keyring
    /// (what Claude Desktop and other local-only clients start; it prints nothing else on stdout).
    Bridge(BridgeArgs),
    /// The Directus projects set up here: list them, add one, choose the default, remove one.
    Projects(ProjectsArgs),
    /// Print (or write) a project's setup as a small file with nothing secret in it.
    Export(ExportArgs),
    /// Set up this computer from a setup file: the project and its clients (--dry-run shows
    /// what would change).
    Import(ImportArgs),
}

/// `export` options.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write the setup to this file instead of printing it (nothing secret is in it).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

/// `import` options.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The setup file (`export` writes one).
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
    /// Print what would change on this computer (the project, each client's diff) and
    /// change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import under this entry name instead of the file's (when another project here has
    /// the file's name for another Directus).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The MCP token for a token setup (default: the one kept in the OS keyring for the
    /// file's Directus); never read from the file.
    #[arg(long, env = "DIRECTUS_MCP_TOKEN", hide_env_values = true, value_parser = secret)]
    pub token: Option<SecretString>,
}

/// `projects` options: with no subcommand, the list.
#[derive(Debug, Args)]
pub struct ProjectsArgs {
    /// What to do (default: list the projects).
    #[command(subcommand)]
    pub command: Option<ProjectsCommand>,
}

/// `projects` subcommands.
#[derive(Debug, Subcommand)]
pub enum ProjectsCommand {
    /// List the projects: name, URL, sign-in, tool mode, role template, clients, the chosen one.
    List,
    /// Add the project for --url (or update the one of that name), and print the name its
    /// client entries get.
    Add(ProjectAddArgs),
    /// Make NAME the project commands act on when neither --url nor --project is given.
    Choose(ProjectNameArg),
    /// Forget a project. Refused while clients still hold its entries, unless --disconnect.
    Remove(ProjectRemoveArgs),
}

/// `projects add` options (the URL is --url; the admin email, when given, is recorded).
#[derive(Debug, Args)]
pub struct ProjectAddArgs {
    /// The name of the project's client entries (default: `directus` for the first project,
    /// then `directus-<host>`, printed so you can confirm it).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// How clients sign in to this project (`connect`'s default; default: as recorded, else
    /// oauth).
    #[arg(long, value_enum)]
    pub auth: Option<AuthArg>,
    /// Which tools clients get (`connect`'s default; default: as recorded, else full).
    #[arg(long, value_enum)]
    pub tool_mode: Option<ToolModeArg>,
    /// The MCP user's role template, when this project uses a static token.
    #[arg(long, value_enum)]
    pub template: Option<TemplateArg>,
}

/// A project's name.
#[derive(Debug, Args)]
pub struct ProjectNameArg {
    /// The project's name, as `projects` lists it.
    pub name: String,
}

/// `projects remove` options.
#[derive(Debug, Args)]
pub struct ProjectRemoveArgs {
    /// The project's name, as `projects` lists it.
    pub name: String,
    /// Disconnect every client that holds the project's entry first (user settings).
    #[arg(long)]
    pub disconnect: bool,
}

/// `doctor` options.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The clients to check for, comma-separated (default: those found or connected here).
    #[arg(long = "for", value_delimiter = ',', value_name = "A,B")]
    pub for_clients: Vec<String>,
    /// Also check that Directus can fetch this Client ID Metadata Document (your own MCP
    /// client's client id; repeatable).
    #[arg(long = "cimd", value_name = "URL")]
    pub cimd_documents: Vec<String>,
}

/// `bridge` options.
#[derive(Debug, Args)]
pub struct BridgeArgs {
    /// How the bridge names itself in its log lines on stderr.
    #[arg(long, default_value = "directus")]
    pub name: String,
    /// The MCP user's token from the OS keyring, or the bridge's own OAuth sign-in (the
    /// browser opens the first time; its tokens are kept in the OS keyring).
    #[arg(long, value_enum, default_value_t = AuthArg::Token)]
    pub auth: AuthArg,
    /// With --auth oauth: sign in (or check the kept sign-in) and exit, without serving MCP.
    #[arg(long)]
    pub sign_in_only: bool,
    /// Which tools Directus lists through the bridge (`registry`: `?tool_mode=registry`).
    #[arg(long, value_enum, default_value_t = ToolModeArg::Full)]
    pub tool_mode: ToolModeArg,
}

/// `oauth` subcommands.
#[derive(Debug, Subcommand)]
pub enum OauthCommand {
    /// Whether OAuth works: environment switches, settings, PUBLIC_URL, and what to change.
    Status(RegistrationArgs),
    /// Turn MCP OAuth on with the registration methods the chosen clients need.
    Enable(RegistrationArgs),
}

/// Which registration methods are needed.
#[derive(Debug, Clone, Args)]
pub struct RegistrationArgs {
    /// The clients that will sign in, comma-separated (e.g. vscode,cursor): their methods are chosen for you.
    #[arg(long = "for", value_delimiter = ',', value_name = "A,B")]
    pub for_clients: Vec<String>,
    /// Dynamic Client Registration (Cursor, ChatGPT, Raycast, Codex, Gemini CLI).
    #[arg(long)]
    pub dcr: bool,
    /// Client ID Metadata Documents (VS Code; preferred by Claude's apps).
    #[arg(long)]
    pub cimd: bool,
}

/// `grants` subcommands.
#[derive(Debug, Subcommand)]
pub enum GrantsCommand {
    /// Every registered OAuth client with its grants (user, scope, created, expires).
    List,
    /// Wait until an AI client is authorized (a new grant appears), e.g. after `connect --auth oauth`.
    Wait(GrantsWaitArgs),
    /// Revoke OAuth clients: their tokens stop working at once.
    Revoke(GrantsRevokeArgs),
}

/// `grants wait` options.
#[derive(Debug, Args)]
pub struct GrantsWaitArgs {
    /// Give up after this many seconds (at most a day).
    #[arg(long, default_value_t = 300, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
}

/// `grants revoke` options.
#[derive(Debug, Args)]
pub struct GrantsRevokeArgs {
    /// The client ids, as `grants list` shows them.
    #[arg(required = true, value_name = "CLIENT_ID")]
    pub client_ids: Vec<String>,
}

/// Which client entry, where.
#[derive(Debug, Clone, Args)]
pub struct TargetArgs {
    /// The server's name inside the client (default: the project's name, else `directus`).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The user's own settings, or one project's.
    #[arg(long, value_enum, default_value_t = ScopeArg::User)]
    pub scope: ScopeArg,
    /// The project folder, for --scope project (default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub project_dir: Option<std::path::PathBuf>,
}

/// `connect` options.
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// The client (`directus-mcp-setup clients` lists them: claude-code, cursor, vscode, …).
    #[arg(required_unless_present = "all")]
    pub client: Option<String>,
    /// Every client at once: with `--scope project --auth oauth`, every client that has a
    /// project file (a team's setup, nothing secret, ready to commit); in user scope, every
    /// client found on this computer.
    #[arg(long, conflicts_with = "client")]
    pub all: bool,
    /// OAuth (the client signs in through the browser) or the MCP user's static token
    /// (default: the project's, else oauth).
    #[arg(long, value_enum)]
    pub auth: Option<AuthArg>,
    /// Which entry, where.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Print the plan (file diffs, commands, steps) and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The MCP token (default: the one kept in the OS keyring for this Directus).
    #[arg(long, env = "DIRECTUS_MCP_TOKEN", hide_env_values = true, value_parser = secret)]
    pub token: Option<SecretString>,
    /// VS Code: write the token into mcp.json instead of asking for it when the server starts.
    #[arg(long)]
    pub inline_token: bool,
    /// Codex, Claude Code (project scope): read the token from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub token_env_var: Option<String>,
    /// Show secret values (tokens in URLs and links) in the steps instead of masking them.
    #[arg(long)]
    pub reveal: bool,
    /// Claude Desktop (clients that start only local servers): what it starts. Token mode
    /// uses our bridge unless mcp-remote is chosen; OAuth uses Claude Desktop's connector
    /// settings unless `--via bridge` (then the bridge signs in itself).
    #[arg(long, value_enum)]
    pub via: Option<ViaArg>,
    /// Which tools the client gets: every Directus tool (`full`, for clients with their own
    /// tool search), or Directus' `search`/`execute`/`schema` only (`registry`, written as
    /// `?tool_mode=registry` in the entry's URL, for clients that load every tool upfront).
    /// Default: the project's, else full.
    #[arg(long, value_enum)]
    pub tool_mode: Option<ToolModeArg>,
}

/// Directus' MCP tool mode, as spelled on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ToolModeArg {
    /// Every Directus tool (Directus' default).
    Full,
    /// Only `search`, `execute` and `schema` (`?tool_mode=registry`).
    Registry,
}

impl From<AuthArg> for crate::clients::AuthMode {
    fn from(auth: AuthArg) -> Self {
        match auth {
            AuthArg::Oauth => Self::Oauth,
            AuthArg::Token => Self::Token,
        }
    }
}

impl From<ToolMode> for ToolModeArg {
    fn from(mode: ToolMode) -> Self {
        match mode {
            ToolMode::Full => Self::Full,
            ToolMode::Registry => Self::Registry,
        }
    }
}

impl From<ToolModeArg> for ToolMode {
    fn from(mode: ToolModeArg) -> Self {
        match mode {
            ToolModeArg::Full => ToolMode::Full,
            ToolModeArg::Registry => ToolMode::Registry,
        }
    }
}

/// The local program a stdio-only client starts, as spelled on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ViaArg {
    /// This tool's own `bridge`: the token stays in the OS keyring, no Node.js needed.
    Bridge,
    /// `npx -y mcp-remote` with the token in the client's file (needs Node.js).
    McpRemote,
}

/// `disconnect` options.
#[derive(Debug, Args)]
pub struct DisconnectArgs {
    /// The client (see `connect`).
    #[arg(required_unless_present = "all")]
    pub client: Option<String>,
    /// Every client `connect --all` would connect (in the same scope).
    #[arg(long, conflicts_with = "client")]
    pub all: bool,
    /// Which entry, where.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Print the plan and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `clients` options.
#[derive(Debug, Args)]
pub struct ClientsArgs {
    /// Which entry, where.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Prove that each connected client works: read its entry back, complete an MCP
    /// handshake with exactly its values (token references resolved from the OS keyring),
    /// and run the client's own check where it has one.
    #[arg(long)]
    pub check: bool,
}

/// How a client authenticates, as spelled on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthArg {
    /// The client signs in through the browser; only the URL is configured.
    Oauth,
    /// The MCP user's static token.
    Token,
}

/// A settings scope, as spelled on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    /// The user's own settings.
    User,
    /// One project's settings.
    Project,
}

/// `enable` options.
#[derive(Debug, Args)]
pub struct EnableArgs {
    /// Let AI clients delete items, files, flows, fields and collections (off by default).
    #[arg(long)]
    pub allow_deletes: bool,
    /// Use this existing collection for AI prompts.
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with = "generate_prompts_collection"
    )]
    pub prompts_collection: Option<String>,
    /// Create the `ai_prompts` collection with the fields Directus expects, and use it.
    #[arg(long)]
    pub generate_prompts_collection: bool,
    /// Replace Directus' default system prompt with this text.
    #[arg(long, value_name = "TEXT", conflicts_with_all = ["no_system_prompt", "default_system_prompt"])]
    pub system_prompt: Option<String>,
    /// Send no system prompt to AI clients.
    #[arg(long, conflicts_with = "default_system_prompt")]
    pub no_system_prompt: bool,
    /// Use Directus' default system prompt.
    #[arg(long)]
    pub default_system_prompt: bool,
}

/// `token` subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create the MCP user (or bring it in line) with a new static token, kept in the OS keyring.
    Create(TokenCreateArgs),
    /// Give the MCP user a new token; the old one stops working at once.
    Rotate(ShowTokenArgs),
    /// Remove the MCP user's token; AI clients using it are refused from then on.
    Revoke,
    /// Print the MCP token kept in the OS keyring for this Directus (to paste into a client).
    Show,
}

/// `token create` options.
#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// The MCP user's role.
    #[arg(long, value_enum)]
    pub template: TemplateArg,
    /// Content collections to grant, comma-separated (default: all of them).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub collections: Option<Vec<String>>,
    /// Let the token delete items of these collections (granted ones, directus_files, directus_folders); nothing is deletable otherwise.
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub allow_delete: Vec<String>,
    /// Also let the token edit files' title, description, tags, location, folder and focal
    /// point (Content Editor). Without it the token reads and uploads files but changes none;
    /// even with it, a file's content, names and storage stay out of reach.
    #[arg(long)]
    pub allow_file_update: bool,
    /// Confirm the administrator template: the token gets full admin access, over REST as well as MCP.
    #[arg(long)]
    pub confirm_administrator: bool,
    /// Print the token.
    #[command(flatten)]
    pub show: ShowTokenArgs,
}

/// Whether to print a new token.
#[derive(Debug, Clone, Copy, Args)]
pub struct ShowTokenArgs {
    /// Print the new token (it is always kept in the OS keyring; printing is for clients you set up by hand).
    #[arg(long)]
    pub show_token: bool,
}

/// `verify` options.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The MCP token to use (default: the one kept in the OS keyring for this Directus).
    #[arg(long, env = "DIRECTUS_MCP_TOKEN", hide_env_values = true, value_parser = secret)]
    pub token: Option<SecretString>,
    /// The tool mode to shake hands in (`registry`: the tools a client connected with
    /// `--tool-mode registry` gets).
    #[arg(long, value_enum, default_value_t = ToolModeArg::Full)]
    pub tool_mode: ToolModeArg,
}

/// The role templates as spelled on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateArg {
    /// Read/create/update on content collections and folders; files: read and upload only (descriptions editable with --allow-file-update, content never); no deletes unless --allow-delete; schema read-only.
    ContentEditor,
    /// Analysis only: read on the chosen collections, files and the prompts collection; nothing else (no writes, no system collections).
    ReadOnly,
    /// Full admin access (Directus offers its schema and flow tools only to admins).
    Administrator,
}

impl From<TemplateArg> for RoleTemplate {
    fn from(template: TemplateArg) -> Self {
        match template {
            TemplateArg::ContentEditor => RoleTemplate::ContentEditor,
            TemplateArg::ReadOnly => RoleTemplate::ReadOnly,
            TemplateArg::Administrator => RoleTemplate::Administrator,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn template_names_match_the_core() {
        for template in [
            TemplateArg::ContentEditor,
            TemplateArg::ReadOnly,
            TemplateArg::Administrator,
        ] {
            let name = template.to_possible_value().unwrap().get_name().to_owned();
            assert_eq!(RoleTemplate::from(template).cli_name(), name);
        }
    }

    #[test]
    fn password_and_admin_token_exclude_each_other() {
        let parsed = Cli::try_parse_from(["x", "--password", "p", "--admin-token", "t", "status"]);
        assert!(parsed.is_err());
    }

    #[test]
    fn collections_split_on_commas() {
        let cli = Cli::try_parse_from([
            "x",
            "token",
            "create",
            "--template",
            "content-editor",
            "--collections",
            "a,b",
        ])
        .unwrap();
        let Command::Token(TokenCommand::Create(args)) = cli.command else {
            panic!("wrong command")
        };
        assert_eq!(args.collections, Some(vec!["a".to_owned(), "b".to_owned()]));
    }
}
