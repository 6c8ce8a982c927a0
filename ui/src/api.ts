// Typed calls to the app's Tauri commands. Payload types come from the Rust types; command
// names from the app's one list of commands (src-tauri/src/commands/list.rs, via the
// generated `AppCommand`), so a misspelt name does not compile.

import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type {
  AppStart,
  ClientCard,
  ClientChange,
  CardCheck,
  ClientRequest,
  TeamChange,
  ConnectRequest,
  ConnectResult,
  DoctorReport,
  EnableRequest,
  EnableResult,
  McpReport,
  AvailableUpdate,
  McpUserSummary,
  ImportPreview,
  OpenedLink,
  Project,
  ProjectList,
  OAuthClient,
  OAuthReport,
  TokenOutcome,
  TokenRequest,
  UpdatePreferences,
  WizardError,
} from "./bindings";
import type { AppCommand } from "./commands";

/** Calls the app's command `command`: the one place the page calls the app. */
function call<T>(command: AppCommand, args?: InvokeArgs): Promise<T> {
  return invoke<T>(command, args);
}

/** Start-up facts: the local demo Directus (if one was started), the app's version, where
 * its log is, and the command-line tool inside the app. */
export function appStart(): Promise<AppStart> {
  return call<AppStart>("app_start");
}

/** The link the app was opened with, not yet shown (taking it leaves none): a URL to fill
 * in on the Connect screen, or why the link was refused. */
export function openedLink(): Promise<OpenedLink | null> {
  return call<OpenedLink | null>("opened_link");
}

/** The user's choices about updates (the check on start is off until they turn it on). */
export function updatePreferences(): Promise<UpdatePreferences> {
  return call<UpdatePreferences>("update_preferences");
}

/** Turns the check for a new version on start on or off, and keeps the choice. */
export function updateSetCheckOnStart(enabled: boolean): Promise<UpdatePreferences> {
  return call<UpdatePreferences>("update_set_check_on_start", { enabled });
}

/** Asks for a newer version: on start only when the user allowed it (`onStart`), or
 * because they clicked "Check now". `null`: none (or not allowed to ask). */
export function updateCheck(onStart: boolean): Promise<AvailableUpdate | null> {
  return call<AvailableUpdate | null>("update_check", { onStart });
}

/** Installs the update the last check found; resolves to the new version. */
export function updateInstall(): Promise<string> {
  return call<string>("update_install");
}

/** Signs in and detects the server. Rejects with a {@link WizardError}. */
export function connect(request: ConnectRequest): Promise<ConnectResult> {
  return call<ConnectResult>("connect", { request });
}

/** Saves the MCP settings. */
export function enableMcp(request: EnableRequest): Promise<EnableResult> {
  return call<EnableResult>("enable_mcp", { request });
}

/** Creates the MCP user with a token kept in the OS keyring. */
export function createToken(request: TokenRequest): Promise<TokenOutcome> {
  return call<TokenOutcome>("create_token", { request });
}

/** A new token for the MCP user. */
export function rotateToken(): Promise<TokenOutcome> {
  return call<TokenOutcome>("rotate_token");
}

/** Removes the MCP user's token. */
export function revokeToken(): Promise<McpUserSummary> {
  return call<McpUserSummary>("revoke_token");
}

/** OAuth readiness for the clients; with `enable`, turns OAuth on for them. */
export function oauthSetup(clients: string[], enable: boolean): Promise<OAuthReport> {
  return call<OAuthReport>("oauth_setup", { clients, enable });
}

/** A real MCP handshake with the token kept in the OS keyring. */
export function verifyMcp(): Promise<McpReport> {
  return call<McpReport>("verify_mcp");
}

/** Every registered OAuth client with its grants. */
export function grantsList(): Promise<OAuthClient[]> {
  return call<OAuthClient[]>("grants_list");
}

/** Wait `wait` (a number the page picks): up to `seconds` for a grant not among `known`;
 * `null` when the time ran out. */
export function grantsWait(wait: number, known: string[], seconds: number): Promise<OAuthClient | null> {
  return call<OAuthClient | null>("grants_wait", { wait, known, seconds });
}

/** Stops wait `wait`, running or about to start (it then rejects with "Stopped waiting…"). */
export function grantsWaitCancel(wait: number): Promise<void> {
  return call<void>("grants_wait_cancel", { wait });
}

/** Revokes OAuth clients; resolves with the ids revoked (checked gone). */
export function grantsRevoke(clientIds: string[]): Promise<string[]> {
  return call<string[]>("grants_revoke", { clientIds });
}

/** Every AI client's card for the chosen project, with the projects each one holds. */
export function clientsOverview(): Promise<ClientCard[]> {
  return call<ClientCard[]>("clients_overview");
}

/** Every project set up on this computer, and the chosen one. */
export function projectsList(): Promise<ProjectList> {
  return call<ProjectList>("projects_list");
}

/** Chooses the project `name`; a session for another server is let go. */
export function projectChoose(name: string): Promise<Project> {
  return call<Project>("project_choose", { name });
}

/** Names the signed-in server as the new project `name` and chooses it. */
export function projectName(name: string): Promise<ProjectList> {
  return call<ProjectList>("project_name", { name });
}

/** Removes the project `name` (refused while it has clients connected). */
export function projectRemove(name: string): Promise<ProjectList> {
  return call<ProjectList>("project_remove", { name });
}

/** What connecting a client would change, changing nothing. */
export function clientPreview(request: ClientRequest): Promise<ClientChange> {
  return call<ClientChange>("client_preview", { request });
}

/** Connects a client. */
export function clientConnect(request: ClientRequest): Promise<ClientChange> {
  return call<ClientChange>("client_connect", { request });
}

/** Connects a client again under another project for the signed-in server (a rotation:
 * projects on one URL share one token). */
export function clientConnectProject(project: string, request: ClientRequest): Promise<ClientChange> {
  return call<ClientChange>("client_connect_project", { project, request });
}

/** Takes Directus out of a client again. */
export function clientDisconnect(request: ClientRequest): Promise<ClientChange> {
  return call<ClientChange>("client_disconnect", { request });
}

/** Proves that a client works: its entry read back and an MCP handshake with its values, for
 * the acting project and every other project whose entry the client holds. */
export function clientCheck(client: string): Promise<CardCheck> {
  return call<CardCheck>("client_check", { client });
}

/** Copies a value of a client's steps to the clipboard (the app does it: a token never
 * reaches the page). */
export function clientCopyValue(request: ClientRequest, label: string): Promise<void> {
  return call<void>("client_copy_value", { request, label });
}

/** Opens a client's install link or connector page (the app reads the link from the core
 * and opens it; never a link holding the token). */
export function clientOpenLink(request: ClientRequest, label: string): Promise<void> {
  return call<void>("client_open_link", { request, label });
}

/** A team's setup in `projectDir` (every client's project file, OAuth only), or with
 * `undo` the folder back as it was. */
export function teamSetup(projectDir: string, undo: boolean): Promise<TeamChange[]> {
  return call<TeamChange[]>("team_setup", { projectDir, undo });
}

/** Writes the project `name`'s setup file (nothing secret) into `folder` (empty: the
 * Downloads folder); resolves to the file's path. */
export function projectExport(name: string, folder: string): Promise<string> {
  return call<string>("project_export", { name, folder: folder.trim() === "" ? null : folder });
}

/** What importing the setup file at `path` (under `name`) would change here. */
export function projectImportPreview(path: string, name: string | null): Promise<ImportPreview> {
  return call<ImportPreview>("project_import_preview", { path, name });
}

/** Imports the setup file at `path` (under `name`), as its preview showed. */
export function projectImport(path: string, name: string | null): Promise<ImportPreview> {
  return call<ImportPreview>("project_import", { path, name });
}

/** Turns whatever a command rejected with into a WizardError. */
export function asWizardError(error: unknown): WizardError {
  if (typeof error === "object" && error !== null && "message" in error && "field" in error) {
    return error as WizardError;
  }
  return { field: "general", message: String(error) };
}

/** Signs out: Directus ends the session and its kept copy is forgotten. */
export function signOut(): Promise<void> {
  return call<void>("sign_out");
}

/** The connection doctor for `clients`, or those found or connected on this computer. */
export function doctorReport(clients?: string[]): Promise<DoctorReport> {
  return call<DoctorReport>("doctor_report", { clients: clients ?? null });
}
