// Typed calls to the app's Tauri commands. Payload types come from the Rust types.

import { invoke } from "@tauri-apps/api/core";
import type {
  AppStart,
  ClientChange,
  ClientOverview,
  ClientCheck,
  ClientRequest,
  TeamChange,
  ConnectRequest,
  ConnectResult,
  DoctorReport,
  EnableRequest,
  EnableResult,
  McpReport,
  McpUserSummary,
  OAuthClient,
  OAuthReport,
  TokenOutcome,
  TokenRequest,
  WizardError,
} from "./bindings";

/** Start-up facts: the local demo Directus, if one was started. */
export function appStart(): Promise<AppStart> {
  return invoke<AppStart>("app_start");
}

/** Signs in and detects the server. Rejects with a {@link WizardError}. */
export function connect(request: ConnectRequest): Promise<ConnectResult> {
  return invoke<ConnectResult>("connect", { request });
}

/** Saves the MCP settings. */
export function enableMcp(request: EnableRequest): Promise<EnableResult> {
  return invoke<EnableResult>("enable_mcp", { request });
}

/** Creates the MCP user with a token kept in the OS keyring. */
export function createToken(request: TokenRequest): Promise<TokenOutcome> {
  return invoke<TokenOutcome>("create_token", { request });
}

/** A new token for the MCP user. */
export function rotateToken(): Promise<TokenOutcome> {
  return invoke<TokenOutcome>("rotate_token");
}

/** Removes the MCP user's token. */
export function revokeToken(): Promise<McpUserSummary> {
  return invoke<McpUserSummary>("revoke_token");
}

/** OAuth readiness for the clients; with `enable`, turns OAuth on for them. */
export function oauthSetup(clients: string[], enable: boolean): Promise<OAuthReport> {
  return invoke<OAuthReport>("oauth_setup", { clients, enable });
}

/** A real MCP handshake with the token kept in the OS keyring. */
export function verifyMcp(): Promise<McpReport> {
  return invoke<McpReport>("verify_mcp");
}

/** Every registered OAuth client with its grants. */
export function grantsList(): Promise<OAuthClient[]> {
  return invoke<OAuthClient[]>("grants_list");
}

/** Revokes OAuth clients; resolves with the ids revoked (checked gone). */
/** Wait `wait` (a number the page picks): up to `seconds` for a grant not among `known`;
 * `null` when the time ran out. */
export function grantsWait(wait: number, known: string[], seconds: number): Promise<OAuthClient | null> {
  return invoke<OAuthClient | null>("grants_wait", { wait, known, seconds });
}

/** Stops wait `wait`, running or about to start (it then rejects with "Stopped waiting…"). */
export function grantsWaitCancel(wait: number): Promise<void> {
  return invoke<void>("grants_wait_cancel", { wait });
}

export function grantsRevoke(clientIds: string[]): Promise<string[]> {
  return invoke<string[]>("grants_revoke", { clientIds });
}

/** Every AI client's card for the signed-in Directus. */
export function clientsOverview(): Promise<ClientOverview[]> {
  return invoke<ClientOverview[]>("clients_overview");
}

/** What connecting a client would change, changing nothing. */
export function clientPreview(request: ClientRequest): Promise<ClientChange> {
  return invoke<ClientChange>("client_preview", { request });
}

/** Connects a client. */
export function clientConnect(request: ClientRequest): Promise<ClientChange> {
  return invoke<ClientChange>("client_connect", { request });
}

/** Takes Directus out of a client again. */
export function clientDisconnect(request: ClientRequest): Promise<ClientChange> {
  return invoke<ClientChange>("client_disconnect", { request });
}

/** Proves that a client works: its entry read back and an MCP handshake with its values. */
export function clientCheck(client: string): Promise<ClientCheck> {
  return invoke<ClientCheck>("client_check", { client });
}

/** Copies a value of a client's steps to the clipboard (the app does it: a token never
 * reaches the page). */
export function clientCopyValue(request: ClientRequest, label: string): Promise<void> {
  return invoke<void>("client_copy_value", { request, label });
}

/** Opens a client's install link or connector page (the app reads the link from the core
 * and opens it; never a link holding the token). */
export function clientOpenLink(request: ClientRequest, label: string): Promise<void> {
  return invoke<void>("client_open_link", { request, label });
}

/** A team's setup in `projectDir` (every client's project file, OAuth only), or with
 * `undo` the folder back as it was. */
export function teamSetup(projectDir: string, undo: boolean): Promise<TeamChange[]> {
  return invoke<TeamChange[]>("team_setup", { projectDir, undo });
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
  return invoke<void>("sign_out");
}

/** The connection doctor for `clients`, or those found or connected on this computer. */
export function doctorReport(clients?: string[]): Promise<DoctorReport> {
  return invoke<DoctorReport>("doctor_report", { clients: clients ?? null });
}
