// Generated from the Rust types by src/typescript.rs. Do not edit by hand:
// UPDATE_BINDINGS=1 cargo test --lib typescript

/**
 * What the wizard needs to know when it opens.
 */
export type AppStart = { 
/**
 * The local demo Directus, when one was started for this session.
 */
demo: DemoInstance | null, 
/**
 * A URL to prefill (from `DIRECTUS_URL`).
 */
url: string | null, 
/**
 * The app's version.
 */
version: string, 
/**
 * The projects set up on this computer, and the chosen one (the side bar's switcher).
 */
projects: ProjectList, 
/**
 * Why the project list could not be read (it is then left untouched and shown empty).
 */
projects_problem: string | null, 
/**
 * Where the app's log is written.
 */
log_file: string | null, 
/**
 * The command-line tool inside the app (filled in by the app, which runs it).
 */
bundled_cli: BundledCli | null, };

/**
 * The command-line tool shipped beside the app, as the About line shows it.
 */
export type BundledCli = { 
/**
 * Its full path.
 */
path: string, 
/**
 * What `--version` printed, when it ran.
 */
version: string | null, 
/**
 * Why it could not be run, when it could not.
 */
problem: string | null, };

/**
 * The doctor's report.
 */
export type DoctorReport = { 
/**
 * Directus' MCP endpoint.
 */
mcp_url: string, 
/**
 * The clients checked for.
 */
clients: Array<string>, 
/**
 * The checks, in order.
 */
checks: Array<Check>, };

/**
 * What a check is about (the `topic` of `doctor --json`, one per file under `doctor/`).
 */
export type Topic = "address" | "tls" | "mcp-endpoint" | "mcp-get" | "discovery" | "oauth" | "registration" | "cimd" | "oauth-grants" | "sign-in" | "version" | "tool-mode";

/**
 * One check.
 */
export type Check = { 
/**
 * What was checked.
 */
topic: Topic, 
/**
 * How it came out.
 */
verdict: Verdict, 
/**
 * What was found.
 */
detail: string, 
/**
 * What to change, exactly (problems and warnings).
 */
fix: string | null, 
/**
 * The clients it is about (empty: all).
 */
clients: Array<string>, };

/**
 * How a check came out.
 */
export type Verdict = "ok" | "warning" | "problem";

/**
 * What checking one client found.
 */
export type ClientCheck = { 
/**
 * The client's id.
 */
id: string, 
/**
 * Its name.
 */
name: string, 
/**
 * How it came out.
 */
outcome: CheckOutcome, 
/**
 * What was found, in words.
 */
detail: string, 
/**
 * The tools the handshake listed.
 */
tools: Array<string>, 
/**
 * The client's own command and the line it printed about Directus (secrets masked).
 */
client_says: string | null, };

/**
 * One client of a team setup: what was done, or why not.
 */
export type TeamChange = { 
/**
 * The client's id.
 */
client: string, 
/**
 * The client's name.
 */
name: string, 
/**
 * What was done.
 */
change: ClientChange | null, 
/**
 * Why it could not be done (the others still were).
 */
error: string | null, };

/**
 * How a check came out, as the badge shows it.
 */
export type CheckOutcome = "works" | "fails" | "signs-in-in-client" | "not-connected" | "cannot-check";

/**
 * A local demo Directus the launcher started, offered on the Connect screen.
 */
export type DemoInstance = { 
/**
 * Its URL (always on this computer).
 */
url: string, 
/**
 * Its admin's email.
 */
email: string, 
/**
 * Its admin's throwaway password (the demo's database is deleted when it stops).
 */
password: string, };

/**
 * What the page shows for a link the app was opened with.
 */
export type OpenedLink = { "kind": "connect", 
/**
 * The Directus URL to fill in.
 */
url: string, } | { "kind": "refused", 
/**
 * What was wrong and what to do.
 */
message: string, };

/**
 * The user's choices about updates.
 */
export type UpdatePreferences = { 
/**
 * Ask for a new version each time the app starts. Off until the user turns it on.
 */
check_on_start: boolean, };

/**
 * A newer version the check found, for the page to show before the user installs it.
 */
export type AvailableUpdate = { 
/**
 * The version running now.
 */
current_version: string, 
/**
 * The newer version.
 */
version: string, 
/**
 * The release notes, as published.
 */
notes: string | null, };

/**
 * How the admin signs in on the Connect screen.
 */
export type LoginInput = { "method": "password", 
/**
 * The admin's email.
 */
email: string, 
/**
 * The password.
 */
password: string, 
/**
 * The current one-time code, empty or absent when 2FA is off.
 */
otp: string | null, } | { "method": "stored_session", 
/**
 * The admin's email.
 */
email: string, } | { "method": "admin_token", 
/**
 * The token.
 */
token: string, };

/**
 * The Connect screen's form.
 */
export type ConnectRequest = { 
/**
 * The Directus URL as typed.
 */
url: string, 
/**
 * Allow plain http to a remote host.
 */
allow_insecure_http: boolean, 
/**
 * How to sign in.
 */
login: LoginInput, 
/**
 * Keep the session in the OS keyring ("Remember me on this computer").
 */
remember: boolean, };

/**
 * What the Connect screen shows after signing in.
 */
export type ConnectResult = { 
/**
 * Everything detected about the instance.
 */
report: ServerReport, 
/**
 * Set when the session could not be kept in the OS keyring.
 */
keyring_warning: string | null, 
/**
 * The project this sign-in acts on, or the name to offer for a new one.
 */
project: ProjectSignIn, };

/**
 * Which field of the form an error is about, so the UI can show it there.
 */
export type ErrorField = "url" | "credentials" | "otp" | "token" | "project_name" | "general";

/**
 * An error as the wizard shows it: the message says what to do.
 */
export type WizardError = { 
/**
 * Where to show it.
 */
field: ErrorField, 
/**
 * The message.
 */
message: string, };

/**
 * Everything detected about a Directus instance.
 */
export type ServerReport = { 
/**
 * The instance's base URL.
 */
url: string, 
/**
 * The MCP endpoint clients connect to.
 */
mcp_url: string, 
/**
 * Directus' version, e.g. "12.4.1".
 */
version: string, 
/**
 * Who is signed in.
 */
signed_in_as: string, 
/**
 * Environment switches.
 */
environment: EnvironmentSwitches, 
/**
 * Licence limits.
 */
license: LicenseInfo, 
/**
 * The MCP settings of the project.
 */
settings: McpSettings, 
/**
 * The MCP user this tool manages, if it exists.
 */
mcp_user: McpUserSummary | null, 
/**
 * All collections (for the prompts-collection and content pickers).
 */
collections: Array<CollectionInfo>, 
/**
 * Plain-language notes on what needs attention, e.g. an environment switch.
 */
notes: Array<string>, };

/**
 * Switches set in the server's environment (`.env`, docker compose): the app can only
 * explain them, never change them.
 */
export type EnvironmentSwitches = { 
/**
 * `MCP_ENABLED` (default true): false removes the `/mcp` route entirely.
 */
mcp_enabled: boolean, 
/**
 * `MCP_OAUTH_ENABLED` (default false).
 */
mcp_oauth_enabled: boolean, 
/**
 * `MCP_OAUTH_DCR_ENABLED` (default false).
 */
mcp_oauth_dcr_enabled: boolean, 
/**
 * `MCP_OAUTH_CIMD_ENABLED` (default false).
 */
mcp_oauth_cimd_enabled: boolean, };

/**
 * The licence as far as it limits what the setup may create.
 */
export type LicenseInfo = { 
/**
 * Where the licence comes from; `None` on a community install.
 */
source: string | null, 
/**
 * Whether permissions may carry filters, validation, presets or field lists.
 * False on community installs: the role templates never need them.
 */
custom_permission_rules: boolean, };

/**
 * One collection of the project.
 */
export type CollectionInfo = { 
/**
 * Its name, e.g. `articles`.
 */
name: string, 
/**
 * Whether it is one of Directus' own (`directus_*`).
 */
system: boolean, 
/**
 * Whether it has a database table (folders in the data model have none).
 */
has_table: boolean, 
/**
 * Whether it is a singleton.
 */
singleton: boolean, };

/**
 * The `mcp_*` fields of Directus' settings singleton.
 */
export type McpSettings = { 
/**
 * MCP Server on/off.
 */
mcp_enabled: boolean, 
/**
 * Whether MCP tools may delete items, files, flows, fields, relations and collections.
 */
mcp_allow_deletes: boolean, 
/**
 * The collection MCP serves prompts from, if any.
 */
mcp_prompts_collection: string | null, 
/**
 * Whether the system prompt is used.
 */
mcp_system_prompt_enabled: boolean, 
/**
 * A custom system prompt replacing the default one.
 */
mcp_system_prompt: string | null, 
/**
 * OAuth for MCP (project level).
 */
mcp_oauth_enabled: boolean, 
/**
 * Dynamic Client Registration (project level).
 */
mcp_oauth_dcr_enabled: boolean, 
/**
 * Client ID Metadata Documents (project level).
 */
mcp_oauth_cimd_enabled: boolean, };

/**
 * What to do with the system prompt.
 */
export type SystemPrompt = { "kind": "default" } | { "kind": "custom", "text": string } | { "kind": "off" };

/**
 * The MCP user as the UI and `status` show it.
 */
export type McpUserSummary = { 
/**
 * The user's id.
 */
id: string, 
/**
 * The role's name, e.g. "MCP Content Editor".
 */
role_name: string | null, 
/**
 * The template the role was made from, when recognised.
 */
template: RoleTemplate | null, 
/**
 * Whether the user has a static token.
 */
has_token: boolean, 
/**
 * Content collections the role can read.
 */
collections: Array<string>, };

/**
 * Which role the MCP user gets.
 */
export type RoleTemplate = "content-editor" | "read-only" | "administrator";

/**
 * Which tools a client gets from Directus' MCP endpoint.
 */
export type ToolMode = "full" | "registry";

/**
 * What to do with the AI Prompts collection.
 */
export type PromptsChoice = { "kind": "keep" } | { "kind": "clear" } | { "kind": "existing", "name": string } | { "kind": "generate" };

/**
 * The Enable step's choices.
 */
export type EnableRequest = { 
/**
 * Allow deletes through MCP (off is the safe default).
 */
allow_deletes: boolean, 
/**
 * The prompts collection.
 */
prompts: PromptsChoice, 
/**
 * The system prompt; `None` leaves it as it is.
 */
system_prompt: SystemPrompt | null, };

/**
 * What the Enable step did.
 */
export type EnableOutcome = { 
/**
 * The MCP settings now.
 */
settings: McpSettings, 
/**
 * Whether `ai_prompts` was created by this run.
 */
generated_prompts_collection: boolean, };

/**
 * What `token create` / `token rotate` did.
 */
export type TokenOutcome = { 
/**
 * The MCP user now.
 */
user: McpUserSummary, 
/**
 * Whether the user was created by this run (false: updated or rotated).
 */
created: boolean, 
/**
 * Whether the token is in the OS keyring.
 */
stored_in_keyring: boolean, 
/**
 * The keyring error, when storing failed and the token is shown instead.
 */
keyring_error: string | null, 
/**
 * Backups of client settings that held the old token and were removed.
 */
backups_removed: Array<string>, };

/**
 * What a successful handshake showed.
 */
export type McpReport = { 
/**
 * The endpoint that answered.
 */
mcp_url: string, 
/**
 * The negotiated protocol version.
 */
protocol_version: string, 
/**
 * `serverInfo.name`, e.g. `directus-mcp`.
 */
server_name: string, 
/**
 * `serverInfo.version`.
 */
server_version: string, 
/**
 * The tools, in the order the server lists them.
 */
tools: Array<ToolSummary>, 
/**
 * Prompts from the prompts collection, when one is set and readable.
 */
prompts: Array<string> | null, 
/**
 * Why prompts/list failed, when a prompts collection is set but could not be listed.
 */
prompts_error: string | null, 
/**
 * Admin-only tools this token does not get (none counted in registry mode, which
 * lists only Directus' registry tools).
 */
admin_only_tools_missing: Array<string>, 
/**
 * The tool mode the endpoint was asked for (its URL's `tool_mode`).
 */
tool_mode: ToolMode, };

/**
 * One tool the server offers.
 */
export type ToolSummary = { 
/**
 * Its name, e.g. `items`.
 */
name: string, 
/**
 * The first line of its description.
 */
summary: string, };

/**
 * `status --json`: the server report, and whether an MCP token is kept locally.
 */
export type StatusOutput = { 
/**
 * Whether the OS keyring holds an MCP token for this instance.
 */
mcp_token_in_keyring: boolean, 
/**
 * The instance's base URL.
 */
url: string, 
/**
 * The MCP endpoint clients connect to.
 */
mcp_url: string, 
/**
 * Directus' version, e.g. "12.4.1".
 */
version: string, 
/**
 * Who is signed in.
 */
signed_in_as: string, 
/**
 * Environment switches.
 */
environment: EnvironmentSwitches, 
/**
 * Licence limits.
 */
license: LicenseInfo, 
/**
 * The MCP settings of the project.
 */
settings: McpSettings, 
/**
 * The MCP user this tool manages, if it exists.
 */
mcp_user: McpUserSummary | null, 
/**
 * All collections (for the prompts-collection and content pickers).
 */
collections: Array<CollectionInfo>, 
/**
 * Plain-language notes on what needs attention, e.g. an environment switch.
 */
notes: Array<string>, };

/**
 * `token create --json` / `token rotate --json`.
 */
export type TokenOutput = { 
/**
 * The token: only with `--show-token`.
 */
token: string | null, 
/**
 * The MCP user now.
 */
user: McpUserSummary, 
/**
 * Whether the user was created by this run (false: updated or rotated).
 */
created: boolean, 
/**
 * Whether the token is in the OS keyring.
 */
stored_in_keyring: boolean, 
/**
 * The keyring error, when storing failed and the token is shown instead.
 */
keyring_error: string | null, 
/**
 * Backups of client settings that held the old token and were removed.
 */
backups_removed: Array<string>, };

/**
 * `token revoke --json`.
 */
export type RevokeOutput = { 
/**
 * The MCP user, now without a token.
 */
user: McpUserSummary, 
/**
 * Always true: the token was removed.
 */
revoked: boolean, 
/**
 * Backups of client settings that still held the token and were removed.
 */
backups_removed: Array<string>, };

/**
 * How the client authenticates to Directus' MCP server.
 */
export type AuthMode = "oauth" | "token";

/**
 * Whose configuration gets the entry.
 */
export type Scope = "user" | "project";

/**
 * How a client is set up.
 */
export type SetupKind = "file" | "command-or-file" | "manual";

/**
 * How the client registers itself with Directus' OAuth server.
 */
export type OAuthRegistration = "cimd" | "dcr" | "cimd-or-dcr" | "unsupported";

/**
 * What the wizard shows about a client before anything is done.
 */
export type ClientInfo = { 
/**
 * The id used on the command line.
 */
id: string, 
/**
 * The name users know.
 */
name: string, 
/**
 * How it is set up.
 */
setup: SetupKind, 
/**
 * How it registers for OAuth.
 */
oauth: OAuthRegistration, 
/**
 * The scopes it has.
 */
scopes: Array<Scope>, 
/**
 * Where a static token ends up, in words.
 */
token_storage: string, };

/**
 * Whether a client seems installed here, and why we think so.
 */
export type Detection = { 
/**
 * Installed (or, for web apps, always usable).
 */
installed: boolean, 
/**
 * What was found: a program, a folder.
 */
evidence: string | null, };

/**
 * How an existing entry authenticates.
 */
export type FoundAuth = { "kind": "oauth" } | { "kind": "inline-token" } | { "kind": "prompt" } | { "kind": "env-var", "detail": string } | { "kind": "keyring" };

/**
 * What makes an entry out of date: readers decide on this, never on the words of the
 * reason (a URL such as `https://tokens.example.com/mcp` mentions "token" and holds none).
 */
export type StaleCause = "other-url" | "other-url-holding-a-token" | "old-token" | "missing-in-some-files";

/**
 * A client's status.
 */
export type ClientStatus = { "state": "not-installed" } | { "state": "installed" } | { "state": "connected", 
/**
 * How it authenticates.
 */
auth: FoundAuth, 
/**
 * The file holding the entry.
 */
file: string | null, 
/**
 * Which tools Directus lists for it (`registry` when its URL says
 * `tool_mode=registry`).
 */
tool_mode: ToolMode, } | { "state": "stale", 
/**
 * What is out of date (what readers decide on).
 */
cause: StaleCause, 
/**
 * What is out of date, in words (what a person reads).
 */
reason: string, 
/**
 * The file holding the entry.
 */
file: string | null, } | { "state": "manual-only" };

/**
 * One client as the Clients screen and `clients --json` show it.
 */
export type ClientOverview = { 
/**
 * Whether it is installed here.
 */
detected: Detection, 
/**
 * Its settings file, for clients that have one.
 */
file: string | null, 
/**
 * Its status; `null` when it could not be read (see `error`).
 */
status: ClientStatus | null, 
/**
 * Why the status could not be read (a malformed settings file, …).
 */
error: string | null, 
/**
 * The id used on the command line.
 */
id: string, 
/**
 * The name users know.
 */
name: string, 
/**
 * How it is set up.
 */
setup: SetupKind, 
/**
 * How it registers for OAuth.
 */
oauth: OAuthRegistration, 
/**
 * The scopes it has.
 */
scopes: Array<Scope>, 
/**
 * Where a static token ends up, in words.
 */
token_storage: string, };

/**
 * `clients --json`.
 */
export type ClientsOutput = { 
/**
 * The MCP endpoint statuses are measured against.
 */
mcp_url: string, 
/**
 * One row per client.
 */
clients: Array<ClientOverview>, 
/**
 * With `--check`: the proof for each client that has an entry.
 */
checks?: Array<ClientCheck>, };

/**
 * A value to copy (or a link to open).
 */
export type CopyValue = { 
/**
 * What the value is.
 */
label: string, 
/**
 * The value itself (masked in views when it is secret, unless revealed).
 */
value: string, 
/**
 * Whether it holds a token.
 */
secret: boolean, };

/**
 * One instruction, with the value it asks to paste.
 */
export type Instruction = { 
/**
 * What to do.
 */
text: string, 
/**
 * The value to copy, if any.
 */
copy: CopyValue | null, };

/**
 * Instructions to follow by hand.
 */
export type ManualSteps = { 
/**
 * What these steps achieve.
 */
title: string, 
/**
 * The steps, in order.
 */
steps: Array<Instruction>, 
/**
 * A link that does it in one click (a deeplink), when the client has one.
 */
link: CopyValue | null, };

/**
 * What a file edit does to the file (`create`, `update`, `delete` or `unchanged` in JSON
 * and in words).
 */
export type EditKind = "create" | "update" | "delete" | "unchanged";

/**
 * One step as shown.
 */
export type StepView = { "kind": "edit_file", 
/**
 * The file.
 */
path: string, 
/**
 * What happens to the file.
 */
change: EditKind, 
/**
 * The unified diff (secrets masked).
 */
diff: string, 
/**
 * Whether the file will hold a token (and so be made owner-only).
 */
holds_secret: boolean, } | { "kind": "run_program", 
/**
 * The command line (secrets masked).
 */
command: string, } | { "kind": "manual" } & ManualSteps;

/**
 * What a plan will do, as shown to the user (JSON for the app and `--json`).
 */
export type PlanView = { 
/**
 * The client's id.
 */
client: string, 
/**
 * The steps.
 */
steps: Array<StepView>, 
/**
 * Other ways to do the same (secrets masked unless revealed).
 */
alternatives: Array<ManualSteps>, 
/**
 * Things to know.
 */
notes: Array<string>, 
/**
 * Whether nothing needs to change.
 */
up_to_date: boolean, };

/**
 * One file changed.
 */
export type FileChange = { 
/**
 * The real file (symlinks followed).
 */
path: string, 
/**
 * Where its previous version was kept.
 */
backup: string | null, 
/**
 * Whether the file was deleted (it held only our entry).
 */
deleted: boolean, 
/**
 * Whether it now holds a token (and is owner-only).
 */
holds_secret: boolean, };

/**
 * What carrying a plan out did.
 */
export type ApplyReport = { 
/**
 * Files written or deleted.
 */
files: Array<FileChange>, 
/**
 * Commands run (secrets masked).
 */
commands: Array<string>, 
/**
 * Whether steps remain for the user to do by hand.
 */
manual_steps_left: boolean, };

/**
 * `connect --json` / `disconnect --json`.
 */
export type ClientChangeOutput = { 
/**
 * `connect` or `disconnect`.
 */
action: string, 
/**
 * Whether this was only the plan.
 */
dry_run: boolean, 
/**
 * What was (or would be) done: diffs, commands, steps; secrets masked.
 */
plan: PlanView, 
/**
 * What was done; `null` for a dry run.
 */
applied: ApplyReport | null, };

/**
 * `token show --json`.
 */
export type TokenShowOutput = { 
/**
 * The MCP token kept in the OS keyring.
 */
token: string, };

/**
 * What the Clients screen asks for one client.
 */
export type ClientRequest = { 
/**
 * The client's id (`cursor`, `vscode`, …).
 */
client: string, 
/**
 * OAuth or the MCP token.
 */
auth: AuthMode, 
/**
 * User or project settings.
 */
scope: Scope, 
/**
 * The project folder, for project scope.
 */
project_dir: string | null, 
/**
 * VS Code: write the token into the file instead of asking for it.
 */
inline_token: boolean, 
/**
 * Every Directus tool, or only its registry tools (`?tool_mode=registry` in the entry's
 * URL); the full list unless chosen.
 */
tool_mode: ToolMode, };

/**
 * What connecting or disconnecting did (or, for a preview, would do).
 */
export type ClientChange = { 
/**
 * The diffs, commands and steps; secrets masked.
 */
plan: PlanView, 
/**
 * What was done; `null` for a preview.
 */
applied: ApplyReport | null, };

/**
 * What the Enable screen shows after saving.
 */
export type EnableResult = { 
/**
 * The settings as saved.
 */
outcome: EnableOutcome, 
/**
 * Set when `MCP_ENABLED=false` in the environment keeps MCP off whatever the settings say.
 */
kill_switch: string | null, };

/**
 * One remembered instance.
 */
export type RememberedInstance = { 
/**
 * The Directus URL.
 */
url: string, 
/**
 * The admin's email, when signed in with a password (a kept session can sign in again).
 */
email: string | null, };

/**
 * One Directus project as set up on this computer. Nothing in it is secret.
 */
export type Project = { 
/**
 * The server's name in every client (`directus`, `directus-staging`, …); unique among
 * the projects, and the project's key.
 */
name: string, 
/**
 * The Directus URL, as [`ServerUrl`] prints it (`https://cms.example.com`).
 */
url: string, 
/**
 * How clients sign in to this project's MCP server.
 */
auth: AuthMode, 
/**
 * Which tools the clients get.
 */
toolMode: ToolMode, 
/**
 * The MCP user's role template, when this project uses a static token.
 */
template?: RoleTemplate | null, 
/**
 * The admin's email for signing in again (a session is kept only with "Remember me",
 * in the OS keyring, never here).
 */
email?: string | null, 
/**
 * The clients (ids, as `clients` lists them) connected to this project from here.
 */
clients: Array<string>, };

/**
 * Every project, and the one the app shows.
 */
export type ProjectList = { 
/**
 * The projects, in the order they were set up.
 */
projects: Array<Project>, 
/**
 * The name of the chosen project (the app's side bar; the CLI's default).
 */
chosen?: string | null, };

/**
 * Which project a sign-in acts on.
 */
export type ProjectSignIn = { 
/**
 * The project now chosen (its name is its client entries' name); `null` while a new
 * project waits for the user to confirm its name.
 */
name: string | null, 
/**
 * For a URL that is not a project yet (and not the first): the name to offer.
 */
suggested_name: string | null, };

/**
 * How one project's entry looks in one client's settings, read from the files only.
 */
export type EntryState = "present" | "stale" | "missing";

/**
 * One project a client holds (or should hold).
 */
export type ProjectEntry = { 
/**
 * The project's name (its entry's name in the client).
 */
project: string, 
/**
 * The project's URL.
 */
url: string, 
/**
 * Whether the entry is there and current.
 */
state: EntryState, 
/**
 * What is out of date, for a stale entry.
 */
detail: string | null, 
/**
 * Whether the entry keeps a token in the client's settings (a rotation of the URL's
 * token must rewrite it: projects on one URL share one token).
 */
holds_token: boolean, 
/**
 * The tools the entry lists (its URL's `tool_mode`), for an entry in place.
 */
tool_mode: ToolMode | null, 
/**
 * Whether this is the project the window acts on.
 */
acting: boolean, };

/**
 * A client's card: its overview for the chosen project, and every project it holds.
 */
export type ClientCard = { 
/**
 * The projects whose entry it has, or which list it as connected.
 */
projects: Array<ProjectEntry>, 
/**
 * Whether it is installed here.
 */
detected: Detection, 
/**
 * Its settings file, for clients that have one.
 */
file: string | null, 
/**
 * Its status; `null` when it could not be read (see `error`).
 */
status: ClientStatus | null, 
/**
 * Why the status could not be read (a malformed settings file, …).
 */
error: string | null, 
/**
 * The id used on the command line.
 */
id: string, 
/**
 * The name users know.
 */
name: string, 
/**
 * How it is set up.
 */
setup: SetupKind, 
/**
 * How it registers for OAuth.
 */
oauth: OAuthRegistration, 
/**
 * The scopes it has.
 */
scopes: Array<Scope>, 
/**
 * Where a static token ends up, in words.
 */
token_storage: string, };

/**
 * How one project's entry in a client came out when the card's Check proved it: the same
 * proof as `clients --check` for that project (its URL, its entry's name, the token kept
 * for its URL).
 */
export type ProjectCheck = { 
/**
 * The project's name (its entry's name in the client).
 */
project: string, 
/**
 * Works, fails, or signs in in the client (OAuth).
 */
outcome: CheckOutcome, 
/**
 * What was found, in words (why it fails).
 */
detail: string, };

/**
 * What a card's Check found: the acting project's proof (as before) and each project's
 * entry the client holds, proven the same way.
 */
export type CardCheck = { 
/**
 * Every project's entry in this client (the acting one's too), in the list's order.
 */
projects: Array<ProjectCheck>, 
/**
 * The client's id.
 */
id: string, 
/**
 * Its name.
 */
name: string, 
/**
 * How it came out.
 */
outcome: CheckOutcome, 
/**
 * What was found, in words.
 */
detail: string, 
/**
 * The tools the handshake listed.
 */
tools: Array<string>, 
/**
 * The client's own command and the line it printed about Directus (secrets masked).
 */
client_says: string | null, };

/**
 * A project's setup as shared: nothing secret in it.
 */
export type SetupFile = { 
/**
 * Always [`FORMAT`].
 */
format: string, 
/**
 * The format version ([`VERSION`]).
 */
version: number, 
/**
 * The entry name the clients know the server by (`directus`, `directus-staging`).
 */
name: string, 
/**
 * The Directus URL (`https://cms.example.com`; plain http only for this computer).
 */
url: string, 
/**
 * How clients sign in: OAuth (each person in their browser) or the MCP user's token
 * (kept in each computer's OS keyring, never in the file).
 */
auth: AuthMode, 
/**
 * Which tools the clients get.
 */
toolMode: ToolMode, 
/**
 * The MCP user's role template, for a token setup (what the token was made with; an
 * import never changes the server's role).
 */
template?: RoleTemplate | null, 
/**
 * The clients to connect (ids, as `clients` lists them).
 */
clients: Array<string>, };

/**
 * Where the token of a token setup comes from on this computer.
 */
export type TokenSource = "not_needed" | "kept" | "given" | "missing";

/**
 * What importing does to this computer's project list.
 */
export type ProjectChange = { "kind": "new", 
/**
 * The record as it will be.
 */
project: Project, } | { "kind": "identical", 
/**
 * The record.
 */
project: Project, } | { "kind": "updated", 
/**
 * The record now.
 */
before: Project, 
/**
 * The record after the import.
 */
after: Project, 
/**
 * What changes, in words (`tool mode: full → registry`).
 */
changes: Array<string>, } | { "kind": "name_clash", 
/**
 * The project here.
 */
here: Project, 
/**
 * A free name to import under instead.
 */
suggestion: string, };

/**
 * What happens to one client of the file.
 */
export type ClientAction = "connect" | "up_to_date" | "not_installed" | "unknown" | "refused" | "failed";

/**
 * One client of the file, on this computer.
 */
export type ClientImport = { 
/**
 * The client's id, as in the file.
 */
client: string, 
/**
 * The name users know (the id when unknown).
 */
name: string, 
/**
 * What happens to it.
 */
action: ClientAction, 
/**
 * The plan (what `connect --dry-run` shows), when one was made; secrets masked.
 */
plan: PlanView | null, 
/**
 * Why it is skipped or failed, or what to know about its entry now.
 */
reason: string | null, 
/**
 * What was done, after an import.
 */
applied: ApplyReport | null, };

/**
 * What importing a setup file changes on this computer (and, after [`import`], what it
 * changed).
 */
export type ImportPreview = { 
/**
 * The setup read.
 */
file: SetupFile, 
/**
 * The project record.
 */
project: ProjectChange, 
/**
 * Where a token setup's token comes from.
 */
token: TokenSource, 
/**
 * Each client of the file, in its order.
 */
clients: Array<ClientImport>, 
/**
 * Why the import cannot be done as it is (empty: it can).
 */
blockers: Array<string>, 
/**
 * What else to know (another project for the same URL, …).
 */
warnings: Array<string>, 
/**
 * Whether this describes an import carried out.
 */
applied: boolean, };

/**
 * What `token create` asks for.
 */
export type TokenRequest = { 
/**
 * The role template.
 */
template: RoleTemplate, 
/**
 * Content collections to grant; `None` means every content collection.
 */
collections: Array<string> | null, 
/**
 * Collections whose items the token may delete (granted ones, `directus_files`,
 * `directus_folders`): nothing is deletable unless named here.
 */
delete_collections: Array<string>, 
/**
 * Let the token change files' descriptive fields (title, description, tags, location,
 * folder, focal point). Off by default; never their bytes, name on disk or storage.
 */
allow_file_update: boolean, 
/**
 * The administrator template was confirmed by the user (it is refused otherwise).
 */
confirm_administrator: boolean, };

/**
 * The registration methods to turn on, and why.
 */
export type Registrations = { 
/**
 * Dynamic Client Registration.
 */
dcr: boolean, 
/**
 * Client ID Metadata Documents.
 */
cimd: boolean, 
/**
 * One line per client or flag: which method it needs.
 */
reasons: Array<string>, };

/**
 * What the server publishes at `/.well-known/oauth-protected-resource/mcp`.
 */
export type ProtectedResource = { 
/**
 * The MCP endpoint's URL as Directus knows it (from `PUBLIC_URL`).
 */
resource: string, 
/**
 * The authorization servers.
 */
authorization_servers: Array<string>, };

/**
 * One thing standing between the server and working OAuth, with the fix.
 */
export type OAuthProblem = { 
/**
 * What is wrong.
 */
problem: string, 
/**
 * What to do, exactly.
 */
fix: string, 
/**
 * Whether the fix is on the server's environment (a restart is needed; this tool cannot do it).
 */
needs_restart: boolean, };

/**
 * Whether MCP OAuth works on this server for the registrations asked for.
 */
export type OAuthReport = { 
/**
 * Directus' MCP endpoint, as this tool reaches it.
 */
mcp_url: string, 
/**
 * The environment switches (`MCP_OAUTH_*`), read from `/server/info`.
 */
environment: EnvironmentSwitches, 
/**
 * The project settings (`mcp_oauth_*`).
 */
settings: McpSettings, 
/**
 * The protected-resource metadata, when OAuth is on.
 */
metadata: ProtectedResource | null, 
/**
 * The registrations the chosen clients need.
 */
needed: Registrations, 
/**
 * What is in the way; empty when ready.
 */
problems: Array<OAuthProblem>, 
/**
 * Whether OAuth clients can connect now.
 */
ready: boolean, 
/**
 * How sign-ins end on this server (its token lifetimes, grants that ended), when the
 * environment turns OAuth on (the grants can be read).
 */
sign_in: SignInReport | null, };

/**
 * One OAuth grant: a user's authorization of a client.
 */
export type Grant = { 
/**
 * The grant's id.
 */
id: string, 
/**
 * Who authorized it.
 */
user_email: string | null, 
/**
 * Its scope (`mcp:access`).
 */
scope: string | null, 
/**
 * The resource it is for.
 */
resource: string | null, 
/**
 * When it was granted.
 */
created: string | null, 
/**
 * When it ends unless the app uses it before (Directus' `expires_at`: each renewal
 * sets it to `REFRESH_TOKEN_TTL` from then).
 */
expires: string | null, 
/**
 * When the app last used it (its issue or last renewal, from the activity log).
 */
last_used: string | null, 
/**
 * When it ends, in words (see [`super::grant_lifetime::ending`]).
 */
ending: string | null, };

/**
 * What an admin can see about how sign-ins end on this server.
 */
export type SignInReport = { 
/**
 * The rules, with the server's values.
 */
rules: SignInRules, 
/**
 * Grants that ended before their time or recently, newest first.
 */
ended: Array<EndedGrant>, };

/**
 * The rules that end a sign-in on this server, with its values.
 */
export type SignInRules = { 
/**
 * How long an access token lasts.
 */
access_token: Lifetime, 
/**
 * How long a grant lasts unused.
 */
refresh_token: Lifetime, 
/**
 * The rules in words, one per line.
 */
explanation: Array<string>, };

/**
 * One of the server's token lifetimes, and where its value comes from.
 */
export type Lifetime = { 
/**
 * The environment variable that sets it (`ACCESS_TOKEN_TTL`, `REFRESH_TOKEN_TTL`).
 */
variable: string, 
/**
 * How long, in seconds.
 */
seconds: number, 
/**
 * Where the value was read on this server; `None`: it could not be read, and the value
 * is Directus' default.
 */
read_from: string | null, };

/**
 * A grant that ended (read from Directus' activity log).
 */
export type EndedGrant = { 
/**
 * The grant's id.
 */
id: string, 
/**
 * Who had authorized it.
 */
user_email: string | null, 
/**
 * When it was issued.
 */
issued: string | null, 
/**
 * When the app last used it (issue or renewal).
 */
last_used: string | null, 
/**
 * How it ended.
 */
end: GrantEnd, 
/**
 * The same, in words, with what to do.
 */
explanation: string, };

/**
 * How a grant that is no longer there ended.
 */
export type GrantEnd = { "kind": "signed-out" } | { "kind": "expired" } | { "kind": "replaced", 
/**
 * The app now holding the user's grant.
 */
client_name: string | null, 
/**
 * When that sign-in happened.
 */
at: string, 
/**
 * From which address.
 */
ip: string | null, } | { "kind": "revoked" };

/**
 * A registered OAuth client with its grants.
 */
export type OAuthClient = { 
/**
 * Directus' id for it (a URL for CIMD clients).
 */
client_id: string, 
/**
 * Its name, as it registered.
 */
client_name: string | null, 
/**
 * `dcr` or `cimd`.
 */
registration_type: string | null, 
/**
 * Where it receives codes.
 */
redirect_uris: Array<string>, 
/**
 * When it registered.
 */
created: string | null, 
/**
 * The grants users gave it.
 */
grants: Array<Grant>, };

/**
 * `grants list --json`.
 */
export type GrantsOutput = { 
/**
 * Every OAuth client holding a grant, then the newest without, with their grants.
 */
clients: Array<OAuthClient>, 
/**
 * How many clients are registered in all.
 */
total_clients: number, 
/**
 * How many clients without grants are not listed.
 */
not_shown_without_grants: number, 
/**
 * How sign-ins end on this server (its token lifetimes), and the grants that ended.
 */
sign_in: SignInReport, };

/**
 * `grants wait --json`: the client just authorized, and its grant.
 */
export type GrantWaitOutput = { 
/**
 * The client.
 */
client: OAuthClient, 
/**
 * The new grant.
 */
grant: Grant, };

/**
 * `grants revoke --json`.
 */
export type RevokedGrantsOutput = { 
/**
 * The client ids revoked (and checked to be gone).
 */
revoked: Array<string>, 
/**
 * Everyone whose access ended: a client is revoked for all its users.
 */
users: Array<string>, };
