// The side bar's project switcher: the Directus projects set up on this computer, by name
// and host. Choosing one switches the wizard to it: the window starts over on that project,
// signed in again when its session was kept with "Remember me", else asking to sign in.

import { asWizardError, projectChoose, projectRemove } from "./api";
import type { ProjectList } from "./bindings";
import { h } from "./dom";
import { projectHost } from "./state";

/** Where a switch leaves the project to sign in to, across the window's fresh start. */
const SWITCHED_TO = "directus-mcp-setup:switched-to";

/** The project the user just switched to (taken once), so the fresh window signs in to it. */
export function takeSwitchedTo(): string | null {
  const name = window.sessionStorage.getItem(SWITCHED_TO);
  window.sessionStorage.removeItem(SWITCHED_TO);
  return name;
}

/** What the switcher needs from the rest of the window. */
export interface SwitcherHooks {
  /** The project the wizard acts on now (signed in to it), if any. */
  acting(): string | null;
  /** Whether the wizard is signed in (perhaps to a new Directus not yet named). */
  signedIn(): boolean;
  /** "New project": the Connect screen, empty, for another Directus. */
  newProject(): void;
  /** "Export / import": the Share dialog. */
  share(list: ProjectList): void;
}

/** Draws the switcher into `slot` for `list`. */
export function renderSwitcher(slot: HTMLElement, list: ProjectList, hooks: SwitcherHooks): void {
  const problem = h("p", { class: "field-error", id: "projects-error", role: "alert", hidden: true });
  const fail = (error: unknown) => {
    problem.textContent = asWizardError(error).message;
    problem.hidden = false;
  };
  const acting = hooks.acting();
  const items = list.projects.map((project) => {
    // Signed in: the project acted on (none while a new one waits for its name); else the
    // chosen one, filled in on the Connect screen.
    const current = hooks.signedIn() ? project.name === acting : project.name === list.chosen;
    const choose = h(
      "button",
      { type: "button", class: "project-link", id: `project-${project.name}`, "aria-current": current ? "true" : undefined, title: project.url },
      h("span", { class: "project-name" }, project.name),
      h("small", { class: "project-host" }, projectHost(project)),
    );
    choose.addEventListener("click", () => {
      if (project.name === acting) return;
      choose.disabled = true;
      projectChoose(project.name)
        .then(() => {
          // A fresh window for the project: nothing of the other one's screens is left.
          window.sessionStorage.setItem(SWITCHED_TO, project.name);
          window.location.reload();
        })
        .catch((error: unknown) => {
          choose.disabled = false;
          fail(error);
        });
    });
    // The project the wizard acts on is not removed from under it.
    const remove = h("button", { type: "button", class: "project-remove", id: `remove-project-${project.name}`, "aria-label": `Remove the project ${project.name}`, title: "Remove from this list (its clients must be disconnected first)" }, "×");
    remove.addEventListener("click", () => {
      if (!window.confirm(`Remove the project "${project.name}" (${project.url}) from this list? Nothing changes on the server; a session or token kept for it stays in the OS keyring.`)) return;
      projectRemove(project.name)
        .then((left) => renderSwitcher(slot, left, hooks))
        .catch(fail);
    });
    return h("li", { class: current ? "current" : undefined }, choose, project.name === acting ? null : remove);
  });
  const add = h("button", { type: "button", class: "secondary small", id: "new-project" }, "New project");
  add.addEventListener("click", () => hooks.newProject());
  const share = h("button", { type: "button", class: "secondary small", id: "share-projects" }, "Export / import");
  share.addEventListener("click", () => hooks.share(list));
  slot.replaceChildren(
    h("h2", { id: "projects-title" }, "Projects"),
    items.length > 0 ? h("ul", { class: "plain project-list" }, ...items) : h("p", { class: "muted" }, "None yet: sign in to set up the first."),
    h("div", { class: "project-actions" }, add, share),
    problem,
  );
}
