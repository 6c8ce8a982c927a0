// The Connect screen: URL and sign-in, then what was detected about the server.

import { asWizardError, connect, projectName, projectsList } from "./api";
import type { AppStart, ConnectResult, ErrorField, OpenedLink, Project, ProjectList } from "./bindings";
import { h, present } from "./dom";
import { type LoginMethod, emptyForm, isProblem, projectNameProblem, summarize, toConnectRequest } from "./state";

/** What the Connect screen offers once rendered. */
export interface ConnectScreen {
  /** Shows a link the app was opened with: fills in its URL (the user still clicks
   * Connect), or shows why it was refused. */
  showLink(link: OpenedLink): void;
  /** Fills in `project` (URL, email) and, with `signIn` and an email, signs in with the
   * session kept with "Remember me" (an error then asks for the password). */
  showProject(project: Project, signIn: boolean): void;
  /** An empty form for another Directus, named as a new project after signing in. */
  newProject(): void;
}

/** After signing in: the result, and the project it acts on; `null` while a new project
 * waits for its name (called again once it is named). */
export type OnConnected = (result: ConnectResult, project: string | null) => void;

/** Renders the Connect screen into `root`. */
export function renderConnect(root: HTMLElement, start: AppStart, onConnected: OnConnected): ConnectScreen {
  const form = emptyForm();
  form.url = start.url ?? "";
  let projects: ProjectList = start.projects;
  let showOtp = false;

  const errorSlots = new Map<ErrorField, HTMLElement>();
  const slot = (field: ErrorField) => {
    const element = h("p", { class: "field-error", id: `error-${field}`, role: "alert", hidden: true });
    errorSlots.set(field, element);
    return element;
  };
  const clearErrors = () => {
    for (const element of errorSlots.values()) {
      element.hidden = true;
      element.textContent = "";
    }
  };
  const showError = (field: ErrorField, message: string) => {
    const element = errorSlots.get(field) ?? errorSlots.get("general");
    if (!element) return;
    element.textContent = message;
    element.hidden = false;
  };

  const input = (id: string, label: string, type: string, value: string, onInput: (v: string) => void, extra: Record<string, string> = {}) => {
    const field = h("input", { id, name: id, type, value, ...extra });
    field.addEventListener("input", () => onInput(field.value));
    return { field, row: h("div", { class: "field" }, h("label", { for: id }, label), field) };
  };

  const url = input("url", "Directus URL", "url", form.url, (v) => (form.url = v), {
    placeholder: "https://cms.example.com",
    autocomplete: "url",
    "aria-describedby": "error-url",
    required: "",
  });
  const email = input("email", "Admin email", "email", form.email, (v) => (form.email = v), { autocomplete: "username" });
  const password = input("password", "Password", "password", form.password, (v) => (form.password = v), {
    autocomplete: "current-password",
    "aria-describedby": "error-credentials",
  });
  const otp = input("otp", "One-time code (2FA)", "text", form.otp, (v) => (form.otp = v), {
    inputmode: "numeric",
    autocomplete: "one-time-code",
    "aria-describedby": "error-otp",
  });
  const token = input("token", "Admin static token", "password", form.token, (v) => (form.token = v), {
    autocomplete: "off",
    "aria-describedby": "error-token",
  });
  const insecure = h("input", { id: "insecure", type: "checkbox" });
  insecure.addEventListener("change", () => (form.allowInsecureHttp = insecure.checked));
  const remember = h("input", { id: "remember", type: "checkbox", "aria-describedby": "remember-note" });
  remember.addEventListener("change", () => (form.remember = remember.checked));
  const rememberRow = h(
    "div",
    { class: "check" },
    remember,
    h("label", { for: "remember" }, "Remember me on this computer"),
    h("small", { id: "remember-note", class: "notes" },"Keeps the session in the OS keyring, so next time the password can stay empty; Sign out forgets it."),
  );

  const methodRadio = (value: LoginMethod, label: string) => {
    const radio = h("input", { type: "radio", name: "method", id: `method-${value}`, value, checked: form.method === value });
    radio.addEventListener("change", () => {
      form.method = value;
      sync();
    });
    return h("label", { class: "radio", for: `method-${value}` }, radio, label);
  };

  const passwordGroup = h("div", { class: "group" }, email.row, password.row, slot("credentials"));
  const otpGroup = h("div", { class: "group" }, otp.row, slot("otp"));
  const tokenGroup = h("div", { class: "group" }, token.row, slot("token"));
  const submit = h("button", { type: "submit", class: "primary", id: "connect" }, "Connect");
  const progress = h("p", { class: "progress", role: "status", "aria-live": "polite" });
  const result = h("section", { class: "result", "aria-labelledby": "result-title", hidden: true });
  const linkNote = h("p", { id: "opened-link", role: "status", "aria-live": "polite", hidden: true });

  /** Whether the next submit is the app's own attempt with a kept session. */
  let automaticAttempt = false;

  const sync = () => {
    passwordGroup.hidden = form.method !== "password";
    rememberRow.hidden = form.method !== "password";
    otpGroup.hidden = form.method !== "password" || !showOtp;
    tokenGroup.hidden = form.method !== "admin_token";
  };

  const demo = start.demo;
  const demoButton = demo
    ? h("button", { type: "button", class: "secondary", id: "use-demo" }, "Use the local demo Directus")
    : null;
  demoButton?.addEventListener("click", () => {
    if (!demo) return;
    form.url = url.field.value = demo.url;
    form.email = email.field.value = demo.email;
    form.password = password.field.value = demo.password;
    form.method = "password";
    (document.getElementById("method-password") as HTMLInputElement | null)?.click();
    submit.focus();
  });

  const formElement = h(
    "form",
    { class: "card", novalidate: true, "aria-labelledby": "connect-title" },
    linkNote,
    url.row,
    slot("url"),
    h("fieldset", { class: "methods" }, h("legend", {}, "Sign in with"), methodRadio("password", "Email and password"), methodRadio("admin_token", "Admin token")),
    passwordGroup,
    otpGroup,
    tokenGroup,
    rememberRow,
    h("div", { class: "check" }, insecure, h("label", { for: "insecure" }, "Allow plain http:// to another computer (unencrypted)")),
    slot("general"),
    h("div", { class: "actions" }, submit, demoButton, progress),
  );

  formElement.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors();
    const attempt = automaticAttempt;
    automaticAttempt = false;
    const request = toConnectRequest(form);
    if (isProblem(request)) {
      showError(request.field, request.message);
      return;
    }
    submit.disabled = true;
    progress.textContent = "Connecting…";
    result.hidden = true;
    connect(request)
      .then((connected) => {
        progress.textContent = "";
        // Signed in: the password and token have done their job and leave the page.
        form.password = password.field.value = "";
        form.token = token.field.value = "";
        renderResult(result, connected);
        result.hidden = false;
        result.scrollIntoView({ block: "start" });
        document.getElementById("result-title")?.focus();
        const name = connected.project.name;
        onConnected(connected, name);
        if (name !== null) return;
        // A Directus that is not a project yet: its client entries need a name first, checked
        // against the projects as they are now.
        void projectsList()
          .catch(() => projects)
          .then((list) => {
            projects = list;
            result.append(nameCard(connected, projects, form.url, (named, chosen) => {
              projects = named;
              onConnected(connected, chosen);
            }));
            document.getElementById("project-name")?.focus();
          });
      })
      .catch((error: unknown) => {
        progress.textContent = "";
        // The kept session did not sign in: the box was ticked by the app, not the user.
        if (attempt) form.remember = remember.checked = false;
        const problem = asWizardError(error);
        if (problem.field === "otp") {
          showOtp = true;
          sync();
          otp.field.focus();
        }
        showError(problem.field, problem.message);
      })
      .finally(() => {
        submit.disabled = false;
      });
  });

  sync();
  root.replaceChildren(
    ...present(
      h("header", { class: "screen-header" }, h("h1", { id: "connect-title" }, "Connect to Directus"), h("p", { class: "lead" }, "Sign in as an administrator. Nothing is changed on the server in this step.")),
      formElement,
      result,
    ),
  );
  url.field.focus();

  /** Chooses the sign-in method (its radio and the groups shown). */
  const useMethod = (method: LoginMethod) => {
    form.method = method;
    const radio = document.getElementById(`method-${method}`) as HTMLInputElement | null;
    if (radio) radio.checked = true;
    sync();
  };

  return {
    showProject(project: Project, signIn: boolean): void {
      clearErrors();
      result.hidden = true;
      form.url = url.field.value = project.url;
      form.email = email.field.value = project.email ?? "";
      form.password = password.field.value = "";
      linkNote.hidden = false;
      linkNote.className = "notes";
      if (project.email) {
        useMethod("password");
        // "Remember me" is the user's to tick: only the automatic attempt with the session
        // kept on this computer keeps it again (and unticks the box when there is none).
        form.remember = remember.checked = false;
        if (signIn) {
          linkNote.textContent = `Project ${project.name}: signing in with the session kept on this computer…`;
          form.remember = remember.checked = true;
          automaticAttempt = true;
          formElement.requestSubmit();
          return;
        }
        linkNote.textContent = `Project ${project.name}: sign in (leave the password empty to use the session kept with “Remember me”).`;
        password.field.focus();
      } else {
        useMethod("admin_token");
        linkNote.textContent = `Project ${project.name}: sign in with an admin token.`;
        token.field.focus();
      }
    },
    newProject(): void {
      clearErrors();
      result.hidden = true;
      form.url = url.field.value = "";
      form.email = email.field.value = "";
      form.password = password.field.value = "";
      linkNote.hidden = false;
      linkNote.className = "notes";
      linkNote.textContent = "A new project: sign in to its Directus, then confirm the name its client entries get.";
      url.field.focus();
    },
    showLink(link: OpenedLink): void {
      linkNote.hidden = false;
      if (link.kind === "connect") {
        form.url = url.field.value = link.url;
        linkNote.className = "notes";
        linkNote.textContent = "Filled in from a link. Check the address, sign in, then click Connect: nothing happens until you do.";
        url.field.focus();
      } else {
        linkNote.className = "field-error";
        linkNote.textContent = link.message;
      }
    },
  };
}

function renderResult(section: HTMLElement, connected: ConnectResult): void {
  const report = connected.report;
  const rows = summarize(report).map(([name, value]) => h("div", { class: "fact" }, h("dt", {}, name), h("dd", {}, value)));
  const notes = report.notes.map((note) => h("li", {}, note));
  const parts: Node[] = [
    h("h2", { id: "result-title", tabindex: "-1" }, report.environment.mcp_enabled ? "Connected" : "Connected — MCP is disabled on the server"),
    h("dl", { class: "facts" }, ...rows),
  ];
  if (notes.length > 0) parts.push(h("ul", { class: "notes" }, ...notes));
  if (connected.keyring_warning) parts.push(h("p", { class: "warning" }, connected.keyring_warning));
  section.replaceChildren(...parts);
}

/** The name a new project's client entries get: offered, editable, checked as typed and
 * again by the app, saved with "Save the name". */
function nameCard(connected: ConnectResult, projects: ProjectList, typedUrl: string, onNamed: (list: ProjectList, name: string) => void): HTMLElement {
  const serverUrl = connected.report.url || typedUrl;
  const field = h("input", { type: "text", id: "project-name", value: connected.project.suggested_name ?? "", "aria-describedby": "project-name-hint error-project_name", autocomplete: "off", spellcheck: "false" });
  const error = h("p", { class: "field-error", id: "error-project_name", role: "alert", hidden: true });
  const save = h("button", { type: "submit", class: "primary", id: "save-project-name" }, "Save the name");
  const show = (message: string | null) => {
    error.textContent = message ?? "";
    error.hidden = message === null;
    field.setAttribute("aria-invalid", message === null ? "false" : "true");
  };
  field.addEventListener("input", () => show(null));
  const form = h(
    "form",
    { class: "card project-naming", id: "project-naming", "aria-labelledby": "project-naming-title", novalidate: true },
    h("h2", { id: "project-naming-title" }, "Name this project"),
    h("p", { class: "notes", id: "project-name-hint" }, `Every AI client gets this Directus under this name${others(projects)}. Connecting, checking or disconnecting it never touches another project's entry.`),
    h("div", { class: "field" }, h("label", { for: "project-name" }, "Name of its client entries"), field),
    error,
    h("div", { class: "actions" }, save),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const problem = projectNameProblem(field.value, projects, serverUrl);
    if (problem !== null) {
      show(problem);
      field.focus();
      return;
    }
    save.disabled = true;
    projectName(field.value.trim())
      .then((list) => {
        form.replaceChildren(h("p", { class: "done", id: "project-named", tabindex: "-1" }, `Saved as the project ${list.chosen ?? field.value.trim()}.`));
        document.getElementById("project-named")?.focus();
        onNamed(list, list.chosen ?? field.value.trim());
      })
      .catch((failure: unknown) => {
        save.disabled = false;
        show(asWizardError(failure).message);
        field.focus();
      });
  });
  return form;
}

/** ", beside … (directus, directus-staging)" naming the projects already set up, or "". */
function others(projects: ProjectList): string {
  const names = projects.projects.map((project) => project.name);
  return names.length === 0 ? "" : `, beside your other projects' entries (${names.join(", ")})`;
}
