// The wizard's state logic, free of the DOM so it can be unit-tested.

import type { ClientCard, ClientCheck, AppStart, EntryState, Project, ProjectCheck, ProjectEntry, ProjectList, AuthMode, Check, ClientOverview, ClientRequest, CollectionInfo, ConnectRequest, EnableRequest, ErrorField, LoginInput, OAuthClient, PromptsChoice, ServerReport, StaleCause, SystemPrompt, ToolMode } from "./bindings";

/** The wizard's steps, in order. */
export const STEPS = [
  { id: "connect", title: "Connect", hint: "Sign in to Directus" },
  { id: "enable", title: "Enable", hint: "Turn on MCP" },
  { id: "auth", title: "Authentication", hint: "OAuth or a token" },
  { id: "clients", title: "Clients", hint: "Claude, Cursor, VS Code…" },
  { id: "verify", title: "Verify", hint: "A real handshake" },
  { id: "manage", title: "Manage", hint: "Grants and tokens" },
] as const;

export type StepId = (typeof STEPS)[number]["id"];

/** How the admin signs in. */
export type LoginMethod = "password" | "admin_token";

/** The Connect form as typed. */
export interface ConnectForm {
  url: string;
  method: LoginMethod;
  email: string;
  password: string;
  otp: string;
  token: string;
  allowInsecureHttp: boolean;
  /** Keep the session in the OS keyring ("Remember me on this computer"). */
  remember: boolean;
}

/** An empty form. */
export function emptyForm(): ConnectForm {
  return { url: "", method: "password", email: "", password: "", otp: "", token: "", allowInsecureHttp: false, remember: false };
}

/** A problem found before anything is sent, on the field it concerns. */
export interface FormProblem {
  field: ErrorField;
  message: string;
}

/** Checks the form; returns the request to send or the first problem. */
export function toConnectRequest(form: ConnectForm): ConnectRequest | FormProblem {
  const url = form.url.trim();
  if (url === "") {
    return { field: "url", message: "Enter your Directus URL, e.g. https://cms.example.com" };
  }
  let login: LoginInput;
  if (form.method === "admin_token") {
    if (form.token.trim() === "") {
      return { field: "token", message: "Paste a static token of an admin user (User → Token)." };
    }
    login = { method: "admin_token", token: form.token.trim() };
  } else {
    if (form.email.trim() === "") {
      return { field: "credentials", message: "Enter the admin's email and password." };
    }
    const otp = form.otp.trim();
    // No password: sign in with the session kept in the OS keyring from last time.
    login = form.password === "" ? { method: "stored_session", email: form.email.trim() } : { method: "password", email: form.email.trim(), password: form.password, otp: otp === "" ? null : otp };
  }
  return { url, allow_insecure_http: form.allowInsecureHttp, login, remember: form.remember && login.method !== "admin_token" };
}

/** Whether a value is a problem rather than a request. */
export function isProblem(value: ConnectRequest | FormProblem): value is FormProblem {
  return "field" in value && "message" in value;
}

/** One line per fact of the Connect result, for the summary card. */
export function summarize(report: ServerReport): Array<[string, string]> {
  const env = report.environment;
  const settings = report.settings;
  const onOff = (value: boolean) => (value ? "on" : "off");
  const systemPrompt = !settings.mcp_system_prompt_enabled
    ? "off"
    : settings.mcp_system_prompt && settings.mcp_system_prompt.trim() !== ""
      ? "custom"
      : "Directus default";
  return [
    ["Directus", `${report.version}, signed in as ${report.signed_in_as}`],
    ["MCP endpoint", report.mcp_url],
    ["Environment", env.mcp_enabled ? "MCP allowed" : "MCP disabled (MCP_ENABLED=false)"],
    ["OAuth (environment)", `${onOff(env.mcp_oauth_enabled)} · DCR ${onOff(env.mcp_oauth_dcr_enabled)} · CIMD ${onOff(env.mcp_oauth_cimd_enabled)}`],
    ["Licence", `${report.license.source ?? "community"} · custom permission rules ${report.license.custom_permission_rules ? "allowed" : "not allowed"}`],
    ["MCP server", onOff(settings.mcp_enabled)],
    ["Allow deletes", settings.mcp_allow_deletes ? "yes" : "no"],
    ["Prompts collection", settings.mcp_prompts_collection ?? "none"],
    ["System prompt", systemPrompt],
    ["MCP user", report.mcp_user ? `${report.mcp_user.role_name ?? "no role"} · token ${report.mcp_user.has_token ? "set" : "none"}` : "none yet"],
  ];
}

/** How a client's status reads on its card, and its tone. */
export function clientStatus(client: ClientOverview): { text: string; tone: "ok" | "warn" | "muted" | "error" } {
  if (client.error !== null) return { text: client.error, tone: "error" };
  const status = client.status;
  if (status === null) return { text: "Unknown", tone: "muted" };
  switch (status.state) {
    case "connected": {
      const auth = status.auth;
      const how = auth.kind === "oauth" ? "OAuth" : auth.kind === "prompt" ? "token asked at start" : auth.kind === "env-var" ? `token from $${auth.detail}` : auth.kind === "keyring" ? "token from the keyring, via the bridge" : "token in its settings";
      return { text: `Connected (${how})`, tone: "ok" };
    }
    case "stale":
      return { text: `Out of date: ${status.reason}`, tone: "warn" };
    case "installed":
      return { text: "Installed, not connected", tone: "muted" };
    case "not-installed":
      return { text: "Not found on this computer", tone: "muted" };
    case "manual-only":
      return { text: "Set up in its own window", tone: "muted" };
  }
}

/** What a card's one primary button does. */
export type CardAction = "connect" | "update" | "check" | "steps" | "preview";

/** A client card's badge and primary action: not found, found, connected, stale, and, after
 * a Check, works or fails. */
export function cardState(client: ClientOverview, check?: ClientCheck): { label: string; tone: "ok" | "warn" | "muted" | "error"; action: CardAction } {
  const status = clientStatus(client);
  if (client.error !== null) return { label: status.text, tone: "error", action: "preview" };
  if (client.setup === "manual") return { label: status.text, tone: "muted", action: "steps" };
  switch (client.status?.state) {
    case "connected":
      if (check?.outcome === "works") return { label: `Works ${status.text.replace(/^Connected /, "")}`, tone: "ok", action: "check" };
      if (check?.outcome === "fails") return { label: `Fails: ${check.detail}`, tone: "error", action: "check" };
      if (check?.outcome === "signs-in-in-client") return { label: `${status.text} — signs in in the client`, tone: "ok", action: "check" };
      return { label: status.text, tone: "ok", action: "check" };
    case "stale":
      return { label: status.text, tone: "warn", action: "update" };
    case "installed":
      return { label: "Found, not connected", tone: "muted", action: "connect" };
    case "not-installed":
      return { label: "Not found on this computer", tone: "muted", action: "connect" };
    default:
      return { label: status.text, tone: status.tone, action: "preview" };
  }
}

/** The cards in the order the grid shows them: connected first, then the clients found on
 * this computer, then those not found (each group in catalogue order). */
export function sortClients<T extends ClientOverview>(clients: T[]): T[] {
  const rank = (client: ClientOverview): number => {
    const state = client.status?.state;
    if (state === "connected" || state === "stale") return 0;
    return client.detected.installed ? 1 : 2;
  };
  return clients.map((client, index) => ({ client, index })).sort((a, b) => rank(a.client) - rank(b.client) || a.index - b.index).map(({ client }) => client);
}

/** The clients "Connect all found clients" connects: found here, connected by a file or
 * their own command, and not connected yet (or out of date). */
export function connectAllCandidates<T extends ClientOverview>(clients: T[]): T[] {
  return clients.filter((client) => client.setup !== "manual" && client.detected.installed && client.error === null && (client.status?.state === "installed" || client.status?.state === "stale"));
}

/** Whether a client's card offers Disconnect. */
export function canDisconnect(client: ClientOverview): boolean {
  return client.setup !== "manual" && (client.status?.state === "connected" || client.status?.state === "stale");
}

/** The request for one client, in the user's settings; `toolMode`: Directus' full tool list
 * unless chosen (`registry`: `?tool_mode=registry` in the entry's URL). */
export function clientRequest(client: string, auth: AuthMode, toolMode: ToolMode = "full"): ClientRequest {
  return { client, auth, scope: "user", project_dir: null, inline_token: false, tool_mode: toolMode };
}

/** The tool mode a client's entry gives it now (`full` when it has none): what a reconnect
 * keeps unless the user chooses another. */
export function currentToolMode(client: ClientOverview): ToolMode {
  return client.status?.state === "connected" ? client.status.tool_mode : "full";
}

/** The Enable form as chosen. */
export interface EnableForm {
  allowDeletes: boolean;
  prompts: "keep" | "clear" | "existing" | "generate";
  promptsCollection: string;
  systemPrompt: "keep" | "default" | "custom" | "off";
  customPrompt: string;
}

/** The Enable form, starting from what the server has. */
export function enableForm(report: ServerReport): EnableForm {
  return { allowDeletes: report.settings.mcp_allow_deletes, prompts: "keep", promptsCollection: "", systemPrompt: "keep", customPrompt: report.settings.mcp_system_prompt ?? "" };
}

/** Collections that can hold prompts: content collections with a table. */
export function promptCandidates(collections: CollectionInfo[]): string[] {
  return collections.filter((c) => !c.system && c.has_table && !c.singleton).map((c) => c.name);
}

/** Checks the Enable form; returns the request or a message. */
export function toEnableRequest(form: EnableForm): EnableRequest | string {
  let prompts: PromptsChoice;
  switch (form.prompts) {
    case "existing":
      if (form.promptsCollection === "") return "Choose the collection that holds your prompts.";
      prompts = { kind: "existing", name: form.promptsCollection };
      break;
    case "generate":
      prompts = { kind: "generate" };
      break;
    case "clear":
      prompts = { kind: "clear" };
      break;
    default:
      prompts = { kind: "keep" };
  }
  let systemPrompt: SystemPrompt | null = null;
  if (form.systemPrompt === "custom") {
    if (form.customPrompt.trim() === "") return "Write the system prompt, or choose Directus' default.";
    systemPrompt = { kind: "custom", text: form.customPrompt };
  } else if (form.systemPrompt === "default") {
    systemPrompt = { kind: "default" };
  } else if (form.systemPrompt === "off") {
    systemPrompt = { kind: "off" };
  }
  return { allow_deletes: form.allowDeletes, prompts, system_prompt: systemPrompt };
}

/** Content collections typed as "a, b" → ["a", "b"]; empty means all (null). */
export function parseCollections(text: string): string[] | null {
  const names = text.split(",").map((name) => name.trim()).filter((name) => name !== "");
  return names.length === 0 ? null : names;
}

/**
 * What revoking these OAuth clients takes away, said before it is done: Directus revokes a
 * whole client, so every user who signed in with it loses access (a CIMD client is one
 * registration shared by everyone using that app).
 */
export function revocationWarning(clients: OAuthClient[]): string {
  const names = clients.map((client) => client.client_name ?? client.client_id).join(", ");
  const users = [...new Set(clients.flatMap((client) => client.grants.map((grant) => grant.user_email ?? "a user without email")))];
  const who = users.length === 0 ? "No user holds a grant from it now" : `${users.length} ${users.length === 1 ? "user loses" : "users lose"} access: ${users.join(", ")}`;
  const shared = clients.some((client) => client.registration_type?.toLowerCase() === "cimd")
    ? " A CIMD client is one registration shared by everyone who uses that app with this Directus."
    : "";
  return `Revoke ${names}? Directus revokes the whole client, not one grant. ${who}.${shared} Their tokens stop working at once; each must sign in again.`;
}

/** How a file holding the token is protected on this computer, said plainly per platform. */
export function ownerOnly(userAgent: string = navigator.userAgent): string {
  return /Windows/i.test(userAgent)
    ? "left with your profile folder's access list (Windows has no 0600; by default you, SYSTEM and Administrators)"
    : "made readable by you only (0600)";
}

/**
 * The About line: the app's version, the Directus version connected (once connected),
 * where the log is, and the command-line tool inside the app.
 */
export function aboutLines(start: Pick<AppStart, "version" | "log_file" | "bundled_cli">, directusVersion: string | null): string[] {
  const lines = [`Directus MCP Setup ${start.version}`];
  lines.push(directusVersion ? `Connected to Directus ${directusVersion}` : "Not connected yet");
  lines.push(start.log_file ? `Log: ${start.log_file}` : "No log (no home folder)");
  const cli = start.bundled_cli;
  if (cli) {
    lines.push(cli.version ? `Command line: ${cli.path} (${cli.version})` : `Command line: ${cli.problem ?? "not available"}`);
  }
  return lines;
}

/** The header line naming the Directus the app acts on, and as whom. */
export function actingOn(report: Pick<ServerReport, "url" | "signed_in_as">): string {
  return `${report.url} — signed in as ${report.signed_in_as}`;
}

/**
 * The clients on this computer that hold the MCP token in their own settings (or an older
 * one): after a rotation they stop working until they get the new token. Clients that read
 * it from the keyring (our bridge), from an environment variable or by asking are not
 * among them.
 */
export function clientsHoldingTheToken(clients: ClientOverview[]): ClientOverview[] {
  return clients.filter((client) => {
    const status = client.status;
    if (status === null) return false;
    if (status.state === "connected") return status.auth.kind === "inline-token";
    return status.state === "stale" && staleEntryHoldsAToken(status.cause);
  });
}

/** Whether a stale entry keeps a token in the client's settings (decided on the cause, never on the reason's words). */
function staleEntryHoldsAToken(cause: StaleCause): boolean {
  switch (cause) {
    case "old-token":
    case "other-url-holding-a-token":
      return true;
    case "other-url":
    case "missing-in-some-files":
      return false;
  }
}

/** One entry of another project that keeps the token being rotated. */
export interface SharedTokenEntry {
  /** The client's id and name. */
  client: { id: string; name: string };
  /** The other project (its entry's name) and the tools its entry lists. */
  project: string;
  toolMode: ToolMode;
}

/**
 * The entries of the other projects for the acting project's URL that keep the token in a
 * client's settings: projects on one URL share one token (the keyring keys it by URL), so a
 * rotation must rewrite them too.
 */
export function otherProjectsHoldingTheToken(cards: ClientCard[]): SharedTokenEntry[] {
  const shared: SharedTokenEntry[] = [];
  for (const card of cards) {
    const acting = card.projects.find((entry) => entry.acting);
    if (!acting) continue;
    for (const entry of card.projects) {
      if (entry.acting || entry.url !== acting.url || !entry.holds_token) continue;
      shared.push({ client: { id: card.id, name: card.name }, project: entry.project, toolMode: entry.tool_mode ?? "full" });
    }
  }
  return shared;
}

/** What Rotate asks before it does anything. */
export function rotationQuestion(holding: ClientOverview[], shared: SharedTokenEntry[] = []): string {
  const base = "Rotate the MCP token? The old one stops working at once.";
  const others = shared.length === 0 ? "" : ` The same token is in ${shared.map((entry) => `${entry.client.name} (project ${entry.project})`).join(", ")} — projects on this URL share it — and ${shared.length === 1 ? "that entry" : "those entries"} will be updated too.`;
  if (holding.length === 0) {
    return `${base} No client on this computer keeps it in its settings for this project (clients using the bridge read the new one from the keyring).${others}${others ? " Continue?" : ""}`;
  }
  const names = holding.map((client) => client.name).join(", ");
  return `${base} ${names} ${holding.length === 1 ? "keeps" : "keep"} it in ${holding.length === 1 ? "its" : "their"} settings and will be updated with the new token in the same step.${others} Continue?`;
}

/** A doctor check as the Verify screen shows it: a badge, then what was found. */
export function checkLine(check: Check): { badge: string; tone: "ok" | "warn" | "error"; text: string } {
  const badge = check.verdict === "ok" ? "OK" : check.verdict === "warning" ? "Warning" : "Problem";
  const tone = check.verdict === "ok" ? "ok" : check.verdict === "warning" ? "warn" : "error";
  return { badge, tone, text: `${check.topic}: ${check.detail}` };
}

/** Seconds left as the countdown shows them: `2:05`. */
export function countdown(seconds: number): string {
  const left = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
}

/** Every grant id there is now, so a wait can tell a new one. */
export function grantIds(clients: OAuthClient[]): string[] {
  return clients.flatMap((client) => client.grants.map((grant) => grant.id));
}

/** `Cherry Studio install link` → `cherry-studio-install-link` (for element ids). */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** The host (and port) of a project's URL, as the switcher shows it under the name. */
export function projectHost(project: Pick<Project, "url">): string {
  try {
    const url = new URL(project.url);
    const path = url.pathname.replace(/\/+$/, "");
    return `${url.host}${path}`;
  } catch {
    return project.url;
  }
}

/** What is wrong with `name` as a new project's name for `url`, or `null` when it can be
 * saved: the rules projects.json and every client enforce (letters, digits, `-`, `_`; at
 * most 64), and a name another server's project holds. */
export function projectNameProblem(name: string, list: Pick<ProjectList, "projects">, url: string): string | null {
  const trimmed = name.trim();
  if (trimmed === "") return "Enter a name for this project's client entries, e.g. directus-staging.";
  if (trimmed.length > 64 || !/^[A-Za-z0-9_-]+$/.test(trimmed)) return `"${trimmed}" can't name client entries: use letters, digits, '-' and '_' (at most 64).`;
  const holder = list.projects.find((project) => project.name === trimmed && project.url !== url);
  if (holder) return `"${trimmed}" is the project for ${holder.url}: choose another name.`;
  return null;
}

/** How a card says one project's entry: its words and tone. */
export function entryLine(entry: ProjectEntry, chosen: string | null): { text: string; tone: "ok" | "warn" | "error"; chosen: boolean } {
  const words: Record<EntryState, string> = { present: "entry in place", stale: "out of date", missing: "entry missing" };
  const tones: Record<EntryState, "ok" | "warn" | "error"> = { present: "ok", stale: "warn", missing: "error" };
  const detail = entry.state === "stale" && entry.detail ? `: ${entry.detail}` : "";
  return { text: `${entry.project} — ${words[entry.state]}${detail}`, tone: tones[entry.state], chosen: entry.project === chosen };
}

/** How a card's project line says what its Check proved of that project's entry. */
export function proofLine(check: ProjectCheck): { text: string; tone: "ok" | "muted" | "error" } {
  switch (check.outcome) {
    case "works":
      return { text: "works", tone: "ok" };
    case "fails":
      return { text: `fails: ${check.detail}`, tone: "error" };
    case "signs-in-in-client":
      return { text: "signs in in the client", tone: "muted" };
    case "not-connected":
      return { text: `not connected: ${check.detail}`, tone: "error" };
    case "cannot-check":
      return { text: "can't be checked from here", tone: "muted" };
  }
}
