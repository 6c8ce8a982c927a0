// Updates, in the side bar: the "check on start" choice (off until the user turns it on),
// "Check now", and the newer version's notes with an Install button. Nothing is asked of
// the network unless the user allowed it or clicked; nothing is installed without a click.

import { asWizardError, updateCheck, updateInstall, updatePreferences, updateSetCheckOnStart } from "./api";
import type { AvailableUpdate } from "./bindings";
import { h } from "./dom";

/** Renders the updates section into `slot` (the side bar) and, when the user allowed it,
 * checks once; a newer version is shown in `banner` (above the screens), where it is seen. */
export function renderUpdates(slot: HTMLElement, banner: HTMLElement): void {
  const toggle = h("input", { id: "update-on-start", type: "checkbox" });
  const checkNow = h("button", { type: "button", class: "secondary small", id: "update-check" }, "Check now");
  const status = h("div", { id: "update-status", role: "status", "aria-live": "polite" });
  const problem = h("p", { class: "field-error", id: "update-error", role: "alert", hidden: true });

  const fail = (error: unknown): void => {
    problem.textContent = asWizardError(error).message;
    problem.hidden = false;
    // Beside the update it is about, when one is shown.
    (banner.hidden ? slot : banner).append(problem);
  };
  const show = (update: AvailableUpdate | null, asked: boolean): void => {
    if (!update) {
      banner.hidden = true;
      status.replaceChildren(asked ? h("p", {}, "This is the newest version.") : "");
      return;
    }
    const install = h("button", { type: "button", class: "primary small", id: "update-install" }, `Install ${update.version}`);
    install.addEventListener("click", () => {
      install.disabled = true;
      problem.hidden = true;
      banner.append(h("p", { id: "update-progress" }, `Installing ${update.version}…`));
      updateInstall()
        .then((version) => banner.replaceChildren(h("p", { id: "update-installed" }, `Installed ${version}. Restart the app to use it.`)))
        .catch((error: unknown) => {
          document.getElementById("update-progress")?.remove();
          fail(error);
        });
    });
    const parts: Node[] = [h("p", { id: "update-available" }, `Version ${update.version} is available (this is ${update.current_version}).`)];
    if (update.notes) parts.push(h("pre", { class: "notes", id: "update-notes" }, update.notes));
    parts.push(install);
    status.replaceChildren();
    banner.replaceChildren(...parts);
    banner.hidden = false;
  };
  const check = (onStart: boolean): void => {
    problem.hidden = true;
    checkNow.disabled = true;
    updateCheck(onStart)
      .then((update) => show(update, !onStart))
      .catch(fail)
      .finally(() => (checkNow.disabled = false));
  };

  toggle.addEventListener("change", () => {
    updateSetCheckOnStart(toggle.checked).catch(fail);
  });
  checkNow.addEventListener("click", () => check(false));

  slot.replaceChildren(
    h("div", { class: "check" }, toggle, h("label", { for: "update-on-start" }, "Check for a new version when the app starts")),
    checkNow,
    status,
    problem,
  );
  void updatePreferences()
    .then((preferences) => (toggle.checked = preferences.check_on_start))
    .catch(fail);
  // The app decides: it asks the network only when the user allowed the check on start.
  check(true);
}
