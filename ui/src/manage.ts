// The Manage screen: the OAuth grants AI clients hold (revoke one or several, after a
// confirmation), the static token (rotate, revoke), and the clients connected here.

import { asWizardError, clientDisconnect, clientsOverview, grantsList, grantsRevoke, grantsWait, grantsWaitCancel, oauthSetup, revokeToken } from "./api";
import type { OAuthClient, SignInReport } from "./bindings";
import { h, present } from "./dom";
import { withProgress } from "./progress";
import { rotateAndUpdate } from "./rotation";
import { canDisconnect, clientRequest, countdown, grantIds, revocationWarning } from "./state";

/** How long "Wait for a sign-in" waits. */
const WAIT_SECONDS = 180;

/** Renders the Manage screen. */
export function renderManage(root: HTMLElement): void {
  const grants = h("div", { id: "grants", "aria-live": "polite" }, "Loading grants…");
  const token = h("div", { id: "manage-token-output", "aria-live": "polite" });
  const connected = h("div", { id: "connected-clients", "aria-live": "polite" });
  const failure = (error: unknown) => h("p", { class: "field-error", role: "alert" }, asWizardError(error).message);

  const loadGrants = async (): Promise<void> => {
    try {
      // The server's OAuth status says why sign-ins end (its token lifetimes) and which grants ended.
      const [clients, status] = await Promise.all([grantsList(), oauthSetup([], false).catch(() => null)]);
      grants.replaceChildren(grantsTable(clients, loadGrants, grants), ...(status?.sign_in ? [signInNotes(status.sign_in)] : []));
      wait.hidden = false;
    } catch (error: unknown) {
      // Without OAuth in the server's environment there is nothing to wait for.
      grants.replaceChildren(failure(error));
      wait.hidden = true;
    }
  };
  const loadClients = async (): Promise<void> => {
    try {
      const clients = (await clientsOverview()).filter(canDisconnect);
      if (clients.length === 0) {
        connected.replaceChildren(h("p", { class: "notes" }, "No client on this computer is connected to this Directus."));
        return;
      }
      connected.replaceChildren(
        h("ul", { class: "plain" }, ...clients.map((client) => {
          const button = h("button", { type: "button", id: `manage-disconnect-${client.id}` }, "Disconnect");
          button.addEventListener("click", () => {
            void withProgress(button, "Disconnecting…", () => clientDisconnect(clientRequest(client.id, "oauth"))).then(loadClients, (error: unknown) => connected.append(failure(error)));
          });
          return h("li", {}, `${client.name} `, h("small", {}, client.file ?? ""), " ", button);
        })),
      );
    } catch (error: unknown) {
      connected.replaceChildren(failure(error));
    }
  };

  const rotate = h("button", { type: "button", id: "manage-rotate" }, "Rotate token");
  rotate.addEventListener("click", () => {
    void withProgress(rotate, "Rotating…", rotateAndUpdate)
      .then((lines) => token.replaceChildren(...lines), (error: unknown) => token.replaceChildren(failure(error)))
      .finally(() => void loadClients());
  });
  const revoke = h("button", { type: "button", id: "manage-revoke" }, "Revoke token");
  revoke.addEventListener("click", () => {
    if (!window.confirm("Revoke the MCP token? AI clients using it are refused at once.")) return;
    void withProgress(revoke, "Revoking…", revokeToken).then(
      () => token.replaceChildren(h("p", { class: "done" }, "Token revoked.")),
      (error: unknown) => token.replaceChildren(failure(error)),
    );
  });
  const refresh = h("button", { type: "button", id: "grants-refresh" }, "Refresh");
  refresh.addEventListener("click", () => void loadGrants());

  // Waiting for a client to sign in: a countdown, and Cancel stops the wait in the core.
  // The status is announced when the wait starts and ends; the countdown beside it is not
  // read out every second.
  const waitStatus = h("span", { id: "grants-wait-status", role: "status" });
  const waitClock = h("span", { id: "grants-wait-countdown", "aria-hidden": "true" });
  const wait = h("button", { type: "button", id: "grants-wait", hidden: true }, "Wait for a client to sign in");
  const cancel = h("button", { type: "button", id: "grants-wait-cancel", hidden: true }, "Cancel");
  let waitNumber = 0;
  cancel.addEventListener("click", () => void grantsWaitCancel(waitNumber));
  wait.addEventListener("click", () => {
    const mine = ++waitNumber;
    wait.disabled = true;
    cancel.hidden = false;
    const deadline = Date.now() + WAIT_SECONDS * 1000;
    waitStatus.textContent = "Waiting up to 3 minutes for a client to sign in: start the client and approve the sign-in in the browser. ";
    const tick = () => {
      waitClock.textContent = `${countdown((deadline - Date.now()) / 1000)} left`;
    };
    tick();
    const timer = window.setInterval(tick, 1000);
    void grantsList()
      .then((clients) => grantsWait(mine, grantIds(clients), WAIT_SECONDS))
      .then(
        (found) => {
          const grant = found?.grants[0];
          waitStatus.textContent = found ? `${found.client_name ?? found.client_id} signed in${grant?.user_email ? ` as ${grant.user_email}` : ""}.` : "No client signed in within 3 minutes.";
          if (found) void loadGrants();
        },
        (error: unknown) => {
          waitStatus.textContent = asWizardError(error).message;
        },
      )
      .finally(() => {
        window.clearInterval(timer);
        waitClock.textContent = "";
        wait.disabled = false;
        cancel.hidden = true;
      });
  });

  root.replaceChildren(
    h("header", { class: "screen-header" }, h("h1", { id: "manage-title", tabindex: "-1" }, "Manage access"), h("p", { class: "lead" }, "Who can reach Directus through MCP, and how to take it back.")),
    h("section", { class: "card", "aria-labelledby": "grants-heading" }, h("div", { class: "client-head" }, h("h2", { id: "grants-heading" }, "OAuth grants"), refresh), h("div", { class: "actions" }, wait, cancel), h("p", { class: "notes" }, waitStatus, waitClock), grants),
    h("section", { class: "card", "aria-labelledby": "manage-token-heading" }, h("h2", { id: "manage-token-heading" }, "Static token"), h("div", { class: "actions" }, rotate, revoke), token),
    h("section", { class: "card", "aria-labelledby": "connected-heading" }, h("h2", { id: "connected-heading" }, "Clients connected on this computer"), connected),
  );
  document.getElementById("manage-title")?.focus();
  void loadGrants();
  void loadClients();
}

function grantsTable(clients: OAuthClient[], reload: () => Promise<void>, container: HTMLElement): HTMLElement {
  if (clients.length === 0) {
    return h(
      "p",
      { class: "notes", id: "no-grants" },
      "No AI client has registered for OAuth yet. A client appears here once it signs in: connect it with OAuth on the Clients screen, then start it and approve the sign-in in the browser.",
    );
  }
  const selected = new Set<string>();
  const revoke = async (ids: string[]): Promise<void> => {
    if (!window.confirm(revocationWarning(clients.filter((client) => ids.includes(client.client_id))))) return;
    try {
      await grantsRevoke(ids);
      await reload();
    } catch (error: unknown) {
      container.append(h("p", { class: "field-error", role: "alert" }, asWizardError(error).message));
    }
  };
  const rows = clients.map((client, index) => {
    const box = h("input", { type: "checkbox", id: `grant-select-${index}`, "aria-label": `Select ${client.client_name ?? client.client_id}` });
    box.addEventListener("change", () => (box.checked ? selected.add(client.client_id) : selected.delete(client.client_id)));
    const button = h("button", { type: "button", id: `grant-revoke-${index}` }, "Revoke");
    button.addEventListener("click", () => void revoke([client.client_id]));
    const grant = client.grants[0];
    const users = new Set(client.grants.map((entry) => entry.user_email ?? "a user without email")).size;
    const day = (value: string | null | undefined) => (value ?? "").slice(0, 16).replace("T", " ");
    return h(
      "tr",
      { class: "grant" },
      h("td", {}, box),
      h(
        "td",
        {},
        client.client_name ?? "unnamed",
        " ",
        h("span", { class: "badge" }, (client.registration_type ?? "?").toUpperCase()),
        h("br"),
        h("small", {}, client.client_id),
        h("br"),
        h("small", { class: "muted" }, client.redirect_uris.join(" ")),
      ),
      h(
        "td",
        {},
        ...present(
          grant ? document.createTextNode(grant.user_email ?? "a user without email") : document.createTextNode("no grant yet"),
          client.grants.length > 1 ? h("small", {}, ` +${client.grants.length - 1}`) : null,
          h("br"),
          h("small", {}, `${users} ${users === 1 ? "user" : "users"} · ${grant?.scope ?? "no scope"}`),
        ),
      ),
      h(
        "td",
        {},
        h("small", {}, `since ${day(grant?.created ?? client.created)}`),
        h("br"),
        h("small", {}, grant?.last_used ? `last used ${grant.last_used}` : ""),
        h("br"),
        h("small", { class: "grant-ending" }, grant?.ending ?? (grant?.expires ? `expires ${day(grant.expires)}` : "")),
      ),
      h("td", {}, button),
    );
  });
  const revokeSelected = h("button", { type: "button", id: "grants-revoke-selected" }, "Revoke selected");
  revokeSelected.addEventListener("click", () => {
    if (selected.size > 0) void revoke([...selected]);
  });
  return h(
    "div",
    {},
    h("div", { class: "table-wrap" }, h("table", { class: "grants-table" }, h("thead", {}, h("tr", {}, ...["", "Client", "Granted to", "When", ""].map((title) => h("th", { scope: "col" }, title)))), h("tbody", {}, ...rows))),
    h("div", { class: "actions" }, revokeSelected),
  );
}

/** Why a sign-in ends on this server (its own token lifetimes), and the grants that ended. */
function signInNotes(signIn: SignInReport): HTMLElement {
  const ended = signIn.ended.map((grant) =>
    h("li", { class: "ended-grant" }, h("strong", {}, `${grant.user_email ?? "a user"} · last used ${grant.last_used ?? "?"}`), h("br"), grant.explanation),
  );
  return h(
    "section",
    { id: "sign-in-rules", "aria-labelledby": "sign-in-rules-heading" },
    h("h3", { id: "sign-in-rules-heading" }, "Why a sign-in ends"),
    h("ul", { class: "notes" }, ...signIn.rules.explanation.map((rule) => h("li", {}, rule))),
    ...(ended.length > 0 ? [h("h3", {}, "Grants that ended"), h("ul", { id: "ended-grants", class: "notes" }, ...ended)] : []),
  );
}
