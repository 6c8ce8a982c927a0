// The connection doctor's report as the Verify screen and the client cards show it: a line
// per check with its badge, and the exact fix below a problem or warning.

import type { DoctorReport } from "./bindings";
import { h, present } from "./dom";
import { checkLine } from "./state";

/** The checks of `report` as a list. */
export function doctorChecks(report: DoctorReport): HTMLElement {
  return h(
    "ul",
    { class: "plain checks-list" },
    ...report.checks.map((check) => {
      const line = checkLine(check);
      return h("li", { class: `check-${line.tone}` }, h("span", { class: `badge ${line.tone}` }, line.badge), " ", line.text, ...present(check.fix ? h("pre", { class: "fix" }, check.fix) : null));
    }),
  );
}
