import { describe, expect, it } from "vitest";
import type { ImportPreview, ProjectList } from "./bindings";
import { ImportGate, nameToOffer } from "./import_gate";

function preview(kind: string, blockers: string[] = [], url = "https://staging.example.com"): ImportPreview {
  return {
    file: { format: "x", version: 1, name: "directus", url, auth: "oauth", toolMode: "full", clients: [] },
    project: kind === "name_clash" ? { kind, here: {}, suggestion: "directus-staging" } : { kind },
    clients: [],
    blockers,
    warnings: [],
    applied: false,
  } as unknown as ImportPreview;
}

describe("importing a setup file", () => {
  it("applies exactly the file and name the clean preview showed", () => {
    const gate = new ImportGate();
    expect(gate.toApply()).toBeNull();
    gate.previewed({ path: "/a.json", name: null }, preview("new"));
    expect(gate.toApply()).toEqual({ path: "/a.json", name: null });
  });

  it("hides Apply after the path or name is edited, until previewed again", () => {
    const gate = new ImportGate();
    gate.previewed({ path: "/a.json", name: null }, preview("new"));
    gate.edited();
    expect(gate.toApply()).toBeNull();
    gate.previewed({ path: "/b.json", name: "x" }, preview("new"));
    expect(gate.toApply()).toEqual({ path: "/b.json", name: "x" });
  });

  it("offers no Apply for a preview with blockers or a name clash", () => {
    const gate = new ImportGate();
    gate.previewed({ path: "/a.json", name: null }, preview("new", ["no token"]));
    expect(gate.toApply()).toBeNull();
    gate.previewed({ path: "/a.json", name: null }, preview("name_clash"));
    expect(gate.toApply()).toBeNull();
  });

  it("offers this computer's project for the file's URL before a new name", () => {
    const list = { projects: [{ name: "directus", url: "https://cms.example.com" }, { name: "stage", url: "https://staging.example.com" }] } as unknown as ProjectList;
    expect(nameToOffer(list, preview("name_clash"), "directus-staging")).toBe("stage");
    expect(nameToOffer(list, preview("name_clash", [], "https://new.example.com"), "directus-new")).toBe("directus-new");
  });
});
