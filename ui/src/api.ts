// Typed calls to the app's Tauri commands. Payload types come from the Rust types.

import { invoke } from "@tauri-apps/api/core";
import type { AppStart, ClientChange, ClientOverview, ClientRequest, ConnectRequest, ConnectResult, WizardError } from "./bindings";

/** Start-up facts: the local demo Directus, if one was started. */
export function appStart(): Promise<AppStart> {
  return invoke<AppStart>("app_start");
}

/** Signs in and detects the server. Rejects with a {@link WizardError}. */
export function connect(request: ConnectRequest): Promise<ConnectResult> {
  return invoke<ConnectResult>("connect", { request });
}

/** Every AI client's card for the signed-in Directus. */
export function clientsOverview(): Promise<ClientOverview[]> {
  return invoke<ClientOverview[]>("clients_overview");
}

/** What connecting a client would change, changing nothing. */
export function clientPreview(request: ClientRequest): Promise<ClientChange> {
  return invoke<ClientChange>("client_preview", { request });
}

/** Connects a client. */
export function clientConnect(request: ClientRequest): Promise<ClientChange> {
  return invoke<ClientChange>("client_connect", { request });
}

/** Takes Directus out of a client again. */
export function clientDisconnect(request: ClientRequest): Promise<ClientChange> {
  return invoke<ClientChange>("client_disconnect", { request });
}

/** Turns whatever a command rejected with into a WizardError. */
export function asWizardError(error: unknown): WizardError {
  if (typeof error === "object" && error !== null && "message" in error && "field" in error) {
    return error as WizardError;
  }
  return { field: "general", message: String(error) };
}
