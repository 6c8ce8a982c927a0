// The Clients screen: a card per AI client — found on this computer?, connected?, the
// exact change Connect will make (a diff), Connect / Disconnect, and for clients set up in
// their own window the steps with values to copy.

import { openUrl } from "@tauri-apps/plugin-opener";

import { asWizardError, clientConnect, clientDisconnect, clientPreview, clientsOverview, doctorReport } from "./api";
import type { AuthMode, ClientChange, ClientOverview, CopyValue, ManualSteps, StepView } from "./bindings";
import { doctorChecks } from "./doctor";
import { h } from "./dom";
import { canDisconnect, clientRequest, clientStatus, ownerOnly } from "./state";

/** The sign-in chosen on the Clients screen, kept while the app runs (a revisit keeps it). */
let chosenAuth: AuthMode = "oauth";

/** Renders the Clients screen into `root`. */
export function renderClients(root: HTMLElement): void {
  let auth: AuthMode = chosenAuth;
  const list = h("div", { class: "client-list", id: "client-list", "aria-live": "polite" });
  const progress = h("p", { class: "progress", role: "status" }, "Looking for AI clients…");

  const authRadio = (value: AuthMode, label: string, hint: string) => {
    const input = h("input", { type: "radio", name: "auth", id: `auth-${value}`, value, checked: value === auth });
    // The cards read the choice when a button is pressed; nothing to redraw.
    input.addEventListener("change", () => {
      auth = chosenAuth = value;
    });
    return h("div", { class: "radio" }, input, h("label", { for: `auth-${value}` }, label, h("small", {}, ` — ${hint}`)));
  };

  // Only the newest refresh may draw: an older one still in flight would show stale states.
  let generation = 0;
  const refresh = async (): Promise<void> => {
    const mine = ++generation;
    try {
      const clients = await clientsOverview();
      if (mine !== generation) return;
      progress.textContent = "";
      list.replaceChildren(...clients.map((client) => card(client, () => auth, refresh)));
    } catch (error: unknown) {
      progress.textContent = asWizardError(error).message;
    }
  };

  root.replaceChildren(
    h("header", { class: "screen-header" }, h("h1", { id: "clients-title", tabindex: "-1" }, "Connect your AI clients"), h("p", { class: "lead" }, "Each client gets a Directus entry; your other settings, comments and formatting stay as they are, and Disconnect puts the file back byte for byte.")),
    h("fieldset", { class: "methods card" }, h("legend", {}, "Clients sign in with"), authRadio("oauth", "OAuth", "recommended: the client signs in through the browser, no token stored"), authRadio("token", "The MCP token", `kept in the OS keyring; files holding it are ${ownerOnly()}`)),
    progress,
    list,
  );
  document.getElementById("clients-title")?.focus();
  void refresh();
}

function card(client: ClientOverview, auth: () => AuthMode, refresh: () => Promise<void>): HTMLElement {
  const id = client.id;
  const status = clientStatus(client);
  const output = h("div", { class: "client-output", id: `output-${id}` });
  const errorLine = h("p", { class: "field-error", id: `error-${id}`, role: "alert", hidden: true });
  const busy = (button: HTMLButtonElement, work: () => Promise<void>) => async () => {
    button.disabled = true;
    errorLine.hidden = true;
    try {
      await work();
    } catch (error: unknown) {
      errorLine.textContent = asWizardError(error).message;
      errorLine.hidden = false;
    } finally {
      button.disabled = false;
    }
  };

  const buttons: HTMLButtonElement[] = [];
  const preview = h("button", { type: "button", id: `preview-${id}` }, client.setup === "manual" ? "Show the steps" : "Show the change");
  preview.addEventListener("click", busy(preview, async () => {
    output.replaceChildren(...changeView(await clientPreview(clientRequest(id, auth())), id));
  }));
  buttons.push(preview);
  if (client.setup !== "manual") {
    const state = client.status?.state;
    const connect = h("button", { type: "button", class: "primary", id: `connect-${id}` }, state === "stale" ? "Update" : state === "connected" ? "Connect again" : "Connect");
    connect.addEventListener("click", busy(connect, async () => {
      const change = await clientConnect(clientRequest(id, auth()));
      await refresh();
      document.getElementById(`output-${id}`)?.replaceChildren(...changeView(change, id));
      document.getElementById(`connect-${id}`)?.focus();
    }));
    buttons.push(connect);
  }
  if (canDisconnect(client)) {
    const disconnect = h("button", { type: "button", id: `disconnect-${id}` }, "Disconnect");
    disconnect.addEventListener("click", busy(disconnect, async () => {
      const change = await clientDisconnect(clientRequest(id, auth()));
      await refresh();
      document.getElementById(`output-${id}`)?.replaceChildren(...changeView(change, id));
      document.getElementById(`connect-${id}`)?.focus();
    }));
    buttons.push(disconnect);
  }
  // Before connecting: whether this client can reach and sign in to this Directus, and why not.
  const doctor = h("button", { type: "button", id: `doctor-${id}` }, "Will it get in?");
  doctor.addEventListener("click", busy(doctor, async () => {
    doctor.textContent = "Checking…";
    try {
      const report = await doctorReport([id]);
      output.replaceChildren(h("h3", {}, `Can ${client.name} reach and sign in to ${report.mcp_url}?`), doctorChecks(report));
    } finally {
      doctor.textContent = "Will it get in?";
    }
  }));
  buttons.push(doctor);

  return h(
    "section",
    { class: `card client ${client.detected.installed ? "detected" : "absent"}`, id: `client-${id}`, "aria-labelledby": `name-${id}` },
    h("div", { class: "client-head" }, h("h2", { id: `name-${id}` }, client.name), h("span", { class: `badge ${status.tone}`, id: `status-${id}` }, status.text)),
    client.file ? h("p", { class: "file" }, client.file) : null,
    h("div", { class: "actions" }, ...buttons),
    errorLine,
    output,
  );
}

/** The plan (and what was done) as the user reads it. */
function changeView(change: ClientChange, id: string): Node[] {
  const parts: Node[] = [];
  const applied = change.applied;
  if (applied) {
    for (const file of applied.files) {
      parts.push(h("p", { class: "done" }, `${file.deleted ? "Removed" : "Saved"} ${file.path}${file.backup ? ` — the previous version is kept in ${file.backup}` : ""}`));
      if (file.holds_secret) parts.push(h("p", { class: "warning" }, `This file holds the token, so it is ${ownerOnly()}.`));
    }
    for (const command of applied.commands) parts.push(h("p", { class: "done" }, `Ran: ${command}`));
  }
  for (const step of change.plan.steps) parts.push(...stepView(step, id, applied !== null));
  for (const alternative of change.plan.alternatives) parts.push(manualView(alternative, null));
  if (change.plan.notes.length > 0) parts.push(h("ul", { class: "notes" }, ...change.plan.notes.map((note) => h("li", {}, note))));
  return parts;
}

function stepView(step: StepView, id: string, done: boolean): Node[] {
  switch (step.kind) {
    case "edit_file":
      if (done || step.change === "unchanged") return step.change === "unchanged" ? [h("p", {}, `${step.path} is already up to date.`)] : [];
      return [
        h("details", { open: true }, h("summary", {}, `Will ${step.change} ${step.path}${step.holds_secret ? ` (it will hold the token: ${ownerOnly()})` : ""}`), h("pre", { class: "diff", id: `diff-${id}` }, step.diff)),
      ];
    case "run_program":
      return done ? [] : [h("p", {}, "Will run: ", h("code", {}, step.command))];
    case "manual":
      return [manualView(step, "Steps")];
  }
}

function manualView(manual: ManualSteps, heading: string | null): HTMLElement {
  const items = manual.steps.map((step) => {
    const copy = step.copy;
    if (!copy) return h("li", {}, step.text);
    const button = h("button", { type: "button", class: "copy", "aria-label": `Copy ${copy.label}` }, "Copy");
    button.addEventListener("click", () => {
      void navigator.clipboard.writeText(copy.value).then(() => {
        button.textContent = "Copied";
      });
    });
    return h("li", {}, `${step.text} `, h("code", {}, copy.value), " ", copy.secret ? null : button);
  });
  const link = manual.link ? linkView(manual.link) : null;
  return h("div", { class: "manual" }, h("h3", {}, heading ? `${heading}: ${manual.title}` : manual.title), h("ol", {}, ...items), link);
}

/** A link: opened in its app or browser; a link holding the token is only named. */
function linkView(link: CopyValue): HTMLElement {
  if (link.secret) return h("p", {}, `${link.label}: holds the token, so it is not shown here.`);
  const open = h("button", { type: "button", class: "copy" }, `Open ${link.label}`);
  open.addEventListener("click", () => {
    void openUrl(link.value).catch((error: unknown) => open.replaceWith(h("span", { class: "field-error" }, String(error))));
  });
  return h("p", {}, open, " ", h("code", { class: "link" }, link.value));
}
