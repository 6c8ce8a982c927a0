import { describe, expect, it } from "vitest";
import type { ClientImport, Project, ProjectCheck, ProjectEntry } from "./bindings";
import { clientActionLine, projectChangeLine } from "./share";
import { entryLine, projectHost, proofLine, projectNameProblem } from "./state";

function project(name: string, url: string): Project {
  return { name, url, auth: "oauth", tool_mode: "full", clients: [] } as unknown as Project;
}

const list = { projects: [project("directus", "https://cms.example.com"), project("directus-staging", "https://staging.example.com")] };

describe("the project switcher", () => {
  it("shows each project's host and port, and a sub-path install's path", () => {
    expect(projectHost(project("directus", "http://localhost:8056"))).toBe("localhost:8056");
    expect(projectHost(project("directus", "https://example.com/cms/"))).toBe("example.com/cms");
    expect(projectHost(project("directus", "not a url"))).toBe("not a url");
  });
});

describe("naming a new project", () => {
  it("accepts the offered name and refuses what no client entry can be called", () => {
    expect(projectNameProblem(" directus-dev ", list, "https://dev.example.com")).toBeNull();
    expect(projectNameProblem("", list, "https://dev.example.com")).toContain("Enter a name");
    expect(projectNameProblem("my project", list, "https://dev.example.com")).toContain("letters, digits");
    expect(projectNameProblem("x".repeat(65), list, "https://dev.example.com")).toContain("at most 64");
  });

  it("refuses a name another server's project holds, but not the same server's", () => {
    expect(projectNameProblem("directus-staging", list, "https://dev.example.com")).toContain("https://staging.example.com");
    expect(projectNameProblem("directus-staging", list, "https://staging.example.com")).toBeNull();
  });
});

describe("the projects a client card holds", () => {
  const entry = (state: ProjectEntry["state"], detail: string | null = null): ProjectEntry => ({ project: "directus-staging", url: "https://staging.example.com", state, detail, holds_token: false, tool_mode: null, acting: false });

  it("says whether each entry is in place, out of date (and why) or missing", () => {
    expect(entryLine(entry("present"), "directus")).toEqual({ text: "directus-staging — entry in place", tone: "ok", chosen: false });
    expect(entryLine(entry("stale", "points at https://old.example.com/mcp"), "directus-staging")).toEqual({ text: "directus-staging — out of date: points at https://old.example.com/mcp", tone: "warn", chosen: true });
    expect(entryLine(entry("missing"), null).tone).toBe("error");
  });
});

describe("a card's Check on each project line", () => {
  const proven = (outcome: ProjectCheck["outcome"], detail = ""): ProjectCheck => ({ project: "directus-staging", outcome, detail });

  it("says works, fails and why, or that the client signs in itself", () => {
    expect(proofLine(proven("works", "MCP handshake …"))).toEqual({ text: "works", tone: "ok" });
    expect(proofLine(proven("fails", "with the token in its settings: HTTP 401"))).toEqual({ text: "fails: with the token in its settings: HTTP 401", tone: "error" });
    expect(proofLine(proven("signs-in-in-client", "asks for sign-in"))).toEqual({ text: "signs in in the client", tone: "muted" });
  });
});

describe("the import preview", () => {
  it("says what happens to the project record, a clash included", () => {
    const staging = project("directus-staging", "https://staging.example.com");
    expect(projectChangeLine({ kind: "new", project: staging })).toBe("Adds the project directus-staging (https://staging.example.com).");
    expect(projectChangeLine({ kind: "updated", before: staging, after: staging, changes: ["tool mode: full → registry"] })).toContain("tool mode: full → registry");
    expect(projectChangeLine({ kind: "name_clash", here: staging, suggestion: "directus-staging-2" })).toContain("under another name");
  });

  it("says per client whether it will connect, was connected, or is skipped", () => {
    const client = (action: ClientImport["action"]): ClientImport => ({ client: "cursor", name: "Cursor", action, plan: null, reason: null, applied: null });
    expect(clientActionLine(client("connect"), false).badge).toBe("Will connect");
    expect(clientActionLine(client("connect"), true).badge).toBe("Connected");
    expect(clientActionLine(client("not_installed"), false).tone).toBe("muted");
    expect(clientActionLine(client("failed"), true).tone).toBe("error");
  });
});
