// The Verify screen: a real MCP handshake as the MCP user, the tools it gets, and a first
// prompt to try in a client.

import { asWizardError, doctorReport, verifyMcp } from "./api";
import { h, present } from "./dom";
import { doctorChecks } from "./doctor";

/** Renders the Verify screen. */
export function renderVerify(root: HTMLElement): void {
  const output = h("section", { class: "result", id: "verify-result", hidden: true, "aria-live": "polite" });
  const button = h("button", { type: "button", class: "primary", id: "verify" }, "Run the handshake");
  button.addEventListener("click", () => {
    button.disabled = true;
    button.textContent = "Talking to Directus…";
    verifyMcp()
      .then((report) => {
        output.replaceChildren(
          ...present(
          h("h2", { id: "verify-title", tabindex: "-1" }, `Working: ${report.server_name} ${report.server_version} (MCP ${report.protocol_version})`),
          h("p", {}, `${report.tools.length} tools offered to the MCP user:`),
          h("ul", { class: "tools", id: "tools" }, ...report.tools.map((tool) => h("li", {}, h("code", {}, tool.name), ` — ${tool.summary}`))),
          report.admin_only_tools_missing.length > 0 ? h("p", { class: "notes" }, `Admin-only tools not offered to this role: ${report.admin_only_tools_missing.join(", ")}.`) : null,
          h("p", {}, "Try in your client: ", h("q", {}, "What collections are in my Directus?")),
          ),
        );
        output.hidden = false;
        document.getElementById("verify-title")?.focus();
      })
      .catch((error: unknown) => {
        output.replaceChildren(h("p", { class: "field-error", role: "alert", id: "verify-error" }, asWizardError(error).message));
        output.hidden = false;
      })
      .finally(() => {
        button.disabled = false;
        button.textContent = "Run the handshake";
      });
  });
  const doctorOutput = h("div", { id: "doctor-output", "aria-live": "polite" });
  const doctor = h("button", { type: "button", id: "run-doctor" }, "Check every client");
  doctor.addEventListener("click", () => {
    doctor.disabled = true;
    doctor.textContent = "Checking…";
    doctorReport()
      .then((report) => {
        doctorOutput.replaceChildren(
          h("p", {}, `For ${report.clients.length} clients found on this computer, against ${report.mcp_url}:`),
          doctorChecks(report),
        );
        doctorOutput.scrollIntoView({ block: "start" });
      })
      .catch((error: unknown) => doctorOutput.replaceChildren(h("p", { class: "field-error", role: "alert" }, asWizardError(error).message)))
      .finally(() => {
        doctor.disabled = false;
        doctor.textContent = "Check every client";
      });
  });
  root.replaceChildren(
    h("header", { class: "screen-header" }, h("h1", { id: "verify-screen-title", tabindex: "-1" }, "Verify"), h("p", { class: "lead" }, "initialize and tools/list against Directus' /mcp, with the MCP user's token from the OS keyring — as a client does it.")),
    h("div", { class: "actions" }, button),
    output,
    h(
      "section",
      { class: "card", "aria-labelledby": "doctor-heading" },
      h("h2", { id: "doctor-heading" }, "Will each client get in?"),
      h("p", { class: "notes" }, "Who can reach this address, its certificate, how /mcp answers a client that has not signed in, OAuth discovery and readiness, and whether Directus can fetch the clients' metadata documents — with the exact fix for each problem."),
      h("div", { class: "actions" }, doctor),
      doctorOutput,
    ),
  );
  document.getElementById("verify-screen-title")?.focus();
}
