// The wizard's entry point: the step list and the screens. Every screen is built on its
// first visit and kept, so going back shows it as it was left.

import { appStart, asWizardError, openedLink, projectsList, signOut } from "./api";
import { renderAuth } from "./auth";
import type { AppStart, ConnectResult } from "./bindings";
import { renderClients } from "./clients";
import { renderConnect } from "./connect";
import { h } from "./dom";
import { renderEnable } from "./enable";
import { renderManage } from "./manage";
import { renderSwitcher, takeSwitchedTo } from "./projects";
import { openShare } from "./share";
import { aboutLines, actingOn, STEPS, type StepId } from "./state";
import { renderUpdates } from "./updates";
import { renderVerify } from "./verify";

/** The screens, in the steps' order: one per step. */
const SCREENS: readonly StepId[] = STEPS.map((step) => step.id);

function renderSteps(current: StepId, reachable: ReadonlySet<StepId>, go: (step: StepId) => void): void {
  const list = document.getElementById("step-list");
  if (!list) return;
  list.replaceChildren(
    ...STEPS.map((step, index) => {
      const open = step.id !== current && reachable.has(step.id);
      const label = h("span", { class: "title" }, step.title, h("small", {}, step.hint));
      const number = h("span", { class: "number", "aria-hidden": "true" }, String(index + 1));
      const body = open ? h("button", { type: "button", class: "step-link", id: `step-${step.id}` }, number, label) : h("span", { class: "step-static" }, number, label);
      if (open) body.addEventListener("click", () => go(step.id));
      return h("li", { class: step.id === current ? "current" : reachable.has(step.id) ? "reachable" : "ahead", "aria-current": step.id === current ? "step" : undefined }, body);
    }),
  );
}

/** Adds a "Next" button to `screen` once. */
function offerNext(screen: HTMLElement, id: string, label: string, onClick: () => void): void {
  if (document.getElementById(id)) return;
  const next = h("button", { type: "button", class: "primary", id }, label);
  next.addEventListener("click", onClick);
  screen.append(h("div", { class: "actions next" }, next));
}

/** The About line under the steps. */
function renderAbout(start: AppStart, directusVersion: string | null): void {
  document.getElementById("about")?.replaceChildren(...aboutLines(start, directusVersion).map((line) => h("p", {}, line)));
}

/** The session line under the brand: which project and Directus, as whom, and Sign out. */
function renderSession(connected: ConnectResult | null, project: string | null, onSignedOut: () => void): void {
  const slot = document.getElementById("session");
  if (!slot) return;
  if (!connected) {
    slot.replaceChildren(h("p", { class: "muted" }, "Not signed in"));
    return;
  }
  const button = h("button", { type: "button", class: "secondary small", id: "sign-out" }, "Sign out");
  const problem = h("p", { class: "field-error", role: "alert", hidden: true });
  button.addEventListener("click", () => {
    button.disabled = true;
    signOut()
      .then(onSignedOut)
      .catch((error: unknown) => {
        problem.textContent = asWizardError(error).message;
        problem.hidden = false;
        button.disabled = false;
      });
  });
  slot.replaceChildren(h("p", { id: "acting-on" }, project ? h("strong", {}, `${project}: `) : null, actingOn(connected.report)), button, problem);
}

async function start(): Promise<void> {
  const main = document.getElementById("main");
  if (!main) return;
  const screens = new Map<StepId, HTMLElement>(SCREENS.map((id) => [id, h("div", { id: `screen-${id}`, hidden: id !== "connect" })]));
  main.replaceChildren(...screens.values());
  const screen = (id: StepId): HTMLElement => screens.get(id) ?? main;
  const reachable = new Set<StepId>(["connect"]);
  const built = new Set<StepId>(["connect"]);
  let current: StepId = "connect";
  let connected: ConnectResult | null = null;
  /** The project the wizard acts on (signed in to it and named). */
  let acting: string | null = null;

  const go = (step: StepId): void => {
    current = step;
    for (const [id, element] of screens) element.hidden = id !== step;
    const root = screen(step);
    if (step === "clients") {
      renderClients(root, acting);
      offerNext(root, "go-verify", "Next: verify", () => go("verify"));
    } else if (step === "manage") {
      renderManage(root);
    } else if (!built.has(step)) {
      built.add(step);
      if (step === "enable" && connected) {
        renderEnable(root, connected.report, () => offerNext(root, "go-auth", "Next: how clients sign in", () => go("auth")));
      } else if (step === "auth") {
        renderAuth(root, () => offerNext(root, "go-clients", "Next: connect your AI clients", () => go("clients")));
      } else if (step === "verify") {
        renderVerify(root);
        offerNext(root, "go-manage", "Next: manage access", () => go("manage"));
      }
    }
    renderSteps(current, reachable, go);
  };

  renderSteps(current, reachable, go);
  const startFacts = await appStart();
  renderAbout(startFacts, null);
  const updates = h("section", { class: "updates", id: "updates", "aria-label": "Updates" });
  document.getElementById("about")?.after(updates);
  const updateBanner = h("section", { class: "card update-banner", id: "update-banner", "aria-label": "New version", hidden: true });
  main.prepend(updateBanner);
  renderUpdates(updates, updateBanner);
  renderSession(null, null, () => undefined);
  const switcherSlot = document.getElementById("projects");
  const drawSwitcher = (list = startFacts.projects): void => {
    if (!switcherSlot) return;
    renderSwitcher(switcherSlot, list, {
      acting: () => acting,
      signedIn: () => connected !== null,
      newProject: () => {
        go("connect");
        connectScreen.newProject();
      },
      share: (shown) => {
        openShare(shown, acting ?? shown.chosen ?? null, () => {
          void projectsList().then((fresh) => drawSwitcher(fresh));
        });
      },
    });
    if (startFacts.projects_problem) switcherSlot.append(h("p", { class: "field-error", role: "alert" }, startFacts.projects_problem));
  };
  const connectScreen = renderConnect(screen("connect"), startFacts, (result: ConnectResult, project: string | null) => {
    connected = result;
    acting = project;
    void projectsList().then((list) => drawSwitcher(list)).catch(() => drawSwitcher());
    renderAbout(startFacts, result.report.version);
    // Signed out: back to a fresh Connect screen, nothing of the old session left on screen.
    renderSession(result, project, () => window.location.reload());
    // Every other screen is drawn afresh for this sign-in (perhaps another project).
    for (const step of SCREENS) if (step !== "connect") built.delete(step);
    if (project === null) {
      // A new Directus waits for its project's name: no step acts on it before.
      reachable.clear();
      reachable.add("connect");
      document.getElementById("go-enable")?.closest(".next")?.remove();
      renderSteps(current, reachable, go);
      return;
    }
    for (const step of SCREENS) reachable.add(step);
    renderSteps(current, reachable, go);
    offerNext(screen("connect"), "go-enable", "Next: turn on MCP", () => go("enable"));
  });

  // A link the app was opened with (at start, or handed over later by a second launch):
  // shown on the Connect screen, never acted on.
  const showOpenedLink = (): void => {
    void openedLink().then((link) => {
      if (!link) return;
      go("connect");
      connectScreen.showLink(link);
    });
  };
  window.addEventListener("directus-mcp-setup:opened-link", showOpenedLink);
  drawSwitcher();
  // The chosen project: signed in to when the user just switched to it, else filled in.
  const switchedTo = takeSwitchedTo();
  const list = startFacts.projects;
  const chosen = list.projects.find((project) => project.name === (switchedTo ?? list.chosen)) ?? list.projects[0];
  if (chosen && (switchedTo !== null || startFacts.url === null)) connectScreen.showProject(chosen, switchedTo !== null);
  showOpenedLink();
}

void start();
