// Sharing a project's setup: Export writes its setup file (nothing secret) into a folder;
// Import reads one, shows what would change on this computer (the project record and each
// client's diff) and changes nothing until Apply.

import { ImportGate, nameToOffer } from "./import_gate";
import { asWizardError, projectExport, projectImport, projectImportPreview } from "./api";
import type { ClientImport, ImportPreview, ProjectChange, ProjectList, StepView } from "./bindings";
import { h } from "./dom";
import { withProgress } from "./progress";

/** How the preview says what happens to the project record. */
export function projectChangeLine(change: ProjectChange): string {
  switch (change.kind) {
    case "new":
      return `Adds the project ${change.project.name} (${change.project.url}).`;
    case "identical":
      return `The project ${change.project.name} is here already, the same.`;
    case "updated":
      return `Updates the project ${change.after.name}: ${change.changes.join("; ")}.`;
    case "name_clash":
      return `This computer has a project ${change.here.name} for ${change.here.url}: import this one under another name.`;
  }
}

/** How the preview says what happens to one client. */
export function clientActionLine(client: ClientImport, applied: boolean): { badge: string; tone: "ok" | "warn" | "muted" | "error" } {
  switch (client.action) {
    case "connect":
      return applied ? { badge: "Connected", tone: "ok" } : { badge: "Will connect", tone: "ok" };
    case "up_to_date":
      return { badge: "Up to date", tone: "ok" };
    case "not_installed":
      return { badge: "Not installed: skipped", tone: "muted" };
    case "unknown":
      return { badge: "Unknown client: skipped", tone: "muted" };
    case "refused":
      return { badge: "Skipped", tone: "warn" };
    case "failed":
      return { badge: "Failed", tone: "error" };
  }
}

function stepLines(step: StepView, index: string): Node[] {
  switch (step.kind) {
    case "edit_file":
      if (step.change === "unchanged") return [h("p", { class: "notes" }, `${step.path} is already up to date.`)];
      return [h("details", { open: true }, h("summary", {}, `Will ${step.change} ${step.path}`), h("pre", { class: "diff", id: `import-diff-${index}` }, step.diff))];
    case "run_program":
      return [h("p", {}, "Will run: ", h("code", {}, step.command))];
    case "manual":
      return [h("p", {}, `By hand: ${step.title}`)];
  }
}

function previewView(preview: ImportPreview): HTMLElement {
  const clients = preview.clients.map((client) => {
    const line = clientActionLine(client, preview.applied);
    const steps = !preview.applied && client.plan ? client.plan.steps.flatMap((step) => stepLines(step, client.client)) : [];
    const files = client.applied?.files.map((file) => h("p", { class: "done" }, `${file.deleted ? "Removed" : "Saved"} ${file.path}`)) ?? [];
    return h("li", { id: `import-client-${client.client}` }, h("span", { class: `badge ${line.tone}` }, line.badge), ` ${client.name}`, client.reason ? h("p", { class: "notes" }, client.reason) : null, ...steps, ...files);
  });
  const token = preview.token === "kept" ? "Clients get the MCP token kept in this computer's OS keyring for this Directus." : preview.token === "missing" ? null : preview.token === "given" ? "Clients get the MCP token given for this run." : "Clients sign in with OAuth: each person as themselves, no token.";
  return h(
    "div",
    { class: "import-preview", id: preview.applied ? "import-result" : "import-preview" },
    h("h3", {}, preview.applied ? "Imported" : `What importing ${preview.file.name} changes on this computer`),
    h("p", { id: "import-project" }, projectChangeLine(preview.project)),
    token ? h("p", { class: "notes" }, token) : null,
    h("ul", { class: "plain checks-list" }, ...clients),
    preview.blockers.length > 0 ? h("div", { role: "alert", class: "field-error", id: "import-blockers" }, ...preview.blockers.map((blocker) => h("p", {}, blocker))) : null,
    preview.warnings.length > 0 ? h("ul", { class: "notes" }, ...preview.warnings.map((warning) => h("li", {}, warning))) : null,
  );
}

/** Opens the Share dialog: Export a project, or Import a setup file; `onImported` runs
 * after an import changed the project list. */
export function openShare(list: ProjectList, chosen: string | null, onImported: () => void): void {
  document.getElementById("share-dialog")?.remove();
  const dialog = h("dialog", { id: "share-dialog", class: "share", "aria-labelledby": "share-title" });

  // Export.
  const project = h("select", { id: "export-project" }, ...list.projects.map((p) => h("option", { value: p.name, selected: p.name === chosen }, `${p.name} — ${p.url}`)));
  const folder = h("input", { type: "text", id: "export-folder", placeholder: "Empty: your Downloads folder", "aria-describedby": "export-hint" });
  const exportButton = h("button", { type: "button", class: "primary", id: "export-project-button", disabled: list.projects.length === 0 }, "Export");
  const exported = h("div", { id: "export-result", "aria-live": "polite" });
  exportButton.addEventListener("click", () => {
    void withProgress(exportButton, "Exporting…", () => projectExport(project.value, folder.value))
      .then((path) => exported.replaceChildren(h("p", { class: "done" }, `Saved ${path}. Send it to a teammate; it holds no token, password or email.`)))
      .catch((error: unknown) => exported.replaceChildren(h("p", { class: "field-error", role: "alert" }, asWizardError(error).message)));
  });

  // Import.
  const file = h("input", { type: "text", id: "import-file", placeholder: "/path/to/name.directus-setup.json" });
  const name = h("input", { type: "text", id: "import-name", autocomplete: "off", spellcheck: "false", "aria-describedby": "import-name-hint" });
  const nameRow = h("div", { class: "field", hidden: true }, h("label", { for: "import-name" }, "Import under the name"), name, h("small", { class: "notes", id: "import-name-hint" }, "The name its client entries get here."));
  const previewButton = h("button", { type: "button", id: "import-preview-button" }, "Preview");
  const apply = h("button", { type: "button", class: "primary", id: "import-apply", hidden: true }, "Apply");
  const shown = h("div", { id: "import-output", "aria-live": "polite" });
  const chosenName = () => (nameRow.hidden || name.value.trim() === "" ? null : name.value.trim());
  const fail = (error: unknown) => shown.replaceChildren(h("p", { class: "field-error", role: "alert" }, asWizardError(error).message));
  const gate = new ImportGate();
  for (const field of [file, name]) {
    field.addEventListener("input", () => {
      gate.edited();
      apply.hidden = true;
    });
  }
  previewButton.addEventListener("click", () => {
    apply.hidden = true;
    gate.edited();
    const asked = { path: file.value, name: chosenName() };
    void withProgress(previewButton, "Reading…", () => projectImportPreview(asked.path, asked.name))
      .then((preview) => {
        shown.replaceChildren(previewView(preview));
        if (preview.project.kind === "name_clash") {
          nameRow.hidden = false;
          if (name.value.trim() === "" || name.value.trim() === preview.file.name) name.value = nameToOffer(list, preview, preview.project.suggestion);
          name.focus();
        }
        gate.previewed(asked, preview);
        apply.hidden = gate.toApply() === null;
      })
      .catch(fail);
  });
  apply.addEventListener("click", () => {
    const previewed = gate.toApply();
    if (previewed === null) return;
    void withProgress(apply, "Importing…", () => projectImport(previewed.path, previewed.name))
      .then((done) => {
        apply.hidden = true;
        gate.edited();
        shown.replaceChildren(previewView(done));
        onImported();
      })
      .catch(fail);
  });

  const close = h("button", { type: "button", id: "share-close" }, "Close");
  close.addEventListener("click", () => dialog.close());
  dialog.append(
    h("h2", { id: "share-title" }, "Share a project's setup"),
    h(
      "section",
      { "aria-labelledby": "export-title" },
      h("h3", { id: "export-title" }, "Export"),
      h("p", { class: "notes", id: "export-hint" }, "Writes the project's URL, how clients sign in, its tools and its clients into a file — never a token, password or email."),
      h("div", { class: "field" }, h("label", { for: "export-project" }, "Project"), project),
      h("div", { class: "field" }, h("label", { for: "export-folder" }, "Folder"), folder),
      h("div", { class: "actions" }, exportButton),
      exported,
    ),
    h(
      "section",
      { "aria-labelledby": "import-title" },
      h("h3", { id: "import-title" }, "Import"),
      h("p", { class: "notes" }, "Shows what would change on this computer first; nothing changes until Apply."),
      h("div", { class: "field" }, h("label", { for: "import-file" }, "Setup file"), file),
      nameRow,
      h("div", { class: "actions" }, previewButton, apply),
      shown,
    ),
    h("div", { class: "actions dialog-actions" }, close),
  );
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
