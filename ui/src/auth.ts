// The Authentication screen: OAuth (recommended: readiness and what to change) or a static
// token for a dedicated MCP user, kept in the OS keyring (rotate / revoke).

import { asWizardError, clientsOverview, createToken, oauthSetup, revokeToken } from "./api";
import type { OAuthReport, RoleTemplate, TokenOutcome } from "./bindings";
import { h, present } from "./dom";
import { withProgress } from "./progress";
import { rotateAndUpdate } from "./rotation";
import { parseCollections } from "./state";

/** Asked before an administrator token is made. */
const ADMINISTRATOR_WARNING =
  "The Administrator template gives the MCP token full admin access — over Directus' REST API as well as MCP — and the token sits in AI clients' settings files. Create it anyway?";

/** Renders the Authentication screen; `onReady` runs once a token exists or OAuth is ready. */
export function renderAuth(root: HTMLElement, onReady: () => void): void {
  const oauthOutput = h("div", { id: "oauth-output", "aria-live": "polite" });
  const tokenOutput = h("div", { id: "token-output", "aria-live": "polite" });
  const chosen = new Set<string>(["claude-code", "cursor", "vscode"]);
  const clientChecks = h("div", { class: "checks", id: "oauth-clients" }, "Loading clients…");
  void clientsOverview()
    .then((clients) => {
      clientChecks.replaceChildren(
        ...clients
          .filter((client) => client.oauth !== "unsupported")
          .map((client) => {
            const box = h("input", { type: "checkbox", id: `oauth-for-${client.id}`, checked: chosen.has(client.id) });
            box.addEventListener("change", () => (box.checked ? chosen.add(client.id) : chosen.delete(client.id)));
            return h("div", { class: "check" }, box, h("label", { for: `oauth-for-${client.id}` }, `${client.name} (${client.oauth.toUpperCase()})`));
          }),
      );
    })
    .catch((error: unknown) => clientChecks.replaceChildren(asWizardError(error).message));

  const run = (button: HTMLButtonElement, output: HTMLElement, work: () => Promise<Node[]>) => {
    button.addEventListener("click", () => {
      withProgress(button, "Working…", work)
        .then((nodes) => output.replaceChildren(...nodes))
        .catch((error: unknown) => output.replaceChildren(h("p", { class: "field-error", role: "alert" }, asWizardError(error).message)));
    });
  };

  const check = h("button", { type: "button", id: "oauth-check" }, "Check readiness");
  const enable = h("button", { type: "button", class: "primary", id: "oauth-enable" }, "Turn on OAuth for these clients");
  run(check, oauthOutput, async () => oauthView(await oauthSetup([...chosen], false), onReady));
  run(enable, oauthOutput, async () => oauthView(await oauthSetup([...chosen], true), onReady));

  const template = h("select", { id: "template", "aria-label": "Role template" }, h("option", { value: "content-editor" }, "Content Editor — edit content; read and upload files; no deletes"), h("option", { value: "read-only" }, "Read-only — analysis: read content and files"), h("option", { value: "administrator" }, "Administrator — full admin access (asks to confirm)"));
  const collections = h("input", { type: "text", id: "collections", placeholder: "all content collections", "aria-label": "Content collections, comma-separated" });
  const deletes = h("input", { type: "text", id: "allow-delete", placeholder: "none", "aria-label": "Collections whose items the token may delete, comma-separated" });
  const fileUpdate = h("input", { type: "checkbox", id: "allow-file-update" });
  const create = h("button", { type: "button", class: "primary", id: "create-token" }, "Create the MCP user and token");
  const rotate = h("button", { type: "button", id: "rotate-token" }, "Rotate token");
  const revoke = h("button", { type: "button", id: "revoke-token" }, "Revoke token");
  run(create, tokenOutput, async () => {
    const chosenTemplate = template.value as RoleTemplate;
    const confirmAdministrator = chosenTemplate === "administrator" && window.confirm(ADMINISTRATOR_WARNING);
    if (chosenTemplate === "administrator" && !confirmAdministrator) return [h("p", { id: "token-result" }, "Nothing was created.")];
    const outcome = await createToken({
      template: chosenTemplate,
      collections: parseCollections(collections.value),
      delete_collections: parseCollections(deletes.value) ?? [],
      allow_file_update: fileUpdate.checked,
      confirm_administrator: confirmAdministrator,
    });
    onReady();
    return tokenView(outcome);
  });
  run(rotate, tokenOutput, rotateAndUpdate);
  revoke.addEventListener("click", () => {
    if (!window.confirm("Revoke the MCP token? AI clients using it are refused at once.")) return;
    void withProgress(revoke, "Revoking…", revokeToken)
      .then((user) => tokenOutput.replaceChildren(h("p", { class: "done", id: "token-result" }, `Token revoked: ${user.role_name ?? "the MCP user"} has no token now.`)))
      .catch((error: unknown) => tokenOutput.replaceChildren(h("p", { class: "field-error", role: "alert" }, asWizardError(error).message)));
  });

  root.replaceChildren(
    h("header", { class: "screen-header" }, h("h1", { id: "auth-title", tabindex: "-1" }, "How AI clients sign in"), h("p", { class: "lead" }, "OAuth is recommended: each person signs in as themselves and no token is stored. A static token suits clients without OAuth.")),
    h("section", { class: "card", "aria-labelledby": "oauth-heading" }, h("h2", { id: "oauth-heading" }, "OAuth (recommended)"), h("p", {}, "The clients you will use decide which registration Directus must allow (CIMD, DCR):"), clientChecks, h("div", { class: "actions" }, check, enable), oauthOutput),
    h("section", { class: "card", "aria-labelledby": "token-heading" }, h("h2", { id: "token-heading" }, "Static token"), h("div", { class: "field" }, h("label", { for: "template" }, "Role"), template), h("div", { class: "field" }, h("label", { for: "collections" }, "Content collections (comma-separated)"), collections), h("div", { class: "field" }, h("label", { for: "allow-delete" }, "Allow deletes in (comma-separated; none unless named)"), deletes), h("div", { class: "field" }, fileUpdate, h("label", { for: "allow-file-update" }, "Also let it edit files' title, description, tags, location, folder and focal point (never a file's content, name or storage)")), h("div", { class: "actions" }, create, rotate, revoke), tokenOutput),
  );
  document.getElementById("auth-title")?.focus();
}

function oauthView(report: OAuthReport, onReady: () => void): Node[] {
  if (report.ready) onReady();
  const reasons = report.needed.reasons.map((reason) => h("li", {}, reason));
  const problems = report.problems.map((problem) => h("li", {}, problem.problem, h("pre", { class: "fix" }, problem.fix)));
  return present(
    h("p", { class: report.ready ? "done" : "warning", id: "oauth-result" }, report.ready ? "Ready: these clients can sign in with OAuth." : "Not ready yet:"),
    problems.length > 0 ? h("ul", {}, ...problems) : null,
    reasons.length > 0 ? h("ul", { class: "notes" }, ...reasons) : null,
  );
}

function tokenView(outcome: TokenOutcome): Node[] {
  const user = outcome.user;
  return present(
    h("p", { class: "done", id: "token-result" }, `${outcome.created ? "Created" : "Updated"} the MCP user (${user.role_name ?? "no role"}) with a new token${outcome.stored_in_keyring ? ", kept in the OS keyring" : ""}. It is never shown here.`),
    outcome.keyring_error ? h("p", { class: "warning" }, outcome.keyring_error) : null,
    user.collections.length > 0 ? h("p", { class: "notes" }, `Collections: ${user.collections.join(", ")}`) : null,
  );
}
