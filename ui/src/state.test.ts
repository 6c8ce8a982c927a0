import { describe, expect, it } from "vitest";
import type { ClientCard, ClientCheck, ClientOverview, OAuthClient, ServerReport } from "./bindings";
import { monogram } from "./icons";
import { clientRequest, currentToolMode, countdown, grantIds, slug, aboutLines, actingOn, canDisconnect, cardState, connectAllCandidates, sortClients, checkLine, clientsHoldingTheToken, otherProjectsHoldingTheToken, rotationQuestion, clientStatus, emptyForm, enableForm, isProblem, parseCollections, promptCandidates, ownerOnly, revocationWarning, toConnectRequest, toEnableRequest } from "./state";

function client(overrides: Partial<ClientOverview>): ClientOverview {
  return {
    id: "cursor",
    name: "Cursor",
    setup: "file",
    oauth: "dcr",
    scopes: ["user", "project"],
    token_storage: "",
    detected: { installed: true, evidence: null },
    file: "/home/u/.cursor/mcp.json",
    status: { state: "installed" },
    error: null,
    ...overrides,
  };
}

const report = {
  settings: { mcp_allow_deletes: false, mcp_system_prompt: null, mcp_prompts_collection: null },
  collections: [
    { name: "articles", system: false, has_table: true, singleton: false },
    { name: "directus_users", system: true, has_table: true, singleton: false },
    { name: "home", system: false, has_table: true, singleton: true },
    { name: "folder", system: false, has_table: false, singleton: false },
  ],
} as unknown as ServerReport;

describe("the Connect form", () => {
  it("asks for the URL first, then the email", () => {
    const form = emptyForm();
    const missingUrl = toConnectRequest(form);
    expect(isProblem(missingUrl) && missingUrl.field).toBe("url");
    form.url = " https://cms.example.com ";
    const missingEmail = toConnectRequest(form);
    expect(isProblem(missingEmail) && missingEmail.field).toBe("credentials");
  });

  it("uses the session kept from last time when the password is left empty", () => {
    const form = { ...emptyForm(), url: "https://x", email: "a@b.c" };
    expect(toConnectRequest(form)).toEqual({ url: "https://x", allow_insecure_http: false, login: { method: "stored_session", email: "a@b.c" }, remember: false });
  });

  it("trims what was typed and drops a blank one-time code", () => {
    const form = { ...emptyForm(), url: " https://cms.example.com ", email: " a@b.c ", password: "p w", otp: "  " };
    expect(toConnectRequest(form)).toEqual({ url: "https://cms.example.com", allow_insecure_http: false, login: { method: "password", email: "a@b.c", password: "p w", otp: null }, remember: false });
  });

  it("keeps the session only when asked to", () => {
    const form = { ...emptyForm(), url: "https://x", email: "a@b.c", password: "pw", remember: true };
    expect(toConnectRequest(form)).toMatchObject({ remember: true });
    expect(toConnectRequest({ ...form, method: "admin_token" as const, token: "t" })).toMatchObject({ remember: false });
  });

  it("takes an admin token instead", () => {
    const form = { ...emptyForm(), url: "https://x", method: "admin_token" as const, token: " t " };
    expect(toConnectRequest(form)).toEqual({ url: "https://x", allow_insecure_http: false, login: { method: "admin_token", token: "t" }, remember: false });
  });
});

describe("the Enable form", () => {
  it("keeps everything unless told otherwise", () => {
    expect(toEnableRequest(enableForm(report))).toEqual({ allow_deletes: false, prompts: { kind: "keep" }, system_prompt: null });
  });

  it("needs a collection for existing prompts and text for a custom prompt", () => {
    const form = { ...enableForm(report), prompts: "existing" as const };
    expect(typeof toEnableRequest(form)).toBe("string");
    form.promptsCollection = "articles";
    form.systemPrompt = "custom";
    form.customPrompt = "  ";
    expect(typeof toEnableRequest(form)).toBe("string");
    form.customPrompt = "Be brief.";
    expect(toEnableRequest(form)).toEqual({ allow_deletes: false, prompts: { kind: "existing", name: "articles" }, system_prompt: { kind: "custom", text: "Be brief." } });
  });

  it("offers only content collections with a table, not singletons", () => {
    expect(promptCandidates(report.collections)).toEqual(["articles"]);
  });

  it("reads comma-separated collections, none meaning all", () => {
    expect(parseCollections(" a, b ,,")).toEqual(["a", "b"]);
    expect(parseCollections("  ")).toBeNull();
  });
});

describe("client cards", () => {
  it("say how a connected client authenticates", () => {
    expect(clientStatus(client({ status: { state: "connected", auth: { kind: "oauth" }, file: null, tool_mode: "full" } })).text).toBe("Connected (OAuth)");
    expect(clientStatus(client({ status: { state: "connected", auth: { kind: "env-var", detail: "TOKEN" }, file: null, tool_mode: "full" } })).text).toBe("Connected (token from $TOKEN)");
  });

  it("warn about stale entries and show read errors", () => {
    expect(clientStatus(client({ status: { state: "stale", cause: "old-token", reason: "holds an old token", file: null } })).tone).toBe("warn");
    const broken = clientStatus(client({ status: null, error: "mcp.json: Expected comma at line 3, column 24" }));
    expect(broken).toEqual({ text: "mcp.json: Expected comma at line 3, column 24", tone: "error" });
  });

  it("offer Disconnect only where there is an entry we can take out", () => {
    expect(canDisconnect(client({ status: { state: "connected", auth: { kind: "oauth" }, file: null, tool_mode: "full" } }))).toBe(true);
    expect(canDisconnect(client({ status: { state: "installed" } }))).toBe(false);
    expect(canDisconnect(client({ setup: "manual", status: { state: "manual-only" } }))).toBe(false);
  });
});

describe("revoking OAuth clients", () => {
  const grant = (user_email: string | null) => ({ id: user_email ?? "g", user_email, scope: "mcp:access", resource: null, created: null, expires: null, last_used: null, ending: null });
  const oauthClient = (overrides: Partial<OAuthClient>): OAuthClient => ({
    client_id: "https://code.visualstudio.com/oauth/client-metadata.json",
    client_name: "Visual Studio Code",
    registration_type: "cimd",
    redirect_uris: [],
    created: null,
    grants: [],
    ...overrides,
  });

  it("names every user who loses access and says a CIMD client is shared", () => {
    const text = revocationWarning([oauthClient({ grants: [grant("a@example.com"), grant("b@example.com")] })]);
    expect(text).toContain("2 users lose access: a@example.com, b@example.com");
    expect(text).toContain("shared by everyone");
    expect(text).toContain("not one grant");
  });

  it("counts a user once across clients, and says when nobody holds a grant", () => {
    const both = revocationWarning([
      oauthClient({ registration_type: "dcr", client_name: "Cursor", grants: [grant("a@example.com")] }),
      oauthClient({ registration_type: "dcr", client_name: "Codex", grants: [grant("a@example.com")] }),
    ]);
    expect(both).toContain("Revoke Cursor, Codex?");
    expect(both).toContain("1 user loses access: a@example.com");
    expect(both).not.toContain("shared by everyone");
    expect(revocationWarning([oauthClient({ grants: [] })])).toContain("No user holds a grant");
  });
});

describe("what protects a token file", () => {
  it("says 0600 only where there is such a thing", () => {
    expect(ownerOnly("Mozilla/5.0 (X11; Linux x86_64)")).toContain("0600");
    expect(ownerOnly("Mozilla/5.0 (Windows NT 10.0; Win64; x64)")).toContain("Windows has no 0600");
  });
});

describe("clientStatus of a bridge entry", () => {
  it("says the token comes from the keyring", () => {
    expect(clientStatus(client({ id: "claude-desktop", status: { state: "connected", auth: { kind: "keyring" }, file: "/h/.config/Claude/claude_desktop_config.json", tool_mode: "full" } })).text).toBe("Connected (token from the keyring, via the bridge)");
  });
});

describe("aboutLines", () => {
  const start = { version: "0.1.0", log_file: "/home/u/.local/state/directus-mcp-setup/logs/app.log", bundled_cli: { path: "/usr/bin/directus-mcp-setup", version: "directus-mcp-setup 0.1.0", problem: null } };

  it("names the versions, the log and the command-line tool", () => {
    expect(aboutLines(start, "12.4.1")).toEqual([
      "Directus MCP Setup 0.1.0",
      "Connected to Directus 12.4.1",
      "Log: /home/u/.local/state/directus-mcp-setup/logs/app.log",
      "Command line: /usr/bin/directus-mcp-setup (directus-mcp-setup 0.1.0)",
    ]);
  });

  it("says what is missing", () => {
    const lines = aboutLines({ ...start, log_file: null, bundled_cli: { path: "/x/directus-mcp-setup", version: null, problem: "not found beside the app" } }, null);
    expect(lines).toContain("Not connected yet");
    expect(lines).toContain("No log (no home folder)");
    expect(lines).toContain("Command line: not found beside the app");
  });
});

describe("rotation", () => {
  const holding = client({ id: "cursor", name: "Cursor", status: { state: "connected", auth: { kind: "inline-token" }, file: "/h/.cursor/mcp.json", tool_mode: "full" } });
  const stale = client({ id: "windsurf", name: "Windsurf", status: { state: "stale", cause: "old-token", reason: "holds an old token (rotated or revoked since); connect again", file: null } });
  const bridge = client({ id: "claude-desktop", name: "Claude Desktop", status: { state: "connected", auth: { kind: "keyring" }, file: null, tool_mode: "full" } });
  const oauth = client({ id: "vscode", name: "VS Code", status: { state: "connected", auth: { kind: "oauth" }, file: null, tool_mode: "full" } });
  const envVar = client({ id: "codex", name: "Codex", status: { state: "connected", auth: { kind: "env-var", detail: "DIRECTUS_MCP_TOKEN" }, file: null, tool_mode: "full" } });

  it("names the clients that keep the token in their settings, and only them", () => {
    expect(clientsHoldingTheToken([holding, stale, bridge, oauth, envVar]).map((c) => c.id)).toEqual(["cursor", "windsurf"]);
  });

  it("does not count a stale entry whose URL merely mentions tokens", () => {
    const elsewhere = client({ id: "zed", name: "Zed", status: { state: "stale", cause: "other-url", reason: "points at https://tokens.example.com/mcp instead of http://127.0.0.1:8055/mcp", file: null } });
    const leaky = client({ id: "cline", name: "Cline", status: { state: "stale", cause: "other-url-holding-a-token", reason: "points at http://127.0.0.1:8055/mcp?•••••••• instead of http://127.0.0.1:8055/mcp; that URL holds a token", file: null } });
    expect(clientsHoldingTheToken([elsewhere, leaky]).map((c) => c.id)).toEqual(["cline"]);
  });

  it("names and updates the other projects' entries on the same URL that keep the token", () => {
    const entry = (project: string, url: string, holds: boolean, acting = false) => ({ project, url, state: "present", detail: null, holds_token: holds, tool_mode: "registry", acting });
    const cards = [
      { ...holding, projects: [entry("directus", "https://cms.example.com", true, true), entry("directus-team", "https://cms.example.com", true), entry("directus-qa", "https://qa.example.com", true), entry("directus-oauth", "https://cms.example.com", false)] },
      { ...oauth, projects: [entry("directus-team", "https://cms.example.com", true)] },
    ] as unknown as ClientCard[];
    const shared = otherProjectsHoldingTheToken(cards);
    expect(shared).toEqual([{ client: { id: "cursor", name: "Cursor" }, project: "directus-team", toolMode: "registry" }]);
    expect(rotationQuestion([], shared)).toContain("Cursor (project directus-team)");
    expect(rotationQuestion([holding], shared)).toContain("Cursor (project directus-team)");
  });

  it("asks before rotating, naming them", () => {
    expect(rotationQuestion([holding, stale])).toContain("Cursor, Windsurf keep it in their settings and will be updated");
    expect(rotationQuestion([])).toContain("No client on this computer keeps it");
  });
});

describe("actingOn", () => {
  it("names the Directus and the user", () => {
    expect(actingOn({ url: "https://cms.example.com", signed_in_as: "a@b.c" })).toBe("https://cms.example.com — signed in as a@b.c");
  });
});

describe("checkLine", () => {
  it("shows each verdict with its tone", () => {
    expect(checkLine({ topic: "address", verdict: "problem", detail: "not https", fix: "use https", clients: ["chatgpt"] })).toEqual({ badge: "Problem", tone: "error", text: "address: not https" });
    expect(checkLine({ topic: "oauth", verdict: "ok", detail: "ready", fix: null, clients: [] }).tone).toBe("ok");
  });
});

describe("the Clients grid", () => {
  const connected = client({ id: "claude-code", name: "Claude Code", status: { state: "connected", auth: { kind: "inline-token" }, file: null, tool_mode: "full" } });
  const found = client({ id: "cursor", name: "Cursor" });
  const absent = client({ id: "zed", name: "Zed", detected: { installed: false, evidence: null }, status: { state: "not-installed" } });
  const web = client({ id: "chatgpt", name: "ChatGPT", setup: "manual", status: { state: "manual-only" } });
  const stale = client({ id: "codex", name: "Codex", status: { state: "stale", cause: "old-token", reason: "holds an old token", file: null } });

  it("shows connected clients first, then those found here, then the rest, each in catalogue order", () => {
    expect(sortClients([absent, found, web, connected, stale]).map((c) => c.id)).toEqual(["claude-code", "codex", "cursor", "chatgpt", "zed"]);
  });

  it("gives each card one primary action that fits its state", () => {
    expect(cardState(found)).toMatchObject({ label: "Found, not connected", action: "connect" });
    expect(cardState(absent)).toMatchObject({ label: "Not found on this computer", action: "connect" });
    expect(cardState(stale)).toMatchObject({ tone: "warn", action: "update" });
    expect(cardState(connected)).toMatchObject({ label: "Connected (token in its settings)", action: "check" });
    expect(cardState(web)).toMatchObject({ action: "steps" });
  });

  it("says works only after a Check proved it, and fails with the reason", () => {
    const works: ClientCheck = { id: "claude-code", name: "Claude Code", outcome: "works", detail: "MCP handshake …", tools: ["items"], client_says: null };
    expect(cardState(connected, works)).toMatchObject({ label: "Works (token in its settings)", tone: "ok" });
    expect(cardState(connected, { ...works, outcome: "fails", detail: "401" })).toMatchObject({ label: "Fails: 401", tone: "error" });
    // A check of a client that is no longer connected does not count.
    expect(cardState(found, works).label).toBe("Found, not connected");
  });

  it("connects all found clients that are not connected yet, never web apps or clients not found", () => {
    expect(connectAllCandidates([connected, found, absent, web, stale]).map((c) => c.id)).toEqual(["cursor", "codex"]);
  });

  it("draws a monogram from the first two words", () => {
    expect(monogram("VS Code")).toBe("VC");
    expect(monogram("ChatGPT")).toBe("CH");
    expect(monogram("Codex")).toBe("CO");
  });
});

describe("waiting for a sign-in", () => {
  it("counts down in minutes and seconds, never below zero", () => {
    expect(countdown(180)).toBe("3:00");
    expect(countdown(125.2)).toBe("2:06");
    expect(countdown(9)).toBe("0:09");
    expect(countdown(-3)).toBe("0:00");
  });

  it("knows every grant there is, to tell a new one", () => {
    const clients = [
      { client_id: "a", client_name: "A", registration_type: "dcr", redirect_uris: [], created: null, grants: [{ id: "g1", user_email: null, scope: null, resource: null, created: null, expires: null, last_used: null, ending: null }, { id: "g2", user_email: null, scope: null, resource: null, created: null, expires: null, last_used: null, ending: null }] },
      { client_id: "b", client_name: "B", registration_type: "cimd", redirect_uris: [], created: null, grants: [] },
    ];
    expect(grantIds(clients)).toEqual(["g1", "g2"]);
  });
});

describe("element ids", () => {
  it("makes a label an id fragment", () => {
    expect(slug("Cherry Studio install link")).toBe("cherry-studio-install-link");
    expect(slug("ChatGPT → connector settings!")).toBe("chatgpt-connector-settings");
  });
});

describe("tool mode", () => {
  it("a reconnect keeps the mode the client's entry has, and a new client gets every tool", () => {
    expect(currentToolMode(client({ status: { state: "connected", auth: { kind: "oauth" }, file: null, tool_mode: "registry" } }))).toBe("registry");
    expect(currentToolMode(client({ status: { state: "connected", auth: { kind: "oauth" }, file: null, tool_mode: "full" } }))).toBe("full");
    expect(currentToolMode(client({ status: { state: "installed" } }))).toBe("full");
    expect(clientRequest("cursor", "token", "registry").tool_mode).toBe("registry");
    expect(clientRequest("cursor", "token").tool_mode).toBe("full");
  });
});
