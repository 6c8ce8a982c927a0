// The Enable screen: MCP on, Allow Deletes (with its warning), the prompts collection and
// the system prompt.

import { asWizardError, enableMcp } from "./api";
import type { EnableResult, ServerReport } from "./bindings";
import { h, present } from "./dom";
import { enableForm, promptCandidates, toEnableRequest, type EnableForm } from "./state";

/** Renders the Enable screen; `onEnabled` runs after the settings are saved. */
export function renderEnable(root: HTMLElement, report: ServerReport, onEnabled: (result: EnableResult) => void): void {
  const form: EnableForm = enableForm(report);
  const error = h("p", { class: "field-error", id: "error-enable", role: "alert", hidden: true });
  const result = h("section", { class: "result", id: "enable-result", hidden: true, "aria-live": "polite" });
  const radio = <K extends "prompts" | "systemPrompt">(group: K, value: EnableForm[K], label: string, after?: Node) => {
    const input = h("input", { type: "radio", name: group, id: `${group}-${value}`, value, checked: form[group] === value });
    input.addEventListener("change", () => {
      form[group] = value;
      sync();
    });
    return h("div", { class: "radio" }, input, h("label", { for: `${group}-${value}` }, label), after ?? null);
  };

  const deletes = h("input", { type: "checkbox", id: "allow-deletes", checked: form.allowDeletes });
  deletes.addEventListener("change", () => {
    form.allowDeletes = deletes.checked;
    sync();
  });
  const deletesWarning = h("p", { class: "warning", id: "deletes-warning" }, "AI clients will be able to delete items, files, flows, fields and whole collections. Deleted data is gone unless you have backups.");

  const select = h("select", { id: "prompts-collection", "aria-label": "Prompts collection" }, h("option", { value: "" }, "Choose…"), ...promptCandidates(report.collections).map((name) => h("option", { value: name, selected: name === report.settings.mcp_prompts_collection }, name)));
  select.addEventListener("change", () => {
    form.promptsCollection = select.value;
  });
  const custom = h("textarea", { id: "custom-prompt", rows: "5", "aria-label": "Custom system prompt" });
  custom.value = form.customPrompt;
  custom.addEventListener("input", () => {
    form.customPrompt = custom.value;
  });

  const sync = () => {
    deletesWarning.hidden = !form.allowDeletes;
    select.disabled = form.prompts !== "existing";
    custom.hidden = form.systemPrompt !== "custom";
  };

  const submit = h("button", { type: "submit", class: "primary", id: "enable" }, "Turn on MCP");
  const formElement = h(
    "form",
    { class: "card", novalidate: true },
    h("div", { class: "check" }, deletes, h("label", { for: "allow-deletes" }, "Allow deletes")),
    deletesWarning,
    h("fieldset", { class: "stack" }, h("legend", {}, "AI prompts collection"), radio("prompts", "keep", `Keep (${report.settings.mcp_prompts_collection ?? "none"})`), radio("prompts", "existing", "Use an existing collection", select), radio("prompts", "generate", "Create ai_prompts with the fields Directus expects"), radio("prompts", "clear", "None")),
    h("fieldset", { class: "stack" }, h("legend", {}, "System prompt"), radio("systemPrompt", "keep", "Keep as it is"), radio("systemPrompt", "default", "Directus' default"), radio("systemPrompt", "custom", "My own"), custom, radio("systemPrompt", "off", "None")),
    error,
    h("div", { class: "actions" }, submit),
  );
  formElement.addEventListener("submit", (event) => {
    event.preventDefault();
    error.hidden = true;
    const request = toEnableRequest(form);
    if (typeof request === "string") {
      error.textContent = request;
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    submit.textContent = "Saving…";
    enableMcp(request)
      .then((enabled) => {
        const settings = enabled.outcome.settings;
        result.replaceChildren(
          ...present(
          h("h2", { id: "enable-title", tabindex: "-1" }, enabled.kill_switch ? "Saved — but MCP is disabled by the server's environment" : "MCP is on"),
          h("dl", { class: "facts" }, ...[["Allow deletes", settings.mcp_allow_deletes ? "yes" : "no"], ["Prompts collection", settings.mcp_prompts_collection ?? "none"], ["System prompt", settings.mcp_system_prompt_enabled ? (settings.mcp_system_prompt ? "custom" : "Directus default") : "off"]].map(([name, value]) => h("div", { class: "fact" }, h("dt", {}, name ?? ""), h("dd", {}, value ?? "")))),
          enabled.kill_switch ? h("p", { class: "warning" }, enabled.kill_switch) : null,
          ),
        );
        result.hidden = false;
        document.getElementById("enable-title")?.focus();
        onEnabled(enabled);
      })
      .catch((failure: unknown) => {
        error.textContent = asWizardError(failure).message;
        error.hidden = false;
      })
      .finally(() => {
        submit.disabled = false;
        submit.textContent = "Turn on MCP";
      });
  });
  sync();
  root.replaceChildren(
    ...present(
    h("header", { class: "screen-header" }, h("h1", { id: "enable-screen-title", tabindex: "-1" }, "Turn on MCP"), h("p", { class: "lead" }, "Directus' built-in MCP server, and what AI clients may do with it.")),
    report.environment.mcp_enabled ? null : h("p", { class: "warning" }, "The server's environment sets MCP_ENABLED=false: remove that line (.env or docker compose) and restart Directus, or these settings have no effect."),
    formElement,
    result,
    ),
  );
  document.getElementById("enable-screen-title")?.focus();
}
