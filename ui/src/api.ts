// Typed calls to the app's Tauri commands. Payload types come from the Rust types.

import { invoke } from "@tauri-apps/api/core";
import type { AppStart, ConnectRequest, ConnectResult, WizardError } from "./bindings";

/** Start-up facts: the local demo Directus, if one was started. */
export function appStart(): Promise<AppStart> {
  return invoke<AppStart>("app_start");
}

/** Signs in and detects the server. Rejects with a {@link WizardError}. */
export function connect(request: ConnectRequest): Promise<ConnectResult> {
  return invoke<ConnectResult>("connect", { request });
}

/** Turns whatever a command rejected with into a WizardError. */
export function asWizardError(error: unknown): WizardError {
  if (typeof error === "object" && error !== null && "message" in error && "field" in error) {
    return error as WizardError;
  }
  return { field: "general", message: String(error) };
}
