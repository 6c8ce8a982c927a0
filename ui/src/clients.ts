// The Clients screen: every AI client at a glance — a grid of cards, the clients found on
// this computer first, each with its icon, its state (not found, found, connected, out of
// date, and after a Check: works or fails) and one primary action; "Connect all found
// clients" does them in one go. A card opens to show the exact change (a diff), the steps
// for clients set up in their own window (with copy buttons), the Check and the doctor.


import { asWizardError, clientCheck, clientConnect, clientCopyValue, clientDisconnect, clientOpenLink, clientPreview, clientsOverview, doctorReport, teamSetup } from "./api";
import type { AuthMode, CardCheck, ClientCard, ClientChange, ClientCheck, ClientRequest, CopyValue, ManualSteps, StepView, TeamChange, ToolMode } from "./bindings";
import { doctorChecks } from "./doctor";
import { h } from "./dom";
import { iconCell } from "./icons";
import { withProgress } from "./progress";
import { canDisconnect, cardState, clientRequest, connectAllCandidates, currentToolMode, entryLine, ownerOnly, proofLine, slug, sortClients } from "./state";

/** The sign-in chosen on the Clients screen, kept while the app runs (a revisit keeps it). */
let chosenAuth: AuthMode = "oauth";

/** The last Check of each client, kept while the screen is shown; a change to the client (or
 * leaving the screen, where the token may be rotated) drops it. */
const checks = new Map<string, CardCheck>();

/** Renders the Clients screen into `root`, for the project `project` (its entries' name). */
export function renderClients(root: HTMLElement, project: string | null): void {
  checks.clear();
  let auth: AuthMode = chosenAuth;
  const grid = h("div", { class: "client-grid", id: "client-list", "aria-live": "polite" });
  const progress = h("p", { class: "progress", role: "status" }, "Looking for AI clients…");
  const allResults = h("ul", { class: "plain all-results", id: "connect-all-results", hidden: true });
  let shown: ClientCard[] = [];

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
      shown = clients;
      progress.textContent = "";
      const open = new Set([...grid.querySelectorAll<HTMLElement>(".client.expanded")].map((card) => card.dataset.client));
      grid.replaceChildren(...sortClients(clients).map((client) => card(client, project, () => auth, refresh)));
      for (const id of open) document.getElementById(`client-${id ?? ""}`)?.classList.add("expanded");
    } catch (error: unknown) {
      progress.textContent = asWizardError(error).message;
    }
  };

  const connectAll = h("button", { type: "button", class: "primary", id: "connect-all" }, "Connect all found clients");
  connectAll.addEventListener("click", () => {
    void withProgress(connectAll, "Connecting…", async () => {
      const candidates = connectAllCandidates(shown);
      allResults.hidden = false;
      if (candidates.length === 0) {
        allResults.replaceChildren(h("li", {}, "Every client found on this computer is connected already (or is set up in its own window)."));
        return;
      }
      const lines: HTMLElement[] = [];
      for (const client of candidates) {
        try {
          const change = await clientConnect(clientRequest(client.id, auth, currentToolMode(client)));
          checks.delete(client.id);
          const files = change.applied?.files.map((file) => file.path) ?? [];
          const commands = change.applied?.commands ?? [];
          lines.push(h("li", { class: "check-ok" }, h("span", { class: "badge ok" }, "Connected"), ` ${client.name}: ${[...files.map((path) => `saved ${path}`), ...commands.map((command) => `ran ${command}`)].join("; ") || "already up to date"}`));
        } catch (error: unknown) {
          lines.push(h("li", { class: "check-error" }, h("span", { class: "badge error" }, "Failed"), ` ${client.name}: ${asWizardError(error).message}`));
        }
        allResults.replaceChildren(...lines);
      }
      await refresh();
    });
  });

  root.replaceChildren(
    h("header", { class: "screen-header" }, h("h1", { id: "clients-title", tabindex: "-1" }, "Connect your AI clients"), h("p", { class: "lead" }, "Each client gets a Directus entry; your other settings, comments and formatting stay as they are, and Disconnect puts the file back byte for byte.")),
    h("fieldset", { class: "methods card" }, h("legend", {}, "Clients sign in with"), authRadio("oauth", "OAuth", "recommended: the client signs in through the browser, no token stored"), authRadio("token", "The MCP token", `kept in the OS keyring; files holding it are ${ownerOnly()}`)),
    h("div", { class: "actions toolbar" }, connectAll),
    allResults,
    progress,
    grid,
    teamCard(),
  );
  document.getElementById("clients-title")?.focus();
  void refresh();
}

/** A team's setup: every client's project file in a repository, OAuth only, nothing secret. */
function teamCard(): HTMLElement {
  const folder = h("input", { type: "text", id: "team-folder", placeholder: "/path/to/your/repository", "aria-describedby": "team-hint" });
  const results = h("div", { id: "team-results", "aria-live": "polite" });
  const run = (button: HTMLButtonElement, undo: boolean) => {
    button.addEventListener("click", () => {
      const dir = folder.value.trim();
      if (dir === "") {
        results.replaceChildren(h("p", { class: "field-error", role: "alert" }, "Enter the project folder first."));
        return;
      }
      void withProgress(button, undo ? "Removing…" : "Writing…", () => teamSetup(dir, undo))
        .then((changes) => results.replaceChildren(teamView(changes, undo)))
        .catch((error: unknown) => results.replaceChildren(h("p", { class: "field-error", role: "alert" }, asWizardError(error).message)));
    });
  };
  const write = h("button", { type: "button", class: "primary", id: "team-write" }, "Write the team's project files");
  const undo = h("button", { type: "button", id: "team-undo" }, "Remove them again");
  run(write, false);
  run(undo, true);
  return h(
    "section",
    { class: "card team", "aria-labelledby": "team-heading" },
    h("h2", { id: "team-heading" }, "Set up a project for your team"),
    h("p", { class: "notes", id: "team-hint" }, "Writes the project file of every client that has one (OAuth only, so nothing secret, ready to commit): each teammate who opens the repository signs in with their own account."),
    h("div", { class: "field" }, h("label", { for: "team-folder" }, "Project folder"), folder),
    h("div", { class: "actions" }, write, undo),
    results,
  );
}

/** One line per client of a team setup. */
function teamView(changes: TeamChange[], undo: boolean): HTMLElement {
  return h(
    "ul",
    { class: "plain checks-list" },
    ...changes.map((change) => {
      if (change.error !== null) return h("li", { class: "check-error" }, h("span", { class: "badge error" }, "Failed"), ` ${change.name}: ${change.error}`);
      const files = change.change?.applied?.files ?? [];
      const what = files.length === 0 ? "nothing to change" : files.map((file) => `${file.deleted ? "removed" : "wrote"} ${file.path}`).join("; ");
      return h("li", { class: "check-ok" }, h("span", { class: "badge ok" }, undo ? "Removed" : "Written"), ` ${change.name}: ${what}`);
    }),
  );
}

/** The projects a card holds, each with whether its entry is in place (read from the
 * files) and, after Check, whether it works (each project's entry proven with its own URL). */
function heldProjects(client: ClientCard, project: string | null): HTMLElement | null {
  if (client.projects.length === 0) return null;
  return h(
    "ul",
    { class: "held", id: `projects-${client.id}`, "aria-label": `Projects ${client.name} holds` },
    ...client.projects.map((entry) => {
      const line = entryLine(entry, project);
      const proven = checks.get(client.id)?.projects.find((check) => check.project === entry.project);
      const proof = proven ? proofLine(proven) : null;
      return h(
        "li",
        { class: line.chosen ? "chosen" : undefined, "data-project": entry.project, "data-state": entry.state, title: entry.url },
        h("span", { class: `dot ${line.tone}`, "aria-hidden": "true" }),
        line.text,
        proof ? h("span", { class: `proof ${proof.tone}`, "data-outcome": proven?.outcome, title: proven?.detail }, ` · ${proof.text}`) : null,
      );
    }),
  );
}

function card(client: ClientCard, project: string | null, auth: () => AuthMode, refresh: () => Promise<void>): HTMLElement {
  const id = client.id;
  const state = cardState(client, checks.get(id));
  const output = h("div", { class: "client-output", id: `output-${id}` });
  const errorLine = h("p", { class: "field-error", id: `error-${id}`, role: "alert", hidden: true });
  let section: HTMLElement | null = null;
  const show = (...nodes: Node[]) => {
    output.replaceChildren(...nodes);
    section?.classList.toggle("expanded", nodes.length > 0);
  };
  const action = (button: HTMLButtonElement, busyLabel: string, work: () => Promise<void>) => () => {
    errorLine.hidden = true;
    void withProgress(button, busyLabel, work).catch((error: unknown) => {
      errorLine.textContent = asWizardError(error).message;
      errorLine.hidden = false;
      section?.classList.add("expanded");
    });
  };
  /** After a change: redraw every card, then bring this one's result back and focus it. */
  const redrawWith = async (nodes: Node[], focus: string) => {
    checks.delete(id);
    await refresh();
    const again = document.getElementById(`output-${id}`);
    again?.replaceChildren(...nodes);
    document.getElementById(`client-${id}`)?.classList.toggle("expanded", nodes.length > 0);
    document.getElementById(focus)?.focus();
  };

  // Directus' tool mode for this client: its entry's mode now, until the user picks another.
  const toolMode = h(
    "select",
    { id: `tool-mode-${id}`, "aria-label": `Tools ${client.name} gets` },
    h("option", { value: "full" }, "All tools"),
    h("option", { value: "registry" }, "Registry: search + execute"),
  );
  toolMode.value = currentToolMode(client);
  const request = (): ClientRequest => clientRequest(id, auth(), toolMode.value as ToolMode);
  const primary: HTMLButtonElement[] = [];
  const secondary: HTMLButtonElement[] = [];
  const preview = h("button", { type: "button", id: `preview-${id}` }, client.setup === "manual" ? "Show the steps" : "Show the change");
  preview.addEventListener("click", action(preview, "Planning…", async () => {
    const req = request();
    show(...changeView(await clientPreview(req), id, req));
  }));
  (state.action === "steps" || state.action === "preview" ? primary : secondary).push(preview);
  if (client.setup !== "manual") {
    const connect = h("button", { type: "button", id: `connect-${id}` }, state.action === "update" ? "Update" : client.status?.state === "connected" ? "Connect again" : "Connect");
    connect.addEventListener("click", action(connect, "Connecting…", async () => {
      const req = request();
      const change = await clientConnect(req);
      await redrawWith(changeView(change, id, req), `connect-${id}`);
    }));
    (state.action === "connect" || state.action === "update" ? primary : secondary).push(connect);
  }
  if (client.status?.state === "connected" && client.setup !== "manual") {
    const check = h("button", { type: "button", id: `check-${id}` }, "Check");
    check.addEventListener("click", action(check, "Checking…", async () => {
      const result = await clientCheck(id);
      checks.set(id, result);
      const next = cardState(client, result);
      const badge = document.getElementById(`status-${id}`);
      if (badge) {
        badge.textContent = next.label;
        badge.className = `badge ${next.tone}`;
      }
      const held = heldProjects(client, project);
      if (held) document.getElementById(`projects-${id}`)?.replaceWith(held);
      show(checkView(result));
    }));
    (state.action === "check" ? primary : secondary).push(check);
  }
  if (canDisconnect(client)) {
    const disconnect = h("button", { type: "button", id: `disconnect-${id}` }, "Disconnect");
    disconnect.addEventListener("click", action(disconnect, "Disconnecting…", async () => {
      const req = request();
      const change = await clientDisconnect(req);
      await redrawWith(changeView(change, id, req), `connect-${id}`);
    }));
    secondary.push(disconnect);
  }
  // Before connecting: whether this client can reach and sign in to this Directus, and why not.
  const doctor = h("button", { type: "button", id: `doctor-${id}` }, "Will it get in?");
  doctor.addEventListener("click", action(doctor, "Checking…", async () => {
    const report = await doctorReport([id]);
    show(h("h3", {}, `Can ${client.name} reach and sign in to ${report.mcp_url}?`), doctorChecks(report));
  }));
  secondary.push(doctor);
  for (const button of primary) button.classList.add("primary");

  section = h(
    "section",
    { class: `card client ${client.detected.installed ? "detected" : "absent"}`, id: `client-${id}`, "data-client": id, "aria-labelledby": `name-${id}` },
    h("div", { class: "client-head" }, iconCell(id, client.name), h("div", { class: "client-title" }, h("h2", { id: `name-${id}` }, client.name), h("span", { class: `badge ${state.tone}`, id: `status-${id}` }, state.label))),
    client.file ? h("p", { class: "file" }, client.file) : null,
    heldProjects(client, project),
    h(
      "div",
      { class: "field tool-mode" },
      h("label", { for: `tool-mode-${id}`, title: "Registry: Directus lists only search, execute and schema, for clients that load every tool upfront (no tool search of their own)" }, "Tools"),
      toolMode,
    ),
    h("div", { class: "actions" }, ...primary, ...secondary),
    errorLine,
    output,
  );
  return section;
}

/** A Check as the card shows it. */
function checkView(check: ClientCheck): HTMLElement {
  const tone = check.outcome === "works" ? "ok" : check.outcome === "fails" ? "error" : "muted";
  return h(
    "div",
    { class: "check-result", id: `check-result-${check.id}` },
    h("p", {}, h("span", { class: `badge ${tone}` }, check.outcome === "works" ? "Works" : check.outcome === "fails" ? "Fails" : "Not proven"), " ", check.detail),
    check.tools.length > 0 ? h("p", { class: "notes" }, `Tools: ${check.tools.join(", ")}`) : null,
    check.client_says ? h("p", { class: "notes" }, `The client itself: ${check.client_says}`) : null,
  );
}

/** The plan (and what was done) as the user reads it. */
function changeView(change: ClientChange, id: string, req: ClientRequest): Node[] {
  const parts: Node[] = [];
  const applied = change.applied;
  if (applied) {
    for (const file of applied.files) {
      parts.push(h("p", { class: "done" }, `${file.deleted ? "Removed" : "Saved"} ${file.path}${file.backup ? ` — the previous version is kept in ${file.backup}` : ""}`));
      if (file.holds_secret) parts.push(h("p", { class: "warning" }, `This file holds the token, so it is ${ownerOnly()}.`));
    }
    for (const command of applied.commands) parts.push(h("p", { class: "done" }, `Ran: ${command}`));
  }
  for (const step of change.plan.steps) parts.push(...stepView(step, id, applied !== null, req));
  for (const alternative of change.plan.alternatives) parts.push(manualView(alternative, null, id, req));
  if (change.plan.notes.length > 0) parts.push(h("ul", { class: "notes" }, ...change.plan.notes.map((note) => h("li", {}, note))));
  return parts;
}

function stepView(step: StepView, id: string, done: boolean, req: ClientRequest): Node[] {
  switch (step.kind) {
    case "edit_file":
      if (done || step.change === "unchanged") return step.change === "unchanged" ? [h("p", {}, `${step.path} is already up to date.`)] : [];
      return [
        h("details", { open: true }, h("summary", {}, `Will ${step.change} ${step.path}${step.holds_secret ? ` (it will hold the token: ${ownerOnly()})` : ""}`), h("pre", { class: "diff", id: `diff-${id}` }, step.diff)),
      ];
    case "run_program":
      return done ? [] : [h("p", {}, "Will run: ", h("code", {}, step.command))];
    case "manual":
      return [manualView(step, "Steps", id, req)];
  }
}

function manualView(manual: ManualSteps, heading: string | null, id: string, req: ClientRequest): HTMLElement {
  const items = manual.steps.map((step, index) => {
    const copy = step.copy;
    if (!copy) return h("li", {}, step.text);
    const button = h("button", { type: "button", class: "copy", id: `copy-${id}-${index}`, "aria-label": `Copy ${copy.label}${copy.secret ? " (holds the token)" : ""}` }, "Copy");
    const note = h("span", { class: "copy-note", role: "status" });
    button.addEventListener("click", () => {
      // The app copies the value itself, read from the core only now: a secret one is shown
      // masked here and never reaches the page.
      void clientCopyValue(req, copy.label)
        .then(() => {
          button.textContent = "Copied";
          note.textContent = copy.secret ? " It holds the token: paste it only where this step says, then copy something else to clear your clipboard." : "";
        })
        .catch((error: unknown) => {
          note.textContent = ` ${asWizardError(error).message}`;
        });
    });
    return h("li", {}, `${step.text} `, h("code", {}, copy.value), " ", button, note);
  });
  const link = manual.link ? linkView(manual.link, req) : null;
  return h("div", { class: "manual" }, h("h3", {}, heading ? `${heading}: ${manual.title}` : manual.title), h("ol", {}, ...items), link);
}

/** A link: opened in its app or browser by the app; a link holding the token is only named. */
function linkView(link: CopyValue, request: ClientRequest): HTMLElement {
  if (link.secret) return h("p", {}, `${link.label}: holds the token, so it is not shown here.`);
  const open = h("button", { type: "button", class: "copy", id: `open-${request.client}-${slug(link.label)}` }, `Open ${link.label}`);
  open.addEventListener("click", () => {
    void clientOpenLink(request, link.label).catch((error: unknown) =>
      open.replaceWith(h("span", { class: "field-error" }, asWizardError(error).message)),
    );
  });
  return h("p", {}, open, " ", h("code", { class: "link" }, link.value));
}
