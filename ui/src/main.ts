// The wizard's entry point: the step list and the current screen.

import { appStart } from "./api";
import type { ConnectResult } from "./bindings";
import { renderClients } from "./clients";
import { renderConnect } from "./connect";
import { h } from "./dom";
import { STEPS, type StepId } from "./state";

/** The screens built so far; the other steps are shown ahead in the list. */
const SCREENS: ReadonlySet<StepId> = new Set<StepId>(["connect", "clients"]);

function renderSteps(current: StepId, reachable: ReadonlySet<StepId>, go: (step: StepId) => void): void {
  const list = document.getElementById("step-list");
  if (!list) return;
  list.replaceChildren(
    ...STEPS.map((step, index) => {
      const open = step.id !== current && reachable.has(step.id) && SCREENS.has(step.id);
      const label = h("span", { class: "title" }, step.title, h("small", {}, step.hint));
      const number = h("span", { class: "number", "aria-hidden": "true" }, String(index + 1));
      const body = open ? h("button", { type: "button", class: "step-link", id: `step-${step.id}` }, number, label) : h("span", { class: "step-static" }, number, label);
      if (open) body.addEventListener("click", () => go(step.id));
      return h("li", { class: step.id === current ? "current" : reachable.has(step.id) ? "reachable" : "ahead", "aria-current": step.id === current ? "step" : undefined }, body);
    }),
  );
}

async function start(): Promise<void> {
  const main = document.getElementById("main");
  if (!main) return;
  const connectScreen = h("div", { id: "screen-connect" });
  const clientsScreen = h("div", { id: "screen-clients", hidden: true });
  main.replaceChildren(connectScreen, clientsScreen);
  const reachable = new Set<StepId>(["connect"]);
  let current: StepId = "connect";

  const go = (step: StepId): void => {
    current = step;
    connectScreen.hidden = step !== "connect";
    clientsScreen.hidden = step !== "clients";
    if (step === "clients") renderClients(clientsScreen);
    renderSteps(current, reachable, go);
  };

  renderSteps(current, reachable, go);
  const startFacts = await appStart();
  renderConnect(connectScreen, startFacts, (_result: ConnectResult) => {
    reachable.add("clients");
    renderSteps(current, reachable, go);
    if (!document.getElementById("go-clients")) {
      const next = h("button", { type: "button", class: "primary", id: "go-clients" }, "Next: connect your AI clients");
      next.addEventListener("click", () => go("clients"));
      connectScreen.append(h("div", { class: "actions next" }, next));
    }
  });
}

void start();
