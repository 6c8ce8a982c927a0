// Feedback on long steps: a button that starts work is disabled at once and, when the work
// takes longer than 300 ms, says what is going on ("Connecting…") with a spinner, for
// screen readers too (aria-busy on the button, the label in its text).

/** How long work may take before the button says it is busy. */
export const PROGRESS_DELAY_MS = 300;

/** Runs `work` for `button`: disabled while it runs, `busyLabel` shown after 300 ms. */
export async function withProgress<T>(button: HTMLButtonElement, busyLabel: string, work: () => Promise<T>): Promise<T> {
  const label = button.textContent ?? "";
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  const timer = window.setTimeout(() => {
    button.classList.add("busy");
    button.textContent = busyLabel;
  }, PROGRESS_DELAY_MS);
  try {
    return await work();
  } finally {
    window.clearTimeout(timer);
    button.classList.remove("busy");
    button.removeAttribute("aria-busy");
    button.textContent = label;
    button.disabled = false;
  }
}
