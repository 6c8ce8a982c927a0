// The wizard's entry point: the step list and the current screen.

import { appStart } from "./api";
import type { ConnectResult } from "./bindings";
import { renderConnect } from "./connect";
import { h } from "./dom";
import { STEPS, type StepId } from "./state";

function renderSteps(current: StepId, reachable: ReadonlySet<StepId>): void {
  const list = document.getElementById("step-list");
  if (!list) return;
  list.replaceChildren(
    ...STEPS.map((step, index) =>
      h(
        "li",
        { class: step.id === current ? "current" : reachable.has(step.id) ? "reachable" : "ahead", "aria-current": step.id === current ? "step" : undefined },
        h("span", { class: "number", "aria-hidden": "true" }, String(index + 1)),
        h("span", { class: "title" }, step.title, h("small", {}, step.hint)),
      ),
    ),
  );
}

async function start(): Promise<void> {
  const main = document.getElementById("main");
  if (!main) return;
  const reachable = new Set<StepId>(["connect"]);
  renderSteps("connect", reachable);
  const startFacts = await appStart();
  renderConnect(main, startFacts, (_result: ConnectResult) => {
    reachable.add("enable");
    renderSteps("connect", reachable);
  });
}

void start();
